"""A score said to be for now, with another promised on a condition."""

from __future__ import annotations

import pytest

from bot.answers import parse_rating
from bot.for_now import score_for_now


def csat(text: str) -> int | None:
    return parse_rating(text, "csat", 1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("4 for now, 5 if the refund comes", 4, id="for-now"),
        pytest.param("2 now, 5 once it is fixed", 2, id="now-then-once"),
        pytest.param("现在4分，退款到了再改5分", 4, id="now-zh"),
        pytest.param("先给2分，修好了再说", 2, id="first-then-we-will-see-zh"),
        pytest.param("暂时3分，解决了就给5分", 3, id="for-the-time-being-zh"),
        pytest.param("4, 5 if the refund comes", None, id="no-now-is-asked-again"),
        pytest.param("给4分，如果回复快点就5分", None, id="no-now-is-asked-again-zh"),
        pytest.param("4 for now", None, id="nothing-promised"),
        pytest.param("4 now, the agent was kind", None, id="no-condition"),
    ],
)
def test_the_score_given_now_is_read(text: str, expected: int | None) -> None:
    assert score_for_now(text, csat) == expected

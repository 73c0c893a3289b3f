"""A score with the question's own scale among other numbers in a reply."""

from __future__ import annotations

import pytest

from bot.answers import parse_rating
from bot.fraction_scores import scaled_score


def csat(text: str) -> int | None:
    return parse_rating(text, "csat", 1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2 days late, 3 boxes dented, 4/5 though", 4, id="after-counts"),
        pytest.param("CA981 on 12/3 cancelled, 3/5 for the help", 3, id="after-a-date"),
        pytest.param("room 1205, 3 nights, 2/5, aircon broken", 2, id="in-the-middle"),
        pytest.param("4/5 for the agent, 1/5 for the app", None, id="two-fractions"),
        pytest.param("late, 8/10", None, id="another-scale"),
        pytest.param("maybe 4/5, seat 12A", None, id="hedged"),
        pytest.param("seat 12A, not 5/5", None, id="denied"),
        pytest.param("if refunded 5/5", None, id="a-condition"),
        pytest.param("4/5 4 stars", None, id="run-on-to-another-number"),
        pytest.param("4/5 at most, slow", None, id="bounded"),
        pytest.param("seat 12A, 2 stars", None, id="no-fraction"),
        pytest.param("late, " * 30 + "4/5", None, id="too-long"),
    ],
)
def test_the_score_with_its_scale_is_read(text: str, expected: int | None) -> None:
    found = scaled_score(text, 5, csat)
    assert (found and found[0]) == expected


def test_the_words_around_it_are_its_comment() -> None:
    assert scaled_score("2 days late, 4/5 though", 5, csat) == (4, "2 days late though")

"""Parts of a service scored one by one and the whole named apart: the score said overall."""

from __future__ import annotations

import pytest

from bot.answers import parse_rating
from bot.overall_scores import overall_score


def csat(text: str) -> int | None:
    return parse_rating(text, "csat", 1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("rider 5 stars, food 2, app crashed. overall 3", (3, None), id="overall-last"),
        pytest.param("food 4, rider 5, app 3 - overall 4", (4, None), id="overall-after-a-dash"),
        pytest.param("rider was great, food cold. 4/5 overall", (4, None), id="overall-after-the-score"),
        pytest.param("菜4分骑手5分app3分，总体4分", (4, None), id="overall-zh"),
        pytest.param("骑手很快，饭菜凉了，整体4/5", (4, "骑手很快，饭菜凉了"), id="as-a-whole-zh"),
        pytest.param("overall 4, overall 5", None, id="two-overalls"),
        pytest.param("overall maybe 4", None, id="a-hedge-between"),
        pytest.param("overall 9", None, id="off-the-scale"),
        pytest.param("rider 5, food 1", None, id="no-overall"),
        pytest.param("overall " * 20 + "4", None, id="too-long"),
    ],
)
def test_the_score_said_overall_is_read(text: str, expected: tuple[int, str | None] | None) -> None:
    found = overall_score(text, csat)
    if expected is None or expected[1] is None:
        assert (found and found[0]) == (expected and expected[0])
    else:
        assert found == expected

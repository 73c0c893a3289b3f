"""A second score in the words beside one (``bot.second_scores.another_score``), read by the real
``bot.answers.parse_rating``: two answers, or a number that only counts, names or hedges."""

from __future__ import annotations

import pytest

from bot.answers import parse_rating
from bot.second_scores import another_score


def csat(part: str) -> int | None:
    return parse_rating(part, "csat", 1, 5)


@pytest.mark.parametrize(
    ("comment", "score", "another"),
    [
        ("产品1分", 5, True),
        ("last time 5", 2, True),
        ("then 4", 2, True),
        ("the company gets a 2", 5, True),  # "gets a": an article a rating verb takes
        ("扣一分", 5, True),  # five, one taken off: 5 or 4?
        ("took 2 days", 4, False),
        ("等了3天", 2, False),
        ("order 4", 5, False),
        ("订单号5", 2, False),
        ("would've been 5", 3, False),
        ("本来想给5分", 3, False),
        ("扣一星因为物流", 4, False),  # explains the 4
        ("3分钟就回复了", 5, False),
        ("7-10天", 3, False),
        ("24/7 support", 5, False),
        ("5 stars", 5, False),  # the same score again
        ("1 star off for the wait", 4, False),  # taken off after: explains the 4
        ("1 star off for the wait", 5, True),  # 5 or 4?
        ("2 stars later", 4, True),
    ],
)
def test_a_number_in_a_comment_is_another_score_or_not(comment: str, score: int, another: bool) -> None:
    assert another_score(comment, score, csat) is another

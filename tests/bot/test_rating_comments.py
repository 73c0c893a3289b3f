"""A score and a comment in one message (``bot.rating_comments.split_rating``): the score at the
start or the end, the rest kept as the comment, and no score where the number is a quantity, a
reference or a hedge. Scores are read by the real ``bot.answers.parse_rating``."""

from __future__ import annotations

import pytest

from bot.answers import parse_rating
from bot.rating_comments import MAX_LENGTH, Scored, split_rating


def csat(part: str) -> int | None:
    return parse_rating(part, "csat", 1, 5)


def nps(part: str) -> int | None:
    return parse_rating(part, "nps", 0, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 stars, super quick reply", Scored(5, "super quick reply")),
        ("super quick reply, 5", Scored(5, "super quick reply")),
        ("the agent was great 5", Scored(5, "the agent was great")),
        ("2，等太久了", Scored(2, "等太久了")),
        ("客服很专业给五星", Scored(5, "客服很专业")),
        ("给五星 客服很专业", Scored(5, "客服很专业")),
        ("非常满意，客服很耐心", Scored(5, "客服很耐心")),  # a word rating, punctuation between
        ("very satisfied, agent was kind", Scored(5, "agent was kind")),
        ("not satisfied, agent was kind", Scored(2, "agent was kind")),
        ("5 👍", Scored(5, "👍")),  # a score with a thumbs-up
        # typed-answers-7: a run of "!" ends the score's clause before a count
        ("5 stars!! 5 days to deliver", Scored(5, "5 days to deliver")),
        ("五星！！！3天就到了", Scored(5, "3天就到了")),
        ("1 star, 20 min wait", Scored(1, "20 min wait")),
    ],
)
def test_a_score_beside_words_is_split_from_its_comment(text: str, expected: Scored) -> None:
    assert split_rating(text, csat, words=True) == expected


@pytest.mark.parametrize(
    "text",
    [
        "3 days later",  # a quantity
        "order 5",  # a reference
        "5分钟",  # minutes
        "十分满意",  # "very satisfied", not ten points
        "maybe 4",  # a hedge
        "4.5",
        "4-5",
        "10:30",
        # typed-answers-7: the decimal point said in words, a number said to be a reference's, a dash
        # before a count (a range: "3 - 4 days"), 分多钟 (minutes)
        "three point five",
        "four point 5 stars",
        "my order number is 5",
        "the room was 4",
        "3 - 4 days",
        "3分多钟",
        "not satisfied",  # a word rating alone is no score with a comment
        "5",  # a score alone is parse_rating's to read, with no comment
        "",
        "5, " + "x" * MAX_LENGTH,  # too long to be a reply to a rating question
    ],
)
def test_no_score_where_the_number_is_not_one_or_there_is_no_comment(text: str) -> None:
    assert split_rating(text, csat, words=True) is None


def test_the_decimal_point_said_in_words_joins_two_numbers_on_any_scale() -> None:
    assert [split_rating(t, nps, words=False) for t in ("seven point 5", "nine point five")] == [None, None]
    assert split_rating("three points, slow", csat, words=True) == Scored(3, "slow")


def test_a_scale_without_words_takes_no_word_rating_beside_a_comment() -> None:
    assert split_rating("非常满意，客服很耐心", nps, words=False) is None
    assert split_rating("pretty easy, 6", nps, words=False) == Scored(6, "pretty easy")


def test_a_score_the_scale_cannot_hold_is_no_score() -> None:
    assert split_rating("pretty easy, 6", csat, words=True) is None  # CSAT runs 1 to 5


def test_a_side_longer_than_a_score_is_not_parsed() -> None:
    """Every cut is tried (one per character of Chinese); parsing each side of 299 × "不" made a
    message cost 0.1 s of CPU. With ``longest``, ``parse`` never sees a side it could not read."""
    seen: list[str] = []

    def counting(part: str) -> int | None:
        seen.append(part)
        return csat(part)

    assert split_rating("不" * 299, counting, words=True, longest=60) is None
    assert seen and max(map(len, seen)) <= 60
    assert split_rating("5 stars, super quick reply", counting, words=True, longest=60) == Scored(
        5, "super quick reply"
    )

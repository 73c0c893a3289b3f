"""The scale named beside a score (``bot.scale_notes.without_scale``): dropped when it is the
question's own and a score is left, kept otherwise."""

from __future__ import annotations

import pytest

from bot.scale_notes import names_another_scale, without_scale


@pytest.mark.parametrize(
    ("text", "high", "expected"),
    [
        ("10分满分给9分", 10, "给9分"),
        ("9分（满分10分）", 10, "9分"),
        ("满分是5分，4分", 5, "4分"),
        ("5分制的话4分", 5, "4分"),
        ("十分制八分", 10, "八分"),  # the score left is 八分
        ("4 (out of 5)", 5, "4"),
        ("8 out of 10", 5, "8 out of 10"),  # another scale: kept, for the reader to refuse
        ("满分10分", 10, "满分10分"),  # no score left without it
        ("4分", 5, "4分"),  # nothing named
        ("给9分（满分100分）", 10, "给9分（满分100分）"),
        ("满分5分的话给4", 5, "给4"),  # 的话 ("if") after any note, not only 分制
        ("满分十分我给八分", 10, "我给八分"),  # the scale in numerals
        ("on a scale of 0-10 id say 8", 10, "id say 8"),
        ("on a scale from 1 to 10, 7", 10, "7"),
        ("on a scale of 1-5, 4", 10, "on a scale of 1-5, 4"),  # another scale: kept
    ],
)
def test_the_questions_own_scale_is_dropped_when_a_score_is_left(text: str, high: int, expected: str) -> None:
    assert without_scale(text, high) == expected


def test_a_long_run_of_digits_is_no_scale() -> None:
    text = "5" * 4096 + "分满分"
    assert without_scale(text, 10) == text


@pytest.mark.parametrize(
    ("text", "high", "named"),
    [
        ("on a scale of 1-5 I'd say 4", 10, True),
        ("On a scale of 0 to 10, 7", 5, True),
        ("on a scale of 1 to 10, 7", 10, False),  # the question's own
        ("8 out of 10", 5, False),  # read by the scale's own rule, which keeps full marks ("10/10" is a 5)
        ("4", 5, False),
    ],
)
def test_a_scale_said_in_words_names_another_scale(text: str, high: int, named: bool) -> None:
    assert names_another_scale(text, high) is named

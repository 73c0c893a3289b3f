"""The scale named beside a score (``bot.scale_notes.without_scale``): dropped when it is the
question's own and a score is left, kept otherwise."""

from __future__ import annotations

import pytest

from bot.scale_notes import without_scale


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
    ],
)
def test_the_questions_own_scale_is_dropped_when_a_score_is_left(text: str, high: int, expected: str) -> None:
    assert without_scale(text, high) == expected


def test_a_long_run_of_digits_is_no_scale() -> None:
    text = "5" * 4096 + "分满分"
    assert without_scale(text, 10) == text

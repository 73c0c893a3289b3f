"""Roman numerals typed as a score (bot/roman_numerals.py)."""

from __future__ import annotations

import pytest

from bot.answers import read_rating
from bot.roman_numerals import roman_as_digits


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("IV stars", "4 stars"),
        ("III", "3"),
        ("VIII/X", "8/10"),
        ("VII out of VII", "7 out of 7"),
        ("\u2163", "4"),  # Ⅳ, one sign
        ("\u2174星", "5星"),  # ⅴ, small
        ("\u2168, slow", "9, slow"),  # Ⅸ before a comment
    ],
)
def test_a_roman_numeral_reads_as_its_digits(text: str, read: str) -> None:
    assert roman_as_digits(text) == read


@pytest.mark.parametrize(
    "text",
    ["I", "V", "X", "iv", "IV drip", "MIX", "CIVIC", "VI VI", "I have II issues", "II and III"],
)
def test_a_letter_a_word_or_letters_among_words_stay_as_typed(text: str) -> None:
    assert roman_as_digits(text) == text


@pytest.mark.parametrize(
    ("text", "kind", "score"),
    [
        ("IV stars", "csat", 4),
        ("\u2164", "csat", 5),
        ("VIII", "nps", 8),
        ("VII", "ces", 7),
        ("\u2163星", "csat", 4),
    ],
)
def test_a_roman_numeral_on_the_scale_is_the_score(text: str, kind: str, score: int) -> None:
    low, high = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}[kind]
    found = read_rating(text, kind, low, high)  # type: ignore[arg-type]
    assert found is not None and found.score == score


@pytest.mark.parametrize(("text", "kind"), [("VI", "csat"), ("IX", "ces"), ("\u216b", "nps"), ("V", "csat")])
def test_a_roman_numeral_off_the_scale_or_alone_as_a_letter_is_no_score(text: str, kind: str) -> None:
    low, high = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}[kind]
    assert read_rating(text, kind, low, high) is None  # type: ignore[arg-type]

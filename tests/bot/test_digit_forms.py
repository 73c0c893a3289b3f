"""Digits drawn in circles that NFKC leaves as they are."""

from __future__ import annotations

import unicodedata

from bot.digit_forms import ENCLOSED_DIGITS, plain_digits


def test_each_run_of_enclosed_digits_counts_one_to_ten() -> None:
    assert [ENCLOSED_DIGITS[c] for c in "❶❺❿➀➉➊➓⓵⓾⓿"] == [
        "1",
        "5",
        "10",
        "1",
        "10",
        "1",
        "10",
        "1",
        "10",
        "0",
    ]


def test_none_of_them_is_folded_by_nfkc() -> None:
    assert all(unicodedata.normalize("NFKC", c) == c for c in ENCLOSED_DIGITS)


def test_keycaps_and_enclosed_digits_become_plain() -> None:
    assert plain_digits("应该5️⃣星") == "应该5星"
    assert plain_digits("改成❹分") == "改成4分"
    assert plain_digits("⑤") == "⑤"  # NFKC folds it where text is normalised

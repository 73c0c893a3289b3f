"""Chat's spellings with a digit in them read as the words they spell; a digit that is a score stays."""

from __future__ import annotations

import pytest

from bot.chat_spellings import spelled_out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("l8r 8", "later 8", id="later"),
        pytest.param("5 thx m8", "5 thx mate", id="mate"),
        pytest.param("w8ed 2 hrs, 2", "w8ed 2 hrs, 2", id="inside-a-word-unchanged"),
        pytest.param("B4 i forget: 4", "before i forget: 4", id="before-in-capitals"),
        pytest.param("5 nice 1", "5 nice one", id="nice-one"),
        pytest.param("good 1/5", "good 1/5", id="a-fraction-unchanged"),
        pytest.param("good 10", "good 10", id="ten-unchanged"),
        pytest.param("k 4", "ok 4", id="k"),
        pytest.param("kk, 5", "ok, 5", id="kk"),
        pytest.param("k", "k", id="k-alone-unchanged"),
        pytest.param("kind 4", "kind 4", id="a-word-starting-with-k-unchanged"),
        pytest.param("4 stars", "4 stars", id="nothing-to-spell"),
    ],
)
def test_chat_spellings_with_digits_are_read_as_words(text: str, expected: str) -> None:
    assert spelled_out(text) == expected

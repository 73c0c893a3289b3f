"""The English number words every typed-answer parser shares (bot/number_words.py)."""

from __future__ import annotations

import re

import pytest

from bot.answers import read_rating
from bot.number_words import EN_VALUES, EN_WORDS


def test_the_words_are_zero_to_ten_in_order() -> None:
    assert list(EN_VALUES.values()) == list(range(11))
    assert EN_WORDS.split("|") == list(EN_VALUES)


@pytest.mark.parametrize("word", list(EN_VALUES))
def test_the_alternation_matches_each_word_whole(word: str) -> None:
    assert re.fullmatch(f"(?:{EN_WORDS})", word)
    assert re.fullmatch(f"(?:{EN_WORDS})", word + "s") is None


@pytest.mark.parametrize(("word", "value"), list(EN_VALUES.items()))
def test_each_word_is_read_as_its_score_at_nps(word: str, value: int) -> None:
    for said in (word, word.upper(), f"{word} out of ten"):
        found = read_rating(said, "nps", 0, 10)
        assert found is not None and found.score == value, (said, found)

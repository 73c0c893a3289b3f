"""Other languages' words around a score, rewritten as the words the parser reads."""

from __future__ import annotations

import time

import pytest

from bot.other_languages import in_own_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("le doy un 4, muy amable", "give 4, muy amable", id="spanish-give"),
        pytest.param("je donne 3", "give 3", id="french-give"),
        pytest.param("ich gebe euch eine 4", "give 4", id="german-give"),
        pytest.param("saya bagi 5", "give 5", id="malay-give"),
        pytest.param("kasi mabagal, 2", "kasi mabagal, 2", id="tagalog-because-stays"),
        pytest.param("cinco", "five", id="a-number-word-alone"),
        pytest.param("lima bintang", "five bintang", id="a-number-word-before-a-unit"),
        pytest.param("lima is far", "lima is far", id="a-number-word-as-a-name"),
        pytest.param("um 4", "um 4", id="a-filler-is-no-number"),
        pytest.param("4 sterne", "4 stars", id="german-unit"),
        pytest.param("5 étoiles", "5 stars", id="french-unit"),
        pytest.param("8점", "8分", id="korean-points"),
        pytest.param("10점 만점에 9점", "满分10分 9分", id="korean-out-of"),
        pytest.param("星4つ", "4星", id="japanese-stars-before"),
        pytest.param("4つ星", "4星", id="japanese-stars-after"),
    ],
)
def test_other_languages_words_are_rewritten(text: str, expected: str) -> None:
    assert in_own_words(text) == expected


@pytest.mark.parametrize("run", ["점", "1점", "つ", "星", "le doy ", "cinco "])
def test_long_runs_are_read_in_linear_time(run: str) -> None:
    text = (run * (4000 // len(run)))[:4000]
    started = time.perf_counter()
    in_own_words(text)
    assert time.perf_counter() - started < 0.05

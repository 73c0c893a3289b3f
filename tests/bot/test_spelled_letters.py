"""A word spelled out letter by letter is read as the word when it is one an answer is made of; other
runs of single letters stay as typed."""

from __future__ import annotations

import time

import pytest

from bot.spelled_letters import letters_joined


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("f i v e", "five", id="spaces"),
        pytest.param("F-I-V-E", "FIVE", id="dashes"),
        pytest.param("F.O.U.R.", "FOUR", id="full-stops"),
        pytest.param("F o u r", "Four", id="mixed-case"),
        pytest.param("T W O stars", "TWO stars", id="a-unit-after"),
        pytest.param("N-O", "NO", id="two-letters"),
        pytest.param("y e s it works", "yes it works", id="words-after"),
        pytest.param("s-l-o-w", "slow", id="a-reason-word"),
        pytest.param("4, t h a n k s", "4, t h a n k s", id="no-answer-word"),
        pytest.param("a b c", "a b c", id="letters-of-no-word"),
        pytest.param("u r ok", "u r ok", id="chat-letters"),
        pytest.param("f i-v e", "f i-v e", id="marks-that-differ"),
        pytest.param("e-mail", "e-mail", id="a-word-with-a-dash"),
        pytest.param("fives f i v e", "fives five", id="after-a-word"),
        pytest.param("n o", "no", id="no-spaced"),
        pytest.param("x", "x", id="one-letter"),
    ],
)
def test_answer_words_spelled_out_are_joined(text: str, expected: str) -> None:
    assert letters_joined(text) == expected


def test_a_long_run_of_single_letters_is_read_once() -> None:
    start = time.perf_counter()
    letters_joined("a b " * 8_192 + "f-i-v-e")
    assert time.perf_counter() - start < 0.5

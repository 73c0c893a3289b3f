"""Chat apps' formatting marks around words: removed in pairs, a struck word taken back by what follows."""

from __future__ import annotations

import time

import pytest

from bot.chat_marks import unformatted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("*5*分", "5分", id="bold-before-a-unit"),
        pytest.param("`3`", "3", id="code"),
        pytest.param("```9```", "9", id="a-code-block"),
        pytest.param("||4||", "4", id="a-spoiler"),
        pytest.param("**10**/10", "10/10", id="double-bold"),
        pytest.param("*_5_*", "5", id="italics-inside-bold"),
        pytest.param("I meant _5_", "I meant 5", id="italics-after-words"),
        pytest.param("~2~ 3", "3", id="struck-then-meant"),
        pytest.param("~5~", "~5~", id="struck-alone-stays"),
        pytest.param("~5分~ 谢谢", "~5分~ 谢谢", id="chinese-tildes-adorn"),
        pytest.param("5*, 4*", "5*, 4*", id="two-units"),
        pytest.param("4* and 5*", "4* and 5*", id="two-units-with-words"),
        pytest.param("snake_case_name", "snake_case_name", id="underscores-inside-a-word"),
        pytest.param("*****", "*****", id="asterisks-for-stars"),
    ],
)
def test_formatting_marks_are_removed_in_pairs(text: str, expected: str) -> None:
    assert unformatted(text) == expected


@pytest.mark.parametrize("mark", ["*", "_", "`", "|", "~", "*a", "a_", "~5 ", "`a` "])
def test_a_long_run_of_marks_is_read_in_linear_time(mark: str) -> None:
    text = (mark * (4000 // len(mark)))[:4000]
    started = time.perf_counter()
    unformatted(text)
    assert time.perf_counter() - started < 0.05

"""Callback data: compact, within 64 bytes, and read back without server state."""

from __future__ import annotations

import pytest

from adapters.telegram.callback import Answer, pack, unpack


def test_round_trip() -> None:
    data = pack("AbC-d_9x", "rating", "5")
    assert data == "a:AbC-d_9x:rating:5"
    assert unpack(data) == Answer("AbC-d_9x", "rating", "5")


def test_the_longest_config_identifiers_fit() -> None:
    # survey ids are 8 characters; steps are config identifiers (at most 32): options of 20 fit
    data = pack("AbCdEfGh", "s" * 32, "o" * 20)
    assert data is not None and len(data.encode()) == 64


@pytest.mark.parametrize(
    ("survey", "step", "value"),
    [
        pytest.param("AbCdEfGh", "s" * 32, "o" * 21, id="over-64-bytes"),
        pytest.param("AbCdEfGh", "rating", "é" * 30, id="multibyte-over-64-bytes"),
        pytest.param("a:b", "rating", "1", id="separator-in-survey"),
        pytest.param("s1", "rat:ing", "1", id="separator-in-step"),
        pytest.param("", "rating", "1", id="empty-survey"),
        pytest.param("s1", "rating", "", id="empty-value"),
    ],
)
def test_what_cannot_be_packed_is_refused_not_truncated(survey: str, step: str, value: str) -> None:
    assert pack(survey, step, value) is None


def test_a_value_may_hold_the_separator() -> None:
    assert unpack(pack("s1", "q", "a:b")) == Answer("s1", "q", "a:b")


@pytest.mark.parametrize("data", [None, "", "a", "a:s1:q", "b:s1:q:1", "a::q:1", "a:s1::1", "a:s1:q:", "xyz"])
def test_foreign_callback_data_is_not_an_answer(data: str | None) -> None:
    assert unpack(data) is None

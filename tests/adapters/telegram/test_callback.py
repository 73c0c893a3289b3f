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
        pytest.param("", "rating", "1", id="empty-survey"),
        pytest.param("s1", "rating", "", id="empty-value"),
    ],
)
def test_what_cannot_be_packed_is_refused_not_truncated(survey: str, step: str, value: str) -> None:
    assert pack(survey, step, value) is None


def test_a_separator_in_any_part_is_percent_encoded() -> None:
    assert pack("a:b", "rat:ing", "c:d") == "a:a%3Ab:rat%3Aing:c%3Ad"
    assert unpack(pack("a:b", "rat:ing", "c:d")) == Answer("a:b", "rat:ing", "c:d")


def test_data_sent_before_percent_encoding_still_reads() -> None:
    assert unpack("a:s1:q:a:b") == Answer("s1", "q", "a:b")  # a value once kept its ':'


@pytest.mark.parametrize("data", [None, "", "a", "a:s1:q", "b:s1:q:1", "a::q:1", "a:s1::1", "a:s1:q:", "xyz"])
def test_foreign_callback_data_is_not_an_answer(data: str | None) -> None:
    assert unpack(data) is None

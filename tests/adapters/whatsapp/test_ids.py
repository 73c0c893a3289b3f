"""Button and row ids carry survey, step and value, and decode without stored state."""

from __future__ import annotations

import pytest

from adapters.whatsapp.ids import START, OptionRef, decode_option, encode_option


@pytest.mark.parametrize(
    ("survey", "step", "value"),
    [
        ("Ab3_-x9Z", "rating", "5"),
        ("s1", "reason", "unresolved"),
        ("s1", "rating", START),
        ("odd:id", "step:x", "a%b/c d"),
        ("s1", "q", "满意"),
    ],
)
def test_round_trip(survey: str, step: str, value: str) -> None:
    assert decode_option(encode_option(survey, step, value)) == OptionRef(survey, step, value)


def test_plain_ids_stay_readable() -> None:
    assert encode_option("Ab3_-x9Z", "rating", "5") == "a:Ab3_-x9Z:rating:5"
    assert encode_option("s1", "rating", START) == "a:s1:rating:~start"


def test_ids_sent_before_the_kit_codec_still_decode() -> None:
    assert decode_option("cs:Ab3_-x9Z:rating:5") == OptionRef("Ab3_-x9Z", "rating", "5")
    assert decode_option("cs:odd%3Aid:q:a%25b") == OptionRef("odd:id", "q", "a%b")


@pytest.mark.parametrize(
    "data",
    ["callback_data", "", "cs:s1:rating", "xx:s1:rating:5", "cs::rating:5", "cs:s1::5", "a:s1:rating:"],
)
def test_foreign_ids_are_not_ours(data: str) -> None:
    assert decode_option(data) is None

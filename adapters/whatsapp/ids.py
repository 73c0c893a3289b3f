"""Reply-button, list-row and quick-reply ids: the kit's option reference (which survey, step and
value a tap answers) within WhatsApp's limits (list rows 200 bytes, reply buttons 256)."""

from __future__ import annotations

from adapters.kit.options import UNLIMITED, OptionRef, decode, encode

START = "~start"
"""The value of a template's quick-reply payload: "continue the survey", not an answer."""


def encode_option(survey: str, step: str, value: str) -> str:
    """The id of the button or row that answers ``step`` of ``survey`` with ``value``; the renderer
    checks each id's length against its own limit and falls back to typed answers."""
    data = encode(survey, step, value, max_bytes=UNLIMITED)
    if data is None:
        raise ValueError(f"an option reference needs a survey, a step and a value, got {survey!r}, {step!r}")
    return data


def decode_option(data: str) -> OptionRef | None:
    """The reference in an id made by :func:`encode_option`; ``None`` for any other id."""
    return decode(data)


__all__ = ["START", "OptionRef", "decode_option", "encode_option"]

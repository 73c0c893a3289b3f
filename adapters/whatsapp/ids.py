"""Reply-button, list-row and quick-reply ids: which survey, step and value a tap answers.

An id is ``cs:<survey>:<step>:<value>`` with each part percent-encoded, so it decodes without any
stored state. Survey ids are 8 URL-safe characters and step and option ids short identifiers, so
ids stay far below WhatsApp's limits (list rows 200 bytes, reply buttons 256); the renderer checks
the length anyway and falls back to typed answers when an id would not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

_PREFIX = "cs"

START = "~start"
"""The value of a template's quick-reply payload: "continue the survey", not an answer."""


@dataclass(frozen=True, slots=True)
class OptionRef:
    """The survey question and value a button carries."""

    survey: str
    step: str
    value: str


def encode_option(survey: str, step: str, value: str) -> str:
    """The id of the button or row that answers ``step`` of ``survey`` with ``value``."""
    return ":".join((_PREFIX, *(quote(part, safe="") for part in (survey, step, value))))


def decode_option(data: str) -> OptionRef | None:
    """The reference in an id made by :func:`encode_option`; ``None`` for any other id."""
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != _PREFIX or not all(parts[1:3]):
        return None
    survey, step, value = (unquote(part) for part in parts[1:])
    return OptionRef(survey, step, value)

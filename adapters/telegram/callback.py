"""Callback data of survey buttons: ``a:<survey>:<step>:<value>``, read back without server state.

Telegram gives a button 1-64 bytes of ``callback_data``. Survey ids are 8 characters and steps and
option ids are config identifiers (``[a-z][a-z0-9_]*``), so a usual button packs to about 20 bytes;
one that would not fit is never truncated: :func:`pack` returns ``None`` and rendering falls back.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
PREFIX = "a"
SEPARATOR = ":"


@dataclass(frozen=True, slots=True)
class Answer:
    """What a survey button carries."""

    survey: str
    step: str
    value: str


def pack(survey: str, step: str, value: str) -> str | None:
    """The callback data for one button, or ``None`` if it cannot be encoded within 64 bytes."""
    if not survey or not step or not value or SEPARATOR in survey + step:
        return None
    data = SEPARATOR.join((PREFIX, survey, step, value))
    return data if len(data.encode()) <= MAX_BYTES else None


def unpack(data: str | None) -> Answer | None:
    """The answer in ``data``, or ``None`` for callback data this bot did not write."""
    if not data:
        return None
    parts = data.split(SEPARATOR, 3)
    if len(parts) != 4 or parts[0] != PREFIX or not all(parts[1:]):
        return None
    return Answer(parts[1], parts[2], parts[3])

"""Callback data of survey buttons: the kit's option reference within Telegram's 64 bytes.

Telegram gives a button 1-64 bytes of ``callback_data``. Survey ids are 8 characters and steps and
option ids are config identifiers (``[a-z][a-z0-9_]*``), so a usual button packs to about 20 bytes;
one that would not fit is never truncated: :func:`pack` returns ``None`` and rendering falls back.
"""

from __future__ import annotations

from adapters.kit.options import OptionRef, decode, encode

MAX_BYTES = 64

Answer = OptionRef
"""What a survey button carries."""


def pack(survey: str, step: str, value: str) -> str | None:
    """The callback data for one button, or ``None`` if it cannot be encoded within 64 bytes."""
    return encode(survey, step, value, max_bytes=MAX_BYTES)


def unpack(data: str | None) -> Answer | None:
    """The answer in ``data``, or ``None`` for callback data this bot did not write."""
    return decode(data)

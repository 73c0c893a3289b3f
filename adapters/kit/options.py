"""Option references: which survey, step and value a tappable button, list row or menu item answers.

One codec for every channel, read back without server state: ``a:<survey>:<step>:<value>``, each
part percent-encoded. Survey ids, step ids and option ids are URL-safe, so they travel unchanged and
a usual reference is about 20 bytes (Telegram allows 64). The leading tag is the format's version:
a later format gets another tag while old buttons, still in customers' chats, keep decoding.
:func:`encode` checks the platform's byte limit and answers ``None`` rather than truncate, so the
renderer falls back to typed answers. WhatsApp's earlier ``cs:`` ids still decode; WeChat's earlier
bare ``<survey>:<step>:<value>`` keys are read by its wire module (a bare form would also match
other ids, such as Telegram's ticket buttons).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

VERSION = "a"
UNLIMITED = 1 << 16
"""``max_bytes`` for a caller that checks each reference's length against its own limits."""
SEPARATOR = ":"
_READABLE = (VERSION, "cs")


@dataclass(frozen=True, slots=True)
class OptionRef:
    """The survey question and value a tap answers."""

    survey: str
    step: str
    value: str


def encode(survey: str, step: str, value: str, *, max_bytes: int) -> str | None:
    """The reference for one option, or ``None`` when a part is empty or it exceeds ``max_bytes``."""
    if not survey or not step or not value:
        return None
    data = SEPARATOR.join((VERSION, *(quote(part, safe="") for part in (survey, step, value))))
    return data if len(data.encode()) <= max_bytes else None


def decode(data: str | None) -> OptionRef | None:
    """The reference in ``data``, or ``None`` for an id this codec did not write.

    The value is split off last: references written before percent-encoding kept a ``:`` in it."""
    if not data:
        return None
    parts = data.split(SEPARATOR, 3)
    if len(parts) != 4 or parts[0] not in _READABLE or not all(parts[1:]):
        return None
    survey, step, value = (unquote(part) for part in parts[1:])
    return OptionRef(survey, step, value)

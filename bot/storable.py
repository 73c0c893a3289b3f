"""Text every database can store: what a platform sends is cleaned, never refused.

PostgreSQL ``text`` cannot hold NUL, and neither database driver can write a lone surrogate (half
of a UTF-16 pair, which JSON escapes such as ``"\\ud800"`` produce). A platform would redeliver a
refused message for days, so the customer's text is kept with those characters replaced.

Ids are bounded too: a signed but hostile update may name a user, account or message id longer
than its column (PostgreSQL refuses it; SQLite stores it), which failed every retry of the turn.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Resume, Text, Unsupported

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
ACCOUNT_CHARS = 128
"""The longest ``account`` stored (``identity.account``, ``inboundreceipt.account``)."""
ID_CHARS = 256
"""The longest ``user`` or ``platform_id`` stored (``identity.user``, ``inboundreceipt.platform_id``)."""


def storable(text: str) -> str:
    """``text`` without NUL characters and with each lone surrogate replaced by U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub(REPLACEMENT, text)
    return text


def bounded(value: str, limit: int) -> str:
    """``value`` if it has at most ``limit`` characters, else its start and a digest of the whole
    (``limit`` characters in all): two long ids stay two, and a redelivery maps to the same one."""
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{value[: limit - len(digest) - 1]}~{digest}"


def _payload(payload: Payload) -> Payload:
    match payload:
        case Text(text):
            return Text(storable(text))
        case ChoicePicked(survey, step, value, label):
            return ChoicePicked(storable(survey), storable(step), storable(value), storable(label))
        case Command(name, argument):
            return Command(storable(name), storable(argument))
        case Unsupported(kind):
            return Unsupported(storable(kind))
        case Resume(survey):
            return Resume(storable(survey))


def storable_message(msg: InboundMessage) -> InboundMessage:
    """``msg`` with every string in it made :func:`storable` and its ids :func:`bounded` (the same
    object when nothing changes)."""
    cleaned = dataclasses.replace(
        msg,
        account=bounded(storable(msg.account), ACCOUNT_CHARS),
        user=bounded(storable(msg.user), ID_CHARS),
        platform_id=bounded(storable(msg.platform_id), ID_CHARS),
        thread=storable(msg.thread),
        display_name=storable(msg.display_name),
        locale=storable(msg.locale),
        payload=_payload(msg.payload),
        extra={storable(k): storable(v) for k, v in msg.extra.items()},
    )
    return msg if cleaned == msg else cleaned

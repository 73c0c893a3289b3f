"""Text every database can store: what a platform sends is cleaned, never refused.

PostgreSQL ``text`` cannot hold NUL, and neither database driver can write a lone surrogate (half
of a UTF-16 pair, which JSON escapes such as ``"\\ud800"`` produce). A platform would redeliver a
refused message for days, so the customer's text is kept with those characters replaced.
"""

from __future__ import annotations

import dataclasses
import re

from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Resume, Text, Unsupported

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def storable(text: str) -> str:
    """``text`` without NUL characters and with each lone surrogate replaced by U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub(REPLACEMENT, text)
    return text


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
    """``msg`` with every string in it made :func:`storable` (the same object when nothing changes)."""
    cleaned = dataclasses.replace(
        msg,
        account=storable(msg.account),
        user=storable(msg.user),
        platform_id=storable(msg.platform_id),
        thread=storable(msg.thread),
        display_name=storable(msg.display_name),
        locale=storable(msg.locale),
        payload=_payload(msg.payload),
        extra={storable(k): storable(v) for k, v in msg.extra.items()},
    )
    return msg if cleaned == msg else cleaned

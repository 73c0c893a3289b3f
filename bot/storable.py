"""Text every database can store: what a platform sends is cleaned, never refused.

PostgreSQL ``text`` cannot hold NUL, and neither database driver can write a lone surrogate (half
of a UTF-16 pair, which JSON escapes such as ``"\\ud800"`` produce). A platform would redeliver a
refused message for days, so the customer's text is kept with those characters replaced.

Ids are bounded too: a signed but hostile update may name a user, account or message id longer
than its column (PostgreSQL refuses it; SQLite stores it), which failed every retry of the turn.
A display name is shown to agents (console, CSV, notifications): it loses control characters and
bidirectional overrides, which could reorder what an agent reads ("\u202egnp.exe").
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from bot.messages import (
    ChoicePicked,
    Command,
    InboundMessage,
    Payload,
    Reachability,
    Resume,
    Text,
    Unsupported,
)

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
ACCOUNT_CHARS = 128
"""The longest ``account`` stored (``identity.account``, ``inboundreceipt.account``)."""
ID_CHARS = 256
"""The longest ``user`` or ``platform_id`` stored (``identity.user``, ``inboundreceipt.platform_id``)."""
NAME_CHARS = 128
"""The longest display name kept (Telegram's first and last name together are at most 128)."""
# C0 and C1 controls (line breaks and tabs included), and the marks and embeddings that change the
# direction text is shown in (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069).
_NOT_IN_A_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
# What draws nothing: zero-width space and joiners, word joiner, BOM, and the fillers (Hangul, braille
# blank) platforms' users pick for an "invisible" name. A name of only these (and spaces) is no name.
_SHOWS_NOTHING = re.compile("[\u200b-\u200d\u2060\ufeff\u115f\u1160\u3164\uffa0\u2800 ]*")


BLANKS = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
"""Spaces (``str.isspace``) and what a paste may bring that shows nothing (zero-width space and
joiners, word joiner, BOM), as a regex class for both the check and the schema."""
BLANK = re.compile(f"[{BLANKS}]*")
"""A text that shows nothing (``BLANK.fullmatch``): a message of it says nothing."""


def storable(text: str) -> str:
    """``text`` without NUL characters and with each lone surrogate replaced by U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub(REPLACEMENT, text)
    return text


def shows_nothing(text: str) -> bool:
    """Whether a platform's ``text`` shows nothing once stored: :data:`BLANK` after its NUL characters
    are removed (:func:`storable`). A message of it would open a conversation about nothing, as the
    web chat's blank message would (refused there), and the classifier reads nothing in it."""
    return BLANK.fullmatch(text.replace("\x00", "")) is not None


def display_name(name: str) -> str:
    """``name`` as agents may see it: :func:`storable`, with controls and direction overrides turned
    into spaces, runs of spaces into one, at most :data:`NAME_CHARS` characters; ``""`` (no name: the
    one stored before stays) for a name that shows nothing."""
    name = " ".join(_NOT_IN_A_NAME.sub(" ", storable(name)).split())
    name = name[:NAME_CHARS]
    return "" if _SHOWS_NOTHING.fullmatch(name) else name


def bounded(value: str, limit: int) -> str:
    """``value`` if it has at most ``limit`` characters, else its start and a digest of the whole
    (``limit`` characters in all): two long ids stay two, and a redelivery maps to the same one."""
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{value[: limit - len(digest) - 1]}~{digest}"


def _payload(payload: Payload) -> Payload:
    match payload:
        case Text(text, attached):
            return Text(storable(text), storable(attached))
        case ChoicePicked(survey, step, value, label):
            return ChoicePicked(storable(survey), storable(step), storable(value), storable(label))
        case Command(name, argument):
            return Command(storable(name), storable(argument))
        case Unsupported(kind):
            return Unsupported(storable(kind))
        case Resume(survey):
            return Resume(storable(survey))
        case Reachability(reachable, cause):
            return Reachability(reachable, storable(cause))


def storable_message(msg: InboundMessage) -> InboundMessage:
    """``msg`` with every string in it made :func:`storable` and its ids :func:`bounded` (the same
    object when nothing changes)."""
    cleaned = dataclasses.replace(
        msg,
        account=bounded(storable(msg.account), ACCOUNT_CHARS),
        user=bounded(storable(msg.user), ID_CHARS),
        platform_id=bounded(storable(msg.platform_id), ID_CHARS),
        thread=storable(msg.thread),
        display_name=display_name(msg.display_name),
        locale=storable(msg.locale),
        payload=_payload(msg.payload),
        extra={storable(k): storable(v) for k, v in msg.extra.items()},
    )
    return msg if cleaned == msg else cleaned

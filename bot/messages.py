"""Channel-neutral inbound messages: what any adapter turns a platform payload into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Text:
    """Free text typed by the customer; ``attached``: what it is the caption of ("photo", "video"...;
    empty for a plain message), which the transcript shows and the survey and triage never read."""

    text: str
    attached: str = ""


@dataclass(frozen=True, slots=True)
class ChoicePicked:
    """A tap on a button, list row or menu item the bot offered.

    ``survey`` and ``step`` say which question the button belonged to; ``value`` is the option id or
    the score as text. ``label`` is what the button showed, when the platform echoes it.
    """

    survey: str
    step: str
    value: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Command:
    """A bot command such as ``/start <payload>``."""

    name: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Anything else (stickers, images, locations): stored, never answered as a survey reply."""

    kind: str


@dataclass(frozen=True, slots=True)
class Resume:
    """The customer asks to see the open question of ``survey`` again (a template's "Rate now" tap)."""

    survey: str


@dataclass(frozen=True, slots=True)
class Reachability:
    """Not a message: the customer blocked the bot or unsubscribed (``reachable`` false, ``cause``
    ``blocked`` or ``unsubscribed``), or unblocked it. Kept out of the transcript; the core decides
    what follows (:mod:`bot.reachability`)."""

    reachable: bool
    cause: str = ""


Payload = Text | ChoicePicked | Command | Unsupported | Resume | Reachability


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message from a customer, as every adapter reports it.

    ``platform_id`` is the platform's own id for this delivery (Telegram ``update_id``, WeChat
    ``MsgId``, WhatsApp ``wamid``); it is the dedupe key together with channel and account.
    """

    channel: str
    account: str
    user: str
    platform_id: str
    received_at: datetime
    payload: Payload
    thread: str = ""
    display_name: str = ""
    locale: str = ""
    extra: dict[str, str] = field(default_factory=dict)

"""The small interfaces the core talks through; adapters, nlu and storage implement them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.classification import Classification
from bot.prompts import Prompt


class Clock(Protocol):
    """Where the core reads the time; tests and ``csatbot chat /tick`` move it."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """The real clock shifted by an offset that ``advance`` grows (used by ``csatbot chat``)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


class Classifier(Protocol):
    """Sorts customer messages by intent and sentiment (the ``nlu`` package implements it).

    ``classify`` is synchronous and CPU-bound; the service calls it off the event loop, batched.
    """

    @property
    def ready(self) -> bool: ...

    def classify(self, texts: Sequence[str]) -> list[Classification]: ...


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a channel can draw; rendering falls back to lists or numbered text beyond these."""

    max_buttons: int = 0
    max_buttons_per_row: int = 0
    max_option_id_bytes: int = 64
    max_button_label: int = 64
    max_list_rows: int = 0
    max_list_label: int = 24
    max_text: int = 4096
    can_edit: bool = False
    window: timedelta | None = None
    """How long after the customer's last message the bot may write (None: any time)."""
    reopens_window: bool = False
    """Whether the channel can start a survey outside the window (e.g. an approved template)."""
    confirm_wait: timedelta | None = None
    """How long the platform takes at most to confirm a message it accepted (WhatsApp's status
    webhooks echo our outbox id): a send whose outcome is unknown waits this long for it before it
    is sent again. ``None``: the platform confirms nothing, so such a send is retried."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where an outbound message goes."""

    channel: str
    account: str
    user: str
    thread: str = ""
    locale: str = ""
    last_inbound_at: datetime | None = None
    """When the customer last wrote on this channel (for platforms' messaging windows)."""
    reference: str = ""
    """Our id for the message (``outbox:<id>``), for platforms that echo one back (WhatsApp's
    ``biz_opaque_callback_data``) so their confirmations can be matched."""

    def as_json(self) -> dict[str, Any]:
        """The form the outbox stores (``reference`` is not kept: it names the outbox row itself)."""
        return {
            "channel": self.channel,
            "account": self.account,
            "user": self.user,
            "thread": self.thread,
            "locale": self.locale,
            "last_inbound_at": self.last_inbound_at.isoformat() if self.last_inbound_at else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], reference: str = "") -> Recipient:
        """The recipient :meth:`as_json` stored (``KeyError`` without a channel or user)."""
        last_inbound = data.get("last_inbound_at")
        return cls(
            channel=data["channel"],
            account=data.get("account", ""),
            user=data["user"],
            thread=data.get("thread", ""),
            locale=data.get("locale", ""),
            last_inbound_at=datetime.fromisoformat(last_inbound) if last_inbound else None,
            reference=reference,
        )


@dataclass(frozen=True, slots=True)
class WebhookAddress:
    """A ticketing system's webhook (``tickets.webhook_url``): the outbox posts the ticket there."""

    url: str

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url}


@dataclass(frozen=True, slots=True)
class NotifyTarget:
    """A notification target of config.yaml (``notifications.targets``), by its name."""

    name: str

    def as_json(self) -> dict[str, Any]:
        return {"target": self.name}


Addressee = Recipient | WebhookAddress | NotifyTarget
"""Where an outbox row goes: a customer's chat, a webhook, or a notification target."""


@dataclass(frozen=True, slots=True)
class Sent:
    """The platform's id of a message it accepted (empty when the platform gives none)."""

    platform_id: str = ""


class Channel(Protocol):
    """One chat platform, seen from the core: it can only send."""

    name: str
    capabilities: Capabilities

    async def send(self, to: Recipient, prompt: Prompt) -> Sent: ...


class Meter(Protocol):
    """Counts what happened, for operators (``csatbot.metrics``). Event names and label values come
    from small fixed sets (channels, outcomes, intents), never from customer data."""

    def count(self, event: str, /, **labels: str) -> None: ...

    def observe(self, event: str, seconds: float, /, **labels: str) -> None: ...


class NoMeter:
    """A :class:`Meter` that keeps nothing (tests, the CLI)."""

    def count(self, event: str, /, **labels: str) -> None:
        return None

    def observe(self, event: str, seconds: float, /, **labels: str) -> None:
        return None

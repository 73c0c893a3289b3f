"""Plain records the core reads from storage (storage maps its rows to these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.survey import SurveyState


@dataclass(frozen=True, slots=True)
class Identity:
    """A customer's account on one channel."""

    id: int
    customer_id: int
    channel: str
    account: str
    user: str
    display_name: str = ""
    locale: str = ""
    last_inbound_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    customer_id: int
    identity_id: int
    channel: str
    status: str
    opened_at: datetime
    last_message_at: datetime
    resolution: str | None = None
    agents: tuple[str, ...] = ()
    waiting_on: str = "support"
    """``support`` (the customer wrote last, or a ticket is open) or ``customer`` (someone answered)."""


@dataclass(frozen=True, slots=True)
class Survey:
    id: str
    customer_id: int
    conversation_id: int
    identity_id: int
    channel: str
    flow_id: str
    flow_version: str
    state: SurveyState
    due_at: datetime
    sent_at: datetime | None = None
    kind: str = "main"
    """``main``, or ``followup``: the re-survey after the conversation's DSAT ticket was resolved."""
    ticket_id: int | None = None


@dataclass(frozen=True, slots=True)
class AutoAnswer:
    """An automatic answer waiting for (or settled by) the customer's "Did this solve it?"."""

    id: str
    conversation_id: int
    intent: str
    status: str
    """``pending``, ``yes``, ``no``, ``silent`` or ``moved_on``."""
    sent_at: datetime
    locale: str = ""


@dataclass(frozen=True, slots=True)
class DueTimer:
    """A timer claimed for firing: ``kind`` and its subject (a survey id or a conversation id)."""

    id: int
    kind: str
    subject: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One delivery claimed from the outbox."""

    id: int
    kind: str
    channel: str
    recipient: dict[str, Any]
    body: dict[str, Any]
    attempts: int
    previous: str = ""
    """What became of the attempt before this claim: "" (nothing pending), ``interrupted`` (its
    worker died during the platform call: maybe sent) or ``unconfirmed`` (no answer came and the
    platform did not confirm it in time)."""
    attempt_at: datetime | None = None
    """When that previous, unfinished attempt's call began."""


OPEN_TICKET_STATUSES = ("open", "assigned", "contacted")


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    customer_id: int
    conversation_id: int
    team: str
    status: str
    reasons: tuple[str, ...]
    survey_id: str | None = None
    created_at: datetime | None = None
    sla_due_at: datetime | None = None
    answers: tuple[dict[str, Any], ...] = field(default=())
    transcript: tuple[dict[str, Any], ...] = field(default=())
    assignee: str | None = None
    priority: str = "normal"
    intent: str | None = None
    sentiment: str | None = None
    resolved_at: datetime | None = None
    first_response_due_at: datetime | None = None
    first_responded_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Still being worked (open, assigned or contacted)."""
        return self.status in OPEN_TICKET_STATUSES

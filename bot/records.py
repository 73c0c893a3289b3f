"""Plain records the core reads from storage (storage maps its rows to these)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeAlias

from bot.survey import SurveyState

MAX_ROW_ID = 2**31 - 1
"""The largest row id (PostgreSQL ``integer``; ``models.MAX_ROW_ID`` is this one): a larger number
that a platform echoes back, or a request names, is no row, and the database would refuse it."""


def row_id(text: str) -> int | None:
    """``text`` as a row id (ASCII digits, 1 to :data:`MAX_ROW_ID`), ``None`` for anything else.

    A platform echoes ids in button data and message references: ``str.isdigit`` takes ``"²"``,
    which ``int`` refuses (a ValueError failed the webhook and every retry of its turn)."""
    if not (0 < len(text) <= len(str(MAX_ROW_ID)) and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ROW_ID else None


JsonValue: TypeAlias = "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"
"""A JSON document kept as it was written (a prompt, what a reply was recorded as)."""


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
    unreachable: str | None = None
    """Why messages cannot reach this account now (the customer blocked the bot, unsubscribed)."""


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
class KeyedRequest:
    """A support-API request sent with an ``Idempotency-Key``: whose key (``account``), the key, and
    ``digest``, what was asked (its route and body), so the key cannot be reused for another request."""

    account: str
    key: str
    digest: str


@dataclass(frozen=True, slots=True)
class FirstAnswer:
    """What the first request with a key was (``digest``), made (``result``: a message or ticket id)
    and answered where its id cannot say it (``answer``), and when it came (``at``)."""

    digest: str
    result: int | None
    at: datetime
    answer: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One delivery claimed from the outbox."""

    id: int
    kind: str
    channel: str
    recipient: dict[str, Any]
    """Where it goes as stored: ``bot.delivery.addressee`` reads it back as a ``bot.ports.Addressee``."""
    body: dict[str, Any]
    attempts: int
    attempt_at: datetime | None = None
    """When an earlier attempt's platform call began, if neither its outcome nor the platform's
    confirmation was recorded: its worker died or lost its lease during the call, or the platform
    answered nothing and did not confirm it in time. The platform may have the message."""


@dataclass(frozen=True, slots=True)
class MessageLabels:
    """What triage read in a customer message, and what it did with it."""

    intent: str
    intent_confidence: float | None = None
    sentiment: str | None = None
    sentiment_confidence: float | None = None
    needs_human: float | None = None
    triage: str | None = None
    """What triage did and why (shown to agents), once it acted."""

    def as_json(self) -> JsonObject:
        return {
            "intent": self.intent,
            "intent_confidence": self.intent_confidence,
            "sentiment": self.sentiment,
            "sentiment_confidence": self.sentiment_confidence,
            "needs_human": self.needs_human,
            "triage": self.triage,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MessageLabels:
        return cls(
            intent=data["intent"],
            intent_confidence=data.get("intent_confidence"),
            sentiment=data.get("sentiment"),
            sentiment_confidence=data.get("sentiment_confidence"),
            needs_human=data.get("needs_human"),
            triage=data.get("triage"),
        )


@dataclass(frozen=True, slots=True)
class TranscriptMessage:
    """One message of a conversation, as a person reads it (a ticket keeps a copy of them)."""

    id: int
    conversation_id: int | None
    direction: str
    """``in`` (the customer's) or ``out`` (the bot's or an agent's)."""
    author: str
    text: str
    at: datetime
    prompt: JsonObject | None = None
    """An outgoing message's prompt (``bot.prompts.prompt_to_dict``)."""
    recorded: JsonObject | None = None
    """What a customer's reply was recorded as (survey, step, value)."""
    survey_id: str | None = None
    classification: MessageLabels | None = None

    def as_json(self) -> JsonObject:
        """The message as the APIs and tickets show it (keys that do not apply are left out)."""
        data: JsonObject = {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "direction": self.direction,
            "author": self.author,
            "text": self.text,
            "at": self.at.isoformat(),
        }
        if self.prompt is not None:
            data["prompt"] = self.prompt
        if self.recorded is not None:
            data["recorded"] = self.recorded
        if self.survey_id is not None:
            data["survey_id"] = self.survey_id
        if self.classification is not None:
            data["classification"] = self.classification.as_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TranscriptMessage:
        """The message :meth:`as_json` wrote (a ticket's copy)."""
        labels = data.get("classification")
        return cls(
            id=data["id"],
            conversation_id=data.get("conversation_id"),
            direction=data["direction"],
            author=data["author"],
            text=data["text"],
            at=datetime.fromisoformat(data["at"]),
            prompt=data.get("prompt"),
            recorded=data.get("recorded"),
            survey_id=data.get("survey_id"),
            classification=MessageLabels.from_json(labels) if labels else None,
        )


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    """One stored answer of a survey, as a person reads it (a ticket keeps a copy of them)."""

    step: str
    kind: str
    at: datetime
    score: int | None = None
    option: str | None = None
    text: str | None = None
    sentiment: str | None = None

    def as_json(self) -> JsonObject:
        """The answer as the APIs and tickets show it (values that are not set are left out)."""
        data: JsonObject = {"step": self.step, "kind": self.kind, "at": self.at.isoformat()}
        for key, value in (
            ("score", self.score),
            ("option", self.option),
            ("text", self.text),
            ("sentiment", self.sentiment),
        ):
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SurveyAnswer:
        """The answer :meth:`as_json` wrote (a ticket's copy)."""
        return cls(
            step=data["step"],
            kind=data["kind"],
            at=datetime.fromisoformat(data["at"]),
            score=data.get("score"),
            option=data.get("option"),
            text=data.get("text"),
            sentiment=data.get("sentiment"),
        )


def first_score(answers: Sequence[SurveyAnswer]) -> int | None:
    """The survey's rating among ``answers``, if it has one."""
    return next((a.score for a in answers if a.score is not None), None)


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
    answers: tuple[SurveyAnswer, ...] = field(default=())
    """The survey answers copied when the ticket opened (or a survey added them)."""
    transcript: tuple[TranscriptMessage, ...] = field(default=())
    """The conversation as it stood when the ticket opened or the customer last wrote."""
    assignee: str | None = None
    priority: str = "normal"
    intent: str | None = None
    sentiment: str | None = None
    resolved_at: datetime | None = None
    first_response_due_at: datetime | None = None
    first_responded_at: datetime | None = None

    @property
    def score(self) -> int | None:
        """The rating among the copied survey answers, if there is one."""
        return first_score(self.answers)

    @property
    def is_open(self) -> bool:
        """Still being worked (open, assigned or contacted)."""
        return self.status in OPEN_TICKET_STATUSES

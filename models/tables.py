"""The tables. Times are aware UTC in Python, naive UTC on disk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot import records
from models.types import UTCDateTime

# Row ids are PostgreSQL ``integer``s (SQLite's are wider, but both databases must agree): an id or
# cursor a request names beyond this is refused, not sent to the database. One value, the core's.
MAX_ROW_ID = records.MAX_ROW_ID


def _at(*, index: bool = False, nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), index=index, nullable=nullable))


class Customer(SQLModel, table=True):
    """A person, whatever channels they use."""

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = ""
    locale: str = ""
    created_at: datetime = _at()
    last_surveyed_at: datetime | None = _at(nullable=True)


class Identity(SQLModel, table=True):
    """A customer's account on one channel (a Telegram user, a WeChat OpenID, a phone number)."""

    __table_args__ = (UniqueConstraint("channel", "account", "user", name="uq_identity_platform_user"),)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    channel: str = Field(max_length=32)
    account: str = Field(default="", max_length=128)
    user: str = Field(max_length=256)
    display_name: str = ""
    locale: str = ""
    last_inbound_at: datetime | None = _at(nullable=True)
    created_at: datetime = _at()
    unreachable: str | None = Field(default=None, max_length=64)
    """Why our messages cannot reach this account now ("customer blocked the bot", "customer
    unsubscribed"), ``None`` while they can; cleared when the customer comes back or writes."""
    unreachable_since: datetime | None = _at(nullable=True)


class Conversation(SQLModel, table=True):
    """A support conversation on one channel, from first message to resolution."""

    __table_args__ = (
        Index("ix_conversation_identity_status", "identity_id", "status"),
        # Operational FCR reads the conversations resolved, or opened, in a report's range.
        Index("ix_conversation_resolved_at", "resolved_at"),
        Index("ix_conversation_opened_at", "opened_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    identity_id: int = Field(foreign_key="identity.id")
    channel: str = Field(max_length=32, index=True)
    status: str = Field(default="open", max_length=16)
    resolution: str | None = Field(default=None, max_length=32)
    resolved_by: str | None = None
    agents: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    team: str | None = None
    waiting_on: str = Field(default="support", max_length=16)
    """Who owes the next message: ``support`` (the customer wrote last, or a ticket is open) or
    ``customer`` (an agent or the bot answered). Only a conversation waiting on the customer ends
    when it is idle."""
    opened_at: datetime = _at()
    last_message_at: datetime = _at()
    resolved_at: datetime | None = _at(nullable=True)


class Message(SQLModel, table=True):
    """One message in or out; ``payload`` holds the prompt for bot questions."""

    __table_args__ = (Index("ix_message_identity_id", "identity_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id", index=True)
    identity_id: int = Field(foreign_key="identity.id")
    direction: str = Field(max_length=3)
    author: str = Field(max_length=64)
    text: str = ""
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    platform_id: str | None = None  # a customer's message's id on the platform (ours: on the outbox row)
    survey_id: str | None = Field(default=None, max_length=16)
    intent: str | None = None
    intent_confidence: float | None = None
    sentiment: str | None = None
    sentiment_confidence: float | None = None
    needs_human: float | None = None  # the model's probability that the customer should reach a person
    triage: str | None = Field(default=None, max_length=200)  # what triage did and why (for agents)
    created_at: datetime = _at()


class AutoAnswer(SQLModel, table=True):
    """An automatic answer and what the customer made of it: ``pending`` while the bot waits for
    "Did this solve it?", then ``yes``, ``no`` (a person took over), ``silent`` (no answer in time:
    counted as solved) or ``moved_on`` (the customer went on to something else)."""

    __table_args__ = (Index("ix_autoanswer_sent_intent", "sent_at", "intent"),)
    id: str = Field(primary_key=True, max_length=16)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    customer_id: int = Field(foreign_key="customer.id")
    channel: str = Field(max_length=32)
    locale: str = Field(default="", max_length=16)
    intent: str = Field(max_length=64)
    intent_confidence: float | None = None
    message_id: int | None = Field(default=None, foreign_key="message.id")
    """The customer message that was answered."""
    status: str = Field(default="pending", max_length=16)
    how: str | None = Field(default=None, max_length=16)
    """How the outcome came: ``tap``, ``typed``, ``implied`` (read from another message) or ``timer``."""
    sent_at: datetime = _at()
    decided_at: datetime | None = _at(nullable=True)


class InboundReceipt(SQLModel, table=True):
    """Platform message ids already handled: the dedupe table."""

    channel: str = Field(primary_key=True, max_length=32)
    account: str = Field(primary_key=True, max_length=128)
    platform_id: str = Field(primary_key=True, max_length=256)
    received_at: datetime = _at()


class SignedRequest(SQLModel, table=True):
    """The first body a WeChat plain-mode signed request carried (a signature that covers no body),
    kept until ``expires_at`` so that every process refuses another body under that signature. Both
    are digests: nothing of the customer. Dropped by the retention sweep once expired."""

    __tablename__ = "signed_request"
    channel: str = Field(primary_key=True, max_length=32)
    signed: str = Field(primary_key=True, max_length=64)
    body: str = Field(max_length=64)
    expires_at: datetime = _at(index=True)


class InboxRow(SQLModel, table=True):
    """A verified platform update, stored raw before it is acknowledged; turns run from here.

    ``(channel, key)`` is the platform's update or message id: a redelivery is not stored twice. A
    worker claims pending rows (``claimed_by`` until ``claimed_until``) and marks them ``done``.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "key", name="uq_inbox_channel_key"),
        Index("ix_inbox_status_id", "status", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    key: str = Field(max_length=256)
    sender: str = Field(default="", max_length=128)
    """Whose update it is: one sender's updates are handled in the order they came."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    received_at: datetime = _at()
    status: str = Field(default="pending", max_length=16)
    """``pending``, ``done``, or ``failed`` (gave up after many attempts; ``error`` says why)."""
    attempts: int = 0
    error: str | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = _at(nullable=True)
    done_at: datetime | None = _at(nullable=True)


class FlowVersion(SQLModel, table=True):
    """The exact flow a survey runs, kept so config edits never change a survey under way."""

    version: str = Field(primary_key=True, max_length=16)
    flow_id: str = Field(max_length=32)
    body: str
    created_at: datetime = _at()


class Survey(SQLModel, table=True):
    """One survey sent (or to be sent) for one conversation: its ``main`` survey and, after a DSAT
    ticket is resolved, at most one ``followup`` ("Is it solved now?").

    The scores, the credited agents, the team and the intent are copied onto the row (as answers are
    recorded, and when the conversation is resolved) so reports aggregate one table instead of
    joining every answer and every agent.
    """

    __table_args__ = (
        UniqueConstraint("conversation_id", "kind", name="uq_survey_conversation_kind"),
        Index("ix_survey_identity_status", "identity_id", "status"),
        Index("ix_survey_kind_sent", "kind", "sent_at"),
    )
    id: str = Field(primary_key=True, max_length=16)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id")
    identity_id: int = Field(foreign_key="identity.id")
    channel: str = Field(max_length=32, index=True)
    flow_id: str = Field(max_length=32)
    flow_version: str = Field(foreign_key="flowversion.version", max_length=16)
    locale: str = ""
    status: str = Field(default="pending", max_length=16, index=True)
    state: str = ""
    escalated: bool = False
    skip_reason: str | None = None
    created_at: datetime = _at(index=True)
    due_at: datetime = _at()
    sent_at: datetime | None = _at(nullable=True, index=True)
    finished_at: datetime | None = _at(nullable=True)
    kind: str = Field(default="main", max_length=8)
    ticket_id: int | None = Field(default=None, index=True)
    """A follow-up's ticket (no foreign key: ``ticket.survey_id`` already points at the survey table)."""
    team: str | None = Field(default=None, max_length=64)
    intent: str | None = Field(default=None, max_length=64)
    responded: bool = False
    csat: int | None = None
    nps: int | None = None
    ces: int | None = None
    fcr: bool | None = None
    """The answer to the flow's first-contact-resolution question (a ``yes_no`` step with ``fcr``)."""
    step: str | None = Field(default=None, max_length=32)
    """The question the survey waits on, kept when it closes half answered (``partial``): where
    customers stop."""
    opened_at: datetime | None = _at(nullable=True)
    """When the customer first saw the survey, where the channel says (WhatsApp read status, the web
    chat showing it)."""
    agents: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """Who the survey is credited to: the agents who handled the conversation, ``bot`` when the bot
    resolved it (see ``bot.attribution``). A survey with two agents counts for each."""
    experiment: str | None = Field(default=None, max_length=32, index=True)
    """The trigger's experiment this survey was sent under (``bot.experiments``), with its ``variant``."""
    variant: str | None = Field(default=None, max_length=32)


class Answer(SQLModel, table=True):
    """One answered survey step; the unique key absorbs double taps and webhook retries."""

    __table_args__ = (UniqueConstraint("survey_id", "step", name="uq_answer_survey_step"),)
    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(foreign_key="survey.id", max_length=16, index=True)
    step: str = Field(max_length=32)
    kind: str = Field(max_length=8)
    score: int | None = None
    option: str | None = None
    text: str | None = None
    raw: str = ""
    sentiment: str | None = None
    created_at: datetime = _at()


class Ticket(SQLModel, table=True):
    """An escalation to a human team (a DSAT handoff)."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    survey_id: str | None = Field(default=None, foreign_key="survey.id", max_length=16, index=True)
    team: str
    status: str = Field(default="open", max_length=16, index=True)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    transcript: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    answers: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    assignee: str | None = Field(default=None, max_length=64, index=True)
    priority: str = Field(default="normal", max_length=16)
    intent: str | None = Field(default=None, max_length=64)
    sentiment: str | None = Field(default=None, max_length=16)
    created_at: datetime = _at()
    updated_at: datetime = _at()
    sla_due_at: datetime = _at()
    resolved_at: datetime | None = _at(nullable=True)
    first_response_due_at: datetime | None = _at(nullable=True)
    """When an agent must first reply by (the team's ``first_response`` for the priority), if set."""
    first_responded_at: datetime | None = _at(nullable=True)
    """When an agent first replied to the customer (or resolved the ticket) after it opened."""


class TicketEvent(SQLModel, table=True):
    """The audit trail of a ticket: who did what, when."""

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: datetime = _at()
    actor: str = Field(max_length=64)
    action: str = Field(max_length=32)
    detail: str = ""


class Outbox(SQLModel, table=True):
    """Something to deliver after the transaction that decided it has committed."""

    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_channel_platform_id", "channel", "platform_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    channel: str = Field(default="", max_length=32)
    recipient: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    body: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message_id: int | None = Field(default=None, foreign_key="message.id")
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    last_error: str | None = None
    platform_id: str | None = None
    created_at: datetime = _at()
    next_attempt_at: datetime = _at()
    """When a pending row is due; for a ``sending`` row, when its lease ends; for an ``unknown``
    one, when to stop waiting for the platform to confirm it and send it again."""
    sent_at: datetime | None = _at(nullable=True)
    attempt_at: datetime | None = _at(nullable=True)
    """When the platform call of the current attempt began (recorded before the call): a row
    still ``sending`` with it set was maybe sent; its outcome is reconciled, not guessed."""
    claimed_by: str | None = Field(default=None, max_length=64)
    """The worker holding the lease (a restarted worker takes its own rows back at once)."""


class Timer(SQLModel, table=True):
    """A due time: send a survey, remind, expire, or close an idle conversation."""

    __table_args__ = (
        UniqueConstraint("kind", "subject", name="uq_timer_kind_subject"),
        Index("ix_timer_status_due", "status", "due_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    subject: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=16)
    due_at: datetime = _at()
    claimed_until: datetime | None = _at(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = _at()


class User(SQLModel, table=True):
    """A console user: an ``agent`` works tickets, an ``admin`` also sees config and all reports."""

    __tablename__ = "console_user"  # "user" is a reserved word in PostgreSQL
    __table_args__ = (UniqueConstraint("username", name="uq_console_user_username"),)
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="agent", max_length=16)
    display_name: str = ""
    locale: str = Field(default="", max_length=16)
    created_at: datetime = _at()
    last_login_at: datetime | None = _at(nullable=True)


class LinkToken(SQLModel, table=True):
    """A deep link (``t.me/<bot>?start=<token>``) that attaches one chat to this customer: used once,
    then deleted; unused ones expire. Only the token's SHA-256 is stored."""

    __tablename__ = "link_token"
    token_hash: str = Field(primary_key=True, max_length=64)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    created_at: datetime = _at()
    expires_at: datetime = _at()


class ConsoleSession(SQLModel, table=True):
    """A signed-in console session. The cookie carries a random id whose SHA-256 is this row's key;
    deleting the row (sign-out, password change, user removal) ends the session at once."""

    __tablename__ = "console_session"
    id: str = Field(primary_key=True, max_length=64)
    username: str = Field(max_length=64, index=True)
    created_at: datetime = _at()
    expires_at: datetime = _at()


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per key (a user name from one address, or an address), counted before the
    password is checked so parallel guesses cannot slip past the limit (see ``csatbot.console.throttle``)."""

    __tablename__ = "login_throttle"
    key: str = Field(primary_key=True, max_length=200)
    failures: int = 0
    last_failure_at: datetime = _at()


class ApiToken(SQLModel, table=True):
    """A bearer token for the support API: requests with it act as ``name`` with ``role``. Only the
    token's SHA-256 is stored; revoking deletes the row."""

    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_api_token_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, index=True)
    role: str = Field(max_length=16)
    token_hash: str = Field(max_length=64)
    created_at: datetime = _at()


class ApiRequest(SQLModel, table=True):
    """A support-API request sent with an ``Idempotency-Key``: the key is the caller's, taken by the
    first request with it (``digest``: its route and body) in the transaction that did the work, with
    what it made (``result``: the reply's message id, the ticket's id) and, where an id cannot say it,
    what it answered (``answer``: a resolve's survey plan); a repeat answers that, another request with
    the key is refused. Holds no words (erasure needs nothing here); forgotten with the dedupe receipts."""

    __tablename__ = "api_request"
    account: str = Field(primary_key=True, max_length=128)
    key: str = Field(primary_key=True, max_length=128)
    digest: str = Field(max_length=64)
    result: int | None = None
    answer: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    received_at: datetime = _at(index=True)


class AuditEvent(SQLModel, table=True):
    """Who did what to whom, for actions that concern a customer as a whole (erasure): never what was
    there. ``subject`` names the target (``customer 42``)."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _at(index=True)
    actor: str = Field(max_length=80)
    action: str = Field(max_length=32)
    subject: str = Field(max_length=80)


class RateBucket(SQLModel, table=True):
    """One shared rate limit's bucket (a bot token, a chat, a WhatsApp number, a notification
    target): every process of a deployment takes its sends from the same row."""

    __tablename__ = "rate_bucket"
    key: str = Field(primary_key=True, max_length=200)
    level: float = 0.0
    """How full the leaky bucket is (messages), as of ``updated``."""
    updated: float = 0.0
    """Seconds since the epoch (the database's rows need no time zone for this)."""


class ConfigSnapshot(SQLModel, table=True):
    """The text of the last ``config.yaml`` that loaded cleanly: a restart with a broken file serves it."""

    __tablename__ = "config_snapshot"
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=500)
    text: str
    sha256: str = Field(max_length=64)
    loaded_at: datetime = _at()


class SavedFilter(SQLModel, table=True):
    """A console user's named queue filter (the query string of the queue page)."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("username", "name", name="uq_saved_filter_username_name"),)
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, index=True)
    name: str = Field(max_length=64)
    query: str = Field(max_length=500)
    created_at: datetime = _at()


class Theme(SQLModel, table=True):
    """One comment theme of a fit (``generation``; reports read the newest): its label terms, its
    centroid (float32 bytes) and its members' 10th-percentile similarity at fitting time (``floor``:
    a new comment below it is off the theme). Two processes fitting at once cannot both write a
    generation: the second one's insert fails on the unique key."""

    __table_args__ = (UniqueConstraint("generation", "number", name="uq_theme_generation_number"),)
    id: int | None = Field(default=None, primary_key=True)
    generation: int = Field(index=True)
    number: int
    """0 for the largest theme of its generation, then by size."""
    label: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    centroid: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    floor: float
    size: int
    """Comments in the theme when it was fitted."""
    model_id: str = Field(default="", max_length=64)
    fitted_at: datetime = _at()


class CommentTheme(SQLModel, table=True):
    """A survey comment's sentence embedding (float16 bytes, by ``model_id``), computed once, and
    its theme: the nearest centroid of the newest generation, or none before themes exist.
    ``fitted``: the comment was in the fit (else assigned after it, and ``off`` when below its
    theme's floor); what decides when to fit again."""

    __tablename__ = "comment_theme"
    answer_id: int = Field(primary_key=True, foreign_key="answer.id")
    survey_id: str = Field(foreign_key="survey.id", max_length=16, index=True)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    model_id: str = Field(default="", max_length=64)
    theme_id: int | None = Field(default=None, foreign_key="theme.id", index=True)
    similarity: float | None = None
    fitted: bool = False
    off: bool = False
    created_at: datetime = _at()

"""What the support API answers (``/api/...``), as pydantic models so ``/openapi.json`` documents it.

Times the storage queries render are ISO 8601 strings. Keys that appear only when they apply are
optional fields here, and their routes set ``response_model_exclude_unset`` so the body keeps only
the keys the query gave. The reports are open-ended tables (one entry per dimension value):
their models name the top-level keys and allow the rest (``extra="allow"``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Iso = str
"""A time as ISO 8601 text (as the queries write it)."""


UNREACHABLE = (
    "why nothing we send can reach the customer on this channel now ('customer blocked the bot', "
    "'customer unsubscribed', 'customer erased'; null while it can): replies are refused (409) and "
    "no survey is sent"
)


class CustomerRef(BaseModel):
    id: int
    name: str
    user: str | None = Field(default=None, description="the channel's user id (conversations only)")
    unreachable: str | None = Field(default=None, description=UNREACHABLE)
    unreachable_since: Iso | None = None


class Classification(BaseModel):
    """What triage read in a customer message (copies on tickets opened before a label existed lack it)."""

    intent: str
    intent_confidence: float | None = None
    sentiment: str | None = None
    sentiment_confidence: float | None = None
    needs_human: float | None = None
    triage: str | None = None


class TranscriptMessage(BaseModel):
    id: int
    conversation_id: int | None
    direction: str
    author: str
    text: str
    at: Iso
    prompt: dict[str, Any] | None = Field(default=None, description="a bot question")
    recorded: dict[str, Any] | None = Field(default=None, description="what a reply was recorded as")
    survey_id: str | None = None
    classification: Classification | None = None


class SurveyAnswer(BaseModel):
    step: str
    kind: str
    at: Iso
    score: int | None = None
    option: str | None = None
    text: str | None = None
    sentiment: str | None = None


class TicketRow(BaseModel):
    """A ticket as lists show it."""

    id: int
    status: str
    team: str
    customer_id: int
    conversation_id: int
    survey_id: str | None
    reasons: list[str]
    answers: list[SurveyAnswer] = Field(description="the survey answers copied when it opened")
    assignee: str | None
    priority: str
    intent: str | None
    sentiment: str | None
    created_at: Iso
    updated_at: Iso
    sla_due_at: Iso
    resolved_at: Iso | None
    first_response_due_at: Iso | None
    first_responded_at: Iso | None
    sla_met: bool | None
    first_response_met: bool | None
    channel: str | None = None
    customer: CustomerRef | None = None


class TicketEvent(BaseModel):
    at: Iso
    actor: str
    action: str
    detail: str


class ChannelIdentity(BaseModel):
    channel: str
    account: str
    user: str
    name: str | None
    unreachable: str | None = Field(default=None, description=UNREACHABLE)
    unreachable_since: Iso | None = None


class TicketDetail(TicketRow):
    """One ticket: its row, the transcript copied when it opened, the audit trail and every channel
    identity of its customer."""

    transcript: list[TranscriptMessage] = Field(description="the conversation copied onto the ticket")
    events: list[TicketEvent]
    identities: list[ChannelIdentity]


class SurveyDetail(BaseModel):
    id: str
    kind: str
    flow: str
    status: str
    channel: str
    escalated: bool
    skip_reason: str | None
    due_at: Iso
    sent_at: Iso | None
    opened_at: Iso | None
    answers: list[SurveyAnswer]


class ConversationRow(BaseModel):
    id: int
    status: str
    channel: str
    customer: CustomerRef
    agents: list[str]
    resolution: str | None
    opened_at: Iso
    last_message_at: Iso
    resolved_at: Iso | None


class ConversationDetail(ConversationRow):
    """One conversation: transcript, the main survey, the follow-up after a DSAT ticket (each only
    when there is one) and the ticket."""

    transcript: list[TranscriptMessage]
    survey: SurveyDetail | None = None
    followup: SurveyDetail | None = None
    ticket: TicketRow | None


class ReplySent(BaseModel):
    message_id: int


class CustomerLink(BaseModel):
    token: str
    expires_at: Iso
    telegram: str | None = Field(default=None, description="the t.me deep link, when Telegram is on")


class Erased(BaseModel):
    customer_id: int
    erased: dict[str, int] = Field(description="rows emptied or anonymised, by kind")


class Health(BaseModel):
    status: str


class ReadinessDocument(BaseModel):
    """``/readyz``: ``ready`` (200) or ``not ready`` (503) with each check's findings and, in words,
    what is wrong."""

    status: str = Field(description="ready or not ready")
    checks: dict[str, dict[str, Any]] = Field(description="per check (database, model, outbox, inbox...)")
    problems: list[str] = Field(description="empty when ready")
    worker: str = Field(description="the answering process's lease owner id")


class Report(BaseModel):
    """An open-ended report: the keys named here, and the tables the route's description names."""

    model_config = ConfigDict(extra="allow")


class RangedReport(Report):
    since: Iso
    until: Iso


class CsatReport(RangedReport):
    timezone: str
    filters: dict[str, str]
    min_answers: int
    total: dict[str, Any]
    by: dict[str, dict[str, Any]]
    by_channel: dict[str, Any]
    by_day: dict[str, Any]
    surveys: Any


class SurveyPage(Report):
    total: int
    limit: int
    offset: int
    surveys: list[dict[str, Any]]


class RecoveryReport(RangedReport):
    min_answers: int
    total: dict[str, Any]
    by_team: dict[str, Any]
    by_assignee: dict[str, Any]


class AutoAnswerReport(RangedReport):
    total: dict[str, Any]
    by_intent: dict[str, Any]


class Fcr(Report):
    answered: dict[str, Any]
    operational: dict[str, Any]


class FunnelReport(Report):
    total: dict[str, Any]
    by_flow: dict[str, Any]
    by_channel: dict[str, Any]
    steps: dict[str, Any]
    drop_step: dict[str, Any]
    opened_not_reported: list[str]


class DriversReport(Report):
    n: int
    dsat: int
    min_n: int
    method: str
    fix_first: list[dict[str, Any]]
    drivers: list[dict[str, Any]]


class DigestReport(Report):
    praises: list[dict[str, Any]]
    agents: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    sent_at: Iso | None
    targets: Any
    schedule: dict[str, Any] | None


class ThemesReport(Report):
    model: str = Field(description="the encoder: ready, missing or failed")
    unassigned: int
    min_n: int
    method: str
    themes: list[dict[str, Any]]


class Reason(Report):
    """An option picked in a low-score follow-up question."""

    flow: str
    step: str
    option: str
    label: Any = Field(description="the option's label by locale")
    count: int
    n: int = Field(description="answers to the step")
    share: float


class GoodComment(Report):
    """A comment from a satisfied survey or with a positive sentiment."""

    survey_id: str
    sent_at: Iso | None
    customer: CustomerRef
    channel: str
    agents: list[str]
    team: str | None
    text: Any


class Experiment(Report):
    """An experiment: its variants against the control, and per rate a verdict."""

    experiment: str
    running: bool
    survey: str | None
    variants: list[dict[str, Any]]

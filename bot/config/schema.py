"""The shape of ``config.yaml``: pydantic models that reject unknown keys.

These models check each value on its own; :mod:`bot.config.checks` then checks how the parts refer
to each other (``next`` names a real step, every locale has every text, ...).
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.config.channels import ChannelsConfig
from bot.config.digest import DigestPolicy
from bot.config.durations import Duration, format_duration
from bot.config.experiments import Experiment
from bot.config.notifications import NotificationsConfig
from bot.config.priorities import FALLBACK as FALLBACK_PRIORITY
from bot.config.priorities import PRIORITIES, PerPriority, Priority, format_per_priority
from bot.config.privacy import MaskKind, RetentionPolicy
from bot.config.secrets import WEBHOOK_URL

Localized = dict[str, Annotated[str, Field(min_length=1)]]
"""A text per locale, e.g. ``{en: "Thanks!", zh-CN: "谢谢！"}``."""

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
StepType = Literal["csat", "nps", "ces", "choice", "yes_no", "text", "end"]
RATING_TYPES: frozenset[str] = frozenset({"csat", "nps", "ces"})
SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
YES_NO: tuple[str, str] = ("yes", "no")
"""The option ids of a ``yes_no`` step (branch on them with ``when: {options: [no]}``)."""


def _duration_defaults(schema: dict[str, Any], model: type[Any]) -> None:
    """Show duration defaults in the JSON Schema as admins write them (``30d``, not ``P30D``)."""
    for name, prop in schema.get("properties", {}).items():
        field = model.model_fields.get(name)
        if field is not None and isinstance(field.default, timedelta):
            prop["default"] = format_duration(field.default)
        elif field is not None and isinstance(field.default, dict) and name in ("sla", "first_response"):
            prop["default"] = format_per_priority(field.default)


class Strict(BaseModel):
    """Base of every config model: unknown keys are errors and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_duration_defaults)


class Condition(Strict):
    """When a branch applies: a score range on rating steps, picked options on choice steps."""

    min: int | None = None
    max: int | None = None
    options: list[str] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if self.min is None and self.max is None and not self.options:
            raise ValueError("a condition needs min, max or options")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}, so this branch can never apply")
        return self

    def matches(self, score: int | None, option: str | None) -> bool:
        if self.options is not None:
            return option is not None and option in self.options
        if score is None:
            return False
        return (self.min is None or score >= self.min) and (self.max is None or score <= self.max)


class Branch(Strict):
    """Go to ``next`` instead of the step's default when ``when`` holds."""

    when: Condition
    next: str


class OptionSpec(Strict):
    """One answer of a choice step."""

    id: Identifier
    label: Localized


class StepSpec(Strict):
    """One question (or the closing ``end`` step) of a survey flow."""

    type: StepType
    text: Localized
    options: list[OptionSpec] | None = None
    optional: bool = False
    next: str | None = None
    branches: list[Branch] = []
    low_label: Localized | None = None
    high_label: Localized | None = None
    fcr: bool = False
    """A ``yes_no`` step asking whether the issue was resolved in this conversation: its answers
    make the first-contact resolution (FCR) rate in reports."""
    otherwise: Identifier | None = None
    """A choice step's catch-all option: a typed reason that names no option ("it took 4 days")
    counts as this one, its words kept as the comment, instead of being asked again."""

    @model_validator(mode="after")
    def _fits_type(self) -> StepSpec:
        if self.type == "choice" and not self.options:
            raise ValueError("a choice step needs at least one option")
        if self.type != "choice" and self.options is not None:
            raise ValueError(f"options are only allowed on choice steps, not on {self.type}")
        if self.optional and self.type not in ("text", "choice"):
            raise ValueError("only text and choice steps can be optional")
        if self.type == "end" and (self.next is not None or self.branches):
            raise ValueError("an end step cannot have next or branches")
        if self.type != "end" and self.next is None:
            raise ValueError(f"a {self.type} step needs next (the step that follows it)")
        if self.type not in RATING_TYPES and (self.low_label or self.high_label):
            raise ValueError("low_label and high_label are only allowed on csat, nps and ces steps")
        if self.fcr and self.type != "yes_no":
            raise ValueError(f"fcr is only allowed on yes_no steps, not on {self.type}")
        if self.otherwise is not None and self.type != "choice":
            raise ValueError(f"otherwise is only allowed on choice steps, not on {self.type}")
        return self

    @property
    def scale(self) -> tuple[int, int] | None:
        return SCALES.get(self.type)


class SurveySpec(Strict):
    """A survey flow: steps by id, the first one, and optional timing overrides."""

    title: Localized
    start: str
    steps: dict[Identifier, StepSpec]
    reprompts: int | None = Field(default=None, ge=0, le=5)
    remind_after: Duration | None = None
    expire_after: Duration | None = None


class QuietHours(Strict):
    """No survey is sent between ``start`` and ``end`` (local time); it waits for ``end``."""

    start: time
    end: time

    @field_validator("start", "end")
    @classmethod
    def _local(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError('write a local time such as "22:00" without an offset: it is read in `timezone`')
        return value


class SurveyPolicy(Strict):
    """How often and when customers are surveyed."""

    throttle: Duration = timedelta(days=30)
    remind_after: Duration | None = timedelta(hours=4)
    expire_after: Duration = timedelta(days=1)
    reprompts: int = Field(default=1, ge=0, le=5)
    quiet_hours: QuietHours | None = None


TriggerEvent = Literal["agent_resolved", "idle", "bot_resolved"]


class Trigger(Strict):
    """Send ``survey`` ``delay`` after a conversation ends in one of the ``events`` ways."""

    survey: str
    events: list[TriggerEvent] = ["agent_resolved", "idle", "bot_resolved"]
    delay: Duration = timedelta(minutes=10)
    channels: list[str] | None = None
    require_reply: bool = False
    """Only survey a conversation in which an agent wrote or the bot answered automatically (an idle
    conversation never gets a survey without one, whatever this says)."""
    experiment: Experiment | None = None
    """Variants of this trigger's survey (wording, question order, delay) with a split."""


class ConversationPolicy(Strict):
    """When a conversation ends without an agent resolving it, and where a customer's reply goes."""

    idle_resolve_after: Duration | None = timedelta(minutes=30)
    """A conversation waiting on the customer (an agent or the bot answered last, no ticket open)
    ends after this long without a message. One waiting on the support side never ends by itself."""
    reopen_within: Duration | None = timedelta(days=1)
    """A customer's message this long after an agent's last reply goes back to that conversation
    (reopened if resolved) instead of starting a new one. While a ticket is open it always does."""


class DsatRule(Strict):
    """Which survey results count as an unhappy customer and go to a human."""

    csat_at_most: int | None = Field(default=3, ge=1, le=5)
    nps_at_most: int | None = Field(default=6, ge=0, le=10)
    ces_at_most: int | None = Field(default=3, ge=1, le=7)
    negative_comment: bool = True
    team: str = "support"


class Team(Strict):
    """A support team that receives escalations."""

    name: str = ""
    webhook_url: Annotated[HttpUrl | None, WEBHOOK_URL] = None
    """Gets every ticket event as plain, unsigned JSON; a ``notifications`` target of kind ``webhook``
    does the same with a signature."""
    sla: PerPriority = dict.fromkeys(PRIORITIES, timedelta(hours=4))
    """How long after it opens a ticket is overdue: one duration, or one per priority."""
    members: list[Annotated[str, Field(min_length=1, max_length=64)]] = []
    """Agents who get tickets assigned automatically (empty: tickets wait in the queue to be claimed)."""
    assignment: Literal["least_loaded", "round_robin"] = "least_loaded"
    hours: Localized | None = None
    """When the team answers, in words per locale (e.g. ``Mon-Fri 9:00-18:00``); customers are told
    when their conversation goes to this team."""
    first_response: PerPriority | None = None
    """How soon an agent must first reply to the customer (one duration, or one per priority);
    ``null``: no first-response SLA."""

    def sla_for(self, priority: str) -> timedelta:
        return self.sla.get(priority, self.sla[FALLBACK_PRIORITY])

    def first_response_for(self, priority: str) -> timedelta | None:
        if self.first_response is None:
            return None
        return self.first_response.get(priority, self.first_response[FALLBACK_PRIORITY])


class RouteWhen(Strict):
    """What a ticket must match for a routing rule to apply; every given key must hold."""

    intents: list[str] | None = None
    channels: list[str] | None = None
    locales: list[str] | None = None
    score_at_most: int | None = Field(default=None, ge=0, le=10)
    """The survey's rating (any scale) is at most this."""


class RoutingRule(Strict):
    """Send matching tickets to ``team`` with ``priority``; the first matching rule wins."""

    when: RouteWhen = RouteWhen()
    team: str
    priority: Priority = "normal"


class Resurvey(Strict):
    """After a DSAT ticket is resolved, send the survey ``flow`` ``delay`` later ("Is it solved now?")."""

    flow: str
    """A survey under ``surveys`` with a csat step: CSAT 4-5 counts the customer as recovered."""
    delay: Duration = timedelta(minutes=10)


class TicketPolicy(Strict):
    """Closing the loop with the customer when a ticket is resolved."""

    close_message: Localized | None = None
    """Sent to the customer in their chat when an agent resolves a ticket their survey answer opened."""
    resolved_message: Localized | None = None
    """Sent instead when an agent resolves any other ticket (an escalated request, a complaint):
    those customers gave no feedback to thank them for. ``null``: ``close_message`` for every ticket."""
    resurvey: Resurvey | None = None
    """Re-survey the customer after their DSAT ticket is resolved (``null``: never)."""
    keep_customer_posted: bool = True
    """Tell the customer in their chat that a person will follow up when a ticket opens (with the
    team's ``hours``), and who took it when an agent claims or is assigned it."""


class ReportPolicy(Strict):
    """How reports are shown."""

    min_answers: int = Field(default=10, ge=0)
    """Figures resting on fewer answered surveys than this are flagged as "few answers"."""
    repeat_within: Duration = timedelta(days=7)
    """Operational first-contact resolution: a conversation counts as resolved at first contact when
    the customer opens no other one on the same intent within this time after it was resolved."""


class HealthRule(Strict):
    """How the customer page colours a customer (see :mod:`bot.health` and README "Customer page")."""

    recent: int = Field(default=3, ge=1, le=50)
    """How many of their latest scored surveys count."""
    within: Duration = timedelta(days=90)
    """Only surveys sent this recently count."""
    red_after: int = Field(default=2, ge=1, le=50)
    """Red from this many unhappy, unrecovered recent surveys (an open DSAT ticket is red at once)."""


class CustomerPolicy(Strict):
    """The customer page."""

    health: HealthRule = HealthRule()


class IntentSpec(Strict):
    """A triage intent and example phrases per locale (added to the classifier's training)."""

    examples: dict[str, list[Annotated[str, Field(min_length=1)]]] = {}


class NluConfig(Strict):
    """Where the triage model lives and how sure it must be."""

    model_dir: str = "var/models/triage"
    threshold: float = Field(default=0.35, ge=0.0, le=1.0)
    intents: dict[Identifier, IntentSpec] = {}
    queue_for: Duration | None = timedelta(hours=1)
    """While the model is not ready (first start trains it), messages wait this long to be triaged
    once it is; older ones stay untriaged. ``null``: do not queue."""
    layers: int | None = Field(default=None, ge=1, le=6)
    """Transformer layers kept from MiniLM's 6 (``null``: all). Fewer classify faster and a little less
    accurately (4 layers, measured: batch-1 latency -28%, throughput +70%, SST-2 -2 points, Chinese
    intents -2 points); retrain (``csatbot nlu train``) after changing it."""


TriageAction = Literal["auto_answer", "escalate", "route"]
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class TriageWhen(Strict):
    """What a classified customer message must match; every given key must hold."""

    intents: list[str] | None = None
    sentiments: list[Literal["negative", "neutral", "positive"]] | None = None
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    """The intent's calibrated confidence is at least this (auto answers also need ``nlu.threshold``)."""
    during_survey: bool | None = None
    """Only messages typed while a survey waits for an answer (``true``), or only others (``false``)."""
    needs_human: bool | None = None
    """The model judges the customer should reach a person (``true``: angry or dissatisfied, or asking
    for one; decided from sentiment intensity and intent together, at a threshold chosen on held-out
    data), or judges they need not (``false``)."""
    unless_mentions: list[Word] | None = None
    """Words that keep the rule from applying when the message mentions one (whole Latin words, any
    case or width; Chinese anywhere, Traditional read as Simplified): e.g. a router's or a phone's
    password kept from the automatic answer on resetting the account's."""
    mentions: list[Word] | None = Field(default=None, min_length=1)
    """Words of which the message must mention at least one for the rule to apply (matched as
    ``unless_mentions``): an automatic answer on passwords that needs the customer to have named a
    password, so "the login code never comes" or "reset my trial" stay with a person."""


DEFAULT_CONFIRM_WITHIN = timedelta(minutes=30)


class TriageRule(Strict):
    """What to do with a matching message; the first matching rule wins.

    ``auto_answer`` sends ``reply`` and asks "Did this solve it?": yes (or no answer within
    ``confirm_within``) resolves the conversation as the bot's (it gets a survey too), no hands it
    to a person at once. ``escalate`` opens a ticket for a human at once; ``route`` hands the
    conversation to ``team``.
    """

    when: TriageWhen
    action: TriageAction
    reply: Localized | None = None
    team: str | None = None
    priority: Priority = "normal"
    confirm_within: Duration | None = None
    """auto_answer only: how long the bot waits for "Did this solve it?" before counting silence as
    solved (default 30m)."""

    @property
    def confirm_after(self) -> timedelta:
        return self.confirm_within or DEFAULT_CONFIRM_WITHIN


class BotTexts(Strict):
    """Texts the bot says outside survey steps; omitted ones take the built-in en/zh-CN defaults."""

    reprompt: Localized | None = None
    reminder: Localized | None = None
    skip_word: Localized | None = None
    hint_csat: Localized | None = None
    hint_nps: Localized | None = None
    hint_ces: Localized | None = None
    hint_choice: Localized | None = None
    hint_yes_no: Localized | None = None
    yes: Localized | None = None
    no: Localized | None = None
    hint_optional: Localized | None = None
    csat_low: Localized | None = None
    csat_high: Localized | None = None
    nps_low: Localized | None = None
    nps_high: Localized | None = None
    ces_low: Localized | None = None
    ces_high: Localized | None = None
    welcome: Localized | None = None
    handed_on: Localized | None = None
    skip_required: Localized | None = None
    confirm_question: Localized | None = None
    confirm_yes: Localized | None = None
    confirm_no: Localized | None = None
    confirm_thanks: Localized | None = None
    escalated: Localized | None = None
    escalated_hours: Localized | None = None
    ticket_taken: Localized | None = None


_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
LOCALE_CHARS = 16
"""The longest locale tag: surveys' automatic answers store theirs in a 16-character column, which
PostgreSQL refuses longer (the customer's message failed on every retry)."""


class Config(Strict):
    """The whole of ``config.yaml``."""

    locales: list[str] = ["zh-CN", "en"]
    default_locale: str = "en"
    timezone: str = "UTC"
    texts: BotTexts = BotTexts()
    surveys: dict[Identifier, SurveySpec]
    triggers: list[Trigger] = []
    surveying: SurveyPolicy = SurveyPolicy()
    conversations: ConversationPolicy = ConversationPolicy()
    dsat: DsatRule = DsatRule()
    teams: dict[Identifier, Team] = {"support": Team(name="Support")}
    routing: list[RoutingRule] = []
    triage: list[TriageRule] = []
    tickets: TicketPolicy = TicketPolicy()
    reports: ReportPolicy = ReportPolicy()
    customers: CustomerPolicy = CustomerPolicy()
    channels: ChannelsConfig = ChannelsConfig()
    nlu: NluConfig = NluConfig()
    notifications: NotificationsConfig = NotificationsConfig()
    digest: DigestPolicy | None = None
    """Good news for staff: the best comments of happy customers, daily or weekly (``null``: none)."""
    retention: RetentionPolicy = RetentionPolicy()
    masking: list[MaskKind] = []
    """What is masked in customers' messages before they are stored or sent to a team."""

    @field_validator("masking")
    @classmethod
    def _masking(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a kind is listed twice")
        return value

    @field_validator("locales")
    @classmethod
    def _locales(cls, value: list[str]) -> list[str]:
        bad = [loc for loc in value if not _LOCALE.match(loc) or len(loc) > LOCALE_CHARS]
        if bad:
            raise ValueError(
                f"not a locale tag: {', '.join(bad)} "
                f"(expected e.g. en, zh-CN; at most {LOCALE_CHARS} characters)"
            )
        if not value:
            raise ValueError("at least one locale is needed")
        if len(set(value)) != len(value):
            raise ValueError("locales are listed twice")
        return value

"""The storage port. ``Store.run`` runs a unit of work inside one transaction; the work talks to a
``Repository`` (synchronous, so one turn is one thread hop and one commit)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NotRequired, Protocol, TypedDict, TypeVar, Unpack

from bot.attribution import Credit
from bot.classification import Classification
from bot.flow import Flow
from bot.ports import Addressee
from bot.records import (
    AutoAnswer,
    Conversation,
    DueTimer,
    FirstAnswer,
    Identity,
    JsonObject,
    KeyedRequest,
    OutboxItem,
    Survey,
    SurveyAnswer,
    Ticket,
    TranscriptMessage,
)
from bot.survey import Answer, SurveyState

T = TypeVar("T")


class ConversationChanges(TypedDict, total=False):
    """What :meth:`Repository.update_conversation` may change (only the keys given change)."""

    status: str
    resolution: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    agents: Sequence[str]
    last_message_at: datetime
    waiting_on: str


class NewMessage(TypedDict):
    """A message for :meth:`Repository.add_message_later` (the parameters of ``add_message``)."""

    identity_id: int
    conversation_id: int | None
    direction: str
    author: str
    text: str
    at: datetime
    payload: NotRequired[JsonObject | None]
    platform_id: NotRequired[str | None]
    survey_id: NotRequired[str | None]
    classification: NotRequired[Classification | None]


class TicketChanges(TypedDict, total=False):
    """What :meth:`Repository.update_ticket` may change (only the keys given change)."""

    status: str
    team: str
    priority: str
    assignee: str | None
    reasons: Sequence[str]
    transcript: Sequence[TranscriptMessage]
    answers: Sequence[SurveyAnswer]
    survey_id: str | None
    sla_due_at: datetime
    resolved_at: datetime | None
    first_responded_at: datetime | None


class Repository(Protocol):
    """Reads and writes inside the current transaction."""

    # inbound dedupe and identities
    def inbox_done(self, item_id: int, at: datetime) -> None:
        """Mark the inbox row this unit of work handles done, committed with the work (a row
        already done stays as it is)."""
        ...

    def claim_request(self, request: KeyedRequest, at: datetime) -> FirstAnswer | None:
        """Take ``request``'s key for it; ``None`` when it was free, else what the key was first taken
        for (waiting, on PostgreSQL, for a request holding it to commit or roll back)."""
        ...

    def answer_request(
        self, request: KeyedRequest, result: int | None, answer: dict[str, Any] | None = None
    ) -> None:
        """Record what the request that took the key made (``result``) and, where an id cannot say
        it, answered (``answer``: JSON values, no customer words; see :meth:`claim_request`)."""
        ...

    def claim_receipt(self, channel: str, account: str, platform_id: str, at: datetime) -> bool:
        """Record a platform message id; ``False`` when it was seen before (a duplicate)."""
        ...

    def identity(
        self, channel: str, account: str, user: str, *, display_name: str, locale: str, at: datetime
    ) -> Identity:
        """The identity for this platform user, created with a new customer when unknown."""
        ...

    def get_identity(self, identity_id: int, *, lock: bool = False) -> Identity:
        """The identity; ``lock``: read once an erasure of its customer in progress has ended, and
        kept from one until the transaction ends (check ``unreachable`` on it before writing to them);
        a share lock: it never waits for a turn of the same customer."""
        ...

    def find_identity(self, channel: str, account: str, user: str) -> Identity | None: ...

    def set_unreachable(self, identity_id: int, reason: str | None, at: datetime) -> None:
        """Note why our messages cannot reach the identity now (``None``: they can again).
        A message from it clears this too (:meth:`identity`)."""
        ...

    def add_link_token(self, customer_id: int, digest: str, at: datetime, expires_at: datetime) -> None:
        """Keep a new deep-link token (its digest) for the customer; ``NotFoundError`` if unknown."""
        ...

    def link_identity(self, identity_id: int, digest: str, at: datetime) -> int | None:
        """Use up the unexpired link token with ``digest``: attach the identity (and its
        conversations) to its customer. Returns that customer's id, or ``None`` when no such token
        is left (unknown, used or expired)."""
        ...

    # conversations and messages
    def open_conversation(self, identity_id: int) -> Conversation | None: ...

    def start_conversation(self, identity: Identity, at: datetime) -> Conversation: ...

    def get_conversation(self, conversation_id: int, *, lock: bool = False) -> Conversation: ...

    def update_conversation(self, conversation_id: int, **changes: Unpack[ConversationChanges]) -> None: ...

    def add_message(
        self,
        *,
        identity_id: int,
        conversation_id: int | None,
        direction: str,
        author: str,
        text: str,
        at: datetime,
        payload: JsonObject | None = None,
        platform_id: str | None = None,
        survey_id: str | None = None,
        classification: Classification | None = None,
    ) -> int: ...

    def add_message_later(self, **message: Unpack[NewMessage]) -> None:
        """:meth:`add_message` for a message whose id nobody needs: it may be held back and written
        with the next message of this unit of work, in one INSERT. Held back or not, it is in the
        transcript before any message added after it, it is written before anything in this unit of
        work reads, and it commits or rolls back with the rest."""
        ...

    def transcript(self, conversation_id: int) -> list[TranscriptMessage]:
        """The conversation's messages, oldest first."""
        ...

    def message(self, message_id: int) -> TranscriptMessage:
        """One message, as a transcript shows it; ``NotFoundError`` when there is none."""
        ...

    def classify_message(self, message_id: int, classification: Classification) -> None:
        """Store the triage labels of a message that was stored without them."""
        ...

    def note_triage(self, message_id: int, what: str) -> None:
        """Record on a customer message what triage did with it and why (shown to agents)."""
        ...

    # surveys
    def save_flow(self, flow: Flow, at: datetime) -> None: ...

    def load_flow(self, version: str) -> Flow: ...

    def create_survey(
        self,
        *,
        survey_id: str,
        conversation: Conversation,
        flow: Flow,
        locale: str,
        due_at: datetime,
        at: datetime,
        skip_reason: str | None = None,
        kind: str = "main",
        ticket_id: int | None = None,
        credit: Credit | None = None,
    ) -> Survey:
        """A pending survey (``kind`` main or followup), credited to ``credit``'s agents and team."""
        ...

    def get_survey(self, survey_id: str, *, lock: bool = False) -> Survey: ...

    def survey_for_conversation(self, conversation_id: int, kind: str = "main") -> Survey | None: ...

    def active_survey(self, identity_id: int) -> Survey | None: ...

    def open_surveys(self, customer_id: int) -> list[str]:
        """The customer's surveys not closed yet (planned or asked), soonest due first."""
        ...

    def save_survey(
        self,
        survey_id: str,
        state: SurveyState,
        at: datetime,
        *,
        sent: bool = False,
        skip_reason: str | None = None,
    ) -> None: ...

    def record_variant(self, survey_id: str, experiment: str, variant: str) -> None:
        """Note the experiment and variant a survey goes out under (``bot.experiments``)."""
        ...

    def reschedule_survey(self, survey_id: str, due_at: datetime) -> None:
        """Move a survey that has not been sent to a new send time."""
        ...

    def record_answer(self, survey_id: str, answer: Answer, at: datetime) -> bool:
        """Store an answer; ``False`` if this step was already answered (nothing changes)."""
        ...

    def revise_answer(self, survey_id: str, answer: Answer, at: datetime) -> None:
        """Replace the stored answer of ``answer.step`` (a rating corrected after the survey moved
        on) and the survey's score from it; ``NotFoundError`` when that step has no answer."""
        ...

    def last_surveyed_at(self, customer_id: int) -> datetime | None: ...

    def mark_surveyed(self, customer_id: int, at: datetime) -> None: ...

    def recount_surveyed(self, customer_id: int) -> None:
        """Set when the customer was last surveyed from the main surveys that reached them (one
        skipped as undelivered no longer counts for the throttle)."""
        ...

    # privacy
    def hold_customer(self, customer_id: int) -> None:
        """Lock the customer and their identities until the transaction ends: a reply, escalation or
        deep link that checks them meanwhile waits, then sees what this transaction did.
        ``NotFoundError`` for an unknown customer."""
        ...

    def erase_customer(self, customer_id: int, at: datetime) -> dict[str, int]:
        """Remove or anonymise every row holding the customer's words or identity (counts stay) and
        make their identities unreachable as of ``at``; returns how many rows per table.
        ``NotFoundError`` for an unknown customer."""
        ...

    def forget_before(
        self, transcripts_before: datetime | None, comments_before: datetime | None, now: datetime
    ) -> dict[str, int]:
        """The retention sweep: customers' words older than the cutoffs (``None``: keep them)."""
        ...

    def audit(self, actor: str, action: str, subject: str, at: datetime) -> None:
        """Record who did what to whom (never what was there)."""
        ...

    def has_timer(self, kind: str, subject: str) -> bool:
        """Whether a timer of ``kind`` for ``subject`` is pending."""
        ...

    # timers
    def schedule(self, kind: str, subject: str, due_at: datetime, at: datetime) -> None:
        """Set (or move) the one pending timer of ``kind`` for ``subject``."""
        ...

    def cancel_timer(self, kind: str, subject: str) -> None: ...

    def cancel_timers(self, subject: str, kinds: Sequence[str]) -> None:
        """Cancel the pending timers of these kinds for ``subject`` (one statement)."""
        ...

    def claim_due_timers(
        self, now: datetime, limit: int, lease_until: datetime, worker: str = ""
    ) -> list[DueTimer]: ...

    def take_timer(self, timer_id: int, due_by: datetime | None = None) -> bool:
        """Mark a claimed timer done; ``False`` if another worker already did (then do nothing), or,
        with ``due_by``, if it is no longer due by then: rescheduled since it was claimed (the same
        row set again, by whoever fired it meanwhile), it is another firing, not this one."""
        ...

    def next_timer_due(self) -> datetime | None: ...

    def pending_timers(self, kind: str, limit: int) -> list[DueTimer]:
        """Pending timers of ``kind``, due or not, oldest first (unclaimed: take each with ``take_timer``)."""
        ...

    # outbox
    def enqueue(
        self,
        kind: str,
        channel: str,
        to: Addressee,
        body: dict[str, Any],
        *,
        at: datetime,
        message_id: int | None = None,
        failed: str | None = None,
    ) -> int:
        """Queue a delivery; with ``failed``, store it failed for that reason instead (never sent)."""
        ...

    def outbox_survey(self, item_id: int) -> str | None:
        """The survey whose message the outbox row carries, if it carries one."""
        ...

    def drop_queued(self, channel: str, account: str, user: str, error: str) -> list[str]:
        """Fail the chat messages queued for this platform user and not being sent yet, without
        sending them (``error`` says why); the surveys whose messages they carried."""
        ...

    def claim_outbox(
        self, now: datetime, limit: int, lease_until: datetime, worker: str = ""
    ) -> list[OutboxItem]: ...

    def outbox_attempt(self, item_id: int, worker: str, at: datetime) -> bool:
        """Record that the platform call begins now (before making it); ``False`` when ``worker`` no
        longer holds the row's lease (then it must not send)."""
        ...

    def outbox_unknown(self, item_id: int, error: str, wait_until: datetime) -> None:
        """The call got no answer, so the platform may have the message: wait until ``wait_until``
        for its confirmation before sending it again."""
        ...

    def outbox_confirmed(self, item_id: int, platform_id: str, at: datetime) -> bool:
        """The platform confirmed it has the message (a status webhook naming our outbox id): record
        it as sent unless it already is; ``True`` if this changed the row."""
        ...

    def renew_leases(self, worker: str, outbox_ids: list[int], timer_ids: list[int], until: datetime) -> None:
        """Extend ``worker``'s leases on the rows it is still working on."""
        ...

    def reclaim(self, worker: str, now: datetime) -> int:
        """``worker`` restarted: end the leases its previous run held, so its work is taken at once."""
        ...

    def release_outbox(self, item_ids: list[int]) -> None:
        """Put claimed items back untouched (an earlier message to the same recipient failed)."""
        ...

    def outbox_sent(self, item_id: int, platform_id: str, at: datetime) -> None: ...

    def outbox_sent_many(self, sent: Sequence[tuple[int, str]], at: datetime) -> None:
        """:meth:`outbox_sent` for many (item id, platform id) at once, in one statement."""
        ...

    def outbox_rejected(
        self, channel: str, platform_id: str, error: str, item_id: int | None = None
    ) -> int | None:
        """The platform reported later that the message it accepted failed; returns the row's id.
        ``item_id`` finds it when its platform id was never recorded (the send got no answer)."""
        ...

    def outbox_failed(self, item_id: int, error: str, retry_at: datetime | None) -> bool:
        """Record a failed attempt; ``retry_at=None`` gives up for good. ``False`` (nothing changes)
        when the platform confirmed the message meanwhile."""
        ...

    # tickets
    def open_ticket_for(self, conversation_id: int) -> Ticket | None: ...

    def open_ticket(
        self,
        *,
        conversation: Conversation,
        survey_id: str | None,
        team: str,
        reasons: list[str],
        transcript: Sequence[TranscriptMessage],
        answers: Sequence[SurveyAnswer],
        sla_due_at: datetime,
        at: datetime,
        priority: str = "normal",
        assignee: str | None = None,
        intent: str | None = None,
        sentiment: str | None = None,
        first_response_due_at: datetime | None = None,
    ) -> Ticket: ...

    def update_ticket(self, ticket_id: int, at: datetime, **changes: Unpack[TicketChanges]) -> Ticket: ...

    def get_ticket(self, ticket_id: int, *, lock: bool = False) -> Ticket: ...

    def ticket_event(self, ticket_id: int, actor: str, action: str, detail: str, at: datetime) -> None:
        """Append to the ticket's audit trail."""
        ...

    def open_tickets_by_assignee(self, team: str) -> dict[str, int]:
        """How many open tickets each agent of ``team`` holds."""
        ...

    def last_assignee(self, team: str) -> str | None:
        """Who got the team's most recently assigned ticket (for round-robin)."""
        ...

    def survey_answers(self, survey_id: str) -> list[SurveyAnswer]: ...

    # the customer's side: automatic answers, who answered, where a new message belongs
    def create_auto_answer(
        self,
        *,
        answer_id: str,
        conversation: Conversation,
        intent: str,
        intent_confidence: float | None,
        locale: str,
        message_id: int | None,
        at: datetime,
    ) -> AutoAnswer:
        """Record an automatic answer that waits for the customer's "Did this solve it?"."""
        ...

    def get_auto_answer(self, answer_id: str) -> AutoAnswer | None: ...

    def pending_auto_answer(self, conversation_id: int) -> AutoAnswer | None:
        """The conversation's automatic answer still waiting for the customer, if any."""
        ...

    def settle_auto_answer(
        self, answer_id: str, status: str, how: str, at: datetime, *, was: str = "pending"
    ) -> bool:
        """Move the answer from ``was`` to ``status``; ``False`` when it was not ``was`` (already settled)."""
        ...

    def support_replied(self, conversation_id: int) -> bool:
        """Whether an agent wrote in the conversation or the bot answered it automatically."""
        ...

    def ticket_conversation(self, identity_id: int) -> Conversation | None:
        """The conversation of this identity's newest open ticket, if any."""
        ...

    def last_agent_reply(self, identity_id: int) -> tuple[int, datetime] | None:
        """The conversation and time of the last agent message to this identity."""
        ...

    def agent_name(self, username: str) -> str:
        """The name an agent shows customers (their console display name, else the user name)."""
        ...


class Handoff(Protocol):
    """This process's sender, taking the chat messages a unit of work queued already leased to it.

    A store that has one (:attr:`Store.handoff`) leases each chat message to ``worker`` as it is
    queued, where no earlier message to the same customer is still undelivered, and hands those to
    :meth:`take` once the transaction has committed: the message goes out without a claim of its
    own. Anything else it queued is left for the next claim, and ``queued`` says so."""

    @property
    def worker(self) -> str: ...

    def lease_until(self, now: datetime) -> datetime: ...

    def take(self, claimed: list[OutboxItem], until: datetime | None, queued: bool) -> None: ...


class Store(Protocol):
    """Runs units of work, each in its own transaction, off the event loop."""

    handoff: Handoff | None
    """Set by a process that sends what it queues itself (see :class:`Handoff`)."""

    async def run(self, work: Callable[[Repository], T]) -> T: ...

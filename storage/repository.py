"""The :class:`bot.repository.Repository` on SQLModel rows, inside one session's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot import records
from bot.attribution import Credit
from bot.classification import Classification
from bot.errors import NotFoundError
from bot.flow import Flow
from bot.survey import CLOSED, SurveyState
from bot.survey import Answer as AnswerValue
from models import (
    Answer,
    Conversation,
    Customer,
    FlowVersion,
    Identity,
    InboundReceipt,
    LinkToken,
    Message,
    Outbox,
    Survey,
    Ticket,
    TicketEvent,
    Timer,
)
from storage import erasure
from storage.customer_side import CustomerSideRows, conversation_record
from storage.experiments import ExperimentRows

OUTBOX_CLAIM_LOCK = 0x63736174  # "csat": the PostgreSQL advisory lock that serialises outbox claims


class SqlRepository(CustomerSideRows, ExperimentRows):
    """Reads and writes rows in the session's open transaction (never commits itself)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.noted: list[tuple[str, dict[str, str]]] = []
        """Events for the metrics, counted by the store only once the transaction commits."""

    def _note(self, event: str, **labels: str) -> None:
        self.noted.append((event, labels))

    def _insert(self, table: Any) -> Any:
        return (pg_insert if self.dialect == "postgresql" else sqlite_insert)(table)

    # inbound dedupe and identities ---------------------------------------------------------

    def claim_receipt(self, channel: str, account: str, platform_id: str, at: datetime) -> bool:
        statement = (
            self._insert(InboundReceipt)
            .values(channel=channel, account=account, platform_id=platform_id, received_at=at)
            .on_conflict_do_nothing()
            .returning(InboundReceipt.platform_id)
        )
        return self.session.connection().execute(statement).first() is not None

    def identity(
        self, channel: str, account: str, user: str, *, display_name: str, locale: str, at: datetime
    ) -> records.Identity:
        row = self._identity_row(channel, account, user, lock=True)
        if row is None:
            try:
                with self.session.begin_nested():
                    customer = Customer(display_name=display_name, locale=locale, created_at=at)
                    self.session.add(customer)
                    self.session.flush()
                    row = Identity(
                        customer_id=_id(customer.id),
                        channel=channel,
                        account=account,
                        user=user,
                        display_name=display_name,
                        locale=locale,
                        created_at=at,
                    )
                    self.session.add(row)
                    self.session.flush()
            except IntegrityError:  # another worker created it first
                row = self._identity_row(channel, account, user, lock=True)
                if row is None:
                    raise
        if (display_name and row.display_name != display_name) or (locale and row.locale != locale):
            row.display_name = display_name or row.display_name
            row.locale = locale or row.locale
        row.last_inbound_at = at
        self.session.add(row)
        return _identity(row)

    def _identity_row(self, channel: str, account: str, user: str, *, lock: bool) -> Identity | None:
        query = select(Identity).where(
            Identity.channel == channel, Identity.account == account, Identity.user == user
        )
        if lock:
            query = query.with_for_update()
        return self.session.exec(query).first()

    def get_identity(self, identity_id: int) -> records.Identity:
        return _identity(self._get(Identity, identity_id))

    def add_link_token(self, customer_id: int, digest: str, at: datetime, expires_at: datetime) -> None:
        self._get(Customer, customer_id)
        self.session.add(
            LinkToken(token_hash=digest, customer_id=customer_id, created_at=at, expires_at=expires_at)
        )
        self.session.execute(delete(LinkToken).where(col(LinkToken.expires_at) <= at))

    def link_identity(self, identity_id: int, digest: str, at: datetime) -> int | None:
        # One DELETE ... RETURNING: of two chats racing with the same token, only one gets it.
        used = self.session.execute(
            delete(LinkToken)
            .where(col(LinkToken.token_hash) == digest, col(LinkToken.expires_at) > at)
            .returning(LinkToken.customer_id)
        ).first()
        if used is None:
            return None
        target = self._get(Customer, used[0])
        row = self._get(Identity, identity_id)
        if row.customer_id != target.id:
            moved_from = row.customer_id
            row.customer_id = target.id
            self.session.add(row)
            conversations = select(Conversation.id).where(Conversation.identity_id == identity_id)
            for table, mine in (
                (Conversation, col(Conversation.identity_id) == identity_id),
                (Survey, col(Survey.identity_id) == identity_id),
                (Ticket, col(Ticket.conversation_id).in_(conversations.scalar_subquery())),
            ):
                self.session.execute(
                    update(table)
                    .where(mine, col(table.customer_id) == moved_from)
                    .values(customer_id=target.id)
                )
        return target.id

    def find_identity(self, channel: str, account: str, user: str) -> records.Identity | None:
        row = self._identity_row(channel, account, user, lock=False)
        return _identity(row) if row is not None else None

    # conversations and messages ------------------------------------------------------------

    def open_conversation(self, identity_id: int) -> records.Conversation | None:
        row = self.session.exec(
            select(Conversation)
            .where(Conversation.identity_id == identity_id, Conversation.status == "open")
            .order_by(col(Conversation.id).desc())
        ).first()
        return conversation_record(row) if row is not None else None

    def start_conversation(self, identity: records.Identity, at: datetime) -> records.Conversation:
        row = Conversation(
            customer_id=identity.customer_id,
            identity_id=identity.id,
            channel=identity.channel,
            opened_at=at,
            last_message_at=at,
            agents=[],
        )
        self.session.add(row)
        self.session.flush()
        return conversation_record(row)

    def get_conversation(self, conversation_id: int, *, lock: bool = False) -> records.Conversation:
        return conversation_record(self._get(Conversation, conversation_id, lock=lock))

    def update_conversation(self, conversation_id: int, **changes: Any) -> None:
        row = self._get(Conversation, conversation_id)
        for key, value in changes.items():
            setattr(row, key, list(value) if key == "agents" else value)
        self.session.add(row)

    def add_message(
        self,
        *,
        identity_id: int,
        conversation_id: int | None,
        direction: str,
        author: str,
        text: str,
        at: datetime,
        payload: dict[str, Any] | None = None,
        platform_id: str | None = None,
        survey_id: str | None = None,
        classification: Classification | None = None,
    ) -> int:
        row = Message(
            identity_id=identity_id,
            conversation_id=conversation_id,
            direction=direction,
            author=author,
            text=text,
            payload=payload,
            platform_id=platform_id,
            survey_id=survey_id,
            created_at=at,
        )
        if classification is not None:
            row.intent = classification.intent
            row.intent_confidence = classification.intent_confidence
            row.sentiment = classification.sentiment
            row.sentiment_confidence = classification.sentiment_confidence
            row.needs_human = classification.needs_human
        self.session.add(row)
        self.session.flush()
        return _id(row.id)

    def transcript(self, conversation_id: int) -> list[dict[str, Any]]:
        rows = self.session.exec(
            select(Message).where(Message.conversation_id == conversation_id).order_by(col(Message.id))
        ).all()
        return [message_json(row) for row in rows]

    def message(self, message_id: int) -> dict[str, Any]:
        return message_json(self._get(Message, message_id))

    def classify_message(self, message_id: int, classification: Classification) -> None:
        self.session.execute(
            update(Message)
            .where(col(Message.id) == message_id)
            .values(
                intent=classification.intent,
                intent_confidence=classification.intent_confidence,
                sentiment=classification.sentiment,
                sentiment_confidence=classification.sentiment_confidence,
                needs_human=classification.needs_human,
            )
        )
        self._note("triage_verdict", intent=classification.intent, sentiment=classification.sentiment)

    def note_triage(self, message_id: int, what: str) -> None:
        self.session.execute(update(Message).where(col(Message.id) == message_id).values(triage=what[:200]))

    def messages_for(self, identity_id: int, after_id: int = 0, limit: int = 200) -> list[dict[str, Any]]:
        """Messages in and out of one identity, oldest first, after ``after_id`` (for web chat)."""
        rows = self.session.exec(
            select(Message)
            .where(Message.identity_id == identity_id, col(Message.id) > after_id)
            .order_by(col(Message.id))
            .limit(limit)
        ).all()
        return [message_json(row) for row in rows]

    # surveys ---------------------------------------------------------------------------------

    def save_flow(self, flow: Flow, at: datetime) -> None:
        statement = (
            self._insert(FlowVersion)
            .values(version=flow.version, flow_id=flow.id, body=flow.model_dump_json(), created_at=at)
            .on_conflict_do_nothing()
        )
        self.session.connection().execute(statement)

    def load_flow(self, version: str) -> Flow:
        row = self._get(FlowVersion, version)
        return Flow.model_validate_json(row.body)

    def create_survey(
        self,
        *,
        survey_id: str,
        conversation: records.Conversation,
        flow: Flow,
        locale: str,
        due_at: datetime,
        at: datetime,
        skip_reason: str | None = None,
        kind: str = "main",
        ticket_id: int | None = None,
        credit: Credit | None = None,
    ) -> records.Survey:
        state = SurveyState(survey_id=survey_id, locale=locale)
        if skip_reason is not None:
            state = state.evolve(status="expired")
        row = Survey(
            id=survey_id,
            customer_id=conversation.customer_id,
            conversation_id=conversation.id,
            identity_id=conversation.identity_id,
            channel=conversation.channel,
            flow_id=flow.id,
            flow_version=flow.version,
            locale=locale,
            status="skipped" if skip_reason else "pending",
            state=state.to_json(),
            skip_reason=skip_reason,
            created_at=at,
            due_at=due_at,
            finished_at=at if skip_reason else None,
            kind=kind,
            ticket_id=ticket_id,
            team=credit.team if credit else None,
            intent=credit.intent if credit else None,
            agents=list(credit.agents) if credit else [],
        )
        self.session.add(row)
        self.session.flush()
        return _survey(row)

    def get_survey(self, survey_id: str, *, lock: bool = False) -> records.Survey:
        return _survey(self._get(Survey, survey_id, lock=lock))

    def survey_for_conversation(self, conversation_id: int, kind: str = "main") -> records.Survey | None:
        row = self.session.exec(
            select(Survey).where(Survey.conversation_id == conversation_id, Survey.kind == kind)
        ).first()
        return _survey(row) if row is not None else None

    def active_survey(self, identity_id: int) -> records.Survey | None:
        row = self.session.exec(
            select(Survey)
            .where(Survey.identity_id == identity_id, Survey.status == "active")
            .order_by(col(Survey.sent_at).desc())
            .with_for_update()
        ).first()
        return _survey(row) if row is not None else None

    def save_survey(
        self,
        survey_id: str,
        state: SurveyState,
        at: datetime,
        *,
        sent: bool = False,
        skip_reason: str | None = None,
    ) -> None:
        row = self._get(Survey, survey_id)
        row.state = state.to_json()
        row.status = "skipped" if skip_reason else state.status
        row.escalated = state.escalated
        if skip_reason:
            row.skip_reason = skip_reason
        if sent and row.sent_at is None:
            row.sent_at = at
            self._note("survey_sent", kind=row.kind)
        if state.status in CLOSED and row.finished_at is None:
            row.finished_at = at
        if state.status == "active" or state.status == "partial":  # where a partial survey stopped
            row.step = state.step
        self.session.add(row)

    def reschedule_survey(self, survey_id: str, due_at: datetime) -> None:
        row = self._get(Survey, survey_id)
        row.due_at = due_at
        self.session.add(row)

    def record_answer(self, survey_id: str, answer: AnswerValue, at: datetime) -> bool:
        statement = (
            self._insert(Answer)
            .values(
                survey_id=survey_id,
                step=answer.step,
                kind=answer.kind,
                score=answer.score,
                option=answer.option,
                text=answer.text,
                raw=answer.raw,
                sentiment=answer.sentiment,
                created_at=at,
            )
            .on_conflict_do_nothing()
            .returning(Answer.id)
        )
        if self.session.connection().execute(statement).first() is None:
            return False
        # Reports read the scores from the survey row, not from the answers (see models.Survey).
        row = self._get(Survey, survey_id)
        if not row.responded:
            self._note("survey_answered", kind=row.kind)
        row.responded = True
        if answer.kind == "fcr":
            row.fcr = answer.option == "yes"
        if answer.kind in ("csat", "nps", "ces") and answer.score is not None:
            current = getattr(row, answer.kind)
            setattr(row, answer.kind, answer.score if current is None else max(current, answer.score))
        self.session.add(row)
        return True

    def survey_answers(self, survey_id: str) -> list[dict[str, Any]]:
        rows = self.session.exec(
            select(Answer).where(Answer.survey_id == survey_id).order_by(col(Answer.id))
        ).all()
        return [answer_json(row) for row in rows]

    def last_surveyed_at(self, customer_id: int) -> datetime | None:
        return self._get(Customer, customer_id).last_surveyed_at

    def mark_surveyed(self, customer_id: int, at: datetime) -> None:
        row = self._get(Customer, customer_id)
        row.last_surveyed_at = at
        self.session.add(row)

    # privacy --------------------------------------------------------------------------------

    def erase_customer(self, customer_id: int) -> dict[str, int]:
        try:
            return erasure.erase_customer(self.session, customer_id)
        except LookupError:
            raise NotFoundError(f"no customer with id {customer_id}") from None

    def forget_before(
        self, transcripts_before: datetime | None, comments_before: datetime | None, now: datetime
    ) -> dict[str, int]:
        return erasure.forget_before(self.session, transcripts_before, comments_before, now)

    def audit(self, actor: str, action: str, subject: str, at: datetime) -> None:
        erasure.audit(self.session, actor, action, subject, at)

    def has_timer(self, kind: str, subject: str) -> bool:
        query = select(Timer.id).where(
            Timer.kind == kind, Timer.subject == subject, Timer.status == "pending"
        )
        return self.session.exec(query).first() is not None

    # timers ---------------------------------------------------------------------------------

    def schedule(self, kind: str, subject: str, due_at: datetime, at: datetime) -> None:
        row = self.session.exec(select(Timer).where(Timer.kind == kind, Timer.subject == subject)).first()
        if row is None:
            row = Timer(kind=kind, subject=subject, created_at=at, due_at=due_at)
        row.status, row.due_at, row.claimed_until = "pending", due_at, None
        self.session.add(row)
        self.session.flush()

    def cancel_timer(self, kind: str, subject: str) -> None:
        self.session.execute(
            update(Timer)
            .where(col(Timer.kind) == kind, col(Timer.subject) == subject, col(Timer.status) == "pending")
            .values(status="cancelled")
        )

    def claim_due_timers(
        self, now: datetime, limit: int, lease_until: datetime, worker: str = ""
    ) -> list[records.DueTimer]:
        rows = self.session.exec(
            select(Timer)
            .where(
                Timer.status == "pending",
                col(Timer.due_at) <= now,
                or_(col(Timer.claimed_until).is_(None), col(Timer.claimed_until) < now),
            )
            .order_by(col(Timer.due_at))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.claimed_until, row.claimed_by = lease_until, worker or None
            self.session.add(row)
        return [records.DueTimer(_id(r.id), r.kind, r.subject, r.due_at) for r in rows]

    def take_timer(self, timer_id: int) -> bool:
        result = self.session.execute(
            update(Timer)
            .where(col(Timer.id) == timer_id, col(Timer.status) == "pending")
            .values(status="done")
        )
        return bool(getattr(result, "rowcount", 0))

    def pending_timers(self, kind: str, limit: int) -> list[records.DueTimer]:
        rows = self.session.exec(
            select(Timer)
            .where(Timer.kind == kind, Timer.status == "pending")
            .order_by(col(Timer.id))
            .limit(limit)
        ).all()
        return [records.DueTimer(_id(r.id), r.kind, r.subject, r.due_at) for r in rows]

    def next_timer_due(self) -> datetime | None:
        return self.session.exec(select(func.min(Timer.due_at)).where(Timer.status == "pending")).first()

    # outbox ---------------------------------------------------------------------------------

    def enqueue(
        self,
        kind: str,
        channel: str,
        recipient: dict[str, Any],
        body: dict[str, Any],
        *,
        at: datetime,
        message_id: int | None = None,
    ) -> int:
        row = Outbox(
            kind=kind,
            channel=channel,
            recipient=recipient,
            body=body,
            message_id=message_id,
            created_at=at,
            next_attempt_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _id(row.id)

    def claim_outbox(
        self, now: datetime, limit: int, lease_until: datetime, worker: str = ""
    ) -> list[records.OutboxItem]:
        # Oldest first; a recipient whose earliest undelivered item is not due yet (backing off,
        # leased to a sender, or waiting for the platform to confirm it) blocks its later items, so
        # messages arrive in order.
        if self.dialect == "postgresql":
            # One claimer at a time (SQLite's write lock does the same): with SKIP LOCKED, a second
            # claimer would not see a recipient's earliest row, locked by the first, and could take
            # that recipient's next message out of order.
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": OUTBOX_CLAIM_LOCK})
        rows = self.session.exec(
            select(Outbox)
            .where(col(Outbox.status).in_(("pending", "sending", "unknown")))
            .order_by(col(Outbox.id))
            .limit(limit * 5)
            .with_for_update()
        ).all()
        blocked: set[str] = set()
        claimed: list[tuple[Outbox, str, datetime | None]] = []
        for row in rows:
            key = f"{row.channel}:{row.recipient.get('user')}" if row.kind == "message" else f"#{row.id}"
            if row.kind == "notify":  # notifications to one target keep their order too
                key = f"notify:{row.recipient.get('target')}"
            if key in blocked:
                continue
            if row.next_attempt_at > now:
                blocked.add(key)
                continue
            if len(claimed) < limit:
                previous = ""
                if row.status == "unknown":
                    previous = "unconfirmed"
                elif row.status == "sending" and row.attempt_at is not None:
                    previous = "interrupted"  # its worker died (or lost the lease) during the call
                claimed.append((row, previous, row.attempt_at))
                row.status, row.next_attempt_at, row.claimed_by = "sending", lease_until, worker or None
                self.session.add(row)
        return [
            records.OutboxItem(
                _id(r.id), r.kind, r.channel, r.recipient, r.body, r.attempts, previous, attempt_at
            )
            for r, previous, attempt_at in claimed
        ]

    def release_outbox(self, item_ids: list[int]) -> None:
        self.session.execute(
            update(Outbox)
            .where(col(Outbox.id).in_(item_ids), col(Outbox.status) == "sending")
            .values(status="pending", next_attempt_at=Outbox.created_at, claimed_by=None)
        )

    def outbox_attempt(self, item_id: int, worker: str, at: datetime) -> bool:
        result = self.session.execute(
            update(Outbox)
            .where(
                col(Outbox.id) == item_id,
                col(Outbox.status) == "sending",
                col(Outbox.claimed_by) == worker if worker else col(Outbox.claimed_by).is_(None),
            )
            .values(attempt_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    def outbox_sent(self, item_id: int, platform_id: str, at: datetime) -> None:
        row = self._get(Outbox, item_id)
        if row.status == "sent":
            return  # the platform's confirmation was recorded first
        row.status, row.sent_at, row.platform_id, row.last_error = "sent", at, platform_id or None, None
        row.attempts += 1  # claimed_by stays: which worker sent it
        self.session.add(row)
        if row.message_id is not None and platform_id:
            message = self._get(Message, row.message_id)
            message.platform_id = platform_id
            self.session.add(message)

    def outbox_unknown(self, item_id: int, error: str, wait_until: datetime) -> None:
        row = self._get(Outbox, item_id)
        if row.status == "sent":
            return
        row.status, row.next_attempt_at, row.claimed_by = "unknown", wait_until, None
        row.attempts += 1
        row.last_error = error[:2000]
        self.session.add(row)

    def outbox_confirmed(self, item_id: int, platform_id: str, at: datetime) -> bool:
        row = self.session.exec(select(Outbox).where(Outbox.id == item_id).with_for_update()).first()
        if row is None or row.status not in ("sending", "unknown") or row.attempt_at is None:
            return False
        self.outbox_sent(item_id, platform_id, at)
        row.attempts -= 1  # the confirmation is not an attempt of its own
        return True

    def renew_leases(self, worker: str, outbox_ids: list[int], timer_ids: list[int], until: datetime) -> None:
        if outbox_ids:
            self.session.execute(
                update(Outbox)
                .where(
                    col(Outbox.id).in_(outbox_ids),
                    col(Outbox.status) == "sending",
                    col(Outbox.claimed_by) == worker,
                )
                .values(next_attempt_at=until)
            )
        if timer_ids:
            self.session.execute(
                update(Timer)
                .where(
                    col(Timer.id).in_(timer_ids),
                    col(Timer.status) == "pending",
                    col(Timer.claimed_by) == worker,
                )
                .values(claimed_until=until)
            )

    def reclaim(self, worker: str, now: datetime) -> int:
        outbox = self.session.execute(
            update(Outbox)
            .where(col(Outbox.claimed_by) == worker, col(Outbox.status) == "sending")
            .values(next_attempt_at=now)
        )
        timers = self.session.execute(
            update(Timer)
            .where(col(Timer.claimed_by) == worker, col(Timer.status) == "pending")
            .values(claimed_until=None, claimed_by=None)
        )
        return int(getattr(outbox, "rowcount", 0) or 0) + int(getattr(timers, "rowcount", 0) or 0)

    def outbox_rejected(
        self, channel: str, platform_id: str, error: str, item_id: int | None = None
    ) -> int | None:
        query = select(Outbox).where(Outbox.channel == channel, Outbox.platform_id == platform_id)
        row = self.session.exec(query.with_for_update()).first()
        if row is None and item_id is not None:
            found = self.session.get(Outbox, item_id, with_for_update=True)
            row = found if found is not None and found.channel == channel else None
        if row is None:
            return None
        row.status, row.last_error = "failed", error[:1000]
        self.session.add(row)
        return row.id

    def outbox_failed(self, item_id: int, error: str, retry_at: datetime | None) -> None:
        row = self._get(Outbox, item_id)
        if row.status == "sent":
            return  # confirmed by the platform meanwhile
        row.attempts += 1
        row.attempt_at, row.claimed_by = None, None  # the platform refused it: nothing in doubt
        row.last_error = error[:2000]
        if retry_at is None:
            row.status = "dead"
        else:
            row.status, row.next_attempt_at = "pending", retry_at
        self.session.add(row)

    # tickets --------------------------------------------------------------------------------

    def open_ticket_for(self, conversation_id: int) -> records.Ticket | None:
        row = self.session.exec(
            select(Ticket).where(
                Ticket.conversation_id == conversation_id,
                col(Ticket.status).in_(records.OPEN_TICKET_STATUSES),
            )
        ).first()
        return _ticket(row) if row is not None else None

    def open_ticket(
        self,
        *,
        conversation: records.Conversation,
        survey_id: str | None,
        team: str,
        reasons: list[str],
        transcript: list[dict[str, Any]],
        answers: list[dict[str, Any]],
        sla_due_at: datetime,
        at: datetime,
        priority: str = "normal",
        assignee: str | None = None,
        intent: str | None = None,
        sentiment: str | None = None,
        first_response_due_at: datetime | None = None,
    ) -> records.Ticket:
        row = Ticket(
            first_response_due_at=first_response_due_at,
            customer_id=conversation.customer_id,
            conversation_id=conversation.id,
            survey_id=survey_id,
            team=team,
            reasons=reasons,
            transcript=transcript,
            answers=answers,
            created_at=at,
            updated_at=at,
            sla_due_at=sla_due_at,
            priority=priority,
            assignee=assignee,
            status="assigned" if assignee else "open",
            intent=intent,
            sentiment=sentiment,
        )
        self.session.add(row)
        self.session.flush()
        # A ticket opened from a survey answer is a DSAT ticket; others come from triage or agents.
        self._note("ticket_opened", cause="survey" if survey_id and answers else "conversation")
        return _ticket(row)

    def get_ticket(self, ticket_id: int, *, lock: bool = False) -> records.Ticket:
        return _ticket(self._get(Ticket, ticket_id, lock=lock))

    def ticket_event(self, ticket_id: int, actor: str, action: str, detail: str, at: datetime) -> None:
        self.session.add(TicketEvent(ticket_id=ticket_id, at=at, actor=actor, action=action, detail=detail))

    def open_tickets_by_assignee(self, team: str) -> dict[str, int]:
        rows = self.session.exec(
            select(Ticket.assignee, func.count())
            .where(
                Ticket.team == team,
                col(Ticket.assignee).is_not(None),
                col(Ticket.status).in_(records.OPEN_TICKET_STATUSES),
            )
            .group_by(col(Ticket.assignee))
        ).all()
        return {str(assignee): int(count) for assignee, count in rows}

    def last_assignee(self, team: str) -> str | None:
        return self.session.exec(
            select(TicketEvent.detail)
            .join(Ticket, col(Ticket.id) == TicketEvent.ticket_id)
            .where(Ticket.team == team, TicketEvent.action == "assigned")
            .order_by(col(TicketEvent.id).desc())
            .limit(1)
        ).first()

    def update_ticket(self, ticket_id: int, at: datetime, **changes: Any) -> records.Ticket:
        row = self._get(Ticket, ticket_id)
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_at = at
        self.session.add(row)
        self.session.flush()
        return _ticket(row)

    # helpers --------------------------------------------------------------------------------

    def _get(self, table: Any, key: Any, *, lock: bool = False) -> Any:
        row = self.session.get(table, key, with_for_update=lock)
        if row is None:
            raise NotFoundError(f"no {table.__name__.lower()} with id {key!r}")
        return row


def _id(value: int | None) -> int:
    if value is None:  # flushed rows always have ids; this guards programmer errors
        raise RuntimeError("row has no id; flush before reading it")
    return value


def message_json(row: Message) -> dict[str, Any]:
    """A message as the APIs and tickets show it."""
    data: dict[str, Any] = {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "direction": row.direction,
        "author": row.author,
        "text": row.text,
        "at": row.created_at.isoformat(),
    }
    if row.payload is not None:  # a bot question; on a customer's reply, what it was recorded as
        data["prompt" if row.direction == "out" else "recorded"] = row.payload
    if row.survey_id is not None:
        data["survey_id"] = row.survey_id
    if row.intent is not None:
        data["classification"] = {
            "intent": row.intent,
            "intent_confidence": row.intent_confidence,
            "sentiment": row.sentiment,
            "sentiment_confidence": row.sentiment_confidence,
            "needs_human": row.needs_human,
            "triage": row.triage,
        }
    return data


def answer_json(row: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {"step": row.step, "kind": row.kind, "at": row.created_at.isoformat()}
    for key in ("score", "option", "text", "sentiment"):
        value = getattr(row, key)
        if value is not None:
            data[key] = value
    return data


def _identity(row: Identity) -> records.Identity:
    return records.Identity(
        _id(row.id),
        row.customer_id,
        row.channel,
        row.account,
        row.user,
        row.display_name,
        row.locale,
        row.last_inbound_at,
    )


def _survey(row: Survey) -> records.Survey:
    return records.Survey(
        row.id,
        row.customer_id,
        row.conversation_id,
        row.identity_id,
        row.channel,
        row.flow_id,
        row.flow_version,
        SurveyState.from_json(row.state),
        row.due_at,
        row.sent_at,
        row.kind,
        row.ticket_id,
    )


def _ticket(row: Ticket) -> records.Ticket:
    return records.Ticket(
        _id(row.id),
        row.customer_id,
        row.conversation_id,
        row.team,
        row.status,
        tuple(row.reasons),
        row.survey_id,
        row.created_at,
        row.sla_due_at,
        tuple(row.answers),
        tuple(row.transcript),
        row.assignee,
        row.priority,
        row.intent,
        row.sentiment,
        row.resolved_at,
        row.first_response_due_at,
        row.first_responded_at,
    )


__all__ = ["SqlRepository", "answer_json", "message_json"]

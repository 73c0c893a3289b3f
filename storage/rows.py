"""What the repository's parts share: the session they work in, and rows mapped to core records.

Each part of :class:`storage.repository.SqlRepository` (identities, conversations, surveys, timers,
outbox, tickets) is a mixin on :class:`Rows`. The mappers name every field (keyword arguments), so a
field added to a record cannot shift the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlmodel import Session

from bot import records
from bot.errors import NotFoundError
from bot.redaction import redact
from bot.repository import Handoff
from bot.storable import storable
from bot.survey import SurveyState
from models import Answer, Identity, Message, Ticket
from storage.db import insert_for

ERROR_LIMIT = 2000
"""The most of an error's text a row keeps (a platform's or proxy's error page can be long)."""


def stored_error(error: str, limit: int = ERROR_LIMIT) -> str:
    """``error`` as a row keeps it: without secrets (the logs' scrubbing: a proxy's error page may
    echo a request URL, which for Telegram holds the bot token), storable, at most ``limit`` long.
    Scrubbed before it is cut: a token cut in half would no longer be recognised."""
    return storable(redact(error))[:limit]


_PREBUILT: dict[tuple[str, str], Any] = {}
_MESSAGE_ID = Message.__table__.c.id  # type: ignore[attr-defined]
_ADD_MESSAGE = insert(Message).returning(_MESSAGE_ID)
"""A message, every column given (Core: no ORM object to build, track and flush). Given several
rows, SQLAlchemy sends them as one multi-row INSERT ("insertmanyvalues"), their ids returned."""
_ADD_MESSAGES_IN_ORDER = insert(Message).returning(_MESSAGE_ID, sort_by_parameter_order=True)
"""Several messages on PostgreSQL: SQLAlchemy writes ``INSERT ... SELECT ... FROM (VALUES ...)
ORDER BY <row number>``, the form whose serial ids follow that order (SQLAlchemy relies on it too).
SQLite would fall back to one INSERT per row with it: there the plain multi-row form is used."""


class Rows:
    """The open session (never committed here) and the events noted for the metrics."""

    _session: Session
    dialect: str
    noted: list[tuple[str, dict[str, str]]]
    held: list[Any]
    surveys: dict[str, dict[str, Any]]
    """Survey rows (Core, by column) as this unit of work last read or wrote them."""
    survey_changes: dict[str, dict[str, Any]]
    """Changes to survey rows not written yet (see ``SurveyRows.flush_surveys``)."""
    handoff: Handoff | None
    claimed: list[records.OutboxItem]
    claim_until: datetime | None
    queued: bool
    """Rows loaded in this unit of work, kept referenced so the session's (weak) identity map finds
    them again without a query, and so their changes go out as one UPDATE at the flush."""
    pending_messages: list[dict[str, Any]]
    """Messages whose ids nobody asked for, not written yet (see ``ConversationRows.add_message_later``)."""

    @property
    def session(self) -> Session:
        """The unit of work's session. Asking for it first writes the messages held back, so that no
        statement through it misses them (of the Core statements on ``_core``, only the messages' own
        INSERT touches the message table)."""
        if self.pending_messages:
            self.flush_messages()
        return self._session

    def flush_messages(self) -> None:
        """Write the messages held back (one INSERT, in the order they were added)."""
        if self.pending_messages:
            self._write_messages([])

    def _write_messages(self, values: list[dict[str, Any]]) -> int:
        """Insert the messages held back, then ``values``, as one INSERT; returns the last one's id.

        Ids must follow the order the messages were added in (transcripts sort by id). SQLite inserts
        the rows of a ``VALUES`` list one after the other in its order, each new rowid larger than
        the last; PostgreSQL gets the ordered form (see ``_ADD_MESSAGES_IN_ORDER``).
        ``tests/storage/test_conversations.py`` checks both. The order of the ``RETURNING``
        rows is not relied on: the last row's id is the largest."""
        rows, self.pending_messages = [*self.pending_messages, *values], []
        if len(rows) == 1:
            return int(self._core.execute(_ADD_MESSAGE, rows[0]).scalar_one())
        statement = _ADD_MESSAGES_IN_ORDER if self.dialect == "postgresql" else _ADD_MESSAGE
        return int(max(self._core.execute(statement, rows).scalars()))

    def _note(self, event: str, **labels: str) -> None:
        self.noted.append((event, labels))

    def _insert(self, table: Any) -> Any:
        return insert_for(self.dialect, table)

    def _prebuilt(self, name: str, build: Callable[[Rows], Any]) -> Any:
        """The statement ``build`` makes for this dialect, built once per process (values come as
        parameters at execution: building and caching a statement per call costs more than running it)."""
        key = (name, self.dialect)
        statement = _PREBUILT.get(key)
        if statement is None:
            statement = _PREBUILT[key] = build(self)
        return statement

    _connection: Connection | None = None

    @property
    def _core(self) -> Connection:
        """The transaction's connection, for Core statements (no ORM bookkeeping, no autoflush).

        Asked of the session once per unit of work (the repository never commits, so it stays the
        same): asking for every statement cost about a tenth of a survey turn's CPU."""
        connection = self._connection
        if connection is None or connection.closed:
            connection = self._connection = self._session.connection()
        return connection

    def _hold(self, row: Any) -> Any:
        self.held.append(row)
        return row

    def _get(self, table: Any, key: Any, *, lock: bool | dict[str, bool] = False) -> Any:
        """The row (``NotFoundError`` when missing); ``lock``: ``FOR UPDATE``, or another lock
        (:data:`KEY_SHARE`) held until the transaction ends. A locked read is of the row as it is
        once locked, even if this transaction read it before (the session would otherwise hand back
        its earlier copy)."""
        row = self.session.get(table, key, with_for_update=lock, populate_existing=bool(lock))
        if row is None:
            raise NotFoundError(f"no {table.__name__.lower()} with id {key!r}")
        return self._hold(row)


KEY_SHARE = {"read": True, "key_share": True}
"""``FOR KEY SHARE`` (PostgreSQL): waits only for a ``FOR UPDATE`` (an erasure's hold on the
customer) or a delete, not for the updates turns make (so no new waits between a reply and a
customer's message), and reads the row as that transaction left it."""


def row_id(value: int | None) -> int:
    """A flushed row's id (flushed rows always have one; this guards programmer errors)."""
    if value is None:
        raise RuntimeError("row has no id; flush before reading it")
    return value


def message_record(row: Message) -> records.TranscriptMessage:
    """A message row as a transcript shows it."""
    payload = row.payload  # a bot question; on a customer's reply, what it was recorded as
    return records.TranscriptMessage(
        id=row_id(row.id),
        conversation_id=row.conversation_id,
        direction=row.direction,
        author=row.author,
        text=row.text,
        at=row.created_at,
        prompt=payload if row.direction == "out" else None,
        recorded=payload if row.direction != "out" else None,
        survey_id=row.survey_id,
        classification=None
        if row.intent is None
        else records.MessageLabels(
            intent=row.intent,
            intent_confidence=row.intent_confidence,
            sentiment=row.sentiment,
            sentiment_confidence=row.sentiment_confidence,
            needs_human=row.needs_human,
            triage=row.triage,
        ),
    )


def message_json(row: Message) -> records.JsonObject:
    """A message as the APIs show it."""
    return message_record(row).as_json()


def answer_record(row: Answer) -> records.SurveyAnswer:
    """A survey answer row as a person reads it."""
    return records.SurveyAnswer(
        step=row.step,
        kind=row.kind,
        at=row.created_at,
        score=row.score,
        option=row.option,
        text=row.text,
        sentiment=row.sentiment,
    )


def answer_json(row: Answer) -> records.JsonObject:
    """A survey answer as the APIs show it."""
    return answer_record(row).as_json()


def identity_record(row: Identity | Any) -> records.Identity:
    """An identity row (ORM or Core) as the core sees it."""
    return records.Identity(
        id=row_id(row.id),
        customer_id=row.customer_id,
        channel=row.channel,
        account=row.account,
        user=row.user,
        display_name=row.display_name,
        locale=row.locale,
        last_inbound_at=row.last_inbound_at,
        unreachable=row.unreachable,
    )


def survey_record(row: Mapping[str, Any]) -> records.Survey:
    """A survey row (its columns by name) as the core sees it."""
    return records.Survey(
        id=row["id"],
        customer_id=row["customer_id"],
        conversation_id=row["conversation_id"],
        identity_id=row["identity_id"],
        channel=row["channel"],
        flow_id=row["flow_id"],
        flow_version=row["flow_version"],
        state=SurveyState.from_json(row["state"]),
        due_at=row["due_at"],
        sent_at=row["sent_at"],
        kind=row["kind"],
        ticket_id=row["ticket_id"],
    )


def ticket_record(row: Ticket) -> records.Ticket:
    """A ticket row as the core sees it."""
    return records.Ticket(
        id=row_id(row.id),
        customer_id=row.customer_id,
        conversation_id=row.conversation_id,
        team=row.team,
        status=row.status,
        reasons=tuple(row.reasons),
        survey_id=row.survey_id,
        created_at=row.created_at,
        sla_due_at=row.sla_due_at,
        answers=tuple(records.SurveyAnswer.from_json(a) for a in row.answers),
        transcript=tuple(records.TranscriptMessage.from_json(m) for m in row.transcript),
        assignee=row.assignee,
        priority=row.priority,
        intent=row.intent,
        sentiment=row.sentiment,
        resolved_at=row.resolved_at,
        first_response_due_at=row.first_response_due_at,
        first_responded_at=row.first_responded_at,
    )

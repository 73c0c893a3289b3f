"""The surveys behind a report figure: a drill-down page, and the CSV export (one row per survey).

Both select with :func:`storage.report_scope.conditions`, the same WHERE clause the figures use.
The export reads in keyset-paginated batches (``after`` the last row's ``(sent_at, id)``), so a
range of any size streams in constant memory and each batch is a short read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from models import Answer, Customer, Identity, Survey, Ticket
from storage.report_scope import SATISFIED_CSAT, conditions

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "sent_at",
    "customer_id",
    "customer",
    "channel",
    "team",
    "agents",
    "locale",
    "intent",
    "status",
    "csat",
    "nps",
    "ces",
    "reason",
    "comment",
    "escalated",
    "ticket",
    "recovered",
)
"""One row per survey; ``customer`` is their name (or user id) on the survey's channel, ``reason``
the option ids they chose (``;`` between them), ``ticket`` the DSAT ticket's number; ``recovered``
is empty unless a re-survey after its DSAT ticket was answered."""

IN_CHUNK = 500


@dataclass
class SurveyPage:
    """One page of the surveys behind a figure, and how many there are in all."""

    total: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    limit: int | None = None
    offset: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "surveys": self.rows}


def survey_rows(
    session: Session,
    since: datetime,
    until: datetime,
    *,
    filters: Mapping[str, str] | None = None,
    metric: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
    newest_first: bool = True,
    tz: tzinfo = UTC,
) -> SurveyPage:
    """The main surveys a figure counts: sent in ``[since, until)``, matching ``filters`` (dimension
    values and ``day``) and ``metric`` (a :data:`storage.report_scope.METRICS` name such as
    ``csat_satisfied``, ``detractors``, ``dsat``, ``responded``), with customer, agents and answers.
    A ``day`` filter names a day in ``tz``."""
    where = conditions(since, until, filters, metric, tz=tz)
    total = int(session.exec(select(func.count()).select_from(Survey).where(*where)).one())
    query = _page_query(where, newest_first=newest_first, limit=limit, offset=offset)
    rows = session.exec(query).all()
    ids = [survey.id for survey, _, _ in rows]
    answers = _answers(session, ids)
    tickets = _tickets(session, ids)
    entries = [
        _page_entry(
            survey=survey,
            identity=identity,
            customer=customer,
            ticket=tickets.get(survey.id),
            answers=answers.get(survey.id, []),
        )
        for survey, identity, customer in rows
    ]
    return SurveyPage(total, entries, limit, offset)


def _page_query(
    where: list[Any], *, newest_first: bool, limit: int | None, offset: int
) -> Select[Survey, Identity, Customer]:
    """The surveys of one page with their identity and customer, in the page's order."""
    order = (
        (col(Survey.sent_at).desc(), col(Survey.id).desc())
        if newest_first
        else (col(Survey.sent_at), col(Survey.id))
    )
    query = (
        select(Survey, Identity, Customer)
        .join(Identity, col(Identity.id) == col(Survey.identity_id))
        .join(Customer, col(Customer.id) == col(Survey.customer_id))
        .where(*where)
        .order_by(*order)
        .offset(offset)
    )
    return query if limit is None else query.limit(limit)


def _page_entry(
    *,
    survey: Survey,
    identity: Identity,
    customer: Customer,
    ticket: dict[str, Any] | None,
    answers: list[dict[str, Any]],
) -> dict[str, Any]:
    """One survey of a drill-down page, as the API and the console show it."""
    return {
        "id": survey.id,
        "flow": survey.flow_id,
        "channel": survey.channel,
        "customer": {
            "id": customer.id,
            "name": customer.display_name or identity.display_name or identity.user,
            "user": identity.user,
        },
        "conversation_id": survey.conversation_id,
        "sent_at": survey.sent_at.isoformat() if survey.sent_at else None,
        "status": survey.status,
        "locale": survey.locale,
        "team": survey.team,
        "intent": survey.intent,
        "agents": list(survey.agents),
        "responded": survey.responded,
        "csat": survey.csat,
        "nps": survey.nps,
        "ces": survey.ces,
        "escalated": survey.escalated,
        "ticket": ticket,
        "answers": answers,
    }


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def _answers(session: Session, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    answers: dict[str, list[dict[str, Any]]] = {}
    for chunk in _chunks(ids):
        query = select(Answer).where(col(Answer.survey_id).in_(chunk)).order_by(col(Answer.id))
        for answer in session.exec(query).all():
            entry: dict[str, Any] = {"step": answer.step, "kind": answer.kind}
            for key in ("score", "option", "text"):
                if (value := getattr(answer, key)) is not None:
                    entry[key] = value
            answers.setdefault(answer.survey_id, []).append(entry)
    return answers


def _tickets(session: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    tickets: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        query = select(col(Ticket.survey_id), col(Ticket.id), col(Ticket.status))
        query = query.where(col(Ticket.survey_id).in_(chunk))
        for survey_id, ticket_id, status in session.exec(query).all():
            tickets[str(survey_id)] = {"id": ticket_id, "status": status}
    return tickets


Cursor = tuple[datetime, str]


def csv_rows(
    session: Session,
    since: datetime,
    until: datetime,
    *,
    filters: Mapping[str, str] | None = None,
    metric: str | None = None,
    after: Cursor | None = None,
    limit: int = 5000,
    tz: tzinfo = UTC,
) -> tuple[list[tuple[Any, ...]], Cursor | None]:
    """One batch of export rows (:data:`CSV_COLUMNS`), oldest first, after ``after``; and the cursor
    of the next batch (``None`` when this was the last). A ``day`` filter names a day in ``tz``, and
    ``sent_at`` is written in ``tz`` with its offset (as the console shows it)."""
    where = conditions(since, until, filters, metric, tz=tz)
    if after is not None:
        sent, survey_id = after
        # The plain bound lets the (kind, sent_at) index start at the cursor, not at ``since``.
        where += [
            col(Survey.sent_at) >= sent,
            or_(col(Survey.sent_at) > sent, col(Survey.id) > survey_id),
        ]
    query = (
        sa.select(*_EXPORT_SELECT)
        .join(Identity, col(Identity.id) == col(Survey.identity_id))
        .where(*where)
        .order_by(col(Survey.sent_at), col(Survey.id))
        .limit(limit)
    )
    rows = session.connection().execute(query).all()  # plain rows: no ORM loading for 5,000 of them
    extras = _BatchExtras.load(session, where, rows)
    out = [_ExportRow(**row._mapping).cells(extras, tz) for row in rows]
    cursor = (rows[-1][1], rows[-1][0]) if len(rows) == limit else None
    return out, cursor


_EXPORT_SELECT: tuple[Any, ...] = (
    Survey.id,
    Survey.sent_at,
    Survey.channel,
    Survey.team,
    Survey.agents,
    Survey.locale,
    Survey.intent,
    Survey.status,
    Survey.csat,
    Survey.nps,
    Survey.ces,
    Survey.escalated,
    Survey.customer_id,
    Identity.display_name,
    Identity.user,
)
"""What the export reads of a survey; the row's keys are :class:`_ExportRow`'s fields."""


@dataclass(frozen=True)
class _BatchExtras:
    """What one export batch adds to its rows from other tables, by survey id."""

    comments: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    tickets: dict[str, int] = field(default_factory=dict)
    recovered: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, where: list[Any], rows: Sequence[Any]) -> _BatchExtras:
        if not rows:
            return cls()
        # The batch's own rows by range (up to its last row), not by a list of 5,000 ids: the
        # comments and re-survey answers then come in one indexed join each.
        last_sent, last_id = rows[-1][1], rows[-1][0]
        batch = [
            *where,
            col(Survey.sent_at) <= last_sent,
            or_(col(Survey.sent_at) < last_sent, col(Survey.id) <= last_id),
        ]
        return cls(
            comments=_comments(session, batch),
            reasons=_reasons(session, batch),
            tickets=_ticket_ids(session, batch),
            recovered=_recovered(session, batch),
        )


@dataclass(frozen=True)
class _ExportRow:
    """One row of the export query (:data:`_EXPORT_SELECT`), built by keyword from its columns."""

    id: str
    sent_at: datetime | None
    channel: str
    team: str | None
    agents: list[str]
    locale: str
    intent: str | None
    status: str
    csat: int | None
    nps: int | None
    ces: int | None
    escalated: bool
    customer_id: int
    display_name: str | None
    user: str

    def cells(self, extras: _BatchExtras, tz: tzinfo) -> tuple[Any, ...]:
        """The row's cells in :data:`CSV_COLUMNS` order."""
        sid = self.id
        return (
            sid,
            self.sent_at.astimezone(tz).isoformat() if self.sent_at else "",
            self.customer_id,
            self.display_name or self.user,
            self.channel,
            self.team or "",
            ";".join(self.agents),
            self.locale,
            self.intent or "",
            self.status,
            _blank(self.csat),
            _blank(self.nps),
            _blank(self.ces),
            extras.reasons.get(sid, ""),
            extras.comments.get(sid, ""),
            "true" if self.escalated else "false",
            extras.tickets.get(sid, ""),
            extras.recovered.get(sid, ""),
        )


def _blank(value: int | None) -> Any:
    return "" if value is None else value


def _comments(session: Session, batch: list[Any]) -> dict[str, str]:
    """The text answers of the surveys ``batch`` selects, joined per survey."""
    texts: dict[str, list[str]] = {}
    query = (
        select(col(Answer.survey_id), col(Answer.text))
        .join(Survey, col(Survey.id) == col(Answer.survey_id))
        .where(*batch, col(Answer.kind) == "text")
        .order_by(col(Answer.id))
    )
    for survey_id, text in session.connection().execute(query).all():
        texts.setdefault(survey_id, []).append(text or "")
    return {survey_id: " | ".join(parts) for survey_id, parts in texts.items()}


def _reasons(session: Session, batch: list[Any]) -> dict[str, str]:
    """The options chosen in the surveys ``batch`` selects (the reason steps), joined per survey."""
    chosen: dict[str, list[str]] = {}
    query = (
        select(col(Answer.survey_id), col(Answer.option))
        .join(Survey, col(Survey.id) == col(Answer.survey_id))
        .where(*batch, col(Answer.option).is_not(None))
        .order_by(col(Answer.id))
    )
    for survey_id, option in session.connection().execute(query).all():
        chosen.setdefault(survey_id, []).append(str(option))
    return {survey_id: ";".join(options) for survey_id, options in chosen.items()}


def _ticket_ids(session: Session, batch: list[Any]) -> dict[str, int]:
    """The DSAT ticket each survey ``batch`` selects opened (the first, if ever more than one)."""
    query = (
        select(col(Ticket.survey_id), func.min(col(Ticket.id)).label("ticket"))
        .join(Survey, col(Survey.id) == col(Ticket.survey_id))
        .where(*batch)
        .group_by(col(Ticket.survey_id))
    )
    rows = session.connection().execute(query).all()
    return {str(survey_id): int(ticket or 0) for survey_id, ticket in rows}


def _recovered(session: Session, batch: list[Any]) -> dict[str, str]:
    """For the escalated surveys ``batch`` selects: ``true``/``false`` when the re-survey after
    their ticket was answered."""
    followup = aliased(Survey, name="followup")
    query = (
        select(col(Survey.id), col(followup.csat))
        .join(Ticket, col(Ticket.survey_id) == col(Survey.id))
        .join(followup, col(followup.ticket_id) == col(Ticket.id))  # only follow-ups have a ticket_id
        .where(*batch, col(Survey.escalated).is_(True), col(followup.csat).is_not(None))
    )
    return {
        str(survey_id): "true" if (csat or 0) >= SATISFIED_CSAT else "false"
        for survey_id, csat in session.connection().execute(query).all()
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""What makes a spreadsheet read a cell as a formula (``=HYPERLINK(...)`` in a customer's comment);
the full-width forms too, which spreadsheets in CJK locales may take for the ASCII ones."""


_AFTER_SEPARATOR = re.compile(r"([;\t])(\s*)(?=[=+\-@＝＋－＠])")
"""A formula start after a ``;`` or a tab: where ``;`` separates cells (much of Europe), or an import
splits on tabs too, a spreadsheet splits ``ok;=cmd|...`` (unquoted: it has no comma; nor does a
tab get quoted) and the second cell is a formula."""


def csv_cell(value: Any) -> Any:
    """``value`` safe to open in a spreadsheet: text that would start a formula, also after leading
    spaces, gets a leading ``'`` (OWASP's advice; the cell then shows as text), and so does a formula
    start after a ``;`` or a tab. Numbers are left alone."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        value = "'" + value
    return _AFTER_SEPARATOR.sub(r"\1\2'", value) if ";" in value or "\t" in value else value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text (RFC 4180 quoting, ``\\r\\n`` line ends), every cell :func:`csv_cell`."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def iter_csv(
    session: Session,
    since: datetime,
    until: datetime,
    *,
    filters: Mapping[str, str] | None = None,
    metric: str | None = None,
    batch: int = 5000,
    tz: tzinfo = UTC,
) -> Iterator[str]:
    """The whole export as CSV text chunks, the header first, one chunk per batch."""
    yield csv_text([CSV_COLUMNS])
    after: Cursor | None = None
    while True:
        rows, after = csv_rows(
            session, since, until, filters=filters, metric=metric, after=after, limit=batch, tz=tz
        )
        if rows:
            yield csv_text(rows)
        if after is None:
            return

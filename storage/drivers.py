"""The rows :func:`bot.drivers.rank_drivers` reads: one per answered main survey, with its factors.

Factors: ``channel``, ``team``, ``intent``, ``locale``, ``agent`` (each credited agent), ``handled_by``
(``bot`` or ``human``), ``fcr`` (the customer's yes/no, ``unasked``), ``contacts`` (the customer's
conversations in the 30 days up to this one: ``1``, ``2``, ``3+``) and ``resolve_time`` (conversation
opened to resolved: ``<10m``, ``10m-1h``, ``1h-1d``, ``>1d``). DSAT is a survey escalated as
unhappy. Reasons are not a factor: only unhappy customers are asked them (see ranked reasons).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.drivers import Driver, fix_first, rank_drivers
from models import Conversation, Survey
from storage.report_scope import NONE, conditions

CONTACT_WINDOW = timedelta(days=30)
_BUCKETS = ((timedelta(minutes=10), "<10m"), (timedelta(hours=1), "10m-1h"), (timedelta(days=1), "1h-1d"))


def _resolve_time(opened: datetime, resolved: datetime | None) -> str:
    if resolved is None:
        return NONE
    took = resolved - opened
    return next((label for limit, label in _BUCKETS if took < limit), ">1d")


def driver_rows(
    session: Session, since: datetime, until: datetime, filters: Mapping[str, str] | None, tz: tzinfo
) -> list[tuple[dict[str, Any], bool]]:
    """``(factors, dsat)`` of every answered main survey sent in ``[since, until)``."""
    where = conditions(since, until, filters, "responded", tz=tz)
    # Columns, not Survey objects: tens of thousands of rows, each read once.
    columns = (Survey.customer_id, Survey.channel, Survey.team, Survey.intent, Survey.locale)
    query = (
        sa.select(*map(col, columns), col(Survey.agents), col(Survey.fcr), col(Survey.escalated))
        .add_columns(col(Conversation.opened_at), col(Conversation.resolved_at))
        .join(Conversation, col(Conversation.id) == col(Survey.conversation_id))
        .where(*where)
    )
    found = session.execute(query).all()
    opened_by = _opened_by_customer(session, where, since)
    rows = []
    for survey in found:
        times = opened_by.get(survey.customer_id, [])
        count = bisect_right(times, survey.opened_at) - bisect_left(times, survey.opened_at - CONTACT_WINDOW)
        rows.append((_factors(survey, contacts=count), bool(survey.escalated)))
    return rows


def _opened_by_customer(session: Session, where: list[Any], since: datetime) -> dict[int, list[datetime]]:
    """When each surveyed customer opened conversations (from :data:`CONTACT_WINDOW` before
    ``since``), oldest first: how many contacts a survey's issue took is counted in these."""
    customers = select(Survey.customer_id).where(*where)
    opened_by: dict[int, list[datetime]] = {}
    for customer_id, opened in session.execute(
        select(Conversation.customer_id, Conversation.opened_at)
        .where(
            col(Conversation.customer_id).in_(customers),
            col(Conversation.opened_at) >= since - CONTACT_WINDOW,
        )
        .order_by(col(Conversation.opened_at))
    ).all():
        opened_by.setdefault(customer_id, []).append(opened)
    return opened_by


def _factors(survey: Any, *, contacts: int) -> dict[str, Any]:
    """The factors of one survey row of :func:`driver_rows`, ``contacts`` in the window included."""
    return {
        "channel": survey.channel,
        "team": survey.team or NONE,
        "intent": survey.intent or NONE,
        "locale": survey.locale or NONE,
        "agent": [a for a in survey.agents if a != "bot"] or [NONE],
        "handled_by": "bot" if survey.agents == ["bot"] else "human",
        "fcr": "unasked" if survey.fcr is None else ("yes" if survey.fcr else "no"),
        "contacts": "3+" if contacts >= 3 else str(max(contacts, 1)),
        "resolve_time": _resolve_time(survey.opened_at, survey.resolved_at),
    }


def key_drivers(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    min_n: int = 10,
    tz: tzinfo = UTC,
) -> dict[str, Any]:
    """The drivers of DSAT in the range, ranked, and the top three to fix first."""
    rows = driver_rows(session, since, until, filters, tz)
    ranked: list[Driver] = rank_drivers(rows, min_n)
    return {
        "n": len(rows),
        "dsat": sum(dsat for _, dsat in rows),
        "min_n": min_n,
        "method": "DSAT rate of each factor value against all other surveys; two-proportion z-test "
        "(|z| >= 1.96) and a 95% Wilson interval; excess_dsat: DSAT the value adds over the rest's "
        "rate. One factor at a time: factors that go together share a gap.",
        "fix_first": [d.as_dict() for d in fix_first(ranked)],
        "drivers": [d.as_dict() for d in ranked],
    }


__all__ = ["driver_rows", "key_drivers"]

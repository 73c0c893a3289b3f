"""When the workers next have something to do: the earliest due timer and outbox row (one query).

The workers sleep until then (:mod:`csatbot.alarm`). A time here is a lower bound: the row may be
claimed meanwhile, or (outbox) wait behind an earlier message to the same recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, func, or_, select
from sqlmodel import Session, col

from models import Outbox, Timer
from models.types import UTCDateTime

WAITING = ("pending", "sending", "unknown")
"""Outbox states a claim takes (``sending`` and ``unknown`` once ``next_attempt_at`` has passed)."""


@dataclass(frozen=True, slots=True)
class NextDue:
    """The earliest time a timer and an outbox row can be claimed (``None``: nothing waits)."""

    timers: datetime | None
    outbox: datetime | None


def _statement() -> Select[datetime, datetime | None, datetime]:
    now = bindparam("now", type_=UTCDateTime())
    pending = col(Timer.status) == "pending"
    free = or_(col(Timer.claimed_until).is_(None), col(Timer.claimed_until) <= now)
    # Each part walks an index: timers (status, due_at); a claimed timer was due when claimed, so
    # the leased ones are among the overdue; outbox (status, next_attempt_at).
    unclaimed = (
        select(col(Timer.due_at)).where(pending, free).order_by(col(Timer.due_at)).limit(1).scalar_subquery()
    )
    leased = (
        select(func.min(Timer.claimed_until))
        .where(pending, col(Timer.due_at) <= now, col(Timer.claimed_until) > now)
        .scalar_subquery()
    )
    outbox = (
        select(col(Outbox.next_attempt_at))
        .where(col(Outbox.status).in_(WAITING))
        .order_by(col(Outbox.next_attempt_at))
        .limit(1)
        .scalar_subquery()
    )
    return select(unclaimed, leased, outbox)


STATEMENT = _statement()


def next_due(session: Session, now: datetime) -> NextDue:
    """The earliest claimable timer (its lease's end when another worker holds it) and outbox row."""
    unclaimed, leased, outbox = session.execute(STATEMENT, {"now": now}).one()
    times = [t for t in (unclaimed, leased) if t is not None]
    return NextDue(min(times) if times else None, outbox)

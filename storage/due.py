"""When the workers next have something to do: the earliest due timer, outbox row and inbox update
(one query).

The workers sleep until then (:mod:`csatbot.alarm`). A time here is a lower bound: the row may be
claimed meanwhile, or (outbox) wait behind an earlier message to the same recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlmodel import Session, col

from models import InboxRow, Outbox, Timer
from models.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class NextDue:
    """The earliest time a timer, an outbox row and an inbox update can be claimed (``None``:
    nothing waits)."""

    timers: datetime | None
    outbox: datetime | None
    inbox: datetime | None = None


def _first(column: Any, *where: Any) -> Any:
    return select(col(column)).where(*where).order_by(col(column)).limit(1).scalar_subquery()


def _statement() -> Select[datetime, datetime | None, datetime, datetime, int | None, datetime | None]:
    now = bindparam("now", type_=UTCDateTime())
    pending = col(Timer.status) == "pending"
    free = or_(col(Timer.claimed_until).is_(None), col(Timer.claimed_until) <= now)
    # Each part walks an index: timers (status, due_at); a claimed timer was due when claimed, so
    # the leased ones are among the overdue; outbox (status, next_attempt_at).
    unclaimed = _first(Timer.due_at, pending, free)
    leased = (
        select(func.min(Timer.claimed_until))
        .where(pending, col(Timer.due_at) <= now, col(Timer.claimed_until) > now)
        .scalar_subquery()
    )
    outbox = _first(Outbox.next_attempt_at, col(Outbox.status).in_(("pending", "unknown")))
    sending = _first(Outbox.next_attempt_at, col(Outbox.status) == "sending")  # when leases end
    # Inbox: pending updates are few (handled right after they are accepted); a claimed one, or one
    # waiting to be retried, is claimable when its claimed_until passes.
    waiting = col(InboxRow.status) == "pending"
    open_update = (
        select(func.min(col(InboxRow.id)))
        .where(waiting, or_(col(InboxRow.claimed_until).is_(None), col(InboxRow.claimed_until) <= now))
        .scalar_subquery()
    )
    held_update = (
        select(func.min(col(InboxRow.claimed_until)))
        .where(waiting, col(InboxRow.claimed_until) > now)
        .scalar_subquery()
    )
    return select(unclaimed, leased, outbox, sending, open_update, held_update)


STATEMENT = _statement()


def next_due(session: Session, now: datetime, grace: timedelta = timedelta(0)) -> NextDue:
    """The earliest claimable timer and outbox row; one a worker holds counts at its lease's end
    plus ``grace`` (its holder renews the lease while it works: a renewal a little late under load
    must not hand a live worker's message to another)."""
    unclaimed, leased, outbox, sending, open_update, held_update = session.execute(
        STATEMENT, {"now": now}
    ).one()
    return NextDue(
        _earliest(unclaimed, leased, grace),
        _earliest(outbox, sending, grace),
        _earliest(now if open_update is not None else None, held_update, grace),
    )


def _earliest(free: datetime | None, leased: datetime | None, grace: timedelta) -> datetime | None:
    times = [t for t in (free, None if leased is None else leased + grace) if t is not None]
    return min(times) if times else None

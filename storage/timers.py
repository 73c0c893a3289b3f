"""Timers: one pending timer per kind and subject, claimed under a lease when due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, update
from sqlmodel import col, select

from bot import records
from models import Timer
from storage.rows import Rows, row_id

_CANCEL = (
    update(Timer)
    .where(
        col(Timer.subject) == bindparam("b_subject"),
        col(Timer.kind).in_(bindparam("b_kinds", expanding=True)),
        col(Timer.status) == "pending",
    )
    .values(status="cancelled")
)


def due_timer(row: Timer | Any) -> records.DueTimer:
    """A timer row as the core sees it."""
    return records.DueTimer(id=row_id(row.id), kind=row.kind, subject=row.subject, due_at=row.due_at)


class TimerRows(Rows):
    """The timers part of the repository."""

    def has_timer(self, kind: str, subject: str) -> bool:
        query = select(Timer.id).where(
            Timer.kind == kind, Timer.subject == subject, Timer.status == "pending"
        )
        return self.session.exec(query).first() is not None

    def schedule(self, kind: str, subject: str, due_at: datetime, at: datetime) -> None:
        # populate_existing: a Core cancel (below) may have changed a row the session still holds.
        query = select(Timer).where(Timer.kind == kind, Timer.subject == subject)
        row = self.session.exec(query.execution_options(populate_existing=True)).first()
        if row is None:
            row = Timer(kind=kind, subject=subject, created_at=at, due_at=due_at)
        row.status, row.due_at, row.claimed_until = "pending", due_at, None
        self.session.add(row)
        self.session.flush()

    def cancel_timer(self, kind: str, subject: str) -> None:
        self.cancel_timers(subject, (kind,))

    def cancel_timers(self, subject: str, kinds: Sequence[str]) -> None:
        # Core, one UPDATE for every kind: no autoflush of the turn's pending survey changes.
        self._core.execute(_CANCEL, {"b_subject": subject, "b_kinds": list(kinds)})

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
        return [due_timer(r) for r in rows]

    def take_timer(self, timer_id: int, due_by: datetime | None = None) -> bool:
        where = [col(Timer.id) == timer_id, col(Timer.status) == "pending"]
        if due_by is not None:
            where.append(col(Timer.due_at) <= due_by)
        result = self.session.execute(update(Timer).where(*where).values(status="done"))
        return bool(getattr(result, "rowcount", 0))

    def pending_timers(self, kind: str, limit: int) -> list[records.DueTimer]:
        rows = self.session.exec(
            select(Timer)
            .where(Timer.kind == kind, Timer.status == "pending")
            .order_by(col(Timer.id))
            .limit(limit)
        ).all()
        return [due_timer(r) for r in rows]

    def next_timer_due(self) -> datetime | None:
        return self.session.exec(select(func.min(Timer.due_at)).where(Timer.status == "pending")).first()

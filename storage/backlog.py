"""What is waiting in the database: undelivered outbox rows and due timers (metrics, readiness)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Outbox, Timer


@dataclass(frozen=True)
class Backlog:
    """Undelivered outbox rows by kind, when the oldest was queued, and how many timers are due."""

    outbox: dict[str, int] = field(default_factory=dict)
    oldest_outbox_at: datetime | None = None
    timers_due: int = 0

    def outbox_lag(self, now: datetime) -> float:
        """Seconds the oldest undelivered outbox row has waited (0 when none waits)."""
        if self.oldest_outbox_at is None:
            return 0.0
        return max(0.0, (now - self.oldest_outbox_at).total_seconds())


def backlog(session: Session, now: datetime) -> Backlog:
    """Three indexed queries: outbox ``(status, next_attempt_at)``, timers ``(status, due_at)``."""
    waiting = col(Outbox.status).in_(("pending", "sending"))
    by_kind = session.exec(select(Outbox.kind, func.count()).where(waiting).group_by(Outbox.kind)).all()
    oldest = session.exec(select(func.min(Outbox.created_at)).where(waiting)).first()
    due = session.exec(select(func.count()).where(Timer.status == "pending", col(Timer.due_at) <= now)).one()
    return Backlog({kind: int(n) for kind, n in by_kind}, oldest, int(due))

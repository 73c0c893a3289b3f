"""What is waiting in the database: undelivered outbox rows, due timers and unhandled inbox updates
(metrics, readiness)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import InboxRow, Outbox, Timer


@dataclass(frozen=True)
class Backlog:
    """Undelivered outbox rows by kind, when the oldest was queued, how many timers are due, and the
    inbox: updates accepted but not handled yet (and since when), and those given up on."""

    outbox: dict[str, int] = field(default_factory=dict)
    oldest_outbox_at: datetime | None = None
    timers_due: int = 0
    inbox: int = 0
    oldest_inbox_at: datetime | None = None
    inbox_failed: int = 0

    def outbox_lag(self, now: datetime) -> float:
        """Seconds the oldest undelivered outbox row has waited (0 when none waits)."""
        return _age(self.oldest_outbox_at, now)

    def inbox_lag(self, now: datetime) -> float:
        """Seconds the oldest unhandled inbox update has waited (0 when none waits)."""
        return _age(self.oldest_inbox_at, now)


def _age(since: datetime | None, now: datetime) -> float:
    return 0.0 if since is None else max(0.0, (now - since).total_seconds())


def backlog(session: Session, now: datetime) -> Backlog:
    """Indexed queries: outbox ``(status, next_attempt_at)``, timers ``(status, due_at)``, inbox
    ``(status, id)``."""
    waiting = col(Outbox.status).in_(("pending", "sending"))
    by_kind = session.exec(select(Outbox.kind, func.count()).where(waiting).group_by(Outbox.kind)).all()
    oldest = session.exec(select(func.min(Outbox.created_at)).where(waiting)).first()
    due = session.exec(select(func.count()).where(Timer.status == "pending", col(Timer.due_at) <= now)).one()
    inbox_rows = session.exec(
        select(InboxRow.status, func.count(), func.min(InboxRow.received_at))
        .where(col(InboxRow.status).in_(("pending", "failed")))
        .group_by(InboxRow.status)
    ).all()
    inbox = {status: (int(n), first) for status, n, first in inbox_rows}
    pending, oldest_inbox = inbox.get("pending", (0, None))
    return Backlog(
        {kind: int(n) for kind, n in by_kind},
        oldest,
        int(due),
        inbox=pending,
        oldest_inbox_at=oldest_inbox,
        inbox_failed=inbox.get("failed", (0, None))[0],
    )

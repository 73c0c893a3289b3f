"""Leases on claimed outbox rows and timers: renewed while a worker works, ended when it restarts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col

from models import Outbox, Timer
from storage.rows import Rows


class LeaseRows(Rows):
    """The leases part of the repository."""

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

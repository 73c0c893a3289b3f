"""Rate limits shared by every process of a deployment: leaky buckets kept in the database.

Each bucket is one row (``rate_bucket``), taken from inside a write transaction that locks it
(``FOR UPDATE`` on PostgreSQL, the write lock on SQLite), so two processes never both take the last
room. A take costs one short transaction, however many buckets it takes room in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from models import RateBucket
from storage.db import Database

Wanted = tuple[str, float, float]
"""One bucket to take room in: its key, how many messages drain from it per second, its size."""


class SqlRates:
    """:class:`adapters.http.SharedBuckets` and :class:`adapters.notify.limits.SharedRooms` on the
    database; ``now`` gives seconds (the same clock in every process: the Unix time)."""

    def __init__(self, database: Database, now: Callable[[], float] = time.time) -> None:
        self.database = database
        self.now = now

    async def take(self, key: str, rate: float, burst: float) -> float:
        """Take room for one message in bucket ``key`` (``rate`` per second, up to ``burst`` at
        once): 0 when taken, else the seconds to wait before asking again (nothing taken)."""
        return await self.take_all([(key, rate, burst)])

    async def take_all(self, wanted: Sequence[Wanted]) -> float:
        """Take room for one message in every bucket of ``wanted`` at once, or in none: 0 when
        taken, else the seconds until all of them have room (nothing taken anywhere)."""
        return await asyncio.to_thread(self.take_all_sync, wanted)

    def take_all_sync(self, wanted: Sequence[Wanted]) -> float:
        insert = pg_insert if self.database.dialect == "postgresql" else sqlite_insert
        with Session(self.database.writer) as session, session.begin():
            rows: list[tuple[RateBucket, float, float]] = []
            for key, rate, burst in sorted(wanted):  # always locked in key order: no deadlock
                row = session.get(RateBucket, key, with_for_update=True)
                if row is None:  # the first take ever: make the row, or find another process's
                    session.execute(
                        insert(RateBucket).values(key=key, level=0.0, updated=0.0).on_conflict_do_nothing()
                    )
                    row = session.exec(
                        select(RateBucket).where(RateBucket.key == key).with_for_update()
                    ).one()
                rows.append((row, rate, burst))
            now = self.now()
            # A clock behind the one that last wrote a row drains nothing (never fills it up).
            levels = [max(0.0, row.level - max(0.0, now - row.updated) * rate) for row, rate, _ in rows]
            wait = max(
                ((level + 1 - burst) / rate for level, (_, rate, burst) in zip(levels, rows, strict=True)),
                default=0.0,
            )
            if wait > 0:
                return wait  # nothing written: a refusal costs no bucket anything
            for level, (row, _, _) in zip(levels, rows, strict=True):
                row.level = level + 1
                row.updated = max(row.updated, now)
                session.add(row)
            return 0.0

"""Rate limits shared by every process of a deployment: leaky buckets kept in the database.

Each bucket is one row (``rate_bucket``), taken from inside a write transaction that locks it
(``FOR UPDATE`` on PostgreSQL, the write lock on SQLite), so two processes never both take the last
room. A take costs one short transaction per bucket.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlmodel import Session

from models import RateBucket
from storage.db import Database


class SqlRates:
    """:class:`adapters.http.SharedBuckets` on the database."""

    def __init__(self, database: Database, now: Callable[[], float] = time.time) -> None:
        self.database = database
        self.now = now

    async def take(self, key: str, rate: float, burst: float) -> float:
        """Take room for one message in bucket ``key`` (``rate`` per second, up to ``burst`` at
        once): 0 when taken, else the seconds to wait before asking again (nothing taken)."""
        return await asyncio.to_thread(self.take_sync, key, rate, burst)

    def take_sync(self, key: str, rate: float, burst: float) -> float:
        with Session(self.database.writer) as session, session.begin():
            row = session.get(RateBucket, key, with_for_update=True)
            now = self.now()
            if row is None:
                row = RateBucket(key=key, level=0.0, updated=now)
                session.add(row)
                try:
                    session.flush()
                except Exception:  # another process created it first: take it from theirs
                    session.rollback()
                    return 0.01
            level = max(0.0, row.level - (now - row.updated) * rate)
            row.updated = now
            if level + 1 <= burst:
                row.level = level + 1
                return 0.0
            row.level = level
            return (level + 1 - burst) / rate

"""Rate limits shared by every process of a deployment: leaky buckets kept in the database.

Each bucket is one row (``rate_bucket``), taken from inside a write transaction that locks it
(``FOR UPDATE`` on PostgreSQL, the write lock on SQLite), so two processes never both take the last
room. A take is one short transaction of two statements, however many buckets it takes room in:
one that locks and reads the rows (in key order: no deadlock; made at their first take), one that
writes their new levels. Takes asked for while one is being written share the next transaction,
taken one after the other in the order asked (what separate transactions in that order would
take): a Telegram tap's edit and its next question ask at the same moment. The arithmetic is
:func:`bot.buckets.take_room`'s.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Table, TextClause, bindparam, text, update

from bot.buckets import Bucket, take_room
from models import RateBucket
from storage.db import Database
from storage.group_commit import GroupCommit

Wanted = tuple[str, float, float]
"""One bucket to take room in: its key, how many messages drain from it per second, its size."""
Asked = tuple[Sequence[Wanted], float]
"""One take: the buckets it takes room in, and how many seconds ahead it may take it."""

TABLE: Table = RateBucket.__table__  # type: ignore[attr-defined]
_WRITE = (
    update(TABLE)
    .where(TABLE.c.key == bindparam("k"))
    .values(level=bindparam("new_level"), updated=bindparam("new_updated"))
)


@functools.cache
def _lock_statement(keys: int) -> TextClause:
    """The upsert that makes, locks and reads ``keys`` buckets (``:k0``, ``:k1``...), the same text
    on SQLite and PostgreSQL. Written out once per count: SQLAlchemy cannot cache a multi-row
    ``insert().values([...])``, and compiling one anew cost a take about 0.3 ms of CPU."""
    rows = ", ".join(f"(:k{i}, 0.0, 0.0)" for i in range(keys))
    return text(
        f'INSERT INTO {TABLE.name} ("key", level, updated) VALUES {rows} '
        'ON CONFLICT ("key") DO UPDATE SET "key" = excluded."key" RETURNING "key", level, updated'
    )


class SqlRates:
    """:class:`adapters.http.SharedBuckets` and :class:`adapters.notify.limits.SharedRooms` on the
    database; ``now`` gives seconds (the same clock in every process: the Unix time)."""

    def __init__(self, database: Database, now: Callable[[], float] = time.time) -> None:
        self.database = database
        self.now = now
        self._taking = GroupCommit(self.reserve_each_sync)

    async def take(self, key: str, rate: float, burst: float) -> float:
        """Take room for one message in bucket ``key`` (``rate`` per second, up to ``burst`` at
        once): 0 when taken, else the seconds to wait before asking again (nothing taken)."""
        return await self.take_all([(key, rate, burst)])

    async def take_all(self, wanted: Sequence[Wanted]) -> float:
        """Take room for one message in every bucket of ``wanted`` at once, or in none: 0 when
        taken, else the seconds until all of them have room (nothing taken anywhere)."""
        return await asyncio.to_thread(self.take_all_sync, wanted)

    def take_all_sync(self, wanted: Sequence[Wanted]) -> float:
        wait, taken = self.reserve_sync(wanted, 0.0)
        return 0.0 if taken else wait

    async def reserve(self, wanted: Sequence[Wanted], within: float = math.inf) -> float | None:
        """Take room for one message in every bucket of ``wanted``, at the first moment all of them
        have it if that is within ``within`` seconds: the seconds to wait before sending (0: now),
        or ``None`` when it is further off (nothing taken). Waiting senders never ask again.

        Takes asked for while one is being written share the next transaction (in the order asked)."""
        wait, taken = await self._taking.ask((wanted, within))
        return wait if taken else None

    def reserve_sync(self, wanted: Sequence[Wanted], within: float) -> tuple[float, bool]:
        """The wait until ``wanted`` all have room, and whether room was taken (wait within ``within``)."""
        [result] = self.reserve_each_sync([(wanted, within)])
        return result

    def reserve_each_sync(self, asked: Sequence[Asked]) -> list[tuple[float, bool]]:
        """:meth:`reserve_sync` for each of ``asked`` in turn, in one transaction."""
        with self.database.writer.begin() as conn:
            rows = self._lock(conn, sorted({key for wanted, _ in asked for key, _, _ in wanted}))
            now = self.now()
            results = [_take(rows, wanted, within, now) for wanted, within in asked]
            written = [
                {"k": key, "new_level": level, "new_updated": updated}
                for key, (level, updated, changed) in rows.items()
                if changed
            ]
            if written:  # else nothing changed: a refusal costs no bucket anything
                conn.execute(_WRITE, written)
            return results

    def _lock(self, conn: Connection, keys: list[str]) -> dict[str, Level]:
        """Lock the rows of ``keys`` in key order (no deadlock), made at their first take, and read
        them: one statement (an upsert that changes nothing in a row that exists)."""
        params = {f"k{i}": key for i, key in enumerate(keys)}
        rows = conn.execute(_lock_statement(len(keys)), params)
        found = {key: (level, updated, False) for key, level, updated in rows}
        return {key: found[key] for key in keys}


Level = tuple[float, float, bool]
"""A locked bucket's level, as of when (seconds), and whether a take of this transaction changed it."""


def _take(rows: dict[str, Level], wanted: Sequence[Wanted], within: float, now: float) -> tuple[float, bool]:
    """Take one message's room in ``wanted`` from the locked ``rows`` (updated in place): the wait,
    and whether room was taken."""
    buckets = [Bucket(rows[key][0], rows[key][1], rate, size) for key, rate, size in wanted]
    wait, levels = take_room(buckets, now, within)
    if levels is None:
        return wait, False
    for (key, _, _), level in zip(wanted, levels, strict=True):
        rows[key] = (level, max(rows[key][1], now), True)
    return wait, True

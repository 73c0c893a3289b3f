"""Runs units of work in transactions, in worker threads, retrying transient lock conflicts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar, cast

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session
from tenacity import RetryCallState, retry, retry_if_exception, stop_after_attempt, wait_random_exponential
from tenacity.stop import stop_base

from bot.ports import Meter, NoMeter
from bot.repository import Handoff, Repository
from storage.db import Database
from storage.repository import SqlRepository

T = TypeVar("T")


def _transient(exc: BaseException) -> bool:
    """Lock timeouts (SQLite) and deadlocks or serialization failures (PostgreSQL)."""
    if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and code in {"40001", "40P01"}


class _WaitedOut(stop_base):
    """A unit that already waited SQLite's busy timeout for the write lock stops there: another
    process holds the lock for long, and waiting as long again four more times (2.5 minutes at the
    default 30 s) outlasts any client; the caller answers 503 with Retry-After instead."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        busy = cast(SqlStore, retry_state.args[0]).database.busy_timeout
        waited = retry_state.seconds_since_start
        return busy is not None and waited is not None and waited >= busy


class SqlStore:
    """The :class:`bot.repository.Store` on SQLAlchemy: one session and one commit per unit of work."""

    def __init__(self, database: Database, meter: Meter | None = None) -> None:
        self.database = database
        self.meter: Meter = meter or NoMeter()
        """Counts the events a unit of work noted (surveys sent, tickets opened...), once committed."""
        self.handoff: Handoff | None = None

    async def run(self, work: Callable[[Repository], T]) -> T:
        """Run ``work`` in a write transaction in a worker thread (and hand what it queued on)."""
        handoff = self.handoff
        if handoff is None:
            return await asyncio.to_thread(self.run_sync, work)
        result, repo = await asyncio.to_thread(self._unit, work, handoff)
        if repo.claimed or repo.queued:
            handoff.take(repo.claimed, repo.claim_until, repo.queued)
        return cast(T, result)  # tenacity's decorator loses the type

    async def read(self, work: Callable[[SqlRepository], T]) -> T:
        """Run read-only ``work`` without taking the write lock."""
        return await asyncio.to_thread(self.read_sync, work)

    @retry(
        retry=retry_if_exception(_transient),
        stop=stop_after_attempt(5) | _WaitedOut(),
        wait=wait_random_exponential(multiplier=0.05, max=1.0),
        reraise=True,
    )
    def _unit(self, work: Callable[[Repository], T], handoff: Handoff | None) -> tuple[T, SqlRepository]:
        repo: SqlRepository
        with Session(self.database.writer, expire_on_commit=False) as session, session.begin():
            repo = SqlRepository(session, handoff)
            result = work(repo)
            repo.flush()
        for event, labels in repo.noted:
            self.meter.count(event, **labels)
        return result, repo

    def run_sync(self, work: Callable[[Repository], T]) -> T:
        """Run ``work`` in a write transaction here (what it queues waits for a claim)."""
        return cast(T, self._unit(work, None)[0])  # tenacity's decorator loses the type

    def read_sync(self, work: Callable[[SqlRepository], T]) -> T:
        """Run read-only ``work`` here; once more on a fresh connection when the one it had was
        dropped under it (the database restarted or a proxy cut it after the pool's check): a read
        changes nothing, so trying it again is safe (a write is not retried: its commit may have
        landed)."""
        try:
            return self._read(work)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            return self._read(work)

    def _read(self, work: Callable[[SqlRepository], T]) -> T:
        with Session(self.database.reader, expire_on_commit=False) as session, session.begin():
            return work(SqlRepository(session))

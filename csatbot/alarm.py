"""When the timer, outbox and inbox workers run: at the next due time, when woken, and when another
process may have queued work.

Instead of a transaction every tick, one loop reads when the next timer and outbox row fall due
(:func:`storage.due.next_due`, one indexed query) and sleeps until the earliest of:

* that time (work a worker holds counts at its lease's end plus ``shortest``: a dead worker's
  work is taken over when its lease runs out, as before, and a live worker's renewal may be late);
* a wake: this process wrote a timer (watched on the database engine, so every code path that
  schedules one, or puts an inbox update back to be retried, counts; the wake comes once the
  connection is back in the pool, after its commit) or asked for one (:meth:`Alarm.wake`); the
  outbox pump is kicked directly by whoever queues a message (``ConversationService.wake``), the
  inbox pump by the webhook that accepted an update;
* a check every ``longest`` seconds (1 s, the old tick) for work this process cannot hear about:
  on SQLite two ``stat`` calls on the database and its WAL, and a read only when one changed
  (another process committed); on PostgreSQL a read each time; and whether the clock has reached
  the next due time (a test's clock moves by itself).

Two looks are at least ``shortest`` seconds apart (under load, a wake per turn would cost more than
the turn), and rows that are due but not claimable (a recipient's later messages wait behind one in
flight) are looked at again after ``shortest`` seconds, never in a busy loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.ports import Clock
from storage.db import is_unreachable
from storage.due import NextDue, next_due
from storage.store import SqlStore

log = logging.getLogger("csatbot")

TIMER_WRITES = ("INSERT INTO timer ", "UPDATE timer ", "UPDATE inbox ")
"""How a statement that schedules, moves or releases a timer (or an inbox update) begins (both
dialects)."""
WRITTEN = "csatbot_timer_written"
WEEK = 7 * 24 * 3600.0  # seconds: how long a look with nothing due sleeps between checks


class Alarm:
    """Kicks ``timers``, ``outbox`` and ``inbox`` (each a ``Pump.kick``) when their rows fall due."""

    def __init__(
        self,
        store: SqlStore,
        clock: Clock,
        timers: Callable[[], None],
        outbox: Callable[[], None],
        *,
        longest: float,
        shortest: float,
        files: Sequence[Path] = (),
        inbox: Callable[[], None] = lambda: None,
    ) -> None:
        """``longest``: seconds between two checks for work this process cannot hear about; with
        ``files`` (a SQLite database and its WAL) a check is two ``stat`` calls and the database
        is read only when one changed (another process wrote), else it is read each time."""
        self.store = store
        self.files = tuple(files)
        self.clock = clock
        self.kicks = (timers, outbox, inbox)
        self.longest = longest
        self.shortest = min(shortest, longest)
        self.looks = 0
        """How many times the loop has read the next due times (tests, the start-up bench)."""
        self.sleep = 0.0
        """How long the last look chose to sleep, in seconds (unless woken)."""
        self.next: datetime | None = None
        """The earliest due time the last look found (clock time)."""
        self._woken = asyncio.Event()
        self._stopping = asyncio.Event()
        self._stopped = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._engine: Engine | None = None

    def watch(self, engine: Engine) -> None:
        """Wake whenever a connection of ``engine`` that wrote a timer is back in the pool.

        The listeners stay for the engine's life (once per engine, a stopped alarm's wake does
        nothing): SQLAlchemy's listener lists are no thread-safe collections, and removing one while
        a thread returned a connection failed that return ("deque mutated during iteration"): the
        unit of work that had committed raised, and its connection stayed counted as lent, so each
        stop waited 5 s for it."""
        if self._engine is engine:
            return
        self._engine = engine
        event.listen(engine, "after_cursor_execute", self._noted)
        event.listen(engine, "checkin", self._returned)

    def _noted(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(TIMER_WRITES):
            conn.info[WRITTEN] = True  # the pool record's info: the same dict ``checkin`` sees

    def _returned(self, _dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(WRITTEN, False):
            self.wake()

    def wake(self) -> None:
        """Look at the due times again now (from any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed() or self._stopped:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._woken.set()
        else:
            loop.call_soon_threadsafe(self._woken.set)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = False
        self._stopping.clear()
        self._task = self._loop.create_task(self._run())

    async def stop(self) -> None:
        """End the loop after its current look (a read in its thread is never cut off)."""
        self._stopped = True
        self._stopping.set()
        self._woken.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        loop = self._loop
        assert loop is not None
        last = -self.shortest
        while not self._stopped:
            await self._sleep(last + self.shortest - loop.time())  # looks stay apart
            if self._stopped:
                return
            self._woken.clear()  # a wake from here on means: look again
            last = loop.time()
            seen = self._files_now()
            try:
                wait = await self._look()
            except Exception as exc:
                wait = self.longest
                if is_unreachable(exc):
                    log.warning("due times not read: the database is unreachable (%s)", exc)
                else:
                    log.exception("reading the due times failed")
            self.sleep = wait
            await self._until_due(loop.time() + wait, seen)

    async def _until_due(self, deadline: float, seen: tuple[tuple[int, int] | None, ...]) -> None:
        """Sleep until ``deadline`` or a wake; every ``longest`` seconds, end early when another
        process may have written (the files changed, or there are none to tell) or the clock has
        reached the next due time (a test's clock moves by itself)."""
        loop = self._loop
        assert loop is not None
        while (left := deadline - loop.time()) > 0:
            try:
                await asyncio.wait_for(self._woken.wait(), min(left, self.longest))
                return
            except TimeoutError:
                pass
            if not self.files or self._files_now() != seen:
                return
            if self.next is not None and self.clock.now() >= self.next:
                return

    def _files_now(self) -> tuple[tuple[int, int] | None, ...]:
        return tuple(_signature(path) for path in self.files)

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _look(self) -> float:
        """Kick what is due now; return how long to sleep."""
        now = self.clock.now()
        grace = timedelta(seconds=self.shortest)
        due: NextDue = await self.store.read(lambda repo: next_due(repo.session, now, grace))
        self.looks += 1
        times = (due.timers, due.outbox, due.inbox)
        known = [at for at in times if at is not None]
        self.next = min(known) if known else None
        wait = WEEK
        for kick, at in zip(self.kicks, times, strict=True):
            if at is None:
                continue
            delay = _seconds(at, now)
            if delay <= 0:
                kick()
                delay = self.shortest  # claimed by the run just kicked, or waiting behind one
            wait = min(wait, delay)
        return wait


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def _seconds(at: datetime, now: datetime) -> float:
    return (at - now).total_seconds()

"""The workers' alarm, on SQLite and PostgreSQL: due work is started at its due time without polling
the database every tick; a timer written here wakes it; another worker's lease is waited out; work
another process queued is found by the next check (on SQLite by the files changing, with no read
while nothing changes); rows due but not claimable never spin."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ports import SystemClock
from csatbot.alarm import Alarm
from csatbot.runtime import Runtime, sqlite_files
from models import InboxRow, Outbox, Timer
from storage import open_database
from storage.db import Database
from storage.migrate import upgrade
from storage.store import SqlStore

from ..conftest import conversation_of, customer_reads, customer_says, served
from .test_privacy import write_config


@dataclass
class Kicks:
    """When each pump was kicked (loop time), and how many looks the alarm had made by then."""

    alarm: Alarm | None = None
    timers: list[tuple[float, int]] = field(default_factory=list)
    outbox: list[tuple[float, int]] = field(default_factory=list)
    inbox: list[tuple[float, int]] = field(default_factory=list)

    def note(self, into: list[tuple[float, int]]) -> Callable[[], None]:
        def kicked() -> None:
            assert self.alarm is not None
            into.append((asyncio.get_running_loop().time(), self.alarm.looks))

        return kicked


@dataclass
class Running:
    alarm: Alarm
    kicks: Kicks
    store: SqlStore
    database: Database


MakeAlarm = Callable[..., contextlib.AbstractAsyncContextManager[Running]]


@pytest.fixture
def make_alarm(database_url: str) -> MakeAlarm:
    """``async with make_alarm(longest=..., shortest=...)``: an alarm on a migrated database whose
    kicks are only noted (nothing claims the rows)."""

    @contextlib.asynccontextmanager
    async def make(*, longest: float, shortest: float = 0.05) -> AsyncIterator[Running]:
        database = open_database(database_url)
        upgrade(database)
        store = SqlStore(database)
        kicks = Kicks()
        alarm = Alarm(
            store,
            SystemClock(),
            kicks.note(kicks.timers),
            kicks.note(kicks.outbox),
            longest=longest,
            shortest=shortest,
            inbox=kicks.note(kicks.inbox),
        )
        kicks.alarm = alarm
        alarm.watch(database.writer)
        alarm.start()
        try:
            await until(lambda: alarm.looks >= 1)
            yield Running(alarm, kicks, store, database)
        finally:
            await alarm.stop()
            database.dispose()

    return make


async def until(check: Callable[[], object], seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def timer(due_in: float, *, leased_for: float | None = None, worker: str | None = None) -> Timer:
    now = datetime.now(UTC)
    return Timer(
        kind="survey",
        subject=f"s{now.timestamp()}",
        due_at=now + timedelta(seconds=due_in),
        claimed_until=None if leased_for is None else now + timedelta(seconds=leased_for),
        claimed_by=worker,
        created_at=now,
    )


async def add(store: SqlStore, row: Timer | Outbox | InboxRow) -> None:
    await store.run(lambda repo: repo.session.add(row))  # type: ignore[attr-defined]


async def test_a_timer_written_here_wakes_the_alarm_which_then_sleeps_until_it_is_due(
    make_alarm: MakeAlarm,
) -> None:
    async with make_alarm(longest=60.0) as running:
        loop = asyncio.get_running_loop()
        looks = running.alarm.looks
        written = loop.time()
        await add(running.store, timer(0.6))
        await until(lambda: running.kicks.timers, 5)
        kicked_at, looks_then = running.kicks.timers[0]
        assert 0.45 <= kicked_at - written < 2.0, kicked_at - written
        # one look for the write, one at the due time: no polling in between (longest is 60 s)
        assert looks_then - looks <= 3
        assert not running.kicks.outbox


async def test_an_inbox_update_left_by_another_process_or_put_back_for_a_retry_is_kicked_when_due(
    make_alarm: MakeAlarm, database_url: str
) -> None:
    async with make_alarm(longest=0.5) as running:
        other = open_database(database_url)  # a process that accepted it and died before its turn
        try:
            loop = asyncio.get_running_loop()
            written = loop.time()
            retry_at = datetime.now(UTC) + timedelta(seconds=0.8)
            row = InboxRow(
                channel="telegram", key="7", body=b"{}", received_at=datetime.now(UTC), claimed_until=retry_at
            )
            await add(SqlStore(other), row)
            await until(lambda: running.kicks.inbox, 5)
            assert 0.6 <= running.kicks.inbox[0][0] - written < 2.5  # not before its retry time
            assert not running.kicks.timers and not running.kicks.outbox
        finally:
            other.dispose()


async def test_another_workers_lease_is_waited_out_then_its_timer_is_taken_over(
    make_alarm: MakeAlarm,
) -> None:
    async with make_alarm(longest=60.0) as running:
        loop = asyncio.get_running_loop()
        written = loop.time()
        # due a second ago, held by a worker that died: free when its lease ends in 0.8 s
        await add(running.store, timer(-1.0, leased_for=0.8, worker="dead-worker"))
        await until(lambda: running.kicks.timers, 5)
        assert 0.6 <= running.kicks.timers[0][0] - written < 2.5


async def test_work_another_process_queued_is_found_by_the_rescan(
    make_alarm: MakeAlarm, database_url: str
) -> None:
    async with make_alarm(longest=0.5) as running:
        other = open_database(database_url)  # another process's engine: the alarm does not watch it
        try:
            loop = asyncio.get_running_loop()
            written = loop.time()
            await add(SqlStore(other), timer(0.0))
            await until(lambda: running.kicks.timers, 5)
            assert running.kicks.timers[0][0] - written < 1.5
        finally:
            other.dispose()


async def test_rows_due_but_never_claimed_are_looked_at_every_shortest_not_in_a_busy_loop(
    make_alarm: MakeAlarm,
) -> None:
    async with make_alarm(longest=60.0, shortest=0.2) as running:
        now = datetime.now(UTC)
        row = Outbox(
            kind="message",
            channel="webchat",
            recipient={"user": "ann"},
            body={"text": "hi"},
            created_at=now,
            next_attempt_at=now - timedelta(seconds=1),
        )
        await add(running.store, row)
        looks = running.alarm.looks
        running.alarm.wake()
        await asyncio.sleep(1.0)
        made = running.alarm.looks - looks
        assert 3 <= made <= 8, made  # about one every 0.2 s: still tried, never spun
        assert len(running.kicks.outbox) >= 3


async def test_a_survey_due_at_once_goes_out_at_once_with_no_polling(tmp_path: Path) -> None:
    """The real flow: resolving writes the survey's timer (trigger ``delay: 0s``), which wakes the
    alarm; with a rescan of 60 s, the rating question still reaches the customer within seconds."""
    runtime = Runtime(write_config(tmp_path), f"sqlite:///{tmp_path / 'a.db'}", tick_seconds=60.0)
    async with served(runtime) as http:
        await customer_says(http, "ann", text="my parcel is late")
        conversation = await conversation_of(http, "ann")
        # what start-up found due (the retention sweep) is done: the alarm sleeps its 60 s
        await until(lambda: runtime.alarm.sleep > 30)
        looks = runtime.alarm.looks
        resolved = await http.post(f"/api/conversations/{conversation}/resolve", json={})
        assert resolved.json()["survey_id"]
        loop = asyncio.get_running_loop()
        began = loop.time()

        async def asked() -> bool:
            chat = (await customer_reads(http, "ann")).json()["messages"]
            return any((m.get("prompt") or {}).get("step") == "rating" for m in chat)

        while not await asked():
            assert loop.time() - began < 5.0, "the survey's timer did not wake the alarm"
            await asyncio.sleep(0.05)
        assert runtime.alarm.looks - looks <= 6  # woken by the writes, not polling


async def test_on_sqlite_an_idle_alarm_only_stats_the_files_and_reads_when_another_process_wrote(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'idle.db'}"
    database = open_database(url)
    upgrade(database)
    kicks = Kicks()
    alarm = Alarm(
        SqlStore(database),
        SystemClock(),
        kicks.note(kicks.timers),
        kicks.note(kicks.outbox),
        longest=0.1,
        shortest=0.05,
        files=sqlite_files(url),
    )
    kicks.alarm = alarm
    alarm.watch(database.writer)
    alarm.start()
    other = open_database(url)  # another process's engine: only the files tell
    try:
        await until(lambda: alarm.looks >= 1)
        await asyncio.sleep(0.3)
        looks = alarm.looks
        await asyncio.sleep(1.0)  # ten checks, nothing written: no read
        assert alarm.looks == looks
        began = asyncio.get_running_loop().time()
        await add(SqlStore(other), timer(0.0))
        await until(lambda: kicks.timers, 5)
        assert kicks.timers[0][0] - began < 1.0
    finally:
        await alarm.stop()
        other.dispose()
        database.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_connections_returned_while_the_alarm_stops_and_starts_are_returned(
    make_alarm: MakeAlarm,
) -> None:
    """Threads take connections from the pool and return them while the alarm is stopped and
    started again and again: every return ends well and no connection stays lent. Removing the
    alarm's listeners at a stop, while a thread iterated them returning its connection, failed that
    return ("deque mutated during iteration"): a unit that had committed raised, and its connection
    stayed counted as lent, so the runtime's stop waited 5 s for it."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows at once
    failures: list[BaseException] = []
    done = threading.Event()
    try:
        async with make_alarm(longest=5.0) as running:

            def take_and_return() -> None:
                while not done.is_set():
                    try:
                        running.database.writer.connect().close()  # out of the pool and back
                    except BaseException as exc:  # the test counts every failure
                        failures.append(exc)

            threads = [threading.Thread(target=take_and_return) for _ in range(3)]
            for thread in threads:
                thread.start()
            for _ in range(400):
                await running.alarm.stop()
                running.alarm.watch(running.database.writer)  # as each start of the runtime does
                running.alarm.start()
                await asyncio.sleep(0)
            done.set()
            sys.setswitchinterval(interval)  # let the threads finish their last turn at a normal pace
            for thread in threads:
                thread.join(30)
            assert failures == []
            assert not [t for t in threads if t.is_alive()], "a thread is still taking connections"
            await running.alarm.stop()  # its last look, in a thread of its own, holds a connection too
            assert running.database.lent() == 0
    finally:
        done.set()
        sys.setswitchinterval(interval)

"""The inbox (``bot.inbox``): updates stored once before they are acknowledged, then handed to their
channel's handler, one sender's in order, failures retried with backoff and given up on at last.
On a real inbox table (SQLite, and PostgreSQL when configured) with a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.inbox import MAX_ATTEMPTS, Handler, InboxItem, InboxWorker, Intake, backoff, channel_handlers
from bot.messages import InboundMessage, Text
from storage.db import is_unreachable
from storage.inbox import SqlInbox
from storage.repository import SqlRepository

from ..conftest import Harness


class Platform:
    """A channel's ``handle_stored``: records what it was handed, fails on bodies it is told to."""

    def __init__(self) -> None:
        self.handled: list[tuple[str, bytes]] = []
        self.refuse: set[bytes] = set()

    async def handle_stored(self, item: InboxItem) -> None:
        if item.body in self.refuse:
            raise ValueError(f"cannot read {item.body!r}")
        self.handled.append((item.sender, item.body))


@pytest.fixture
def inbox(harness: Harness) -> Iterator[SqlInbox]:
    yield SqlInbox(harness.database)


def worker(
    h: Harness, inbox: SqlInbox, adapters: dict[str, object], max_attempts: int = MAX_ATTEMPTS
) -> InboxWorker:
    return InboxWorker(inbox, channel_handlers(adapters), h.clock, "w1", max_attempts=max_attempts)


def statuses(h: Harness) -> list[tuple[str, str, int]]:
    return [
        (str(k), str(s), int(a)) for k, s, a in h.rows("select key, status, attempts from inbox order by id")
    ]


async def test_an_update_is_stored_once_and_wakes_the_worker_once(harness: Harness, inbox: SqlInbox) -> None:
    woken: list[bool] = []
    intake = Intake(inbox, harness.clock, lambda: woken.append(True))
    assert await intake.accept("telegram", "u1", "42", b'{"update_id": 1}') is True
    assert await intake.accept("telegram", "u1", "42", b'{"update_id": 1}') is False  # a redelivery
    assert woken == [True]
    assert harness.rows("select channel, key, sender, status from inbox") == [
        ("telegram", "u1", "42", "pending")
    ]


async def test_each_update_goes_to_its_channel_one_senders_in_order(
    harness: Harness, inbox: SqlInbox
) -> None:
    telegram, wechat = Platform(), Platform()
    for n, (channel, sender) in enumerate(
        [("telegram", "a"), ("wechat", "b"), ("telegram", "a"), ("telegram", "c")]
    ):
        await inbox.accept(channel, f"k{n}", sender, f"{channel}{n}".encode(), harness.clock.now())
    assert await worker(harness, inbox, {"telegram": telegram, "wechat": wechat}).run_due() == 4
    assert [h for h in telegram.handled if h[0] == "a"] == [("a", b"telegram0"), ("a", b"telegram2")]
    assert sorted(telegram.handled) == [("a", b"telegram0"), ("a", b"telegram2"), ("c", b"telegram3")]
    assert wechat.handled == [("b", b"wechat1")]
    assert {s for _, s, _ in statuses(harness)} == {"done"}
    assert harness.rows("select count(*) from inbox where body != :empty", empty=b"") == [
        (0,)
    ]  # bodies dropped


async def test_a_failure_holds_back_that_senders_later_updates_only(
    harness: Harness, inbox: SqlInbox
) -> None:
    platform = Platform()
    platform.refuse.add(b"bad")
    for key, sender, body in [("k1", "a", b"bad"), ("k2", "a", b"after"), ("k3", "b", b"other")]:
        await inbox.accept("telegram", key, sender, body, harness.clock.now())
    assert await worker(harness, inbox, {"telegram": platform}).run_due() == 1
    assert platform.handled == [("b", b"other")]
    assert statuses(harness) == [("k1", "pending", 1), ("k2", "pending", 0), ("k3", "done", 1)]
    [(error,)] = harness.rows("select error from inbox where key = 'k1'")
    assert "cannot read" in str(error)

    platform.refuse.clear()
    assert await worker(harness, inbox, {"telegram": platform}).run_due() == 0  # it waits its backoff
    harness.clock.advance(backoff(1))
    assert await worker(harness, inbox, {"telegram": platform}).run_due() == 2
    assert platform.handled[1:] == [("a", b"bad"), ("a", b"after")]


async def test_an_update_is_given_up_on_after_the_last_attempt(harness: Harness, inbox: SqlInbox) -> None:
    platform = Platform()
    platform.refuse.add(b"bad")
    await inbox.accept("telegram", "k1", "a", b"bad", harness.clock.now())
    for attempt in range(1, 4):
        await worker(harness, inbox, {"telegram": platform}, max_attempts=3).run_due()
        harness.clock.advance(backoff(attempt))
    assert statuses(harness) == [("k1", "failed", 3)]
    assert await worker(harness, inbox, {"telegram": platform}, max_attempts=3).run_due() == 0


async def test_an_update_of_a_channel_not_enabled_waits_with_the_reason(
    harness: Harness, inbox: SqlInbox
) -> None:
    await inbox.accept("wecom", "k1", "a", b"<xml/>", harness.clock.now())
    assert await worker(harness, inbox, {"telegram": Platform()}).run_due() == 0
    [(status, error)] = harness.rows("select status, error from inbox")
    assert status == "pending" and "no channel 'wecom' is enabled" in str(error)


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [(0, 1), (1, 1), (2, 2), (3, 4), (6, 32), (9, 256), (10, 300), (MAX_ATTEMPTS + 20, 300)],
)
def test_backoff_doubles_up_to_five_minutes(attempts: int, wait: int) -> None:
    assert backoff(attempts) == timedelta(seconds=wait)


def test_a_channels_handler_is_looked_up_when_needed() -> None:
    adapters: dict[str, object] = {"telegram": Platform(), "wechat": object()}
    lookup = channel_handlers(adapters)
    handler: Handler | None = lookup("telegram")
    assert handler is not None and getattr(handler, "__self__", None) is adapters["telegram"]
    assert lookup("wechat") is None  # no handle_stored
    assert lookup("wecom") is None
    adapters["wecom"] = Platform()  # adapters may be swapped while running
    assert lookup("wecom") is not None


class CountingInbox(SqlInbox):
    """The inbox, counting claims and what each returned."""

    claimed: list[int]

    async def claim(self, worker: str, now: datetime, limit: int, until: datetime) -> list[InboxItem]:
        items = await super().claim(worker, now, limit, until)
        self.claimed.append(len(items))
        return items


async def test_a_claim_short_of_a_batch_is_the_last_of_a_run(harness: Harness) -> None:
    inbox = CountingInbox(harness.database)
    inbox.claimed = []
    for n in range(5):
        await inbox.accept("telegram", f"k{n}", f"s{n}", b"x", harness.clock.now())
    w = InboxWorker(inbox, channel_handlers({"telegram": Platform()}), harness.clock, "w1", batch=2)
    assert await w.run_due() == 5
    assert inbox.claimed == [2, 2, 1]  # a full batch claims again; the short one found all that was due
    assert await w.run_due() == 0 and inbox.claimed[3:] == [0]


class Turns:
    """A channel whose ``handle_stored`` runs the body's message as a turn that marks the row done."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.duplicates: list[bool] = []

    async def handle_stored(self, item: InboxItem) -> bool:
        msg = InboundMessage("webchat", "", item.sender, item.body.decode(), item.received_at, Text("hi"))
        result = await self.h.service.handle(msg, inbox_id=item.turn_marks)
        self.duplicates.append(result.duplicate)
        return item.turn_marks is not None


class MarkingInbox(SqlInbox):
    """The inbox, recording the ids the worker marks done itself."""

    marked: list[int]

    async def done(self, ids: list[int], at: datetime) -> None:
        self.marked.extend(ids)
        await super().done(ids, at)


async def test_a_row_claimed_alone_is_marked_done_by_its_turn_a_batch_in_one_statement(
    harness: Harness,
) -> None:
    inbox = MarkingInbox(harness.database)
    inbox.marked = []
    turns = Turns(harness)
    adapters: dict[str, object] = {"webchat": turns, "telegram": Platform()}
    await inbox.accept("webchat", "k1", "ann", b"m1", harness.clock.now())
    assert await worker(harness, inbox, adapters).run_due() == 1
    await inbox.accept("webchat", "k2", "ann", b"m1", harness.clock.now())  # the same message again
    assert await worker(harness, inbox, adapters).run_due() == 1
    assert turns.duplicates == [False, True] and inbox.marked == []  # each marked by its own turn
    assert statuses(harness) == [("k1", "done", 1), ("k2", "done", 1)]

    await inbox.accept("webchat", "k3", "bob", b"m3", harness.clock.now())
    await inbox.accept("webchat", "k4", "cid", b"m4", harness.clock.now())
    await inbox.accept("telegram", "k5", "dan", b"other", harness.clock.now())
    assert await worker(harness, inbox, adapters).run_due() == 3
    assert turns.duplicates[2:] == [False, False] and sorted(inbox.marked) == [3, 4, 5]  # one statement
    assert {s for _, s, _ in statuses(harness)} == {"done"}
    assert harness.rows("select count(*) from inbox where body != :empty", empty=b"") == [(0,)]
    assert harness.rows("select count(*) from message where direction = 'in'") == [(3,)]


async def test_a_turn_that_fails_at_commit_leaves_its_row_pending_and_is_retried(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = SqlInbox(harness.database)
    turns = Turns(harness)
    await inbox.accept("webchat", "k1", "ann", b"m1", harness.clock.now())

    def fail(_repo: object) -> None:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(SqlRepository, "flush", fail)  # after the turn and its mark, before the commit
        assert await worker(harness, inbox, {"webchat": turns}).run_due() == 0
    assert statuses(harness) == [("k1", "pending", 1)]  # neither the mark nor the turn committed
    assert harness.rows("select count(*) from message") == [(0,)]
    harness.clock.advance(backoff(1))
    assert await worker(harness, inbox, {"webchat": turns}).run_due() == 1
    assert statuses(harness) == [("k1", "done", 2)] and turns.duplicates == [False]
    assert harness.rows("select count(*) from message where direction = 'in'") == [(1,)]


class LongTurns(Turns):
    """A turn of the body's text said 400 times: it needs new database pages."""

    async def handle_stored(self, item: InboxItem) -> bool:
        said = Text(item.body.decode() * 400)
        msg = InboundMessage("webchat", "", item.sender, item.key, item.received_at, said)
        result = await self.h.service.handle(msg, inbox_id=item.turn_marks)
        self.duplicates.append(result.duplicate)
        return item.turn_marks is not None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a full disk: SQLite's page cap
async def test_an_update_whose_turns_fail_on_a_full_disk_is_never_given_up_on(
    harness: Harness, inbox: SqlInbox
) -> None:
    """An accepted update whose turn failed because the database could not be written (disk full,
    an outage after the claim) used up its attempts and was marked failed after about 2 minutes:
    accepted, acknowledged, then never handled. Now it waits with backoff until the disk has room."""
    full = True

    def cap(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # max_page_count cannot shrink the file: 1 caps it at its size now, a big one lifts the cap.
        dbapi_connection.execute(f"PRAGMA max_page_count={1 if full else 1_073_741_823}")

    await inbox.accept("webchat", "k1", "ann", b"where is my parcel? ", harness.clock.now())
    event.listen(harness.database.writer, "checkout", cap)
    turns = LongTurns(harness)
    handlers = channel_handlers({"webchat": turns})
    worker = InboxWorker(inbox, handlers, harness.clock, "w1", max_attempts=2, unavailable=is_unreachable)
    try:
        for attempt in range(1, 5):
            assert await worker.run_due() == 0
            harness.clock.advance(backoff(attempt))
        assert statuses(harness) == [("k1", "pending", 4)]
        full = False
        assert await worker.run_due() == 1
    finally:
        event.remove(harness.database.writer, "checkout", cap)
    assert statuses(harness) == [("k1", "done", 5)] and turns.duplicates == [False]
    said = harness.rows("select text from message where direction = 'in'")
    assert said == [("where is my parcel? " * 400,)]

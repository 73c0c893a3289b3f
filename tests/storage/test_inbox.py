"""The inbox queries on SQLite and PostgreSQL: dedupe, claims under a lease, batches, crash takeover."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from bot.inbox import InboxItem, InboxWorker
from bot.ports import Clock
from models import InboxRow, SignedRequest
from storage import SqlStore
from storage.inbox import KEY_CHARS, SqlInbox

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


@pytest.fixture
def inbox(store: SqlStore) -> SqlInbox:
    """The inbox on the migrated database of the package's ``store`` fixture."""
    return SqlInbox(store.database)


def keys(items: list[InboxItem]) -> list[str]:
    return [item.key for item in items]


def test_an_update_is_stored_once_however_often_it_is_delivered(inbox: SqlInbox) -> None:
    assert inbox.accept_sync("telegram", "101", "ann", b'{"update_id": 101}', T0) is True
    assert inbox.accept_sync("telegram", "101", "ann", b'{"update_id": 101, "again": 1}', T0) is False
    assert inbox.accept_sync("whatsapp", "101", "ann", b"{}", T0) is True  # another platform's 101
    assert inbox.pending_sync() == 2
    [first, second] = inbox.claim_sync("w1", T0, 10, T0 + LEASE)
    assert (first.channel, first.key, first.body, first.received_at) == (
        "telegram",
        "101",
        b'{"update_id": 101}',
        T0,
    )
    assert (second.channel, second.attempts) == ("whatsapp", 1)


async def test_an_update_id_longer_than_the_column_is_stored_under_a_bounded_key_and_deduped(
    inbox: SqlInbox,
) -> None:
    """A signed Telegram update_id of 301 digits, a WeChat MsgId of 5,000 characters: PostgreSQL
    refused the insert (varchar(256)) and the webhook answered 500, so the platform redelivered."""
    giant, other = str(10**300), "1" * 5000
    assert await inbox.accept("telegram", giant, "ann", b"{}", T0) is True
    assert await inbox.accept("telegram", giant, "ann", b"{}", T0) is False
    assert await inbox.accept("telegram", giant[:-1] + "1", "ann", b"{}", T0) is True  # same start
    assert inbox.accept_sync("wechat", other, "bob", b"<xml/>", T0) is True
    stored = keys(inbox.claim_sync("w1", T0, 10, T0 + LEASE))
    assert len(stored) == 3 and len(set(stored)) == 3
    assert all(len(key) == KEY_CHARS for key in stored)
    assert stored[0].startswith(giant[:200]) and stored[2].startswith(other[:200])
    assert InboxRow.__table__.c.key.type.length == KEY_CHARS  # type: ignore[attr-defined]


async def test_a_key_or_sender_holding_a_nul_or_a_lone_surrogate_is_stored_cleaned_and_deduped(
    inbox: SqlInbox,
) -> None:
    """A signed WhatsApp message or status whose id held a NUL: PostgreSQL refused the insert (500)."""
    assert await inbox.accept("whatsapp", "wamid.\x00x", "ann\x00", b"{}", T0) is True
    assert await inbox.accept("whatsapp", "wamid.\x00x", "ann\x00", b"{}", T0) is False
    assert await inbox.accept("whatsapp", "wamid.\ud800y", "\udfff", b"{}", T0) is True
    [first, second] = inbox.claim_sync("w1", T0, 10, T0 + LEASE)
    assert [(first.key, first.sender), (second.key, second.sender)] == [
        ("wamid.x", "ann"),
        ("wamid.\ufffdy", "\ufffd"),
    ]


def test_a_handled_update_is_still_deduped_and_its_body_dropped(inbox: SqlInbox) -> None:
    inbox.accept_sync("telegram", "7", "ann", b"secret text", T0)
    [item] = inbox.claim_sync("w1", T0, 10, T0 + LEASE)
    inbox.done_sync([item.id], T0)
    assert inbox.pending_sync() == 0
    assert inbox.accept_sync("telegram", "7", "ann", b"secret text", T0) is False
    with inbox.database.reader.connect() as conn:
        assert conn.exec_driver_sql("SELECT status, body FROM inbox").one() == ("done", b"")
    assert inbox.claim_sync("w2", T0 + timedelta(hours=1), 10, T0 + LEASE) == []


def test_claimed_rows_are_not_claimed_again_while_leased(inbox: SqlInbox) -> None:
    for n in range(5):
        inbox.accept_sync("telegram", str(n), f"user{n}", b"{}", T0)
    first = inbox.claim_sync("w1", T0, 3, T0 + LEASE)
    second = inbox.claim_sync("w2", T0, 3, T0 + LEASE)
    assert keys(first) == ["0", "1", "2"] and keys(second) == ["3", "4"]
    assert inbox.claim_sync("w3", T0 + timedelta(seconds=29), 10, T0 + LEASE) == []


def test_one_senders_later_updates_wait_for_its_earlier_one(inbox: SqlInbox) -> None:
    inbox.accept_sync("telegram", "1", "ann", b"{}", T0)
    inbox.accept_sync("telegram", "2", "ann", b"{}", T0)
    inbox.accept_sync("telegram", "3", "bob", b"{}", T0)
    assert keys(inbox.claim_sync("w1", T0, 1, T0 + LEASE)) == ["1"]
    # ann's "2" must not run beside her "1" (held by w1) in another process
    assert keys(inbox.claim_sync("w2", T0, 10, T0 + LEASE)) == ["3"]


def test_a_crashed_workers_rows_are_taken_over_after_the_lease(inbox: SqlInbox) -> None:
    inbox.accept_sync("telegram", "1", "ann", b"{}", T0)
    [held] = inbox.claim_sync("dead", T0, 10, T0 + LEASE)  # ... and the process is killed here
    assert inbox.claim_sync("w2", T0 + LEASE - timedelta(seconds=1), 10, T0 + 2 * LEASE) == []
    [taken] = inbox.claim_sync("w2", T0 + LEASE + timedelta(seconds=1), 10, T0 + 2 * LEASE)
    assert (taken.id, taken.attempts) == (held.id, 2)


def test_a_restarted_worker_takes_its_own_rows_back_at_once(inbox: SqlInbox) -> None:
    inbox.accept_sync("telegram", "1", "ann", b"{}", T0)
    inbox.claim_sync("w1", T0, 10, T0 + LEASE)
    assert inbox.reclaim_sync("other") == 0
    assert inbox.reclaim_sync("w1") == 1
    assert keys(inbox.claim_sync("w1", T0, 10, T0 + LEASE)) == ["1"]


def test_renewal_keeps_the_lease_only_for_its_holder(inbox: SqlInbox) -> None:
    inbox.accept_sync("telegram", "1", "ann", b"{}", T0)
    [item] = inbox.claim_sync("w1", T0, 10, T0 + LEASE)
    inbox.renew_sync("w1", [item.id], T0 + 3 * LEASE)
    assert inbox.claim_sync("w2", T0 + 2 * LEASE, 10, T0 + 3 * LEASE) == []
    inbox.renew_sync("w2", [item.id], T0 + 10 * LEASE)  # not its lease: no effect
    assert keys(inbox.claim_sync("w2", T0 + 3 * LEASE + LEASE, 10, T0 + 5 * LEASE)) == ["1"]


def test_a_failed_row_waits_then_is_retried_and_given_up_is_kept(inbox: SqlInbox) -> None:
    inbox.accept_sync("telegram", "1", "ann", b"body", T0)
    [item] = inbox.claim_sync("w1", T0, 10, T0 + LEASE)
    inbox.retry_sync(item.id, "boom", T0 + timedelta(seconds=5), give_up=False)
    assert inbox.claim_sync("w1", T0 + timedelta(seconds=4), 10, T0 + LEASE) == []
    [again] = inbox.claim_sync("w1", T0 + timedelta(seconds=6), 10, T0 + LEASE)
    inbox.retry_sync(again.id, "boom again", T0, give_up=True)
    assert inbox.claim_sync("w1", T0 + timedelta(days=1), 10, T0 + LEASE) == []
    with inbox.database.reader.connect() as conn:
        row = conn.exec_driver_sql("SELECT status, error, body, attempts FROM inbox").one()
    assert tuple(row) == ("failed", "boom again", b"body", 2)


def test_prune_forgets_only_old_handled_rows(inbox: SqlInbox) -> None:
    for n in range(3):
        inbox.accept_sync("telegram", str(n), "", b"{}", T0)
    items = inbox.claim_sync("w1", T0, 2, T0 + LEASE)
    inbox.done_sync([i.id for i in items], T0)
    assert inbox.prune_sync(T0 + timedelta(seconds=1)) == 2
    assert inbox.pending_sync() == 1
    assert inbox.accept_sync("telegram", "0", "", b"{}", T0) is True  # forgotten: stored again


class FixedClock(Clock):
    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


async def test_the_worker_handles_batches_in_order_and_marks_them_in_one_go(inbox: SqlInbox) -> None:
    for n in range(20):
        inbox.accept_sync("telegram", str(n), "ann" if n % 2 else "bob", str(n).encode(), T0)
    seen: list[tuple[str, str]] = []

    async def handle(item: InboxItem) -> None:
        await asyncio.sleep(0)
        seen.append((item.sender, item.body.decode()))

    worker = InboxWorker(inbox, {"telegram": handle}.get, FixedClock(T0), "w1", batch=4)
    assert await worker.run_due() == 20
    assert inbox.pending_sync() == 0
    for sender in ("ann", "bob"):
        mine = [int(body) for who, body in seen if who == sender]
        assert mine == sorted(mine) and len(mine) == 10
    assert await worker.run_due() == 0


async def test_a_failing_row_stays_and_holds_back_its_senders_later_rows(inbox: SqlInbox) -> None:
    inbox.accept_sync("telegram", "1", "ann", b"fail", T0)
    inbox.accept_sync("telegram", "2", "ann", b"ok", T0)
    inbox.accept_sync("telegram", "3", "bob", b"ok", T0)
    handled: list[str] = []

    async def handle(item: InboxItem) -> None:
        if item.body == b"fail":
            raise RuntimeError("database hiccup")
        handled.append(item.key)

    clock = FixedClock(T0)
    worker = InboxWorker(inbox, {"telegram": handle}.get, clock, "w1")
    assert await worker.run_due() == 1
    assert handled == ["3"] and inbox.pending_sync() == 2
    clock.at = T0 + timedelta(seconds=2)

    async def recovered(item: InboxItem) -> None:
        handled.append(item.key)

    worker.handlers = {"telegram": recovered}.get
    assert await worker.run_due() == 2
    assert handled == ["3", "1", "2"]


def test_a_failed_rows_error_is_kept_without_secrets(inbox: SqlInbox) -> None:
    # repr() of an exception whose message quotes a Bot API URL (the token in its path), with a NUL
    token = "bot123456:TEST-TOKEN-not-real"
    inbox.accept_sync("telegram", "1", "ann", b"body", T0)
    [item] = inbox.claim_sync("w1", T0, 10, T0 + LEASE)
    error = f"DeliveryError('HTTP 502 for https://api.telegram.org/{token}/sendMessage\\x00')\x00"
    inbox.retry_sync(item.id, error, T0, give_up=True)
    with inbox.database.reader.connect() as conn:
        kept = conn.exec_driver_sql("SELECT error FROM inbox").scalar_one()
    assert "TEST-TOKEN" not in kept and "/bot[redacted]/sendMessage" in kept


SIGNED, OTHER_SIGNED, KEEP = "a1b2c3d4e5f6", "0f0e0d0c0b0a", timedelta(minutes=10)


def _statements(inbox: SqlInbox) -> list[str]:
    """The verbs of the statements the writer runs from here on, less transaction control and
    PostgreSQL's advisory lock (a listener on the real engine)."""
    seen: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.split(None, 1)[0].upper()
        if verb not in ("BEGIN", "COMMIT") and "pg_advisory_xact_lock" not in statement:
            seen.append(verb)

    event.listen(inbox.database.writer, "before_cursor_execute", listener)
    return seen


def test_a_signed_requests_first_body_is_kept_for_its_window_and_no_longer(inbox: SqlInbox) -> None:
    """Another body within ``keep`` is refused, the first one's retry taken; after ``keep`` the row
    (still there: only the retention sweep drops it) counts as absent, and a new body is taken."""
    assert inbox.first_body_sync("wechat", SIGNED, "body-1", T0, KEEP) is True
    assert inbox.first_body_sync("wechat", SIGNED, "body-2", T0 + timedelta(minutes=9), KEEP) is False
    assert inbox.first_body_sync("wechat", SIGNED, "body-1", T0 + timedelta(minutes=9), KEEP) is True
    assert inbox.first_body_sync("wecom", SIGNED, "body-2", T0, KEEP) is True  # another channel's query
    later = T0 + timedelta(minutes=11)
    assert inbox.first_body_sync("wechat", SIGNED, "body-2", later, KEEP) is True
    assert inbox.first_body_sync("wechat", SIGNED, "body-1", later, KEEP) is False
    assert inbox.first_body_sync("wechat", SIGNED, "body-2", later + timedelta(minutes=11), KEEP) is True
    assert inbox.first_body_sync("wechat", SIGNED, "body-1", later + timedelta(minutes=22), KEEP) is True


def test_a_signed_request_check_deletes_nothing_and_the_retention_sweep_drops_expired_rows(
    store: SqlStore, inbox: SqlInbox
) -> None:
    """The check is one read and, for a request not kept yet, one write (before: a DELETE of the
    channel's expired rows on every callback); the daily sweep drops the expired rows, with no
    retention cutoff configured, and keeps the live ones."""
    assert inbox.first_body_sync("wechat", SIGNED, "body-1", T0, KEEP) is True
    seen = _statements(inbox)
    later = T0 + timedelta(hours=1)
    assert inbox.first_body_sync("wechat", OTHER_SIGNED, "body-1", later, KEEP) is True
    assert inbox.first_body_sync("wechat", OTHER_SIGNED, "body-1", later, KEEP) is True
    assert seen == ["SELECT", "INSERT", "SELECT"] and _signed_rows(inbox) == 2
    swept = store.run_sync(lambda repo: repo.forget_before(None, None, later + timedelta(minutes=9)))
    assert swept["signed_requests"] == 1 and _signed_rows(inbox) == 1
    assert (
        inbox.first_body_sync("wechat", OTHER_SIGNED, "forged", later + timedelta(minutes=9), KEEP) is False
    )


def _signed_rows(inbox: SqlInbox) -> int:
    with inbox.database.reader.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(SignedRequest)).scalar_one())

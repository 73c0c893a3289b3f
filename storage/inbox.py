"""The inbox table's queries (:class:`bot.inbox.InboxStorage`): one insert per accepted update,
claims under a lease, one statement to mark a batch handled.

Statements are SQLAlchemy Core on a connection of their own: accepting a webhook is a single
``INSERT ... ON CONFLICT DO NOTHING`` in its own short transaction.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, func, select, text, update

from bot.inbox import InboxItem
from bot.storable import bounded, storable
from models import InboxRow, SignedRequest
from storage.db import Database, insert_for
from storage.group_commit import GroupCommit
from storage.rows import Rows, stored_error

INBOX_CLAIM_LOCK = 0x696E6278  # "inbx": the PostgreSQL advisory lock that serialises inbox claims
KEY_CHARS = 256
"""The longest ``inbox.key``: a longer one is stored :func:`~bot.storable.bounded` (still unique)."""
SCAN = 5
"""Pending rows read per row claimed: a sender with an earlier row in flight blocks its later ones."""

inbox = InboxRow.__table__  # type: ignore[attr-defined]
signed_request = SignedRequest.__table__  # type: ignore[attr-defined]
SIGNED_LOCKS = 0x7369676E  # "sign": the key space of the advisory locks that serialise one request's checks


def _insert_statement(dialect: str) -> Any:
    return (
        insert_for(dialect, inbox)
        .values(
            channel=bindparam("channel"),
            key=bindparam("key"),
            sender=bindparam("sender"),
            body=bindparam("body"),
            received_at=bindparam("at"),
            status="pending",
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["channel", "key"])
        .returning(inbox.c.channel, inbox.c.key)
    )


class SqlInbox:
    """The inbox on ``database`` (blocking ``*_sync`` methods, awaitable ones run them in a thread)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._insert = _insert_statement(database.dialect)
        self._accepting = GroupCommit(self._insert_all)

    # accepting ---------------------------------------------------------------------------------

    def accept_sync(self, channel: str, key: str, sender: str, body: bytes, at: datetime) -> bool:
        [new] = self._insert_all([_params(channel, key, sender, body, at)])
        return new

    async def accept(self, channel: str, key: str, sender: str, body: bytes, at: datetime) -> bool:
        """Store one update, committed together with those that arrive while a commit runs (group
        commit: one writer, one transaction per batch); answers once its batch has committed (every
        request of a batch that failed fails: none is acknowledged)."""
        return await self._accepting.ask(_params(channel, key, sender, body, at))

    def _insert_all(self, rows: list[dict[str, Any]]) -> list[bool]:
        """One multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for the batch; whether
        each row was new (of two deliveries of one update in a batch, the first is)."""
        with self.database.writer.begin() as conn:
            stored = {(row.channel, row.key) for row in conn.execute(self._insert, rows)}
        new: list[bool] = []
        for params in rows:
            key = (params["channel"], params["key"])
            new.append(key in stored)
            stored.discard(key)
        return new

    def first_body_sync(self, channel: str, signed: str, body: str, at: datetime, keep: timedelta) -> bool:
        """One read of the request's row, and one upsert when there is none or it has expired (an
        expired row the retention sweep has not dropped yet is replaced)."""
        with self.database.writer.begin() as conn:
            if conn.dialect.name == "postgresql":  # two processes checking one request: one at a time
                lock = {"space": SIGNED_LOCKS, "key": int(signed[:7], 16)}
                conn.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), lock)
            this = signed_request.c.channel == channel, signed_request.c.signed == signed
            kept = conn.execute(select(signed_request.c.body).where(*this, signed_request.c.expires_at > at))
            first = kept.scalar_one_or_none()
            if first is None:
                values = {"channel": channel, "signed": signed, "body": body, "expires_at": at + keep}
                upsert = insert_for(conn.dialect.name, signed_request).values(values)
                replaced = {"body": upsert.excluded.body, "expires_at": upsert.excluded.expires_at}
                conn.execute(
                    upsert.on_conflict_do_update(index_elements=["channel", "signed"], set_=replaced)
                )
            return first is None or first == body

    async def first_body(self, channel: str, signed: str, body: str, at: datetime, keep: timedelta) -> bool:
        """:meth:`bot.inbox.InboxStorage.first_body`, kept in ``signed_request`` until ``at + keep``
        (dropped by the retention sweep after that)."""
        return await asyncio.to_thread(self.first_body_sync, channel, signed, body, at, keep)

    # working -----------------------------------------------------------------------------------

    def claim_sync(self, worker: str, now: datetime, limit: int, until: datetime) -> list[InboxItem]:
        """Up to ``limit`` pending rows whose lease (or retry wait) is over, oldest first, leased to
        ``worker`` until ``until``; a sender whose earliest pending row is not claimable yet has
        none of its later rows claimed either (one sender's updates run in order)."""
        if not self._any_due(now):
            return []  # a read without the write lock: an idle tick costs little
        with self.database.writer.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INBOX_CLAIM_LOCK})
            return _claim(conn, worker, now, limit, until)

    async def claim(self, worker: str, now: datetime, limit: int, until: datetime) -> list[InboxItem]:
        return await asyncio.to_thread(self.claim_sync, worker, now, limit, until)

    def done_sync(self, ids: list[int], at: datetime) -> None:
        """Mark rows handled; their bodies (customer data) are dropped, their keys kept for dedupe."""
        with self.database.writer.begin() as conn:
            conn.execute(_DONE, {"b_ids": ids, "b_at": at})

    async def done(self, ids: list[int], at: datetime) -> None:
        await asyncio.to_thread(self.done_sync, ids, at)

    def retry_sync(self, item_id: int, error: str, wait_until: datetime, *, give_up: bool) -> None:
        with self.database.writer.begin() as conn:
            conn.execute(
                update(inbox)
                .where(inbox.c.id == item_id, inbox.c.status == "pending")
                .values(
                    status="failed" if give_up else "pending",
                    error=stored_error(error),
                    claimed_by=None,
                    claimed_until=wait_until,
                )
            )

    async def retry(self, item_id: int, error: str, wait_until: datetime, *, give_up: bool) -> None:
        await asyncio.to_thread(self.retry_sync, item_id, error, wait_until, give_up=give_up)

    def release_sync(self, worker: str, ids: list[int]) -> None:
        with self.database.writer.begin() as conn:
            conn.execute(
                update(inbox)
                .where(inbox.c.id.in_(ids), inbox.c.status == "pending", inbox.c.claimed_by == worker)
                .values(claimed_by=None, claimed_until=None, attempts=inbox.c.attempts - 1)
            )

    async def release(self, worker: str, ids: list[int]) -> None:
        await asyncio.to_thread(self.release_sync, worker, ids)

    def renew_sync(self, worker: str, ids: list[int], until: datetime) -> None:
        with self.database.writer.begin() as conn:
            conn.execute(
                update(inbox)
                .where(inbox.c.id.in_(ids), inbox.c.status == "pending", inbox.c.claimed_by == worker)
                .values(claimed_until=until)
            )

    async def renew(self, worker: str, ids: list[int], until: datetime) -> None:
        await asyncio.to_thread(self.renew_sync, worker, ids, until)

    def reclaim_sync(self, worker: str) -> int:
        """End ``worker``'s leases at once (it restarted: nothing it held is still being handled)."""
        with self.database.writer.begin() as conn:
            result = conn.execute(
                update(inbox)
                .where(inbox.c.claimed_by == worker, inbox.c.status == "pending")
                .values(claimed_by=None, claimed_until=None)
            )
            return int(result.rowcount or 0)

    async def reclaim(self, worker: str) -> int:
        return await asyncio.to_thread(self.reclaim_sync, worker)

    # upkeep ------------------------------------------------------------------------------------

    def pending_sync(self) -> int:
        """Rows not handled yet (the backlog a readiness check or a test waits on)."""
        with self.database.reader.connect() as conn:
            query = select(func.count()).select_from(inbox).where(inbox.c.status == "pending")
            return int(conn.execute(query).scalar_one())

    def due_sync(self, now: datetime) -> int:
        """Pending rows claimable at ``now`` (none: the worker has caught up)."""
        with self.database.reader.connect() as conn:
            query = select(func.count()).select_from(inbox).where(*_due(now))
            return int(conn.execute(query).scalar_one())

    def _any_due(self, now: datetime) -> bool:
        with self.database.reader.connect() as conn:
            return conn.execute(_ANY_DUE, {"b_now": now}).first() is not None

    def prune_sync(self, before: datetime) -> int:
        """Forget handled rows older than ``before`` (a platform redelivers for a day at most)."""
        with self.database.writer.begin() as conn:
            result = conn.execute(inbox.delete().where(inbox.c.status == "done", inbox.c.done_at < before))
            return int(result.rowcount or 0)


def _params(channel: str, key: str, sender: str, body: bytes, at: datetime) -> dict[str, Any]:
    # A platform's update id longer than the column (a signed Telegram update_id of 300 digits, a
    # WeChat MsgId of 5,000 characters) or holding a NUL (a WhatsApp wamid) failed the insert on
    # PostgreSQL: a 500, redelivered for days.
    return {
        "channel": channel,
        "key": bounded(storable(key), KEY_CHARS),
        "sender": storable(sender)[:128],
        "body": body,
        "at": at,
    }


def _due(now: Any) -> tuple[Any, ...]:
    lease_over = inbox.c.claimed_until.is_(None) | (inbox.c.claimed_until <= now)
    return (inbox.c.status == "pending", lease_over)


# The hot path's statements, built once: building one anew (and its cache key) cost more CPU than
# running it.
_ANY_DUE = select(inbox.c.id).where(*_due(bindparam("b_now"))).limit(1)
_PENDING = (
    select(inbox)
    .where(inbox.c.status == "pending")
    .order_by(inbox.c.id)
    .limit(bindparam("b_scan"))
    .with_for_update()
)
_IDS: BindParameter[list[int]] = bindparam("b_ids", expanding=True)
_CLAIM = (
    update(inbox)
    .where(inbox.c.id.in_(_IDS))
    .values(
        claimed_by=bindparam("b_worker"), claimed_until=bindparam("b_until"), attempts=inbox.c.attempts + 1
    )
)
_DONE = (
    update(inbox)
    .where(inbox.c.id.in_(_IDS), inbox.c.status == "pending")
    .values(
        status="done", done_at=bindparam("b_at"), body=b"", claimed_by=None, claimed_until=None, error=None
    )
)


class InboxRows(Rows):
    """The inbox part of the repository: a turn marks the row it handles done in its own transaction."""

    def inbox_done(self, item_id: int, at: datetime) -> None:
        self._core.execute(_DONE, {"b_ids": [item_id], "b_at": at})


def _claim(conn: Connection, worker: str, now: datetime, limit: int, until: datetime) -> list[InboxItem]:
    rows = conn.execute(_PENDING, {"b_scan": limit * SCAN}).all()
    blocked: set[tuple[str, str]] = set()
    claimed: list[InboxItem] = []
    for row in rows:
        sender = (row.channel, row.sender or f"#{row.id}")
        if sender in blocked:
            continue
        if row.claimed_until is not None and row.claimed_until > now:
            blocked.add(sender)
            continue
        claimed.append(
            InboxItem(
                row.id, row.channel, row.key, row.sender, bytes(row.body), row.received_at, row.attempts + 1
            )
        )
        if len(claimed) == limit:
            break
    if claimed:
        conn.execute(_CLAIM, {"b_ids": [item.id for item in claimed], "b_worker": worker, "b_until": until})
    return claimed

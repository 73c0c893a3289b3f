"""The outbox: what to deliver once the transaction that decided it has committed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, exists, insert, null, or_, text, update
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot import records
from bot.ports import Addressee
from bot.repository import Handoff
from models import Message, Outbox
from storage.rows import Rows, row_id, stored_error

OUTBOX_CLAIM_LOCK = 0x63736174  # "csat": the PostgreSQL advisory lock that serialises outbox claims
UNDELIVERED = ("pending", "sending", "unknown")

_CLAIMED_COLUMNS = ("id", "kind", "channel", "recipient", "body", "attempts", "attempt_at")
_ENQUEUE = insert(Outbox).returning(col(Outbox.id))
_ENQUEUE_COLUMNS = (
    "kind", "channel", "recipient", "body", "message_id", "status", "attempts", "last_error",
    "platform_id", "created_at", "next_attempt_at", "sent_at", "attempt_at", "claimed_by",
)  # fmt: skip
_LEASED = ("status", "next_attempt_at", "claimed_by")
"""Columns a message queued for this process's own sender gets from :func:`_enqueue_leased`."""


def _claimable() -> Any:
    """Due rows' ids, oldest first, but not behind an earlier undelivered row to the same recipient
    that is not due (backing off, leased to a sender, or waiting for the platform to confirm it):
    so messages arrive in order. Messages queue per channel and user, notifications per target."""
    earlier = aliased(Outbox, name="earlier")
    user, target = col(Outbox.recipient)["user"].as_string(), col(Outbox.recipient)["target"].as_string()
    same_queue = or_(
        and_(
            col(Outbox.kind) == "message",
            col(earlier.kind) == "message",
            col(earlier.channel) == col(Outbox.channel),
            col(earlier.recipient)["user"].as_string() == user,
        ),
        and_(
            col(Outbox.kind) == "notify",
            col(earlier.kind) == "notify",
            col(earlier.recipient)["target"].as_string() == target,
        ),
    )
    blocked = exists().where(
        col(earlier.status).in_(UNDELIVERED),
        col(earlier.next_attempt_at) > bindparam("now"),
        col(earlier.id) < col(Outbox.id),
        same_queue,
    )
    return (
        core_select(col(Outbox.id))
        .where(col(Outbox.status).in_(UNDELIVERED), col(Outbox.next_attempt_at) <= bindparam("now"), ~blocked)
        .order_by(col(Outbox.id))
        .limit(bindparam("limit"))
        .with_for_update(of=Outbox)
    )


def _enqueue_leased() -> Any:
    """Queue a chat message already leased to ``worker`` until ``until``, unless an earlier message
    to the same customer is still undelivered (then it waits, due now, for the claim that keeps
    their order): one INSERT ... SELECT that returns the row's id and status."""
    earlier = aliased(Outbox, name="earlier")
    waiting = exists().where(
        col(earlier.status).in_(UNDELIVERED),
        col(earlier.kind) == "message",
        col(earlier.channel) == bindparam("channel"),
        col(earlier.recipient)["user"].as_string() == bindparam("user"),
    )
    behind = core_select(waiting.label("behind")).subquery("queue")
    table = Outbox.__table__.c  # type: ignore[attr-defined]
    plain = [name for name in _ENQUEUE_COLUMNS if name not in _LEASED]
    leased = [
        case((behind.c.behind, "pending"), else_="sending"),
        case(
            (behind.c.behind, bindparam("next_attempt_at", type_=table.next_attempt_at.type)),
            else_=bindparam("until", type_=table.next_attempt_at.type),
        ),
        case((behind.c.behind, null()), else_=bindparam("worker", type_=table.claimed_by.type)),
    ]
    values = [bindparam(name, type_=table[name].type) for name in plain] + leased
    return (
        insert(Outbox)
        .from_select([*plain, *_LEASED], core_select(*values).select_from(behind))
        .returning(col(Outbox.id), col(Outbox.status))
    )


_ENQUEUE_LEASED = _enqueue_leased()
_CLAIM = (
    update(Outbox)
    .where(col(Outbox.id).in_(_claimable().scalar_subquery()), col(Outbox.status).in_(UNDELIVERED))
    .values(status="sending", next_attempt_at=bindparam("until"), claimed_by=bindparam("worker"))
    .returning(*(col(getattr(Outbox, name)) for name in _CLAIMED_COLUMNS))
)
"""Lease the due rows and read them back, in one statement (the row lock the subquery takes makes
PostgreSQL re-check a row another transaction changed meanwhile, and skip it if no longer due)."""
_ATTEMPT = update(Outbox).values(attempt_at=bindparam("b_at"))
_ATTEMPT_BY = _ATTEMPT.where(
    col(Outbox.id) == bindparam("b_id"),
    col(Outbox.status) == "sending",
    col(Outbox.claimed_by) == bindparam("b_worker"),
)
_ATTEMPT_UNNAMED = _ATTEMPT.where(
    col(Outbox.id) == bindparam("b_id"), col(Outbox.status) == "sending", col(Outbox.claimed_by).is_(None)
)
_SENT = (
    update(Outbox)
    .where(col(Outbox.id) == bindparam("b_id"), col(Outbox.status) != "sent")
    .values(
        status="sent",
        sent_at=bindparam("b_at"),
        platform_id=bindparam("b_platform_id"),
        last_error=None,
        attempts=col(Outbox.attempts) + bindparam("b_attempt"),
    )  # claimed_by stays: which worker sent it
)


def _new_row(
    kind: str,
    channel: str,
    recipient: dict[str, Any],
    body: dict[str, Any],
    message_id: int | None,
    at: datetime,
) -> dict[str, Any]:
    """A new outbox row's values, due at once."""
    return {
        "kind": kind,
        "channel": channel,
        "recipient": recipient,
        "body": body,
        "message_id": message_id,
        "status": "pending",
        "attempts": 0,
        "last_error": None,
        "platform_id": None,
        "created_at": at,
        "next_attempt_at": at,
        "sent_at": None,
        "attempt_at": None,
        "claimed_by": None,
    }


def outbox_item(row: Any) -> records.OutboxItem:
    """A claimed row, with when its unfinished previous attempt began, if it has one."""
    return records.OutboxItem(
        id=row_id(row.id),
        kind=row.kind,
        channel=row.channel,
        recipient=row.recipient,
        body=row.body,
        attempts=row.attempts,
        attempt_at=row.attempt_at,
    )


class OutboxRows(Rows):
    """The outbox part of the repository."""

    def enqueue(
        self,
        kind: str,
        channel: str,
        to: Addressee,
        body: dict[str, Any],
        *,
        at: datetime,
        message_id: int | None = None,
        failed: str | None = None,
    ) -> int:
        values = _new_row(kind, channel, to.as_json(), body, message_id, at)
        if failed is not None:  # never to be sent: kept, failed, for the record
            values.update(status="dead", last_error=stored_error(failed))
            return row_id(self._core.execute(_ENQUEUE, values).scalar_one())
        handoff = self.handoff
        if handoff is None or kind != "message" or self.dialect != "sqlite":
            # PostgreSQL: two transactions could each see no earlier message and both lease theirs;
            # its claims take an advisory lock to keep each customer's order.
            self.queued = True
            return row_id(self._core.execute(_ENQUEUE, values).scalar_one())
        return self._enqueue_leased(values, handoff)

    def _enqueue_leased(self, values: dict[str, Any], handoff: Handoff) -> int:
        """Queue a chat message leased to ``handoff``'s process, or waiting behind an earlier one."""
        recipient: dict[str, Any] = values["recipient"]
        until = handoff.lease_until(values["created_at"])
        leased = {**values, "user": recipient.get("user"), "until": until, "worker": handoff.worker or None}
        row = self._core.execute(_ENQUEUE_LEASED, leased).one()
        if row.status != "sending":
            self.queued = True
            return row_id(row.id)
        self.claim_until = until
        item = records.OutboxItem(
            id=row.id,
            kind="message",
            channel=values["channel"],
            recipient=recipient,
            body=values["body"],
            attempts=0,
        )
        self.claimed.append(item)
        return row_id(row.id)

    def claim_outbox(
        self, now: datetime, limit: int, lease_until: datetime, worker: str = ""
    ) -> list[records.OutboxItem]:
        if self.dialect == "postgresql":
            # One claimer at a time (SQLite's write lock does the same): with SKIP LOCKED, a second
            # claimer would not see a recipient's earliest row, locked by the first, and could take
            # that recipient's next message out of order.
            self._core.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": OUTBOX_CLAIM_LOCK})
        parameters = {"now": now, "limit": limit, "until": lease_until, "worker": worker or None}
        rows = self._core.execute(_CLAIM, parameters).all()
        return [outbox_item(row) for row in sorted(rows, key=lambda row: row.id)]

    def release_outbox(self, item_ids: list[int]) -> None:
        self.session.execute(
            update(Outbox)
            .where(col(Outbox.id).in_(item_ids), col(Outbox.status) == "sending")
            .values(status="pending", next_attempt_at=Outbox.created_at, claimed_by=None)
        )

    def outbox_attempt(self, item_id: int, worker: str, at: datetime) -> bool:
        statement = _ATTEMPT_BY if worker else _ATTEMPT_UNNAMED
        return bool(self._core.execute(statement, {"b_id": item_id, "b_at": at, "b_worker": worker}).rowcount)

    def outbox_sent(self, item_id: int, platform_id: str, at: datetime) -> None:
        self.outbox_sent_many([(item_id, platform_id)], at)

    def outbox_sent_many(self, sent: Sequence[tuple[int, str]], at: datetime) -> None:
        # One statement whatever the batch's size. The platform's id of a message we sent stays on its
        # outbox row (``Outbox.message_id`` leads to it): a read receipt or a failure report names it.
        self._core.execute(
            _SENT, [self._sent_values(item_id, platform_id, at, 1) for item_id, platform_id in sent]
        )

    @staticmethod
    def _sent_values(item_id: int, platform_id: str, at: datetime, attempt: int) -> dict[str, Any]:
        return {"b_id": item_id, "b_at": at, "b_platform_id": platform_id or None, "b_attempt": attempt}

    def outbox_unknown(self, item_id: int, error: str, wait_until: datetime) -> None:
        row = self._get(Outbox, item_id)
        if row.status == "sent":
            return
        row.status, row.next_attempt_at, row.claimed_by = "unknown", wait_until, None
        row.attempts += 1
        row.last_error = stored_error(error)
        self.session.add(row)

    def outbox_confirmed(self, item_id: int, platform_id: str, at: datetime) -> bool:
        query = select(Outbox.status, Outbox.attempt_at).where(col(Outbox.id) == item_id).with_for_update()
        row = self._core.execute(query).first()
        if row is None or row.status not in ("sending", "unknown") or row.attempt_at is None:
            return False
        # The confirmation is not an attempt of its own.
        return bool(self._core.execute(_SENT, self._sent_values(item_id, platform_id, at, 0)).rowcount)

    def outbox_rejected(
        self, channel: str, platform_id: str, error: str, item_id: int | None = None
    ) -> int | None:
        query = select(Outbox).where(Outbox.channel == channel, Outbox.platform_id == platform_id)
        row = self.session.exec(query.with_for_update()).first()
        if row is None and item_id is not None:
            found = self.session.get(Outbox, item_id, with_for_update=True)
            row = found if found is not None and found.channel == channel else None
        if row is None:
            return None
        row.status, row.last_error = "failed", stored_error(error, 1000)
        self.session.add(row)
        return row.id

    def outbox_failed(self, item_id: int, error: str, retry_at: datetime | None) -> bool:
        row = self._get(Outbox, item_id)
        if row.status == "sent":
            return False  # confirmed by the platform meanwhile
        row.attempts += 1
        row.attempt_at, row.claimed_by = None, None  # the platform refused it: nothing in doubt
        row.last_error = stored_error(error)
        if retry_at is None:
            row.status = "dead"
        else:
            row.status, row.next_attempt_at = "pending", retry_at
        self.session.add(row)
        return True

    def outbox_survey(self, item_id: int) -> str | None:
        query = (
            core_select(col(Message.survey_id))
            .join(Outbox, col(Outbox.message_id) == col(Message.id))
            .where(col(Outbox.id) == item_id)
        )
        found: str | None = self._core.execute(query).scalar()
        return found

    def drop_queued(self, channel: str, account: str, user: str, error: str) -> list[str]:
        recipient = col(Outbox.recipient)
        dropped = self._core.execute(
            update(Outbox)
            .where(
                col(Outbox.status) == "pending",
                col(Outbox.kind) == "message",
                col(Outbox.channel) == channel,
                recipient["user"].as_string() == user,
                recipient["account"].as_string() == account,
            )
            .values(status="dead", last_error=stored_error(error), claimed_by=None)
            .returning(col(Outbox.message_id))
        ).scalars()
        messages = [message for message in dropped if message is not None]
        if not messages:
            return []
        query = (
            core_select(col(Message.survey_id))
            .where(col(Message.id).in_(messages), col(Message.survey_id).is_not(None))
            .distinct()
        )
        return sorted(str(survey) for survey in self._core.execute(query).scalars())

"""The outbox's rows: only due rows claimed, in each recipient's order; a batch marked sent at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, text

from bot.ports import Recipient
from storage import SqlStore

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
LEASE = T0 + timedelta(minutes=2)


def queue(store: SqlStore, user: str, *, at: datetime = T0) -> tuple[int, int]:
    """A bot message to ``user`` and its outbox row; returns (message id, outbox id)."""

    def work(repo: Any) -> tuple[int, int]:
        identity = repo.identity("telegram", "b", user, display_name="", locale="", at=at)
        message = repo.add_message(
            identity_id=identity.id, conversation_id=None, direction="out", author="bot", text="hi", at=at
        )
        recipient = Recipient("telegram", "b", user)
        return message, repo.enqueue(
            "message", "telegram", recipient, {"prompt": {}}, at=at, message_id=message
        )

    return store.run_sync(work)


def rows(store: SqlStore, sql: str) -> list[Any]:
    with store.database.reader.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_a_batch_is_marked_sent_in_one_statement(store: SqlStore) -> None:
    queued = [queue(store, user) for user in ("ann", "bob", "cy")]
    store.run_sync(lambda r: r.claim_outbox(T0, 10, LEASE))
    statements: list[str] = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(store.database.writer, "before_cursor_execute", listener)
    try:
        sent = [(queued[0][1], "p-ann"), (queued[1][1], ""), (queued[2][1], "p-cy")]
        store.run_sync(lambda r: r.outbox_sent_many(sent, T0))
    finally:
        event.remove(store.database.writer, "before_cursor_execute", listener)
    assert [s.split()[0:2] for s in statements if not s.startswith("BEGIN")] == [["UPDATE", "outbox"]]
    assert rows(store, "select status, attempts, platform_id from outbox order by id") == [
        ("sent", 1, "p-ann"),
        ("sent", 1, None),
        ("sent", 1, "p-cy"),
    ]
    sent_as = "select o.platform_id from message m join outbox o on o.message_id = m.id order by m.id"
    assert rows(store, sent_as) == [("p-ann",), (None,), ("p-cy",)]


def test_a_row_already_recorded_sent_is_left_as_it_is(store: SqlStore) -> None:
    message, item = queue(store, "ann")
    store.run_sync(lambda r: r.claim_outbox(T0, 10, LEASE))
    store.run_sync(lambda r: r.outbox_attempt(item, "", T0))
    assert store.run_sync(lambda r: r.outbox_confirmed(item, "p-confirmed", T0)) is True
    store.run_sync(lambda r: r.outbox_sent_many([(item, "p-late")], T0))
    assert rows(store, "select status, attempts, platform_id from outbox") == [("sent", 0, "p-confirmed")]
    sent_as = f"select o.platform_id from outbox o where o.message_id = {message}"
    assert rows(store, sent_as) == [("p-confirmed",)]


def test_only_due_rows_are_claimed_and_a_recipient_waits_behind_its_earlier_message(store: SqlStore) -> None:
    _, ann_first = queue(store, "ann")
    _, ann_second = queue(store, "ann")
    _, bob = queue(store, "bob")
    _, later = queue(store, "cy", at=T0 + timedelta(minutes=5))
    store.run_sync(lambda r: r.outbox_failed(ann_first, "busy", T0 + timedelta(minutes=1)))
    claimed = store.run_sync(lambda r: r.claim_outbox(T0, 10, T0 + timedelta(hours=1)))
    assert [i.id for i in claimed] == [bob]  # ann's second waits for her first; cy's is not due
    claimed = store.run_sync(lambda r: r.claim_outbox(T0 + timedelta(minutes=5), 10, LEASE))
    assert [i.id for i in claimed] == [ann_first, ann_second, later]


class Sender:
    """A process's sender as the store sees it (``bot.repository.Handoff``): what it was handed."""

    worker = "w1"

    def __init__(self) -> None:
        self.taken: list[tuple[list[int], bool]] = []

    def lease_until(self, now: datetime) -> datetime:
        return now + timedelta(seconds=6)

    def take(self, claimed: list[Any], until: datetime | None, queued: bool) -> None:
        self.taken.append(([item.id for item in claimed], queued))


async def test_a_message_queued_through_a_sending_store_is_leased_to_its_process_on_sqlite(
    store: SqlStore,
) -> None:
    sender = Sender()
    store.handoff = sender
    first = await store.run(lambda repo: queue_in(repo, "ann"))
    second = await store.run(lambda repo: queue_in(repo, "ann"))  # behind the first, not sent yet
    other = await store.run(lambda repo: queue_in(repo, "bob"))
    statuses = rows(store, "select id, status, claimed_by from outbox order by id")
    if store.database.dialect == "sqlite":
        assert statuses == [(first, "sending", "w1"), (second, "pending", None), (other, "sending", "w1")]
        assert sender.taken == [([first], False), ([], True), ([other], False)]
        due = rows(store, f"select next_attempt_at from outbox where id = {first}")[0][0]
        assert str(due).startswith("2026-11-23 02:00:06")  # leased for the sender's lease
    else:  # two transactions could each see no earlier message: PostgreSQL's claims keep the order
        assert [status for _, status, _ in statuses] == ["pending"] * 3
        assert sender.taken == [([], True)] * 3
    store.handoff = None
    assert [item.id for item in store.run_sync(lambda r: r.claim_outbox(T0, 10, LEASE))] == (
        [first, second, other] if store.database.dialect != "sqlite" else []  # leased: not due
    )


def queue_in(repo: Any, user: str) -> int:
    return int(repo.enqueue("message", "telegram", Recipient("telegram", "b", user), {"prompt": {}}, at=T0))


def queue_survey_message(store: SqlStore, user: str, survey_id: str | None) -> int:
    """A bot message to ``user`` (of survey ``survey_id``, if any) in the outbox; returns its id."""

    def work(repo: Any) -> int:
        identity = repo.identity("telegram", "b", user, display_name="", locale="", at=T0)
        message = repo.add_message(
            identity_id=identity.id, conversation_id=None, direction="out", author="bot", text="hi",
            at=T0, survey_id=survey_id,
        )  # fmt: skip
        item: int = repo.enqueue(
            "message", "telegram", Recipient("telegram", "b", user), {"prompt": {}}, at=T0, message_id=message
        )
        return item

    return store.run_sync(work)


def test_queued_messages_to_someone_unreachable_fail_unsent_and_name_their_surveys(store: SqlStore) -> None:
    in_flight = queue_survey_message(store, "ann", "s0")
    store.run_sync(lambda r: r.claim_outbox(T0, 10, LEASE))
    question = queue_survey_message(store, "ann", "s1")
    reply = queue_survey_message(store, "ann", None)
    bobs = queue_survey_message(store, "bob", "s2")
    dropped = store.run_sync(lambda r: r.drop_queued("telegram", "b", "ann", "customer blocked the bot"))
    assert dropped == ["s1"]  # the message being sent is left to its sender; bob's is not ann's
    assert rows(store, "select id, status, last_error from outbox order by id") == [
        (in_flight, "sending", None),
        (question, "dead", "customer blocked the bot"),
        (reply, "dead", "customer blocked the bot"),
        (bobs, "pending", None),
    ]
    assert store.run_sync(lambda r: (r.outbox_survey(question), r.outbox_survey(reply))) == ("s1", None)
    assert store.run_sync(lambda r: r.drop_queued("telegram", "b", "ann", "again")) == []


GONE = "customer unsubscribed"


def test_a_message_queued_failed_is_never_claimed(store: SqlStore) -> None:
    def work(repo: Any) -> int:
        to = Recipient("telegram", "b", "ann")
        item: int = repo.enqueue(
            "message", "telegram", to, {"prompt": {}}, at=T0, failed="customer unsubscribed"
        )
        return item

    item = store.run_sync(work)
    assert store.run_sync(lambda r: r.claim_outbox(T0 + timedelta(hours=1), 10, LEASE)) == []
    assert rows(store, "select id, status, last_error from outbox") == [
        (item, "dead", "customer unsubscribed")
    ]


def test_every_error_an_outbox_row_keeps_is_scrubbed_of_secrets(store: SqlStore) -> None:
    # A proxy's page echoing the request URL: Telegram's token in its path, WeChat's in its query.
    # (and a NUL, which PostgreSQL text cannot hold)
    page = "upstream failed: POST /bot123456:TEST-TOKEN-not-real/sendMessage?access_token=wx-SECRET-1 \x00"
    failed, unknown, rejected, dropped = (queue(store, user)[1] for user in ("ann", "bob", "cy", "dee"))
    store.run_sync(lambda r: r.claim_outbox(T0, 10, LEASE))
    store.run_sync(lambda r: r.outbox_failed(failed, "x" * 1950 + page, None))  # the secrets near the cut
    store.run_sync(lambda r: r.outbox_unknown(unknown, page, T0))
    store.run_sync(lambda r: r.outbox_rejected("telegram", "none", page, rejected))
    store.run_sync(lambda r: r.release_outbox([dropped]))
    store.run_sync(lambda r: r.drop_queued("telegram", "b", "dee", page))
    to = Recipient("telegram", "b", "eve")
    store.run_sync(lambda r: r.enqueue("message", "telegram", to, {}, at=T0, failed=page))
    kept = rows(store, "select last_error from outbox order by id")
    assert len(kept) == 5 and all(error is not None for (error,) in kept)
    for (error,) in kept:
        assert "TEST-TOKEN" not in error and "SECRET-1" not in error
        assert "upstream failed" in error
    assert len(kept[0][0]) == 2000  # cut after the scrubbing

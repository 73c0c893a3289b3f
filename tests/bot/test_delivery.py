"""Send once, recover in seconds, deliver concurrently (bot/delivery.py, bot/leases.py), on both
databases through the real store: the channel is a stand-in at the port boundary."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.delivery import MAX_RETRY_AFTER, Dispatcher, outbox_id
from bot.errors import DeliveryError
from bot.leases import Leases
from bot.settings import Settings

from ..conftest import Harness

WAIT = timedelta(seconds=30)


async def queue_reply(h: Harness, user: str, text: str) -> int:
    """An agent's reply to ``user`` waiting in the outbox; returns its outbox id."""
    await h.say(user, "hello?")
    conversation_id = h.rows("SELECT max(id) FROM conversation")[0][0]
    h.channel.sent.clear()
    await h.service.agent_reply(conversation_id, "bob", text)
    return int(h.rows("SELECT max(id) FROM outbox")[0][0])


def confirming(h: Harness) -> None:
    """The stand-in channel confirms messages like WhatsApp's status webhooks do."""
    h.channel.capabilities = replace(h.channel.capabilities, confirm_wait=WAIT)


async def dead_worker_was_sending(h: Harness, item_id: int) -> None:
    """What a process killed during the platform call leaves: claimed, attempt recorded."""
    now = h.clock.now()
    claimed = await h.store.run(lambda repo: repo.claim_outbox(now, 10, now + timedelta(seconds=6), "dead"))
    assert [i.id for i in claimed] == [item_id]
    assert await h.store.run(lambda repo: repo.outbox_attempt(item_id, "dead", now))


def status(h: Harness, item_id: int) -> tuple[str, str | None]:
    row = h.rows("SELECT status, platform_id FROM outbox WHERE id = :i", i=item_id)[0]
    return row[0], row[1]


async def test_an_interrupted_send_waits_for_the_platform_and_a_confirmation_ends_it(
    harness: Harness,
) -> None:
    h = harness
    confirming(h)
    item = await queue_reply(h, "ann", "your refund is on its way")
    await dead_worker_was_sending(h, item)
    h.clock.advance(timedelta(seconds=7))  # the dead worker's lease is over
    assert await h.dispatcher.deliver_due() == 0
    assert status(h, item) == ("unknown", None) and h.channel.texts("ann") == []
    assert await h.service.delivery_confirmed("webchat", f"outbox:{item}", "wamid.LATE1")
    assert status(h, item) == ("sent", "wamid.LATE1")
    h.clock.advance(timedelta(minutes=5))
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann") == []  # the platform had it: never sent again
    assert not await h.service.delivery_confirmed("webchat", f"outbox:{item}", "wamid.LATE1")


async def test_an_interrupted_send_nobody_confirms_is_sent_again_once_after_the_wait(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    confirming(h)
    item = await queue_reply(h, "ann", "your refund is on its way")
    await dead_worker_was_sending(h, item)
    h.clock.advance(timedelta(seconds=7))
    await h.dispatcher.deliver_due()
    h.clock.advance(WAIT)
    assert await h.dispatcher.deliver_due() == 1
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann") == ["your refund is on its way"]
    assert status(h, item)[0] == "sent"
    said = f"outbox {item}: an earlier send was not confirmed by the platform: sending it again"
    assert said in caplog.text


async def test_a_channel_that_confirms_nothing_sends_an_interrupted_message_again_at_once(
    harness: Harness,
) -> None:
    h = harness
    item = await queue_reply(h, "ann", "your refund is on its way")
    await dead_worker_was_sending(h, item)
    h.clock.advance(timedelta(seconds=7))
    assert await h.dispatcher.deliver_due() == 1
    assert h.channel.texts("ann") == ["your refund is on its way"]  # at most this one duplicate


async def test_a_late_reply_is_reconciled_and_later_messages_wait_for_it(harness: Harness) -> None:
    h = harness
    confirming(h)
    first = await queue_reply(h, "ann", "first")
    h.channel.fail_with = [DeliveryError("webchat: did not answer: ReadTimeout", maybe_sent=True)]
    assert await h.dispatcher.deliver_due() == 0
    assert status(h, first)[0] == "unknown"
    conversation_id = h.rows("SELECT conversation_id FROM message WHERE text = 'first'")[0][0]
    await h.service.agent_reply(conversation_id, "bob", "second")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann") == []  # "second" waits behind the unconfirmed "first"
    await h.service.delivery_confirmed("webchat", f"outbox:{first}", "wamid.F")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann") == ["second"]
    assert status(h, first) == ("sent", "wamid.F")


async def test_a_restarted_worker_takes_its_own_work_back_at_once_others_after_the_lease(
    harness: Harness,
) -> None:
    h = harness
    item = await queue_reply(h, "ann", "hi again")
    now = h.clock.now()
    await h.store.run(lambda repo: repo.claim_outbox(now, 10, now + timedelta(seconds=6), "w1"))
    other = Dispatcher(h.store, {"webchat": h.channel}, h, h.clock, leases=Leases("w2"))
    assert await other.deliver_due() == 0  # w1's lease holds
    assert await h.store.run(lambda repo: repo.reclaim("w1", now)) == 1
    mine = Dispatcher(h.store, {"webchat": h.channel}, h, h.clock, leases=Leases("w1"))
    assert await mine.deliver_due() == 1
    assert h.channel.texts("ann") == ["hi again"] and status(h, item)[0] == "sent"


async def test_renewed_leases_keep_work_from_being_taken_over_and_a_dead_ones_pass_in_seconds(
    harness: Harness,
) -> None:
    h = harness
    await queue_reply(h, "ann", "hi again")
    w1 = Leases("w1")
    now = h.clock.now()
    claimed = await h.store.run(lambda repo: repo.claim_outbox(now, 10, w1.until(now), "w1"))
    w1.outbox.update(i.id for i in claimed)
    other = Dispatcher(h.store, {"webchat": h.channel}, h, h.clock, leases=Leases("w2"))
    for _ in range(5):  # 20 s of w1 renewing every 4 s
        h.clock.advance(timedelta(seconds=4))
        await w1.renew(h.store, h.clock)
        assert await other.deliver_due() == 0
    h.clock.advance(timedelta(seconds=7))  # w1 died: no renewal
    assert await other.deliver_due() == 1


class Gate:
    """A channel whose sends to ``slow`` hang until released; others go through at once."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.capabilities = inner.capabilities
        self.release = asyncio.Event()
        self.entered = asyncio.Event()

    async def send(self, to: Any, prompt: Any) -> Any:
        if to.user == "slow":
            self.entered.set()
            await self.release.wait()
        return await self.inner.send(to, prompt)


async def test_one_hung_send_delays_only_its_own_customer(harness: Harness) -> None:
    h = harness
    conversations = {}
    for user in ("slow", "a", "b", "c"):
        await h.say(user, "hello?")
        conversations[user] = h.rows("SELECT max(id) FROM conversation")[0][0]
    h.channel.sent.clear()
    for user, conversation_id in conversations.items():
        await h.service.agent_reply(conversation_id, "bob", f"first to {user}")
    await h.service.agent_reply(conversations["slow"], "bob", "second to slow")
    gate = Gate(h.channel)
    dispatcher = Dispatcher(h.store, {"webchat": gate}, h, h.clock, leases=Leases("w"))
    assert await dispatcher.deliver_due(wait=False) == 5
    for _ in range(100):
        if len(h.channel.sent) == 3:
            break
        await asyncio.sleep(0.02)
    assert sorted(h.channel.texts()) == ["first to a", "first to b", "first to c"]
    gate.release.set()
    await dispatcher.drain()
    assert h.channel.texts("slow") == ["first to slow", "second to slow"]  # still in order


async def test_a_stalled_worker_keeps_the_message_in_flight_and_no_one_else_sends_it(
    harness: Harness,
) -> None:
    h = harness
    first = await queue_reply(h, "slow", "first to slow")
    gate = Gate(h.channel)
    w1 = Dispatcher(h.store, {"webchat": gate}, h, h.clock, leases=Leases("w1"))
    assert await w1.deliver_due(wait=False) == 1  # the send hangs: "first to slow" is in flight
    conversation_id = h.rows("SELECT max(id) FROM conversation")[0][0]
    await h.service.agent_reply(conversation_id, "bob", "second to slow")
    second = int(h.rows("SELECT max(id) FROM outbox")[0][0])
    h.clock.advance(timedelta(seconds=7))  # w1 stalled past its lease without renewing
    assert await w1.deliver_due(wait=False) == 2  # it claims both again, its task still running
    claimed = h.rows(
        "SELECT id, status, claimed_by FROM outbox WHERE id IN (:a, :b) ORDER BY id", a=first, b=second
    )
    assert [tuple(row) for row in claimed] == [(first, "sending", "w1"), (second, "pending", None)]
    w2 = Dispatcher(h.store, {"webchat": h.channel}, h, h.clock, leases=Leases("w2"))
    assert await w2.deliver_due() == 0  # the one in flight stays w1's; the next waits behind it
    gate.release.set()
    await w1.drain()
    await w1.deliver_due()
    assert h.channel.texts("slow") == ["first to slow", "second to slow"]  # each once, in order


def test_leases_are_short_enough_for_a_takeover_within_10_seconds() -> None:
    assert Leases("w").length + timedelta(seconds=1) <= timedelta(seconds=10)  # lease + one tick


class CuttingChannel:
    """Sends, then cuts the database path for ``seconds`` (the platform has the message; our
    bookkeeping meets a real outage)."""

    def __init__(self, inner: Any, proxy: Any, seconds: float) -> None:
        self.inner, self.proxy, self.seconds = inner, proxy, seconds
        self.name, self.capabilities = inner.name, inner.capabilities

    async def send(self, to: Any, prompt: Any) -> Any:
        sent = await self.inner.send(to, prompt)
        self.proxy.cut()
        asyncio.get_running_loop().call_later(self.seconds, self.proxy.restore)
        return sent


@pytest.mark.postgres
async def test_the_result_is_recorded_after_a_database_blip_and_the_message_is_not_sent_again(
    postgres_server_url: str, settings: Settings, t0: datetime
) -> None:
    from storage import open_database
    from storage.migrate import upgrade

    from ..conftest import _reset_postgres
    from ..faults import TcpCut

    database = open_database(postgres_server_url)
    upgrade(database)
    database.dispose()
    _reset_postgres(postgres_server_url)
    proxy = TcpCut.to(postgres_server_url)
    h = Harness(proxy.url(postgres_server_url), settings, t0)
    try:
        item = await queue_reply(h, "ann", "your refund is on its way")
        dispatcher = Dispatcher(
            h.store, {"webchat": CuttingChannel(h.channel, proxy, 1.0)}, h, h.clock, leases=Leases("w")
        )
        assert await dispatcher.deliver_due() == 1
        assert status(h, item) == ("sent", "p1")
        assert await dispatcher.deliver_due() == 0
        assert h.channel.texts("ann") == ["your refund is on its way"]
    finally:
        h.close()
        proxy.close()


async def test_a_fresh_claim_sends_without_an_attempt_record_unless_the_channel_confirms_or_time_passed(
    harness: Harness,
) -> None:
    """The attempt is written before the platform call only where it is read: a channel that
    confirms messages, or a send that starts after the first half of its claim's lease."""
    h = harness
    first = await queue_reply(h, "slow", "first to slow")
    conversation_id = h.rows("SELECT max(id) FROM conversation")[0][0]
    await h.service.agent_reply(conversation_id, "bob", "second to slow")
    second = int(h.rows("SELECT max(id) FROM outbox")[0][0])
    gate = Gate(h.channel)
    dispatcher = Dispatcher(h.store, {"webchat": gate}, h, h.clock, leases=Leases("w"))
    assert await dispatcher.deliver_due(wait=False) == 2
    await asyncio.wait_for(gate.entered.wait(), 5)  # "first" is in the platform call
    h.clock.advance(timedelta(seconds=4))  # past half of the 6 s lease (still held)
    gate.release.set()
    await dispatcher.drain()
    attempts = dict(h.rows("SELECT id, attempt_at FROM outbox WHERE id IN (:a, :b)", a=first, b=second))
    assert attempts[first] is None and attempts[second] is not None
    assert h.channel.texts("slow") == ["first to slow", "second to slow"]
    confirming(h)
    third = await queue_reply(h, "ann", "on a confirming channel")
    await h.dispatcher.deliver_due()
    [(attempt_at,)] = h.rows("SELECT attempt_at FROM outbox WHERE id = :i", i=third)
    assert attempt_at is not None


async def test_a_sending_process_delivers_what_its_turns_queue_without_claiming_it(harness: Harness) -> None:
    h = harness
    woken: list[str] = []
    h.dispatcher.wake = lambda: woken.append("claim")
    h.store.handoff = h.dispatcher  # as `csatbot serve` runs
    await queue_reply(h, "ann", "first")
    await h.dispatcher.deliver_due()  # PostgreSQL: claimed (SQLite: leased already, nothing to claim)
    await h.dispatcher.drain()
    assert h.channel.texts("ann") == ["first"]
    h.channel.sent.clear()
    woken.clear()
    conversation_id = h.rows("SELECT max(id) FROM conversation")[0][0]
    await h.service.agent_reply(conversation_id, "bob", "your refund is on its way")
    await h.dispatcher.drain()
    if h.database.dialect == "sqlite":  # leased as it was queued: sent without a claim or a wake
        assert woken == []
    else:  # queued for the claim, which keeps each customer's order across transactions
        assert woken == ["claim"] and h.channel.texts("ann") == []
        assert await h.dispatcher.deliver_due() == 1
    assert h.channel.texts("ann") == ["your refund is on its way"]
    assert h.rows("SELECT status FROM outbox ORDER BY id DESC LIMIT 1") == [("sent",)]


async def test_a_message_queued_behind_an_unconfirmed_one_waits_for_the_claim(harness: Harness) -> None:
    h = harness
    confirming(h)
    first = await queue_reply(h, "ann", "first")
    h.channel.fail_with = [DeliveryError("webchat: did not answer: ReadTimeout", maybe_sent=True)]
    assert await h.dispatcher.deliver_due() == 0
    woken: list[str] = []
    h.dispatcher.wake = lambda: woken.append("claim")
    h.store.handoff = h.dispatcher
    conversation_id = h.rows("SELECT conversation_id FROM message WHERE text = 'first'")[0][0]
    await h.service.agent_reply(conversation_id, "bob", "second")
    await h.dispatcher.drain()
    assert h.channel.texts("ann") == [] and woken == ["claim"]  # in the queue, behind "first"
    await h.service.delivery_confirmed("webchat", f"outbox:{first}", "wamid.F")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann") == ["second"]


def test_an_outbox_reference_a_platform_echoes_names_a_row_or_nothing() -> None:
    """WhatsApp echoes ``biz_opaque_callback_data`` in signed status webhooks: ``outbox:²`` raised
    ValueError and ``outbox:99999999999`` reached PostgreSQL (integer out of range), failing every
    retry of the status's turn."""
    assert outbox_id("outbox:42") == 42
    for reference in ("outbox:²", "outbox:99999999999", "outbox:2147483648", "outbox:", "outbox:0", "42"):
        assert outbox_id(reference) is None, reference


@pytest.mark.parametrize("retry_after", [float("inf"), 1e30, float("nan")], ids=["inf", "1e30", "nan"])
async def test_a_platforms_retry_after_past_any_date_is_capped_and_the_attempt_counted(
    harness: Harness, retry_after: float
) -> None:
    """A receiver answering 429 with ``Retry-After: 999...`` (20 nines or more): the retry time
    overflowed (OverflowError), the attempt was never recorded, and the row went again after every
    lease, without end."""
    h = harness
    item = await queue_reply(h, "ann", "first")
    h.channel.fail_with = [DeliveryError("webchat: HTTP 429", retry_after=retry_after)]
    assert await h.dispatcher.deliver_due() == 0
    [(state, attempts, due)] = h.rows(
        "SELECT status, attempts, next_attempt_at FROM outbox WHERE id = :i", i=item
    )
    assert (state, attempts) == ("pending", 1)
    assert datetime.fromisoformat(str(due)) <= h.clock.now().replace(tzinfo=None) + timedelta(
        seconds=MAX_RETRY_AFTER
    )

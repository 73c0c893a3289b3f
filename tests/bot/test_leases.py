"""Short leases on claimed work (``bot.leases``): renewed to ``now + length`` while the worker holds
them, every third of the lease, until stopped. On a real store (SQLite, and PostgreSQL when
configured) with a frozen clock."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.leases import LEASE, Leases
from bot.ports import Recipient
from bot.repository import Repository

from ..conftest import Harness
from ..support.columns import utc

WORKER = "w1"


async def claimed(h: Harness, worker: str = WORKER) -> tuple[int, int]:
    """One outbox row and one timer, claimed by ``worker`` with a lease of :data:`LEASE`."""
    now = h.clock.now()

    def claim(repo: Repository) -> tuple[int, int]:
        repo.enqueue("message", "webchat", Recipient("webchat", "", "ann"), {}, at=now)
        repo.schedule("remind", f"s-{worker}", now, now)
        [item] = repo.claim_outbox(now, 10, now + LEASE, worker)
        [timer] = repo.claim_due_timers(now, 10, now + LEASE, worker)
        return item.id, timer.id

    return await h.store.run(claim)


def leases_of(h: Harness) -> list[tuple[datetime, datetime]]:
    [(outbox,)] = h.rows("select next_attempt_at from outbox")
    [(timer,)] = h.rows("select claimed_until from timer")
    return [(utc(outbox), utc(timer))]


async def test_a_renewal_extends_every_lease_held_to_now_plus_its_length(harness: Harness) -> None:
    item, timer = await claimed(harness)
    leases = Leases(WORKER)
    leases.outbox.add(item)
    leases.timers.add(timer)
    harness.clock.advance(timedelta(seconds=4))
    await leases.renew(harness.store, harness.clock)
    until = harness.clock.now() + LEASE
    assert leases.until(harness.clock.now()) == until
    assert leases_of(harness) == [(until, until)]


async def test_work_no_longer_held_is_not_renewed(harness: Harness) -> None:
    start = harness.clock.now()
    await claimed(harness)
    leases = Leases(WORKER)  # it finished that work: it holds nothing now
    harness.clock.advance(timedelta(seconds=4))
    await leases.renew(harness.store, harness.clock)
    assert leases_of(harness) == [(start + LEASE, start + LEASE)]


async def test_keep_renews_every_third_of_the_lease_until_stopped(harness: Harness) -> None:
    item, timer = await claimed(harness)
    leases = Leases(WORKER, timedelta(milliseconds=90))
    leases.outbox.add(item)
    leases.timers.add(timer)
    harness.clock.advance(timedelta(minutes=1))
    keeping = asyncio.create_task(leases.keep(harness.store, harness.clock))
    await asyncio.sleep(0.3)
    leases.stop()
    await asyncio.wait_for(keeping, 5)
    until = harness.clock.now() + timedelta(milliseconds=90)
    assert leases_of(harness) == [(until, until)]


async def test_a_worker_id_longer_than_its_column_is_kept_bounded_and_distinct(harness: Harness) -> None:
    """The id is ``<hostname>:<port>`` (or ``$CSATBOT_WORKER_ID``); claimed_by holds 64 characters, so
    on PostgreSQL a host named with 60 characters failed every claim: nothing was ever sent."""
    host = "ip-10-0-0-1.eu-west-1.compute.internal.example-" + "x" * 20
    first, second = Leases(f"{host}:8000:w1"), Leases(f"{host}:8000:w2")
    assert len(first.worker) == len(second.worker) == 64 and first.worker != second.worker
    assert Leases(WORKER).worker == WORKER
    now = harness.clock.now()

    def claim(repo: Repository) -> None:
        repo.enqueue("message", "webchat", Recipient("webchat", "", "ann"), {}, at=now)
        repo.schedule("remind", "s-1", now, now)
        assert len(repo.claim_outbox(now, 10, now + LEASE, first.worker)) == 1
        assert len(repo.claim_due_timers(now, 10, now + LEASE, first.worker)) == 1

    await harness.store.run(claim)
    assert harness.rows("select claimed_by from timer") == [(first.worker,)]

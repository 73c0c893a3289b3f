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

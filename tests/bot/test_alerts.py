"""Ticket alerts (``bot.alerts``): queued in the transaction that changed the ticket, and the SLA watch.

On a real store (SQLite, and PostgreSQL when configured): a ticket opened on a conversation the
harness started, alerts read back from the outbox.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from bot import privacy
from bot.alerts import NOTIFY, SLA_TIMER, announce, fire_sla, masked_document, unwatch_sla, watch_sla
from bot.leases import LEASE
from bot.notifications import SLA_BREACHED
from bot.records import Ticket
from bot.repository import Repository
from bot.settings import Settings
from bot.turns import fire_timer

from ..conftest import Harness, MakeHarness
from ..support.config import config_data, settings_of
from ..support.held import held

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
DUE = T0 + timedelta(hours=4)
TICKET_OPENED = "ticket.opened"
T = TypeVar("T")


def test_a_masked_document_hides_the_customers_words_only() -> None:
    document = {
        "ticket": {
            "id": 7,
            "transcript": [{"author": "customer", "text": "mail me at ann@example.com"}, {"author": "bot"}],
            "answers": [
                {"step": "rating", "score": 1},
                {"step": "comment", "text": "call +86 138 0013 8000"},
            ],
            "reasons": ["comment: ann@example.com is angry"],
        },
        "notice": {"event": "ticket.opened"},
    }
    masked = masked_document(document, {"email", "phone"})
    assert masked["ticket"]["transcript"] == [
        {"author": "customer", "text": "mail me at [email]"},
        {"author": "bot", "text": ""},
    ]
    assert masked["ticket"]["answers"] == [
        {"step": "rating", "score": 1},
        {"step": "comment", "text": "call [phone]"},
    ]
    assert masked["ticket"]["reasons"] == ["comment: [email] is angry"]
    assert (masked["ticket"]["id"], masked["notice"]) == (7, {"event": "ticket.opened"})
    assert document["ticket"]["reasons"] == ["comment: ann@example.com is angry"]  # not changed in place


def alerting(**teams: Any) -> Settings:
    """The shipped config with a signed ticketing webhook told of every event, and ``teams`` changes."""
    data = config_data()
    data["notifications"]["targets"] = {"ticketing": {"kind": "webhook", "url": "http://127.0.0.1:9/hooks"}}
    data["teams"]["support"].update(teams)
    return settings_of(data)


async def ticket_of(h: Harness) -> Ticket:
    conversation_id = (await h.say("ann", "my parcel is late")).conversation_id

    def work(repo: Repository) -> Ticket:
        conversation = repo.get_conversation(conversation_id)
        return repo.open_ticket(
            conversation=conversation,
            survey_id=None,
            team="support",
            reasons=["customer asked for a call back"],
            transcript=repo.transcript(conversation_id),
            answers=[],
            sla_due_at=DUE,
            at=T0,
        )

    return await h.store.run(work)


def outbox(h: Harness) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in h.rows("select kind, channel from outbox where kind in ('notify', 'webhook') order by id")
    ]


async def run(h: Harness, work: Callable[[Repository], T]) -> T:
    return await h.store.run(work)


def _json(value: Any) -> Any:
    """A JSON column as read back (SQLite gives text, PostgreSQL the value)."""
    return json.loads(value) if isinstance(value, str) else value


def fire_first(h: Harness, now: datetime) -> Callable[[Repository], str]:
    """Carry out the one pending SLA timer at ``now``."""

    def work(repo: Repository) -> str:
        [timer] = repo.pending_timers(SLA_TIMER, 10)
        return fire_sla(repo, h.current.config, timer.id, timer.subject, now)

    return work


async def test_nobody_to_tell_queues_nothing(harness: Harness) -> None:
    ticket = await ticket_of(harness)
    config = harness.current.config
    assert (
        await run(harness, lambda repo: announce(repo, config, ticket, TICKET_OPENED, T0, actor="bot")) == 0
    )
    assert outbox(harness) == []


async def test_each_target_and_the_teams_webhook_get_one_row(make_harness: MakeHarness) -> None:
    h = make_harness(alerting(webhook_url="http://127.0.0.1:9/team"))
    ticket = await ticket_of(h)
    config = h.current.config
    assert await run(h, lambda repo: announce(repo, config, ticket, TICKET_OPENED, T0, actor="bot")) == 2
    assert outbox(h) == [(NOTIFY, "webhook"), ("webhook", "")]
    [(recipient, body)] = h.rows("select recipient, body from outbox where kind = 'notify'")
    recipient, body = _json(recipient), _json(body)
    assert recipient == {"target": "ticketing"}
    assert body["notice"]["event"] == TICKET_OPENED and body["document"]["ticket"]["id"] == ticket.id


async def test_a_breached_sla_is_announced_then_again_every_hour(make_harness: MakeHarness) -> None:
    h = make_harness(alerting())
    ticket = await ticket_of(h)
    config = h.current.config
    await run(h, lambda repo: watch_sla(repo, config, ticket, T0))
    said = await run(h, fire_first(h, DUE + timedelta(minutes=90)))
    assert said == f"ticket {ticket.id} overdue by 1h30m; 1 target(s) told"
    assert outbox(h) == [(NOTIFY, "webhook")]
    [(event,)] = h.rows("select body from outbox where kind = 'notify'")
    assert _json(event)["notice"]["event"] == SLA_BREACHED
    [(due_again,)] = h.rows(f"select due_at from timer where kind = '{SLA_TIMER}'")
    assert str(due_again).startswith("2026-11-23 08:00")  # due + 2 h: whole hours after the due time


async def test_an_sla_timer_on_a_ticket_done_or_moved_says_so(make_harness: MakeHarness) -> None:
    h = make_harness(alerting())
    ticket = await ticket_of(h)
    config = h.current.config

    later = DUE + timedelta(hours=2)
    await run(h, lambda repo: repo.update_ticket(ticket.id, T0, sla_due_at=later))
    await run(h, lambda repo: watch_sla(repo, config, ticket, T0))  # still set for the old due time
    said = await run(h, fire_first(h, DUE))
    assert said == f"SLA of ticket {ticket.id}: due at 2026-11-23 08:00 UTC"
    assert outbox(h) == []

    await run(h, lambda repo: repo.update_ticket(ticket.id, T0, status="resolved"))
    assert await run(h, fire_first(h, later)) == f"SLA of ticket {ticket.id}: ticket resolved"
    await run(h, lambda repo: repo.schedule(SLA_TIMER, "404", T0, T0))
    assert await run(h, fire_first(h, later)) == "SLA of ticket 404: ticket gone"
    assert outbox(h) == []


async def test_a_timer_taken_once_is_not_carried_out_again(make_harness: MakeHarness) -> None:
    h = make_harness(alerting())
    ticket = await ticket_of(h)
    config = h.current.config
    await run(h, lambda repo: watch_sla(repo, config, ticket, T0))
    [timer] = await run(h, lambda repo: repo.pending_timers(SLA_TIMER, 10))
    assert await run(h, lambda repo: repo.take_timer(timer.id)) is True
    assert await run(h, lambda repo: fire_sla(repo, config, timer.id, timer.subject, DUE)) == "already done"
    assert outbox(h) == []


async def test_a_team_nobody_watches_gets_no_timer(harness: Harness) -> None:
    ticket = await ticket_of(harness)
    await run(harness, lambda repo: watch_sla(repo, harness.current.config, ticket, T0))
    assert await run(harness, lambda repo: repo.has_timer(SLA_TIMER, str(ticket.id))) is False


async def test_a_watched_ticket_has_a_timer_until_unwatched(make_harness: MakeHarness) -> None:
    h = make_harness(alerting())
    ticket = await ticket_of(h)
    await run(h, lambda repo: watch_sla(repo, h.current.config, ticket, T0))
    assert await run(h, lambda repo: repo.has_timer(SLA_TIMER, str(ticket.id))) is True
    await run(h, lambda repo: unwatch_sla(repo, ticket.id))
    assert await run(h, lambda repo: repo.has_timer(SLA_TIMER, str(ticket.id))) is False


async def test_an_sla_alert_racing_an_erasure_is_emptied_with_the_rest(make_harness: MakeHarness) -> None:
    """An SLA breach announced (its transaction still open) while the customer is being erased. On
    PostgreSQL the erasure looked for their notices before the alert committed, so the alert stayed
    queued with their name and words and went to the team afterwards. The alert now holds the
    customer, so the erasure waits for it and empties it; and the other way round (the erasure first)
    the alert waits and names the placeholder."""
    h = make_harness(alerting())
    ticket = await ticket_of(h)
    await run(h, lambda repo: watch_sla(repo, h.current.config, ticket, T0))
    [(customer,)] = h.rows("select customer_id from identity")
    firing, release = await held(h.database, fire_first(h, DUE))
    eraser = asyncio.create_task(run(h, lambda repo: privacy.erase(repo, customer, "test", T0)))
    await asyncio.sleep(0.3)  # long enough to reach the database
    release.set()
    await firing
    counts = await eraser
    assert counts["outbox"] == 1
    assert [tuple(r) for r in h.rows("select status, body from outbox")] in (
        [("erased", "{}")],
        [("erased", {})],
    )


async def test_an_sla_breach_after_an_erasure_alerts_nobody(make_harness: MakeHarness) -> None:
    # An erased customer's open ticket cannot be answered (a reply is 409): its breach nagged the team
    # about nobody ("erased-..."), and set the next reminder.
    h = make_harness(alerting())
    ticket = await ticket_of(h)
    await run(h, lambda repo: watch_sla(repo, h.current.config, ticket, T0))
    [(customer,)] = h.rows("select customer_id from identity")
    eraser, release = await held(h.database, lambda repo: privacy.erase(repo, customer, "test", T0))
    firing = asyncio.create_task(run(h, fire_first(h, DUE)))
    await asyncio.sleep(0.3)
    release.set()
    await eraser
    assert await firing == f"SLA of ticket {ticket.id}: the customer was erased; no alert"
    assert h.rows("select body from outbox where status = 'pending'") == []
    assert h.rows("select id from timer where status = 'pending' and kind = 'sla'") == []


async def test_a_stale_claim_does_not_announce_a_breach_again(make_harness: MakeHarness) -> None:
    """Two processes on one database: A claims the due SLA timer, then stalls past its lease; B takes
    it over, announces the breach and sets the next reminder (the same timer row, an hour later).
    A's late firing found the row pending again and announced the breach a second time, an hour
    early; a timer fires only once it is due now, so A's firing finds nothing to do."""
    a = make_harness(alerting(), now=DUE + timedelta(minutes=1))
    b = make_harness(alerting(), now=DUE + timedelta(minutes=1))
    ticket = await ticket_of(a)
    await run(a, lambda repo: watch_sla(repo, a.current.config, ticket, T0))
    claimed_at = a.clock.now()
    [timer] = await run(a, lambda repo: repo.claim_due_timers(claimed_at, 10, claimed_at + LEASE, "a"))

    b.clock.advance(LEASE + timedelta(seconds=4))  # A's lease ran out: B claims the timer
    [said] = await b.service.fire_due_timers()
    assert said == f"ticket {ticket.id} overdue by 1m10s; 1 target(s) told"

    settings = a.current
    late = await run(a, lambda repo: fire_timer(repo, settings, timer, claimed_at, "s-late"))
    assert late == "already done"
    assert outbox(a) == [(NOTIFY, "webhook")]
    [(due_again,)] = a.rows(f"select due_at from timer where kind = '{SLA_TIMER}'")
    assert str(due_again).startswith("2026-11-23 07:00")  # B's next reminder, still pending

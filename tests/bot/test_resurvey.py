"""Closing the loop: the re-survey after a DSAT ticket is resolved, through the service and engine."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot import privacy, tickets
from bot.config import parse_config
from bot.prompts import AskRating
from bot.repository import Repository
from bot.settings import MessagingWindow, Settings

from ..conftest import Harness, MakeHarness
from ..support.columns import stored
from ..support.held import held

ROOT = Path(__file__).resolve().parents[2]


def settings(**tickets: Any) -> Settings:
    """The shipped config (re-survey on, 10 minutes after the ticket is resolved), ``tickets`` merged."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["tickets"] |= tickets
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


async def dsat_ticket(h: Harness, user: str = "ann") -> tuple[int, int, str]:
    """A conversation, its survey answered 2: returns (conversation, ticket, survey) ids."""
    result = await h.say(user, "my parcel is late")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    await h.tap(user, resolved.survey_id, "rating", "2")
    [(ticket_id,)] = h.rows("select id from ticket where survey_id = :s", s=resolved.survey_id)
    return result.conversation_id, int(ticket_id), str(resolved.survey_id)


def surveys(h: Harness, conversation_id: int) -> list[tuple[Any, ...]]:
    rows = h.rows(
        "select kind, status, ticket_id, csat from survey where conversation_id = :c order by kind desc",
        c=conversation_id,
    )
    return [tuple(r) for r in rows]


async def test_a_resolved_dsat_ticket_is_resurveyed_in_the_same_chat_and_recovers(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(settings())
    conversation_id, ticket_id, _ = await dsat_ticket(h)
    [(surveyed_at,)] = h.rows("select last_surveyed_at from customer")
    await h.service.ticket("resolve", ticket_id, "amy")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann")[-1].startswith("We've looked into your feedback")
    assert surveys(h, conversation_id)[-1] == ("followup", "pending", ticket_id, None)
    assert await h.tick(minutes=9) == []
    [done] = await h.tick(minutes=1)
    assert done.startswith("sent survey")
    question = h.channel.sent[-1][1]
    assert isinstance(question, AskRating) and question.text.endswith("Is your problem solved now?")
    await h.say("ann", "5")
    assert h.channel.texts("ann")[-1] == "Thank you for letting us know!"
    assert surveys(h, conversation_id)[-1] == ("followup", "completed", ticket_id, 5)
    assert h.rows("select count(*) from ticket") == [(1,)]
    # The throttle (one survey per 30 days) neither blocked it nor counts it as the latest survey.
    assert h.rows("select last_surveyed_at from customer") == [(surveyed_at,)]
    events = h.rows("select actor, action from ticketevent where ticket_id = :t order by id", t=ticket_id)
    assert [tuple(e) for e in events][-2:] == [("amy", "resolved"), ("bot", "resurvey")]
    [(agents,)] = h.rows("select agents from survey where kind = 'followup'")
    assert agents in ('["amy"]', ["amy"])  # SQLite hands back the JSON text, PostgreSQL the list


async def test_an_unhappy_resurvey_reopens_help_once_and_never_loops(make_harness: MakeHarness) -> None:
    h = make_harness(settings())
    conversation_id, ticket_id, _ = await dsat_ticket(h)
    await h.service.ticket("resolve", ticket_id, "amy")
    await h.tick(minutes=10)
    await h.say("ann", "1")
    await h.say("ann", "still no parcel")
    [(second, reasons)] = h.rows("select id, reasons from ticket where id <> :t", t=ticket_id)
    assert "CSAT 1 (at most 3)" in str(reasons)
    await h.service.ticket("resolve", int(second), "amy")
    await h.tick(hours=2)
    assert [kind for kind, *_ in surveys(h, conversation_id)] == ["main", "followup"]
    assert h.rows("select count(*) from timer where kind = 'send' and status = 'pending'") == [(0,)]


async def test_no_resurvey_when_switched_off(make_harness: MakeHarness) -> None:
    h = make_harness(settings(resurvey=None))
    conversation_id, ticket_id, _ = await dsat_ticket(h)
    await h.service.ticket("resolve", ticket_id, "amy")
    await h.tick(minutes=30)
    assert [kind for kind, *_ in surveys(h, conversation_id)] == ["main"]


async def test_no_resurvey_for_a_ticket_no_survey_opened(harness: Harness) -> None:
    result = await harness.say("bo", "I want to speak to a manager")
    ticket = await harness.service.escalate(result.conversation_id, "amy", "asked for a manager")
    await harness.service.ticket("resolve", ticket.id, "amy")
    await harness.tick(minutes=45)  # it went idle: its main survey is out, and nothing else
    assert [kind for kind, *_ in surveys(harness, result.conversation_id)] == ["main"]


async def test_the_resurvey_waits_for_quiet_hours_to_end(make_harness: MakeHarness) -> None:
    late = datetime(2026, 11, 23, 14, 50, tzinfo=UTC)  # 22:50 in Shanghai; quiet 22:00-08:00
    h = make_harness(settings(resurvey={"flow": "resolved_check", "delay": "5m"}), late)
    conversation_id, ticket_id, _ = await dsat_ticket(h)
    await h.service.ticket("resolve", ticket_id, "amy")
    [(due,)] = h.rows("select due_at from survey where kind = 'followup'")
    assert str(due).startswith("2026-11-24 00:00:00")  # 08:00 in Shanghai
    assert await h.tick(hours=9) == []  # 07:50 there
    assert surveys(h, conversation_id)[-1][:2] == ("followup", "pending")
    assert len(await h.tick(minutes=10)) == 1
    assert surveys(h, conversation_id)[-1][:2] == ("followup", "active")


def windowed() -> Settings:
    """The shipped settings, with a WhatsApp-like 24 h window (no template to reopen it) on the web chat."""
    return replace(settings(), windows={"webchat": MessagingWindow(timedelta(hours=24), reopenable=False)})


async def test_the_resurvey_is_moved_inside_the_channels_messaging_window(make_harness: MakeHarness) -> None:
    h = make_harness(windowed())
    _, ticket_id, _ = await dsat_ticket(h)
    h.clock.advance(timedelta(hours=21, minutes=55))  # the 10 min delay would end past 22 h (2 h margin)
    await h.service.ticket("resolve", ticket_id, "amy")
    [(due,)] = h.rows("select due_at from survey where kind = 'followup'")
    assert str(due).startswith(f"{h.clock.now() + timedelta(minutes=5):%Y-%m-%d %H:%M}")
    assert [r.split()[0] for r in await h.tick(minutes=5)] == ["sent"]


async def test_a_ticket_resolved_after_the_window_gets_no_resurvey_and_says_why(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(windowed())
    conversation_id, ticket_id, _ = await dsat_ticket(h)
    h.clock.advance(timedelta(hours=25))
    await h.service.ticket("resolve", ticket_id, "amy")
    assert surveys(h, conversation_id)[-1] == ("followup", "skipped", ticket_id, None)
    [(detail,)] = h.rows("select detail from ticketevent where action = 'resurvey'")
    assert "outside webchat's messaging window" in str(detail)
    assert h.rows("select count(*) from timer where kind = 'send' and status = 'pending'") == [(0,)]


async def test_a_resurvey_racing_an_erasure_never_reaches_the_customer(make_harness: MakeHarness) -> None:
    """A DSAT ticket resolved while its customer is being erased, each way round: the re-survey
    is planned skipped (the erasure went first) or closed by the erasure (the resolution went first),
    and nothing is queued to the customer's real id."""
    h = make_harness(settings())
    for first, user in (("erasure", "ann"), ("resolution", "bob")):
        conversation_id, ticket_id, _ = await dsat_ticket(h, user)
        [(customer,)] = h.rows('select customer_id from identity where "user" = :u', u=user)

        def erase(repo: Repository, customer: int = customer) -> object:
            return privacy.erase(repo, customer, "test", h.clock.now())

        def resolve(repo: Repository, ticket_id: int = ticket_id, user: str = user) -> object:
            return tickets.resolve(repo, h.current, ticket_id, "amy", h.clock.now(), f"late-{user}")

        holding, other = (erase, resolve) if first == "erasure" else (resolve, erase)
        task, release = await held(h.database, holding)
        racing = asyncio.create_task(h.store.run(other))
        await asyncio.sleep(0.3)  # long enough to reach the database
        release.set()
        await task
        await racing
        assert surveys(h, conversation_id)[-1][:2] == ("followup", "skipped"), first
        await h.tick(minutes=30)
        assert h.rows("select count(*) from outbox where status = 'pending'") == [(0,)], first
        queued = [stored(r) for (r,) in h.rows("select recipient from outbox")]
        assert not [r for r in queued if r.get("user") == user], (first, queued)

"""Hostile but valid sequences on the conversation core: no exception escapes, nothing doubled or lost."""

from __future__ import annotations

import asyncio
import contextlib
import random
from datetime import datetime, timedelta
from pathlib import Path

from bot.errors import CsatbotError
from bot.settings import Settings

from ..conftest import Harness, fresh_sqlite
from ..support.config import settings_of, shipped
from .test_service import answers, surveyed


async def test_a_tap_on_a_finished_surveys_button_changes_nothing(harness: Harness) -> None:
    sid = await surveyed(harness)
    await harness.tap("ann", sid, "rating", "5")
    await harness.say("ann", "skip")
    for step, value in [("rating", "1"), ("reason", "slow"), ("nope", "x"), ("rating", "99")]:
        result = await harness.tap("ann", sid, step, value)
        assert not result.answered
    await harness.tap("ann", "no-such-survey", "rating", "3")
    assert answers(harness, sid) == [("rating", "csat", 5, None, None)]
    assert harness.rows("select status from survey") == [("completed",)]


async def test_an_answer_at_the_reminder_instant_is_stored_once_and_not_reminded(harness: Harness) -> None:
    sid = await surveyed(harness)
    harness.clock.advance(timedelta(hours=4))
    await asyncio.gather(harness.say("ann", "5"), harness.service.fire_due_timers())
    await harness.dispatcher.deliver_due()
    assert answers(harness, sid) == [("rating", "csat", 5, None, None)]
    await harness.tick(hours=30)
    due = "select count(*) from timer where due_at <= :n and status = 'pending'"
    assert harness.rows(due, n=harness.clock.now()) == [(0,)]


async def test_an_answer_at_the_expiry_instant_either_counts_or_not_but_never_both(harness: Harness) -> None:
    sid = await surveyed(harness)
    harness.clock.advance(timedelta(hours=25))
    await asyncio.gather(harness.say("ann", "4"), harness.service.fire_due_timers())
    [(status,)] = harness.rows("select status from survey")
    stored = answers(harness, sid)
    assert (status, stored) in [("expired", []), ("completed", [("rating", "csat", 4, None, None)])]


async def test_a_clock_a_few_seconds_back_neither_crashes_nor_doubles(harness: Harness) -> None:
    sid = await surveyed(harness)
    harness.clock.advance(timedelta(seconds=-5))
    await harness.tap("ann", sid, "rating", "2")
    harness.clock.advance(timedelta(seconds=-3))
    await harness.tap("ann", sid, "reason", "slow")
    await harness.tick(seconds=-2)
    await harness.say("ann", "skip")
    assert [a[0] for a in answers(harness, sid)] == ["rating", "reason"]
    assert harness.rows("select count(*) from ticket") == [(1,)]


async def test_resolving_again_mid_survey_starts_no_second_survey(harness: Harness) -> None:
    sid = await surveyed(harness)
    await harness.tap("ann", sid, "rating", "2")
    [(conversation,)] = harness.rows("select conversation_id from survey")
    again = await harness.service.resolve(conversation, "bob")
    await harness.tap("ann", sid, "reason", "slow")
    await harness.say("ann", "it took a week")
    assert again.survey_id in (None, sid)
    assert harness.rows("select count(*) from survey") == [(1,)]
    assert harness.rows("select count(*) from ticket") == [(1,)]


async def test_writing_after_an_erasure_neither_crashes_nor_revives_the_survey(harness: Harness) -> None:
    sid = await surveyed(harness)
    [(customer,)] = harness.rows("select id from customer")
    await harness.service.erase_customer(customer, "admin")
    await harness.say("ann", "5")
    await harness.tap("ann", sid, "rating", "5")
    await harness.tick(days=2)
    assert answers(harness, sid) == []
    assert harness.rows("select status from survey where id = :s", s=sid) != [("active",)]


async def test_a_reload_that_drops_the_live_step_and_changes_the_scale_keeps_the_survey_going(
    harness: Harness,
) -> None:
    sid = await surveyed(harness)
    await harness.tap("ann", sid, "rating", "2")
    data = shipped()
    data["surveys"]["csat"] = data["surveys"]["nps"]  # another scale, no "reason" step
    harness.current = settings_of(data)
    await harness.tap("ann", sid, "reason", "slow")
    await harness.say("ann", "it took a week")
    await harness.tap("ann", sid, "reason", "slow")
    await harness.tick(days=2)
    assert [a[:2] for a in answers(harness, sid)] == [
        ("rating", "csat"),
        ("reason", "choice"),
        ("comment", "text"),
    ]
    assert harness.rows("select status from survey") == [("completed",)]
    assert harness.rows("select count(*) from ticket") == [(1,)]


async def test_concurrent_taps_on_a_later_step_record_one_answer(harness: Harness) -> None:
    sid = await surveyed(harness)
    await harness.tap("ann", sid, "rating", "2")
    await asyncio.gather(
        *(harness.tap("ann", sid, "reason", v) for v in ["slow", "slow", "unresolved", "slow"])
    )
    assert [a[0] for a in answers(harness, sid)] == ["rating", "reason"]


async def test_an_old_surveys_button_after_a_new_survey_started_answers_neither(harness: Harness) -> None:
    old = await surveyed(harness)
    await harness.tick(days=31)  # the first expired; the throttle window has passed
    new = await surveyed(harness)
    result = await harness.tap("ann", old, "rating", "1")
    assert not result.answered
    assert answers(harness, old) == [] and answers(harness, new) == []
    await harness.tap("ann", new, "rating", "5")
    assert answers(harness, new) == [("rating", "csat", 5, None, None)]


async def test_a_reload_without_the_live_flow_still_reminds_and_scores_on_the_old_scale(
    harness: Harness,
) -> None:
    sid = await surveyed(harness)
    data = shipped()
    del data["surveys"]["csat"]
    data["triggers"][0]["survey"] = "nps"
    harness.current = settings_of(data)
    assert await harness.tick(hours=4) == [f"remind survey {sid}"]
    assert not (await harness.say("ann", "9")).answered  # out of the 1-5 scale it was asked on
    await harness.say("ann", "4")
    await harness.say("ann", "skip")
    assert answers(harness, sid) == [("rating", "csat", 4, None, None)]
    assert harness.rows("select status from survey") == [("completed",)]


async def test_a_customer_who_writes_at_every_step_loses_and_doubles_nothing(harness: Harness) -> None:
    sid = await surveyed(harness)
    for text in ["where is my refund?", "2", "what?", "slow", "hello??", "they never called"]:
        await harness.say("ann", text)
    assert [a[:2] for a in answers(harness, sid)] == [
        ("rating", "csat"),
        ("reason", "choice"),
        ("comment", "text"),
    ]
    assert harness.rows("select count(*) from ticket") == [(1,)]
    stored = harness.rows("select count(*) from message where direction = 'in'")
    assert stored == [(7,)]  # every message kept, the first chat message included


async def _random_step(h: Harness, rng: random.Random) -> None:
    """One hostile but valid event: a message, a tap (maybe on a stale survey), time passing
    (maybe a few seconds back), an agent resolving or replying."""
    surveys = [s for (s,) in h.rows("select id from survey")] or ["s000001"]
    conversations = [c for (c,) in h.rows("select id from conversation")]
    kind = rng.choice(["say", "say", "tap", "tap", "tick", "resolve", "reply"])
    if kind == "say":
        await h.say("ann", rng.choice(["hi", "2", "5", "skip", "slow", "where is my order?", "stop"]))
    elif kind == "tap":
        step, value = rng.choice([("rating", "1"), ("rating", "5"), ("reason", "slow"), ("comment", "x")])
        await h.tap("ann", rng.choice(surveys), step, value)
    elif kind == "tick":
        await h.tick(minutes=rng.choice([-0.1, 0, 1, 10, 240, 1500, 60 * 24 * 31]))
    elif conversations:
        conversation = rng.choice(conversations)
        with contextlib.suppress(CsatbotError):  # a closed messaging window is a clear refusal
            if kind == "resolve":
                await h.service.resolve(conversation, "bob", send_now=rng.random() < 0.3)
            else:
                await h.service.agent_reply(conversation, "bob", "on it")


async def test_random_hostile_sequences_never_raise_double_or_strand_timers(
    sqlite_template: Path, tmp_path: Path, settings: Settings, t0: datetime
) -> None:
    surveyed_and_answered = 0
    for seed in range(12):
        h = Harness(fresh_sqlite(sqlite_template, tmp_path / f"fuzz{seed}.db"), settings, t0)
        try:
            rng = random.Random(seed)
            for _ in range(25):
                await _random_step(h, rng)
            per_step = "select count(*) from answer group by survey_id, step having count(*) > 1"
            assert h.rows(per_step) == [], seed
            open_tickets = "select count(*) from ticket where status = 'open'"
            tickets = f"{open_tickets} group by conversation_id having count(*) > 1"
            assert h.rows(tickets) == [], seed
            await h.tick(days=40)
            assert await h.tick(days=40) == [], seed  # nothing left firing again and again
            assert h.rows("select count(*) from survey where status = 'active'") == [(0,)], seed
            surveyed_and_answered += h.rows("select count(*) from answer")[0][0] > 0
        finally:
            h.close()
    assert surveyed_and_answered >= 3  # the sequences reach real surveys, not only chat

"""Ending a conversation (``bot.resolution``): resolving it, the survey its trigger asks for, and the
idle timer. On a real store (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.repository import Repository
from bot.resolution import ResolveResult, resolve, resolve_idle, survey_outcome
from bot.turns import agent_reply

from ..conftest import Harness, MakeHarness
from ..support.config import config_data, settings_of

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_the_survey_outcome_in_words() -> None:
    due = ResolveResult(1, survey_id="s1", survey_due_at=T0 + 10 * MIN)
    assert survey_outcome(due, T0) == "survey s1 due in 10 min"
    held = ResolveResult(
        1, survey_id="s1", survey_due_at=T0 + 600 * MIN, wait_reason="quiet hours until 08:00"
    )
    assert survey_outcome(held, T0) == "survey s1 due in 600 min (quiet hours until 08:00)"
    assert survey_outcome(ResolveResult(1, skip_reason="throttled"), T0) == "no survey: throttled"
    assert survey_outcome(ResolveResult(1), T0) == "no survey"


async def opened(h: Harness, user: str = "ann") -> int:
    return (await h.say(user, "my parcel is late")).conversation_id


async def test_resolving_schedules_the_triggers_survey_once(harness: Harness) -> None:
    conversation = await opened(harness)
    settings = harness.current

    def end(repo: Repository) -> ResolveResult:
        return resolve(repo, settings, conversation, "agent_resolved", "bob", T0, "res00001")

    first = await harness.store.run(end)
    assert (first.survey_id, first.survey_due_at, first.skip_reason) == ("res00001", T0 + 10 * MIN, None)
    again = await harness.store.run(end)
    assert again == ResolveResult(
        conversation, already_resolved=True, survey_id="res00001", survey_due_at=T0 + 10 * MIN
    )
    [(status, resolution, by)] = harness.rows("select status, resolution, resolved_by from conversation")
    assert (status, resolution, by) == ("resolved", "agent_resolved", "bob")


async def test_no_survey_when_nobody_answered_and_one_was_required(harness: Harness) -> None:
    conversation = await opened(harness)
    settings = harness.current
    result = await harness.store.run(
        lambda repo: resolve(
            repo, settings, conversation, "agent_resolved", "bob", T0, "x", require_reply=True
        )
    )
    assert result.skip_reason == "nobody from support answered the customer in this conversation"
    assert harness.rows("select count(*) from survey") == [(0,)]


async def test_no_survey_without_a_trigger_for_how_it_ended(make_harness: MakeHarness) -> None:
    data = config_data()
    data["triggers"][0]["events"] = ["agent_resolved"]
    h = make_harness(settings_of(data))
    conversation = await opened(h)
    result = await h.store.run(
        lambda repo: resolve(repo, h.current, conversation, "bot_resolved", "bot", T0, "x")
    )
    assert result.skip_reason == "no trigger for bot_resolved on webchat"


async def test_an_answered_conversation_left_quiet_is_resolved_by_the_idle_timer(harness: Harness) -> None:
    conversation = await opened(harness)
    settings = harness.current
    await harness.store.run(lambda repo: agent_reply(repo, settings, conversation, "bob", "Sent today.", T0))

    async def idle_at(now: datetime) -> str:
        return await harness.store.run(
            lambda repo: resolve_idle(repo, settings, conversation, now, "idle0001")
        )

    assert await idle_at(T0 + 10 * MIN) == f"conversation {conversation} active again"  # idle after 30m
    said = await idle_at(T0 + 31 * MIN)
    assert said == f"conversation {conversation} resolved after being idle; survey idle0001 due in 10 min"
    assert await idle_at(T0 + 40 * MIN) == f"conversation {conversation} not open"
    assert (
        await harness.store.run(lambda repo: resolve_idle(repo, settings, 999999, T0, "x"))
        == "conversation gone"
    )


async def test_an_unanswered_conversation_is_not_resolved_by_the_idle_timer(harness: Harness) -> None:
    conversation = await opened(harness)
    settings = harness.current
    said = await harness.store.run(
        lambda repo: resolve_idle(repo, settings, conversation, T0 + 31 * MIN, "x")
    )
    assert said.startswith(f"conversation {conversation} not idle: ")
    assert harness.rows("select status from conversation") == [("open",)]


def test_a_resolve_result_kept_as_json_reads_back_as_it_was() -> None:
    """Hunt 16: a keyed resolve keeps its answer as JSON values to answer a repeat with."""
    planned = ResolveResult(
        7, survey_id="s1", survey_due_at=datetime(2026, 12, 8, 8, tzinfo=UTC), wait_reason="quiet hours"
    )
    skipped = ResolveResult(8, skip_reason="no trigger for idle on telegram")
    for result in (planned, skipped):
        assert ResolveResult.from_json(json.loads(json.dumps(result.as_json()))) == result

"""Privacy in the core (``bot.privacy``): the daily retention sweep as a timer, and erasure with its
audit entry. On a real store (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.privacy import RETENTION_SUBJECT, RETENTION_TIMER, ensure_retention, erase, sweep
from bot.repository import Repository

from ..conftest import Harness

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def texts(h: Harness) -> list[str]:
    return [str(t) for (t,) in h.rows("select text from message where direction = 'in' order by id")]


async def test_the_sweep_is_scheduled_once(harness: Harness) -> None:
    assert await harness.store.run(lambda repo: ensure_retention(repo, T0)) is True
    assert await harness.store.run(lambda repo: ensure_retention(repo, T0 + timedelta(hours=1))) is False
    [timer] = await harness.store.run(lambda repo: repo.pending_timers(RETENTION_TIMER, 10))
    assert timer.subject == RETENTION_SUBJECT


async def test_the_sweep_forgets_old_words_and_comes_back_tomorrow(harness: Harness) -> None:
    await harness.say("ann", "my old order")  # at T0
    await harness.store.run(lambda repo: ensure_retention(repo, T0))
    config = harness.current.config  # transcripts kept 180 days
    later = T0 + timedelta(days=181)

    def first_timer(repo: Repository) -> tuple[int, datetime]:
        [timer] = repo.pending_timers(RETENTION_TIMER, 10)
        return timer.id, timer.due_at

    timer_id, _ = await harness.store.run(first_timer)
    early = await harness.store.run(lambda repo: sweep(repo, config, timer_id, T0 + timedelta(days=1)))
    assert early == "retention sweep: nothing was due"
    assert texts(harness) == ["my old order"]

    timer_id, due = await harness.store.run(first_timer)
    assert due == T0 + timedelta(days=2)  # tomorrow's, from the sweep that ran
    said = await harness.store.run(lambda repo: sweep(repo, config, timer_id, later))
    assert said.startswith("retention sweep: ") and "messages 1" in said
    assert texts(harness) != ["my old order"]


async def test_a_sweep_another_worker_took_is_not_run_twice(harness: Harness) -> None:
    await harness.say("ann", "my old order")
    await harness.store.run(lambda repo: ensure_retention(repo, T0))
    [timer] = await harness.store.run(lambda repo: repo.pending_timers(RETENTION_TIMER, 10))
    assert await harness.store.run(lambda repo: repo.take_timer(timer.id)) is True
    later = T0 + timedelta(days=181)
    config = harness.current.config
    assert await harness.store.run(lambda repo: sweep(repo, config, timer.id, later)) == "already done"
    assert texts(harness) == ["my old order"]


async def test_erasing_a_customer_is_audited_without_their_words(harness: Harness) -> None:
    conversation_id = (await harness.say("ann", "my address is 1 Main Street")).conversation_id

    def work(repo: Repository) -> dict[str, int]:
        customer = repo.get_conversation(conversation_id).customer_id
        return erase(repo, customer, "admin:amy", T0)

    counts = await harness.store.run(work)
    assert counts.get("messages", 0) >= 1
    assert "1 Main Street" not in " ".join(texts(harness))
    [(actor, action, subject)] = harness.rows("select actor, action, subject from audit_event")
    assert (actor, action) == ("admin:amy", "customer.erased") and subject.startswith("customer ")


@pytest.mark.parametrize("asked", [True, False], ids=["asked", "planned"])
async def test_a_survey_open_at_erasure_closes_with_it(harness: Harness, asked: bool) -> None:
    """It stayed open until its reminder found nobody there (or it expired as unanswered)."""
    conversation_id = (await harness.say("ann", "my parcel is late")).conversation_id
    survey_id = (await harness.service.resolve(conversation_id, "bob")).survey_id
    if asked:
        assert await harness.tick(minutes=10) == [f"sent survey {survey_id}"]

    def work(repo: Repository) -> dict[str, int]:
        return erase(
            repo, repo.get_conversation(conversation_id).customer_id, "admin:amy", harness.clock.now()
        )

    assert (await harness.store.run(work))["surveys_closed"] == 1
    [(status, reason)] = harness.rows("select status, skip_reason from survey where id = :s", s=survey_id)
    assert (status, reason) == ("skipped", "customer erased")
    assert harness.rows("select kind from timer where subject = :s and status = 'pending'", s=survey_id) == []
    assert await harness.tick(days=3) == []  # no reminder, no expiry, nothing sent

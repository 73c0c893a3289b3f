"""Who a conversation waits on, and its idle timer (``bot.waiting``). On a real store (SQLite, and
PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.repository import Repository
from bot.waiting import CUSTOMER, IDLE_TIMER, SUPPORT, customer_wrote, support_answered, waits_on_support

from ..conftest import Harness

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def test_an_answer_starts_the_idle_timer_and_the_customers_next_message_stops_it(
    harness: Harness,
) -> None:
    conversation = (await harness.say("ann", "my parcel is late")).conversation_id
    settings = harness.current
    assert harness.rows("select waiting_on from conversation") == [(SUPPORT,)]

    def state(repo: Repository) -> tuple[str, bool, str | None]:
        found = repo.get_conversation(conversation)
        return found.waiting_on, repo.has_timer(IDLE_TIMER, str(conversation)), waits_on_support(repo, found)

    await harness.store.run(lambda repo: support_answered(repo, settings, conversation, T0))
    assert await harness.store.run(state) == (CUSTOMER, True, None)
    [timer] = await harness.store.run(lambda repo: repo.pending_timers(IDLE_TIMER, 10))
    assert timer.due_at == T0 + timedelta(minutes=30)  # conversations.idle_resolve_after
    await harness.store.run(lambda repo: customer_wrote(repo, conversation, T0 + timedelta(minutes=5)))
    assert await harness.store.run(state) == (SUPPORT, False, "the customer wrote last")


async def test_an_answer_may_leave_silence_to_another_timer(harness: Harness) -> None:
    conversation = (await harness.say("ann", "my parcel is late")).conversation_id
    settings = harness.current
    await harness.store.run(lambda repo: support_answered(repo, settings, conversation, T0, idle_timer=False))
    assert await harness.store.run(lambda repo: repo.has_timer(IDLE_TIMER, str(conversation))) is False


async def test_an_open_ticket_keeps_the_conversation_on_the_support_side(harness: Harness) -> None:
    conversation = (await harness.say("ann", "my parcel is late")).conversation_id
    settings = harness.current

    def escalate_then_answer(repo: Repository) -> str | None:
        found = repo.get_conversation(conversation)
        repo.open_ticket(
            conversation=found,
            survey_id=None,
            team="support",
            reasons=["customer asked for a call back"],
            transcript=[],
            answers=[],
            sla_due_at=T0 + timedelta(hours=4),
            at=T0,
        )
        support_answered(repo, settings, conversation, T0)
        return waits_on_support(repo, repo.get_conversation(conversation))

    assert await harness.store.run(escalate_then_answer) == "its ticket is open"

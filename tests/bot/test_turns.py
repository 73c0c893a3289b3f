"""The units of work of the conversation service (``bot.turns``), each in one transaction of a real
store (SQLite, and PostgreSQL when configured): what one message or one agent reply stores.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.classification import Classification
from bot.errors import WindowClosedError
from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Resume, Text
from bot.repository import Repository
from bot.settings import MessagingWindow, Settings
from bot.turns import TRIAGE_TIMER, TurnResult, agent_reply, inbound

from ..conftest import Harness

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def message(
    payload: Payload, platform_id: str = "m1", user: str = "ann", at: datetime = T0
) -> InboundMessage:
    return InboundMessage("webchat", "", user, platform_id, at, payload, locale="en")


async def turn(
    h: Harness, msg: InboundMessage, settings: Settings | None = None, **options: Any
) -> TurnResult:
    current = settings or h.current
    return await h.store.run(lambda repo: inbound(repo, current, msg, msg.received_at, **options))


def transcript(h: Harness) -> list[tuple[str, str, str]]:
    rows = h.rows("select direction, author, text from message order by id")
    return [(str(d), str(a), str(t)) for d, a, t in rows]


async def test_a_message_opens_a_conversation_and_a_redelivery_changes_nothing(harness: Harness) -> None:
    first = await turn(harness, message(Text("my parcel is late")))
    assert first.conversation_id is not None and not first.duplicate
    assert await turn(harness, message(Text("my parcel is late"))) == TurnResult(duplicate=True)
    assert transcript(harness) == [("in", "customer", "my parcel is late")]
    again = await turn(harness, message(Text("still waiting"), "m2"))
    assert again.conversation_id == first.conversation_id  # the same open conversation


async def test_start_is_welcomed_in_the_customers_language(harness: Harness) -> None:
    await turn(harness, message(Command("start")))
    [(direction, author, text)] = transcript(harness)[1:]
    assert (direction, author) == ("out", "bot")
    assert text == harness.current.text("welcome", "en")
    [(queued,)] = harness.rows("select count(*) from outbox where kind = 'message'")
    assert queued == 1


@pytest.mark.parametrize(
    ("payload", "stale"), [(ChoicePicked("nosuch01", "rating", "5", "5"), True), (Resume("nosuch01"), False)]
)
async def test_a_tap_on_a_survey_that_is_over_changes_nothing(
    harness: Harness, payload: Payload, stale: bool
) -> None:
    assert await turn(harness, message(payload)) == TurnResult(stale=stale)
    assert transcript(harness) == []


async def test_a_typed_message_waits_for_the_model_when_it_is_not_ready(harness: Harness) -> None:
    result = await turn(harness, message(Text("where is my refund")), queue_triage=True)
    [(message_id,)] = harness.rows("select id from message where direction = 'in'")
    timers = await harness.store.run(lambda repo: repo.pending_timers(TRIAGE_TIMER, 10))
    assert [t.subject for t in timers] == [str(message_id)]
    assert result.conversation_id is not None
    await turn(harness, message(Command("help"), "m2"), queue_triage=True)  # a command is not triaged
    assert len(await harness.store.run(lambda repo: repo.pending_timers(TRIAGE_TIMER, 10))) == 1


async def test_a_classified_message_is_labelled(harness: Harness) -> None:
    verdict = Classification("order_status", 0.9, "negative", 0.8)
    await turn(harness, message(Text("where is my parcel")), classification=verdict)
    [(intent, sentiment)] = harness.rows("select intent, sentiment from message where direction = 'in'")
    assert (intent, sentiment) == ("order_status", "negative")


async def test_an_agent_reply_is_queued_and_credits_the_agent_once(harness: Harness) -> None:
    conversation_id = (await turn(harness, message(Text("hello?")))).conversation_id
    assert conversation_id is not None

    def reply(repo: Repository) -> int:
        return agent_reply(repo, harness.current, conversation_id, "bob", "On its way!", T0)

    first, second = await harness.store.run(reply), await harness.store.run(reply)
    assert first != second
    assert transcript(harness)[1:] == [("out", "agent:bob", "On its way!")] * 2
    [(agents,)] = harness.rows("select agents from conversation")
    assert "bob" in str(agents) and str(agents).count("bob") == 1


async def test_an_agent_reply_outside_the_window_is_refused(harness: Harness) -> None:
    conversation_id = (await turn(harness, message(Text("hello?")))).conversation_id
    assert conversation_id is not None
    windowed = dataclasses.replace(harness.current, windows={"webchat": MessagingWindow(timedelta(hours=24))})
    later = T0 + timedelta(hours=25)
    with pytest.raises(WindowClosedError):
        await harness.store.run(lambda repo: agent_reply(repo, windowed, conversation_id, "bob", "Hi", later))
    assert [a for _, a, _ in transcript(harness)] == ["customer"]
    within = T0 + timedelta(hours=23)
    await harness.store.run(lambda repo: agent_reply(repo, windowed, conversation_id, "bob", "Hi", within))
    assert [a for _, a, _ in transcript(harness)] == ["customer", "agent:bob"]

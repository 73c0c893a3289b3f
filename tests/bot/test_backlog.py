"""Messages that waited for the triage model (``bot.backlog``): taken oldest first, each triaged
once, labelled always, acted on only while that still makes sense. On a real store (SQLite, and
PostgreSQL when configured).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot import privacy
from bot.backlog import Queued, triage_late, waiting
from bot.classification import Classification
from bot.messages import InboundMessage, Text
from bot.turns import TRIAGE_TIMER, agent_reply, inbound

from ..conftest import Harness
from ..support.held import held

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PASSWORD = Classification("password_reset", 0.97, "neutral", 0.9)  # the shipped triage answers it
UPSET = Classification("complaint", 0.9, "negative", 0.9, needs_human=0.9)  # the shipped triage escalates it


async def queued(h: Harness, text: str, user: str = "ann", at: datetime = T0) -> int:
    """``user`` writes ``text`` while the model is not ready; returns the conversation id."""
    msg = InboundMessage("webchat", "", user, f"{user}-{text}", at, Text(text), locale="en")
    result = await h.store.run(lambda repo: inbound(repo, h.current, msg, at, queue_triage=True))
    assert result.conversation_id is not None
    return result.conversation_id


async def backlog(h: Harness, limit: int = 10) -> list[Queued]:
    return await h.store.run(lambda repo: waiting(repo, limit))


async def late(
    h: Harness, item: Queued, verdict: Classification = PASSWORD, survey_id: str = "late0001"
) -> str | None:
    return await h.store.run(lambda repo: triage_late(repo, h.current, item, verdict, T0, survey_id))


def bot_texts(h: Harness) -> list[str]:
    return [str(t) for (t,) in h.rows("select text from message where author = 'bot' order by id")]


async def test_waiting_messages_come_oldest_first_up_to_the_limit(harness: Harness) -> None:
    await queued(harness, "first question")
    await queued(harness, "second question", "bob", T0 + timedelta(seconds=1))
    found = await backlog(harness)
    assert [(q.text, q.during_survey) for q in found] == [
        ("first question", False),
        ("second question", False),
    ]
    assert [q.text for q in await backlog(harness, 1)] == ["first question"]


async def test_a_late_verdict_labels_the_message_and_acts_once(harness: Harness) -> None:
    await queued(harness, "I forgot my password")
    [item] = await backlog(harness)
    said = await late(harness, item)
    assert said == f"message {item.message_id} triaged late: password_reset/neutral"
    [(intent,)] = harness.rows(f"select intent from message where id = {item.message_id}")
    assert intent == "password_reset"
    answered = bot_texts(harness)
    assert answered, "the shipped triage answers a password reset automatically"
    assert await late(harness, item) is None  # another worker took it already: nothing twice
    assert bot_texts(harness) == answered
    assert await backlog(harness) == []


async def test_a_resolved_conversation_is_only_labelled(harness: Harness) -> None:
    conversation_id = await queued(harness, "I forgot my password")
    await harness.service.resolve(conversation_id, "bob")
    [item] = await backlog(harness)
    assert await late(harness, item) == (
        f"message {item.message_id} labelled password_reset/neutral; conversation already resolved"
    )
    [(intent,)] = harness.rows(f"select intent from message where id = {item.message_id}")
    assert intent == "password_reset"
    assert not [t for t in bot_texts(harness) if "password" in t.lower()]


async def test_no_automatic_answer_once_an_agent_wrote(harness: Harness) -> None:
    conversation_id = await queued(harness, "I forgot my password")
    await harness.store.run(
        lambda repo: agent_reply(repo, harness.current, conversation_id, "bob", "Let me check.", T0)
    )
    [item] = await backlog(harness)
    assert await late(harness, item) == f"message {item.message_id} triaged late: password_reset/neutral"
    assert bot_texts(harness) == []  # the agent's reply is the only answer
    assert [str(a) for (a,) in harness.rows("select author from message where direction = 'out'")] == [
        "agent:bob"
    ]


async def test_a_timer_whose_message_is_gone_leaves_the_backlog(harness: Harness) -> None:
    await harness.store.run(lambda repo: repo.schedule(TRIAGE_TIMER, "999999", T0, T0))
    await harness.store.run(lambda repo: repo.schedule(TRIAGE_TIMER, "not-a-message", T0, T0))
    await queued(harness, "where is my parcel")
    assert [q.text for q in await backlog(harness)] == ["where is my parcel"]
    pending = await harness.store.run(lambda repo: repo.pending_timers(TRIAGE_TIMER, 10))
    assert len(pending) == 1  # the two without a message were taken, once and for all


async def test_a_message_of_a_customer_being_erased_is_only_labelled(harness: Harness) -> None:
    """An erasure in progress (its transaction open) while the model's verdicts come for the customer's
    waiting messages. The late triage read the identity as committed and went on: an upset message
    opened a ticket about nobody (the escalation an agent is refused, 409) and queued "a person will
    reply" to ``erased-<id>``. It now waits for the erasure and only labels the message."""
    await queued(harness, "this is awful, get me a person")
    [item] = await backlog(harness)
    [(customer,)] = harness.rows("select customer_id from identity")
    eraser, release = await held(harness.database, lambda repo: privacy.erase(repo, customer, "test", T0))
    racing = asyncio.create_task(late(harness, item, UPSET))
    await asyncio.sleep(0.3)  # long enough to reach the database
    release.set()
    said = await racing
    await eraser
    assert said == f"message {item.message_id} labelled complaint/negative; the customer was erased"
    assert harness.rows("select count(*) from ticket") == [(0,)]
    assert harness.rows("select count(*) from outbox") == [(0,)]
    assert harness.rows("select author, intent from message") == [("customer", "complaint")]

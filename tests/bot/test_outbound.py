"""What the bot says, written into the outbox (``bot.outbound``): the message in the transcript and
its delivery queued in the same transaction, delivered as it was written. On a real store (SQLite,
and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.outbound import send_prompt
from bot.ports import Recipient
from bot.prompts import AskChoice, End, Option, Prompt, Say, prompt_text
from bot.records import Identity
from bot.repository import Repository

from ..conftest import Harness
from ..support.columns import stored

PROMPTS: list[Prompt] = [
    Say("A person will reply here."),
    AskChoice(
        "s1", "q2", "What went wrong?", (Option("slow", "Slow response"), Option("other", "Other")), "1-2"
    ),
    End("s1", "Thanks!"),
]


async def ann(h: Harness, locale: str = "en") -> Identity:
    at = h.clock.now()
    return await h.store.run(
        lambda repo: repo.identity("webchat", "", "ann", display_name="Ann", locale=locale, at=at)
    )


@pytest.mark.parametrize("prompt", PROMPTS)
async def test_a_prompt_is_stored_and_queued_then_delivered_as_written(
    harness: Harness, prompt: Prompt
) -> None:
    identity = await ann(harness)
    at = harness.clock.now()
    message_id = await harness.store.run(lambda repo: send_prompt(repo, identity, None, prompt, at))
    [(direction, author, text, payload)] = harness.rows(
        "select direction, author, text, payload from message"
    )
    assert (direction, author, text) == ("out", "bot", prompt_text(prompt))
    assert stored(payload)["type"] == type(prompt).__name__
    [(kind, channel, outbox_message)] = harness.rows("select kind, channel, message_id from outbox")
    assert (kind, channel, outbox_message) == ("message", "webchat", message_id)
    assert await harness.dispatcher.deliver_due() >= 1
    assert harness.channel.sent == [("ann", prompt)]


async def test_the_recipient_is_the_identity_in_the_language_asked(harness: Harness) -> None:
    identity = await ann(harness, locale="en")
    at = harness.clock.now()

    def two(repo: Repository) -> None:
        send_prompt(repo, identity, None, Say("Hello"), at)
        send_prompt(repo, identity, None, Say("你好"), at + timedelta(seconds=1), locale="zh-CN")

    await harness.store.run(two)
    recipients = [
        Recipient.from_json(stored(r)) for (r,) in harness.rows("select recipient from outbox order by id")
    ]
    assert [(r.channel, r.user, r.locale) for r in recipients] == [
        ("webchat", "ann", "en"),
        ("webchat", "ann", "zh-CN"),
    ]


async def test_an_agents_message_keeps_its_author_and_survey(harness: Harness) -> None:
    result = await harness.say("ann", "my parcel is late")
    identity = await ann(harness)
    conversation = result.conversation_id
    at = harness.clock.now()
    await harness.store.run(
        lambda repo: send_prompt(
            repo, identity, conversation, Say("On its way"), at, author="bob", survey_id=None
        )
    )
    assert harness.rows("select author, text, conversation_id from message where direction = 'out'")[-1] == (
        "bob",
        "On its way",
        conversation,
    )


async def test_nothing_is_queued_when_the_transaction_fails(harness: Harness) -> None:
    identity = await ann(harness)
    at = harness.clock.now()

    def fails(repo: Repository) -> None:
        send_prompt(repo, identity, None, Say("never"), at)
        raise RuntimeError("the turn failed after it")

    with pytest.raises(RuntimeError):
        await harness.store.run(fails)
    assert harness.rows("select count(*) from message") == [(0,)]
    assert harness.rows("select count(*) from outbox") == [(0,)]

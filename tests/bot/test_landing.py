"""Replies land where they belong: on the open ticket's conversation (reopened), or back in the
conversation an agent answered recently; never a second ticket for the same customer and issue."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.classification import Classification
from bot.config import parse_config
from bot.settings import Settings

from ..conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**conversations: Any) -> Settings:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["conversations"] = {**data["conversations"], **conversations}
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


class Angry:
    """ "!!" reads as an angry complaint that needs a person (the shipped triage escalates it)."""

    ready = True

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        return [
            Classification("complaint", 0.9, "negative", 0.9, "test", needs_human=0.95)
            if "!!" in text
            else Classification("other", 0.5, "neutral", 0.9, "test")
            for text in texts
        ]


async def dsat_ticket(h: Harness, user: str = "ann") -> tuple[int, str]:
    """Chat, agent answers and resolves, the customer rates 2: the conversation and its survey."""
    result = await h.say(user, "my parcel is late")
    await h.service.agent_reply(result.conversation_id, "bob", "It ships today.")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    await h.tap(user, resolved.survey_id, "rating", "2")
    return int(result.conversation_id), str(resolved.survey_id)


def conversations(h: Harness) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in h.rows("select id, status, waiting_on from conversation order by id")]


async def test_a_reply_to_an_agents_ticket_reply_lands_on_the_ticket(harness: Harness) -> None:
    h = harness
    conversation_id, survey_id = await dsat_ticket(h)
    await h.tap("ann", survey_id, "reason", "slow")
    await h.say("ann", "skip")  # the survey is over
    [(ticket_id,)] = h.rows("select id from ticket")
    h.clock.advance(timedelta(days=3))  # long after the agent's last chat reply
    await h.service.ticket("reply", ticket_id, "amy", "Sorry! Can you send the order number?")
    await h.say("ann", "it's A-1009")
    assert conversations(h) == [(conversation_id, "open", "support")]  # reopened, nothing new
    [(transcript,)] = h.rows("select transcript from ticket")
    transcript = json.loads(transcript) if isinstance(transcript, str) else transcript
    assert transcript[-1]["text"] == "it's A-1009"
    assert h.rows("select actor, action, detail from ticketevent where action = 'customer_wrote'") == [
        ("customer", "customer_wrote", "it's A-1009")
    ]
    assert await h.tick(hours=2) == []  # never idle-resolved while the ticket is open


async def test_a_message_during_a_follow_up_question_adds_to_the_open_ticket(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(settings_with())
    h.service.classifier = Angry()
    conversation_id, _ = await dsat_ticket(h)  # now asked "What went wrong?"
    result = await h.say("ann", "why does nobody answer me?!!")  # a question, not a reason
    assert result.handed_on and result.conversation_id == conversation_id
    assert h.rows("select count(*) from ticket") == [(1,)]
    [(reasons,)] = h.rows("select reasons from ticket")
    reasons = json.loads(reasons) if isinstance(reasons, str) else reasons
    assert reasons == [
        "CSAT 2 (at most 3)",
        "triage: complaint (90%), negative (90%), needs a person (95%)",
    ]
    assert conversations(h) == [(conversation_id, "open", "support")]


async def test_an_angry_reason_typed_at_what_went_wrong_is_the_reason_not_asked_again(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(settings_with())
    h.service.classifier = Angry()
    _, survey_id = await dsat_ticket(h)  # now asked "What went wrong?"
    result = await h.say("ann", "this is the third time I write to you!!")
    assert result.answered and not result.handed_on
    assert h.rows("select step, option, text from answer where survey_id = :s order by id", s=survey_id) == [
        ("rating", None, None),
        ("reason", "other", None),
        ("comment", None, "this is the third time I write to you!!"),
    ]
    assert h.rows("select status from survey") == [("completed",)]
    assert h.rows("select count(*) from ticket") == [(1,)]
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann")[-1] == (
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here."
    )


async def test_a_reply_before_the_survey_went_out_reopens_the_conversation(harness: Harness) -> None:
    h = harness
    first = await h.say("ann", "where is my parcel?")
    await h.service.agent_reply(first.conversation_id, "bob", "It arrives tomorrow.")
    resolved = await h.service.resolve(first.conversation_id, "bob")  # survey due in 10 minutes
    h.clock.advance(timedelta(minutes=5))
    again = await h.say("ann", "it did not arrive")
    assert again.conversation_id == first.conversation_id
    assert conversations(h) == [(first.conversation_id, "open", "support")]
    assert await h.tick(minutes=10) == []  # not surveyed while the customer still needs help
    await h.service.agent_reply(first.conversation_id, "bob", "Re-sent, arriving today.")
    result = await h.service.resolve(first.conversation_id, "bob")
    assert (result.survey_id, result.skip_reason) == (resolved.survey_id, None)
    assert await h.tick(minutes=10) == [f"sent survey {resolved.survey_id}"]
    assert h.rows("select count(*) from survey") == [(1,)]


async def test_after_the_survey_went_out_a_new_message_is_a_new_conversation(harness: Harness) -> None:
    h = harness
    first = await h.say("ann", "where is my parcel?")
    await h.service.agent_reply(first.conversation_id, "bob", "It arrives tomorrow.")
    await h.service.resolve(first.conversation_id, "bob", send_now=True)
    await h.tap("ann", "s000002", "rating", "5")
    await h.say("ann", "skip")  # the optional praise question
    again = await h.say("ann", "one more question about my invoice")
    assert again.conversation_id != first.conversation_id


async def test_after_reopen_within_a_new_conversation_starts(make_harness: MakeHarness) -> None:
    h = make_harness(settings_with(reopen_within="2h"))
    first = await h.say("ann", "where is my parcel?")
    await h.service.agent_reply(first.conversation_id, "bob", "It arrives tomorrow.")
    await h.service.resolve(first.conversation_id, "bob")
    h.clock.advance(timedelta(hours=2, seconds=1))
    again = await h.say("ann", "hello, new question")
    assert again.conversation_id != first.conversation_id
    assert [status for _, status, _ in conversations(h)] == ["resolved", "open"]


async def test_reopening_can_be_switched_off(make_harness: MakeHarness) -> None:
    h = make_harness(settings_with(reopen_within=None))
    first = await h.say("ann", "where is my parcel?")
    await h.service.agent_reply(first.conversation_id, "bob", "It arrives tomorrow.")
    await h.service.resolve(first.conversation_id, "bob")
    again = await h.say("ann", "thanks")
    assert again.conversation_id != first.conversation_id

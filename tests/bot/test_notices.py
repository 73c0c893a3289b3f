"""The customer is kept in the loop, in their language: a person will follow up (with the team's
hours), what happens after a low score, who took the ticket, and when it is resolved."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text

from bot.config import parse_config
from bot.prompts import End
from bot.settings import MessagingWindow, Settings

from ..conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[2]
HOURS = {"en": "Mon-Fri 9:00-18:00", "zh-CN": "周一至周五 9:00-18:00"}


def settings_with(keep_posted: bool = True, **team: Any) -> Settings:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["teams"]["support"] |= team
    data["tickets"]["keep_customer_posted"] = keep_posted
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


async def test_an_escalation_says_a_person_will_follow_up_with_the_teams_hours(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(settings_with(hours=HOURS))
    result = await h.say("ann", "please call me back")
    await h.service.escalate(result.conversation_id, "bob", "call back")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann") == [
        "I've passed this to Customer Support: a person will reply here. Our hours: Mon-Fri 9:00-18:00."
    ]
    li = await h.say("li", "请给我回电话", locale="zh-CN")
    await h.service.escalate(li.conversation_id, "bob", "call back")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("li") == [
        "已转交Customer Support，会有专人在这里回复您。服务时间：周一至周五 9:00-18:00。"
    ]
    # A second reason on the open ticket says nothing more.
    await h.service.escalate(result.conversation_id, "bob", "angry")
    await h.dispatcher.deliver_due()
    assert len(h.channel.texts("ann")) == 1


async def test_a_low_scores_closing_line_says_what_happens_next(make_harness: MakeHarness) -> None:
    h = make_harness(settings_with(members=["amy"]))
    result = await h.say("ann", "my parcel is late")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    for step, value in (("rating", "1"), ("reason", "slow")):
        await h.tap("ann", resolved.survey_id, step, value)
    await h.say("ann", "skip")
    end = h.channel.sent[-1][1]
    assert isinstance(end, End)
    assert end.text == (
        "Thank you for your feedback!\n"
        "I've passed this to Customer Support: a person will reply here. amy from Customer Support is on it."
    )
    assert h.channel.texts("ann").count(end.text) == 1  # said once, at the end of the survey


async def test_a_happy_survey_closes_as_before(harness: Harness) -> None:
    result = await harness.say("ann", "my parcel is late")
    resolved = await harness.service.resolve(result.conversation_id, "bob", send_now=True)
    await harness.dispatcher.deliver_due()
    await harness.tap("ann", resolved.survey_id, "rating", "5")
    assert harness.channel.texts("ann")[-1].startswith("Glad we could help!")
    await harness.say("ann", "Amy was quick, thank you")
    assert harness.channel.texts("ann")[-1] == "Thank you for your feedback!"


async def test_the_agent_who_takes_the_ticket_is_named_and_resolving_it_is_said(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(settings_with())
    with h.database.writer.begin() as conn:
        conn.execute(
            text(
                "insert into console_user (username, password_hash, role, display_name, locale, created_at)"
                " values ('amy', 'x', 'agent', 'Amy Li', '', '2026-01-01 00:00:00')"
            )
        )
    result = await h.say("ann", "please call me back")
    ticket = await h.service.escalate(result.conversation_id, "bob", "call back")
    await h.service.ticket("claim", ticket.id, "amy")
    await h.service.ticket("claim", ticket.id, "amy")  # a double tap says nothing twice
    await h.service.ticket("assign", ticket.id, "lead", "bob")
    await h.service.ticket("resolve", ticket.id, "bob")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann")[1:] == [
        "Amy Li from Customer Support is on it.",
        "bob from Customer Support is on it.",
        "Your request has been resolved. If anything is still unclear, just reply here.",
    ]


async def test_keeping_the_customer_posted_can_be_switched_off(make_harness: MakeHarness) -> None:
    h = make_harness(settings_with(keep_posted=False, members=["amy"]))
    result = await h.say("ann", "please call me back")
    ticket = await h.service.escalate(result.conversation_id, "bob", "call back")
    await h.service.ticket("assign", ticket.id, "lead", "bob")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann") == []


async def test_nothing_is_queued_that_the_channels_window_would_refuse(make_harness: MakeHarness) -> None:
    from dataclasses import replace

    settings = settings_with()
    h = make_harness(replace(settings, windows={"webchat": MessagingWindow(timedelta(hours=24))}))
    result = await h.say("ann", "please call me back")
    h.clock.advance(timedelta(hours=25))
    ticket = await h.service.escalate(result.conversation_id, "bob", "call back")
    await h.service.ticket("claim", ticket.id, "amy")
    assert h.rows("select count(*) from outbox where kind = 'message'") == [(0,)]


async def test_a_complaint_typed_during_a_survey_is_told_once_what_happens(make_harness: MakeHarness) -> None:
    from bot.classification import Classification

    class Angry:
        ready = True

        def classify(self, texts: Any) -> list[Classification]:
            return [
                Classification("complaint", 0.9, "negative", 0.9, needs_human=0.95)
                if "useless" in t
                else Classification("other", 0.5, "neutral", 0.9)
                for t in texts
            ]

    h = make_harness(settings_with())
    h.service.classifier = Angry()
    result = await h.say("ann", "hello")
    await h.service.agent_reply(result.conversation_id, "bob", "Hi!")
    await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    await h.say("ann", "this app is useless")  # not an answer: a new conversation, escalated
    texts = h.channel.texts("ann")
    assert "I've passed this to Customer Support: a person will reply here." in texts
    assert "I've passed your message on to our support team." not in texts  # said once, not twice
    assert texts[-1] == "How satisfied are you with the help you received?"  # the question again
    await h.say("ann", "where is my parcel")  # not an answer, and nothing triage acts on
    assert h.channel.texts("ann")[-1] == "I've passed your message on to our support team."


async def test_a_request_resolved_is_not_thanked_for_feedback_unless_only_that_text_is_set(
    make_harness: MakeHarness,
) -> None:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    h = make_harness(Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True))))
    for user, resolved_message, said in (
        ("li", data["tickets"]["resolved_message"], "您的问题已处理完毕。如还有疑问，直接在这里回复即可。"),
        ("wang", None, "我们已处理您的反馈，感谢您帮助我们改进！"),  # an older config: one text for all
    ):
        data["tickets"]["resolved_message"] = resolved_message
        h.current = Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))
        said_first = await h.say(user, "请给我回电话", locale="zh-CN")
        ticket = await h.service.escalate(said_first.conversation_id, "bob", "call back")
        await h.service.ticket("resolve", ticket.id, "bob")
        await h.dispatcher.deliver_due()
        assert h.channel.texts(user)[-1] == said

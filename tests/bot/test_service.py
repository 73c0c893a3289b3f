"""The conversation service end to end on a real database: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.errors import DeliveryError
from bot.prompts import AskChoice, AskRating, AskText, End
from bot.settings import Settings

from ..conftest import Harness, MakeHarness
from ..support.config import settings_of, shipped_text


def configured(*pairs: tuple[str, str]) -> Settings:
    return settings_of(shipped_text(*pairs))


async def surveyed(h: Harness, user: str = "ann") -> str:
    """Chat, resolve, let the delay pass; returns the survey id now waiting for a rating."""
    result = await h.say(user, "my parcel is late")
    resolved = await h.service.resolve(result.conversation_id, "bob")
    assert resolved.survey_id is not None and resolved.skip_reason is None
    assert resolved.survey_due_at == h.clock.now() + timedelta(minutes=10)
    assert await h.tick(minutes=10) == [f"sent survey {resolved.survey_id}"]
    assert isinstance(h.channel.sent[-1][1], AskRating)
    return str(resolved.survey_id)


def answers(h: Harness, survey_id: str) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in h.rows(
            "select step, kind, score, option, text from answer where survey_id = :s order by id", s=survey_id
        )
    ]


async def test_happy_path_stores_every_answer_and_thanks(harness: Harness) -> None:
    sid = await surveyed(harness)
    await harness.tap("ann", sid, "rating", "5")
    assert isinstance(harness.channel.sent[-1][1], AskText)  # the optional praise question
    assert harness.rows("select status from survey") == [("active",)]
    await harness.say("ann", "skip")
    assert answers(harness, sid) == [("rating", "csat", 5, None, None)]
    assert isinstance(harness.channel.sent[-1][1], End)
    assert harness.channel.texts()[-1] == "Thank you for your feedback!"
    assert harness.rows("select status, escalated from survey") == [("completed", False)]
    assert harness.rows("select count(*) from ticket") == [(0,)]


async def test_low_score_branches_escalates_once_and_ticket_holds_everything(harness: Harness) -> None:
    sid = await surveyed(harness)
    await harness.say("ann", "★★☆☆☆")
    assert isinstance(harness.channel.sent[-1][1], AskChoice)
    await harness.say("ann", "2")
    assert isinstance(harness.channel.sent[-1][1], AskText)
    await harness.say("ann", "nobody called me back")
    assert answers(harness, sid) == [
        ("rating", "csat", 2, None, None),
        ("reason", "choice", None, "unresolved", None),
        ("comment", "text", None, None, "nobody called me back"),
    ]
    tickets = harness.rows("select team, status, reasons, answers, transcript from ticket")
    assert len(tickets) == 1
    team, status, reasons, ticket_answers, transcript = tickets[0]
    assert (team, status) == ("support", "open")
    assert "CSAT 2 (at most 3)" in str(reasons)
    assert "nobody called me back" in str(ticket_answers) and "unresolved" in str(ticket_answers)
    assert "my parcel is late" in str(transcript)


async def test_redelivered_message_changes_nothing(harness: Harness) -> None:
    sid = await surveyed(harness)
    first = await harness.say("ann", "4", platform_id="wamid.1")
    again = await harness.say("ann", "4", platform_id="wamid.1")
    assert first.answered and not first.duplicate
    assert again.duplicate and not again.answered
    assert answers(harness, sid) == [("rating", "csat", 4, None, None)]
    assert harness.rows("select count(*) from message where platform_id = 'wamid.1'") == [(1,)]


async def test_double_tap_records_one_answer(harness: Harness) -> None:
    sid = await surveyed(harness)
    sent_before = len(harness.channel.sent)
    await harness.tap("ann", sid, "rating", "5")
    await harness.tap("ann", sid, "rating", "5")
    await harness.tap("ann", sid, "rating", "1")
    assert answers(harness, sid) == [("rating", "csat", 5, None, None)]
    assert len(harness.channel.sent) == sent_before + 1  # only the one thank-you


async def test_concurrent_taps_record_exactly_one_answer(harness: Harness) -> None:
    sid = await surveyed(harness)
    results = await asyncio.gather(*(harness.tap("ann", sid, "rating", "4") for _ in range(8)))
    assert sum(r.answered for r in results) == 1
    assert answers(harness, sid) == [("rating", "csat", 4, None, None)]


async def test_non_answer_is_reprompted_once_handed_on_and_never_scored(harness: Harness) -> None:
    sid = await surveyed(harness)
    first = await harness.say("ann", "where is my refund?")
    assert first.handed_on and not first.answered
    assert harness.channel.texts()[-3:] == [
        "I've passed your message on to our support team.",
        "Sorry, I didn't catch that as an answer.",
        "How satisfied are you with the help you received?",
    ]
    count = len(harness.channel.sent)
    second = await harness.say("ann", "order 12345678")
    assert second.handed_on
    assert harness.channel.texts()[count:] == ["I've passed your message on to our support team."]
    assert answers(harness, sid) == []
    open_conversations = harness.rows("select id from conversation where status = 'open'")
    assert len(open_conversations) == 1
    texts = harness.rows(
        "select text from message where conversation_id = :c and direction = 'in' order by id",
        c=open_conversations[0][0],
    )
    assert [t for (t,) in texts] == ["where is my refund?", "order 12345678"]
    await harness.say("ann", "3")  # the survey still takes a real answer
    assert answers(harness, sid) == [("rating", "csat", 3, None, None)]


async def test_survey_due_while_down_is_sent_by_the_next_process(
    harness: Harness, settings: Settings
) -> None:
    result = await harness.say("ann", "hello")
    resolved = await harness.service.resolve(result.conversation_id, "bob")
    url = harness.database.url
    harness.close()
    from bot.service import ConversationService  # a new process: new engines, same database
    from storage import SqlStore, open_database

    database = open_database(url)
    try:
        later = harness.clock.now() + timedelta(hours=2)
        from bot.ports import FrozenClock

        clock = FrozenClock(later)
        service = ConversationService(SqlStore(database), lambda: settings, clock)
        assert await service.fire_due_timers() == [f"sent survey {resolved.survey_id}"]
        assert await service.fire_due_timers() == []
    finally:
        database.dispose()


async def test_survey_past_expiry_when_process_returns_is_expired_not_sent(harness: Harness) -> None:
    result = await harness.say("ann", "hello")
    resolved = await harness.service.resolve(result.conversation_id, "bob")
    done = await harness.tick(days=2)
    assert done == [f"survey {resolved.survey_id} expired before it could be sent"]
    assert harness.channel.sent == []
    assert harness.rows("select status from survey") == [("expired",)]


async def test_second_resolve_is_idempotent(harness: Harness) -> None:
    result = await harness.say("ann", "hello")
    first = await harness.service.resolve(result.conversation_id, "bob")
    second = await harness.service.resolve(result.conversation_id, "bob")
    assert second.already_resolved and second.survey_id == first.survey_id
    assert harness.rows("select count(*) from survey") == [(1,)]
    assert harness.rows("select count(*) from timer where kind = 'send'") == [(1,)]


async def test_throttle_skips_a_second_survey_across_channels_and_says_why(harness: Harness) -> None:
    await surveyed(harness)
    result = await harness.say("ann", "one more thing")
    again = await harness.service.resolve(result.conversation_id, "bob")
    assert again.skip_reason is not None and again.skip_reason.startswith("throttled")
    assert harness.rows("select status, skip_reason is not null from survey order by created_at") == [
        ("active", False),
        ("skipped", True),
    ]


async def test_quiet_hours_hold_the_survey_until_morning(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(settings, datetime(2026, 11, 23, 14, 55, tzinfo=UTC))  # 22:55 in Asia/Shanghai
    result = await h.say("ann", "hi")
    resolved = await h.service.resolve(result.conversation_id, "bob")
    assert resolved.survey_due_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 08:00 local
    assert await h.tick(hours=1) == []
    assert await h.tick(hours=8, minutes=4) == []
    assert await h.tick(minutes=1) == [f"sent survey {resolved.survey_id}"]


async def test_idle_conversation_ends_by_itself_and_gets_its_survey(harness: Harness) -> None:
    result = await harness.say("ann", "hello?")
    await harness.service.agent_reply(result.conversation_id, "bob", "Hi! What can I do for you?")
    assert await harness.tick(minutes=20) == []
    await harness.say("ann", "my parcel is late")
    await harness.service.agent_reply(result.conversation_id, "bob", "It arrives tomorrow.")
    assert await harness.tick(minutes=20) == []  # the reply re-armed the timer
    done = await harness.tick(minutes=11)
    assert done == [
        f"conversation {result.conversation_id} resolved after being idle; survey s000003 due in 10 min"
    ]
    assert harness.rows("select status, resolution from conversation") == [("resolved", "idle")]
    assert harness.rows("select status from survey") == [("pending",)]


async def test_a_customer_left_waiting_is_never_idle_resolved_nor_surveyed(harness: Harness) -> None:
    result = await harness.say("ann", "I want to speak to a manager")
    assert await harness.tick(minutes=31) == []
    assert await harness.tick(days=3) == []
    assert harness.rows("select status, waiting_on from conversation") == [("open", "support")]
    await harness.service.agent_reply(result.conversation_id, "bob", "I'm the manager, how can I help?")
    await harness.say("ann", "when will my refund arrive?")  # waiting on support again
    assert await harness.tick(hours=2) == []
    assert harness.rows("select status, waiting_on from conversation") == [("open", "support")]
    assert harness.rows("select count(*) from survey") == [(0,)]


async def test_an_open_ticket_keeps_the_conversation_open_after_the_agent_replied(harness: Harness) -> None:
    result = await harness.say("ann", "my parcel is late")
    await harness.service.escalate(result.conversation_id, "bob", "call back")
    await harness.service.agent_reply(result.conversation_id, "bob", "Looking into it.")
    assert harness.rows("select waiting_on from conversation") == [("customer",)]
    assert await harness.tick(minutes=31) == [
        f"conversation {result.conversation_id} not idle: its ticket is open"
    ]
    assert harness.rows("select status, count(*) from conversation group by status") == [("open", 1)]


async def test_an_idle_conversation_nobody_answered_gets_no_survey(harness: Harness) -> None:
    from bot.messages import Command, InboundMessage

    start = InboundMessage("webchat", "", "ann", "u1", harness.clock.now(), Command("start"))
    result = await harness.service.handle(start)
    assert harness.rows("select waiting_on from conversation") == [("customer",)]  # welcomed
    done = await harness.tick(minutes=31)
    assert done == [
        f"conversation {result.conversation_id} resolved after being idle; "
        "no survey: nobody from support answered the customer in this conversation"
    ]
    assert harness.rows("select count(*) from survey") == [(0,)]


async def test_a_trigger_can_require_that_someone_answered(make_harness: MakeHarness) -> None:
    settings = configured(("    delay: 10m\n", "    delay: 10m\n    require_reply: true\n"))
    h = make_harness(settings)
    silent = await h.say("ann", "hello?")
    skipped = await h.service.resolve(silent.conversation_id, "bob")
    assert skipped.survey_id is None
    assert skipped.skip_reason == "nobody from support answered the customer in this conversation"
    answered = await h.say("ben", "hello?")
    await h.service.agent_reply(answered.conversation_id, "bob", "Hi Ben, done.")
    surveyed_ = await h.service.resolve(answered.conversation_id, "bob")
    assert surveyed_.survey_id is not None and surveyed_.skip_reason is None


async def test_reminder_once_then_expiry(harness: Harness) -> None:
    sid = await surveyed(harness)
    count = len(harness.channel.sent)
    assert await harness.tick(hours=4) == [f"remind survey {sid}"]
    assert harness.channel.texts()[count:] == [
        "A quick reminder: we'd love your feedback.",
        "How satisfied are you with the help you received?",
    ]
    assert await harness.tick(hours=21) == [f"expire survey {sid}"]
    assert harness.rows("select status from survey") == [("expired",)]
    late = await harness.say("ann", "5")
    assert not late.answered and answers(harness, sid) == []


async def test_survey_under_way_keeps_its_flow_after_config_edit(harness: Harness) -> None:
    sid = await surveyed(harness)
    harness.current = configured(
        ("en: Sorry to hear that. What went wrong?", "en: CHANGED reason question"),
        ("en: Thank you for your feedback!", "en: CHANGED thanks"),
    )
    await harness.say("ann", "1")
    assert harness.channel.texts()[-1] == "Sorry to hear that. What went wrong?"
    result = await harness.say("ann", "something else")
    assert result.answered
    await harness.say("ann", "skip")
    assert harness.channel.texts()[-1] == (  # the flow's own thanks; escalated, so what happens next
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here."
    )
    assert answers(harness, sid) == [
        ("rating", "csat", 1, None, None),
        ("reason", "choice", None, "other", None),
    ]
    # A new survey uses the edited flow.
    sid2 = await surveyed(harness, "ben")
    await harness.tap("ben", sid2, "rating", "2")
    assert harness.channel.texts("ben")[-1] == "CHANGED reason question"


async def test_chinese_customer_gets_chinese_survey_and_typed_answers(harness: Harness) -> None:
    result = await harness.say("li", "我的快递还没到", locale="zh-CN")
    resolved = await harness.service.resolve(result.conversation_id, "bob")
    await harness.tick(minutes=10)
    assert harness.channel.texts("li")[-1] == "您对本次服务满意吗？"
    await harness.say("li", "一般", locale="zh-CN")
    await harness.say("li", "响应太慢", locale="zh-CN")
    await harness.say("li", "跳过", locale="zh-CN")
    assert harness.channel.texts("li")[-1] == "感谢您的反馈！\n已转交Customer Support，会有专人在这里回复您。"
    assert answers(harness, str(resolved.survey_id)) == [
        ("rating", "csat", 3, None, None),
        ("reason", "choice", None, "slow", None),
    ]


async def test_team_webhook_gets_the_ticket_and_is_retried(make_harness: MakeHarness) -> None:
    settings = configured(("    sla: 4h\n", "    sla: 4h\n    webhook_url: http://127.0.0.1:9/tickets\n"))
    h = make_harness(settings)
    h.webhook_failures = [DeliveryError("HTTP 500"), DeliveryError("HTTP 503")]
    sid = await surveyed(h)
    await h.tap("ann", sid, "rating", "1")
    assert h.posted == []
    assert h.rows("select status, attempts from outbox where kind = 'webhook'") == [("pending", 1)]
    for _ in range(2):
        h.clock.advance(timedelta(minutes=15))
        await h.dispatcher.deliver_due()
    assert len(h.posted) == 1
    url, document = h.posted[0]
    assert url == "http://127.0.0.1:9/tickets"
    assert document["event"] == "ticket.opened"
    assert document["ticket"]["reasons"] == ["CSAT 1 (at most 3)"]
    assert document["ticket"]["answers"][0]["score"] == 1
    assert h.rows("select status, attempts from outbox where kind = 'webhook'") == [("sent", 3)]


async def test_delivery_retries_in_order_and_gives_up_on_permanent_errors(harness: Harness) -> None:
    harness.channel.fail_with = [DeliveryError("429", retry_after=30)]
    result = await harness.say("ann", "hi")
    await harness.service.agent_reply(result.conversation_id, "bob", "first")
    await harness.service.agent_reply(result.conversation_id, "bob", "second")
    await harness.dispatcher.deliver_due()
    assert harness.channel.sent == []  # "first" failed, "second" waits behind it
    harness.clock.advance(timedelta(seconds=31))
    await harness.dispatcher.deliver_due()
    assert harness.channel.texts() == ["first", "second"]
    harness.channel.fail_with = [DeliveryError("blocked by the user", permanent=True)]
    await harness.service.agent_reply(result.conversation_id, "bob", "third")
    await harness.dispatcher.deliver_due()
    assert harness.rows("select status, last_error from outbox order by id desc limit 1") == [
        ("dead", "blocked by the user")
    ]


async def test_a_start_deep_link_attaches_a_new_chat_to_the_known_customer(harness: Harness) -> None:
    from bot.messages import Command, InboundMessage

    first = await harness.say("ann", "hello from the web chat")
    customer = harness.rows("select customer_id from conversation where id = :c", c=first.conversation_id)[0][
        0
    ]
    token, expires_at = await harness.service.link_token(customer)
    assert expires_at == harness.clock.now() + timedelta(hours=24)
    assert (await harness.service.link_token(customer))[0] != token  # a new one each time
    start = InboundMessage(
        "telegram", "bot1", "tg-42", "u1", harness.clock.now(), Command("start", token), locale="en"
    )
    result = await harness.service.handle(start)
    assert harness.rows("select customer_id from identity where \"user\" = 'tg-42'") == [(customer,)]
    assert harness.rows("select customer_id from conversation where id = :c", c=result.conversation_id) == [
        (customer,)
    ]
    stranger = InboundMessage(
        "telegram", "bot1", "tg-43", "u2", harness.clock.now(), Command("start", "not-a-token")
    )
    await harness.service.handle(stranger)
    assert harness.rows("select customer_id != :c from identity where \"user\" = 'tg-43'", c=customer) == [
        (True,)
    ]


async def test_a_platform_failure_reported_later_marks_the_outbox_row(harness: Harness) -> None:
    sid = await surveyed(harness)
    [(platform_id,)] = harness.rows(
        "select o.platform_id from outbox o join message m on m.id = o.message_id where m.survey_id = :s",
        s=sid,
    )
    assert platform_id is not None
    assert await harness.service.delivery_failed("webchat", platform_id, "131026: message undeliverable")
    assert harness.rows("select status, last_error from outbox where platform_id = :p", p=platform_id) == [
        ("failed", "131026: message undeliverable")
    ]
    assert not await harness.service.delivery_failed("webchat", "wamid.unknown", "131026")
    assert not await harness.service.delivery_failed("telegram", platform_id, "wrong channel")


class BrokenModel:
    """The ``Classifier`` port as a model that loaded and then fails on every text (a folder changed
    under a running server, a runtime library that breaks): triage is lost, the conversation is not."""

    ready = True
    calls = 0

    def classify(self, texts: Any) -> list[Any]:
        self.calls += 1
        raise ValueError("invalid literal for int() with base 10: 'x'")


async def test_a_model_that_fails_at_run_time_leaves_messages_untriaged_and_surveys_answered(
    harness: Harness, caplog: Any
) -> None:
    model = BrokenModel()
    harness.service.classifier = model
    sid = await surveyed(harness)
    await harness.say("ann", "★★★★★")
    await harness.say("ann", "skip")
    assert answers(harness, sid) == [("rating", "csat", 5, None, None)]
    assert harness.rows("select status from survey") == [("completed",)]
    stored = harness.rows("select text, intent from message where direction = 'in' order by id")
    assert stored == [("my parcel is late", None), ("★★★★★", None), ("skip", None)]
    assert model.calls == 3
    failures = [r for r in caplog.records if "triage failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is not None  # said once, with the cause

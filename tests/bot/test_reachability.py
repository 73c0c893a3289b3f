"""Customers we cannot reach (bot/reachability.py) through the real service, store and outbox, on
both databases: the channel is a stand-in at the port boundary."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.errors import DeliveryError, UnreachableError
from bot.messages import InboundMessage, Reachability
from storage.funnel import survey_funnel
from storage.reports import build_report

from ..conftest import Harness

BLOCKED = "telegram: HTTP 403: Forbidden: bot was blocked by the user"


async def surveyed(h: Harness, user: str = "ann") -> str:
    """Chat, resolve, let the delay pass: the survey whose rating question went out."""
    result = await h.say(user, "my parcel is late")
    resolved = await h.service.resolve(result.conversation_id, "bob")
    assert resolved.survey_id is not None
    assert await h.tick(minutes=10) == [f"sent survey {resolved.survey_id}"]
    return str(resolved.survey_id)


async def resolved_due(h: Harness, user: str = "ann") -> str:
    """Chat and resolve: the survey due in 10 minutes."""
    result = await h.say(user, "my parcel is late")
    resolved = await h.service.resolve(result.conversation_id, "bob")
    assert resolved.survey_id is not None and resolved.skip_reason is None
    return str(resolved.survey_id)


async def reach(h: Harness, user: str, change: Reachability, platform_id: str) -> Any:
    """The platform tells us ``user`` blocked (or unblocked) the bot."""
    msg = InboundMessage("webchat", "", user, platform_id, h.clock.now(), change)
    return await h.service.handle(msg)


def survey(h: Harness, survey_id: str) -> tuple[Any, ...]:
    row = h.rows("SELECT status, skip_reason, sent_at FROM survey WHERE id = :s", s=survey_id)[0]
    return row[0], row[1], row[2]


def pending_timers(h: Harness, survey_id: str) -> list[str]:
    rows = h.rows(
        "SELECT kind FROM timer WHERE subject = :s AND status = 'pending' ORDER BY kind", s=survey_id
    )
    return [r[0] for r in rows]


async def funnel(h: Harness) -> dict[str, Any]:
    since, until = h.clock.now() - timedelta(days=2), h.clock.now() + timedelta(days=1)
    found = await h.store.run(lambda repo: survey_funnel(repo.session, since, until))
    total: dict[str, Any] = found.as_dict()["total"]
    return total


async def test_a_question_the_platform_refuses_for_good_skips_the_survey_at_once(harness: Harness) -> None:
    h = harness
    survey_id = await resolved_due(h)
    h.channel.fail_with = [DeliveryError(BLOCKED, permanent=True)]
    assert await h.tick(minutes=10) == [f"sent survey {survey_id}"]
    assert survey(h, survey_id) == ("skipped", f"undelivered: {BLOCKED}", None)
    assert pending_timers(h, survey_id) == []  # no reminder, no expiry
    assert h.rows("SELECT status, last_error FROM outbox ORDER BY id DESC LIMIT 1")[0] == ("dead", BLOCKED)
    assert await h.tick(hours=4) == [] and h.channel.sent == []  # nothing reached ann, nor was tried
    # Not a customer who did not answer: out of every rate, counted apart.
    total = await funnel(h)
    assert (total["sent"], total["unanswered"], total["answer_rate"], total["unreached"]) == (0, 0, None, 1)
    # Not surveyed either: the throttle does not keep the next survey from her.
    assert h.rows("SELECT last_surveyed_at FROM customer") == [(None,)]
    h.channel.fail_with = []
    again = await resolved_due(h)
    assert await h.tick(minutes=10) == [f"sent survey {again}"]


async def test_an_undelivered_survey_leaves_the_throttle_to_the_last_that_arrived(harness: Harness) -> None:
    h = harness
    first = await surveyed(h)
    [(reached,)] = h.rows("SELECT sent_at FROM survey WHERE id = :s", s=first)
    await h.tick(days=31)  # past the throttle: the next survey goes out, and does not arrive
    due = await resolved_due(h)
    h.channel.fail_with = [DeliveryError(BLOCKED, permanent=True)]
    assert await h.tick(minutes=10) == [f"sent survey {due}"]
    assert survey(h, due)[0] == "skipped"
    [(last,)] = h.rows("SELECT last_surveyed_at FROM customer")
    assert str(last)[:19] == str(reached)[:19]


async def test_a_question_that_fails_until_the_last_attempt_skips_the_survey_too(harness: Harness) -> None:
    h = harness
    h.dispatcher.max_attempts = 2
    survey_id = await resolved_due(h)
    h.channel.fail_with = [DeliveryError("webchat: HTTP 503: busy")] * 2
    await h.tick(minutes=10)
    assert survey(h, survey_id)[0] == "active"  # one failure: it is tried again
    await h.tick(minutes=1)
    assert survey(h, survey_id) == ("skipped", "undelivered: webchat: HTTP 503: busy", None)
    assert pending_timers(h, survey_id) == []


async def test_a_half_answered_survey_whose_next_question_fails_closes_as_partial(harness: Harness) -> None:
    h = harness
    survey_id = await surveyed(h)
    h.channel.fail_with = [DeliveryError(BLOCKED, permanent=True)]
    await h.tap("ann", survey_id, "rating", "2")  # the next question (what went wrong?) fails
    status, reason, sent_at = survey(h, survey_id)
    assert (status, reason) == ("partial", None) and sent_at is not None
    assert h.rows("SELECT step, score FROM answer WHERE survey_id = :s", s=survey_id) == [("rating", 2)]
    assert pending_timers(h, survey_id) == []


async def test_a_failure_the_platform_reports_later_skips_the_survey(harness: Harness) -> None:
    h = harness
    survey_id = await surveyed(h)
    [(platform_id,)] = h.rows("SELECT platform_id FROM outbox WHERE status = 'sent' ORDER BY id DESC LIMIT 1")
    error = "131047: re-engagement message"
    assert await h.service.delivery_failed("webchat", platform_id, error)
    assert survey(h, survey_id) == ("skipped", f"undelivered: {error}", None)
    assert pending_timers(h, survey_id) == []
    assert await h.service.delivery_failed("webchat", platform_id, error)  # reported twice: no change
    assert survey(h, survey_id)[:2] == ("skipped", f"undelivered: {error}")


async def test_a_failed_message_of_no_survey_closes_nothing(harness: Harness) -> None:
    h = harness
    survey_id = await surveyed(h)
    h.channel.fail_with = [DeliveryError(BLOCKED, permanent=True)]
    conversation_id = h.rows("SELECT max(id) FROM conversation")[0][0]
    await h.service.agent_reply(conversation_id, "bob", "anything else?")
    await h.dispatcher.deliver_due()
    assert survey(h, survey_id)[0] == "active"


async def test_blocking_closes_the_open_survey_and_fails_what_is_queued_unsent(harness: Harness) -> None:
    h = harness
    survey_id = await surveyed(h)
    conversation_id = h.rows("SELECT max(id) FROM conversation")[0][0]
    await h.service.agent_reply(conversation_id, "bob", "did that help?")  # queued, not sent yet
    sent = len(h.channel.sent)
    await reach(h, "ann", Reachability(False, "blocked"), "u1")
    assert survey(h, survey_id) == ("skipped", "customer blocked the bot", None)
    assert pending_timers(h, survey_id) == []
    assert h.rows("SELECT status, last_error FROM outbox ORDER BY id DESC LIMIT 1")[0] == (
        "dead",
        "customer blocked the bot",
    )
    await h.dispatcher.deliver_due()
    assert len(h.channel.sent) == sent  # no platform call
    with pytest.raises(UnreachableError, match="customer blocked the bot on webchat"):
        await h.service.agent_reply(conversation_id, "bob", "hello?")
    assert (await funnel(h))["unreached"] == 1


async def test_no_survey_goes_to_a_customer_who_blocked_the_bot(harness: Harness) -> None:
    h = harness
    due = await resolved_due(h)
    await reach(h, "ann", Reachability(False, "blocked"), "u1")
    assert await h.tick(minutes=10) == [f"survey {due} skipped: customer blocked the bot"]
    assert survey(h, due) == ("skipped", "customer blocked the bot", None)
    result = await h.say("ann", "one more thing")
    await reach(h, "ann", Reachability(False, "unsubscribed"), "u2")
    resolved = await h.service.resolve(result.conversation_id, "bob")  # planned skipped at once
    assert resolved.skip_reason == "customer unsubscribed" and resolved.survey_id is not None
    assert survey(h, resolved.survey_id) == ("skipped", "customer unsubscribed", None)
    assert await h.tick(minutes=10) == [] and h.channel.sent == []


async def test_a_customer_who_comes_back_or_writes_is_reachable_again(harness: Harness) -> None:
    h = harness
    first = await h.say("ann", "hello")
    await reach(h, "ann", Reachability(False, "blocked"), "u1")
    assert h.rows("SELECT unreachable FROM identity") == [("customer blocked the bot",)]
    await reach(h, "ann", Reachability(True), "u2")
    assert h.rows("SELECT unreachable, unreachable_since FROM identity") == [(None, None)]
    await reach(h, "ann", Reachability(False, "blocked"), "u3")
    await reach(h, "ann", Reachability(False, "blocked"), "u3")  # a redelivery: handled once
    await h.say("ann", "I unblocked you")
    assert h.rows("SELECT unreachable FROM identity") == [(None,)]
    await h.service.agent_reply(first.conversation_id, "bob", "welcome back")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann")[-1] == "welcome back"


async def test_someone_who_never_wrote_blocking_the_bot_changes_nothing(harness: Harness) -> None:
    h = harness
    result = await reach(h, "zed", Reachability(False, "blocked"), "u1")
    assert not result.duplicate and h.rows("SELECT count(*) FROM identity") == [(0,)]


async def test_the_response_rate_rests_on_the_customers_reached(harness: Harness) -> None:
    h = harness
    answered = await surveyed(h, "bob")
    await h.tap("bob", answered, "rating", "5")
    lost = await resolved_due(h, "ann")
    h.channel.fail_with = [DeliveryError(BLOCKED, permanent=True)]
    await h.tick(minutes=10)
    assert survey(h, lost)[0] == "skipped"
    total = await funnel(h)
    assert (total["sent"], total["answered"], total["answer_rate"], total["unreached"]) == (1, 1, 1.0, 1)
    report = await h.store.run(
        lambda repo: build_report(repo.session, h.clock.now() - timedelta(days=2), h.clock.now(), by=())
    )
    assert (report.total.sent, report.total.responded, report.total.response_rate) == (1, 1, 1.0)


async def test_a_refusal_saying_the_customer_blocked_the_bot_makes_them_unreachable(harness: Harness) -> None:
    h = harness
    survey_id = await resolved_due(h)
    conversation_id = h.rows("SELECT max(id) FROM conversation")[0][0]
    h.channel.fail_with = [DeliveryError(BLOCKED, unreachable="blocked")]
    await h.tick(minutes=10)
    assert survey(h, survey_id) == ("skipped", f"undelivered: {BLOCKED}", None)
    assert h.rows("SELECT unreachable FROM identity") == [("customer blocked the bot",)]
    with pytest.raises(UnreachableError):
        await h.service.agent_reply(conversation_id, "bob", "hello?")

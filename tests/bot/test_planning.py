"""Planning a survey (``bot.planning``): its language, its send time, and why it will not go out.

Pure parts (:func:`send_in_window`) on their own; :func:`plan_survey` and :func:`open_survey` on a
real store (SQLite, and PostgreSQL when configured) with a conversation the harness opened.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.attribution import Credit
from bot.planning import SurveyPlan, open_survey, outside_window, plan_survey, send_in_window
from bot.records import Conversation, Identity
from bot.repository import Repository
from bot.settings import MessagingWindow, Settings

from ..conftest import Harness

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # the harness's start: 10:00 in Asia/Shanghai
DAY = MessagingWindow(timedelta(hours=24))


def ann(last_inbound_at: datetime | None = T0) -> Identity:
    return Identity(1, 1, "whatsapp", "acct", "ann", locale="en", last_inbound_at=last_inbound_at)


def test_a_send_inside_the_window_stays() -> None:
    assert send_in_window(DAY, "whatsapp", ann(), T0 + timedelta(hours=1), T0) == (
        T0 + timedelta(hours=1),
        None,
    )


def test_a_send_too_close_to_the_window_closing_moves_earlier() -> None:
    # The window closes 24 h after the customer's last message; 2 h before that (a 12th of it, at most
    # 2 h) the bot stops planning, so the customer has time to answer.
    due, skip = send_in_window(DAY, "whatsapp", ann(), T0 + timedelta(hours=30), T0)
    assert (due, skip) == (T0 + timedelta(hours=22), None)
    short = MessagingWindow(timedelta(hours=6))
    assert send_in_window(short, "x", ann(), T0 + timedelta(hours=6), T0) == (
        T0 + timedelta(hours=5, minutes=30),
        None,
    )


def test_a_closed_window_skips_unless_the_channel_can_reopen_it() -> None:
    later = T0 + timedelta(hours=25)
    due, skip = send_in_window(DAY, "whatsapp", ann(), later, later)
    assert due == later and skip == outside_window(DAY, "whatsapp")
    assert skip == "not sent: outside whatsapp's messaging window (1d after the customer's last message)"
    reopenable = MessagingWindow(timedelta(hours=24), reopenable=True)  # an approved template
    assert send_in_window(reopenable, "whatsapp", ann(), later, later) == (later, None)
    assert send_in_window(DAY, "whatsapp", ann(None), T0, T0)[1] is not None  # never wrote: no window


async def opened(h: Harness, user: str = "ann") -> int:
    return (await h.say(user, "my parcel is late")).conversation_id


async def plan(
    h: Harness,
    conversation_id: int,
    now: datetime,
    settings: Settings | None = None,
    *,
    delay: timedelta = timedelta(minutes=10),
    send_now: bool = False,
    throttle: bool = True,
) -> SurveyPlan:
    def work(repo: Repository) -> SurveyPlan:
        conversation = repo.get_conversation(conversation_id)
        identity = repo.get_identity(conversation.identity_id)
        current = settings or h.current
        return plan_survey(
            repo, current, conversation, identity, now, delay=delay, send_now=send_now, throttle=throttle
        )

    return await h.store.run(work)


async def test_a_survey_goes_out_after_the_delay_in_the_customers_language(harness: Harness) -> None:
    conversation = await opened(harness)
    assert await plan(harness, conversation, T0) == SurveyPlan("en", T0 + timedelta(minutes=10))


async def test_quiet_hours_hold_a_survey_until_morning_unless_sent_now(harness: Harness) -> None:
    conversation = await opened(harness)
    evening = T0 + timedelta(hours=12, minutes=30)  # 22:30 local
    held = await plan(harness, conversation, evening)
    morning = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 08:00 local
    assert held == SurveyPlan("en", morning, wait_reason="quiet hours until 08:00")
    assert await plan(harness, conversation, evening, send_now=True) == SurveyPlan("en", evening)


async def test_a_customer_surveyed_lately_is_not_surveyed_again(harness: Harness) -> None:
    conversation = await opened(harness)

    def surveyed_ten_days_ago(repo: Repository) -> None:
        customer = repo.get_conversation(conversation).customer_id
        repo.mark_surveyed(customer, T0 - timedelta(days=10))

    await harness.store.run(surveyed_ten_days_ago)
    throttled = await plan(harness, conversation, T0)
    assert throttled.skip_reason == (
        "throttled until 2026-12-13 10:00 (last surveyed 2026-11-13 10:00; at most one survey per 30d)"
    )
    assert (await plan(harness, conversation, T0, throttle=False)).skip_reason is None


async def test_the_channels_window_applies(harness: Harness) -> None:
    conversation = await opened(harness)
    windowed = dataclasses.replace(harness.current, windows={"webchat": DAY})
    late = await plan(harness, conversation, T0, windowed, delay=timedelta(hours=23))
    assert (late.due, late.skip_reason) == (T0 + timedelta(hours=22), None)
    gone = await plan(harness, conversation, T0 + timedelta(days=2), windowed)
    assert gone.skip_reason == outside_window(DAY, "webchat")


async def test_opening_a_survey_times_its_sending_unless_it_is_skipped(harness: Harness) -> None:
    conversation_id = await opened(harness)
    flow = harness.current.flows["csat"]

    def work(repo: Repository) -> tuple[bool, bool]:
        conversation: Conversation = repo.get_conversation(conversation_id)
        due = T0 + timedelta(minutes=10)
        sent = open_survey(repo, conversation, flow, SurveyPlan("en", due), T0, "plan0001", credit=Credit())
        skipped = open_survey(
            repo,
            conversation,
            flow,
            SurveyPlan("en", due, "throttled"),
            T0,
            "plan0002",
            credit=Credit(),
            kind="x",
        )
        return repo.has_timer("send", sent.id), repo.has_timer("send", skipped.id)

    assert await harness.store.run(work) == (True, False)
    stored = harness.rows("select id, status, skip_reason from survey where id like 'plan%' order by id")
    assert [tuple(r) for r in stored] == [("plan0001", "pending", None), ("plan0002", "skipped", "throttled")]

"""Messaging windows (WhatsApp 24 h, WeChat 48 h): surveys and reminders are planned inside them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.prompts import AskRating, Say
from bot.settings import MessagingWindow, Settings

from ..conftest import Harness, MakeHarness

pytestmark = pytest.mark.asyncio


def windowed(settings: Settings, hours: float, *, reopenable: bool = False) -> Settings:
    return replace(settings, windows={"webchat": MessagingWindow(timedelta(hours=hours), reopenable)})


async def open_conversation(h: Harness, user: str = "ann") -> int:
    result = await h.say(user, "my parcel is late")
    return int(result.conversation_id)


def survey_row(h: Harness) -> tuple[Any, ...]:
    return tuple(h.rows("select status, skip_reason from survey")[0])


async def test_a_send_that_would_fall_after_the_window_is_moved_inside_it(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(windowed(settings, 24))
    conversation = await open_conversation(h)
    h.clock.advance(timedelta(hours=21, minutes=55))  # the 10 min delay would end 5 min after 22 h
    resolved = await h.service.resolve(conversation, "bob")
    assert resolved.skip_reason is None
    # 24 h window, 2 h margin: the latest planned send is 22 h after the customer's message.
    assert resolved.survey_due_at == h.clock.now() + timedelta(minutes=5)
    assert await h.tick(minutes=5) == [f"sent survey {resolved.survey_id}"]
    assert isinstance(h.channel.sent[-1][1], AskRating)


async def test_a_conversation_resolved_after_the_window_gets_no_survey_and_says_why(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(windowed(settings, 24))
    conversation = await open_conversation(h)
    h.clock.advance(timedelta(hours=25))
    resolved = await h.service.resolve(conversation, "bob")
    assert resolved.skip_reason == (
        "not sent: outside webchat's messaging window (1d after the customer's last message)"
    )
    assert await h.tick(hours=1) == []
    assert not [p for _, p in h.channel.sent if isinstance(p, AskRating)]


async def test_a_channel_that_can_reopen_its_window_still_surveys(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(windowed(settings, 24, reopenable=True))
    conversation = await open_conversation(h)
    h.clock.advance(timedelta(hours=30))
    resolved = await h.service.resolve(conversation, "bob")
    assert resolved.skip_reason is None
    assert resolved.survey_due_at == h.clock.now() + timedelta(minutes=10)
    assert await h.tick(minutes=10) == [f"sent survey {resolved.survey_id}"]


async def test_a_send_timer_that_fires_after_the_window_closed_sends_nothing(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(windowed(settings, 1))
    conversation = await open_conversation(h)
    resolved = await h.service.resolve(conversation, "bob")
    assert resolved.skip_reason is None
    done = await h.tick(hours=2)  # the process was down when the send fell due
    assert done == [
        f"survey {resolved.survey_id} not sent: outside webchat's messaging window "
        "(1h after the customer's last message)"
    ]
    assert survey_row(h) == (
        "skipped",
        "not sent: outside webchat's messaging window (1h after the customer's last message)",
    )
    assert not [p for _, p in h.channel.sent if isinstance(p, AskRating)]


async def test_the_reminder_is_pulled_inside_the_window(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(windowed(settings, 3))  # shipped reminder after 4 h would miss the 3 h window
    conversation = await open_conversation(h)
    await h.service.resolve(conversation, "bob")
    await h.tick(minutes=10)
    reminders = h.rows("select due_at from timer where kind = 'remind'")
    assert len(reminders) == 1
    # Window closes 3 h after the customer's message; the margin is 15 min (a twelfth of it).
    assert await h.tick(hours=2, minutes=34) == []
    done = await h.tick(minutes=1)
    assert len(done) == 1 and done[0].startswith("remind survey")
    assert isinstance(h.channel.sent[-2][1], Say)
    assert h.channel.sent[-2][1].text == h.current.text("reminder", "en")


async def test_no_reminder_when_none_fits_in_the_window(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(windowed(settings, 1))
    conversation = await open_conversation(h)
    h.clock.advance(timedelta(minutes=40))
    await h.service.resolve(conversation, "bob")
    # Sent 50 min after the message; a reminder would have to come within 5 min: none is planned.
    assert await h.tick(minutes=10) != []
    assert h.rows("select count(*) from timer where kind = 'remind' and status = 'pending'") == [(0,)]

"""An agent's reply outside the channel's messaging window is refused with the reason, not queued."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.errors import ConflictError, WindowClosedError
from bot.settings import MessagingWindow, Settings

from ..conftest import Harness, MakeHarness


def windowed(settings: Settings, hours: float) -> Settings:
    # A template can reopen a window for a survey, never for an agent's free-form reply.
    return replace(settings, windows={"webchat": MessagingWindow(timedelta(hours=hours), reopenable=True)})


async def escalated_ticket(h: Harness) -> tuple[int, int]:
    result = await h.say("ann", "my parcel is late")
    ticket = await h.service.escalate(result.conversation_id, "bob", "customer asked for a call back")
    return int(result.conversation_id), ticket.id


async def test_a_reply_inside_the_window_goes_out(make_harness: MakeHarness, settings: Settings) -> None:
    h = make_harness(windowed(settings, 24))
    conversation, ticket = await escalated_ticket(h)
    h.clock.advance(timedelta(hours=23, minutes=59))
    await h.service.ticket("reply", ticket, "bob", "We are on it.")
    await h.service.agent_reply(conversation, "bob", "Still on it.")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann")[-2:] == ["We are on it.", "Still on it."]


async def test_a_reply_after_the_window_closed_is_refused_and_nothing_changes(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(windowed(settings, 24))
    conversation, ticket = await escalated_ticket(h)
    h.clock.advance(timedelta(hours=24))
    with pytest.raises(WindowClosedError) as caught:
        await h.service.ticket("reply", ticket, "bob", "Sorry for the wait.")
    error = caught.value
    assert isinstance(error, ConflictError)  # the API answers 409
    assert (error.channel, error.length) == ("webchat", timedelta(hours=24))
    assert error.closed_at == h.clock.now()
    assert str(error) == (
        "not sent: webchat only lets us write within its 24-hour window after the customer's last "
        "message, and the customer last wrote at 2026-11-23 02:00 UTC, so it closed at "
        "2026-11-24 02:00 UTC; the reply can go out once the customer writes again"
    )
    with pytest.raises(WindowClosedError):
        await h.service.agent_reply(conversation, "bob", "Hello?")
    # The whole action rolled back: no message stored or queued, the ticket is not "contacted".
    assert h.rows("select count(*) from message where author like 'agent:%'")[0][0] == 0
    pending = "select o.id from outbox o join message m on m.id = o.message_id where m.author like 'agent:%'"
    assert h.rows(pending) == []
    assert h.rows("select status from ticket")[0][0] == "open"
    assert [r[0] for r in h.rows("select action from ticketevent order by id")] == ["opened"]

    # Once the customer writes again, the window is open and the reply goes out.
    await h.say("ann", "hello?")
    await h.service.ticket("reply", ticket, "bob", "Sorry for the wait.")
    await h.dispatcher.deliver_due()
    assert h.channel.texts("ann")[-1] == "Sorry for the wait."


def test_a_customer_who_never_wrote_has_no_window(settings: Settings, t0: datetime) -> None:
    window = MessagingWindow(timedelta(hours=48))
    error = window.refusal("wechat", None, t0)
    assert error is not None and error.closed_at is None
    assert "the customer has never written on wechat" in str(error)
    assert "48-hour window" in str(error)
    assert window.refusal("wechat", t0, t0 + timedelta(hours=47)) is None

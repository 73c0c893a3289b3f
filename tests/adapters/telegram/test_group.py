"""Ticket notifications in a Telegram support group: Claim and Resolve from the group work the
ticket and its audit trail; unknown agents, other chats and repeated deliveries change nothing."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from adapters.telegram import callback, group
from adapters.telegram.fake import TelegramSimulator

from .conftest import App

GROUP = -1001234567890
NOTIFICATIONS = {
    "public_url": "https://support.example.com",
    "targets": {
        "support_chat": {
            "kind": "telegram_group",
            "chat_id": GROUP,
            "agents": {"5001": "amy", "@bob_tg": "bob"},
        }
    },
}


@pytest.fixture
async def app(make_app: Callable[..., Any]) -> AsyncIterator[Any]:
    async with make_app(notifications=NOTIFICATIONS) as running:
        yield running


async def until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
    return found


async def open_ticket(app: App) -> int:
    """Ann writes to the bot; an agent escalates: the ticket's id (its notice reaches the group)."""
    await app.sim.say(app.http, "ann", "my parcel is late and nobody answers")
    [conversation] = await app.conversations()
    path = f"/api/conversations/{conversation['id']}/escalate"
    response = await app.http.post(path, json={"reason": "angry customer"})
    assert response.status_code == 200, response.text
    ticket_id: int = response.json()["id"]
    await until(lambda: app.sim.api.messages(GROUP))
    return ticket_id


async def ticket(app: App, ticket_id: int) -> dict[str, Any]:
    response = await app.http.get(f"/api/tickets/{ticket_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def trail(detail: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["actor"], e["action"]) for e in detail["events"]]


def buttons(message: dict[str, Any]) -> list[list[tuple[str, str]]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [[(key["text"], key["callback_data"]) for key in row] for row in rows]


async def tap(app: App, update: dict[str, Any]) -> dict[str, Any]:
    """Post a tap to the webhook; the answerCallbackQuery it got (as the webhook reply)."""
    answered = len(app.sim.api.answered)
    response = await app.sim.post(app.http, update)
    assert response.status_code == 200, response.text
    assert len(app.sim.api.answered) == answered + 1
    last: dict[str, Any] = app.sim.api.answered[-1]
    return last


def test_ticket_buttons_fit_telegram_and_are_never_read_as_survey_answers() -> None:
    data = group.pack("resolve", 2_147_483_647)
    assert data == "t:r:2147483647" and len(data.encode()) <= callback.MAX_BYTES
    assert group.unpack(data) == group.TicketTap("resolve", 2_147_483_647)
    assert callback.unpack(data) is None  # the survey parser ignores ticket buttons
    survey = callback.pack("s1", "rating", "5")
    assert group.unpack(survey) is None
    for forged in ("t:x:1", "t:c:", "t:c:1:2", "t:c:-1", "a:c:1", "", "t:c:²", "t:c:0", "t:c:2147483648"):
        assert group.unpack(forged) is None


async def test_the_group_gets_the_ticket_with_claim_and_resolve_buttons(app: App) -> None:
    ticket_id = await open_ticket(app)
    [message] = app.sim.api.messages(GROUP)
    assert message["text"].splitlines()[0] == f"🔵 New ticket #{ticket_id}"
    assert "Customer: Ann (telegram)" in message["text"]
    assert "Reasons: angry customer" in message["text"]
    assert message["text"].endswith(f"https://support.example.com/console/tickets/{ticket_id}")
    assert buttons(message) == [[("Claim", f"t:c:{ticket_id}"), ("Resolve", f"t:r:{ticket_id}")]]


async def test_claim_then_resolve_from_the_group_work_the_ticket_once(app: App) -> None:
    sim: TelegramSimulator = app.sim
    ticket_id = await open_ticket(app)
    sim.user("5001", language_code="en")  # amy, known by user id
    claim = sim.button_update("5001", GROUP, f"t:c:{ticket_id}")
    answer = await tap(app, claim)
    assert answer["text"] == f"#{ticket_id}: Claimed by amy" and "show_alert" not in answer
    detail = await ticket(app, ticket_id)
    assert (detail["status"], detail["assignee"]) == ("assigned", "amy")
    assert trail(detail)[-1] == ("amy", "claimed")
    first = claim["callback_query"]["message"]["message_id"]
    edited = await until(lambda: [m for m in sim.api.messages(GROUP) if m.get("edit_date")])
    assert edited[0]["message_id"] == first
    assert edited[0]["text"].endswith("\n\n— Claimed by amy")
    assert buttons(edited[0])  # still open: the buttons stay

    await tap(app, claim)  # Telegram delivers the same update again
    assert trail(await ticket(app, ticket_id)).count(("amy", "claimed")) == 1
    sim.user("5002", username="bob_tg")  # bob, known by @username
    late = await tap(app, sim.button_update("5002", GROUP, f"t:c:{ticket_id}"))  # a moment after amy
    assert (late["text"], late["show_alert"]) == (f"#{ticket_id}: Claimed by amy", True)
    assert (await ticket(app, ticket_id))["assignee"] == "amy"  # the first claim keeps it

    answer = await tap(app, sim.button_update("5002", GROUP, f"t:r:{ticket_id}"))
    assert answer["text"] == f"#{ticket_id}: Resolved by bob"
    detail = await ticket(app, ticket_id)
    assert detail["status"] == "resolved"
    assert trail(detail)[-2:] == [("amy", "claimed"), ("bob", "resolved")]
    done = await until(lambda: [m for m in sim.api.messages(GROUP) if m["text"].endswith("Resolved by bob")])
    assert buttons(done[0]) == []  # resolved: no more buttons
    # The customer hears that their request is solved (tickets.resolved_message), in their own chat.
    await app.shown("ann", lambda shown: any("Your request has been resolved" in s.text for s in shown))

    answer = await tap(app, sim.button_update("5001", GROUP, f"t:c:{ticket_id}"))  # too late
    assert answer["show_alert"] is True and answer["text"] == f"Ticket #{ticket_id} is resolved"
    assert (await ticket(app, ticket_id))["status"] == "resolved"


async def test_an_unknown_user_or_another_chat_changes_nothing(app: App) -> None:
    sim: TelegramSimulator = app.sim
    ticket_id = await open_ticket(app)
    before = await ticket(app, ticket_id)
    sim.user("6666", username="mallory")
    answer = await tap(app, sim.button_update("6666", GROUP, f"t:r:{ticket_id}"))
    assert answer["show_alert"] is True
    assert answer["text"] == "You are not a known agent: ask an admin to add you to this group's agents."

    # A known agent's tap forged onto a message in a chat that is not a support group.
    forged = sim.button_update("5001", GROUP, f"t:r:{ticket_id}")
    elsewhere = copy.deepcopy(forged)
    elsewhere["update_id"] += 1000
    elsewhere["callback_query"]["message"]["chat"] = {"id": -100999, "type": "supergroup", "title": "other"}
    answer = await tap(app, elsewhere)
    assert (answer["show_alert"], answer["text"]) == (True, "This chat does not take ticket actions.")

    after = await ticket(app, ticket_id)
    assert (after["status"], after["assignee"], trail(after)) == (
        before["status"],
        before["assignee"],
        trail(before),
    )
    await asyncio.sleep(0.2)
    assert not [m for m in sim.api.messages(GROUP) if m.get("edit_date")]


async def test_a_tap_whose_query_id_is_a_lone_surrogate_is_answered_and_works_the_ticket(app: App) -> None:
    """The answer is a Bot API call here (its text says what the turn did): encoding its body was a
    UnicodeEncodeError that failed the turn, and every retry of it."""
    sim: TelegramSimulator = app.sim
    ticket_id = await open_ticket(app)
    sim.user("5001", language_code="en")
    claim = sim.button_update("5001", GROUP, f"t:c:{ticket_id}")
    claim["callback_query"]["id"] = "cbq-\udfff"
    answer = await tap(app, claim)
    assert (answer["callback_query_id"], answer["text"]) == ("cbq-\udfff", f"#{ticket_id}: Claimed by amy")
    assert (await ticket(app, ticket_id))["assignee"] == "amy"
    assert [error for (error,) in app.rows("select error from inbox")] == [None] * len(
        app.rows("select 1 from inbox")
    )


async def test_a_customer_named_like_a_member_mentions_nobody_in_the_group(app: App) -> None:
    """A customer whose Telegram name is ``@bob_tg`` (an agent's username) and who writes an escalation
    reason naming ``@amy``: the group's notice made both mentions, which notify those members. Each
    ``@`` now goes out full-width, and no link in the notice gets a preview."""
    app.sim.user("mallory", first_name="@bob_tg", last_name="via @amy")
    await app.sim.say(app.http, "mallory", "call @amy now https://evil.example/x")
    [conversation] = await app.conversations()
    path = f"/api/conversations/{conversation['id']}/escalate"
    response = await app.http.post(path, json={"reason": "customer says: ask @lead_tg"})
    assert response.status_code == 200, response.text
    [message] = await until(lambda: app.sim.api.messages(GROUP))
    assert "@" not in message["text"]
    assert "Customer: ＠bob_tg via ＠amy (telegram)" in message["text"]
    assert "Reasons: customer says: ask ＠lead_tg" in message["text"]
    [sent] = [c for c in app.sim.api.called("sendMessage") if str(c["chat_id"]) == str(GROUP)]
    assert sent["link_preview_options"] == {"is_disabled": True}


def test_a_digest_or_an_edit_in_the_group_mentions_nobody() -> None:
    call = group.group_message(GROUP, "Great help from @amy, thanks! — ann@example.com")
    assert call.params["text"] == "Great help from ＠amy, thanks! — ann＠example.com"

"""The customer's side through the fake Telegram: who is waiting, a rating with its comment, being
kept in the loop, replies landing on the ticket, and automatic answers with native yes/no buttons."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from adapters.testing import Shown
from bot.ports import OffsetClock

from ...conftest import PasswordTriage, api_headers
from .conftest import App, MakeApp

Telegram = tuple[App, OffsetClock]
"""The app on Telegram's simulator, with triage and a clock the test moves."""

SUPPORT = {"support": {"name": "Customer Support", "sla": "4h", "hours": {"en": "9-18", "zh-CN": "9-18点"}}}


@pytest.fixture
async def tg(make_app: MakeApp) -> AsyncIterator[Telegram]:
    clock = OffsetClock()
    async with make_app(clock=clock, top={"teams": SUPPORT}) as app:
        app.runtime.service.classifier = PasswordTriage()
        yield app, clock


def as_agent(app: App, name: str) -> dict[str, str]:
    """Headers that make a support API request act as agent ``name``."""
    return api_headers(app.runtime.database, name, "agent")


async def conversation_of(app: App, user: str) -> dict[str, Any]:
    chat = str(app.sim.chat_id(user))
    [found] = [
        c for c in await app.conversations() if c["customer"]["user"] == chat and c["status"] == "open"
    ]
    return await app.conversation(found["id"])


def texts(shown: list[Shown]) -> list[str]:
    return [s.text for s in shown]


async def test_nobody_waiting_on_support_is_surveyed_until_an_agent_answers(tg: Telegram) -> None:
    app, clock = tg
    await app.sim.say(app.http, "ann", "when will my refund arrive?")
    conversation = await conversation_of(app, "ann")
    clock.advance(timedelta(hours=3))
    await asyncio.sleep(0.3)  # several rounds of the timer worker
    assert (await app.conversation(conversation["id"]))["status"] == "open"
    assert app.sim.shown("ann") == []  # no survey about help never given
    await app.http.post(
        f"/api/conversations/{conversation['id']}/reply",
        json={"text": "Tomorrow."},
        headers=as_agent(app, "bob"),
    )
    await app.shown("ann", lambda s: texts(s) == ["Tomorrow."])
    clock.advance(timedelta(minutes=31))
    shown = await app.shown("ann", lambda s: len(s) == 2 and bool(s[-1].buttons))
    assert shown[-1].text == "How satisfied are you with the help you received?"
    assert (await app.conversation(conversation["id"]))["resolution"] == "idle"


async def test_a_typed_rating_with_a_comment_and_what_happens_next(tg: Telegram) -> None:
    app, _ = tg
    await app.sim.say(app.http, "bea", "my parcel is late")
    conversation = await conversation_of(app, "bea")
    await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve",
        json={"send_survey_now": True},
        headers=as_agent(app, "bob"),
    )
    await app.shown("bea", lambda s: len(s) == 1)
    await app.sim.say(app.http, "bea", "1 star. Nobody called me back")
    reason = await app.shown("bea", lambda s: len(s) == 2)
    await app.sim.say(app.http, "bea", "not solved")  # a paraphrase of "Problem not solved"
    shown = await app.shown("bea", lambda s: len(s) == 3)
    assert shown[-1].text == (
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here. "
        "Our hours: 9-18."
    )  # no "Anything else?": the words came with the rating
    assert reason[1].text.startswith("Sorry to hear that. What went wrong?")
    detail = await app.conversation(conversation["id"])
    assert [
        (a["step"], a.get("score"), a.get("option"), a.get("text")) for a in detail["survey"]["answers"]
    ] == [
        ("rating", 1, None, None),
        ("reason", None, "unresolved", None),
        ("comment", None, None, "Nobody called me back"),
    ]


async def test_a_reply_to_the_agent_lands_on_the_ticket_and_the_customer_hears_who_has_it(
    tg: Telegram,
) -> None:
    app, _ = tg
    await app.sim.say(app.http, "cy", "I was charged twice")
    conversation = await conversation_of(app, "cy")
    ticket = (
        await app.http.post(
            f"/api/conversations/{conversation['id']}/escalate",
            json={"reason": "billing"},
            headers=as_agent(app, "bob"),
        )
    ).json()
    await app.http.post(f"/api/tickets/{ticket['id']}/claim", json={}, headers=as_agent(app, "amy"))
    await app.http.post(
        f"/api/tickets/{ticket['id']}/reply", json={"text": "Refunding now."}, headers=as_agent(app, "amy")
    )
    shown = await app.shown("cy", lambda s: len(s) == 3)
    assert texts(shown) == [
        "I've passed this to Customer Support: a person will reply here. Our hours: 9-18.",
        "amy from Customer Support is on it.",
        "Refunding now.",
    ]
    await app.sim.say(app.http, "cy", "thanks, how long will it take?")
    after = (await app.http.get(f"/api/tickets/{ticket['id']}")).json()
    assert after["transcript"][-1]["text"] == "thanks, how long will it take?"
    assert (
        len([c for c in await app.conversations() if c["customer"]["user"] == str(app.sim.chat_id("cy"))])
        == 1
    )


async def test_an_automatic_answer_asks_with_native_buttons_and_no_reaches_a_person(tg: Telegram) -> None:
    app, _ = tg
    await app.sim.say(app.http, "dee", "I forgot my password")
    [question] = await app.shown("dee", lambda s: len(s) == 1)
    assert question.text.endswith("\n\nDid this solve it?")
    assert [(b.label, b.step, b.value) for b in question.buttons] == [
        ("Yes, solved", "helped", "yes"),
        ("No, I need a person", "helped", "no"),
    ]
    await app.sim.tap(app.http, "dee", question.buttons[1])
    await app.sim.tap(app.http, "dee", question.buttons[0])  # a second tap changes nothing
    shown = await app.shown("dee", lambda s: len(s) == 2)
    assert shown[0].text.endswith("\n\n✅ No, I need a person")  # the keyboard shows what was picked
    assert shown[1].text == "I've passed this to Customer Support: a person will reply here. Our hours: 9-18."
    detail = await conversation_of(app, "dee")
    assert detail["ticket"]["reasons"] == ["the automatic answer (password_reset) did not help"]
    report = (await app.http.get("/api/reports/auto-answers")).json()
    assert report["by_intent"]["password_reset"]["no"] == 1 and report["total"]["sent"] == 1


class RudeIsNegative:
    """The triage model at its port: a message about a rude agent reads as negative."""

    ready = True

    def classify(self, texts: Any) -> list[Any]:
        from bot.classification import Classification

        return [
            Classification("complaint", 0.8, "negative", 0.9)
            if "rude" in t
            else Classification("other", 0.4, "neutral", 0.9)
            for t in texts
        ]


async def test_an_angry_comment_beside_a_high_score_escalates_and_a_required_skip_is_asked_again(
    tg: Telegram,
) -> None:
    app, _ = tg
    app.runtime.service.classifier = RudeIsNegative()
    await app.sim.say(app.http, "eve", "my parcel is late")
    happy = await conversation_of(app, "eve")
    await app.http.post(
        f"/api/conversations/{happy['id']}/resolve",
        json={"send_survey_now": True},
        headers=as_agent(app, "bob"),
    )
    await app.shown("eve", lambda s: len(s) == 1)
    await app.sim.say(app.http, "eve", "5 stars but the agent was rude to me")
    shown = await app.shown("eve", lambda s: len(s) == 2)
    assert shown[-1].text == (
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here. "
        "Our hours: 9-18."
    )
    detail = await app.conversation(happy["id"])
    assert [(a["step"], a.get("score")) for a in detail["survey"]["answers"]] == [
        ("rating", 5),
        ("praise", None),
    ]
    [ticket] = [t for t in (await app.http.get("/api/tickets")).json() if t["conversation_id"] == happy["id"]]
    assert ticket["reasons"] == ["negative comment"]

    await app.sim.say(app.http, "fay", "where is my parcel")
    unhappy = await conversation_of(app, "fay")
    await app.http.post(
        f"/api/conversations/{unhappy['id']}/resolve",
        json={"send_survey_now": True},
        headers=as_agent(app, "bob"),
    )
    await app.shown("fay", lambda s: len(s) == 1)
    await app.sim.say(app.http, "fay", "2")
    await app.shown("fay", lambda s: len(s) == 2)
    await app.sim.say(app.http, "fay", "skip")  # the reason is required: asked again, not handed on
    shown = await app.shown("fay", lambda s: len(s) == 4)
    assert shown[2].text == "This question can't be skipped, sorry."
    assert shown[3].text.startswith("Sorry to hear that. What went wrong?") and shown[3].buttons
    await app.sim.say(app.http, "fay", "took way too long")  # a paraphrase of "Slow response"
    await app.shown("fay", lambda s: len(s) == 5)
    detail = await app.conversation(unhappy["id"])
    assert [(a["step"], a.get("option")) for a in detail["survey"]["answers"]][:2] == [
        ("rating", None),
        ("reason", "slow"),
    ]
    mine = [c for c in await app.conversations() if c["customer"]["user"] == str(app.sim.chat_id("fay"))]
    assert len(mine) == 1  # "skip" did not start a conversation with the support team


async def test_the_re_survey_shows_its_own_ends_and_understands_them_typed(tg: Telegram) -> None:
    app, clock = tg
    await app.sim.say(app.http, "gus", "my parcel is late")
    conversation = await conversation_of(app, "gus")
    await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve",
        json={"send_survey_now": True},
        headers=as_agent(app, "bob"),
    )
    await app.shown("gus", lambda s: len(s) == 1)
    await app.sim.say(app.http, "gus", "1 star, nobody called me back")
    await app.shown("gus", lambda s: len(s) == 2)
    await app.sim.say(app.http, "gus", "too slow")
    await app.shown("gus", lambda s: len(s) == 3)
    [ticket] = [
        t for t in (await app.http.get("/api/tickets")).json() if t["conversation_id"] == conversation["id"]
    ]
    await app.http.post(f"/api/tickets/{ticket['id']}/resolve", json={}, headers=as_agent(app, "amy"))
    await app.shown("gus", lambda s: len(s) == 4)  # the close-the-loop message
    clock.advance(timedelta(minutes=11))  # the re-survey's delay
    shown = await app.shown("gus", lambda s: len(s) == 5)
    again = shown[-1]
    assert again.text == "We followed up on your feedback. Is your problem solved now?"
    assert [b.label for b in again.buttons[-2:]] == ["1 · Not solved", "5 · Fully solved"]
    await app.sim.say(app.http, "gus", "still not solved")  # the low end, typed in its own words
    shown = await app.shown("gus", lambda s: len(s) == 6)
    assert shown[-1].text.startswith("Sorry it is not solved yet. What is still wrong?")

"""Whole conversations through the simulator: WhatsApp users, csatbot, the fake Graph API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from adapters.testing import Button, Shown
from adapters.whatsapp.fake import WhatsAppSimulator, graph_error_response

from .conftest import App

RATING_LIST = {
    "type": "list",
    "body": {"text": "How satisfied are you with the help you received?\nTap a star or reply 1-5."},
    "action": {"button": "☰ 1–5"},
}


async def nth_shown(sim: WhatsAppSimulator, user: str, n: int) -> Shown:
    """The ``n``-th message (1-based) ``user`` was shown, once it has been sent."""
    await sim.server.wait_for(lambda _: len(sim.shown(user)) >= n)
    return sim.shown(user)[n - 1]


def button(shown: Shown, value: str) -> Button:
    return next(b for b in shown.buttons if b.value == value)


async def start(app: App, user: str, text: str) -> int:
    assert (await app.sim.say(app.http, user, text)).status_code == 200
    [conversation] = [c for c in await app.conversations() if c["customer"]["user"] == app.sim.wa_id(user)]
    conversation_id: int = conversation["id"]
    return conversation_id


async def resolve(app: App, conversation_id: int) -> None:
    response = await app.http.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}
    )
    assert response.status_code == 200, response.text


async def answered(app: App, conversation_id: int, user: str) -> None:
    """An agent answers: the conversation now waits on the customer, so it can go idle."""
    response = await app.http.post(
        f"/api/conversations/{conversation_id}/reply", json={"text": "Glad to help!"}
    )
    assert response.status_code == 202, response.text
    await nth_shown(app.sim, user, 1)


async def answers(app: App, conversation_id: int) -> list[tuple[str, Any]]:
    detail = await app.conversation(conversation_id)
    return [(a["step"], a.get("score", a.get("option", a.get("text")))) for a in detail["survey"]["answers"]]


async def test_a_whole_survey_by_taps_and_typing(app: App) -> None:
    sim, http = app.sim, app.http
    conversation_id = await start(app, "ann", "Hi, my parcel is late")
    await resolve(app, conversation_id)

    rating = await nth_shown(sim, "ann", 1)
    assert rating.raw["interactive"]["type"] == "list"
    assert {k: rating.raw["interactive"][k] for k in ("type", "body")} == {
        k: RATING_LIST[k] for k in ("type", "body")
    }
    assert [(b.label, b.step, b.value) for b in rating.buttons] == [
        ("⭐" * v, "rating", str(v)) for v in range(1, 6)
    ]
    assert (await sim.tap(http, "ann", button(rating, "2"))).status_code == 200

    reason = await nth_shown(sim, "ann", 2)
    assert reason.text == "Sorry to hear that. What went wrong?\nTap an option or reply with its number."
    assert [b.label for b in reason.buttons] == [
        "Slow response",
        "Problem not solved",
        "Unfriendly service",
        "Something else",
    ]
    assert (await sim.tap(http, "ann", button(reason, "unresolved"))).status_code == 200

    comment = await nth_shown(sim, "ann", 3)
    assert comment.text == 'Anything else you would like to tell us?\nReply "skip" to skip.'
    assert comment.raw["type"] == "text"
    assert (await sim.say(http, "ann", "The courier never came")).status_code == 200

    thanks = await nth_shown(sim, "ann", 4)
    assert thanks.raw["text"] == {
        "preview_url": False,
        "body": "Thank you for your feedback!\n"
        "I've passed this to Customer Support: a person will reply here.",
    }
    assert await answers(app, conversation_id) == [
        ("rating", 2),
        ("reason", "unresolved"),
        ("comment", "The courier never came"),
    ]
    detail = await app.conversation(conversation_id)
    assert detail["survey"]["status"] == "completed"
    assert detail["ticket"] is not None  # CSAT 2 is a DSAT: escalated
    customer = [m["text"] for m in detail["transcript"] if m["direction"] == "in"]
    assert customer == ["Hi, my parcel is late", "⭐⭐", "Problem not solved", "The courier never came"]


async def test_a_rating_by_typing(app: App) -> None:
    conversation_id = await start(app, "ben", "Where is my refund?")
    await resolve(app, conversation_id)
    await nth_shown(app.sim, "ben", 1)
    assert (await app.sim.say(app.http, "ben", "5")).status_code == 200
    praise = await nth_shown(app.sim, "ben", 2)
    assert praise.text.startswith("Glad we could help!")  # the optional praise question
    assert (await app.sim.say(app.http, "ben", "skip")).status_code == 200
    thanks = await nth_shown(app.sim, "ben", 3)
    assert thanks.text == "Thank you for your feedback!"
    assert await answers(app, conversation_id) == [("rating", 5)]


async def test_a_late_survey_starts_with_the_template(app: App) -> None:
    sim, http = app.sim, app.http
    conversation_id = await start(app, "cat", "Can you resend my invoice?")
    await answered(app, conversation_id, "cat")
    app.clock.advance(timedelta(hours=25))  # idle: resolved by the timers, survey due at once
    invite = await nth_shown(sim, "cat", 2)
    assert invite.raw["type"] == "template"
    assert invite.text == "Thanks for contacting us! Would you rate our support?"
    [rate_us] = invite.buttons
    assert (rate_us.label, rate_us.step) == ("Rate us", "rating")

    assert (await sim.tap(http, "cat", rate_us)).status_code == 200  # opens the window again
    await sim.server.wait_for(lambda _: any(s.raw["type"] == "interactive" for s in sim.shown("cat")))
    invite_and_rating = sim.shown("cat")
    assert len(invite_and_rating) == 3  # the question itself, with no "didn't catch that" line
    rating = invite_and_rating[-1]
    assert [b.value for b in rating.buttons] == ["1", "2", "3", "4", "5"]
    assert (await sim.tap(http, "cat", button(rating, "5"))).status_code == 200
    await sim.server.wait_for(lambda _: sim.shown("cat")[-1].text.startswith("Glad we could help!"))
    assert await answers(app, conversation_id) == [("rating", 5)]


async def test_a_late_survey_without_a_template_is_not_sent_and_says_why(app_without_template: App) -> None:
    app = app_without_template
    conversation_id = await start(app, "dan", "Can you resend my invoice?")
    await answered(app, conversation_id, "dan")
    app.clock.advance(timedelta(hours=25))  # idle: resolved by the timers; the survey cannot go out

    def survey() -> list[Any]:
        rows: list[Any] = app.rows("select status, skip_reason from survey")
        return rows

    await app.sim.server.wait_for(lambda _: bool(survey()) and survey()[0][0] != "pending")
    [(status, reason)] = survey()
    assert status == "skipped"
    assert "outside whatsapp's messaging window" in reason
    assert [s.text for s in app.sim.shown("dan")] == ["Glad to help!"]
    assert app.rows("select count(*) from outbox where channel = 'whatsapp'") == [(1,)]
    assert (await app.conversation(conversation_id))["resolution"] == "idle"


async def test_a_rate_limited_question_is_sent_again(app: App) -> None:
    app.sim.api.failures.append(graph_error_response(429, 130429, "Rate limit hit", retry_after=0.2))
    conversation_id = await start(app, "eve", "hello")
    await resolve(app, conversation_id)
    rating = await nth_shown(app.sim, "eve", 1)
    assert rating.raw["interactive"]["type"] == "list"
    query = "select status, attempts from outbox where channel = 'whatsapp'"
    await app.sim.server.wait_for(lambda _: app.rows(query)[0][0] == "sent")
    assert app.rows(query) == [("sent", 2)]


async def test_an_agent_reply_reaches_the_customer(app: App) -> None:
    conversation_id = await start(app, "fay", "Can I change my address?")
    response = await app.http.post(f"/api/conversations/{conversation_id}/reply", json={"text": "Yes, done!"})
    assert response.status_code == 202
    reply = await nth_shown(app.sim, "fay", 1)
    assert reply.raw == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": app.sim.wa_id("fay"),
        "type": "text",
        "text": {"preview_url": False, "body": "Yes, done!"},
        "biz_opaque_callback_data": "outbox:1",  # echoed in its status webhooks (send once)
    }

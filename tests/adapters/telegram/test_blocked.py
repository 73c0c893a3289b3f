"""A customer who blocks the bot, through the whole app and the fake Telegram: the survey is skipped,
not counted as unanswered, nothing more is written to them, and they are reachable once they unblock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from .conftest import App
from .test_survey import last_has_buttons, open_and_resolve

BLOCKED = "customer blocked the bot"


async def until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := await check()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
    return found


async def survey_when(app: App, conversation_id: int, status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        found: dict[str, Any] = (await app.conversation(conversation_id))["survey"]
        return found if found is not None and found["status"] == status else None

    found: dict[str, Any] = await until(check)
    return found


async def customer(app: App, conversation_id: int) -> dict[str, Any]:
    found: dict[str, Any] = (await app.conversation(conversation_id))["customer"]
    return found


def sends(app: App) -> int:
    return len(app.sim.api.called("sendMessage"))


async def test_blocking_during_the_question_skips_the_survey_and_stops_all_writing(app: App) -> None:
    conversation_id = await open_and_resolve(app, "ann", "my parcel never arrived")
    await app.shown("ann", last_has_buttons)
    assert (await app.sim.block(app.http, "ann")).status_code == 200
    survey = await survey_when(app, conversation_id, "skipped")
    assert (survey["skip_reason"], survey["sent_at"]) == (BLOCKED, None)
    assert app.rows(
        f"SELECT count(*) FROM timer WHERE subject = '{survey['id']}' AND status = 'pending'"
    ) == [(0,)]
    person = await customer(app, conversation_id)
    assert person["unreachable"] == BLOCKED and person["unreachable_since"] is not None
    before = sends(app)
    reply = await app.http.post(f"/api/conversations/{conversation_id}/reply", json={"text": "still there?"})
    assert reply.status_code == 409 and BLOCKED in reply.json()["detail"]
    funnel = (await app.http.get("/api/reports/funnel")).json()["total"]
    assert (funnel["sent"], funnel["unanswered"], funnel["unreached"]) == (0, 0, 1)
    assert sends(app) == before  # not one call to a chat that would refuse it

    assert (await app.sim.unblock(app.http, "ann")).status_code == 200
    await until(lambda: _reachable(app, conversation_id))
    reply = await app.http.post(f"/api/conversations/{conversation_id}/reply", json={"text": "welcome back"})
    assert reply.status_code == 202
    shown = await app.shown("ann", lambda s: s[-1].text == "welcome back")
    assert len(shown) == 2  # the question, then the reply


async def test_a_question_telegram_refuses_skips_the_survey_at_once(app: App) -> None:
    """The block notice never came (the bot was offline): the 403 on the question is enough."""
    assert (await app.sim.say(app.http, "ann", "hello")).status_code == 200
    app.sim.api.blocked.add(app.sim.chat_id("ann"))
    [conversation] = await app.conversations()
    conversation_id = int(conversation["id"])
    resolved = await app.http.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200
    survey = await survey_when(app, conversation_id, "skipped")
    reason = "undelivered: telegram: HTTP 403: Forbidden: bot was blocked by the user"
    assert (survey["skip_reason"], survey["sent_at"]) == (reason, None)
    assert sends(app) == 1  # the question, tried once
    assert (await customer(app, conversation_id))["unreachable"] == BLOCKED  # Telegram said why
    reply = await app.http.post(f"/api/conversations/{conversation_id}/reply", json={"text": "hello?"})
    assert reply.status_code == 409 and sends(app) == 1


async def test_a_customer_who_blocked_the_bot_gets_no_survey(app: App) -> None:
    assert (await app.sim.say(app.http, "ann", "hello")).status_code == 200
    [conversation] = await app.conversations()
    conversation_id = int(conversation["id"])
    await app.sim.block(app.http, "ann")
    await until(lambda: _unreachable(app, conversation_id))
    resolved = await app.http.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}
    )
    assert resolved.json()["skip_reason"] == BLOCKED
    assert (await app.conversation(conversation_id))["survey"]["status"] == "skipped"
    assert sends(app) == 0
    assert (await app.sim.say(app.http, "ann", "I unblocked you")).status_code == 200  # writing: reachable
    await until(lambda: _reachable(app, conversation_id))


async def _reachable(app: App, conversation_id: int) -> bool:
    return (await customer(app, conversation_id))["unreachable"] is None


async def _unreachable(app: App, conversation_id: int) -> bool:
    return (await customer(app, conversation_id))["unreachable"] == BLOCKED

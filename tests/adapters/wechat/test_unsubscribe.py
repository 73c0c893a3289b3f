"""A customer who unfollows the Official Account (or leaves the WeCom app), through the whole app: the
survey they were asked is skipped, nothing more is written to them, and following again brings them
back."""

from __future__ import annotations

from typing import Any

from adapters.wechat.fake import xml

from .conftest import App
from .test_message_kinds import USER, asking_rating, message, post

GONE = "customer unsubscribed"


def event(app: App, name: str) -> str:
    """The callback XML of event ``name`` from :data:`USER` (WeCom adds its AgentID)."""
    head = {"ToUserName": app.sim.account, "FromUserName": USER, "CreateTime": int(app.sim.timestamp())}
    agent: dict[str, Any] = {"AgentID": 1000002} if app.sim.channel == "wecom" else {}
    return xml(**head, MsgType="event", Event=name, **agent)


async def customer_when(app: App, conversation_id: int, unreachable: str | None) -> dict[str, Any]:
    """The conversation's detail once its customer's ``unreachable`` is as given (turns run after
    the acknowledgement)."""
    for _ in range(200):
        detail = await app.conversation(conversation_id)
        if detail["customer"]["unreachable"] == unreachable:
            return detail
        await app.runtime.outbox.drain()
    raise AssertionError(f"customer still {detail['customer']}")


async def test_unsubscribing_skips_the_survey_and_subscribing_again_brings_them_back(safe_app: App) -> None:
    app = safe_app
    await post(app, message(app, "text", Content="my parcel is late"))
    conversation = await app.conversation(USER)
    resolved = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200, resolved.text
    await app.shown_when(USER, asking_rating)
    sent = len(app.sim.server.received("/message/"))

    await post(app, event(app, "unsubscribe"))
    detail = await customer_when(app, conversation["id"], GONE)
    assert (detail["survey"]["status"], detail["survey"]["skip_reason"]) == ("skipped", GONE)
    reply = await app.http.post(f"/api/conversations/{conversation['id']}/reply", json={"text": "hello?"})
    assert reply.status_code == 409 and GONE in reply.json()["detail"]
    assert len(app.sim.server.received("/message/")) == sent  # nothing was sent after they left

    await post(app, event(app, "subscribe"))
    detail = await customer_when(app, conversation["id"], None)  # following again is a /start
    assert detail["customer"]["unreachable_since"] is None

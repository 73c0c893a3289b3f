"""Every kind of callback WeChat and WeCom send, through the whole app (safe mode, plain mode, WeCom):
in support, during an open survey question and after it; each is acknowledged, none is stored twice."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from adapters.testing import Shown
from adapters.wechat.fake import xml

from .conftest import App

USER = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
_IDS = itertools.count(7_300_000_000_000_000_001)

KINDS: dict[str, dict[str, str | int]] = {
    "image": {"PicUrl": "http://mmbiz.qpic.cn/x", "MediaId": "m1"},
    "voice": {"MediaId": "m2", "Format": "amr"},
    "video": {"MediaId": "m3", "ThumbMediaId": "t3"},
    "shortvideo": {"MediaId": "m4", "ThumbMediaId": "t4"},
    "location": {"Location_X": "23.134521", "Location_Y": "113.358803", "Scale": 20, "Label": "广州"},
    "link": {"Title": "订单", "Description": "my order", "Url": "https://example.com/o/1"},
    "file": {"Title": "receipt.pdf", "FileKey": "k", "FileMd5": "d", "FileTotalLen": 1024},
}
EVENTS: list[dict[str, str | int]] = [
    {"Event": "unsubscribe"},
    {"Event": "LOCATION", "Latitude": "23.1", "Longitude": "113.3", "Precision": "119.3"},
    {"Event": "VIEW", "EventKey": "https://example.com"},
    {"Event": "TEMPLATESENDJOBFINISH", "MsgID": 200163836, "Status": "success"},
    {"Event": "kf_msg_or_event", "Token": "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGc", "OpenKfId": "wkAJ"},
    {"Event": "a_future_event", "EventKey": "x"},
]


def message(app: App, kind: str, **fields: str | int) -> str:
    """The callback XML of a ``kind`` message from :data:`USER` (WeCom adds its AgentID)."""
    head = {"ToUserName": app.sim.account, "FromUserName": USER, "CreateTime": int(app.sim.timestamp())}
    agent: dict[str, Any] = {"AgentID": 1000002} if app.sim.channel == "wecom" else {}
    return xml(**head, MsgType=kind, **fields, MsgId=next(_IDS), **agent)


def ack(app: App) -> str:
    return "" if app.sim.channel == "wecom" else "success"


async def post(app: App, document: str) -> None:
    response = await app.sim.post(app.http, document)
    assert (response.status_code, response.text) == (200, ack(app)), document


async def stored(app: App) -> list[str]:
    """Everything :data:`USER` wrote, over all conversations."""
    texts: list[str] = []
    for conversation in sorted(await app.conversations(), key=lambda c: int(c["id"])):
        detail = await app.conversation(int(conversation["id"]))
        texts += [m["text"] for m in detail["transcript"] if m["direction"] == "in"]
    return texts


async def settled(app: App, count: int) -> list[str]:
    """What :data:`USER` wrote, once ``count`` messages are stored (turns run off the request)."""
    for _ in range(200):
        if len(found := await stored(app)) >= count:
            return found
        await app.runtime.outbox.drain()
    return await stored(app)


@pytest.mark.parametrize("platform_app", ["oa-safe", "oa-plain", "wecom"], indirect=True)
async def test_each_kind_is_stored_once_as_its_kind_and_events_store_nothing(platform_app: App) -> None:
    app = platform_app
    for event in EVENTS:
        head = {"ToUserName": app.sim.account, "FromUserName": USER, "CreateTime": int(app.sim.timestamp())}
        await post(app, xml(**head, MsgType="event", **event))
    for kind, fields in KINDS.items():
        document = message(app, kind, **fields)
        await post(app, document)
        await post(app, document)  # WeChat's retry of the same MsgId
    await post(app, message(app, "voice", MediaId="m5", Format="amr", Recognition=""))
    await post(app, app.sim.text(USER, "太慢了[撇嘴]/::( 😡"))
    expected = [f"[{kind}]" for kind in KINDS] + ["[voice]", "太慢了[撇嘴]/::( 😡"]
    assert await settled(app, len(expected)) == expected
    assert app.sim.server.received("/message/") == []  # nothing was answered to any of it


def asking_rating(shown: list[Shown]) -> bool:
    return bool(shown) and any(b.step == "rating" for b in shown[-1].buttons)


@pytest.mark.parametrize("platform_app", ["oa-safe", "wecom"], indirect=True)
async def test_media_during_a_question_asks_again_and_a_recognised_voice_answers(platform_app: App) -> None:
    app = platform_app
    await post(app, app.sim.text(USER, "my parcel is late"))
    conversation = await app.conversation(USER)
    resolved = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200, resolved.text
    first = len(await app.shown_when(USER, asking_rating))
    await post(app, message(app, "image", **KINDS["image"]))
    shown = await app.shown_when(USER, lambda s: len(s) > first and asking_rating(s))
    assert (await app.conversation(USER))["survey"]["answers"] == []
    for event in EVENTS[1:]:  # a location report, a link view... during the question
        head = {"ToUserName": app.sim.account, "FromUserName": USER, "CreateTime": int(app.sim.timestamp())}
        await post(app, xml(**head, MsgType="event", **event))
    await post(app, message(app, "voice", MediaId="m6", Format="amr", Recognition="四分"))
    await app.shown_when(USER, lambda s: len(s) > len(shown))
    survey = (await app.conversation(USER))["survey"]
    assert [(a["step"], a["score"]) for a in survey["answers"]] == [("rating", 4)]

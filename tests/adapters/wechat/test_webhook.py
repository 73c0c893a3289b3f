"""The callback endpoints over HTTP: URL check, signatures, replays, malformed bodies, dedupe, deadline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from adapters.wechat.crypto import Cipher
from adapters.wechat.fake import xml
from bot.ports import FrozenClock

from .conftest import App

USER = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"


async def post(app: App, query: dict[str, str], body: bytes) -> httpx.Response:
    http: httpx.AsyncClient = app.http
    return await http.post(app.sim.path, params=query, content=body, headers={"content-type": "text/xml"})


def without(query: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in query.items() if k != name}


def signed_at(sim: Any, document: str, offset: timedelta) -> tuple[dict[str, str], bytes]:
    """``document`` signed with a timestamp ``offset`` away from now."""
    saved, sim.clock = sim.clock, FrozenClock(datetime.now(UTC) + offset)
    try:
        result: tuple[dict[str, str], bytes] = sim.signed(document)
        return result
    finally:
        sim.clock = saved


def signed_by(sim: Any, document: str, **secrets: str) -> tuple[dict[str, str], bytes]:
    """``document`` signed (and encrypted) with other credentials (token, aes_key, app id)."""
    saved = {name: getattr(sim, name) for name in ("token", "cipher")}
    sim.token = secrets.get("token", sim.token)
    receive_id = secrets.get("receive_id", getattr(sim, "app_id", sim.account))
    sim.cipher = Cipher(
        sim.token, secrets.get("aes_key", sim.aes_key), receive_id, enterprise=sim.channel == "wecom"
    )
    try:
        result: tuple[dict[str, str], bytes] = sim.signed(document)
        return result
    finally:
        for name, value in saved.items():
            setattr(sim, name, value)


async def assert_stored(app: App, texts: list[str]) -> None:
    conversations = await app.conversations()
    stored = [
        m["text"]
        for c in conversations
        for m in (await app.conversation(c["customer"]["user"]))["transcript"]
    ]
    assert stored == texts


def ack(app: App) -> str:
    return "" if app.sim.channel == "wecom" else "success"


async def test_the_plain_mode_signature_matrix(oa_plain: App) -> None:
    app, sim = oa_plain, oa_plain.sim
    document = sim.text(USER, "hello")
    query, body = sim.signed(document)
    cases = {
        "missing signature": (without(query, "signature"), body, 401),
        "missing timestamp": (without(query, "timestamp"), body, 401),
        "missing nonce": (without(query, "nonce"), body, 401),
        "wrong signature": (query | {"signature": "0" * 40}, body, 403),
        "wrong token": (*signed_by(sim, document, token="another-token"), 403),
        "6 minutes old": (*signed_at(sim, document, timedelta(minutes=-6)), 403),
        "6 minutes ahead": (*signed_at(sim, document, timedelta(minutes=6)), 403),
        "timestamp not a number": (query | {"timestamp": "soon"}, body, 403),
    }
    for name, (bad_query, bad_body, status) in cases.items():
        response = await post(app, bad_query, bad_body)
        assert response.status_code == status, (name, response.text)
    await assert_stored(app, [])

    response = await post(app, query, body)
    assert (response.status_code, response.text) == (200, "success")
    # WeChat's retry (the same request again) is acknowledged and kept once; plain mode does not sign
    # the body, so the signature with another body is refused.
    assert ((r := await post(app, query, body)).status_code, r.text) == (200, "success")
    tampered = body.replace(b"hello", b"refund me")
    assert (await post(app, query, tampered)).status_code == 403
    await assert_stored(app, ["hello"])


async def test_the_safe_mode_signature_matrix(safe_app: App) -> None:
    app, sim = safe_app, safe_app.sim
    document = sim.text(USER, "hello")
    query, body = sim.signed(document)
    encrypted = body.decode().split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    flipped = ("A" if encrypted[0] != "A" else "B") + encrypted[1:]
    plain_query = {k: query[k] for k in ("timestamp", "nonce")} | {"signature": "0" * 40}
    cases = {
        "missing msg_signature": (without(query, "msg_signature"), body, 401),
        "plain message, no msg_signature": (plain_query, document.encode(), 401),
        "wrong msg_signature": (query | {"msg_signature": "0" * 40}, body, 403),
        "tampered ciphertext": (query, body.replace(encrypted.encode(), flipped.encode()), 403),
        "wrong token": (*signed_by(sim, document, token="another-token"), 403),
        "another AES key": (*signed_by(sim, document, aes_key="Z" * 43), 403),
        "encrypted for another account": (*signed_by(sim, document, receive_id="wx-other-account"), 403),
        "6 minutes old": (*signed_at(sim, document, timedelta(minutes=-6)), 403),
    }
    for name, (bad_query, bad_body, status) in cases.items():
        response = await post(app, bad_query, bad_body)
        assert response.status_code == status, (name, response.text)
    await assert_stored(app, [])

    response = await post(app, query, body)
    assert (response.status_code, response.text) == (200, ack(app))
    assert ((r := await post(app, query, body)).status_code, r.text) == (200, ack(app))  # a retry
    await assert_stored(app, ["hello"])


@pytest.mark.parametrize("platform_app", ["oa-plain", "wecom"], indirect=True)  # OA: plain in both modes
async def test_the_url_check_echoes_echostr(platform_app: App) -> None:
    app, sim = platform_app, platform_app.sim
    response = await sim.check_url(app.http, "5927782489442352469")
    assert (response.status_code, response.text) == (200, "5927782489442352469")
    assert response.headers["content-type"].startswith("text/plain")
    signature = "msg_signature" if sim.channel == "wecom" else "signature"
    assert (await sim.check_url(app.http, "1", **{signature: "0" * 40})).status_code == 403
    assert (await sim.check_url(app.http, "1", **{signature: ""})).status_code == 401
    sim.clock = FrozenClock(datetime.now(UTC) - timedelta(hours=1))
    assert (await sim.check_url(app.http, "1")).status_code == 403


async def test_malformed_messages_are_400_and_nothing_is_stored(any_app: App) -> None:
    app, sim = any_app, any_app.sim
    head = {"ToUserName": sim.account, "FromUserName": USER, "CreateTime": int(sim.timestamp())}
    documents = {
        "not xml": "hello",
        "no fields": "<xml></xml>",
        "no MsgType": xml(**head, Content="hi", MsgId=1),
        "text without content": xml(**head, MsgType="text", MsgId=2),
        "text of zero-width characters": xml(**head, MsgType="text", Content="\u200b\u2060 ", MsgId=4),
        "bad CreateTime": xml(**(head | {"CreateTime": "today"}), MsgType="text", Content="hi", MsgId=3),
    }
    for name, document in documents.items():
        response = await post(app, *sim.signed(document))
        assert response.status_code == 400, (name, response.text)
    if sim.channel == "wecom" or sim.safe_mode:
        query, _ = sim.signed("<xml/>")
        assert (await post(app, query, b"<xml><ToUserName>x</ToUserName></xml>")).status_code == 400
    await assert_stored(app, [])


async def test_a_body_over_the_limit_is_413(oa: App) -> None:
    app, sim = oa, oa.sim
    response = await post(app, *sim.signed(sim.text(USER, "x" * 1_000_001)))
    assert response.status_code == 413
    await assert_stored(app, [])


@pytest.mark.parametrize("platform_app", ["oa-plain", "wecom"], indirect=True)
async def test_a_redelivered_message_is_stored_once(platform_app: App) -> None:
    app, sim = platform_app, platform_app.sim
    document = sim.text(USER, "where is my refund?")
    for _ in range(3):  # WeChat's retries: the same MsgId, signed anew
        response = await post(app, *sim.signed(document))
        assert (response.status_code, response.text) == (200, ack(app))
    await assert_stored(app, ["where is my refund?"])


async def test_following_the_account_is_answered_with_the_welcome(oa: App) -> None:
    sim = oa.sim
    head = {"ToUserName": sim.account, "FromUserName": USER, "CreateTime": int(sim.timestamp())}
    follow = xml(**head, MsgType="event", Event="subscribe", EventKey="qrscene_order-1009")
    response = await sim.post(oa.http, follow)
    assert (response.status_code, response.text) == (200, "success")
    shown = await oa.shown_when(USER, lambda s: len(s) == 1)
    assert shown[0].text == "Hi! Tell us how we can help."
    await assert_stored(oa, ["/start order-1009", "Hi! Tell us how we can help."])


@pytest.mark.parametrize("platform_app", ["oa-safe", "wecom"], indirect=True)
async def test_events_that_are_not_messages_are_acknowledged_and_not_stored(platform_app: App) -> None:
    app, sim = platform_app, platform_app.sim
    head = {"ToUserName": sim.account, "FromUserName": USER, "CreateTime": int(sim.timestamp())}
    for event in ("unsubscribe", "enter_agent", "LOCATION", "VIEW"):
        response = await sim.post(app.http, xml(**head, MsgType="event", Event=event))
        assert (response.status_code, response.text) == (200, ack(app)), event
    await assert_stored(app, [])
    assert app.sim.server.requests == []


async def test_a_slow_turn_is_acknowledged_before_it_finishes(oa: App) -> None:
    response = await oa.sim.say(oa.http, USER, "are you there?")
    assert (response.status_code, response.text) == (200, "success")
    for _ in range(200):
        if await oa.conversations():
            break
        await oa.runtime.outbox.drain()
    await assert_stored(oa, ["are you there?"])


async def test_the_url_checks_signature_cannot_carry_a_message(oa_plain: App) -> None:
    """Plain mode signs only the token, timestamp and nonce, the same for the GET URL check as for a
    POSTed message. Before: the signed query of a URL check (seen in a proxy's access log) carried
    any message for five minutes, as any customer; a POST's query was already kept to its body."""
    app, sim = oa_plain, oa_plain.sim
    checked = await sim.check_url(app.http, "5927782489442352469")
    assert checked.status_code == 200
    query = {k: v for k, v in checked.request.url.params.items() if k != "echostr"}
    forged = sim.text(USER, "please refund order 42 to my new card").encode()
    assert (await post(app, query, forged)).status_code == 403
    await assert_stored(app, [])
    # WeChat's own retry of the check still gets its echo; nothing else is echoed with its signature.
    again = await app.http.get(sim.path, params=dict(checked.request.url.params))
    assert (again.status_code, again.text) == (200, "5927782489442352469")
    reflected = await app.http.get(sim.path, params=query | {"echostr": "<script>alert(1)</script>"})
    assert reflected.status_code == 403 and "<script>" not in reflected.text


@pytest.mark.parametrize("platform_app", ["oa-plain", "wecom"], indirect=True)
async def test_a_message_dated_far_off_is_stored_once_at_the_time_it_came(platform_app: App) -> None:
    """Hunt 16: ``CreateTime`` is the sender's word, not the signed timestamp: a message dated 1970,
    2100 or year 5138, freshly signed, is stored once (retries with its ``MsgId`` too) and dated when
    it came, so no conversation is pushed into the past or the future."""
    app, sim = platform_app, platform_app.sim
    before = datetime.now(UTC) - timedelta(minutes=1)
    for created in ("0", "4102444800", "99999999999"):
        made = sim.text(USER, f"sent at {created}")
        document = re.sub(r"<CreateTime>\d+</CreateTime>", f"<CreateTime>{created}</CreateTime>", made)
        assert document != made
        for _ in range(2):
            response = await post(app, *sim.signed(document))
            assert (response.status_code, response.text) == (200, ack(app)), created
    await assert_stored(app, ["sent at 0", "sent at 4102444800", "sent at 99999999999"])
    transcript = (await app.conversation(USER))["transcript"]
    after = datetime.now(UTC) + timedelta(minutes=1)
    assert all(before <= datetime.fromisoformat(m["at"]) <= after for m in transcript)

"""One conversation, every channel: the same customer actions store the same answers everywhere.

Each channel's simulator (``adapters/<channel>/fake.py``) plays the platform: it posts the
platform's real, signed webhooks to csatbot and runs a fake platform API on 127.0.0.1 that the
adapter sends to over HTTP. csatbot itself runs as a real server (uvicorn) on loopback.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from adapters.testing import Button, Shown, Simulator, ThreadedServer
from adapters.webchat.sessions import IDENTITY_ENV, identity_hash
from adapters.wechat.crypto import Cipher
from csatbot.runtime import Runtime
from csatbot.web import Server, create_app

from ..conftest import api_headers
from ..support.config import config_data, write_config_file

SIMULATORS = {
    "telegram": "adapters.telegram.fake:TelegramSimulator",
    "webchat": "adapters.webchat.fake:WebChatSimulator",
    "wechat": "adapters.wechat.fake:WeChatSimulator",
    "wecom": "adapters.wechat.fake:WeComSimulator",
    "whatsapp": "adapters.whatsapp.fake:WhatsAppSimulator",
}
WAIT = 15.0


class Platform:
    """A channel's simulator beside a running csatbot, and the support API of that csatbot."""

    def __init__(self, sim: Simulator, app: httpx.AsyncClient, runtime: Runtime) -> None:
        self.sim = sim
        self.app = app
        self.runtime = runtime

    async def shown_when(self, user: str, what: str, done: Callable[[list[Shown]], bool]) -> list[Shown]:
        deadline = time.monotonic() + WAIT
        while True:
            shown = await asyncio.to_thread(self.sim.shown, user)
            if done(shown):
                return shown
            if time.monotonic() > deadline:
                seen = "\n".join(f"  {s.text!r} {[(b.step, b.value) for b in s.buttons]}" for s in shown)
                raise AssertionError(f"{self.sim.channel}: {user} was not shown {what}; shown:\n{seen}")
            await asyncio.sleep(0.05)

    async def question(self, user: str, step: str) -> Shown:
        """Wait until ``user`` is shown the question of ``step`` (a message with its buttons)."""
        shown = await self.shown_when(user, f"the {step!r} question", lambda s: _asking(s, step) is not None)
        question = _asking(shown, step)
        assert question is not None
        return question

    async def conversation_of(self, user: str) -> dict[str, Any]:
        """``user``'s conversation, once stored (a webhook is acknowledged before its turn runs)."""
        deadline = time.monotonic() + WAIT
        while True:
            listed = (await self.app.get("/api/conversations", params={"limit": 500})).json()
            found = [c for c in listed if c["customer"]["user"] == user and c["channel"] == self.sim.channel]
            if found or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
        [conversation] = found
        detail: dict[str, Any] = (await self.app.get(f"/api/conversations/{conversation['id']}")).json()
        return detail

    async def ok(self, response: httpx.Response) -> None:
        assert response.status_code < 300, f"{self.sim.channel}: {response.status_code} {response.text}"


def _asking(shown: list[Shown], step: str) -> Shown | None:
    return next((s for s in reversed(shown) if any(b.step == step for b in s.buttons)), None)


THANKS = {"en": "Thank you for your feedback!", "zh-CN": "感谢您的反馈！"}


def _thanked(shown: list[Shown], locale: str = "en") -> bool:
    return bool(shown) and shown[-1].text.strip().startswith(THANKS[locale])


def _button(question: Shown, value: str) -> Button:
    return next(b for b in question.buttons if b.value == value)


@pytest.fixture(params=sorted(SIMULATORS))
async def platform(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Platform]:
    module, name = SIMULATORS[request.param].split(":")
    sim: Any = getattr(importlib.import_module(module), name)()
    sim.start()
    config = write_config_file(tmp_path, config_data(channels={sim.channel: sim.channel_config()}))
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'csatbot.db'}", tick_seconds=0.1, environ=sim.environ)
    live = ThreadedServer("csatbot", create_app(runtime), lambda c: Server(runtime, c), lifespan="on")
    live.start()
    if sim.server is None:
        sim.app_url = live.url
    try:
        headers = api_headers(runtime.database)
        async with httpx.AsyncClient(base_url=live.url, timeout=30, headers=headers) as app:
            yield Platform(sim, app, runtime)
    finally:
        live.stop()
        sim.stop()


async def test_the_same_conversation_stores_the_same_answers_on_every_channel(platform: Platform) -> None:
    sim, app = platform.sim, platform.app
    tapper, typer = "8613800000001", "8613800000002"

    # Customer 1: writes, an agent resolves, the customer taps 2 stars, taps a reason, types a comment.
    await platform.ok(await sim.say(app, tapper, "Hi, my order A-1009 has not arrived"))
    first = await platform.conversation_of(tapper)
    assert first["transcript"][0]["text"] == "Hi, my order A-1009 has not arrived"
    await platform.ok(
        await app.post(f"/api/conversations/{first['id']}/resolve", json={"send_survey_now": True})
    )
    rating = await platform.question(tapper, "rating")
    # Telegram adds a row with the scale's words under the stars ("1 · very dissatisfied", "5 · ...").
    assert [b.value for b in rating.buttons][:5] == ["1", "2", "3", "4", "5"]
    assert {b.value for b in rating.buttons} == {"1", "2", "3", "4", "5"}
    await platform.ok(await sim.tap(app, tapper, _button(rating, "2")))
    reason = await platform.question(tapper, "reason")
    assert [b.value for b in reason.buttons] == ["slow", "unresolved", "attitude", "other"]
    await platform.ok(await sim.tap(app, tapper, _button(reason, "unresolved")))
    await platform.shown_when(tapper, "the comment question", lambda s: "Anything else" in s[-1].text)
    await platform.ok(await sim.say(app, tapper, "Nobody called me back."))
    thanked = await platform.shown_when(tapper, "the thanks", lambda s: _thanked(s))
    assert "a person will reply here" in thanked[-1].text  # CSAT 2: a person follows up

    # Customer 2 writes in Chinese (the Telegram user's app is in English), so is surveyed in Chinese,
    # and rates by typing.
    await platform.ok(await sim.say(app, typer, "请问发票怎么开？"))
    second = await platform.conversation_of(typer)
    await platform.ok(
        await app.post(f"/api/conversations/{second['id']}/resolve", json={"send_survey_now": True})
    )
    await platform.question(typer, "rating")
    await platform.ok(await sim.say(app, typer, "4分"))
    await platform.shown_when(
        typer, "the praise question in Chinese", lambda s: "很高兴能帮到您" in s[-1].text
    )
    await platform.ok(await sim.say(app, typer, "小王很耐心"))  # happy customers may say what went well
    await platform.shown_when(typer, "the thanks in Chinese", lambda s: _thanked(s, "zh-CN"))

    def stored(detail: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (a["step"], a.get("score"), a.get("option"), a.get("text")) for a in detail["survey"]["answers"]
        ]

    first, second = await platform.conversation_of(tapper), await platform.conversation_of(typer)
    assert stored(first) == [
        ("rating", 2, None, None),
        ("reason", None, "unresolved", None),
        ("comment", None, None, "Nobody called me back."),
    ]
    assert first["survey"]["status"] == "completed" and first["ticket"]["reasons"] == ["CSAT 2 (at most 3)"]
    assert stored(second) == [("rating", 4, None, None), ("praise", None, None, "小王很耐心")]
    assert second["survey"]["status"] == "completed" and second["ticket"] is None


# Signatures: every platform request is authenticated before anything of it is stored.

SIGNED_BY = {  # channel: the header (lower case) or query parameters that carry the signature
    "telegram": ("header", ("x-telegram-bot-api-secret-token",)),
    "whatsapp": ("header", ("x-hub-signature-256",)),
    "wechat": ("query", ("signature", "msg_signature")),  # safe mode: msg_signature signs the body
    "wecom": ("query", ("msg_signature",)),
}
REFUSED = {"telegram": 401, "whatsapp": 401, "wechat": 403, "wecom": 403}
"""The answer to a wrong signature (WeChat's rejections: 401 unsigned, 403 wrongly signed)."""
OTHER_SECRET = "a-secret-csatbot-was-never-given"


def signed_elsewhere(sim: Any) -> Any:
    """A copy of ``sim`` that signs with a secret csatbot does not have."""
    other = copy.copy(sim)
    if sim.channel == "telegram":
        other.secret = OTHER_SECRET
    elif sim.channel == "whatsapp":
        other.environ = {**sim.environ, "WHATSAPP_APP_SECRET": OTHER_SECRET}
    else:
        other.token = OTHER_SECRET
        other.cipher = Cipher(
            OTHER_SECRET, sim.aes_key, sim.cipher.receive_id, enterprise=sim.channel == "wecom"
        )
    return other


async def captured(sim: Any, user: str, said: str) -> httpx.Request:
    """The request ``sim`` makes when ``user`` types ``said``, recorded instead of sent."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    async with httpx.AsyncClient(
        transport=httpx.MockTransport(record), base_url="http://csatbot.test"
    ) as fake:
        await sim.say(fake, user, said)
    [request] = seen
    return request


async def replayed(
    platform: Platform, request: httpx.Request, *, drop: tuple[str, ...] = (), content: bytes | None = None
) -> httpx.Response:
    """``request`` sent to csatbot again, without the headers or parameters in ``drop``."""
    headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length", *drop)}
    params = {k: v for k, v in request.url.params.items() if k not in drop}
    body = request.content if content is None else content
    return await platform.app.request(
        request.method, request.url.path, params=params, headers=headers, content=body
    )


def forged(request: httpx.Request, where: str, names: tuple[str, ...]) -> httpx.Request:
    """``request`` with one character of its signature changed."""

    def flip(value: str) -> str:
        return value[:-1] + ("0" if value[-1] != "0" else "1")

    if where == "header":
        headers = {k: flip(v) if k in names else v for k, v in request.headers.items()}
        return httpx.Request(request.method, request.url, headers=headers, content=request.content)
    params = {k: flip(v) if k in names else v for k, v in request.url.params.items()}
    return httpx.Request(
        request.method, request.url.copy_with(params=params), headers=request.headers, content=request.content
    )


def stored(platform: Platform) -> tuple[int, int]:
    """(inbox rows of the channel, customer messages): what the webhook and its turns stored."""
    with platform.runtime.database.reader.connect() as conn:
        channel = {"channel": platform.sim.channel}
        inbox = conn.execute(
            text("select count(*) from inbox where channel = :channel"), channel
        ).scalar_one()
        said = conn.execute(text("select count(*) from message where direction = 'in'")).scalar_one()
    return int(inbox), int(said)


@pytest.mark.parametrize("platform", sorted(SIGNED_BY), indirect=True)
async def test_a_webhook_stores_only_correctly_signed_requests_and_each_once(platform: Platform) -> None:
    sim, channel, user = platform.sim, platform.sim.channel, "8613800000003"
    where, names = SIGNED_BY[channel]
    good = await captured(sim, user, "Where is my parcel?")

    refusals = {
        "missing": await replayed(platform, good, drop=names),
        "forged": await replayed(platform, forged(good, where, names)),
        "wrong secret": await replayed(platform, await captured(signed_elsewhere(sim), user, "Where is it?")),
    }
    if channel != "telegram":  # Telegram's secret token is a shared password: it signs no body
        other = await captured(sim, user, "Cancel my order")
        refusals["body of another request"] = await replayed(platform, good, content=other.content)
    answers = {case: response.status_code for case, response in refusals.items()}
    expected = {case: REFUSED[channel] for case in refusals} | {"missing": 401}
    assert answers == expected, {case: r.text for case, r in refusals.items()}
    assert stored(platform) == (0, 0)

    await platform.ok(await replayed(platform, good))
    conversation = await platform.conversation_of(user)
    assert [m["text"] for m in conversation["transcript"] if m["author"] == "customer"] == [
        "Where is my parcel?"
    ]
    assert stored(platform) == (1, 1)

    # The same signed request again is the platform's redelivery or retry: acknowledged, stored once
    # (WeChat's plain-mode signature covers no body: another body under it is refused above).
    await platform.ok(await replayed(platform, good))
    assert stored(platform) == (1, 1)


@pytest.mark.parametrize("platform", ["webchat"], indirect=True)
async def test_the_web_chat_takes_only_signed_identities_and_each_message_once(platform: Platform) -> None:
    app, secret = platform.app, platform.sim.environ[IDENTITY_ENV]
    session, messages = "/api/webchat/session", "/api/webchat/messages"

    def identity(user: str, signed_as: str, key: str = secret) -> dict[str, Any]:
        return {"user_id": user, "user_hash": identity_hash(key, signed_as), "cookie": False}

    assert (await app.post(messages, json={"text": "hi", "id": "m1"})).status_code == 401  # no session
    assert (await app.post(session, json=identity("ann", "ann", OTHER_SECRET))).status_code == 403
    assert (await app.post(session, json=identity("ann", "bob"))).status_code == 403  # bob's hash, for ann
    assert (await app.post(session, json={"user_id": "ann", "cookie": False})).status_code == 403  # no hash
    assert stored(platform) == (0, 0)

    opened = await app.post(session, json=identity("ann", "ann"))
    assert opened.status_code == 200, opened.text
    headers = {"X-Chat-Session": opened.json()["token"]}
    first = await app.post(messages, json={"text": "Where is my parcel?", "id": "m1"}, headers=headers)
    again = await app.post(messages, json={"text": "Where is my parcel?", "id": "m1"}, headers=headers)
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert stored(platform) == (0, 1)

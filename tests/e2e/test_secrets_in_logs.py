"""A full run with every secret configured, logging at DEBUG everywhere (access log included): no
secret and no token appears in any log record.

Every channel (Telegram, WhatsApp, WeChat, WeCom, web chat with signed identities) talks to its fake
platform over HTTP; every notification target (Slack and WeCom robot URLs, Feishu and webhook signing
secrets) gets the escalated tickets; the WhatsApp webhook handshake sends its verify token in the
query string; the support API is used with its token; a console user signs in.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml

from adapters.notify.fake import SLACK_PATH, WECOM_KEY, WECOM_PATH, FakeNotifyPlatforms
from adapters.telegram.fake import TelegramSimulator
from adapters.testing import FakeServer, Shown
from adapters.webchat.fake import WebChatSimulator
from adapters.webchat.sessions import IDENTITY_ENV, identity_hash
from adapters.wechat.fake import WeChatSimulator, WeComSimulator
from adapters.whatsapp.fake import WhatsAppSimulator
from csatbot.runtime import Runtime
from csatbot.web import Server, create_app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "console password that must not leak"
FIXED = {
    "CSATBOT_API_TOKEN": "api-token-0123456789abcdef0123456789abcdef",
    "CSATBOT_SECRET_KEY": "session-key-0123456789abcdef0123456789abcdef",
}
TICKETED = 5  # customers whose low rating opens a ticket (one per channel)


class Live:
    """The app served by uvicorn with its access log on, logging through the root logger."""

    def __init__(self, runtime: Runtime) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(
            create_app(runtime), log_config=None, log_level="debug", access_log=True, ws="none", lifespan="on"
        )
        self.server = Server(runtime, config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, name="csatbot-app", daemon=True
        )

    def __enter__(self) -> Live:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the app did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.socket.close()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[dict[str, Any]]:
    sims: list[Any] = [TelegramSimulator(), WhatsAppSimulator(), WeChatSimulator(), WeComSimulator()]
    notify = FakeNotifyPlatforms()
    notify_server = FakeServer("notify", notify).start()
    for sim in sims:
        sim.start()
    webchat = WebChatSimulator()
    environ: dict[str, str] = {**FIXED, **notify.environ, **webchat.environ}
    for sim in sims:
        environ.update(sim.environ)
    environ["SLACK_WEBHOOK_URL"] = f"{notify_server.url}{SLACK_PATH}"
    environ["WECOM_ROBOT_URL"] = f"{notify_server.url}{WECOM_PATH}?key={WECOM_KEY}"
    targets = notify.targets(notify_server.url)
    targets["slack_support"] = {"kind": "slack", "url_env": "SLACK_WEBHOOK_URL"}
    targets["wecom_support"] = {"kind": "wecom_robot", "url_env": "WECOM_ROBOT_URL"}
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["triggers"][0]["delay"] = "0s"
    data["surveying"]["quiet_hours"] = None
    data["channels"].update({sim.channel: sim.channel_config() for sim in sims})
    data["notifications"] = {"targets": targets}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'csatbot.db'}", environ=environ, tick_seconds=0.1)
    try:
        with Live(runtime) as live:
            webchat.app_url = live.url
            yield {
                "sims": [*sims, webchat],
                "live": live,
                "runtime": runtime,
                "environ": environ,
                "notify": notify,
            }
    finally:
        for sim in sims:
            sim.stop()
        notify_server.stop()


async def until(check: Any, what: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := await asyncio.to_thread(check)):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)
    return found


def question(shown: list[Shown], step: str) -> Shown | None:
    return next((s for s in reversed(shown) if any(b.step == step for b in s.buttons)), None)


async def rate_low(app: httpx.AsyncClient, sim: Any, user: str) -> None:
    """``user`` writes, support resolves at once, the customer taps 1 star: a ticket opens."""
    assert (await sim.say(app, user, "my parcel is late")).status_code < 300
    deadline = time.monotonic() + 20
    while True:  # the webhook is acknowledged once stored; its turn runs right after
        listed = (await app.get("/api/conversations", params={"limit": 500})).json()
        found = [c["id"] for c in listed if c["channel"] == sim.channel]
        if found or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    [conversation] = found
    resolved = await app.post(f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True})
    assert resolved.status_code == 200, resolved.text
    rating = await until(lambda: question(sim.shown(user), "rating"), f"{sim.channel} rating question")
    one = next(b for b in rating.buttons if b.value == "1")  # Telegram also labels the ends of the scale
    assert (await sim.tap(app, user, one)).status_code < 300


async def test_no_secret_reaches_any_log_record(
    world: dict[str, Any], all_logs: pytest.LogCaptureFixture
) -> None:
    caplog = all_logs
    live, runtime, environ = world["live"], world["runtime"], world["environ"]
    from csatbot.console.users import Users

    Users(runtime.database).add("lead", PASSWORD, "admin")
    auth = {"Authorization": f"Bearer {FIXED['CSATBOT_API_TOKEN']}"}
    async with httpx.AsyncClient(base_url=live.url, timeout=30, headers=auth) as app:
        handshake = await app.get(
            "/webhooks/whatsapp",
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": environ["WHATSAPP_VERIFY_TOKEN"],
                "hub.challenge": "42",
            },
        )
        assert handshake.text == "42"
        assert (
            await app.get("/api/me", headers={"Authorization": "Bearer wrong-token-0123456789"})
        ).status_code == 401
        for index, sim in enumerate(world["sims"]):
            await rate_low(app, sim, f"86138000000{index:02d}")
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as browser:
            page = await browser.get("/console/login")
            csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            form = {"username": "lead", "password": PASSWORD, "csrf": csrf}
            assert (await browser.post("/console/login", data=form)).status_code == 303
        notify = world["notify"]
        await until(lambda: all(notify.accepted[p] for p in notify.accepted), "every notification target")

    wechat_tokens = [
        token for sim in world["sims"] if hasattr(sim, "api") for token in getattr(sim.api, "tokens", [])
    ]
    assert wechat_tokens, "the WeChat and WeCom access tokens were never fetched"
    secrets = {name: value for name, value in environ.items() if value} | {
        "console password": PASSWORD,
        "web chat user_hash": identity_hash(environ[IDENTITY_ENV], "8613800000004"),
        **{f"access token {t}": t for t in wechat_tokens},
        "telegram token half": environ["TELEGRAM_BOT_TOKEN"].split(":", 1)[1],
        "wecom robot key": WECOM_KEY,
        "slack secret path": SLACK_PATH.rsplit("/", 1)[1],
    }
    # The fake platforms' own servers log what they receive (as Telegram's would): not csatbot's logs.
    records = [r for r in caplog.records if not r.threadName.startswith("server-fake")]
    logged = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}" for r in records
    )
    leaked = sorted(name for name, value in secrets.items() if value in logged)
    lines = [line for line in logged.splitlines() if any(v in line for v in secrets.values())]
    assert leaked == [], f"secrets in the logs: {leaked}: {lines[:5]}"
    # The logs were really written, at every level, by the loggers that used to leak.
    names = {r.name for r in records}
    assert {"httpx", "httpcore.http11", "uvicorn.access"} <= names
    assert any(name.startswith("csatbot") for name in names)
    assert {r.levelno for r in records} >= {logging.DEBUG, logging.INFO}
    assert "hub.verify_token=[redacted]" in logged and "hub.challenge=[redacted]" in logged
    assert "/bot[redacted]/sendMessage" in logged  # adapters/poster.py's DEBUG line
    assert "access_token=[redacted]" in logged and "secret=[redacted]" in logged
    assert len(records) > 200

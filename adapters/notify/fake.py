"""Fake notification platforms for tests and local try-outs: Slack, a WeCom robot, a Feishu bot and a
ticketing system's signed webhook, on one HTTP server on 127.0.0.1.

Each answers like the real one: Slack ``ok`` (or 400 ``invalid_payload``), WeCom ``{"errcode": 0}``
(93000 for a wrong key, 40058 past 4096 bytes), Feishu ``{"code": 0}`` (19021 when the signature or
its timestamp is wrong, 9499 for a malformed body), and the receiver 200 only for a valid
``X-Csatbot-Signature``. ``fail(platform, ...)`` makes the next request to a platform fail as given.

Try it: ``python -m adapters.notify.fake`` prints the ``notifications`` config that points at it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response

from adapters.notify import feishu, webhook
from adapters.notify.wecom_robot import MAX_BYTES
from adapters.testing import FakeServer, Recorded
from bot.errors import SignatureError

SLACK_PATH = "/services/T0000TEST/B0000TEST/slackFakeSecretPath"
WECOM_PATH = "/cgi-bin/webhook/send"
WECOM_KEY = "693a91f6-7aaa-4bc4-97a0-0ec2fakekey"
FEISHU_PATH = "/open-apis/bot/v2/hook/0f1e2d3c-fake-feishu-bot"
FEISHU_SECRET = "fake-feishu-signing-secret"
RECEIVER_PATH = "/hooks/tickets"
RECEIVER_SECRET = "fake-receiver-hmac-secret"
FEISHU_ENV = "FEISHU_BOT_SECRET"
RECEIVER_ENV = "TICKETING_WEBHOOK_SECRET"
PLATFORMS = ("slack", "wecom_robot", "feishu", "webhook")
FEISHU_MAX_BYTES = 20 * 1024


class FakeNotifyPlatforms:
    """The four platforms' behaviour (an :data:`adapters.testing.Handler`); ``accepted`` holds the
    JSON each platform took, per platform."""

    def __init__(
        self,
        *,
        feishu_secret: str | None = FEISHU_SECRET,
        receiver_secret: str = RECEIVER_SECRET,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.feishu_secret = feishu_secret
        self.receiver_secret = receiver_secret
        self.clock = clock
        self.accepted: dict[str, list[Any]] = {platform: [] for platform in PLATFORMS}
        self.attempts: dict[str, list[Recorded]] = {platform: [] for platform in PLATFORMS}
        self._failures: dict[str, list[Response]] = {platform: [] for platform in PLATFORMS}
        self._lock = threading.Lock()

    def fail(self, platform: str, response: Response) -> None:
        """The next request to ``platform`` gets ``response`` (e.g. :func:`slack_rate_limited`)."""
        with self._lock:
            self._failures[platform].append(response)

    def __call__(self, request: Recorded) -> Response:
        platform = _platform(request.path)
        if platform is None:
            return PlainTextResponse("no such webhook", 404)
        with self._lock:
            self.attempts[platform].append(request)
            if self._failures[platform]:
                return self._failures[platform].pop(0)
        try:
            payload = json.loads(request.body)
        except ValueError:
            payload = None
        check: Callable[[Recorded, Any], tuple[Response, bool]] = getattr(self, f"_{platform}")
        answer, accepted = check(request, payload)
        if accepted:
            with self._lock:
                self.accepted[platform].append(payload)
        return answer

    def _slack(self, request: Recorded, payload: Any) -> tuple[Response, bool]:
        if not isinstance(payload, dict) or not (payload.get("text") or payload.get("blocks")):
            return PlainTextResponse("invalid_payload", 400), False
        return PlainTextResponse("ok"), True

    def _wecom_robot(self, request: Recorded, payload: Any) -> tuple[Response, bool]:
        if request.query.get("key") != WECOM_KEY:
            return _wecom(93000, "invalid webhook url"), False
        if not isinstance(payload, dict) or payload.get("msgtype") != "markdown":
            return _wecom(40008, "invalid message type"), False
        content = str(payload.get("markdown", {}).get("content", ""))
        if not content or len(content.encode()) > MAX_BYTES:
            return _wecom(40058, "markdown.content exceed max length 4096"), False
        return _wecom(0, "ok"), True

    def _feishu(self, request: Recorded, payload: Any) -> tuple[Response, bool]:
        if not isinstance(payload, dict) or "msg_type" not in payload or len(request.body) > FEISHU_MAX_BYTES:
            return JSONResponse({"code": feishu.BAD_REQUEST, "msg": "Bad Request", "data": {}}, 400), False
        if self.feishu_secret is not None:
            stamp = str(payload.get("timestamp", ""))
            fresh = stamp.isdigit() and abs(self.clock() - int(stamp)) <= 3600
            if not fresh or payload.get("sign") != feishu.sign(int(stamp), self.feishu_secret):
                message = "sign match fail or timestamp is not within one hour from current time"
                return JSONResponse({"code": 19021, "msg": message, "data": {}}), False
        return JSONResponse({"code": 0, "data": {}, "msg": "success"}), True

    def _webhook(self, request: Recorded, payload: Any) -> tuple[Response, bool]:
        try:
            webhook.verify_signature(
                self.receiver_secret,
                request.headers.get(webhook.TIMESTAMP_HEADER.lower()),
                request.headers.get(webhook.SIGNATURE_HEADER.lower()),
                request.body,
                now=self.clock(),
            )
        except SignatureError as exc:
            return JSONResponse({"error": str(exc)}, 401), False
        return JSONResponse({"ok": True}), True

    def targets(self, base_url: str) -> dict[str, dict[str, Any]]:
        """``notifications.targets`` for every platform of this fake served at ``base_url``."""
        return {
            "slack_support": {"kind": "slack", "url": f"{base_url}{SLACK_PATH}"},
            "wecom_support": {"kind": "wecom_robot", "url": f"{base_url}{WECOM_PATH}?key={WECOM_KEY}"},
            "feishu_support": {"kind": "feishu", "url": f"{base_url}{FEISHU_PATH}", "secret_env": FEISHU_ENV},
            "ticketing": {"kind": "webhook", "url": f"{base_url}{RECEIVER_PATH}", "secret_env": RECEIVER_ENV},
        }

    @property
    def environ(self) -> dict[str, str]:
        """The secrets :meth:`targets` names."""
        return {FEISHU_ENV: self.feishu_secret or "", RECEIVER_ENV: self.receiver_secret}


def slack_rate_limited(retry_after: int) -> Response:
    return PlainTextResponse("rate_limited", 429, headers={"Retry-After": str(retry_after)})


def wecom_error(code: int, message: str) -> Response:
    return _wecom(code, message)


def feishu_error(code: int, message: str, status: int = 200) -> Response:
    return JSONResponse({"code": code, "msg": message, "data": {}}, status)


def _wecom(code: int, message: str) -> Response:
    return JSONResponse({"errcode": code, "errmsg": message})


def _platform(path: str) -> str | None:
    for prefix, platform in (
        (SLACK_PATH, "slack"),
        (WECOM_PATH, "wecom_robot"),
        (FEISHU_PATH, "feishu"),
        (RECEIVER_PATH, "webhook"),
    ):
        if path == prefix:
            return platform
    return None


def start(handler: FakeNotifyPlatforms | None = None) -> tuple[FakeServer, FakeNotifyPlatforms]:
    """The fake platforms served on 127.0.0.1 (stop the server when done)."""
    fake = handler or FakeNotifyPlatforms()
    return FakeServer("notify", fake).start(), fake


def main() -> None:  # pragma: no cover - a manual try-out
    """Serve the fakes and print what they receive, until Ctrl+C."""
    import sys

    import yaml

    server, fake = start()
    out = sys.stdout
    out.write(
        "Fake Slack, WeCom robot, Feishu bot and ticketing webhook. Add to config.yaml:\n"
        + yaml.safe_dump({"notifications": {"targets": fake.targets(server.url)}}, sort_keys=False)
        + "".join(f"and set {name}={value}\n" for name, value in fake.environ.items())
    )
    seen = 0
    try:
        while True:
            time.sleep(0.5)
            requests = server.received()
            for request in requests[seen:]:
                out.write(f"{request.method} {request.path}\n{request.body.decode(errors='replace')}\n\n")
            seen = len(requests)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()

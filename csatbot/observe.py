"""What every request is given first: an id for its log lines, and a count if it is a webhook.

The id comes from the proxy's ``X-Request-ID`` when it is a plain token (else a new one), is set
as the current trace id (:mod:`bot.tracing`) for everything the request causes, and is echoed in
the response's ``X-Request-ID``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.ports import Meter
from bot.tracing import begin_trace, end_trace, new_trace_id

HEADER = b"x-request-id"
_TOKEN = re.compile(rb"[A-Za-z0-9._:-]{1,64}")


def outcome_of(status: int) -> str:
    """A webhook's outcome from its status: ok, rejected (signature), invalid, unavailable, error."""
    if status < 400:
        return "ok"
    if status in (401, 403):
        return "rejected"
    if status == 503:
        return "unavailable"
    return "invalid" if status < 500 else "error"


class Observe:
    """Pure ASGI middleware: request id and webhook counts (``webhooks`` maps path prefix to channel)."""

    def __init__(self, app: ASGIApp, meter: Meter, webhooks: Mapping[str, str]) -> None:
        self.app = app
        self.meter = meter
        self.webhooks = sorted(webhooks.items(), key=lambda kv: len(kv[0]), reverse=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HEADER, b"")
        request_id = given.decode() if _TOKEN.fullmatch(given) else new_trace_id("req")
        channel = next((name for prefix, name in self.webhooks if scope["path"].startswith(prefix)), None)
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER, request_id.encode())]
            await send(message)

        token = begin_trace(request_id)
        try:
            await self.app(scope, receive, sending)
        finally:
            if channel is not None:
                self.meter.count("webhook", channel=channel, outcome=outcome_of(status))
            end_trace(token)


def webhook_prefixes(routes: Mapping[str, list[str]]) -> dict[str, str]:
    """``{path prefix: channel}`` from each channel's route paths (up to the first ``{``)."""
    return {path.split("{", 1)[0]: name for name, paths in routes.items() for path in paths}

"""The WeChat Official Account and WeCom channels: one adapter class, configured per platform.

Inbound: verify (signature, freshness, replay, decryption) and parse off the event loop, hand the
message to the service, and answer within WeChat's 5-second deadline: the acknowledgement
(``success`` for an OA, an empty body for WeCom) goes out after at most ``ack_deadline`` seconds
even if the turn is still running, so WeChat never retries. Bot messages are never passive
replies: the outbox sends them through the customer-service / app message API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse

from adapters.base import AdapterContext
from adapters.http import RateLimits, read_body
from adapters.wechat.api import WeChatApi
from adapters.wechat.verify import MissingSignature, Verifier
from adapters.wechat.wire import parse_message
from bot.errors import DeliveryError, SignatureError, WireFormatError
from bot.messages import InboundMessage
from bot.ports import Capabilities, Recipient, Sent
from bot.prompts import Prompt

log = logging.getLogger("csatbot.adapters.wechat")

ACK_DEADLINE = 4.0
"""Seconds after which a webhook is acknowledged even if its turn is still running (WeChat: 5 s)."""

Render = Callable[[Recipient, Prompt], list[dict[str, Any]]]


@dataclass(frozen=True)
class Platform:
    """What differs between the Official Account and WeCom."""

    name: str
    enterprise: bool
    send_path: str
    ack: str
    capabilities: Capabilities
    limits: RateLimits
    render: Render


class WeChatChannel:
    """A :class:`adapters.base.ChannelAdapter` for one Official Account or one WeCom app."""

    def __init__(
        self,
        platform: Platform,
        ctx: AdapterContext,
        *,
        path: str,
        verifier: Verifier,
        api: WeChatApi,
        ack_deadline: float = ACK_DEADLINE,
    ) -> None:
        self.platform = platform
        self.name = platform.name
        self.capabilities = platform.capabilities
        self.ctx = ctx
        self.path = path
        self.verifier = verifier
        self.api = api
        self.ack_deadline = ack_deadline
        self._late: set[asyncio.Task[Any]] = set()

    async def send(self, to: Recipient, prompt: Prompt) -> Sent:
        """Post ``prompt`` through the message API; :class:`DeliveryError` outside the window."""
        self._check_window(to)
        platform_id = ""
        for body in self.platform.render(to, prompt):
            async with self.platform.limits.slot(to.user):
                answer = await self.api.post(self.platform.send_path, body)
            platform_id = str(answer.get("msgid") or platform_id)
        return Sent(platform_id)

    def _check_window(self, to: Recipient) -> None:
        window = self.capabilities.window
        last = to.last_inbound_at
        if window is None or last is None:
            return
        last = last if last.tzinfo is not None else last.replace(tzinfo=UTC)
        closed = last + window
        if self.ctx.clock.now() >= closed:
            hours = window / timedelta(hours=1)
            raise DeliveryError(
                f"{self.name}: the {hours:g}-hour customer-service window closed at "
                f"{closed:%Y-%m-%d %H:%M} UTC (the customer last wrote at {last:%Y-%m-%d %H:%M} UTC); "
                "WeChat refuses messages outside it",
                permanent=True,
            )

    def routes(self) -> APIRouter:
        """``GET <path>`` answers WeChat's URL check; ``POST <path>`` receives messages."""
        router = APIRouter()
        router.add_api_route(self.path, self.verify_url, methods=["GET"], response_class=PlainTextResponse)
        router.add_api_route(self.path, self.receive, methods=["POST"], response_class=PlainTextResponse)
        return router

    async def verify_url(self, request: Request) -> PlainTextResponse:
        """The URL check WeChat makes when the callback URL is saved: echo ``echostr`` (decrypted)."""
        query = dict(request.query_params)
        with _rejections(self.name):
            echo = await asyncio.to_thread(self.verifier.echo, query, self.ctx.clock.now())
        return PlainTextResponse(echo)

    async def receive(self, request: Request) -> PlainTextResponse:
        """One message or event: verified, parsed, handled, acknowledged within the deadline."""
        started = time.monotonic()
        body = await read_body(request, self.ctx.max_body_bytes)
        query = dict(request.query_params)
        with _rejections(self.name):
            msg = await asyncio.to_thread(self._open, query, body, self.ctx.clock.now())
        if msg is not None:
            await self._handle(msg, self.ack_deadline - (time.monotonic() - started))
        return PlainTextResponse(self.platform.ack)

    def _open(self, query: dict[str, str], body: bytes, now: datetime) -> InboundMessage | None:
        xml = self.verifier.open(query, body, now)
        return parse_message(xml, channel=self.name, enterprise=self.platform.enterprise, received_at=now)

    async def _handle(self, msg: InboundMessage, budget: float) -> None:
        task = asyncio.ensure_future(self.ctx.service.handle(msg))
        try:
            await asyncio.wait_for(asyncio.shield(task), max(budget, 0.0))
        except TimeoutError:
            # Answer now (WeChat would retry after 5 s and show the user an error); the turn goes on.
            log.warning("%s: message %s acknowledged before its turn finished", self.name, msg.platform_id)
            self._late.add(task)
            task.add_done_callback(self._late_done)

    def _late_done(self, task: asyncio.Task[Any]) -> None:
        self._late.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: a late turn failed", self.name, exc_info=task.exception())

    async def start(self) -> None:
        """Nothing runs in the background."""

    async def stop(self) -> None:
        """Let turns still running after their acknowledgement finish (up to 10 s)."""
        if self._late:
            await asyncio.wait(set(self._late), timeout=10)


@contextlib.contextmanager
def _rejections(channel: str) -> Iterator[None]:
    """Webhook answers for requests we refuse: 401 unsigned, 403 wrongly signed, 400 malformed."""
    try:
        yield
    except MissingSignature as exc:
        log.warning("%s: unsigned callback refused: %s", channel, exc)
        raise HTTPException(401, str(exc)) from exc
    except SignatureError as exc:
        log.warning("%s: callback refused: %s", channel, exc)
        raise HTTPException(403, str(exc)) from exc
    except WireFormatError as exc:
        log.warning("%s: malformed callback refused: %s", channel, exc)
        raise HTTPException(400, str(exc)) from exc

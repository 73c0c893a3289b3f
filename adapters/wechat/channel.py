"""The WeChat Official Account and WeCom channels: one adapter class, configured per platform.

Inbound: verify (signature, freshness, replay, decryption) and parse off the event loop, store the
message's XML in the inbox (:mod:`bot.inbox`) and acknowledge at once, well within WeChat's 5-second
deadline (``success`` for an OA, an empty body for WeCom, so WeChat never retries); the turn runs
right after. Bot messages are never passive replies: the outbox sends them through the
customer-service / app message API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse

from adapters.base import AdapterContext
from adapters.http import RateLimits, read_body
from adapters.wechat.api import WeChatApi
from adapters.wechat.verify import REPLAY_WINDOW, MissingSignature, Verifier
from adapters.wechat.wire import parse_message
from bot.errors import DeliveryError, SignatureError, WireFormatError
from bot.inbox import InboxItem
from bot.messages import InboundMessage
from bot.ports import Capabilities, Recipient, Sent
from bot.prompts import Prompt

log = logging.getLogger("csatbot.adapters.wechat")

REPLAY_KEPT = 2 * REPLAY_WINDOW
"""How long the database keeps a plain-mode signature's first body: a timestamp is taken from 5
minutes before it to 5 minutes after."""

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
    ) -> None:
        self.platform = platform
        self.name = platform.name
        self.capabilities = platform.capabilities
        self.ctx = ctx
        self.path = path
        self.verifier = verifier
        self.api = api

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
            await self._first_body(self.verifier.echo_carried(query), query, None)
        return PlainTextResponse(echo)

    async def receive(self, request: Request) -> PlainTextResponse:
        """One message or event: verified, parsed, stored in the inbox (:mod:`bot.inbox`) and
        acknowledged at once; its turn runs right after (:meth:`handle_stored`)."""
        body = await read_body(request, self.ctx.max_body_bytes)
        query = dict(request.query_params)
        with _rejections(self.name):
            opened = await asyncio.to_thread(self._open, query, body, self.ctx.clock.now())
            await self._first_body(self.verifier.carried(query, body), query, body)
        if opened is not None:  # a retry of a stored callback is accepted again and kept once
            msg, xml = opened
            await self.ctx.intake().accept(self.name, msg.platform_id, msg.user, xml.encode())
        return PlainTextResponse(self.platform.ack)

    async def _first_body(
        self, carried: tuple[str, str] | None, query: dict[str, str], body: bytes | None
    ) -> None:
        """:class:`SignatureError` when a plain-mode signature came before, to this process or
        another, with another body (a captured query carrying a forged message)."""
        if carried is not None and not await self.ctx.intake().first_body(self.name, *carried, REPLAY_KEPT):
            self.verifier.refused(query, body)
            raise SignatureError("this signed request was already received with another body (replay)")

    def _open(self, query: dict[str, str], body: bytes, now: datetime) -> tuple[InboundMessage, str] | None:
        xml = self.verifier.open(query, body, now)
        msg = self._parse(xml, now)
        return None if msg is None else (msg, xml)

    def _parse(self, xml: str, received_at: datetime) -> InboundMessage | None:
        return parse_message(
            xml, channel=self.name, enterprise=self.platform.enterprise, received_at=received_at
        )

    async def handle_stored(self, item: InboxItem) -> bool:
        """A message the webhook stored (its verified, decrypted XML): hand it to the service;
        whether its turn marked the inbox row done (:attr:`InboxItem.turn_marks`)."""
        msg = self._parse(item.body.decode(), item.received_at)
        if msg is None:
            return False
        await self.ctx.service.handle(msg, inbox_id=item.turn_marks)
        return item.turn_marks is not None

    async def start(self) -> None:
        """Nothing runs in the background."""

    async def stop(self) -> None:
        """Nothing to stop: turns run from the inbox."""


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

"""The webhook endpoint: GET subscription check, POST events (signature over the raw body first,
then one insert into the inbox, then 200)."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from typing import Annotated, Protocol

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse, Response

from adapters.base import AdapterContext
from adapters.http import read_body
from adapters.whatsapp.signature import HEADER, verify_signature
from adapters.whatsapp.wire import Delivery, parse_webhook
from bot.config.channels import WhatsAppConfig
from bot.errors import SignatureError, WireFormatError


class WebhookOwner(Protocol):
    """What the endpoints need of :class:`~adapters.whatsapp.channel.WhatsAppChannel` (declared
    here so the webhook does not import the adapter that mounts it)."""

    @property
    def name(self) -> str: ...
    @property
    def config(self) -> WhatsAppConfig: ...
    @property
    def ctx(self) -> AdapterContext: ...
    @property
    def app_secret(self) -> str: ...
    @property
    def verify_token(self) -> str: ...
    @property
    def counts(self) -> Counter[str]: ...


def delivery_key(delivery: Delivery, raw: bytes) -> str:
    """The inbox key of a delivery: its message ids and (wamid, status) pairs, which a redelivery
    repeats; hashed when there are several (a lone message keeps its ``wamid``)."""
    parts = [m.platform_id for m in delivery.messages]
    parts += [f"{s.wamid}:{s.status}" for s in delivery.statuses]
    if delivery.errors or not parts:
        parts.append(hashlib.sha256(raw).hexdigest())
    if len(parts) == 1 and len(parts[0]) <= 200:
        return parts[0]
    return "sha256:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def webhook_router(adapter: WebhookOwner) -> APIRouter:
    """``GET`` and ``POST`` at ``channels.whatsapp.path`` (the callback URL set in the Meta app)."""
    router = APIRouter()
    path = adapter.config.path

    @router.get(path, response_class=PlainTextResponse)
    async def verify(
        mode: Annotated[str | None, Query(alias="hub.mode")] = None,
        token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
        challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=256)] = None,
    ) -> PlainTextResponse:
        """Meta's subscription check: echo ``hub.challenge`` when the verify token matches."""
        expected = adapter.verify_token.encode()
        if mode != "subscribe" or token is None or not secrets.compare_digest(token.encode(), expected):
            raise HTTPException(403, "hub.mode is not subscribe or hub.verify_token does not match")
        if not challenge:
            raise HTTPException(400, "hub.challenge is missing")
        return PlainTextResponse(challenge)

    @router.post(path)
    async def receive(request: Request) -> Response:
        """Messages and statuses, signed with ``X-Hub-Signature-256``; answered 200 once stored in
        the inbox (:mod:`bot.inbox`), handled right after (:meth:`WhatsAppChannel.handle_stored`)."""
        raw = await read_body(request, adapter.ctx.max_body_bytes)
        try:
            verify_signature(raw, request.headers.get(HEADER), adapter.app_secret)
        except SignatureError as exc:
            adapter.counts["bad_signature"] += 1
            raise HTTPException(401, f"missing or wrong {HEADER}") from exc
        try:
            delivery = parse_webhook(raw, adapter.ctx.clock.now())
        except WireFormatError as exc:
            adapter.counts["malformed"] += 1
            raise HTTPException(400, str(exc)) from exc
        if delivery.messages or delivery.statuses or delivery.errors:
            sender = delivery.messages[0].user if delivery.messages else ""
            if not await adapter.ctx.intake().accept(adapter.name, delivery_key(delivery, raw), sender, raw):
                adapter.counts["duplicates"] += len(delivery.messages)  # a redelivery: stored before
        return Response(status_code=200)

    return router

"""The webhook endpoint: GET subscription check, POST events (signature over the raw body first)."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse, Response

from adapters.http import read_body
from adapters.whatsapp.signature import HEADER, verify_signature
from adapters.whatsapp.wire import parse_webhook
from bot.errors import WireFormatError

if TYPE_CHECKING:
    from adapters.whatsapp.channel import WhatsAppAdapter

log = logging.getLogger("csatbot.whatsapp")


def webhook_router(adapter: WhatsAppAdapter) -> APIRouter:
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
        """Messages and statuses, signed with ``X-Hub-Signature-256``; answered 200 once stored."""
        raw = await read_body(request, adapter.ctx.max_body_bytes)
        if not verify_signature(raw, request.headers.get(HEADER), adapter.app_secret):
            adapter.counts["bad_signature"] += 1
            raise HTTPException(401, f"missing or wrong {HEADER}")
        try:
            delivery = parse_webhook(raw, adapter.ctx.clock.now())
        except WireFormatError as exc:
            adapter.counts["malformed"] += 1
            raise HTTPException(400, str(exc)) from exc
        try:
            await adapter.receive(delivery)
        except Exception:
            # The webhook edge: log, count and answer 500 so Meta delivers again (dedupe makes it safe).
            adapter.counts["errors"] += 1
            log.exception("%s webhook: handling failed; WhatsApp will deliver it again", adapter.name)
            return Response(status_code=500)
        return Response(status_code=200)

    return router

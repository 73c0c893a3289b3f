"""The webhook endpoint Telegram posts updates to.

Order matters: the secret header is checked first (constant time), then the body is read within
the size limit and parsed, then the update is stored, and only then does Telegram get its 200, so
an update is never acknowledged before it is safe. A tap is answered in the response itself
(``answerCallbackQuery`` as a webhook reply); editing the question follows after the response.
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import JSONResponse

from adapters.http import read_body
from adapters.telegram.wire import decode_update
from bot.errors import SignatureError, WireFormatError

if TYPE_CHECKING:
    from adapters.telegram.channel import TelegramAdapter

log = logging.getLogger("csatbot.telegram")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def verify_secret(given: str | None, secret: str) -> None:
    """Raise :class:`SignatureError` unless ``given`` is the webhook secret (constant time)."""
    if not given or not hmac.compare_digest(given.encode(), secret.encode()):
        raise SignatureError(f"telegram: {'wrong' if given else 'missing'} {SECRET_HEADER}")


def webhook_router(adapter: TelegramAdapter, secret: str, path: str) -> APIRouter:
    """``POST path``: 401 without the right secret, 413 over the size limit, 400 if not an update."""
    router = APIRouter()

    @router.post(path, summary="Telegram webhook (setWebhook with secret_token)")
    async def telegram_webhook(request: Request, background: BackgroundTasks) -> JSONResponse:
        try:
            verify_secret(request.headers.get(SECRET_HEADER), secret)
        except SignatureError as exc:
            log.warning("%s (from %s)", exc, request.client.host if request.client else "?")
            raise HTTPException(401, str(exc)) from exc
        body = await read_body(request, adapter.ctx.max_body_bytes)
        try:
            update = decode_update(body)
        except WireFormatError as exc:
            raise HTTPException(400, str(exc)) from exc
        reaction = await adapter.receive(update)
        if reaction.edit is not None:
            background.add_task(adapter.edit, reaction.edit)
        reply = adapter.webhook_reply(reaction.answer) if reaction.answer is not None else {}
        return JSONResponse(reply)

    return router

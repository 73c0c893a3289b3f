"""The webhook endpoint Telegram posts updates to.

Order matters: the secret header is checked first (constant time), then the body is read within
the size limit and parsed, then the update is stored in the inbox (:mod:`bot.inbox`), and only then
does Telegram get its 200, so an update is never acknowledged before it is safe. Its turn runs right
after, off the request path. A tap is answered in the response itself (``answerCallbackQuery`` as a
webhook reply) so the client's spinner stops at once; editing the question follows its turn.
"""

from __future__ import annotations

import hmac
import logging
from typing import Protocol

from aiogram.types import Update
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from adapters.base import AdapterContext
from adapters.http import read_body
from adapters.telegram import group
from adapters.telegram.botapi import json_body
from adapters.telegram.wire import CHANNEL, DecodedUpdates, decode_update
from bot.errors import SignatureError, WireFormatError

log = logging.getLogger("csatbot.telegram")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookOwner(Protocol):
    """What the endpoint needs of :class:`~adapters.telegram.channel.TelegramChannel` (declared
    here so the webhook does not import the adapter that mounts it)."""

    @property
    def ctx(self) -> AdapterContext: ...

    @property
    def decoded(self) -> DecodedUpdates:
        """Where the endpoint leaves the update it stored, for its turn (decoded once)."""
        ...


def verify_secret(given: str | None, secret: str) -> None:
    """Raise :class:`SignatureError` unless ``given`` is the webhook secret (constant time)."""
    if not given or not hmac.compare_digest(given.encode(), secret.encode()):
        raise SignatureError(f"telegram: {'wrong' if given else 'missing'} {SECRET_HEADER}")


def webhook_answer(update: Update, *, new: bool = True) -> dict[str, str] | None:
    """The reply a webhook gives a tap at once (stopping the client's spinner before the turn runs):
    ``answerCallbackQuery`` for any tap but a new ticket button's, whose answer says what its turn
    did (a redelivered one was answered when it first came)."""
    query = update.callback_query
    if query is None or (new and group.unpack(query.data) is not None):
        return None
    return {"method": "answerCallbackQuery", "callback_query_id": query.id}


def sender(update: Update) -> str:
    """Who sent ``update`` (one person's updates are handled in order), ``""`` if no one."""
    source = update.message or update.callback_query or update.my_chat_member
    user = source.from_user if source is not None else None
    return str(user.id) if user is not None else ""


def webhook_router(adapter: WebhookOwner, secret: str, path: str) -> APIRouter:
    """``POST path``: 401 without the right secret, 413 over the size limit, 400 if not an update."""
    router = APIRouter()

    @router.post(path, summary="Telegram webhook (setWebhook with secret_token)")
    async def telegram_webhook(request: Request) -> Response:
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
        if update.message is None and update.callback_query is None and update.my_chat_member is None:
            return JSONResponse({})  # nothing csatbot handles (edits, group membership...)
        adapter.decoded.remember(body, update)  # before it is stored: its turn may run at once
        new = False
        try:
            new = await adapter.ctx.intake().accept(CHANNEL, str(update.update_id), sender(update), body)
        finally:
            if not new:
                adapter.decoded.forget(body)  # not stored now (a redelivery, or the insert failed)
        return Response(json_body(webhook_answer(update, new=new) or {}), media_type="application/json")

    return router

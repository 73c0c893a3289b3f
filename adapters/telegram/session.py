"""aiogram's transport on the app's shared httpx client, and Telegram errors mapped to ours.

aiogram's own session opens an aiohttp client per bot. This one reuses the app's
``httpx.AsyncClient`` (closed with the app, pointed at any Bot API server), while aiogram still
serialises every method and classifies every answer (``check_response``), so flood waits arrive as
``TelegramRetryAfter`` with Telegram's ``parameters.retry_after``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, cast

import httpx
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    AiogramError,
    RestartingTelegram,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

from adapters.http import status_error
from bot.errors import DeliveryError

if TYPE_CHECKING:
    from aiogram import Bot

# The HTTP status each aiogram error stands for (aiogram keeps the class, not the status).
_STATUS: tuple[tuple[type[AiogramError], int], ...] = (
    (TelegramRetryAfter, 429),
    (RestartingTelegram, 503),
    (TelegramServerError, 500),
    (TelegramNetworkError, 503),
    (TelegramBadRequest, 400),
    (TelegramUnauthorizedError, 401),
    (TelegramForbiddenError, 403),
    (TelegramNotFound, 404),
    (TelegramConflictError, 409),
    (TelegramEntityTooLarge, 413),
)


TOKEN_SHOWN = "<TELEGRAM_BOT_TOKEN>"


class RedactToken(logging.Filter):
    """Hides the bot token in log records: Bot API URLs carry it (``/bot<token>/sendMessage``) and
    httpx logs every request URL at INFO."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, TOKEN_SHOWN), ()
        return True


class HttpxSession(BaseSession):
    """Posts Bot API methods as form data (like aiogram's aiohttp session) with ``client``."""

    def __init__(self, client: httpx.AsyncClient, api: TelegramAPIServer, timeout: float = 30.0) -> None:
        super().__init__(api=api, timeout=timeout)
        self.client = client

    def form(self, bot: Bot, method: TelegramMethod[Any]) -> dict[str, str]:
        """The method's fields as Telegram reads them: nested objects as JSON strings, no empty ones."""
        files: dict[str, Any] = {}
        fields = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                fields[key] = str(prepared)
        if files:
            raise TelegramBadRequest(method, "this session does not upload files")
        return fields

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            response = await self.client.post(
                url, data=self.form(bot, method), timeout=self.timeout if timeout is None else timeout
            )
        except httpx.HTTPError as exc:
            detail = str(exc).replace(bot.token, TOKEN_SHOWN)  # the token is part of every URL
            raise TelegramNetworkError(method, f"{type(exc).__name__}: {detail}") from exc
        answer = self.check_response(bot, method, response.status_code, response.text)
        return cast(TelegramType, answer.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        async with self.client.stream("GET", url, headers=headers, timeout=timeout) as response:
            if raise_for_status:
                response.raise_for_status()
            async for chunk in response.aiter_bytes(chunk_size):
                yield chunk

    async def close(self) -> None:
        """Nothing to close: the shared client belongs to the app."""


def delivery_error(exc: AiogramError) -> DeliveryError:
    """The one mapping from a failed Bot API call to :class:`DeliveryError`.

    429 carries Telegram's ``retry_after``; 5xx, network and undecodable answers are retried;
    400/401/403/404 (bad request, wrong token, user blocked the bot or never started it) are not.
    """
    status = next((code for cls, code in _STATUS if isinstance(exc, cls)), None)
    detail = exc.message if isinstance(exc, TelegramAPIError) else str(exc)
    if status is None:
        status = 502  # an answer aiogram could not read: the server misbehaved, try again later
    retry_after = float(exc.retry_after) if isinstance(exc, TelegramRetryAfter) else None
    return status_error("telegram", status, detail, retry_after)

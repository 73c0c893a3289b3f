"""The Bot API: one JSON POST per call on a kept-alive connection (:mod:`adapters.poster`), errors
mapped once.

aiogram builds a pydantic method object per call, dumps it field by field into a form, and validates
the answer into aiogram types through ``Response[T]``, a generic model pydantic caches only weakly,
so every garbage collection that frees it makes the next call rebuild it (milliseconds). Here a call
is a method name and its parameters as JSON values (:class:`Call`): the body is serialised once,
each method's URL is built once, and csatbot reads only the fields it needs from the answer
(``ok``, ``result``, ``error_code``, ``description``, ``parameters.retry_after``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters import strict_json
from adapters.http import status_error
from adapters.poster import Poster, PostFailed

CHANNEL = "telegram"
PRODUCTION = "https://api.telegram.org"
TOKEN_SHOWN = "<TELEGRAM_BOT_TOKEN>"
JSON_BODY = {"content-type": "application/json"}
_KNOWN_STATUS = frozenset({400, 401, 403, 404, 409, 413, 429})
"""Statuses the Bot API answers with a meaning of their own; any other failure (5xx aside) means the
server misbehaved, and is retried as a 502."""


def json_body(params: Mapping[str, Any]) -> bytes:
    """``params`` as compact UTF-8 JSON. A lone surrogate can only be one Telegram sent (a callback
    query id written ``"\\ud800"``), which UTF-8 cannot encode: such a body is written in ASCII
    escapes, as Telegram wrote it (it was a UnicodeEncodeError: a 500 on the webhook, redelivered,
    and a failed turn for a tap in a team group)."""
    text = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return json.dumps(params, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class Call:
    """One Bot API method call: its name and parameters as JSON values (``None`` ones left out)."""

    method: str
    params: Mapping[str, Any]

    @classmethod
    def of(cls, method: str, **params: Any) -> Call:
        return cls(method, {key: value for key, value in params.items() if value is not None})

    @property
    def chat(self) -> str | None:
        """The chat the call writes into (rate limited), ``None`` for calls that write into none."""
        chat_id = self.params.get("chat_id")
        return None if chat_id is None else str(chat_id)


def send_message(chat_id: int | str, text: str, reply_markup: Mapping[str, Any] | None = None) -> Call:
    return Call.of("sendMessage", chat_id=chat_id, text=text, reply_markup=reply_markup)


class RedactToken(logging.Filter):
    """Hides the bot token in log records: Bot API URLs carry it (``/bot<token>/sendMessage``)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, TOKEN_SHOWN), ()
        return True


class BotApi:
    """Calls the Bot API at ``base`` (a local Bot API server, a fake) as the bot with ``token``."""

    def __init__(self, poster: Poster, token: str, base: str = PRODUCTION, timeout: float = 30.0):
        self.poster = poster
        self.timeout = timeout
        self._token = token
        self._root = f"{base.rstrip('/')}/bot{token}/"
        self._urls: dict[str, str] = {}

    def url(self, method: str) -> str:
        url = self._urls.get(method)
        if url is None:
            url = self._urls[method] = self._root + method
        return url

    async def call(self, call: Call, timeout: float | None = None) -> Any:
        """``call``'s ``result`` (JSON values); any failure as :class:`DeliveryError` (:func:`result_of`)."""
        body = json_body(call.params)
        limit = self.timeout if timeout is None else timeout
        try:
            answer = await self.poster.post(self.url(call.method), body, JSON_BODY, limit)
        except PostFailed as exc:
            detail = str(exc).replace(self._token, TOKEN_SHOWN)  # the token is part of every URL
            raise status_error(CHANNEL, 503, detail) from exc
        return result_of(answer.status, answer.body)

    async def aclose(self) -> None:
        await self.poster.aclose()


def result_of(status: int, content: bytes) -> Any:
    """The ``result`` of a Bot API answer; a failed call mapped to :class:`~bot.errors.DeliveryError`
    (the one mapping).

    429 (or any answer with ``parameters.retry_after``) carries Telegram's ``retry_after``; 5xx and
    answers that are not the Bot API's are retried; 400/401/403/404 (bad request, wrong token, user
    blocked the bot or never started it) are not, and a block also says the customer is unreachable.
    ``"ok": false`` in a 2xx answer is read by its ``error_code``.
    """
    answer = strict_json.read_object(content)
    if answer is None or not isinstance(answer.get("ok"), bool):
        shown = content[:200].decode(errors="replace") or "no body"
        raise status_error(CHANNEL, 502, f"not a Bot API answer (HTTP {status}): {shown}")
    if answer["ok"] and 200 <= status < 300:
        return answer.get("result")
    description = str(answer.get("description") or f"error {answer.get('error_code')}")
    parameters = answer.get("parameters")
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if isinstance(retry_after, int | float) and retry_after > 0:
        raise status_error(CHANNEL, 429, description, float(retry_after))
    code = answer.get("error_code")
    if 200 <= status < 300 and type(code) is int and code in _KNOWN_STATUS:
        # "ok": false in a 200 (a proxy, a local Bot API server): the body says how it failed.
        description, status = f"{description} (answered with HTTP {status})", code
    known = status in _KNOWN_STATUS or status >= 500
    error = status_error(CHANNEL, status if known else 502, description)
    if status == 403 and "blocked by the user" in description:
        error.unreachable = "blocked"  # the block notice (my_chat_member) may not have come
    raise error


def message_id(result: Any) -> int:
    """The ``message_id`` of a sent or edited message in a call's result."""
    found = result.get("message_id") if isinstance(result, dict) else None
    if not isinstance(found, int):
        raise status_error(CHANNEL, 502, f"an answer without a message_id: {str(result)[:200]}")
    return found

"""A fake Telegram Bot API (for tests and local try-outs): behaves like the real one on 127.0.0.1.

:class:`FakeBotApi` answers ``POST /bot<token>/<method>`` with form or JSON parameters, replies
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...}`` and
keeps the chats' messages, applying edits, the way Telegram's servers do.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse, Response

from adapters.telegram import callback
from adapters.telegram.render import utf16_len
from adapters.testing import Recorded

TOKEN = "123456:TEST-TOKEN-not-real"
JSON_PARAMS = frozenset({"reply_markup", "allowed_updates", "entities", "link_preview_options"})
"""Parameters the Bot API takes as JSON-serialised strings in form data."""
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Fake", "username": "fake_csat_bot"}


@dataclass(frozen=True)
class Call:
    """A Bot API call the fake received: method name and parameters (nested objects decoded)."""

    method: str
    params: dict[str, Any]


class FakeBotApi:
    """The Bot API's behaviour for one bot token; a :data:`adapters.testing.Handler`.

    ``fail(method, code, description, retry_after=...)`` makes the next call of ``method`` fail the
    way Telegram does (e.g. 429 with ``parameters.retry_after``); ``blocked`` holds chat ids whose
    user blocked the bot (403).
    """

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] = {}
        self.blocked: set[int] = set()
        self.answered: list[dict[str, Any]] = []
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._sent_markup: dict[tuple[int, int], dict[str, Any]] = {}
        self._failures: list[tuple[str, int, str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._ids = itertools.count(101)
        self._lock = threading.RLock()

    def __call__(self, request: Recorded) -> Response:
        prefix = f"/bot{self.token}/"
        if not request.path.startswith("/bot"):
            return _error(404, "Not Found")
        if not request.path.startswith(prefix):
            return _error(401, "Unauthorized")
        method = request.path[len(prefix) :]
        try:
            params = _params(request)
        except ValueError:
            return _error(400, "Bad Request: can't parse request parameters")
        return self.perform(method, params)

    def perform(self, method: str, params: dict[str, Any]) -> Response:
        """Carry out one call (also used for methods returned in a webhook reply)."""
        with self._lock:
            self.calls.append(Call(method, params))
            for i, (name, code, description, extra) in enumerate(self._failures):
                if name.lower() == method.lower():
                    del self._failures[i]
                    return _error(code, description, extra)
            handler = getattr(self, f"_{method.lower()}", None)
            if handler is None:
                return _error(404, "Not Found")
            try:
                return JSONResponse({"ok": True, "result": handler(params)})
            except _ApiError as exc:
                return _error(exc.code, exc.description)

    def fail(self, method: str, code: int, description: str, *, retry_after: int | None = None) -> None:
        """The next ``method`` call fails with ``code`` (429: with ``parameters.retry_after``)."""
        extra = {"parameters": {"retry_after": retry_after}} if retry_after is not None else {}
        with self._lock:
            self._failures.append((method, code, description, extra))

    def queue_update(self, update: dict[str, Any]) -> None:
        """Hold ``update`` for ``getUpdates`` (long polling)."""
        with self._lock:
            self._updates.append(update)

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they look now (edits applied), oldest first."""
        with self._lock:
            return [dict(m) for (chat, _id), m in sorted(self._messages.items()) if chat == chat_id]

    def sent_markup(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The keyboard a message was sent with (still there after an edit removed it)."""
        with self._lock:
            return self._sent_markup.get((chat_id, message_id))

    def called(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every ``method`` call so far."""
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    # -- methods ---------------------------------------------------------------------------------

    def _getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return dict(BOT_USER)

    def _sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id(params)
        if chat_id in self.blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        text = _text(params)
        markup = _markup(params)
        message: dict[str, Any] = {
            "from": dict(BOT_USER),
            "chat": _chat(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        key = (chat_id, next(self._ids))
        message["message_id"] = key[1]
        if markup is not None:
            message["reply_markup"] = markup
            self._sent_markup[key] = markup
        self._messages[key] = message
        return message

    def _editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params, _text(params))

    def _editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params, None)

    def _edit(self, params: dict[str, Any], text: str | None) -> dict[str, Any]:
        key = (_chat_id(params), int(params.get("message_id", 0)))
        message = self._messages.get(key)
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        markup = _markup(params)
        if (text is None or text == message["text"]) and markup == message.get("reply_markup"):
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        message = {k: v for k, v in message.items() if k != "reply_markup"}
        message["text"] = message["text"] if text is None else text
        message["edit_date"] = int(time.time())
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[key] = message
        return message

    def _answercallbackquery(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise _ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.answered.append(params)
        return True

    def _setwebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    def _deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    def _getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset", 0))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return list(self._updates[:100])


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        self.code = code
        self.description = description


def _error(code: int, description: str, extra: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": code, "description": description, **(extra or {})}, code)


def _params(request: Recorded) -> dict[str, Any]:
    """Parameters as the Bot API reads them: query string, form or JSON body."""
    params: dict[str, Any] = dict(request.query)
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        params.update(json.loads(request.body or b"{}"))
    elif request.body:
        params.update(parse_qsl(request.body.decode(), keep_blank_values=True, strict_parsing=True))
    for name in JSON_PARAMS & params.keys():
        if isinstance(params[name], str):
            params[name] = json.loads(params[name])
    return params


def _chat(chat_id: int) -> dict[str, Any]:
    """The chat a message is in: negative ids are groups (support teams' groups in the tests)."""
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": f"group{-chat_id}"}
    return {"id": chat_id, "type": "private", "first_name": f"user{chat_id}"}


def _chat_id(params: dict[str, Any]) -> int:
    try:
        return int(params["chat_id"])
    except (KeyError, ValueError):
        raise _ApiError(400, "Bad Request: chat not found") from None


def _text(params: dict[str, Any]) -> str:
    text = str(params.get("text", ""))
    if not text.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > 4096:
        raise _ApiError(400, "Bad Request: message is too long")
    return text


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    for row in markup.get("inline_keyboard", []):
        for key in row:
            if not 1 <= len(str(key.get("callback_data", "")).encode()) <= callback.MAX_BYTES:
                raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return dict(markup)

"""The WeChat / WeCom HTTP API over the app's ``httpx.AsyncClient``: access token and JSON calls.

wechatpy's client is synchronous and its token fetch ignores ``API_BASE_URL`` and retries 40001
without limit (channels.md 3.6), so the calls are made here: the token is fetched from
``<api_base>/cgi-bin/token`` (OA) or ``/cgi-bin/gettoken`` (WeCom), cached until shortly before it
expires, and refreshed once when a call says it is invalid or expired. Every failure becomes a
:class:`DeliveryError` in :func:`api_error` (errcodes) or :func:`adapters.http.status_error` (HTTP).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from adapters import strict_json
from adapters.http import retry_after_seconds, status_error
from bot.errors import DeliveryError

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
"""invalid credential / invalid access_token / access_token expired: fetch a new token, retry once."""

_TRANSIENT: dict[int, tuple[str, float | None]] = {
    -1: ("system busy", None),
    45009: ("daily API quota reached", 3600.0),
    45011: ("API called too often", 60.0),
    45033: ("too many concurrent calls", 5.0),
}
_PERMANENT: dict[int, str] = {
    45015: "the 48-hour customer-service window has closed (response out of time limit)",
    45047: "the customer-service message quota for this window is used up (out of response count limit)",
    43004: "the user does not follow the account",
    40003: "invalid OpenID / user id",
    81013: "the user is not in the app's visible range",
}
UNFOLLOWED = 43004
"""The user does not follow the account (they unsubscribed)."""
_REFRESH_MARGIN = 300.0
TOKEN_LIFETIME = 7200.0
"""Seconds an access token lasts (``expires_in``); a longer or odd one is read as this."""


def api_error(channel: str, errcode: int, errmsg: str, *, fetching_token: bool = False) -> DeliveryError:
    """The typed error for a non-zero ``errcode``: busy and quota codes are retried, others are not.

    ``fetching_token``: the token endpoint refused; anything but busy or quota means the app id,
    corp id or secret is wrong, which retrying cannot fix.
    """
    detail = f"{channel}: errcode {errcode} ({errmsg})"
    if errcode in _TRANSIENT:
        meaning, retry_after = _TRANSIENT[errcode]
        return DeliveryError(f"{detail}: {meaning}", retry_after=retry_after)
    if fetching_token:
        return DeliveryError(f"{detail}: no access token (check the app id and secret)", permanent=True)
    if errcode in TOKEN_ERRORS:
        return DeliveryError(f"{detail}: the access token was refused again after a refresh")
    meaning = _PERMANENT.get(errcode, "refused")
    gone = "unsubscribed" if errcode == UNFOLLOWED else ""  # the unsubscribe event may not have come
    return DeliveryError(f"{detail}: {meaning}", permanent=True, unreachable=gone)


@dataclass(frozen=True)
class TokenSource:
    """Where the access token comes from: ``GET <path>?<params>``."""

    path: str
    params: Mapping[str, str]


class WeChatApi:
    """Authenticated JSON calls to ``base`` (e.g. ``https://api.weixin.qq.com``)."""

    def __init__(
        self,
        channel: str,
        http: httpx.AsyncClient,
        base: str,
        token: TokenSource,
        *,
        timeout: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.channel = channel
        self.http = http
        self.base = base
        self.token_source = token
        self.timeout = timeout
        self._monotonic = monotonic
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def post(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST ``body`` as UTF-8 JSON to ``path`` with the access token; the answer on errcode 0."""
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        token = await self.access_token()
        answer = await self._post(path, token, content)
        if _errcode(answer) in TOKEN_ERRORS:
            self._forget(token)
            answer = await self._post(path, await self.access_token(), content)
        errcode = _errcode(answer)
        if errcode != 0:
            raise api_error(self.channel, errcode, str(answer.get("errmsg", "")))
        return answer

    async def _post(self, path: str, token: str, content: bytes) -> dict[str, Any]:
        return await self._call(
            "POST",
            path,
            params={"access_token": token},
            content=content,
            headers={"content-type": "application/json; charset=utf-8"},
        )

    async def access_token(self) -> str:
        """The cached token, fetched anew when missing or about to expire (one fetch at a time)."""
        async with self._lock:
            if self._token is None or self._monotonic() >= self._expires:
                params = dict(self.token_source.params)
                answer = await self._call("GET", self.token_source.path, params=params)
                errcode = _errcode(answer)
                token = answer.get("access_token")
                if errcode != 0 or not isinstance(token, str) or not token:
                    errmsg = str(answer.get("errmsg", "no access_token"))
                    raise api_error(self.channel, errcode or -1, errmsg, fetching_token=True)
                lifetime = answer.get("expires_in")  # 7200 (400 digits overflowed float())
                seconds = TOKEN_LIFETIME
                if isinstance(lifetime, int | float) and 0 < lifetime < TOKEN_LIFETIME:
                    seconds = float(lifetime)
                self._token = token
                self._expires = self._monotonic() + max(seconds - _REFRESH_MARGIN, seconds / 2)
            return self._token

    def _forget(self, token: str) -> None:
        if self._token == token:  # another call may have refreshed it already
            self._token = None

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self.http.request(method, self.base + path, timeout=self.timeout, **kwargs)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{self.channel}: {path} unreachable: {exc!r}") from exc
        if not response.is_success:
            retry_after = retry_after_seconds(response.headers.get("retry-after"))
            raise status_error(self.channel, response.status_code, response.text[:200], retry_after)
        answer = strict_json.read_object(response.content)
        if answer is None:
            raise DeliveryError(f"{self.channel}: {path} answered something that is not a JSON object")
        return answer


def _errcode(answer: Mapping[str, Any]) -> int:
    """The answer's ``errcode`` (none: 0); written as a string it is still read ("0" read as -1,
    "system busy", sent a delivered message again); anything else is -1."""
    code = answer.get("errcode", 0)
    if isinstance(code, str) and code.isascii() and code.removeprefix("-").isdigit() and len(code) < 12:
        return int(code)
    return code if type(code) is int else -1

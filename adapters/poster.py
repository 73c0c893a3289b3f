"""POSTs of prepared bodies on one kept-alive aiohttp session: the cheapest client for a hot path.

A POST costs about 0.65 ms of CPU through ``httpx.AsyncClient`` and 0.15 ms through aiohttp on
the same kept-alive connection (``bench/sdk_calls.py``), and a survey turn makes one or two.
aiohttp is aiogram's own transport, so a Telegram deployment has it already; only adapters on the
hot path import this module. Like the app's httpx client it reads proxies from the environment
(``HTTPS_PROXY``, ``NO_PROXY``: once per origin, where aiohttp's ``trust_env`` would read them and
``~/.netrc`` in a worker thread on every request) and trusts certifi's certificates.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
import certifi
from aiohttp.helpers import get_env_proxy_for_url
from yarl import URL

Proxy = tuple[URL | None, aiohttp.BasicAuth | None]
log = logging.getLogger("csatbot.poster")
"""Each request at DEBUG, as httpx logs its own (URLs may hold secrets: bot.redaction scrubs them)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server answered: status, headers (names in lower case) and the whole body."""

    status: int
    headers: Mapping[str, str]
    """Case-insensitive."""
    body: bytes


class PostFailed(Exception):
    """No answer: the connection failed or the time ran out (``str`` says which; aiohttp names the
    URL in some of its errors, so a caller whose URLs hold a secret redacts it). ``maybe_sent``:
    the request may have reached the server (it failed after the connection was made)."""

    def __init__(self, detail: str, *, maybe_sent: bool) -> None:
        super().__init__(detail)
        self.maybe_sent = maybe_sent


NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError, aiohttp.InvalidURL)
"""Failures before the request left: the server cannot have it."""


class Poster:
    """POSTs with one ``aiohttp.ClientSession`` per event loop, made on first use; :meth:`aclose`
    closes it (an adapter's ``stop``)."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._proxies: dict[str, Proxy] = {}

    def _current(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._loop is not loop or self._session.closed:
            connector = aiohttp.TCPConnector(ssl=_tls())
            self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
            self._loop = loop
        return self._session

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float | None = None
    ) -> Answer:
        """POST ``body``; the answer whatever its status, or :class:`PostFailed` when none came."""
        seconds = self.timeout if timeout is None else timeout
        limit = aiohttp.ClientTimeout(total=seconds)
        proxy, proxy_auth = self._proxy(url)
        session = self._current()
        try:
            async with session.post(
                url, data=body, headers=headers, timeout=limit, proxy=proxy, proxy_auth=proxy_auth
            ) as response:
                answer = Answer(response.status, response.headers, await response.read())
        except (aiohttp.ClientError, TimeoutError) as exc:
            detail = f"{type(exc).__name__}: {exc or 'no answer in time'}"
            raise PostFailed(detail, maybe_sent=not isinstance(exc, NOT_SENT)) from exc
        if log.isEnabledFor(logging.DEBUG):
            log.debug('HTTP Request: POST %s "%d %s"', url, answer.status, response.reason or "")
        return answer

    def _proxy(self, url: str) -> Proxy:
        """The proxy the environment names for ``url``'s origin (``None``: connect directly)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        found = self._proxies.get(origin)
        if found is None:
            try:
                found = get_env_proxy_for_url(URL(origin))
            except LookupError:
                found = (None, None)
            self._proxies[origin] = found
        return found

    async def aclose(self) -> None:
        if self._session is not None and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = self._loop = None


@functools.cache
def _tls() -> ssl.SSLContext:
    """certifi's certificates, loaded once (tens of milliseconds) for every session."""
    return ssl.create_default_context(cafile=certifi.where())

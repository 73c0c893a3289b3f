"""Posting a notification to a webhook URL, and keeping those URLs out of the logs.

Slack, WeCom and Feishu webhook URLs are credentials: anyone holding one can post to the group.
httpx logs every request URL at INFO, so :class:`RedactUrls` replaces each URL csatbot posts to with
the target's name, and errors never quote a URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx

from bot.errors import DeliveryError

ErrorCheck = Callable[[httpx.Response], DeliveryError | None]
"""A platform's answer mapped to the typed error it stands for (``None``: delivered)."""
REDACTED_LOGGERS = ("httpx",)


class RedactUrls(logging.Filter):
    """Replaces known webhook URLs in log records with ``<notifications.targets.NAME>``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: dict[str, str] = {}

    def add(self, url: str, target: str) -> None:
        self.urls[url] = f"<notifications.targets.{target}>"

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        found = [url for url in self.urls if url in message]
        if found:
            for url in found:
                message = message.replace(url, self.urls[url])
            record.msg, record.args = message, ()
        return True

    def install(self) -> None:
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).addFilter(self)

    def remove(self) -> None:
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).removeFilter(self)


async def post(
    client: httpx.AsyncClient,
    target: str,
    url: str,
    body: bytes,
    check: ErrorCheck,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> httpx.Response:
    """POST ``body`` (JSON) to ``url``; raise what ``check`` makes of a failed answer."""
    try:
        response = await client.post(
            url,
            content=body,
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        # The exception's text may quote the URL: name the target and the kind of failure only.
        raise DeliveryError(f"{target}: could not reach the webhook ({type(exc).__name__})") from exc
    error = check(response)
    if error is not None:
        raise error
    return response

"""Outgoing JSON webhooks (escalated tickets to a team's URL), with HTTP errors mapped in one place."""

from __future__ import annotations

from typing import Any

import httpx

from bot.errors import DeliveryError


def delivery_error(response: httpx.Response) -> DeliveryError:
    """The typed error for a non-2xx answer: 408/429/5xx are retried, other 4xx are permanent."""
    status = response.status_code
    retry_after: float | None = None
    header = response.headers.get("retry-after", "")
    if header.isascii() and header.isdigit():  # "²" is a digit to isdigit(), not to float()
        retry_after = float(header)
    retriable = status in (408, 425, 429) or status >= 500
    return DeliveryError(f"webhook answered HTTP {status}", retry_after=retry_after, permanent=not retriable)


class HttpWebhookPoster:
    """Posts JSON with a shared ``httpx.AsyncClient``."""

    def __init__(self, client: httpx.AsyncClient, timeout: float = 10.0) -> None:
        self.client = client
        self.timeout = timeout

    async def post_json(self, url: str, document: dict[str, Any]) -> None:
        try:
            response = await self.client.post(url, json=document, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {url} unreachable: {exc!r}") from exc
        if not response.is_success:
            raise delivery_error(response)

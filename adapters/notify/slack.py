"""Slack incoming webhooks: a notice as ``text`` (the fallback and push text) plus Block Kit blocks.

Slack answers 200 ``ok``; errors are plain-text codes with an HTTP status: 400 ``invalid_payload``,
403 ``action_prohibited``, 404 ``channel_not_found`` / ``no_service``, 410 ``channel_is_archived``
(all permanent), 429 with ``Retry-After``, and 500 ``rollup_error`` (retried).
"""

from __future__ import annotations

from typing import Any

import httpx

from adapters.http import retry_after_seconds, status_error
from adapters.notify.text import cut, facts, is_web_link, link_label, local_time, title
from bot.errors import DeliveryError
from bot.notifications import Notice

HEADER_CHARS = 150
FIELD_CHARS = 2000
MAX_FIELDS = 10


def escape(text: str) -> str:
    """Slack's mrkdwn escaping: only ``&``, ``<`` and ``>`` are special."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(notice: Notice, locale: str) -> dict[str, Any]:
    """The incoming-webhook JSON for ``notice``."""
    head = title(notice, locale)
    fields = [
        {"type": "mrkdwn", "text": cut(f"*{escape(label)}*\n{escape(value)}", FIELD_CHARS)}
        for label, value in facts(notice, locale)
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(head, HEADER_CHARS), "emoji": True}},
        {"type": "section", "fields": fields[:MAX_FIELDS]},
    ]
    if is_web_link(notice.link):
        label = escape(link_label(notice, locale))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"<{notice.link}|{label}>"}})
    context = escape(f"{notice.event} · {local_time(notice.at, notice.timezone)}")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    return {"text": f"{head} {notice.link}", "blocks": blocks}


def delivery_error(response: httpx.Response) -> DeliveryError | None:
    """Slack's answer as a typed error; ``None`` when the message was posted."""
    if response.is_success:
        return None
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    return status_error("slack", response.status_code, response.text.strip()[:200], retry_after)

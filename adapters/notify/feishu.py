"""Feishu (飞书) custom bots: ``POST .../open-apis/bot/v2/hook/<id>`` with an interactive card.

With signature verification on, the body carries ``timestamp`` (seconds, within an hour of
Feishu's clock) and ``sign`` = base64(HMAC-SHA256(key = f"{timestamp}\\n{secret}", message = b"")).
Feishu answers ``{"code": 0, "msg": "success"}``; 11232 (and 9499 "too many request") are its rate
limit (retried); 9499 "Bad Request", 19021 (bad signature or clock), 19022 (IP not allowed) and
19024 (keyword missing) are permanent. A body may be at most 20 KB.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import httpx

from adapters import strict_json
from adapters.http import retry_after_seconds, status_error
from adapters.notify.text import facts, is_web_link, link_label, local_time, no_tags, title
from bot.errors import DeliveryError
from bot.notifications import Notice

RATE_LIMITED = 11232
BAD_REQUEST = 9499
COLOURS = {"sla.breached": "red", "ticket.opened": "orange", "ticket.resolved": "green"}


def sign(timestamp: int, secret: str) -> str:
    """Feishu's signature of a request made at ``timestamp`` (Unix seconds)."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def render(notice: Notice, locale: str, *, secret: str | None = None, timestamp: int = 0) -> dict[str, Any]:
    """The card message for ``notice``, signed when the bot has a ``secret``."""
    elements: list[dict[str, Any]] = [
        {
            "tag": "div",
            "fields": [
                {"is_short": True, "text": {"tag": "lark_md", "content": f"**{label}**\n{no_tags(value)}"}}
                for label, value in facts(notice, locale)
            ],
        },
    ]
    if is_web_link(notice.link):
        button = {
            "tag": "button",
            "text": {"tag": "plain_text", "content": link_label(notice, locale)},
            "type": "primary",
            "url": notice.link,
        }
        elements.append({"tag": "action", "actions": [button]})
    moment = f"{notice.event} · {local_time(notice.at, notice.timezone)}"
    elements.append({"tag": "note", "elements": [{"tag": "plain_text", "content": moment}]})
    card = {
        "config": {"wide_screen_mode": True},
        "header": {
            "title": {"tag": "plain_text", "content": title(notice, locale)},
            "template": COLOURS.get(notice.event, "blue"),
        },
        "elements": elements,
    }
    return signed({"msg_type": "interactive", "card": card}, secret, timestamp)


def signed(message: dict[str, Any], secret: str | None, timestamp: int) -> dict[str, Any]:
    """``message`` with the request's signature when the bot has a ``secret``."""
    if secret:
        return {"timestamp": str(timestamp), "sign": sign(timestamp, secret), **message}
    return message


def delivery_error(response: httpx.Response) -> DeliveryError | None:
    """Feishu's answer as a typed error; ``None`` when the message was posted."""
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    try:
        data = strict_json.read_object(response.content)  # None: not an object, too deep...
        if data is None:
            raise ValueError("not a JSON object")
        code = int(data.get("code", data.get("StatusCode", 0)))
        text = str(data.get("msg", data.get("StatusMessage", "")))[:200]
    except (ValueError, TypeError, AttributeError):
        if response.is_success:
            return DeliveryError("feishu: the answer is not Feishu's JSON")
        return status_error("feishu", response.status_code, response.text[:200], retry_after)
    if code == 0:
        return (
            None if response.is_success else status_error("feishu", response.status_code, text, retry_after)
        )
    message = f"feishu: code {code}: {text}"
    limited = code == RATE_LIMITED or (code == BAD_REQUEST and "too many" in text.lower())
    if limited or response.status_code == 429:
        return DeliveryError(message, retry_after=retry_after)
    return DeliveryError(message, permanent=response.status_code < 500)

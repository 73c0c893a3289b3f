"""WeCom (企业微信) group robots: ``POST .../cgi-bin/webhook/send?key=KEY`` with a markdown message.

The content is at most 4096 bytes of UTF-8. WeCom answers HTTP 200 with ``errcode``: 0 is sent,
45009 is the robot's 20-per-minute limit (retried after a minute), -1 is "system busy" (retried);
anything else (93000 invalid webhook key, 40058 content too long, ...) cannot be fixed by retrying.
"""

from __future__ import annotations

from typing import Any

import httpx

from adapters import strict_json
from adapters.http import status_error
from adapters.notify.text import cut_bytes, facts, is_web_link, link_label, no_tags, title
from bot.errors import DeliveryError
from bot.notifications import Notice

MAX_BYTES = 4096
RATE_LIMITED = 45009
BUSY = -1
RATE_WINDOW = 60.0


def render(notice: Notice, locale: str) -> dict[str, Any]:
    """The robot's markdown message for ``notice``, cut to fit 4096 bytes (the link always kept)."""
    lines = [f"### {title(notice, locale)}"]
    lines += [
        f'> {label}: <font color="comment">{no_tags(value)}</font>' for label, value in facts(notice, locale)
    ]
    link = f"[{link_label(notice, locale)}]({notice.link})" if is_web_link(notice.link) else notice.link
    body = cut_bytes("\n".join(lines), MAX_BYTES - len(link.encode()) - 1)
    return {"msgtype": "markdown", "markdown": {"content": f"{body}\n{link}"}}


def delivery_error(response: httpx.Response) -> DeliveryError | None:
    """WeCom's answer as a typed error; ``None`` when the message was posted."""
    if not response.is_success:
        return status_error("wecom_robot", response.status_code, response.text[:200])
    try:
        data = strict_json.read_object(response.content)  # None: not an object, too deep...
        if data is None:
            raise ValueError("not a JSON object")
        code = int(data.get("errcode", 0))
    except (ValueError, TypeError, AttributeError):
        return DeliveryError("wecom_robot: the answer is not WeCom's JSON", retry_after=None)
    if code == 0:
        return None
    message = f"wecom_robot: errcode {code}: {str(data.get('errmsg', ''))[:200]}"
    if code == RATE_LIMITED:
        return DeliveryError(message, retry_after=RATE_WINDOW)
    return DeliveryError(message, permanent=code != BUSY)

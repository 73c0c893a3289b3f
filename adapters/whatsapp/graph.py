"""The Graph API ``/{phone-number-id}/messages`` endpoint, and its errors mapped in ONE place.

:func:`graph_error` turns a Graph error code (from an HTTP answer or a ``failed`` status webhook)
into a :class:`DeliveryError`: rate limits and Meta's outages are retried with backoff, everything
retrying cannot fix (outside the 24-hour window, undeliverable, bad token) is permanent.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from adapters import strict_json
from adapters.http import retry_after_seconds, status_error, transport_error
from adapters.poster import Answer, Poster, PostFailed
from bot.errors import DeliveryError

log = logging.getLogger("csatbot.whatsapp")

CHANNEL = "whatsapp"

# Error codes retrying later can fix: throughput and pair-rate limits, Meta's temporary outages.
_TRANSIENT: dict[int, str] = {
    1: "Graph API unknown error",
    2: "Graph API service temporarily unavailable",
    4: "app-level API call limit reached",
    80007: "WhatsApp Business Account rate limit reached",
    130429: "throughput limit of the phone number reached (about 80 messages/s)",
    131000: "something went wrong at WhatsApp",
    131016: "WhatsApp service temporarily unavailable",
    131048: "spam rate limit: the number's quality rating restricts how many messages it may send",
    131056: "pair rate limit: too many messages to this user in a short time (about 1 per 6 s)",
    133004: "WhatsApp server temporarily unavailable",
}
# Error codes that need a person, not a retry; the text says what to do.
_PERMANENT: dict[int, str] = {
    190: "the access token has expired or is invalid: set a new WHATSAPP_TOKEN and restart",
    10: "the access token lacks the permission (whatsapp_business_messaging) for this number",
    131047: "outside the 24-hour customer-service window: only an approved template can reach this user",
    131026: "undeliverable: the number may not use WhatsApp, or must accept new terms or update the app",
    131021: "the recipient is the sender's own number",
    131030: "the recipient is not in the allowed list of this test number",
    131031: "the WhatsApp Business Account is locked",
    131051: "unsupported message type",
    131062: "this message cannot go to a business-scoped user id (the customer hides their number)",
    131009: "a parameter value is not valid (a title or id over WhatsApp's limits?)",
    132000: "the template's parameter count does not match its definition",
    132001: "the template does not exist in this language (check channels.whatsapp.template)",
    132015: "the template is paused for low quality",
    132016: "the template is disabled",
    130472: "the user's number is part of a WhatsApp experiment",
}


def graph_error(
    code: int | None, title: str, status: int | None = None, retry_after: float | None = None
) -> DeliveryError:
    """The :class:`DeliveryError` for Graph error ``code``.

    ``status`` is the HTTP status when the error came as an answer to a request; it decides for codes
    not listed here. Without it (a ``failed`` status webhook) an unknown code is permanent.
    """
    what = f"{CHANNEL}: error {code} ({title})" if code is not None else f"{CHANNEL}: {title}"
    if code in _TRANSIENT:
        return DeliveryError(f"{what}: {_TRANSIENT[code]}", retry_after=retry_after)
    if code in _PERMANENT:
        return DeliveryError(f"{what}: {_PERMANENT[code]}", permanent=True)
    if status is None:
        return DeliveryError(what, permanent=True)
    detail = f"error {code} ({title})" if code is not None else title
    return status_error(CHANNEL, status, detail, retry_after)


def response_error(response: Answer) -> DeliveryError:
    """The typed error for a non-2xx Graph answer (JSON ``{"error": {"code", "message", ...}}``)."""
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    error = _json(response.body).get("error")
    if not isinstance(error, dict):
        shown = response.body[:200].decode(errors="replace") or "no body"
        return status_error(CHANNEL, response.status, shown, retry_after)
    code = error.get("code")
    message = str(error.get("message") or error.get("error_user_msg") or "")
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    title = f"{message}: {details}" if details else message
    return graph_error(code if isinstance(code, int) else None, title, response.status, retry_after)


def _json(content: bytes) -> dict[str, Any]:
    return strict_json.read_object(content) or {}


class GraphApi:
    """Posts messages for one WhatsApp Business app (``Authorization: Bearer <token>``) on a
    kept-alive connection (:mod:`adapters.poster`); :meth:`aclose` closes it."""

    def __init__(self, poster: Poster, base: str, token: str, *, timeout: float = 15.0) -> None:
        self.poster = poster
        self.base = base.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.timeout = timeout

    def messages_url(self, phone_number_id: str) -> str:
        return f"{self.base}/{phone_number_id}/messages"

    async def send(self, phone_number_id: str, message: dict[str, Any]) -> str:
        """Post one message; returns its ``wamid`` ("" if the answer names none)."""
        url = self.messages_url(phone_number_id)
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        try:
            response = await self.poster.post(url, body, self._headers, self.timeout)
        except PostFailed as exc:
            raise transport_error(CHANNEL, "Graph API", str(exc), maybe_sent=exc.maybe_sent) from exc
        if not 200 <= response.status < 300:
            raise response_error(response)
        messages = _json(response.body).get("messages")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            return str(messages[0].get("id", ""))
        log.warning("Graph API accepted a message without naming its id: %s", response.body[:200])
        return ""

    async def aclose(self) -> None:
        await self.poster.aclose()

"""The signed JSON webhook for ticketing systems.

The body is the ticket document (``bot.notifications.ticket_document``) as UTF-8 JSON. Headers:

- ``X-Csatbot-Event``: the event (``ticket.opened``, ``sla.breached``, ...);
- ``X-Csatbot-Delivery``: an id that stays the same when a delivery is retried (deduplicate on it);
- ``X-Csatbot-Timestamp``: Unix seconds when this attempt was signed;
- ``X-Csatbot-Signature``: ``sha256=`` + hex HMAC-SHA256 over ``f"{timestamp}.".encode() + body``
  with the target's secret (only when it has ``secret_env``).

A receiver recomputes the HMAC over the raw body bytes, compares in constant time and refuses
timestamps more than 5 minutes away from its clock: :func:`verify_signature` does exactly that.
Any 2xx answer counts as delivered; 408, 425, 429 (``Retry-After`` honoured) and 5xx are retried,
other 4xx are not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from adapters.webhook import delivery_error as http_error
from bot.errors import DeliveryError, SignatureError

EVENT_HEADER = "X-Csatbot-Event"
DELIVERY_HEADER = "X-Csatbot-Delivery"
TIMESTAMP_HEADER = "X-Csatbot-Timestamp"
SIGNATURE_HEADER = "X-Csatbot-Signature"
TOLERANCE = 300.0


def encode(document: dict[str, Any]) -> bytes:
    """The body bytes (compact UTF-8 JSON)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of ``timestamp.body`` with ``secret``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def headers(event: str, delivery_id: int, timestamp: int, body: bytes, secret: str | None) -> dict[str, str]:
    """The request headers of one attempt."""
    found = {EVENT_HEADER: event, DELIVERY_HEADER: str(delivery_id), TIMESTAMP_HEADER: str(timestamp)}
    if secret:
        found[SIGNATURE_HEADER] = signature(secret, timestamp, body)
    return found


def verify_signature(
    secret: str,
    timestamp: str | None,
    given: str | None,
    body: bytes,
    *,
    now: float,
    tolerance: float = TOLERANCE,
) -> None:
    """Raise :class:`SignatureError` unless ``given`` signs ``body`` at a fresh ``timestamp``.

    The recipe a receiver follows (``now`` is its clock, in Unix seconds).
    """
    if not given or not timestamp:
        raise SignatureError(f"missing {SIGNATURE_HEADER} or {TIMESTAMP_HEADER}")
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(now - int(timestamp)) > tolerance:
        raise SignatureError(f"{TIMESTAMP_HEADER} is not within {tolerance:g} s of now (a replay?)")
    if not hmac.compare_digest(given.encode(), signature(secret, int(timestamp), body).encode()):
        raise SignatureError(f"wrong {SIGNATURE_HEADER}")


def delivery_error(response: httpx.Response) -> DeliveryError | None:
    """The receiver's answer as a typed error; ``None`` when it took the delivery (any 2xx)."""
    return None if response.is_success else http_error(response)

"""Deep-link tokens (``t.me/<bot>?start=<token>``) that attach a customer's chat on another channel.

A token is used once and expires after :data:`LINK_TTL`; only its SHA-256 is stored, so a database
dump holds no usable link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from bot.records import KeyedRequest

LINK_TTL = timedelta(hours=24)


def new_link_token() -> str:
    """22 URL-safe characters (128 bits): fits Telegram's ``/start`` payload (1-64 of A-Za-z0-9_-)."""
    return secrets.token_urlsafe(16)


def keyed_link_token(secret: str, request: KeyedRequest, at: datetime) -> str:
    """The token a link asked for with an ``Idempotency-Key`` at ``at`` (when the key first came) gets:
    made from the server's secret, the request and that time, so a repeat answers the same token while
    the database still holds only its digest, and the same key sent again once retention forgot it
    makes another (not the first, used or expired, token live again)."""
    when = at.astimezone(UTC).isoformat()
    asked = f"link\n{request.account}\n{request.key}\n{request.digest}\n{when}"
    mac = hmac.new(
        secret.encode("utf-8", "surrogatepass"), asked.encode("utf-8", "surrogatepass"), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(mac[:16]).rstrip(b"=").decode("ascii")


def link_digest(token: str) -> str:
    """What the database keeps of ``token``."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()

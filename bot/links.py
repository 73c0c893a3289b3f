"""Deep-link tokens (``t.me/<bot>?start=<token>``) that attach a customer's chat on another channel.

A token is used once and expires after :data:`LINK_TTL`; only its SHA-256 is stored, so a database
dump holds no usable link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

LINK_TTL = timedelta(hours=24)


def new_link_token() -> str:
    """22 URL-safe characters (128 bits): fits Telegram's ``/start`` payload (1-64 of A-Za-z0-9_-)."""
    return secrets.token_urlsafe(16)


def link_digest(token: str) -> str:
    """What the database keeps of ``token``."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()

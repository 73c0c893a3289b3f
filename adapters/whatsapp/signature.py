"""``X-Hub-Signature-256``: HMAC-SHA256 of the raw request body with the app secret."""

from __future__ import annotations

import hashlib
import hmac

from bot.errors import SignatureError

HEADER = "X-Hub-Signature-256"


def sign(raw: bytes, app_secret: str) -> str:
    """The header value Meta sends for ``raw``: ``sha256=<hex digest>``."""
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


def verify_signature(raw: bytes, header: str | None, app_secret: str) -> None:
    """Raise :class:`SignatureError` unless ``header`` signs exactly these bytes (constant time).
    The hex digest is read in either case: it is the same HMAC."""
    if not header or not header.startswith("sha256="):
        raise SignatureError(f"whatsapp: {'malformed' if header else 'missing'} {HEADER}")
    given = header.strip().encode("ascii", "replace").lower()
    if not hmac.compare_digest(sign(raw, app_secret).encode(), given):
        raise SignatureError(f"whatsapp: wrong {HEADER}")

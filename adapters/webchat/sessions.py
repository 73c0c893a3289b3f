"""Who a web chat customer is: a session the server issues, never an id the browser picks.

``POST /api/webchat/session`` gives the browser a signed, expiring session (an ``HttpOnly`` cookie,
or for apps a token sent in ``X-Chat-Session``); it names the customer. Anonymous customers get a
random id. A site that knows its users passes ``user_id`` with ``user_hash`` =
HMAC-SHA256(identity secret, user_id) in hex, computed on its server (as Intercom's identity
verification does), so a returning customer gets their history on any device; without the secret
nobody can claim someone else's id. The id is never in a URL, so it is never in an access log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import itsdangerous

COOKIE = "csatbot_chat"
HEADER = "X-Chat-Session"
IDENTITY_ENV = "CSATBOT_WEBCHAT_IDENTITY_SECRET"
ANONYMOUS = "anon-"
TTL = timedelta(days=7)
"""How long a session lasts after it was last (re)issued; the page renews it on every load."""


def identity_hash(secret: str, user_id: str) -> str:
    """What the site's server computes for ``user_id`` (and the chat checks)."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ChatSession:
    user: str
    verified: bool


class ChatSessions:
    """Signs and reads web chat sessions with a key derived from the app's secret key."""

    def __init__(self, secret: str, ttl: timedelta = TTL) -> None:
        key = hmac.new(secret.encode(), b"csatbot web chat session", hashlib.sha256).digest()
        self._serializer = itsdangerous.URLSafeTimedSerializer(key, salt="webchat")
        self.ttl = ttl

    @staticmethod
    def anonymous() -> ChatSession:
        return ChatSession(ANONYMOUS + secrets.token_urlsafe(16), verified=False)

    def issue(self, session: ChatSession) -> str:
        return self._serializer.dumps([session.user, session.verified])

    def read(self, token: str | None) -> ChatSession | None:
        """The session in ``token``; ``None`` when missing, forged or expired."""
        if not token:
            return None
        try:
            user, verified = self._serializer.loads(token, max_age=int(self.ttl.total_seconds()))
        except (itsdangerous.BadData, ValueError, TypeError):
            return None
        if not isinstance(user, str) or not isinstance(verified, bool):
            return None
        return ChatSession(user, verified)

    def expires_at(self, now: datetime) -> datetime:
        return now + self.ttl


def check_identity(secret: str, user_id: str, user_hash: str) -> bool:
    """Whether ``user_hash`` is the site's HMAC of ``user_id`` (constant time)."""
    expected = identity_hash(secret, user_id)
    return hmac.compare_digest(expected.encode(), user_hash.lower().encode("utf-8", "replace"))

"""Support-API requests sent with an ``Idempotency-Key``: the first with a key does the work, a repeat
answers what it made, and the key used for another request is refused."""

from __future__ import annotations

from datetime import datetime

from bot.errors import KeyReusedError
from bot.records import FirstAnswer, KeyedRequest
from bot.repository import Repository


def replayed(repo: Repository, request: KeyedRequest | None, now: datetime) -> FirstAnswer | None:
    """What the first request with ``request``'s key made, when this one repeats it; ``None`` when
    this one is the first (its key is taken in the caller's transaction: do the work, then
    ``repo.answer_request``) or has no key. ``KeyReusedError`` when the key was taken by another
    request."""
    if request is None:
        return None
    first = repo.claim_request(request, now)
    if first is not None and first.digest != request.digest:
        raise KeyReusedError(request.key)
    return first

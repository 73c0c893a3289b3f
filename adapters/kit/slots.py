"""Room for long-lived requests (web chat long polls, the console's live streams): how many each key
(a customer, a client address, a console user) holds open now, so that a limit can refuse the next
one with :class:`Busy` (a 429 with ``Retry-After``) and a key is forgotten when its last one ends.
Counts are per process, like the rate limits.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import CsatbotError


class Busy(CsatbotError):
    """No room for another long-lived request right now (the client should retry after
    ``retry_after`` s)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Slots:
    """Open requests per key; a key with none left is dropped, so nothing stays behind."""

    def __init__(self) -> None:
        self._open: dict[str, int] = {}

    @property
    def total(self) -> int:
        """Requests open now, all keys together."""
        return sum(self._open.values())

    @property
    def keys(self) -> frozenset[str]:
        """Keys holding at least one open request."""
        return frozenset(self._open)

    def count(self, key: str) -> int:
        return self._open.get(key, 0)

    def take(self, key: str, limit: int) -> bool:
        """One more open request for ``key``, unless it holds ``limit`` already (``False``, nothing
        taken)."""
        if self._open.get(key, 0) >= limit:
            return False
        self._open[key] = self._open.get(key, 0) + 1
        return True

    def give_back(self, key: str) -> int:
        """One request of ``key`` ended: how many it still holds."""
        left = self._open.get(key, 0) - 1
        if left > 0:
            self._open[key] = left
        else:
            self._open.pop(key, None)
        return max(left, 0)

    def hold(self, key: str, limit: int, refusal: Busy) -> Callable[[], None]:
        """Take a slot for ``key`` or raise ``refusal``; the function that gives it back (once,
        however often it is called: a stream may end by several paths)."""
        if not self.take(key, limit):
            raise refusal
        given = False

        def release() -> None:
            nonlocal given
            if not given:
                given = True
                self.give_back(key)

        return release

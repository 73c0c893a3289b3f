"""The web chat channel: messages live in the database, so sending only wakes waiting readers.

Long polls are bounded and leave nothing behind: at most ``max_waiting`` in all and
``max_per_user`` per customer wait at once (more get :class:`ChatBusy`, a 429), and a customer's
wake-up event is dropped as soon as their last poll ends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator

from bot.errors import CsatbotError
from bot.ports import Capabilities, Recipient, Sent
from bot.prompts import Prompt


class ChatBusy(CsatbotError):
    """No room for another long poll right now (the client should retry in a moment)."""


class WebChatChannel:
    """Delivery for the web chat. The page reads messages over the API; ``send`` wakes long polls."""

    name = "webchat"
    capabilities = Capabilities(
        max_buttons=11, max_buttons_per_row=11, max_option_id_bytes=256, can_edit=False
    )

    def __init__(self, max_waiting: int = 10_000, max_per_user: int = 8) -> None:
        self.max_waiting = max_waiting
        self.max_per_user = max_per_user
        self._events: dict[str, asyncio.Event] = {}
        self._waiting: dict[str, int] = {}
        self._closed = False

    @property
    def waiting(self) -> int:
        """Long polls waiting now."""
        return sum(self._waiting.values())

    @property
    def tracked(self) -> int:
        """Customers with state held here (0 once every poll has ended)."""
        return len(self._events.keys() | self._waiting.keys())

    async def send(self, to: Recipient, prompt: Prompt) -> Sent:
        self.notify(to.user)
        return Sent()

    def notify(self, user: str) -> None:
        """Wake every reader waiting for ``user``'s messages."""
        event = self._events.pop(user, None)
        if event is not None:
            event.set()

    @contextlib.contextmanager
    def listening(self, user: str) -> Iterator[asyncio.Event]:
        """The event the next ``notify(user)`` sets, held for one poll. Take it *before* reading, so
        nothing sent meanwhile is missed; :class:`ChatBusy` when the limits are reached."""
        if self._waiting.get(user, 0) >= self.max_per_user or self.waiting >= self.max_waiting:
            raise ChatBusy("too many open long polls: retry in a second")
        self._waiting[user] = self._waiting.get(user, 0) + 1
        event = self._events.setdefault(user, asyncio.Event())
        try:
            yield event
        finally:
            left = self._waiting[user] - 1
            if left:
                self._waiting[user] = left
            else:
                del self._waiting[user]
                if self._events.get(user) is event:
                    del self._events[user]

    async def wait(
        self, event: asyncio.Event, timeout: float, gone: Callable[[], Awaitable[None]] | None = None
    ) -> bool:
        """Return when ``event`` is set (something was sent) or after ``timeout``; ``False`` as soon as
        ``gone()`` completes instead: the client hung up (a reload, a closed tab), and its slot is free
        now, not after the wait (before, a few quick reloads filled a customer's slots for 20 s)."""
        if self._closed:
            return True
        sent = asyncio.ensure_future(event.wait())
        hung_up = None if gone is None else asyncio.ensure_future(gone())
        tasks = {sent} if hung_up is None else {sent, hung_up}
        try:
            done, _ = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)  # leave nothing running
        return hung_up not in done

    def close(self) -> None:
        """The server is stopping: end every long poll now, and don't start new waits."""
        self._closed = True
        for event in self._events.values():
            event.set()
        self._events.clear()

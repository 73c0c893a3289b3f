"""The web chat channel: messages live in the database, so sending only wakes waiting readers.

Long polls are bounded and leave nothing behind: at most ``max_waiting`` in all, ``max_per_user``
per customer and ``max_per_address`` per client address (an IPv6 /64 counts as one) wait at once
(more get :class:`ChatBusy`, a 429), and a customer's wake-up event is dropped as soon as their last
poll ends. Without the per-address cap one address, starting 30 sessions a minute with 8 polls each,
held all 10,000 slots after about 40 minutes; with it, that takes ten addresses (or /64 networks).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator

from adapters.kit.slots import Busy, Slots
from bot.ports import Capabilities, Recipient, Sent
from bot.prompts import Prompt


class ChatBusy(Busy):
    """No room for another long poll right now (the client should retry after ``retry_after`` s)."""


class WebChatChannel:
    """Delivery for the web chat. The page reads messages over the API; ``send`` wakes long polls."""

    name = "webchat"
    capabilities = Capabilities(
        max_buttons=11, max_buttons_per_row=11, max_option_id_bytes=256, can_edit=False
    )

    def __init__(
        self, max_waiting: int = 10_000, max_per_user: int = 8, max_per_address: int = 1_000
    ) -> None:
        self.max_waiting = max_waiting
        self.max_per_user = max_per_user
        self.max_per_address = max_per_address
        self._events: dict[str, asyncio.Event] = {}
        self._waiting = Slots()
        self._by_address = Slots()
        self._closed = False

    @property
    def waiting(self) -> int:
        """Long polls waiting now."""
        return self._waiting.total

    @property
    def tracked(self) -> int:
        """Customers and addresses with state held here (0 once every poll has ended)."""
        return len(self._events.keys() | self._waiting.keys) + len(self._by_address.keys)

    async def send(self, to: Recipient, prompt: Prompt) -> Sent:
        self.notify(to.user)
        return Sent()

    def notify(self, user: str) -> None:
        """Wake every reader waiting for ``user``'s messages."""
        event = self._events.pop(user, None)
        if event is not None:
            event.set()

    @contextlib.contextmanager
    def listening(self, user: str, address: str = "") -> Iterator[asyncio.Event]:
        """The event the next ``notify(user)`` sets, held for one poll. Take it *before* reading, so
        nothing sent meanwhile is missed; :class:`ChatBusy` when the limits are reached. ``address``
        is the client's rate key (``""``: not counted, as for loopback)."""
        if self.waiting >= self.max_waiting or not self._waiting.take(user, self.max_per_user):
            raise ChatBusy("too many open long polls: retry in a second", 1)
        if address and not self._by_address.take(address, self.max_per_address):
            self._waiting.give_back(user)
            # Not a second: this address's polls end only as they time out (20 s) or are answered.
            raise ChatBusy(
                f"too many open long polls from this address (at most {self.max_per_address}): retry in 5 s",
                5,
            )
        event = self._events.setdefault(user, asyncio.Event())
        try:
            yield event
        finally:
            if address:
                self._by_address.give_back(address)
            if not self._waiting.give_back(user) and self._events.get(user) is event:
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

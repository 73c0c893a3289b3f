"""The web chat channel: messages live in the database, so sending only wakes waiting readers."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict

from bot.ports import Capabilities, Recipient, Sent
from bot.prompts import Prompt


class WebChatChannel:
    """Delivery for the web chat. The page reads messages over the API; ``send`` wakes long polls."""

    name = "webchat"
    capabilities = Capabilities(
        max_buttons=11, max_buttons_per_row=11, max_option_id_bytes=256, can_edit=False
    )

    def __init__(self) -> None:
        self._events: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self._closed = False

    async def send(self, to: Recipient, prompt: Prompt) -> Sent:
        self.notify(to.user)
        return Sent()

    def notify(self, user: str) -> None:
        """Wake every reader waiting for ``user``'s messages."""
        event = self._events.pop(user, None)
        if event is not None:
            event.set()

    def listen(self, user: str) -> asyncio.Event:
        """The event the next ``notify(user)`` sets; take it *before* reading, so nothing is missed."""
        return self._events[user]

    async def wait(self, user: str, timeout: float, event: asyncio.Event | None = None) -> None:
        """Return when something is sent to ``user`` (since ``event`` was taken) or after ``timeout``."""
        if self._closed:
            return
        event = event if event is not None else self._events[user]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def close(self) -> None:
        """The server is stopping: end every long poll now, and don't start new waits."""
        self._closed = True
        for event in self._events.values():
            event.set()
        self._events.clear()

"""uvicorn's server without its 10 wake-ups a second while idle.

uvicorn's main loop sleeps 0.1 s at a time to notice ``should_exit`` and to refresh the ``Date``
header once a second; on a busy machine those wake-ups alone cost more than 1 ms of CPU per second.
This loop refreshes the header once a second and is woken at once by the signal handler (and by
:meth:`QuietServer.exit`), so shutdown is as quick as before.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import FrameType

import uvicorn

TICK = 1.0  # seconds: the Date header's resolution


class QuietServer(uvicorn.Server):
    """A :class:`uvicorn.Server` that wakes once a second while idle (uvicorn: ten times)."""

    _exiting: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._exiting = asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._exiting.wait(), TICK)
            counter = (counter + 10) % 864000  # on_tick refreshes the header when counter % 10 == 0
            should_exit = await self.on_tick(counter)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self._wake()

    def exit(self) -> None:
        """Ask the server to shut down (from any thread)."""
        self.should_exit = True
        self._wake()

    def _wake(self) -> None:
        loop, exiting = self._loop, self._exiting
        if loop is not None and exiting is not None and not loop.is_closed():
            loop.call_soon_threadsafe(exiting.set)

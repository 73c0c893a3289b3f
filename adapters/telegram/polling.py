"""Long polling (``getUpdates``) for development: no public URL needed.

Telegram refuses ``getUpdates`` while a webhook is set, so polling first deletes it (pending updates
are kept). An update counts as read only once it is stored, so a failure (database down) re-reads it
after a pause; the service's dedupe makes that safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from aiogram.types import Update
from pydantic import ValidationError

from adapters.telegram.botapi import Call
from adapters.telegram.wire import ALLOWED_UPDATES
from bot.errors import DeliveryError, WireFormatError

log = logging.getLogger("csatbot.telegram")
Reaction = TypeVar("Reaction")


class Source(Protocol[Reaction]):
    """What the poller needs of the Telegram adapter: Bot API calls, and storing then acting on an
    update (declared here so that the poller does not import the adapter that owns it)."""

    async def call(self, call: Call, timeout: float | None = None) -> Any: ...

    async def receive(self, update: Update, received_at: datetime | None = None) -> Reaction: ...

    async def react(self, reaction: Reaction) -> None: ...


class Poller(Generic[Reaction]):
    """Reads updates with ``getUpdates`` in a background task and hands them to the adapter.

    ``timeout`` is the long-poll wait Telegram holds an empty request for; ``min_interval`` spaces
    out requests to a server that answers an empty poll at once (a proxy, a fake), so it is never
    hammered; ``max_pause`` caps the back-off after failures.
    """

    def __init__(
        self,
        adapter: Source[Reaction],
        *,
        timeout: int = 25,
        min_interval: float = 0.25,
        max_pause: float = 30.0,
    ) -> None:
        self.adapter = adapter
        self.timeout = timeout
        self.min_interval = min_interval
        self.max_pause = max_pause
        self.offset: int | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run(), name="telegram-polling")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run(self) -> None:
        """Poll until cancelled."""
        failures = 0
        webhook_deleted = False
        while True:
            started = time.monotonic()
            try:
                if not webhook_deleted:
                    await self.adapter.call(Call.of("deleteWebhook", drop_pending_updates=False))
                    webhook_deleted = True
                got = await self.poll_once()
            except Exception as exc:
                # The loop is an edge: log, pause (Telegram's retry_after when it gave one), go on.
                failures += 1
                pause = min(self.max_pause, 2.0 ** (failures - 1))
                if isinstance(exc, DeliveryError) and exc.retry_after is not None:
                    pause = exc.retry_after
                log.warning(
                    "telegram polling failed (%s), next try in %.1f s", exc, pause, exc_info=failures == 1
                )
                await asyncio.sleep(pause)
                continue
            failures = 0
            if not got:
                await asyncio.sleep(max(0.0, self.min_interval - (time.monotonic() - started)))

    async def poll_once(self) -> int:
        """One ``getUpdates``: store each update, then move past it; returns how many came."""
        call = Call.of(
            "getUpdates", offset=self.offset, timeout=self.timeout, allowed_updates=list(ALLOWED_UPDATES)
        )
        updates, last = updates_in(await self.adapter.call(call, timeout=self.timeout + 10))
        for update in updates:
            reaction = await self.adapter.receive(update)
            self.offset = update.update_id + 1
            await self.adapter.react(reaction)
        if last is not None:  # past the unreadable updates too (the webhook answers them 400)
            self.offset = max(self.offset or 0, last + 1)
        return len(updates)


def updates_in(result: Any) -> tuple[list[Update], int | None]:
    """The updates in a ``getUpdates`` result and the last update id in it (``None``: none came).

    An update aiogram cannot read is logged and skipped: raising for the whole answer kept the offset
    before it, so every later poll fetched it again and no update after it was ever handled.
    :class:`WireFormatError` if the result is not a list of updates with ids.
    """
    if not isinstance(result, list):
        raise WireFormatError(f"telegram: getUpdates answered {type(result).__name__}, not a list")
    updates: list[Update] = []
    last: int | None = None
    for item in result:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise WireFormatError(
                f"telegram: getUpdates answered something that is not an update: {item!r:.300}"
            )
        last = update_id if last is None else max(last, update_id)
        try:
            updates.append(Update.model_validate(item))
        except ValidationError as exc:
            log.warning(
                "telegram: update %s skipped, it is not an update aiogram reads: %.300s", update_id, exc
            )
    return updates, last

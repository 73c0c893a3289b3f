"""What every chat-platform adapter is, and what it gets from the app.

An adapter translates one platform both ways: its webhook routes verify and parse platform requests
into :class:`bot.messages.InboundMessage` and hand them to the service; its ``send`` renders a
:class:`bot.prompts.Prompt` within the platform's limits and posts it. The core never sees which
platform it talks to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx
from fastapi import APIRouter

from bot.inbox import Intake
from bot.ports import Capabilities, Clock, Recipient, Sent
from bot.prompts import Prompt
from bot.service import ConversationService
from bot.settings import Settings


@dataclass(frozen=True)
class AdapterContext:
    """The app's parts an adapter may use.

    ``settings()`` is the current config snapshot (it changes on reload); ``environ`` holds the
    secrets (environment variables, never config.yaml); ``http`` is the shared outgoing client.
    """

    service: ConversationService
    clock: Clock
    http: httpx.AsyncClient
    settings: Callable[[], Settings]
    environ: Mapping[str, str]
    inbox: Intake | None = None
    """Where webhooks store what they accept (:mod:`bot.inbox`); set by the runtime."""

    def intake(self) -> Intake:
        """:attr:`inbox`, which every webhook needs."""
        if self.inbox is None:
            raise RuntimeError("no inbox: adapters that take webhooks need AdapterContext.inbox")
        return self.inbox

    @property
    def max_body_bytes(self) -> int:
        """Webhook bodies above this size are refused with 413."""
        return self.settings().config.channels.max_body_bytes


class ChannelAdapter(Protocol):
    """A chat platform: a :class:`bot.ports.Channel` plus its webhook routes and lifecycle."""

    name: str
    capabilities: Capabilities

    async def send(self, to: Recipient, prompt: Prompt) -> Sent:
        """Render and post ``prompt``; raise :class:`bot.errors.DeliveryError` on failure."""
        ...

    def routes(self) -> APIRouter:
        """The platform's webhook endpoints (paths from config.yaml)."""
        ...

    async def start(self) -> None:
        """Begin background work (e.g. Telegram long polling); most adapters have none."""
        ...

    async def stop(self) -> None:
        """End background work."""
        ...

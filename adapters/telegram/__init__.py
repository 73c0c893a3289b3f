"""Telegram (aiogram 3): webhook or long polling in, inline-keyboard surveys out."""

from __future__ import annotations

from adapters.base import AdapterContext
from adapters.telegram.channel import TelegramChannel
from bot.config.channels import TelegramConfig


def build(config: TelegramConfig, ctx: AdapterContext) -> TelegramChannel:
    """The adapter for ``channels.telegram``; long polling when ``polling`` is set (development)."""
    return TelegramChannel(config, ctx)


__all__ = ["TelegramChannel", "build"]

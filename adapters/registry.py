"""Which adapter serves which channel, and building the enabled ones."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from adapters.base import AdapterContext, ChannelAdapter
from bot.config.channels import missing_secrets
from bot.errors import SecretMissingError

# channel name -> "module:factory"; a factory is ``build(config, ctx) -> ChannelAdapter``.
FACTORIES: dict[str, str] = {
    "telegram": "adapters.telegram:build",
    "wechat": "adapters.wechat:build_official_account",
    "wecom": "adapters.wechat:build_wecom",
    "whatsapp": "adapters.whatsapp:build",
}


def build_adapters(
    ctx: AdapterContext, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, ChannelAdapter]:
    """The enabled platform adapters (the web chat is built in); refuse to start without secrets.

    ``overrides`` changes channel settings for this process (``serve --telegram-polling``).
    """
    channels = ctx.settings().config.channels
    if overrides:
        channels = channels.model_copy(
            update={
                name: getattr(channels, name).model_copy(update=dict(changes))
                for name, changes in overrides.items()
            }
        )
    problems = missing_secrets(channels, ctx.environ)
    if problems:
        raise SecretMissingError(problems)
    adapters: dict[str, ChannelAdapter] = {}
    for name in channels.enabled():
        if name not in FACTORIES:
            continue
        module, factory = FACTORIES[name].split(":")
        build = getattr(importlib.import_module(module), factory)
        adapters[name] = build(getattr(channels, name), ctx)
    return adapters

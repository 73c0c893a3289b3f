"""WhatsApp Cloud API: webhooks in (signed), ``/{phone-number-id}/messages`` out."""

from __future__ import annotations

from adapters.base import AdapterContext
from adapters.whatsapp.channel import PAIR_RATE, THROUGHPUT, WhatsAppChannel
from bot.config.channels import WhatsAppConfig


def build(config: WhatsAppConfig, ctx: AdapterContext) -> WhatsAppChannel:
    """The adapter for ``channels.whatsapp`` (the registry's factory)."""
    return WhatsAppChannel(config, ctx)


__all__ = ["PAIR_RATE", "THROUGHPUT", "WhatsAppChannel", "build"]

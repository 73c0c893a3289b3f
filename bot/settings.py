"""The config as the service uses it: validated config plus resolved flows, swapped whole on reload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.config.schema import Config
from bot.config.texts import resolve_texts
from bot.errors import WindowClosedError
from bot.flow import Flow, build_flows


@dataclass(frozen=True, slots=True)
class MessagingWindow:
    """The bot may write for ``length`` after the customer's last message; ``reopenable`` if the
    channel can open a new one itself (an approved template)."""

    length: timedelta
    reopenable: bool = False

    def closes_at(self, last_inbound: datetime | None) -> datetime | None:
        """When the window closes (``None``: it is not open at all)."""
        return None if last_inbound is None else last_inbound + self.length

    def refusal(self, channel: str, last_inbound: datetime | None, now: datetime) -> WindowClosedError | None:
        """Why a free-form message (an agent's reply) cannot go out ``now``; ``None`` while open."""
        closes = self.closes_at(last_inbound)
        if closes is not None and now < closes:
            return None
        return WindowClosedError(channel, self.length, last_inbound, closes)

    def margin(self) -> timedelta:
        """How long before the window closes the bot stops planning messages (time to answer)."""
        return min(timedelta(hours=2), self.length / 12)


@dataclass(frozen=True, slots=True)
class Settings:
    """One consistent snapshot of the configuration."""

    config: Config
    flows: dict[str, Flow]
    texts: dict[str, dict[str, str]]
    windows: Mapping[str, MessagingWindow] = field(default_factory=dict)
    """Per channel, the messaging window its platform imposes (WhatsApp 24 h, WeChat 48 h)."""

    @classmethod
    def from_config(cls, config: Config, windows: Mapping[str, MessagingWindow] | None = None) -> Settings:
        return cls(
            config=config, flows=build_flows(config), texts=resolve_texts(config.texts), windows=windows or {}
        )

    def text(self, key: str, locale: str) -> str:
        """A bot text in ``locale``, else in the default locale."""
        entry = self.texts[key]
        return entry.get(locale) or entry[self.config.default_locale]

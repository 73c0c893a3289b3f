"""The config as the service uses it: validated config plus resolved flows, swapped whole on reload."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.schema import Config
from bot.config.texts import resolve_texts
from bot.flow import Flow, build_flows


@dataclass(frozen=True, slots=True)
class Settings:
    """One consistent snapshot of the configuration."""

    config: Config
    flows: dict[str, Flow]
    texts: dict[str, dict[str, str]]

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        return cls(config=config, flows=build_flows(config), texts=resolve_texts(config.texts))

    def text(self, key: str, locale: str) -> str:
        """A bot text in ``locale``, else in the default locale."""
        entry = self.texts[key]
        return entry.get(locale) or entry[self.config.default_locale]

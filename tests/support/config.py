"""The one config builder: the shipped config.yaml with the changes a test needs.

Tests start from what ships (``config.yaml`` at the repository root) so that a change there is
tested at once; :func:`config_data` makes surveys go out at once and ignores quiet hours, so that
no test depends on the hour it runs at.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from bot.config import parse_config
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "config.yaml"

ConfigData = dict[str, Any]
"""A config.yaml as data (what ``yaml.safe_load`` returns for it)."""


@functools.cache
def _shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


@functools.cache
def _shipped_data() -> ConfigData:
    data: ConfigData = yaml.load(_shipped_text(), Loader=yaml.CSafeLoader)
    return data


def shipped() -> ConfigData:
    """A fresh copy of the shipped config.yaml as data."""
    return copy.deepcopy(_shipped_data())


def config_data(*, channels: dict[str, Any] | None = None, delay: str = "0s", **top_level: Any) -> ConfigData:
    """The shipped config with each ``top_level`` section replaced whole, the first trigger's survey
    ``delay`` (none by default), no quiet hours and ``channels`` merged into its channels section."""
    data = shipped()
    data.update(top_level)
    data["triggers"][0]["delay"] = delay
    data["surveying"]["quiet_hours"] = None  # the tests must not depend on the hour they run at
    data["channels"].update(channels or {})
    return data


def write_config_file(folder: Path, data: ConfigData, name: str = "config.yaml") -> Path:
    """``data`` written as ``folder / name`` (the folder made if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def shipped_text(*replacements: tuple[str, str]) -> str:
    """The shipped config.yaml's text with each ``(old, new)`` replaced (each ``old`` must be there)."""
    text = _shipped_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def settings_of(config: ConfigData | str) -> Settings:
    """Validated settings of a config given as data or as YAML text."""
    text = (
        config if isinstance(config, str) else yaml.dump(config, Dumper=yaml.CSafeDumper, allow_unicode=True)
    )
    return Settings.from_config(parse_config(text))

"""Fixtures every channel's tests share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storage import open_database
from storage.migrate import upgrade

from ..support.config import config_data, write_config_file

ConfigWriter = Callable[..., Path]
"""``write_config(folder, {"telegram": {...}}, notifications={...})``: see :func:`write_config`."""


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated SQLite file; tests copy it (migrating each one anew costs a third of a second)."""
    path = tmp_path_factory.mktemp("template") / "csatbot.db"
    database = open_database(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def write_config() -> ConfigWriter:
    """``write_config(folder, channels, **top_level) -> folder / "config.yaml"``.

    The shipped config.yaml with surveys sent at once (``delay: 0s``, no quiet hours), ``channels``
    merged into its ``channels`` section and each ``top_level`` section replaced whole.
    """

    def write(folder: Path, channels: dict[str, Any], **top_level: Any) -> Path:
        return write_config_file(folder, config_data(channels=channels, **top_level))

    return write

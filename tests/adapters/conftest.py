"""Fixtures every channel's tests share."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from storage import open_database
from storage.migrate import upgrade

CONFIG = Path(__file__).resolve().parents[2] / "config.yaml"

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
    shipped = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def write(folder: Path, channels: dict[str, Any], **top_level: Any) -> Path:
        data = copy.deepcopy(shipped)
        data.update(top_level)
        data["triggers"][0]["delay"] = "0s"
        data["surveying"]["quiet_hours"] = None
        data["channels"].update(channels)
        path = folder / "config.yaml"
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@dataclass
class ApiApp:
    """csatbot behind an ASGI client; channel conftests subclass it (``from ..conftest import ApiApp``)."""

    http: httpx.AsyncClient

    async def conversations(self) -> list[dict[str, Any]]:
        response = await self.http.get("/api/conversations", params={"limit": 500})
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()
        return found

    async def conversation(self, conversation_id: int) -> dict[str, Any]:
        response = await self.http.get(f"/api/conversations/{conversation_id}")
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

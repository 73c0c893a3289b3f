"""Columns read with raw SQL, the same on both databases (SQLite gives text where PostgreSQL gives
data or aware datetimes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def stored(value: Any) -> Any:
    """A JSON column as data."""
    return json.loads(value) if isinstance(value, str) else value


def utc(value: Any) -> datetime:
    """A timestamp column as an aware UTC datetime."""
    found = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)

"""Durations as admins write them: ``90s``, ``10m``, ``4h``, ``1d``, ``1h30m`` or plain seconds."""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)")
_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_LONGEST = timedelta(days=100 * 365)  # far beyond any sensible throttle, and safe to add to a date


def parse_duration(value: Any) -> timedelta:
    """Turn ``"1h30m"``, ``"10m"``, ``45`` (seconds) or a timedelta into a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 10m, 4h or 1d")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return _seconds(float(value), value)
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        if text and _PART.sub("", text) == "":
            return _seconds(sum(float(n) * _UNITS[u] for n, u in _PART.findall(text)), value)
    raise ValueError(f"expected a duration such as 10m, 4h or 1d, got {value!r}")


def _seconds(seconds: float, given: Any) -> timedelta:
    if not math.isfinite(seconds) or seconds > _LONGEST.total_seconds():
        raise ValueError(f"a duration must be at most {_LONGEST.days} days, got {given!r}")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest ``1d2h3m4s`` spelling of a duration."""
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?\s*[dhms]\s*)+$"},
                {"type": "number", "minimum": 0},
            ],
            "description": "a duration: 90s, 10m, 4h, 1d, 1h30m, or seconds",
        }
    ),
]

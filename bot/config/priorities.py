"""Ticket priorities and durations given per priority (``teams.<id>.sla``, ``first_response``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from bot.config.durations import format_duration, parse_duration

Priority = Literal["low", "normal", "high", "urgent"]
PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")
RANK: dict[str, int] = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
"""Queue order: urgent first."""
FALLBACK = "normal"


def parse_per_priority(value: Any) -> dict[str, timedelta]:
    """One duration for every priority (``4h``), or a mapping per priority (``{high: 1h, normal: 4h}``);
    priorities a mapping leaves out take its ``normal`` entry, which it must therefore give."""
    if isinstance(value, Mapping) and value and set(value) <= set(PRIORITIES):
        if FALLBACK not in value:
            raise ValueError(
                f"a mapping per priority needs '{FALLBACK}' (used for the priorities it leaves out)"
            )
        given: dict[str, timedelta] = {}
        for priority in PRIORITIES:
            if priority in value:
                try:
                    given[priority] = parse_duration(value[priority])
                except ValueError as exc:
                    raise ValueError(f"{priority}: {exc}") from exc
        return {p: given.get(p, given[FALLBACK]) for p in PRIORITIES}
    if isinstance(value, Mapping):
        if not value:
            raise ValueError("empty: give one duration (4h) or one per priority ({high: 1h, normal: 4h})")
        unknown = sorted(str(k) for k in value if k not in PRIORITIES)
        raise ValueError(f"unknown priority '{unknown[0]}' (known: {', '.join(PRIORITIES)})")
    one = parse_duration(value)
    return dict.fromkeys(PRIORITIES, one)


def format_per_priority(value: Mapping[str, timedelta]) -> str | dict[str, str]:
    """As an admin would write it: one duration when all priorities share it."""
    if len(set(value.values())) == 1:
        return format_duration(next(iter(value.values())))
    return {p: format_duration(value[p]) for p in PRIORITIES if p in value}


_DURATION_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?\s*[dhms]\s*)+$"},
        {"type": "number", "minimum": 0},
    ]
}

PerPriority = Annotated[
    dict[str, timedelta],
    BeforeValidator(parse_per_priority),
    PlainSerializer(format_per_priority),
    WithJsonSchema(
        {
            "anyOf": [
                *_DURATION_SCHEMA["anyOf"],
                {
                    "type": "object",
                    "properties": dict.fromkeys(PRIORITIES, _DURATION_SCHEMA),
                    "required": [FALLBACK],
                    "additionalProperties": False,
                },
            ],
            "description": "a duration (4h) or one per priority ({high: 1h, normal: 4h, low: 1d})",
        }
    ),
]

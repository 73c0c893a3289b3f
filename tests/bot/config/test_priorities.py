"""Durations per ticket priority (``teams.<id>.sla``, ``first_response``): read, checked, written back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from bot.config.priorities import RANK, PerPriority, format_per_priority, parse_per_priority

H = timedelta(hours=1)


def test_one_duration_for_every_priority() -> None:
    assert parse_per_priority("4h") == {"low": 4 * H, "normal": 4 * H, "high": 4 * H, "urgent": 4 * H}
    assert format_per_priority(parse_per_priority("4h")) == "4h"


def test_a_mapping_fills_what_it_leaves_out_from_normal() -> None:
    parsed = parse_per_priority({"urgent": "30m", "high": "1h", "normal": "4h"})
    assert parsed == {"low": 4 * H, "normal": 4 * H, "high": H, "urgent": H / 2}
    assert format_per_priority(parsed) == {"low": "4h", "normal": "4h", "high": "1h", "urgent": "30m"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"high": "1h"}, "a mapping per priority needs 'normal' (used for the priorities it leaves out)"),
        ({}, "empty: give one duration (4h) or one per priority ({high: 1h, normal: 4h})"),
        (
            {"normal": "4h", "critical": "1h"},
            "unknown priority 'critical' (known: low, normal, high, urgent)",
        ),
        ({"normal": "soon"}, "normal: "),
    ],
)
def test_mistakes_say_what_to_write(value: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_per_priority(value)
    assert str(raised.value).startswith(message)


def test_as_a_config_field_it_round_trips_and_refuses_nonsense() -> None:
    field: TypeAdapter[dict[str, timedelta]] = TypeAdapter(PerPriority)
    parsed = field.validate_python({"normal": "2h", "urgent": "15m"})
    assert field.dump_python(parsed) == {"low": "2h", "normal": "2h", "high": "2h", "urgent": "15m"}
    with pytest.raises(ValidationError):
        field.validate_python({"whenever": "1h"})


def test_urgent_tickets_come_first() -> None:
    assert sorted(RANK, key=RANK.__getitem__) == ["urgent", "high", "normal", "low"]

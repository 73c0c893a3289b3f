"""Durations as admins write them in config.yaml."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config.durations import format_duration, parse_duration
from bot.config.schema import SurveyPolicy


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("90s", timedelta(seconds=90), id="seconds"),
        pytest.param("10m", timedelta(minutes=10), id="minutes"),
        pytest.param("4h", timedelta(hours=4), id="hours"),
        pytest.param("1d", timedelta(days=1), id="days"),
        pytest.param("1h30m", timedelta(hours=1, minutes=30), id="combined"),
        pytest.param("1d 2h 3m 4s", timedelta(days=1, hours=2, minutes=3, seconds=4), id="spaced"),
        pytest.param(" 2D ", timedelta(days=2), id="upper-case-padded"),
        pytest.param("1.5h", timedelta(minutes=90), id="fraction"),
        pytest.param("0s", timedelta(0), id="zero"),
        pytest.param(45, timedelta(seconds=45), id="int-seconds"),
        pytest.param(2.5, timedelta(seconds=2.5), id="float-seconds"),
        pytest.param(0, timedelta(0), id="int-zero"),
        pytest.param(timedelta(hours=3), timedelta(hours=3), id="timedelta"),
    ],
)
def test_parse_duration(value: Any, expected: timedelta) -> None:
    assert parse_duration(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("soon", "expected a duration such as 10m, 4h or 1d, got 'soon'", id="word"),
        pytest.param(
            "10 minutes", "expected a duration such as 10m, 4h or 1d, got '10 minutes'", id="unit-word"
        ),
        pytest.param("10", "expected a duration such as 10m, 4h or 1d, got '10'", id="string-without-unit"),
        pytest.param("1w", "expected a duration such as 10m, 4h or 1d, got '1w'", id="weeks"),
        pytest.param("-1h", "expected a duration such as 10m, 4h or 1d, got '-1h'", id="negative-string"),
        pytest.param("1h-30m", "expected a duration such as 10m, 4h or 1d, got '1h-30m'", id="junk-between"),
        pytest.param("", "expected a duration such as 10m, 4h or 1d, got ''", id="empty"),
        pytest.param("PT4H", "expected a duration such as 10m, 4h or 1d, got 'PT4H'", id="iso-8601"),
        pytest.param(None, "expected a duration such as 10m, 4h or 1d, got None", id="none"),
        pytest.param([1], "expected a duration such as 10m, 4h or 1d, got [1]", id="list"),
        pytest.param(True, "expected a duration such as 10m, 4h or 1d", id="bool"),
        pytest.param(-5, "a duration cannot be negative", id="negative-number"),
    ],
)
def test_bad_duration(value: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_duration(value)
    assert str(info.value) == message


@pytest.mark.parametrize("value", [float("inf"), 1e20, "99999999999d"], ids=["inf", "1e20", "huge-days"])
def test_overflowing_duration_is_a_value_error(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        pytest.param(timedelta(0), "0s", id="zero"),
        pytest.param(timedelta(seconds=59), "59s", id="seconds"),
        pytest.param(timedelta(seconds=90), "1m30s", id="minutes-seconds"),
        pytest.param(timedelta(hours=1), "1h", id="hour"),
        pytest.param(timedelta(days=30), "30d", id="days"),
        pytest.param(timedelta(days=1, hours=2, minutes=3, seconds=4), "1d2h3m4s", id="all-units"),
        pytest.param(timedelta(days=1, seconds=4), "1d4s", id="gaps"),
    ],
)
def test_format_duration(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


@settings(max_examples=100, deadline=None, database=None)
@given(st.integers(0, 10**9).map(lambda s: timedelta(seconds=s)))
def test_whole_seconds_survive_format_and_parse(delta: timedelta) -> None:
    assert parse_duration(format_duration(delta)) == delta


def test_durations_in_config_dump_as_admins_write_them() -> None:
    policy = SurveyPolicy.model_validate({"throttle": "7d", "remind_after": 5400})
    assert policy.model_dump(mode="json") == {
        "throttle": "7d",
        "remind_after": "1h30m",
        "expire_after": "1d",
        "reprompts": 1,
        "quiet_hours": None,
    }

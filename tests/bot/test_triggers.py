"""When a survey goes out: quiet hours, throttling and trigger choice."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config.schema import QuietHours, Trigger
from bot.triggers import outside_quiet_hours, pick_trigger, throttled

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = QuietHours(start=time(22), end=time(8))
LUNCH = QuietHours(start=time(12), end=time(14))


def sh(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A November 2026 time in Shanghai, expressed in UTC (as the service holds times)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI).astimezone(UTC)


def utc(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(sh(23, 10), sh(23, 10), id="morning-not-quiet"),
        pytest.param(sh(23, 21, 59, 59), sh(23, 21, 59, 59), id="last-second-before-start"),
        pytest.param(sh(23, 22), sh(24, 8), id="at-start-waits-until-next-morning"),
        pytest.param(sh(23, 23, 30), sh(24, 8), id="before-midnight"),
        pytest.param(sh(24, 0), sh(24, 8), id="at-midnight"),
        pytest.param(sh(24, 3, 15), sh(24, 8), id="after-midnight"),
        pytest.param(sh(24, 7, 59, 59), sh(24, 8), id="last-second-of-quiet"),
        pytest.param(sh(24, 8), sh(24, 8), id="at-end-not-quiet"),
        pytest.param(sh(30, 23), datetime(2026, 12, 1, 0, 0, tzinfo=UTC), id="across-month-end"),
    ],
)
def test_quiet_hours_spanning_midnight_in_shanghai(at: datetime, expected: datetime) -> None:
    result = outside_quiet_hours(at, NIGHT, "Asia/Shanghai")
    assert result == expected
    assert result.tzinfo == UTC  # returned in the zone it was given in


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(utc(23, 22), utc(24, 8), id="at-start"),
        pytest.param(utc(23, 14), utc(23, 14), id="afternoon"),
        pytest.param(utc(24, 7, 59), utc(24, 8), id="before-end"),
        pytest.param(utc(24, 8), utc(24, 8), id="at-end"),
    ],
)
def test_quiet_hours_spanning_midnight_in_utc(at: datetime, expected: datetime) -> None:
    assert outside_quiet_hours(at, NIGHT, "UTC") == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(utc(23, 11, 59, 59), utc(23, 11, 59, 59), id="before"),
        pytest.param(utc(23, 12), utc(23, 14), id="at-start"),
        pytest.param(utc(23, 13, 30), utc(23, 14), id="inside"),
        pytest.param(utc(23, 14), utc(23, 14), id="at-end"),
        pytest.param(utc(23, 23), utc(23, 23), id="night"),
    ],
)
def test_quiet_hours_within_a_day_in_utc(at: datetime, expected: datetime) -> None:
    assert outside_quiet_hours(at, LUNCH, "UTC") == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(sh(23, 12, 30), sh(23, 14), id="inside-local-lunch"),
        pytest.param(utc(23, 12, 30), utc(23, 12, 30), id="utc-lunch-is-shanghai-evening"),
    ],
)
def test_quiet_hours_within_a_day_in_shanghai(at: datetime, expected: datetime) -> None:
    assert outside_quiet_hours(at, LUNCH, "Asia/Shanghai") == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(
            datetime(2026, 11, 1, 3, 0, tzinfo=UTC), datetime(2026, 11, 1, 13, 0, tzinfo=UTC), id="fall-back"
        ),
        pytest.param(
            datetime(2026, 3, 8, 4, 0, tzinfo=UTC),
            datetime(2026, 3, 8, 12, 0, tzinfo=UTC),
            id="spring-forward",
        ),
    ],
)
def test_quiet_hours_across_a_daylight_saving_change(at: datetime, expected: datetime) -> None:
    # 23:00 local the evening before; quiet until 08:00 local, which is a different UTC offset.
    assert outside_quiet_hours(at, NIGHT, "America/New_York") == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(
            time(1), time(2, 30), datetime(2026, 10, 25, 1, 30, tzinfo=UTC), id="ends-in-repeated-hour"
        ),
        pytest.param(
            time(2, 15), time(2, 45), datetime(2026, 10, 25, 1, 45, tzinfo=UTC), id="inside-repeated-hour"
        ),
    ],
)
def test_quiet_hours_ending_in_the_repeated_hour_never_end_before_the_send(
    start: time, end: time, expected: datetime
) -> None:
    at = datetime(2026, 10, 25, 1, 15, tzinfo=UTC)  # 02:15 CET, the second time Berlin reads 02:15
    assert outside_quiet_hours(at, QuietHours(start=start, end=end), "Europe/Berlin") == expected


def test_quiet_hours_never_move_a_send_earlier_across_daylight_saving_changes() -> None:
    windows = [
        (time(1), time(2, 30)),
        (time(22), time(2, 30)),
        (time(2, 15), time(2, 45)),
        (time(1, 30), time(3)),
    ]
    for zone, first in [("Europe/Berlin", datetime(2026, 3, 28, 12, tzinfo=UTC)),
                        ("Europe/Berlin", datetime(2026, 10, 24, 12, tzinfo=UTC))]:  # fmt: skip
        for start, end in windows:
            for step in range(24 * 2):
                at = first + timedelta(minutes=30 * step)
                due = outside_quiet_hours(at, QuietHours(start=start, end=end), zone)
                assert at <= due <= at + timedelta(hours=24), (zone, start, end, at, due)


def test_result_keeps_the_callers_zone() -> None:
    at = datetime(2026, 11, 23, 23, 0, tzinfo=SHANGHAI)
    result = outside_quiet_hours(at, NIGHT, "Asia/Shanghai")
    assert result == datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)
    assert result.tzinfo == SHANGHAI


@pytest.mark.parametrize(
    "quiet",
    [pytest.param(None, id="none"), pytest.param(QuietHours(start=time(8), end=time(8)), id="empty-span")],
)
def test_no_quiet_hours(quiet: QuietHours | None) -> None:
    assert outside_quiet_hours(sh(23, 23), quiet, "Asia/Shanghai") == sh(23, 23)


NOW = utc(23, 2)


@pytest.mark.parametrize(
    ("last", "throttle", "expected"),
    [
        pytest.param(None, timedelta(days=30), False, id="never-surveyed"),
        pytest.param(NOW - timedelta(days=29, hours=23), timedelta(days=30), True, id="inside-window"),
        pytest.param(NOW - timedelta(days=30), timedelta(days=30), False, id="exactly-at-window-end"),
        pytest.param(NOW - timedelta(days=31), timedelta(days=30), False, id="after-window"),
        pytest.param(NOW, timedelta(days=30), True, id="just-now"),
        pytest.param(NOW, timedelta(0), False, id="no-throttle"),
    ],
)
def test_throttled(last: datetime | None, throttle: timedelta, expected: bool) -> None:
    assert throttled(last, NOW, throttle) is expected


TRIGGERS = [
    Trigger(survey="nps", events=["agent_resolved"], channels=["telegram"]),
    Trigger(survey="csat", events=["agent_resolved", "idle"]),
    Trigger(survey="ces", events=["bot_resolved"], channels=["webchat", "whatsapp"]),
]


@pytest.mark.parametrize(
    ("event", "channel", "survey"),
    [
        pytest.param("agent_resolved", "telegram", "nps", id="first-match-wins"),
        pytest.param("agent_resolved", "webchat", "csat", id="channel-filter-skips-first"),
        pytest.param("idle", "telegram", "csat", id="event-filter-skips-first"),
        pytest.param("bot_resolved", "whatsapp", "ces", id="channel-list"),
        pytest.param("bot_resolved", "wechat", None, id="no-trigger-for-channel"),
        pytest.param("closed", "webchat", None, id="unknown-event"),
    ],
)
def test_pick_trigger(event: str, channel: str, survey: str | None) -> None:
    trigger = pick_trigger(TRIGGERS, event, channel)
    assert (trigger.survey if trigger else None) == survey


def test_pick_trigger_with_no_triggers() -> None:
    assert pick_trigger([], "agent_resolved", "webchat") is None


def test_default_trigger_fires_on_every_end_after_ten_minutes() -> None:
    trigger = Trigger(survey="csat")
    assert trigger.delay == timedelta(minutes=10)
    assert [pick_trigger([trigger], e, "wecom") for e in ("agent_resolved", "idle", "bot_resolved")] == [
        trigger
    ] * 3

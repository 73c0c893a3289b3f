"""The customer health colour: a table of recent scores, open DSAT tickets and recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config.schema import DsatRule, HealthRule
from bot.health import ScoredSurvey, health

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def scored(
    days_ago: float, csat: int | None = None, nps: int | None = None, *, recovered: bool | None = None
) -> ScoredSurvey:
    escalated = (csat is not None and csat <= 3) or (nps is not None and nps <= 6)
    return ScoredSurvey(NOW - timedelta(days=days_ago), csat, nps, escalated, recovered)


@pytest.mark.parametrize(
    ("surveys", "open_tickets", "colour"),
    [
        ([], 0, "grey"),
        ([scored(200, csat=1)], 0, "grey"),  # too old to count
        ([scored(1, csat=5), scored(2, nps=9)], 0, "green"),
        ([scored(1, csat=5), scored(2, csat=2, recovered=True)], 0, "yellow"),
        ([scored(1, csat=5), scored(2, csat=2)], 0, "yellow"),
        ([scored(1, csat=2), scored(2, nps=3)], 0, "red"),
        ([scored(1, csat=2), scored(2, nps=3, recovered=True)], 0, "yellow"),
        ([scored(1, csat=5)], 1, "red"),  # an open DSAT ticket is red at once
        ([], 1, "red"),
        # only the last 3 count: two old unhappy ones behind three happy ones
        (
            [scored(1, csat=5), scored(2, csat=4), scored(3, csat=5), scored(4, csat=1), scored(5, csat=1)],
            0,
            "green",
        ),
    ],
)
def test_health_colour(surveys: list[ScoredSurvey], open_tickets: int, colour: str) -> None:
    assert health(surveys, open_tickets, HealthRule(), DsatRule(), NOW).colour == colour


def test_the_rule_is_configurable() -> None:
    rule = HealthRule(recent=5, within=timedelta(days=7), red_after=1)
    found = health([scored(1, csat=2), scored(10, csat=1)], 0, rule, DsatRule(), NOW)
    assert (found.colour, found.recent, found.unhappy, found.unrecovered) == ("red", 1, 1, 1)

"""``digest:`` (``bot.config.digest``): when the digest goes out and what it holds."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config.digest import WEEKDAYS, DigestPolicy


def test_the_defaults() -> None:
    policy = DigestPolicy.model_validate({"every": "daily"})
    assert (policy.at, policy.best, policy.min_chars, policy.targets) == (time(9, 0), 5, 8, None)


@pytest.mark.parametrize(("weekday", "day"), [(None, 0), ("mon", 0), ("wed", 2), ("sun", 6)])
def test_a_weekly_digest_goes_out_on_its_weekday_monday_by_default(weekday: str | None, day: int) -> None:
    assert DigestPolicy.model_validate({"every": "weekly", "weekday": weekday}).day == day
    assert WEEKDAYS[day] == (weekday or "mon")


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"every": "daily", "at": "09:00+08:00"}, "write a local time"),
        ({"every": "monthly"}, "Input should be 'daily' or 'weekly'"),
        ({"every": "weekly", "weekday": "friday"}, "Input should be 'mon'"),
        ({"every": "daily", "best": 0}, "greater than or equal to 1"),
        ({"every": "daily", "best": 21}, "less than or equal to 20"),
        ({"every": "daily", "targets": [""]}, "at least 1 character"),
    ],
)
def test_a_digest_that_cannot_work_is_refused(policy: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DigestPolicy.model_validate(policy)


def test_no_targets_means_the_console_only() -> None:
    assert DigestPolicy.model_validate({"every": "daily", "targets": []}).targets == []

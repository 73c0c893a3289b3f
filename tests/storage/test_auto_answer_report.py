"""The automatic-answer report: per intent, what customers said to "Did this solve it?"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.records import Identity
from storage import SqlStore
from storage.auto_answer_report import auto_answer_report
from storage.report_scope import ReportFilterError
from storage.repository import SqlRepository

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
# (intent, channel, outcome) of each automatic answer, one a minute from T0
SENT = [
    ("password_reset", "webchat", "yes"),
    ("password_reset", "webchat", "silent"),
    ("password_reset", "telegram", "no"),
    ("password_reset", "telegram", "yes"),
    ("password_reset", "webchat", "pending"),
    ("delivery", "webchat", "no"),
    ("delivery", "webchat", "no"),
    ("delivery", "telegram", "moved_on"),
]


def fill(repo: SqlRepository) -> None:
    for n, (intent, channel, status) in enumerate(SENT):
        at = T0 + timedelta(minutes=n)
        identity: Identity = repo.identity(channel, "", f"u{n}", display_name="", locale="en", at=at)
        conversation = repo.start_conversation(identity, at)
        answer = repo.create_auto_answer(
            answer_id=f"a{n}",
            conversation=conversation,
            intent=intent,
            intent_confidence=0.97,
            locale="en",
            message_id=None,
            at=at,
        )
        if status != "pending":
            assert repo.settle_auto_answer(answer.id, status, "tap", at)
            assert not repo.settle_auto_answer(answer.id, "yes", "tap", at)  # settled once


@pytest.fixture
def store(store: SqlStore) -> SqlStore:
    """The package's ``store`` (tests/storage/conftest.py) with the answers :func:`fill` writes."""
    store.run_sync(fill)
    return store


def test_outcomes_and_rates_per_intent_with_n(store: SqlStore) -> None:
    report = store.read_sync(lambda repo: auto_answer_report(repo.session, T0, T0 + timedelta(hours=1)))
    data = report.as_dict()
    assert data["by_intent"]["password_reset"] == {
        "sent": 5, "yes": 2, "no": 1, "silent": 1, "moved_on": 0, "pending": 1,
        "deflection_rate": 0.75, "no_rate": 0.25, "n": {"deflection_rate": 4, "no_rate": 4},
    }  # fmt: skip
    assert data["by_intent"]["delivery"]["deflection_rate"] == 0.0
    assert data["by_intent"]["delivery"]["no_rate"] == round(2 / 3, 4)
    assert data["total"]["sent"] == 8 and data["total"]["n"]["deflection_rate"] == 7
    assert data["total"]["deflection_rate"] == round(3 / 7, 4)


def test_range_and_filters(store: SqlStore) -> None:
    def report(since: datetime, until: datetime, **filters: str) -> Any:
        found = store.read_sync(lambda repo: auto_answer_report(repo.session, since, until, filters))
        return found.as_dict()

    first_three = report(T0, T0 + timedelta(minutes=3))
    assert first_three["total"] == report(T0, T0 + timedelta(minutes=3), intent="password_reset")["total"]
    assert first_three["total"]["sent"] == 3
    telegram = report(T0, T0 + timedelta(hours=1), channel="telegram")
    assert {k: v["sent"] for k, v in telegram["by_intent"].items()} == {"delivery": 1, "password_reset": 2}
    with pytest.raises(ReportFilterError, match="cannot be filtered by 'agent'"):
        report(T0, T0 + timedelta(hours=1), agent="amy")

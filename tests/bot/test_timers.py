"""The table of timer kinds: every kind the core schedules has an entry, and firing is once only."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import alerts, confirmation, privacy
from bot.landing import SEND_TIMER
from bot.records import DueTimer
from bot.support import TRIAGE_TIMER
from bot.survey_turns import SURVEY_TIMERS
from bot.timers import TIMER_KINDS, Firing, fire
from bot.waiting import IDLE_TIMER

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
BOT = Path(__file__).resolve().parents[2] / "bot"


def test_every_kind_has_one_entry() -> None:
    kinds = {SEND_TIMER, *SURVEY_TIMERS, IDLE_TIMER, confirmation.CONFIRM_TIMER, TRIAGE_TIMER}
    kinds |= {privacy.RETENTION_TIMER, alerts.SLA_TIMER}
    assert set(TIMER_KINDS) == kinds


def test_every_literal_kind_scheduled_in_the_core_is_in_the_table() -> None:
    literals = set()
    for path in BOT.rglob("*.py"):
        literals |= set(re.findall(r"""\.schedule\(\s*"([a-z_]+)\"""", path.read_text(encoding="utf-8")))
    assert literals and literals <= set(TIMER_KINDS)


class Timers:
    """A repository at the port holding only timers' done flags."""

    def __init__(self) -> None:
        self.taken: list[int] = []

    def take_timer(self, timer_id: int, due_by: datetime | None = None) -> bool:
        if timer_id in self.taken:
            return False
        self.taken.append(timer_id)
        return True


def _firing(repo: Any, kind: str, subject: str = "9") -> Firing:
    return Firing(repo, None, DueTimer(7, kind, subject, T0), T0, "s1")  # type: ignore[arg-type]


def test_a_timer_another_worker_took_does_nothing() -> None:
    repo = Timers()
    assert fire(_firing(repo, TRIAGE_TIMER, "12/survey")) == (
        "message 12 left untriaged: the model was not ready in time"
    )
    assert fire(_firing(repo, TRIAGE_TIMER, "12/survey")) == "already done"


def test_an_unknown_kind_is_taken_and_dropped() -> None:
    repo = Timers()
    assert "unknown timer kind 'nap'" in fire(_firing(repo, "nap"))
    assert repo.taken == [7]

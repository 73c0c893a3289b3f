"""Every kind of timer and what firing it does, in one table (:data:`TIMER_KINDS`).

A timer is (kind, subject, due time); the scheduler claims due ones and the service fires each in
its own transaction through :func:`fire`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot import alerts, confirmation, privacy
from bot.errors import NotFoundError
from bot.landing import SEND_TIMER
from bot.records import DueTimer
from bot.repository import Repository
from bot.resolution import resolve_idle
from bot.settings import Settings
from bot.support import TRIAGE_TIMER
from bot.survey import Event, Expire, Remind
from bot.survey_turns import REMIND_TIMER, SURVEY_TIMERS, send_survey, survey_turn
from bot.waiting import IDLE_TIMER


@dataclass(frozen=True, slots=True)
class Firing:
    """A due timer being carried out, and what carrying it out may use."""

    repo: Repository
    settings: Settings
    timer: DueTimer
    now: datetime
    new_survey_id: str
    """What firing it may create (the survey of a conversation it resolves)."""


@dataclass(frozen=True, slots=True)
class TimerKind:
    """What a kind of timer does when due; the subject says to what."""

    subject: str
    act: Callable[[Firing], str]
    """Carries it out; returns what happened, for the log."""
    takes_itself: bool = False
    """It marks its timer done itself (else :func:`fire` does, first)."""


def fire(firing: Firing) -> str:
    """Carry out one due timer (``"already done"`` when another worker did, or when it was set again
    for later since it was claimed: a claim that outlived its lease must not fire the next one)."""
    kind = TIMER_KINDS.get(firing.timer.kind)
    if kind is None:
        firing.repo.take_timer(firing.timer.id)
        return f"unknown timer kind {firing.timer.kind!r} dropped"
    if not kind.takes_itself and not firing.repo.take_timer(firing.timer.id, firing.now):
        return "already done"
    return kind.act(firing)


def _idle(f: Firing) -> str:
    return resolve_idle(f.repo, f.settings, int(f.timer.subject), f.now, f.new_survey_id)


def _confirm(f: Firing) -> str:
    return confirmation.silence(f.repo, f.settings, f.timer.subject, f.now, f.new_survey_id)


def _triage(f: Firing) -> str:
    return f"message {f.timer.subject.split('/')[0]} left untriaged: the model was not ready in time"


def _survey(f: Firing) -> str:
    try:
        survey = f.repo.get_survey(f.timer.subject, lock=True)
    except NotFoundError:
        return "survey gone"
    identity = f.repo.get_identity(survey.identity_id)
    if f.timer.kind == SEND_TIMER:
        return send_survey(f.repo, f.settings, survey, identity, f.now)
    event: Event = Remind() if f.timer.kind == REMIND_TIMER else Expire()
    survey_turn(f.repo, f.settings, survey, identity, event, f.now)
    return f"{f.timer.kind} survey {survey.id}"


def _retention(f: Firing) -> str:
    return privacy.sweep(f.repo, f.settings.config, f.timer.id, f.now)


def _sla(f: Firing) -> str:
    return alerts.fire_sla(f.repo, f.settings.config, f.timer.id, f.timer.subject, f.now)


TIMER_KINDS: Mapping[str, TimerKind] = {
    SEND_TIMER: TimerKind("survey id", _survey),
    **{kind: TimerKind("survey id", _survey) for kind in SURVEY_TIMERS},
    IDLE_TIMER: TimerKind("conversation id", _idle),
    confirmation.CONFIRM_TIMER: TimerKind("automatic answer id", _confirm),
    TRIAGE_TIMER: TimerKind("message id (``/survey`` when sent during a survey)", _triage),
    privacy.RETENTION_TIMER: TimerKind("the one sweep", _retention, takes_itself=True),
    alerts.SLA_TIMER: TimerKind("ticket id", _sla, takes_itself=True),
}
"""Every timer kind: what its subject is and what it does."""

"""A customer's health colour from their recent scores, open DSAT tickets and recovery.

The rule (``customers.health`` in config.yaml; README "Customer page"):

- **red**: a DSAT ticket of theirs is open, or at least ``red_after`` of their recent scored surveys
  were unhappy and not recovered;
- **yellow**: one of their recent scored surveys was unhappy (even if recovered since);
- **green**: recent scored surveys, none unhappy;
- **grey**: no scored survey within ``within`` and no open DSAT ticket: nothing to judge on.

Recent means their last ``recent`` main surveys with a CSAT or NPS score sent within ``within``.
Unhappy means DSAT: escalated, or a score at or under the ``dsat`` rule's limits. Recovered means
the re-survey after its ticket was answered CSAT 4-5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.config.schema import DsatRule, HealthRule

Colour = Literal["green", "yellow", "red", "grey"]


@dataclass(frozen=True, slots=True)
class ScoredSurvey:
    sent_at: datetime
    csat: int | None
    nps: int | None
    escalated: bool
    recovered: bool | None
    """``True``/``False`` once the re-survey after its ticket was answered; ``None`` before."""


@dataclass(frozen=True, slots=True)
class Health:
    colour: Colour
    recent: int
    unhappy: int
    unrecovered: int
    open_dsat_tickets: int


def is_unhappy(survey: ScoredSurvey, dsat: DsatRule) -> bool:
    csat_low = survey.csat is not None and dsat.csat_at_most is not None and survey.csat <= dsat.csat_at_most
    nps_low = survey.nps is not None and dsat.nps_at_most is not None and survey.nps <= dsat.nps_at_most
    return survey.escalated or csat_low or nps_low


def health(
    surveys: Sequence[ScoredSurvey], open_dsat_tickets: int, rule: HealthRule, dsat: DsatRule, now: datetime
) -> Health:
    """The customer's colour under ``rule`` (see the module's docstring)."""
    scored = [
        s for s in surveys if (s.csat is not None or s.nps is not None) and now - s.sent_at <= rule.within
    ]
    recent = sorted(scored, key=lambda s: s.sent_at, reverse=True)[: rule.recent]
    unhappy = [s for s in recent if is_unhappy(s, dsat)]
    unrecovered = [s for s in unhappy if s.recovered is not True]
    colour: Colour
    if open_dsat_tickets or len(unrecovered) >= rule.red_after:
        colour = "red"
    elif unhappy:
        colour = "yellow"
    elif recent:
        colour = "green"
    else:
        colour = "grey"
    return Health(colour, len(recent), len(unhappy), len(unrecovered), open_dsat_tickets)

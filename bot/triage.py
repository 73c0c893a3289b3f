"""Triage: what the classifier's verdict on a customer message makes the bot do (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.classification import Classification
from bot.config.schema import TriageRule


@dataclass(frozen=True, slots=True)
class Decision:
    """The rule that applies to a message, and why, in words an agent can check."""

    rule: TriageRule
    reason: str


def decide(
    rules: Sequence[TriageRule], verdict: Classification, threshold: float, *, during_survey: bool
) -> Decision | None:
    """The first rule that matches ``verdict``; auto answers need at least ``threshold`` confidence.

    An ``other`` intent (the classifier was unsure) never gets an automatic answer.
    """
    for rule in rules:
        when = rule.when
        if when.intents is not None and verdict.intent not in when.intents:
            continue
        if when.sentiments is not None and verdict.sentiment not in when.sentiments:
            continue
        if when.during_survey is not None and when.during_survey != during_survey:
            continue
        floor = when.min_confidence or 0.0
        if rule.action == "auto_answer":
            if verdict.intent == "other":
                continue
            floor = max(floor, threshold)
        if verdict.intent_confidence < floor:
            continue
        return Decision(rule, describe(verdict))
    return None


def describe(verdict: Classification) -> str:
    """``triage: refund (92%), negative (88%)``: the labels behind a decision."""
    return (
        f"triage: {verdict.intent} ({verdict.intent_confidence:.0%}), "
        f"{verdict.sentiment} ({verdict.sentiment_confidence:.0%})"
    )

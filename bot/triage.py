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
    index: int = 0  # the rule's position in config.yaml's ``triage`` list, from 1

    @property
    def summary(self) -> str:
        """``escalate (rule 1): triage: complaint (92%), negative (88%), needs a person (95%)``."""
        return f"{self.rule.action} (rule {self.index}): {self.reason}"


def decide(
    rules: Sequence[TriageRule], verdict: Classification, threshold: float, *, during_survey: bool
) -> Decision | None:
    """The first rule that matches ``verdict``.

    Automatic answers are precision-first: they need the intent's confidence to clear ``threshold``,
    the rule's ``min_confidence`` and the model's answer floor for that intent (chosen on held-out
    data for at least 97% precision). An ``other`` intent (the classifier was unsure) never gets one,
    nor does a verdict whose answer is ``withheld`` (the customer denied the intent).
    """
    for index, rule in enumerate(rules, 1):
        when = rule.when
        if when.intents is not None and verdict.intent not in when.intents:
            continue
        if when.sentiments is not None and verdict.sentiment not in when.sentiments:
            continue
        if when.during_survey is not None and when.during_survey != during_survey:
            continue
        if when.needs_human is not None and when.needs_human != verdict.wants_human:
            continue
        floor = when.min_confidence or 0.0
        if rule.action == "auto_answer":
            if verdict.intent == "other" or verdict.withheld:
                continue
            floor = max(floor, threshold, verdict.answer_floor or 0.0)
        if verdict.intent_confidence < floor:
            continue
        return Decision(rule, describe(verdict), index)
    return None


def no_action(verdict: Classification) -> str:
    """What agents see on a message no rule matched: the labels, so they can tell why."""
    return f"no rule matched: {describe(verdict)}"


def describe(verdict: Classification) -> str:
    """``triage: refund (92%), negative (88%), needs a person (81%)``: the labels behind a decision."""
    text = (
        f"triage: {verdict.intent} ({verdict.intent_confidence:.0%}), "
        f"{verdict.sentiment} ({verdict.sentiment_confidence:.0%})"
    )
    if verdict.wants_human:
        text += f", needs a person ({verdict.needs_human:.0%})"
    if verdict.reread:
        text += f"; {verdict.reread}"
    if verdict.withheld:
        text += f"; no automatic answer: {verdict.withheld}"
    return text

"""Triage: what the classifier's verdict on a customer message makes the bot do (pure)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.classification import Classification
from bot.config.schema import TriageRule, TriageWhen
from bot.denying import undenied
from bot.hanzi import simplified

# A message of only question marks, full stops or ellipses ("?", "？？", "。。。") says nothing a rule
# could act on: the customer is waiting on what they wrote before, which was triaged when it came.
_NOTHING_SAID = re.compile(r"[?？.。…\s]+")


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


@dataclass(frozen=True, slots=True)
class Judgement:
    """The rule that applies (if any) and what agents see on the message: the decision or the labels,
    and each rule that a word in the message set aside."""

    decision: Decision | None
    note: str


def decide(
    rules: Sequence[TriageRule],
    verdict: Classification,
    threshold: float,
    *,
    during_survey: bool,
    text: str = "",
) -> Decision | None:
    """The first rule that matches ``verdict`` and ``text`` (the customer's message; see :func:`judge`)."""
    return judge(rules, verdict, threshold, during_survey=during_survey, text=text).decision


def judge(
    rules: Sequence[TriageRule],
    verdict: Classification,
    threshold: float,
    *,
    during_survey: bool,
    text: str = "",
) -> Judgement:
    """The first rule that matches ``verdict``, and the note agents see.

    Automatic answers are precision-first: they need the intent's confidence to clear ``threshold``,
    the rule's ``min_confidence`` and the model's answer floor for that intent (chosen on held-out
    data for at least 97% precision). An ``other`` intent (the classifier was unsure) never gets one,
    nor does a verdict whose answer is ``withheld`` (the customer denied the intent). A rule does not
    apply when ``text`` mentions none of its ``mentions`` ("the login code never comes" names no
    password) or a word of its ``unless_mentions`` ("the router's admin password" is no account's
    password): the note says so, and a later rule may apply. A message of only question marks or dots
    gets no rule (see ``_NOTHING_SAID``).
    """
    if _NOTHING_SAID.fullmatch(text):
        return Judgement(None, f"{no_action(verdict)}; the message is only punctuation")
    set_aside: list[str] = []
    for index, rule in enumerate(rules, 1):
        if not _matches(rule, verdict, threshold, during_survey):
            continue
        if (why := _set_aside_by(rule.when, text)) is not None:
            if why:
                set_aside.append(f"rule {index} set aside: {why}")
            continue
        decision = Decision(rule, "; ".join([describe(verdict), *set_aside]), index)
        return Judgement(decision, decision.summary)
    return Judgement(None, "; ".join([no_action(verdict), *set_aside]))


def _matches(rule: TriageRule, verdict: Classification, threshold: float, during_survey: bool) -> bool:
    when = rule.when
    if when.intents is not None and verdict.intent not in when.intents:
        return False
    if when.sentiments is not None and verdict.sentiment not in when.sentiments:
        return False
    if when.during_survey is not None and when.during_survey != during_survey:
        return False
    if when.needs_human is not None and when.needs_human != verdict.wants_human:
        return False
    floor = when.min_confidence or 0.0
    if rule.action == "auto_answer":
        if verdict.intent == "other" or verdict.withheld:
            return False
        floor = max(floor, threshold, verdict.answer_floor or 0.0)
    return verdict.intent_confidence >= floor


def _set_aside_by(when: TriageWhen, text: str) -> str | None:
    """Why ``text`` sets the rule aside (it names none of ``mentions`` outside a clause that denies a
    topic, "我没有要投诉的意思", or a word of ``unless_mentions`` anywhere); ``None`` when it does not.

    Empty when there is nothing worth an agent's note: a rule that names no intents is about its words
    alone, and most messages name none of them."""
    if when.mentions and not mentioned(when.mentions, undenied(text)):
        if mentioned(when.mentions, text):
            return "the message names its words only where it denies them"
        return "the message mentions none of its words" if when.intents is not None else ""
    if when.unless_mentions and (word := mentioned(when.unless_mentions, text)):
        return f'the message mentions "{word}"'
    return None


def _folded(text: str) -> str:
    """Width, case and Traditional characters set aside: "ＷｉＦｉ", "WIFI" and "wifi" read alike."""
    return simplified(unicodedata.normalize("NFKC", text)).casefold()


@functools.lru_cache(maxsize=64)
def _mentions(words: tuple[str, ...]) -> re.Pattern[str]:
    # A Latin word is matched whole ("safe" is not in "unsafe"), also beside Chinese ("wifi密码"); a
    # Chinese one anywhere (Chinese puts no spaces between words). Longest first: the one named.
    folded = sorted({_folded(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(_whole(w) for w in folded))


def _whole(word: str) -> str:
    """``word`` as a pattern whose Latin letters or digits at either end start or end a word."""
    before = "(?<![a-z0-9])" if re.match(r"[a-z0-9]", word) else ""
    after = "(?![a-z0-9])" if re.search(r"[a-z0-9]$", word) else ""
    return before + re.escape(word) + after


def mentioned(words: Sequence[str], text: str) -> str | None:
    """The first of ``words`` that ``text`` mentions, spelt as in ``words``; ``None`` when none is."""
    found = _mentions(tuple(words)).search(_folded(text))
    if found is None:
        return None
    return next(w for w in words if _folded(w) == found[0])


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

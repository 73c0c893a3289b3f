"""Behavioural test suites (in the spirit of CheckList) and the realistic held-out set.

``nlu/data/behaviour.yaml`` holds hand-written cases per category (negation, lookalikes of each FAQ
intent, complaints without complaint words, sarcasm, emoji only, ...), each with expectations on the
intent, the sentiment and what the triage rules of ``config.yaml`` do with the message. A case passes
when every expectation holds; each category reports its pass rate per language.

``nlu/data/realistic.jsonl`` holds realistic customer messages labelled with intent and sentiment;
it measures intent macro-F1, sentiment accuracy and escalation: how many customers who should reach a
person (a complaint, a request for one, or negative sentiment) the rules escalate, and how many calm
ones they escalate too.

Neither file is ever used for training or calibration.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.classification import Classification
from bot.config.schema import TriageRule
from bot.triage import decide
from nlu.errors import NluError
from nlu.generate import DATA_DIR
from nlu.thresholds import needs_human_label

BEHAVIOUR_FILE = DATA_DIR / "behaviour.yaml"
REALISTIC_FILE = DATA_DIR / "realistic.jsonl"
PASS_TARGET = 0.85
Classify = Callable[[Sequence[str]], list[Classification]]
_KEYS = {"lang", "text", "intent", "not_intent", "sentiment", "not_sentiment", "action", "not_action", "note"}


@dataclass(frozen=True, slots=True)
class Case:
    """One behavioural case: a message and what must hold for it."""

    category: str
    lang: str
    text: str
    expect: dict[str, tuple[str, ...]]

    def failures(self, verdict: Classification, action: str) -> list[str]:
        """What did not hold (empty: the case passes)."""
        got = {"intent": verdict.intent, "sentiment": verdict.sentiment, "action": action}
        out = []
        for key, allowed in self.expect.items():
            field = key.removeprefix("not_")
            if key.startswith("not_") == (got[field] in allowed):
                out.append(
                    f"{field} {got[field]} ({'not ' if key.startswith('not_') else ''}{'/'.join(allowed)})"
                )
        return out


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def load_cases(path: Path = BEHAVIOUR_FILE) -> list[Case]:
    """Read the behavioural suites; a malformed case is an :class:`NluError` naming it."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        categories = raw["categories"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise NluError(f"cannot read the behavioural suites {path}: {e}") from e
    cases = []
    for name, spec in categories.items():
        for n, item in enumerate(spec.get("cases") or []):
            unknown = set(item) - _KEYS
            if unknown or "text" not in item or item.get("lang") not in ("en", "zh"):
                raise NluError(f"{path}: categories.{name}.cases[{n}]: needs lang (en|zh) and text; "
                               f"unknown keys: {sorted(unknown)}")  # fmt: skip
            expect = {k: _tuple(v) for k, v in item.items() if k not in ("lang", "text", "note")}
            if not expect:
                raise NluError(f"{path}: categories.{name}.cases[{n}]: states no expectation")
            cases.append(Case(name, item["lang"], str(item["text"]), expect))
    return cases


def action_of(rules: Sequence[TriageRule], verdict: Classification, threshold: float, text: str) -> str:
    """What the triage rules do with the message ``text`` outside a survey: auto_answer, escalate,
    route or none."""
    decision = decide(rules, verdict, threshold, during_survey=False, text=text)
    return decision.rule.action if decision else "none"


def run_cases(
    cases: list[Case], classify: Classify, rules: Sequence[TriageRule], threshold: float
) -> dict[str, Any]:
    """Pass rates per category and language, and the failing cases."""
    verdicts = classify([c.text for c in cases])
    table: dict[str, dict[str, dict[str, int]]] = {}
    failing = []
    for case, verdict in zip(cases, verdicts, strict=True):
        problems = case.failures(verdict, action_of(rules, verdict, threshold, case.text))
        cell = table.setdefault(case.category, {}).setdefault(case.lang, {"n": 0, "passed": 0})
        cell["n"] += 1
        cell["passed"] += not problems
        if problems:
            failing.append({"category": case.category, "lang": case.lang, "text": case.text, "why": problems})
    rates = {
        cat: {
            **{lang: {**cell, "rate": round(cell["passed"] / cell["n"], 4)} for lang, cell in langs.items()},
            "all": _total(langs.values()),
        }
        for cat, langs in table.items()
    }
    weakest = min((r["all"]["rate"] for r in rates.values()), default=0.0)
    return {"categories": rates, "weakest": weakest, "target": PASS_TARGET, "failing": failing}


def _total(cells: Iterable[dict[str, int]]) -> dict[str, float]:
    n = sum(c["n"] for c in cells_list) if (cells_list := list(cells)) else 0
    passed = sum(c["passed"] for c in cells_list)
    return {"n": n, "passed": passed, "rate": round(passed / n, 4) if n else 0.0}


@dataclass(frozen=True, slots=True)
class Labelled:
    """One realistic message with its intent and sentiment."""

    text: str
    lang: str
    intent: str
    sentiment: str
    domain: str = ""


def load_realistic(path: Path = REALISTIC_FILE) -> list[Labelled]:
    """Read the realistic held-out set."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise NluError(f"cannot read {path}: {e}") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            rows.append(
                Labelled(raw["text"], raw["lang"], raw["intent"], raw["sentiment"], raw.get("domain", ""))
            )
        except (ValueError, KeyError) as e:
            raise NluError(f"{path}:{n}: bad row ({e})") from e
    return rows


def load_blind() -> list[Labelled]:
    """The blind sets (``blind_*.jsonl``): realistic messages written before their writer read the
    training data, suites or realistic set; never trained on (the generator leaves their texts out)."""
    return [row for path in sorted(DATA_DIR.glob("blind_*.jsonl")) for row in load_realistic(path)]


def run_realistic(
    rows: list[Labelled], classify: Classify, rules: Sequence[TriageRule], threshold: float
) -> dict[str, Any]:
    """Intent macro-F1, sentiment accuracy, escalation recall and calm escalations, per language."""
    from nlu.evaluation import metrics

    verdicts = classify([r.text for r in rows])
    actions = [action_of(rules, v, threshold, r.text) for v, r in zip(verdicts, rows, strict=True)]
    escalated = [a == "escalate" for a in actions]
    out: dict[str, Any] = {}
    for lang in ("en", "zh", "all"):
        idx = [i for i, r in enumerate(rows) if lang == "all" or r.lang == lang]
        if not idx:
            continue
        intents = sorted({rows[i].intent for i in idx} | {verdicts[i].intent for i in idx})
        sentiments = ["negative", "neutral", "positive"]
        intent = metrics(
            [intents.index(rows[i].intent) for i in idx], [intents.index(verdicts[i].intent) for i in idx]
        )
        sentiment = metrics(
            [sentiments.index(rows[i].sentiment) for i in idx],
            [sentiments.index(verdicts[i].sentiment) for i in idx],
        )
        should = [i for i in idx if needs_human_label(rows[i].intent, rows[i].sentiment)]
        calm = [i for i in idx if not needs_human_label(rows[i].intent, rows[i].sentiment)]
        answered = [i for i in idx if actions[i] == "auto_answer"]
        out[lang] = {
            "intent": intent,
            "sentiment": sentiment,
            "escalation_recall": _share(should, escalated.__getitem__),
            "calm_escalated": _share(calm, escalated.__getitem__),
            "auto_answers": len(answered),
            "auto_answer_precision": _share(answered, lambda i: rows[i].intent == verdicts[i].intent),
        }
    return out


def _share(idx: list[int], hit: Callable[[int], bool]) -> dict[str, float]:
    n = len(idx)
    k = sum(1 for i in idx if hit(i))
    return {"n": n, "hits": k, "rate": round(k / n, 4) if n else 0.0}

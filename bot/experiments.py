"""Experiments on a survey's wording, question order or timing (pure: no I/O).

Each customer sees one variant, always the same: the first 8 bytes of SHA-256 of
``"<experiment>:<customer id>"`` modulo 100 pick a bucket, and the variants' splits (percent, in
config order) cover the buckets 0-99. Reports compare each variant with the first (the control) on
response rate, completion and satisfaction with a two-proportion z-test (pooled, two-sided,
:func:`bot.drivers.two_proportion_z`) and Wilson 95% intervals; a winner is named only when it beats
every other variant at p < 0.05 and every variant has at least ``min_answers`` in the rate's base.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.config.experiments import Experiment
from bot.config.schema import Trigger
from bot.drivers import Z95, two_proportion_z, wilson

BUCKETS = 100
METRICS: tuple[tuple[str, str, str], ...] = (
    ("response_rate", "answered", "sent"),
    ("completion_rate", "completed", "answered"),
    ("satisfied_rate", "satisfied", "scored"),
)
"""Each compared rate: (name, successes, base)."""


@dataclass(frozen=True, slots=True)
class Arm:
    """The variant a customer sees: which flow and delay their survey uses."""

    experiment: str
    variant: str
    survey: str
    delay: timedelta


def bucket(experiment: str, customer_id: int) -> int:
    """The customer's bucket (0-99) in ``experiment``: the same on every call and every process."""
    digest = hashlib.sha256(f"{experiment}:{customer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def variant_for(experiment: Experiment, customer_id: int) -> str:
    """The variant of ``experiment`` the customer sees."""
    spot, edge = bucket(experiment.name, customer_id), 0
    for vid, variant in experiment.variants.items():
        edge += variant.split
        if spot < edge:
            return vid
    return next(reversed(experiment.variants))  # splits short of 100 (refused by config checks)


def arm_for(trigger: Trigger, customer_id: int) -> Arm | None:
    """The customer's variant of the trigger's experiment (``None``: the trigger has none)."""
    experiment = trigger.experiment
    if experiment is None:
        return None
    vid = variant_for(experiment, customer_id)
    variant = experiment.variants[vid]
    return Arm(
        experiment.name,
        vid,
        variant.survey or trigger.survey,
        variant.delay if variant.delay is not None else trigger.delay,
    )


@dataclass
class VariantCounts:
    """One variant's surveys: sent, answered (at least one answer), completed, and scored (a rating
    given) of which satisfied (CSAT 4-5, NPS 9-10, CES 5-7); ``score_sum`` of the CSAT answers."""

    sent: int = 0
    answered: int = 0
    completed: int = 0
    scored: int = 0
    satisfied: int = 0
    csat_n: int = 0
    csat_sum: int = 0

    def rate(self, successes: str, base: str) -> float | None:
        n = getattr(self, base)
        return getattr(self, successes) / n if n else None


def p_value(z: float) -> float:
    """Two-sided p-value of a standard normal ``z``."""
    return math.erfc(abs(z) / math.sqrt(2))


def compare(variants: Mapping[str, VariantCounts], order: Sequence[str], min_answers: int) -> dict[str, Any]:
    """Each variant's rates with ``n`` and 95% intervals, each against the control (``order[0]``),
    and per rate the verdict: ``winner`` (beats every other at p < 0.05), ``no_clear_winner`` or
    ``too_few`` (a variant has fewer than ``min_answers`` in the rate's base)."""
    names = [v for v in order if v in variants] + sorted(v for v in variants if v not in order)
    control = names[0] if names else None
    rows = []
    for name in names:
        counts = variants[name]
        row: dict[str, Any] = {"variant": name, "control": name == control, **vars(counts)}
        row["csat_mean"] = round(counts.csat_sum / counts.csat_n, 3) if counts.csat_n else None
        for metric, successes, base in METRICS:
            n = getattr(counts, base)
            rate = counts.rate(successes, base)
            low, high = wilson(getattr(counts, successes), n)
            row[metric] = {
                "rate": round(rate, 4) if rate is not None else None,
                "n": n,
                "ci95": [round(low, 4), round(high, 4)],
                "few_answers": n < min_answers,
            }
            if control is not None and name != control:
                row[metric]["vs_control"] = _test(counts, variants[control], successes, base)
        rows.append(row)
    verdicts = {
        metric: _verdict(variants, names, successes, base, min_answers) for metric, successes, base in METRICS
    }
    return {"control": control, "variants": rows, "verdicts": verdicts}


def _test(a: VariantCounts, b: VariantCounts, successes: str, base: str) -> dict[str, Any]:
    z = two_proportion_z(getattr(a, successes), getattr(a, base), getattr(b, successes), getattr(b, base))
    ra, rb = a.rate(successes, base), b.rate(successes, base)
    diff = ra - rb if ra is not None and rb is not None else None
    p = p_value(z)
    return {
        "difference": round(diff, 4) if diff is not None else None,
        "z": round(z, 3),
        "p": round(p, 4),
        "significant": abs(z) >= Z95,
    }


def _verdict(
    variants: Mapping[str, VariantCounts], names: Sequence[str], successes: str, base: str, min_answers: int
) -> dict[str, Any]:
    smallest = min((getattr(variants[n], base) for n in names), default=0)
    if len(names) < 2 or smallest < max(min_answers, 1):
        need = max(min_answers, 1)
        return {
            "status": "too_few",
            "winner": None,
            "detail": f"too few to tell: every variant needs at least {need} (the smallest has {smallest})",
        }
    leader = max(names, key=lambda n: (variants[n].rate(successes, base) or 0.0, n))
    tests = {
        other: _test(variants[leader], variants[other], successes, base) for other in names if other != leader
    }
    if all(t["significant"] and (t["difference"] or 0) > 0 for t in tests.values()):
        worst = max(t["p"] for t in tests.values())
        return {
            "status": "winner",
            "winner": leader,
            "detail": f"{leader} is better than every other variant (p <= {worst:.4f})",
        }
    return {
        "status": "no_clear_winner",
        "winner": None,
        "detail": f"{leader} leads, but not significantly (p >= 0.05 against at least one variant)",
    }

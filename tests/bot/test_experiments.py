"""Experiments, pure: consistent assignment by hash, the split honoured, and the comparison's
verdicts (a planted winner found, equal variants not called, too few answers said)."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import timedelta

import pytest

from bot.config.experiments import Experiment, Variant
from bot.config.schema import Trigger
from bot.experiments import VariantCounts, arm_for, bucket, compare, p_value, variant_for


def experiment(**splits: int) -> Experiment:
    return Experiment(name="wording", variants={vid: Variant(split=s) for vid, s in splits.items()})


def test_the_bucket_is_a_documented_hash_of_the_experiment_and_the_customer() -> None:
    expected = int.from_bytes(hashlib.sha256(b"wording:42").digest()[:8], "big") % 100
    assert bucket("wording", 42) == expected
    assert [bucket("wording", 42) for _ in range(3)] == [expected] * 3
    # Another experiment reshuffles customers: the buckets are not the same for both.
    assert [bucket("timing", c) for c in range(50)] != [bucket("wording", c) for c in range(50)]


@pytest.mark.parametrize("splits", [{"a": 50, "b": 50}, {"a": 90, "b": 10}, {"a": 20, "b": 30, "c": 50}])
def test_ten_thousand_customers_split_as_configured(splits: dict[str, int]) -> None:
    spec = experiment(**splits)
    seen = Counter(variant_for(spec, customer) for customer in range(10_000))
    for vid, share in splits.items():
        assert abs(seen[vid] / 10_000 - share / 100) < 0.02, (vid, seen)
    assert all(variant_for(spec, c) == variant_for(spec, c) for c in range(100))


def test_a_variant_brings_its_flow_and_delay_and_the_control_the_triggers() -> None:
    spec = Experiment(
        name="timing",
        variants={
            "now": Variant(split=50),
            "later": Variant(split=50, survey="csat_short", delay=timedelta(hours=1)),
        },
    )
    trigger = Trigger(survey="csat", delay=timedelta(minutes=10), experiment=spec)
    arms = {arm_for(trigger, c) for c in range(40)}
    assert {(a.variant, a.survey, a.delay) for a in arms if a is not None} == {
        ("now", "csat", timedelta(minutes=10)),
        ("later", "csat_short", timedelta(hours=1)),
    }
    assert arm_for(Trigger(survey="csat"), 1) is None


def counts(sent: int, answered: int, completed: int | None = None, satisfied: int = 0) -> VariantCounts:
    done = answered if completed is None else completed
    return VariantCounts(sent, answered, done, answered, satisfied, answered, answered * 4)


def test_a_planted_response_rate_difference_is_a_clear_winner() -> None:
    # 400 surveys each: 40% against 55% answered (pooled z = 4.248, p = 0.00002).
    found = compare({"a": counts(400, 160), "b": counts(400, 220)}, ["a", "b"], min_answers=10)
    assert found["control"] == "a"
    b = next(v for v in found["variants"] if v["variant"] == "b")
    versus = b["response_rate"]["vs_control"]
    assert (versus["difference"], versus["z"], versus["significant"]) == (0.15, 4.248, True)
    assert versus["p"] == round(p_value(0.15 / (0.475 * 0.525 * 2 / 400) ** 0.5), 4) and versus["p"] < 0.001
    assert b["response_rate"]["n"] == 400 and b["response_rate"]["ci95"] == [0.501, 0.598]
    assert found["verdicts"]["response_rate"] == {
        "status": "winner",
        "winner": "b",
        "detail": "b is better than every other variant (p <= 0.0000)",
    }
    # Both completed everything they answered: no winner on completion.
    assert found["verdicts"]["completion_rate"]["status"] == "no_clear_winner"


def test_a_small_difference_is_no_clear_winner_and_few_answers_are_too_few() -> None:
    close = compare({"a": counts(200, 80), "b": counts(200, 88)}, ["a", "b"], min_answers=10)
    assert close["verdicts"]["response_rate"] == {
        "status": "no_clear_winner",
        "winner": None,
        "detail": "b leads, but not significantly (p >= 0.05 against at least one variant)",
    }
    few = compare({"a": counts(30, 3), "b": counts(6, 6)}, ["a", "b"], min_answers=10)
    assert few["verdicts"]["response_rate"] == {
        "status": "too_few",
        "winner": None,
        "detail": "too few to tell: every variant needs at least 10 (the smallest has 6)",
    }
    assert [v["response_rate"]["few_answers"] for v in few["variants"]] == [False, True]


def test_three_variants_need_the_leader_to_beat_each_other() -> None:
    found = compare(
        {"a": counts(400, 160), "b": counts(400, 220), "c": counts(400, 210)}, ["a", "b", "c"], 10
    )
    assert found["verdicts"]["response_rate"]["status"] == "no_clear_winner"  # b vs c is not significant
    assert [v["variant"] for v in found["variants"]] == ["a", "b", "c"]

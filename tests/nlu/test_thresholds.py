"""Answer floors for precision-first auto answers; the needs-a-person score and its floor."""

from __future__ import annotations

import numpy as np
import pytest

from nlu.thresholds import (
    NeedsHuman,
    answer_floor,
    answer_floors,
    fit_needs_human,
    needs_human_label,
    pick_floor,
    recall_floor,
)


def test_the_floor_sits_where_precision_reaches_the_target() -> None:
    # 100 right answers above 0.9, then a band where half are wrong
    conf = np.concatenate([np.linspace(0.99, 0.91, 100), np.linspace(0.9, 0.5, 40)])
    correct = np.concatenate([np.ones(100, bool), np.arange(40) % 2 == 0])
    floor = answer_floor(conf, correct, target=0.97)
    above = conf >= floor
    assert 0.8 < floor < 0.91  # a few of the mixed band fit under the target, most do not
    assert correct[above].sum() / (above.sum() + 1) >= 0.97
    lower = conf >= conf[conf < floor].max()
    assert correct[lower].sum() / (lower.sum() + 1) < 0.97


def test_a_few_lucky_rows_do_not_set_a_low_floor() -> None:
    assert answer_floor(np.array([0.99, 0.98]), np.array([True, True]), target=0.97) == 1.0
    assert answer_floor(np.array([]), np.array([], bool)) == 1.0


def test_ties_keep_the_floor_above_a_mistake_with_the_same_confidence() -> None:
    conf = np.array([0.99] * 60 + [0.8, 0.8])
    correct = np.array([True] * 60 + [True, False])
    assert answer_floor(conf, correct, target=0.97) == pytest.approx(0.99)


def test_floors_per_intent_and_language() -> None:
    rng = np.random.default_rng(0)
    n = 600
    y = rng.integers(0, 3, n)
    proba = np.full((n, 3), 0.05)
    proba[np.arange(n), y] = 0.9  # confident and right ...
    wrong = rng.random(n) < 0.1
    proba[wrong] = [0.1, 0.1, 0.8]  # ... except a tenth that all say "2" at 0.8
    langs = ["en" if i % 2 else "zh" for i in range(n)]
    floors = answer_floors(proba, y, langs, ["a", "b", "c"])
    assert floors["a"]["all"] == pytest.approx(0.9) and floors["a"]["en"] == pytest.approx(0.9)
    assert floors["c"]["all"] == pytest.approx(0.9)  # the wrong 0.8s stay below c's floor
    assert pick_floor(floors["a"], "zh") == pytest.approx(0.9)
    assert pick_floor({"all": 0.7}, "fr") == 0.7
    assert pick_floor({}, "en") is None


@pytest.mark.parametrize(
    ("intent", "sentiment", "label"),
    [
        ("complaint", None, 1),
        ("request_human", "neutral", 1),
        ("delivery", "negative", 1),
        (None, "negative", 1),
        ("delivery", "neutral", 0),
        ("greeting_thanks", "positive", 0),
        ("delivery", None, None),
        (None, "positive", None),
    ],
)
def test_who_should_reach_a_person(intent: str | None, sentiment: str | None, label: int | None) -> None:
    assert needs_human_label(intent, sentiment) == label


def test_needs_human_combines_sentiment_and_intent_and_meets_its_recall() -> None:
    rng = np.random.default_rng(3)
    n = 2000
    intents = ["delivery", "complaint", "request_human", "other"]
    sentiments = ["negative", "neutral", "positive"]
    y_int = rng.integers(0, 4, n)
    y_sent = rng.integers(0, 3, n)
    intent_p = np.full((n, 4), 0.1) + np.eye(4)[y_int] * rng.uniform(0.3, 0.7, (n, 1))
    sent_p = np.full((n, 3), 0.1) + np.eye(3)[y_sent] * rng.uniform(0.3, 0.7, (n, 1))
    intent_p /= intent_p.sum(1, keepdims=True)
    sent_p /= sent_p.sum(1, keepdims=True)
    y = np.array([needs_human_label(intents[i], sentiments[s]) for i, s in zip(y_int, y_sent, strict=True)])
    langs = ["en"] * n
    model = fit_needs_human(intent_p, sent_p, y, langs, intents, sentiments, target=0.9)
    assert all(w > 0 for w in model.weights)  # both signals push towards a person
    p = model.proba(intent_p, sent_p, intents, sentiments)
    assert (p[y == 1] >= model.floor).mean() >= 0.9
    assert model.recall is not None and model.recall >= 0.9
    assert NeedsHuman.from_dict(model.to_dict()) == model
    assert NeedsHuman.from_dict(None) == NeedsHuman()


def test_a_clearly_happy_customer_who_neither_complains_nor_asks_for_a_person_needs_no_one() -> None:
    intents = ["delivery", "complaint", "request_human", "other"]
    sentiments = ["negative", "neutral", "positive"]
    model = NeedsHuman((1.0, 1.0), 3.0)  # a generous model: everyone below would be flagged
    intent_p = np.array(
        [[0.1, 0.3, 0.1, 0.5], [0.1, 0.6, 0.1, 0.2], [0.1, 0.1, 0.7, 0.1], [0.1, 0.3, 0.1, 0.5]]
    )
    sent_p = np.array([[0.1, 0.05, 0.85], [0.05, 0.05, 0.9], [0.05, 0.05, 0.9], [0.3, 0.15, 0.55]])
    p = model.proba(intent_p, sent_p, intents, sentiments)
    assert p[0] == 0.0  # happy, likeliest intent "other"
    assert p[1] > 0.5  # happy words, but a complaint ("great, lost my bag again")
    assert p[2] > 0.5  # happy, but asking for a person
    assert p[3] > 0.5  # not sure enough that they are happy
    praise = model.proba(
        np.array([[0.05, 0.05, 0.05, 0.85]]), np.array([[0.2, 0.15, 0.65]]), intents, sentiments
    )
    assert praise[0] == 0.0  # "教练超专业，练了六周腰不疼了，五星": positive 0.65, intent "other"


def test_a_thank_you_read_as_positive_needs_no_one_however_unsure_the_positive() -> None:
    intents = ["greeting_thanks", "complaint", "request_human", "other"]
    sentiments = ["negative", "neutral", "positive"]
    model = NeedsHuman((1.0, 1.0), 3.0)  # a generous model: everyone below would be flagged
    intent_p = np.array([[0.6, 0.2, 0.1, 0.1], [0.6, 0.2, 0.1, 0.1], [0.3, 0.1, 0.1, 0.5]])
    sent_p = np.array([[0.2, 0.24, 0.56], [0.5, 0.1, 0.4], [0.2, 0.24, 0.56]])
    p = model.proba(intent_p, sent_p, intents, sentiments)
    assert p[0] == 0.0  # "thank you for fixing my account, really appreciate it": thanks, positive 0.56
    assert p[1] > 0.5  # "thanks for nothing": thanks, but negative
    assert p[2] > 0.5  # positive 0.56 but not a thank-you: the 0.6 of a clearly happy customer applies


def test_recall_floor() -> None:
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.1])
    y = np.array([1, 1, 1, 1, 0])
    assert recall_floor(p, y, 0.75) == pytest.approx(0.7)
    assert recall_floor(p, np.zeros(5, int), 0.9) == 0.5


def test_the_floor_rises_until_few_calm_customers_are_flagged() -> None:
    p = np.array([0.9, 0.8, 0.7, 0.2, 0.6, 0.5, 0.4, 0.3, 0.1, 0.05])
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    assert recall_floor(p, y, target=1.0, calm_cap=1.0) == pytest.approx(0.2)  # every positive
    raised = recall_floor(p, y, target=1.0, calm_cap=0.2)  # at most 1 of 6 calm rows
    assert ((p >= raised) & (y == 0)).sum() == 1 and (p >= raised)[:3].all()

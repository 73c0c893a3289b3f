"""Key drivers: Wilson intervals, the z-test, and planted effects recovered from generated data."""

from __future__ import annotations

import random

import pytest

from bot.drivers import fix_first, rank_drivers, two_proportion_z, wilson


@pytest.mark.parametrize(
    ("successes", "n", "expected"),
    [
        pytest.param(0, 0, (0.0, 1.0), id="no-data"),
        pytest.param(0, 10, (0.0, 0.2775), id="none-of-10"),
        pytest.param(5, 10, (0.2366, 0.7634), id="half-of-10"),
        pytest.param(50, 100, (0.4038, 0.5962), id="half-of-100"),
    ],
)
def test_wilson(successes: int, n: int, expected: tuple[float, float]) -> None:
    low, high = wilson(successes, n)
    assert (round(low, 4), round(high, 4)) == expected


@pytest.mark.parametrize(
    ("a", "n_a", "b", "n_b", "expected"),
    [
        pytest.param(10, 100, 10, 100, 0.0, id="equal"),
        pytest.param(30, 100, 10, 100, 3.54, id="higher"),
        pytest.param(0, 0, 1, 10, 0.0, id="empty"),
        pytest.param(0, 10, 0, 10, 0.0, id="no-variance"),
    ],
)
def test_two_proportion_z(a: int, n_a: int, b: int, n_b: int, expected: float) -> None:
    assert round(two_proportion_z(a, n_a, b, n_b), 2) == expected


def planted(seed: int = 7, n: int = 3000) -> list[tuple[dict[str, object], bool]]:
    """Surveys where WhatsApp and the refund intent each add DSAT; the agent and locale are noise."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        channel = rng.choice(["webchat", "telegram", "whatsapp"])
        intent = rng.choice(["refund", "billing", "login", "shipping"])
        p = 0.08 + (0.25 if channel == "whatsapp" else 0) + (0.2 if intent == "refund" else 0)
        factors = {
            "channel": channel,
            "intent": intent,
            "agent": [rng.choice(["amy", "bob", "cat"])],
            "locale": rng.choice(["en", "zh-CN"]),
        }
        rows.append((factors, rng.random() < p))
    return rows


def test_planted_effects_come_first_and_noise_is_not_significant() -> None:
    ranked = rank_drivers(planted(), min_n=30)
    top = [(d.factor, d.value) for d in fix_first(ranked)]
    assert top[:2] == [("channel", "whatsapp"), ("intent", "refund")]
    noise = [d for d in ranked if d.factor in ("agent", "locale")]
    assert noise and not any(d.significant and d.excess > 0 for d in noise)
    whatsapp = next(d for d in ranked if d.value == "whatsapp")
    assert whatsapp.low <= whatsapp.rate <= whatsapp.high
    assert whatsapp.excess == pytest.approx(whatsapp.dsat - whatsapp.n * whatsapp.rest_rate)


def test_small_groups_are_left_out() -> None:
    rows = [({"agent": ["amy"]}, True)] * 5 + [({"agent": ["bob"]}, False)] * 50
    assert [(d.value, d.n) for d in rank_drivers(rows, min_n=10)] == []  # amy: 5; bob's rest: 5
    assert [(d.value, d.n) for d in rank_drivers(rows, min_n=5)] == [("amy", 5), ("bob", 50)]

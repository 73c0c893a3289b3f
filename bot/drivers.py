"""Key drivers of dissatisfaction: which factor values go with more DSAT than the rest, and how many
DSAT surveys each would remove if it did as well as the rest.

The method, kept simple so a support lead can redo it by hand: for every value of every factor
(channel ``whatsapp``, intent ``refund``, ``handled_by`` bot...), compare the DSAT rate of the surveys
with that value to the rate of all others; a two-proportion z-test says whether the gap is more than
chance (|z| >= 1.96, about 95%), and a Wilson interval gives the range of the value's own rate.
``excess`` = DSAT surveys with the value minus what the rest's rate predicts for as many surveys:
the DSAT that fixing it would remove. Values with fewer than ``min_n`` surveys are left out. It is
one factor at a time: two factors that go together (an agent who takes every refund) share a gap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Z95 = 1.96


@dataclass(frozen=True, slots=True)
class Driver:
    """One factor value and how it moves DSAT."""

    factor: str
    value: str
    n: int
    dsat: int
    rate: float
    low: float
    high: float
    rest_n: int
    rest_rate: float
    z: float
    excess: float

    @property
    def significant(self) -> bool:
        return abs(self.z) >= Z95

    def as_dict(self) -> dict[str, object]:
        return {
            "factor": self.factor,
            "value": self.value,
            "n": self.n,
            "dsat": self.dsat,
            "rate": round(self.rate, 4),
            "interval": [round(self.low, 4), round(self.high, 4)],
            "rest_n": self.rest_n,
            "rest_rate": round(self.rest_rate, 4),
            "z": round(self.z, 2),
            "significant": self.significant,
            "excess_dsat": round(self.excess, 1),
        }


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (``(0, 1)`` for ``n == 0``)."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_z(a: int, n_a: int, b: int, n_b: int) -> float:
    """The z statistic of ``a/n_a`` against ``b/n_b`` (pooled); 0 when undefined."""
    if not n_a or not n_b:
        return 0.0
    pooled = (a + b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return (a / n_a - b / n_b) / se if se else 0.0


def rank_drivers(
    rows: Iterable[tuple[Mapping[str, str | Iterable[str]], bool]], min_n: int = 10
) -> list[Driver]:
    """Every factor value of ``rows`` (``(factors, dsat)``; a factor may hold several values, such as
    the agents of a survey) with at least ``min_n`` surveys, the most excess DSAT first."""
    total = dsat_total = 0
    counts: dict[tuple[str, str], list[int]] = {}
    for factors, unhappy in rows:
        dsat = int(unhappy)
        total += 1
        dsat_total += dsat
        for factor, values in factors.items():
            for value in [values] if isinstance(values, str) else values:
                entry = counts.setdefault((factor, value), [0, 0])
                entry[0] += 1
                entry[1] += dsat
    drivers = []
    for (factor, value), (n, dsat) in counts.items():
        rest_n, rest_dsat = total - n, dsat_total - dsat
        if n < min_n or rest_n < min_n:
            continue
        rest_rate = rest_dsat / rest_n
        low, high = wilson(dsat, n)
        z = two_proportion_z(dsat, n, rest_dsat, rest_n)
        drivers.append(
            Driver(factor, value, n, dsat, dsat / n, low, high, rest_n, rest_rate, z, dsat - n * rest_rate)
        )
    return sorted(drivers, key=lambda d: (-d.excess, d.factor, d.value))


def fix_first(drivers: Iterable[Driver], top: int = 3) -> list[Driver]:
    """The significant drivers that add DSAT, most excess first: "fix these first"."""
    return [d for d in drivers if d.significant and d.excess > 0][:top]

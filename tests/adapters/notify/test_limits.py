"""Two pacers on one database, as two ``csatbot serve`` processes hold them, together keep each
notification target's published limits (SQLite and PostgreSQL). Time is a clock the test moves in
exact binary steps, so every count is exact and nothing depends on how fast the machine is."""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Iterator

import pytest

from adapters.notify.limits import Pacer
from storage import open_database
from storage.db import Database
from storage.migrate import upgrade
from storage.rates import SqlRates

START = 1_795_400_000.0
STEP = 0.25  # seconds between rounds of takes (exact in binary: no rounding in the buckets)
SLACK = "https://hooks.slack.com/services/T0/B0/secret-part"
FEISHU = "https://open.feishu.cn/open-apis/bot/v2/hook/secret-part"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def databases(database_url: str) -> Iterator[list[Database]]:
    """Two handles (engines, pools) on one migrated database."""
    handles = [open_database(database_url), open_database(database_url)]
    upgrade(handles[0])
    yield handles
    for handle in handles:
        handle.dispose()


def busiest(times: list[float], per: float) -> int:
    """The most takes in any window of ``per`` seconds (each window starting at a take)."""
    return max((bisect.bisect_left(times, t + per) - i for i, t in enumerate(times)), default=0)


async def rounds(
    pacers: list[Pacer], clock: Clock, url: str, kind: str, seconds: float
) -> list[tuple[float, int]]:
    """Every ``STEP``, each pacer asks twice at once for room (not waiting): when, and which, got it."""
    taken: list[tuple[float, int]] = []
    for step in range(int(seconds / STEP)):
        clock.now = START + step * STEP
        order = pacers if step % 2 else pacers[::-1]  # each asks first in turn
        asks = [(pacers.index(p), p.take(url, kind, within=0.0)) for p in order for _ in range(2)]
        got = await asyncio.gather(*(ask for _, ask in asks))
        taken += [(clock.now, i) for (i, _), ok in zip(asks, got, strict=True) if ok]
    return taken


async def test_two_pacers_on_one_database_together_keep_each_targets_limits(
    databases: list[Database],
) -> None:
    clock = Clock()
    pacers = []
    for database in databases:
        pacer = Pacer()
        pacer.share(SqlRates(database, now=clock))
        pacers.append(pacer)

    slack = await rounds(pacers, clock, SLACK, "slack", 6.0)
    times = [t for t, _ in slack]
    print(f"\nslack: {len(slack)} takes in 6 s, busiest second {busiest(times, 1.0)}")
    assert busiest(times, 1.0) == 1  # 1 per second per webhook: two processes get 1 together, not 2
    assert len(slack) == 6

    feishu = await rounds(pacers, clock, FEISHU, "feishu", 75.0)
    times = [t for t, _ in feishu]
    second, minute = busiest(times, 1.0), busiest(times, 60.0)
    print(f"feishu: {len(feishu)} takes in 75 s, busiest second {second}, busiest minute {minute}")
    assert second <= 5 and minute <= 100  # 5 per second and 100 per minute, both at once
    assert second >= 4 and minute >= 95  # and close to them: the limits pace, they do not starve
    assert {i for _, i in feishu} == {0, 1}  # both processes sent


async def test_a_pacer_without_the_database_keeps_its_own_limits_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Down:
        async def reserve(self, wanted: object, within: float) -> float:
            raise ConnectionError("database unreachable")

    pacer = Pacer()
    pacer.share(Down())
    assert await pacer.take(SLACK, "slack", within=0.0)
    assert not await pacer.take(SLACK, "slack", within=0.0)  # the process's own 1 per second
    assert "shared notification limits unavailable" in caplog.text
    assert "secret-part" not in caplog.text


async def test_the_database_keeps_a_digest_of_the_webhook_url_never_the_url(
    databases: list[Database],
) -> None:
    pacer = Pacer()
    pacer.share(SqlRates(databases[0]))
    assert await pacer.take(FEISHU, "feishu", within=0.0)
    with databases[0].reader.connect() as conn:
        keys = [row[0] for row in conn.exec_driver_sql("SELECT key FROM rate_bucket ORDER BY key")]
    assert len(keys) == 2 and all(k.startswith("notify:feishu:") for k in keys)
    assert [k.rsplit(":", 1)[1] for k in keys] == ["100/60", "5/1"]
    assert not any("secret-part" in k or "feishu.cn" in k for k in keys)

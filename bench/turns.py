"""SQL statements and server CPU per survey turn: a Telegram-style rating tap through the service.

    python bench/turns.py --turns 300 [--postgres postgresql://postgres@127.0.0.1:5432/test]

Each customer chats, is resolved and gets the CSAT question (set-up, not measured); then each taps
5 stars, measured as one turn: ``ConversationService.handle`` (dedupe, engine, answer, timers,
the thank-you queued, commit) and the dispatcher delivering what it queued (claim, send, mark
sent). Statements are counted with SQLAlchemy's ``before_cursor_execute`` event (``BEGIN`` left
out, transactions counted apart); CPU is ``time.process_time`` (all threads) around the turn.
The first ``--warmup`` turns are not counted. A last phase has 32 customers tap at once and
their thank-yous go out in one delivery run: one claim, and the marking sent in batches.
PostgreSQL gets a fresh database, dropped after. Issue 18 measured 16.0 ms CPU (with HTTP) and
17 statements per tap before; on this bench the tap alone was 17 statements and 5.5 ms, the turn
with its message 24 statements and 8.7 ms (SQLite, at commit 89967c9).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.delivery import Dispatcher  # noqa: E402
from bot.messages import ChoicePicked, InboundMessage, Text  # noqa: E402
from bot.ports import Capabilities, FrozenClock, Sent  # noqa: E402
from bot.service import ConversationService  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage import SqlStore, open_database  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

BASELINE = {"cpu_ms": 16.0, "statements": 17.0}
"""Issue 18's numbers for a SQLite tap with its follow-up messages, before this work (context)."""
CHANNEL = "telegram"
SQLITE_HANDOFF = "sqlite, sent by the process that queued it"
SQLITE_CLAIM = "sqlite, claimed by the sender"
BURST = 32
"""Customers who tap at once in the last phase (their messages go out in one delivery run)."""


class Channel:
    """A platform stand-in that accepts every message (the send itself is not what is measured)."""

    name = CHANNEL
    capabilities = Capabilities(max_buttons=11, max_buttons_per_row=6)

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, to: Any, prompt: Any) -> Sent:
        self.sent += 1
        return Sent(str(self.sent))


@dataclass
class Counter:
    """Statements and transactions on the writer engine since the last :meth:`take`."""

    statements: int = 0
    transactions: int = 0
    texts: list[str] = field(default_factory=list)
    keep: bool = False

    def attach(self, database: Database) -> None:
        event.listen(database.writer, "before_cursor_execute", self._statement)
        event.listen(database.writer, "commit", self._commit)

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("BEGIN"):
            return
        self.statements += 1
        if self.keep:
            self.texts.append(" ".join(statement.split())[:160])

    def _commit(self, _conn: Any) -> None:
        self.transactions += 1

    def take(self) -> tuple[int, int]:
        taken = (self.statements, self.transactions)
        self.statements = self.transactions = 0
        return taken


@dataclass
class Phase:
    cpu: list[float] = field(default_factory=list)
    statements: list[float] = field(default_factory=list)
    transactions: list[float] = field(default_factory=list)

    def add(self, cpu: float, counted: tuple[float, float]) -> None:
        self.cpu.append(cpu)
        self.statements.append(counted[0])
        self.transactions.append(counted[1])


async def prepare(
    service: ConversationService, dispatcher: Dispatcher, clock: FrozenClock, n: int
) -> list[str]:
    """``n`` customers, each waiting to rate; returns their survey ids."""
    surveys: list[str] = []
    for i in range(n):
        msg = InboundMessage(CHANNEL, "bot", f"u{i}", f"m{i}", clock.now(), Text("my parcel is late"))
        result = await service.handle(msg)
        assert result.conversation_id is not None
        resolved = await service.resolve(result.conversation_id, "bob")
        assert resolved.survey_id is not None, resolved
        surveys.append(resolved.survey_id)
    clock.advance(timedelta(minutes=11))
    while await service.fire_due_timers(limit=100):
        pass
    while await dispatcher.deliver_due(limit=200):
        pass
    return surveys


async def measure(url: str, turns: int, warmup: int, show: bool, handoff: bool) -> dict[str, Phase]:
    database = open_database(url)
    upgrade(database)
    settings = Settings.from_config(load_config(ROOT / "config.yaml"))
    clock = FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    ids = iter(f"b{i:07d}" for i in range(10_000_000))
    store = SqlStore(database)
    service = ConversationService(store, lambda: settings, clock, new_id=lambda: next(ids))
    channel = Channel()
    dispatcher = Dispatcher(store, {CHANNEL: channel}, _NoWebhooks(), clock)
    surveys = await prepare(service, dispatcher, clock, turns + warmup + BURST)
    burst, surveys = surveys[turns + warmup :], surveys[: turns + warmup]
    if handoff:  # as `csatbot serve` runs: what a turn queues goes to this process's sender at once
        store.handoff = dispatcher
    counter = Counter()
    counter.attach(database)
    phases = {"tap (service.handle)": Phase(), "its messages (dispatcher)": Phase(), "turn in all": Phase()}
    for i, survey in enumerate(surveys):
        counter.keep = show and i == warmup
        rating = ChoicePicked(survey, "rating", "5")
        tap = InboundMessage(CHANNEL, "bot", f"u{i}", f"t{i}", clock.now(), rating)
        counter.take()
        started = time.process_time()
        result = await service.handle(tap)
        tapped = time.process_time()
        handled = counter.take()
        if handoff:
            before = channel.sent
            await dispatcher.drain()
            sent = channel.sent - before
        else:
            sent = await dispatcher.deliver_due()
        done = time.process_time()
        delivered = counter.take()
        assert result.answered and sent == 1, (result, sent)
        if i < warmup:
            continue
        phases["tap (service.handle)"].add(tapped - started, handled)
        phases["its messages (dispatcher)"].add(done - tapped, delivered)
        phases["turn in all"].add(done - started, (handled[0] + delivered[0], handled[1] + delivered[1]))
        if counter.keep:
            print(f"statements of one turn ({database.dialect}):")
            for text in counter.texts:
                print("   ", text)
            counter.texts.clear()
    store.handoff = None
    phases[f"{BURST} taps, then their messages in one delivery (per message)"] = await _burst(
        service, dispatcher, counter, clock, burst, turns + warmup
    )
    database.dispose()
    return phases


async def _burst(
    service: ConversationService,
    dispatcher: Dispatcher,
    counter: Counter,
    clock: FrozenClock,
    surveys: list[str],
    first: int,
) -> Phase:
    """Customers tap at once; the dispatcher then claims, sends and marks their messages together."""
    for n, survey in enumerate(surveys, start=first):
        rating = ChoicePicked(survey, "rating", "5")
        await service.handle(InboundMessage(CHANNEL, "bot", f"u{n}", f"t{n}", clock.now(), rating))
    counter.take()
    started = time.process_time()
    sent = await dispatcher.deliver_due()
    cpu = time.process_time() - started
    statements, commits = counter.take()
    assert sent == len(surveys), sent
    phase = Phase()
    phase.add(cpu / sent, (statements / sent, commits / sent))
    return phase


class _NoWebhooks:
    async def post_json(self, url: str, document: dict[str, Any]) -> None:
        return None


def postgres_database(server: str) -> tuple[str, Any]:
    """A fresh database beside ``server``'s and a function that drops it."""
    import psycopg

    admin = server.replace("postgresql+psycopg://", "postgresql://")
    name = f"csatbot_turns_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{admin.rsplit('/', 1)[0]}/{name}", drop


def _merge(into: dict[str, Phase], phases: dict[str, Phase]) -> None:
    for name, phase in phases.items():
        kept = into.setdefault(name, Phase())
        kept.cpu += phase.cpu
        kept.statements += phase.statements
        kept.transactions += phase.transactions


def table(results: dict[str, dict[str, Phase]]) -> str:
    lines = [
        "| database | phase | statements / turn | commits / turn | CPU ms / turn (median) | CPU ms (mean) |",
        "|---|---|---|---|---|---|",
    ]
    for db, phases in results.items():
        for name, p in phases.items():
            statements, commits = statistics.mean(p.statements), statistics.mean(p.transactions)
            median, mean = statistics.median(p.cpu) * 1000, statistics.mean(p.cpu) * 1000
            lines.append(f"| {db} | {name} | {statements:.1f} | {commits:.1f} | {median:.2f} | {mean:.2f} |")
    before = f"{BASELINE['statements']:.0f} | | {BASELINE['cpu_ms']:.1f} | |"
    lines.append(f"| sqlite (issue 18, before) | turn in all | {before}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a fresh database is made beside it")
    parser.add_argument("--show", action="store_true", help="print the SQL of one measured turn")
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds of the two SQLite ways")
    args = parser.parse_args()
    results: dict[str, dict[str, Phase]] = {}
    for n in range(args.rounds):
        for name, handoff in ((SQLITE_HANDOFF, True), (SQLITE_CLAIM, False)):
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'turns.db'}"
                phases = asyncio.run(measure(url, args.turns, args.warmup, args.show and n == 0, handoff))
            _merge(results.setdefault(name, {}), phases)
    if args.postgres:
        url, drop = postgres_database(args.postgres)
        try:
            results["postgresql"] = asyncio.run(measure(url, args.turns, args.warmup, args.show, False))
        finally:
            drop()
    print(table(results))


if __name__ == "__main__":
    main()

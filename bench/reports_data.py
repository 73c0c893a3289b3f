"""Fill a database with surveys for the report benchmark: a year of a busy support desk.

    python bench/reports_data.py --db var/bench/reports.db --surveys 1000000
    python bench/reports_data.py --db postgresql://postgres@127.0.0.1:5432/csatbot_bench --surveys 1000000

The schema comes from the real migrations; the rows go in with bulk inserts (SQLite ``executemany``
in one transaction) or ``COPY`` (PostgreSQL), in time order as a live system writes them. What is
in it, drawn from a seeded generator so two runs are identical:

* customers on five channels (WeChat and WeCom customers write Chinese), one conversation per survey;
* intents (delivery, billing, refund, password reset, ...); the bot resolves most password resets and
  thank-yous, agents of four teams the rest, one to three agents a conversation;
* CSAT (80%), NPS and CES surveys; response rates by channel; scores that depend on the agents (each
  has a quality of their own), the intent and the bot; low-score reasons and comments, praise;
* DSAT tickets (assigned, most resolved), the re-survey after them ("Is it solved now?") and its answers;
* more traffic on weekdays and in office hours (Shanghai), and growth over the year.

PostgreSQL: ``--db`` names a bench database (``csatbot_bench...``), dropped and created afresh;
``bench/reports.py --drop`` drops it at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import Sink, prepare  # noqa: E402

END = datetime(2026, 11, 30, tzinfo=UTC)
CHUNK = 20_000

CHANNELS = {"webchat": 35, "whatsapp": 25, "telegram": 15, "wechat": 15, "wecom": 10}
RESPONSE_RATE = {"webchat": 0.45, "whatsapp": 0.38, "telegram": 0.40, "wechat": 0.25, "wecom": 0.30}
CHINESE = {"webchat": 0.3, "whatsapp": 0.1, "telegram": 0.2, "wechat": 0.97, "wecom": 0.95}
INTENTS = {
    "delivery": 25,
    "billing": 14,
    "refund": 12,
    "password_reset": 10,
    "cancel": 8,
    "complaint": 5,
    "request_human": 5,
    "greeting_thanks": 6,
    "other": 15,
}
INTENT_MOOD = {
    "complaint": -1.0,
    "refund": -0.35,
    "request_human": -0.5,
    "cancel": -0.2,
    "greeting_thanks": 0.5,
}
BOT_RESOLVES = {"password_reset": 0.7, "greeting_thanks": 0.6, "other": 0.1, "delivery": 0.15}
TEAMS = {"support": 20, "billing": 8, "escalations": 4, "vip": 3}
TEAM_OF_INTENT = {
    "billing": "billing",
    "refund": "billing",
    "complaint": "escalations",
    "request_human": "escalations",
}
FLOWS = {"csat": 80, "nps": 12, "ces": 8}
REASONS = {"slow": 35, "unresolved": 30, "attitude": 15, "other": 20}
PRAISE = ["great help, thank you", "very patient agent", "fast and friendly", "太好了，谢谢！", "客服很耐心"]
COMPLAINTS = ["waited far too long", "still not fixed", "nobody answered", "太慢了", "问题没有解决"]


def _cumulative(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    total, acc, keys = 0.0, [], []
    for key, weight in weights.items():
        total += weight
        keys.append(key)
        acc.append(total)
    return keys, acc


def survey_id(n: int) -> str:
    """A unique 8-character id that looks random (a bijection of ``n`` on 48 bits, base64url)."""
    import base64

    scrambled = (n * 0x9E3779B97F4B) % (1 << 48)
    return base64.urlsafe_b64encode(scrambled.to_bytes(6, "big")).decode()


def send_times(rng: random.Random, n: int, days: int, end: datetime) -> list[datetime]:
    """``n`` times over ``days`` before ``end``: weekdays busier, office hours in Shanghai, growing."""
    import numpy as np

    gen = np.random.default_rng(rng.getrandbits(32))
    start = end - timedelta(days=days)
    day_index = np.arange(days)
    weekday = (np.array([(start + timedelta(days=int(d))).weekday() for d in day_index]) < 5) * 0.5 + 0.5
    day_weights = (1.0 + 0.6 * day_index / max(days - 1, 1)) * weekday
    hour_weights = np.array([3 if 1 <= h <= 10 else 1.5 if 11 <= h <= 14 else 0.4 for h in range(24)])
    picked_days = gen.choice(days, size=n, p=day_weights / day_weights.sum())
    picked_hours = gen.choice(24, size=n, p=hour_weights / hour_weights.sum())
    seconds = picked_days * 86400 + picked_hours * 3600 + gen.integers(0, 3600, size=n)
    seconds.sort()
    return [start + timedelta(seconds=int(s)) for s in seconds]


class World:
    """The customers, agents and their qualities; draws one survey's worth of rows at a time."""

    def __init__(self, rng: random.Random, surveys: int) -> None:
        self.rng = rng
        self.channels = _cumulative(CHANNELS)
        self.intents = _cumulative(INTENTS)
        self.flows = _cumulative(FLOWS)
        self.reasons = _cumulative(REASONS)
        self.agents = {
            team: [f"{team[:3]}{i:02d}" for i in range(1, size + 1)] for team, size in TEAMS.items()
        }
        self.quality = {a: rng.gauss(0.0, 0.35) for members in self.agents.values() for a in members}
        self.customers = max(10, int(surveys * 0.45))

    def pick(self, table: tuple[list[str], list[float]]) -> str:
        keys, acc = table
        return self.rng.choices(keys, cum_weights=acc)[0]

    def customer(self, customer_id: int) -> tuple[str, str]:
        """A customer's channel and locale, fixed per customer."""
        local = random.Random(customer_id * 7919)
        channel = local.choices(self.channels[0], cum_weights=self.channels[1])[0]
        return channel, "zh-CN" if local.random() < CHINESE[channel] else "en"

    def score(self, kind: str, mood: float) -> int:
        """A rating on ``kind``'s scale; ``mood`` shifts it (0 is the desk's average)."""
        u = min(max(self.rng.random() + 0.18 * mood, 0.0), 0.999)
        if kind == "csat":
            return 1 if u < 0.09 else 2 if u < 0.16 else 3 if u < 0.27 else 4 if u < 0.52 else 5
        if kind == "nps":
            return min(10, max(0, round(u * 11.5 - 0.5 + self.rng.gauss(0, 1))))
        return (
            1
            if u < 0.06
            else 2
            if u < 0.12
            else 3
            if u < 0.22
            else 4
            if u < 0.35
            else 5
            if u < 0.55
            else 6
            if u < 0.8
            else 7
        )


def generate(
    url: str,
    surveys: int = 1_000_000,
    *,
    days: int = 365,
    end: datetime = END,
    seed: int = 7,
    progress: bool = True,
) -> dict[str, int]:
    """Migrate ``url`` and fill it with ``surveys`` main surveys (plus follow-ups); returns row counts."""
    from bot.config import load_config
    from bot.settings import Settings
    from storage import open_database
    from storage.migrate import upgrade

    database = open_database(url)
    upgrade(database)
    database.dispose()
    rng = random.Random(seed)
    world = World(rng, surveys)
    times = send_times(rng, surveys, days, end)
    sink = Sink(url)
    start = end - timedelta(days=days + 1)
    flows = Settings.from_config(load_config(ROOT / "config.yaml")).flows
    sink.write(
        "flowversion",
        ("version", "flow_id", "body", "created_at"),
        [(f.version, f.id, f.model_dump_json(), sink.when(start)) for f in flows.values()],
    )
    versions = {name: f.version for name, f in flows.items()}
    customers = [(i, *world.customer(i)) for i in range(1, world.customers + 1)]
    for first in range(0, len(customers), CHUNK):
        part = customers[first : first + CHUNK]
        sink.write(
            "customer",
            ("id", "display_name", "locale", "created_at"),
            [(i, f"Customer {i}", loc, sink.when(start)) for i, _, loc in part],
        )
        sink.write(
            "identity",
            ("id", "customer_id", "channel", "account", "user", "display_name", "locale", "created_at"),
            [(i, i, ch, "", f"{ch}-{i}", f"Customer {i}", loc, sink.when(start)) for i, ch, loc in part],
        )
    writer = _Writer(sink, world, customers, versions)
    bar = _progress(progress, surveys)
    for first in range(0, surveys, CHUNK):
        writer.chunk(first, times[first : first + CHUNK])
        bar(min(CHUNK, surveys - first))
    sink.finish()
    bar(0, done=True)
    return sink.counts.rows


def _progress(show: bool, total: int) -> Any:
    if not show:
        return lambda n, done=False: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("surveys"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    task = bar.add_task("surveys", total=total)
    bar.start()

    def advance(n: int, done: bool = False) -> None:
        bar.advance(task, n)
        if done:
            bar.stop()

    return advance


class _Writer:
    """Turns a chunk of send times into rows of every table, and writes them parents first."""

    def __init__(
        self, sink: Sink, world: World, customers: list[tuple[int, str, str]], versions: dict[str, str]
    ):
        self.sink, self.world, self.customers, self.versions = sink, world, customers, versions
        self.ticket_id = 0
        self.followups = 0

    def chunk(self, first: int, times: list[datetime]) -> None:
        rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _COLUMNS}
        for offset, sent in enumerate(times):
            self.survey(first + offset + 1, sent, rows)
        for table, columns in _COLUMNS.items():
            self.sink.write(table, columns, rows[table])

    def survey(self, n: int, sent: datetime, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        w, rng, when, flag = self.world, self.world.rng, self.sink.when, self.sink.flag
        customer_id, channel, locale = self.customers[rng.randrange(len(self.customers))]
        intent = w.pick(w.intents)
        resolved = sent - timedelta(minutes=10)
        opened = resolved - timedelta(minutes=rng.randint(3, 240))
        if rng.random() < BOT_RESOLVES.get(intent, 0.0):
            agents, team, how, by, mood = ["bot"], None, "bot_resolved", "bot", 0.3
        else:
            team = TEAM_OF_INTENT.get(intent, "support")
            if rng.random() < 0.05:
                team = "vip"
            k = 1 if rng.random() < 0.8 else 2 if rng.random() < 0.9 else 3
            agents = rng.sample(w.agents[team], k)
            how, by = "agent_resolved", agents[-1]
            mood = sum(w.quality[a] for a in agents) / len(agents) * 2.5
        mood += INTENT_MOOD.get(intent, 0.0)
        human = [a for a in agents if a != "bot"]
        ends = (when(opened), when(resolved), when(resolved))
        who = (how, by, json.dumps(human), team)
        rows["conversation"].append((n, customer_id, customer_id, channel, "resolved", *who, *ends))
        flow = w.pick(w.flows)
        sid = survey_id(n)
        scores: dict[str, int | None] = {"csat": None, "nps": None, "ces": None}
        escalated, answers = False, []
        responded = rng.random() < RESPONSE_RATE[channel]
        answered_at = sent + timedelta(minutes=rng.randint(1, 90))
        if responded:
            score = w.score(flow, mood)
            scores[flow] = score
            step = {"csat": "rating", "nps": "score", "ces": "effort"}[flow]
            answers.append(_answer(sid, step, flow, when(answered_at), score=score))
            escalated = score <= {"csat": 3, "nps": 6, "ces": 3}[flow]
            if escalated and flow == "csat" and rng.random() < 0.85:
                answers.append(_answer(sid, "reason", "choice", when(answered_at), option=w.pick(w.reasons)))
            if escalated and rng.random() < 0.45:
                text = rng.choice(COMPLAINTS)
                step = "comment" if flow == "csat" else "why"
                answers.append(_answer(sid, step, "text", when(answered_at), text=text, sentiment="negative"))
            elif not escalated and flow == "csat" and rng.random() < 0.12:
                text = rng.choice(PRAISE)
                answers.append(
                    _answer(sid, "praise", "text", when(answered_at), text=text, sentiment="positive")
                )
        status = "completed" if responded else "expired"
        finished = answered_at if responded else sent + timedelta(days=1)
        rows["survey"].append(
            _row(
                "survey",
                id=sid,
                customer_id=customer_id,
                conversation_id=n,
                identity_id=customer_id,
                channel=channel,
                flow_id=flow,
                flow_version=self.versions[flow],
                locale=locale,
                status=status,
                escalated=flag(escalated),
                created_at=when(sent - timedelta(minutes=10)),
                due_at=when(sent),
                sent_at=when(sent),
                finished_at=when(finished),
                kind="main",
                team=team,
                intent=intent,
                responded=flag(responded),
                agents=json.dumps(agents),
                **scores,
            )
        )
        rows["answer"].extend(answers)
        if escalated:
            self.ticket(n, sid, customer_id, channel, locale, team or "support", intent, answered_at, rows)

    def ticket(
        self,
        n: int,
        sid: str,
        customer_id: int,
        channel: str,
        locale: str,
        team: str,
        intent: str,
        opened: datetime,
        rows: dict[str, list[tuple[Any, ...]]],
    ) -> None:
        w, rng, when, flag = self.world, self.world.rng, self.sink.when, self.sink.flag
        self.ticket_id += 1
        assignee = rng.choice(w.agents[team])
        resolved_at = opened + timedelta(hours=rng.uniform(0.3, 30)) if rng.random() < 0.85 else None
        status = "open" if resolved_at is None else "closed" if rng.random() < 0.2 else "resolved"
        times = (
            when(opened),
            when(resolved_at or opened),
            when(opened + timedelta(hours=4)),
            when(resolved_at),
        )
        labels = ("[]", "[]", "[]", assignee, "normal", intent, None)
        rows["ticket"].append((self.ticket_id, customer_id, n, sid, team, status, *labels, *times))
        if resolved_at is None or rng.random() > 0.95:
            return
        self.followups += 1
        fid = survey_id(10_000_000_000 + self.ticket_id)
        sent = resolved_at + timedelta(minutes=10)
        csat = None
        if rng.random() < 0.55:
            csat = 5 if rng.random() < 0.45 else 4 if rng.random() < 0.3 else rng.randint(1, 3)
            rows["answer"].append(_answer(fid, "solved", "csat", when(sent), score=csat))
        rows["survey"].append(
            _row(
                "survey",
                id=fid,
                customer_id=customer_id,
                conversation_id=n,
                identity_id=customer_id,
                channel=channel,
                flow_id="resolved_check",
                flow_version=self.versions["resolved_check"],
                locale=locale,
                status="completed" if csat else "expired",
                escalated=flag(csat is not None and csat <= 3),
                created_at=when(resolved_at),
                due_at=when(sent),
                sent_at=when(sent),
                finished_at=when(sent + timedelta(days=1)),
                kind="followup",
                ticket_id=self.ticket_id,
                team=team,
                intent=intent,
                responded=flag(csat is not None),
                csat=csat,
                agents=json.dumps([assignee]),
            )
        )


_COLUMNS: dict[str, tuple[str, ...]] = {
    "conversation": (
        "id",
        "customer_id",
        "identity_id",
        "channel",
        "status",
        "resolution",
        "resolved_by",
        "agents",
        "team",
        "opened_at",
        "last_message_at",
        "resolved_at",
    ),
    "survey": (
        "id",
        "customer_id",
        "conversation_id",
        "identity_id",
        "channel",
        "flow_id",
        "flow_version",
        "locale",
        "status",
        "state",
        "escalated",
        "created_at",
        "due_at",
        "sent_at",
        "finished_at",
        "kind",
        "ticket_id",
        "team",
        "intent",
        "responded",
        "csat",
        "nps",
        "ces",
        "agents",
    ),
    "answer": ("survey_id", "step", "kind", "score", "option", "text", "raw", "sentiment", "created_at"),
    "ticket": (
        "id",
        "customer_id",
        "conversation_id",
        "survey_id",
        "team",
        "status",
        "reasons",
        "transcript",
        "answers",
        "assignee",
        "priority",
        "intent",
        "sentiment",
        "created_at",
        "updated_at",
        "sla_due_at",
        "resolved_at",
    ),
}
"""Insert order (parents first) and columns of each table the generator writes."""
_DEFAULTS = {"state": "{}", "ticket_id": None, "csat": None, "nps": None, "ces": None}


def _row(table: str, **values: Any) -> tuple[Any, ...]:
    return tuple(values[c] if c in values else _DEFAULTS[c] for c in _COLUMNS[table])


def _answer(sid: str, step: str, kind: str, at: Any, **values: Any) -> tuple[Any, ...]:
    score, text = values.get("score"), values.get("text")
    raw = text if text is not None else "" if score is None else str(score)
    return (sid, step, kind, score, values.get("option"), text, raw, values.get("sentiment"), at)


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="var/bench/reports.db", help="SQLite file or postgresql:// URL")
    parser.add_argument("--surveys", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(list(argv) if argv is not None else None)
    url = prepare(args.db if "://" in args.db else f"sqlite:///{args.db}")
    began = time.perf_counter()
    counts = generate(url, args.surveys, days=args.days, seed=args.seed)
    print(f"{sum(counts.values()):,} rows in {time.perf_counter() - began:.1f} s: {counts}")


if __name__ == "__main__":
    main()

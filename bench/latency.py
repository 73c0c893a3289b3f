"""Latency of a Telegram rating tap under open-loop load, on SQLite and PostgreSQL (issue 18 point 3).

    python bench/latency.py                                   # about 6 min on 2 busy cores
    python bench/latency.py --seconds 8 --burst 150 --sqlite-only

A real ``csatbot serve --no-triage`` process per database, Telegram on, pointed at the project's
fake Bot API (``adapters/telegram/fake.py``, served in a thread of this process) which stamps every
``sendMessage`` and ``editMessage*`` with ``time.perf_counter()`` as it arrives. Set-up, not timed:
customers write and are resolved with ``send_survey_now`` (``bench/webhooks.py``'s set-up) until each
has the rating question. Then:

1. **capacity**: a closed-loop burst of ``--burst`` taps (1,000), 16 in flight (``bench/load.py``'s
   raw keep-alive client); capacity = taps / (first send to the last follow-up message received). A
   short burst overstates it: 300 taps read 120.8 taps/s on a quiet machine, which the server then
   could not sustain open loop (its inbox queue grew for the whole phase); 1,000 read 61.9.
2. **steady**: taps at a fixed ``--rate`` (20/s) for ``--seconds``, **open loop**: each tap is sent
   on its schedule whatever the earlier ones are doing (a new keep-alive connection when none is
   free), so queueing in the server shows as latency instead of a slower client.
3. **80% of capacity**: the same at ``--load`` x the measured capacity.

A tap's latency is from writing its signed ``callback_query`` webhook to the fake platform receiving
the bot's first message for that customer (the edit of the question, from the inbox worker right
after the turn commits); "next question" is to the ``sendMessage`` of the follow-up (the outbox).
The webhook's own answer (its 200) is timed apart. Every third customer taps 2 stars (a DSAT ticket
too), the others 4 or 5.

Telegram allows a bot about 30 messages a second in all; a tap brings two (the edit and the next
question), so 20 taps/s is over the platform's own quota and the adapter's limiter would queue them
for seconds. The server runs with that overall limit lifted (``--telegram-limit`` keeps it): the
bench measures csatbot, not Telegram's quota. The limiter still runs (its buckets in the database).
A second table splits each tap into the server's steps (a trace the server writes at exit: see
:func:`trace`), with the server's event-loop stalls and how long its threads were runnable but
had no CPU (``/proc`` schedstat), which tells a busy machine from a slow server. The fake platform
shares this process's GIL with the client; the machine is shared, so the load average is printed
with the table.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.telegram.fake_api import FakeBotApi  # noqa: E402
from bench import load  # noqa: E402
from bench.harness import API_TOKEN, AUTH, IDENTITY_SECRET, ServerProcess, free_port  # noqa: E402
from bench.turns import postgres_database  # noqa: E402
from bench.webhooks import TelegramChannel, encoded, set_up, write_config  # noqa: E402

MESSAGES = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})
"""Bot API calls that put something in front of the customer (answerCallbackQuery does not)."""
IN_FLIGHT = 16
"""Requests in flight in the closed-loop burst."""
DRAIN = 30.0
"""Seconds to wait for a phase's last follow-ups before counting the rest as missing."""
LIFTED = 100_000.0


class StampingBotApi(FakeBotApi):
    """The fake Bot API, noting when each message to a chat arrived."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.stamps: list[tuple[float, str, str]] = []  # (perf_counter, method, chat id)

    def perform(self, method: str, params: dict[str, Any]) -> Any:
        if method in MESSAGES:
            self.stamps.append((time.perf_counter(), method, str(params.get("chat_id"))))
        return super().perform(method, params)


class Csatbot(ServerProcess):
    """``csatbot serve`` in a subprocess, through :func:`serve_lifted`; its trace goes to ``trace``."""

    def __init__(
        self, config: Path, database: str, environ: dict[str, str], keep_limit: bool, trace: Path
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.trace = trace
        command = [sys.executable, __file__, "--serve", "serve", "--config", str(config), "--db", database]
        command += ["--port", str(self.port), "--no-triage", "--log-level", "WARNING"]
        env = {
            **os.environ,
            "CSATBOT_API_TOKEN": API_TOKEN,
            "CSATBOT_WEBCHAT_IDENTITY_SECRET": IDENTITY_SECRET,
            "CSATBOT_SECRET_KEY": "bench-latency-session-key-0123456789abcdef",
            TRACE_ENV: str(trace),
            **({KEEP_LIMIT_ENV: "1"} if keep_limit else {}),
            **environ,
        }
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env)


def serve_lifted(argv: list[str]) -> None:
    """``csatbot serve`` with Telegram's overall 30 messages/s lifted (per-chat limits kept), and
    where a tap's time goes noted when ``$BENCH_LATENCY_TRACE`` names a file (:func:`trace`)."""
    from adapters.telegram import channel
    from csatbot.cli import main

    if not os.environ.get(KEEP_LIMIT_ENV):
        channel.RATE_OVERALL = LIFTED
    if path := os.environ.get(TRACE_ENV):
        trace(Path(path))
    sys.argv = ["csatbot", *argv]
    main()


TRACE_ENV = "BENCH_LATENCY_TRACE"
KEEP_LIMIT_ENV = "BENCH_LATENCY_KEEP_LIMIT"
STAGES = ("stored", "claimed", "turn", "edit", "bucket", "bucket_done", "send")
"""Points of a tap in the server, in order: the webhook's insert committed, the inbox worker
claimed the row, the turn began, the turn ended (the edit is being sent), the rate-limit buckets
asked, answered, and the outbox began sending the next question (``perf_counter``, the same clock in
every process on Linux)."""


def trace(path: Path) -> None:
    """Wrap the server's steps to note, per chat, when a tap passed each of :data:`STAGES`; the
    notes and the event loop's stalls (over 5 ms late) are written to ``path`` at exit."""
    import atexit

    from adapters.http import RateLimits
    from adapters.telegram.channel import TelegramChannel as Adapter
    from bot.inbox import Intake
    from storage.inbox import SqlInbox

    events: list[tuple[float, str, str]] = []
    stalls: list[tuple[float, float]] = []  # (when, ms late)

    def note(stage: str, chat: object) -> None:
        events.append((time.perf_counter(), stage, str(chat)))

    def wrap(
        owner: Any, name: str, before: Callable[..., Any] | None, after: Callable[..., Any] | None
    ) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            if before is not None:
                before(*args)
            result = await original(*args, **kwargs)
            if after is not None:
                after(result, *args)
            return result

        setattr(owner, name, wrapped)

    wrap(Intake, "accept", None, lambda _r, _self, _channel, _key, sender, *_: note("stored", sender))

    def claimed(items: list[Any], *_: Any) -> None:
        for item in items:
            note("claimed", item.sender)

    wrap(SqlInbox, "claim", None, claimed)
    wrap(Adapter, "handle_stored", lambda _self, item: note("turn", item.sender), None)
    wrap(
        Adapter,
        "react",
        lambda _self, reaction: note("edit", reaction.edit.chat) if reaction.edit else None,
        None,
    )
    wrap(RateLimits, "_wait", lambda _self, chat, *_: note("bucket", chat), None)
    wrap(RateLimits, "_wait", None, lambda _r, _self, chat, *_: note("bucket_done", chat))
    wrap(Adapter, "send", lambda _self, to, _prompt: note("send", to.user), None)

    async def watch_loop() -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.005)
            if (late := time.perf_counter() - began - 0.005) > 0.005:
                stalls.append((began, late * 1000))

    original_start = Adapter.start

    async def start(self: Adapter) -> None:
        asyncio.get_running_loop().create_task(watch_loop())
        await original_start(self)

    Adapter.start = start  # type: ignore[method-assign]

    def dump() -> None:
        path.write_text(json.dumps({"events": events, "stalls": stalls}), encoding="utf-8")

    def dump_and_exit(_signum: int, _frame: Any) -> None:
        sys.exit(0)  # uvicorn raises SIGTERM again after its graceful shutdown: exit so atexit runs

    atexit.register(dump)
    signal.signal(signal.SIGTERM, dump_and_exit)


# ---------------------------------------------------------------------------------------------
# Sending taps and matching them to what the platform received.


@dataclass
class Phase:
    """One phase's taps: when each was sent, its webhook answer time, and its follow-ups."""

    name: str
    target_rate: float | None = None
    sent: dict[str, float] = field(default_factory=dict)  # chat id -> perf_counter at send
    lag_ms: list[float] = field(default_factory=list)  # how late each send was on its schedule
    answer_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    missing: int = 0
    span_s: float = 0.0
    drained_s: float = 0.0
    first_at: dict[str, float] = field(default_factory=dict)  # chat id -> first message received
    next_at: dict[str, float] = field(default_factory=dict)  # chat id -> next question received
    segments: dict[str, list[float]] = field(default_factory=dict)  # from the server's trace, ms
    stalls_ms: list[float] = field(default_factory=list)
    cpu_wait: float | None = None  # seconds the server's threads waited for a CPU, per second

    @property
    def achieved(self) -> float:
        return len(self.sent) / self.span_s if self.span_s else 0.0


def runqueue_seconds(pid: int) -> float | None:
    """Seconds the threads of ``pid`` spent runnable but waiting for a CPU (``/proc`` schedstat,
    Linux), or ``None`` where it cannot be read."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return sum(int((task / "schedstat").read_text().split()[1]) for task in tasks) / 1e9
    except (OSError, IndexError, ValueError):
        return None


class Pool:
    """Keep-alive connections; a send never waits for a busy one (a new one is opened)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[load.Connection] = []
        self.opened = 0

    async def warm(self, count: int) -> None:
        self.idle += [await load.connect(self.port) for _ in range(count)]
        self.opened += count

    async def take(self) -> load.Connection:
        while self.idle:
            connection = self.idle.pop()
            if not connection.closed:
                return connection
        self.opened += 1
        return await load.connect(self.port)

    def close(self) -> None:
        for connection in self.idle:
            if connection.transport is not None:
                connection.transport.close()


async def post(pool: Pool, phase: Phase, chat: str, raw: bytes) -> None:
    connection = await pool.take()
    started = time.perf_counter()
    phase.sent[chat] = started
    try:
        status, _body = await connection.send(raw)
    except ConnectionError:
        status = 0
    phase.answer_ms.append((time.perf_counter() - started) * 1000)
    if status != 200:
        phase.errors += 1
    if not connection.closed:
        pool.idle.append(connection)


async def open_loop(pool: Pool, phase: Phase, taps: list[tuple[str, bytes]], rate: float) -> None:
    """Send ``taps`` at ``rate`` a second on a fixed schedule (open loop)."""
    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task[None]] = []
    began = time.perf_counter()
    for i, (chat, raw) in enumerate(taps):
        due = began + i / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        phase.lag_ms.append(max(0.0, time.perf_counter() - due) * 1000)
        tasks.append(loop.create_task(post(pool, phase, chat, raw)))
    await asyncio.gather(*tasks)
    phase.span_s = len(taps) / rate


async def closed_loop(pool: Pool, phase: Phase, taps: list[tuple[str, bytes]]) -> None:
    """Send ``taps`` as fast as :data:`IN_FLIGHT` connections answer them."""
    todo = iter(taps)

    async def worker() -> None:
        for chat, raw in todo:
            await post(pool, phase, chat, raw)

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


async def settle(api: StampingBotApi, phase: Phase, since: int) -> None:
    """Wait for every tap's two follow-ups (or :data:`DRAIN` s); fill in the phase's latencies."""
    began = time.perf_counter()
    first: dict[str, float] = {}
    following: dict[str, float] = {}
    seen = since
    while time.perf_counter() - began < DRAIN:
        stamps = api.stamps[seen:]
        seen += len(stamps)
        for at, method, chat in stamps:
            if chat in phase.sent and at > phase.sent[chat]:
                first.setdefault(chat, at)
                if method == "sendMessage":
                    following.setdefault(chat, at)
        if len(following) == len(phase.sent):
            break
        await asyncio.sleep(0.05)
    phase.drained_s = time.perf_counter() - began
    phase.first_at, phase.next_at = first, following
    start = min(phase.sent.values())
    if phase.target_rate is None:  # closed loop: capacity counted to the last follow-up
        phase.span_s = max([*first.values(), *following.values()], default=start) - start
    for chat, sent in phase.sent.items():
        if chat in first:
            phase.first_ms.append((first[chat] - sent) * 1000)
        if chat in following:
            phase.next_ms.append((following[chat] - sent) * 1000)
        else:
            phase.missing += 1


# ---------------------------------------------------------------------------------------------
# One database.


@dataclass
class Run:
    database: str
    phases: list[Phase] = field(default_factory=list)
    capacity: float = 0.0
    server_cpu_ms_per_tap: float | None = None


async def prepare(
    client: httpx.AsyncClient, channel: TelegramChannel, offset: int, n: int
) -> list[tuple[str, bytes]]:
    """``n`` more customers (from number ``offset``), each with the rating question
    (``bench/webhooks.py``'s set-up); their (chat id, encoded tap)."""
    hooks = await set_up(client, channel, n, IN_FLIGHT, offset)
    users = [channel.user(channel.customer(offset + i)) for i in range(n)]
    return list(zip(users, encoded(channel.sim.path, hooks), strict=True))


async def measure(database: str, name: str, args: argparse.Namespace, folder: Path) -> Run:
    channel = TelegramChannel()
    api = StampingBotApi(channel.sim.api.token)
    channel.sim.api = api
    channel.sim.server.handler = api
    channel.sim.start()
    run = Run(name)
    try:
        config = write_config(folder / name, channel)
        trace = folder / f"trace-{name}.json"
        server = Csatbot(config, database, channel.sim.environ, args.telegram_limit, trace)
        try:
            async with httpx.AsyncClient(base_url="", timeout=60) as plain:
                await server.ready(plain)
            keep = httpx.Limits(keepalive_expiry=1.0)  # under uvicorn's 5 s: never reuse one it is closing
            async with httpx.AsyncClient(
                base_url=server.url, timeout=60, headers=AUTH, limits=keep
            ) as client:
                steady_n = round(args.rate * args.seconds)
                began = time.perf_counter()
                taps = await prepare(client, channel, 0, args.burst + steady_n)
                print(
                    f"{name}: {len(taps)} customers asked in {time.perf_counter() - began:.0f} s",
                    file=sys.stderr,
                )
                pool = Pool(server.port)
                await pool.warm(IN_FLIGHT)
                burst = Phase("capacity burst (closed loop, 16 in flight)")
                mark = len(api.stamps)
                await closed_loop(pool, burst, taps[: args.burst])
                await settle(api, burst, mark)
                run.capacity = burst.achieved
                run.phases.append(burst)
                high_rate = max(1.0, args.load * run.capacity)
                high_n = round(high_rate * args.seconds)
                high_taps = await prepare(client, channel, len(taps), high_n)
                plan: list[tuple[str, float, list[tuple[str, bytes]]]] = [
                    (f"steady {args.rate:g}/s (open loop)", args.rate, taps[args.burst :]),
                    (f"{args.load:.0%} of capacity (open loop)", high_rate, high_taps),
                ]
                cpu_taps, cpu = 0, 0.0
                for title, rate, phase_taps in plan:
                    phase = Phase(title, rate)
                    await asyncio.sleep(1.0)  # set-up's last messages out of the way
                    mark, before = len(api.stamps), server.cpu_seconds()
                    waited, began = runqueue_seconds(server.proc.pid), time.perf_counter()
                    await open_loop(pool, phase, phase_taps, rate)
                    await settle(api, phase, mark)
                    if waited is not None and (now := runqueue_seconds(server.proc.pid)) is not None:
                        phase.cpu_wait = (now - waited) / (time.perf_counter() - began)
                    if before is not None and (after := server.cpu_seconds()) is not None:
                        cpu, cpu_taps = cpu + after - before, cpu_taps + len(phase.sent)
                    run.phases.append(phase)
                    print(f"{name}: {title} done", file=sys.stderr)
                run.server_cpu_ms_per_tap = 1000 * cpu / cpu_taps if cpu_taps else None
                pool.close()
        finally:
            server.stop()
    finally:
        channel.sim.stop()
    if trace.exists():
        breakdown(run, json.loads(trace.read_text(encoding="utf-8")))
    return run


SEGMENTS = (
    ("webhook insert", "sent", "stored"),
    ("inbox wake + claim", "stored", "claimed"),
    ("claimed -> turn", "claimed", "turn"),
    ("turn", "turn", "edit"),
    ("edit: call", "edit", "first"),
    ("outbox wake + claim", "edit", "send"),
    ("send: call", "send", "next"),
)
"""What the trace splits a tap into: (name, from stage, to stage), each stage's first time after the
tap was sent; ``sent``, ``first`` and ``next`` are the client's send and the fake platform's first
message (the edit) and next question. The outbox is woken when the turn commits, so its send runs
beside the edit. A call includes taking room in the rate-limit buckets (one transaction, shown apart) and
any wait for that room."""
BUCKETS = "buckets per message"


def breakdown(run: Run, trace: dict[str, Any]) -> None:
    """Each phase's per-tap time between the stages of :data:`SEGMENTS`, and its loop stalls."""
    by_chat: dict[str, list[tuple[float, str]]] = {}
    for at, stage, chat in trace["events"]:
        by_chat.setdefault(chat, []).append((at, stage))
    for phase in run.phases:
        end = max([*phase.next_at.values(), *phase.first_at.values()], default=0.0)
        start = min(phase.sent.values(), default=0.0)
        phase.stalls_ms = [ms for at, ms in trace["stalls"] if start <= at <= end]
        for chat, sent in phase.sent.items():
            points = {"sent": sent}
            if chat in phase.first_at:
                points["first"] = phase.first_at[chat]
            if chat in phase.next_at:
                points["next"] = phase.next_at[chat]
            asked: float | None = None
            for at, stage in sorted(by_chat.get(chat, [])):
                if at < sent:
                    continue
                points.setdefault(stage, at)
                if stage == "bucket":
                    asked = at
                elif stage == "bucket_done" and asked is not None:
                    phase.segments.setdefault(BUCKETS, []).append((at - asked) * 1000)
                    asked = None
            for name, begin, finish in SEGMENTS:
                if begin in points and finish in points:
                    phase.segments.setdefault(name, []).append((points[finish] - points[begin]) * 1000)


# ---------------------------------------------------------------------------------------------
# The table.


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_table(runs: list[Run], args: argparse.Namespace, loads: list[str], wall: float) -> None:
    from rich.console import Console
    from rich.table import Table

    limit = "kept (30 messages/s)" if args.telegram_limit else "lifted"
    table = Table(
        title=f"Telegram rating tap latency, webhook sent -> first message to that customer; "
        f"Telegram's overall limit {limit}"
    )
    columns = ["database", "phase", "rate /s", "taps", "p50 ms", "p95 ms", "p99 ms", "max ms"]
    columns += ["next question p99 ms", "webhook 200 p99 ms", "achieved /s", "send lag p99 ms", "missing"]
    for column in columns:
        table.add_column(column, justify="left" if column in ("database", "phase") else "right")
    for run in runs:
        for phase in run.phases:
            f = phase.first_ms
            table.add_row(
                run.database,
                phase.name,
                "-" if phase.target_rate is None else f"{phase.target_rate:.1f}",
                str(len(phase.sent)),
                *(f"{quantile(f, q):.1f}" for q in (0.5, 0.95, 0.99)),
                f"{max(f, default=float('nan')):.1f}",
                f"{quantile(phase.next_ms, 0.99):.1f}",
                f"{quantile(phase.answer_ms, 0.99):.1f}",
                f"{phase.achieved:.1f}",
                f"{quantile(phase.lag_ms, 0.99):.1f}" if phase.lag_ms else "-",
                str(phase.missing + phase.errors),
            )
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(table)
    parts = Table(title="where a tap's time goes (server trace): median / p99 ms per tap")
    names = [*(name for name, _, _ in SEGMENTS), BUCKETS]
    for column in ["database", "phase", *names, "loop stalls > 5 ms", "runnable, no CPU: thread-s/s"]:
        parts.add_column(column, justify="left" if column in ("database", "phase") else "right")
    for run in runs:
        for phase in run.phases:
            cells = [
                f"{quantile(v, 0.5):.1f} / {quantile(v, 0.99):.1f}"
                if (v := phase.segments.get(name))
                else "-"
                for name in names
            ]
            stalls = phase.stalls_ms
            stall = f"{len(stalls)}, max {max(stalls):.0f}" if stalls else "0"
            share = "-" if phase.cpu_wait is None else f"{phase.cpu_wait:.2f}"
            parts.add_row(run.database, phase.name, *cells, stall, share)
    console.print(parts)
    for run in runs:
        cpu = "?" if run.server_cpu_ms_per_tap is None else f"{run.server_cpu_ms_per_tap:.1f}"
        steady, high = run.phases[1], run.phases[2]
        verdict = [
            f"p99 at {steady.target_rate:g}/s {quantile(steady.first_ms, 0.99):.0f} ms "
            f"({'met' if quantile(steady.first_ms, 0.99) < 50 else 'NOT met'}: < 50)",
            f"at {args.load:.0%} of capacity {quantile(high.first_ms, 0.99):.0f} ms "
            f"({'met' if quantile(high.first_ms, 0.99) < 250 else 'NOT met'}: < 250)",
        ]
        console.print(
            f"{run.database}: capacity {run.capacity:.1f} taps/s (closed-loop burst); server CPU "
            f"{cpu} ms per tap in the open-loop phases; " + "; ".join(verdict)
        )
    console.print(
        f"{os.cpu_count()} cpus; load average (1 min) at each database's start and the end: "
        f"{', '.join(loads)}; python {sys.version.split()[0]}; total {wall:.0f} s"
    )


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f}"


async def run_all(args: argparse.Namespace) -> None:
    began = time.perf_counter()
    runs: list[Run] = []
    loads: list[str] = []
    with tempfile.TemporaryDirectory(prefix="csatbot-bench-latency-") as tmp:
        folder = Path(tmp)
        databases: list[tuple[str, str, Callable[[], None] | None]] = [
            ("sqlite", f"sqlite:///{folder / 'bench.db'}", None)
        ]
        if args.postgres and not args.sqlite_only:
            url, drop = postgres_database(args.postgres)
            databases.append(("postgresql", url, drop))
        try:
            for name, url, _drop in databases:
                loads.append(load_average())
                runs.append(await measure(url, name, args, folder))
        finally:
            for *_rest, drop in databases:
                if drop is not None:
                    drop()
    loads.append(load_average())
    print_table(runs, args, loads, time.perf_counter() - began)


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve_lifted(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=20.0, help="taps per second of the steady phase")
    parser.add_argument("--load", type=float, default=0.8, help="the second phase's share of capacity")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each open-loop phase")
    parser.add_argument("--burst", type=int, default=1000, help="taps in the closed-loop capacity burst")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CSATBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server; a fresh database is made beside it and dropped after",
    )
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--telegram-limit", action="store_true", help="keep Telegram's 30 messages/s")
    args = parser.parse_args()
    asyncio.run(run_all(args))


if __name__ == "__main__":
    main()

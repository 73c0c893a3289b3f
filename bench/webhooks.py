"""Rating taps per second through csatbot's Telegram and WhatsApp webhooks, beside a bare Starlette endpoint.

    python bench/webhooks.py                                  # about 2 min on 2 busy cores
    python bench/webhooks.py --customers 2000 --concurrency 32 --seconds 16 --json var/bench/webhooks.json

Every server is a real uvicorn process on 127.0.0.1 with the same settings, measured in the same
run by the same load client: raw asyncio keep-alive connections (``bench/load.py``, ``--concurrency``
requests in flight, each request encoded before the clock starts), cheap enough to saturate bare
Starlette (``wrk``, when installed, measures the bare endpoint once more as a check). The requests
are the platforms' real webhooks, built by the channel simulators (``adapters/<channel>/fake.py``)
and signed before the clock starts:

* **csatbot, per channel**: ``create_app(Runtime(...))`` on a fresh SQLite file with the channel
  enabled against its fake platform API (run here, in this process). Set-up, not timed: each
  customer writes, an agent resolves the conversation with ``send_survey_now``, and the fake
  platform receives the rating question. Then each customer taps a rating once (every third one a
  low rating, which also opens a DSAT ticket): a Telegram ``callback_query`` with the secret header,
  or a WhatsApp interactive reply (``list_reply`` for the CSAT list) signed with
  ``X-Hub-Signature-256``. The edit of the Telegram question and the next message go out afterwards.
* **bare**: a Starlette app whose only route, at the same path, parses the same JSON and answers 200.

Both servers run side by side; ``--rounds`` alternate them (csatbot, bare, csatbot, bare...), each
round ``--seconds / --rounds`` long, and after each csatbot round the bench waits for that round's
follow-ups, so both see the same machine load. Printed per server: requests per second, latency,
the server's CPU time per request (from ``/proc``; steadier than requests per second on a busy
machine) and the client's CPU share; per channel: the ratio to bare Starlette (throughput, and CPU
per request), csatbot's CPU per tap including its follow-ups, and the SQL statements per tap
(counted in the server, follow-ups included). At the end the rating answers stored
(``/api/reports?surveys=true``) are checked against the taps accepted: exactly one each.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
import yaml

try:
    import uvloop

    UVLOOP = True
except ImportError:  # pragma: no cover - uvicorn[standard] brings it
    UVLOOP = False

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.harness import AUTH, Result, ServerProcess  # noqa: E402

LOW_EVERY = 3  # every third customer taps a low rating (2), the others 4 or 5
SETUP_BATCH = 400  # customers set up at once: /api/conversations lists at most 500
QUESTION_WAIT = 180.0  # seconds for every rating question to reach the fake platform
FOLLOW_UP_STALL = 15.0  # seconds without a new follow-up of a tap before giving up on the rest
FOLLOW_UP = {"telegram": "question edited", "whatsapp": "next message sent"}
"""What the platform gets after a tap's 200, counted until every accepted tap has one (untimed)."""
STATEMENTS_PATH = "/bench-statements"
"""Where the benchmarked csatbot server says how many SQL statements it has run."""

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# The servers (each run in its own process by ``--serve``).


def bare_app(path: str) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def post(request: Request) -> Response:
        await request.json()
        return Response(status_code=200)

    return Starlette(routes=[Route(path, post, methods=["POST"])])


def serve(kind: str, port: int, config: str, db: str, path: str) -> None:
    import uvicorn

    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "timeout_graceful_shutdown": 5,  # should follow-ups still wait for the rate limits, drop them
    }
    if kind == "bare":
        uvicorn.Server(uvicorn.Config(bare_app(path), **settings)).run()
        return
    from csatbot.runtime import Runtime
    from csatbot.web import Server, create_app

    runtime = Runtime(config, f"sqlite:///{db}")  # channel secrets from this process's environment
    app = create_app(runtime)
    count_statements(runtime, app)
    Server(runtime, uvicorn.Config(app, **settings)).run()


def count_statements(runtime: Any, app: Any) -> None:
    """Count every SQL statement the server runs; ``GET /bench-statements`` answers the count."""
    from sqlalchemy import event

    kinds: dict[str, int] = {}

    def counted(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        kind = statement_kind(statement)
        kinds[kind] = kinds.get(kind, 0) + 1

    for engine in {runtime.database.writer, runtime.database.reader}:
        event.listen(engine, "before_cursor_execute", counted)
    app.add_api_route(STATEMENTS_PATH, lambda: dict(kinds), include_in_schema=False)


def statement_kind(statement: str) -> str:
    """A statement's verb and first table, e.g. ``UPDATE outbox`` or ``BEGIN IMMEDIATE``."""
    words = statement.split()
    verb = " ".join(words[:2]).upper() if words[:1] == ["BEGIN"] else (words[0].upper() if words else "")
    table = next(
        (words[i + 1] for i, w in enumerate(words[:-1]) if w.upper() in ("FROM", "INTO", "UPDATE")), ""
    )
    return f"{verb} {table.strip(chr(34))}".strip()


def start(
    kind: str, path: str, *, config: Path | None = None, environ: dict[str, str] | None = None
) -> ServerProcess:
    """The ``--serve kind`` server of this script, in a subprocess (``config``: csatbot's)."""
    args = ["--serve", kind, "--path", path]
    if config is not None:
        args += ["--config", str(config), "--db", str(config.parent / "bench.db")]
    return ServerProcess(__file__, args, environ)


# ---------------------------------------------------------------------------------------------
# The channels: a simulator, and what a rating tap looks like on the wire.


@dataclass(frozen=True)
class Webhook:
    """One request as the platform would send it, ready to post."""

    body: bytes
    headers: dict[str, str]


class Channel(Protocol):
    name: str
    tap_kind: str  # how the table names a tap
    sim: Any

    def customer(self, index: int) -> str:
        """The simulator's name for customer ``index``."""
        ...

    def user(self, customer: str) -> str:
        """The id csatbot stores for ``customer`` (``customer.user`` in the support API)."""
        ...

    def asked(self) -> set[str]:
        """The users (as :meth:`user`) the fake platform was asked to show a rating question."""
        ...

    def tap(self, customer: str, value: str) -> Webhook:
        """The webhook for ``customer`` tapping ``value`` on their rating question."""
        ...

    def follow_ups(self) -> int:
        """How many follow-ups of a tap the fake platform received so far (see :data:`FOLLOW_UP`)."""
        ...


class TelegramChannel:
    name = "telegram"
    tap_kind = "callback_query"

    def __init__(self) -> None:
        from adapters.telegram.fake import TelegramSimulator

        self.sim = TelegramSimulator()

    def customer(self, index: int) -> str:
        return f"bench{index:06d}"

    def user(self, customer: str) -> str:
        return str(self.sim.chat_id(customer))

    def asked(self) -> set[str]:
        from adapters.telegram import callback

        return {
            str(params["chat_id"])
            for params in self.sim.api.called("sendMessage")
            for row in (params.get("reply_markup") or {}).get("inline_keyboard", [])
            for key in row
            if (answer := callback.unpack(key.get("callback_data"))) and answer.step == "rating"
        }

    def tap(self, customer: str, value: str) -> Webhook:
        from adapters.telegram.webhook import SECRET_HEADER
        from adapters.testing import Button

        update = self.sim.callback_update(customer, Button("", "rating", value))
        headers = {"content-type": "application/json", SECRET_HEADER: self.sim.secret}
        return Webhook(json.dumps(update, separators=(",", ":")).encode(), headers)

    def follow_ups(self) -> int:
        return sum(len(self.sim.api.called(m)) for m in ("editMessageText", "editMessageReplyMarkup"))


class WhatsAppChannel:
    name = "whatsapp"
    tap_kind = "interactive reply"

    def __init__(self) -> None:
        from adapters.whatsapp.fake import WhatsAppSimulator

        self.sim = WhatsAppSimulator()
        # user -> (wamid of the question, "button" or "list", {value: (id, title)})
        self._questions: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {}

    def customer(self, index: int) -> str:
        return f"4479{index:08d}"  # a phone number is its own wa_id

    def user(self, customer: str) -> str:
        return customer

    def asked(self) -> set[str]:
        from adapters.whatsapp.ids import decode_option

        for accepted in list(self.sim.api.accepted):
            body = accepted.body
            if body["type"] != "interactive" or body["to"] in self._questions:
                continue
            interactive = body["interactive"]
            action = interactive["action"]
            if interactive["type"] == "button":
                options = [b["reply"] for b in action["buttons"]]
            else:
                options = [row for section in action["sections"] for row in section["rows"]]
            refs = [(decode_option(o["id"]), o) for o in options]
            rating = {ref.value: (o["id"], o["title"]) for ref, o in refs if ref and ref.step == "rating"}
            if rating:
                self._questions[body["to"]] = (accepted.wamid, interactive["type"], rating)
        return set(self._questions)

    def tap(self, customer: str, value: str) -> Webhook:
        from adapters.whatsapp.fake import DISPLAY_PHONE_NUMBER
        from adapters.whatsapp.signature import HEADER, sign

        wamid, kind, options = self._questions[customer]
        reply_kind = f"{kind}_reply"
        self.tap_kind = reply_kind
        option_id, title = options[value]
        content = {
            "context": {"from": DISPLAY_PHONE_NUMBER, "id": wamid},
            "type": "interactive",
            "interactive": {"type": reply_kind, reply_kind: {"id": option_id, "title": title}},
        }
        raw = json.dumps(self.sim.message(customer, content), separators=(",", ":")).encode()
        headers = {
            "content-type": "application/json",
            HEADER: sign(raw, self.sim.environ["WHATSAPP_APP_SECRET"]),
        }
        return Webhook(raw, headers)

    def follow_ups(self) -> int:
        return len(self.sim.api.accepted)


CHANNELS: dict[str, Callable[[], Channel]] = {"telegram": TelegramChannel, "whatsapp": WhatsAppChannel}


def rating_of(index: int) -> str:
    return "2" if index % LOW_EVERY == 0 else str(4 + index % 2)


# ---------------------------------------------------------------------------------------------
# Set-up: customers with an open survey whose rating question the platform was asked to show.


async def open_conversations(client: httpx.AsyncClient, channel: Channel, users: set[str]) -> dict[str, int]:
    """The open conversation of each of ``users``, once every one exists: webhooks are acknowledged
    when stored, and the turns that open the conversations run right after."""
    deadline = time.monotonic() + QUESTION_WAIT
    while True:
        listed = await client.get("/api/conversations", params={"status": "open", "limit": 500})
        listed.raise_for_status()
        ids = {c["customer"]["user"]: c["id"] for c in listed.json() if c["channel"] == channel.name}
        if users <= ids.keys():
            return ids
        if time.monotonic() > deadline:
            raise SystemExit(f"{channel.name}: {len(users - ids.keys())} conversations never opened")
        await asyncio.sleep(0.05)


async def set_up(
    client: httpx.AsyncClient, channel: Channel, customers: int, concurrency: int, offset: int = 0
) -> list[Webhook]:
    """Each customer (numbers ``offset`` on) writes and is resolved with ``send_survey_now``;
    returns one tap per customer (:func:`rating_of` its number)."""
    names = [channel.customer(offset + i) for i in range(customers)]
    for start in range(0, customers, SETUP_BATCH):
        batch = names[start : start + SETUP_BATCH]
        await gather(batch, functools.partial(say, client, channel), concurrency)
        ids = await open_conversations(client, channel, {channel.user(n) for n in batch})
        await gather([ids[channel.user(n)] for n in batch], functools.partial(resolve, client), concurrency)

    wanted = {channel.user(name) for name in names}
    deadline = time.monotonic() + QUESTION_WAIT
    while not wanted <= (asked := channel.asked()):
        if time.monotonic() > deadline:
            raise SystemExit(
                f"{channel.name}: {len(wanted - asked)} of {customers} customers were not sent the rating "
                f"question within {QUESTION_WAIT:.0f} s"
            )
        await asyncio.sleep(0.25)
    return [channel.tap(name, rating_of(offset + i)) for i, name in enumerate(names)]


async def say(client: httpx.AsyncClient, channel: Channel, name: str) -> None:
    response = await channel.sim.say(client, name, "my parcel is late, order 20261123-4411")
    if response.status_code != 200:
        raise SystemExit(f"{channel.name}: a first message got {response.status_code}: {response.text}")


async def resolve(client: httpx.AsyncClient, conversation: int) -> None:
    resolved = await client.post(f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True})
    resolved.raise_for_status()
    if resolved.json()["survey_id"] is None:
        raise SystemExit(f"no survey for conversation {conversation}: {resolved.text}")


async def gather(items: Iterable[T], work: Callable[[T], Awaitable[None]], concurrency: int) -> None:
    """``work`` on every item, ``concurrency`` at a time."""
    todo = iter(items)

    async def worker() -> None:
        for item in todo:
            await work(item)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


# ---------------------------------------------------------------------------------------------
# Load: the raw keep-alive client of ``bench.load``, csatbot and bare Starlette in alternating rounds.


def encoded(path: str, hooks: list[Webhook]) -> list[bytes]:
    return [load.encode("POST", path, hook.body, hook.headers) for hook in hooks]


async def statements(client: httpx.AsyncClient, server: ServerProcess) -> dict[str, int]:
    """SQL statements the benchmarked csatbot server has run so far, by kind (``/bench-statements``)."""
    response = await client.get(server.url + STATEMENTS_PATH)
    response.raise_for_status()
    return {str(k): int(v) for k, v in response.json().items()}


def added(total: dict[str, int], before: dict[str, int], after: dict[str, int]) -> None:
    """Add to ``total`` the statements run between ``before`` and ``after``."""
    for kind, count in after.items():
        total[kind] = total.get(kind, 0) + count - before.get(kind, 0)


# ---------------------------------------------------------------------------------------------
# One channel, then the whole run.


async def stored_ratings(client: httpx.AsyncClient, channel: str) -> tuple[int, int]:
    """Rating answers stored on ``channel``, and how many surveys hold more than one."""
    report = (await client.get("/api/reports", params={"surveys": "true"})).json()
    counts = [
        sum(1 for a in s["answers"] if a["step"] == "rating")
        for s in report["surveys"]
        if s["channel"] == channel
    ]
    return sum(counts), sum(1 for c in counts if c > 1)


async def follow_up_lag(channel: Channel, expected: int) -> float | None:
    """Seconds until the fake platform got ``expected`` follow-ups; ``None`` if they stopped coming.

    Telegram's edits and next questions share the adapter's 30 messages/s, so above about 15 taps/s
    they fall behind the taps; stopping the server before they are done would cancel them.
    """
    began = progressed = time.perf_counter()
    count = channel.follow_ups()
    while count < expected:
        await asyncio.sleep(0.05)
        now, previous, count = time.perf_counter(), count, channel.follow_ups()
        if count > previous:
            progressed = now
        elif now - progressed > FOLLOW_UP_STALL:
            return None
    return time.perf_counter() - began


def write_config(folder: Path, channel: Channel) -> Path:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["triggers"][0]["delay"] = "0s"
    data["surveying"]["quiet_hours"] = None
    data["channels"][channel.name] = channel.sim.channel_config()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


async def bench_channel(
    client: httpx.AsyncClient, channel: Channel, args: argparse.Namespace
) -> dict[str, Any]:
    """Set up csatbot with ``channel`` on and a bare endpoint at the same path, then measure them in
    alternating rounds (csatbot, bare, csatbot, ...) with the same client and the same bodies."""
    channel.sim.start()
    path = channel.sim.path
    bare = start("bare", path)
    try:
        config = write_config(Path(tempfile.mkdtemp(prefix=f"csatbot-bench-{channel.name}-")), channel)
        app = start("csatbot", path, config=config, environ=channel.sim.environ)
        try:
            await app.ready(client)
            await bare.ready(client)
            setup = httpx.AsyncClient(base_url=app.url, timeout=60, headers=AUTH)
            began = time.perf_counter()
            async with setup:
                taps = await set_up(setup, channel, args.customers, args.concurrency)
                setup_s = time.perf_counter() - began
                print(
                    f"{channel.name} set-up: {len(taps)} customers asked in {setup_s:.1f} s", file=sys.stderr
                )
                pending = load.singles(encoded(path, taps))
                baseline_bodies = load.repeat(encoded(path, taps))
                csatbot = Result(f"{channel.name} {channel.tap_kind} (csatbot)")
                baseline = Result(f"bare Starlette ({channel.name} body)")
                with_follow_ups, lags, kinds = 0.0, [], dict[str, int]()
                for _ in range(args.rounds):
                    before_taps, cpu = csatbot.requests, app.cpu_seconds() or 0.0
                    before_statements = await statements(client, app)
                    before = channel.follow_ups() - before_taps
                    await load.drive(
                        app,
                        csatbot.name,
                        pending,
                        seconds=args.seconds / args.rounds,
                        concurrency=args.concurrency,
                        result=csatbot,
                    )
                    lags.append(await follow_up_lag(channel, before + csatbot.requests))
                    with_follow_ups += (app.cpu_seconds() or 0.0) - cpu
                    added(kinds, before_statements, await statements(client, app))
                    await load.drive(
                        bare,
                        baseline.name,
                        baseline_bodies,
                        seconds=args.seconds / args.rounds,
                        concurrency=args.concurrency,
                        result=baseline,
                    )
                stored, doubled = await stored_ratings(setup, channel.name)
            wrk = load.wrk_rate(
                bare,
                "POST",
                path,
                taps[0].body,
                taps[0].headers,
                seconds=args.seconds / args.rounds,
                concurrency=args.concurrency,
            )
        finally:
            app.stop()
    finally:
        bare.stop()
        channel.sim.stop()
    if csatbot.requests + csatbot.errors >= len(taps):
        print(f"{channel.name}: every customer tapped before time was up; raise --customers", file=sys.stderr)
    known = [lag for lag in lags if lag is not None]
    taps_done = csatbot.requests
    return {
        "channel": channel.name,
        "setup_seconds": round(setup_s, 2),
        "taps_accepted": taps_done,
        "ratings_stored": stored,
        "surveys_rated_twice": doubled,
        "follow_up": FOLLOW_UP[channel.name],
        "follow_up_lag_seconds": None if len(known) < len(lags) else round(max(known, default=0.0), 2),
        "server_cpu_ms_per_tap_with_follow_ups": round(1000 * with_follow_ups / taps_done, 2)
        if taps_done
        else None,
        "statements_per_tap": round(sum(kinds.values()) / taps_done, 1) if taps_done else None,
        "statements_per_tap_by_kind": {
            kind: round(count / taps_done, 2)
            for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1])
            if taps_done and count
        },
        "ratio": round(csatbot.per_second / baseline.per_second, 4) if baseline.per_second else None,
        "bare_wrk": None
        if wrk is None
        else {"per_second": round(wrk[0], 1), "server_cpu_ms_per_request": wrk[1]},
        "results": [csatbot.summary(), baseline.summary()],
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    began = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        channels = [await bench_channel(client, CHANNELS[name](), args) for name in args.channels]
    return {
        "customers": args.customers,
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "client": "bench/load.py (asyncio keep-alive" + (", uvloop)" if UVLOOP else ")"),
        "channels": channels,
        "wall_seconds": round(time.perf_counter() - began, 1),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def print_table(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"webhook rating taps: {data['concurrency']} in flight, {data['rounds']} alternating rounds "
        f"in {data['seconds']:g} s per server, {data['customers']} customers per channel; client "
        f"{data['client']}"
    )
    columns = ["server", "req/s", "vs bare", "p50 ms", "p99 ms", "requests", "errors"]
    columns += ["server cpu ms/req", "cpu vs bare", "client cpu"]
    for column in columns:
        table.add_column(column, justify="left" if column == "server" else "right")

    def cell(value: float | None, spec: str) -> str:
        return "?" if value is None else format(value, spec)

    for channel in data["channels"]:
        csatbot, bare = channel["results"]
        for r in (csatbot, bare):
            cpu, bare_cpu = r["server_cpu_ms_per_request"], bare["server_cpu_ms_per_request"]
            table.add_row(
                r["name"],
                f"{r['per_second']:.0f}",
                cell(r["per_second"] / bare["per_second"] if bare["per_second"] else None, ".4f"),
                f"{r['p50_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                str(r["requests"]),
                str(r["errors"]),
                cell(cpu, ".3f"),
                cell(cpu / bare_cpu if cpu is not None and bare_cpu else None, ".1f"),
                f"{r['client_cpu_share']:.0%}",
            )
        if (wrk := channel["bare_wrk"]) is not None:
            table.add_row(
                f"bare Starlette ({channel['channel']} body), wrk -t1",
                f"{wrk['per_second']:.0f}",
                cell(wrk["per_second"] / bare["per_second"] if bare["per_second"] else None, ".2f"),
                *["-"] * 4,
                cell(wrk["server_cpu_ms_per_request"], ".3f"),
                "-",
                "-",
            )
    console = Console(width=None if sys.stdout.isatty() else 150)
    console.print(table)
    for c in data["channels"]:
        lag = c["follow_up_lag_seconds"]
        console.print(
            f"{c['channel']}: ratio csatbot / bare [bold]{cell(c['ratio'], '.4f')}[/bold]; csatbot "
            f"{cell(c['server_cpu_ms_per_tap_with_follow_ups'], '.2f')} ms server CPU and "
            f"{cell(c['statements_per_tap'], '.1f')} SQL statements per tap, follow-ups included; taps "
            f"accepted {c['taps_accepted']}, ratings stored {c['ratings_stored']}; set-up "
            f"{c['setup_seconds']:.1f} s; every tap's {c['follow_up']} "
            + ("[bold red]never (stalled)[/]" if lag is None else f"at most {lag:.1f} s after its round")
        )
        kinds = ", ".join(f"{kind} {n:g}" for kind, n in c["statements_per_tap_by_kind"].items())
        console.print(f"  statements per tap by kind: {kinds}")
    if any(r["client_cpu_share"] > 0.8 for c in data["channels"] for r in c["results"]):
        console.print("client cpu near 100%: that row is bounded by the load generator (a floor)")
    console.print(
        f"{data['cpus']} cpus, load average {data['load']}, python {data['python']}, "
        f"total {data['wall_seconds']:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=300, help="customers per channel (one tap each)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--seconds", type=float, default=8.0, help="most measuring time per server")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per server")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--channels", nargs="+", choices=sorted(CHANNELS), default=list(CHANNELS), help="channels to measure"
    )
    parser.add_argument("--serve", choices=["csatbot", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", default="/", help=argparse.SUPPRESS)
    parser.add_argument("--config", default=str(ROOT / "config.yaml"), help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.config, args.db, args.path)
        return
    if UVLOOP:
        uvloop.install()  # the client's own CPU per request, lower still (uvicorn serves on uvloop too)
    data = asyncio.run(run(args))
    print_table(data)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    wrong = [
        f"{c['channel']}: {c['ratings_stored']} ratings stored for {c['taps_accepted']} accepted taps"
        + (f", {c['surveys_rated_twice']} surveys rated twice" if c["surveys_rated_twice"] else "")
        + (f", not every tap's {c['follow_up']}" if c["follow_up_lag_seconds"] is None else "")
        for c in data["channels"]
        if c["ratings_stored"] != c["taps_accepted"]
        or c["surveys_rated_twice"]
        or c["follow_up_lag_seconds"] is None
    ]
    if wrong:
        raise SystemExit("; ".join(wrong))


if __name__ == "__main__":
    main()

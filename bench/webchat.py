"""Survey answers per second through the web chat HTTP API (SQLite), beside a bare Starlette endpoint.

    python bench/webchat.py                                   # about 1 min on 2 cores
    python bench/webchat.py --customers 2000 --concurrency 32 --seconds 20 --json var/bench/webchat.json

Both servers are real uvicorn processes on 127.0.0.1 with the same settings, running side by side
and measured in alternating rounds (``--rounds``: csatbot, bare, csatbot, ...) by the same load
client: raw asyncio keep-alive connections (``bench/load.py``, ``--concurrency`` requests in
flight, every request encoded before the clock starts):

* **csatbot**: ``create_app(Runtime(...))`` on a fresh SQLite file. Each customer first chats and an
  agent resolves the conversation with ``send_survey_now`` (set-up, not timed), so every customer
  has an open survey. Then each customer answers it: a tapped rating, and after a low rating (1 in
  3 customers) the reason choice and a typed comment, i.e. every POST is one survey answer.
* **bare**: a Starlette app whose only route parses the same JSON body and answers 202.

The ratio (csatbot / bare) is the number to track, beside the server's CPU time per request (from
``/proc``). At the end the answers stored are checked against the answers posted, through
``/api/reports?surveys=true``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.harness import AUTH, Result, ServerProcess, chat_session  # noqa: E402

LOW_EVERY = 3  # every third customer gives a low rating and answers the reason and comment too
MESSAGES = "/api/webchat/messages"


# ---------------------------------------------------------------------------------------------
# The two servers (each run in its own process by ``--serve``).


def bare_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def post(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse(
            {"duplicate": False, "survey_id": body.get("choice", {}).get("survey")}, status_code=202
        )

    return Starlette(routes=[Route("/api/webchat/messages", post, methods=["POST"])])


def serve(kind: str, port: int, config: str, db: str) -> None:
    import uvicorn

    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "log_level": "warning",
        "access_log": False,
    }
    if kind == "bare":
        uvicorn.Server(uvicorn.Config(bare_app(), **settings)).run()
        return
    from csatbot.runtime import Runtime
    from csatbot.web import Server, create_app

    runtime = Runtime(config, f"sqlite:///{db}")
    Server(runtime, uvicorn.Config(create_app(runtime), **settings)).run()


def start(kind: str, config: Path, db: Path) -> ServerProcess:
    """The ``--serve kind`` server of this script, in a subprocess."""
    return ServerProcess(__file__, ["--serve", kind, "--config", str(config), "--db", str(db)])


# ---------------------------------------------------------------------------------------------
# Load.


Customer = tuple[dict[str, str], list[dict[str, Any]]]
"""A customer's session headers and the POST bodies they send."""


def answers_for(index: int, session: dict[str, str], survey: str) -> Customer:
    """The POST bodies one customer sends: one survey answer each."""
    low = index % LOW_EVERY == 0
    rating = str(1 + index % 3) if low else str(4 + index % 2)
    bodies: list[dict[str, Any]] = [
        {"id": "1", "choice": {"survey": survey, "step": "rating", "value": rating}}
    ]
    if low:
        reason = ("slow", "unresolved", "attitude", "other")[index % 4]
        bodies.append({"id": "2", "choice": {"survey": survey, "step": "reason", "value": reason}})
        bodies.append({"id": "3", "text": "the courier never came, order 20261123-4411"})
    return session, bodies


async def set_up(
    client: httpx.AsyncClient, url: str, customers: int, concurrency: int
) -> list[tuple[dict[str, str], str]]:
    """Each customer chats and is resolved with ``send_survey_now``; returns (session headers, survey id)."""
    out: list[tuple[dict[str, str], str]] = []
    todo = iter(range(customers))

    async def worker() -> None:
        for i in todo:
            user = f"bench-{i:06d}"
            session = await chat_session(client, url, user)
            said = await client.post(
                f"{url}/api/webchat/messages", json={"text": "my parcel is late"}, headers=session
            )
            said.raise_for_status()
            listed = await client.get(f"{url}/api/conversations", params={"status": "open", "limit": 500})
            [conversation] = [c["id"] for c in listed.json() if c["customer"]["user"] == user]
            resolved = await client.post(
                f"{url}/api/conversations/{conversation}/resolve", json={"send_survey_now": True}
            )
            resolved.raise_for_status()
            out.append((session, resolved.json()["survey_id"]))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out


def encoded(customer: Customer) -> list[bytes]:
    session, bodies = customer
    headers = {"content-type": "application/json", **session}
    return [load.encode("POST", MESSAGES, json.dumps(body).encode(), headers) for body in bodies]


def accepted(status: int, body: bytes) -> bool:
    """A 202 that is not a duplicate: one survey answer taken."""
    return status == 202 and json.loads(body)["duplicate"] is False


async def stored_answers(client: httpx.AsyncClient, url: str) -> int:
    report = (await client.get(f"{url}/api/reports", params={"surveys": "true"})).json()
    return sum(len(s["answers"]) for s in report["surveys"])


def write_config(folder: Path) -> Path:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["surveying"]["quiet_hours"] = None
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


async def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="csatbot-bench-"))
    config, db = write_config(folder), folder / "bench.db"
    async with httpx.AsyncClient(timeout=60, headers=AUTH) as client:
        app, bare = start("csatbot", config, db), start("bare", config, db)
        try:
            await app.ready(client, "/healthz")
            await bare.ready(client, MESSAGES)
            began = time.perf_counter()
            surveys = await set_up(client, app.url, args.customers, args.concurrency)
            setup_s = time.perf_counter() - began
            print(f"set-up: {len(surveys)} customers with an open survey in {setup_s:.1f} s", file=sys.stderr)
            customers = [answers_for(i, session, survey) for i, (session, survey) in enumerate(surveys)]
            streams = iter([encoded(customer) for customer in customers])
            session, bodies = customers[0]
            same = load.repeat(encoded((session, [bodies[0]])))  # the same JSON body; never runs out
            before = await stored_answers(client, app.url)
            csatbot, baseline = Result("csatbot web chat (SQLite)"), Result("bare Starlette JSON endpoint")
            each = args.seconds / args.rounds
            for _ in range(args.rounds):
                await load.drive(
                    app,
                    csatbot.name,
                    streams,
                    seconds=each,
                    concurrency=args.concurrency,
                    ok=accepted,
                    result=csatbot,
                )
                await load.drive(
                    bare,
                    baseline.name,
                    same,
                    seconds=each,
                    concurrency=args.concurrency,
                    ok=accepted,
                    result=baseline,
                )
            stored = await stored_answers(client, app.url) - before
        finally:
            app.stop()
            bare.stop()
    posted_all = sum(len(bodies) for _, bodies in customers)
    if csatbot.requests >= posted_all:
        print("warning: every customer answered before time was up; raise --customers", file=sys.stderr)
    return {
        "customers": len(surveys),
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "setup_seconds": round(setup_s, 2),
        "answers_stored": stored,
        "answers_posted": csatbot.requests,
        "results": [csatbot.summary(), baseline.summary()],
        "ratio": round(csatbot.per_second / baseline.per_second, 4) if baseline.per_second else None,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def print_table(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"web chat survey answers: {data['concurrency']} in flight, {data['rounds']} alternating "
        f"rounds in {data['seconds']:g} s per server, {data['customers']} customers"
    )
    columns = ["server", "answers/s", "vs bare", "p50 ms", "p99 ms", "requests", "errors"]
    columns += ["server cpu ms/req", "cpu vs bare", "client cpu"]
    for column in columns:
        table.add_column(column, justify="left" if column == "server" else "right")
    bare = data["results"][1]
    for r in data["results"]:
        cpu, bare_cpu = r["server_cpu_ms_per_request"], bare["server_cpu_ms_per_request"]
        table.add_row(
            r["name"],
            f"{r['per_second']:.0f}",
            f"{r['per_second'] / bare['per_second']:.4f}" if bare["per_second"] else "?",
            f"{r['p50_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            str(r["requests"]),
            str(r["errors"]),
            "?" if cpu is None else f"{cpu:.3f}",
            f"{cpu / bare_cpu:.1f}" if cpu is not None and bare_cpu else "?",
            f"{r['client_cpu_share']:.0%}",
        )
    console = Console(width=None if sys.stdout.isatty() else 150)
    console.print(table)
    console.print(f"ratio csatbot / bare: [bold]{data['ratio']:.4f}[/bold]")
    console.print(
        f"answers posted {data['answers_posted']}, stored {data['answers_stored']}; {data['cpus']} cpus, "
        f"load average {data['load']}, python {data['python']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1500, help="customers with an open survey (set-up)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring time per server")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per server")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--serve", choices=["csatbot", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--config", default=str(ROOT / "config.yaml"), help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.config, args.db)
        return
    data = asyncio.run(run(args))
    print_table(data)
    if data["answers_stored"] != data["answers_posted"]:
        raise SystemExit(
            f"stored {data['answers_stored']} answers but {data['answers_posted']} were accepted"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

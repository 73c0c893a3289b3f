"""Accepted, durable, deduped webhooks per second (the inbox) beside a bare Starlette JSON endpoint.

    python bench/inbox.py                                   # about 1 minute
    python bench/inbox.py --rounds 5 --seconds 8 --postgres postgresql://postgres@127.0.0.1:5432/postgres

Every server is a real uvicorn process on 127.0.0.1, measured in alternating rounds by ``wrk``
(C, keep-alive, ``--connections`` in flight), so the client is not the bottleneck:

* **bare**: a Starlette app whose one route parses the JSON body and answers ``{}``.
* **csatbot, SQLite** and **csatbot, PostgreSQL**: ``csatbot serve --no-triage`` with Telegram on.
  Each request is a real Telegram message ``Update`` with the secret header and a fresh
  ``update_id`` (a ``wrk`` Lua script numbers them); every ``--every``-th repeats the one before it
  (a redelivery). csatbot checks the secret, validates the ``Update``, inserts it into the inbox
  (``INSERT ... ON CONFLICT DO NOTHING``, committed) and answers 200. The inbox worker is held back
  (``$CSATBOT_TEST_INBOX_DELAY``) so the rows measure accepting alone; the turns' cost is issue 18
  point 2's benchmark.

The table shows requests per second (median of the rounds), the server's CPU time per request (from
``/proc``, steadier than requests per second on a shared machine), and the ratio to bare Starlette
in the same round. After each round the inbox must hold exactly the distinct update ids sent (up
to those still in flight when ``wrk`` stopped): nothing accepted lost, no redelivery stored twice.
PostgreSQL runs in a database of its own (``csatbot_bench_inbox``, dropped and made again).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-webhook-secret_0123456789"
TOKEN = "123456789:AAbenchbenchbenchbenchbenchbenchben"
PATH = "/webhooks/telegram"
BENCH_DB = "csatbot_bench_inbox"

LUA = r"""
local threads = {}
local n = 0
function setup(thread)
  thread:set("tid", n)
  n = n + 1
  table.insert(threads, thread)
end
function init(args)
  base = tonumber(args[1])
  every = tonumber(args[2])
  secret = args[3]
  path = args[4]
  count = 0
  distinct = 0
  last = nil
end
function request()
  count = count + 1
  local id
  if every > 0 and last ~= nil and count % every == 0 then
    id = last
  else
    distinct = distinct + 1
    id = base + tid * 10000000 + distinct
    last = id
  end
  local user = tostring(id % 5000 + 1)
  local body = '{"update_id":' .. string.format("%d", id) .. ',"message":{"message_id":' ..
    tostring(count) .. ',"date":1764921600,"from":{"id":' .. user ..
    ',"is_bot":false,"first_name":"Ann","language_code":"en"},"chat":{"id":' .. user ..
    ',"type":"private","first_name":"Ann"},"text":"my parcel never arrived"}}'
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
    ["X-Telegram-Bot-Api-Secret-Token"] = secret}, body)
end
function done(summary, latency, requests)
  local d = 0
  for _, t in ipairs(threads) do d = d + t:get("distinct") end
  io.write(string.format("DISTINCT %d\n", d))
end
"""


def bare_app() -> object:
    """The baseline: one route that parses the JSON body and answers ``{}``."""
    import json

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def hook(request: Request) -> JSONResponse:
        json.loads(await request.body())
        return JSONResponse({})

    return Starlette(routes=[Route(PATH, hook, methods=["POST"])])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    url: str
    database: str | None = None
    process: subprocess.Popen[bytes] | None = None
    rps: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    failed: int = 0
    stored_ok: bool = True

    def start(self, log: Path) -> None:
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=sink
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {log}")
            try:
                httpx.post(f"{self.url}{PATH}", content=b"{}", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not start within 90 s; see {log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def stored(self) -> int:
        if self.database is None:
            return 0
        from sqlalchemy import text

        from storage import open_database

        database = open_database(self.database)
        try:
            with database.reader.connect() as conn:
                return int(conn.execute(text("SELECT count(*) FROM inbox")).scalar_one())
        finally:
            database.dispose()


def csatbot_server(name: str, database: str, folder: Path, port: int) -> Server:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["channels"]["telegram"] = {"enabled": True, "path": PATH, "api_base": "http://127.0.0.1:9"}
    config = folder / f"config-{name.split()[-1].lower()}.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    command = [sys.executable, "-c", "from csatbot.cli import main; main()", "serve", "--config", str(config)]
    command += ["--db", database, "--port", str(port), "--no-triage", "--log-level", "WARNING"]
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "CSATBOT_SECRET_KEY": "bench-inbox-session-key-0123456789abcdef",
        "CSATBOT_TEST_INBOX_DELAY": "86400",
    }
    return Server(name, command, env, f"http://127.0.0.1:{port}", database)


def bare_server(port: int) -> Server:
    command = [sys.executable, str(Path(__file__).resolve()), "--bare-server", str(port)]
    return Server("bare Starlette", command, dict(os.environ), f"http://127.0.0.1:{port}")


def fresh_postgres(url: str) -> str:
    """A new, empty database ``csatbot_bench_inbox`` on the server of ``url``; its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    return make_url(plain).set(database=BENCH_DB).render_as_string(hide_password=False)


def run_wrk(server: Server, args: argparse.Namespace, script: Path, base: int) -> tuple[float, int, int]:
    """One timed round; (requests per second, non-2xx answers, distinct update ids sent)."""
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s"]
    command += ["-s", str(script), f"{server.url}{PATH}", "--", str(base), str(args.every), SECRET, PATH]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    distinct = int(re.search(r"DISTINCT (\d+)", out).group(1))  # type: ignore[union-attr]
    return rps, int(bad.group(1)) if bad else 0, distinct


def measure(servers: list[Server], args: argparse.Namespace, script: Path) -> None:
    for round_no in range(args.rounds):
        order = servers if round_no % 2 == 0 else list(reversed(servers))
        for index, server in enumerate(order):
            assert server.process is not None
            before_rows = server.stored()
            before_cpu = cpu_seconds(server.process.pid)
            base = (round_no * 10 + index + 1) * 1_000_000_000
            rps, bad, distinct = run_wrk(server, args, script, base)
            used = cpu_seconds(server.process.pid) - before_cpu
            server.rps.append(rps)
            server.cpu_ms.append(1000 * used / max(rps * args.seconds, 1))
            server.failed += bad
            if server.database is not None:
                time.sleep(0.5)  # requests in flight when wrk stopped finish
                rows = server.stored() - before_rows
                if not (distinct - args.connections <= rows <= distinct) or bad:
                    server.stored_ok = False
                    print(f"  {server.name}: {rows} rows for {distinct} distinct updates, {bad} non-2xx")
            print(f"  round {round_no + 1}: {server.name:<22} {rps:9.0f} req/s", flush=True)


def report(servers: list[Server], args: argparse.Namespace) -> None:
    bare = servers[0]
    print(
        f"\n{args.rounds} rounds x {args.seconds} s, wrk -t{args.threads} -c{args.connections}, "
        f"every {args.every}th request a redelivery; {os.cpu_count()} CPUs\n"
    )
    print("| server | req/s (median) | CPU ms / request | vs bare Starlette | stored = accepted |")
    print("|---|---|---|---|---|")
    for server in servers:
        ratios = [r / b for r, b in zip(server.rps, bare.rps, strict=True)]
        stored = "-" if server.database is None else ("yes" if server.stored_ok else "NO")
        print(
            f"| {server.name} | {statistics.median(server.rps):.0f} | "
            f"{statistics.median(server.cpu_ms):.3f} | {statistics.median(ratios):.2f} "
            f"({min(ratios):.2f}-{max(ratios):.2f}) | {stored} |"
        )
    sqlite = next(s for s in servers if "SQLite" in s.name)
    ratio = statistics.median(r / b for r, b in zip(sqlite.rps, bare.rps, strict=True))
    print(f"\ntarget: csatbot on SQLite >= 25% of bare Starlette: {'met' if ratio >= 0.25 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--every", type=int, default=10, help="every n-th request repeats the one before")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CSATBOT_TEST_POSTGRES_URL"),
        help="a PostgreSQL server URL (default $CSATBOT_TEST_POSTGRES_URL; none: SQLite only)",
    )
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        import uvicorn

        uvicorn.run(bare_app(), host="127.0.0.1", port=args.bare_server, log_level="warning")  # type: ignore[arg-type]
        return
    with tempfile.TemporaryDirectory(prefix="csatbot-bench-inbox-") as tmp:
        folder = Path(tmp)
        script = folder / "telegram.lua"
        script.write_text(LUA, encoding="utf-8")
        servers = [
            bare_server(free_port()),
            csatbot_server("csatbot SQLite", f"sqlite:///{folder / 'bench.db'}", folder, free_port()),
        ]
        if args.postgres:
            servers.append(
                csatbot_server("csatbot PostgreSQL", fresh_postgres(args.postgres), folder, free_port())
            )
        try:
            for server in servers:
                server.start(folder / "servers.log")
            measure(servers, args, script)
        finally:
            for server in servers:
                server.stop()
        report(servers, args)


if __name__ == "__main__":
    main()

"""Web chat messages per second through ``csatbot serve --workers N`` on PostgreSQL, for several N.

    python bench/workers.py --postgres postgresql://postgres@127.0.0.1:5432/test --workers 1 2 4

Each N gets a fresh database (created beside the given one and dropped after) and a real
``csatbot serve --workers N --no-triage`` on 127.0.0.1. ``--concurrency`` clients post customer
messages (each a turn: dedupe, engine, commit, outbox) for ``--seconds``; a customer says 5 things,
then a new one starts. The client (``bench/load.py``: raw keep-alive connections) runs on the same
machine, so on few cores it takes its share: its CPU share is printed, beside the server processes'
CPU time per message.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.harness import API_TOKEN, IDENTITY_SECRET, Result, free_port, tree_cpu_seconds  # noqa: E402

SESSION = "/api/webchat/session"
MESSAGES = "/api/webchat/messages"
JSON = {"content-type": "application/json"}


def serve(database: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from csatbot.cli import main; main()", "serve", "--db", database]
    command += ["--port", str(port), "--workers", str(workers), "--no-triage", "--log-level", "WARNING"]
    env = {**os.environ, "CSATBOT_API_TOKEN": API_TOKEN, "CSATBOT_WEBCHAT_IDENTITY_SECRET": IDENTITY_SECRET}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


async def ready(url: str, workers: int, timeout: float = 90.0) -> None:
    """Until /readyz has answered 200 from ``workers`` distinct workers."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {sorted(seen)} answered /readyz within {timeout:g} s")
        try:
            async with httpx.AsyncClient() as client:
                answer = await client.get(f"{url}/readyz", timeout=5)
            if answer.status_code == 200:
                seen.add(answer.json()["worker"])
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.05)


async def drive(url: str, seconds: float, concurrency: int, server: int) -> Result:
    """``concurrency`` keep-alive connections (``bench/load.py``): each opens a chat session for a new
    customer (untimed), posts 5 messages, and starts over until time is up; ``server``'s process tree
    CPU time is measured around it."""
    result = Result("csatbot")
    counter = itertools.count()
    port = int(url.rsplit(":", 1)[1])
    connections = [await load.connect(port) for _ in range(concurrency)]
    stop_at = time.perf_counter() + seconds

    async def worker(connection: load.Connection) -> None:
        while time.perf_counter() < stop_at:
            user = f"bench-{next(counter):07d}"
            user_hash = hmac.new(IDENTITY_SECRET.encode(), user.encode(), hashlib.sha256).hexdigest()
            body = json.dumps({"user_id": user, "user_hash": user_hash, "cookie": False}).encode()
            status, answer = await connection.send(load.encode("POST", SESSION, body, JSON))
            if status != 200:
                raise SystemExit(f"a chat session got {status}: {answer[:200]!r}")
            headers = {**JSON, "X-Chat-Session": json.loads(answer)["token"]}
            for turn in range(5):
                if time.perf_counter() >= stop_at:
                    return
                message = json.dumps({"text": f"my parcel is late ({turn})"}).encode()
                started = time.perf_counter()
                try:
                    status, _ = await connection.send(load.encode("POST", MESSAGES, message, headers))
                except ConnectionError:
                    status = 0
                result.record(started, status == 202)

    cpu, client_cpu, began = tree_cpu_seconds(server), time.process_time(), time.perf_counter()
    try:
        await asyncio.gather(*(worker(c) for c in connections))
    finally:
        for connection in connections:
            if connection.transport is not None:
                connection.transport.close()
    result.seconds = time.perf_counter() - began
    result.client_cpu_s = time.process_time() - client_cpu
    if cpu is not None and (now := tree_cpu_seconds(server)) is not None:
        result.server_cpu_s = now - cpu
    return result


def run_one(postgres: str, workers: int, seconds: float, concurrency: int) -> dict[str, Any]:
    admin_url = postgres.replace("postgresql+psycopg://", "postgresql://")
    name = f"csatbot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database = f"{admin_url.rsplit('/', 1)[0]}/{name}"
    port = free_port()
    server = serve(database, port, workers)
    try:
        url = f"http://127.0.0.1:{port}"
        asyncio.run(ready(url, workers))
        result = asyncio.run(drive(url, seconds, concurrency, server.pid))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {"workers": workers, "cpus": os.cpu_count(), **result.summary()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("CSATBOT_TEST_POSTGRES_URL"), required=False)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if not args.postgres:
        parser.error("pass --postgres postgresql://... (a database to create the bench databases beside)")
    rows = [run_one(args.postgres, n, args.seconds, args.concurrency) for n in args.workers]
    for row in rows:
        print(
            f"workers={row['workers']}: {row['per_second']:.1f} messages/s, p50 {row['p50_ms']} ms, "
            f"p99 {row['p99_ms']} ms, errors {row['errors']}, server CPU "
            f"{row['server_cpu_ms_per_request']} ms/message, client CPU share {row['client_cpu_share']} "
            f"({row['cpus']} CPUs)"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

"""Web chat messages per second through ``csatbot serve --workers N`` on PostgreSQL, for several N.

    python bench/workers.py --postgres postgresql://postgres@127.0.0.1:5432/test --workers 1 2 4

Each N gets a fresh database (created beside the given one and dropped after) and a real
``csatbot serve --workers N --no-triage`` on 127.0.0.1. ``--concurrency`` clients post customer
messages (each a turn: dedupe, engine, commit, outbox) for ``--seconds``; a customer says 5 things,
then a new one starts. The client runs on the same machine, so on few cores it takes its share.
"""

from __future__ import annotations

import argparse
import asyncio
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

from bench.harness import API_TOKEN, IDENTITY_SECRET, Result, chat_session, free_port  # noqa: E402


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


async def drive(url: str, seconds: float, concurrency: int) -> Result:
    result = Result("csatbot")
    counter = itertools.count()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        stop_at = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < stop_at:
                session = await chat_session(client, url, f"bench-{next(counter):07d}")
                for turn in range(5):
                    if time.perf_counter() >= stop_at:
                        return
                    started = time.perf_counter()
                    try:
                        answer = await client.post(
                            f"{url}/api/webchat/messages",
                            json={"text": f"my parcel is late ({turn})"},
                            headers=session,
                        )
                        ok = answer.status_code == 202
                    except httpx.HTTPError:
                        ok = False
                    result.record(started, ok)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - began
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
        result = asyncio.run(drive(url, seconds, concurrency))
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
            f"p99 {row['p99_ms']} ms, errors {row['errors']} ({row['cpus']} CPUs)"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

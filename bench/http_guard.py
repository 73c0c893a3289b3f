"""What the slow-client guard costs a request: one bare Starlette JSON endpoint served by uvicorn's
httptools connection and by :class:`csatbot.slow_clients.GuardedHttp` (what ``csatbot serve`` runs).

    python bench/http_guard.py                   # about 1 min: 4 rounds of 5 s per server
    python bench/http_guard.py --rounds 6 --seconds 8 --concurrency 32

Both servers run side by side as real uvicorn processes; the rounds alternate them (plain, guarded,
guarded, plain...) with the same raw keep-alive load client (``bench/load.py``). Printed per server:
requests per second, p50/p99 latency and the server's CPU per request (steadier than requests per
second on a busy machine), then the ratios guarded / plain.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Result, ServerProcess
from bench.load import drive, encode, repeat

PATH = "/hook"
BODY = json.dumps({"update_id": 1, "message": {"text": "4 stars, the courier was late"}}).encode()


def serve(port: int, kind: str) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def hook(request: Request) -> JSONResponse:
        json.loads(await request.body())
        return JSONResponse({})

    http: object = "httptools"
    if kind == "guarded":
        from csatbot.slow_clients import GuardedHttp

        http = GuardedHttp
    app = Starlette(routes=[Route(PATH, hook, methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, http=http)  # type: ignore[arg-type]


async def measure(args: argparse.Namespace) -> dict[str, Result]:
    servers = {kind: ServerProcess(__file__, ["--serve", kind]) for kind in ("plain", "guarded")}
    request = encode("POST", PATH, BODY, {"content-type": "application/json"})
    results = {kind: Result(kind) for kind in servers}
    try:
        async with httpx.AsyncClient() as client:
            for server in servers.values():
                await server.ready(client, PATH)
        for n in range(args.rounds):
            order = ("plain", "guarded") if n % 2 == 0 else ("guarded", "plain")
            for kind in order:
                await drive(
                    servers[kind],
                    kind,
                    repeat([request]),
                    seconds=args.seconds,
                    concurrency=args.concurrency,
                    result=results[kind],
                )
    finally:
        for server in servers.values():
            server.stop()
    return results


def table(results: dict[str, Result]) -> str:
    rows = [
        "| server | requests/s | p50 ms | p99 ms | server CPU µs per request |",
        "|---|---:|---:|---:|---:|",
    ]
    for result in results.values():
        lat = sorted(result.latencies_ms)
        cpu = (result.server_cpu_s or 0.0) / max(result.requests, 1) * 1e6
        rows.append(
            f"| {result.name} | {result.requests / result.seconds:,.0f} | {lat[len(lat) // 2]:.2f} "
            f"| {lat[int(len(lat) * 0.99)]:.2f} | {cpu:.0f} |"
        )
    plain, guarded = results["plain"], results["guarded"]
    rate = (guarded.requests / guarded.seconds) / (plain.requests / plain.seconds)
    cpu_ratio = ((guarded.server_cpu_s or 0) / guarded.requests) / (
        (plain.server_cpu_s or 1) / plain.requests
    )
    rows.append(f"\nguarded / plain: throughput {rate:.3f}, server CPU per request {cpu_ratio:.3f}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", choices=["plain", "guarded"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.port, args.serve)
        return
    print(table(asyncio.run(measure(args))))


if __name__ == "__main__":
    main()

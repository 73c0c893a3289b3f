"""What the HTTP benchmarks share: a server in a subprocess and the measured result of one run."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
API_TOKEN = secrets.token_hex(32)
"""The support API token the benchmarked server accepts (``CSATBOT_API_TOKEN``); it acts as ``api``."""
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
IDENTITY_SECRET = secrets.token_hex(32)
"""``CSATBOT_WEBCHAT_IDENTITY_SECRET`` of the benchmarked server: web chat customers are signed users."""


async def chat_session(client: httpx.AsyncClient, url: str, user: str) -> dict[str, str]:
    """``X-Chat-Session`` headers for web chat customer ``user`` (a signed identity)."""
    user_hash = hmac.new(IDENTITY_SECRET.encode(), user.encode(), hashlib.sha256).hexdigest()
    body = {"user_id": user, "user_hash": user_hash, "cookie": False}
    response = await client.post(f"{url}/api/webchat/session", json=body)
    response.raise_for_status()
    return {"X-Chat-Session": response.json()["token"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def process_cpu_seconds(pid: int) -> float | None:
    """Process ``pid``'s user + system CPU time so far (Linux ``/proc``), or ``None`` elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU time of ``pid`` and its live descendants (``serve --workers N``: the supervisor and its
    workers), from ``/proc``; ``None`` where there is none."""
    own = process_cpu_seconds(pid)
    if own is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return own
    return own + sum(tree_cpu_seconds(int(child)) or 0.0 for child in children)


class ServerProcess:
    """``python <script> --port N <args>`` in a subprocess; ``url`` once :meth:`ready`."""

    def __init__(self, script: str, args: list[str], environ: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, script, "--port", str(self.port), *args]
        env = {
            **os.environ,
            "CSATBOT_API_TOKEN": API_TOKEN,
            "CSATBOT_WEBCHAT_IDENTITY_SECRET": IDENTITY_SECRET,
            **(environ or {}),
        }
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env)

    async def ready(self, client: httpx.AsyncClient, path: str = "/healthz") -> None:
        """Wait until ``path`` answers at all (``OPTIONS`` for anything but ``/healthz``)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode} while starting")
            try:
                await client.request("GET" if path == "/healthz" else "OPTIONS", self.url + path)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        raise SystemExit(f"the server on {self.url} did not start in 60 s")

    def cpu_seconds(self) -> float | None:
        """The server's user + system CPU time so far (Linux ``/proc``), or ``None`` elsewhere."""
        return process_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass
class Result:
    """Requests, errors and latencies of one load run (CPU times where the benchmark measures them)."""

    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    server_cpu_s: float | None = None
    client_cpu_s: float | None = None
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    def record(self, started: float, ok: bool) -> None:
        """A request begun at ``started`` (perf_counter): counted with its latency, or as an error."""
        if ok:
            self.requests += 1
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
        else:
            self.errors += 1

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "latencies_ms"}
        data |= {
            "per_second": round(self.per_second, 1),
            "p50_ms": round(self.quantile(0.50), 2),
            "p99_ms": round(self.quantile(0.99), 2),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else None,
            "server_cpu_ms_per_request": (
                round(1000 * self.server_cpu_s / self.requests, 2)
                if self.server_cpu_s is not None and self.requests
                else None
            ),
            "client_cpu_share": (
                round(self.client_cpu_s / self.seconds, 3)
                if self.client_cpu_s is not None and self.seconds
                else None
            ),
        }
        return data

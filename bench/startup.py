"""Start-up time to the first 200 and idle CPU of ``csatbot serve``, ``--no-triage`` beside the default.

    python bench/startup.py                  # 3 rounds of each, about 1 min
    python bench/startup.py --rounds 5 --idle 20 --json var/bench/startup.json
    python bench/startup.py --compare ../main          # another checkout in the same rounds

Each round starts a fresh ``csatbot serve`` on a new SQLite file with the repository's
``config.yaml`` (web chat only: no channel SDK is needed) and polls ``/healthz`` and ``/readyz``
every 10 ms. It reports the wall time from ``exec`` to the first 200 of each, the server's CPU time
(user + system, from ``/proc``) at the first ``/healthz`` 200, its resident memory then, and its
CPU per second over ``--idle`` seconds of no requests after a short settling pause (from each
thread's ``schedstat``, in nanoseconds). The variants (and ``--compare``'s, another checkout)
alternate round by round (A, B, A, B...) so all see the same machine load; the table shows the
median of each. The default variant triages: without a trained model it runs with ``--no-train``
(training takes minutes of CPU) and ``/readyz`` stays 503 (model missing), so its column is empty.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import free_port, process_cpu_seconds  # noqa: E402

POLL = 0.01
TARGET_START = 1.5  # seconds to the first 200 with --no-triage (issue 18)
TARGET_IDLE = 1.0  # ms of CPU per second, idle


@dataclass
class Round:
    variant: str
    healthz_s: float
    readyz_s: float | None
    cpu_at_healthz_s: float
    rss_mb: float
    idle_cpu_ms_per_s: float


def status(port: int, path: str) -> int | None:
    """The status of ``GET path`` (a fresh connection), or ``None`` when nothing answers."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            head = sock.recv(64)
    except OSError:
        return None
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def threads_cpu_seconds(pid: int) -> float:
    """CPU time of ``pid``'s live threads in nanoseconds' precision (``/proc/.../schedstat``): the
    clock-tick counts of ``/proc/PID/stat`` (10 ms) are too coarse for an idle server."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # the thread ended meanwhile
    return total / 1e9


def model_exists() -> bool:
    from bot.config import load_config

    model_dir = ROOT / load_config(ROOT / "config.yaml").nlu.model_dir
    return model_dir.is_dir() and any(model_dir.iterdir())


def one_round(variant: str, args: list[str], idle: float, settle: float, root: Path) -> Round:
    folder = Path(tempfile.mkdtemp(prefix="csatbot-startup-"))
    port = free_port()
    command = [sys.executable, "-c", "from csatbot.cli import main; main()", "serve"]
    command += ["--config", str(root / "config.yaml"), "--db", str(folder / "csatbot.db")]
    command += ["--port", str(port), "--log-level", "warning", *args]
    began = time.perf_counter()
    environ = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen(command, cwd=root, env=environ, stdout=subprocess.DEVNULL)
    try:
        healthz = readyz = None
        cpu = 0.0
        deadline = began + 120
        while readyz is None and time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"{variant}: csatbot serve exited with {proc.returncode}")
            if healthz is None and status(port, "/healthz") == 200:
                healthz = time.perf_counter() - began
                cpu = process_cpu_seconds(proc.pid) or 0.0
                memory = rss_mb(proc.pid)
            if healthz is not None:
                if status(port, "/readyz") == 200:
                    readyz = time.perf_counter() - began
                elif time.perf_counter() - began > healthz + 10:
                    break  # never ready (no triage model): report the first 200 only
            time.sleep(POLL)
        if healthz is None:
            raise SystemExit(f"{variant}: no 200 on /healthz within 120 s")
        time.sleep(settle)
        before = threads_cpu_seconds(proc.pid)
        time.sleep(idle)
        spent = threads_cpu_seconds(proc.pid) - before
        return Round(variant, healthz, readyz, cpu, memory, 1000 * spent / idle)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def print_table(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"csatbot serve start-up and idle CPU: median of {data['rounds']} rounds, "
        f"idle measured over {data['idle_seconds']:g} s"
    )
    columns = ["variant", "first 200 /healthz s", "first 200 /readyz s", "CPU to first 200 s"]
    columns += ["RSS MB", "idle CPU ms/s"]
    for column in columns:
        table.add_column(column, justify="left" if column == "variant" else "right")

    def cell(value: float | None, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    for v in data["variants"]:
        table.add_row(
            f"{v['variant']} ({' '.join(v['args']) or 'no flags'})",
            cell(v["healthz_s"], ".2f"),
            cell(v["readyz_s"], ".2f"),
            cell(v["cpu_at_healthz_s"], ".2f"),
            cell(v["rss_mb"], ".0f"),
            cell(v["idle_cpu_ms_per_s"], ".2f"),
        )
    console = Console(width=None if sys.stdout.isatty() else 140)
    console.print(table)
    for v in data["variants"]:
        start = f"first 200 {cell(v['healthz_s'], '.2f')} s" + (
            f" ({verdict(v['healthz_s'], TARGET_START)}: < {TARGET_START:g} s)"
            if "--no-triage" in v["args"]
            else ""
        )
        idle_ms = v["idle_cpu_ms_per_s"]
        idle = f"idle {cell(idle_ms, '.2f')} ms CPU per second"
        idle += f" ({verdict(idle_ms, TARGET_IDLE)}: < {TARGET_IDLE:g})"
        console.print(f"{v['variant']}: {start}; {idle}")
    console.print(
        f"targets (issue 18): first 200 < {TARGET_START:g} s with --no-triage; idle < {TARGET_IDLE:g} ms CPU "
        f"per second. {data['root']}; {data['cpus']} cpus, load average {data['load']}, "
        f"python {data['python']}"
    )


def verdict(value: float | None, target: float) -> str:
    """``met`` when ``value`` is under ``target``."""
    return "?" if value is None else "met" if value < target else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each variant, alternating")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measured per round")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after start-up before that")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--compare",
        type=Path,
        default=None,
        help="another checkout (main's, say) started in the same rounds, alternating with this one",
    )
    args = parser.parse_args()
    default = [] if model_exists() else ["--no-train"]
    roots = {"": ROOT} | ({f"{args.compare.name}: ": args.compare.resolve()} if args.compare else {})
    variants = {
        f"{label}{name}": (flags, root)
        for label, root in roots.items()
        for name, flags in (("--no-triage", ["--no-triage"]), ("default", default))
    }
    rounds: list[Round] = []
    for index in range(args.rounds):
        for name, (flags, root) in variants.items():
            found = one_round(name, flags, args.idle, args.settle, root)
            print(f"round {index + 1} {name}: {found}", file=sys.stderr)
            rounds.append(found)
    data: dict[str, Any] = {
        "rounds": args.rounds,
        "idle_seconds": args.idle,
        "variants": [
            {
                "variant": name,
                "args": flags,
                "root": str(root),
                **{
                    key: median([getattr(r, key) for r in rounds if r.variant == name])
                    for key in ("healthz_s", "readyz_s", "cpu_at_healthz_s", "rss_mb", "idle_cpu_ms_per_s")
                },
            }
            for name, (flags, root) in variants.items()
        ],
        "all_rounds": [asdict(r) for r in rounds],
        "cpus": os.cpu_count(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": sys.version.split()[0],
        "root": str(ROOT) + (f" (compared with {args.compare.resolve()})" if args.compare else ""),
    }
    print_table(data)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

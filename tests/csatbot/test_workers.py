"""The ``--workers`` supervisor with real child processes (small Python scripts that run, die or
stop the supervisor as told): a dead worker is started again alone, a crash loop or a refused
configuration stops the set with a non-zero code."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

WORKER = """
import os, signal, sys, time
log, plan = sys.argv[1], sys.argv[2].split(",")
with open(log, "a") as f:
    f.write(f"{os.getpid()}\\n")
starts = len(open(log).read().split())
step = plan[min(starts, len(plan)) - 1]  # what to do on this start
if step == "stop":  # as an operator would: SIGTERM to the supervisor
    os.kill(os.getppid(), signal.SIGTERM)
if step in ("run", "stop"):
    time.sleep(60)
else:
    seconds, code = step.split(":")
    time.sleep(float(seconds))
    sys.exit(int(code))
"""
SUPERVISOR = """
import json, sys
from csatbot.workers import supervise
commands, options = json.loads(sys.argv[1])
sys.exit(supervise(commands, **options))
"""
ROOT = Path(__file__).resolve().parents[2]


def supervise(tmp_path: Path, plans: list[str], **options: float) -> tuple[int, list[list[int]], str]:
    """Run the supervisor over one worker per plan: its exit code, each worker's pids (one per
    start), and what it printed."""
    logs = [tmp_path / f"w{i}.log" for i in range(len(plans))]
    commands = [[sys.executable, "-c", WORKER, str(log), plan] for log, plan in zip(logs, plans, strict=True)]
    done = subprocess.run(
        [sys.executable, "-c", SUPERVISOR, json.dumps([commands, {"backoff": 0.05, **options}])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    pids = [[int(p) for p in log.read_text().split()] if log.exists() else [] for log in logs]
    return done.returncode, pids, done.stderr


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except FileNotFoundError:
        return False


def test_a_dead_worker_is_started_again_alone_and_the_others_keep_running(tmp_path: Path) -> None:
    code, (first, second), said = supervise(tmp_path, ["run", "0:1,stop"])
    assert code == 0, said  # stopped by SIGTERM, after the restart
    assert len(first) == 1  # never restarted: it kept running through the other's death
    assert len(second) == 2
    assert f"csatbot worker 1 (pid {second[0]}) exited with 1; starting it again in 0.05 s" in said
    assert f"csatbot worker 1 started again (pid {second[1]})" in said
    assert not any(alive(pid) for pid in first + second)  # the SIGTERM reached both


def test_deaths_long_after_the_start_are_not_a_crash_loop(tmp_path: Path) -> None:
    code, (_, second), said = supervise(tmp_path, ["run", "0.6:1,0.6:1,0.6:1,stop"], quick=0.3, give_up=2)
    assert code == 0, said
    assert len(second) == 4


def test_a_crash_loop_stops_the_set_with_the_workers_code(tmp_path: Path) -> None:
    code, (first, second), said = supervise(tmp_path, ["run", "0:3"], quick=30, give_up=3)
    assert code == 3
    assert len(first) == 1 and len(second) == 3  # started, then again twice, then given up
    assert "exited with 3; starting it again in 0.05 s" in said  # then the pause doubles
    assert "exited with 3; starting it again in 0.1 s" in said
    assert "3 deaths in a row, each within 30 s of its start; stopping the others" in said
    assert not alive(first[0])


def test_a_worker_refusing_its_configuration_stops_the_set_at_once(tmp_path: Path) -> None:
    code, (first, second), said = supervise(tmp_path, ["run", "0:2"])
    assert code == 2
    assert len(second) == 1  # not started again: it would refuse again
    assert "exited with 2: it refuses its configuration; stopping the others" in said
    assert not alive(first[0])


def test_workers_do_not_outlive_a_supervisor_killed_with_sigkill(tmp_path: Path) -> None:
    logs = [tmp_path / "w0.log", tmp_path / "w1.log"]
    commands = [[sys.executable, "-c", WORKER, str(log), "run"] for log in logs]
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, json.dumps([commands, {}])], cwd=ROOT, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while not all(log.exists() and log.read_text().strip() for log in logs):
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        pids = [int(log.read_text().split()[0]) for log in logs]
        supervisor.kill()
        supervisor.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        supervisor.kill()
        supervisor.wait(10)
    assert not any(alive(pid) for pid in pids)  # no orphan left serving on the port

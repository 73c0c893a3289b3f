"""``csatbot serve --workers 2`` on PostgreSQL: one port, two processes, both answer, both stop."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT
from .processes import ServeProcess


@pytest.mark.postgres
def test_two_workers_share_one_port_and_both_serve(tmp_path: Path, postgres_server_url: str) -> None:
    server = ServeProcess(
        ROOT / "config.yaml", postgres_server_url, tmp_path / "serve.log", extra=["--workers", "2"]
    ).start()
    seen: set[str] = set()
    try:
        deadline = time.monotonic() + 60  # the second worker may still be starting
        while len(seen) < 2 and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{server.url}/readyz", timeout=5)  # a new connection each time
            except httpx.HTTPError:
                time.sleep(0.1)
                continue
            assert answer.status_code == 200, answer.text
            seen.add(answer.json()["worker"])
        print(f"workers that answered /readyz: {sorted(seen)}")
        assert len(seen) == 2, f"only {seen} answered; see {server.log}"
        assert {worker.rsplit(":", 1)[1] for worker in seen} == {"w0", "w1"}
    finally:
        server.stop()
    assert server.process is not None and server.process.returncode == 0, server.log.read_text()[-2000:]
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{server.url}/healthz", timeout=2)  # no worker left behind on the port


@pytest.mark.postgres
def test_a_killed_worker_is_started_again_while_the_other_keeps_serving(
    tmp_path: Path, postgres_server_url: str
) -> None:
    server = ServeProcess(
        ROOT / "config.yaml", postgres_server_url, tmp_path / "serve.log", extra=["--workers", "2"]
    ).start()
    try:
        assert server.process is not None
        before = workers(server.process.pid)
        assert sorted(before) == [0, 1]
        os.kill(before[1], signal.SIGKILL)
        deadline = time.monotonic() + 90  # a restart takes 4-25 s on a loaded machine
        seen: set[str] = set()
        while "w1" not in seen and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{server.url}/readyz", timeout=5)  # the live worker answers meanwhile
            except httpx.HTTPError:
                time.sleep(0.1)
                continue
            assert answer.status_code == 200, answer.text
            seen.add(answer.json()["worker"].rsplit(":", 1)[1])
        after = workers(server.process.pid)
        assert server.process.poll() is None  # the supervisor went on
    finally:
        server.stop()
    assert server.process.returncode == 0, server.log.read_text()[-2000:]
    assert "w1" in seen, f"the restarted worker never answered; see {server.log}"
    assert after[0] == before[0]  # the other worker was left alone
    assert after[1] != before[1]
    log = server.log.read_text()
    assert f"csatbot worker 1 (pid {before[1]}) exited with -9; starting it again in 1 s" in log
    assert f"csatbot worker 1 started again (pid {after[1]})" in log


def workers(supervisor: int) -> dict[int, int]:
    """The supervisor's live workers: pid by ``--worker-index``."""
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    found = {}
    for pid in map(int, children):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"--worker-index" in command and "zombie" not in _state(pid):
            found[int(command[command.index(b"--worker-index") + 1])] = pid
    return found


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/status").read_text().lower()

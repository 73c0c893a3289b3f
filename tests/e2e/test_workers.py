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
def test_a_worker_that_dies_takes_the_set_down_for_the_process_manager(
    tmp_path: Path, postgres_server_url: str
) -> None:
    server = ServeProcess(
        ROOT / "config.yaml", postgres_server_url, tmp_path / "serve.log", extra=["--workers", "2"]
    ).start()
    try:
        assert server.process is not None
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text()
        workers = [int(pid) for pid in children.split()]
        assert len(workers) == 2
        os.kill(workers[1], signal.SIGKILL)
        code = server.process.wait(30)  # the supervisor stops the other worker and exits
    finally:
        server.stop()
    assert code != 0
    assert not Path(f"/proc/{workers[0]}").exists() or "zombie" in _state(workers[0])
    assert f"(pid {workers[1]}) exited with -9; stopping the others" in server.log.read_text()


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/status").read_text().lower()

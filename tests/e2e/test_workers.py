"""``csatbot serve --workers 2`` on PostgreSQL: one port, two processes, both answer, both stop."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT
from .processes import ServeProcess

START = 120.0  # seconds: two processes importing at once on a loaded 2-core machine took 57 s


@pytest.mark.postgres
def test_two_workers_share_one_port_and_a_killed_one_is_started_again_while_the_other_serves(
    tmp_path: Path, postgres_server_url: str
) -> None:
    """One ``--workers 2`` set (its start-up is the slow part): both answer on the one port; w1 killed
    with SIGKILL is started again while w0 is left alone; on SIGTERM the set, the restarted worker
    included, stops cleanly and leaves nothing on the port."""
    server = ServeProcess(
        ROOT / "config.yaml", postgres_server_url, tmp_path / "serve.log", extra=["--workers", "2"]
    ).start(timeout=START)
    try:
        assert server.process is not None
        seen = server.answering({"w0", "w1"}, START)  # the second worker may still be starting
        print(f"workers that answered /readyz: {sorted(seen)}")
        assert seen == {"w0", "w1"}, f"only {seen} answered; see {server.log}"
        before = server.workers()
        assert sorted(before) == [0, 1]
        os.kill(before[1], signal.SIGKILL)
        again = server.answering({"w1"}, 90)  # a restart takes 4-25 s on a loaded machine
        after = server.workers()
        assert server.process.poll() is None  # the supervisor went on
    finally:
        server.stop()
    assert server.process.returncode == 0, server.log.read_text()[-2000:]
    assert "w1" in again, f"the restarted worker never answered; see {server.log}"
    assert after[0] == before[0]  # the other worker was left alone
    assert after[1] != before[1]
    log = server.log.read_text()
    assert f"csatbot worker 1 (pid {before[1]}) exited with -9; starting it again in 1 s" in log
    assert f"csatbot worker 1 started again (pid {after[1]})" in log
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{server.url}/healthz", timeout=2)  # no worker left behind on the port

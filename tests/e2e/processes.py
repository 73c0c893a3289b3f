"""``csatbot serve`` as a real process (for kill -9 and several-process tests), bounded in time."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServeProcess:
    """``python -c 'csatbot.cli.main()' serve`` on 127.0.0.1 with JSON logs into ``log``."""

    def __init__(
        self,
        config: Path,
        database_url: str,
        log: Path,
        *,
        env: dict[str, str] | None = None,
        extra: list[str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, "-c", "from csatbot.cli import main; main()", "serve"]
        command += ["--config", str(config), "--db", database_url, "--port", str(self.port)]
        command += ["--no-triage", "--log-format", "json", *(extra or [])]
        self.command = command
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> ServeProcess:
        return self.launch().ready(timeout)

    def launch(self) -> ServeProcess:
        """Start the process without waiting for it (see :meth:`ready`)."""
        with self.log.open("ab") as sink:  # stderr: the log; stdout: the banner, not kept
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=sink,
                start_new_session=True,  # its own process group: kill() reaches --workers' workers too
            )
        return self

    def ready(self, timeout: float = 60.0) -> ServeProcess:
        """Wait until the launched process answers ``/healthz``."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"csatbot serve exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"csatbot serve did not answer /healthz within {timeout:g} s; see {self.log}")

    def kill(self) -> None:
        """kill -9 of the server (with ``--workers``, of the supervisor and every worker): no
        shutdown, no lifespan, leases left as they were."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def workers(self) -> dict[int, int]:
        """With ``--workers``: the supervisor's live workers, pid by ``--worker-index``."""
        assert self.process is not None
        pid = self.process.pid
        found = {}
        for child in map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()):
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
                state = Path(f"/proc/{child}/status").read_text().lower()
            except FileNotFoundError:
                continue  # it ended meanwhile
            if b"--worker-index" in command and "zombie" not in state:
                found[int(command[command.index(b"--worker-index") + 1])] = child
        return found

    def answering(self, wanted: set[str], timeout: float) -> set[str]:
        """Ask ``/readyz`` (a new connection each time, so the kernel picks a worker) until each
        worker of ``wanted`` (``w0``, ``w1``...) answered 200, or ``timeout`` seconds: those that did."""
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while not wanted <= seen and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{self.url}/readyz", timeout=5)
            except httpx.HTTPError:
                time.sleep(0.1)
                continue
            assert answer.status_code == 200, answer.text
            seen.add(answer.json()["worker"].rsplit(":", 1)[1])
        return seen

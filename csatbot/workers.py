"""``csatbot serve --workers N``: N server processes on one port (``SO_REUSEPORT``), one supervisor.

Each worker is a full ``csatbot serve`` (its own Runtime, delivery pump and timers) with its own
worker id for leases (``<host>:<port>:w<index>``, stable across restarts so a restarted worker takes
its own in-flight work back at once). The kernel spreads new connections over the workers. The
supervisor forwards SIGTERM to all of them (Ctrl+C reaches them from the terminal). A worker that
dies is started again on its own while the others keep serving, after a pause that doubles with
each quick death; a crash loop (``GIVE_UP`` deaths in a row, each within ``QUICK`` seconds of its
start) or a worker refusing its configuration (exit 2) stops the set and exits non-zero, so the
process manager (systemd, Docker's restart policy) sees the failure.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType

MAX_WORKERS = 64  # each worker is a whole server (database pool, model, senders): more is a typo
STOP_SECONDS = 20.0  # a worker's graceful shutdown takes up to 10 s (uvicorn) plus the Runtime's stop
RESTART_AFTER = 1.0
"""Seconds before a dead worker starts again; doubled for each quick death in a row."""
RESTART_AFTER_MAX = 30.0
QUICK = 60.0
"""A worker that dies sooner than this after its start died quickly (restarts take 4-25 s)."""
GIVE_UP = 5
"""Quick deaths in a row of one worker that stop the set: restarting it is not helping."""
REFUSED = 2
"""The exit code of ``csatbot serve`` refusing its configuration: a restart would refuse again."""
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` that other processes may bind too (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def worker_id(base: str, index: int) -> str:
    """The lease owner name of worker ``index``: distinct per worker, the same after a restart."""
    return f"{base}:w{index}"


def spawn(command: list[str]) -> subprocess.Popen[bytes]:
    """Start a worker that gets SIGTERM if the supervisor dies (even by kill -9), so no orphan
    keeps serving on the port beside the next supervisor's workers (Linux; elsewhere a no-op)."""
    supervisor = os.getpid()

    def tie_to_supervisor() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != supervisor:  # it died before the tie was made
            os.kill(os.getpid(), signal.SIGTERM)

    return subprocess.Popen(command, preexec_fn=tie_to_supervisor if sys.platform == "linux" else None)


@dataclass
class Worker:
    """One worker's command and its current process."""

    index: int
    command: list[str]
    process: subprocess.Popen[bytes]
    started: float
    quick_deaths: int = 0
    """Deaths in a row, each within ``QUICK`` seconds of its start."""
    restart_at: float | None = None
    """When it is started again (it is dead until then)."""
    signalled: bool = False

    def start(self) -> None:
        self.process = spawn(self.command)
        self.started, self.restart_at, self.signalled = time.monotonic(), None, False

    def terminate(self) -> None:
        """SIGTERM once (a second one would make uvicorn skip its graceful shutdown)."""
        if self.restart_at is None and not self.signalled and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.signalled = True


def supervise(
    commands: list[list[str]],
    *,
    backoff: float = RESTART_AFTER,
    quick: float = QUICK,
    give_up: int = GIVE_UP,
) -> int:
    """Run one process per command until a signal, restarting any that dies; return the exit
    code: 0 after a signal, else the code of the worker whose crash loop (or refusal) ended it."""
    now = time.monotonic()
    workers = [Worker(i, command, spawn(command), now) for i, command in enumerate(commands)]
    stopping = interrupted = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping, interrupted
        stopping = True
        interrupted = interrupted or signum == signal.SIGINT
        if interrupted:
            return  # Ctrl+C reaches the whole process group; a second signal would force-exit uvicorn
        for worker in workers:
            worker.terminate()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = 0
        while not stopping and not code:
            for worker in workers:
                code = _look_after(worker, backoff, quick, give_up)
                if code or stopping:
                    break
            time.sleep(0.1)
        stop(signal.SIGTERM, None)  # again: a worker may have been started while the signal came
        deadline = time.monotonic() + STOP_SECONDS
        for worker in workers:
            try:
                worker.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        return code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _look_after(worker: Worker, backoff: float, quick: float, give_up: int) -> int:
    """Start ``worker`` again when its pause is over, or note its death: 0, or the code to exit
    with when restarting it cannot help."""
    now = time.monotonic()
    if worker.restart_at is not None:
        if now >= worker.restart_at:
            worker.start()
            _say(f"csatbot worker {worker.index} started again (pid {worker.process.pid})")
        return 0
    returned = worker.process.poll()
    if returned is None:
        return 0
    what = f"csatbot worker {worker.index} (pid {worker.process.pid}) exited with {returned}"
    if returned == REFUSED:
        _say(f"{what}: it refuses its configuration; stopping the others")
        return REFUSED
    worker.quick_deaths = worker.quick_deaths + 1 if now - worker.started < quick else 0
    if worker.quick_deaths >= give_up:
        _say(
            f"{what}: {worker.quick_deaths} deaths in a row, each within {quick:g} s of its start; "
            "stopping the others (a crash loop: see the lines above)"
        )
        return returned if returned > 0 else 1
    pause = min(RESTART_AFTER_MAX, backoff * 2 ** max(0, worker.quick_deaths - 1))
    worker.restart_at = now + pause
    _say(f"{what}; starting it again in {pause:g} s (the others keep serving)")
    return 0


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def python_command() -> list[str]:
    """How to start ``csatbot`` again with this interpreter (works without the console script)."""
    return [sys.executable, "-c", "from csatbot.cli import main; main()"]

"""``csatbot serve --workers N``: N server processes on one port (``SO_REUSEPORT``), one supervisor.

Each worker is a full ``csatbot serve`` (its own Runtime, delivery pump and timers) with its own
worker id for leases (``<host>:<port>:w<index>``, stable across restarts so a restarted worker takes
its own in-flight work back at once). The kernel spreads new connections over the workers. The
supervisor forwards SIGTERM to all of them (Ctrl+C reaches them from the terminal); when one exits
on its own, it stops the others and exits with its code, so a process manager (systemd, Docker's
restart policy) restarts the set.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from types import FrameType

STOP_SECONDS = 20.0  # a worker's graceful shutdown takes up to 10 s (uvicorn) plus the Runtime's stop


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


def supervise(commands: list[list[str]]) -> int:
    """Run one process per command until a signal or until one exits; return the exit code."""
    children = [subprocess.Popen(command) for command in commands]
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if signum == signal.SIGINT:
            return  # Ctrl+C reaches the whole process group; a second signal would force-exit uvicorn
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = 0
        while not stopping:
            ended = [child for child in children if child.poll() is not None]
            if ended:
                code = ended[0].returncode or 1
                print(
                    f"csatbot worker (pid {ended[0].pid}) exited with {ended[0].returncode}; "
                    "stopping the others (restart the service to start them again)",
                    file=sys.stderr,
                )
                stop(signal.SIGTERM, None)
                break
            time.sleep(0.2)
        deadline = time.monotonic() + STOP_SECONDS
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def python_command() -> list[str]:
    """How to start ``csatbot`` again with this interpreter (works without the console script)."""
    return [sys.executable, "-c", "from csatbot.cli import main; main()"]

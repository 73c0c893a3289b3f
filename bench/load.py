"""A load client that is not the bottleneck: raw asyncio, HTTP/1.1 keep-alive, requests encoded first.

httpx spends more CPU per request than a bare Starlette endpoint does (it measured bare Starlette at
about 250 requests/s on two busy cores). Here each connection is an :class:`asyncio.Protocol` that
writes a request prepared as bytes before the clock starts and parses just the status line and
the length of the answer, so the client costs a few tens of microseconds per request.
:func:`wrk_rate` runs ``wrk`` (C) on the same request, to show the client keeps up.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import cast

from bench.harness import Result, ServerProcess

CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
CHUNKED = re.compile(rb"\r\ntransfer-encoding:\s*chunked", re.IGNORECASE)


def encode(method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None) -> bytes:
    """One HTTP/1.1 keep-alive request as bytes (``Host`` and ``Content-Length`` added)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


Answer = tuple[int, bytes]
"""An answer's status and body."""
Check = Callable[[int, bytes], bool]


def status_is(expected: int) -> Check:
    """Counts an answer as done when its status is ``expected``."""
    return lambda status, _body: status == expected


OK = status_is(200)


class Connection(asyncio.Protocol):
    """One keep-alive connection; :meth:`send` writes a request and resolves to the answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiting: asyncio.Future[Answer] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def send(self, raw: bytes) -> asyncio.Future[Answer]:
        assert self.transport is not None
        self.waiting = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return self.waiting

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        answer = self._complete()
        if answer is not None and self.waiting is not None and not self.waiting.done():
            self.waiting.set_result(answer)

    def _complete(self) -> Answer | None:
        """The answer once all of it is in the buffer (then the buffer is emptied)."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self.buffer[:end])
        length = CONTENT_LENGTH.search(head)
        if length is not None:
            if len(self.buffer) < end + 4 + int(length.group(1)):
                return None
        elif CHUNKED.search(head) and not self.buffer.endswith(b"0\r\n\r\n"):
            return None  # a chunked body is returned with its chunk sizes
        body = bytes(self.buffer[end + 4 :])
        self.buffer.clear()
        return int(head[9:12]), body

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiting is not None and not self.waiting.done():
            self.waiting.set_exception(ConnectionError("the server closed the connection"))


async def connect(port: int) -> Connection:
    _transport, protocol = await asyncio.get_running_loop().create_connection(Connection, "127.0.0.1", port)
    return protocol


async def drive(
    server: ServerProcess,
    name: str,
    streams: Iterable[Sequence[bytes]],
    *,
    seconds: float,
    concurrency: int,
    ok: Check | None = None,
    result: Result | None = None,
) -> Result:
    """``concurrency`` connections each take the next stream and send its requests in order (one
    customer's answers, say), until time is up or no stream is left. An answer ``ok`` accepts (a
    200 by default) counts with its latency, any other as an error. The server's CPU time and this
    process's are added to ``result`` (a new one unless given: rounds add up)."""
    ok = ok or OK
    result = result or Result(name)
    port = int(server.url.rsplit(":", 1)[1])
    pending: Iterator[Sequence[bytes]] = iter(streams)
    connections = [await connect(port) for _ in range(concurrency)]
    stop_at = time.perf_counter() + seconds

    async def worker(connection: Connection) -> None:
        for stream in pending:
            for raw in stream:
                if time.perf_counter() >= stop_at:
                    return
                if connection.closed:
                    connection = await connect(port)
                started = time.perf_counter()
                try:
                    status, body = await connection.send(raw)
                except ConnectionError:
                    status, body = 0, b""
                result.record(started, ok(status, body))

    server_cpu, client_cpu, began = server.cpu_seconds(), time.process_time(), time.perf_counter()
    try:
        await asyncio.gather(*(worker(c) for c in connections))
    finally:
        for connection in connections:
            if connection.transport is not None:
                connection.transport.close()
    result.seconds += time.perf_counter() - began
    result.client_cpu_s = (result.client_cpu_s or 0.0) + time.process_time() - client_cpu
    if server_cpu is not None and (now := server.cpu_seconds()) is not None:
        result.server_cpu_s = (result.server_cpu_s or 0.0) + now - server_cpu
    return result


def singles(requests: Iterable[bytes]) -> Iterator[Sequence[bytes]]:
    """Each request a stream of its own (no order to keep between them)."""
    return ([raw] for raw in requests)


def repeat(requests: list[bytes]) -> Iterator[Sequence[bytes]]:
    """``requests`` round and round, one a stream (the bare endpoint answers them as often as asked)."""
    return singles(itertools.cycle(requests))


WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = io.open("{body}", "rb"):read()
{headers}
"""


def wrk_rate(
    server: ServerProcess,
    method: str,
    path: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    seconds: float,
    concurrency: int,
) -> tuple[float, float | None] | None:
    """Requests per second and server CPU ms per request that ``wrk`` (one thread) reaches on one
    request; ``None`` when ``wrk`` is not installed."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    with tempfile.TemporaryDirectory(prefix="csatbot-wrk-") as folder:
        (Path(folder) / "body").write_bytes(body)
        lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
        script = Path(folder) / "post.lua"
        script.write_text(WRK_SCRIPT.format(method=method, body=Path(folder) / "body", headers=lines))
        before = server.cpu_seconds()
        command = [wrk, "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "-s", str(script)]
        out = subprocess.run([*command, server.url + path], capture_output=True, text=True, check=True).stdout
        after = server.cpu_seconds()
    found = re.search(r"Requests/sec:\s*([\d.]+)", out)
    done = re.search(r"(\d+) requests in", out)
    if found is None or done is None:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    count = int(done.group(1))
    cpu = 1000 * (after - before) / count if before is not None and after is not None and count else None
    return float(found.group(1)), cpu

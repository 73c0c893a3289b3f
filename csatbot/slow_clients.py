"""The HTTP connection that ``csatbot serve`` runs: uvicorn's, with deadlines for slow clients.

uvicorn (0.54 with httptools) waits for a request's head with no deadline and no size cap. Measured
on 2026-12-06 against ``csatbot serve``: a connection that sent nothing, or one header line every
half second, stayed open for as long as the client liked (slowloris: enough of them use up the
server's connections), and four connections sending 48 MB of headers each, never finished, grew the
server by 190 MB (the next ones run it out of memory); 16 MB of headers still got a 200. Now, as
Apache's ``mod_reqtimeout`` does:

- the request line and headers must arrive within :data:`HEAD_SECONDS` of the moment the server is
  ready for them (the connection opened, or the previous answer sent), else 408 and the connection
  closes (silently when nothing was sent);
- they may hold at most :data:`HEAD_BYTES`, else 431;
- a body must arrive within :data:`BODY_SECONDS`, plus a second for each :data:`BODY_RATE` bytes
  received, else 408 (the route sees the client gone).

Nothing reaches the app from a refused request. Time the server spends (a slow route, a long poll, a
body the app has not read yet) never counts against the client.
"""

from __future__ import annotations

import json
import logging
import time
from asyncio import TimerHandle, Transport
from typing import Any, ClassVar, Literal

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEAD_SECONDS = 20.0
HEAD_BYTES = 64 * 1024
BODY_SECONDS = 20.0
BODY_RATE = 500
"""Bytes a second a body must keep up on average, past its first :data:`BODY_SECONDS`."""
LINGER = 2.0
"""Seconds a refused connection stays open for its answer to be read (what comes meanwhile is dropped)."""

log = logging.getLogger("csatbot.web")


class GuardedHttp(HttpToolsProtocol):
    """uvicorn's httptools connection with deadlines and a head size cap (see the module)."""

    head_seconds: ClassVar[float] = HEAD_SECONDS
    head_bytes: ClassVar[int] = HEAD_BYTES
    body_seconds: ClassVar[float] = BODY_SECONDS
    body_rate: ClassVar[int] = BODY_RATE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._phase: Literal["head", "body"] | None = None
        self._since = 0.0
        self._received = 0  # bytes of the head, or of the body, so far
        self._deadline: TimerHandle | None = None
        self._dropping = False  # refused: what still comes is read and dropped until the close

    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await("head")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._dropping:
            return
        in_head = self._phase == "head"  # the chunk that starts a head may end a body before it
        super().data_received(data)
        if in_head and self._phase == "head" and not self.transport.is_closing():
            self._received += len(data)
            if self._received > self.head_bytes:
                self._refuse(431, f"the request line and headers are over {self.head_bytes} bytes")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._phase != "head":  # a pipelined request; else the deadline runs since we were ready
            self._await("head")

    def on_headers_complete(self) -> None:
        self._await("body")
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        self._received += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._phase = None  # its deadline, armed, finds nothing to time when it comes
        super().on_message_complete()
        if self.cycle.response_complete:  # answered before its body was read (a 413): next request
            self._await("head")

    def handle_websocket_upgrade(self) -> None:
        self._phase = None  # the WebSocket protocol takes the connection over, with its own timeouts
        self._disarm()
        super().handle_websocket_upgrade()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._phase is None and not self.transport.is_closing():
            self._await("head")  # uvicorn's keep-alive timeout ends a quiet one sooner

    def _await(self, phase: Literal["head", "body"]) -> None:
        """Time ``phase`` from now. One timer per connection: a phase that begins while it is armed
        leaves it be (when it comes it waits on for what is left), so a request on a keep-alive
        connection makes no timer of its own (making and cancelling three cost a request 5 µs, 14%
        of a bare endpoint's CPU, in ``bench/http_guard.py``)."""
        self._phase, self._since, self._received = phase, time.monotonic(), 0
        if self._deadline is None:
            self._deadline = self.loop.call_later(self._allowed(), self._expired)

    def _allowed(self) -> float:
        if self._phase == "head":
            return self.head_seconds
        return self.body_seconds + self._received / self.body_rate

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self._phase is None:
            return
        left = self._allowed() - (time.monotonic() - self._since)
        if left > 0 or self._serving():
            self._deadline = self.loop.call_later(left if left > 0 else self.head_seconds / 4, self._expired)
            return
        waited = f"{time.monotonic() - self._since:.0f} s"
        self._refuse(408, f"the request's {self._phase} did not arrive in time ({waited})")

    def _serving(self) -> bool:
        """Whether the wait is the server's: an earlier request still being answered (pipelining), or
        a body the app has not read yet (reading is paused)."""
        if self._phase == "body":
            return self.flow.read_paused
        return self.cycle is not None and not self.cycle.response_complete

    def _refuse(self, status: int, detail: str) -> None:
        """Answer ``status`` (unless an answer has begun, or nothing was sent) and close: at once, or
        after :data:`LINGER` seconds of reading (and dropping) what the client still sends, so that
        it reads the answer rather than a reset."""
        cycle, phase = self.cycle, self._phase
        busy = cycle is not None and not cycle.response_complete  # pipelined, or this one's route
        if phase == "head":  # nothing sent (an idle connection), or an answer under way: no answer
            silent = self._received == 0 or busy
        else:
            silent = cycle is not None and cycle.response_started
        self._phase = None
        self._disarm()
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
        log.info("%s: %d, %s; connection closed", client, status, detail)
        if cycle is not None and busy:  # its route sees the client gone and answers nobody
            cycle.disconnected = True
            cycle.message_event.set()
        if silent:
            self.transport.close()
            return
        self._dropping = True
        self.flow.resume_reading()
        self.transport.write(_response(status, json.dumps({"detail": detail}).encode()))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER, self.transport.close)


def _response(status: int, body: bytes) -> bytes:
    reason = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}[status]
    head = [
        b"HTTP/1.1 %d %s" % (status, reason),
        b"content-type: application/json",
        b"content-length: %d" % len(body),
        b"connection: close",
    ]
    return b"\r\n".join(head) + b"\r\n\r\n" + body

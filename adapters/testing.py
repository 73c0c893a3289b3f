"""Fake platforms for trying adapters locally and for the tests: real HTTP on 127.0.0.1.

A :class:`FakeServer` runs an ASGI app (the fake platform API) with uvicorn in a thread and records
every request it gets. Each adapter package has a ``fake`` module with a :class:`Simulator`: its fake
platform server plus the platform's users, who send signed webhooks to csatbot in the platform's
real wire format and read what the platform was asked to show them.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass(frozen=True)
class Recorded:
    """One request the fake platform received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    peer: str = ""
    """The client's ``host:port``: requests on one kept-alive connection share it."""

    def json(self) -> Any:
        return json.loads(self.body)


Handler = Callable[[Recorded], Response | Awaitable[Response]]
"""Answers one request; a coroutine lets a fake answer late (a slow or hung platform)."""


class ThreadedServer:
    """An ASGI app served by uvicorn on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(
        self,
        name: str,
        app: Any,
        make_server: Callable[[uvicorn.Config], uvicorn.Server] = uvicorn.Server,
        lifespan: Literal["auto", "on", "off"] = "off",
    ) -> None:
        self.name = name
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan=lifespan, ws="none")
        self.server = make_server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, name=f"server-{name}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the {self.name} server on {self.url} did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(30)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError(f"the {self.name} server on {self.url} did not stop within 30 s")


class FakeServer:
    """A fake platform API on 127.0.0.1 and a free port, served by uvicorn in a daemon thread.

    ``handler`` answers every request (after it is recorded); tests may swap it to inject errors.
    """

    def __init__(self, name: str, handler: Handler) -> None:
        self.name = name
        self.handler = handler
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        app = Starlette(
            routes=[Route("/{path:path}", self._endpoint, methods=["GET", "POST", "PUT", "DELETE"])]
        )
        self._http = ThreadedServer(f"fake {name}", app)
        self.port = self._http.port
        self.url = self._http.url

    async def _endpoint(self, request: Request) -> Response:
        recorded = Recorded(
            request.method,
            request.url.path,
            dict(request.query_params),
            {k.lower(): v for k, v in request.headers.items()},
            await request.body(),
            f"{request.client.host}:{request.client.port}" if request.client else "",
        )
        with self._lock:
            self.requests.append(recorded)
        answer = self.handler(recorded)
        return await answer if inspect.isawaitable(answer) else answer

    def start(self) -> FakeServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def received(self, path_contains: str = "") -> list[Recorded]:
        """The requests so far whose path contains ``path_contains``."""
        with self._lock:
            return [r for r in self.requests if path_contains in r.path]

    async def wait_for(
        self, predicate: Callable[[list[Recorded]], bool], timeout: float = 10.0
    ) -> list[Recorded]:
        """Poll until ``predicate(requests)`` holds; fail with what was received otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                snapshot = list(self.requests)
            if predicate(snapshot):
                return snapshot
            if time.monotonic() > deadline:
                got = "\n".join(f"  {r.method} {r.path} {r.body[:300]!r}" for r in snapshot)
                raise AssertionError(f"fake {self.name}: condition not met in {timeout} s; received:\n{got}")
            await asyncio.sleep(0.02)


@dataclass(frozen=True)
class Button:
    """A tappable option as the platform shows it, decoded to the survey step and value it carries."""

    label: str
    step: str
    value: str


@dataclass(frozen=True)
class Shown:
    """A message the platform was asked to show a user: its text and its buttons (rows, list, menu)."""

    text: str
    buttons: tuple[Button, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


class Simulator(Protocol):
    """A fake platform and its users, for the adapter contract tests and local try-outs."""

    channel: str
    server: FakeServer | None  # None for the web chat, which needs no platform
    environ: dict[str, str]

    def start(self) -> None:
        """Start the fake platform server."""
        ...

    def stop(self) -> None:
        """Stop it."""
        ...

    def channel_config(self) -> dict[str, Any]:
        """The ``channels.<channel>`` section that enables the adapter against this fake server."""
        ...

    async def say(self, app: httpx.AsyncClient, user: str, text: str) -> httpx.Response:
        """``user`` types ``text``: post the platform's signed webhook for it to csatbot."""
        ...

    async def tap(self, app: httpx.AsyncClient, user: str, button: Button) -> httpx.Response:
        """``user`` taps ``button`` (from :meth:`shown`): post the platform's webhook for the tap."""
        ...

    def shown(self, user: str) -> list[Shown]:
        """Every message sent to ``user`` through the fake platform, oldest first."""
        ...

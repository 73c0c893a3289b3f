"""The real app on loopback: uvicorn in a background thread, a temp SQLite database, fast timers.

Tests drive it only over HTTP (``httpx``), as a web chat customer and as a support agent would.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from bot.ports import Clock
from csatbot.runtime import Runtime
from csatbot.slow_clients import GuardedHttp
from csatbot.web import Server, create_app

from ..conftest import api_headers, chat_headers_sync
from ..support.config import config_data, write_config_file

ROOT = Path(__file__).resolve().parents[2]
WAIT = 10.0  # seconds any single expected event may take before a test fails
CHROMIUM = os.environ.get("CSATBOT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def write_config(
    folder: Path, *, delay: str = "0s", webhook_url: str | None = None, name: str = "config.yaml"
) -> Path:
    """A copy of the shipped config.yaml with a survey ``delay``, no quiet hours and a team webhook."""
    data = config_data(delay=delay)
    if webhook_url is not None:
        data["teams"]["support"]["webhook_url"] = webhook_url
    return write_config_file(folder, data, name)


class LiveServer:
    """``create_app(Runtime(...))`` served by uvicorn on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, config: Path, database_url: str, *, clock: Clock | None = None, port: int = 0) -> None:
        self.runtime = Runtime(config, database_url, clock=clock, tick_seconds=0.1)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))  # a restarted server takes its predecessor's port
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(self.runtime),
            log_level="warning",
            access_log=False,
            ws="none",
            lifespan="on",
            http=GuardedHttp,  # as `csatbot serve` runs it
        )
        self.server = Server(self.runtime, config)  # what `csatbot serve` runs
        self._thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self._socket]},
            name=f"uvicorn-{self.port}",
            daemon=True,
        )

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError(
                    f"the csatbot server on {self.url} died while starting (see the log above)"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"the csatbot server on {self.url} did not start within 30 s")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Shut down like a real process would: stop accepting, run the lifespan shutdown (workers)."""
        self.server.should_exit = True
        self._thread.join(30)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError(f"the csatbot server on {self.url} did not stop within 30 s")


StartServer = Callable[..., LiveServer]
"""``start_server(config, database_url=..., clock=None, port=0)``: a :class:`LiveServer` (stopped at the
end)."""
AsAgent = Callable[[str], dict[str, str]]
"""``agent("bob")``: headers that make a support API request act as agent bob."""
MakeConfig = Callable[..., Path]
"""``make_config(delay="10m", webhook_url=...)``: a temp copy of config.yaml."""
WaitUntil = Callable[..., Any]
"""``wait_until(check, timeout=...)``: poll ``check`` until truthy and return its value."""


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    """Start servers for one test (each stopped at the end); ``db`` is shared across restarts."""
    started: list[LiveServer] = []
    db = f"sqlite:///{tmp_path / 'csatbot.db'}"

    def start(
        config: Path, *, database_url: str = db, clock: Clock | None = None, port: int = 0
    ) -> LiveServer:
        server = LiveServer(config, database_url, clock=clock, port=port).start()
        started.append(server)
        return server

    yield start
    for server in started:
        if server.server.started and not server.server.should_exit:
            server.stop()


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session: shipped config with ``delay: 0s``, a fresh SQLite database."""
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(write_config(folder), f"sqlite:///{folder / 'csatbot.db'}").start()
    yield server
    server.stop()


@pytest.fixture
def api(live: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client on the session server (customer API, and the support API as admin ``support``)."""
    with httpx.Client(base_url=live.url, timeout=30, headers=api_headers(live.runtime.database)) as client:
        yield client


@pytest.fixture
def agent(live: LiveServer) -> AsAgent:
    """``agent("bob")``: headers that make a support API request act as agent bob."""
    return lambda name: api_headers(live.runtime.database, name, "agent")


def new_user(prefix: str = "e2e") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Customer:
    """A web chat customer (a site's signed-in user ``user``, in a chat session of their own): posts
    messages and reads the chat with the long-poll GET and a cursor."""

    def __init__(self, http: httpx.Client, user: str | None = None, *, locale: str = "en") -> None:
        self.http = http
        self.user = user or new_user()
        self.locale = locale
        self.after = 0
        self.seen: list[dict[str, Any]] = []
        self.session = chat_headers_sync(http, self.user)

    def post(self, **body: Any) -> dict[str, Any]:
        response = self.http.post(
            "/api/webchat/messages", json={"locale": self.locale, **body}, headers=self.session
        )
        assert response.status_code == 202, response.text
        result: dict[str, Any] = response.json()
        return result

    def conversation(self) -> int:
        """The id of this customer's latest conversation (from the support API: customers never see it)."""
        listed = self.http.get("/api/conversations", params={"limit": 500}).json()
        [latest, *_] = [c["id"] for c in listed if c["customer"]["user"] == self.user]
        return int(latest)

    def say(self, text: str, *, id: str | None = None) -> dict[str, Any]:
        return self.post(text=text, **({"id": id} if id else {}))

    def tap(self, prompt: dict[str, Any], value: str, *, id: str | None = None) -> dict[str, Any]:
        labels = {o["id"]: o["label"] for o in prompt["options"]}
        choice = {"survey": prompt["survey"], "step": prompt["step"], "value": value, "label": labels[value]}
        return self.post(choice=choice, **({"id": id} if id else {}))

    def read(self, wait: float = 0) -> list[dict[str, Any]]:
        """New messages since the last read (long-polling up to ``wait`` seconds when none)."""
        response = self.http.get(
            "/api/webchat/messages", params={"after": self.after, "wait": wait}, headers=self.session
        )
        assert response.status_code == 200, response.text
        data = response.json()
        assert all(m["id"] > self.after for m in data["messages"])
        self.after = data["last_id"]
        self.seen.extend(data["messages"])
        new: list[dict[str, Any]] = data["messages"]
        return new

    def until(self, match: Callable[[dict[str, Any]], bool], timeout: float = WAIT) -> dict[str, Any]:
        """Read (long-polling) until a message matching ``match`` arrives; return it."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.read(wait=min(2.0, max(deadline - time.monotonic(), 0.05))):
                if match(message):
                    return message
            if time.monotonic() > deadline:
                shown = [(m["author"], m["text"][:60]) for m in self.seen[-8:]]
                raise AssertionError(f"{self.user}: no matching message within {timeout} s; last: {shown}")

    def prompt(self, kind: str, step: str | None = None, timeout: float = WAIT) -> dict[str, Any]:
        """Wait for the bot's next prompt of type ``kind`` (``AskRating``, ``End``...) and return it."""
        message = self.until(
            lambda m: (
                m["author"] == "bot"
                and (m.get("prompt") or {}).get("type") == kind
                and (step is None or m["prompt"].get("step") == step)
            ),
            timeout,
        )
        prompt: dict[str, Any] = message["prompt"]
        return prompt

    def bot_texts(self) -> list[str]:
        """What the bot and agents said, as the page shows it (a question without its buttons)."""
        return [(m.get("prompt") or m)["text"] for m in self.seen if m["direction"] == "out"]


MakeCustomer = Callable[..., Customer]
"""``customer()`` or ``customer(user, locale="zh-CN", http=...)``: a new web chat :class:`Customer`."""


def eventually(check: Callable[[], Any], timeout: float = WAIT, interval: float = 0.05) -> Any:
    """Call ``check`` until it returns something truthy (returned) or ``timeout`` passes (fail)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value: {value!r})")
        time.sleep(interval)


class WebhookReceiver:
    """A team's ticket endpoint on 127.0.0.1: records each JSON POST and answers the scripted status."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.requests: list[tuple[int, str, dict[str, Any]]] = []  # (status answered, path, body)
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length))
                with receiver._changed:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.requests.append((status, self.path, body))
                    receiver._changed.notify_all()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/tickets"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="webhook-receiver", daemon=True)
        self._thread.start()

    def wait_for(
        self, check: Callable[[list[tuple[int, str, dict[str, Any]]]], bool], timeout: float
    ) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: check(self.requests), timeout):
                raise AssertionError(
                    f"webhook receiver: condition not met in {timeout} s; got {self.requests}"
                )

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver()
    yield hook
    hook.close()


@pytest.fixture
def customer(api: httpx.Client) -> MakeCustomer:
    """Make a new web chat customer on the session server: ``customer()`` or ``customer(locale="zh-CN")``."""

    def make(user: str | None = None, *, locale: str = "en", http: httpx.Client | None = None) -> Customer:
        return Customer(http or api, user, locale=locale)

    return make


@pytest.fixture
def wait_until() -> WaitUntil:
    """``wait_until(check, timeout=...)``: poll ``check`` until truthy and return its value."""
    return eventually


@pytest.fixture
def make_config(tmp_path: Path) -> MakeConfig:
    """``make_config(delay="10m", webhook_url=...)``: a temp copy of config.yaml."""
    return lambda **changes: write_config(tmp_path / "config", **changes)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium per test module (launching one costs about a second); a missing
    executable fails the test (it is a prerequisite: Debian's chromium, or ``CSATBOT_CHROMIUM``)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is required for the browser tests but {CHROMIUM!r} is not an executable file: "
            "install Debian's chromium package (apt-get install chromium) or set CSATBOT_CHROMIUM",
            pytrace=False,
        )
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def browser(chromium: Browser) -> Iterator[Browser]:
    """The module's Chromium with nothing open: each page a test opens (``new_page``, ``new_context``)
    is in a browser context of its own (cookies, storage, permissions, init scripts, offline state),
    and every context is closed after the test, so nothing carries over to the next."""
    assert chromium.is_connected(), "Chromium went away during an earlier test of this module"
    assert not chromium.contexts
    try:
        yield chromium
    finally:
        for context in chromium.contexts:
            for page in context.pages:  # a route still answering a poll must not fail the next test
                page.unroute_all(behavior="ignoreErrors")
            context.unroute_all(behavior="ignoreErrors")
            context.close()

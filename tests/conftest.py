"""Fixtures for the whole suite: no network beyond loopback, the shipped config, and databases.

Storage tests run on SQLite always and on PostgreSQL when ``CSATBOT_TEST_POSTGRES_URL`` is set
(e.g. ``postgresql://postgres@127.0.0.1:5432/test``). When it is set, a PostgreSQL test that cannot
connect fails; it never skips.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import yaml

from bot.config import load_config
from bot.settings import Settings

if TYPE_CHECKING:  # the app is imported by the fixtures that need it (most tests never do)
    from csatbot.runtime import Runtime
    from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.yaml"
POSTGRES_ENV = "CSATBOT_TEST_POSTGRES_URL"
_LOOPBACK = ("127.", "::1", "localhost")


def _guard(real: Any) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            if not host.startswith(_LOOPBACK):
                raise RuntimeError(f"test tried to reach {address!r}: only loopback is allowed in tests")
        return real(self, address)

    return connect


def _start(item: pytest.Item, trainer: pytest.Item | None) -> int:
    """When ``item`` runs: the first test that needs the small model (it trains it), the long tests
    (whole processes, browsers, trainings), the other tests of the small model, then the rest."""
    if item is trainer:
        return 0
    if "model_dir" in getattr(item, "fixturenames", ()):
        return 2
    long = item.get_closest_marker("slow") is not None or item.path.parent.name == "e2e"
    return 1 if long else 3


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first, so that pytest-xdist's workers end together: ``make test`` hands each worker
    its next test in this order when it is ready for it (``--maxschedchunk 1``; by default a worker
    got the first quarter of its share at once, and long tests taken late left one worker running on
    alone for minutes). The model is trained first, on one worker, while the others run long tests
    that need none; the stable sort keeps each group's order (and so module fixtures' reuse)."""
    trainer = next((i for i in items if "model_dir" in getattr(i, "fixturenames", ())), None)
    items.sort(key=lambda item: _start(item, trainer))


WEBCHAT_SECRET = "web-chat-identity-secret-of-the-tests"
"""``CSATBOT_WEBCHAT_IDENTITY_SECRET`` in every test: customers sign in as a known user id."""


@pytest.fixture(autouse=True)
def _webchat_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSATBOT_WEBCHAT_IDENTITY_SECRET", WEBCHAT_SECRET)


def chat_identity(user: str) -> dict[str, Any]:
    """The body of ``POST /api/webchat/session`` a site sends for its user ``user`` (token mode)."""
    from adapters.webchat.sessions import identity_hash

    return {"user_id": user, "user_hash": identity_hash(WEBCHAT_SECRET, user), "cookie": False}


async def chat_headers(http: httpx.AsyncClient, user: str) -> dict[str, str]:
    """``X-Chat-Session`` for web chat customer ``user`` (a signed identity)."""
    response = await http.post("/api/webchat/session", json=chat_identity(user))
    assert response.status_code == 200, response.text
    return {"X-Chat-Session": response.json()["token"]}


def chat_headers_sync(http: httpx.Client, user: str) -> dict[str, str]:
    response = http.post("/api/webchat/session", json=chat_identity(user))
    assert response.status_code == 200, response.text
    return {"X-Chat-Session": response.json()["token"]}


async def customer_says(http: httpx.AsyncClient, user: str, /, **body: Any) -> httpx.Response:
    """Web chat customer ``user`` posts ``body`` (``text=...`` or ``choice={...}``)."""
    return await http.post("/api/webchat/messages", json=body, headers=await chat_headers(http, user))


async def customer_reads(http: httpx.AsyncClient, user: str, /, **params: Any) -> httpx.Response:
    """Web chat customer ``user`` reads their chat (``after``, ``wait``)."""
    return await http.get("/api/webchat/messages", params=params, headers=await chat_headers(http, user))


async def conversation_of(http: httpx.AsyncClient, user: str, channel: str = "webchat") -> int:
    """The id of ``user``'s latest conversation, from the support API (customers never see it)."""
    listed = (await http.get("/api/conversations", params={"limit": 500})).json()
    found = [c["id"] for c in listed if c["customer"]["user"] == user and c["channel"] == channel]
    assert found, f"no conversation of {user}"
    return int(found[0])


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> pytest.LogCaptureFixture:
    """``caplog`` at DEBUG for every logger, whatever earlier tests set (uvicorn turns its access log's
    propagation off, ``csatbot serve`` quiets httpx)."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "uvicorn", "uvicorn.access", "uvicorn.error", "apscheduler", "csatbot"):
        caplog.set_level(logging.DEBUG, logger=name)
        monkeypatch.setattr(logging.getLogger(name), "propagate", True)
    return caplog


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens a connection beyond 127.0.0.1 / ::1."""
    monkeypatch.setattr(socket.socket, "connect", _guard(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guard(socket.socket.connect_ex))


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The shipped config.yaml, validated."""
    return Settings.from_config(load_config(CONFIG))


@pytest.fixture
def t0() -> datetime:
    """A fixed start time: Monday 2026-11-23 10:00 in Asia/Shanghai (outside quiet hours)."""
    return datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (dropped at the end)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set; set it to run the PostgreSQL tests (see README)")
    import psycopg

    name = f"csatbot_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"{POSTGRES_ENV}={url} is set but PostgreSQL cannot be reached: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_postgres(url: str) -> None:
    """Empty every table (keeping the schema) so each test starts clean."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        tables = [
            r[0] for r in conn.execute(text("select tablename from pg_tables where schemaname='public'"))
        ]
        tables = [t for t in tables if t != "alembic_version"]
        if tables:
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file, made once per test process and copied for each test that needs
    a fresh database (running the migrations takes a test 0.2-0.3 s; the migration tests run them)."""
    from storage import open_database
    from storage.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "csatbot.db"
    database = open_database(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()  # the last connection closed: the WAL is folded into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def fresh_sqlite(template: Path, path: Path) -> str:
    """The URL of a migrated, empty SQLite database at ``path`` (a copy of ``template``, mode 0600)."""
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: SQLite in a temp folder, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        return fresh_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "csatbot.db")
    url: str = request.getfixturevalue("postgres_server_url")
    from storage import open_database
    from storage.migrate import upgrade

    database = open_database(url)
    upgrade(database)
    database.dispose()
    _reset_postgres(url)
    return url


class PasswordTriage:
    """The triage model at its ``Classifier`` port: "password" reads as a sure password reset (which
    the shipped triage answers automatically), anything else as an unsure ``other``."""

    ready = True

    def classify(self, texts: Any) -> list[Any]:
        from bot.classification import Classification

        return [
            Classification("password_reset", 0.97, "neutral", 0.9)
            if "password" in text.lower()
            else Classification("other", 0.4, "neutral", 0.9)
            for text in texts
        ]


class RecordingChannel:
    """A chat platform stand-in at the port boundary: records what the core sends.

    ``fail_with`` makes the next sends raise (e.g. a ``DeliveryError``) to exercise retries.
    """

    def __init__(self, name: str = "webchat") -> None:
        from bot.ports import Capabilities

        self.name = name
        self.capabilities = Capabilities(max_buttons=11)
        self.sent: list[tuple[str, Any]] = []
        self.fail_with: list[Exception] = []

    async def send(self, to: Any, prompt: Any) -> Any:
        from bot.ports import Sent

        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append((to.user, prompt))
        return Sent(f"p{len(self.sent)}")

    def texts(self, user: str | None = None) -> list[str]:
        return [getattr(p, "text", "") for u, p in self.sent if user is None or u == user]


class Harness:
    """The real service, store and dispatcher on a real database, with a frozen clock."""

    def __init__(self, url: str, settings: Settings, now: datetime) -> None:
        from bot.delivery import Dispatcher
        from bot.ports import FrozenClock
        from bot.service import ConversationService
        from storage import SqlStore, open_database
        from storage.migrate import upgrade

        self.database = open_database(url)
        upgrade(self.database)
        self.store = SqlStore(self.database)
        self.clock = FrozenClock(now)
        self.current = settings
        self.channel = RecordingChannel()
        self.posted: list[tuple[str, dict[str, Any]]] = []
        self.webhook_failures: list[Exception] = []
        self.ids = iter(f"s{i:06d}" for i in range(1, 1_000_000))
        self.service = ConversationService(
            self.store, lambda: self.current, self.clock, new_id=lambda: next(self.ids)
        )
        self.dispatcher = Dispatcher(self.store, {"webchat": self.channel}, self, self.clock)
        self._count = 0

    async def post_json(self, url: str, document: dict[str, Any]) -> None:
        if self.webhook_failures:
            raise self.webhook_failures.pop(0)
        self.posted.append((url, document))

    async def say(self, user: str, text: str, *, platform_id: str | None = None, locale: str = "en") -> Any:
        from bot.messages import InboundMessage, Text

        self._count += 1
        msg = InboundMessage(
            "webchat", "", user, platform_id or f"m{self._count}", self.clock.now(), Text(text), locale=locale
        )
        result = await self.service.handle(msg)
        await self.dispatcher.deliver_due()
        return result

    async def tap(
        self, user: str, survey: str, step: str, value: str, *, platform_id: str | None = None
    ) -> Any:
        from bot.messages import ChoicePicked, InboundMessage

        self._count += 1
        msg = InboundMessage(
            "webchat",
            "",
            user,
            platform_id or f"t{self._count}",
            self.clock.now(),
            ChoicePicked(survey, step, value),
        )
        result = await self.service.handle(msg)
        await self.dispatcher.deliver_due()
        return result

    async def tick(self, **delta: float) -> list[str]:
        from datetime import timedelta

        self.clock.advance(timedelta(**delta))
        done = await self.service.fire_due_timers()
        await self.dispatcher.deliver_due()
        return done

    def rows(self, sql: str, **params: Any) -> list[Any]:
        from sqlalchemy import text

        with self.database.reader.connect() as conn:
            return list(conn.execute(text(sql), params))

    def close(self) -> None:
        self.database.dispose()


@pytest.fixture
def harness(database_url: str, settings: Settings, t0: datetime) -> Iterator[Harness]:
    """Service + dispatcher on a fresh database (SQLite, and PostgreSQL when configured)."""
    h = Harness(database_url, settings, t0)
    yield h
    h.close()


MakeHarness = Callable[..., Harness]
"""``make_harness(settings, now=None)``: a :class:`Harness` with other settings or another start time."""
AsAgent = Callable[..., dict[str, str]]
"""``as_agent(name, role="agent")``: request headers acting as that console user."""


@pytest.fixture
def make_harness(database_url: str, t0: datetime) -> Iterator[MakeHarness]:
    """Build a :class:`Harness` with other settings or another start time (closed at the end)."""
    made: list[Harness] = []

    def make(settings: Settings, now: datetime | None = None) -> Harness:
        h = Harness(database_url, settings, now or t0)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


def api_headers(database: Database, name: str = "support", role: str = "admin") -> dict[str, str]:
    """``Authorization`` for a new API token acting as ``name`` (the support API needs one)."""
    from csatbot.tokens import ApiTokens

    return {"Authorization": f"Bearer {ApiTokens(database).issue(name, role)}"}


class SettlingTransport(httpx.AsyncBaseTransport):
    """An ASGI transport that, after each POST is answered 2xx, waits for the inbox worker to catch up.

    Webhooks acknowledge as soon as an update is stored and its turn runs right after; a test that
    posts a message and then checks what it caused reads the state after that turn (a test of the
    acknowledgement itself uses the response, which came before the wait).
    """

    def __init__(self, runtime: Runtime, inner: httpx.ASGITransport) -> None:
        self.runtime = runtime
        self.inner = inner
        self.app = inner.app  # tests that build a transport of their own (another address) use it

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and response.status_code < 300:
            await response.aread()
            await self.runtime.inbox_settled()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@contextlib.asynccontextmanager
async def served(runtime: Runtime, *, signed_in: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """The app on ``runtime``, started (workers running) and behind an ASGI client; stopped after.

    ``signed_in``: the client sends an admin API token acting as ``support``. Conftests and tests
    below import it (``from ...conftest import served``).
    """
    from csatbot.web import create_app

    app = create_app(runtime)
    transport = SettlingTransport(runtime, httpx.ASGITransport(app=app))
    headers = api_headers(runtime.database) if signed_in else {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=transport, base_url="http://csatbot.test", timeout=30, headers=headers
        ) as http,
    ):
        yield http


@pytest.fixture
def app_runtime(tmp_path: Path, sqlite_template: Path) -> Runtime:
    """The shipped config on a fresh SQLite file, fast timers (``app_client`` serves it)."""
    from csatbot.runtime import Runtime

    return Runtime(ROOT / "config.yaml", fresh_sqlite(sqlite_template, tmp_path / "app.db"), tick_seconds=0.1)


@pytest.fixture
async def app_client(app_runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app (workers running) behind an ASGI client signed in as admin ``support``."""
    async with served(app_runtime) as http:
        yield http


@pytest.fixture
def as_agent(app_runtime: Runtime) -> AsAgent:
    """``as_agent("bob")``: headers that make a request to ``app_client`` act as agent bob."""
    return lambda name, role="agent": api_headers(app_runtime.database, name, role)


def in_zone(zone: str) -> str:
    """The shipped config.yaml with its ``timezone`` set to ``zone``."""
    return re.sub(
        r"(?m)^timezone: .*$", f"timezone: {zone}", (ROOT / "config.yaml").read_text(encoding="utf-8")
    )


# The smallest valid config, with an intent that exists only here: training must learn it from these
# phrases alone.
SMALL_MODEL_CONFIG = {
    "locales": ["en", "zh-CN"],
    "surveys": {
        "quick": {
            "title": {"en": "Quick", "zh-CN": "快速"},
            "start": "rating",
            "steps": {
                "rating": {
                    "type": "csat",
                    "text": {"en": "How did we do?", "zh-CN": "满意吗？"},
                    "next": "done",
                },
                "done": {"type": "end", "text": {"en": "Thanks!", "zh-CN": "谢谢！"}},
            },
        }
    },
    "nlu": {
        "threshold": 0.5,
        "intents": {
            "warranty": {
                "examples": {
                    "en": [
                        "is my blender still under warranty",
                        "warranty claim for my watch",
                        "how long is the warranty",
                        "can I use the warranty to repair it",
                    ],
                    "zh-CN": ["还在保修期吗", "保修怎么申请", "保修多久", "能走保修维修吗"],
                }
            },
            "password_reset": {"examples": {"en": ["I forgot my password"], "zh-CN": ["忘记密码了"]}},
        },
    },
}


@pytest.fixture(scope="session")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cfg") / "config.yaml"
    path.write_text(yaml.safe_dump(SMALL_MODEL_CONFIG, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory, config_file: Path, worker_id: str) -> Path:
    """One small model, trained for real through the CLI, shared by every test that needs one
    (triage in tests/nlu, comment themes elsewhere) and by every pytest-xdist worker of the run: the
    first worker to ask trains it, the others wait for it (training writes ``meta.json`` last)."""
    from filelock import FileLock
    from typer.testing import CliRunner

    from nlu.cli import app
    from nlu.model_files import META_FILE

    run = tmp_path_factory.getbasetemp()
    shared = run if worker_id == "master" else run.parent  # the run's folder, above each worker's
    out = shared / "small-model" / "triage"
    with FileLock(shared / "small-model.lock"):
        if not (out / META_FILE).is_file():
            result = CliRunner().invoke(
                app, ["train", "--small", "--seed", "7", "--config", str(config_file), "--out", str(out)]
            )
            assert result.exit_code == 0, result.output
    return out

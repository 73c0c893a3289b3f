"""The console through the real app (workers running) on SQLite and PostgreSQL, as a browser uses it:
form posts with the session cookie and the CSRF token from the page."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from bot.ports import FrozenClock
from csatbot.console import users as users_module
from csatbot.console.users import Users
from csatbot.runtime import Runtime

from ...conftest import api_headers, conversation_of, customer_says, served
from ...support.config import config_data, write_config_file

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small parameters: the same code path, a fraction of the CPU (2 cores here)."""
    monkeypatch.setattr(users_module, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("CSATBOT_SECRET_KEY", "test-secret-key-for-console-sessions")
    monkeypatch.delenv("CSATBOT_SECURE_COOKIES", raising=False)
    monkeypatch.delenv("CSATBOT_API_TOKEN", raising=False)


def write_config(folder: Path) -> Path:
    """The shipped config with two teams (support: amy and bob), no survey delay or quiet hours, a
    comment question after any rating, and no trained triage model."""
    data = config_data()
    data["surveys"]["csat"]["steps"]["rating"]["next"] = "comment"  # happy customers may comment too
    data["teams"]["support"]["members"] = ["amy", "bob"]
    data["teams"]["billing"] = {"name": "Billing", "sla": "1d", "members": ["carol"]}
    # A model of the test's own (none): never the one a developer trained into var/models/triage.
    data.setdefault("nlu", {})["model_dir"] = str(folder / "models" / "triage")
    return write_config_file(folder, data)


class Console:
    """A browser on the console: one cookie jar, and helpers that post forms with the page's token."""

    def __init__(self, runtime: Runtime, http: httpx.AsyncClient, clock: FrozenClock) -> None:
        self.runtime = runtime
        self.http = http
        self.clock = clock
        self.users = Users(runtime.database)
        self.token = ""

    def agent(self, name: str) -> dict[str, str]:
        """Headers that make an API request act as agent ``name`` (an API token of theirs)."""
        return api_headers(self.runtime.database, name, "agent")

    def add_user(self, name: str, role: str = "agent", **extra: str) -> None:
        self.users.add(name, PASSWORD, role, **extra)

    async def page(self, path: str, **params: Any) -> httpx.Response:
        response = await self.http.get(f"/console{path}", params=params)
        if found := CSRF.search(response.text):
            self.token = found.group(1)
        return response

    async def sign_in(self, name: str, password: str = PASSWORD, **extra: str) -> httpx.Response:
        await self.page("/login")
        form = {"username": name, "password": password, "csrf": self.token, **extra}
        response = await self.http.post("/console/login", data=form)
        await self.page("/")  # the token changes when signing in
        return response

    async def survey_sent(self, conversation: int) -> None:
        """Wait for the timer worker to send the conversation's survey (answers before it do not count)."""
        deadline = asyncio.get_running_loop().time() + 15
        while (await self.http.get(f"/api/conversations/{conversation}")).json()["survey"][
            "status"
        ] != "active":
            assert asyncio.get_running_loop().time() < deadline, "the survey was not sent within 15 s"
            await asyncio.sleep(0.05)

    async def surveyed(self, user: str, text: str = "where is my order?") -> tuple[int, str]:
        """Web chat customer ``user`` writes ``text``, bob resolves with the survey now, and it is
        sent: the conversation and the survey."""
        await customer_says(self.http, user, text=text)
        conversation = await conversation_of(self.http, user)
        resolved = await self.http.post(
            f"/api/conversations/{conversation}/resolve",
            json={"send_survey_now": True},
            headers=self.agent("bob"),
        )
        await self.survey_sent(conversation)
        return conversation, str(resolved.json()["survey_id"])

    async def post(self, path: str, **form: str) -> httpx.Response:
        """A form POST as the page sends it (``csrf=None``-like tests pass their own ``csrf``)."""
        return await self.http.post(f"/console{path}", data={"csrf": self.token} | form)

    async def escalated(self, user: str, reason: str = "customer asked for a call back") -> int:
        """A web chat customer writes; an agent escalates the conversation: the ticket's id."""
        said = await customer_says(self.http, user, text="my parcel is late")
        assert said.status_code == 202, said.text
        ticket = await self.runtime.service.escalate(await conversation_of(self.http, user), "triage", reason)
        return ticket.id

    def rows(self, sql: str) -> list[Any]:
        from sqlalchemy import text

        with self.runtime.database.reader.connect() as conn:
            return list(conn.execute(text(sql)))


@pytest.fixture
async def console(database_url: str, tmp_path: Path) -> AsyncIterator[Console]:
    """The app on a fresh database (SQLite and PostgreSQL) with a frozen clock, signed out."""
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    runtime = Runtime(write_config(tmp_path), database_url, clock=clock, tick_seconds=0.05)
    async with served(runtime) as http:
        yield Console(runtime, http, clock)

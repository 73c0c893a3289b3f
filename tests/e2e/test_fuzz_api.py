"""Property-based fuzzing of every HTTP operation in the app's OpenAPI schema (schemathesis, on
hypothesis), on SQLite and PostgreSQL: whatever comes in, the answer is never a 5xx, a 4xx says why
(``detail``) and a 4xx changes nothing in the database.

The budget is fixed and the run deterministic (``derandomize``): the same cases every run, a few
seconds per database. Requests carry an admin API token and a web chat session, so they reach the
handlers rather than stopping at 401; the database holds a customer, a conversation, a survey and a
ticket, so small ids hit real rows. Long polls return at once (the chat channel is closed).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from sqlalchemy import inspect, text

from csatbot.runtime import Runtime
from csatbot.web import create_app

from ..conftest import CONFIG, api_headers, chat_identity

EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 8}
"""Cases per operation, mode and database (each case is one request; a failure is shrunk)."""


def budget(mode: GenerationMode) -> settings:
    return settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


class World:
    """The app on a seeded database, the credentials the cases carry, and the database's contents."""

    def __init__(self, database_url: str) -> None:
        self.runtime = Runtime(CONFIG, database_url)
        # No background delivery: a row the outbox worker updates after an earlier request must not
        # look like a change made by a refused one.
        self.runtime.service.wake = lambda: None
        self.runtime.store.handoff = None  # nor sending what a turn queued, once it has committed
        self.app = create_app(self.runtime, start_workers=False)
        self.headers = asyncio.run(self._seed())
        self.runtime.webchat.close()  # long polls (wait=30) return at once
        self.calls = 0
        self.statuses: dict[int, int] = {}

    def record(self, status: int) -> None:
        self.calls += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1

    async def _seed(self) -> dict[str, str]:
        admin = api_headers(self.runtime.database)
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=admin) as http:
            token = (await http.post("/api/webchat/session", json=chat_identity("fuzz-customer"))).json()[
                "token"
            ]
            chat = {"X-Chat-Session": token}
            await http.post("/api/webchat/messages", json={"text": "my parcel is late"}, headers=chat)
            [conversation] = (await http.get("/api/conversations")).json()
            url = f"/api/conversations/{conversation['id']}"
            await http.post(f"{url}/reply", json={"text": "on its way"})
            await http.post(f"{url}/escalate", json={"reason": "asked for a call"})
            await http.post(f"{url}/resolve", json={"send_survey_now": True})
        return admin | chat

    def contents(self) -> str:
        with self.runtime.database.reader.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            return json.dumps(
                {
                    t: [list(map(str, r)) for r in conn.execute(text(f"select * from {t} order by 1"))]
                    for t in tables
                }
            )

    def close(self) -> None:
        asyncio.run(self.runtime.stop())


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    built = World(database_url)
    yield built
    built.close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_no_operation_answers_5xx_and_a_refusal_changes_nothing(world: World, mode: GenerationMode) -> None:
    """``positive``: requests the schema allows; ``negative``: requests it forbids (wrong types,
    missing fields, out-of-range values), which must all be refused."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @budget(mode)
        @given(case=operation.as_strategy(generation_mode=mode))
        def fuzz(case: Any) -> None:
            before = world.contents()
            response = case.call(headers=world.headers)
            world.record(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])
            if 400 <= response.status_code < 500:
                assert response.json()["detail"], response.text
                assert world.contents() == before, f"answered {response.status_code} but changed rows"

        try:
            fuzz()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing to get wrong: no parameters, no body
        except Exception as exc:  # collect every operation's failure, then report them all
            inner = getattr(exc, "exceptions", [exc])
            failures.append(f"{operation.label}: " + "; ".join(f"{e!r}"[:1500] for e in inner))
    assert failures == []
    assert len(operations) >= 20 and world.calls >= len(operations) * EXAMPLES[mode] // 2
    assert not any(status >= 500 for status in world.statuses), world.statuses


def test_the_schema_lists_the_operations_the_fuzzer_covers(tmp_path: Path) -> None:
    runtime = Runtime(CONFIG, f"sqlite:///{tmp_path / 'x.db'}")
    try:
        paths = create_app(runtime, start_workers=False).openapi()["paths"]
    finally:
        asyncio.run(runtime.stop())
    operations = {f"{method.upper()} {path}" for path, item in paths.items() for method in item}
    assert {
        "POST /api/webchat/session",
        "POST /api/webchat/messages",
        "GET /api/webchat/messages",
        "POST /api/conversations/{conversation_id}/reply",
        "POST /api/tickets/{ticket_id}/{action}",
        "DELETE /api/customers/{customer_id}",
        "GET /api/reports/export.csv",
    } <= operations
    assert len(operations) >= 20

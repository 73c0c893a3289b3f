"""Property-based fuzzing of every HTTP operation in the app's OpenAPI schema (schemathesis, on
hypothesis), on SQLite and PostgreSQL: whatever comes in, the answer is never a 5xx, a 4xx says why
(``detail``) and a 4xx changes nothing in the database; and every answer is what the schema says
(schemathesis' default checks, as ``st run`` makes them: a documented status code and body, a request
the schema allows accepted, one it forbids refused).

The budget is fixed and the run deterministic (``derandomize``): the same cases every run, a few
seconds per database. Requests carry an admin API token and a web chat session, so they reach the
handlers rather than stopping at 401; the database holds a customer, a conversation, a survey and a
ticket, so small ids hit real rows. Long polls return at once (the chat channel is closed).

The credentials are the test's, so schemathesis does not generate its own (or leave them out) in
the security parameters. The rules the schema can only state in words are kept by the valid cases
too: each ``Idempotency-Key`` is used once (:meth:`World.with_a_key_of_its_own`), a report's
``since``..``until`` spans at most ``MAX_RANGE_DAYS`` (:meth:`World.within_report_range`), and a
ticket is assigned to someone the console knows (:meth:`World.to_someone_known`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from pydantic import TypeAdapter, ValidationError
from schemathesis.generation import GenerationMode
from sqlalchemy import inspect, text

from csatbot.console.users import Users
from csatbot.report_api import Scope
from csatbot.runtime import Runtime
from csatbot.web import create_app
from storage.report_scope import ReportFilterError

from ..conftest import CONFIG, api_headers, chat_identity

ASSIGNEE = "fuzz-agent"
"""A console user: the one name valid assignments go to."""
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 6}
"""Cases per operation, mode and database (each case is one request; a failure is shrunk): about
500 requests per database, as many as before the ticket actions became six operations."""


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
        Users(self.runtime.database).add(ASSIGNEE, "a long enough password", "agent")
        self.headers = asyncio.run(self._seed())
        self.runtime.webchat.close()  # long polls (wait=30) return at once
        self.calls = 0
        self.keys = itertools.count()
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

    def with_a_key_of_its_own(self, case: Any) -> Any:
        """A case's ``Idempotency-Key`` made its own: the fuzzer reuses the few it makes up, and a key
        sent again with another body is refused (422), as it must be (``test_idempotency.py``)."""
        if case.headers and "Idempotency-Key" in case.headers:
            case.headers["Idempotency-Key"] = f"fuzz-{next(self.keys)}-{case.headers['Idempotency-Key']}"[
                :128
            ]
        return case

    @staticmethod
    def to_someone_known(case: Any) -> Any:
        """An assignment to the console user (any other name is refused: 422, naming who is known)."""
        if case.path.endswith("/assign") and isinstance(case.body, dict):
            case.body["assignee"] = ASSIGNEE
        return case

    def within_report_range(self, case: Any) -> bool:
        """Whether a report case's ``since``..``until`` is a range the report answers for (until
        defaults to now, since to 30 days before until), as the server reckons it."""
        query = case.query or {}
        if not case.path.startswith("/api/reports") or not {"since", "until"} & set(query):
            return True
        moment = TypeAdapter(datetime | None)
        try:
            scope = Scope(
                moment.validate_python(query.get("since")), moment.validate_python(query.get("until")), {}
            )
            scope.range(self.runtime.clock.now(), ZoneInfo(self.runtime.settings().config.timezone))
        except (ReportFilterError, ValidationError, OverflowError):
            return False
        return True


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
    schema.config.generation.update(with_security_parameters=False)  # the cases carry world.headers
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        cases = operation.as_strategy(generation_mode=mode)
        if mode is GenerationMode.POSITIVE:
            cases = cases.filter(world.within_report_range).map(world.to_someone_known)
            cases = cases.map(world.with_a_key_of_its_own)

        @budget(mode)
        @given(case=cases)
        def fuzz(case: Any) -> None:
            before = world.contents()
            response = case.call(headers=world.headers)
            world.record(response.status_code)
            case.validate_response(response, headers=world.headers)  # every default check
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
        "POST /api/tickets/{ticket_id}/assign",
        "POST /api/tickets/{ticket_id}/reply",
        "DELETE /api/customers/{customer_id}",
        "GET /api/reports/export.csv",
    } <= operations
    assert len(operations) >= 20

"""The storage port (``bot.repository``): the SQL repository answers every method the port declares,
with the same parameters, and ``Store.run`` is one transaction (all of a unit of work or none).
On a real store (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import inspect

import pytest

from bot.repository import Repository, Store
from storage import SqlStore
from storage.repository import SqlRepository

from ..conftest import Harness


def declared(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


def parameters(signature: inspect.Signature) -> list[tuple[str, inspect._ParameterKind, bool]]:
    return [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in signature.parameters.values()]


PORT = declared(Repository)


def test_the_port_declares_the_units_of_work_use() -> None:
    assert {"identity", "add_message", "enqueue", "schedule", "open_ticket", "record_answer"} <= set(PORT)
    assert set(declared(Store)) == {"run"}


@pytest.mark.parametrize("name", sorted(PORT))
def test_the_sql_repository_implements_each_method_as_declared(name: str) -> None:
    implementation = getattr(SqlRepository, name, None)
    assert callable(implementation), f"SqlRepository has no {name}"
    assert parameters(inspect.signature(implementation)) == parameters(PORT[name])


async def test_a_unit_of_work_commits_whole(harness: Harness) -> None:
    at = harness.clock.now()

    def work(repo: Repository) -> int:
        identity = repo.identity("webchat", "", "ann", display_name="Ann", locale="en", at=at)
        return repo.start_conversation(identity, at).id

    conversation = await harness.store.run(work)
    assert harness.rows("select id, status from conversation") == [(conversation, "open")]


async def test_a_failed_unit_of_work_leaves_nothing(harness: Harness) -> None:
    at = harness.clock.now()

    def fails(repo: Repository) -> None:
        identity = repo.identity("webchat", "", "ann", display_name="Ann", locale="en", at=at)
        repo.start_conversation(identity, at)
        raise LookupError("the turn failed halfway")

    with pytest.raises(LookupError, match="halfway"):
        await harness.store.run(fails)
    assert harness.rows("select count(*) from conversation") == [(0,)]
    assert harness.rows("select count(*) from identity") == [(0,)]


def test_the_sql_store_is_a_store(harness: Harness) -> None:
    store: Store = harness.store
    assert isinstance(store, SqlStore)

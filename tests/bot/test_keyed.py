"""``bot.keyed``: the first request with an ``Idempotency-Key`` takes it, a repeat reads what it made,
another request with the key is refused; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import KeyReusedError
from bot.keyed import replayed
from bot.records import FirstAnswer, KeyedRequest
from bot.repository import Repository

from ..conftest import Harness

FIRST = KeyedRequest("bob", "k-1", "a" * 64)


async def test_a_key_is_taken_once_and_a_repeat_reads_what_the_first_made(harness: Harness) -> None:
    now = harness.clock.now()

    def first(repo: Repository) -> FirstAnswer | None:
        taken = replayed(repo, FIRST, now)
        repo.answer_request(FIRST, 42, {"survey_id": "s1", "already_resolved": False})
        return taken

    assert await harness.store.run(first) is None
    later = now + timedelta(minutes=1)
    again = await harness.store.run(lambda repo: replayed(repo, FIRST, later))
    assert again == FirstAnswer(FIRST.digest, 42, now, {"survey_id": "s1", "already_resolved": False})
    amy = KeyedRequest("amy", FIRST.key, "b" * 64)  # keys are each caller's own
    assert await harness.store.run(lambda repo: replayed(repo, amy, now)) is None
    assert await harness.store.run(lambda repo: replayed(repo, None, now)) is None


async def test_the_key_sent_with_another_request_is_refused(harness: Harness) -> None:
    now = harness.clock.now()
    assert await harness.store.run(lambda repo: replayed(repo, FIRST, now)) is None
    other = KeyedRequest(FIRST.account, FIRST.key, "c" * 64)
    with pytest.raises(KeyReusedError, match="'k-1' was used for a different request"):
        await harness.store.run(lambda repo: replayed(repo, other, now))


async def test_a_key_taken_by_work_that_failed_is_free_again(harness: Harness) -> None:
    now = harness.clock.now()

    def fails(repo: Repository) -> None:
        replayed(repo, FIRST, now)
        raise KeyReusedError("rolled back")

    with pytest.raises(KeyReusedError):
        await harness.store.run(fails)
    assert await harness.store.run(lambda repo: replayed(repo, FIRST, now)) is None

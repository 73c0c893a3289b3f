"""Rate limits shared through the database (:class:`adapters.http.RateLimits` on
:class:`storage.rates.SqlRates`), on SQLite and PostgreSQL; platform headers and bounded bodies."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from fastapi import HTTPException
from sqlalchemy import event
from sqlmodel import Session, select
from starlette.requests import Request

from adapters.http import LATE, RateLimits, declares_over, read_body, retry_after_seconds, take_in_turn
from adapters.webhook import delivery_error
from models import RateBucket
from storage import open_database
from storage.migrate import upgrade
from storage.rates import SqlRates


async def test_a_message_takes_room_in_its_chat_and_overall_in_one_transaction(database_url: str) -> None:
    database = open_database(database_url)
    upgrade(database)
    limits = RateLimits(30.0, per_chat=(3.0, 3.0))
    limits.share(SqlRates(database), "telegram:1")
    commits: list[Any] = []
    event.listen(database.writer, "commit", commits.append)
    try:
        async with limits.slot("42"):
            pass
        with Session(database.reader) as session:
            levels = {row.key: row.level for row in session.exec(select(RateBucket))}
    finally:
        database.dispose()
    assert len(commits) == 1  # one write transaction a message (it was one per bucket)
    assert levels == {"telegram:1:all": 1.0, "telegram:1:chat:42": 1.0}


async def test_waiting_senders_take_their_room_once_and_go_out_at_the_rate(database_url: str) -> None:
    database = open_database(database_url)
    upgrade(database)
    limits = RateLimits(10.0, per_chat=None)  # 10 at once, then one every 0.1 s
    limits.share(SqlRates(database), "telegram:1")
    commits: list[Any] = []
    event.listen(database.writer, "commit", commits.append)
    loop = asyncio.get_running_loop()
    began = loop.time()

    async def send() -> float:
        async with limits.slot("42"):
            return loop.time() - began

    try:
        sent = sorted(await asyncio.gather(*(send() for _ in range(15))))
    finally:
        database.dispose()
    # Each waiting sender took its room once, never polling the bucket: asked at once, the 15 takes
    # shared one transaction (one each when asked apart, as in the test above).
    assert len(commits) == 1
    assert sent[9] < 0.4  # the burst at once
    assert sent[14] - sent[9] == pytest.approx(0.5, abs=0.15)  # the rest at the rate


async def test_a_sender_that_wakes_too_late_for_its_moment_takes_room_anew() -> None:
    asked: list[float] = []

    async def reserve(within: float) -> float | None:
        asked.append(within)
        return 0.05

    loop = asyncio.get_running_loop()
    loop.call_later(0.01, time.sleep, LATE + 0.15)  # the process stalls while the sender sleeps
    assert await take_in_turn(reserve)
    assert len(asked) == 2  # the moment it had passed: it took another, and was in time for that

    async def none_soon(within: float) -> float | None:
        return None if within < 5 else 0.0

    assert not await take_in_turn(none_soon, within=1.0)


def test_a_retry_after_header_is_seconds_an_http_date_or_nothing() -> None:
    assert retry_after_seconds("12") == 12.0 and retry_after_seconds(" 1.5 ") == 1.5
    for odd in ("²", "١٢", "-1", "soon", "", None):  # "²" passed isdigit() and failed float()
        assert retry_after_seconds(odd) is None, odd
    assert delivery_error(httpx.Response(429, headers={"retry-after": b"\xb2"})).retry_after is None
    assert delivery_error(httpx.Response(429, headers={"retry-after": "30"})).retry_after == 30.0


def _request(content_length: bytes, body: bytes) -> Request:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"content-length", content_length)]}
    return Request(scope, receive)


@pytest.mark.parametrize("declared", [b"\xb2", b"\xb9\xb2\xb3", b"-1", b"1e3", b"", b" 5"])
async def test_a_content_length_that_is_not_ascii_digits_is_not_trusted_nor_a_500(declared: bytes) -> None:
    """A "²" (Latin-1 byte 0xb2) passed isdigit() and failed int(): every webhook answered 500."""
    assert await read_body(_request(declared, b"{}"), limit=10) == b"{}"
    with pytest.raises(HTTPException) as caught:  # the bytes read still count
        await read_body(_request(declared, b"x" * 11), limit=10)
    assert (caught.value.status_code, caught.value.detail) == (413, "request body over 10 bytes")


@pytest.mark.parametrize(
    ("declared", "over"),
    [
        ("10", False),
        ("11", True),
        ("0" * 30 + "5", True),  # 19+ digits: over any limit, whatever their value
        ("9" * 5000, True),  # int() of it raises
        ("\xb2", False),  # a digit to isdigit(), not to int()
        ("-1", False),
        ("", False),
        (None, False),
    ],
)
def test_a_declared_length_is_over_the_limit_only_in_ascii_digits(declared: str | None, over: bool) -> None:
    assert declares_over(declared, 10) is over
    encoded = None if declared is None else declared.encode("latin-1")  # as ASGI hands it over
    assert declares_over(encoded, 10) is over

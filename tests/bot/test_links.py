"""Deep-link tokens: single use, expiring, stored only as a digest (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta, timezone
from functools import partial

import pytest

from bot import service as service_module
from bot.errors import NotFoundError
from bot.links import keyed_link_token, link_digest, new_link_token
from bot.messages import Command, InboundMessage
from bot.records import KeyedRequest

from ..conftest import Harness


def start(harness: Harness, user: str, token: str) -> InboundMessage:
    return InboundMessage(
        "telegram", "bot1", user, f"start-{user}", harness.clock.now(), Command("start", token), locale="en"
    )


def customer_of(harness: Harness, user: str) -> int:
    [(customer,)] = harness.rows('select customer_id from identity where "user" = :u', u=user)
    return int(customer)


async def known_customer(harness: Harness) -> int:
    first = await harness.say("ann", "hello from the web chat")
    [(customer,)] = harness.rows(
        "select customer_id from conversation where id = :c", c=first.conversation_id
    )
    return int(customer)


async def test_a_token_links_one_chat_only(harness: Harness) -> None:
    """Before: one token linked three different Telegram accounts."""
    customer = await known_customer(harness)
    token, _ = await harness.service.link_token(customer)
    for user in ("tg-1", "tg-2", "tg-3"):
        await harness.service.handle(start(harness, user, token))
    assert customer_of(harness, "tg-1") == customer
    assert customer_of(harness, "tg-2") != customer and customer_of(harness, "tg-3") != customer
    assert harness.rows("select count(*) from link_token") == [(0,)]


async def test_two_chats_racing_with_one_token_link_exactly_one(harness: Harness) -> None:
    customer = await known_customer(harness)
    token, _ = await harness.service.link_token(customer)
    await asyncio.gather(*(harness.service.handle(start(harness, f"tg-{i}", token)) for i in range(6)))
    linked = [i for i in range(6) if customer_of(harness, f"tg-{i}") == customer]
    assert len(linked) == 1


async def test_an_expired_token_links_nothing_and_is_cleared_later(harness: Harness) -> None:
    customer = await known_customer(harness)
    token, expires_at = await harness.service.link_token(customer)
    harness.clock.advance(expires_at - harness.clock.now())  # the first instant it no longer works
    await harness.service.handle(start(harness, "tg-late", token))
    assert customer_of(harness, "tg-late") != customer
    harness.clock.advance(timedelta(seconds=1))
    await harness.service.link_token(customer)  # making a new one sweeps the expired ones
    assert harness.rows("select count(*) from link_token") == [(1,)]


async def test_only_the_digest_is_stored_and_unknown_customers_are_not_found(harness: Harness) -> None:
    customer = await known_customer(harness)
    token, _ = await harness.service.link_token(customer)
    assert harness.rows("select token_hash from link_token") == [(link_digest(token),)]
    assert token not in str(harness.rows("select * from link_token"))
    with pytest.raises(NotFoundError):
        await harness.service.link_token(999_999)


def test_a_keyed_link_token_is_the_same_for_a_repeat_and_another_for_anything_else() -> None:
    """Hunt 16: a link asked again with its ``Idempotency-Key`` answers the same token (made from the
    server's secret and the request, so only its digest is stored); another caller, key, request or
    secret gets another. Each fits Telegram's ``/start`` payload (1-64 of A-Za-z0-9_-)."""
    request, at = KeyedRequest("bob", "link-1", "a" * 64), datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    token = keyed_link_token("server secret", request, at)
    assert keyed_link_token("server secret", request, at.astimezone(timezone(timedelta(hours=8)))) == token
    others = {
        keyed_link_token("server secret", KeyedRequest("amy", "link-1", "a" * 64), at),
        keyed_link_token("server secret", KeyedRequest("bob", "link-2", "a" * 64), at),
        keyed_link_token("server secret", KeyedRequest("bob", "link-1", "b" * 64), at),
        keyed_link_token("another secret", request, at),
        keyed_link_token("server secret", request, at + timedelta(microseconds=1)),
    }
    assert token not in others and len(others) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", t) for t in [token, *others])


async def test_a_link_keyed_again_once_retention_forgot_the_key_is_a_new_token(harness: Harness) -> None:
    """Hunt 17: the keyed token was made from the request alone, so once retention forgot the key
    (``retention.transcripts``, 180 days by default) the same key (a client that keys links by
    customer) made the same token again, and the first link, used long ago and perhaps still in an
    old e-mail or chat, attached a chat to the customer again. It is made from when the key first
    came now. A repeat while the key is kept still answers the first token and expiry, used or
    expired: only the account that holds the key gets it (it had it already), and it links nothing."""
    customer = await known_customer(harness)
    request = KeyedRequest("bob", f"link-of-{customer}", "c" * 64)
    keyed = partial(keyed_link_token, "server secret", request)
    first, expires_at = await harness.service.link_token(customer, keyed=keyed, request=request)
    await harness.service.handle(start(harness, "tg-owner", first))
    assert customer_of(harness, "tg-owner") == customer
    assert await harness.service.link_token(customer, keyed=keyed, request=request) == (first, expires_at)
    await harness.service.handle(start(harness, "tg-repeat", first))  # answered again, used all the same
    assert customer_of(harness, "tg-repeat") != customer
    later = harness.clock.now() + timedelta(days=181)
    harness.clock.advance(later - harness.clock.now())
    before = later - timedelta(days=180)
    forgotten = await harness.store.run(lambda repo: repo.forget_before(before, None, later))
    assert forgotten["receipts"] >= 1
    again, _ = await harness.service.link_token(customer, keyed=keyed, request=request)
    assert again != first
    await harness.service.handle(start(harness, "tg-stranger", first))  # the old link stays dead
    assert customer_of(harness, "tg-stranger") != customer
    await harness.service.handle(start(harness, "tg-new", again))
    assert customer_of(harness, "tg-new") == customer


async def test_a_keyed_link_draws_no_random_token(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: every link drew a random token first, and a keyed one threw it away. The random
    generator (the real one, counted) now runs only for a link without a key."""
    customer = await known_customer(harness)
    drawn: list[str] = []

    def counted() -> str:
        drawn.append(new_link_token())
        return drawn[-1]

    monkeypatch.setattr(service_module, "new_link_token", counted)
    request = KeyedRequest("bob", "link-1", "d" * 64)
    keyed = partial(keyed_link_token, "server secret", request)
    token, _ = await harness.service.link_token(customer, keyed=keyed, request=request)
    assert drawn == [] and token == keyed_link_token("server secret", request, harness.clock.now())
    plain, _ = await harness.service.link_token(customer)
    assert drawn == [plain]

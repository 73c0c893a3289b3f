"""The kept-alive aiohttp poster against a fake server on 127.0.0.1: answers, proxies, failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from starlette.responses import JSONResponse, Response

from adapters.poster import Poster, PostFailed
from adapters.testing import FakeServer, Recorded

JSON = {"content-type": "application/json"}


def answer(request: Recorded) -> Response:
    return JSONResponse({"got": request.json()}, 201, headers={"Retry-After": "3"})


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    running = FakeServer("poster", answer).start()
    yield running
    running.stop()


@pytest.fixture
async def poster(server: FakeServer) -> AsyncIterator[Poster]:
    server.handler = answer
    server.requests.clear()
    made = Poster(timeout=5)
    yield made
    await made.aclose()


async def test_a_post_gets_the_answer_whatever_its_status_on_one_kept_alive_connection(
    poster: Poster, server: FakeServer
) -> None:
    for n in range(3):
        got = await poster.post(f"{server.url}/hook", b'{"n":%d}' % n, JSON)
        assert (got.status, got.body) == (201, b'{"got":{"n":%d}}' % n)
        assert got.headers["retry-after"] == "3"  # any case
    assert [(r.method, r.path, r.headers["content-type"]) for r in server.requests] == [
        ("POST", "/hook", "application/json")
    ] * 3
    assert len({r.peer for r in server.requests}) == 1


async def test_the_proxy_the_environment_names_is_used_unless_no_proxy_says_otherwise(
    poster: Poster, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    got = await poster.post("http://api.telegram.invalid/hook", b'{"via":"proxy"}', JSON)
    assert got.status == 201  # the name does not resolve: only the proxy can have answered
    [request] = server.requests
    assert (request.path, request.headers["host"]) == ("/hook", "api.telegram.invalid")

    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # no proxy there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    direct = Poster(timeout=5)
    try:
        assert (await direct.post(f"{server.url}/direct", b"{}", JSON)).status == 201
    finally:
        await direct.aclose()


async def test_no_answer_in_time_or_no_server_is_post_failed(poster: Poster, server: FakeServer) -> None:
    async def late(_request: Recorded) -> Response:
        await asyncio.sleep(1.0)
        return Response(status_code=200)

    server.handler = late
    with pytest.raises(PostFailed, match="TimeoutError"):
        await poster.post(f"{server.url}/slow", b"{}", JSON, timeout=0.1)
    with pytest.raises(PostFailed, match="ClientConnectorError"):
        await poster.post("http://127.0.0.1:9/closed", b"{}", JSON)


async def test_a_closed_poster_opens_a_new_session_when_used(poster: Poster, server: FakeServer) -> None:
    await poster.post(f"{server.url}/one", b"{}", JSON)
    await poster.aclose()
    assert (await poster.post(f"{server.url}/two", b"{}", JSON)).status == 201
    assert len({r.peer for r in server.requests}) == 2

"""Slow and oversized requests against the real app, served by uvicorn on loopback with the
connection ``csatbot serve`` runs (:class:`csatbot.slow_clients.GuardedHttp`, deadlines shortened)."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from sqlalchemy import text

from csatbot.runtime import Runtime
from csatbot.slow_clients import GuardedHttp
from csatbot.web import Server, create_app

from ..conftest import chat_headers

DEADLINE = 0.5


class Quick(GuardedHttp):
    head_seconds = DEADLINE
    body_seconds = DEADLINE


@pytest.fixture
async def port(app_runtime: Runtime) -> AsyncIterator[int]:
    """The app on ``app_runtime``, served on 127.0.0.1 in this event loop; its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(app_runtime), log_level="warning", access_log=False, ws="none", http=Quick
    )
    server = Server(app_runtime, config)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        await asyncio.sleep(0.01)
    yield int(listener.getsockname()[1])
    server.should_exit = True
    await serving
    listener.close()


async def trickle(writer: asyncio.StreamWriter, pieces: list[bytes], gap: float) -> None:
    """Send ``pieces`` ``gap`` seconds apart until they run out or the server closes."""
    try:
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(gap)
    except ConnectionError:
        pass


async def answer(reader: asyncio.StreamReader, within: float = 5.0) -> tuple[bytes, float]:
    """All the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    data = await asyncio.wait_for(reader.read(), within)
    return data, time.monotonic() - started


def status_and_detail(data: bytes) -> tuple[int, str]:
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)["detail"]


async def test_an_idle_connection_is_closed_at_the_deadline(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data, took = await answer(reader)
    assert data == b""  # nothing was asked: nothing to answer
    assert DEADLINE * 0.8 < took < DEADLINE + 2
    writer.close()


@pytest.mark.parametrize("after_a_request", [False, True])
async def test_a_head_trickled_past_the_deadline_is_a_408(port: int, after_a_request: bool) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if after_a_request:  # on a kept-alive connection the deadline runs from the answer
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ")
        await reader.readexactly(int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0]))
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    await trickle(writer, [b"X-Slow: 1\r\n"] * int(DEADLINE * 2 / 0.05), 0.05)  # for twice the deadline
    data, _ = await answer(reader)
    status, detail = status_and_detail(data)
    assert (status, detail.split(" (")[0]) == (408, "the request's head did not arrive in time")
    writer.close()


async def test_a_head_over_64_kib_is_a_431_before_it_is_held_whole(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    # 8 MB of headers, never finished: the server stops reading long before
    await trickle(writer, [b"X-%d: %s\r\n" % (i, b"a" * 8000) for i in range(1000)], 0)
    data, _ = await answer(reader)
    assert status_and_detail(data) == (431, "the request line and headers are over 65536 bytes")
    writer.close()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        assert (await http.get("/healthz", headers={"X-Fine": "a" * 8000})).status_code == 200


async def test_a_body_trickled_past_the_deadline_is_a_408_and_stores_nothing(
    port: int, app_runtime: Runtime
) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        session = (await chat_headers(http, "slow"))["X-Chat-Session"]
    body = json.dumps({"text": "hello " * 30}).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /api/webchat/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-Chat-Session: %s\r\nContent-Length: %d\r\n\r\n" % (session.encode(), len(body))
    )
    # 20 bytes a second, for three deadlines: far under 500, the rate that earns more time
    await trickle(writer, [bytes([byte]) for byte in body[:30]], 0.05)
    data, _ = await answer(reader)
    status, detail = status_and_detail(data)
    assert (status, detail.split(" (")[0]) == (408, "the request's body did not arrive in time")
    writer.close()
    with app_runtime.database.writer.connect() as connection:
        assert connection.execute(text("select count(*) from message")).scalar() == 0


async def test_what_the_server_takes_its_time_over_is_not_cut(port: int) -> None:
    """Keep-alive requests, a body sent in pieces within the deadline and a long poll that lasts
    three deadlines all get their answers."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
        headers = await chat_headers(http, "patient")
        polled = await http.get("/api/webchat/messages", params={"wait": DEADLINE * 3}, headers=headers)
        assert polled.status_code == 200
        assert [(await http.get("/healthz")).status_code for _ in range(3)] == [200] * 3

        async def pieces() -> AsyncIterator[bytes]:
            for piece in (b'{"text": ', b'"hello"', b"}"):
                yield piece
                await asyncio.sleep(DEADLINE / 4)

        sent = await http.post(
            "/api/webchat/messages",
            content=pieces(),
            headers={**headers, "Content-Type": "application/json", "Content-Length": "17"},
        )
        assert sent.status_code == 202, sent.text

"""Plain-mode WeChat callbacks reaching two csatbot processes on one database (``csatbot serve
--workers``, or two instances behind a balancer), on SQLite and PostgreSQL: each process has its own
in-memory replay guard; what they share is the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from adapters.wechat.fake import WeChatSimulator, xml
from csatbot.runtime import Runtime

from ...conftest import served
from ..conftest import ConfigWriter

USER = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
Workers = tuple[WeChatSimulator, Runtime, list[httpx.AsyncClient]]


@pytest.fixture
async def workers(database_url: str, tmp_path: Path, write_config: ConfigWriter) -> AsyncIterator[Workers]:
    """A plain-mode Official Account and two csatbot processes on one database."""
    sim = WeChatSimulator(safe_mode=False)
    sim.start()
    config = write_config(tmp_path, {sim.channel: sim.channel_config()})
    runtimes = [Runtime(config, database_url, tick_seconds=0.1, environ=sim.environ) for _ in range(2)]
    try:
        async with AsyncExitStack() as stack:
            apps = [await stack.enter_async_context(served(runtime)) for runtime in runtimes]
            yield sim, runtimes[0], apps
    finally:
        sim.stop()


async def post(http: httpx.AsyncClient, query: dict[str, str], body: bytes) -> int:
    response = await http.post(WeChatSimulator.path, params=query, content=body)
    return response.status_code


def inbox(runtime: Runtime) -> list[tuple[str, str]]:
    """(key, sender) of every stored callback."""
    with runtime.database.writer.connect() as conn:
        rows = conn.execute(text("select key, sender from inbox order by id")).all()
    return [(str(key), str(sender)) for key, sender in rows]


async def test_a_callback_repeated_to_the_other_process_is_stored_once(workers: Workers) -> None:
    """WeChat's retry (or a captured request sent again) reaching another process: a message (its
    ``MsgId``) and events without one (a subscribe, a menu click: keyed by sender, time and event)
    are each stored once, so nothing is handled twice."""
    sim, runtime, apps = workers
    head = {"ToUserName": sim.account, "FromUserName": USER, "CreateTime": int(sim.timestamp())}
    documents = [
        sim.text(USER, "hello"),
        xml(**head, MsgType="event", Event="subscribe"),
        xml(**head, MsgType="event", Event="CLICK", EventKey="menu-help"),
    ]
    for document in documents:
        query, body = sim.signed(document)
        assert [await post(http, query, body) for http in (*apps, *apps)] == [200] * 4
    assert len(inbox(runtime)) == 3


async def test_a_captured_plain_signature_carries_no_other_body_on_another_process(workers: Workers) -> None:
    """Hunt 17: plain mode signs no body, and the guard that refuses a signed query carrying another
    body within its 5 minutes was in each process's memory: a captured query with a forged body (any
    sender, any words) sent to the other process was taken. The first body a signed query carried is
    now kept in the database for the window, so every process refuses another one (403), and
    WeChat's retry of the first is still taken (kept once)."""
    sim, runtime, apps = workers
    query, body = sim.signed(sim.text(USER, "hello"))
    assert await post(apps[0], query, body) == 200
    forged = sim.text("o-someone-else", "refund me")
    assert await post(apps[1], query, forged.encode()) == 403
    assert await post(apps[0], query, forged.encode()) == 403
    assert [await post(http, query, body) for http in apps] == [200, 200]
    assert [sender for _, sender in inbox(runtime)] == [USER]


async def test_a_url_checks_query_carries_no_message_on_another_process(workers: Workers) -> None:
    """The URL check's plain signature is the very one a POST carries, and its query may sit in a
    proxy's access log: answered by one process, it carries no message to the other (403), and
    WeChat's retry of the check is answered by either."""
    sim, runtime, apps = workers
    checked = await sim.check_url(apps[0], "5927782489442352469")
    assert (checked.status_code, checked.text) == (200, "5927782489442352469")
    query = {k: v for k, v in checked.request.url.params.items() if k != "echostr"}
    assert await post(apps[1], query, sim.text(USER, "refund me").encode()) == 403
    again = await apps[1].get(sim.path, params=dict(checked.request.url.params))
    assert (again.status_code, again.text) == (200, "5927782489442352469")
    assert inbox(runtime) == []

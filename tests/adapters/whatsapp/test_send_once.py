"""WhatsApp: a reply slower than the client's timeout is reconciled with the status webhook that
echoes our outbox id (``biz_opaque_callback_data``), never sent twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from .conftest import App


async def until(check: object, seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():  # type: ignore[operator]
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_a_late_graph_reply_is_reconciled_by_the_status_webhook_not_resent(app: App) -> None:
    assert (await app.sim.say(app.http, "ann", "where is my parcel?")).status_code == 200
    await until(lambda: app.rows("SELECT id FROM conversation"))
    conversation_id = app.rows("SELECT max(id) FROM conversation")[0][0]
    app.adapter.graph.timeout = 0.5
    app.sim.api.delays = [2.0]  # accepted at once, answered after the client gave up
    reply = await app.http.post(f"/api/conversations/{conversation_id}/reply", json={"text": "on its way"})
    assert reply.status_code == 202
    await until(lambda: app.rows("SELECT status FROM outbox WHERE status = 'unknown'"))
    [accepted] = [a for a in app.sim.sent_to("ann") if a.body.get("type") == "text"]
    outbox_id = app.rows("SELECT id FROM outbox WHERE status = 'unknown'")[0][0]
    assert accepted.body["biz_opaque_callback_data"] == f"outbox:{outbox_id}"

    sent = app.sim.status("ann", accepted.wamid, "sent", reference=accepted.body["biz_opaque_callback_data"])
    assert (await app.sim.post(app.http, sent)).status_code == 200
    assert app.rows(f"SELECT status, platform_id FROM outbox WHERE id = {outbox_id}") == [
        ("sent", accepted.wamid)
    ]
    app.clock.advance(timedelta(minutes=2))  # well past the wait for a confirmation
    await asyncio.sleep(0.5)  # several outbox ticks
    assert [a.body["text"]["body"] for a in app.sim.sent_to("ann") if a.body.get("type") == "text"] == [
        "on its way"
    ]

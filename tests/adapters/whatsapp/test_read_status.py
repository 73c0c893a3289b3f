"""A WhatsApp ``read`` status for a survey's message marks the survey opened (the funnel's "opened");
reads of other messages, and other statuses, do not."""

from __future__ import annotations

from typing import Any

from .conftest import App


async def sent(app: App, count: int) -> list[Any]:
    """The first ``count`` messages the fake Graph API accepted, once their outbox rows say sent."""
    await app.sim.server.wait_for(lambda _: len(app.sim.api.accepted) >= count)
    await app.sim.server.wait_for(
        lambda _: [s for (s,) in app.rows("select status from outbox")] == ["sent"] * count
    )
    return list(app.sim.api.accepted[:count])


async def status(app: App, user: str, wamid: str, name: str, reference: str = "") -> None:
    data = app.sim.status(user, wamid, name, reference=reference)
    assert (await app.sim.post(app.http, data)).status_code == 200


async def test_reading_the_survey_question_opens_the_survey(app: App) -> None:
    user = "15550000077"
    assert (await app.sim.say(app.http, user, "Where is my parcel?")).status_code == 200
    [conversation] = await app.conversations()
    path = f"/api/conversations/{conversation['id']}"
    assert (await app.http.post(f"{path}/reply", json={"text": "It ships today."})).status_code == 202
    [reply] = await sent(app, 1)
    await status(app, user, reply.wamid, "read")  # the agent's reply: no survey yet
    resolved = await app.http.post(f"{path}/resolve", json={"send_survey_now": True})
    assert resolved.status_code == 200
    _, question = await sent(app, 2)
    assert question.body["type"] == "interactive"
    survey = resolved.json()["survey_id"]
    for name in ("sent", "delivered"):
        await status(app, user, question.wamid, name)
    assert app.rows("select opened_at from survey") == [(None,)]
    await status(app, user, question.wamid, "read")
    [(opened_at,)] = app.rows("select opened_at from survey")
    assert opened_at is not None and app.adapter.counts["surveys_opened"] == 1
    await status(app, user, question.wamid, "read")  # a repeat changes nothing
    assert app.rows("select opened_at from survey") == [(opened_at,)]
    funnel = (await app.http.get("/api/reports/funnel")).json()
    whatsapp = funnel["by_channel"]["whatsapp"]
    assert (whatsapp["sent"], whatsapp["readable"], whatsapp["opened"], whatsapp["opened_reported"]) == (
        1,
        1,
        1,
        True,
    )
    assert funnel["opened_not_reported"] == [] and survey


async def test_a_read_matched_by_the_echoed_outbox_id(app: App) -> None:
    """A send that got no answer has no wamid stored: the read still finds it by ``outbox:<id>``."""
    user = "15550000078"
    assert (await app.sim.say(app.http, user, "Hi")).status_code == 200
    [conversation] = await app.conversations()
    resolved = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200
    await sent(app, 1)
    [(row,)] = app.rows("select id from outbox")
    await status(app, user, "wamid.NOT-STORED", "read", reference=f"outbox:{row}")
    [(opened_at,)] = app.rows("select opened_at from survey")
    assert opened_at is not None

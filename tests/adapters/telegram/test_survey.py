"""A whole conversation through the fake Telegram: message, resolve, tap, tap, type; answers stored."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.testing import Shown

from .conftest import App


async def open_and_resolve(app: App, user: str, text: str) -> int:
    assert (await app.sim.say(app.http, user, text)).status_code == 200
    [conversation] = await app.conversations()
    response = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert response.status_code == 200, response.text
    return int(conversation["id"])


def last_has_buttons(shown: list[Shown]) -> bool:
    return bool(shown) and bool(shown[-1].buttons)


def answers(detail: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (a["step"], a["kind"], a.get("score"), a.get("option"), a.get("text"))
        for a in detail["survey"]["answers"]
    ]


async def test_a_whole_survey_by_taps_and_typing(app: App) -> None:
    conversation_id = await open_and_resolve(app, "ann", "my parcel never arrived")

    [rating] = await app.shown("ann", last_has_buttons)
    assert rating.text == "How satisfied are you with the help you received?"
    assert [(b.label, b.step, b.value) for b in rating.buttons] == [
        *(("⭐" * v, "rating", str(v)) for v in range(1, 6)),
        ("1 · very dissatisfied", "rating", "1"),
        ("5 · very satisfied", "rating", "5"),
    ]
    assert [len(row) for row in rating.raw["reply_markup"]["inline_keyboard"]] == [5, 2]
    await app.sim.tap(app.http, "ann", rating.buttons[1])  # two stars

    shown = await app.shown("ann", lambda s: len(s) == 2 and last_has_buttons(s))
    assert shown[0].text.endswith("\n\n✅ ⭐⭐") and shown[0].buttons == ()
    reason = shown[1]
    assert reason.text == "Sorry to hear that. What went wrong?"
    assert [(b.label, b.value) for b in reason.buttons] == [
        ("Slow response", "slow"),
        ("Problem not solved", "unresolved"),
        ("Unfriendly service", "attitude"),
        ("Something else", "other"),
    ]
    assert [len(row) for row in reason.raw["reply_markup"]["inline_keyboard"]] == [1, 1, 1, 1]
    await app.sim.tap(app.http, "ann", reason.buttons[0])

    shown = await app.shown("ann", lambda s: len(s) == 3)
    assert shown[1].text == "Sorry to hear that. What went wrong?\n\n✅ Slow response"
    assert shown[2].text == 'Anything else you would like to tell us?\nReply "skip" to skip.'
    await app.sim.say(app.http, "ann", "it took three days to get an answer")

    shown = await app.shown("ann", lambda s: len(s) == 4)
    assert shown[3].text == (  # CSAT 2 went to a person: the closing line says what happens next
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here."
    )
    detail = await app.conversation(conversation_id)
    assert detail["survey"]["status"] == "completed"
    assert detail["channel"] == "telegram"
    assert answers(detail) == [
        ("rating", "csat", 2, None, None),
        ("reason", "choice", None, "slow", None),
        ("comment", "text", None, None, "it took three days to get an answer"),
    ]
    tickets = (await app.http.get("/api/tickets")).json()
    assert [t["conversation_id"] for t in tickets] == [conversation_id]  # CSAT 2 is escalated


async def test_a_rating_typed_instead_of_tapped(app: App) -> None:
    conversation_id = await open_and_resolve(app, "bea", "where is my refund?")
    await app.shown("bea", last_has_buttons)
    await app.sim.say(app.http, "bea", "5")
    shown = await app.shown("bea", lambda s: len(s) == 2)
    assert shown[-1].text.startswith("Glad we could help!")  # the optional praise question
    assert shown[0].buttons  # a typed answer leaves the keyboard; a late tap on it is ignored
    await app.sim.tap(app.http, "bea", shown[0].buttons[0])
    detail = await app.conversation(conversation_id)
    assert answers(detail) == [("rating", "csat", 5, None, None)]
    assert app.sim.api.called("editMessageText") == []


async def test_the_survey_speaks_the_users_telegram_language(app: App) -> None:
    app.sim.user("chen", language_code="zh-hans")
    await open_and_resolve(app, "chen", "你好")
    [rating] = await app.shown("chen", last_has_buttons)
    assert rating.text == "您对本次服务满意吗？"
    assert [b.label for b in rating.buttons[-2:]] == ["1 · 非常不满意", "5 · 非常满意"]


async def test_updates_replayed_once_their_receipts_are_forgotten_change_no_survey(app: App) -> None:
    """Hunt 17: an update replayed after the inbox and the dedupe receipts forgot it (2 days and
    ``retention.transcripts``, 180 days by default; only a holder of the webhook's secret can send one)
    is taken as new. A rating tap and a typed answer on the survey they answered, long since
    completed, record nothing and send nothing; the survey, its answers and the ticket stay one."""
    conversation_id = await open_and_resolve(app, "dan", "the app crashes at login")
    [rating] = await app.shown("dan", last_has_buttons)
    tap = app.sim.callback_update("dan", rating.buttons[1])  # two stars
    assert (await app.sim.post(app.http, tap)).status_code == 200
    [*_, reason] = await app.shown("dan", lambda s: len(s) == 2 and last_has_buttons(s))
    await app.sim.tap(app.http, "dan", reason.buttons[1])
    await app.shown("dan", lambda s: len(s) == 3)
    typed = app.sim.message_update("dan", "nobody answered for a week")
    assert (await app.sim.post(app.http, typed)).status_code == 200
    done = await app.shown("dan", lambda s: len(s) == 4)
    before = await app.conversation(conversation_id)
    assert before["survey"]["status"] == "completed" and len(answers(before)) == 3

    later = datetime.now(UTC) + timedelta(days=1)
    assert await asyncio.to_thread(app.runtime.inbox.storage.prune_sync, later) > 0
    forgotten = await app.runtime.store.run(lambda repo: repo.forget_before(later, None, later))
    assert forgotten["receipts"] > 0
    edits = len(app.sim.api.called("editMessageText"))
    for update in (tap, typed):
        assert (await app.sim.post(app.http, update)).status_code == 200
    after = await app.conversation(conversation_id)
    assert (after["survey"], answers(after)) == (before["survey"], answers(before))
    assert len(app.sim.shown("dan")) == len(done) and len(app.sim.api.called("editMessageText")) == edits
    tickets = (await app.http.get("/api/tickets")).json()
    assert [t["conversation_id"] for t in tickets] == [conversation_id]

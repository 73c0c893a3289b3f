"""Every kind of update Telegram sends, through the whole app: in support, during an open survey
question and after the survey; none fails the webhook, is lost or is stored twice."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from adapters.testing import Shown

from .conftest import App

FILE = {"file_id": "f", "file_unique_id": "u"}
MEDIA: dict[str, dict[str, Any]] = {
    "photo": {"photo": [FILE | {"width": 90, "height": 90}]},
    "sticker": {"sticker": FILE | {"type": "regular", "width": 512, "height": 512, "is_animated": False,
                                   "is_video": False, "emoji": "👍"}},
    "voice": {"voice": FILE | {"duration": 3}},
    "video_note": {"video_note": FILE | {"length": 240, "duration": 4}},
    "document": {"document": FILE | {"file_name": "receipt.pdf"}},
    "location": {"location": {"latitude": 31.2, "longitude": 121.5}},
    "contact": {"contact": {"phone_number": "+8613800000000", "first_name": "Li"}},
    "poll": {"poll": {"id": "p1", "question": "Q?",
                      "options": [{"persistent_id": "o1", "text": "a", "voter_count": 0}],
                      "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                      "type": "regular", "allows_multiple_answers": False,
                      "allows_revoting": False, "members_only": False}},
    "dice": {"dice": {"emoji": "🎲", "value": 4}},
}  # fmt: skip


def media(app: App, user: str, kind: str, caption: str | None = None) -> dict[str, Any]:
    """The update for ``user`` sending ``kind`` (a key of :data:`MEDIA`), captioned or not."""
    update = app.sim.message_update(user, "x")
    del update["message"]["text"]
    update["message"] |= MEDIA[kind] | ({} if caption is None else {"caption": caption})
    return update


def with_buttons(shown: list[Shown]) -> bool:
    return bool(shown) and bool(shown[-1].buttons)


async def rating_question(app: App, user: str) -> int:
    """Open a conversation for ``user``, resolve it with the survey now; wait for the rating question."""
    assert (await app.sim.say(app.http, user, "help please")).status_code == 200
    [conversation] = await app.conversations()
    response = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert response.status_code == 200, response.text
    await app.shown(user, with_buttons)
    return int(conversation["id"])


async def survey_of(app: App, conversation_id: int) -> dict[str, Any]:
    survey: dict[str, Any] = (await app.conversation(conversation_id))["survey"]
    return survey


async def test_media_without_a_caption_is_stored_as_its_kind(app: App) -> None:
    for kind in MEDIA:
        response = await app.sim.post(app.http, media(app, "ann", kind))
        assert (response.status_code, response.json()) == (200, {}), (kind, response.text)
    assert await app.transcript() == [("customer", f"[{kind}]") for kind in MEDIA]


async def test_a_caption_is_the_customers_text_and_a_redelivery_is_stored_once(app: App) -> None:
    long_caption = "The box arrived broken, see the photo. " * 26  # 1014 characters (limit 1024)
    update = media(app, "ann", "photo", long_caption)
    for _ in range(2):
        assert (await app.sim.post(app.http, update)).status_code == 200
    document = media(app, "ann", "document", "my receipt")
    assert (await app.sim.post(app.http, document)).status_code == 200
    # The agent reads what came with the words: "[photo] The box arrived broken..."
    assert await app.transcript() == [
        ("customer", f"[photo] {long_caption}"),
        ("customer", "[document] my receipt"),
    ]


async def test_a_forwarded_message_and_a_user_without_username_or_last_name(app: App) -> None:
    app.sim.user("zed", language_code=None)
    update = app.sim.message_update("zed", "look what I got")
    origin = {"type": "user", "date": 1, "sender_user": {"id": 9, "is_bot": False, "first_name": "Z"}}
    update["message"]["forward_origin"] = origin
    assert (await app.sim.post(app.http, update)).status_code == 200
    [conversation] = await app.conversations()
    assert conversation["customer"]["name"] == "Zed"
    assert await app.transcript() == [("customer", "look what I got")]


async def test_media_during_a_question_is_no_answer_and_the_question_is_asked_again(app: App) -> None:
    conversation_id = await rating_question(app, "ann")
    assert (await app.sim.post(app.http, media(app, "ann", "sticker"))).status_code == 200
    shown = await app.shown("ann", lambda s: len(s) == 3 and with_buttons(s))
    assert shown[2].text == shown[0].text  # the rating question again, after a short hint
    survey = await survey_of(app, conversation_id)
    assert (survey["status"], survey["answers"]) == ("active", [])
    # A captioned photo answers like typed text.
    assert (await app.sim.post(app.http, media(app, "ann", "photo", "4"))).status_code == 200
    await app.shown("ann", lambda s: len(s) == 4)
    survey = await survey_of(app, conversation_id)
    assert [(a["step"], a["score"]) for a in survey["answers"]] == [("rating", 4)]


def other_updates(app: App) -> list[dict[str, Any]]:
    """Updates that are no customer message in the private chat (ids above the simulator's)."""
    ann = app.sim.user("ann")
    chat = {"id": ann["id"], "type": "private", "first_name": "Ann"}
    group = {"id": -1001, "type": "supergroup", "title": "G"}
    edited = app.sim.message_update("ann", "1")["message"] | {"edit_date": 1700000100}
    member = {"chat": chat, "from": ann, "date": 1, "old_chat_member": {"status": "member", "user": ann}}
    return [
        {"update_id": 990001, "edited_message": edited},
        {"update_id": 990002, "message_reaction": {"chat": chat, "message_id": 1, "user": ann, "date": 1,
                                                   "old_reaction": [],
                                                   "new_reaction": [{"type": "emoji", "emoji": "👍"}]}},
        {"update_id": 990003, "channel_post": {"message_id": 1, "date": 1, "text": "1",
                                               "chat": {"id": -1002, "type": "channel", "title": "C"}}},
        {"update_id": 990004, "chat_join_request": {"chat": group, "from": ann, "user_chat_id": ann["id"],
                                                    "date": 1}},
        {"update_id": 990005, "my_chat_member": member | {"chat": group,  # removed from a group
            "new_chat_member": {"status": "kicked", "user": ann, "until_date": 0}}},
        {"update_id": 990006, "message": app.sim.message_update("ann", "1")["message"] | {"chat": group}},
        {"update_id": 990007, "callback_query": {"id": "cbq-x", "from": ann, "chat_instance": "-1",
                                                 "data": "s" * 300}},
    ]  # fmt: skip


async def test_updates_that_are_no_message_change_nothing_during_a_question(app: App) -> None:
    conversation_id = await rating_question(app, "ann")
    before = await app.transcript()
    for update in other_updates(app):
        response = await app.sim.post(app.http, update)
        assert response.status_code == 200, update
    assert await app.transcript() == before
    survey = await survey_of(app, conversation_id)
    assert (survey["status"], survey["answers"]) == ("active", [])
    assert len(app.sim.shown("ann")) == 1  # nothing was asked again


@pytest.mark.parametrize("data", ["x", "s" * 64, "é" * 40, "a:b:c:d:e:f", "\x00", "💥" * 16])
async def test_a_forged_or_oversized_tap_is_answered_and_changes_nothing(app: App, data: str) -> None:
    conversation_id = await rating_question(app, "ann")
    [question] = app.sim.api.messages(app.sim.chat_id("ann"))
    query = {"id": "cbq-forged", "from": app.sim.user("ann"), "message": question,
             "chat_instance": "-1", "data": data}  # fmt: skip
    response = await app.sim.post(app.http, {"update_id": 990100, "callback_query": query})
    assert response.status_code == 200
    assert app.sim.api.called("answerCallbackQuery") == [{"callback_query_id": "cbq-forged"}]
    survey = await survey_of(app, conversation_id)
    assert (survey["status"], survey["answers"]) == ("active", [])


async def test_media_after_the_survey_is_a_support_message_not_an_answer(app: App) -> None:
    conversation_id = await rating_question(app, "ann")
    await app.sim.say(app.http, "ann", "5")
    await app.sim.say(app.http, "ann", "skip")
    shown = await app.shown("ann", lambda s: s[-1].text.startswith("Thank you"))
    assert (await app.sim.post(app.http, media(app, "ann", "voice"))).status_code == 200
    survey = await survey_of(app, conversation_id)
    assert survey["status"] == "completed"
    assert [(a["step"], a.get("score")) for a in survey["answers"]] == [("rating", 5)]
    details = [await app.conversation(c["id"]) for c in await app.conversations()]
    texts = [m["text"] for detail in details for m in detail["transcript"]]
    assert texts.count("[voice]") == 1
    assert len(app.sim.shown("ann")) == len(shown)  # no question asked again


async def test_a_message_kind_newer_than_aiogram_is_acknowledged_and_logged_once(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="csatbot.telegram")
    for _ in range(2):
        update = app.sim.message_update("ann", "x")
        del update["message"]["text"]
        update["message"]["hologram"] = {"file_id": "f"}
        response = await app.sim.post(app.http, update)
        assert (response.status_code, response.json()) == (200, {})
    assert (await app.sim.say(app.http, "ann", "hello")).status_code == 200
    assert await app.transcript() == [("customer", "hello")]  # handled in order, after the two
    logged = [r.getMessage() for r in caplog.records if "aiogram does not know" in r.getMessage()]
    assert len(logged) == 1, logged

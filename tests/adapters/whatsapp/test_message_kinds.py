"""Every kind of webhook WhatsApp sends, through the whole app: in support, during an open survey
question and after the survey; none fails the webhook (a 5xx is redelivered for days), is lost or
is stored twice."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from adapters.testing import Shown

from .conftest import App

MEDIA = {"mime_type": "image/jpeg", "sha256": "ZmFrZQ==", "id": "1479537139650973"}
KINDS: dict[str, dict[str, Any]] = {
    "image": {"image": MEDIA},
    "audio": {"audio": MEDIA | {"mime_type": "audio/ogg; codecs=opus", "voice": True}},
    "video": {"video": MEDIA | {"mime_type": "video/mp4"}},
    "document": {"document": MEDIA | {"filename": "receipt.pdf"}},
    "sticker": {"sticker": MEDIA | {"mime_type": "image/webp", "animated": False}},
    "location": {"location": {"latitude": 31.2, "longitude": 121.5, "name": "Shop"}},
    "contacts": {"contacts": [{"name": {"formatted_name": "Li", "first_name": "Li"},
                               "phones": [{"phone": "+8613800000000", "type": "CELL"}]}]},
    "order": {"order": {"catalog_id": "c1", "text": "", "product_items": [
        {"product_retailer_id": "p1", "quantity": 1, "item_price": 10, "currency": "USD"}]}},
    "unsupported": {"errors": [{"code": 131051, "title": "Message type unknown",
                                "error_data": {"details": "Message type is currently not supported."}}]},
    "hologram": {"hologram": {"id": "a-type-from-the-future"}},
}  # fmt: skip
NOT_MESSAGES: list[dict[str, Any]] = [
    {"type": "reaction", "reaction": {"message_id": "wamid.ANY", "emoji": "👍"}},
    {"type": "reaction", "reaction": {"message_id": "wamid.ANY"}},  # the reaction taken back
    {"type": "system", "system": {"body": "Ann changed from 1 to 2", "new_wa_id": "2",
                                  "type": "user_changed_number"}},
    {"type": "request_welcome"},  # the customer opened the chat for the first time
]  # fmt: skip


def kind(name: str, caption: str | None = None) -> dict[str, Any]:
    content = {"type": name, **KINDS[name]}
    if caption is not None:
        content[name] = content[name] | {"caption": caption}
    return content


async def texts(app: App, user: str) -> list[str]:
    """What ``user`` wrote, over all their conversations, oldest first."""
    mine = [c for c in await app.conversations() if c["customer"]["user"] == app.sim.wa_id(user)]
    found: list[str] = []
    for conversation in sorted(mine, key=lambda c: int(c["id"])):
        detail = await app.conversation(conversation["id"])
        found += [m["text"] for m in detail["transcript"] if m["direction"] == "in"]
    return found


async def rating_question(app: App, user: str) -> int:
    assert (await app.sim.say(app.http, user, "my parcel is late")).status_code == 200
    [conversation] = [c for c in await app.conversations() if c["customer"]["user"] == app.sim.wa_id(user)]
    response = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert response.status_code == 200, response.text
    await app.sim.server.wait_for(lambda _: len(app.sim.shown(user)) >= 1)
    return int(conversation["id"])


async def survey_of(app: App, conversation_id: int) -> dict[str, Any]:
    survey: dict[str, Any] = (await app.conversation(conversation_id))["survey"]
    return survey


async def shown_at_least(app: App, user: str, n: int) -> list[Shown]:
    await app.sim.server.wait_for(lambda _: len(app.sim.shown(user)) >= n)
    return app.sim.shown(user)


async def test_each_kind_without_a_caption_is_stored_as_its_kind(app: App) -> None:
    for name in KINDS:
        response = await app.sim.post(app.http, app.sim.message("ann", kind(name)))
        assert (response.status_code, response.text) == (200, ""), name
    assert await texts(app, "ann") == [f"[{name}]" for name in KINDS]


async def test_a_caption_is_the_customers_text_and_a_redelivery_is_stored_once(app: App) -> None:
    photo = app.sim.message("ann", kind("image", "the box arrived broken"), wamid="wamid.CAPTION1")
    for _ in range(2):
        assert (await app.sim.post(app.http, photo)).status_code == 200
    for name in ("video", "document"):
        captioned = app.sim.message("ann", kind(name, f"see the {name}"))
        assert (await app.sim.post(app.http, captioned)).status_code == 200
    assert await texts(app, "ann") == [
        "[image] the box arrived broken",
        "[video] see the video",
        "[document] see the document",
    ]


async def test_a_reply_to_our_message_and_an_ad_referral_are_text(app: App) -> None:
    reply = {"type": "text", "text": {"body": "still waiting"}, "context": {"from": "1", "id": "wamid.OUR"}}
    ad = {"source_url": "https://fb.me/x", "source_type": "ad", "source_id": "1"}
    referral = {"type": "text", "text": {"body": "I saw your ad"}, "referral": ad}
    for content in (reply, referral):
        assert (await app.sim.post(app.http, app.sim.message("ann", content))).status_code == 200
    assert await texts(app, "ann") == ["still waiting", "I saw your ad"]


async def test_reactions_and_system_notices_store_nothing(app: App) -> None:
    for content in NOT_MESSAGES:
        assert (await app.sim.post(app.http, app.sim.message("ann", content))).status_code == 200
    assert await app.conversations() == []


async def test_during_a_question_a_reaction_is_ignored_and_media_asks_again(app: App) -> None:
    conversation_id = await rating_question(app, "ann")
    [question] = app.sim.sent_to("ann")
    for content in NOT_MESSAGES:
        content = content | {"context": {"from": "1", "id": question.wamid}}
        assert (await app.sim.post(app.http, app.sim.message("ann", content))).status_code == 200
    assert await texts(app, "ann") == ["my parcel is late"]
    assert len(app.sim.shown("ann")) == 1  # not asked again for a 👍 on the question
    assert (await app.sim.post(app.http, app.sim.message("ann", kind("sticker")))).status_code == 200
    await app.sim.server.wait_for(lambda _: len(s := app.sim.shown("ann")) >= 2 and bool(s[-1].buttons))
    shown = app.sim.shown("ann")
    assert shown[-1].buttons == shown[0].buttons  # the rating question again
    assert (await survey_of(app, conversation_id))["answers"] == []
    assert (await app.sim.post(app.http, app.sim.message("ann", kind("image", "4")))).status_code == 200
    await shown_at_least(app, "ann", len(shown) + 1)
    answers = (await survey_of(app, conversation_id))["answers"]
    assert [(a["step"], a["score"]) for a in answers] == [("rating", 4)]


async def test_after_the_survey_a_stale_tap_changes_nothing_and_a_foreign_one_is_text(app: App) -> None:
    conversation_id = await rating_question(app, "ann")
    [question] = app.sim.shown("ann")
    assert (await app.sim.tap(app.http, "ann", question.buttons[4])).status_code == 200  # five stars
    await shown_at_least(app, "ann", 2)
    assert (await app.sim.say(app.http, "ann", "skip")).status_code == 200
    shown = await shown_at_least(app, "ann", 3)
    for _ in range(2):  # the first question's rows tapped again, later
        assert (await app.sim.tap(app.http, "ann", question.buttons[0])).status_code == 200
    survey = await survey_of(app, conversation_id)
    assert survey["status"] == "completed"
    assert [(a["step"], a["score"]) for a in survey["answers"]] == [("rating", 5)]
    row = {"id": "other-app:42", "title": "Other"}
    foreign = {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": row}}
    assert (await app.sim.post(app.http, app.sim.message("ann", foreign))).status_code == 200
    assert (await texts(app, "ann"))[-1] == "Other"
    assert len(app.sim.shown("ann")) == len(shown)


async def test_statuses_and_errors_for_unknown_messages_are_acknowledged_and_store_nothing(app: App) -> None:
    failed = [{"code": 131026, "title": "Message undeliverable"}]
    for status, errors in (("sent", None), ("delivered", None), ("read", None), ("failed", failed)):
        response = await app.sim.post(app.http, app.sim.status("ann", "wamid.NOT_OURS", status, errors))
        assert (response.status_code, response.text) == (200, "")
    errors = app.sim.envelope({"errors": [{"code": 130429, "title": "Rate limit hit"}]})
    assert (await app.sim.post(app.http, errors)).status_code == 200
    assert await app.conversations() == []


async def test_a_type_meta_added_later_is_stored_and_logged_once(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="csatbot.whatsapp")
    for _ in range(2):
        assert (await app.sim.post(app.http, app.sim.message("ann", kind("hologram")))).status_code == 200
    assert (await app.sim.post(app.http, app.sim.message("ann", kind("sticker")))).status_code == 200
    assert await texts(app, "ann") == ["[hologram]", "[hologram]", "[sticker]"]
    logged = [r.getMessage() for r in caplog.records if "unknown to csatbot" in r.getMessage()]
    assert logged == ["whatsapp: a message of type 'hologram', unknown to csatbot: stored as [hologram]"]


async def test_an_undocumented_type_reaches_the_log_escaped_short_and_at_most_a_hundred_times(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    """The type went into the log line as it came: a line break in it wrote a log line of its own
    (``\\n2026-12-07 ERROR ...``), 5,000 characters went in whole, and every new one was kept."""
    caplog.set_level(logging.WARNING, logger="csatbot.whatsapp")
    forged = "x\n2026-12-07 06:00:00 ERROR csatbot: " + "y" * 5000
    assert (await app.sim.post(app.http, app.sim.message("ann", {"type": forged}))).status_code == 200
    [line] = [r.getMessage() for r in caplog.records if "unknown to csatbot" in r.getMessage()]
    assert "\n" not in line and len(line) < 250, line
    assert line.startswith("whatsapp: a message of type 'x\\n2026-12-07 06:00:00 ERROR csatbot: yyy")
    for n in range(150):
        assert (await app.sim.post(app.http, app.sim.message("ann", {"type": f"kind{n}"}))).status_code == 200
    assert len(app.adapter.new_types) == 100

"""The webhook endpoint through the whole app: verification, signatures, parsing, dedupe, statuses."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from adapters.whatsapp.fake import ENVIRON
from adapters.whatsapp.signature import HEADER, sign

from .conftest import App

Load = Callable[[str], dict[str, Any]]
PATH = "/webhooks/whatsapp"
TOKEN = ENVIRON["WHATSAPP_VERIFY_TOKEN"]


async def test_subscription_check_echoes_the_challenge(app: App) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": TOKEN, "hub.challenge": "1158201444"}
    response = await app.http.get(PATH, params=params)
    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("params", "status"),
    [
        pytest.param(
            {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}, 403, id="wrong"
        ),
        pytest.param({"hub.mode": "subscribe", "hub.challenge": "1"}, 403, id="no-token"),
        pytest.param(
            {"hub.mode": "unsubscribe", "hub.verify_token": TOKEN, "hub.challenge": "1"}, 403, id="mode"
        ),
        pytest.param({"hub.verify_token": TOKEN, "hub.challenge": "1"}, 403, id="no-mode"),
        pytest.param({"hub.mode": "subscribe", "hub.verify_token": TOKEN}, 400, id="no-challenge"),
    ],
)
async def test_subscription_check_refused(app: App, params: dict[str, str], status: int) -> None:
    response = await app.http.get(PATH, params=params)
    assert response.status_code == status
    assert "1" not in response.text.split('"')  # the challenge is not echoed


async def test_a_signed_text_is_stored(app: App, payload: Load) -> None:
    response = await app.sim.post(app.http, payload("text"))
    assert (response.status_code, response.text) == (200, "")
    [conversation] = await app.conversations()
    assert conversation["channel"] == "whatsapp"
    assert conversation["customer"] == {
        "id": 1,
        "name": "Test Name",
        "user": "972987654321",
        "unreachable": None,
        "unreachable_since": None,
    }
    detail = await app.conversation(conversation["id"])
    assert [(m["direction"], m["text"]) for m in detail["transcript"]] == [("in", "Body Text")]
    assert app.adapter.counts["messages"] == 1


async def test_a_customer_known_only_by_a_business_scoped_user_id_is_stored_with_the_batch(
    app: App, payload: Load
) -> None:
    """A customer with a WhatsApp username may reach a business without a phone number: the message
    carries ``from_user_id`` (a BSUID) and no ``from``. Such a message was a 400 for its whole batch,
    redelivered and lost with every other message in it."""
    data = payload("text")
    value = data["entry"][0]["changes"][0]["value"]
    bsuid = "US.13491208655302741918"
    hidden = {k: v for k, v in value["messages"][0].items() if k != "from"}
    value["contacts"].append({"profile": {"name": "Maria"}, "user_id": bsuid})
    value["messages"].append(hidden | {"id": "wamid.BSUID1", "from_user_id": bsuid, "text": {"body": "hola"}})
    assert (await app.sim.post(app.http, data)).status_code == 200
    customers = {c["customer"]["user"]: c["customer"]["name"] for c in await app.conversations()}
    assert customers == {"972987654321": "Test Name", bsuid: "Maria"}
    del value["messages"][1]["from_user_id"]
    value["messages"][1]["id"] = "wamid.NOBODY"
    answered = await app.sim.post(app.http, data)
    assert (answered.status_code, "from or from_user_id" in answered.text) == (400, True)


async def test_a_lone_surrogate_or_nul_in_a_signed_text_is_stored_cleaned_not_refused(
    app: App, payload: Load
) -> None:
    # Refused (4xx) or failed (5xx), Meta would deliver it again for days.
    data = payload("text")
    value = data["entry"][0]["changes"][0]["value"]
    value["messages"][0]["text"]["body"] = "Body \ud800Text\x00!"
    value["contacts"][0]["profile"]["name"] = "Test\udfff Name"
    response = await app.sim.post(app.http, json.dumps(data).encode())  # \ud800 escaped, as Meta would
    assert (response.status_code, response.text) == (200, "")
    [conversation] = await app.conversations()
    assert conversation["customer"]["name"] == "Test\ufffd Name"
    detail = await app.conversation(conversation["id"])
    assert [m["text"] for m in detail["transcript"]] == ["Body \ufffdText!"]


async def test_a_text_that_shows_nothing_is_acknowledged_and_opens_no_conversation(
    app: App, payload: Load
) -> None:
    # Stored cleaned, NUL and zero-width characters made an empty message in a new conversation.
    data = payload("text")
    data["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "\x00 \u200b\ufeff\x00"
    response = await app.sim.post(app.http, data)
    assert (response.status_code, response.text) == (200, "")
    assert await app.conversations() == []


def _tamper(raw: bytes) -> bytes:
    return raw.replace(b"Body Text", b"Body Text!")


@pytest.mark.parametrize(
    ("signature", "change"),
    [
        pytest.param(None, None, id="missing"),
        pytest.param("sha256=" + "ab" * 32, None, id="invalid"),
        pytest.param("garbage", None, id="malformed-header"),
        pytest.param("wrong-secret", None, id="wrong-secret"),
        pytest.param("valid", _tamper, id="tampered-body"),
        pytest.param(
            "valid", lambda raw: json.dumps(json.loads(raw), ensure_ascii=False).encode(), id="reserialised"
        ),
    ],
)
async def test_bad_signatures_are_refused_and_nothing_is_stored(
    app: App, payload: Load, signature: str | None, change: Callable[[bytes], bytes] | None
) -> None:
    data = payload("text")
    data["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "Body Text ✓ café"
    raw = json.dumps(data).encode()  # ASCII-escaped, as Meta sends it
    if signature == "valid":
        signature = sign(raw, ENVIRON["WHATSAPP_APP_SECRET"])
    elif signature == "wrong-secret":
        signature = sign(raw, "not-the-app-secret")
    if change is not None:
        raw = change(raw)
    response = await app.sim.post(app.http, raw, signature=signature)
    assert response.status_code == 401
    assert HEADER in response.json()["detail"]
    assert await app.conversations() == []
    assert app.adapter.counts["bad_signature"] == 1


async def test_a_replayed_delivery_is_stored_once(app: App, payload: Load) -> None:
    for _ in range(3):
        assert (await app.sim.post(app.http, payload("text"))).status_code == 200
    [conversation] = await app.conversations()
    detail = await app.conversation(conversation["id"])
    assert len(detail["transcript"]) == 1
    assert (app.adapter.counts["messages"], app.adapter.counts["duplicates"]) == (1, 2)


async def test_every_message_of_a_batch_is_stored(app: App, payload: Load) -> None:
    assert (await app.sim.post(app.http, payload("multi"))).status_code == 200
    stored = {c["customer"]["user"]: c for c in await app.conversations()}
    assert {user: c["customer"]["name"] for user, c in stored.items()} == {
        "972500000001": "Ann",
        "972500000002": "Bob",
        "972500000003": "Cy",
    }
    texts = [
        [m["text"] for m in (await app.conversation(stored[user]["id"]))["transcript"]]
        for user in ("972500000001", "972500000002", "972500000003")
    ]
    assert texts == [["Hello"], ["Hi there"], ["[sticker]"]]


async def test_unsupported_messages_are_stored_as_their_kind(app: App, payload: Load) -> None:
    data = payload("image")
    del data["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["caption"]
    assert (await app.sim.post(app.http, data)).status_code == 200
    [conversation] = await app.conversations()
    detail = await app.conversation(conversation["id"])
    assert [m["text"] for m in detail["transcript"]] == ["[image]"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b'{"object":"page","entry":[]}', id="not-whatsapp"),
        pytest.param(b'{"object":"whatsapp_business_account"}', id="no-entry"),
        # Python's json raised a bare ValueError for an integer of over 4,300 digits: a 500
        pytest.param(b'{"object":"whatsapp_business_account","entry":[' + b"9" * 5000 + b"]}", id="digits"),
    ],
)
async def test_malformed_payloads_get_400_and_nothing_is_stored(app: App, body: bytes) -> None:
    response = await app.sim.post(app.http, body)
    assert response.status_code == 400
    assert "not a WhatsApp webhook payload" in response.json()["detail"]
    assert await app.conversations() == []


async def test_one_malformed_message_refuses_the_whole_batch(app: App, payload: Load) -> None:
    data = payload("multi")
    del data["entry"][1]["changes"][0]["value"]["messages"][0]["id"]
    response = await app.sim.post(app.http, data)
    assert response.status_code == 400
    assert await app.conversations() == []


async def test_a_body_over_the_limit_gets_413(app: App, payload: Load) -> None:
    data = payload("text")
    data["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "x" * 1_000_001
    response = await app.sim.post(app.http, data)
    assert response.status_code == 413
    assert await app.conversations() == []


async def test_statuses_are_not_customer_messages(app: App, payload: Load) -> None:
    data = payload("status_sent")
    assert (await app.sim.post(app.http, data)).status_code == 200
    assert (await app.sim.post(app.http, data)).status_code == 200  # WhatsApp sends duplicates
    assert await app.conversations() == []
    assert app.adapter.counts["statuses"] == 1


async def replied(app: App, user: str) -> tuple[dict[str, Any], str]:
    """``user`` writes and an agent replies: the conversation and the reply's wamid, once sent."""
    assert (await app.sim.say(app.http, user, "Hello")).status_code == 200
    [conversation] = await app.conversations()
    reply = {"text": "We are on it."}
    assert (
        await app.http.post(f"/api/conversations/{conversation['id']}/reply", json=reply)
    ).status_code == 202
    await app.sim.server.wait_for(lambda _: len(app.sim.api.accepted) == 1)
    await app.sim.server.wait_for(lambda _: app.rows("select status from outbox")[0][0] == "sent")
    return conversation, app.sim.api.accepted[0].wamid


async def test_a_failed_status_marks_the_outbox_row_failed(app: App) -> None:
    user = "15550000042"
    conversation, wamid = await replied(app, user)

    error = {"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable"}
    for status in ("sent", "failed", "failed"):  # WhatsApp may repeat a status
        data = app.sim.status(user, wamid, status, [error] if status == "failed" else None)
        assert (await app.sim.post(app.http, data)).status_code == 200
    [(status, last_error, platform_id)] = app.rows("select status, last_error, platform_id from outbox")
    assert (status, platform_id) == ("failed", wamid)
    assert "error 131026 (Message undeliverable)" in last_error
    assert "undeliverable" in last_error
    assert app.adapter.counts["failed"] == 1
    assert len((await app.conversation(conversation["id"]))["transcript"]) == 2  # nothing new stored


async def test_a_failed_status_whose_error_holds_a_lone_surrogate_is_recorded_cleaned(app: App) -> None:
    """The error text is stored on the outbox row: a lone surrogate in Meta's title raised
    UnicodeEncodeError in the status's turn on every retry, and the row never showed it failed."""
    user = "15550000043"
    _, wamid = await replied(app, user)
    error = {"code": 131026, "title": "Undeliverable \ud800\u0000here"}
    data = json.dumps(app.sim.status(user, wamid, "failed", [error])).encode()  # escaped, as Meta would
    assert (await app.sim.post(app.http, data)).status_code == 200
    [(status, last_error)] = app.rows("select status, last_error from outbox")
    assert status == "failed" and "Undeliverable \ufffdhere" in last_error
    assert app.rows("select status from inbox order by id") == [("done",), ("done",)]


async def test_a_failed_status_for_an_unknown_message_is_only_logged(
    app: App, payload: Load, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert (await app.sim.post(app.http, payload("status_failed"))).status_code == 200
    assert await app.conversations() == []
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "wamid.failed01" in logged
    assert "error 131047 (Re-engagement message)" in logged
    assert "outside the 24-hour customer-service window" in logged


async def test_line_breaks_in_a_status_or_error_reach_the_log_escaped(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    """A signed status whose wamid and error title hold line breaks and a terminal escape, and an
    account error with a forged line in its title, were logged as they came: each value started a
    line of its own ("FAKE LOG LINE") in a plain-text log."""
    forged = "\nERROR csatbot: FAKE LOG LINE\r\x1b[31m"
    failed = app.sim.status("15550000044", "wamid.X" + forged, "failed", [{"code": 131026, "title": forged}])
    account = app.sim.envelope({"errors": [{"code": 130429, "title": "rate" + forged}]})
    with caplog.at_level(logging.WARNING):
        for payload in (failed, account):
            assert (await app.sim.post(app.http, payload)).status_code == 200
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("csatbot")]
    assert len([line for line in logged if "FAKE LOG LINE" in line]) >= 3
    assert [line for line in logged if any(c in line for c in "\n\r\x1b")] == []
    assert "wamid.X\\nERROR csatbot: FAKE LOG LINE\\r\\x1b[31m" in " ".join(logged)


async def test_a_failure_while_storing_answers_500_so_whatsapp_delivers_again(
    app: App, payload: Load
) -> None:
    with app.runtime.database.writer.begin() as conn:
        conn.execute(text("ALTER TABLE inbox RENAME TO inbox_gone"))
    response = await app.sim.post(app.http, payload("text"))
    assert response.status_code == 500
    with app.runtime.database.writer.begin() as conn:
        conn.execute(text("ALTER TABLE inbox_gone RENAME TO inbox"))
    assert await app.conversations() == []
    assert (await app.sim.post(app.http, payload("text"))).status_code == 200  # the redelivery
    [conversation] = await app.conversations()
    assert [m["text"] for m in (await app.conversation(conversation["id"]))["transcript"]] == ["Body Text"]


async def test_a_turn_that_fails_after_the_ack_is_retried_from_the_inbox_and_runs_once(
    app: App, payload: Load, caplog: pytest.LogCaptureFixture
) -> None:
    with app.runtime.database.writer.begin() as conn:
        conn.execute(text("ALTER TABLE inboundreceipt RENAME TO receipts_gone"))
    with caplog.at_level(logging.WARNING, logger="csatbot.inbox"):
        assert (await app.sim.post(app.http, payload("text"))).status_code == 200  # stored: acknowledged
    assert "inbox row 1 (whatsapp wamid." in caplog.text and "failed (attempt 1)" in caplog.text
    with app.runtime.database.writer.begin() as conn:
        conn.execute(text("ALTER TABLE receipts_gone RENAME TO inboundreceipt"))
    assert (await app.sim.post(app.http, payload("text"))).status_code == 200  # a redelivery: deduped
    assert await app.conversations() == []  # the row waits out its retry delay
    app.clock.advance(timedelta(seconds=2))
    await app.runtime.inbox_settled()
    [conversation] = await app.conversations()
    assert [m["text"] for m in (await app.conversation(conversation["id"]))["transcript"]] == ["Body Text"]
    assert app.adapter.counts["messages"] == 1

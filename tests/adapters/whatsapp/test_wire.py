"""Webhook payloads (Meta's documented shapes) parsed into channel-neutral messages and statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.whatsapp.wire import Delivery, Failure, StatusUpdate, parse_webhook
from bot.errors import WireFormatError
from bot.messages import ChoicePicked, InboundMessage, Resume, Text, Unsupported

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


Load = Callable[[str], dict[str, Any]]


def parse(data: dict[str, Any]) -> Delivery:
    return parse_webhook(json.dumps(data).encode(), NOW)


@pytest.fixture
def only_message(payload: Load) -> Callable[[str], InboundMessage]:
    def parse_one(name: str) -> InboundMessage:
        delivery = parse(payload(name))
        assert delivery.statuses == () and len(delivery.messages) == 1
        return delivery.messages[0]

    return parse_one


def test_text(only_message: Callable[[str], InboundMessage]) -> None:
    assert only_message("text") == InboundMessage(
        channel="whatsapp",
        account="1122334455667",
        user="972987654321",
        platform_id="wamid.xyzxyz",
        received_at=NOW,
        payload=Text("Body Text"),
        display_name="Test Name",
        extra={"timestamp": "1697043223"},
    )


def test_button_reply(only_message: Callable[[str], InboundMessage]) -> None:
    message = only_message("button_reply")
    assert message.payload == ChoicePicked("s1", "resolved", "yes", "Yes")
    assert (message.platform_id, message.extra["reply_to"]) == ("wamid.btn001", "wamid.xyzxyz")


def test_list_reply(only_message: Callable[[str], InboundMessage]) -> None:
    assert only_message("list_reply").payload == ChoicePicked("s1", "rating", "5", "⭐⭐⭐⭐⭐")


def test_template_quick_reply(only_message: Callable[[str], InboundMessage]) -> None:
    message = only_message("template_button")
    assert message.payload == Resume("s1")  # "rate now" on the template: show the open question
    assert message.platform_id == "wamid.xsidjw"


def test_other_types_are_unsupported_and_a_caption_is_text(payload: Load) -> None:
    data = payload("image")
    image = data["entry"][0]["changes"][0]["value"]["messages"][0]["image"]
    assert parse(data).messages[0].payload == Text("my receipt", attached="image")
    image["caption"] = " "
    assert parse(data).messages[0].payload == Unsupported("image")
    for odd in (None, 42, ["x"]):
        image["caption"] = odd
        assert parse(data).messages[0].payload == Unsupported("image")
    data["entry"][0]["changes"][0]["value"]["messages"][0]["image"] = "not an object"
    assert parse(data).messages[0].payload == Unsupported("image")


@pytest.mark.parametrize(
    "content",
    [
        {"reaction": {"message_id": "wamid.x", "emoji": "👍"}},
        {"reaction": {"message_id": "wamid.x"}},
        {"system": {"body": "Ann changed from 1 to 2", "type": "user_changed_number"}},
        {"request_welcome": {}},
    ],
)
def test_reactions_and_system_notices_are_no_messages(payload: Load, content: dict[str, Any]) -> None:
    data = payload("text")
    message = data["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["text"]
    message |= {"type": next(iter(content))} | content
    assert parse(data) == Delivery()


def test_a_tap_on_a_foreign_button_reads_as_its_title(payload: Load) -> None:
    data = payload("button_reply")
    message = data["entry"][0]["changes"][0]["value"]["messages"][0]
    message["interactive"]["button_reply"] = {"id": "callback_data", "title": "title"}
    assert parse(data).messages[0].payload == Text("title")


def test_an_unknown_interactive_reply_is_unsupported(payload: Load) -> None:
    data = payload("button_reply")
    message = data["entry"][0]["changes"][0]["value"]["messages"][0]
    message["interactive"] = {"type": "nfm_reply", "nfm_reply": {"response_json": "{}", "body": "Sent"}}
    assert parse(data).messages[0].payload == Unsupported("interactive.nfm_reply")


def test_statuses(payload: Load) -> None:
    assert parse(payload("status_sent")) == Delivery(
        statuses=(StatusUpdate("1122334455667", "wamid.xyzxyz", "sent", "972987654321"),)
    )
    [failed] = parse(payload("status_failed")).statuses
    assert failed == StatusUpdate(
        "1122334455667",
        "wamid.failed01",
        "failed",
        "972987654321",
        (Failure(131047, "Re-engagement message"),),
    )


def test_a_status_with_a_nul_or_a_lone_surrogate_comes_out_storable(payload: Load) -> None:
    """Its id is matched and its error stored: the database refused them (on every retry)."""
    data = payload("status_failed")
    [status] = data["entry"][0]["changes"][0]["value"]["statuses"]
    status.update(id="wamid.\x00f", recipient_id="97\ud8002", biz_opaque_callback_data="outbox:\x007")
    status["errors"] = [{"code": 131047, "title": "Re-\udfffengagement\x00"}]
    [failed] = parse(data).statuses
    assert failed == StatusUpdate(
        "1122334455667",
        "wamid.f",
        "failed",
        "97\ufffd2",
        (Failure(131047, "Re-\ufffdengagement"),),
        "outbox:7",
    )


def test_every_entry_change_message_and_status(payload: Load) -> None:
    delivery = parse(payload("multi"))
    assert [(m.account, m.user, m.platform_id, m.display_name, m.payload) for m in delivery.messages] == [
        ("1122334455667", "972500000001", "wamid.multi01", "Ann", Text("Hello")),
        ("1122334455667", "972500000002", "wamid.multi02", "Bob", Text("Hi there")),
        ("9988776655443", "972500000003", "wamid.multi03", "Cy", Unsupported("sticker")),
    ]
    assert delivery.statuses == (StatusUpdate("9988776655443", "wamid.out01", "delivered", "972500000003"),)


def test_webhook_level_errors(payload: Load) -> None:
    data = payload("status_sent")
    value = data["entry"][0]["changes"][0]["value"]
    del value["statuses"]
    value["errors"] = [{"code": 130429, "title": "Rate limit hit"}]
    assert parse(data).errors == (Failure(130429, "Rate limit hit"),)


def test_ids_and_times_written_as_json_numbers_are_read_as_text(payload: Load) -> None:
    """Meta writes ``from``, ``timestamp`` and ``wa_id`` as strings; a relay that writes them as
    numbers made the whole batch a 400, redelivered and lost. They are only read as text."""
    data = payload("text")
    value = data["entry"][0]["changes"][0]["value"]
    value["messages"][0] |= {"from": 972987654321, "timestamp": 1697043223}
    value["contacts"][0]["wa_id"] = 972987654321
    [message] = parse(data).messages
    assert (message.user, message.extra["timestamp"], message.display_name) == (
        "972987654321",
        "1697043223",
        "Test Name",
    )
    status = payload("status_sent")
    status["entry"][0]["changes"][0]["value"]["statuses"][0]["timestamp"] = 1698266945
    assert parse(status).statuses[0].status == "sent"


def test_newer_optional_fields_are_accepted(payload: Load) -> None:
    data = payload("text")
    value = data["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["user_id"] = "US.13491208655302741918"
    value["messages"][0]["from_user_id"] = "US.13491208655302741918"
    assert parse(data).messages[0].payload == Text("Body Text")


def test_a_status_names_its_recipient_by_business_scoped_user_id_when_it_has_no_phone_number(
    payload: Load,
) -> None:
    """A customer known only by a BSUID: the status carries ``recipient_user_id`` (newer payloads)
    and no ``recipient_id``, and the update named nobody."""
    data = payload("status_sent")
    [status] = data["entry"][0]["changes"][0]["value"]["statuses"]
    del status["recipient_id"]
    status["recipient_user_id"] = "US.13491208655302741918"
    assert parse(data).statuses[0].recipient == "US.13491208655302741918"
    status["recipient_id"] = "972987654321"  # both: the phone number, as before
    assert parse(data).statuses[0].recipient == "972987654321"
    del status["recipient_id"], status["recipient_user_id"]  # neither: still optional
    assert parse(data).statuses[0].recipient == ""


def _edit(data: dict[str, Any], path: str, value: Any) -> bytes:
    """``data`` with the item at ``path`` (dotted; list indexes as numbers) replaced, or deleted when
    ``value`` is ``...``; serialised."""
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    where: Any = int(last) if last.isdigit() else last
    if value is ...:
        del node[where]
    else:
        node[where] = value
    return json.dumps(data).encode()


MESSAGE = "entry.0.changes.0.value.messages.0"
VALUE = "entry.0.changes.0.value"
ERROR = f"{VALUE}.statuses.0.errors.0"


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        pytest.param(b"", "not JSON", id="empty"),
        pytest.param(b"{not json", "not JSON", id="not-json"),
        pytest.param(b"[]", "Input should be", id="a-list"),
    ],
)
def test_malformed_bodies_are_refused(raw: bytes, complaint: str) -> None:
    with pytest.raises(WireFormatError, match="not a WhatsApp webhook payload") as caught:
        parse_webhook(raw, NOW)
    assert complaint in str(caught.value)


@pytest.mark.parametrize(
    ("name", "path", "value", "complaint"),
    [
        pytest.param("text", "object", "page", "object", id="wrong-object"),
        pytest.param("text", "entry", ..., "entry", id="no-entry"),
        pytest.param("text", "entry.0.changes", ..., "changes", id="no-changes"),
        pytest.param("text", f"{VALUE}.metadata", ..., "metadata", id="no-metadata"),
        pytest.param("text", f"{VALUE}.messaging_product", "sms", "messaging_product", id="not-whatsapp"),
        pytest.param("text", f"{MESSAGE}.from", ..., "from", id="no-from"),
        pytest.param("text", f"{MESSAGE}.id", ..., "id", id="no-id"),
        pytest.param("text", f"{MESSAGE}.id", "", "id", id="empty-id"),
        pytest.param("text", f"{MESSAGE}.text", ..., "text", id="text-without-text"),
        pytest.param("text", f"{MESSAGE}.text.body", 5, "body", id="body-not-string"),
        pytest.param("button_reply", f"{MESSAGE}.interactive.button_reply", ..., "reply", id="no-reply"),
        pytest.param("list_reply", f"{MESSAGE}.interactive.list_reply.id", ..., "id", id="reply-without-id"),
        pytest.param("template_button", f"{MESSAGE}.button", ..., "button", id="no-button"),
        pytest.param("status_failed", f"{ERROR}.code", "x", "code", id="error-code-not-int"),
        pytest.param("status_failed", f"{VALUE}.statuses.0.id", ..., "id", id="status-without-id"),
    ],
)
def test_malformed_payloads_are_refused(
    payload: Load, name: str, path: str, value: Any, complaint: str
) -> None:
    with pytest.raises(WireFormatError, match="not a WhatsApp webhook payload") as caught:
        parse_webhook(_edit(payload(name), path, value), NOW)
    assert complaint in str(caught.value)

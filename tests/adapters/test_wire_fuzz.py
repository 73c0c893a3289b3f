"""Property tests of every channel's payload parser: whatever a (signed) webhook carries, parsing
either gives messages a database can store or raises WireFormatError, never anything else.

Signatures are checked before parsing, so only the platform (or someone holding its secret) can
reach these; they must still never turn a strange payload into a 500 that the platform redelivers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.telegram.wire import decode_update, parse_update
from adapters.wechat.wire import parse_message
from adapters.whatsapp.wire import parse_webhook
from bot.errors import WireFormatError
from bot.storable import ACCOUNT_CHARS, ID_CHARS, storable_message

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))  # fmt: skip
texts = st.text(
    st.characters(codec="utf-8") | st.sampled_from(["\x00", "\ud800", "😀", "<", "&"]), max_size=40
)
leaves = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | texts
values = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=4)
)

# Shapes close to the real ones, so the fuzzing gets past the first key.
telegram = st.fixed_dictionaries(
    {"update_id": st.integers(), "message": st.fixed_dictionaries(
        {"message_id": st.integers(), "date": st.integers(), "text": values,
         "chat": st.fixed_dictionaries({"id": st.integers(), "type": st.sampled_from(["private", "group"])}),
         "from": st.fixed_dictionaries({"id": st.integers(), "is_bot": st.booleans(), "first_name": values})},
        optional={"entities": values})},
)  # fmt: skip
whatsapp = st.fixed_dictionaries(
    {"object": st.just("whatsapp_business_account"), "entry": st.lists(st.fixed_dictionaries(
        {"id": values, "changes": st.lists(st.fixed_dictionaries(
            {"field": st.sampled_from(["messages", "other"]), "value": st.fixed_dictionaries(
                {"metadata": st.fixed_dictionaries({"phone_number_id": values}),
                 "messages": st.lists(st.fixed_dictionaries(
                     {"from": values, "id": values, "type": st.sampled_from(["text", "interactive", "image"]),
                      "text": st.fixed_dictionaries({"body": values})}), max_size=2)})}), max_size=2)}),
        max_size=2)},
)  # fmt: skip


def storable(message: Any) -> None:
    """What the service would store: every string encodable once cleaned, and the ids within their
    columns (PostgreSQL refuses longer ones)."""
    cleaned = storable_message(message)
    assert len(cleaned.account) <= ACCOUNT_CHARS
    assert len(cleaned.user) <= ID_CHARS and len(cleaned.platform_id) <= ID_CHARS
    for value in (
        cleaned.user,
        cleaned.account,
        cleaned.platform_id,
        cleaned.display_name,
        str(cleaned.payload),
    ):
        value.encode("utf-8")


@FUZZ
@given(st.one_of(telegram, values))
def test_telegram_updates(data: Any) -> None:
    try:
        raw = json.dumps(data).encode("utf-8", "surrogatepass")
        incoming = parse_update(decode_update(raw), "bot1", NOW)
    except WireFormatError:
        return
    if incoming is not None and incoming.message is not None:
        storable(incoming.message)


@FUZZ
@given(st.one_of(whatsapp, values))
def test_whatsapp_webhooks(data: Any) -> None:
    try:
        delivery = parse_webhook(json.dumps(data).encode("utf-8", "surrogatepass"), NOW)
    except WireFormatError:
        return
    for message in delivery.messages:
        storable(message)


@FUZZ
@given(st.fixed_dictionaries(
    {"ToUserName": texts, "FromUserName": texts, "CreateTime": texts | st.integers().map(str),
     "MsgType": st.sampled_from(["text", "event", "image", "voice", "location", ""]) | texts,
     "Content": texts, "MsgId": texts, "Event": texts, "EventKey": texts}
), st.booleans())  # fmt: skip
def test_wechat_and_wecom_callbacks(fields: dict[str, str], enterprise: bool) -> None:
    clean = {k: v.replace("\x00", "").encode("utf-8", "ignore").decode() for k, v in fields.items()}
    xml = (
        "<xml>"
        + "".join(f"<{k}><![CDATA[{v.replace(']]>', '')}]]></{k}>" for k, v in clean.items())
        + "</xml>"
    )
    try:
        message = parse_message(
            xml, channel="wecom" if enterprise else "wechat", enterprise=enterprise, received_at=NOW
        )
    except WireFormatError:
        return
    if message is not None:
        storable(message)

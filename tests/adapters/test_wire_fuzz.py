"""Property tests of every channel's payload parser: whatever a (signed) webhook carries, parsing
either gives messages a database can store or raises WireFormatError, never anything else.

Signatures are checked before parsing, so only the platform (or someone holding its secret) can
reach these; they must still never turn a strange payload into a 500 that the platform redelivers.
Two WeChat steps come before that check or decide it: the safe-mode envelope (anyone can post one)
and the decryption of a frame whose length, padding or app id may lie.
"""

from __future__ import annotations

import base64
import json
import struct
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher as CipherSuite
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import CBC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.telegram.wire import decode_update, parse_update
from adapters.wechat.crypto import Cipher
from adapters.wechat.verify import Verifier
from adapters.wechat.wire import parse_message
from adapters.whatsapp.wire import parse_webhook
from bot.errors import SignatureError, WireFormatError
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


KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
tags = st.sampled_from(["xml", "Encrypt", "ToUserName", "AgentID", "a", "!DOCTYPE xml", "?xml version='1.0'"])
envelopes = st.lists(
    st.tuples(st.sampled_from(["<", "</", ""]), tags, st.sampled_from([">", "/>", " a='1'>"]), texts),
    max_size=30,
).map(lambda parts: "".join(f"{open_}{tag}{close}{text}" for open_, tag, close, text in parts))


@FUZZ
@given(envelopes | texts, st.booleans())
def test_a_safe_mode_envelope_read_before_its_signature_is_checked(body: str, enterprise: bool) -> None:
    """Anyone can post one: whatever it holds, the answer is a refusal (the signature cannot match)."""
    verifier = Verifier(
        "token", Cipher("token", KEY, "wx1", enterprise=enterprise), encrypted_echo=enterprise
    )
    query = {"msg_signature": "0" * 40, "timestamp": str(int(NOW.timestamp())), "nonce": "n"}
    with pytest.raises((SignatureError, WireFormatError)):
        verifier.open(query, body.encode("utf-8", "surrogatepass"), NOW)


@FUZZ
@given(st.binary(min_size=16, max_size=16), st.integers(-(2**31), 2**32 - 1), st.binary(max_size=80),
       st.sampled_from(["wx1", "wx2", ""]), st.integers(0, 255), st.booleans())  # fmt: skip
def test_decrypting_a_frame_whose_fields_lie(
    head: bytes, length: int, inner: bytes, receiver: str, pad: int, enterprise: bool
) -> None:
    """A decrypted frame is 16 random bytes, a length, the XML and the app id, padded: a length that
    lies, a wrong padding byte or another app id is a SignatureError, never another exception."""
    cipher = Cipher("token", KEY, "wx1", enterprise=enterprise)
    frame = head + struct.pack(">i" if length < 0 else ">I", length) + inner + receiver.encode()
    frame += bytes([pad]) * (32 - len(frame) % 32)
    aes = AES(base64.b64decode(KEY + "="))
    encryptor = CipherSuite(aes, CBC(aes.key[:16])).encryptor()
    encrypted = base64.b64encode(encryptor.update(frame) + encryptor.finalize()).decode()
    try:
        text = cipher.decrypt(encrypted)
    except SignatureError:
        return
    text.encode("utf-8")

"""Signatures, AES and replay checks against the official WeChat and WeCom test vectors (channels.md 3.3)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from adapters.wechat.crypto import Cipher, aes_key, signature, signature_matches
from adapters.wechat.fake import WeChatSimulator, WeComSimulator, xml
from adapters.wechat.verify import MissingSignature, ReplayGuard, Verifier
from adapters.wechat.wire import parse_message
from bot.errors import SignatureError, WireFormatError
from bot.messages import Text
from bot.ports import FrozenClock

from .conftest import MakeApp

# Tencent's WXBizMsgCrypt sample (Official Account).
OA_TOKEN = "spamtest"
OA_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OA_APP_ID = "wx2c2769f8efd9abc2"
OA_TIMESTAMP = "1409735669"
OA_NONCE = "1320562132"
OA_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
OA_SIGNATURE = "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
OA_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2Ld"
    "JF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux"
    "5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJp"
    "XgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzp"
    "u9GhglF2PE="
)
OA_BODY = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]>"
    "</FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]>"
    f"</Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[{OA_ENCRYPT}]]></Encrypt></xml>"
)

# wechatpy's tests/test_crypto.py (WeCom).
WECOM_TOKEN = "123456"
WECOM_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
WECOM_CORP_ID = "wx49f0ab532d5d035a"
WECOM_ECHO = {
    "msg_signature": "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
    "timestamp": "1411443780",
    "nonce": "437374425",
    "echostr": "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==",
}
WECOM_QUERY = {
    "msg_signature": "74d92dfeb87ba7c714f89d98870ae5eb62dff26d",
    "timestamp": "1411525903",
    "nonce": "461056294",
}
WECOM_ENCRYPT = (
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGym"
    "zxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4h"
    "IiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYE"
    "vccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0="
)


def at(timestamp: str) -> datetime:
    return datetime.fromtimestamp(int(timestamp), UTC)


def oa_verifier() -> Verifier:
    return Verifier(OA_TOKEN, Cipher(OA_TOKEN, OA_KEY, OA_APP_ID, enterprise=False), encrypted_echo=False)


def wecom_verifier() -> Verifier:
    return Verifier(
        WECOM_TOKEN, Cipher(WECOM_TOKEN, WECOM_KEY, WECOM_CORP_ID, enterprise=True), encrypted_echo=True
    )


OA_QUERY = {
    "signature": OA_SIGNATURE,
    "timestamp": OA_TIMESTAMP,
    "nonce": OA_NONCE,
    "encrypt_type": "aes",
    "msg_signature": OA_MSG_SIGNATURE,
}


def test_the_official_account_vector_signs_and_decrypts() -> None:
    assert signature(OA_TOKEN, OA_TIMESTAMP, OA_NONCE) == OA_SIGNATURE
    assert signature(OA_TOKEN, OA_TIMESTAMP, OA_NONCE, OA_ENCRYPT) == OA_MSG_SIGNATURE
    assert signature_matches(OA_MSG_SIGNATURE.upper(), OA_TOKEN, OA_TIMESTAMP, OA_NONCE, OA_ENCRYPT)

    plain = oa_verifier().open(OA_QUERY, OA_BODY.encode(), at(OA_TIMESTAMP))
    msg = parse_message(plain, channel="wechat", enterprise=False, received_at=at(OA_TIMESTAMP))
    assert msg is not None
    assert (msg.account, msg.user, msg.platform_id, msg.payload) == (
        "gh_10f6c3c3ac5a",
        "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
        "6054768590064713728",
        Text("abcdteT"),
    )


def test_the_official_account_vector_in_plain_mode_and_its_url_check() -> None:
    plain = Verifier(OA_TOKEN, None, encrypted_echo=False)
    query = {"signature": OA_SIGNATURE, "timestamp": OA_TIMESTAMP, "nonce": OA_NONCE}
    assert plain.echo(query | {"echostr": "hello-1"}, at(OA_TIMESTAMP)) == "hello-1"
    assert oa_verifier().echo(query | {"echostr": "hello-2"}, at(OA_TIMESTAMP)) == "hello-2"  # safe mode too
    with pytest.raises(SignatureError):
        plain.echo(query | {"echostr": "x", "signature": OA_MSG_SIGNATURE}, at(OA_TIMESTAMP))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param(
            {"msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fb"}, SignatureError, id="tampered"
        ),
        pytest.param({"msg_signature": ""}, MissingSignature, id="missing"),
        pytest.param({"nonce": "1320562133"}, SignatureError, id="other-nonce"),
        pytest.param({"timestamp": "1409735670"}, SignatureError, id="other-timestamp"),
        # A lone surrogate (a caller that decodes with surrogateescape) was a UnicodeEncodeError
        pytest.param({"msg_signature": "\udcff" * 40}, SignatureError, id="surrogate-signature"),
        pytest.param({"nonce": "1320562132\udcff"}, SignatureError, id="surrogate-nonce"),
    ],
)
def test_a_tampered_official_account_vector_is_refused(
    change: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        oa_verifier().open(OA_QUERY | change, OA_BODY.encode(), at(OA_TIMESTAMP))


def test_a_lone_surrogate_matches_no_signature_and_raises_nothing() -> None:
    assert not signature_matches("\ud800", OA_TOKEN, OA_TIMESTAMP, OA_NONCE)
    assert not signature_matches(OA_SIGNATURE, OA_TOKEN, OA_TIMESTAMP, OA_NONCE + "\ud800")
    assert signature_matches(OA_SIGNATURE.upper(), OA_TOKEN, OA_TIMESTAMP, OA_NONCE)


def test_the_official_account_vector_is_refused_with_another_token_key_or_app_id() -> None:
    other_key = "B" * 43
    for verifier in (
        Verifier("spamtest2", Cipher("spamtest2", OA_KEY, OA_APP_ID, enterprise=False), encrypted_echo=False),
        Verifier(OA_TOKEN, Cipher(OA_TOKEN, other_key, OA_APP_ID, enterprise=False), encrypted_echo=False),
        Verifier(
            OA_TOKEN, Cipher(OA_TOKEN, OA_KEY, "wx0000000000000000", enterprise=False), encrypted_echo=False
        ),
    ):
        with pytest.raises(SignatureError):
            verifier.open(OA_QUERY, OA_BODY.encode(), at(OA_TIMESTAMP))


def test_the_wecom_vectors_check_the_url_and_decrypt_a_message() -> None:
    assert wecom_verifier().echo(WECOM_ECHO, at(WECOM_ECHO["timestamp"])) == "5927782489442352469"
    with pytest.raises(SignatureError):
        wecom_verifier().echo(WECOM_ECHO | {"nonce": "437374426"}, at(WECOM_ECHO["timestamp"]))

    body = xml(ToUserName=WECOM_CORP_ID, Encrypt=WECOM_ENCRYPT, AgentID=1).encode()
    now = at(WECOM_QUERY["timestamp"])
    plain = wecom_verifier().open(WECOM_QUERY, body, now)
    msg = parse_message(plain, channel="wecom", enterprise=True, received_at=now)
    assert msg is not None
    assert (msg.account, msg.user, msg.platform_id, msg.payload) == (
        "wx49f0ab532d5d035a:1",
        "messense",
        "4363689963896700987",
        Text("test"),
    )
    with pytest.raises(SignatureError):
        wecom_verifier().open(WECOM_QUERY | {"msg_signature": "0" * 40}, body, now)
    with pytest.raises(MissingSignature):
        wecom_verifier().open({"timestamp": WECOM_QUERY["timestamp"], "nonce": "1"}, body, now)


def test_encryption_round_trips_and_is_randomised() -> None:
    cipher = Cipher(WECOM_TOKEN, WECOM_KEY, WECOM_CORP_ID, enterprise=True)
    first, second = cipher.encrypt("<xml>好</xml>"), cipher.encrypt("<xml>好</xml>")
    assert first != second
    assert cipher.decrypt(first) == cipher.decrypt(second) == "<xml>好</xml>"
    with pytest.raises(SignatureError):
        Cipher(WECOM_TOKEN, WECOM_KEY, "ww-someone-else", enterprise=True).decrypt(first)
    with pytest.raises(SignatureError):
        cipher.decrypt("not base64 ciphertext!")


@pytest.mark.parametrize("key", ["short", "a" * 44, "!" * 43])
def test_an_encoding_aes_key_must_be_43_base64_characters(key: str) -> None:
    with pytest.raises(ValueError, match="EncodingAESKey"):
        aes_key(key)


def test_the_replay_guard_refuses_stale_future_and_repeated_requests() -> None:
    guard = ReplayGuard()
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    stamp = str(int(now.timestamp()))
    guard.check_fresh(str(int(now.timestamp()) - 299), now)
    guard.check_fresh(str(int(now.timestamp()) + 299), now)
    for bad in (str(int(now.timestamp()) - 301), str(int(now.timestamp()) + 301), "12a", "-5", ""):
        with pytest.raises(SignatureError):
            guard.check_fresh(bad, now)
    guard.remember((stamp, "1", "sig"), now, b"<xml>a</xml>")
    guard.remember((stamp, "2", "sig"), now, b"<xml>a</xml>")
    guard.remember((stamp, "1", "sig"), now + timedelta(minutes=1), b"<xml>a</xml>")  # WeChat's retry
    with pytest.raises(SignatureError, match="replay"):
        guard.remember((stamp, "1", "sig"), now + timedelta(minutes=4), b"<xml>b</xml>")
    guard.remember((stamp, "1", "sig"), now + timedelta(minutes=6), b"<xml>b</xml>")  # window over


def test_the_replay_guard_keeps_a_bounded_memory() -> None:
    guard = ReplayGuard(keep=3)
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    for n in range(10):
        guard.remember(("t", str(n), "s"), now)
    assert len(guard._seen) <= 3


def test_a_safe_mode_body_without_encrypt_is_malformed() -> None:
    stamp = "1700000000"
    query = {"msg_signature": "x", "timestamp": stamp, "nonce": "1"}
    for body in (b"<xml><ToUserName>a</ToUserName></xml>", b"not xml", b"\xff\xfe"):
        with pytest.raises(WireFormatError):
            oa_verifier().open(query, body, at(stamp))


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_a_retry_is_let_in_again_and_another_body_under_the_same_signature_is_not(mode: str) -> None:
    """WeChat retries a callback it got no answer to within 5 s with the very same request: taken
    again (the inbox keeps one copy), so WeChat stops retrying instead of telling the customer the
    account cannot serve them. Plain mode signs no body: the same signature with another body is a
    replay."""
    verifier = Verifier(OA_TOKEN, None, encrypted_echo=False) if mode == "plain" else oa_verifier()
    query = OA_QUERY if mode == "safe" else {k: OA_QUERY[k] for k in ("signature", "timestamp", "nonce")}
    now = at(OA_TIMESTAMP)
    first = verifier.open(query, OA_BODY.encode(), now)
    assert verifier.open(query, OA_BODY.encode(), now + timedelta(seconds=5)) == first
    if mode == "plain":
        with pytest.raises(SignatureError, match="replay"):
            verifier.open(query, OA_BODY.replace("<xml>", "<xml><A>1</A>", 1).encode(), now)


UNSIGNED_ENVELOPES = {
    "nested": "<xml>" + "<a>" * 100_000 + "</a>" * 100_000 + "</xml>",
    "wide": "<xml>" + "<a/>" * 200_000 + "</xml>",
    "many-encrypt": "<xml>" + "<Encrypt>x</Encrypt>" * 40_000 + "</xml>",
    "dtd": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "abc">]><xml><Encrypt>&e;</Encrypt></xml>',
}


@pytest.mark.parametrize("body", UNSIGNED_ENVELOPES.values(), ids=UNSIGNED_ENVELOPES.keys())
def test_an_unsigned_envelope_is_read_only_as_far_as_an_envelope_goes(body: str) -> None:
    """The envelope is read before its signature can be checked, so by anyone: a megabyte of nested
    or sibling tags cost about half a second of CPU per request before the read was bounded."""
    stamp = "1700000000"
    query = {"msg_signature": "x", "timestamp": stamp, "nonce": "1"}
    started = time.process_time()
    with pytest.raises(WireFormatError, match="safe mode: the body"):
        oa_verifier().open(query, body.encode(), at(stamp))
    assert time.process_time() - started < 0.1


def test_a_compatibility_mode_envelope_with_markup_in_the_text_is_read() -> None:
    """Compatibility mode sends the plain fields beside ``Encrypt``: a customer's ``<`` in them is
    text, not a reason to refuse the message."""
    body = OA_BODY.replace("abcdteT", "1 < 2 <<<< " * 100)
    plain = oa_verifier().open(OA_QUERY, body.encode(), at(OA_TIMESTAMP))
    assert "<Content><![CDATA[abcdteT]]></Content>" in plain


def test_a_tampered_encrypted_body_is_refused() -> None:
    tampered = OA_BODY.replace(OA_ENCRYPT, "i" + OA_ENCRYPT[1:])
    with pytest.raises(SignatureError, match="signature mismatch"):
        oa_verifier().open(OA_QUERY, tampered.encode(), at(OA_TIMESTAMP))


class VectorAccount(WeChatSimulator):
    """The Official Account of Tencent's sample."""

    app_id, token, aes_key, account = OA_APP_ID, OA_TOKEN, OA_KEY, "gh_10f6c3c3ac5a"


class VectorWeCom(WeComSimulator):
    """The WeCom app of wechatpy's tests."""

    account, token, aes_key, agent_id = WECOM_CORP_ID, WECOM_TOKEN, WECOM_KEY, 1


async def test_the_official_vectors_through_the_webhooks(make_app: MakeApp) -> None:
    oa = await make_app(VectorAccount(safe_mode=True), clock=FrozenClock(at(OA_TIMESTAMP)))
    tampered = OA_QUERY | {"msg_signature": OA_MSG_SIGNATURE[:-1] + "b"}
    assert (await oa.http.post(oa.sim.path, params=tampered, content=OA_BODY)).status_code == 403
    assert await oa.conversations() == []
    response = await oa.http.post(oa.sim.path, params=OA_QUERY, content=OA_BODY)
    assert (response.status_code, response.text) == (200, "success")
    detail = await oa.conversation("oyORnuP8q7ou2gfYjqLzSIWZf0rs")
    assert [m["text"] for m in detail["transcript"]] == ["abcdteT"]
    url_check = {"signature": OA_SIGNATURE, "timestamp": OA_TIMESTAMP, "nonce": OA_NONCE, "echostr": "e-1"}
    assert (await oa.http.get(oa.sim.path, params=url_check)).text == "e-1"

    clock = FrozenClock(at(WECOM_ECHO["timestamp"]))
    wecom = await make_app(VectorWeCom(), clock=clock)
    response = await wecom.http.get(wecom.sim.path, params=WECOM_ECHO)
    assert (response.status_code, response.text) == (200, "5927782489442352469")
    clock.at = at(WECOM_QUERY["timestamp"])
    body = xml(ToUserName=WECOM_CORP_ID, Encrypt=WECOM_ENCRYPT, AgentID=1)
    response = await wecom.http.post(wecom.sim.path, params=WECOM_QUERY, content=body)
    assert (response.status_code, response.text) == (200, "")
    detail = await wecom.conversation("messense")
    assert [m["text"] for m in detail["transcript"]] == ["test"]

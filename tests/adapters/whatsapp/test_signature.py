"""X-Hub-Signature-256: HMAC-SHA256 of the raw body with the app secret, compared in constant time."""

from __future__ import annotations

import json

import pytest

from adapters.whatsapp.signature import HEADER, sign, verify_signature
from bot.errors import SignatureError

BODY = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()


def test_known_vector() -> None:
    # HMAC-SHA256(key "secret", message "test"), from channels.md 4.1.
    assert (
        sign(b"test", "secret") == "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
    )


def test_valid_signature_passes() -> None:
    verify_signature(BODY, sign(BODY, "app-secret"), "app-secret")  # raises SignatureError if not


def test_the_digest_in_upper_case_hex_passes() -> None:
    """The same HMAC spelt in upper-case hex (a proxy or a relay that re-signs) was a 401, and the
    platform redelivered a genuine update for days; WeChat's signatures are read in either case too."""
    digest = sign(BODY, "app-secret").removeprefix("sha256=")
    verify_signature(BODY, "sha256=" + digest.upper(), "app-secret")
    with pytest.raises(SignatureError, match="wrong"):
        verify_signature(BODY, "sha256=" + sign(BODY, "other").removeprefix("sha256=").upper(), "app-secret")


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("sha256=" + "0" * 64, id="invalid"),
        pytest.param(sign(BODY, "other-secret"), id="wrong-secret"),
        pytest.param(sign(BODY + b" ", "app-secret"), id="tampered-body"),
        pytest.param(sign(BODY, "app-secret").replace("sha256=", "sha1="), id="wrong-algorithm"),
        pytest.param(sign(BODY, "app-secret").removeprefix("sha256="), id="no-prefix"),
        pytest.param("sha256=é" + "0" * 63, id="not-ascii"),
    ],
)
def test_bad_signatures_fail(header: str | None) -> None:
    with pytest.raises(SignatureError, match=HEADER):
        verify_signature(BODY, header, "app-secret")


def test_reserialised_body_fails() -> None:
    """Meta signs its own bytes (non-ASCII escaped); re-encoding the JSON changes them."""
    payload = {"text": {"body": "Café 👍"}}
    raw = json.dumps(payload).encode()
    with pytest.raises(SignatureError, match="wrong"):
        verify_signature(json.dumps(payload, ensure_ascii=False).encode(), sign(raw, "s"), "s")

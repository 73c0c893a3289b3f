"""Strict JSON: what Python's json lets through but nothing downstream can use is refused."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.strict_json import MAX_DEPTH, JSONRejected, json_safe, loads, read_object


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b'{"a": Infinity}', "Infinity is not valid JSON"),
        (b"[-Infinity]", "-Infinity is not valid JSON"),
        (b'{"a": 1e999}', "numbers must be finite"),
        (b"[" * 1000 + b"]" * 1000, f"nested more than {MAX_DEPTH} levels deep"),
        (b"[" * 100_000 + b"]" * 100_000, f"nested more than {MAX_DEPTH} levels deep"),
        (b'{"text": "\\ud800"}', "lone surrogates"),
        (b'{"\\udfff": 1}', "lone surrogates"),
        (b'{"text": "a\\u0000b"}', "NUL characters"),
        (b'{"text": "\xff"}', "not JSON"),
        (b'{"text": ', "not JSON"),
        (b'{"n": ' + b"9" * 4301 + b"}", "a number has more than 4,300 digits"),
        (b'{"text": "hi", "text": "=cmd"}', "the key 'text' is given twice"),
        (b'{"a": {"b": 1, "b": 1}}', "the key 'b' is given twice"),
        # Hunt 17: Python's json reads these (it guesses the encoding); RFC 8259 says UTF-8.
        ('{"text": "hi"}'.encode("utf-16"), "JSON must be UTF-8 .RFC 8259., this body is UTF-16$"),
        ('{"text": "hi"}'.encode("utf-16-le"), "this body is UTF-16-LE"),
        ('{"text": "hi"}'.encode("utf-32"), "this body is UTF-32"),
        ('{"text": "hi"}'.encode("utf-32-be"), "this body is UTF-32-BE"),
    ],
)
def test_refused(raw: bytes, why: str) -> None:
    with pytest.raises(JSONRejected, match=why.replace("(", r"\(")):
        loads(raw)


def test_a_utf8_byte_order_mark_is_let_through_as_rfc_8259_allows() -> None:
    assert loads(b'\xef\xbb\xbf{"text": "hi"}') == {"text": "hi"}
    assert loads('{"text": "caf\u00e9"}'.encode()) == {"text": "caf\u00e9"}


def test_webhooks_keep_odd_text_for_cleaning_but_not_odd_numbers_or_depth() -> None:
    assert loads(b'{"text": "a\\u0000\\ud800"}', strict_text=False) == {"text": "a\x00\ud800"}
    assert loads(b'{"a": 1, "a": 2}', strict_text=False) == {"a": 2}  # refused, a platform resends it
    with pytest.raises(JSONRejected):
        loads(b"[NaN]", strict_text=False)
    with pytest.raises(JSONRejected):
        loads(b"[" * 65 + b"]" * 65, strict_text=False)


def test_accepted_as_json_has_it() -> None:
    assert loads(b"[" * 63 + b"]" * 63) == json.loads(b"[" * 63 + b"]" * 63)
    assert loads('{"text": "\\ud83d\\ude00 好", "n": -1.5e10}') == {"text": "😀 好", "n": -1.5e10}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in strings(v))]
    return [s for v in value for s in strings(v)] if isinstance(value, list) else []


@given(json_values)
def test_any_storable_json_round_trips(value: Any) -> None:
    raw = json.dumps(value)
    unstorable = [s for s in strings(value) if "\x00" in s or any(0xD800 <= ord(c) <= 0xDFFF for c in s)]
    if not unstorable:
        assert loads(raw) == json.loads(raw)
    else:
        with pytest.raises(JSONRejected):
            loads(raw)


def test_json_safe_makes_any_echo_encodable() -> None:
    echoed = json_safe({"input": [math.nan, math.inf, "\ud800x", ("a", 1)], "\udfff": None})
    assert json.loads(json.dumps(echoed, allow_nan=False).encode("utf-8")) == {
        "input": ["nan", "inf", "\\ud800x", ["a", 1]],
        "\\udfff": None,
    }


@pytest.mark.parametrize(
    "raw",
    [b"[" * 100_000, b'{"ok": NaN}', b'{"n": ' + b"9" * 4301 + b"}", b"[1]", b"<html>", b"", b"\xff"],
)
def test_a_platform_answer_that_is_no_json_object_reads_as_none(raw: bytes) -> None:
    """What a platform API answered is read with :func:`read_object`: 100,000 nested arrays raised
    RecursionError (not ValueError) out of every sender, and the send failed as an unexpected error."""
    assert read_object(raw) is None


def test_a_platform_answer_keeps_its_text_as_sent() -> None:
    assert read_object(b'{"ok": true, "description": "a\\u0000\\ud800"}') == {
        "ok": True,
        "description": "a\x00\ud800",
    }

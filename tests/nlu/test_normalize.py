"""Input normalisation: the same message in another script, width or emphasis reads the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlu.normalize import WECHAT_EMOTICONS, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("我忘記密碼了，退款什麼時候到帳？", "我忘记密码了,退款什么时候到帐?", id="traditional"),
        pytest.param("ＡＢＣ１２３！", "ABC123!", id="full-width"),
        pytest.param("hello??????", "hello???", id="repeated-punctuation"),
        pytest.param("soooooo slow", "sooo slow", id="repeated-letters"),
        pytest.param("😡😡😡😡😡😡", "😡😡😡", id="repeated-emoji"),
        pytest.param("order 1000000 late", "order 1000000 late", id="digits-kept"),
        pytest.param("太慢了[发怒]", "太慢了 😡", id="wechat-emoticon"),
        pytest.param("[玫瑰][玫瑰]", "🌹 🌹", id="wechat-emoticons"),
        pytest.param("[订单号12] 到了吗", "[订单号12] 到了吗", id="brackets-that-are-not-emoticons"),
        pytest.param("👎", "👎", id="emoji-kept"),
        pytest.param("🤦🏻‍♀️", "🤦", id="emoji-modifiers-dropped"),
        pytest.param("thanks :)", "thanks 🙂", id="ascii-emoticon"),
        pytest.param("ok:(", "ok 🙁", id="emoticon-after-a-word"),
        pytest.param("see https://x.io/a at 8:30", "see https://x.io/a at 8:30", id="not-emoticons"),
        pytest.param("XDA phone", "XDA phone", id="letters-need-a-boundary"),
        pytest.param("  a \t b \n", "a b", id="whitespace"),
        pytest.param("还没收到。。。。。。", "还没收到。。。", id="chinese-ellipsis"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_every_emoticon_maps_to_something_else() -> None:
    assert all(emoji and emoji != name for name, emoji in WECHAT_EMOTICONS.items())


@given(st.text(max_size=60))
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once

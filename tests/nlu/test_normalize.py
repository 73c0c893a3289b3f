"""Input normalisation: the same message in another script, width or emphasis reads the same."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
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
        pytest.param("see x.io/a at 8:30 :/", "see x.io/a at 8:30 😕", id="not-emoticons"),
        pytest.param("@united thanks for nothing #fail", "thanks for nothing fail", id="handle-and-hashtag"),
        pytest.param("@VirginAmerica love it! http://t.co/abc123", "love it!", id="handle-and-link"),
        pytest.param("@客服小王 我的退款呢", "我的退款呢", id="wechat-mention"),
        pytest.param("mail me at jo@example.com", "mail me at jo@example.com", id="email-stays"),
        pytest.param("order #12345, C# course", "order #12345, C# course", id="numbers-and-c-sharp-stay"),
        pytest.param("XDA phone", "XDA phone", id="letters-need-a-boundary"),
        pytest.param("wheres my pakage", "wheres my package", id="typo"),
        pytest.param("agnet pls", "agent pls", id="typo-abbreviation-kept"),
        pytest.param("need to chnge my pasword", "need to change my password", id="typos"),
        pytest.param(
            "pls send the fapiao via wechat", "pls send the fapiao via wechat", id="known-words-kept"
        ),
        pytest.param("order ZX9981 for Anna", "order ZX9981 for Anna", id="codes-and-names-kept"),
        pytest.param("  a \t b \n", "a b", id="whitespace"),
        pytest.param("还没收到。。。。。。", "还没收到。。。", id="chinese-ellipsis"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_every_emoticon_maps_to_something_else() -> None:
    assert all(emoji and emoji != name for name, emoji in WECHAT_EMOTICONS.items())


@settings(deadline=None)  # the first example loads OpenCC (seconds when it runs first on a worker)
@given(st.text(max_size=60))
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_a_model_trained_before_version_2_reads_handles_and_links_as_it_was_trained() -> None:
    text = "@united see https://x.io/a #fail"
    assert normalize(text, 1) == "@united see https://x.io/a #fail"
    assert normalize(text) == "see fail"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi,\n\nWhere is my order?\n\nKind regards,\nMartin Hale\n+44 7700 900123",
            "Hi, Where is my order?",
        ),
        ("Where is it?\n--\nIT reminder: never share your password", "Where is it?"),
        ("Cancel it please.\n\nSent from my iPhone", "Cancel it please."),
        ("请问退款什么时候到账？\n\n此致\n敬礼\n张伟", "请问退款什么时候到账?"),
        ("东西还没到\n发自我的华为手机", "东西还没到"),
        # the words of a sign-off inside a line, or a line that only starts like one, stay
        ("regards to my refund, when is it due?", "regards to my refund, when is it due?"),
        ("Where is it?\nBest price you can do?", "Where is it? Best price you can do?"),
        ("two items:\n-- the lamp\n-- the rug", "two items: -- the lamp -- the rug"),
    ],
)
def test_a_pasted_emails_sign_off_and_signature_are_dropped(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_a_model_trained_before_version_2_reads_the_signature_as_it_was_trained() -> None:
    assert normalize("Cancel it.\n\nSent from my iPhone", 1) == "Cancel it. Sent from my iPhone"

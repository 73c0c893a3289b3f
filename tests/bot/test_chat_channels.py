"""What a chat channel writes into a reply is dropped before it is read (bot/chat_channels.py)."""

from __future__ import annotations

import pytest

from bot.chat_channels import channel_free


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("5 [Sticker]", "5", id="a-sticker-after"),
        pytest.param("[stickers] [GIF] 4", "4", id="placeholders-before"),
        pytest.param("[表情]3分", "3分", id="a-wechat-sticker-zh"),
        pytest.param("[Forwarded message] How easy was it? 6", "How easy was it? 6", id="a-forwarded-mark"),
        pytest.param("[Sticker]", "[Sticker]", id="a-placeholder-alone-is-kept"),
        pytest.param("[微笑]5分", "[微笑]5分", id="a-wechat-face-is-no-placeholder-zh"),
        pytest.param('voice note: "four stars"', "four stars", id="a-transcript-in-quotes"),
        pytest.param("语音转文字：五星好评", "五星好评", id="a-transcript-label-zh"),
        pytest.param("voice note:", "voice note:", id="a-transcript-label-alone-is-kept"),
        pytest.param("Sent from my iPhone\n5", "5", id="a-phones-line-first"),
        pytest.param("3\n来自我的iPhone", "3", id="a-phones-line-last-zh"),
        pytest.param("4 (sent from WhatsApp)", "4", id="an-apps-line-in-brackets"),
        pytest.param("sent from my laptop, sorry", "sent from my laptop, sorry", id="a-sentence-is-kept"),
    ],
)
def test_what_the_channel_wrote_is_dropped(text: str, expected: str) -> None:
    assert channel_free(text) == expected

"""Emoji, emoticons and stars beside a score (``bot.faces``)."""

from __future__ import annotations

from bot.faces import EMOTICON, STARS, emoji, glyph


def test_a_cut_falls_between_text_emoji_and_stars() -> None:
    assert [glyph(ch) for ch in "5👍⭐"] == [0, 1, 2]
    assert emoji("\ufe0f") and emoji("❤") and not emoji("5") and not emoji("好")


def test_emoticons_and_stars() -> None:
    assert all(EMOTICON.match(face) for face in (":)", ":-(", ":D", "^_^", "xd", "<3"))
    assert not EMOTICON.match("ok") and STARS.search("5⭐") and not STARS.search("5分")

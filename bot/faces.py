"""Emoji, emoticons and stars typed beside a score: "5 👍", "5分😊", "4 :)", "⭐⭐⭐⭐⭐👍"."""

from __future__ import annotations

import re

STARS = re.compile(r"[⭐★🌟]")
EMOTICON = re.compile(r"^(?:[:;=8][-']?[)(dpo3*\]\[|/\\]+|\^_*\^|xd+|<3)+$", re.IGNORECASE)


def glyph(ch: str) -> int:
    """0 for text, 1 for an emoji, 2 for a star: a cut falls where they change ("5👍", "⭐⭐⭐⭐⭐👍")."""
    return 2 if ch in "⭐★☆🌟" else int(emoji(ch))


def emoji(ch: str) -> bool:
    """A pictograph (👍 😊 ❤ ✨) or the variation selector after one."""
    code = ord(ch)
    return code >= 0x1F300 or 0x2600 <= code <= 0x27BF or code in (0x2B50, 0xFE0F)  # ⭐

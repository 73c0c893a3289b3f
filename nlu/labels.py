"""Label sets and locale names shared by training and serving."""

from __future__ import annotations

from bot.classification import DEFAULT_INTENTS, SENTIMENTS

FALLBACK_INTENT = "other"
LANGS: tuple[str, ...] = ("en", "zh")

__all__ = ["DEFAULT_INTENTS", "FALLBACK_INTENT", "LANGS", "SENTIMENTS", "lang_of_locale", "lang_of_text"]


def lang_of_locale(locale: str) -> str:
    """Map a config locale (``en``, ``zh-CN``, ``zh``) to the training language code."""
    return "zh" if locale.lower().startswith("zh") else "en"


def lang_of_text(text: str) -> str:
    """``zh`` when the text contains any CJK ideograph, else ``en`` (used for per-language reports)."""
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"

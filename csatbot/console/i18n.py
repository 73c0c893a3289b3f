"""The console's languages: the catalogue per language, and how a request picks one."""

from __future__ import annotations

from collections.abc import Mapping

from csatbot.console.catalogue import EN, ZH

LANGUAGES = ("en", "zh-CN")
DEFAULT = "en"

CATALOGUE: dict[str, dict[str, str]] = {"en": EN, "zh-CN": ZH}


def translate(lang: str, key: str, **values: object) -> str:
    """The text for ``key`` in ``lang`` (English when missing), with ``{name}`` fields filled in."""
    text = CATALOGUE.get(lang, EN).get(key) or EN[key]
    return text.format(**values) if values else text


def normalize(tag: str | None) -> str | None:
    """``zh``, ``zh-cn``, ``zh-Hans-CN`` -> ``zh-CN``; ``en-US`` -> ``en``; anything else ``None``."""
    if not tag:
        return None
    primary = tag.strip().lower().split("-")[0].split("_")[0]
    return {"zh": "zh-CN", "en": "en"}.get(primary)


def from_accept_language(header: str | None) -> str | None:
    """The first language we have in an ``Accept-Language`` header, by its q-values."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        lang = normalize(tag)
        if lang is not None and quality > 0:
            choices.append((-quality, index, lang))
    return min(choices)[2] if choices else None


def pick_language(session: Mapping[str, object], user_locale: str | None, accept_language: str | None) -> str:
    """The switch (kept in the session), else the user's own locale, else the browser's, else English."""
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in LANGUAGES:
        return chosen
    return normalize(user_locale) or from_accept_language(accept_language) or DEFAULT


__all__ = [
    "CATALOGUE",
    "DEFAULT",
    "EN",
    "LANGUAGES",
    "ZH",
    "from_accept_language",
    "normalize",
    "pick_language",
    "translate",
]

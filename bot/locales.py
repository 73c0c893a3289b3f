"""Which configured locale a customer gets: from their writing, else from the platform's language tag."""

from __future__ import annotations

import re

_TRADITIONAL = {"hant", "tw", "hk", "mo"}  # locale subtags meaning Traditional script
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Characters that exist only in one Chinese script; frequent in customer messages.
_ONLY_TRADITIONAL = set("們這說問題謝錢貨訂單麼沒還發會對時個來請賬號碼務該給嗎讓開關買賣換幫")
_ONLY_SIMPLIFIED = set("们这说问题谢钱货订单么没还发会对时个来请账号码务该给吗让开关买卖换帮")
_SUBTAG = re.compile(r"[A-Za-z0-9]{1,8}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}")
_EXTLANG = re.compile(r"[A-Za-z]{3}")
_SCRIPT = re.compile(r"[A-Za-z]{4}")
_REGION = re.compile(r"[A-Za-z]{2}|[0-9]{3}")
# Chinese languages a tag may name instead of ``zh`` (Mandarin, Cantonese, Wu, Hakka...; not Min
# Nan's ``nan``, which a broken client sends as NaN). Cantonese is written in Traditional characters
# unless its region says otherwise.
_CHINESE = {"cmn", "yue", "wuu", "hak", "gan", "hsn", "cjy", "cdo", "cpx", "czh", "mnp", "lzh"}


def pick_locale(wanted: str, locales: list[str], default: str) -> str:
    """The configured locale closest to ``wanted`` (``zh``, ``zh-Hans``, ``zh_CN`` -> ``zh-CN``)."""
    if not wanted:
        return default
    tag = wanted.replace("_", "-").lower()
    by_lower = {loc.lower(): loc for loc in locales}
    if tag in by_lower:
        return by_lower[tag]
    base, *rest = tag.split("-")
    if base in _CHINESE:  # yue-HK reads like zh-HK; plain yue like zh-Hant
        tag = "-".join(["zh", *(rest or (["hant"] if base == "yue" else []))])
        base = "zh"
    same_language = [loc for loc in locales if loc.lower().split("-")[0] == base]
    if base == "zh":  # Chinese: the same script first (zh-HK reads zh-TW, not zh-CN)
        script = _chinese_script(tag)
        same_language.sort(key=lambda loc: _chinese_script(loc.lower()) != script)
    return same_language[0] if same_language else default


def language_tag(raw: str) -> str:
    """The language, script and region of a BCP 47 tag, in their usual case (``zh_hans_cn`` ->
    ``zh-Hans-CN``); ``""`` when ``raw`` is no tag or names no language (``und``, ``x-private``).

    Browsers and apps send what the customer set, extensions and all
    (``en-US-u-ca-gregory-hc-h12``, ``sr-Latn-RS-x-private``); only these parts choose a locale, and
    what is kept stays short whatever came in. Variants, extensions and private use are dropped.
    """
    parts = raw.strip().replace("_", "-").split("-")
    if not all(_SUBTAG.fullmatch(part) for part in parts) or not _LANGUAGE.fullmatch(parts[0]):
        return ""
    language, rest = parts[0].lower(), parts[1:]
    if language == "und":
        return ""
    while rest and _EXTLANG.fullmatch(rest[0]):  # zh-yue-HK: the macrolanguage is what we match on
        rest = rest[1:]
    kept = [language]
    if rest and _SCRIPT.fullmatch(rest[0]):
        kept.append(rest.pop(0).title())
    if rest and _REGION.fullmatch(rest[0]):
        kept.append(rest.pop(0).upper())
    return "-".join(kept)


def _chinese_script(tag: str) -> str:
    """``hant`` or ``hans``: the script a lower-case Chinese locale tag implies (Simplified by default)."""
    return "hant" if _TRADITIONAL & set(tag.split("-")[1:]) else "hans"


def written_locale(text: str) -> str:
    """The language tag a customer's own words show (``zh``, ``zh-Hant``, ``ja``, ``en``), or ``""``.

    The bot answers in the language the customer writes, which beats the platform's language (an
    English Telegram app says little about a customer writing Chinese) and stands in where a
    platform sends none (WeChat, WhatsApp). Any Han character means Chinese (Traditional when its
    script-specific characters outnumber the Simplified ones) unless kana make it Japanese;
    otherwise at least two Latin words mean English. Ratings, emoji and single words (``5``,
    ``⭐⭐⭐⭐``, ``ok``) say nothing.
    """
    if any("\u3040" <= ch <= "\u30ff" for ch in text):  # kana: Japanese, though it has Han too
        return "ja"
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if han:
        traditional = sum(ch in _ONLY_TRADITIONAL for ch in han)
        simplified = sum(ch in _ONLY_SIMPLIFIED for ch in han)
        return "zh-Hant" if traditional > simplified else "zh"
    return "en" if len(_LATIN_WORD.findall(text)) >= 2 else ""

"""Normalise a customer message before it is classified (training and serving alike).

- Traditional Chinese becomes Simplified (OpenCC ``t2s``): the model learned Simplified, and the
  same message in Traditional characters lost 0.08 intent F1 and 0.13 sentiment accuracy.
- Full-width letters, digits and punctuation become half-width (Unicode NFKC): ``ＡＢＣ１２３！`` is
  ``ABC123!``.
- WeChat's bracketed emoticons (``[发怒]``, ``[玫瑰]``) and ASCII emoticons (``:(``, ``^_^``) become
  the emoji that mean the same, so they carry the same signal as the emoji customers type
  elsewhere; emoji themselves are kept.
- English typos one keystroke away from a common word are fixed (``pakage`` -> ``package``; see
  :mod:`nlu.spelling` for what is left alone).
- A run of one character is cut to three (``!!!!!!``, ``soooooo``, ``😡😡😡😡😡``): the emphasis stays,
  the noise goes. Digits are left alone (``1000000`` is a number).
- Runs of whitespace become one space.
- (Version 2) What addresses a post rather than says something is dropped: @handles (``@united``,
  WeChat's ``@客服小王``), links, and the ``#`` of a hashtag (``#fail`` reads as ``fail``). The
  project's templates put airline handles mostly in complaints, and a model that kept them read
  "@delta best airline ever" as a negative complaint.
- (Version 2) A pasted e-mail's sign-off and signature are dropped, from the line that starts them
  ("Kind regards,", "Sent from my iPhone", a ``--`` line, 此致, 发自我的…): names, job titles,
  phone numbers and security footers ("never share your password") say nothing about the request.
  Training rows are one line each, so only served messages change.

Pure and fast (tens of microseconds a message); OpenCC and the spelling list are loaded on first use
(:func:`warm_up` loads them ahead).
"""

from __future__ import annotations

import re
import unicodedata

from bot.hanzi import simplified
from nlu.spelling import correct

# WeChat / WeCom built-in emoticons as they arrive in message text, and the emoji closest in meaning.
WECHAT_EMOTICONS: dict[str, str] = {
    "微笑": "🙂",
    "撇嘴": "😒",
    "色": "😍",
    "发呆": "😶",
    "得意": "😎",
    "流泪": "😢",
    "害羞": "😊",
    "闭嘴": "🤐",
    "睡": "😴",
    "大哭": "😭",
    "尴尬": "😅",
    "发怒": "😡",
    "调皮": "😜",
    "呲牙": "😁",
    "惊讶": "😮",
    "难过": "🙁",
    "囧": "😳",
    "抓狂": "😫",
    "吐": "🤮",
    "偷笑": "🤭",
    "愉快": "😊",
    "白眼": "🙄",
    "傲慢": "😤",
    "困": "😪",
    "惊恐": "😱",
    "憨笑": "😄",
    "悠闲": "😌",
    "咒骂": "🤬",
    "疑问": "🤔",
    "嘘": "🤫",
    "晕": "😵",
    "衰": "😞",
    "骷髅": "💀",
    "敲打": "😠",
    "再见": "👋",
    "擦汗": "😓",
    "抠鼻": "😒",
    "鼓掌": "👏",
    "坏笑": "😏",
    "右哼哼": "😤",
    "左哼哼": "😤",
    "鄙视": "😒",
    "委屈": "🥺",
    "快哭了": "🥺",
    "阴险": "😏",
    "亲亲": "😘",
    "可怜": "🥺",
    "笑脸": "😄",
    "生病": "😷",
    "脸红": "😳",
    "破涕为笑": "😂",
    "恐惧": "😨",
    "失望": "😞",
    "无语": "😑",
    "嘿哈": "😄",
    "捂脸": "🤦",
    "奸笑": "😏",
    "机智": "😎",
    "皱眉": "😟",
    "耶": "✌",
    "吃瓜": "🍉",
    "加油": "💪",
    "汗": "😓",
    "天啊": "😱",
    "社会社会": "😎",
    "旺柴": "🐶",
    "好的": "👌",
    "打脸": "🤦",
    "哇": "😮",
    "翻白眼": "🙄",
    "666": "👍",
    "让我看看": "🤔",
    "叹气": "😩",
    "苦涩": "😣",
    "裂开": "💔",
    "玫瑰": "🌹",
    "凋谢": "💔",
    "爱心": "❤",
    "心碎": "💔",
    "拥抱": "🤗",
    "强": "👍",
    "弱": "👎",
    "握手": "🤝",
    "胜利": "✌",
    "抱拳": "🙏",
    "勾引": "👋",
    "拳头": "👊",
    "OK": "👌",
    "合十": "🙏",
    "啤酒": "🍺",
    "咖啡": "☕",
    "蛋糕": "🎂",
    "炸弹": "💣",
    "便便": "💩",
    "月亮": "🌙",
    "太阳": "☀",
    "庆祝": "🎉",
    "礼物": "🎁",
    "红包": "🧧",
    "發": "🧧",
    "福": "🧧",
    "烟花": "🎆",
    "爆竹": "🧨",
    "猪头": "🐷",
    "跳跳": "💃",
    "发抖": "🥶",
    "转圈": "💫",
    "菜刀": "😠",
    "西瓜": "🍉",
    "刀": "😠",
    "NO": "🙅",
    "不": "🙅",
}
# ASCII emoticons and the emoji they stand for.
EMOTICONS: dict[str, str] = {
    ":)": "🙂",
    ":-)": "🙂",
    "=)": "🙂",
    ":]": "🙂",
    ":D": "😄",
    ":-D": "😄",
    "XD": "😆",
    "xD": "😆",
    "^_^": "😊",
    "^^": "😊",
    "^o^": "😊",
    ";)": "😉",
    ";-)": "😉",
    ":P": "😛",
    ":p": "😛",
    ":-P": "😛",
    "<3": "❤",
    "</3": "💔",
    ":(": "🙁",
    ":-(": "🙁",
    "=(": "🙁",
    ":[": "🙁",
    ":'(": "😢",
    ":'-(": "😢",
    "T_T": "😭",
    "T.T": "😭",
    "QAQ": "😭",
    ">:(": "😠",
    ">:-(": "😠",
    ">_<": "😣",
    ":/": "😕",
    ":-/": "😕",
    ":\\": "😕",
    ":|": "😐",
    ":-|": "😐",
    "-_-": "😑",
    "-.-": "😑",
    ":o": "😮",
    ":O": "😮",
    "o_O": "😳",
    "O_o": "😳",
}
NORMALIZE_VERSION = 2
"""Saved with each model: a model reads text normalised the way it was trained (none before version 1;
version 2 drops handles and links)."""
# A handle is not part of an e-mail address ("me@example.com"); a Chinese one ends at a space.
_ADDRESSING = re.compile(
    r"https?://\S+|\bwww\.\S+|(?<![A-Za-z0-9_.@])@(?:[A-Za-z0-9_]{1,30}\b(?!@|\.\w)|[^\s@]{1,20}(?=\s))"
)
# A pasted e-mail's sign-off and signature, from the line that starts it to the end: "Kind regards,
# Martin Hale, +44 ...", "-- " and what follows, "Sent from my iPhone", "此致 敬礼", "发自我的华为手机".
# Only spaces and tabs before it on its line: a run of blank lines tried from each line break was
# quadratic (1.4 s on 4,000 line breaks).
_SIGNATURE = re.compile(
    r"\n[ \t\u3000]*(?:(?:--+|——+|_{3,})[ \t]*\n|sent from my\b|get outlook for\b|发自我的"
    r"|(?:kind |best |warm )?regards\b|best,|all the best\b|cheers,|yours (?:faithfully|sincerely|truly)\b"
    r"|sincerely\b|此致|祝好|顺祝)[\s\S]*$",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?<![\w&#])#(?=[^\W\d_])")
_EMOTICON = re.compile(r"\[([^\[\]\s]{1,5})\]|/:([^\s/]{1,5})")
_BY_LENGTH = sorted(EMOTICONS, key=len, reverse=True)
# Emoticons that start with a letter need a word boundary before them ("XD", not "maXD"); the
# others may follow a word directly ("ok:)").
_ASCII = re.compile(
    r"(?:(?<![A-Za-z0-9])("
    + "|".join(re.escape(e) for e in _BY_LENGTH if e[0].isalpha())
    + r")|(?<![:/<>=^;_'.\-])("
    + "|".join(re.escape(e) for e in _BY_LENGTH if not e[0].isalpha())
    + r"))(?![A-Za-z0-9/])"
)
_RUN = re.compile(r"(\D)\1{3,}")
# Joiners, variation selectors, gender signs and skin tones inside emoji: 🤦🏻‍♀️ reads as 🤦.
_EMOJI_PARTS = re.compile("[\u200d\ufe0f\u2640\u2642\U0001f3fb-\U0001f3ff]")
_SPACE = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]{4}")


def _emoticon(match: re.Match[str]) -> str:
    name = match.group(1) or match.group(2)
    emoji = WECHAT_EMOTICONS.get(name)
    return f" {emoji} " if emoji else match.group(0)


def normalize(text: str, version: int = NORMALIZE_VERSION) -> str:
    """The form of ``text`` the classifier reads (see the module docstring); ``version``: as a model
    trained with that version of this function read it."""
    text = _EMOJI_PARTS.sub("", unicodedata.normalize("NFKC", text))
    if version >= 2 and "\n" in text:
        text = _SIGNATURE.sub("", text)
    if version >= 2 and ("@" in text or "/" in text or "#" in text or "www." in text):
        text = _HASHTAG.sub("", _ADDRESSING.sub(" ", text))
    if "[" in text or "/:" in text:
        text = _EMOTICON.sub(_emoticon, text)
    for _ in range(4):  # emoticons side by side (":/:D") show up one pass after another
        text, found = _ASCII.subn(lambda m: f" {EMOTICONS[m.group(1) or m.group(2)]} ", text)
        if not found:
            break
    text = simplified(text)
    text = _RUN.sub(lambda m: m.group(1) * 3, text)
    if _LATIN.search(text):
        text = correct(text)
    return _SPACE.sub(" ", text).strip()


def warm_up() -> None:
    """Load OpenCC and the spelling list now, so the first message does not wait for them."""
    normalize("warm up 繁體 pakage")

"""Chat's spellings of Chinese. A reply typed wholly in pinyin, as a phone without Chinese input writes
it ("manyi", "bu manyi",
"mei jiejue", "wuxing haoping", "5fen"), read as the characters it stands for.

Only a reply made of nothing but the syllables and words below (and digits) is read so, and never a
single syllable alone ("man", "hen", "wu" are English words or names); each word is split into the
longest known parts first ("manyi" is 满意, not 慢 and 一).
"""

from __future__ import annotations

import re

from bot.hanzi import has_han

_WORDS = {
    # what a rating, a yes/no or a reason says
    "manyi": "满意", "feichang": "非常", "tebie": "特别", "haoping": "好评", "chaping": "差评",
    "yiban": "一般", "haixing": "还行", "bucuo": "不错", "rongyi": "容易", "jiandan": "简单",
    "mafan": "麻烦", "fangbian": "方便", "tuijian": "推荐", "jiejue": "解决", "keyi": "可以",
    "taidu": "态度", "meiyou": "没有", "haole": "好了", "gaicheng": "改成", "kefu": "客服",
    "fen": "分", "xing": "星", "hen": "很", "bu": "不", "mei": "没", "le": "了", "hao": "好", "cha": "差",
    "man": "慢", "mansi": "慢死", "si": "四", "tai": "太", "zhen": "真", "ke": "可", "yi": "一", "gai": "改",
    "cheng": "成",
    "gei": "给", "da": "打", "xie": "谢",
    # the numbers
    "ling": "零", "er": "二", "liang": "两", "san": "三", "wu": "五", "liu": "六", "qi": "七",
    "ba": "八", "jiu": "九", "shi": "十",
}  # fmt: skip
_LONGEST = max(map(len, _WORDS))
_TOKEN = re.compile(r"\d+|[a-z]+|\S")
# The unit's initial after a digit, as a hurried typist shortens fen and xing: "9f", "5x好评".
_INITIAL_UNIT = re.compile(r"^(\d{1,2})(?:f|x(?=好评))(?![a-z])")


def _syllables(word: str) -> list[str] | None:
    """``word`` split into known pinyin, the longest part first at each place; ``None`` if it is not."""
    parts: list[str] = []
    at = 0
    while at < len(word):
        for size in range(min(_LONGEST, len(word) - at), 0, -1):
            if word[at : at + size] in _WORDS:
                parts.append(word[at : at + size])
                at += size
                break
        else:
            return None
    return parts


def hanzi_of(text: str) -> str:
    """``text`` in characters when it is all pinyin and digits ("bu manyi" -> "不满意", "5fen" -> "5分"),
    else ``text`` as it is."""
    t = text.strip().lower()
    if len(t) > _MAX_CHARS:
        return text
    if (initial := _INITIAL_UNIT.match(t)) is not None and (t == initial[0] or not t.isascii()):
        return (
            initial[1] + ("分" if initial[0].endswith("f") else "星") + t[initial.end() :]
        )  # "9f", "5x好评"
    if not t.isascii():
        return text
    tokens = _TOKEN.findall(t)
    read: list[str] = []
    for token in _TOKEN.findall(t.replace(" ", "")):  # "ke yi le" is 可以了, said across the spaces
        parts = [token] if token.isdigit() else _syllables(token)
        if parts is None:
            return text
        if token.isdigit() and read:
            read.append(" ")  # "hen rongyi 7": "很容易 7"
        read.extend(_WORDS.get(p, p) for p in parts)
    if all(token.isdigit() for token in tokens):
        return text  # "10 10 10"
    if any(token.isdigit() for token in tokens) and not any(
        token in _UNITS or (len(token) >= _WORD_LETTERS and not token.isdigit()) for token in tokens
    ):
        return text  # beside a number, short syllables are English as often: "er 4", "5 man"
    alone = len(tokens) == 1 and not (len(tokens[0]) >= _WORD_LETTERS and tokens[0] in _WORDS)
    if alone and not _NUMBER_UNIT.fullmatch(t):
        return text  # one syllable, or one word of syllables that is no known word ("bake")
    return "".join(read)


_MAX_CHARS = 40
_UNITS = ("fen", "xing")
_WORD_LETTERS = 4  # "manyi", "haoping"; not "man", "hen"
_NUMBER_UNIT = re.compile(r"(?:ling|yi|er|liang|san|si|wu|liu|qi|ba|jiu|shi)(?:fen|xing)")  # "wuxing"


# Chat's 8 (bā) for 不 (bù) before a word it negates: "8行" (不行), "还是8行", "态度8太行".
_EIGHT_FOR_NOT = re.compile(r"(?<![\d.])8(?=[行太])")


def not_for_eight(text: str) -> str:
    """``text`` with chat's 8 read as 不 where it negates ("8行" -> "不行"; "8分" stays a score)."""
    return _EIGHT_FOR_NOT.sub("不", text)


# Chat's runs of a digit that are words: 666 ("awesome", read as its like 绝绝子) and 555 (呜呜呜, crying),
# as a word of their own in a Chinese reply ("666 给5分", "5分 555"); a room or order number is no word of
# its own ("房间666"). The word read has as many characters, so a comment keeps the customer's own.
_DIGIT_RUN = re.compile(r"(?<![\w.,/:#-])(?:(?P<six>666)|(?P<five>5{3,6}))(?![\w.,/:%])")


def digit_words(text: str) -> str:
    """``text`` with chat's 666 and 555 as the words they stand for, in a Chinese reply."""
    if not has_han(text):
        return text  # "666" alone is no score (the fifth set): praise, or a number
    return _DIGIT_RUN.sub(lambda m: "绝绝子" if m["six"] else "呜" * len(m[0]), text)

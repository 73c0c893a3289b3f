"""Teach the English MiniLM tokenizer Chinese characters and emoji.

all-MiniLM-L6-v2's vocabulary holds only a few hundred CJK characters, so most Chinese becomes
``[UNK]``. We add the 6,763 characters of GB2312 (levels 1 and 2: the standard set of commonly used
simplified characters, in Python's codec, so no download and no extra package) and common chat emoji.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

EMOJI = (
    "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🙂🤗🤩🤔😐😑😶🙄😏😣😥😮😯😪😫😴😌😛😜😝🤤😒😓😔😕🙃😲☹🙁😖😞😟😤😢"
    "😭😦😧😨😩🤯😬😰😱😳🤪😵😡😠🤬😷🤒🤕🤢🤮👍👎👌👏🙏💪❤💔💯🔥✨🎉🙌😇🥰🥺🤦🤷💩👋✅❌⚠⭐"
)
MORE_EMOJI = (
    "🥳🤭🤫🤐💀✌🍉🐶🌹🥀🤝👊🍺☕🎂💣🌙☀🎁🧧🎆🧨🐷💃🥶💫🙅🙆🤞🤙👉👈👆👇✊🤘💋💕💖💗💘💝💞💓"
    "💙💚💛💜🖤🤍🧡😺😸😹😻😼😽🙀😿😾🙈🙉🙊🐢🐌🚀⏰⌛⏳📦🚚🛵🚗✈🛫🛬🏨🛏💳💰💸💵🧾📱📞☎📧"
    "🔒🔑🔓🔐🆘🚫⛔❗❓‼⁉💤💢💥💦😶‍🌫🫠🫡🫢🫣🫤🥲🥹😮‍💨😵‍💫🤥🤓🧐😈👿👹👺🤡👻👽🤖🎊🎈🏆🥇🌟⭐🌈"
    "☹🙃🤑🤠🥴🥱😪🤧🥵🫶👐🤲🙋🙇🤷‍♂️🤦‍♂️💩🍕🍔🍟🍜🍣🍱🥡🍗🥤🧋🍰"
)
CJK_PUNCTUATION = "，。！？、；：“”‘’（）【】《》…—～·「」『』〈〉"


def gb2312_chars() -> list[str]:
    """The 6,763 hanzi of GB2312, in code order (level 1, the 3,755 most common, first)."""
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def _single_emoji() -> list[str]:
    """Single-code-point emoji from :data:`MORE_EMOJI` and from what normalisation maps emoticons to
    (joiners and variation selectors dropped: the tokenizer strips them too)."""
    from nlu.normalize import EMOTICONS, WECHAT_EMOTICONS

    text = MORE_EMOJI + "".join(WECHAT_EMOTICONS.values()) + "".join(EMOTICONS.values())
    return [ch for ch in text if ord(ch) > 0x2000 and ch not in "\u200d\ufe0f\u2640\u2642"]


def new_tokens(vocab: dict[str, int]) -> list[str]:
    """Characters to add: GB2312 hanzi, CJK punctuation and emoji that the vocabulary lacks."""
    wanted = [*gb2312_chars(), *CJK_PUNCTUATION, *EMOJI, *_single_emoji()]
    seen: set[str] = set()
    out = []
    for ch in wanted:
        if ch not in vocab and ch not in seen:
            seen.add(ch)
            out.append(ch)
    return out


def extend_tokenizer(tokenizer: Any, words: list[str] | None = None) -> int:
    """Add the missing characters, then ``words`` (Chinese words, see :func:`chinese_words`), to a
    transformers tokenizer; returns how many tokens were added.

    Added tokens are matched leftmost-longest before the text is split into characters, so a word
    such as 退款 becomes one token that starts at its English meaning ("refund") instead of two
    characters the model must learn to combine.
    """
    added = int(tokenizer.add_tokens(new_tokens(tokenizer.get_vocab())))
    if words:
        vocab = tokenizer.get_vocab()
        added += int(tokenizer.add_tokens([w for w in words if w not in vocab]))
    return added


def chinese_words(texts: Iterable[str], limit: int, *, min_count: int = 3) -> list[str]:
    """The ``limit`` CC-CEDICT words (2-4 characters) found most often in ``texts``, most frequent
    first (ties by the word itself, so the choice is deterministic)."""
    from nlu.glosses import cedict_senses

    if limit <= 0:
        return []
    known = {w for w in cedict_senses() if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w)}
    counts: Counter[str] = Counter()
    for text in texts:
        for n in (2, 3, 4):
            for i in range(len(text) - n + 1):
                piece = text[i : i + n]
                if piece in known:
                    counts[piece] += 1
    ranked = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return ranked[:limit]


def gloss_ids(tokenizer: Any, first_new: int) -> dict[int, list[int]]:
    """For each token added at or after id ``first_new``: the ids of the English word pieces of its
    gloss (:func:`nlu.glosses.gloss_words`); tokens without a gloss are left out."""
    from nlu.glosses import gloss_words

    out: dict[int, list[int]] = {}
    unk = tokenizer.unk_token_id
    for token, token_id in tokenizer.get_vocab().items():
        if token_id < first_new:
            continue
        words = gloss_words(token)
        if not words:
            continue
        ids = [i for i in tokenizer(" ".join(words), add_special_tokens=False)["input_ids"] if i != unk]
        if ids and all(i < first_new for i in ids):
            out[token_id] = ids
    return out


def unknown_rate(tokenizer: Any, texts: list[str]) -> float:
    """Share of ``[UNK]`` among the tokens of ``texts``."""
    unk = tokenizer.unk_token_id
    total = hits = 0
    for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        total += len(ids)
        hits += sum(1 for i in ids if i == unk)
    return hits / total if total else 0.0

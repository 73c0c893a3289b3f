"""Teach the English MiniLM tokenizer Chinese characters and emoji.

all-MiniLM-L6-v2's vocabulary holds only a few hundred CJK characters, so most Chinese becomes
``[UNK]``. We add the 6,763 characters of GB2312 (levels 1 and 2: the standard set of commonly used
simplified characters, in Python's codec, so no download and no extra package) and common chat emoji.
"""

from __future__ import annotations

from typing import Any

EMOJI = (
    "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🙂🤗🤩🤔😐😑😶🙄😏😣😥😮😯😪😫😴😌😛😜😝🤤😒😓😔😕🙃😲☹🙁😖😞😟😤😢"
    "😭😦😧😨😩🤯😬😰😱😳🤪😵😡😠🤬😷🤒🤕🤢🤮👍👎👌👏🙏💪❤💔💯🔥✨🎉🙌😇🥰🥺🤦🤷💩👋✅❌⚠⭐"
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


def new_tokens(vocab: dict[str, int]) -> list[str]:
    """Characters to add: GB2312 hanzi, CJK punctuation and emoji that the vocabulary lacks."""
    wanted = [*gb2312_chars(), *CJK_PUNCTUATION, *EMOJI]
    seen: set[str] = set()
    out = []
    for ch in wanted:
        if ch not in vocab and ch not in seen:
            seen.add(ch)
            out.append(ch)
    return out


def extend_tokenizer(tokenizer: Any) -> int:
    """Add the missing characters to a transformers tokenizer; returns how many were added."""
    return int(tokenizer.add_tokens(new_tokens(tokenizer.get_vocab())))


def unknown_rate(tokenizer: Any, texts: list[str]) -> float:
    """Share of ``[UNK]`` among the tokens of ``texts``."""
    unk = tokenizer.unk_token_id
    total = hits = 0
    for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        total += len(ids)
        hits += sum(1 for i in ids if i == unk)
    return hits / total if total else 0.0

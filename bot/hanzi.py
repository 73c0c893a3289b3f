"""Traditional Chinese read as Simplified (OpenCC ``t2s``): "非常滿意" is "非常满意".

The typed-answer parsers and the triage model both know Simplified words; customers in Taiwan and
Hong Kong type Traditional ones.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# OpenCC reads its input as a C string of UTF-8: it stops at a NUL ("滿\x00意" came back as "满") and
# cannot encode a lone surrogate (a UnicodeEncodeError). Such runs are kept as they are, between
# the pieces that are converted.
_NOT_FOR_OPENCC = re.compile("([\x00\ud800-\udfff]+)")


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def has_han(text: str) -> bool:
    """Whether ``text`` has a Chinese character (CJK unified or compatibility ideographs)."""
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


@functools.lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """``text`` with Traditional characters written as Simplified; text without Chinese as it is (and
    so are NUL characters and lone surrogates in it)."""
    if not has_han(text):
        return text
    return "".join(
        str(_converter().convert(part)) if has_han(part) else part for part in _NOT_FOR_OPENCC.split(text)
    )

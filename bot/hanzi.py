"""Traditional Chinese read as Simplified (OpenCC ``t2s``): "非常滿意" is "非常满意".

The typed-answer parsers and the triage model both know Simplified words; customers in Taiwan and
Hong Kong type Traditional ones.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def has_han(text: str) -> bool:
    """Whether ``text`` has a Chinese character (CJK unified or compatibility ideographs)."""
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


@functools.lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """``text`` with Traditional characters written as Simplified; text without Chinese as it is."""
    return str(_converter().convert(text)) if has_han(text) else text

"""Generated survey comments with planted themes, in English and Chinese (the comment-theme tests)."""

from __future__ import annotations

import itertools
import random

PLANTED: dict[tuple[str, str], tuple[list[str], list[str], list[str]]] = {
    ("delivery", "en"): (
        ["the delivery", "my delivery", "delivery of my order"],
        ["was late", "arrived late", "came late again", "is always late"],
        ["", " by three days", ", the parcel took a week"],
    ),
    ("rude", "en"): (
        ["the staff", "your staff", "the support staff"],
        ["were rude", "was rude to me", "were really rude"],
        ["", " on the phone", ", no respect at all"],
    ),
    ("refund", "en"): (
        ["my refund", "the refund", "refund"],
        ["is slow", "was too slow", "is still slow"],
        ["", ", still waiting for the money", " after two weeks"],
    ),
    ("delivery", "zh"): (
        ["快递", "我的快递", "这次快递"],
        ["太慢了", "晚到了", "延迟了"],
        ["", "，等了三天", "，一周才到"],
    ),
    ("rude", "zh"): (
        ["客服", "这个客服", "电话客服"],
        ["态度很差", "态度恶劣", "态度不好"],
        ["", "，很不礼貌", "，直接挂电话"],
    ),
    ("refund", "zh"): (
        ["退款", "我的退款", "申请的退款"],
        ["太慢了", "一直没到账", "拖了很久"],
        ["", "，等了两周", "，还没处理"],
    ),
}
WORDS = {
    ("delivery", "en"): {"delivery", "late"},
    ("rude", "en"): {"rude", "staff"},
    ("refund", "en"): {"refund", "slow"},
    ("delivery", "zh"): {"快递"},
    ("rude", "zh"): {"客服", "态度"},
    ("refund", "zh"): {"退款"},
}


def planted(per_group: int, seed: int = 3) -> tuple[list[str], list[tuple[str, str]]]:
    """``per_group`` comments for each planted (theme, language), shuffled, and their truth."""
    rng = random.Random(seed)
    rows = []
    for group, parts in PLANTED.items():
        glue = " " if group[1] == "en" else ""
        combos = [a + glue + b + c for a, b, c in itertools.product(*parts)]
        rows += [(text, group) for text in rng.sample(combos, per_group)]
    rng.shuffle(rows)
    return [t for t, _ in rows], [g for _, g in rows]


def words_of(theme: str) -> set[str]:
    """The planted words of ``theme`` in either language."""
    return set().union(*(WORDS[(theme, lang)] for lang in ("en", "zh")))

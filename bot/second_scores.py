"""A second score in the words beside one: "客服5分，产品1分", "last time 5, this time 2", "2 then 4".

Such a reply gives two answers, and the customer is asked again. A number in the words that counts,
names or hedges something ("took 2 days", "order 4", "would've been 5", "扣一星") is no score.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot import hedges, quantities

# "gets a 10", "deserve an 8": the article after a verb that rates is a score's, not a count's.
_RATES_AN = re.compile(r"\b(?:gets?|got|give[ns]?|gave|deserves?|deserved|rate[sd]?|earns?|earned) an?$")
# What is taken off a score is no score of its own: "4星，扣一星因为物流", "5 stars minus 1 for the wait",
# "给7分，扣的3分是物流" (the points taken off, blind round 26).
_TAKEN_OFF = ("扣", "减", "少", "扣了", "减了", "少了", "扣掉", "减掉", "minus", "off", "lose", "less",
              "扣的", "减的", "扣掉的", "扣除", "扣除的")  # fmt: skip
# A number in a comment that may be a score of its own: digits standing alone, or a Chinese numeral
# with 分 or 星; not part of a longer token ("2nd", "3:30", "4.5", "24/7", "#3", "$5", "£5", "第3次") or
# the start of a range ("7-10天").
_NUMBER_IN_COMMENT = re.compile(
    r"(?<![0-9a-z.:/#$¥￥£€₩₹₽第零〇一二两三四五六七八九十-])"  # "paid £10 for delivery, 3"
    r"(?:\d{1,2}|[零〇一二两三四五六七八九十]{1,3}(?=\s*(?:[颗个]?[分星]|颗)))"
    r"(?![0-9a-z.:/%零〇一二两三四五六七八九十-]|\s*[-~～到至]\s*\d)"
)
# A score with its scale in a comment: "8/10 for the food, 2/10 for delivery"; not a date or a longer
# number ("12/3", "24/7", "1/2/2024"), whose parts the scale refuses or which run on.
_FRACTION_IN_COMMENT = re.compile(r"(?<![\d/.:])\d{1,2}\s?/\s?\d{1,2}(?![\d/.:])")
# Measure words that count beside a score in Chinese, with those :data:`quantities.QUANTITY_HAN` holds:
# nights, payments, dishes, pairs, cards, legs, rooms, cups, sizes ("住2晚", "2笔交易", "4张卡", "44码").
_COUNTS_HAN = quantities.QUANTITY_HAN | set("晚笔样双张段间杯码")
# 下 right after a number counts times ("点2下就改好了", "按了3下"); not 下次, 下午, 下周 (next, afternoon).
_TIMES = re.compile(r"下(?![次午周个月班单面去来])")
_OFF_AFTER = re.compile(r"\s*(?:off|taken off|deducted|docked)\b")  # "4 stars, 1 star off for the wait"
_SCORE_UNIT = re.compile(r"\s*(?:[颗个]?[分星]|颗|stars?\b|points?\b|pts?\b)")  # "五颗星给四颗"
# Prepositions after a number do not make it a quantity here: "5 stars for speed, 2 for quality".
_NOT_QUANTITIES = {"star", "stars", "point", "points", "pts", "pt", "for", "in", "at", "of", "out"}


def _counted(after: str) -> bool:
    """What follows a number in a comment says what it counts: "2 days", "3天", "2 shirts", "点2下"."""
    word = re.match(r"\s*([a-z']+|[\u4e00-\u9fff])", after)
    return word is not None and (
        (word[1] in quantities.QUANTITY_AFTER and word[1] not in _NOT_QUANTITIES)
        or word[1] in _COUNTS_HAN
        or quantities.counts(after)
        or _TIMES.match(after) is not None
    )


def another_score(comment: str, score: int, parse: Callable[[str], int | None]) -> bool:
    """``comment`` gives a different score of its own: "last time 5, this time 2", "2 then 4",
    "客服5分，产品1分". Quantities ("took 2 days", "等了3天") and references ("order 4") are none."""
    if any(parse(found[0]) not in (None, score) for found in _FRACTION_IN_COMMENT.finditer(comment)):
        return True  # "8/10 for the food, 2/10 for delivery": two parts scored, none overall
    for found in _NUMBER_IN_COMMENT.finditer(comment):
        before, after = comment[: found.start()].rstrip(), comment[found.end() :]
        unit = _SCORE_UNIT.match(after)
        if unit is not None:
            if after[unit.end() : unit.end() + 1] in quantities.UNIT_WORDS.get(unit[0][-1], set()):
                continue  # 3分钟, 5星级
        elif _counted(after) or quantities.SHARE_OF.match(comment, found.start()):
            continue  # "2 days", "3天", "2 shirts", "点2下", "3 of my mates"
        words_before = before.split()
        off_after = unit is not None and _OFF_AFTER.match(after, unit.end()) is not None  # "1 star off"
        if off_after or (before.endswith(_TAKEN_OFF) and not before.endswith(("至少", "最少", "多少"))):
            # "4星，扣一星因为物流" explains the 4; "五星，扣一分": 5 or 4?
            if parse(str(score + 1)) is None:
                return True
            continue
        if (
            (
                words_before
                and words_before[-1] in quantities.REFERENCE_BEFORE
                and not _RATES_AN.search(before)
            )
            or before.endswith((*quantities.REFERENCE_HAN, *hedges.HEDGE_BEFORE, "满分", "满分是"))
            or hedges.QUALIFIED_BEFORE.search(before)
            or hedges.HYPOTHETICAL_HAN.search(before)
        ):
            continue  # "order 4", "订单号5", "满分10分", "would've been 5", "本来想给5分"
        said = "" if unit is None else "颗星" if unit[0].strip() == "颗" else unit[0]  # "四颗": four stars
        value = parse(found[0] + said)
        if value is None and said and found[0] in _ZERO and parse(str(score - 1)) is None:
            continue  # "零分，太差了": none at all beside the lowest says the same
        if (value is not None and value != score) or (value is None and said and _numeral(found[0])):
            return True  # "10分满分给9分，很好" asked out of 5, "物流我给零分": points on another scale
    return False


_ZERO = ("0", "零", "〇")


def _numeral(number: str) -> bool:
    """Whether ``number`` before 分 or 星 can only be a count of points: digits, or a Chinese numeral
    that is no word of its own (十分 is "very", 一分 also "a bit": "一分钟", "一分钱")."""
    return number.isdigit() or not number.startswith(("十", "一"))

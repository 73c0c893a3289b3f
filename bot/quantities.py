"""Numbers in a reply that count, time, price or name something: "3 days", "2 boxes", "10 dollars",
"order 5", "等了3天", "订单号5". Beside a score they are its comment; alone they are no score."""

from __future__ import annotations

import re

# Words after a leading bare number that make it a quantity: "3 days", "2 people", "1 more thing".
QUANTITY_AFTER = {
    "day", "days", "hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins", "second", "seconds",
    "week", "weeks", "month", "months", "year", "years", "time", "times", "item", "items", "order",
    "orders", "package", "packages", "parcel", "parcels", "box", "boxes", "people", "person", "agents",
    "calls", "emails", "messages", "more", "or", "and", "to", "of", "out", "in", "at", "for", "x",
    "dollars", "usd", "euros", "eur", "yuan", "rmb", "bucks", "pm", "am", "o'clock", "percent", "%",
    "th", "st", "nd", "rd", "kg", "km", "pieces", "pcs", "euro", "dollar", "weeks'", "days'",
    "star", "stars", "point", "points", "pts", "pt", "tries", "try", "attempts", "clicks", "steps",
    "tickets", "replies", "chats", "questions", "things", "pages",
    "sec", "secs", "moment", "moments", "question", "thing", "business", "working", "wk", "wks", "mo",
    "mos", "yr", "yrs", "call", "email", "message", "reply", "ticket", "chat", "click", "step", "attempt",
    "friend", "friends", "kids", "children", "colleagues", "coworkers", "users", "customers", "members",
    "word", "words",  # "1 word: great"
    "digit", "digits", "character", "characters", "letter", "letters",  # "4 digit pin doesn't work"
    # money, measures, clock and age as chat writes them: "5 quid", "10 grand", "5 lbs", "5 o clock", "5 y/o"
    "quid", "grand", "pence", "cent", "lb", "lbs", "oz", "inch", "inches", "ft", "feet", "foot", "cm", "mm",
    "gb", "mb", "pct", "oclock", "o", "y/o", "yo", "left", "remaining",
    # who and what a booking counts, one of them too (blind round 22): "2 adults 1 child, 4 nights, 4"
    "adult", "adults", "child", "kid", "infant", "infants", "guest", "guests", "night", "nights", "room",
    "rooms", "bag", "bags", "pair", "pairs", "passenger", "passengers",
}  # fmt: skip
# Words after a number that count money or time, whatever words bring the number in.
MONEY_AND_TIME = QUANTITY_AFTER - {
    "more", "or", "and", "to", "of", "out", "in", "at", "for", "x",
    "star", "stars", "point", "points", "pts", "pt",
}  # fmt: skip
# Nouns after a score with its scale ("2 of 5 items") or before it ("page 2 of 5") that make it a
# count or a position, not a rating.
COUNTED = {
    "day", "days", "hour", "hours", "minute", "minutes", "mins", "week", "weeks", "month", "months",
    "item", "items", "order", "orders", "package", "packages", "parcel", "parcels", "box", "boxes",
    "people", "calls", "emails", "messages", "tries", "attempts", "clicks", "steps", "pieces", "pcs",
    "times", "questions", "pages", "tickets",
    # ... and one of them: "8 - 1 call was enough"
    "call", "email", "message", "try", "attempt", "click", "step", "piece", "time", "question", "page",
    "ticket", "person",
    # ... and chats and replies (blind round 23): "7 — 1 chat and done"
    "chat", "chats", "reply", "replies",
    # time as chat shortens it: "1 star, 20 min wait"
    "min", "hr", "hrs", "sec", "secs", "second", "seconds", "year", "years", "yr", "yrs", "wk", "wks", "mo",
    "mos",
}  # fmt: skip
# A share of a group, no score of its own: "3 of my mates", "3/4 of my friends", "2 of the agents".
SHARE_OF = re.compile(
    r"\d{1,2}(?:\s?/\s?\d{1,2})?\s+of\s+(?:my|our|your|the|them|us|his|her|their|these|those|all)\b"
)
POSITION_BEFORE = {
    "page", "step", "order", "item", "chapter", "part", "room", "ticket", "level", "round", "phase",
    "no", "no.", "number", "#", "question", "option", "version", "episode", "day", "week",
}  # fmt: skip
# Words before a trailing bare number that make it a reference or a quantity: "order 5", "waited 3".
REFERENCE_BEFORE = {
    "order", "no", "number", "#", "room", "ticket", "item", "items", "step", "page", "option", "version",
    "floor", "gate", "seat", "day", "days", "week", "hour", "hours", "minute", "minutes", "waited",
    "wait", "after", "for", "in", "at", "about", "around", "over", "under", "than", "of", "maybe",
    "perhaps", "probably", "like", "between", "or", "and", "to", "from", "only", "just", "almost",
    "nearly", "approximately", "approx", "call", "line", "level", "size", "model", "plan", "tier",
    "iphone", "windows", "ios", "android", "chapter", "part", "phase", "round", "the", "a", "an", "my",
    "your", "our", "his", "her", "their", "its", "this", "that", "these", "those", "store", "shop",
    "platform", "terminal", "aisle", "bus", "route", "flight", "train", "no.",
    "eta", "ref", "reference", "id", "code", "pin", "case", "tracking", "invoice", "receipt", "account",
    "ext", "extension",
    # a card or an account by its last digits: "card ending 5", "ending in 8"
    "ending", "endings",
    # verbs that take a count: "I bought 3", "we need 2", "they sent 4"
    "bought", "buy", "ordered", "got", "get", "have", "had", "has", "need", "needs", "want", "wanted",
    "paid", "pay", "received", "sent", "send", "returned", "return", "lost", "owe", "took", "take",
    "takes", "cost", "costs", "tried", "asked", "called", "emailed", "contacted", "until", "till",
    "before", "since", "by", "with", "another", "extra", "left", "missing", "x", "me",
    # a month before a day: "came on Dec 2", "booked for march 14"
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
    "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
}  # fmt: skip
# Nouns that name a reference when a number is said to be theirs: "my order number is 5", "room: 4".
REFERENCE_NOUNS = POSITION_BEFORE - {"no", "no.", "#", "option", "question", "day", "week"} | {
    "code", "id", "pin", "account", "tracking", "reference", "ref", "invoice", "receipt", "case", "seat",
    "floor", "gate", "phone", "extension", "ext", "address", "zip", "postcode", "table", "size", "model",
}  # fmt: skip
_IS = {"is", "was", "are", "were", "=", "'s"}


def names_a_reference(before: str) -> bool:
    """``before`` (the words before a trailing number) says whose number it is: "my order number is",
    "the room was", "ticket ="; not "the agent was" or "my rating is"."""
    words = before.replace("'s", " 's").split()
    return len(words) >= 2 and words[-1] in _IS and words[-2].rstrip(":") in REFERENCE_NOUNS


# Chinese before a trailing bare number that makes it a reference: 订单号 5, 房间 3.
REFERENCE_HAN = (
    "订单", "单号", "号码", "编号", "房间", "房号", "工单", "电话", "手机", "尾号", "型号", "版本", "号",
)  # fmt: skip
# Characters after 分/星 that make another word: 分钟 (minutes), 分之 (fraction), 星级 (star-rated
# hotel), 星期 (week)... and 十分/万分 as "very".
# 分钱, 三星手机, and 半: "4星半" is four and a half stars
UNIT_WORDS = {"分": set("钟之享配别开析手店期量类批数行钱半制"), "星": set("级期球座人座手半")}
NOT_A_SCORE_PREFIX = ("十分", "万分", "百分")
QUANTITY_HAN = set("天个件次小时号元块周月年岁位条单遍秒点楼层箱包台分钟星期倍米斤克百千万折封趟瓶盒袋")
# 折: "打5折" is a discount; 封, 趟...: measure words of letters and trips ("发了1封邮件"); not 份 (a phone
# types it for 分, and 份量 is "portion size"), 张, 本, 页 or 通, which also start a word after a score's
# space ("5 张师傅很耐心", "5 本次服务很好", "5 通知太晚")


def starts_with_count(comment: str) -> bool:
    """``comment`` starts with a count of time or things: "3 days to reply", "2 shirts", "3天才回复"."""
    found = re.match(r"\d+\s*([a-z]+|分钟|星期|[\u4e00-\u9fff])", comment)  # "10分钟": minutes, not points
    return found is not None and (
        found[1] in COUNTED
        or found[1] in QUANTITY_HAN - set("号分星点")
        or found[1] in ("分钟", "星期")
        or counts(found[1])
    )


# A word ending in s after a number is mostly a plural it counts ("3 colors", "2 shirts missing"); these
# are not: adverbs, thanks, idioms ("10 hands down", "5 thumbs up"), verbs ("5 rocks") and score units.
_NOT_PLURALS = {
    "always", "anyways", "sideways", "afterwards", "towards", "besides", "sometimes", "nowadays", "perhaps",
    "thanks", "thnks", "thks", "cheers", "kudos", "props", "regards", "thumbs", "hands", "guys", "lots",
    "oops", "does", "sucks", "rocks", "rules", "works", "helps", "says", "goes", "means", "seems", "looks",
    "feels", "gets", "deserves", "makes", "sounds", "wins", "stands", "keeps", "needs", "stars", "points",
    "yyds",  # chat Chinese in Latin letters: "the GOAT"
}  # fmt: skip
_PLURAL = re.compile(r"[a-z]{2,}[^iu's]s")  # "colors", "boxes"; not "yes", "this", "plus", "boss", "it's"
# "5 james was great", "5 charles helped": a name, not a plural (boxes arrive, they do not help)
_SINGULAR_VERB = {
    "was", "is", "has", "does", "did", "helped", "fixed", "solved", "resolved", "sorted", "answered",
    "explained", "assisted", "handled", "listened", "understood", "replied", "responded", "rocks", "rocked",
}  # fmt: skip
_PUNCTUATION = " ,，.。!！?？:：;；()（）\"'…"


def counts(after: str) -> bool:
    """``after`` (what follows a number) starts with a plural noun the number counts: "3 colors",
    "2 boxes arrived broken"; not "5 thanks guys", "10 hands down" or "5 james was great"."""
    words = [word.strip(_PUNCTUATION) for word in after.split(maxsplit=2)[:2]]
    if not words or _PLURAL.fullmatch(words[0]) is None or words[0] in _NOT_PLURALS:
        return False
    return len(words) < 2 or words[1] not in _SINGULAR_VERB


# What "for" after a number makes of it: a count or a price ("2 for 1", "5 for $10", "3 for a week"),
# else whom or what the score is for ("5 for Maria", "4 for the delivery").
_COUNTING_FOR = {
    "a", "an", "each", "every", "both", "all", "half", "free", "only", "just", "about", "over", "under",
    "around", "more", "less", "ages", "long", "now", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "twenty", "hundred", "thousand",
}  # fmt: skip
_FOR_WHOM = re.compile(r"for ([a-z][a-z'-]*)\b")


def for_whom(after: str) -> bool:
    """``after`` (what follows a number) says whom or what the score is for: "for Maria", "for the app"."""
    found = _FOR_WHOM.match(after)
    return found is not None and found[1] not in _COUNTING_FOR and found[1] not in QUANTITY_AFTER

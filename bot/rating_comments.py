"""A score and a comment in one message: "5 stars, super quick reply", "2，等太久了", "pretty easy, 6".

People rate in chat the way they talk: the score first or last, the reason beside it. This module
finds a score expression (anything :func:`bot.answers.parse_rating` reads on its own) at the start or
the end of the message and keeps the rest as the comment. It refuses whenever the number is more
likely a quantity or a reference than a score: "3 days later", "order 5", "5分钟", "十分满意",
"maybe 4", "4.5", "4-5", "10:30", a number its words hedge, bound, deny or make a condition ("at
least 4", "not 5 stars", "给不了5分", "would have been 5", "5 if you had answered sooner", "5? no way"),
and a word rating right after a negation ("not satisfied").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MAX_LENGTH = 300
_SEPARATORS = " \t\n,，、;；:：.。!！?？~～-–—|/()（）[]【】\"'“”‘’…=→"  # "7 = very easy"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PARTICLES = "的了吧啊呢哦呀啦嘛"
_WORDY = re.compile(r"[a-z\u4e00-\u9fff]", re.IGNORECASE)
_DIGIT_WORD = re.compile(r"^[0-9]")
# A number in a part of the message; 一 in 一般, 一点, 一直... is a word's, not a number ("一般般吧，三星" is
# a three with the comment 一般般吧, not the word 一般 with the comment "般吧，三星").
_NUMERIC = re.compile(
    r"\d|一(?![般点直样起定些会下切共向旦边面])|[零〇二两三四五六七八九十]|⭐|★|满分"
    r"|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)\b"
)
_NUMBER_AT_END = re.compile(
    r"(?:\d|[零〇一二两三四五六七八九十]|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten))$"
)
_CLAUSE_BREAK = re.compile(r"^\s*[,.;!]\s+$")
_UNIT_END = re.compile(r"(?:[分星⭐★]|\bstars?|\bpoints?|\bpts?)$")
# A range said in words: "six-seven", "four ~ five stars" (digits are caught as they run on).
_RANGE_GAP = re.compile(r"[-~～–—]")
_RANGE_END = re.compile(
    r"^(?:\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*(?:stars?|points?))?$"
)
_NEGATIVE_SIGN = re.compile(r"(?:^|\s)[-−]$")
_UNIT_START = re.compile(r"(?:stars?|starz|stras|satrs|strs|starts?|points?|pts?)\b|[分星⭐★🌟]")
_HAN_POINT = re.compile(r"[\d零〇一二两三四五六七八九十]\s*点$")  # the decimal point of "九点五"
_BARE_NUMBER = re.compile(
    r"^(?:\d+|[零〇一二两三四五六七八九十]+|zero|one|two|three|four|five|six|seven|eight|nine|ten)$"
)
# Words after a leading bare number that make it a quantity: "3 days", "2 people", "1 more thing".
_QUANTITY_AFTER = {
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
}  # fmt: skip
# Words after a number that count money or time, whatever words bring the number in.
_MONEY_AND_TIME = _QUANTITY_AFTER - {
    "more", "or", "and", "to", "of", "out", "in", "at", "for", "x",
    "star", "stars", "point", "points", "pts", "pt",
}  # fmt: skip
# Nouns after a score with its scale ("2 of 5 items") or before it ("page 2 of 5") that make it a
# count or a position, not a rating.
_COUNTED = {
    "day", "days", "hour", "hours", "minute", "minutes", "mins", "week", "weeks", "month", "months",
    "item", "items", "order", "orders", "package", "packages", "parcel", "parcels", "box", "boxes",
    "people", "calls", "emails", "messages", "tries", "attempts", "clicks", "steps", "pieces", "pcs",
    "times", "questions", "pages", "tickets",
}  # fmt: skip
_POSITION_BEFORE = {
    "page", "step", "order", "item", "chapter", "part", "room", "ticket", "level", "round", "phase",
    "no", "no.", "number", "#", "question", "option", "version", "episode", "day", "week",
}  # fmt: skip
# Words before a trailing bare number that make it a reference or a quantity: "order 5", "waited 3".
_REFERENCE_BEFORE = {
    "order", "no", "number", "#", "room", "ticket", "item", "items", "step", "page", "option", "version",
    "floor", "gate", "seat", "day", "days", "week", "hour", "hours", "minute", "minutes", "waited",
    "wait", "after", "for", "in", "at", "about", "around", "over", "under", "than", "of", "maybe",
    "perhaps", "probably", "like", "between", "or", "and", "to", "from", "only", "just", "almost",
    "nearly", "approximately", "approx", "call", "line", "level", "size", "model", "plan", "tier",
    "iphone", "windows", "ios", "android", "chapter", "part", "phase", "round", "the", "a", "an", "my",
    "your", "our", "his", "her", "their", "its", "this", "that", "these", "those", "store", "shop",
    "platform", "terminal", "aisle", "bus", "route", "flight", "train", "no.",
    # verbs that take a count: "I bought 3", "we need 2", "they sent 4"
    "bought", "buy", "ordered", "got", "get", "have", "had", "has", "need", "needs", "want", "wanted",
    "paid", "pay", "received", "sent", "send", "returned", "return", "lost", "owe", "took", "take",
    "takes", "cost", "costs", "tried", "asked", "called", "emailed", "contacted", "until", "till",
    "before", "since", "by", "with", "another", "extra", "left", "missing", "x", "me",
}  # fmt: skip
# Chinese before a trailing bare number that makes it a reference: 订单号 5, 房间 3.
_REFERENCE_HAN = (
    "订单", "单号", "号码", "编号", "房间", "房号", "工单", "电话", "手机", "尾号", "型号", "版本", "号",
)  # fmt: skip
# Chinese before a trailing score that hedges it or makes it a range or a position: 可能4分, 7到8分.
_HEDGE_BEFORE = (
    "可能", "大概", "也许", "差不多", "估计", "约", "到", "至", "或", "和", "第", "每", "前", "后",
)  # fmt: skip
# ... of which these join the number after them ("7到8分", "第5"), unless a comma ends their clause.
_JOINING_BEFORE = ("到", "至", "或", "和", "第", "每", "前", "后")
_CLAUSE_ENDS = {",", "，", ";", "；"}
# Asked how many points or stars ("满分几分"); 几分钟 and 几星期 are a few minutes and weeks.
_HOW_MANY = re.compile(r"几(?:分(?!钟)|星(?!期)|颗)|多少(?:分(?!钟)|星(?!期)|颗)")
# A word rating right after one of these is negated or hedged ("not satisfied", "never easy").
_NEGATING_BEFORE = re.compile(
    r"(?:\b(?:not|no|never|hardly|barely|isn't|wasn't|aren't|weren't)|n't|不|没|不是|没有|并不|一点也不|唔|唔系|冇"
    r"|没什么|没啥|谈不上|说不上|算不上|称不上|不算|并非"  # "没什么不满意的": nothing to be unhappy about
    r"|(?:不想|不会|不愿意?|不能|不打算|没法|无法|不|没)(?:(?:给|打|评)个?)?)$"  # "不想给好评"
)
# Characters after 分/星 that make another word: 分钟 (minutes), 分之 (fraction), 星级 (star-rated
# hotel), 星期 (week)... and 十分/万分 as "very".
# 分钱, 三星手机, and 半: "4星半" is four and a half stars
_UNIT_WORDS = {"分": set("钟之享配别开析手店期量类批数行钱半制"), "星": set("级期球座人座手半")}
_NOT_A_SCORE_PREFIX = ("十分", "万分", "百分")
# Words right before a trailing score that hedge it, bound it, deny it or make it what would have
# been: "maybe 4 stars", "at least 4", "3 or 4 stars", "not 5 stars", "I'd never give 5", "would
# have given 5", "可能给4星", "最多3分", "不是5分", "给不了5分". A verb may stand between ("give", 给).
_QUALIFIED_BEFORE = re.compile(
    r"(?:\b(?:maybe|perhaps|probably|possibly|about|around|roughly|approximately|approx|almost|nearly"
    r"|not|not even|no|never|hardly|barely|negative|minus"
    r"|would have|could have|should have|would've|could've|used to"
    r"|would be|could be"
    r"|(?:asked|told|wanted|wants?|begged|reminded|forced|made) (?:me|us)(?: to)?)|n't|'d have|'d be)"
    r"(?:\s+(?:give|gave|given|giving|rate|rated|it|you|u|them|a|an|be|been|worth))*$"  # "not worth 10"
    r"|(?:可能|大概|也许|估计|大约|不|没|不是|没有|并不|别|不能|不会|不想|不愿意?|不可能|没法|无法|不该"
    r"|最多|至少|最少|顶多|不到|不超过|超过|低于|高于|少于|多于|差一点|差一些"
    r"|让我|叫我|要我|求我|让|说要)(?:给|打|评)?个?$"  # "客服让我给五星": asked to, not given
    r"|(?:给|打|评)不(?:了|到|上)$"
)
# ... and right before the number itself: "3 or 4 stars", "at least 4" ("I'd like to give 5" is a 5).
_BOUNDED_BEFORE = re.compile(
    r"\b(?:at least|at most|than|over|under|above|below|up to|between|or|and|to|from)$"
)
# Chinese before a trailing score that makes it a condition, what was meant or what is to come, not
# given: "如果快一点就5分", "本来想给5分的", "差点给1星" (almost gave one star), "等收到货再给5分".
# "满意的话给5分" (if satisfied), "客服说，给5分" (the agent said: give 5)
# ("可以的话", "如果可以": "if I could", as "0 if I could" is still a score)
_IF_OR_REPORTED = r"(?<![分星制以能])的话|(?:客服|他|她|他们|她们|你们|朋友|别人)都?说"
_HYPOTHETICAL_HAN = re.compile(
    r"(?:如果|要是)(?!(?:可以|能)(?:的话)?(?:给|打|[,，]|$))|假如|假设|本来|原本|本想|原想|本打算|差点|下次|上次|等[^,，.。!！;；\s]*再(?!也)|之后再|以后再|"
    + _IF_OR_REPORTED
)  # "等收到货再给5分": once the parcel has come
_ASKING = re.compile(
    r"(?:吗|么|什么|怎么样|如何|行不行|好不好|可不可以|对吧|是吧|对不对|是不是|对嘛|是嘛|\?)[\s!！。.~～]*$"
)  # "5分最高对吧": the highest, right?
# Words right after a leading score that make it a condition, a bound or a denial: "5 if you had
# answered sooner", "4 stars or more", "4分以上", "5星不可能". "0 if I could" is still a score.
_QUALIFIED_AFTER = re.compile(
    r"^(?:if\b(?! (?:i|we|you) (?:could|can|were able|was able))(?! possible)|once\b|next time\b"
    r"|when(?:ever)?\b|until\b|till\b"  # "5 when it arrives", "10 when you fix the app"
    r"|maybe\b|perhaps\b|ish\b"  # "8-ish"; "9 probably", but not "9, probably the best service"
    r"|(?:probably|prob|probs|prolly|possibly|give or take|more or less)\b(?!\s+[a-z])"
    r"|as soon as\b|or\b|and (?:up|above|higher)\b|at (?:least|most)\b|max\b|tops\b"
    r"|no way\b|lol no\b"
    r"|(?:is|means)\b.*\b(?:right|correct)$"  # "5 is the best right": asked without a question mark
    # taken back at once: "5 no wait 4", "4 sorry i mean 3", "4分，不对，5分"
    r"|(?:no )?wait\b(?=[\s,.!…]*(?:$|\d|zero|one|two|three|four|five|six|seven|eight|nine|ten|make|i mean))"
    r"|(?:sorry[\s,]*)?i mean\b|(?:sorry[\s,]*)?i meant\b|oops\b|correction\b|make (?:that|it)\b"
    r"|不对|错了|打错|点错|说错|改成|更正"
    r"|以上|以下|左右|上下|以内|之间|往上|往下|出头|是?不可能|没可能|做梦|想得美|门都没有|想都别想"
    r"|半|都嫌多|也嫌多|都是多的|都多了|都给多了)"  # "3分都嫌多": even 3 is too many
)
_QUANTITY_HAN = set("天个件次小时号元块周月年岁位条单遍秒点楼层箱包台分钟星期倍米斤克百千万")


# Words after a score that say it is meant, or whom it is for, though "for" and "of" after a number
# make it a count: "10 for sure", "5 for you", "5 to the team" ("5 for $10" is a count).
_SURELY = re.compile(
    r"^(?:for sure|of course|for real"
    r"|(?:for|to) (?:you|u|ya|y'all|you guys|you all|him|her|them"
    r"|(?:the|your) (?:agent|staff|service|support|team|help|rep|guy|lady|girl|chat|experience)))\b"
)
# Words before a score that change nothing: "honestly a 4", "definitely 10", "a 4". A whole reply
# may start with them; a score with a comment only when punctuation sets it off ("a 3, meh"), since
# "a 2 pack of cables arrived broken" is no rating.
SCORE_LEAD_IN = re.compile(
    r"^(?:(?:a|an)\s+)?"
    r"(?:(?:honestly|definitely|def|defo|easily|solid|overall|i'?d say|i would say|i say|absolutely"
    r"|certainly|surely|totally|obviously|clearly|ngl|tbh|um+|uh+|hm+|well|for me"
    r"|only|just|sadly|unfortunately|regrettably|sorry(?: but)?|strong|weak|hard|firm|perfect"  # "just a 3"
    r"|(?:it's|it is|that's|that is|i'm|i am|you get|you guys get)(?=\s+an?\s))"
    r"[\s,，]+)?"
    r"(?:(?:a|an)\s*(?=\d)|(?:a|an)\s+)?(?=\S)"  # "a 4", "an 8", "a5"; "i'd say an 8" is no "a" + "n 8"
)


@dataclass(frozen=True, slots=True)
class Scored:
    """A score and the words said with it (``comment`` is empty when there were none)."""

    score: int
    comment: str = ""


def split_rating(
    text: str,
    parse: Callable[[str], int | None],
    *,
    words: bool,
    middle: float | None = None,
    longest: int | None = None,
) -> Scored | None:
    """The score ``parse`` finds at the start or the end of ``text``, and the rest as the comment.

    ``parse`` reads a whole reply ("5 stars", "给五星", "非常满意"); ``words`` says whether the
    scale has words at all (CSAT and CES do: "very satisfied"; NPS does not), which allows a word
    rating beside a comment when punctuation separates them ("非常满意，客服很耐心"). With the
    scale's ``middle``, a comment that is itself a rating on the other side of it makes the reply
    none: "1 - very easy" on CES (7 is easy), "非常满意，1分". ``longest``: the most characters a
    score ``parse`` reads may have; a longer side is not tried as the score.
    """
    original = unicodedata.normalize("NFKC", text).strip()
    t = original.lower()
    if not t or len(t) > MAX_LENGTH or len(t) != len(original):
        return None
    # Numbers first: in "态度很好但是没解决问题，3分" the rating is the 3, the words its comment.
    for numbers in (True, False):
        for end in _cuts(t, from_start=True):
            head, rest = t[:end], t[end:]
            score = _score(head, rest, parse, words=words, leading=True, numbers=numbers, longest=longest)
            if score is not None and not numbers and _snark(score, rest, middle):
                return None  # "great, now my account is locked", "perfect, it broke again"
            if score is not None:
                return _unless_contradicted(Scored(score, _comment(original[end:])), rest, parse, middle)
        for start in _cuts(t, from_start=False):
            rest, tail = t[:start], t[start:]
            score = _score(tail, rest, parse, words=words, leading=False, numbers=numbers, longest=longest)
            if score is not None:
                return _unless_contradicted(Scored(score, _comment(original[:start])), rest, parse, middle)
    return _buried(original, parse, middle)


# A complaint after praise words makes them sarcasm: "wonderful, still not fixed", "awesome, still waiting".
_SNARK = re.compile(
    r"\b(?:still|again|now my|not fixed|broke|broken|locked|doesn't work|didn't work|not working"
    r"|thanks for nothing)\b"
    r"|还是不行|还是没|又坏|又不行|依然不|仍然不|没解决|不能用|用不了"
)


def _snark(score: int, rest: str, middle: float | None) -> bool:
    """A word rating on the good side of ``middle`` followed by a complaint: sarcasm."""
    return middle is not None and score > middle and _SNARK.search(rest) is not None


# Clauses of a longer message: "物流很快，客服态度很好，五星好评，下次还会再来的".
_CLAUSE = re.compile(r"[^,，。.!！;；\n]+")
# Words anywhere around a buried score that may make it a condition, a guess, a correction or a sneer.
_DOUBT = re.compile(
    r"\b(?:if|when|once|unless|until|would|could|should|might|may|maybe|perhaps|probably|wish|next time"
    r"|last time|before|was going to|meant|wanted to|not|no|never|jk|kidding|lol|wait|actually|sorry"
    r"|asked|told|wants?)\b|\?"
    r"|可能|大概|也许|估计|应该|不对|错了|改成|呵呵|本来|原本|如果|要是|假如|上次|之前|以前|不是|不能|不会"
    r"|让我|叫我|要我|说要|客服说|吗|什么|怎么|为什么|为啥|几时|哪"  # asked to, or asking
)


def _buried(original: str, parse: Callable[[str], int | None], middle: float | None) -> Scored | None:
    """A score with its unit or its verb that is a whole clause in the middle of a longer message
    ("昨天问了三次才解决，体验不太好，给2分吧，希望改进"): the only clause that is a score, among
    words that neither doubt it nor give another."""
    t = original.lower()
    clauses = list(_CLAUSE.finditer(t))
    scored = [
        (clause, score)
        for clause in clauses[1:-1]
        if _NUMERIC.search(part := clause[0].strip())
        and not _BARE_NUMBER.match(part)
        and (score := parse(part)) is not None
    ]
    if len(scored) != 1 or any(parse(c[0].strip()) is not None for c in (clauses[0], clauses[-1])):
        return None
    ((clause, score),) = scored
    comment = t[: clause.start()] + t[clause.end() :].lstrip(_SEPARATORS)
    if _DOUBT.search(comment) or re.search(_IF_OR_REPORTED, comment) or _another_score(comment, score, parse):
        return None
    before, after = original[: clause.start()].rstrip(), original[clause.end() :].lstrip(_SEPARATORS)
    words = before + ("" if _HAN.match(after[:1]) else " ") + after
    return _unless_contradicted(Scored(score, _comment(words)), comment, parse, middle)


def _unless_contradicted(
    found: Scored, rest: str, parse: Callable[[str], int | None], middle: float | None
) -> Scored | None:
    """``found``, unless its comment (or ``rest``, the other side of the cut, when that is all
    separators: an emoticon, "5 :(") rates on the other side of the scale's middle: the customer
    read the scale the other way round ("1 - excellent service") or said two things."""
    said_with = found.comment.lower() or rest.strip()
    if middle is None or not said_with or (said := parse(said_with)) is None:
        return found
    return None if (found.score - middle) * (said - middle) < 0 else found


def _cuts(t: str, *, from_start: bool) -> Iterator[int]:
    """Where ``t`` may be cut into score and comment: at separators and at Chinese word edges.

    Longest score first from the start ("5 stars, ..." before "5 ..."); from the end, the longest
    score first too ("给五星" before "五星").
    """
    positions = range(len(t) - 1, 0, -1) if from_start else range(1, len(t))
    for i in positions:
        left, right = t[i - 1], t[i]
        at_separator = (right in _SEPARATORS) != (left in _SEPARATORS) and (
            right in _SEPARATORS if from_start else left in _SEPARATORS
        )
        between_han = bool(_HAN.match(left) or _HAN.match(right)) and not (
            left in _SEPARATORS or right in _SEPARATORS or (right in _PARTICLES and _HAN.match(left))
        )  # a particle belongs to the word before it: "挺满意的" is one phrase
        before = t[i - 2] if left == "\ufe0f" and i >= 2 else left  # "⭐️" is one star
        at_emoji = right != "\ufe0f" and _glyph(before) != _glyph(right)
        at_emoji = at_emoji and left not in _SEPARATORS and right not in _SEPARATORS
        if at_separator or between_han or at_emoji:  # "5👍"
            yield i


_OPENING = " \t\n(（[【"


@dataclass(slots=True)  # not frozen: frozen instances cost more to make, one per cut tried
class _Cut:
    """One way of cutting a message: ``part`` that may be the score, ``rest`` its comment."""

    part: str
    rest: str
    leading: bool
    gap: str
    """The separators between the score and the comment."""
    comment: str
    decoration: bool
    """The comment is only emoji or an emoticon ("5 👍")."""

    # Properties, not fields: most cuts are refused before these are needed.
    @property
    def numeric(self) -> bool:
        return bool(_NUMERIC.search(self.part) or _BARE_NUMBER.match(self.part))

    @property
    def punctuated(self) -> bool:
        """Punctuation, or a space between Chinese words (the way Chinese chat separates phrases)."""
        return any(ch not in " \t\n" for ch in self.gap) or (
            bool(self.gap) and _HAN.search(self.part) is not None
        )

    @classmethod
    def make(cls, part: str, rest: str, *, leading: bool) -> _Cut:
        # Only the side of the cut loses its separators: "-1" stays a negative number.
        # ... and an opening bracket before a leading score goes with its closing one: "(5) Very satisfied"
        part = part.rstrip(_SEPARATORS).lstrip(_OPENING) if leading else part.lstrip(_SEPARATORS).rstrip()
        gap = (
            rest[: len(rest) - len(rest.lstrip(_SEPARATORS))]
            if leading
            else rest[len(rest.rstrip(_SEPARATORS)) :]
        )
        bare = rest.replace(" ", "")
        return cls(
            part=part,
            rest=rest,
            leading=leading,
            gap=gap,
            comment=rest.strip(_SEPARATORS),
            decoration=bool(bare) and (all(_emoji(ch) for ch in bare) or bool(_EMOTICON.match(bare))),
        )


def _score(
    part: str,
    rest: str,
    parse: Callable[[str], int | None],
    *,
    words: bool,
    leading: bool,
    numbers: bool,
    longest: int | None,
) -> int | None:
    """The score in ``part`` if ``rest`` (the other side) can stand as its comment; ``numbers``: only
    a score with digits, number words or stars, else only a word rating."""
    cut = _Cut.make(part, rest, leading=leading)
    if not _may_hold_score(cut, numbers=numbers, longest=longest):
        return None
    score = _parsed(cut, parse)
    if score is None or cut.decoration:
        stars = cut.decoration and bool(_STARS.search(cut.comment))
        return None if stars and parse(cut.comment) not in (None, score) else score  # "⭐⭐⭐⭐ 5/5": which?
    if _withdrawn(cut):
        return None
    if not cut.numeric:
        return _word_rating(cut, score, parse, words=words)
    if _qualified(cut) or _two_scores(cut, score, parse):
        return None
    return _number_rating(cut, score, parse)


def _may_hold_score(cut: _Cut, *, numbers: bool, longest: int | None) -> bool:
    """Whether ``cut`` is worth parsing: a short enough part of the kind asked for, words beside it."""
    if longest is not None and len(cut.part) > longest:
        # Every cut of a message is tried (one per character of Chinese), each through regexes and a
        # parse over its whole part: 299 × "不" cost 0.2 s a message before this early refusal.
        return False
    if not cut.part or not (cut.decoration or len(_WORDY.findall(cut.comment)) >= 2):
        return False  # the other side must be words ("5 👍" is a score with a thumbs-up)
    return cut.numeric == numbers and not _number_runs_on(cut)


def _parsed(cut: _Cut, parse: Callable[[str], int | None]) -> int | None:
    """The score ``cut``'s part reads as, after a lead-in before a punctuated leading score."""
    score = parse(cut.part)
    if (
        score is None
        and cut.leading
        and cut.punctuated
        and (lead := SCORE_LEAD_IN.match(cut.part))
        and lead.end()
    ):
        score = parse(cut.part[lead.end() :])  # "a 3, meh", "i'd say 2, it took three days"
    return score


def _withdrawn(cut: _Cut) -> bool:
    """The words beside the score take it back, sneer at it, hedge it or make it a reference."""
    if (cut.leading and cut.comment in _TAKEN_BACK) or _SNEER.search(cut.comment):
        return True  # "great... NOT", "so helpful (not)", "呵呵，五星"
    if not cut.leading and cut.comment.endswith(_HEDGE_BEFORE):
        # "7到8分", "可能，4分"; but a comma ends "等了5天才到，1星" before its score
        return not (cut.comment.endswith(_JOINING_BEFORE) and cut.gap.strip() in _CLAUSE_ENDS)
    if _HOW_MANY.search(cut.comment):
        return True  # "满分几分": how many points is full marks?
    return not cut.leading and bool(_BARE_NUMBER.match(cut.part)) and cut.comment.endswith(_REFERENCE_HAN)


def _two_scores(cut: _Cut, score: int, parse: Callable[[str], int | None]) -> bool:
    """The comment gives a score of its own."""
    if cut.leading and any(ch.isdigit() for ch in cut.comment) and parse(cut.comment) not in (None, score):
        return True  # "10分满分给9分": the 9 after the scale, read from the end ("⭐⭐⭐⭐⭐ 5/5" is one)
    return _another_score(cut.comment, score, parse)


# A comment that takes the rating before it back.
_TAKEN_BACK = {
    "not", "jk", "just kidding", "kidding", "/s", "lol not", "not really", "sarcasm", "yeah right", "as if",
    "no", "nope", "nah",  # "5 no": asked and answered?
}  # fmt: skip
# 呵呵 beside a rating is a sneer in Chinese chat: "呵呵，五星" is no five stars.
_SNEER = re.compile(r"^(?:呵呵|嗬嗬)|(?:呵呵|嗬嗬)[呵嗬的哒]*$")
# "gets a 10", "deserve an 8": the article after a verb that rates is a score's, not a count's.
_RATES_AN = re.compile(r"\b(?:gets?|got|give[ns]?|gave|deserves?|deserved|rate[sd]?|earns?|earned) an?$")
# What is taken off a score is no score of its own: "4星，扣一星因为物流", "5 stars minus 1 for the wait".
_TAKEN_OFF = ("扣", "减", "少", "扣了", "减了", "少了", "扣掉", "减掉", "minus", "off", "lose", "less")
# A number in a comment that may be a score of its own: digits standing alone, or a Chinese numeral
# with 分 or 星; not part of a longer token ("2nd", "3:30", "4.5", "24/7", "#3", "$5", "第3次") or
# the start of a range ("7-10天").
_NUMBER_IN_COMMENT = re.compile(
    r"(?<![0-9a-z.:/#$¥￥第零〇一二两三四五六七八九十-])"
    r"(?:\d{1,2}|[零〇一二两三四五六七八九十]{1,3}(?=\s*(?:[颗个]?[分星]|颗)))"
    r"(?![0-9a-z.:/%零〇一二两三四五六七八九十-]|\s*[-~～到至]\s*\d)"
)
_SCORE_UNIT = re.compile(r"\s*(?:[颗个]?[分星]|颗|stars?\b|points?\b|pts?\b)")  # "五颗星给四颗"
# Prepositions after a number do not make it a quantity here: "5 stars for speed, 2 for quality".
_NOT_QUANTITIES = {"star", "stars", "point", "points", "pts", "pt", "for", "in", "at", "of", "out"}


def _another_score(comment: str, score: int, parse: Callable[[str], int | None]) -> bool:
    """``comment`` gives a different score of its own: "last time 5, this time 2", "2 then 4",
    "客服5分，产品1分". Quantities ("took 2 days", "等了3天") and references ("order 4") are none."""
    for found in _NUMBER_IN_COMMENT.finditer(comment):
        before, after = comment[: found.start()].rstrip(), comment[found.end() :]
        unit = _SCORE_UNIT.match(after)
        if unit is not None:
            if after[unit.end() : unit.end() + 1] in _UNIT_WORDS.get(unit[0][-1], set()):
                continue  # 3分钟, 5星级
        else:
            word = re.match(r"\s*([a-z']+|[\u4e00-\u9fff])", after)
            if word is not None and (
                (word[1] in _QUANTITY_AFTER and word[1] not in _NOT_QUANTITIES) or word[1] in _QUANTITY_HAN
            ):
                continue  # "2 days", "3天"
        words_before = before.split()
        if before.endswith(_TAKEN_OFF) and not before.endswith(("至少", "最少", "多少")):
            # "4星，扣一星因为物流" explains the 4; "五星，扣一分": 5 or 4?
            if parse(str(score + 1)) is None:
                return True
            continue
        if (
            (words_before and words_before[-1] in _REFERENCE_BEFORE and not _RATES_AN.search(before))
            or before.endswith((*_REFERENCE_HAN, *_HEDGE_BEFORE, "满分", "满分是"))
            or _QUALIFIED_BEFORE.search(before)
            or _HYPOTHETICAL_HAN.search(before)
        ):
            continue  # "order 4", "订单号5", "满分10分", "would've been 5", "本来想给5分"
        said = "" if unit is None else "颗星" if unit[0].strip() == "颗" else unit[0]  # "四颗": four stars
        value = parse(found[0] + said)
        if (value is not None and value != score) or (value is None and said and found[0].isdigit()):
            return True  # "10分满分给9分，很好" asked out of 5: points on another scale
    return False


def _qualified(cut: _Cut) -> bool:
    """The words beside a number score hedge, bound or deny it, make it a condition, or question it
    ("5? no way")."""
    if cut.leading:
        if not cut.punctuated and _ASKING.search(cut.rest):
            return True  # "5星能返现吗", "5分是最高吗": asked about, not given
        return "?" in cut.gap or "？" in cut.gap or _QUALIFIED_AFTER.match(cut.comment) is not None
    if _HYPOTHETICAL_HAN.search(cut.comment):
        return True
    if cut.punctuated:
        return False
    bounded = _NUMERIC.match(cut.part) is not None and _BOUNDED_BEFORE.search(cut.comment) is not None
    return bounded or _QUALIFIED_BEFORE.search(cut.comment) is not None


def _clause_break(cut: _Cut) -> bool:
    """A comma or full stop ends the score's clause: a space after it, or a unit or a Chinese word
    before it ("1星，", "五星好评，")."""
    return bool(_CLAUSE_BREAK.match(cut.gap)) or (
        (_UNIT_END.search(cut.part) is not None or _HAN.match(cut.part[-1:]) is not None)
        and cut.gap.strip() in {",", ";", "!"}
    )


def _starts_with_count(comment: str) -> bool:
    """``comment`` starts with a count of time or things: "3 days to reply", "3天才回复"."""
    found = re.match(r"\d+\s*([a-z]+|分钟|星期|[\u4e00-\u9fff])", comment)  # "10分钟": minutes, not points
    return found is not None and (
        found[1] in _COUNTED or found[1] in _QUANTITY_HAN - set("号分星点") or found[1] in ("分钟", "星期")
    )


def _number_runs_on(cut: _Cut) -> bool:
    """The score is part of a longer number on the other side of the cut."""
    if (
        cut.leading
        and cut.numeric
        and (_DIGIT_WORD.match(cut.comment) or cut.comment.startswith(("/", "分之")))
        and not (_starts_with_count(cut.comment) and _clause_break(cut))
    ):
        return True  # "4.5", "4-5", "10:30", "8/10"; not "2 stars, 3 days to reply"
    other_number = _NUMERIC.match if cut.leading else _NUMBER_AT_END.search
    if cut.numeric and "/" in cut.gap and other_number(cut.comment):
        return True  # "four/five": four out of five, whatever the scale asked
    if not cut.leading and _NEGATIVE_SIGN.search(cut.gap) and cut.part[:1].isdigit():
        return True  # "good -1", "rating -1": a negative number, not a 1
    unit_after = cut.leading and _BARE_NUMBER.match(cut.part) and _UNIT_START.match(cut.comment)
    if unit_after and not _clause_break(cut):
        return True  # "5-star" on NPS: the score was said with its unit, and the scale refused it
    if cut.numeric and _RANGE_GAP.search(cut.gap) and _RANGE_END.match(cut.comment):
        return True  # "six-seven", "four - five stars": a range
    if not cut.leading and not cut.gap and _HAN_POINT.search(cut.comment):
        return True  # "九点五分", "四点五星": 9.5 points, 4.5 stars
    # "please 4.5", "1-5", "10:30"
    return not cut.leading and cut.comment[-1:].isdigit() and not any(ch.isspace() for ch in cut.gap)


def _word_rating(cut: _Cut, score: int, parse: Callable[[str], int | None], *, words: bool) -> int | None:
    """A word rating ("非常满意，..."), never right after a negation or a condition ("本来想给差评的")."""
    if not words or (
        not cut.leading and (_NEGATING_BEFORE.search(cut.comment) or _HYPOTHETICAL_HAN.search(cut.comment))
    ):
        return None
    if cut.leading and ("?" in cut.gap or "？" in cut.gap):
        return None  # "好评？不存在的": asked back
    if (cut.leading and parse(cut.comment) is not None) or _another_score(cut.comment, score, parse):
        return None  # "average, 3 stars": the number is the rating; "5分，2号客服很好": which?
    # "服务很好非常满意"; "不难也不简单" (neither hard nor easy) is one phrase
    glued = (
        not cut.gap and bool(_HAN.match(cut.part)) and len(cut.part) >= 3 and not cut.comment.endswith("也")
    )
    return score if cut.punctuated or glued else None


def _number_rating(cut: _Cut, score: int, parse: Callable[[str], int | None]) -> int | None:
    """A rating with digits, number words or stars, unless the words beside make it a quantity."""
    part, comment, leading = cut.part, cut.comment, cut.leading
    if part.startswith(_NOT_A_SCORE_PREFIX) and _HAN.match(cut.rest.lstrip()[:1] or " "):
        return None  # 十分满意: "very satisfied", not ten points
    if not cut.gap:  # glued to Chinese: "三分态度一般", "客服很专业给五星"
        return _glued(part, cut.rest, score, leading=leading)
    if _BARE_NUMBER.match(part) and not cut.punctuated and _bare_number_is_quantity(cut, parse):
        return None
    if not cut.punctuated and not _BARE_NUMBER.match(part):  # "2 of 5 items", "page 2 of 5"
        words_around = comment.split()
        if (words_around[0] in _COUNTED) if leading else (words_around[-1] in _POSITION_BEFORE):
            return None
        if leading and _BARE_NUMBER.match(part.split()[-1]) and words_around[0] in _MONEY_AND_TIME:
            return None  # "worth 10 dollars", "I'd give 5 bucks": the number counts what follows
    if (
        _BARE_NUMBER.match(part)
        and not leading
        and _REFERENCE_BEFORE & {comment.split()[-1].rstrip(".")}
        and cut.gap.strip() not in _CLAUSE_ENDS
    ):
        return None  # "order no. 5", "room: 5"; not "waited 3 days, 1"
    return score


def _bare_number_is_quantity(cut: _Cut, parse: Callable[[str], int | None]) -> bool:
    """A bare number ("3", "three") set off by a space only is a count or a name by the word beside it."""
    part, comment, leading = cut.part, cut.comment, cut.leading
    if leading and not part.isdigit() and not _HAN.match(part):
        return True  # "one sec", "two more questions": a number word before words is a quantity
    words_around = comment.split()
    neighbour = (words_around[0] if leading else words_around[-1]).strip(_SEPARATORS)  # "stars," is "stars"
    if leading and _SURELY.match(comment):
        return False  # "10 for sure", "10 of course"
    if (neighbour in _QUANTITY_AFTER) if leading else (neighbour in _REFERENCE_BEFORE):
        return True
    if not leading and len(words_around) < 2 and not _HAN.search(comment) and parse(comment) is None:
        return True  # "junk 1", "Gate 5": one word and a number is a name ("easy 7" is a rating)
    return bool(leading and neighbour[:1] in _QUANTITY_HAN)


def _glued(part: str, rest: str, score: int, *, leading: bool) -> int | None:
    """A score written against Chinese text without a space: it needs its unit (分, 星) or a 给/打
    before it, and the next character must not make another word of the unit (分钟, 星级)."""
    if _BARE_NUMBER.match(part) or (leading and _NUMERIC.match(part[-1]) and rest[:1] in "分星颗"):
        return None  # "给5|分哦": the cut is inside the score
    if leading:
        unit = part[-1]
        if rest[:1] in _UNIT_WORDS.get(unit, set()) or rest[:1] in _QUANTITY_HAN - {"分", "星"}:
            return None
        return score
    unit = part.rstrip(_PARTICLES + "!！~～")[-1:]  # "我觉得4分吧"
    return score if part[:1] in "给打评" or unit in "分星⭐★颗" else None  # "非常满意⭐⭐⭐⭐⭐"


_STARS = re.compile(r"[⭐★🌟]")
_EMOTICON = re.compile(r"^(?:[:;=8][-']?[)(dpo3*\]\[|/\\]+|\^_*\^|xd+|<3)+$", re.IGNORECASE)


def _glyph(ch: str) -> int:
    """0 for text, 1 for an emoji, 2 for a star: a cut falls where they change ("5👍", "⭐⭐⭐⭐⭐👍")."""
    return 2 if ch in "⭐★☆🌟" else int(_emoji(ch))


def _emoji(ch: str) -> bool:
    """A pictograph (👍 😊 ❤ ✨) or the variation selector after one."""
    code = ord(ch)
    return code >= 0x1F300 or 0x2600 <= code <= 0x27BF or code in (0x2B50, 0xFE0F)  # ⭐


def _comment(text: str) -> str:
    return text.strip(_SEPARATORS)

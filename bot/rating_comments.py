"""A score and a comment in one message: "5 stars, super quick reply", "2，等太久了", "pretty easy, 6".

People rate in chat the way they talk: the score first or last, the reason beside it. This module
finds a score expression (anything :func:`bot.answers.parse_rating` reads on its own) at the start or
the end of the message and keeps the rest as the comment. It refuses whenever the number is more
likely a quantity or a reference than a score: "3 days later", "order 5", "5分钟", "十分满意",
"maybe 4", "4.5", "4-5", "10:30", a number its words hedge, bound, deny or make a condition ("at
least 4", "not 5 stars", "给不了5分", "would have been 5", "5 if you had answered sooner", "5? no way"),
and a word rating right after a negation ("not satisfied"). The words that tell are in
:mod:`bot.quantities` (counts and references), :mod:`bot.hedges` (hedges, bounds, conditions,
questions) and :mod:`bot.second_scores` (a second score beside the first).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot import faces, hedges, quantities, second_scores
from bot.framing import says_nothing
from bot.number_words import EN_WORDS
from bot.rating_cuts import BARE_NUMBER as _BARE_NUMBER
from bot.rating_cuts import HAN as _HAN
from bot.rating_cuts import NUMERIC as _NUMERIC
from bot.rating_cuts import PARTICLES as _PARTICLES
from bot.rating_cuts import SEPARATORS as _SEPARATORS
from bot.rating_cuts import Cut as _Cut
from bot.rating_cuts import cuts as _cuts

MAX_LENGTH = 300
_WORDY = re.compile(r"[a-z\u4e00-\u9fff]", re.IGNORECASE)
_DIGIT_WORD = re.compile(r"^(?:[0-9]|/|分之)")  # "4.5", "8/10", "三分之一"
# "5 stars out of 10": the score's scale, after it
_OVER = re.compile(r"(?:out of|outta|outa|of|from|over|on)\s*(?:\d|ten\b|five\b|seven\b)")
_NUMBER_AT_END = re.compile(r"(?:\d|[零〇一二两三四五六七八九十]|\b(?:" + EN_WORDS + r"))$")
# "5 stars!! 5 days to deliver"; not a dash: "3 - 4 days" is a range of days
_CLAUSE_BREAK = re.compile(r"^\s*(?:[,.;]|!+)\s+$|^[ \t]*\n\s*$")  # a line break ends a clause too
_UNIT_END = re.compile(r"(?:[分星⭐★]|\bstars?|\bpoints?|\bpts?|\bmarks?)$")
# A range said in words: "six-seven", "four ~ five stars" (digits are caught as they run on).
_RANGE_GAP = re.compile(r"[-~～–—]")
_RANGE_END = re.compile(r"^(?:\d{1,2}|" + EN_WORDS + r")(?:\s*(?:stars?|points?))?$")
_ORDINAL_START = re.compile(r"\d{1,2}(?:st|nd|rd|th)\b")  # "2nd time you saved me"
_NEGATIVE_SIGN = re.compile(r"(?:^|\s)[-−]$")
_UNIT_START = re.compile(r"(?:stars?|starz|stras|satrs|strs|starts?|points?|pts?|marks?)\b|[分星⭐★🌟]")
_HAN_POINT = re.compile(r"[\d零〇一二两三四五六七八九十]\s*点$")  # the decimal point of "九点五"
# The decimal point said in words: "three point five", "seven point 5" (a number before "point", one after).
_POINT_END = re.compile(r"(?:\d|\b(?:" + EN_WORDS + r"))\s*point$")
_CLAUSE_ENDS = {",", "，", ";", "；"}
_GOODBYE = re.compile(r"bye|bye bye|goodbye|later|laters|cya|see ya|ttyl", re.IGNORECASE)  # "later 8"
# A question of its own after the score and a conjunction, about something else: "5 but how do i cancel my
# order?" ("5 but why?" is too short to tell)
_QUESTION_BACK = re.compile(
    r"(?:but|and|also)\s+(?:how|when|where|what|who|why|can|could|will|do|does)\s+[a-z']+\s+[a-z']+"
)
# Two groups of a phone, order or tracking number before a last one: "7731 2233 09" is no 9.
_DIGIT_GROUP_END = re.compile(r"(?<!\d)\d{3,12}[ \t]+\d{3,12}$")


# Words after a score that say it is meant, for now, or whom it is for, though "for" and "of" after a
# number make it a count: "10 for sure", "5 for now", "5 for you", "5 to the team" ("5 for $10" is a count).
_SURELY = re.compile(
    r"^(?:for sure|of course|for real|for now|so far|for the moment|for the time being|to be (?:honest|fair)"
    r"|(?:for|to) (?:you|u|ya|y'all|you guys|you all|him|her|them"
    r"|(?:the|your) (?:agent|staff|service|support|team|help|rep|guy|lady|girl|chat|experience)))\b"
)
# Words before a score that change nothing: "honestly a 4", "definitely 10", "a 4". A whole reply
# may start with them; a score with a comment only when punctuation sets it off ("a 3, meh"), since
# "a 2 pack of cables arrived broken" is no rating.
SCORE_LEAD_IN = re.compile(
    r"^(?:(?:a|an)\s+)?"
    r"(?:(?:(?:a|an)\s+(?=solid|strong|firm|hard\b|perfect|generous))?"  # "i'd say a solid 8"
    r"(?:honestly|definitely|defin[ai]tely|definetly|definitly"  # "definately a 5": spelled as said
    r"|def|defo|easily|solid|overall|i'?d say|id say|i would say|i say|absolutely"
    r"|i'?ll say|ill say|i will say|(?:i'?m |im )?gonna say|imma say"  # "ill say 4", "gonna say 9"
    r"|certainly|surely|totally|obviously|clearly|ngl|tbh|um+|uh+|hm+|well|for me|always|as always|actually"
    r"|lowkey|highkey|deadass|srsly|seriously|fr|ong|idc|bruh|u1s1|有一说一|xswl|笑死"  # teenagers' chat
    r"|smh"  # shaking my head: "smh 1"
    # "just a 3"; "a hard 10" is firm, "so hard 1" a rating
    r"|only|just|sadly|unfortunately|regrettably|sorry(?: but)?|strong|weak|(?<!so )hard|firm|perfect"
    r"|of course|ofc|obvs|duh|generous|mere|measly|to be (?:honest|fair)|tbf"
    r"|pakka|bas|confirm"  # Hinglish "pakka 10" (surely), "bas 5" (just); Singlish "confirm 9"
    r"|so|ok so|okay so|basically|yeah|so yeah"  # as speech runs on: "so basically 4", "so yeah a 4"
    r"|erm+|er|let me (?:think|see)"  # "erm 2", "let me think, 4"
    r"|anyway|anyways|all in all|in the end"  # a story summed up: "..., anyway 4"
    r"|lo+l|lma+o+|(?:ha){2,}"  # laughing first: "lmaooo 2"
    # an angry customer's swearing, masked or not, before the score: "f***ing 1", "FUCKING 1", "bloody 2"
    r"|f[u*][*ck]{0,4}(?:ing|in)|freaking|frigging|effing|bloody|damn"
    # "its" is how chat spells "it's": "its a three from me"; "it was a 2"; "like a 6" (not "like 6": about 6)
    r"|(?:it'?s|it is|it was|that'?s|that is|that was|i'm|i am|you get|you guys get|like"
    r"|(?:i'?d|id|i would|i'?ll|i will) give (?:it|you|u|them))"  # voice notes: "I'd give it like a four"
    r"(?=\s+(?:like\s+)?an?\s))"  # "it was like a 2"
    r"[\s,，.…?]+){0,4}"  # "well... 3", "honestly? 2", "so basically like a 4": a few in a row
    r"(?:(?:嗯+|呃+|额+|哎|唉|那个|我说)[\s,，.…]*+){0,3}"  # voice typing's fillers: "呃 那个 给三分"
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
    ``parse`` reads a whole reply ("5 stars", "给五星", "非常满意"); ``words`` says whether the scale has
    words at all (CSAT and CES do; NPS does not), which allows a word rating beside a comment when
    punctuation separates them ("非常满意，客服很耐心"). With the scale's ``middle``, a comment that is
    itself a rating on the other side of it makes the reply none: "1 - very easy" on CES, "非常满意，1分".
    ``longest``: the most characters a score ``parse`` reads may have; a longer side is not tried."""
    original = unicodedata.normalize("NFKC", text).strip()
    t = original.lower()
    if not t or len(t) > MAX_LENGTH or len(t) != len(original):
        return None
    # Numbers first: in "态度很好但是没解决问题，3分" the rating is the 3, the words its comment.
    for numbers in (True, False):
        for end in _cuts(t, from_start=True):
            head, rest = t[:end], t[end:]
            score = _score(
                head, rest, parse, words=words, leading=True, numbers=numbers, longest=longest, middle=middle
            )
            if score is not None and not numbers and _snark(score, rest, middle):
                return None  # "great, now my account is locked", "perfect, it broke again"
            if score is not None:
                return _found(score, original[end:], rest, parse, middle, after=True)
        for start in _cuts(t, from_start=False):
            rest, tail = t[:start], t[start:]
            score = _score(tail, rest, parse, words=words, leading=False, numbers=numbers, longest=longest)
            if score is not None and not numbers and _praised_wait(score, rest, middle):
                return None  # "wow 3 hours on hold, amazing"
            if score is not None:
                side = original[:start]
                led = _lead_in_clause(side.lower().rstrip())
                return _found(score, side if led is None else side[:led], rest, parse, middle, after=False)
    return _buried(original, parse, middle)


_LAST_CLAUSE = re.compile(r"[,，;；.。!！?？]([^,，;；.。!！?？]{1,30})$")  # no \s* before: one way to split


def _lead_in_clause(comment: str) -> int | None:
    """Where the last clause of ``comment`` starts when it only brings in the score after it
    ("pretty likely, like an", "slow reply, a"); ``None`` when it says more, or is all there is."""
    clause = _LAST_CLAUSE.search(comment)
    if clause is None:
        return None
    words = clause[1].lstrip()
    lead = SCORE_LEAD_IN.match(words + " 1")
    return clause.start(1) if words and lead is not None and lead.end() == len(words) + 1 else None


def _found(
    score: int, side: str, rest: str, parse: Callable[[str], int | None], middle: float | None, *, after: bool
) -> Scored | None:
    """``score`` with the other ``side`` of the cut (as written, ``after`` the score or before it) as
    its comment; a face there only when it says something the score does not
    (:func:`bot.faces.face_beside`)."""
    if middle is not None and score > middle and hedges.sarcastic(_comment(rest)):
        return None  # "5 stars for waiting 3 hours", "给你们10分，等了两个礼拜呢"
    for face in (side.strip(), _comment(side)):  # ":(" is all separators; ", 🙄" is set off by them
        said = faces.face_beside(face, score, middle) if middle is not None else None
        if said is not None:
            return Scored(score, face if said == "comment" else "")
    comment = _comment(side)
    if middle is not None:
        comment = faces.without_agreeing_face(comment, score, middle, after=after)
    return _unless_contradicted(Scored(score, comment), rest, parse, middle)


def _praised_wait(score: int, before: str, middle: float | None) -> bool:
    """A word rating on the good side of ``middle`` after a long wait told: sarcasm."""
    return middle is not None and score > middle and hedges.praised_wait(before)


def _snark(score: int, rest: str, middle: float | None) -> bool:
    """A word rating on the good side of ``middle`` followed by a complaint: sarcasm."""
    return middle is not None and score > middle and hedges.SNARK.search(rest) is not None


# Clauses of a longer message: "物流很快，客服态度很好，五星好评，下次还会再来的".
_CLAUSE = re.compile(r"[^,，。.!！;；\n]+")


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
    if len(scored) != 1:
        return None
    ((clause, score),) = scored
    if any(_rival(edge[0].strip(), score, parse, middle) for edge in (clauses[0], clauses[-1])):
        return None
    comment = t[: clause.start()] + t[clause.end() :].lstrip(_SEPARATORS)
    if (
        hedges.DOUBT.search(comment)
        or re.search(hedges.IF_OR_REPORTED, comment)
        or second_scores.another_score(comment, score, parse)
    ):
        return None
    before, after = original[: clause.start()].rstrip(), original[clause.end() :].lstrip(_SEPARATORS)
    words = before + ("" if _HAN.match(after[:1]) else " ") + after
    return _unless_contradicted(Scored(score, _comment(words)), comment, parse, middle)


def _rival(clause: str, score: int, parse: Callable[[str], int | None], middle: float | None) -> bool:
    """A first or last clause that is a score of its own beside a buried one: a number, or words on
    the other side of the middle ("客服很好，给5分，物流慢" is one score with words that agree)."""
    said = parse(clause)
    if said is None:
        return False
    return bool(_NUMERIC.search(clause)) or middle is None or (said - middle) * (score - middle) <= 0


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


def _score(
    part: str,
    rest: str,
    parse: Callable[[str], int | None],
    *,
    words: bool,
    leading: bool,
    numbers: bool,
    longest: int | None,
    middle: float | None = None,
) -> int | None:
    """The score in ``part`` if ``rest`` (the other side) can stand as its comment; ``numbers``: only
    a score with digits, number words or stars, else only a word rating."""
    cut = _Cut.make(part, rest, leading=leading)
    if not _may_hold_score(cut, numbers=numbers, longest=longest):
        return None
    score = _parsed(cut, parse)
    if score is None or cut.decoration:
        stars = cut.decoration and bool(faces.STARS.search(cut.comment))
        return None if stars and parse(cut.comment) not in (None, score) else score  # "⭐⭐⭐⭐ 5/5": which?
    if _withdrawn(cut):
        return None
    if not cut.numeric:
        return _word_rating(cut, score, parse, words=words, middle=middle)
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
        and (cut.punctuated or cut.decoration or _set_off(cut.comment))  # "solid 4/5 👍"
        and (lead := SCORE_LEAD_IN.match(cut.part))
        and lead.end()
    ):
        # "a 3, meh", "i'd say 2, it took three days", "so basically 4 but the app is confusing",
        # "its a three from me", "like a 4 the delivery guy was rude"; not "a 2 pack of cables"
        score = parse(cut.part[lead.end() :])
    return score


# A conjunction after a score sets it off from its reason as a comma does: "4 but the app is confusing".
_SETS_OFF = re.compile(r"(?:but|because|cause|cuz|coz|though|although|since|except)\b")


def _set_off(comment: str) -> bool:
    """Whether ``comment`` after a score, with no punctuation between, is no noun the number counts: a
    reason ("but ..."), a clause of its own ("the delivery guy was rude") or words that say nothing."""
    return bool(
        _SETS_OFF.match(comment) or _SUBJECT.match(comment) or _SURELY.match(comment)
    ) or says_nothing(comment)  # "a 10 for sure"


def _withdrawn(cut: _Cut) -> bool:
    """The words beside the score take it back, sneer at it, hedge it or make it a reference."""
    if (cut.leading and hedges.taken_back(cut.comment)) or hedges.SNEER.search(cut.comment):
        return True  # "great... NOT", "so helpful (not)", "呵呵，五星"
    if not cut.leading and cut.comment.endswith(hedges.HEDGE_BEFORE):
        # "7到8分", "可能，4分"; but a comma or a line break ends "等了5天才到，1星" before its score
        ended = cut.gap.strip() in _CLAUSE_ENDS or "\n" in cut.gap
        return not (cut.comment.endswith(hedges.JOINING_BEFORE) and ended)
    if hedges.HOW_MANY.search(cut.comment):
        return True  # "满分几分": how many points is full marks?
    return (
        not cut.leading
        and bool(_BARE_NUMBER.match(cut.part))
        and cut.comment.endswith(quantities.REFERENCE_HAN)
        and "\n" not in cut.gap  # "打了两次电话\n4": a line break ends the sentence, as "took 3 days. 4"
    )


def _two_scores(cut: _Cut, score: int, parse: Callable[[str], int | None]) -> bool:
    """The comment gives a score of its own."""
    if cut.leading and any(ch.isdigit() for ch in cut.comment) and parse(cut.comment) not in (None, score):
        return True  # "10分满分给9分": the 9 after the scale, read from the end ("⭐⭐⭐⭐⭐ 5/5" is one)
    return second_scores.another_score(cut.comment, score, parse)


def _qualified(cut: _Cut) -> bool:
    """The words beside a number score hedge, bound or deny it, make it a condition, or question it
    ("5? no way")."""
    if not cut.punctuated and hedges.ASKS_WHICH.search(cut.comment):
        return True  # "4 到底哪个是容易", "哪个是最好 5": which end is which?
    if cut.leading:
        if not cut.punctuated and hedges.ASKING.search(cut.rest) and not _QUESTION_BACK.match(cut.comment):
            return True  # "5星能返现吗", "5分是最高吗": asked about, not given
        if hedges.EITHER_OR.match(cut.comment):
            return True  # "1分是容易还是难": which end is which?
        if "=" in cut.gap and (
            hedges.RIGHT_ASKED.search(cut.comment) or cut.rest.rstrip().endswith(("?", "？"))
        ):
            return True  # "1 = bad right?", "0 = never?": the scale's legend asked about, no score given
        return "?" in cut.gap or "？" in cut.gap or hedges.QUALIFIED_AFTER.match(cut.comment) is not None
    if hedges.HYPOTHETICAL_HAN.search(cut.comment):
        return True
    if cut.part.lstrip().startswith("就") and hedges.ONCE_DONE_BEFORE.search(cut.comment):
        return True  # "退款到账就给五星": once the refund arrives
    if cut.punctuated:
        return False
    bounded = _NUMERIC.match(cut.part) is not None and hedges.BOUNDED_BEFORE.search(cut.comment) is not None
    return bounded or hedges.QUALIFIED_BEFORE.search(cut.comment) is not None


def _clause_break(cut: _Cut) -> bool:
    """A comma or full stop ends the score's clause: a space after it, or a unit or a Chinese word
    before it ("1星，", "五星好评，")."""
    return bool(_CLAUSE_BREAK.match(cut.gap)) or (
        (_UNIT_END.search(cut.part) is not None or _HAN.match(cut.part[-1:]) is not None)
        and (cut.gap.strip() in {",", ";"} or set(cut.gap.strip()) == {"!"})  # "五星！！！3天就到了"
    )


def _number_runs_on(cut: _Cut) -> bool:
    """The score is part of a longer number on the other side of the cut."""
    if (
        cut.leading
        and cut.numeric
        and (_DIGIT_WORD.match(cut.comment) or _OVER.match(cut.comment))
        and not _count_after(cut)
    ):
        return True  # "4.5", "4-5", "10:30", "8/10"; not "2 stars, 3 days to reply"
    if not cut.leading and cut.numeric and not cut.gap.strip() and _DIGIT_GROUP_END.search(cut.comment):
        return True  # "my tracking no is 7731 2233 09": the last group of a longer number
    other_number = _NUMERIC.match if cut.leading else _NUMBER_AT_END.search
    if cut.numeric and "/" in cut.gap and other_number(cut.comment):
        return True  # "four/five": four out of five, whatever the scale asked
    if not cut.leading and cut.gap.endswith("/") and _BARE_NUMBER.match(cut.part):
        return True  # "meh/5", "great/10": the scale of the words, not a score
    if not cut.leading and _NEGATIVE_SIGN.search(cut.gap) and cut.part[:1].isdigit():
        return True  # "good -1", "rating -1": a negative number, not a 1
    unit_after = cut.leading and _BARE_NUMBER.match(cut.part) and _UNIT_START.match(cut.comment)
    if (
        unit_after and not _clause_break(cut) and not set(cut.gap) & set("(（")
    ):  # "5 (⭐⭐⭐⭐⭐)": said twice
        return True  # "5-star" on NPS: the score was said with its unit, and the scale refused it
    if cut.numeric and _RANGE_GAP.search(cut.gap) and _RANGE_END.match(cut.comment):
        return True  # "six-seven", "four - five stars": a range
    if not cut.leading and not cut.gap and _HAN_POINT.search(cut.comment):
        return True  # "九点五分", "四点五星": 9.5 points, 4.5 stars
    if cut.numeric and (_POINT_END.search(cut.part) if cut.leading else _POINT_END.search(cut.comment)):
        return _NUMERIC.match(cut.comment if cut.leading else cut.part) is not None  # "three point five"
    # "please 4.5", "1-5", "10:30"
    return (
        not cut.leading
        and cut.comment[-1:].isdigit()
        and not any(ch.isspace() or ch in "。；" for ch in cut.gap)
        and not (cut.gap == "," and _LONG_NUMBER_END.search(cut.comment))  # "订单号123456，4": no "4,5"
        and not (cut.gap == "," and _TIMES_END.search(cut.comment))  # "薯条x2，5星": two of them, no "2,5"
    )


def _count_after(cut: _Cut) -> bool:
    """A count after a leading score, its own clause: after a comma, a unit ("4 stars 2 hours on hold")
    or a dash down to it ("4 - 2 hours on hold"); or what is taken off ("4 of 5 stars, 1 star off"). An
    ordinal after a comma counts too: "10, 2nd time you saved me"."""
    if _ORDINAL_START.match(cut.comment):
        return _clause_break(cut) or _spaced_dash(cut)  # "4 - 1st call was useless": no range
    if quantities.SHARE_OF.match(cut.comment):
        return _clause_break(cut)  # "8, 3 of my mates are with you" ("3 - 4 of us" may be a range)
    if quantities.starts_with_count(cut.comment) or _LONG_NUMBER_START.match(cut.comment):
        return _clause_break(cut) or _UNIT_END.search(cut.part) is not None or _counts_down(cut)
    return _DEDUCTED.match(cut.comment) is not None and _clause_break(cut)


# A number of three digits or more is on no scale: a room, an order, a flight ("1分，305房间没有热水").
_LONG_NUMBER_START = re.compile(r"\d{3,}(?![\d.,:/])")
_DASHES = {"-", "–", "—"}
# What the comment takes off the score is no number it runs on with: "4 of 5 stars, 1 star off for the wait"
_DEDUCTED = re.compile(r"\d{1,2}\s*(?:stars?|points?|pts?)\s+(?:off|taken off|deducted|docked)\b")


def _counts_down(cut: _Cut) -> bool:
    """A spaced dash between a score and a smaller count: "4 - 2 hours on hold" (a range goes up:
    "3 - 4 days")."""
    score, count = re.match(r"\d{1,2}\b", cut.part), re.match(r"\d{1,4}\b", cut.comment)
    return _spaced_dash(cut) and score is not None and count is not None and int(count[0]) < int(score[0])


def _spaced_dash(cut: _Cut) -> bool:
    """The score and its comment are set apart by a dash with a space on each side: "4 - 1st call"."""
    return cut.gap.strip() in _DASHES and cut.gap[:1].isspace() and cut.gap[-1:].isspace()


def _word_rating(
    cut: _Cut, score: int, parse: Callable[[str], int | None], *, words: bool, middle: float | None = None
) -> int | None:
    """A word rating ("非常满意，..."), never right after a negation or a condition ("本来想给差评的")."""
    if not words or (
        not cut.leading
        and (hedges.NEGATING_BEFORE.search(cut.comment) or hedges.HYPOTHETICAL_HAN.search(cut.comment))
    ):
        return None
    if cut.leading and ("?" in cut.gap or "？" in cut.gap):
        return None  # "好评？不存在的": asked back
    said = parse(cut.comment) if cut.leading else None
    if said is not None and not _stronger_words(cut, score, said, middle):
        return None  # "average, 3 stars": the number is the rating
    if second_scores.another_score(cut.comment, score, parse):
        return None  # "5分，2号客服很好": which?
    # "服务很好非常满意"; "不难也不简单" (neither hard nor easy) is one phrase
    glued = (
        not cut.gap and bool(_HAN.match(cut.part)) and len(cut.part) >= 3 and not cut.comment.endswith("也")
    )
    return score if cut.punctuated or glued else None


def _stronger_words(cut: _Cut, score: int, said: int, middle: float | None) -> bool:
    """The leading words rate on the same side of ``middle`` as the word rating after them, and further
    from it: "非常满意，服务很好" is 5 with what was good as its comment (the 4 of "服务很好" says why)."""
    if middle is None or not cut.punctuated or _NUMERIC.search(cut.comment):
        return False  # "超级满意，服务" + "不错" is no cut between two ratings; "average, 3 stars"
    if _BARE_NUMBER.match(cut.comment):
        return False
    return (score - middle) * (said - middle) > 0 and abs(score - middle) > abs(said - middle)


def _number_rating(cut: _Cut, score: int, parse: Callable[[str], int | None]) -> int | None:
    """A rating with digits, number words or stars, unless the words beside make it a quantity."""
    part, comment, leading = cut.part, cut.comment, cut.leading
    if part.startswith(quantities.NOT_A_SCORE_PREFIX) and _HAN.match(cut.rest.lstrip()[:1] or " "):
        return None  # 十分满意: "very satisfied", not ten points
    if not cut.gap:  # glued to Chinese: "三分态度一般", "客服很专业给五星"
        return _glued(part, cut.rest, score, leading=leading)
    if not leading and _lead_in_clause(comment) is not None:
        return score  # "pretty likely, like an 8", "slow reply, a 3": the last clause only brings it in
    if _BARE_NUMBER.match(part) and not cut.punctuated and _bare_number_is_quantity(cut, parse):
        return None
    if not cut.punctuated and not _BARE_NUMBER.match(part):  # "2 of 5 items", "page 2 of 5"
        words_around = comment.split()
        if (
            (words_around[0] in quantities.COUNTED)
            if leading
            else (words_around[-1] in quantities.POSITION_BEFORE)
        ):
            return None
        counted = words_around[0] in quantities.MONEY_AND_TIME or quantities.counts(comment)
        if leading and _BARE_NUMBER.match(part.split()[-1]) and counted:
            return None  # "worth 10 dollars", "I'd give 5 bucks": the number counts what follows
    last = comment.split()[-1]
    if (
        _BARE_NUMBER.match(part)
        and not leading
        and quantities.REFERENCE_BEFORE & {last.rstrip(".")}
        and not _sentence_ends(cut.gap, last)
    ):
        return None  # "order no. 5", "room: 5"; not "waited 3 days, 1", "took 3 days. 4"
    if _BARE_NUMBER.match(part) and not leading and quantities.names_a_reference(comment):
        return None  # "my order number is 5", "the room was 4"
    return score


_LONG_NUMBER_END = re.compile(r"\d{3,}$")
_TIMES_END = re.compile(r"(?<![a-z0-9])[x×*]\d{1,3}$")  # a quantity: "x2", "×3"
_SENTENCE_ENDS = _CLAUSE_ENDS | {"!", "！", "。", "-", "–", "—"}


def _sentence_ends(gap: str, word: str) -> bool:
    """The separators ``gap`` after ``word`` end its clause or sentence: a comma, a line break, a full
    stop after a word that abbreviates none ("days. 4"; "no. 5" is a number)."""
    mark = gap.strip()
    abbreviated = word.rstrip(".") in {"no", "nr", "num"}
    return "\n" in gap or mark in _SENTENCE_ENDS or (mark == "." and not abbreviated)


# A subject starts a clause of its own: no number counts it ("two it was fine" is no count of "it").
# ... or a modal verb, its subject dropped as voice typing drops it ("zero would not recommend")
# "and" that starts a clause of its own after the score, not a count ("3 and a half", "1 and 2").
_AND_CLAUSE = re.compile(r"and (?:that'?s|thats|that is|that was|it'?s|its|it is|it was)\b")
_SUBJECT = re.compile(r"(?:i|i'm|im|it|it's|its|he|she|they|we|the|my|our|would|wouldn't|will|won't)\b")


def _bare_number_is_quantity(cut: _Cut, parse: Callable[[str], int | None]) -> bool:
    """A bare number ("3", "three") set off by a space only is a count or a name by the word beside it."""
    part, comment, leading = cut.part, cut.comment, cut.leading
    if leading and (_SURELY.match(comment) or quantities.for_whom(comment) or _AND_CLAUSE.match(comment)):
        return False  # "10 for sure", "10 of course", "5 for Maria", "1 and that's generous"
    if leading and not part.isdigit() and not _HAN.match(part) and not _SUBJECT.match(comment):
        # "one sec", "two more questions": a number word before words is a quantity; not before words
        # that say nothing ("six i think"), a clause of its own (voice typing: "six it was okay", "zero
        # would not recommend") or words that rate ("seven super easy")
        return not says_nothing(comment) and parse(comment) is None
    words_around = comment.split()
    neighbour = (words_around[0] if leading else words_around[-1]).strip(_SEPARATORS)  # "stars," is "stars"
    if leading and (neighbour in quantities.QUANTITY_AFTER or quantities.counts(comment)):
        return not says_nothing(comment)  # "3 days", "3 colors"; not "10 obvs", which only stresses it
    if not leading and neighbour in quantities.REFERENCE_BEFORE:
        return True
    if not leading and len(words_around) < 2 and not _HAN.search(comment) and parse(comment) is None:
        # "junk 1", "Gate 5": one word and a number is a name ("easy 7" is a rating, "later 8" a goodbye)
        return not _GOODBYE.fullmatch(comment.strip(_SEPARATORS))
    return bool(leading and neighbour[:1] in quantities.QUANTITY_HAN)


def _glued(part: str, rest: str, score: int, *, leading: bool) -> int | None:
    """A score written against Chinese text without a space: it needs its unit (分, 星) or a 给/打
    before it, and the next character must not make another word of the unit (分钟, 星级)."""
    if _BARE_NUMBER.match(part) or (leading and _NUMERIC.match(part[-1]) and rest[:1] in "分星颗"):
        return None  # "给5|分哦": the cut is inside the score
    if leading:
        unit = part[-1]
        if rest[:1] in quantities.UNIT_WORDS.get(unit, set()) | (quantities.QUANTITY_HAN - set("分星")):
            return None
        if unit == "分" and rest.startswith(("多钟", "多分钟")):
            return None  # "3分多钟": three minutes and more
        return score
    unit = part.rstrip(_PARTICLES + "!！~～").removesuffix("好评")[-1:]  # "我觉得4分吧", "非常满意五星好评"
    return score if part[:1] in "给打评" or unit in "分星⭐★颗" else None  # "非常满意⭐⭐⭐⭐⭐"


def _comment(text: str) -> str:
    return text.strip(_SEPARATORS)

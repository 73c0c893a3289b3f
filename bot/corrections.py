"""A score taken back and given again in one message: "3... no, 4", "5 no wait 4", "4分，不对，5分".

The score said last counts, with whatever is said after it as the comment. A score taken back with
none after it ("5分，打错了", "5 no") is left to the rest of the reader, which refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.chat_marks import unformatted
from bot.digit_forms import plain_digits
from bot.hanzi import simplified
from bot.hedges import TAKING_BACK_EN, TAKING_BACK_ZH
from bot.number_words import EN_WORDS
from bot.pinyin import hanzi_of
from bot.rating_comments import SCORE_LEAD_IN, Scored

# Words that take back what was just said. "no" is also a determiner ("5 no 1 else helped"), so after
# it the new score must stand alone or end its clause; 不 alone only between punctuation ("三分，不，四分").
# "not" is none: "5, not 4" keeps the 5.
_MARKER = (
    rf"\b(?:no+|nah|nope|wait|sorry|actually|i mean|{TAKING_BACK_EN}"
    r"|jk|j/k|just kidding|kidding|just joking"  # "5 stars, jk, 2", "0... just kidding, 8"
    r"|typo|my bad|my mistake|(?:i )?meant)\b"  # "2 sorry typo, 4", "6, sorry meant 5"
    # what was just said wrong, named first ("4星，刚才手滑了，应该是3星"), and what is meant said in words
    rf"|(?:刚才|刚刚)?(?:{TAKING_BACK_ZH})|[哦噢啊额呃]不|算了|不不|等等|等一下|不好意思|抱歉|我是说|我的意思是"
    # the score said to be too much, then the one meant: "5 is too much, 4", "5分太高了，4分吧"
    r"|\b(?:is|'s|would be)\s+(?:(?:way|a bit|a little)\s+)?too\s+(?:much|high|generous)\b|太(?:多|高)了?"
    r"|是?不可能的?"  # "5星是不可能的，3星吧"
    r"|(?<=[\s,，.。…!！])不是?(?=[\s,，.。…!！])"  # "三分，不，四分", "9分，不是，10分"
    r"|(?<=\n)\*(?=[ \t]*\d)"  # chat's "I meant" starting the next line: "4\n*5"
)
# Laughing before the words that take a score back changes nothing: "5 lol jk 2".
_LAUGHING = r"(?:\b(?:lo+l|lmf?a+o+|rofl|(?:ha){2,}h?|(?:he){2,})\b|哈{2,6})"
_GAP = r"[\s,，.。…!！~～:：;；-]{0,4}"  # bounded: a run of spaces is never searched twice over
_TAKEN_BACK = re.compile(rf"(?:{_LAUGHING}{_GAP})?(?:{_MARKER})(?:{_GAP}(?:{_MARKER}))*", re.IGNORECASE)
_STRICT = re.compile(r"^(?:no+|nah|nope)$", re.IGNORECASE)
_SEPARATORS = " \t\n,，.。…!！~～:：;；-—→"
# The new score comes right after the words that take the old one back: digits, numerals or stars.
_NUMBER_FIRST = re.compile(
    r"(?:(?:give|gave|a|an|给|打|评)\s*个?\s*)?"
    r"(?:\d|[零〇一二两三四五六七八九十壹贰叁参肆伍陆柒捌玖拾俩仨⭐★🌟]"
    r"|[\u2460-\u2473\u24ea]"  # a circled digit, which NFKC reads as one: "改成⑤星"
    r"|满分"  # full marks: "能不能改为满分"
    r"|(?:" + EN_WORDS + r")\b)",
    re.IGNORECASE,
)
# One short word alone after the words that correct: a number word mistyped ("change it to fiv"), which
# the rating reader reads or refuses ("change it to blue" is no correction).
_LONE_WORD = re.compile(r"[a-z]{3,5}[\s.!]*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,，.。!！;；]")
# "不对，是5星", "不对，还是5分", "not a 5, more like a 3"
_RESTATED = re.compile(
    r"(?:应该是|应该系|应该|而是|还是|其实是|其实|我?(?:是|本来)?想|我要|是|系"  # 系: Cantonese 是
    r"|(?:(?:it|that|mine|the rating|the score) )?should (?:be|have been)"
    r"|it'?s|it is|more like|rather|closer to)\s*",
    re.IGNORECASE,
)
# What a customer meant to do instead: "I want to give 4 instead", "oops meant to press 4".
_MEANT_TO = r"(?:give|put|say|rate|press|click|tap|hit|pick|choose)(?: (?:it|you|u))?"
# Words at the start of a reply that say the score after them replaces an earlier one: "改成4分", "no, 3",
# "oops 4", "make that a 4", "on second thought, 4", "不是5分，是4分". They say nothing about the service.
# "no" must be set off by a comma ("no. 5" is number 5, "no 5" which?); a score before them is
# read by :func:`read_corrected`.
_CORRECTING = re.compile(
    r"(?:(?:no+|nah|nope)\s*[,，!！…]+|(?:nah|nope)(?=\s)|\*(?=\s*\d)"  # "*4": chat's "I meant"
    r"|(?:(?:sorry|srry|sry|soz|actually|oops|whoops|ngl|tbh|lol)[\s,]*)?(?:"  # "ngl i meant 4"
    # "change my rating to 3 pls", "please change it to 4", "can I update my score to a 4"
    r"(?:please |pls |can you |could you |can u |could u |can i |could i |may i |i want to |i'd like to "
    r"|i wanna |let me |kindly |abeg |can )?"  # "kindly change my rating to 5", "abeg change am to 5"
    r"(?:change|update|edit|switch|correct) (?:my |the |it |that |am )?(?:rating |score |answer |stars? )?to"
    # what was meant, said in words, before "i meant" alone takes it: "I meant to give 5 stars"
    rf"|i (?:wanted|want|wanna|would like|'d like|meant) to {_MEANT_TO}"
    rf"|{TAKING_BACK_EN}|no wait|wait|update|edit|i mean"
    r"|(?:can|could|may) (?:i|you|u|we) make (?:that|it)"  # blind round 26: "could i make that a 5?"
    r"|fat[- ]?finger(?:ed)?(?: it)?|(?:my )?finger slipped"  # "fat-fingered it, 5", "my finger slipped, 5"
    # "oops i pressed 1 meant 5"
    r"|(?:i )?(?:pressed|clicked|tapped|hit)\s+\d{1,2}(?:\s*stars?)?(?=\s*,?\s*(?:i )?meant\b)"
    # the score given, named wrong: "I gave 2 but it should be 4", "the 1 was a mistake, 5"
    r"|(?:i )?(?:gave|put|pressed|clicked|tapped|picked|chose|selected)\s+(?:an?\s+)?\d{1,2}(?:\s*stars?)?"
    r"\s*,?\s*but(?=\s+(?:(?:it|that|mine|the rating|the score)\s+)?should\b)"
    r"|(?:the|that|my)\s+\d{1,2}(?:\s*stars?)?\s+(?:was|is)\s+(?:a\s+)?(?:mistake|typo|wrong|an accident)"
    # the score given, said to have been meant as another: "my 4 was meant to be a 5"
    r"|(?:the|that|my)\s+\d{1,2}(?:\s*stars?)?\s+(?:was|is)\s+(?:meant|supposed)\s+to\s+be"
    r"|(?:my|the) (?:rating|score)(?= should (?:be|have been))"  # "my rating should be 5 not 2"
    r"|changed my mind|on second thought|on second thoughts|second thought|typo|misclicked|mis-clicked"
    # a wrong tap said in words: "I pressed 1 by mistake", "wrong button", "wrong one"
    r"|(?:i )?(?:pressed|clicked|tapped|hit|chose|picked|selected|gave)\s+(?:the\s+)?"
    r"(?:wrong\s+(?:one|button|number|score|star|rating)|\d{1,2}(?:\s*stars?)?\s+by\s+(?:mistake|accident))"
    r"|wrong (?:one|button|number|score|star|rating)"
    r"|(?:sorry|apologies|oops)[\s,]*(?=should (?:be|have been))"  # "sorry, should have been 4 stars"
    # what was meant, said in words: "I want to give 4 instead", "oops meant to press 4", "meant 4 not 2"
    rf"|i (?:wanted|want|wanna|would like|'d like|meant) to {_MEANT_TO}|(?:i )?meant(?: to {_MEANT_TO})?"
    r"|my bad|my mistake)\b"
    r"|not (?:a |an )?\d{1,2}(?:\s*(?:stars?|points?))?\s*(?:[,，;]|but\b)"  # "not 5 but 4"
    # "不是5分是4分"; a higher score denied or not reached, then the one given: "不到五分，四分吧",
    # "算不上五星，四星"
    r"|(?:不是|不到|算不上|谈不上|够不上|达不到)\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,2})\s*[分星]?"
    r"\s*(?:[,，]|(?=而?是))"
    rf"|(?:不好意思|唔好意思|抱歉)?[,，]?(?:刚才|刚刚)?[,，]?(?:我想|我要|想|帮我|麻烦|能不能|能|可以|可不可以|我){{0,2}}"
    # what was wrong named first: "评分打错了，改为4分"; a new score asked as a new rating: "重新评分：5"
    rf"(?:评分|分数|打分|评价)?(?:改(?:一下)?(?:评分|分数|打分|评价)|{TAKING_BACK_ZH}|换成"
    r"|重新(?:评分|打分|评价|打|评)|重打|重评"
    r"|改(?=\s*(?:[\d一二两三四五六七八九十壹贰叁肆伍]|满分)))"  # "改五星": 改 alone, the score right after
    # "不好意思，应该是4分", "应该给4星": an apology, then what was meant
    # ... or the score said to be the one ("不好意思，是4分")
    r"|(?:不好意思|唔好意思|抱歉|sorry)[,，]?\s*(?=应该|是\s*[\d一二两三四五六七八九十])"
    r"|我是说|我的意思是|想了想|考虑了一下|算了|还是|我(?:是|本来|其实)想(?=给|打))"
    # "按错了哈，", "wrong button lol meant 5"
    r"[\s,，.。…!！~～:：;；-]{0,4}(?:(?:哈|啊|呀|哦|lol|haha)[\s,，.。…!！~～:：;；-]{0,4})?",
    re.IGNORECASE,
)
_ASKED = re.compile(
    r"(?:[\s,，]*instead\b)?[\s,，]*(?:吗|嘛|好吗|可以吗|行吗|please|pls|plz)?[\s?？]*$", re.IGNORECASE
)
"""The asking that ends a request to correct a score: "能改成五分吗", "change it to 4 please?", and the
"instead" that says what it replaces ("I want to give 4 instead")."""
_HEAD_CHARS = 80
"""Where the taking back is looked for: the score before it is short (a longer one is no score)."""


def read_corrected(
    text: str, first: Callable[[str], int | None], then: Callable[[str], Scored | None]
) -> Scored | None:
    """The score given after ``first`` reads one and words take it back: ``then`` of what follows.

    ``first`` reads a whole reply as a score ("3", "4分"); ``then`` reads a score and its comment
    ("4, the agent was nice"). ``None`` when nothing in ``text`` is taken back and said again, or
    when it starts with no words that correct a score said before ("改成4分": ``then`` of "4分").
    """
    for marker, tail in _taken_back(text, first):
        said = _CLAUSE_END.split(tail, maxsplit=1)[0]
        if _STRICT.match(marker) and first(said) is None and not any(_taken_back(said, first)):
            continue  # "5 no 1 else could have done better": no one, not a 1; "3 no 4 no 5" is 5
        return then(tail)
    rest = after_correction(text)  # "改成4分", "oops, make that a 4": nothing before to take back
    return None if rest is None else then(rest)


def after_correction(text: str) -> str | None:
    """What follows the words at the start of ``text`` that say its score replaces an earlier one
    ("改成4分" -> "4分", "oops, make that a 4" -> "a 4"); ``None`` when it starts with none."""
    text = plain_digits(unformatted(hanzi_of(text))).lstrip()  # "gai cheng 5 fen"; "I meant _5_", "应该5️⃣星"
    said = simplified(text)  # "評分打錯了，改為4分" is read as Simplified, the rest kept as typed
    text = text if len(said) == len(text) else said
    if (denied := _SAID_NOT.match(said)) is not None:  # "应该是4分不是2分，骑手挺好的": 4
        return text[denied.start("score") : denied.end("score")] + text[denied.end() :]
    if (meant := _MEANT_FIRST.match(said)) is not None:  # "是4分，刚才点错了": 4
        return meant["score"]
    at = 0
    for _ in range(3):  # "不对不对，改成4分": a few in a row
        if (lead := _CORRECTING.match(said, at)) is None:
            break
        at = lead.end()
    if at and (restated := _RESTATED.match(said, at)) is not None:
        at = restated.end()
    if at and not _NUMBER_FIRST.match(said, at) and (lead := SCORE_LEAD_IN.match(said[at:])) and lead.end():
        at += lead.end()  # "not a 5 but def a 4"
    if not at or not (_NUMBER_FIRST.match(said, at) or _LONE_WORD.match(said, at)):
        return _told(said)
    return _ASKED.sub("", text[at:])  # "能改成五分吗": a request, not a question about the score


# The score meant with the one given denied right after it: "应该是4分不是2分", "是5星，不是1星" (the
# English "meant 4 not 2" is read by the words that correct).
_NUMERAL = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,2})"
_SAID_NOT = re.compile(
    rf"^(?:应该是|应该|其实是|是)\s*(?P<score>{_NUMERAL}\s*(?:分|颗?星))\s*+[,，]?\s*+(?:而)?不是\s*{_NUMERAL}\s*(?:分|颗?星)"
)

# The score meant said first, with 是, and the earlier tap told wrong after it: "是4分，刚才点错了"
# ("5分，打错了" alone is asked again: which one was the wrong one?).
_MEANT_FIRST = re.compile(
    rf"^(?:应该是|应该系|其实是|是)\s*(?P<score>(?:{_NUMERAL}|[壹贰叁肆伍陆柒捌玖拾])\s*(?:分|颗?星))\s*[,，]\s*"
    r"(?:(?:刚才|刚刚|之前|前面)我?(?:点|按|打|选)错了|(?:(?:刚才|刚刚)我?)?(?:揿|撳|㩒|按|点)错咗)[\s.。!！]*$"
)


# A wrong tap told as a story, anywhere in the reply ("Sorry, my eyes are not good, I pressed the wrong
# star. I meant to give five.", "不好意思老眼昏花按错了，给5分", "my hand shake, i wanted 5") ...
_WRONG_TAP = re.compile(
    r"\b(?:wrong (?:star|button|one|number|score|rating)|by mistake|mistakenly|press(?:ed)? wrong"
    r"|(?:hand|finger)s? (?:shake|shook|shaking|slipped))\b|oops|whoops|aiyo|aiya"
    # 不算 (it does not count) alone, not "不算差，4分" (not bad: a word rating, kept as the comment)
    r"|按错|点错|打错|选错|手滑|手残|手抖|点成|眼花|不算数?(?=[\s,，.。!！~～]|$)"
    r"|\bfat[- ]?finger(?:ed|s)?\b|误触|手误|搞错|(?:揿|撳|㩒)错"  # blind round 26: "fat fingered the 1"
    r"|(?:那个|the )\s*\d{1,2}\s*(?:分|星|stars?)?\s*(?:是给|was for)",  # "the 2 was for the courier"
    re.IGNORECASE,
)
# ... and the score meant at its end, after the words that say it is meant, or alone after a comma.
_MEANT_AT_END = re.compile(
    r"(?:\bi (?:meant|wanted)(?: to (?:give|press|put|rate|tap|click))?|\bshould (?:be|have been)"
    r"|\bmake (?:it|that)|\bchange (?:it |am |that )?to|\bfor (?:you|u)|应该(?:是|给|打|系)?"
    r"|改成|改为|改|重新给|给|是"
    r"|\bit'?s|\bit is"  # blind round 26: "fat fingered the 1, it's a 5"
    r"|[,，])\s*(?P<meant>(?:an? )?(?:\d{1,2}|[一二两三四五六七八九十]|zero|one|two|three|four|five|six|seven"
    r"|eight|nine|ten)\s*(?:分|颗?星|stars?)?)(?:\s*,?\s*not (?:an? )?(?:\d{1,2}|one|two|three|four))?"
    r"[\s.!。！,，]*(?:(?:thank you|thanks|谢谢)[\s.!。！]*)?$",
    re.IGNORECASE,
)


def _told(text: str) -> str | None:
    """The score meant at the end of a reply that tells of a wrong tap before it, else ``None``."""
    if len(text) > _TOLD_CHARS or _WRONG_TAP.search(text) is None:
        return None
    meant = _MEANT_AT_END.search(text)
    return None if meant is None or _WRONG_TAP.search(text, meant.start()) else meant["meant"]


_TOLD_CHARS = 200


def _taken_back(text: str, first: Callable[[str], int | None]) -> Iterator[tuple[str, str]]:
    """Each taking back of a score ``first`` reads in ``text``, and what follows it when that starts
    with a number."""
    for marker in _TAKEN_BACK.finditer(text, 0, _HEAD_CHARS):
        head, tail = text[: marker.start()].rstrip(_SEPARATORS), text[marker.end() :].lstrip(_SEPARATORS)
        tail = tail[len(restated[0]) :] if (restated := _RESTATED.match(tail)) else tail
        if head and _NUMBER_FIRST.match(tail) is not None and first(head) is not None:
            yield marker[0], tail

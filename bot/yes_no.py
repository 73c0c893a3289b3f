"""Yes and no typed in Chinese and English: "Did this solve it?", "Was your issue resolved?".

Each parser returns ``None`` for anything that is not clearly a yes or a no: a bare "thanks", a
"yes, but...", "partly solved", or a sneer.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.answers import normalize
from bot.framing import unquoted, without_signature
from bot.hanzi import simplified
from bot.pinyin import digit_words, hanzi_of, not_for_eight
from bot.rating_words import PARTICLES as _PARTICLES
from bot.rating_words import PUNCT as _PUNCT

_MAX_LENGTH = 200  # the longest reply read as a yes or a no

Confirmation = Literal["yes", "no"]
_YES = {
    "yes", "y", "yeah", "yea", "yep", "yup", "yes please", "sure", "it did", "it worked", "that worked",
    "worked", "solved", "yes solved", "resolved", "fixed", "all good", "that helped", "it helped",
    "helpful", "perfect", "great", "got it", "ok", "okay", "k", "done", "thanks", "thank you", "thx",
    "是", "是的", "对", "对的", "嗯", "嗯嗯", "好", "好的", "好了", "可以", "可以了", "行", "行了",
    "有用", "有帮助", "解决了", "已解决", "搞定了", "谢谢", "感谢", "收到", "明白了", "懂了", "ok了",
    "works now", "it works", "it works now", "working now", "it's working", "it is working", "that fixed it",
    "fixed it", "that solved it", "problem solved", "issue solved", "sorted", "all sorted", "yes it did",
    "yes it worked", "it's fixed", "it is fixed", "all set", "👍", "👌", "已经好了", "搞定",
    "已经解决了", "已经解决", "可以用了", "能用了", "没问题了", "没问题", "弄好了", "成功了", "登上了",
    "ya", "yah", "yas", "yeh", "ye", "yeap", "definitely", "absolutely", "of course", "correct", "certainly",
    "affirmative", "yh",
    "sí", "oui",  # yes in Spanish and French, as bilingual customers answer
    # eighth set: "all" before a word that says it is done ("all fixed 👍"), and "yes sir"
    "all fixed", "all done", "all resolved", "all solved", "all working", "all working now", "all fixed now",
    "yessir", "yes sir", "yes maam", "yes ma'am",
    "恩", "恩恩",  # 恩 for 嗯, as often typed
    "no problems now", "no issues now", "no more problems", "no problems anymore", "no issues anymore",
    "✅", "✔", "☑",  # check marks
    # Cantonese (read Simplified: 係 is 系): yes, fixed (搞掂, 掂咗), it works (得咗), better (好咗)
    "系", "系呀", "系啊", "系嘅", "搞掂", "搞掂咗", "掂咗", "得咗", "好咗", "冇问题", "冇问题喇",
    # the fourteenth set: spoken and dialect yeses (Scots "aye"; Henan 中, Sichuan 要得 and 对头, Beijing
    # 嗯呐, 是嘞; chat's 阔以 for 可以, 妥了 for done), "ofc", the "OK" gesture, and Australian "nah yeah"
    "aye", "mhm", "mhmm", "mm-hmm", "uh-huh", "ofc", "nah yeah", "🙆",
    "中", "要得", "对头", "嗯呐", "是嘞", "阔以", "妥了", "妥妥的",
    # the fifteenth set: Singapore and Malaysia "can already" (it works), Nigerian "e don work", the
    # Philippines' "opo", Hindi "haan ho gaya" (yes, it is done), British "jolly good", "indeed it has";
    # chat's 好使了 and a login that works now
    "can", "can already", "can liao", "can le", "e don work", "e dey work", "e don work now", "opo", "oo po",
    "haan", "haan ho gaya", "ho gaya", "jolly good", "indeed", "indeed it has", "it has", "yes it has",
    "好使了", "好使", "能登了", "能登录了", "登上去了", "登进去了", "能登上了",
    # the sixteenth set: Japanese and Korean yes, Malay "sudah" (done: "sudah settle")
    "はい", "ええ", "네", "예", "sudah", "dah", "ya sudah", "sudah settle", "dah settle", "sudah ok",
    # blind round 20: Hindi's respectful "ji haan" (yes, sir), Singlish "settled already" (it is sorted)
    "ji haan", "haan ji", "ji", "settled", "settled already", "already settled", "settle already",
    "settled liao", "all settled", "settled le",
    # blind round 23: fixed for now, said in Chinese ("暂时好了", "目前好了"), as "yes for now"
    "暂时好了", "目前好了", "现在好了", "暂时解决了", "目前解决了", "暂时可以了", "目前可以了", "现在可以了",
    # blind round 24: a reaction ("+1", "100%"), 稳了 (in the bag), chat's 木 for 没 ("当然" alone stays
    # none, as "当然了": of course what?)
    "+1", "100%", "100 %", "稳了", "木问题", "木有问题", "木问题了",
    # blind round 26: chat's "yus", and "it is now" (solved now, as "it works now")
    "yus", "it is now", "it does now", "it's fine now", "it is fine now",
}  # fmt: skip
_NO = {
    "no", "n", "nope", "nah", "no it didn't", "not really", "didn't help", "did not help", "doesn't help",
    "nop", "莫得", "还没得", "莫有",  # Sichuan 莫得 (没有)
    "it didn't", "it did not", "not solved", "unsolved", "didn't work", "did not work", "doesn't work",
    "does not work", "not working", "still not working", "still broken", "no luck", "useless",
    "human", "a human", "agent", "an agent", "person", "a person", "real person", "a real person",
    "representative", "operator", "talk to a human", "speak to a human", "talk to someone",
    "speak to someone", "talk to a person", "speak to a person", "talk to an agent",
    "不", "不是", "没有", "没", "否", "不对", "没用", "没有用", "没帮助", "没有帮助", "没解决", "没有解决",
    "未解决", "不行", "还是不行", "不管用", "没效果", "转人工", "人工", "人工客服", "找人工", "真人",
    "找客服", "要人工", "我要人工", "客服",
    "it didn't help", "it did not help", "didn't fix it", "did not fix it", "not fixed", "still not fixed",
    "not yet", "still the same", "same problem", "same issue", "it doesn't work",
    "it does not work", "it's not working", "it is not working", "still doesn't work", "👎",
    "还没好", "还没解决", "解决不了", "还是解决不了", "还是没解决", "没好", "没有好", "还是不能用",
    "还是老样子", "不能用", "用不了", "没反应", "还不行", "问题依旧", "依然不行", "仍然不行", "还是一样",
    "还是没好", "问题还在", "没什么用", "不太行", "still no", "still nothing", "no change", "nothing changed",
    "same thing", "still the same problem", "that didn't work", "that did not work",
    "❌", "✖", "木有",  # 木有: 没有 in chat
    # eighth set: "not at all" (at a yes/no question it answers it), and the same old problem still there
    "not at all", "还是老问题", "老问题", "还是老毛病", "老毛病", "老毛病了", "还是老问题啊",
    # ninth set: "negative" (as "affirmative" is a yes), and no use at all ("一点用都没有")
    "negative", "negatory", "一点用都没有", "一点用也没有", "一点用没有", "毫无用处", "一点都没用",
    "一点也没用", "完全没用",
    # Cantonese: is not, have not, not yet (未, 仲未: still not), it does not work (唔得, 仲系唔得)
    "唔系", "冇", "冇呀", "未", "未呀", "仲未", "仲未得", "唔得", "仲系唔得", "冇用",
    # the fourteenth set: "uh-uh", "naw", Australian "yeah nah" (no), chat's 米有 for 没有, the "no" gesture
    "uh-uh", "naw", "yeah nah", "米有", "🙅",
    # the fifteenth set: "cannot" (it does not work), Nigerian "e no work", Tagalog "hindi", Hindi "nahi
    # hua" (it did not happen), "afraid not", "it hasn't", 不可以
    "cannot", "still cannot", "still can't", "can't", "e no work", "e no dey work", "hindi", "hindi pa",
    "nahi", "nahin", "nahi hua", "nahin hua", "afraid not", "it hasn't", "it has not", "not", "不可以",
    # the sixteenth set: Japanese and Korean no, Malay "belum" (not yet) and "tidak" (no)
    "いいえ", "いや", "아니요", "아니오", "아뇨", "belum", "belum lagi", "belum settle", "tidak", "tak",
    # blind round 20: "didn't" alone, Hindi "ji nahi", and the same problem said in Chinese word order
    "didn't", "didnt", "did not", "ji nahi", "nahi ji", "ji nahin",
    "一样的问题", "同样的问题", "还是一样的问题",
    # blind round 26: "nuh uh", and Cantonese 仲係咁 (still like that)
    "nuh uh", "nuh-uh", "nuh", "仲系咁", "仲系一样",
}  # fmt: skip
# "Not yet" said in Chinese, only as a whole reply: "还没试" (not tried yet) is no "no".
_NOT_YET = {"还没", "还没有", "暂时没有", "暂时还没有", "还没呢", "still not", "not yet no"}
# After a yes, words that take it back: a contrast, a repeat, "thanks for nothing", a "not" ("of
# course not"), or trying it first ("好的，我试试", "ok I'll try": not known yet).
_CONTRAST = re.compile(
    r"\b(?:but|still|however|though|except|again|for nothing|useless|not|try|check"
    r"|if|once|as long as|unless)\b|如果|的话"  # a condition: "yes if the refund comes"
    r"|但|可是|不过|还是|仍然|依然|又|白费|白等|没用|试试|试一下|试下|去试|再试|看看|等下|等一下|稍等"
)
# "Again" after what works is no contrast: "yes, card ending 4421 works again" (blind round 22).
_WORKS_AGAIN = re.compile(r"\b(?:works?|working|worked|usable|online)\s+again\b")
# A reply that starts "still only" names what is still short: "still only 10M", "还是只有2GB".
_NOT_YET_FIRST = re.compile(r"^(?:还没有?|暂时没有|not yet|still not)\s")
_STILL_SO = re.compile(r"\bstill\b|还是|仍然|依然|依旧")
_STILL_SHORT = re.compile(r"^(?:still only|still just)\b|^(?:还是|仍然|依然|依旧)只有")
_WANTS_PERSON = re.compile(
    r"\bstill need (?:some |more )?help\b|\bneed (?:more|further) help\b"
    r"|\b(?:need|want|talk to|speak to|speak with|talk with|get me|connect me (?:to|with))\b.*"
    r"\b(?:human|person|agent|someone|somebody|representative|operator|manager)\b"
    r"|转人工|人工客服|找人工|要人工|真人|找客服"
)
_SEPARATORS = " ,，.。!！~～:：-"
_CJK_PHRASES = sorted(
    ((phrase, answer) for words, answer in ((_YES, "yes"), (_NO, "no")) for phrase in words
     if len(phrase) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in phrase)),
    key=lambda item: -len(item[0]),
)  # fmt: skip
# English yes and no phrases of more than one word, longest first: "it works, thanks", "not fixed yet".
_EN_PHRASES = sorted((p for p in _YES | _NO if " " in p and p.isascii()), key=lambda p: -len(p))


# "Partly": neither a yes nor a no, nor an end of a scale ("部分解决" is not "完全解决", "差不多解决了"
# is not "没有解决", "not fully solved" is not "Not solved").
_PARTLY = re.compile(
    r"\b(?:partly|partially|in part|half|halfway|mostly|almost|nearly|kind of|kinda|sort of|sorta|somewhat"
    r"|more or less|not (?:fully|completely|entirely|totally|quite|100 ?%)|yes and no)\b"
    r"|部分|一半|基本|差不多|大体|大致|不完全|没有?完全|不彻底|没有?彻底|差一点|一定程度|算是"
)


_SNEERING = re.compile(r"呵呵|嗬嗬")


def sneers(text: str) -> bool:
    """Whether ``text`` sneers (呵呵 in Chinese chat): "呵呵，解决了" is no "solved"."""
    return _SNEERING.search(text) is not None


def partly(text: str) -> bool:
    """Whether ``text`` says something is only partly so ("partially solved", "解决了一半")."""
    return _PARTLY.search(normalize(simplified(text))) is not None


def parse_confirmation(text: str) -> Confirmation | None:
    """``yes`` or ``no`` when ``text`` answers "Did this solve it?", else ``None``.

    Whole replies ("yes", "not really", "没用", "转人工"), a yes or no followed by more words
    ("no, I still can't log in", "是的，谢谢", "好的谢谢", "不是这个问题"), or asking for a person
    ("I need a human"). A yes with a "but" or "still" after it is no answer.
    """
    text = simplified(text)  # "非常滿意" reads as "非常满意"
    t = _PUNCT.sub(" ", normalize(text)).strip()
    if not t or len(t) > _MAX_LENGTH or _undecided(t, text):
        return _failed_after_all(t, text)
    if (plain := _plain(text)) != t:  # "Good morning. Unfortunately no, ...", "nooo 😭", "当然没有"
        return parse_confirmation(plain) if plain else None
    if (said := _said_around(t)) is not None:
        return said
    if _NO_PROBLEM.match(t):
        return None  # "no problem", "no worries": an acknowledgement, not "it did not help"
    squashed = t.replace(" ", "") if _HAN.search(t) else t
    for candidate in _readings(t, squashed):
        if candidate in _YES or _said_over(candidate, _YES):
            return "yes"
        if candidate in _NO or candidate in _NOT_YET or _said_over(candidate, _NO):
            return "no"
    if _WANTS_PERSON.search(t):
        return "no"
    first, _, after = t.partition(" ")
    if _HAN.match(first) and len(first) == 1 and after:  # "嗯，解决了", "对，可以了", "不，还是不行"
        said = parse_confirmation(first)  # the rest must say it too: "好，我试试" (OK, I'll try) is none
        return said if said is not None and parse_confirmation(after) == said else None
    head, rest = _split_head(squashed if _HAN.search(t) else t)
    if head in _NO or _still_not(t):
        return "no"
    if (
        head in _YES
        and rest
        and not _CONTRAST.search(_WORKS_AGAIN.sub(" ", rest))
        and not (head in _RATING_ADVERBS and _DIGIT.search(rest))
    ):
        return "yes" if parse_confirmation(rest) != "no" else None
    return _outcome(text)


# Words that take back a yes or a no just said, before the one meant: "yes, no wait, no", "no... actually
# yes", "是，不对，没有", "没有……哦已经好了" (blind round 26).
_CHANGED_MIND = re.compile(
    r"(?<!\s)\s+(?:no\s+)?(?:wait|actually|i mean|scratch that)\s+|(?<=\S)\s*(?:不对|等等)\s*(?=\S)"
    r"|(?<=\s)[哦噢]\s*(?=已经|其实|现在|又)"  # a realisation: "没有……哦已经好了" (not "没有哦，好了")
)


def _changed_mind(t: str) -> Confirmation | None:
    """The yes or no said after words that take back a yes or no said before them, else ``None``."""
    for taken in _CHANGED_MIND.finditer(t):
        head, rest = t[: taken.start()].strip(), t[taken.end() :].strip()
        if head and rest and parse_confirmation(head) is not None and (meant := parse_confirmation(rest)):
            return meant
    return None


# "Did this solve it?" answered as a story: what happened last says it ("I tried what you said ... and
# now I can login", "I followed the link but it expired, tried again, same error", "点了重置，收到短信了，
# 现在能登录了", "邮件一直没收到"). Only the last clause is read, and only for these outcomes.
_CLAUSE_BREAK = re.compile(
    r"[,，.。;；!！\n]+|\s(?:and|then|but|so)\s|\s(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s"
)
_WORKS_NOW = re.compile(
    r"^(?:(?:now|and|so) )*(?:(?:i|we|she|he)(?: am|'m| was| is)? )?(?:now )?(?:can|could|able to|am able to)"
    r"(?: now)? (?:log ?in|login|sign ?in|access|get in|use it)\b"
    r"|^(?:(?:now|and) )*(?:(?:i|we) )?(?:logged|signed|got) in\b(?: now)?"
    r"|^(?:(?:she|he) says )?it works(?: now| fine)?$|^all good(?: now)?$|^works(?: now| fine)?$"
    r"|^able to log ?in$"
    r"|^(?:现在|已经)?(?:能|可以)(?:正常)?(?:登录|登陆|登|用|使用|登进去|进去)了$|^(?:登录|登陆|登)(?:上去|进去|上)了$"
    r"|(?:弄|搞|改|修)好了$|^好使了$"
    r"|^(?:退款|钱|款|货|包裹|快递|邮件|短信|验证码)(?:已经|终于)?(?:到了|到账了|收到了)$"  # "退款到了"
    # what was missing made up again (blind round 22): "5GB流量补回来了", "the 5GB came back", "信号恢复了"
    r"|(?:补回来|补上|恢复正常|恢复)了$"
    r"|^(?:the |my )?(?:[\d.]+ ?gb|data|money|refund|balance|credit|signal|internet|wifi|connection)"
    r" (?:came|is|has come) back$",
    re.IGNORECASE,
)
_STILL_FAILS = re.compile(
    r"\bno (?:email|mail|sms|otp|code|link|message)\b|\bexpired\b|\binvalid\b|^same (?:error|problem|issue)$"
    r"|\bstill says\b|\b(?:stopped(?: working)?|broke|crashed|failed) again\b"
    r"|\b(?:didn'?t|never) (?:come|came|arrive|arrived)\b"
    r"|(?:一直|还是|还|都)?(?:没|没有)(?:收到|到)$|还是一样$|打不开$|进不去$|登不上去?$|又(?:不行|坏|不能用)了$|过期了?$"
)
_HAS_NOT = re.compile(r"\b(?:not|no|never|cannot)\b|n't|不|没|未")
_STORY_THANKS = re.compile(r"^(?:thanks?|thank you|thx|ty|谢谢|感谢)(?: (?:so much|a lot|again))?$")


def _still_not(t: str) -> bool:
    """``t`` says what is still short ("still only 10M", "还是只有2GB") or not yet so and still so
    ("还没，508房还是很冷")."""
    late = _NOT_YET_FIRST.match(t)
    return bool(_STILL_SHORT.match(t)) or (late is not None and _STILL_SO.search(t[late.end() :]) is not None)


def _outcome(text: str) -> Confirmation | None:
    """What the last clause of a story says happened, else ``None``."""
    t = normalize(simplified(without_signature(text)))
    if len(t) > _MAX_LENGTH:
        return None
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(t) if c and c.strip()]
    while clauses and _STORY_THANKS.match(clauses[-1]):
        clauses.pop()  # "... now I can login. thanks"
    if not clauses:
        return None
    last = _PARTICLE_END.sub("", _plain(clauses[-1]))
    if _STILL_FAILS.search(last):
        return "no"
    if _WORKS_NOW.search(last) and not _HAS_NOT.search(last):
        return "yes"
    return None


def _failed_after_all(t: str, text: str) -> Confirmation | None:
    """ "no" when ``t`` (``text`` without marks) says it partly worked and its story ends in failing
    again ("kind of, but it broke again", "部分解决了，但是又坏了"); else ``None``: asked again."""
    partly = t and len(t) <= _MAX_LENGTH and _PARTLY.search(t)
    return "no" if partly and _outcome(text) == "no" else None


def _undecided(t: str, text: str) -> bool:
    """Whether ``t`` (``text`` without marks) says it is partly so, sneers, is unsure or asks back ("yes? i
    think so?")."""
    return bool(_PARTLY.search(t) or sneers(t) or _UNSURE.search(t) or _ASKED_BACK.match(normalize(text)))


def _readings(t: str, squashed: str) -> tuple[str, ...]:
    """``t`` as the lists may name it: as typed, without spaces between Chinese words, without closing
    particles, with a held letter let go ("yesss"), with 啦 read as 了 (:func:`_done_now`), with
    Cantonese 咗 as 了 and 啥 as 什么 ("解決咗", "没啥用")."""
    spoken = squashed.replace("咗", "了").replace("啥", "什么")  # Cantonese 咗 (了), chat's 啥 (什么)
    readings = (
        t,
        squashed,
        squashed.rstrip(_PARTICLES),
        _STRETCHED.sub(r"\1", t),
        _done_now(squashed),
        spoken,
    )
    return (*readings, _done_now(spoken))  # "解決咗喇" as "解决了"


# What a reply may name before saying it is solved or not: "问题已解决", "issue resolved", "the problem is
# fixed".
_SUBJECT = re.compile(
    r"^(?:(?:这个|我的|那个)?问题|(?:the |my |this |that )?(?:issue|problem)(?: is| was| has been| got)?)\s*"
)
# "It" said done: "it's resolved", "it is all sorted now" (not "it's ok": an OK is no answer).
_IT_DONE = re.compile(
    r"^(?:it|this|that)(?:'s|s| is| was| has been| got) (?:all )?(?:resolved|solved|fixed|sorted(?: out)?)"
    r"(?: now)?$"
)


def _done_now(t: str) -> str:
    """``t`` with a closing 啦 (了 and 啊 said as one) read as 了 when the word before it is no mere
    "OK": "解决啦" is "解决了", "搞定啦" is "搞定了", but "好啦" stays an "OK" (no yes); a particle after
    了 dropped ("解决了喔", "解决了哈"; "好了哦" stays an "OK")."""
    if t.endswith("啦") and t[:-1] not in _NOT_YES_NO:
        return t[:-1] + "了"
    if t[-2:-1] == "了" and t[-1:] in "喔哦噢呀啊喇哈哟" and t[:-2] not in _NOT_YES_NO:
        return t[:-1]  # "解決了喔": the particle after 了 goes, 了 stays
    return t


def _said_around(t: str) -> Confirmation | None:
    """A yes scorned ("解决个屁": no), a reply that starts "not solved" ("it has not been resolved, the
    printer..."), a yes that is so "again" ("it's working again"), or a yes said of the problem named
    first ("问题已解决", "issue resolved"; a no after it is read by the lists and :data:`_NOT_DONE`), or
    the one meant after a yes or no taken back ("no... actually yes", "是，不对，没有")."""
    if (corrected := _changed_mind(t)) is not None:
        return corrected
    if (denied := _DENIED.fullmatch(t)) and {denied[1], denied[1] + "了"} & _YES:
        return "no"
    if _NOT_DONE.match(t.replace(" ", "") if _HAN.match(t) else t):
        return "no"
    if (
        t.endswith(" again") and t[: -len(" again")] in _YES
    ):  # not "it worked for 5 minutes then stopped again"
        return "yes"
    if _IT_DONE.match(t):
        return "yes"
    if (subject := _SUBJECT.match(t)) and parse_confirmation(t[subject.end() :]) == "yes":
        return "yes"  # "问题已解决", "issue resolved, thanks"; not "问题没有了" (gone) nor "问题不是这个"
    return None


# Not knowing is neither a yes nor a no: "not sure", "不是很清楚" (不是 there is no "no").
_UNSURE = re.compile(
    r"\b(?:not (?:sure|certain)|no idea|dunno|idk|don'?t know|do not know)\b"
    r"|不(?:是很|太|大)?(?:清楚|确定|知道|晓得)|说不(?:准|好|清)"
    # not tried yet: "not yet, will try later" (the answer is still to come; a bare "not yet" is a no)
    r"|\b(?:will|gonna|going to|i'?ll) try\b|\btry (?:it )?later\b"
    r"|\b(?:haven'?t|have not|didn'?t|did not) tr(?:y|ied)\b"
    r"|还没试|没试过|再试试|待会试|等下试|明天试"
)
# Words before a yes or a no that say nothing of it: a greeting, regret ("I am afraid", "unfortunately",
# "抱歉"), emphasis ("当然", "废话": "of course"). A face or emoji beside it, and a phone's signature
# under it, say nothing either.
_LEAD = re.compile(
    r"^(?:(?:hi|hello|hey|dear \w+|good (?:morning|afternoon|evening|day))(?: (?:there|team|all))?(?![a-z])"
    r"|(?:(?:i'?m|i am) )?afraid(?= )|unfortunately|sadly|regrettably|(?:i'?m )?sorry(?: to say)?"
    # Chinese chat's exclamations before the answer ("芭比Q了 还是登不上", "蚌埠住了 终于好了"), and 终于
    r"|芭比q了|蚌埠住了|栓q|无语子|绝绝子|yyds|awsl|xswl|h{3,}|牛|终于"
    r"|[嗯恩]++(?=[\u4e00-\u9fff])(?!呐)"  # a filler glued on: "嗯解决了" ("嗯嗯" stays a yes)
    r"|(?:tbh|tbf|ngl|honestly|no cap|lowkey|smh|fr)(?= )"  # chat's "honestly" first: "no cap it works now"
    r"|您好|你好|早上好|下午好|晚上好|抱歉|不好意思|很遗憾|遗憾的是|废话|当然(?!了$)|并(?=[没不未木])"
    r"|(?:根本|压根儿?|完全|全然)(?=[没不未]))[\s,，.。!！:：]*"  # "根本没解决", "完全没有": a no said harder
)
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF]+")
# A reply that starts by saying the problem is still not solved, whatever follows.
_NOT_DONE = re.compile(
    r"(?:(?:it|this|that|the (?:issue|problem|matter)|my (?:issue|problem)) )?"
    r"(?:has|have|had|is|was)(?: still)? not(?: yet)? (?:been )?(?:resolved|solved|fixed|sorted)\b"
    r"|(?:it|this|that|the (?:issue|problem|matter)|my (?:issue|problem))? ?(?:hasn'?t|isn'?t|wasn'?t)"
    r"(?: yet)? (?:been )?(?:resolved|solved|fixed|sorted)\b"
    r"|(?:问题|这个问题|我的问题)?(?:还是|还|仍然|仍|依然|依旧)?(?:没有|没|未)(?:被)?(?:解决|修好|处理好|搞定|搞掂|弄好)"
    # "not resolved", "it's not fixed"; still not working or still waiting, whatever is named after it
    r"|(?:(?:it|this|that)'?s )?not(?: yet)? (?:resolved|solved|fixed|sorted)\b"
    r"|(?:(?:it|this|that|the (?:issue|problem|app)|my (?:issue|problem)) )?still (?:doesn'?t|does not|isn'?t"
    r"|is not|won'?t|will not|can'?t|cannot|not)\b|(?:i'?m |i am |we'?re |we are )?still waiting\b"
    r"|(?:还是|仍然|仍|依然|依旧)(?:不能|无法|不可以|登不上|打不开|用不了|进不去|[^\s不]{1,4}不了)|还在等"
    r"|(?:退款|钱|款|货|包裹|快递|邮件|短信|验证码)?"  # "退款还没到账": what was waited for, named first
    r"(?:还是|还|仍然|仍|依然|依旧)(?:没有|没|未)(?:收到|到账|拿到|到)"  # "还没收到退款": still waiting
)
# A yes word scorned by "个屁" and the like: "解决个屁", "有用个鬼" (no: it did not).
_DENIED = re.compile(r"(\S{1,6}?)个(?:屁|鬼|毛线?|锤子|球)")


def _plain(text: str) -> str:
    """``text`` read as :func:`parse_confirmation` reads it, without what says nothing of a yes or no."""
    t = _PUNCT.sub(" ", normalize(without_signature(text))).strip()
    bare = _EMOJI.sub(" ", t).strip()
    t = _REPEATED_MARK.sub(r"\1", bare or t)  # "👍" alone is a yes, and so is "👍👍👍" (and "✅✅")
    for _ in range(3):  # "Good morning. Unfortunately no"
        t = _LEAD.sub("", t, count=1).strip()
    return _PARTICLE_END.sub("", t) or t


# Regional English's particles after the answer say nothing of it: "cannot lah", "no leh", "hindi po".
_PARTICLE_END = re.compile(r"(?<=\S) (?:la|lah|lor|leh|liao|meh|po|only|sha|ji)$")


_HAN = re.compile(r"[\u4e00-\u9fff]")
_ASKED_BACK = re.compile(r"^(?:yes|yeah|yep|no|nope)\s*\?.*\?\s*$")
_REPEATED_MARK = re.compile(r"^([^\w\s])\1+$")
_DIGIT = re.compile(r"\d")
# Yes words that also strengthen a rating: "definitely 10" answers a survey, not "Did this solve it?".
_RATING_ADVERBS = {"definitely", "absolutely", "of course", "certainly", "sure"}
# "No problem" acknowledges; it does not say the answer failed (unless the problem is "still" there).
_NO_PROBLEM = re.compile(
    r"^no (?:problems?|issues?|worries|prob|probs)\b(?!.*\b(?:still|again|but)\b)(?!.*\b(?:now|anymore)$)"
)
# A letter held down at the end of a word: "yesss", "nooo", "yeahhh".
_STRETCHED = re.compile(r"([a-z])\1+$")


def _said_over(text: str, words: set[str]) -> bool:
    """``text`` is one short Chinese word of ``words`` said again and again: "对对", "是是是", "不不"."""
    return (
        2 <= len(text) <= 4
        and len(set(text)) == 1
        and _HAN.match(text) is not None
        and text[0] in words
        and text[0] not in _NOT_YES_NO  # "好好" is "OK, OK"
    )


# Replies that confirm an automatic answer but do not say whether an issue was resolved.
_NOT_YES_NO = {
    "no comment",  # a refusal to answer, not a "no"
    "no comments",
    "thanks",
    "thank you",
    "thx",
    "ok",
    "okay",
    "k",
    "got it",
    "谢谢",
    "感谢",
    "收到",
    "好",
    "好的",
    "嗯",
}


def parse_yes_no(text: str) -> Confirmation | None:
    """``yes`` or ``no`` when ``text`` answers a yes/no question ("Was your issue resolved?"):
    "yes", "解决了", "no", "没解决", "否", "not really"...; a bare "thanks" or "ok" is no answer."""
    text = unquoted(
        not_for_eight(digit_words(hanzi_of(text)))
    )  # "> Is your problem solved now?\nyes", "uh no"; "hao le"
    t = _PUNCT.sub(" ", normalize(text)).strip()
    squashed = t.replace(" ", "")
    if t in _NOT_YES_NO or (squashed.rstrip(_PARTICLES) in _NOT_YES_NO and squashed not in _YES):
        return None  # "好的", "嗯嗯嗯", "ok啊"; not "好了" or "ok了" (it is fine now)
    return parse_confirmation(text)


def _split_head(t: str) -> tuple[str, str]:
    """The leading yes or no word or phrase of ``t`` and the rest (``("", t)`` when none leads)."""
    if _HAN.match(t):
        for phrase, _ in _CJK_PHRASES:
            if t.startswith(phrase) and len(t) > len(phrase):
                return phrase, t[len(phrase) :].strip(_SEPARATORS + _PARTICLES)
        return "", t
    for phrase in _EN_PHRASES:
        if t.startswith(phrase + " "):
            return phrase, t[len(phrase) :].strip()
    head, _, rest = t.partition(" ")
    return head, rest.strip()

"""Lexical similarity between a typed reply and the labels of a choice question.

Customers paraphrase options ("没解决" for 问题没有解决, "too slow" for Slow response, "the agent was
rude" for Unfriendly service). Without the classifier, a reply matches an option when they share
enough words: Chinese by characters, other languages by words, after dropping function words and
mapping a few common synonyms to one form. The score is the Dice coefficient of the two token bags;
a reply picks an option at :data:`THRESHOLD` or above, and only when no other option comes within
:data:`MARGIN` of it or shares :data:`COVERED` of its words. A reply whose negation differs from
the label's ("not slow" for Slow response) never matches it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.rating_words import one_slip

THRESHOLD = 0.5
MARGIN = 0.15
MAX_LENGTH = 60
COVERED = 1 / 3
"""A reply that shares this share of another option's words names that option too (ambiguous)."""

_WORD = re.compile(r"4ever|[a-z']+|[\u4e00-\u9fff]")  # chat's "4ever" is a word: "it took 4ever"
_NEGATIONS = {
    "not", "no", "never", "isn't", "wasn't", "aren't", "weren't", "didn't", "doesn't", "don't",
    "hasn't", "haven't", "won't", "can't", "cannot", "nothing", "nobody", "不", "没", "未", "无", "非",
    "didnt", "doesnt", "dont", "isnt", "wasnt", "hasnt", "havent", "wont", "cant", "couldnt",  # as typed
}  # fmt: skip
_STOP = {
    "the", "a", "an", "was", "is", "were", "are", "be", "been", "it", "it's", "its", "my", "me", "i",
    "i'm", "you", "your", "we", "our", "they", "he", "she", "this", "that", "so", "too", "very",
    "really", "quite", "way", "still", "at", "all", "to", "of", "for", "and", "just", "bit", "got",
    "entirely", "much", "any", "yet", "one", "option", "because",
    # seventh set: what brings a duration or a reply in ("took 3 days to get a reply", "get back to me")
    "took", "take", "takes", "get", "getting", "back",
    # sixth hunt: chat's "af", "ur", and what formal replies wrap a reason in ("I'm afraid",
    # "regrettably", "the matter I raised")
    "af", "asf", "ur", "with", "rather", "afraid", "regrettably", "unfortunately", "sadly", "anything",
    "raised", "reported", "mentioned",
    "了", "的", "得", "地", "太", "很", "还", "是", "都", "也", "就", "有", "吧", "啊", "呢", "啦",
    "们", "我", "你", "她", "这", "那", "个", "根", "本", "非", "常", "真", "特",
    "等",  # "wait": 等太久了 is about as slow as 太慢了
    # eighth set: who was waited for says nothing of which option ("replies took like 3 days", "waited 2
    # hours for someone to answer"; "it took 4 days" still names none), nor a closing particle ("好慢呀")
    "like", "someone", "somebody", "anyone", "anybody", "waited", "呀", "哦", "嘛",
    # twelfth set: how often it was tried says nothing of which option ("still doesnt work after 2 calls")
    "after", "calls", "tries", "attempts",
    # the fifteenth set: regional English's particles and pidgin's pronouns and verbs ("e slow well well",
    # "dem no solve am", "the oga dey shout", "bit rude if I'm honest", "frightfully rude")
    "lah", "la", "lor", "leh", "liao", "only", "sha", "po", "e", "dem", "am", "dey", "don",
    "if", "honest", "frankly", "frightfully", "terribly", "awfully", "young", "old", "even", "in", "yung",
    "ang", "hours", "minutes", "till", "date", "also", "kindly", "do", "needful",
}  # fmt: skip
# A few common synonyms, each mapped to one form (lexical matching cannot know them otherwise).
_SYNONYMS = {
    "rude": "unfriendly", "impolite": "unfriendly", "unhelpful": "unfriendly", "unprofessional": "unfriendly",
    "work": "solved", "works": "solved", "working": "solved",  # "still doesnt work"
    "fixed": "solved", "resolved": "solved", "sorted": "solved", "solve": "solved", "fix": "solved",
    "ignored": "slow",  # "ignored for 3 days": nobody answered
    "slowly": "slow", "long": "slow", "late": "slow", "forever": "slow", "4ever": "slow", "ages": "slow",
    "responses": "response", "reply": "response", "replies": "response", "respond": "response",
    "answer": "response", "issue": "problem", "issues": "problem", "problems": "problem",
    "staff": "service", "agent": "service", "agents": "service", "support": "service",
    "else": "other", "reason": "other", "others": "other", "something": "other",
    "attitude": "unfriendly",
    # who helped is the service ("the guy was rude af"), and more words for unfriendly ("so mean")
    "guy": "service", "lady": "service", "girl": "service", "dude": "service", "rep": "service",
    "representative": "service", "operator": "service", "employee": "service", "person": "service",
    "mean": "unfriendly", "curt": "unfriendly", "snarky": "unfriendly", "arrogant": "unfriendly",
    "condescending": "unfriendly", "dismissive": "unfriendly", "nasty": "unfriendly", "hostile": "unfriendly",
    "matter": "problem",
    # eighth set: more words for unfriendly, and help not given is the problem left ("they couldn't help me")
    "sarcastic": "unfriendly", "impatient": "unfriendly", "patronising": "unfriendly",
    "patronizing": "unfriendly", "disrespectful": "unfriendly", "abrupt": "unfriendly",
    "help": "solved", "helped": "solved",
    # ninth set: swearing or shouting at the customer is the attitude, its noun too ("rudeness"), and
    # being ghosted a slow response ("slowness")
    "swore": "unfriendly", "sworn": "unfriendly", "swearing": "unfriendly", "cursed": "unfriendly",
    "yelled": "unfriendly", "yelling": "unfriendly", "shouted": "unfriendly", "shouting": "unfriendly",
    "screamed": "unfriendly", "rudeness": "unfriendly", "unfriendliness": "unfriendly",
    "arrogance": "unfriendly", "slowness": "slow", "ghosted": "slow", "ghosting": "slow",
    # the fifteenth set: more words for who helped ("the chap", "the oga", "the young man") and for
    # unfriendly (India's "scold", Tagalog's "suplado": snobbish), a queue and Tagalog's "tagal" (long
    # time) for slow, India's "pending" for not solved
    "chap": "service", "oga": "service", "man": "service", "woman": "service", "scold": "unfriendly",
    "scolded": "unfriendly", "shout": "unfriendly", "suplado": "unfriendly", "queue": "slow", "tagal": "slow",
    "solving": "solved", "attend": "response", "attended": "response",
    "差": "坏", "劣": "坏", "恶": "坏", "凶": "坏", "久": "慢",
    "它": "他",  # 其它 / 其他
}  # fmt: skip
# Words and phrases that mean the same as another (bad = not good), replaced before splitting.
_CJK_WORDS = {
    # Cantonese negations: 唔 (not), 冇 (have not); 唔该 is "thanks" ("態度唔好", "冇解決到")
    "唔该": " ",
    "唔": "不",
    "冇": "没",
    "好耐": "好久",  # Cantonese: a long time, and 覆 for 回 (to reply): "等咗好耐都冇人覆"
    "人覆": "人回",
    # not replying is a slow response (mapped before 回复): "客服一直不回消息"; 一直 (all along) adds nothing
    "不回复": "响应慢",
    # processing slowly is a slow response (mapped before 处理: 解决); 爱答不理 (cold, barely answering)
    "处理太慢": "响应慢",
    "处理得太慢": "响应慢",
    "处理慢": "响应慢",
    "爱答不理": "态度坏",
    "爱理不理": "态度坏",
    "unresolved": "not solved",
    "unsolved": "not solved",
    # blind round 27: friendly or polite denied is unfriendly ("not friendly", "not very polite")
    "not friendly": "unfriendly",
    "not very friendly": "unfriendly",
    "not polite": "unfriendly",
    "not very polite": "unfriendly",
    "不回消息": "响应慢",
    "不回信息": "响应慢",
    "一直": " ",
    "不太好": "坏",
    "不好": "坏",
    "没有": "没",
    "没能": "没",
    "回复": "响应",
    "回应": "响应",
    "处理": "解决",
    "别的": "其他",
    "好久": "慢",  # 等了好久: waited ages
    # regional and chat words for slow (Northeastern 贼拉, 磨叽; 要死 as "to death"; Taiwan 有够)
    # and unfriendly (凶巴巴, 好凶, 太冲; Cantonese 唔理人 as 不理人); Sichuan 莫得 as 没得 (没有)
    "贼拉慢": "慢",
    "磨磨唧唧": "慢",
    "磨磨叽叽": "慢",
    "磨叽": "慢",
    "慢得要死": "慢",
    "有够慢": "慢",
    "凶巴巴": "态度坏",
    "好凶": "态度坏",
    "太冲": "态度坏",
    "莫得": "没",
    "很久": "慢",
    "半天": "慢",
    "速度": "响应",  # 速度太慢: slow to respond
    "回得": "响应",
    "搞定": "解决",
    "搞好": "解决",  # blind round 26: "还是没搞好" (still not fixed), as 没搞定
    "不耐烦": "态度坏",
    "以上都不是": "其他",
    "都不是": "其他",
    "none of the above": "other",
    "none of these": "other",
    "none of the options": "other",  # blind round 23: "none of the options really, it's the app"
    "none of those": "other",  # blind round 26: "none of those really"
    "不友好": "态度坏",
    "好差": "坏",  # "so bad": its 好 is no praise
    "好慢": "慢",
    "问题还在": "问题没解决",
    "still there": "not solved",
    "still happening": "not solved",
    "still broken": "not solved",
    # still without what was asked for: "I still don't have my refund", "退款还没到账" (not "还没收到回复":
    # a reply not received is a slow response)
    "still don't have my": "not solved",  # my refund, my order ("still don't have a reply" is no pick)
    "still dont have my": "not solved",
    "还没到账": "问题没解决",
    "还没退": "问题没解决",
    "persists": "not solved",
    # third hunt: 不及时 (not in time), 没人回 (nobody replied), 依旧 (still so), 没礼貌 (impolite)
    "不及时": "慢",
    "没人回": "响应慢",
    "没人理": "响应慢",
    "问题依旧": "问题没解决",
    "依然没": "没",
    "没礼貌": "态度坏",
    "不礼貌": "态度坏",
    "nobody answered": "slow response",
    "nobody replied": "slow response",
    "no one answered": "slow response",
    "no one replied": "slow response",
    # fifth hunt: a wrong answer leaves the problem there ("answer" alone is a response: "wrong answer"
    # read as Slow response)
    "wrong answer": "not solved",
    "answer was wrong": "not solved",
    "answers were wrong": "not solved",
    "info was wrong": "not solved",
    "information was wrong": "not solved",
    "incorrect answer": "not solved",
    "wrong information": "not solved",
    "wrong info": "not solved",
    "答非所问": "问题没解决",
    "答错了": "问题没解决",
    # 修好, 修复 (repaired) are 解决 for a fault: "还是没修好" is Problem not solved
    "修好": "解决",
    "修复": "解决",
    # seventh set: hanging up on the customer and a cold or brusque way of talking are the attitude
    # ("she hung up on me", "客服挂我电话", "说话很冲", "太冷漠了"); nobody with a reply (after 回复 became
    # 响应: "一直没人回复") and waiting said as a noun ("the wait", "waiting time"; not "wait what" or
    # "waiting for a refund", and "it took 4 days" names no option) are a slow response; 死了 only says
    # "very" ("慢死了"); still without what was asked for ("never got my refund") and not working
    # ("还是不能用") leave the problem there
    "hung up on": "unfriendly",
    "hang up on": "unfriendly",
    # fourteenth set: hanging up with no "on" ("agent hung up after 5 min"); a snail, a tortoise and 龟速
    # (a tortoise's pace) are slow; 没用 (no use) leaves the problem there; the name of an order's or a
    # ticket's number says nothing of which option ("没修好，工单号2231")
    "hung up": "unfriendly",
    "🐌": " slow ",
    "🐢": " slow ",
    "⏳": " slow ",  # blind round 20: an hourglass, running or run out
    "⌛": " slow ",
    "好几": "几",  # 好几 is "quite a few", no praise: "等了好几个小时才回"
    "龟速": "慢",
    "没用": "问题没解决",
    "工单号": " ",
    "订单号": " ",
    "挂我电话": "态度坏",
    "挂电话": "态度坏",
    "说话": "态度",
    "冲": "坏",
    "冷漠": "态度坏",
    "the waiting": "slow",  # blind round 23: before "the wait", inside it
    "the wait": "slow",
    "long wait": "slow",
    "wait time": "slow response",
    "waiting time": "slow response",
    "没人响应": "响应慢",
    "死了": " ",
    "never got my": "not solved",
    "never received my": "not solved",
    "不能用": "问题没解决",
    "用不了": "问题没解决",
    # eighth set: nobody getting back is a slow response; still crashing or missing leaves the problem
    # there; a sneering, scolding or cold way of talking is the attitude; 回消息 (answering messages) is
    # a response, and 要等 (had to wait) for it slow; a refund still not there leaves the problem
    "nobody got back": "slow response",
    "no one got back": "slow response",
    "never got back": "slow response",
    "never heard back": "slow response",
    "nobody called back": "slow response",
    "no one called back": "slow response",
    "never called back": "slow response",
    "still crashes": "not solved",
    "still crashing": "not solved",
    "never answered": "slow response",  # the sixteenth set: never answered at all
    "never replied": "slow response",
    "never responded": "slow response",
    "still missing": "not solved",
    "still not working": "not solved",
    "still doesn't work": "not solved",
    "still does not work": "not solved",
    "阴阳怪气": "态度坏",
    "骂人": "态度坏",
    "骂我": "态度坏",
    "冷淡": "态度坏",
    # blind round 14: held on a line is waiting for a response, a queue (排队) is waiting (排队太久 as
    # 等太久), and 才回 (only replied after ...) a late one ("on hold forever", "3天才回"); a duration
    # alone still names none ("排队40分钟", as "it took 4 days")
    "on hold": "slow",
    "排队": "等",
    "才回": "响应慢",
    "回消息": "响应",
    "回信息": "响应",
    "要等": "慢",
    "退款还没": "问题没解决",
    # ninth set: left on read and hearing back are about the response; "short with me" is curt; 搞掂
    # (Cantonese 搞定) after 唔 and 冇 became 不 and 没; 还是没好 (still not better); 难听, 不客气 (how one
    # was spoken to), 敷衍 (brushed off), 串 and 黑口黑面 (Cantonese: cocky, sullen) are the attitude; 不理人
    # (ignoring the customer) and 还行 (fine) said of one option beside another
    "left on read": "slow response",
    "left me on read": "slow response",
    "hear back": "response",
    "heard back": "response",
    "short with me": "unfriendly",
    "short with us": "unfriendly",
    "搞不掂": "没解决",
    "没搞掂": "没解决",
    "搞不定": "没解决",
    "没搞定": "没解决",
    "搞掂": "解决",
    "还是没好": "问题没解决",
    "还没好": "问题没解决",
    "难听": "坏",
    "态度很不客气": "态度坏",
    "态度不客气": "态度坏",
    "敷衍": "态度坏",
    "好串": "态度坏",
    "很串": "态度坏",
    "太串": "态度坏",
    "黑口黑面": "态度坏",
    "不理人": "响应慢",
    "不理我": "响应慢",
    "还行": "好",
    # the fifteenth set: chat's intensifiers and exclamations that say nothing of which option ("凶得一批",
    # "芭比Q了 啥也没解决"), idioms for a problem passed on or left ("一问三不知", "踢皮球", "甩锅"),
    # for slow ("等到花儿都谢了", "太感人", sarcastic), and English phrases for the same
    "得一批": " ",
    "的一批": " ",
    "芭比q了": " ",
    "蚌埠住了": " ",
    "栓q": " ",
    "无语子": " ",
    "绝绝子": " ",
    "一问三不知": "问题没解决",
    "踢皮球": "问题没解决",
    "甩锅": "问题没解决",
    "花儿都谢了": "慢",
    "太感人": "慢",
    "爱搭不理": "态度坏",
    "态度不太行": "态度坏",
    "态度不行": "态度坏",
    "木有": "没",
    "no manners": "unfriendly",
    "didn't even greet": "unfriendly",
    "did not even greet": "unfriendly",
    "didn't greet": "unfriendly",
    "never greeted": "unfriendly",
    "nobody attend": "slow response",
    "still pending": "not solved",
    "same problem": "problem not solved",
    "same issue": "problem not solved",
    "well well": " ",
    "dunno how to": "not",
    # blind round 22: still without a thing asked for leaves the problem there ("still no refund of the
    # $120", "room 1203 still has no hot water", "2GB missing still", "少的2GB流量还是没补"; "still no
    # reply" is a slow response), and ground staff (地勤) is the service
    "still no reply": "slow response",
    "still no response": "slow response",
    "still no answer": "slow response",
    "still no refund": "not solved",
    "still has no": "problem not solved",
    "still have no": "problem not solved",
    "missing still": "not solved",
    "还是没补": "问题没解决",
    "还没补": "问题没解决",
    "地勤": "客服",
    # blind round 23: kept on hold or in a queue, a message sunk without trace (石沉大海), someone only
    # answering after ages (老半天才有人理) are a slow response; a fix that did not hold, breaking again,
    # not getting in (登不上) and a refund not yet there leave the problem; an attitude someone "had" is
    # the attitude; where it was said ("on the phone") and "mainly" (主要是) say nothing of which option
    "kept me": " ",
    "on the phone": " ",
    "had an attitude": "unfriendly",
    "didn't hold": "not solved",
    "did not hold": "not solved",
    "broke again": "not solved",
    "broken again": "not solved",
    "stopped working again": "not solved",
    "the next day": " ",
    "next day": " ",
    "石沉大海": "响应慢",
    "才有人理": "响应慢",
    "老半天": "久",
    "登不上": "问题没解决",
    "登不进": "问题没解决",
    "退款没到": "问题没解决",
    "没到账": "问题没解决",
    "主要是": " ",
    # blind round 24: slow to an absurd degree (慢到离谱), till the end of time (天荒地老), "ten thousand
    # years" (一万年), at a snail's pace (慢吞吞); work for nothing and asking for nothing (白忙活, 白问,
    # 跟没问一样) leave the problem; 拉胯 (let down) said of the attitude is a bad one; 家人们谁懂啊
    # ("folks, can you believe it") says nothing of which option; "put me on hold" is waiting
    "到离谱": " ",
    "离谱": " ",
    "到天荒地老": "慢",
    "天荒地老": "慢",
    "一万年": "慢",
    "慢吞吞": "慢",
    "白忙活": "问题没解决",
    "白忙": "问题没解决",
    "白问": "问题没解决",
    "跟没问一样": "问题没解决",
    "跟没解决一样": "问题没解决",  # blind round 26: as if nothing had been solved
    "和没解决一样": "问题没解决",
    "拉胯": "坏",
    "把我电话挂了": "态度坏",
    "电话给我挂了": "态度坏",
    "家人们谁懂啊": " ",
    "家人们": " ",
    "put me on hold": "slow",
}
# 好 before a word the map made bad is "so" ("客服好冷淡"), no praise that opposes it.
_SO = re.compile(r"好(?=态度坏|坏|慢|响应慢|问题没解决)")


# Words that say the opposite of a label's word: "回复很快" (replied fast) is no "响应太慢", "服务态度很好"
# no "服务态度不好", "friendly service" no "Unfriendly service".
_OPPOSITES = {
    "慢": {"快", "及", "迅", "秒"},
    "slow": {
        "fast",
        "quick",
        "quickly",
        "timely",
        "prompt",
        "promptly",
        "speedy",
        "rapid",
        "instant",
        "short",
    },
    "坏": {"好", "错", "棒", "耐", "热", "礼", "专"},  # 好, 不错, 棒, 耐心, 热情, 礼貌, 专业
    "unfriendly": {"friendly", "nice", "kind", "polite", "patient", "good", "great", "professional"},
}


def opposed(mine: Sequence[str], theirs: Sequence[str]) -> bool:
    """Whether the reply's tokens ``mine`` hold the opposite of a word of the label's ``theirs``."""
    return any(_OPPOSITES.get(word, set()) & set(mine) for word in theirs)


_HELD = re.compile(r"([a-z])\1{2,}")


def tokens(text: str) -> list[str]:
    """The content tokens of ``text`` (lower-cased), synonyms mapped, function words dropped."""
    found: list[str] = []
    for raw in _WORD.findall(_mapped(text)):
        word = raw.strip("'")
        if len(word) > 1 and not ("\u4e00" <= word[0] <= "\u9fff"):
            word = _HELD.sub(r"\1", word)  # a letter held down: "slowww", "ruuude"
            word = _SYNONYMS.get(word, word)
        word = _SYNONYMS.get(word, word)
        if word and word not in _STOP and word not in _NEGATIONS:  # negation is compared apart
            found.append(word)
    return found


_SAID_OVER = re.compile(r"([\u4e00-\u9fff])\1{2,}")
_EMOJI_OVER = re.compile("([\U0001f300-\U0001faff])\\1+")  # "🐌🐌🐌": one snail said over


# Not answering, said as 不回 ("半天不回", "都不回我"), but not "not coming back" (不回来, 不回去, 不回家).
_NOT_ANSWERING = re.compile(r"不回(?![来去家国头])")


# Mapped before the words inside them (回复, 等): "机器人回复 答非所问", "等到花儿都谢了", "到现在都没解决".
_FIRST_WORDS = {"机器人回复": "机器人", "等到花儿都谢了": "慢", "到现在": " ", "到目前为止": " "}


# A number with the thing it names or counts says nothing of which option: "size 40", "room 1203",
# "$120", "2GB", "40码", "1203房", "B22登机口" (blind round 22).
_NAMED_BY_NUMBER = re.compile(
    r"\b(?:size|room|seat|gate|order|flight|card ending|ending in|ending)\s?#?[a-z]?\d+[a-z]?\b"
    r"|[$¥￥£€]\s?\d+(?:\.\d+)?|\b\d+(?:\.\d+)?\s?(?:gb|mb|m|g)\b"
    r"|(?<![a-z0-9])[a-z]?\d+[a-z]?\s?(?:号房|号|码|房间|房|登机口)"
)


def _mapped(text: str) -> str:
    t = _EMOJI_OVER.sub(r"\1", _SAID_OVER.sub(r"\1", text.lower()))  # "慢慢慢慢": one word said over
    t = _NAMED_BY_NUMBER.sub(" ", t)
    for word, same in (*_FIRST_WORDS.items(), *_CJK_WORDS.items()):
        t = t.replace(word, same)
    return _SO.sub("", _NOT_ANSWERING.sub("响应慢", t))


def negated(text: str) -> bool:
    """Whether ``text`` negates what it says ("not solved", "没解决"; "不好" is just "bad")."""
    t = _mapped(text)
    return any(word in _NEGATIONS for word in _WORD.findall(t)) or "n't" in t


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice coefficient of two token bags: 1.0 for the same words, 0.0 for none shared."""
    if not a or not b:
        return 0.0
    shared = sum((Counter(a) & Counter(b)).values())
    return 2 * shared / (len(a) + len(b))


def mostly_of(text: str, label: str) -> bool:
    """Whether more than half of the content words of ``text`` are words of ``label`` ("took forever
    to reply" of Slow response; "delivery was slow" is as much about the delivery)."""
    mine = tokens(text)
    shared = sum((Counter(mine) & Counter(tokens(label))).values())
    return bool(mine) and 2 * shared > len(mine)


_CLAUSES = re.compile(r"\b(?:and|but|also|plus)\b|而且|并且|还有|以及|就是|[,，;；、]")


def closest(text: str, options: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The option whose labels ``text`` paraphrases (see :func:`_closest`); ``None`` also when two
    parts of the reply name different options ("slow and not solved")."""
    clauses = [c for c in _CLAUSES.split(text) if tokens(c)]
    # A clause that denies ("not the attitude") or praises the opposite of an option ("answered fast")
    # names none: it only says what went right.
    # ("不是态度问题" is no "问题没有解决"; "not solved" still names one).
    naming_none = [c for c in clauses if _IS_NOT.match(c.lower()) or _praises(c, options)]
    named = {_closest(c, options) for c in clauses if c not in naming_none} - {None}
    if len(clauses) > 1 and len(named) > 1:
        return None
    if (
        len(clauses) > 1
        and named
        and all(_closest(c, options) or _denial(c) or c in naming_none for c in clauses)
    ):
        return named.pop()  # "not the speed, they were rude": one option said, the rest denied
    return _closest(text, options)


def says_what_went_right(text: str, options: Sequence[tuple[str, Iterable[str]]]) -> bool:
    """Whether a clause of ``text`` denies something ("not slow", "不是慢") or praises the opposite of an
    option ("answered fast"): beside an option's number, it may be saying that option was fine."""
    return any(_denial(c) or _praises(c, options) for c in _CLAUSES.split(text) if tokens(c))


def _praises(clause: str, options: Sequence[tuple[str, Iterable[str]]]) -> bool:
    """A clause that says the opposite of an option and nothing negated: "answered fast", "回复很快"."""
    mine = tokens(clause)
    return not negated(clause) and any(
        opposed(mine, tokens(label)) for _, labels in options for label in labels
    )


_DENIAL = re.compile(r"^\s*(?:(?:(?:it|that)(?:'s| is| was)(?: not|n't)|not|no)\b|不是|并不是|倒不是)")


# "It is not ...", "not the ...", "不是...": what follows is denied as a whole, however it reads.
_IS_NOT = re.compile(
    r"^\s*(?:(?:it|that)(?:'s| is| was)(?: not|n't)|not (?:the|a|an|about)\b|不是|并不是|倒不是)"
)


def _denial(clause: str) -> bool:
    """A clause that only says what it was not: "not the speed", "不是慢"."""
    return _DENIAL.match(clause.lower()) is not None


_MIN_MISSPELLED = 7
"""Only words this long are read through one slip of the keyboard ("unfrendly"): shorter ones are too
near other words."""


def _respelled(mine: list[str], theirs: list[str]) -> list[str]:
    """``mine`` with each long word one slip from a word of ``theirs`` read as that word: "unfrendly"."""
    near = [w for w in theirs if len(w) >= _MIN_MISSPELLED]
    return [
        next((w for w in near if one_slip(word, w)), word) if word not in theirs else word for word in mine
    ]


def _closest(text: str, options: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The option whose labels ``text`` paraphrases, or ``None`` when none is close enough, two
    are about as close, or the reply also names a good part of another option ("太慢了而且态度差")."""
    if len(text) > MAX_LENGTH:
        return None
    mine = tokens(text)
    negation = negated(text)
    scored: list[tuple[float, float, str]] = []
    for option_id, labels in options:
        best, covered = 0.0, 0.0
        for label in labels:  # ids are matched exactly before this
            theirs = tokens(label)
            if negated(label) != negation or not theirs or opposed(mine, theirs):
                continue
            spelled = _respelled(mine, theirs)
            shared = sum((Counter(spelled) & Counter(theirs)).values())
            if shared >= len(mine) - shared:  # more of the reply is the label's words than not
                best = max(best, similarity(spelled, theirs))
            covered = max(covered, shared / len(theirs))
        scored.append((best, covered, option_id))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < THRESHOLD:
        return None
    others = scored[1:]
    if any(best > scored[0][0] - MARGIN or covered >= COVERED for best, covered, _ in others):
        return None
    return scored[0][2]

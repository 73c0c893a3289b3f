"""The words and faces customers rate with: "非常满意", "very easy", "服务很好", "not helpful", "👍👍👍".

A word rating counts only when the whole reply is the rating (a comment beside it is split off by
:mod:`bot.rating_comments`). Explicit phrases win; otherwise a reply is read as a known word with a
subject before it ("服务很好", "the agent was great"), a negation ("not helpful", "不方便"), a
softener ("挺方便", "quite happy") or an intensifier ("really bad", "超级方便", "👍👍👍") around it.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

WordScale = Literal["csat", "ces"]

# Satisfaction words on a 1-5 scale (3 is neutral).
SATISFACTION: dict[str, int] = {
    "非常满意": 5, "十分满意": 5, "很满意": 5, "超级满意": 5, "特别满意": 5, "太棒了": 5, "非常好": 5,
    "很好": 4, "满意": 4, "不错": 4, "挺好": 4, "还不错": 4, "挺满意": 4, "比较满意": 4,
    "一般": 3, "还行": 3, "还可以": 3, "凑合": 3, "马马虎虎": 3, "一般般": 3,
    "不满意": 2, "不太满意": 2, "不是很满意": 2, "不是很好": 2, "不怎么样": 2,
    "不好": 2, "差": 2, "较差": 2, "不太好": 2,
    "非常不满意": 1, "很不满意": 1, "极不满意": 1, "太差了": 1, "很差": 1, "非常差": 1, "极差": 1,
    "垃圾": 1, "糟糕": 1, "太糟糕了": 1, "好评": 5, "中评": 3, "差评": 1,
    "超赞": 5, "赞": 4, "好棒": 5, "好差": 1, "点赞": 5, "棒": 4, "棒棒的": 5, "棒极了": 5, "好极了": 5,
    "太好了": 5, "完美": 5, "还凑合": 3, "不好不坏": 3, "不好也不坏": 3, "中规中矩": 3,
    "优秀": 5, "很不错": 5, "非常不错": 5, "蛮好": 4, "满分好评": 5, "还好": 3, "不行": 2, "不太行": 2,
    "失望": 2, "差劲": 1, "not bad at all": 4, "烂": 1, "太烂了": 1, "一塌糊涂": 1, "无语": 2,
    "普通": 3, "普普通通": 3, "不咋地": 2, "不咋样": 2, "不怎么地": 2, "没毛病": 4, "没得说": 5, "没话说": 5,
    "无可挑剔": 5, "棒棒": 5, "棒棒哒": 5, "不满": 2, "极佳": 5, "极好": 5,
    # chat slang: 绝绝子 (the best), 还阔以 (还可以), 就那样 (so-so), 拉胯 (let down), 给力, 靠谱 (reliable)
    "绝绝子": 5, "泰裤辣": 5, "还阔以": 3,  # 泰裤辣: 太酷啦 (so cool) as chat spells it
    "阔以": 3, "就那样": 3, "也就那样": 3, "不咋滴": 2, "不咋的": 2,
    "良好": 4, "及格": 3, "将就": 3, "还将就": 3,
    "拉胯": 2, "给力": 4, "靠谱": 4, "牛逼": 5, "赞一个": 5, "点个赞": 5, "可以可以": 4,
    # 牛 ("awesome", as in 太牛了), yyds (永远的神: "the GOAT"); Cantonese 正 (great), 麻麻 (so-so)
    "十全十美": 5, "一流": 5, "一级棒": 5, "特别好": 5, "超好": 5, "超级好": 5, "好得很": 5, "好的很": 5,
    "乱七八糟": 1, "一无是处": 1, "一团糟": 1, "糟透了": 1, "一点也不好": 1, "一点都不好": 1,
    "普普": 3,  # Taiwan: so-so
    # Taiwan 棒呆了 (awesome); 态度恶劣 (a vile attitude); Cantonese 冇得输 (unbeatable), as 冇 reads
    "棒呆了": 5, "棒呆": 5, "恶劣": 1, "垃圾客服": 1, "没得输": 5,
    # chat: nb / 牛b / 牛批 (牛逼), 坑 (a rip-off), 坑爹, 辣鸡 (垃圾), 醉了 (speechless), 心累 (worn out)
    "nb": 5, "牛b": 5, "牛批": 5, "坑": 2, "坑爹": 1, "辣鸡": 1, "垃圾中的垃圾": 1, "醉了": 2, "心累": 2,
    # Northeastern 贼 / 老 / 嘎嘎 (very), 杠杠的 (first-rate), 整挺好 (done well), 啥也不是 (worthless);
    # Sichuan 巴适 (just right), 巴适得板 (perfect)
    "贼好": 5, "老好了": 5, "嘎嘎好": 5, "杠杠的": 5, "整挺好": 4, "啥也不是": 1, "巴适": 4, "巴适得板": 5,
    "牛": 5, "yyds": 5, "好正": 5, "超正": 5, "麻麻": 3, "麻麻地": 3, "麻麻哋": 3,
    # the fifteenth set: chat's 针不戳 (真不错), 无语子 (无语), 狗都不用 ("not even a dog would use it");
    # formal and Indian English "highly satisfied", "very much satisfied"
    "针不戳": 4, "无语子": 2, "狗都不用": 1, "highly satisfied": 5, "very much satisfied": 5,
    "fully satisfied": 5, "highly dissatisfied": 1,
    "very satisfied": 5, "extremely satisfied": 5, "excellent": 5, "perfect": 5, "amazing": 5,
    "awesome": 5, "outstanding": 5, "great": 5, "fantastic": 5, "very good": 5, "very happy": 5,
    "satisfied": 4, "good": 4, "happy": 4, "pretty good": 4, "not bad": 4, "quite good": 4, "nice": 4,
    "ok": 3, "okay": 3, "average": 3, "neutral": 3, "so so": 3, "so-so": 3, "fine": 3, "meh": 3,
    "soso": 3, "okayish": 3, "ok-ish": 3, "best experience ever": 5, "a+": 5, "a++": 5,
    "lit": 5, "dope": 5, "fire": 5, "🔥": 5, "grt": 5, "awsum": 5, "awesum": 5, "amazeballs": 5, "aweful": 1,
    "mehh": 3, "okie": 3, "okie dokie": 3, "shabby": 2, "no notes": 5, "chef's kiss": 5,  # "not too shabby" 4
    "dissatisfied": 2, "unsatisfied": 2, "not satisfied": 2, "unhappy": 2, "not happy": 2, "bad": 2,
    "poor": 2, "not good": 2, "disappointed": 2, "bad service": 2, "great service": 5, "good service": 4,
    "great job": 5, "good job": 4, "excellent service": 5,
    "crap": 1, "crappy": 1, "shit": 1, "shitty": 1, "sucked": 1, "it sucked": 1, "lousy": 2, "okish": 3,
    "okey": 3, "okk": 3, "okayy": 3, "nice one": 4, "nice work": 4, "good work": 4, "great work": 5,
    "well done": 5, "good stuff": 4, "great stuff": 5, "could be better could be worse": 3,
    "gud": 4, "gr8": 5, "awsome": 5, "amazin": 5, "love you": 5, "love u": 5,  # as typed in chat
    "not great not terrible": 3, "not bad not great": 3, "not good not bad": 3, "could have been better": 3,
    "bussin": 5, "slaps": 5, "rocks": 5, "rocked": 5,  # chat: "it was bussin", "the app rocks"
    "goated": 5, "solid": 4, "mid": 3, "trash": 1, "you rock": 5, "you guys rock": 5,  # chat slang
    "not satisfied at all": 1, "not at all satisfied": 1,
    "very dissatisfied": 1, "very unsatisfied": 1, "very bad": 1, "terrible": 1, "awful": 1,
    "horrible": 1, "worst": 1, "very poor": 1, "very unhappy": 1, "the worst": 1,
    "superb": 5, "brilliant": 5, "wonderful": 5, "incredible": 5, "fabulous": 5, "exceptional": 5,
    "top notch": 5, "the best": 5, "best ever": 5, "best service": 5, "best service ever": 5,
    "love it": 5, "loved it": 5, "delighted": 5, "impressed": 5, "helpful": 4, "pleased": 4,
    "satisfactory": 4, "decent": 4, "thumbs up": 4, "alright": 3, "all right": 3, "acceptable": 3,
    # the fourteenth set: both thumbs, as "👍👍" is 5; a review's "A+++"
    "two thumbs up": 5, "both thumbs up": 5, "双手点赞": 5, "双手赞": 5, "a+++": 5,
    "mediocre": 3, "could be better": 3, "neither satisfied nor dissatisfied": 3, "neither good nor bad": 3,
    "no complaints": 4, "nothing to complain about": 4, "can't complain": 4, "cannot complain": 4,
    "couldn't be happier": 5, "could not be happier": 5, "couldn't be better": 5, "could not be better": 5,
    "never been better": 5, "over the moon": 5, "couldn't be worse": 1, "could not be worse": 1,
    "could be worse": 3, "no problems": 4, "no issues": 4, "not great": 2, "unhelpful": 2, "disappointing": 2,
    "frustrating": 2, "frustrated": 2, "annoyed": 2, "thumbs down": 2, "useless": 1, "pathetic": 1,
    "rubbish": 1, "garbage": 1, "it sucks": 1, "sucks": 1, "worst ever": 1, "worst service ever": 1,
    "😡": 1, "🤬": 1, "😠": 2, "😞": 2, "🙁": 2, "☹": 2, "😐": 3, "😑": 3, "🙂": 4, "😊": 4, "👍": 4, "👎": 2,
    "😀": 5, "😁": 5, "😍": 5, "🤩": 5, "🥰": 5, "👍👍": 5, "👏": 5, "🙌": 5, "😔": 2, "💔": 1, "super": 5,
    "😕": 2, "😟": 2,
    ":)": 4, ":-)": 4, "=)": 4, ":d": 5, ":-d": 5, ":(": 2, ":-(": 2, "=(": 2, ":'(": 2,  # emoticons
    "♥": 5, "💖": 5, "💕": 5, "💗": 5,
    "😃": 5, "😄": 5, "❤": 5, "💯": 5, "👌": 4, "😒": 2, "🙄": 2, "😢": 2, "😤": 1, "🤮": 1, "💩": 1,
    # blind round 24: chat's win and loss ("big W", "massive L": a bare letter is no rating), 周到 and 贴心
    # (attentive), 不赖 (not bad), 绝了 (the best), 挺行 (does fine), a phone's "hapy", the pair said as
    # neither ("谈不上好也谈不上差"), 太好 as 太好了 ("也太好了吧" loses its 了 with 吧); kaomoji, as
    # emoticons are ("(^_^)", "(T_T)", ">:(" and a table flipped)
    "big w": 5, "huge w": 5, "massive w": 5, "big l": 1, "huge l": 1, "massive l": 1,
    "太好": 5, "周到": 4, "贴心": 4, "不赖": 4, "绝了": 5, "挺行": 4, "hapy": 4,
    "谈不上好也谈不上差": 3, "说不上好也说不上差": 3, "不算好也不算差": 3, "还可以更好": 3, "可以更好": 3,
    **dict.fromkeys(("^_^", "^^", "^-^", "(^_^)", "(^^)", "(^-^)", "(^o^)", "^o^"), 4),
    **dict.fromkeys(("t_t", "(t_t)", "t t", ";_;", "(;_;)", "qaq", "(qaq)"), 2),
    **dict.fromkeys((">:(", ">:-(", "(╯°□°)╯( ┻━┻", "(╯°□°)╯(┻━┻", "(╯°□°)╯", "┻━┻"), 1),
}  # fmt: skip
# Effort words on the 1-7 CES scale (7 = very easy, 4 is neutral).
EFFORT: dict[str, int] = {
    "非常容易": 7, "非常简单": 7, "很容易": 7, "很简单": 7, "非常轻松": 7, "很轻松": 7,
    # idioms: a piece of cake, harder than climbing to the sky
    "小菜一碟": 7, "难如登天": 1, "难于上青天": 1, "比登天还难": 1,
    "容易": 6, "简单": 6, "轻松": 6, "挺容易": 6, "比较容易": 5, "还算容易": 5,
    "一般": 4, "还行": 4,
    "比较难": 3, "有点难": 3, "有点麻烦": 3, "难": 2, "困难": 2, "麻烦": 2, "费劲": 2, "很麻烦": 2,
    "非常困难": 1, "非常难": 1, "很难": 1, "非常麻烦": 1, "太麻烦了": 1, "太难了": 1,
    "方便": 6, "顺利": 6, "省事": 6, "省心": 6, "复杂": 2, "繁琐": 2, "一点都不难": 6, "一点也不难": 6,
    "一点都不麻烦": 6, "一点也不麻烦": 6, "有点复杂": 3,
    "very easy": 7, "extremely easy": 7, "super easy": 7, "effortless": 7, "easy": 6, "quite easy": 6,
    "fairly easy": 5, "somewhat easy": 5, "neutral": 4, "ok": 4, "okay": 4, "average": 4,
    "somewhat difficult": 3, "a bit hard": 3, "difficult": 2, "hard": 2,
    "not easy": 3, "not very easy": 3, "not that easy": 3, "not so easy": 3, "不容易": 3, "不太容易": 3,
    "not hard": 5, "not difficult": 5, "not too hard": 5, "不难": 5, "不太难": 5, "不麻烦": 5,
    "very difficult": 1, "very hard": 1, "extremely difficult": 1,
    "easy peasy": 7, "quick and easy": 7, "fast and easy": 7, "piece of cake": 7, "seamless": 7,
    "hassle-free": 7, "hassle free": 7, "simple": 6, "straightforward": 6, "smooth": 6, "no hassle": 6,
    "a bit complicated": 3, "complicated": 2, "confusing": 2, "a hassle": 2, "tedious": 2,
    "painful": 2, "a nightmare": 1, "nightmare": 1, "impossible": 1,
    "a faff": 2, "faff": 2, "faffy": 2,  # British for a hassle: "a total faff" 1, "bit of a faff" 3
    "neither easy nor difficult": 4, "neither easy nor hard": 4,
    "不难也不简单": 4, "不简单也不难": 4, "一般般": 4, "方便快捷": 7, "简单方便": 7, "折腾": 2, "费时费力": 2,
    "有点难度": 3, "难度不大": 5, "没有难度": 6, "费力": 2, "毫不费力": 7, "简单快捷": 7, "简单易懂": 7,
    "轻松搞定": 7, "累": 2, "心累": 2, "一点都不累": 6, "一点也不累": 6, "顺畅": 6, "流畅": 6, "绕": 2,
    "便捷": 6, "快捷": 6, "高效": 6, "a breeze": 7, "breeze": 7, "painless": 6,
    "could be easier": 3, "could have been easier": 3, "no effort": 7, "a lot of effort": 2,
    "so-so": 4, "so so": 4, "soso": 4, "medium": 4, "moderate": 4, "not easy not hard": 4,
    "not hard not easy": 4,
    "minimal effort": 6, "little effort": 6, "low effort": 6, "much effort": 2, "lots of effort": 2,
    "ez": 6, "ezpz": 7, "easy peasy lemon squeezy": 7, "zero effort": 7, "0 effort": 7, "took no effort": 7,
    "顺": 6, "难搞": 2, "搞了半天": 2, "折腾半天": 2,  # chat: "ez"; 难搞 (hard to deal with), 搞了半天 (ages)
    "high effort": 2, "a struggle": 2, "struggle": 2, "a pain": 2, "pain in the neck": 2,
    # seventh set: "tricky" (a bit hard), the rude ways of "a pain", and "couldn't have been easier"
    "易": 6,  # Cantonese: "好易" (so easy), "几易"
    "tricky": 3, "pain in the arse": 2, "pain in the ass": 2, "pain in the butt": 2,
    "couldn't have been easier": 7, "could not have been easier": 7, "couldn't be easier": 7,
    "could not be easier": 7,
    # eighth set: idioms of "very easy"
    "easy as pie": 7, "easy as abc": 7, "a walk in the park": 7, "walk in the park": 7,
    # ninth set: the Chinese idioms of "effortless", and 烦 (a bother) as 麻烦 ("好烦", "烦死了")
    "轻而易举": 7, "易如反掌": 7, "不费吹灰之力": 7, "烦": 2,
    # blind round 20: a headache (a total one 1), like pulling teeth, "no sweat" (as "no hassle"), and
    # effort said as spent ("费了好大劲": as 很麻烦)
    "headache": 2, "a headache": 2, "pulling teeth": 1, "like pulling teeth": 1, "no sweat": 6,
    "费了好大劲": 2, "费了好大的劲": 2, "费了很大劲": 2, "费了很大的劲": 2, "费了老大劲": 2, "费了半天劲": 2,
    # blind round 21: the idioms of the greatest effort (the strength of nine oxen and two tigers; a thousand
    # hardships), as 非常困难
    "九牛二虎之力": 1, "费九牛二虎之力": 1, "费了九牛二虎之力": 1, "千辛万苦": 1, "历尽千辛万苦": 1,
    "历经千辛万苦": 1,
    # blind round 24: "no brainer" (nothing to think about), chat's "meh" and "mid" (so-so), 凑合 (it will
    # do), 有手就行 ("anyone with hands could"), 三下五除二 (done in a few quick moves), 一波三折 (one
    # twist after another), 费老劲 (as 费了老大劲), and a table flipped as 😡 is on no scale but CSAT
    "no brainer": 7, "no-brainer": 7, "a no brainer": 7, "meh": 4, "mid": 4, "凑合": 4, "还凑合": 4,
    "easy as 123": 7, "easy as 1 2 3": 7, "easy as one two three": 7,  # as "easy as abc"
    **dict.fromkeys(("(╯°□°)╯( ┻━┻", "(╯°□°)╯(┻━┻", "(╯°□°)╯", "┻━┻"), 1),
    "有手就行": 7, "三下五除二": 7, "三下五除二就搞定": 7, "三下五除二就解决": 7, "一波三折": 2, "费老劲": 2,
}  # fmt: skip
_WORDS: dict[WordScale, tuple[dict[str, int], int, int, int]] = {
    "csat": (SATISFACTION, 1, 3, 5),
    "ces": (EFFORT, 1, 4, 7),
}
PUNCT = re.compile(r"[\s!！。.~～,，?？]+")
# 哒, 滴: chat spellings of 的 ("满意哒", "好滴"); 喇, 咯, 啰: Cantonese; 喔, 唷, 耶: Taiwan
PARTICLES = "的啊了吧呢哦呀啦哈嘛哒滴喇咯啰喔唷耶"
# Who or what is rated before the words: "it was ok", "the agent was great", "overall, very easy".
_LEAD_IN = re.compile(
    r"^(?:(?:it|that|this|the service|service|support|the experience|experience|the support"
    r"|(?:the |your |my )?(?:agent|staff|team|rep|representative|process))\s*(?:was|is|'s)"
    r"|(?:you|you guys|y'all|you all)\s*(?:were|are|'re)"  # "you guys are the best"
    r"|it's|its|overall|all in all|honestly|really|(?P<self>i'm|i am|i was|we're|we are|i feel)"
    r"|tbh|ngl|tbf|imo|lowkey|no cap|smh"  # chat's "honestly" first: "ngl kinda hard", "tbh it was easy"
    # a formal "I would rate the service as very good", "I'd describe it as excellent"
    r"|i(?:'d| would)? (?:rate|describe|call|consider) (?:(?:the|your|this|my) )?(?:\w+ )?as"
    r"|took(?=\s+(?:no|zero|0|little|minimal|a lot of|lots of|much)\s+effort$)"  # "took zero effort"
    r"|was|is"  # chat drops the subject: "was a nightmare"
    # what is rated before a verb that rates it: "ur service sucks", "you guys rock"
    r"|(?:(?:the|your|ur|my)\s+)?(?:service|support|agent|staff|team|app|experience)(?=\s+(?:sucks|sucked|rocks|rocked)$)"
    r")[\s,，]+"
)
# "I'm good", "I'm fine", "we're ok" decline more often than they rate ("no thanks, I'm good").
_DECLINING = {"good", "fine", "ok", "okay", "alright", "all right", "all good", "good thanks"}
# Words after the rating that change nothing: "fine i guess", "great overall", "good tbh".
# A run of spaces before a word is read from its first space, not from each: quadratic in a long run.
_TRAILING = re.compile(
    r"(?<![\s,，])[\s,，]+(?:i guess|ig|i suppose|i think|imo|overall|tbh|honestly|to be honest"
    r"|la|lah|lor|leh|guys|folks|team|mate|y'all"  # "great job guys"
    # "very satisfied indeed", "so easy omg", "bussin fr", "quite easy actually"
    r"|indeed|omg|fr|ngl|for real|no cap|actually|tho|though)[\s.!]*$"
)
# Who rates before Chinese words: "我觉得很好", "总体还可以", "我对这次服务非常满意" (我对, then the rated).
_LEAD_IN_ZH = re.compile(
    r"^(?:我觉得|我感觉|感觉|觉得|总体来说|总的来说|总体|整体|总之|我们对|我对|我们|我|必须|肯定|当然"
    r"|也(?=太)|还是(?=挺)"  # "也太好了吧", "还是挺麻烦的"
    r"|老(?:头子|太太|婆子)我?对?)"  # an older customer's "老头子我很满意"
    r"(?:还是|是)?(?=.)"
)
# What Chinese replies name before the words: "服务很好", "客服态度非常好", "这次体验不错".
_SUBJECT_ZH = re.compile(
    r"^(?:这次的?|你们的?|本次的?)?(?:客服态度|服务态度|服务|态度|客服|体验|处理|回复|解答|沟通|流程|操作)"
    r"(?:起来|上去)?(?:也|都)?(?=.)"  # "操作起来不难", "看上去不错"
)
# Nouns after a word rating that change nothing: "terrible experience", "excellent support".
_RATED_NOUN = re.compile(r"(?<!\s)\s+(?:experience|service|support|help|job|chat|agent)(?:\s+ever)?$")
# "非常好的服务", "很差的体验", "垃圾服务"
_RATED_WITH = re.compile(
    r"(?<!\s)\s+with (?:(?:the|your|my|this|our) )?(?:service|answer|help|support|agent|experience|assistance"
    r"|response|reply|outcome|result|solution|chat|staff|team|process|it|everything|you|you guys)\b"
    r"(?: (?:i|we) (?:received|got|had|was given|were given)\b)?"  # "the help I received"
    # who helped, as an older customer names them: "very happy with the lovely lady on the phone"
    r"|(?<!\s)\s+with (?:the|your) (?:(?:lovely|nice|kind|young|helpful|polite) )?"
    r"(?:lady|man|gentleman|guy|girl|woman|chap|person)(?: (?:on the phone|in the chat|who helped me))?$"
)
_RATED_NOUN_ZH = re.compile(r"的(?:服务|体验|客服|服务态度|态度)$|(?<=..)(?:服务|体验)$")
_GIVE = re.compile(r"^我?(?:给|打)(?:你们|你)?(?:一个|个)?(?:大大的|满满的)?")  # "给个大大的好评"
# Words before a known phrase that turn it round, keep it or strengthen it. English words end at a
# space; Chinese ones run straight into the phrase.
_NEGATED = re.compile(
    r"^(?:(?:not|isn't|wasn't|far from)\s+(?:(?:too|that|so|all that)\s+)?"
    r"|(?:并不|不太|不是很|不是好|不是特别|不是非常|不是太|不算太|不算很|不算|(?:谈不上|算不上|称不上)(?!不)|不怎么|不大"
    r"|不是(?=不)|不"
    r"|(?:并|也)?没有|没那么)(?=\S))"  # "没有很满意"; "没有不满意", "不是不满意": not unhappy
)  # "not too bad" is "bad" negated
# A negation that goes all the way: "not helpful at all", "一点都不满意" (the lowest; "一点都不难", "not
# bad at all" are explicit phrases, and a negated complaint is only just on the good side).
_NOT_AT_ALL = re.compile(
    r"^(?:not|isn't|wasn't)\s+(?P<en>.+?)\s+(?:at all|in the (?:slightest|least)|whatsoever)$"
    r"|^(?:一点都不|一点也不|一点儿都不|一点儿也不|一点不|完全不|根本不|毫不)(?P<zh>\S+)$"
)
# "It could be no more so": 不能再满意了 (could not be happier), 不能再差了 (could not be worse).
_NO_MORE = re.compile(r"^(?:不能再|不可能再|没法再|无法再)(?=\S)")
_SOFTENED = re.compile(
    r"^(?:(?:pretty|p|quite|fairly|rather|mostly|generally|reasonably|just|surprisingly"
    r"|only)\s+"
    r"|(?:挺|蛮|比较|还算|算是|基本上?|还(?!是))(?=\S))"  # "还满意", "还ok"
)
# "A bit" moves a word two steps from neutral one step back, as the phrases "a bit hard" (3) and
# "有点麻烦" (3) do on CES; a word one step from it stays ("有点失望" 2). "Kinda" and "sort of" hedge
# as "a bit" does ("kinda hard" 3, "kind of disappointed" 2).
_DIMINISHED = re.compile(
    r"^(?:(?:a bit of|a bit|bit of(?=\s+an?\s)|a little|slightly|a tad|somewhat|moderately|kinda|kind of"
    r"|sort of|sorta)\s+"
    r"|(?:有一?点点?儿?|有一?些|稍微有点|稍微|稍稍)(?=\S))"  # "有一点点麻烦"
)
_INTENSIFIED = re.compile(
    r"^(?:(?:very|really|rly|realy|verry|vry|so+|super duper|super|extremely|truly|absolutely|incredibly"
    r"|totally|completely|fully|entirely|way too|too|v\.?|ridiculously|insanely|unbelievably|crazy|hella"
    r"|absolute|utter|total"  # "absolute trash", "utter garbage", "a total pain"
    r"|mad|real|mega|dead|beyond)\s+"  # British "dead easy"
    # Northeastern 贼拉 and 老 ("贼拉满意", "老满意了")
    r"|(?:超级无敌|无敌|甚为|甚是|颇为|有亿点点?|非常之?|特别|超级|十二分|十分|万分|一百个|相当|真的|真|太|超|很|巨|贼拉|贼|老|绝对|有够|极其|极为|极度)"
    r"(?=\S))"
)
# Chinese puts "very" after a word too: "麻烦死了" (a pain to death), "差透了", "简单得很"; chat: "good af".
_INTENSIFIED_AFTER = re.compile(
    r"(?<=\S)(?:死了|死啦|死|极了|透了|得很|得不行|得不得了|到飞起|得要命|要命|爆了|到爆|\s+(?:af|asf))$"
)
_ENOUGH = re.compile(r"(?<=\S)\s+enough$")
_ARTICLE_INTENSIFIED = re.compile(r"^an?\s+(?:absolute|utter|total|complete|real)\s+(?P<noun>\S.*)$")
# "No hassle at all", "no complaints at all": a "no" phrase said all the way.
_NO_AT_ALL = re.compile(r"^(?P<no>no\s.+?)\s+at all$")


# A yes or no before the words: "yeah it was good", "nah it was bad". It must agree with them: "no
# good" is no 4 and "yes bad" no 2.
_AGREEING = re.compile(r"^(?:(?P<yes>yes|yeah|yep|yup|ya)|(?P<no>no|nah|nope))[\s,，]+(?=\S)")


# Cantonese, as customers in Hong Kong type it, in the Mandarin words the lexicon knows: 唔 (not;
# 唔好 is also "don't", so it stays), 唔係 (is not), 冇 (have not), 有啲 / 有d (a bit), 嘅 (的), and
# before a word 劲 (very: "勁好") and 几 (quite: "幾好", "幾方便").
_CANTONESE = re.compile(r"唔系几|唔系|唔(?!好)|冇|有啲|有d|嘅|^劲(?=\S)|^几(?=\S)")
_TO_MANDARIN = {"唔系几": "不是很", "唔系": "不是", "唔": "不", "冇": "没", "有啲": "有点", "有d": "有点",
                "嘅": "的", "劲": "很", "几": "挺"}  # fmt: skip


def _mandarin(text: str) -> str:
    return _IME_SLIPS.sub(
        lambda found: _IME_MEANT[found[0]], _CANTONESE.sub(lambda found: _TO_MANDARIN[found[0]], text)
    )


# A pinyin keyboard's slips in the rating words: the first character offered for the same sound, picked in
# a hurry ("非常满易", "不瞒意", "菲常满意", "非常容意"): mǎnyì, fēicháng, róngyì.
_IME_MEANT = {"瞒意": "满意", "满易": "满意", "满亿": "满意", "慢意": "满意", "菲常": "非常", "非长": "非常",
              "飞常": "非常", "容意": "容易", "荣易": "容易", "溶易": "容易"}  # fmt: skip
_IME_SLIPS = re.compile("|".join(_IME_MEANT))


LONGEST = 300
"""The longest text read as a word rating (as long as a reply with a comment, ``rating_comments``)."""


def word_rating(text: str, scale: WordScale) -> int | None:
    """The score a word reply gives on ``scale`` ("很满意" -> 5, "not easy" -> 3), else ``None``.

    ``text`` is already normalised (:func:`bot.answers.normalize`: lower case, half-width). A text
    over :data:`LONGEST` characters is a comment, not a word rating: ``None``.
    """
    if len(text) > LONGEST:
        return None  # and "not not not ..." is read one word at a time, recursively
    # "唔满意" (Cantonese) is "不满意"; "could've"; 一点儿 (northern speech) is 一点
    text = _mandarin(text).replace("'ve ", " have ").replace("一点儿", "一点")
    value = _words(text, scale)  # "no complaints", "no hassle" are phrases
    if value is None and (said := _AGREEING.match(text)) is not None:
        value = _words(text[said.end() :], scale)
        mid = _WORDS[scale][2]
        agrees = value is not None and (value > mid if said["yes"] else value < mid)
        return value if agrees else None
    return value


def _words(text: str, scale: WordScale) -> int | None:
    text = _RATED_WITH.sub("", text)  # "happy with the service", "not satisfied with the answer at all"
    if (tail := _TRAILING.search(text)) is not None and tail.start():
        text = text[: tail.start()]  # "fine i guess", "good overall"
    value = _phrase(text, scale)
    rest = text
    for _ in range(2):  # "tbh it was easy": chat's "honestly", then what is rated
        if value is not None or (lead := _LEAD_IN.match(rest)) is None:
            break
        rest = rest[lead.end() :]
        if lead["self"] and PUNCT.sub(" ", rest).strip() in _DECLINING:
            return None
        value = _phrase(rest, scale)  # "it was ok", "the agent was great", "I'm happy"
    return value


def _phrase(text: str, scale: WordScale) -> int | None:
    cleaned = PUNCT.sub(" ", text).strip()
    # "best service" is a phrase; "excellent support" is "excellent" with what it rates.
    for phrase in dict.fromkeys((cleaned, _RATED_NOUN.sub("", cleaned))):
        squashed = phrase.replace(" ", "")
        if _HAN.search(squashed) and all("\u4e00" <= ch <= "\u9fff" or _latin(ch) for ch in squashed):
            value = _chinese(squashed, scale) or _chinese(_GIVE.sub("", squashed), scale)  # "给力", "给好评"
        else:
            value = _modified(phrase, scale) if phrase else None
            tokens = phrase.split()
            if value is None and len(tokens) in (2, 3) and len(set(tokens)) == 1 and tokens[0].isalpha():
                value = _modified(tokens[0], scale)  # said twice: "ok ok", "good good good"
        if value is not None:
            return value
    return None


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _latin(ch: str) -> bool:
    return "a" <= ch <= "z"  # "ok的", "还ok": an English word inside Chinese


def _chinese(text: str, scale: WordScale) -> int | None:
    """A Chinese word rating, its closing particles kept ("太好了") or dropped ("满意的")."""
    for whole in dict.fromkeys((text, text.rstrip(PARTICLES))):
        bare = _RATED_NOUN_ZH.sub("", whole) or whole
        half = len(bare) // 2
        if len(bare) % 2 == 0 and bare[:half] == bare[half:] and bare not in _WORDS[scale][0]:
            bare = bare[:half]  # said twice: "不错不错", "满意满意"
        lead_in = _LEAD_IN_ZH.sub("", bare)
        for candidate in (bare, lead_in, _SUBJECT_ZH.sub("", lead_in)):
            if (value := _modified(candidate, scale)) is not None:
                return value
        if (value := _doubled_each(bare, scale)) is not None:
            return value
    return None


def _doubled_each(text: str, scale: WordScale) -> int | None:
    """A word of two characters with each said twice, as Chinese strengthens it: "轻轻松松" (very easy),
    "简简单单", "顺顺利利" (a phrase the lexicon names itself, "普普通通", is read before)."""
    words, low, mid, high = _WORDS[scale]
    if len(text) != 4 or text[0] != text[1] or text[2] != text[3] or (word := text[0] + text[2]) not in words:
        return None
    return _stronger(words[word], low, mid, high)


@functools.lru_cache(maxsize=4096)  # a reply is cut at each place a score may end: the same tails again
def _modified(phrase: str, scale: WordScale) -> int | None:
    """A known phrase, or one with a negation, softener or intensifier before it."""
    words, low, mid, high = _WORDS[scale]
    if phrase in words:
        return words[phrase]
    if (fully := _NOT_AT_ALL.match(phrase)) is not None:
        value = _modified(fully["en"] or fully["zh"], scale)
        if value is None or value == mid:
            return None
        return low if value > mid else min(mid + 2, high - 1)
    if (no_more := _NO_MORE.match(phrase)) is not None:  # "不能再满意了": as "couldn't be happier"
        value = _modified(phrase[no_more.end() :], scale)
        return None if value is None or value == mid else (high if value > mid else low)
    if (negation := _NEGATED.match(phrase)) is not None:
        value = _modified(phrase[negation.end() :], scale)  # "not really good"
        if value is None or value == mid:
            return None
        return mid - 1 if value > mid else mid + 1  # "not helpful" 2, "不方便" 3, "not terrible" 4
    if (softener := _SOFTENED.match(phrase)) is not None:
        return _modified(phrase[softener.end() :], scale)
    if (diminisher := _DIMINISHED.match(phrase)) is not None:
        value = _modified(phrase[diminisher.end() :], scale)  # "a little disappointed", "有点费劲"
        if value is None or abs(value - mid) < 2:
            return value
        return value + (value < mid) - (value > mid)
    if phrase[:1] == "好" and phrase[1:] in words and not _INTENSIFIED.match(phrase[1:]):
        # "好难", "好方便": 好 strengthens a plain word ("服务很好非常满意" is two phrases)
        return _stronger(words[phrase[1:]], low, mid, high)
    if (noun := _ARTICLE_INTENSIFIED.match(phrase)) is not None:  # "an absolute nightmare", "a total pain"
        value = _modified(f"a {noun['noun']}", scale) or _modified(noun["noun"], scale)
        return None if value is None else _stronger(value, low, mid, high)
    if (intensifier := _INTENSIFIED.match(phrase)) is not None:
        value = _modified(phrase[intensifier.end() :], scale)  # "really very good"
        return None if value is None else _stronger(value, low, mid, high)
    return _said_after(phrase, scale)


def _said_after(phrase: str, scale: WordScale) -> int | None:
    """A known phrase with a word after it that strengthens ("麻烦死了", "no hassle at all") or
    weakens it ("easy enough"), misspelled, held down, or a face repeated."""
    words, low, mid, high = _WORDS[scale]
    if (after := _INTENSIFIED_AFTER.search(phrase)) is not None or (after := _NO_AT_ALL.match(phrase)):
        value = _modified(phrase[: after.start()] if after.start() else after["no"], scale)
        return None if value is None else _stronger(value, low, mid, high)
    if (enough := _ENOUGH.search(phrase)) is not None:
        value = _modified(phrase[: enough.start()], scale)  # "easy enough" 5, as "fairly easy"
        if value is None or abs(value - mid) < 2:
            return value
        return value + (value < mid) - (value > mid)
    if (spelled := _spelled(phrase, scale)) is not None:
        return words[spelled]  # "exellent", "satisifed", "terible"
    if _HELD_DOWN.search(phrase):  # "greaaat", "gooood", "baaad", "amazinggg"
        for held in (_HELD_DOWN.sub(r"\1", phrase), _HELD_DOWN.sub(r"\1\1", phrase)):
            if held in words:
                return words[held]
    return _faces(phrase, scale)


_HELD_DOWN = re.compile(r"([a-z])\1{2,}")
_MIN_MISSPELLED = 7
"""Only words this long are read through one slip of the keyboard: shorter ones are too near
other words ("please" is one letter from "pleased", "recent" from "decent")."""


def _spelled(word: str, scale: WordScale) -> str | None:
    """The one rating word of ``scale`` that ``word`` misspells by a single letter added, dropped,
    changed or two swapped; ``None`` when there is none or more than one."""
    if len(word) < _MIN_MISSPELLED or not word.isascii() or not word.isalpha():
        return None
    near = [known for known in _SPELLING[scale] if one_slip(word, known)]
    return near[0] if len(near) == 1 else None


def one_slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one edit (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[i:] == longer[i + 1 :]


_SPELLING: dict[WordScale, tuple[str, ...]] = {
    scale: tuple(w for w in words if w.isascii() and w.isalpha() and len(w) >= _MIN_MISSPELLED - 1)
    for scale, (words, *_) in _WORDS.items()
}


def _faces(phrase: str, scale: WordScale) -> int | None:
    """The same face repeated counts stronger: "👍👍👍" 5, "😡😡" 1."""
    words, low, mid, high = _WORDS[scale]
    chars = [ch for ch in phrase if ch != " "]
    if len(chars) < 2 or len(set(chars)) != 1 or (value := words.get(chars[0])) is None:
        return None
    return _stronger(value, low, mid, high)


def _stronger(value: int, low: int, mid: int, high: int) -> int:
    """One step further from neutral, within the scale: 4 -> 5, 2 -> 1, 3 stays 3."""
    if value > mid:
        return min(value + 1, high)
    return max(value - 1, low) if value < mid else value


# NPS in words only as the question's own ends, the anchors shown under its scale: "extremely likely"
# (10), "not at all likely" (0). Other words ("would definitely recommend": 9 or 10?, "不太会推荐")
# name no one score, and the customer is asked for the number.
_NPS_ENDS = {
    "extremely likely": 10, "extremely likely to recommend": 10, "非常可能": 10,
    "not at all likely": 0, "not likely at all": 0, "not at all likely to recommend": 0, "完全不可能": 0,
    "extremely unlikely": 0, "非常不可能": 0,  # the low end said as the high one is ("extremely likely")
    "极有可能": 10, "极其可能": 10, "一点都不可能": 0, "一点也不可能": 0,  # as 非常可能 and 完全不可能
}  # fmt: skip


def recommendation(text: str) -> int | None:
    """10 or 0 when ``text`` (normalised) is an end of the NPS scale in its anchor's words, else ``None``."""
    return _NPS_ENDS.get(PUNCT.sub(" ", text).strip().rstrip(PARTICLES))

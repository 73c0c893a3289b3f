"""Words beside a score that hedge, bound, deny, question or take it back ("maybe 4", "at least 4",
"not 5 stars", "5 if you had answered sooner", "5分最高对吧", "5 jk", "呵呵，五星"): the customer did
not give that score, and is asked again."""

from __future__ import annotations

import re

from bot.number_words import EN_WORDS

# Chinese before a trailing score that hedges it or makes it a range or a position: 可能4分, 7到8分.
HEDGE_BEFORE = (
    "可能", "大概", "也许", "差不多", "估计", "约", "到", "至", "或", "和", "第", "每", "前", "后",
)  # fmt: skip
# ... of which these join the number after them ("7到8分", "第5"), unless a comma ends their clause.
JOINING_BEFORE = ("到", "至", "或", "和", "第", "每", "前", "后")
# Asked how many points or stars ("满分几分"); 几分钟 and 几星期 are a few minutes and weeks.
HOW_MANY = re.compile(r"几(?:分(?!钟)|星(?!期)|颗)|多少(?:分(?!钟)|星(?!期)|颗)")
# A question word that is all the words beside a score asks about it, gives none: "5 why", "what is 5",
# "how do I give 5", "5分是什么意思", "怎么给5分" ("为什么这么慢，1分" has words of its own: a 1).
ASKED_ALONE_AFTER = (
    r"(?:what|why|how|huh|where)(?:'s|\s+(?:is|does|do|are|was))?(?:\s+(?:it|that|this))?(?:\s+mean)?$"
    r"|(?:是|这是|指)?(?:什么|啥)(?:意思)?$|(?:为什么|为啥|怎么)(?:打|给|评|选|算|弄|填|写)?$|在哪(?:里|儿)?$"
)
ASKED_ALONE_BEFORE = (
    r"(?:^|\s)(?:what|why|how|where)(?:'s|\s+(?:is|does|do|are|was|did|can|should|would|could|will))?"
    r"(?:\s+(?:i|we|you))?"  # "why would i give 5": asked back, not given
    # "凭什么给5分" (why should I give five?): asked back, not given
    r"(?:\s+(?:give|rate|put|say))?$|^(?:为什么|为啥|怎么|什么|啥|凭什么|凭啥)(?:要|是|才|样)?(?:给|打|评)?个?$"
)
# Chat drops the apostrophe of a negation: "i cant give 5", "dont like it".
_NT = r"(?:can|won|don|didn|doesn|wouldn|couldn|shouldn|isn|wasn|aren|ain|hasn|haven)t"
# A word rating right after one of these is negated or hedged ("not satisfied", "never easy").
NEGATING_BEFORE = re.compile(
    rf"(?:\b(?:not|no|never|hardly|barely|isn't|wasn't|aren't|weren't|{_NT})|n't|不|没|不是|没有|并不|一点也不|唔|唔系|冇"
    r"|没什么|没啥|谈不上|说不上|算不上|称不上|不算|并非"  # "没什么不满意的": nothing to be unhappy about
    r"|(?:不想|不会|不愿意?|不能|不打算|没法|无法|不|没)(?:(?:给|打|评)个?)?)$"  # "不想给好评"
)
# Words right before a trailing score that hedge it, bound it, deny it or make it what would have
# been: "maybe 4 stars", "at least 4", "3 or 4 stars", "not 5 stars", "I'd never give 5", "would
# have given 5", "可能给4星", "最多3分", "不是5分", "给不了5分". A verb may stand between ("give", 给).
QUALIFIED_BEFORE = re.compile(
    r"(?:\b(?:maybe|perhaps|probably|possibly|about|around|roughly|approximately|approx|almost|nearly"
    rf"|not|not even|no|no way|never|hardly|barely|negative|minus|{_NT}"
    r"|would have|could have|should have|would've|could've|used to"
    r"|would be|could be"
    r"|(?:asked|told|wanted|wants?|begged|reminded|forced|made) (?:me|us)(?: to)?)|n't|'d have|'d be)"
    # "not worth 10"; "not really 5", "not quite a 7": an adverb between changes nothing
    r"(?:\s+(?:give|gave|given|giving|rate|rated|it|you|u|them|a|an|be|been|worth"
    r"|really|quite|exactly|fully|totally|entirely|completely|necessarily|even|yet))*$"
    r"|(?:可能|大概|也许|估计|大约|不|没|不是|没有|并不|别|不能|不会|不想|不愿意?|不可能|没法|无法|不该"
    # "不值5分": not worth five; "算不上5分": no five to speak of; "接近5分": nearly
    r"|不值得?|不配|配不上|够不上|算不上|称不上|谈不上|说不上|接近|将近|快到|近乎"
    r"|最多|至少|最少|顶多|不到|不超过|超过|低于|高于|少于|多于|差一点|差一些"
    r"|让我|叫我|要我|求我|让|说要)(?:给|打|评)?个?$"  # "客服让我给五星": asked to, not given
    r"|(?:给|打|评)不(?:了|到|上)$|应该(?:是|有)?$"  # "应该8分": probably 8 ("应该给五星": deserves five)
    rf"|{ASKED_ALONE_BEFORE}"
)
# ... and right before the number itself: "3 or 4 stars", "at least 4" ("I'd like to give 5" is a 5).
BOUNDED_BEFORE = re.compile(
    r"\b(?:at least|at most|than|over|under|above|below|up to|between|or|and|to|from)$"
)
# Chinese before a trailing score that makes it a condition, what was meant or what is to come, not
# given: "如果快一点就5分", "本来想给5分的", "差点给1星" (almost gave one star), "等收到货再给5分".
# "满意的话给5分" (if satisfied), "客服说，给5分" (the agent said: give 5)
# ("可以的话", "如果可以": "if I could", as "0 if I could" is still a score)
# 的话 after the NPS question's own verb names what is rated, no condition: "推荐给朋友的话7分" (as for
# recommending us to a friend, 7).
_QUESTION_ITSELF = "".join(
    f"(?<!{w})" for w in ("推荐", "推荐给朋友", "推荐给别人", "推荐给亲友", "推荐给家人")
)
# What is still to come, then 就 before the score: "退款到账就给五星" (once the refund
# arrives), "修好了就打5分" ("退款到账了，5星" has come, and is a score). :mod:`bot.rating_comments`
# checks the 就 when the score's part took it ("就给五星").
# What was fixed may be named between: "修好app就给10分", "解决问题就给五星".
_DONE_WHAT = r"(?:[a-z0-9]{1,12}|问题|手机|订单|账号|账户|系统|网络|电脑)?"
ONCE_DONE = rf"(?:到账|到货|收到货?|发货|退款|退钱|修好|搞定|解决){_DONE_WHAT}了?就(?![是算])"
ONCE_DONE_BEFORE = re.compile(rf"(?:到账|到货|收到货?|发货|退款|退钱|修好|搞定|解决){_DONE_WHAT}了?$")
IF_OR_REPORTED = rf"(?<![分星制以能]){_QUESTION_ITSELF}的话|(?:客服|他|她|他们|她们|你们|朋友|别人)都?说"
HYPOTHETICAL_HAN = re.compile(
    ONCE_DONE
    + "|"
    # "如果让我打分的话" is "if you ask me", no condition
    + r"(?:如果|要是)(?!(?:可以|能)(?:的话)?(?:给|打|[,，]|$)|让我(?:来)?(?:打分|评分|评价|打|评)(?:的话)?)"
    + r"|假如|假设|本来|原本|本想|原想|本打算|差点|下次(?!还会?再?(?:来|买|光顾|回购|点))|上次"
    + r"|等[^,，.。!！;；\s]*再(?!也)|之后再|以后再|"
    + IF_OR_REPORTED
)  # "等收到货再给5分": once the parcel has come; "下次还来" (I'll come again) is a review's praise
# Which end of the scale is which, asked with no question mark: "4 到底哪个是容易" (which one is easy?).
ASKS_WHICH = re.compile(r"哪(?:个|一个|边|头|端)(?:才|算)?是|到底")
ASKING = re.compile(
    r"(?:吗|么|什么|怎么样|如何|行不行|好不好|可不可以|对吧|是吧|对不对|是不是|对嘛|是嘛|\?)[\s!！。.~～]*$"
)  # "5分最高对吧": the highest, right?
# Words that say what was just said is wrong, read alike after a score ("5分，打错了": asked again) and
# between two (:mod:`bot.corrections`: "5 oops 4" is 4, "改成4分" is 4 with no comment).
TAKING_BACK_EN = r"oops|correction|i meant|make (?:that|it)|scratch that"
TAKING_BACK_ZH = (
    r"[哦噢啊额呃]?不对|错了|打错了?|点错了?|说错了?|写错了?|选错了?|按错了?|填错了?|手滑了?|误触了?"
    r"|(?:打|点|选|按|拣|揀)错咗|拣错了?|手抖了?"  # Cantonese 咗 (了) and 拣 (选): "揀錯咗"; 手抖 as 手滑
    r"|(?:揿|撳|㩒)错(?:了|咗)?|手误了?|搞错了?"  # blind round 26: Cantonese 撳 (press), 手误 (a slip), 搞错
    r"|改成|改为|更正|改一下"
    # a joke taken back: "五星，哈哈，骗你的，两星", "逗你玩的", "开个玩笑"
    r"|(?:哈{2,6}[\s,，!！]{0,2})?(?:(?:骗|逗)你(?:玩)?(?:的|呢)|开(?:个)?玩笑(?:的|呢)?)"
)

# Words right after a leading score that make it a condition, a bound or a denial: "5 if you had
# answered sooner", "4 stars or more", "4分以上", "5星不可能". "0 if I could" is still a score.
QUALIFIED_AFTER = re.compile(
    r"^(?:if\b(?! (?:i|we|you) (?:could|can|were able|was able))(?! possible)"
    # the scale's own end named is no condition: "7 (if 7 is easy)"
    r"(?! (?:\d{1,2}|it|that) (?:is|means) (?:the )?(?:easy|best|good|top|highest))"
    r"(?! i'?m (?:being )?(?:honest|nice|generous|fair|kind)\b)"  # "4 if I'm honest": said, not a condition
    # "10 but only if you fix it", "5 provided you refund me" ("provided the info I needed" is no condition)
    r"|(?:(?:but|and)\s+)?only (?:if|when)\b|as long as\b|provided (?:that|you|u|they|it)\b|unless\b"
    r"|once\b|next time\b"
    # the fifteenth set: a plan after the score ("5 after my money is back"), a condition after words that
    # make it sure ("9 for sure if delivery faster"), and a question without its mark ("1 is good or bad")
    r"|after (?:my|you|u|i get|it(?:'s| is) fixed|the (?:refund|parcel|replacement))\b"
    r"|(?:for sure|definitely|surely|sure) if\b"
    r"|is (?:it )?(?:good|bad|best|worst|easy|hard|high|low)(?:est)? or\b"
    # "5 when it arrives", "10 when you fix the app"; not a question back ("4, when will the refund come?")
    r"|when(?:ever)?\b(?!\s+(?:will|do|does|did|can|could|is|are|would|should|shall)\b)|until\b|till\b"
    # "5分如果能退款的话"; "如果可以的话" is "if I could"
    r"|(?:如果|要是|假如|只要)(?!(?:可以|能)(?:的话)?(?:给|打|[,，]|$))"
    r"|maybe\b|perhaps\b|ish\b"  # "8-ish"; "9 probably", but not "9, probably the best service"
    r"|(?:probably|prob|probs|prolly|possibly|give or take|more or less)\b(?!\s+[a-z])"
    r"|as soon as\b|or\b|and (?:up|above|higher)\b|at (?:least|most|best)\b|at a (?:push|stretch)\b"
    r"|(?:或者?|或是)\s*(?=[\d零〇一二两三四五六七八九十]|更高|更低|更多|更少)"  # "8分或9分吧", "4分或者更高"
    # a range said on to another score: "六分到七分之间", "6分到7分" (not a date: "到3号才收到")
    r"|(?:到|至)\s*[\d零〇一二两三四五六七八九十]{1,2}\s*(?:分|颗?星|之间|$)"
    r"|max\b|tops\b|plus$"  # "4 plus"
    r"|and (?:a )?half\b"  # "⭐⭐⭐⭐ and a half", as 半 ("四星半")
    # a hedge that is all the words after a score ("8分，可能吧"), a condition put first ("10分但是要先退款",
    # "前提是..."), and a cap ("6分封顶")
    r"|(?:可能|大概|也许|估计|或许)[吧哦啊呢]*[\s!！。.~～]*$|(?:但是?|不过|可是)(?:你们)?(?:要|得|必须|需要)先|前提是"
    r"|封顶|顶天"
    r"|no way\b|lol no\b"
    r"|(?:is|means)\b.*\b(?:right|correct)$"  # "5 is the best right": asked without a question mark
    # taken back at once ("5分，打错了"; bot.corrections reads a score said after: "5 no wait 4")
    r"|(?:no|nah|nope)\b(?=[\s,.!…]{0,3}(?:\d{1,2}|" + EN_WORDS + r")"
    r"(?:[\s.!]*$|[\s,.!…]{1,3}(?:no|nah|nope)\b))"  # "3 no 4", "3 no 4 no 5"; not "5 no 1 else helped"
    r"|(?:no )?wait\b(?=[\s,.!…]*(?:$|\d|" + EN_WORDS + r"|make|i mean))"
    rf"|(?:sorry[\s,]*)?(?:i mean\b(?! it\b)|(?:{TAKING_BACK_EN})\b)|{TAKING_BACK_ZH}"
    r"|以上|以下|左右|上下|以内|之间|往上|往下|出头|是?不可能|没可能|做梦|想得美|门都没有|想都别想|才怪"
    r"|半|都嫌多|也嫌多|都是多的|都多了|都给多了"  # "3分都嫌多": even 3 is too many
    # too much for what was had ("5分太多了", "5 is too generous"), disbelief ("5 stars my ass", "五星你妹")
    r"|(?:(?:is|was|would be|'s|are)\s+)?(?:(?:way|far|a bit|a little|kinda)\s+)?too"
    r"\s+(?:much|many|high|generous|kind|nice)(?=\s*$|\s+for\b)"  # not "4 too many problems lately"
    r"|(?:也|都|就)?(?:太|有点|有些|过于|过)?(?:多|高)了?[吧啊呀哦]*$"
    r"|my (?:ass|arse|foot)\b|in your dreams\b|dream on\b|你妹|个屁|个鬼|个头"
    rf"|{ASKED_ALONE_AFTER})"
)
# A complaint after praise words makes them sarcasm: "wonderful, still not fixed", "awesome, still waiting".
SNARK = re.compile(
    r"\b(?:still|again|now my|not fixed|broke|broken|locked|doesn't work|didn't work|not working"
    r"|thanks for nothing)\b"
    r"|还是不行|还是没|又坏|又不行|依然不|仍然不|没解决|不能用|用不了"
)
# Words anywhere around a buried score that may make it a condition, a guess, a correction or a sneer.
DOUBT = re.compile(
    r"\b(?:if|when|once|unless|until|would|could|should|might|may|maybe|perhaps|probably|wish"
    r"|next time(?![\s,]+(?:please|pls|plz)\b)"  # "next time please answer faster" asks, doubts nothing
    r"|last time|before|was going to|meant|wanted to|not|no|never|jk|kidding|lol|wait|actually|sorry"
    r"|asked|told|wants?)\b|\?"
    r"|可能|大概|也许|估计|应该|不对|错了|改成|呵呵|本来|原本|如果|要是|假如|上次|之前|以前|不是|不能|不会"
    r"|让我|叫我|要我|说要|客服说|吗|什么|怎么|为什么|为啥|几时|哪"  # asked to, or asking
)
# A high score "for" what went wrong is sarcasm: "5 stars for waiting 3 hours", "10 for losing my parcel"
# ("5 stars for the quick fix", "5 for Maria" and "1 star for making me wait" are meant).
SARCASTIC_FOR = re.compile(
    r"^for\s+(?:nothing[\s.!]*$"  # "thanks for nothing"; not "for not giving up", "for never giving up"
    r"|(?:waiting|ignoring|losing|wasting|ghosting|forgetting|damaging|breaking"
    r"|overcharging|refusing|lying|delaying|cancell?ing|hanging up|messing up|screwing up"
    r"|(?:the )?(?:hold music|queue|runaround|silence))\b"  # "10 for the hold music alone"
    r"|(?:making|keeping|leaving|having) me"
    r" (?:wait|waiting|call|calling|repeat|chase|chasing|on hold|hanging)\b"
    r"|taking (?:so long|forever|ages|weeks|days|hours|\d+|(?:one|two|three|four|five|six|seven|ten) \w+)\b)"
)
# ... and in Chinese, a complaint ending in 呢 ("mind you") beside a high score: "给你们10分，等了两个礼拜呢"
# ("5分，两天就到了" is meant).
SARCASTIC_HAN = re.compile(
    r"(?:等了|还没|都没|才(?:到|回|来|发|解决|处理|有人))[^,，。.!！?？]{0,12}呢[\s!！。.~～]*$"
)  # not "你们才是最棒的呢"


# A review's "would ... again" of what went wrong: "10/10 would wait 3 hours again", "would love to be on
# hold again" ("10/10 would buy again" is meant); a recommendation to an enemy; praise of a wait or a
# loss ("等了三个小时真是太棒了"); a comment that is only a loss or a block put on the customer
# ("客服把我拉黑了", "you lost my parcel"), with no turn after it ("丢了，但是补发了" is meant).
SARCASTIC_AGAIN = re.compile(
    r"^(?:would|will|i'?d|id)\s+(?:(?:love|happily|gladly|totally|definitely)\s+(?:to\s+)?)?(?:get\s+|be\s+|sit\s+)?"
    r"(?:wait|waiting|on hold|ghosted|ignored|cut off|hung up on|chased|chase|repeat myself)\b"
    r"|recommend (?:you |it |this )?to (?:my )?(?:worst )?enem(?:y|ies)\b"
    r"|推荐给(?:我的)?(?:仇人|敌人|死对头|仇家)"
    r"|(?:等了|丢了|坏了|拖了|晚了)[^,，。.!！?？]{0,12}(?:真是|真的|可真)?(?:太棒了|太好了|好极了|棒极了|真棒|棒棒哒)"
)
_PUT_ON_ME = re.compile(
    r"^[^,，。.;；]{0,12}(?:丢了|弄丢|拉黑|挂我电话|骂我)[^,，。.;；]{0,8}$"
    r"|^(?:you|they|u)(?: guys)? (?:lost|broke|blocked|cancell?ed) (?:my|me)\b[^,.;]{0,30}$"
)
_TURN = re.compile(
    r"但|不过|可是|虽|还好|幸好|好在|帮我|补发|找回|\b(?:but|though|still|luckily|thankfully)\b"
)


# A comment that asks whether it is so: "1 = bad right?" (the scale's legend asked about).
RIGHT_ASKED = re.compile(r"\b(?:right|correct|yes|yeah|innit)\s*\??$|对吧$|是吧$|对吗$|是吗$")
# A long wait told before praise words makes them sarcasm: "wow 3 hours on hold, amazing", "waited 2 weeks,
# great" ("fixed in 5 minutes, amazing" and "waited 2 days but fixed, great" are meant).
_LONG_WAIT = rf"(?:\d+|an?|{EN_WORDS})\s*(?:hours?|hrs?|days?|weeks?|months?)"
WAIT_TOLD = re.compile(
    rf"\b{_LONG_WAIT}\s+(?:on hold|waiting|in (?:the )?queue|of waiting|wait)\b"
    rf"|\b(?:waited|waiting|on hold)\s+(?:for\s+)?(?:forever|ages|{_LONG_WAIT})\b"
)


def praised_wait(before: str) -> bool:
    """Whether ``before`` a word rating on the good side is only a long wait told: sarcasm."""
    low = before.lower()
    return WAIT_TOLD.search(low) is not None and _TURN.search(low) is None


def sarcastic(comment: str) -> bool:
    """Whether ``comment`` beside a high score says it is sarcasm: "for waiting 3 hours", "等了两周呢",
    "would wait 3 hours again", "客服把我拉黑了"."""
    low = comment.lower()
    if SARCASTIC_FOR.match(low) is not None or SARCASTIC_HAN.search(comment) is not None:
        return True
    if SARCASTIC_AGAIN.search(low) is not None:
        return True
    return _PUT_ON_ME.search(low) is not None and _TURN.search(low) is None


# A question that offers two readings after a score asks which it is: "1分是容易还是难" (easy or hard?).
EITHER_OR = re.compile(r"^是[^\s,，。.!！?？]{1,8}还是[^\s,，。.!！?？]{1,8}$")
# A comment that takes the rating before it back.
TAKEN_BACK = {
    "not", "jk", "just kidding", "kidding", "/s", "lol not", "not really", "sarcasm", "yeah right", "as if",
    "no", "nope", "nah",  # "5 no": asked and answered?
}  # fmt: skip
_LAUGHING = re.compile(r"^(?:(?:lol|lmao|rofl|haha+|hehe+|哈哈+)[\s,.!…，！]*){1,3}")


def taken_back(comment: str) -> bool:
    """Whether ``comment`` takes the score before it back, laughing or not: "jk", "lol as if"."""
    return comment in TAKEN_BACK or _LAUGHING.sub("", comment) in TAKEN_BACK


# 呵呵 beside a rating is a sneer in Chinese chat: "呵呵，五星" is no five stars.
# ... and so is chat's 啊对对对 ("yeah, sure": a meme) before one ("对对对" alone may agree).
SNEER = re.compile(r"^(?:呵呵|嗬嗬)|(?:呵呵|嗬嗬)[呵嗬的哒]*$|^啊对对对")


# Words beside an NPS score that say the customer would not recommend, or would: "10/10 would not
# recommend" is a joke at the survey's expense, "1 = extremely likely" a scale read backwards.
_WONT_RECOMMEND = re.compile(
    r"(?:\bnot|\bnever|n't)\s+(?:\w+\s+)?(?:recommend|likely)|\bunlikely\b"
    r"|[不唔](?:会|想|愿意?|敢|可能|太会)?再?推荐|不太可能|差评"  # 唔: Cantonese 不 ("唔會推薦")
    r"|\bnever again\b|\bnever (?:coming|going) back\b|再也不|不会再(?:来|买|用)"  # "10 - never again"
)
_WOULD_RECOMMEND = re.compile(
    r"\b(?:very|extremely|highly|quite|most|really|super)\s+likely\b"
    r"|\b(?:would|will|definitely|already|highly)\s+(?:\w+\s+)?recommend|会推荐|肯定推荐|已经?推荐|好评"
)


def nps_taken_back(score: int, comment: str) -> bool:
    """The words beside an NPS score say the other end of it: "10 - not likely", "0 - extremely likely"."""
    if _WONT_RECOMMEND.search(comment):
        return score >= 7
    return _WOULD_RECOMMEND.search(comment) is not None and score <= 4

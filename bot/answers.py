"""Understand typed survey answers in Chinese and English.

Each parser returns ``None`` for anything that is not clearly an answer, so a question such as
"where is my refund?" or an order number is never stored as a score.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from bot.chat_spellings import spelled_out
from bot.corrections import read_corrected
from bot.digit_forms import ENCLOSED_DIGITS
from bot.faces import face_beside, face_first
from bot.field_scores import named_score
from bot.for_now import score_for_now
from bot.fraction_scores import scaled_score
from bot.framing import FILLERS as _FILLERS
from bot.framing import HELLO_ONLY as _HELLO_ONLY
from bot.framing import field_free, says_nothing, unframed, unquoted
from bot.hanzi import simplified
from bot.hedges import nps_taken_back
from bot.letters import letter_score
from bot.number_words import EN_VALUES, EN_WORDS
from bot.other_languages import in_own_words
from bot.overall_scores import overall_score
from bot.pinyin import digit_words, hanzi_of, not_for_eight
from bot.prompts import ScaleKind
from bot.rating_comments import SCORE_LEAD_IN as _SCORE_LEAD_IN
from bot.rating_comments import Scored, split_rating
from bot.rating_words import PARTICLES as _PARTICLES
from bot.rating_words import PUNCT as _PUNCT
from bot.rating_words import recommendation, word_rating
from bot.roman_numerals import roman_as_digits
from bot.scale_notes import MAX_SCALE_NOTES, another_scale, without_scale
from bot.similarity import closest, mostly_of, says_what_went_right
from bot.spoken_marks import marks_typed, unhashtagged

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    # The capital numerals of cheques and receipts ("伍分"; 參, read Simplified as 参) and the spoken 俩 and
    # 仨 (two, three).
    "壹": 1, "贰": 2, "叁": 3, "参": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
    "俩": 2, "仨": 3,
}  # fmt: skip

# "满" (full marks) only counts as a number in 满分 / 满星, never on its own ("满了" is "it's full").
_NUMBER = (
    r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十壹贰叁参肆伍陆柒捌玖拾俩仨]+|"
    + EN_WORDS
    + r"|满(?=\s*(?:分|颗?星))"
)
_PREFIX = (
    # chat drops the apostrophe ("id give em a 3"); "I'm giving you a 1"
    # chat's "ill", "gonna", "imma", "wanna" and "would" with no "I": "ill give 4", "gonna give it 4"
    r"(?:(?:(?:i(?:'d|d|'ll|ll| would| will| already| have already|'ve already| wanna| want to)?"
    r"|imma|ima|i'?ma|gonna|wanna|would|will)"
    r" (?:give|gave|given|rate|rated|score|scored)"
    r"|i(?:'m|m| am)? (?:giving|gonna give|going to give|rating)|i am give)"  # "i giving 4 star": a slip
    r"(?: (?:it|you|this|u|you guys|you people|you folks|you lot|y'all|them|em|'em|the service|the agent"
    r"|(?:the |your )?(?:effort|support|help|service|chat)))?"  # "i rate effort 4"
    r"(?: a| an)?(?: solid| strong| firm)?"  # "I'd give it a solid 4", "I would score you 10"
    # "I choose 5", "my answer is 5", "let's say 4", "mark it 5": words that only bring in the score
    r"|(?:i(?:'d|'ll| would| will)? |(?:i'?m |im )?(?:gonna|going to) )?"  # "gonna go with 8"
    r"(?:choose|pick|select|vote|go with)(?: a| an)?"
    r"|i(?:'d|d| would) go(?: with)?(?: a| an)?"  # "on a scale of 0-10 I'd go 9"
    # "I would rate the assistance I received as four": what is rated, then "as"
    # ... or "at": "I would rate the likelihood at 7"
    r"|i(?:'d| would)? (?:rate|score) (?:the|your|this|my) (?:[a-z']+ ){1,4}?(?:as|at)(?: a| an)?"
    r"|(?:my |the )?(?:answer|choice|pick|vote|grade|verdict)(?: is| would be)?:?(?: a| an)?"
    r"|(?:let's say|let's go with|going with|put me down for|mark (?:it|me)(?: as| down as| down for)?"
    r"|i (?:should|must) say"  # an elderly customer's "I should say four out of five"
    r"|call it)"
    r"(?: a| an)?"
    r"|(?:already )?(?:give|gave|rate|rated|rating)"
    r"(?: (?:it|you|u|you guys|y'all|the service|the agent))?(?: a| an)?"  # "give you guys a 9"
    r"|(?:(?:you|u|you guys|y'all|they|he|she|it|the agent)\s+)?"  # "deserves a 5", "you guys deserve a 5"
    r"(?:deserves?|deserved|earned|is worth|are worth|worth)(?: a| an)?"
    # "Score = 4", not "-5"; "my rating of 5"
    r"|(?:my )?(?:score|rating|nps|csat|ces)(?: is| of)?\s*(?::|=|[-–](?=\s))?|[⭐★]"
    r"|(?:stars|effort|satisfaction)\s*[:=]"  # a form's field copied: "Stars: 1", "Effort: 3"
    # "推荐指数9", "评价5", "容易程度：6"
    r"|(?:我的)?(?:推荐指数|推荐度|满意度|容易程度|费力度|评分|打分|分数|评价|选择|答案)(?:是|为)?:?"
    r"|(?:我?觉得|我?感觉|我想|我?愿意)?(?:可以)?"  # "我觉得4分吧", "我觉得可以打4分"
    # "必须五星好评", "全五星", "值五星", "只能给3分"
    r"(?:必须|肯定是?|当然是?|绝对是?|全部?|值得?|配得上|只能|只有|只)?"
    # "我给客服打5分", "给了五星"; 俾, 畀: Cantonese 给
    r"(?:那就|那|就|特此|在此|最后|最终|总之|总的来说|综合来看|就是|是)?我?(?:会|要)?就?(?:已经)?(?:(?:给予|给出|给|打|评|选|俾|畀)(?:了|过)?)?(?:你们|你|个|客服|小姐姐)?(?:打|评)?(?:一个|个)?(?:大大的|满满的)?)"
)
_OUT_OF = r"(?:\s*(?:/|out of|outof|outta|outa|of)\s*|\s+(?:from|over|on)\s+)"  # "9 over 10", "4 on 5"
_DENOMINATOR = r"\d+|十|ten|seven|five"
_SUFFIX = (
    rf"(?:{_OUT_OF}(?P<den>{_DENOMINATOR}))?"
    # "5-star", "五颗星星"; a dash without a unit is a school grade's minus ("4-": 4 or less?)
    r"(?:\s*-?\s*(?P<unit>分|[颗个]星星|[颗个]星(?!期)|星星|星(?!期)|stars?|points?|pts?|marks?|[颗个]?⭐+|[颗个]?★+|[颗个]?🌟+"
    # typed in a hurry, corrected on a phone; "给五颗"; "4*"
    r"|starz|stras|satrs|strs|starts?|stats|star's|stairs?|颗(?!星)|\*(?=\s*$)"  # "Five stairs": autocorrect
    r"|estrellas?|bintang))?"  # the unit in Spanish and Malay, as bilingual customers type it: "4 estrellas"
    rf"(?:{_OUT_OF}(?P<den_after>{_DENOMINATOR})(?:\s*(?:分|颗?星))?)?"  # "4 stars out of 5", "4分/5分"
    r"(?P<full>\s*满分)?"  # "10分满分": ten points, full marks
    r"(?P<plus>\s*(?:\+{1,3}|plus))?"  # "10+", "5++": over the top of the scale
    r"\s*(?P<review>好评|中评|差评)?"  # "五星好评": a five-star good review
    r"(?:的?评价)?"  # "给予4分评价", "9分的评价": the score named as a rating
    r"(?:你们|你哋|你|佢哋|佢)?"  # Cantonese gives the score before whom: "俾5星你", "畀5分佢"
)
# The lowest score, said as refusing any: "一分都不想给", "连一颗星都不想给", "负分", "not even one star".
_NOT_EVEN_ONE = re.compile(
    r"^(?:连\s*)?(?:给|打)?(?:一|1|零|0)\s*(?:分|颗?星|颗?[⭐★])\s*(?:都|也)\s*"
    r"(?:(?:不想|不愿意|不愿|不该|不)给|嫌多|是多的|多了|给多了)$"  # "1星都嫌多": even one is too many
    r"|^(?:给|打)?负分(?:滚粗|滚)?$|^not even (?:one|1|a single) (?:star|point)$"
    r"|^(?:给|打|得|吃)?(?:个)?(?:零蛋|鸭蛋)$"  # blind round 24: a zero said as an egg ("零蛋", "吃鸭蛋")
)
# Voice typing writes a number before "stars" or the scale as a word that sounds the same: "for stars"
# and "a for out of five" are four.
_SOUNDS_LIKE = re.compile(
    r"^(?P<a>(?:an?\s+)?)(?:(?P<word>for|fore|to|too|won|tree)(?=\s+(?:stars?|out of|outta)\b)"
    r"|(?P<ate>ate)(?=\s*/\s*(?:10|ten)\b|\s+(?:out of|outta)\s+(?:10|ten)\b))",  # "ate out of ten": eight
    re.IGNORECASE,
)
# Voice typing's "for" as the last word after "a" can only be the number: "i'll give it a for".
_A_FOR = re.compile(r"\ba (?:solid |strong |firm )?(?:for|fore)$")  # "a solid for"
# Japanese's polite "it is" after a score says nothing: "4です".
_POLITE_END = re.compile(r"(?<=[\d星分])\s?です$")
_SAID = {"for": "four", "fore": "four", "to": "two", "too": "two", "won": "one", "tree": "three"}
_SAID["ate"] = "eight"
# A number word with its last letter held down: "fiveeee", "tennn".
_HELD_NUMBER = re.compile(r"\b(" + EN_WORDS + r")([a-z])\2*\b")


# A letter held down inside a number word: "fiiiive", "niiine", "seveeeen" (the last letter: _HELD_NUMBER).
_HELD_INSIDE = re.compile(r"\b[a-z]*([a-z])\1{2,}[a-z]*\b")


def _unheld(match: re.Match[str]) -> str:
    word = match[0]
    for held in (re.sub(r"([a-z])\1{2,}", r"\1", word), re.sub(r"([a-z])\1{2,}", r"\1\1", word)):
        if held in EN_VALUES:
            return held
    return word


# A whole reply of a number and 份 (portions): a phone's pinyin offers 份 for fen as it does 分 ("9份",
# "打6份吧"); with other words it still counts portions ("买了4份").
_PORTION = re.compile(
    r"^((?:打个?|给个?)?(?:\d{1,2}|[零一二两三四五六七八九十]{1,2}))份(?=[吧啊呀哦了的\s!！.。]*$)"
)
# A whole reply of a number and 心 (hearts) is stars: "五心", "5心好评", "三颗心"; with other words 心 is
# no unit ("三心二意", "一心一意").
_HEARTS = re.compile(
    r"^((?:打个?|给个?)?(?:\d{1,2}|[一二两三四五])\s*(?:颗|个)?)心(?=\s*(?:好评)?[吧啊呀哦了的\s!！.。]*$)"
)
# A fraction said in Chinese, the whole first: "十分之八" is 8/10, "五分之四" 4/5 ("三分之一" is no score
# either way: 1/3 is on no scale).
_FRACTION = re.compile(r"^(?P<whole>十|五|10|5)分之(?P<of>\d{1,2}|[零一二三四五六七八九十]{1,2})$")
# A score typed in pinyin, as a phone without Chinese input (or a hurried one) writes it: "wu xing" (五星),
# "jiu fen" (九分), "8 fen"; only with its unit, never a syllable alone ("wu" is also a name).
_PINYIN_NUMBERS = {"ling": "零", "yi": "一", "er": "二", "liang": "两", "san": "三", "si": "四", "wu": "五",
                   "liu": "六", "qi": "七", "ba": "八", "jiu": "九", "shi": "十"}  # fmt: skip
_PINYIN_UNITS = {"fen": "分", "xing": "星"}
_PINYIN_SCORE = re.compile(
    rf"(?<![a-z])({'|'.join(_PINYIN_NUMBERS)}|\d{{1,2}})\s*({'|'.join(_PINYIN_UNITS)})(?![a-z])"
)
# Characters that sound as 五 (wǔ) before a star or a point: "吾星好评".
# 无 (wú) too, but only before 星好评 ("无星" alone may be no stars).
_SOUNDS_LIKE_FIVE = re.compile(r"吾(?=\s*(?:颗|个)?(?:星|分))|无(?=\s*(?:颗|个)?星好评)")


def _slips(word: str) -> set[str]:
    """How ``word`` is mistyped in a hurry without becoming another word: two neighbours swapped
    ("fvie", "fuor", "nien"), a letter doubled ("thrre"), an inner vowel dropped ("sevn"), typed as
    another vowel ("sevin", "fuve") or put in ("fouer"), or a silent final e left off ("fiv", "thre")."""
    inner = range(1, len(word) - 1)
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    doubled = {word[:i] + word[i] + word[i:] for i in inner}
    dropped = {word[:i] + word[i + 1 :] for i in inner if word[i] in "aeiou"}
    vowels = {word[:i] + v + word[i + 1 :] for i in inner if word[i] in "aeiou" for v in "aeiou"}
    vowels |= {word[:i] + v + word[i:] for i in range(1, len(word)) for v in "aeiou"}  # one put in: "fouer"
    silent = {word[:-1]} if word.endswith("e") and word[-2] not in "aeiou" else set()  # "fiv", "thre"
    return ({w for w in swapped | doubled | dropped | vowels | _next_keys(word) if len(w) >= 4} | silent) - {
        word
    }


_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEYS = {key: (row, column) for row, keys in enumerate(_KEY_ROWS) for column, key in enumerate(keys)}


def _next_keys(word: str) -> set[str]:
    """``word`` with one letter after the first typed as a key beside it on a phone's keyboard: "fibe"
    (five), "foue" (four), "nime" (nine)."""
    return {word[:i] + key + word[i + 1 :] for i in range(1, len(word)) for key in _beside(word[i])}


def _beside(key: str) -> set[str]:
    row, column = _KEYS[key]
    found = {_KEY_ROWS[row][c] for c in (column - 1, column + 1) if 0 <= c < len(_KEY_ROWS[row])}
    for other, shift in ((row - 1, 0), (row + 1, -1)):  # the row above sits half a key left, below half right
        if 0 <= other < len(_KEY_ROWS):
            found |= {
                _KEY_ROWS[other][c]
                for c in (column + shift, column + shift + 1)
                if 0 <= c < len(_KEY_ROWS[other])
            }
    return found


# Number words of four letters or more, mistyped ("fvie" is five); never an English word ("there", "even").
_WORDS_NEARBY = {
    "there",
    "sven",
    "fave",
    "none",
    "throe",
    "zoro",
    "nin",
    "threw",
    "fife",
}  # "fave": favourite; 您 is "nin"
_MISTYPED = {
    slip: word for word in EN_VALUES if len(word) >= 4 for slip in _slips(word) if slip not in _WORDS_NEARBY
}  # fmt: skip
_MISTYPED_NUMBER = re.compile(r"\b(?:" + "|".join(sorted(_MISTYPED, key=len, reverse=True)) + r")\b")
# A mistyped number word that starts a reply with words after it: "thre stars the app keeps crashing".
_MISTYPED_FIRST = re.compile(
    r"^\s*(?:" + "|".join(sorted(_MISTYPED, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_ALL_THE_WAY = re.compile(r"^(?:100\s*%|百分百|百分之百)\s*")
_BRACKETED = re.compile(r"^[(\[（【「『《〈](.+)[)\]）】」』》〉]$")
# Quotes and chat-app emphasis around the answer: '"5"', "*5*" (WhatsApp bold), "**5**", "_5_".
_EMPHASISED = re.compile(r"^(?:\*+|_+|[\"“']+)(.+?)(?:\*+|_+|[\"”']+)$")
_FULL_MARKS = {"full marks", "top marks", "full score", "top score", "perfect score", "a perfect score",
               "highest score", "the highest score", "the highest", "最高分", "给最高分"}  # fmt: skip
_FULL_MARKS_FIRST = re.compile(r"^满分\s*+(?:是|为|给)?\s*+(?P<num>\d{1,2}|十|五|七)\s*+分?[!！.。]*$")
_LOWEST = {"lowest score", "the lowest score", "the lowest", "最低分", "给最低分"}
_TAIL = r"[\s!！。.、~～,，吧把啊了呢哈的哦噢喔唷耶啦呀嘛哒喇咯啰呗]*"  # "5分哦", "4分把" (吧 mistyped)
_SCORE = re.compile(rf"^\s*{_PREFIX}\s*(?P<num>{_NUMBER}){_SUFFIX}{_TAIL}$")
_STAR_UNITS = {"颗星星", "颗星", "个星星", "个星", "星星", "星", "star", "stars", "⭐", "★"}  # "四个星"
_STAR_UNITS |= {
    "starz",
    "stras",
    "satrs",
    "strs",
    "start",
    "starts",
    "颗",
    "*",
    "estrella",
    "estrellas",
    "bintang",
}
# The star ratings each Chinese review word stands for (as on Taobao and JD).
_REVIEWS = {"好评": range(4, 6), "中评": range(3, 4), "差评": range(1, 3)}
_FILLED_STARS = set("⭐★🌟✭✮✯✪")
_EMPTY_STARS = set("☆✩")
_IGNORED = set(" \t\n\u200d")  # "⭐\n⭐\n⭐": a star a line

# 亲 ("dear", as shoppers and shops call each other) around an answer: "亲，五星", "5分哦亲".
_DEAR = re.compile(
    r"^亲(?:亲|们|爱的)?(?:[\s!！。.~～,，]+|(?=\d))"
    # the marks before 亲 at the end are read from the first of a run, not from each (quadratic)
    r"|(?:(?<![\s!！。.~～,，])[\s!！。.~～,，]+|(?<=[分星哦啊呀啦评]))亲(?:亲|们|爱的)?[\s!！。.~～]*$"
)
_SKIP_WORDS = {
    "skip", "no", "nope", "none", "n/a", "na", "nothing", "no thanks",
    "pass", "nah", "skip it", "no comment", "no comments", "nothing else", "nothing more",
    "跳过", "没有", "无", "不用了", "没了", "算了", "不用", "没有了", "略",
    "没什么", "没啥", "不了", "暂无", "没意见", "不想说", "不想回答", "不方便说", "不说了", "不想选",
    "prefer not to say", "rather not say", "i'd rather not say", "id rather not say", "no answer",
    "i'd prefer not to say", "prefer not to answer", "i'd prefer not to answer",
    "略过", "不想评", "不想评价", "不评了", "不评价", "不想打分", "不打分", "唔想评",  # "I'd rather not rate"
    "i'm good", "im good", "nah i'm good", "no i'm good", "that's all", "thats all", "that's it",
    "nothing to add", "nothing to say", "nothing more to say", "no more", "rather not",
    "i'd rather not", "nope nothing", "no nothing", "-", "--", "/",
    "没有别的", "暂时没有", "不需要", "没有意见", "无意见", "没有建议", "没有补充",
    "就这样", "就这些", "没什么要说的", "没有想说的", "没想法", "不想写", "没得", "没别的",
    "all good", "nope all good", "no all good", "nah im good", "no im good", "nah all good",
    "没", "没问题", "没什么问题", "没有问题",
    "无可奉告", "不予置评", "no comments at all", "no comment at all",  # "no comment", as officials say it
}  # fmt: skip
_SKIP_TOKENS = {"skip", "跳过", "pass"}
# A question about what an option or a number means ("其他是什么意思", "what does other mean").
# Not knowing names no option, whatever word of one it has: "no idea", "not sure", "不知道".
_DONT_KNOW = re.compile(r"^(?:no idea|not sure|dunno|idk|i don'?t know|不知道|不清楚|不确定)(?![a-z])")
_ASKS_WHAT_IT_MEANS = re.compile(r"什么意思|啥意思|是指什么|\bwhat (?:does|do|is) .{0,40}\bmean\b")
_FACES = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]+|(?<!\S)[:;=][-']?[)(dp](?!\S)")
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
# "选项A", "就选2", "answer b", "answer: 3", "I pick 2", "I'll go with b"
_PICK = (
    r"(?:(?:(?:那就|就|我)?(?:选项|选择|选)|option|answer|choice"
    # possessive: the spaces before a colon are taken once, not again by the \s* after _PICK
    r"|(?:i(?:'ll|'d| will| would)? )?(?:pick|choose|select|go with|take))(?:\s*+[:：])?)"
)
_ORDINAL = re.compile(
    rf"^\s*(?:the\s+)?(?:{_PICK}|no\.?|#|number|num\.?|nr\.?)?\s*第?\s*[(（]?(?P<num>{'|'.join(_EN_ORDINALS)}|{_NUMBER})"
    rf"(?:st|nd|rd|th)?[)）]?\s*(?:个|号)?(?:选项|项|one|option)?{_TAIL}$"  # "(2)", "2)": a numbered list
)
_LETTERS = "abcdefghij"
# The spaces after the letter are taken whole (possessive): else each split of a long run between
# them and the tail was tried ("a" and 16,384 spaces took 2.4 s).
# "D选项": the letter, then the word for an option
_LETTER = re.compile(rf"^\s*(?:{_PICK}\s*)?[(（]?(?P<letter>[a-j])\s*+[).、:：]?(?:选项|项)?{_TAIL}$")
_LAST = re.compile(
    rf"^\s*(?:the\s+)?(?:{_PICK}\s*)?(?:the\s+)?(?:last(?: one| option)?|最后(?:一个|一项|那个|一))"
    rf"{_TAIL}$"
)
# A label found inside a longer reply does not count when the reply negates it ("not slow at all").
_NEGATION = re.compile(r"\b(?:not|no|never)\b|n't|不|没|非(?!常)")  # 非常 is "very"
_MAX_CHOICE_LENGTH = 200


# Typing artefacts that change nothing: curly apostrophes (iOS), zero-width characters, the keycap
# and emoji-style marks of "5️⃣" and "⭐️", skin tones ("👍🏻" is "👍"), and digits in circles NFKC keeps ("❼").
_SKIN_TONES: dict[str, None] = dict.fromkeys(map(chr, range(0x1F3FB, 0x1F400)))
_TYPING = str.maketrans({"’": "'", "‘": "'", "\u200b": None, "\u2060": None, "\ufeff": None,
                         "\u20e3": None, "\ufe0f": None, "🔟": "10", **_SKIN_TONES,
                         **ENCLOSED_DIGITS})  # fmt: skip


# An emoji joined to the next by a zero-width joiner is read as the first: "🤦🏻‍♀️" is "🤦", "😮‍💨" is "😮",
# "❤️‍🔥" is "❤" (the joined part makes a gender, a family or a variant: the face says the same).
_JOINED = re.compile("\u200d[^\\s\u200d]?")
# WeChat's text stickers for a thumb up and a thumb down: "[强][强][强]" is "👍👍👍" ("[微笑]", often
# ironic, is kept as typed).
_STICKER_FACES = {
    "强": "👍", "弱": "👎", "玫瑰": "🌹", "爱心": "❤", "心": "❤", "鼓掌": "👏", "抱拳": "🙏", "握手": "🤝",
    "耶": "✌", "OK": "👌", "ok": "👌", "庆祝": "🎉", "胜利": "✌", "赞": "👍", "愉快": "😊", "憨笑": "😄",
    "流泪": "😢", "大哭": "😭", "发怒": "😡", "捂脸": "🤦", "撇嘴": "😒", "白眼": "🙄", "心碎": "💔",
}  # fmt: skip
# WeChat's text stickers as the emoji they draw: "[强][强][强]" is "👍👍👍", "[玫瑰]" "🌹" ("[微笑]", often
# ironic, is kept as typed).
_STICKERS = re.compile(r"\[(" + "|".join(_STICKER_FACES) + r")\]")


def stickers_drawn(text: str) -> str:
    """``text`` with WeChat's text stickers as the emoji they draw ("9分[强]" is "9分👍")."""
    return _STICKERS.sub(lambda found: _STICKER_FACES[found[1]], text) if "[" in text else text


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, outer whitespace and typing artefacts stripped. (The
    public parsers read Traditional Chinese as Simplified first, once: :func:`bot.hanzi.simplified`.)"""
    text = stickers_drawn(unicodedata.normalize("NFKC", text))
    return _JOINED.sub("", text).translate(_TYPING).strip().lower()


def chinese_number(text: str) -> int | None:
    """Value of a Chinese numeral from 零 to 九十九, e.g. ``十`` -> 10, ``二十一`` -> 21."""
    if not text or any(ch not in _CN_DIGITS and ch not in "十拾" for ch in text):
        return None
    text = text.replace("拾", "十")
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _number(token: str, high: int) -> int | None:
    if token == "满":
        return high
    if token.isdigit():
        return int(token)
    if token in EN_VALUES:
        return EN_VALUES[token]
    if token in _EN_ORDINALS:
        return _EN_ORDINALS[token]
    return chinese_number(token)


def number_value(token: str, high: int) -> int | None:
    """The value of one numeral of a score on a scale up to ``high``: "4", "four", "四", "满" (full marks)."""
    return _number(token, high)


def _stars(text: str) -> int | None:
    chars = [ch for ch in text if ch not in _IGNORED]
    chars = [ch for ch in chars if ch not in "!！.。"]
    if not chars or any(ch not in _FILLED_STARS and ch not in _EMPTY_STARS for ch in chars):
        return None
    filled = sum(ch in _FILLED_STARS for ch in chars)
    return filled or None


def parse_rating(text: str, kind: ScaleKind, low: int, high: int) -> int | None:
    """The score in ``text`` on the ``low``-``high`` scale, or ``None`` when it is not one.

    Accepts digits (``4``, ``4/5``, ``8分``, ``给9分``, ``10分满分``), Chinese and English numerals
    (``打三分``, ``ten``), on CSAT stars (``五星``, ``⭐⭐⭐⭐``, ``★★★☆☆``, ``五星好评``) and, on CSAT
    and CES, words and faces (``非常满意``, ``very satisfied``, ``一般``, ``terrible``, ``very easy``,
    ``it was ok``). A thank-you around the answer is ignored ("5, thanks!").
    """
    text = simplified(text)  # "非常滿意" reads as "非常满意"
    return _rating(text, kind, low, high, thanks=True)


MAX_SCORE_CHARS = 60
"""The longest reply (once normalised) read as a score on its own; a longer one is a comment."""


def _tidied(t: str, *, thanks: bool) -> str:
    """``t`` (normalised) without what is said around a score: thanks, 亲, brackets, emphasis."""
    if thanks:
        t = _FILLERS.sub("", t).strip()
    t = _LEADING_MARKS.sub("", t)  # "...3...", "?!?! 1", "!!!0!!!"
    t = _PARTICLE_TAIL.sub("", t)  # "1 only", "nine lah", "very much satisfied madam"; not "6, only had to"
    t = _DEAR.sub("", t).strip().replace("粒星", "颗星")  # 粒: Cantonese for 颗 ("五粒星")
    t = _HELD_NUMBER.sub(lambda m: m[1] if m[1][-1] == m[2] else m[0], t)
    t = _HELD_INSIDE.sub(_unheld, t)  # "fiiiive", "seveeen"
    if thanks:  # the whole reply: "9份" (份 typed for 分 by a phone's pinyin), "十分之八"
        t = _PORTION.sub(r"\1分", t)
        t = _HEARTS.sub(r"\1星", t)  # "五心", "三颗心": hearts for stars
        t = _FRACTION.sub(lambda m: f"{_number(m['of'], 10)}/{_number(m['whole'], 10)}", t)
    t = _SOUNDS_LIKE_FIVE.sub("五", t)  # "吾星好评": 吾 sounds as 五 (wǔ)
    t = _PINYIN_SCORE.sub(lambda m: _PINYIN_NUMBERS.get(m[1], m[1]) + _PINYIN_UNITS[m[2]], t)  # "wu xing"
    t = _MISTYPED_NUMBER.sub(lambda m: _MISTYPED[m[0]], t)
    t = _SOUNDS_LIKE.sub(lambda m: m["a"] + _SAID[m["word"] or m["ate"]], t)
    t = _A_FOR.sub(lambda m: m[0].rsplit(" ", 1)[0] + " four", _POLITE_END.sub("", t))  # "i'll give it a for"
    t = _ASTERISKS.sub(lambda m: "⭐" * m[0].count("*"), t)  # "*****": stars typed on a keyboard
    t = _STAR_AFTER_UNIT.sub("", _GIVEN_STARS.sub("", t))  # "给个🌟🌟🌟🌟": the stars given
    t = _STARS_OVER.sub(lambda m: f"{len(m[1].replace(' ', ''))}/5", t)  # "⭐⭐⭐/5"
    t = _EMPHASISED.sub(r"\1", _BRACKETED.sub(r"\1", t).strip()).strip()  # "(5)", "【5分】", "*5*"
    t = _STAR_FRAMED.sub(r"\2", t)  # "🌟 4 🌟": a star drawn on each side of the score
    t = _ALL_THE_WAY.sub(lambda m: "very " if m.group(0)[-1] == " " else "非常", t)  # "100% satisfied"
    if t[-1:] in ")）" and not any(ch in t for ch in "(（") and t[:-1].rstrip()[-1:].isalnum():
        t = t[:-1].strip()  # "5)": what is left of "very satisfied (5)" once the words are split off
    t = _TIMES_STARS.sub(lambda m: (m["a"] or m["b"]) + "⭐", t)  # "⭐x5", "5 x ⭐"
    t = _STAR_GRADE.sub(lambda m: (m[1] or m[2] or m[3] + " ") + "星", t)  # "五星级服务", "5 star service"
    if (again := _REPEATED.match(t)) is not None and _said_over_again(again[1], t):
        t = again[1].strip()  # "五星五星五星", "5 5 5", "满意满意满意"
    return _LETTER_TEN.sub("10", t)


# A run of marks before a score says nothing of it (a run after it is _TAIL's); question marks alone
# ("?5") ask, and a tilde strikes through ("~5~" on WhatsApp). Possessive, and what follows must be
# no mark, so a long run is tried once.
_LEADING_MARKS = re.compile(r"^(?=[.!！?？。,，]*[.!！。,，])[.!！?？。,，]++\s*+(?=[^\s.!！?？。,，~～])")
# Regional English's particles and a "sir" or "madam" after a score or a word rating say nothing of it.
_PARTICLE_TAIL = re.compile(
    r"(?<=[\w)])(?<!\bnot)(?:[ \t]+(?:only|la|lah|lor|leh|liao|sha|po|je|innit|sir|madam|ma'am|really))+$"
)
# Three to five asterisks ("**" is bold with nothing in it), marks after them: "***** !!!".
_ASTERISKS = re.compile(r"^\*(?:\s?\*){2,4}(?:\s*+[!！.。]+)?$")
# Words that give the stars drawn after them: "给个🌟🌟🌟🌟", "i give ⭐⭐⭐⭐".
_GIVEN_STARS = re.compile(
    r"^(?:(?:i(?:'d| would| will)? )?give (?:it |you |u |them )?|给(?:你们|你|个|了)*|打个?)\s*"
    r"(?=[⭐★🌟☆✩](?:\s?[⭐★🌟☆✩])*$)"
)
_STAR_AFTER_UNIT = re.compile(r"(?<=星)\s*[⭐★🌟]$")  # "五颗星⭐": the unit drawn once more
_STAR_FRAMED = re.compile(r"^([⭐★🌟✨])[ \t]*+([^\s⭐★🌟✨](?:[^⭐★🌟✨]*[^\s⭐★🌟✨])?)[ \t]*\1$")
_STARS_OVER = re.compile(r"^([⭐★🌟](?:\s?[⭐★🌟]){0,4})\s*(?:/|out of)\s*5$")
_TIMES_STARS = re.compile(
    r"^(?:(?:[⭐★🌟]\s*[x×*]|\*\s*[x×])\s*(?P<a>\d{1,2})|(?P<b>\d{1,2})\s*[x×*]\s*[⭐★🌟])$"
)
_STAR_GRADE = re.compile(
    r"^(?:(?:服务|体验|客服|态度)(?:是|也是)?([\d零〇一二两三四五六七八九十]+)星级的?"
    r"|([\d零〇一二两三四五六七八九十]+)星级的?(?:服务|体验|客服|态度)"
    # and in English, without the article of a hotel's grade ("a 5 star hotel"): "5 star service"
    r"|(\d|one|two|three|four|five)[\s-]?stars?\s+(?:service|experience|support|help|job|work))$"
)
# The same score said again and again: "五星五星", "5 5 5". Stars and faces repeated count ("⭐⭐⭐" is 3).
# The unit said again ends in a character that is no separator (one that only separates says nothing
# twice): else "!!!...!x" split into units and separators every way there is (0.4 s on 60 characters).
_REPEATED = re.compile(r"^((?:(?:(?!\n)[\s,，、!！])*[^\s,，、!！])+?)(?:[\s,，、!！]*\1){1,4}[\s,，、!！]*$")


# Ten typed with a letter for a digit: "1O" (the letter O), "l0" (the letter l); a unit may follow ("l0分").
_LETTER_TEN = re.compile(r"^(?:l0|1o)(?=$|分|/10$)")


def _said_over_again(one: str, t: str) -> bool:
    """Whether ``t`` is ``one`` said again: digits apart ("5 5 5"; "55" is fifty-five, "5,5" five and a
    half), or a word of two characters or more ("五星五星") that is no phrase doubled ("so so")."""
    if one.isdigit():
        return re.search(r"\d[,，!！]?\s+\d", t) is not None
    if len(one.strip()) < 2 or not any(ch.isalnum() for ch in one):
        return False  # "差差差" stays stronger
    return all(word_rating(t, kind) is None for kind in ("csat", "ces"))


def _rating(text: str, kind: ScaleKind, low: int, high: int, *, thanks: bool) -> int | None:
    t = normalize(text)
    if len(t) > MAX_SCORE_CHARS:
        return None
    if kind == "nps" and (said := recommendation(t)) is not None:
        return said  # "extremely likely", "not at all likely": the scale's own ends
    t = _tidied(t, thanks=thanks)
    if not t or t.endswith("?"):
        return None  # "满意？", "satisfied?": asked back, not answered
    if t.rstrip("!！.。 ") in _FULL_MARKS:  # "full marks!"
        return high
    if (top := _FULL_MARKS_FIRST.match(t)) is not None and _number(top["num"], high) == high:
        return high  # "满分10" asked NPS: full marks, named by the scale's top ("满分5" there is none)
    if t in _LOWEST or _NOT_EVEN_ONE.match(t):
        return low
    # Stars are a 1-5 satisfaction idiom: "5 stars" on a 0-10 NPS question means 10, not 5.
    value = _stars(t) if kind == "csat" else None
    if value is None and (match := _score_match(t, whole=thanks)) is not None:
        value = _matched_score(match, kind, low, high)
        if value is None:
            return None
    if value is None and kind != "nps":
        value = word_rating(t, kind)
    if value is None or not low <= value <= high:
        return None
    return value


def _matched_score(match: re.Match[str], kind: ScaleKind, low: int, high: int) -> int | None:
    """The score a :data:`_SCORE` match gives, or ``None`` when its scale, unit or review word says
    it is not one on this question ("8/10" asked out of 5, "5 stars" on NPS, "五星差评")."""
    value = _number(match["num"], high)
    if value is None:
        return None
    for den in (match["den"], match["den_after"]):
        if den is not None and (scale := _number(den, high)) != high:
            # "8/10" asked out of 5: which way to round is the customer's call; full marks or none
            # are the same on any scale ("10/10" is a 5, "0/10" the lowest); "0/0" and "1/1" are none,
            # and so is an idiom's fraction ("50/50", "20/20"): no scale runs past 10 but a percentage
            if scale is None or scale < 2 or _LONGEST_SCALE < scale != _PERCENT_SCALE:
                return None
            return high if value == scale else low if value == 0 and match["unit"] is None else None
        if den is not None and value == 0 and match["unit"] is None:
            return low  # "0/5" asked 1-5 is none out of five, the lowest, as "0/10" is
    return _unit_score(match, value, kind, low, high)


def _unit_score(match: re.Match[str], value: int, kind: ScaleKind, low: int, high: int) -> int | None:
    """The score a :data:`_SCORE` match gives by its unit and review word: "5 stars" on NPS is none,
    "zero stars" the lowest, "五星差评" none."""
    unit = match["unit"] or ""
    if unit in _STAR_UNITS or _stars(unit.lstrip("颗个")) is not None:
        if _stars(unit.lstrip("颗个")) not in (None, 1, value) or (kind != "csat" and value != high):
            return None  # "5 ⭐⭐⭐": which?, or stars on NPS ("5 stars" there may be 10; "10 stars" is 10)
        if value == 0 and match["num"] + unit != "零星":  # 零星 is "a few"
            value = low  # "zero stars (if I could)": the lowest there is
    if match["full"] is not None and value in _SCALE_TOPS:
        return high  # "10分满分" asked out of 5: ten, full marks
    if (match["full"] is not None or match["plus"] is not None) and value != high:
        return None
    review = match["review"]
    if review is not None and (kind != "csat" or value not in _REVIEWS[review]):
        return None
    return value


_LONGEST_SCALE = 10
_PERCENT_SCALE = 100
_SCALE_TOPS = (5, 7, 10, 100)


def _score_match(t: str, *, whole: bool) -> re.Match[str] | None:
    """A score expression filling ``t``; a whole message may lead in with "honestly", "a"..."""
    match = _SCORE.match(t)
    if match is None and whole and (lead := _SCORE_LEAD_IN.match(t)) is not None and lead.end():
        match = _SCORE.match(t[lead.end() :])
    return match


_NUMBER_WORD = re.compile(rf"\b(?:{EN_WORDS})\b")


def _said_again(found: Scored, kind: ScaleKind, low: int, high: int) -> bool:
    """The comment is the score again in digits, stars or a number word ("⭐⭐⭐⭐⭐ 5/5", "5 (five)");
    other words are one ("3 态度一般")."""
    if (drawn := _stars(found.comment)) is not None and drawn in (1, found.score):
        return True  # "★★★★★★★★★ 9", "🌟 10": the score drawn, or one star beside it
    again = _rating(found.comment, kind, low, high, thanks=True) == found.score
    numeric = any(ch.isdigit() or ch in _FILLED_STARS or ch in "星分" for ch in found.comment)
    return again and (numeric or _NUMBER_WORD.search(found.comment.lower()) is not None)


_GLOSS_WORDS = 2
_GLOSS_CHARS = 20


def _glossed(found: Scored, scale: tuple[ScaleKind, int, int], text: str) -> bool:
    """The comment is the score's own words, short, in brackets after it: "7 (very easy)", "1 (非常不满意)"
    ("4 (the agent was nice)" says who was)."""
    kind, low, high = scale
    if len(found.comment.split()) > _GLOSS_WORDS or len(found.comment) > _GLOSS_CHARS:
        return False
    bracketed = f"({found.comment})" in normalize(text).replace("（", "(").replace("）", ")")
    return bracketed and _rating(found.comment, kind, low, high, thanks=False) == found.score


def read_rating(text: str, kind: ScaleKind, low: int, high: int) -> Scored | None:
    """The score in ``text`` and the words said with it: the whole reply as :func:`parse_rating`
    reads it, else a score at its start or end with a comment beside it ("5 stars, super quick
    reply", "8 - helpful but slow", "客服很专业 给五星", "2，等太久了"). ``None``: not a rating.
    A quote of the question or a mention before the reply is dropped ("「客服：请打分」5"); a
    score taken back and said again counts as said again ("3... no, 4")."""
    return _read_rating(text, kind, low, high, corrections=MAX_CORRECTIONS)


MAX_CORRECTIONS = 3
"""How many times a reply may take its score back and give another ("3 no 4 no 5")."""


# Cantonese 係 ("is") before a number: "係5分" (Simplified makes it 系, as in 关系).
_CANTONESE_IS = re.compile(r"係(?=\s*[\d零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾])")


def _read_rating(text: str, kind: ScaleKind, low: int, high: int, *, corrections: int) -> Scored | None:
    written, text = _as_read(text)
    said = text
    for _ in range(MAX_SCALE_NOTES + 1):
        whole = parse_rating(text, kind, low, high)
        if whole is not None:
            return Scored(whole)
        if (unscaled := without_scale(text, high)) == text:
            break
        text = unscaled  # "10分满分给9分", "9分（满分10分）"
    if (other := another_scale(text, high)) is not None:
        return _on_another_scale(text, other, (kind, low, high))
    if corrections and (again := _read_corrected(written, (kind, low, high), corrections)) is not None:
        return again
    for reply in dict.fromkeys((text, said)):  # unscaled, else as said ("I'd say 3 out of 5, slow")
        if (found := _split(reply, (kind, low, high))) is not None:
            return _with_comment(found, (kind, low, high), written, reply)
    if (aside := _with_aside(text, (kind, low, high))) is not None:
        return aside  # "8 (was 6 last year)": a number in brackets after the score is the comment's
    if (faced := _after_agreeing_face(text, (kind, low, high), written)) is not None:
        return faced  # "🙏🙏4分，小哥辛苦": the face agrees with the 4
    if (now := score_for_now(text, lambda head: parse_rating(head, kind, low, high))) is not None:
        return Scored(now, written.strip())  # "8 now, 10 if u fix delivery": 8
    numeral = functools.partial(number_value, high=high)
    if (named := named_score(text, kind, numeral)) is not None and low <= named <= high:
        return Scored(named, written.strip())  # "推荐度8，满意度5" asked NPS: 8
    if (overall := overall_score(text, lambda part: parse_rating(part, kind, low, high))) is not None:
        return Scored(*overall)  # "rider 5 stars, food 2, app crashed. overall 3": 3
    if (scaled := scaled_score(text, high, lambda part: parse_rating(part, kind, low, high))) is not None:
        return Scored(scaled[0], scaled[1].strip())  # "2 days late, 3 boxes dented, 4/5 though ...": 4
    if (lettered := letter_score(text, low, high, numeral)) is not None:
        return Scored(lettered, written.strip())  # "Dear Sir, ... I rate it 4 out of 5. Thanking you."
    return None


# A word that starts a comment typed onto the score without its space ("9/10would recommend"); not a unit
# or an ordinal ("5stars", "2nd"), which are read as they are.
_RUN_ON = re.compile(
    r"(?<=\d)(?=(?:would|wud|will|but|because|cuz|coz|thanks|thank|thx|great|good|very|definitely|def)\b)",
    re.IGNORECASE,
)


# A score, then an aside in brackets that holds another number ("8 (was 6 last year)", "4 (was going to say
# 5 but the wait)"; blind round 26); not one that hedges or takes the score back ("3 (or 4)", "4 (maybe 3)").
_ASIDE = re.compile(r"^(?P<score>[^()（）]{1,20}?)\s*[(（](?P<aside>[^()（）]{1,120})[)）][\s.!。！]*$")
_DIGIT = re.compile(r"\d")  # an aside with no number is read as any comment is ("7 (very hard)")
_ASIDE_HEDGES = re.compile(
    r"\b(?:or|maybe|perhaps|actually|no|not|sorry|meant|mean|if|when|until|jk|being)\b"
    # a question ("1 (1 being hardest?)"), a wait that takes the score back, Chinese hedges
    r"|\bwait\W*(?:\d|no\b|actually)|[?？=]|或|还是|不对|可能|也许|如果|是不是"
)


def _with_aside(text: str, scale: tuple[ScaleKind, int, int]) -> Scored | None:
    """The score before an aside in brackets, the aside its comment; ``None`` when it is no such reply."""
    found = _ASIDE.match(text)
    if found is None or not _DIGIT.search(found["aside"]) or _ASIDE_HEDGES.search(found["aside"].lower()):
        return None
    score = parse_rating(found["score"], *scale)
    return None if score is None else Scored(score, found["aside"].strip())


def _as_read(text: str) -> tuple[str, str]:
    """``text`` as written once what chat, voice typing and other languages put around it is read
    (the comment is taken from it), and that read as Simplified Chinese, the score read from it."""
    # "1 🤦🏻‍♀️" as "1 🤦🏻"; "bu manyi" as "不满意"; "IV stars" as "4 stars"
    text = _JOINED.sub("", unframed(hanzi_of(roman_as_digits(text))))
    text = stickers_drawn(in_own_words(text))  # "le doy un 4", "5점", "星4つ"; "9分[强]"
    text = unhashtagged(marks_typed(text))  # "三分逗号物流太慢了", "nine period", "#5stars"
    # voice typing's "to stars" before words too: "to stars because nobody called back"
    text = _SOUNDS_LIKE.sub(lambda m: m["a"] + _SAID[(m["word"] or m["ate"]).lower()], text)
    text = _MISTYPED_FIRST.sub(lambda m: _MISTYPED[m[0].strip().lower()], text)  # "thre stars, slow"
    text = _RUN_ON.sub(" ", text)  # a phone's missed space: "10would recommend", "3/5would use again"
    text = spelled_out(text)  # chat's "l8r 8", "5 nice 1", "k 4"
    # "非常滿意" reads as "非常满意"; chat's 666 and 555 as the words they are (the comment keeps the digits)
    # "係5分" is "是5分"; the polite 您 is read as 你 ("给您打4分" as "给你打4分"; the comment keeps 您)
    return text, simplified(digit_words(_CANTONESE_IS.sub("是", text))).replace("您", "你")


def _split(reply: str, scale: tuple[ScaleKind, int, int]) -> Scored | None:
    """A score at the start or the end of ``reply`` with the rest as its comment (the score read without
    dropping a thank-you: that belongs to the comment)."""
    kind, low, high = scale
    return split_rating(
        reply,
        lambda part: _rating(part, kind, low, high, thanks=False),
        words=kind != "nps",
        middle=(low + high) / 2,
        longest=MAX_SCORE_CHARS,
    )


def _after_agreeing_face(text: str, scale: tuple[ScaleKind, int, int], written: str) -> Scored | None:
    """The score and comment after a run of faces that agrees with the score ("🙂 4, nice agent");
    ``None`` when none starts ``text`` or it says something the score does not ("🙄 5, great")."""
    face, rest = face_first(text)
    if not face or not rest:
        return None
    found = _split(rest, scale)
    found = None if found is None else _with_comment(found, scale, written, rest)
    _, low, high = scale
    return (
        found if found is not None and face_beside(face, found.score, (low + high) / 2) == "nothing" else None
    )


def _on_another_scale(text: str, other: int, scale: tuple[ScaleKind, int, int]) -> Scored | None:
    """A score said on a scale of ``other`` points, not the question's: full marks or none are the same
    on any scale ("满分5分给5分" asked 0-10 is a 10), any other is refused ("on a scale of 1-5 I'd say 4",
    "满分5分给4分" asked 0-10: which way to convert is the customer's call, as "8/10" asked out of 5)."""
    kind, low, high = scale
    if (rest := without_scale(text, other)) == text:
        return None
    said = _read_rating(rest, kind, 0, other, corrections=0)
    if said is None or said.score not in (0, other):
        return None
    return Scored(high if said.score else low, said.comment)


def _read_corrected(text: str, scale: tuple[ScaleKind, int, int], corrections: int) -> Scored | None:
    return read_corrected(
        text,
        lambda head: parse_rating(head, *scale),
        lambda tail: _read_rating(tail, *scale, corrections=corrections - 1),
    )


def _with_comment(
    found: Scored | None, scale: tuple[ScaleKind, int, int], written: str, text: str
) -> Scored | None:
    """``found`` with its comment as the customer wrote it; a comment that says nothing dropped, and
    no score where the comment takes a high NPS back."""
    if found is not None and (comment := field_free(found.comment)) != found.comment:
        # "Rating: 3\nComment: slow"; "Comment: thanks" is a thank-you
        found = Scored(found.score, comment if _FILLERS.sub("", comment).strip() else "")
    if found is None or not found.comment:
        return found
    kind, low, high = scale
    if kind == "nps" and nps_taken_back(found.score, found.comment.lower()):
        return None
    if _OFF_SCALE_FIRST.match(found.comment) and not low <= int(found.comment.split()[0]) <= high:
        return None  # "8 would recommend, very satisfied with the help" asked CSAT: two questions answered
    if _SCALE_LEGEND.search(found.comment):
        return None  # "is it 1 = very easy? i put 1": the scale asked about, not answered
    if (
        _nothing_before(found, text)
        or says_nothing(found.comment)
        or _said_again(found, kind, low, high)
        or _glossed(found, scale, text)
    ):
        return Scored(found.score)  # "10 hands down", "必须五星", "5 from me, thanks!", "⭐⭐⭐⭐⭐ 5/5"
    head, comma, rest = found.comment.partition(",")
    if comma and rest.strip() and says_nothing(head):  # "3 i guess, the app kept crashing"
        if says_nothing(rest):  # "4 po, thank you", "10 ma'am, thank you so much"
            return Scored(found.score)
        found = Scored(found.score, rest.strip())
    if (bare := _CHAT_EDGES.sub("", found.comment)) and bare != found.comment:
        found = Scored(found.score, bare)  # "3 tbh ur app is trash", "2 it was a whole thing ngl"
    # The comment is found in the text as NFKC made it ("，" is ","): the customer's own characters.
    wide = unicodedata.normalize("NFKC", text)
    if len(written) == len(text) == len(wide) and (at := wide.find(found.comment)) >= 0:
        return Scored(found.score, written[at : at + len(found.comment)])
    return found


# Another score denied before the one given says nothing more: "not 5... 7", "not five, but a solid four".
_DENIED_OTHER = re.compile(
    rf"^(?:not|no)\s+(?:a |an )?(?P<num>\d{{1,2}}|{EN_WORDS})(?![\w/])[\s,.…!]*+"
    r"(?:but\b[\s,]*+)?(?:(?:a|an)(?: (?:solid|strong|firm|good))?)?$",
    re.IGNORECASE,
)


# An apology alone before a score is for the late or hurried reply ("不好意思，七分"); after a low one it is
# for the score, and stays ("2 stars, sorry").
_APOLOGY = re.compile(r"^(?:不好意思|抱歉|对不起|sorry|sry|soz)[\s,，.。!！~～]*$", re.IGNORECASE)


# The question's own word asked back before the score: "recommend? 9", "推荐？8分", "you asked how satisfied
# i am: 2" (blind round 26); a longer question of the customer's own stays ("is it 1 = very easy?").
_QUESTION_ECHOED = re.compile(
    r"^(?:(?:you asked )?how (?:satisfied|likely|easy)(?: (?:am i|i am|was it|it was|would i|i would))?"
    r"|recommend(?: (?:you|us|u))?|satisfied|easy|推荐|满意|满不满意|容易|容不容易)$",
    re.IGNORECASE,
)
_ASKED_MARKS = ("?", "？", ":", "：")


def _nothing_before(found: Scored, text: str) -> bool:
    """The comment, before the score, is another score denied ("not 5... 7") or an apology; after it,
    "I meant 4 not 2" and "2 stars, sorry" keep theirs."""
    comment = found.comment.strip()
    if not text.strip().lower().startswith(comment.lower()):
        return False
    if _APOLOGY.match(comment):
        return True
    if _QUESTION_ECHOED.match(comment) and text.strip()[len(comment) : len(comment) + 1] in _ASKED_MARKS:
        return True  # "recommend? 9", not "satisfied 4" (a word rating beside the score is its comment)
    denied = _DENIED_OTHER.match(comment)
    return denied is not None and _number(denied["num"].lower(), _LONGEST_SCALE) != found.score


_OFF_SCALE_FIRST = re.compile(r"^\d{1,2}(?= (?:[a-z']+ ){0,2}recommend)")  # not "1 star, 20 min wait"
# "1 = bad right?", "5 means the best?", "10 being what" (blind round 26): the scale asked about.
_SCALE_LEGEND = re.compile(
    r"\d\s*=\s*[a-z\u4e00-\u9fff]|\bmeans? (?:the )?(?:best|worst|easy|hard)\b.*\?"
    r"|^being\s+(?:what|which)\b|^(?:is|means?)\s+(?:what|which)\b[^?]*\?"  # not "10 is what i'd give"
)
# Chat's "honestly" at the edge of a comment says nothing: "tbh ur app is trash", "u1s1 服务还行", "... ngl".
_CHAT_EDGES = re.compile(
    r"^(?:tbh|ngl|tbf|u1s1|有一说一|lowkey|honestly"
    # Chinese chat's laughing, "you're right" and "I'm dying (of cuteness)" before the words: "hhh 挺好的",
    # "nsdd 服务确实好", "awsl 小姐姐太温柔了"
    r"|h{3,}|哈{2,}|xswl|nsdd|awsl|笑死)\s++(?=\S)|(?<=\S)\s++(?:ngl|fr|lowkey)$",
    re.IGNORECASE,
)
# A "sorry" before a pick says nothing of it: "sorry, 3" (a choice has no score to correct).
_SORRY_FIRST = re.compile(r"^\s*(?:so+r+y|sry|soz)\b[\s,.!:-]*(?=\S)", re.IGNORECASE)
_PLEASE = re.compile(r"[\s,，]*\b(?:please|pls|plz)[\s!.]*$")
_SHRUG = re.compile(r"[\s,，]*\bi (?:guess|think|suppose|reckon)[\s!.]*$")  # "the second one I guess"


def _courtesy_free(text: str) -> str:
    """``text`` without a greeting before it, thanks or a please after it, or emphasis around it: "hi 2",
    "B thx", "2, thanks!", "*2*" (what is left when that is all there was: "thanks")."""
    if len(text) > _MAX_CHOICE_LENGTH:
        return text
    t = _FILLERS.sub("", normalize(_SORRY_FIRST.sub("", _HELLO_ONLY.sub("", text, count=1), count=1))).strip()
    t = _EMPHASISED.sub(r"\1", _PLEASE.sub("", _SHRUG.sub("", t))).strip()
    return _PARTICLE_END.sub("", t).strip() or t or text


# Regional English's particles after a pick say nothing of it: "2 lah", "the second one lor", "4 only".
_PARTICLE_END = re.compile(r"(?<=\S)[\s,]+(?:la|lah|lor|leh|liao|only|po|sha)$")
# The question pasted on a line of its own before the answer: "主要是哪方面的问题？\n态度".
_QUESTION_LINE = re.compile(r"^[^\n]{1,120}[?？][^\S\n]*\n(?=\s*\S)")
# A question back names no option: "which one is for rude?", "does slow mean the reply or the delivery?"
_ASKS_WHICH = re.compile(r"^(?:which|what|does|do|is|are|can|how)\b.*\?$")
# What went wrong with someone else than the support (the courier, the delivery, the parcel) is no
# answer about the support: "courier very slow" is no Slow response (the engine counts it as Other), when
# no option of the question is about the delivery itself.
_SOMEONE_ELSE = re.compile(
    r"\b(?:courier|delivery|deliveries|parcel|package|shipping|rider|postman)\b|快递|物流|派送"
    r"|骑手|外卖员|外卖小哥|配送员"  # the rider, as "rider" (blind round 22)
)


def parse_choice(
    text: str, options: Sequence[tuple[str, Iterable[str]]], *, numbered: bool = True
) -> str | None:
    """The id of the option ``text`` names: by id, by label in any locale, or (``numbered``) by its
    1-based number."""
    text = _courtesy_free(
        simplified(unquoted(_QUESTION_LINE.sub("", not_for_eight(digit_words(hanzi_of(text))))))
    )  # "問題沒有解決" reads as "问题没有解决"; "2 thanks" as "2"; "mei jiejue" as "没解决"
    if _ASKS_WHICH.match(normalize(text)):
        return None
    options = [(option_id, [simplified(label) for label in labels]) for option_id, labels in options]
    if (first := _named_first(text, options)) is not None:
        return first  # "other: app kept crashing", "其他（物流）": the option, then what it was
    if _SOMEONE_ELSE.search(normalize(text)) and not any(
        _SOMEONE_ELSE.search(normalize(label)) for _, labels in options for label in labels
    ):
        return None  # unless the question itself asks about the delivery (an option "Delivery")
    t = _PUNCT.sub(" ", normalize(text)).strip()
    if not t or len(t) > _MAX_CHOICE_LENGTH:
        return None
    if (named := _named(t, options)) is not None:
        return named
    if numbered and (by_number := _by_number(text, t, options)) is not None:
        return by_number
    if t in _SKIP_WORDS or _ASKS_WHAT_IT_MEANS.search(t) or _DONT_KNOW.match(t):
        return None  # "no comment" declines, "其他是什么意思" asks, "no idea" does not know: none names one
    # A longer reply that contains exactly one option label ("problem not solved at all").
    found = [
        (option_id, lab)
        for option_id, labels in options
        for label in labels
        if (lab := _PUNCT.sub(" ", normalize(label)).strip())
        and _contains(t, lab)
        and len(t) <= 2 * len(lab) + 12
    ]
    if len({option_id for option_id, _ in found}) > 1:
        return None  # two options named: ambiguous
    if found:
        return None if any(_NEGATION.search(t.replace(lab, " ")) for _, lab in found) else found[0][0]
    return closest(normalize(text), options)  # a paraphrase ("没解决", "too slow"), in its clauses


# An option's number set off from words after it: "2 - still no refund", "1, waited forever", "3: rude"
# (not a number after it: "2 - 3 days" says how long).
_NUMBER_THEN_WORDS = re.compile(
    r"^\s*[(（]?(?P<num>\d)[)）]?\s*(?:[-–—:：,，、;；]|\.(?=\s))\s*(?P<rest>(?![\s\d]).*[a-z\u4e00-\u9fff].*)$"
)


# Where an option named first is set off from the words about it, as in a form: a colon, a bracket or a
# dash with spaces around ("other: app kept crashing", "Other - billing mistake", "其他（物流）").
_FIELD_BREAK = re.compile(r"[:：(（]|\s[-–—]\s")


def _named_first(text: str, options: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The option whose id or whole label starts ``text`` before a field's break, when the words after
    it name no other option ("slow: and rude too" names two)."""
    if len(text) > _MAX_CHOICE_LENGTH or (cut := _FIELD_BREAK.search(text)) is None:
        return None
    head = _PUNCT.sub(" ", normalize(text[: cut.start()])).strip().replace("其它", "其他")  # 它 for 他
    rest = text[cut.end() :].strip(" )）")
    if not head or not rest or len(head) > _SHORT_HEAD:
        return None
    option = _named(head, options)
    return (
        option
        if option is not None and parse_choice(rest, options, numbered=False) in (None, option)
        else None
    )


def _named(t: str, options: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The option whose id or whole label ``t`` (normalised, punctuation spaced out) is."""
    for option_id, labels in options:
        if t == option_id.lower() or any(t == _PUNCT.sub(" ", normalize(label)).strip() for label in labels):
            return option_id
    return None


_SHORT_HEAD = 40


def _by_number(text: str, t: str, options: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The option ``text`` (``t``: its punctuation spaced out) picks by its place: a letter, "the last
    one", a number or an ordinal, or a number with words after it that name no other option."""
    letter = _LETTER.match(normalize(text))
    if letter is not None and (index := _LETTERS.index(letter["letter"])) < len(options):
        return options[index][0]  # "A", "b)", "(c)", "选B": options listed as letters elsewhere
    if _LAST.match(t) is not None:
        return options[-1][0]  # "the last one", "最后一个"
    if (match := _ORDINAL.match(t)) is not None:
        number = _number(match["num"], len(options))
        if number is not None and 1 <= number <= len(options):
            return options[number - 1][0]
    said = _NUMBER_THEN_WORDS.match(normalize(text))
    if said is None or not 1 <= (place := int(said["num"])) <= len(options):
        return None
    picked, rest = options[place - 1][0], said["rest"]
    if parse_choice(rest, options, numbered=False) not in (None, picked) or says_what_went_right(
        rest, options
    ):
        return None  # "1 - rude agent": which?; "1 - not slow": is it?
    return picked


def _contains(t: str, label: str) -> bool:
    """Whether ``label`` stands in ``t`` as words of its own: "no" is not in "it works now", nor one
    character 是 in "还是老样子" (a single Chinese character inside a longer reply is part of a word)."""
    if label.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(label)}(?![a-z0-9])", t) is not None
    return label in t and (len(label) > 1 or t == label)


def named_option(comment: str, options: Sequence[tuple[str, Iterable[str]]]) -> str | None:
    """The one option a comment said with a rating names ("1 star, rude agent", "2分，回复太慢了",
    "2 - never solved my problem"): by label in any locale or by a paraphrase, as :func:`parse_choice`
    reads a typed choice, but never by number or letter (a number there counts days or items).
    ``None`` when it names none or two ("slow and rude"), negates the one it names ("not slow"), or
    is about more than that option ("delivery was slow": a comment is no answer to the question)."""
    option = parse_choice(comment, options, numbered=False)
    labels = [label for option_id, said in options if option_id == option for label in said]
    text = simplified(comment)
    return option if any(mostly_of(text, simplified(label)) for label in labels) else None


def is_skip(text: str, skip_words: Iterable[str] = ()) -> bool:
    """Whether ``text`` declines an optional question ("skip", "跳过", "no", ...)."""
    text = simplified(text)  # "非常滿意" reads as "非常满意"
    t = _PUNCT.sub(" ", _FACES.sub(" ", normalize(text))).strip()  # "no 🙂", "nope 👍"
    own = {normalize(simplified(w)) for w in skip_words}
    # "no thank you", "没有了，谢谢", "没什么了": the words around a skip change nothing
    bare = _PUNCT.sub(" ", _FILLERS.sub("", t)).strip()
    once = bare[:-1] if bare.endswith(tuple(_PARTICLES)) else bare  # "没有别的了": only the last particle
    if any(w in _SKIP_WORDS or w in own for w in {t, bare, once, bare.rstrip(_PARTICLES)} if w):
        return True
    # "nothing, skip", "skip please", "跳过吧": a skip word in a short reply
    if t.startswith("跳过") and len(t) <= 6:  # 跳过这题, 跳过吧
        return True
    words = t.split()
    return len(words) <= 3 and any(
        w in _SKIP_TOKENS | own or w.rstrip(_PARTICLES) in _SKIP_TOKENS for w in words
    )

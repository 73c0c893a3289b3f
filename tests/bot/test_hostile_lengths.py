"""Hostile customer text never makes a handler slow: a guard against catastrophic backtracking.

Each entry point that reads customer text (or a URL in the access log) runs on long inputs of the
shapes that once took seconds: a regex that restarted a scan at every character of a long run of
spaces, tabs or "?" was quadratic in it (``bot.framing.FILLERS``: 1.9 s on 4,096 tabs). This is no
speed target: the bound (half a second of the thread's CPU time for one entry on one input of 16,384
characters: other work on the machine does not count) only fails when the work grows with the square
of the length or worse. Most inputs
are four times the web chat's cap (platform webhooks carry longer texts); a few are as long as the
longest reply read as a score (60 characters), where a parse once took 0.15-0.4 s: their bound is a
tenth of a second, a hundred times what such a parse takes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.answers import is_skip, number_value, parse_choice, parse_rating, read_rating
from bot.chat_channels import channel_free
from bot.chat_marks import unformatted
from bot.chat_spellings import spelled_out
from bot.classification import Classification
from bot.config import load_config
from bot.corrections import after_correction
from bot.denying import undenied
from bot.engine import advance
from bot.faces import without_agreeing_face
from bot.field_scores import named_score
from bot.flow import build_flows
from bot.for_now import score_for_now
from bot.fraction_scores import scaled_score
from bot.framing import FILLERS, field_free, says_nothing, unquoted
from bot.hedges import RIGHT_ASKED, praised_wait, sarcastic
from bot.late_replies import without_late_lead
from bot.letters import letter_score
from bot.masking import mask
from bot.messages import Text
from bot.other_languages import in_own_words
from bot.overall_scores import overall_score
from bot.pinyin import digit_words, hanzi_of, not_for_eight
from bot.rating_words import word_rating
from bot.redaction import redact
from bot.roman_numerals import roman_as_digits
from bot.spelled_letters import letters_joined
from bot.spoken_marks import marks_typed, unhashtagged
from bot.survey import Reply, SurveyState
from bot.typed_reasons import typed_reason
from bot.yes_no import parse_yes_no
from nlu.denials import denials, done_changes
from nlu.normalize import normalize, warm_up
from nlu.spelling import correct

N = 16_384
BOUND_S = 1.0
"""Thread CPU for one 16,384-character input: a linear reading takes up to 0.4-0.5 s on a loaded 2-core
machine (the engine at a choice on "asterisks on lines", 2026-12-07: 0.5 s flaked); a quadratic one
seconds (1.4 s on 4,000 line breaks, 32 s on 20,000; 2 s on "nps" and 16,384 spaces)."""
SHORT_BOUND_S = 0.1
"""The bound for an input no longer than 300 characters (the longest reply read with a score)."""
HOSTILE = {
    "spaces": " " * N,
    "tabs": "\t" * N,
    "tabs then a thank-you": "5" + "\t" * N + "thanks!",
    "commas": "，" * N,
    "ideographic spaces": "\u3000" * N,
    "question marks": "?" * N,
    "question marks and letters": "?a" * (N // 2),
    "semicolons": ";" * N,
    "one long word": "a" * N,
    "haha": "ha" * (N // 2),
    "not not not": "not " * (N // 4),
    # shapes of the rules of the twenty-third set: Roman numerals, asides in brackets, a yes or no taken
    # back, the question's word asked back before a score
    "roman numerals": "IV " * (N // 3),
    "roman signs": "\u2163" * N,
    "asides": "4 (was 5) " * (N // 10),
    "open brackets": "4 " + "(" * N + "1)",
    "yes wait no": "yes wait no " * (N // 12),
    "taken back zh": "是，不对，" * (N // 5),
    "recommend asked": "recommend? " * (N // 11),
    "easy asked": "easy?" + " " * N + "x",
    "full marks first": "满分" + " " * N + "10",
    "if rated": "打分的话" * (N // 4),
    "thanks, thanks": "thanks, " * (N // 8),
    # the fifteenth blind set's shapes: a letter's rating words, pinyin, chat's digits, a story's clauses
    "i rate it": "i rate it " * (N // 10),
    "pinyin": "hen " * (N // 4),
    "sixes": "666 " * (N // 4),
    "and then": "and then " * (N // 9),
    "wrong star": "wrong star, " * (N // 12),
    "5 5 5": "5 " * (N // 2),
    "digits": "9" * N,
    "stars": "⭐" * N,
    "spaces and line breaks": " \n" * (N // 2),
    "line breaks": "\n" * N,  # an e-mail's signature searched from every line break: 32 s on 20,000
    "line breaks and tabs": "\n\t" * (N // 2),
    "a letter, spaces, a word": "a" + " " * N + "x",  # a choice by letter: 2.4 s
    "a pick, spaces, a letter": "option" + " " * N + "b" + " " * N + "x",
    # as long as a score is read (60): split into a unit said again and separators every way (1.5 s)
    "marks then a letter": "!" * 59 + "x",
    "commas then a letter": "、" * 59 + "x",
    # shapes of the rules of the eighth typed-answer set: pinyin scores, "I meant to", doubled words
    "pinyin scores": "wu xing " * (N // 8),
    "pinyin syllables": "wu " * (N // 3),
    "meant to, meant to": "i meant to " * (N // 11),
    "too much, too much": "5 is too much " * (N // 14),
    "sentences": "7. " * (N // 3),
    "doubled characters": "轻轻" * (N // 2),
    "corrections in Traditional": "評分打錯了，" * (N // 6),
    # shapes of the rules of the ninth set: greetings with faces, sighs, a score given named wrong,
    # "only if", jokes taken back, another scale, an article before an intensifier
    "greetings and faces": "hello 👋 " * (N // 8),
    "faces then a score": "morning" + " 🙂" * (N // 2) + " 4",
    "sighs": "pfff " * (N // 5),
    "gave but": "i gave 2 but " * (N // 13),
    "only if": "5 but only if " * (N // 14),
    "just kidding": "5 just kidding " * (N // 15),
    "another scale": "满分5分给" * (N // 5),
    "an absolute": "an absolute " * (N // 12),
    # shapes of the rules of the tenth set: faces beside a score, a form's fields
    "faces then a letter": "2 " + "😞" * N + "x",
    "faces and spaces": "x " + "😞 " * (N // 2) + "x",
    "field names": "comment: " * (N // 9),
    # shapes of the rules of the eleventh set: quotes of the question, fillers, said commas, ZWJ emoji,
    # a question pasted without quotes, ranges of Chinese numerals
    "re lines": "Re: how satisfied? " * (N // 19),
    "re line unended": "Re: " + "how " * (N // 4),
    "pasted question": "How satisfied " + "are you " * (N // 8) + "?",
    "pasted questions zh": "您满意吗？" * (N // 5),
    "bold question unclosed": "*" + "how satisfied " * (N // 14),
    "fillers": "uh um " * (N // 6),
    "fillers glued": "ummmm" * (N // 6),
    "said commas": "five comma " * (N // 11),
    "joined emoji": "🤦\u200d♀" * (N // 3),
    "joiners": "\u200d" * N,
    "numeral runs": "六七" * (N // 2),
    "i guess": "2 i guess " * (N // 10),
    # shapes of the rules of the twelfth set: marks before a score, hollow stars, hearts, "outof", chat's
    # words at a comment's edges, a lone word after a correction, 就 after what is to come, line breaks
    "marks then a letter, long": "?!" * (N // 2) + "x",
    "question marks then a score": "?" * N + "5",
    "dots then spaces": "." * (N // 2) + " " * (N // 2) + "3",
    "hollow stars": "☆" * N,
    "hollow stars and a word": "✩" * N + " great",
    "hearts": "五心" * (N // 2),
    "outof": "3outof" * (N // 6),
    "asterisks and marks": "*****" + " " * N + "!!!",
    "chat edges": "tbh " * (N // 4) + "x",
    "chat edge after spaces": "2 x" + " " * N + "ngl",
    "lone word after a correction": "change it to " + "a" * N,
    "laughing after a correction": "wrong button " + "lol " * (N // 4) + "5",
    "once done": "退款到账就" * (N // 5),
    "line breaks between words": "等了\n" * (N // 3) + "2星",
    "mistyped first": "thre " * (N // 5),
    "finger slipped": "my finger slipped, " * (N // 19),
    "4ever": "4ever " * (N // 6),
    "stickers": "[强]" * (N // 3),
    "a long number after a score": "1分，" + "3" * N + "房间",
    "a month before a day": "10 on dec " * (N // 10) + "2",
    "one face repeated": "👍" * N,
    # shapes of the rules of the fourteenth set: spoken marks, hashtags, fields set off by a dash, a
    # letter before 选项, a denied higher score, snails said over
    "spaces then a spoken mark": " " * N + "逗号",
    "spoken marks": "三分 逗号 " * (N // 6),
    "spaces then a spoken period": "five" + " " * N + "period",
    "said commas glued": "a comma " * (N // 8),
    "hashes": "#" * N,
    "hashtags": "#5stars" * (N // 7),
    "a hash then digits": "#" + "4" * N,
    "field names set off by a dash": "reason - " * (N // 9),
    "letters before 选项": "d" + " " * N + "选项",
    "denied higher scores": "不到五分，" * (N // 5),
    "snails": "🐌" * N,
    "which one": "到底哪个是" * (N // 5),
    # shapes of the rules of the sixteenth set: chat marks in pairs and struck through, other languages'
    # words, enclosed digits, faces before a score, sarcasm as a review, a range said on, stars given
    "chat marks": "*a" * (N // 2),
    "struck words": "~5~ " * (N // 4),
    "other languages' words": "le doy 1점 星4つ " * (N // 14),
    "enclosed digits": "❼" * N,
    "faces before a score": "🙂" * N + "4分，小哥辛苦",
    "would again": "would love to be " * (N // 17),
    "a range said on": "5分到" * (N // 3),
    "stars given": "给个" * (N // 2) + "🌟",
    # shapes of the rules of the seventeenth set: apologies for answering late and their marks, a greeting
    # on each line, 在吗, courtesies, an option named as a field, ordinals, what is to be fixed before 就
    "apologies": "so sorry " * (N // 9) + "late, 4",
    "an apology then spaces": "sorry late" + " " * N + "4",
    "sorry then marks": "sorry" + ",-" * (N // 2) + "3",
    "an apology then marks": "不好意思回复晚了" + "，-" * (N // 2) + "4分",
    "greetings on lines": "hi\n" * (N // 3) + "4",
    "are you there": "在吗？" * (N // 3),
    "courtesies": " hai ji" * (N // 7),
    "an option then colons": "other" + ":" * N,
    "an option then dashes": "other" + " - " * (N // 3),
    "ordinals after commas": "4, 2nd" * (N // 6),
    "something fixed before 就": "修好" + "a" * N + "就给10分",
    # OpenCC is handed the pieces between NUL characters and lone surrogates (it stopped at a NUL and
    # raised on a surrogate): one call a piece
    "Traditional between NULs": "滿\x00" * (N // 2),
    "Traditional between lone surrogates": "滿\ud800" * (N // 2),
    # a clause that tells of a change already made ("after I changed my password", "改完密码以后")
    "after changing": "after i changed " * (N // 16),
    "changed then": "改完" * (N // 2) + "以后",
    # shapes of the rules of the eighteenth set: keys beside letters, pinyin homophones, "*" on new lines,
    # groups of a long number, swearing, missed spaces, 您, questions back, "rate ... at", chat's spellings
    "mistyped number words": "fibe " * (N // 5),
    "homophones": "非常满易" * (N // 4),
    "asterisks on lines": "4\n*" * (N // 3) + "5",
    "digit groups": "7731 " * (N // 5) + "09",
    "a digit group then spaces": "7731" + " " * N + "2233 09",
    "swearing": "f***ing " * (N // 8) + "1",
    "missed spaces": "10would" * (N // 7),
    "polite you": "给您" * (N // 2) + "打4分",
    "questions back": "5 but how do " * (N // 13) + "?",
    "rate at": "i would rate the " + "likelihood " * (N // 11) + "at 7",
    "chat spellings": "l8r m8 nice 1 " * (N // 14),
    "k then spaces": "k" + " " * N + "4",
    "and clauses": "1 and " * (N // 6) + "thats generous",
    # shapes of the rules of the nineteenth set: scores with their scale among other numbers, overall,
    # card endings, sizes and rooms, "x2", "still only", "works again", 还没 then 还是, "came back", 不是
    "fractions": "4/5 " * (N // 4),
    "slashes after digits": "4/" * (N // 2),
    "overall words": "overall " * (N // 8) + "4",
    "overall then digits": "总体" + "4 " * (N // 2),
    "card endings": "card ending " * (N // 12) + "5",
    "sizes": "size " * (N // 5) + "40",
    "digits then a room": "1" * N + "房",
    "times": "x2，" * (N // 3) + "5星",
    "still only": "still only " * (N // 11),
    "works then again": "yes, works" + " " * N + "again",
    "not yet then still": "还没，" + "还" * N,
    "came back": "the data" + " " * N + "came back",
    "should be then spaces": "应该是4分" + " " * N + "不是2分",
    # shapes of the rules of the twentieth set: letters spelled out, a question quoted on the reply's line,
    # stars on each side, a denied score before the one given, being busy or having forgotten
    "spelled letters": "f i v e " * (N // 8),
    "dashed letters": "a-" * (N // 2),
    "dotted letters": "F." * (N // 2) + "4",
    "spaced letters then a word": "n o " * (N // 4) + "nope",
    "re then no mark": "Re: " + "how " * (N // 4) + "4",
    "re then spaces": "re:" + " " * N + "? 4",
    "回复 then spaces": "回复：" + " " * N + "8分",
    "a quoted question then spaces": '"how satisfied?"' + " " * N + "- 4",
    "stars then spaces": "🌟" + " " * N + "4" + " " * N + "🌟",
    "denied scores": "not 5... " * (N // 9) + "7",
    "not then spaces": "not 5" + " " * N + "but a 7",
    "busy weeks": "sorry, " + "busy week. " * (N // 11) + "10",
    "busy days in Chinese": "这两天" + "忙" * N + "，给4分",
    "apologies before a score": "不好意思，" * (N // 5) + "七分",
    "shares of a group": "8, " + "3 of my " * (N // 8),
    "ordinals after dashes": "4 - 1st " * (N // 8),
    "meant to be then spaces": "my 4 was" + " " * N + "meant to be a 5",
    "meant first then spaces": "是4分，" + " " * N + "刚才点错了",
    "come again": "下次还" * (N // 3) + "5分",
    # shapes of the rules of the twenty-first set: a long wait before praise, a legend asked, 不能再, chat's
    # "honestly" first, a formal "rate ... as", whom one was happy with, fields named in English, 改 before
    # a score, kaomoji, chat's 家人们 and 啊对对对
    "long waits": "3 hours on hold " * (N // 16) + ", amazing",
    "waited then spaces": "waited" + " " * N + "3 days, great",
    "legend asked": "1 = " + "bad " * (N // 4) + "right?",
    "equals then spaces": "1 =" + " " * N + "right?",
    "no more": "不能再" * (N // 3) + "满意了",
    "chat honestly": "tbh " * (N // 4) + "it was easy",
    "rate as": "i would rate the " + "service " * (N // 8) + "as very good",
    "with the lady": "very happy with the " + "lovely " * (N // 7) + "lady",
    "with then spaces": "very happy" + " " * N + "with the lady on the phone",
    "fields in English": "csat 5 " * (N // 7) + "nps 9",
    "nps then spaces": "nps" + " " * N + "9",
    "改 then a score": "改" * N + "五星",
    "ngl meant": "ngl " * (N // 4) + "i meant 4",
    "no cap then a yes": "no cap " * (N // 7) + "it works now",
    "kaomoji": "(^_^)" * (N // 5),
    "table flips": "(╯°□°）╯︵ ┻━┻" * (N // 12),
    "家人们": "家人们谁懂啊，" * (N // 7) + "1分",
    "啊对对对": "啊对对对" * (N // 4) + "，5分",
    "eggs": "吃" * N + "鸭蛋",
    "older customers": "老头子我" * (N // 4) + "很满意",
    # shapes of the rules of the twenty-second set: chat channels' placeholders, phone lines and transcript
    # labels, later reminders, held digits, ten with letters, Spanish "un ... de", voice notes' fillers
    "sticker placeholders": "[Sticker] " * (N // 10) + "5",
    "sticker then spaces": "[Sticker]" + " " * N + "5",
    "sent from then spaces": "5" + " " * N + "(sent from WhatsApp",
    "sent from lines": "\nsent from my phone" * (N // 19) + "\n5",
    "voice note quoted": 'voice note: "' + "five " * (N // 5),
    "held digits": "4" * N,
    "tens with letters": "l0" * (N // 2),
    "un de": "un " + "9 de " * (N // 5) + "10",
    "seen late": "didn't see it yesterday sorry " * (N // 30) + "- 3",
    "so yeah": "so yeah " * (N // 8) + "i'd give it like a four",
    "没看到": "昨天没看到，" * (N // 6) + "4分",
    "Korean thanks": "4 " + "감사합니다 " * (N // 6),
    # shapes of the rules of the twenty-fourth set: "ok" before words that say nothing, chat's "ill",
    # "gonna" and "cant", "why would i give", 凭什么, a legend asked with a question mark
    "oks then i guess": "ok " * (N // 3) + "i guess",
    "ok then spaces": "ok" + " " * N + "i guess",
    "gonna then give": "gonna " * (N // 6) + "give 4",
    "ill give": "ill give " * (N // 9) + "4",
    "ill say": "ill say " * (N // 8) + "4, slow",
    "cant then give": "cant " * (N // 5) + "give 5",
    "why would": "why would " * (N // 10) + "i give 5",
    "凭什么": "凭什么" * (N // 3) + "给5分",
    "legend then words": "0 = " + "never " * (N // 6) + "?",
    "legend then spaces": "0 =" + " " * N + "never?",
    # the tenth triage blind set's denial: "I know my password" said in Chinese
    "记得 then a password": "记得" * (N // 2) + "密码",
    "密码我还 then 记得": "密码我还" * (N // 4) + "记得",
}
OPTIONS = [("slow", ["Slow response", "响应太慢"]), ("other", ["Something else", "其他"])]
UNHAPPY = Classification("complaint", 0.9, "negative", 0.9)
FLOW = build_flows(load_config(Path(__file__).resolve().parents[2] / "config.yaml"))["csat"]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
AT_RATING = SurveyState("s", "en", "active", "rating")
AT_REASON = SurveyState("s", "en", "active", "reason")
ENTRIES: dict[str, Callable[[str], object]] = {
    "read_rating": lambda t: read_rating(t, "csat", 1, 5),
    "parse_choice": lambda t: parse_choice(t, OPTIONS),
    "is_skip": is_skip,
    "after_correction": after_correction,
    "parse_yes_no": parse_yes_no,
    "typed_reason": lambda t: typed_reason(t, UNHAPPY),
    "FILLERS": lambda t: FILLERS.sub("", t),
    "says_nothing": says_nothing,
    "field_free": field_free,
    "unformatted": unformatted,
    "in_own_words": in_own_words,
    "sarcastic": sarcastic,
    "face before a score": lambda t: without_agreeing_face(t, 2, 3.0, after=False),
    "face after a score": lambda t: without_agreeing_face(t, 2, 3.0, after=True),
    "word_rating": lambda t: word_rating(t, "csat"),
    "engine at the rating": lambda t: advance(FLOW, AT_RATING, Reply(Text(t)), NOW),
    "engine at a choice": lambda t: advance(FLOW, AT_REASON, Reply(Text(t), UNHAPPY), NOW),
    "mask": lambda t: mask(t, {"email", "card", "phone"}),
    "nlu normalize": normalize,
    "spelling": correct,
    "denials": denials,
    "done_changes": done_changes,
    "undenied": undenied,
    "redact": redact,
    "redact every query": lambda t: redact(t, every_query=True),
    "unquoted": unquoted,
    "read_rating on NPS": lambda t: read_rating(t, "nps", 0, 10),
    "marks_typed": marks_typed,
    "unhashtagged": unhashtagged,
    # the fifteenth blind set's readers: pinyin, chat's digits, letters, named and for-now scores
    "hanzi_of": hanzi_of,
    "digit_words": digit_words,
    "not_for_eight": not_for_eight,
    "letter_score": lambda t: letter_score(t, 1, 5, lambda token: number_value(token, 5)),
    "named_score": lambda t: named_score(t, "nps", lambda token: number_value(token, 10)),
    "score_for_now": lambda t: score_for_now(t, lambda head: parse_rating(head, "csat", 1, 5)),
    "without_late_lead": without_late_lead,  # the seventeenth blind set's reader
    "spelled_out": spelled_out,  # the eighteenth blind set's reader
    # the nineteenth blind set's readers: a score named overall, a score with its scale among numbers
    "overall_score": lambda t: overall_score(t, lambda part: parse_rating(part, "csat", 1, 5)),
    "scaled_score": lambda t: scaled_score(t, 5, lambda part: parse_rating(part, "csat", 1, 5)),
    "letters_joined": letters_joined,  # the twentieth blind set's reader
    "channel_free": channel_free,  # the twenty-second blind set's reader
    # the twenty-first blind set's readers: a long wait before praise, a legend asked about
    "praised_wait": praised_wait,
    "RIGHT_ASKED": RIGHT_ASKED.search,
    "roman_as_digits": roman_as_digits,  # the twenty-third blind set's reader
}


@pytest.fixture(scope="module", autouse=True)
def _loaded() -> None:
    warm_up()  # OpenCC and the spelling list load on first use: seconds that are no backtracking


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_no_entry_point_is_slow_on_hostile_text(entry: str) -> None:
    read = ENTRIES[entry]
    slow = {}
    for shape, text in HOSTILE.items():
        start = time.thread_time()
        read(text)
        bound = SHORT_BOUND_S if len(text) <= 300 else BOUND_S
        if (took := time.thread_time() - start) > bound:
            slow[shape] = round(took, 2)
    assert not slow, f"{entry} took too long on hostile input (catastrophic backtracking?): {slow}"


def test_a_long_reply_of_negations_is_no_word_rating_and_no_crash() -> None:
    # "not not not ..." was read one word at a time, recursively: past 1,000 words, a RecursionError
    assert word_rating("not " * 2000 + "good", "csat") is None
    assert word_rating("not good", "csat") == 2

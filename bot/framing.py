"""What chat apps and people put around an answer and says nothing about it: a quote of the
question or an @mention before it ("「客服：请打分」5", "@客服小美 5分"), a phone's signature under it,
a greeting, an "ok" or a thank-you before it ("hi, 5", "好的，五星", "Thanks! 5/5, great")."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.chat_channels import channel_free
from bot.chat_marks import unformatted
from bot.late_replies import without_late_lead
from bot.number_words import EN_WORDS
from bot.spelled_letters import letters_joined

# A thank-you before or after an answer ("5, thanks!", "谢谢，非常满意") is dropped before parsing.
THANKS = (
    r"(?:\b(?:(?:many )?thanks|thank (?:you|u)|thx|ty|tysm|tyvm|cheers|tq|tks|thnx|thanx|thnks|thks"
    # as chat spells it, and in the languages customers mix in ("5 terima kasih", "4 arigatou")
    r"|merci(?: beaucoup)?|danke(?: sch[öo]n)?|(?:muchas )?gracias|arigato|arigatou|terima kasih"
    r"|obrigad[oa]|grazie|감사합니다|고맙습니다|고마워요"  # and Korean: "4 감사합니다"
    r"|(?:much |greatly )?appreciated|appreciate it"
    r"|ta(?= *$))"  # Britain's "ta" (thanks), only at the end: "5 mate, ta"
    r"(?: (?:a lot|so+ much|very much|again|a ton|heaps|a bunch|a million|mate|kindly))?\b"
    r"|(?:谢谢你们|谢谢你|谢谢啦|谢谢|谢啦|谢了|感谢|多谢|(?:小哥哥?|小姐姐|客服|师傅)?辛苦(?:你们|你|您)?(?:了|啦)|唔该|ありがとう(?:ございます)?)"
    r"(?:晒|哂)?(?:亲亲|亲们|亲|客服|小姐姐|小哥哥?|老师)?)"  # Cantonese 唔该(晒), 多谢晒; whom: "谢谢客服"
)  # 辛苦了: "thanks for your trouble"

# A thank-you that a 十分 / 非常 strengthens is no filler: "十分感谢" is "many thanks", not 10 and thanks.
_STRENGTHENED = "".join(f"(?<!{w})" for w in ("十分", "万分", "非常", "特别", "衷心", "很"))
# The marks before a thank-you at the end are read from the first of them, never from each one of a
# long run: that took 1.9 s on 4,096 tabs.
_MARKS = r"[\s!！。.~～,，]"
FILLERS = re.compile(
    rf"^{THANKS}(?:{_MARKS}+|$)|(?:(?<!{_MARKS}){_MARKS}+)?{_STRENGTHENED}{THANKS}[\s!！。.~～]*$"
)
"""A thank-you at the start or the end of a reply."""

# Words beside a score that emphasise it or take leave, and so are no comment on the service: "5 from
# me", "10 hands down", "必须五星", "5 stars, bye".
_NO_COMMENT = re.compile(
    r"(?:from (?:me|us|my side|my end)|(?:for|to) (?:you|u|ya|you guys|you all|y'all)"
    r"|hands down|no doubt|without a doubt|obviously"
    r"|definitely|deffo|defo"  # blind round 24: chat's "deffo" ("10 deffo")
    r"|absolutely|please|pls|plz|bye|bye bye|goodbye|it is|all the way|all day|every time|好评"
    r"|later|laters|cya|see ya|ttyl"  # a goodbye before or after the score: "later 8", "5 cya"
    r"|(?:as |like )?always|as usual|again|already|i think|i guess|i suppose|i reckon"
    r"|i'?d say|id say|i would say|i'?d go|id go|i would go"  # "solid 3 I'd say"
    r"|i (?:should|must) say|(?:thanks? )?for asking"  # an elderly customer's "I should say four"
    r"|(?:如果|要是)让我(?:来)?(?:打分|评分|评价|打|评)的话"  # "如果让我打分的话我给9分": if you ask me
    r"|(?:要)?(?:打分|评分)的话(?:就)?"  # the same without "if you ask me" (blind round 26): "打分的话就5吧"
    r"|i mean it|seriously|no joke|for real|fr|honestly|truly|(?:sorry,? )?typo|my bad"  # "4 i mean it"
    r"|tbh|tbf|to be (?:honest|fair)|if i'?m (?:being )?(?:honest|fair)|ngl|idk|of course|ofc|obvs|duh|no cap"
    r"|no question|without (?:a )?question|fo sho|every ?day|no"  # "no thanks, 4"
    r"|yyds|绝绝子"  # Chinese chat's "the best ever" beside a score: "5分 yyds"
    # teenagers' chat: "8 lowkey", "7 ig", "10/10 fr fr"; 有一说一 (to be fair), 笑死 (lol), 芜湖 (woohoo)
    r"|lowkey|highkey|deadass|srsly|ig|fr fr|ong|idc|u1s1|有一说一|xswl|笑死|芜湖(?:起飞)?"
    r"|lol|lmao|haha+|hehe+|xd+|哈哈+|嘿嘿|hh+|嘻嘻"  # laughter: "5 lol", "5 haha"
    r"|yeah|yep|yup"  # blind round 25: a voice note's "yeah" after it ("a nine yeah")
    r"|have a (?:nice|good|great) (?:day|one|evening|weekend)|good ?night|god bless|晚安"  # farewells
    r"|(?:in )?(?:one|1|a) word"  # "1 word: great"
    r"|in the end|overall|all in all|anyway|anyways"  # a story summed up after it: "5 stars in the end"
    r"|没得说|没话说|没毛病|不解释|妥妥的?|稳稳的?|果断|毫不犹豫|满满的"  # "五星没毛病", "妥妥的五星"
    r"|我觉得|我认为|我感觉|我想"  # "10分吧我觉得", as "i think"
    r"|星星|stars|points"  # the unit named before the score: "星星给五颗"
    r"|bro|bruh|mate|dude|fam|buddy|pal|sis|老铁|兄弟|姐妹"  # whom it is said to: "i give u 5 bro"
    r"|amigo|amiga"  # ... in Spanish: "5 gracias amigo"
    r"|实打实的?"  # "实打实的4分", as 稳稳的
    # "推荐给朋友的话7分", "推荐度的话 8": the question said again
    r"|推荐(?:给(?:朋友|别人|亲友|家人))?的话|(?:推荐度|满意度|容易程度|费力度)的话"
    r"|必须的?|当然(?:是|的)?|肯定(?:是|的)?|绝对(?:是|的)?|全部|全|拜拜|再见"
    # the fourteenth set: a thank-you made stronger ("十分感谢，五星"), "please and" (its thank-you is a
    # filler), "sure thing", a pause for thought ("well, let me think... 4"), an "OK" said twice
    # ("好的好的，五星"), and voice typing's fillers: "呃 那个 给三分", "我说四分 四分" (I say four)
    r"|(?:十分|万分|非常|特别|衷心)感谢|please and|sure(?: thing)?"
    # the fifteenth set: regional English's particles and courtesies beside a score (Singapore and
    # Malaysia "4 lor", "5 lah"; India "3 only", "kindly note"; Nigeria "7 sha", "abeg"; the Philippines
    # "4 po", "ate", "kuya"; Britain "innit"), whom it is said to ("9 sir", "10 ma'am"), and Chinese
    # chat's kisses and laughing-crying after it ("5星 么么哒")
    r"|(?:(?:la|lah|lor|leh|liao|only|sha|abeg|po|ate|kuya|innit|je)(?:[\s,]+|$))+"  # Malay "je": only
    r"|sir|madam|ma'?am|maam|boss|kindly note(?: that)?|么么哒|么么|muah"
    # blind round 20: Hindi's respectful "ji" and "hai ji" (it is, sir), Singlish "confirm" (for sure)
    r"|(?:hai )?ji|confirm(?: plus chop)?|pakka"
    r"|(?:well,? )?let me (?:think|see)|hmm+|好的(?:好的)*|嗯+|呃+|额+|那个|我说)[\s!！.。~～]*"
)
_LONGEST_NOTHING = 60


def says_nothing(comment: str) -> bool:
    """Whether a comment found beside a score is only emphasis, a farewell or a thank-you, in one
    sentence or in a few ("7 from me. Have a nice day")."""
    if len(comment) > _LONGEST_NOTHING:
        return False
    sentences = [s for s in _SENTENCE_END.split(comment) if s.strip()]
    return bool(sentences) and all(_nothing_said(s) for s in sentences)


# A sentence ends at a full stop or an exclamation mark that a space or the end follows ("3.5" is none).
_SENTENCE_END = re.compile(r"[.!！。]+(?=\s|$)")


def _nothing_said(sentence: str) -> bool:
    bare = FILLERS.sub("", sentence.lower()).strip()
    return not bare or _NO_COMMENT.fullmatch(bare) is not None  # "thanks so much" is all thanks


# The names of a form's fields, as customers copy a form into chat ("Rating: 3\nComment: slow",
# "评分：5\n备注：小哥很耐心"): the field a comment is typed in says nothing, and neither does the name
# of the score's own field left beside a word rating ("评价：非常满意").
_COMMENT_FIELD = (
    r"(?:(?:additional |any |other )?(?:comments?|reason|reasons|notes?|why|feedback|remarks?|details?)"
    r"|评价|评论|备注|原因|理由|说明|意见|建议|留言|补充|反馈|原因说明)"
)
_SCORE_FIELD = r"(?:rating|score|stars?|effort|nps|csat|ces|评分|打分|分数|满意度|推荐指数|星级)"
# The name and its value set apart by a colon, or by a dash with spaces around ("Reason - slow").
_FIELD_NAME = re.compile(rf"^\s*{_COMMENT_FIELD}(?:\s*[:：=]|\s+[-–—](?=\s))\s*(?=\S)", re.IGNORECASE)
# Possessive spaces: "nps" and a run of spaces before a "9" was tried at every split of the run (quadratic).
_FIELD_ALONE = re.compile(rf"^\s*(?:{_COMMENT_FIELD}|{_SCORE_FIELD})\s*+(?:[:：=]\s*+)?$", re.IGNORECASE)


def field_free(comment: str) -> str:
    """``comment`` without the name of the form field it was typed in ("Comment: slow" -> "slow");
    empty when it is only a field's name ("评价")."""
    if _FIELD_ALONE.match(comment):
        return ""
    return comment[found.end() :] if (found := _FIELD_NAME.match(comment)) else comment


# What chat apps put before a reply: WeChat's quote of the message answered ("「客服：请打分」" and its
# dashed rule), "回复 客服：", and @mentions ("@客服小美 5分").
_QUOTED = re.compile(
    r"^\s*(?:「[^」\n]*[:：][^」\n]*」\s*(?:-[\s-]*\n)?|回复\s*[^\s:：]{1,20}\s*[:：]|@[^\s@]{1,20}[\s\u2005]+"
    r"|>[^\n]*\n"  # "> How satisfied were you?" quoted on its own line, as mail and markdown do
    # a mail's "Re: How satisfied...?" on a line of its own
    r"|(?:[Rr][Ee]|回复|引用)\s*[:：][^\n]*\n"  # even without its question mark: "Re: How satisfied are you"
    # ... or on its own line up to the question mark: "Re: Did this solve it? no", "回复：您满意吗？ 5分"
    r"|(?:[Rr][Ee]|回复|引用)\s*[:：][^?？\n]{1,120}[?？][ \t]*+(?:[-–—:：][ \t]*+)?"
    r"|回复\s*[:：]\s*"  # "回复：推荐度 8分"
    # the question pasted in quotes: "“您满意吗？” 5"
    # ("*How ...?*": WhatsApp bold), and a dash or colon after it: '"How likely ...?" - 8'
    r"|[\"“「『*][^\"“”「」『』*\n]{1,120}[?？][\"”」』*][ \t]*+(?:[-–—:：][ \t]*+)?"
    # a Chinese question quoted without its mark: "“问题解决了吗” 解决了"
    r"|[“「『][^\"“”「」『』*\n]{1,60}[吗呢][”」』]\s*"
    # the rating question itself pasted before the answer, with no quotes: "How satisfied are you with
    # the help you received? 5", "您对本次服务满意吗？ 5分" (a question of the customer's own stays a comment)
    r"|(?i:how) (?:satisfied|likely|easy|happy|difficult|hard)\b[^?？\n]{0,120}[?？]\s+(?:[-–—:：][ \t]*+)?"
    # the question's word asked back before a score: "recommend you? 10", "easy? 2"
    r"|(?i:recommend(?: (?:you|us|u))?|satisfied|easy)[?？][ \t]++(?=\d)"
    r"|(?:解决)?[您你][^?？\n]{0,40}(?:满意|推荐|容易|满不满意)[^?？\n]{0,10}[吗呢]?[?？]\s*)+"
)
# What a phone adds under a message ("Sent from my iPhone", "发自我的iPhone", "来自小米手机"), and a
# letter's sign-off with the name after it ("Kind regards, Margaret", "此致 敬礼"), on a line of their own
# or after a dash rule ("5 -- Sent from my Galaxy", "8分 -- 张先生"). A single dash is no rule there:
# "4 - 2 hours on hold" is a score and a comment. The name is a few words at most.
_SIGN_OFF = r"(?:kind |best |warm )?regards\b|best wishes\b|yours (?:sincerely|truly|faithfully)\b|此致"
_RULE = (  # each starts at the first of a run of spaces, never inside it: 4,096 spaces are read once
    r"(?:\n|(?<![ \t])[ \t]*+(?:(?<![-—])(?:-{2,}+|—++)|(?<=[\s.,，。])-(?!-))"
    # a space or a full stop before a phone's line: "4分。发自我的iPhone"
    rf"|(?<![\s,，.。])[\s,，.。]*(?={_SIGN_OFF})"
    r"|(?<![ \t.。])(?:[ \t]+|[.。][ \t]*)(?=sent from my|发自我的))"
)
_SIGNED = (
    r"(?:sent from my|发自我的|来自(?:我的)?(?=\S{1,12}(?:手机|客户端)\s*$))[^\n,，]{0,40}"
    r"|(?:(?:kind |best |warm )?regards|best wishes|yours (?:sincerely|truly|faithfully))[,，]?"
    r"(?:[ \t]+[A-Za-z][\w.'-]{0,20}){0,4}"
    r"|此致[\s,，]*敬礼"
)
_SIGNATURE = re.compile(
    rf"{_RULE}[ \t]*+(?:{_SIGNED})[ \t.。!！]*$"
    r"|(?<![ \t])[ \t]++(?:-{2,}+|—{2,}+)[ \t]*+[^\s\d,，.。!！?？-]{1,12}[ \t]*$",  # "8分 -- 张先生"
    re.IGNORECASE,
)


# A greeting or an acknowledgement before the reply says nothing about the score: "hi, 5", "ok 4 stars",
# "好的，5分", "嗯 五星". (A greeting alone, or "ok" alone, is read as before: it is not stripped.)
_FACE = "[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]+"  # "hi 👋", "morning 🙂"
_GREETING = (
    r"(?:hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening|day))"
    rf"(?: (?:there|guys|team|all|everyone|dear|folks))?(?:[\s,，!！.。~～:：]*+{_FACE})?[\s,，!！.。~～:：]+"
    # the time of day alone only set off by a face or a mark ("morning delivery was late, 2" says when)
    rf"|(?:morning|afternoon|evening)(?:\s*+{_FACE}|\s*+[,，!！.。~～:：])[\s,，!！.。~～:：]*"
    r"|(?:您好|你好|嗨|哈喽|哈啰|早上好|上午好|下午好|晚上好)(?:{_FACE})?(?:[\s,，!！.。~～:：]+|(?=\d))"
    r"|(?:在吗|在么|在嘛|在不在)[\s,，!！.。~～:：?？]+"  # "在吗\n4分": are you there?
    # a letter's salutation: "Dear Sir/Madam,", "Dear team,", "尊敬的客服："
    r"|dear (?:sir(?:/| or )madam|sir|madam|team|all|support|customer (?:service|care|support)|[a-z]{2,20})"
    r"[,，:：]\s*"
    r"|尊敬的[^\s,，:：!！.。]{1,10}[,，:：]\s*"
)
_HELLO = re.compile(
    rf"^\s*(?:{_GREETING}|(?:(?:ok|okay)(?: fine)?|sure(?: thing)?|yes|yeah|yep|ya|yah"
    r"|uh+|um+|hm+|eh+|er+|erm|pf+t?"
    r"|abeg|kindly note(?: that)?"  # Nigeria's "abeg" (please), India's "kindly note": "abeg 5"
    r"|ugh+|sigh|welp|oof)[\s,，!！.。~～:：…]+(?!(?:la|lah|lor|leh)\b)"  # "sure thing! 5", "ok fine 7"
    r"|(?:嗯+|恩+|好的|好吧|好滴|行|额|呃|emm+)(?:[\s,，!！.。~～:：…]+|(?=\d))"
    rf"|{THANKS}\s*[,，!！.。~～]+\s*)"  # "Thanks! 5/5, great"; "thanks for the help, 5" keeps its words
    r"(?=\S)",
    re.IGNORECASE,
)
# Only a greeting before a choice: "yes no" is no "no", and "ok, no" is a no either way.
HELLO_ONLY = re.compile(rf"^\s*(?:{_GREETING})(?=\S)", re.IGNORECASE)


# Voice typing writes the sounds one makes while thinking as words of their own ("um like a four I
# guess", "so like uh a two", "嗯 四分吧", "那个 呃 五分", a sigh: "给3分吧，唉"): they say nothing wherever
# they stand.
_HESITATION = re.compile(
    r"(?<![^\s,，.。!！?？…])(?:u+h+|u+m+|e+r+m*(?!\s*(?:fen|xing)\b)|h+m+|嗯+|呃+|唉+)(?:[\s,，.。!！…]+|$)",
    re.IGNORECASE,
)


# ... and the comma said aloud between a number word and the words after it: "three comma the app crashed".
_SAID_COMMA = re.compile(r"\b(" + EN_WORDS + r") comma (?=\S)", re.IGNORECASE)


def unquoted(text: str) -> str:
    """``text`` without a quote of the question or a mention before it, an apology for answering late
    ("sorry late, 4"), the sounds of thinking in it, or chat formatting marks around its words ("*5*分")."""
    text = _settled(letters_joined(unformatted(text)), _without_quote, without_late_lead)
    return _SAID_COMMA.sub(r"\1, ", _HESITATION.sub("", text)).strip() or text


def unframed(text: str) -> str:
    """``text`` without a quote or a mention before it, a signature under it, or a greeting before it."""
    text = _SIGNATURE.sub("", unquoted(channel_free(text))) or text
    return _settled(text, _without_hello, without_late_lead)  # "hey there, sorry for the delay, I'd say 4"


PASSES = 3
"""The most passes :func:`_settled` makes: each pass costs one scan of the text, so hostile text is
still read in linear time."""


def _settled(text: str, *steps: Callable[[str], str]) -> str:
    """``text`` with ``steps`` (each strips a lead, or gives its text back) applied in turn, pass after
    pass until one changes nothing, at most :data:`PASSES`: each may uncover a lead another strips
    ('just saw this. "How satisfied...?" 5', "hi\nhello\n4": one greeting on each line)."""
    for _ in range(PASSES):
        before = text
        for step in steps:
            text = step(text)
        if text == before:
            break
    return text


def _without_quote(text: str) -> str:
    return _QUOTED.sub("", text, count=1) or text


def _without_hello(text: str) -> str:
    rest = _HELLO.sub("", text, count=1)
    # what is left says nothing ("ok i guess", "okay tbh"): the "ok" was the answer, not a lead to one
    return text if rest != text and says_nothing(rest) else rest


def without_signature(text: str) -> str:
    """``text`` without a phone's signature or a letter's sign-off under it ("yes -- Sent from my iPhone")."""
    return _SIGNATURE.sub("", text) or text

"""What a customer says before an answer given late, after the reminder: an apology for the delay or
why it came late ("sorry late, 4", "just saw this. 9", "不好意思回复晚了，4分", "收到提醒了，5星"). It says
nothing of the answer, so it is no comment and no reason; the answer after it is read as if alone."""

from __future__ import annotations

import re

_SORRY = (
    r"(?:(?:so|very|really|terribly) )?(?:so+r+y|sry|soz|apologies|my apologies|apologi[sz]e|pardon|oops)"
)
# The delay itself: "late", "late reply", "for the delay", "for replying so late".
_LATE = (
    r"(?:(?:for )?(?:the |my |this )?(?:late|delayed|slow)(?: (?:reply|response|answer|one))?"
    r"|(?:for )?(?:the |my )?delay|(?:for )?(?:being|replying|answering|responding) (?:so )?late"
    r"|(?:i'?m |im |i am )?(?:so )?late)"
)
# Why it came late: just seen, the reminder, busy elsewhere, forgotten.
_WHY = (
    r"(?:(?:i )?(?:just|only) (?:saw|seen|got|read|noticed) (?:this|it|that|the (?:message|msg|text|reminder)"
    r"|your (?:message|msg|text|reminder))(?: (?:just )?now| today| this morning)?"
    # blind round 25: "didn't see it yesterday", "saw this late"
    r"|(?:i )?(?:didn'?t|did not|never) (?:see|saw|get|got|notice|noticed)"
    r" (?:this|it|your (?:message|msg|text|reminder))"
    r" (?:yesterday|earlier|last night|before|until (?:now|today))"
    r"|(?:i )?saw (?:this|it|your (?:message|msg|text)) (?:too |so |really )?late"
    r"|(?:i )?(?:only )?(?:saw|seen|noticed) (?:this|it|your (?:message|msg)) (?:just )?now"
    r"|(?:i )?(?:just |only )?got (?:the|your) reminder"
    r"|(?:i )?(?:was|been|have been|'ve been|ve been) (?:driving|travell?ing|busy|away|at work|sick|offline)"
    r"|(?:i )?forgot to (?:reply|answer|respond)"
    # forgetting alone only set off by a mark: "Sorry!! totally forgot. 4" ("forgot my password, 3" says what)
    r"|(?:i )?(?:totally |completely )?forgot(?=[ \t]*+[,.!…\-])"
    r"|(?:(?:it'?s been|been|had|what) )?(?:a |such a )?(?:busy|crazy|hectic|long) (?:week|day|few days))"
)
# "sorry" alone is no lead: "sorry, should be 3" corrects a score.
_EN = (
    rf"{_SORRY}[ \t,.!]+(?:{_LATE}(?:[ \t,.!]+{_WHY})?|{_WHY})"
    rf"|(?:late (?:reply|response|answer)|{_WHY})(?:[ \t,]+{_SORRY})?"  # "didn't see it yesterday sorry - 3"
)
# In Chinese: 不好意思 / 抱歉 / 对不起 with the delay or why ("不好意思回复晚了", "抱歉才看到消息"), or the
# delay or why alone ("刚看到", "收到提醒了", "忘了回了"). 不好意思 alone is no lead: "不好意思，是4分"
# corrects.
_ZH_SORRY = r"(?:不好意思|抱歉|对不起|對不起|sorry)"
_ZH_LATE = (
    r"(?:(?:回[复覆]?|回答)(?:得)?(?:晚|迟|遲)了?(?:点|點|一点|一點|些)?|晚回了?|(?:晚|迟|遲)了(?:点|點|一点|一點|些)?"
    r"|(?:今天|今早|现在|現在)?才(?:回[复覆]?|看到|看见|看見)(?:消息|信息|訊息)?)"
)
_ZH_WHY = (
    r"(?:(?:刚才?|剛才?|才)(?:看到|看见|看見)(?:消息|信息|訊息|提醒)?|收到(?:了)?(?:你们的|你們的)?提醒(?:了)?"
    r"|(?:刚才?|剛才?)在(?:开车|開車|忙|上班|开会|開會)|忘了回(?:[复覆]|答)?了?"
    r"|(?:刚|剛)(?:下班|忙完|睡醒|到家)"  # "刚下班，给3分"
    r"|(?:昨天|之前|前两天|前兩天)没(?:看到|看见|看見|注意到)(?:消息|信息|提醒)?"  # "昨天没看到，4分"
    r"|(?:这两天|這兩天|这几天|這幾天|最近)(?:太|有点|有點|比较|比較|很|一直)?忙了?)"
)
_ZH = rf"{_ZH_SORRY}[ \t,，]*(?:{_ZH_LATE}|{_ZH_WHY})(?:[ \t,，]*{_ZH_WHY})?|{_ZH_LATE}|{_ZH_WHY}"
# The lead ends at a mark or a space before the answer; each alternative is tried once at the start.
_LATE_LEAD = re.compile(
    rf"^[ \t]*+(?:{_EN}|{_ZH})(?:[ \t]*+(?:but(?![a-z])|啊|哈|呀))?"
    r"(?:[ \t]*+[,，.。!！:：;；~～…\-–—]++[ \t]*+|[ \t]++)(?=\S)",
    re.IGNORECASE,
)

_LEAD_ONLY = re.compile(rf"^(?:{_LATE}|{_WHY}|{_ZH_LATE}|{_ZH_WHY})[ \t.!。！]*$", re.IGNORECASE)


def without_late_lead(text: str) -> str:
    """``text`` without an apology for answering late or the reason it came late before the answer;
    ``text`` itself when nothing but more of that lead follows ("sorry late" alone is no answer)."""
    rest = _LATE_LEAD.sub("", text, count=1)
    return text if not rest or _LEAD_ONLY.match(rest) else rest

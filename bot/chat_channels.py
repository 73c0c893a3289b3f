"""What a chat channel writes into a reply that the customer did not type: WhatsApp's and Telegram's
"[Sticker]" and a forwarded message's "[Forwarded message]", WeChat's "[表情]", "[动画表情]" and "[转发]", a
voice note's transcript label ("voice note:", 语音转文字：), and a phone's line under or above the reply
("Sent from my iPhone" on a line of its own, "(sent from WhatsApp)", 来自我的iPhone). They say nothing of
the answer: "5 [Sticker]" is 5 with no comment; "[Sticker]" alone is still no answer."""

from __future__ import annotations

import re

# A placeholder the app writes for what it cannot show as text, anywhere in the reply.
_PLACEHOLDER = re.compile(
    r"\[(?:stickers?|gif|forwarded(?: message)?|表情|动画表情|表情包|转发|轉發)\][ \t]*+", re.IGNORECASE
)
# A voice note's transcript label at the start, and the quotes around what was said.
_TRANSCRIPT = re.compile(
    r"^[ \t]*+(?:voice (?:note|message)|transcript(?:ion)?|语音转文字|语音转写|語音轉文字)[ \t]*+[:：][ \t]*+"
    r"(?:[\"“「](?P<said>[^\"“”「」\n]{1,60})[\"”」][ \t]*+$)?",
    re.IGNORECASE,
)
# A phone's or an app's line: alone on the first or the last line, or in brackets after the reply (a run
# of spaces before the bracket is tried from its first space only: 16,384 spaces are read once).
_PHONE_LINE = r"(?:sent (?:from|via) (?:my )?[^\n]{1,30}|(?:发自|来自)我的[^\n]{1,20})"
_PHONE = re.compile(
    rf"^[ \t]*+{_PHONE_LINE}\n|\n[ \t]*+{_PHONE_LINE}$|(?<![ \t])[ \t]*+[(（]{_PHONE_LINE}[)）][ \t]*+$",
    re.IGNORECASE,
)


def channel_free(text: str) -> str:
    """``text`` without what the chat channel wrote into it; ``text`` itself when nothing else is left."""
    if "[" in text:
        text = _PLACEHOLDER.sub("", text).strip() or text
    if (said := _TRANSCRIPT.match(text)) is not None:
        text = said["said"] or text[said.end() :] or text
    return _PHONE.sub("", text).strip() or text

"""The "Did this solve it?" question of an automatic answer, drawn natively by every channel: reply
buttons on WhatsApp, an inline keyboard on Telegram, a tappable menu on WeChat, a button card on
WeCom when it fits; its taps come back as the answer's id, step ``helped`` and ``yes`` or ``no``."""

from __future__ import annotations

import pytest

from adapters.telegram import callback
from adapters.telegram.render import render as telegram
from adapters.wechat.render import official_bodies, wecom_bodies
from adapters.wechat.wire import parse_option_key
from adapters.whatsapp.ids import decode_option
from adapters.whatsapp.render import render as whatsapp
from bot.prompts import AskChoice, Option

LABELS = {"en": ("Yes, solved", "No, I need a person"), "zh-CN": ("解决了", "没有，转人工")}
REPLY = {
    "en": "Reset it in Settings.\n\nDid this solve it?",
    "zh-CN": "请在设置中重置。\n\n这解决您的问题了吗？",
}


def question(locale: str) -> AskChoice:
    yes, no = LABELS[locale]
    return AskChoice("Ab3_-x9Z", "helped", REPLY[locale], (Option("yes", yes), Option("no", no)))


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_whatsapp_reply_buttons(locale: str) -> None:
    [message] = whatsapp(question(locale), "8613800000001")
    interactive = message["interactive"]
    assert interactive["type"] == "button" and interactive["body"]["text"] == REPLY[locale]
    buttons = interactive["action"]["buttons"]
    assert [b["reply"]["title"] for b in buttons] == list(LABELS[locale])
    refs = [decode_option(b["reply"]["id"]) for b in buttons]
    assert [(r.survey, r.step, r.value) for r in refs if r] == [
        ("Ab3_-x9Z", "helped", v) for v in ("yes", "no")
    ]


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_telegram_inline_keyboard(locale: str) -> None:
    [message] = telegram(question(locale), "42")
    assert (message.method, message.params["text"]) == ("sendMessage", REPLY[locale])
    keyboard = message.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in keyboard] == [[label] for label in LABELS[locale]]
    assert [callback.unpack(row[0]["callback_data"]) for row in keyboard] == [
        callback.Answer("Ab3_-x9Z", "helped", v) for v in ("yes", "no")
    ]


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_wechat_menu_and_wecom_card(locale: str) -> None:
    [menu] = official_bodies("openid", question(locale))
    assert menu["msgtype"] == "msgmenu" and menu["msgmenu"]["head_content"] == REPLY[locale]
    items = menu["msgmenu"]["list"]
    assert [i["content"] for i in items] == list(LABELS[locale])
    assert [parse_option_key(i["id"]) for i in items] == [("Ab3_-x9Z", "helped", v) for v in ("yes", "no")]
    [body] = wecom_bodies("member", 1000002, question(locale), lambda: "task1")
    if locale == "zh-CN":  # short enough for a WeCom card title: buttons
        keys = [b["key"] for b in body["template_card"]["button_list"]]
        assert [parse_option_key(k) for k in keys] == [("Ab3_-x9Z", "helped", v) for v in ("yes", "no")]
    else:  # too long for a card title: numbered, answered by typing ("1", "yes", "no")
        assert body["text"]["content"].endswith("\n1. Yes, solved\n2. No, I need a person")

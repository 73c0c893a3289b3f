"""Prompts to the exact JSON bodies of ``message/custom/send`` (OA) and ``message/send`` (WeCom)."""

from __future__ import annotations

import pytest

from adapters.wechat.render import MENU_ITEMS, official_bodies, split_text, wecom_bodies
from bot.prompts import AskChoice, AskRating, AskText, End, Option, Prompt, Say, Scale

SID = "Ab3_-x9Z"
CSAT = AskRating(
    SID,
    "rating",
    "How satisfied are you with the help you received?",
    Scale("csat", 1, 5, "very dissatisfied", "very satisfied"),
    tuple(Option(str(v), "⭐" * v) for v in range(1, 6)),
    hint="Tap a star or reply 1-5.",
)
NPS = AskRating(
    SID,
    "score",
    "How likely are you to recommend us?",
    Scale("nps", 0, 10, "not at all likely", "extremely likely"),
    tuple(Option(str(v), str(v)) for v in range(11)),
    hint="Reply with a number from 0 to 10.",
)
CES = AskRating(
    SID,
    "effort",
    "解决您的问题容易吗？",
    Scale("ces", 1, 7, "非常困难", "非常容易"),
    tuple(Option(str(v), str(v)) for v in range(1, 8)),
    hint="请点选，或回复数字 1-7。",
)
REASON = AskChoice(
    SID,
    "reason",
    "What went wrong?",
    (Option("slow", "Slow response"), Option("other", "Other")),
    hint="Tap an option or reply with its number.",
)
REASON_ZH = AskChoice(
    SID,
    "reason",
    "主要是哪方面的问题？",
    (Option("slow", "响应太慢"), Option("other", "其他")),
    hint="请点选。",
)


def task() -> str:
    return "csatbot-task"


def oa_text(content: str) -> dict[str, object]:
    return {"touser": "oU", "msgtype": "text", "text": {"content": content}}


def wecom_text(content: str) -> dict[str, object]:
    return {"touser": "u1", "msgtype": "text", "agentid": 7, "text": {"content": content}}


def test_oa_csat_is_a_menu_with_anchors_at_both_ends() -> None:
    assert official_bodies("oU", CSAT) == [
        {
            "touser": "oU",
            "msgtype": "msgmenu",
            "msgmenu": {
                "head_content": "How satisfied are you with the help you received?",
                "list": [
                    {"id": "a:Ab3_-x9Z:rating:1", "content": "⭐ (very dissatisfied)"},
                    {"id": "a:Ab3_-x9Z:rating:2", "content": "⭐⭐"},
                    {"id": "a:Ab3_-x9Z:rating:3", "content": "⭐⭐⭐"},
                    {"id": "a:Ab3_-x9Z:rating:4", "content": "⭐⭐⭐⭐"},
                    {"id": "a:Ab3_-x9Z:rating:5", "content": "⭐⭐⭐⭐⭐ (very satisfied)"},
                ],
                "tail_content": "Tap a star or reply 1-5.",
            },
        }
    ]


def test_oa_ces_and_choices_are_menus() -> None:
    [ces] = official_bodies("oU", CES)
    assert [item["content"] for item in ces["msgmenu"]["list"]] == [
        "1 (非常困难)", "2", "3", "4", "5", "6", "7 (非常容易)"
    ]  # fmt: skip
    assert official_bodies("oU", REASON) == [
        {
            "touser": "oU",
            "msgtype": "msgmenu",
            "msgmenu": {
                "head_content": "What went wrong?",
                "list": [
                    {"id": "a:Ab3_-x9Z:reason:slow", "content": "Slow response"},
                    {"id": "a:Ab3_-x9Z:reason:other", "content": "Other"},
                ],
                "tail_content": "Tap an option or reply with its number.",
            },
        }
    ]


def test_nps_has_too_many_options_for_a_menu_or_card_and_is_typed_with_every_value() -> None:
    assert len(NPS.options) > MENU_ITEMS
    text = (
        "How likely are you to recommend us?\n0 = not at all likely, 10 = extremely likely\n"
        "Reply with a number from 0 to 10."
    )
    assert official_bodies("oU", NPS) == [oa_text(text)]
    assert wecom_bodies("u1", 7, NPS, task) == [wecom_text(text)]


def test_wecom_csat_is_a_button_card_titled_by_the_hint_when_the_question_is_long() -> None:
    assert wecom_bodies("u1", 7, CSAT, task) == [
        {
            "touser": "u1",
            "msgtype": "template_card",
            "agentid": 7,
            "template_card": {
                "card_type": "button_interaction",
                "main_title": {"title": "Tap a star or reply 1-5."},
                "sub_title_text": "How satisfied are you with the help you received?\n"
                "1 = very dissatisfied, 5 = very satisfied",
                "task_id": "csatbot-task",
                "button_list": [
                    {"text": "⭐" * v, "style": 1, "key": f"a:Ab3_-x9Z:rating:{v}"} for v in range(1, 6)
                ],
            },
        }
    ]


def test_wecom_choices_with_short_labels_are_buttons_and_long_labels_are_numbered() -> None:
    [short] = wecom_bodies("u1", 7, REASON_ZH, task)
    assert short["template_card"] == {
        "card_type": "button_interaction",
        "main_title": {"title": "主要是哪方面的问题？", "desc": "请点选。"},
        "task_id": "csatbot-task",
        "button_list": [
            {"text": "响应太慢", "style": 1, "key": "a:Ab3_-x9Z:reason:slow"},
            {"text": "其他", "style": 1, "key": "a:Ab3_-x9Z:reason:other"},
        ],
    }
    [long] = wecom_bodies("u1", 7, REASON, task)  # "Slow response" is over 10 characters
    assert long["template_card"] == {
        "card_type": "button_interaction",
        "main_title": {"title": "What went wrong?", "desc": "Tap an option or reply with its number."},
        "sub_title_text": "1. Slow response\n2. Other",
        "task_id": "csatbot-task",
        "button_list": [
            {"text": "1", "style": 1, "key": "a:Ab3_-x9Z:reason:slow"},
            {"text": "2", "style": 1, "key": "a:Ab3_-x9Z:reason:other"},
        ],
    }


def test_wecom_ces_has_more_options_than_a_card_has_buttons() -> None:
    assert wecom_bodies("u1", 7, CES, task) == [
        wecom_text("解决您的问题容易吗？\n1 = 非常困难, 7 = 非常容易\n请点选，或回复数字 1-7。")
    ]


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        (
            AskText(SID, "comment", 'Anything else?\nReply "skip" to skip.', optional=True),
            'Anything else?\nReply "skip" to skip.',
        ),
        (Say("Hi! Tell us how we can help."), "Hi! Tell us how we can help."),
        (End(SID, "Thank you for your feedback!"), "Thank you for your feedback!"),
    ],
)
def test_texts(prompt: Prompt, text: str) -> None:
    assert official_bodies("oU", prompt) == [oa_text(text)]
    assert wecom_bodies("u1", 7, prompt, task) == [wecom_text(text)]


def test_an_empty_end_sends_nothing() -> None:
    assert official_bodies("oU", End(SID, "")) == []
    assert wecom_bodies("u1", 7, End(SID, ""), task) == []


def test_labels_too_long_for_a_menu_line_are_numbered_and_listed_in_the_question() -> None:
    long = "响" * 50  # 150 bytes
    prompt = AskChoice(SID, "reason", "为什么？", (Option("a", long), Option("b", "短")), hint="请回复编号。")
    [body] = official_bodies("oU", prompt)
    assert body["msgmenu"] == {
        "head_content": f"为什么？\n1. {long}\n2. 短",
        "list": [
            {"id": "a:Ab3_-x9Z:reason:a", "content": "1"},
            {"id": "a:Ab3_-x9Z:reason:b", "content": "2"},
        ],
        "tail_content": "请回复编号。",
    }


def test_too_many_options_or_too_long_ids_become_numbered_text() -> None:
    many = AskChoice(
        SID,
        "pick",
        "Which one?",
        tuple(Option(f"o{n}", f"Option {n}") for n in range(12)),
        hint="Reply with its number.",
    )
    [body] = official_bodies("oU", many)
    lines = body["text"]["content"].split("\n")
    assert lines[0] == "Which one?" and lines[-1] == "Reply with its number."
    assert lines[1:-1] == [f"{n + 1}. Option {n}" for n in range(12)]  # nothing dropped
    long_ids = AskChoice(SID, "s" * 32, "Which?", (Option("x" * 32, "X"), Option("y", "Y")))
    assert official_bodies("oU", long_ids) == [oa_text("Which?\n1. X\n2. Y")]  # menu ids are at most 64 bytes
    assert wecom_bodies("u1", 7, long_ids, task)[0]["msgtype"] == "template_card"  # card keys take 1024


def test_a_card_whose_question_and_hint_are_both_too_long_for_its_title_is_text() -> None:
    wordy = AskChoice(SID, "reason", "Q" * 40, (Option("a", "A"),), hint="H" * 40)
    assert wecom_bodies("u1", 7, wordy, task) == [wecom_text(f"{'Q' * 40}\n1. A\n{'H' * 40}")]


def test_long_texts_are_split_at_line_breaks_within_2048_bytes() -> None:
    text = "\n".join(f"第{n}行：" + "很长的回复" * 20 for n in range(30))
    bodies = official_bodies("oU", Say(text))
    parts = [b["text"]["content"] for b in bodies]
    assert len(parts) > 1 and all(len(p.encode()) <= 2048 for p in parts)
    assert "\n".join(parts) == text
    assert split_text("x" * 5000, 2048) == ["x" * 2048, "x" * 2048, "x" * 904]
    assert split_text("  ") == []

"""Prompts rendered as the Cloud API expects them, within WhatsApp's limits, with fallbacks."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.whatsapp.fake import message_problem
from adapters.whatsapp.render import (
    CAPABILITIES,
    render,
    split_text,
    start_payload,
    template_message,
    width,
)
from bot.config.channels import WhatsAppTemplate
from bot.prompts import AskChoice, AskRating, AskText, End, Option, Prompt, Say, Scale
from bot.settings import Settings

TO = "15551234567"
ENVELOPE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO}


def interactive(content: dict[str, Any]) -> dict[str, Any]:
    return {**ENVELOPE, "type": "interactive", "interactive": content}


def text(body: str) -> dict[str, Any]:
    return {**ENVELOPE, "type": "text", "text": {"preview_url": False, "body": body}}


def a_list(body: str, button: str, survey: str, step: str, *items: tuple[str, ...]) -> dict[str, Any]:
    """An interactive list message; each item is (value, title) or (value, title, description)."""
    rows = []
    for value, title, *description in items:
        row = {"id": f"a:{survey}:{step}:{value}", "title": title}
        if description:
            row["description"] = description[0]
        rows.append(row)
    content = {
        "type": "list",
        "body": {"text": body},
        "action": {"button": button, "sections": [{"rows": rows}]},
    }
    return interactive(content)


def test_capabilities_state_whatsapp_limits() -> None:
    caps = CAPABILITIES
    assert (caps.max_buttons, caps.max_button_label, caps.max_list_rows, caps.max_list_label) == (
        3,
        20,
        10,
        24,
    )
    assert (caps.max_option_id_bytes, caps.max_text, caps.can_edit) == (200, 4096, False)
    assert caps.window is not None and caps.window.total_seconds() == 24 * 3600


def test_csat_is_a_list_of_five_rows(settings: Settings) -> None:
    prompt = settings.flows["csat"].ask("s1", "rating", "en")
    body = "How satisfied are you with the help you received?\nTap a star or reply 1-5."
    stars = [(str(v), "⭐" * v) for v in range(2, 5)]
    assert render(prompt, TO) == [
        a_list(
            body,
            "☰ 1–5",
            "s1",
            "rating",
            ("1", "⭐", "very dissatisfied"),
            *stars,
            ("5", "⭐⭐⭐⭐⭐", "very satisfied"),
        )
    ]


def test_ces_is_a_list_of_seven_rows(settings: Settings) -> None:
    prompt = settings.flows["ces"].ask("s2", "effort", "en")
    body = "How easy was it to get your issue solved?\nTap a number or reply 1-7."
    middle = [(str(v), str(v)) for v in range(2, 7)]
    assert render(prompt, TO) == [
        a_list(body, "☰ 1–7", "s2", "effort", ("1", "1", "very difficult"), *middle, ("7", "7", "very easy"))
    ]


def test_nps_is_a_typed_answer_with_every_value_and_its_anchors(settings: Settings) -> None:
    prompt = settings.flows["nps"].ask("s3", "score", "en")
    assert render(prompt, TO) == [
        text(
            "How likely are you to recommend us to a friend or colleague?\n"
            "0 = not at all likely, 10 = extremely likely\n"
            "Reply with a number from 0 to 10."
        )
    ]


def test_nps_in_chinese(settings: Settings) -> None:
    [message] = render(settings.flows["nps"].ask("s3", "score", "zh-CN"), TO)
    assert (
        message["text"]["body"]
        == "您有多大可能向朋友或同事推荐我们？\n0 = 完全不可能, 10 = 非常可能\n请回复 0-10 之间的数字。"
    )


def test_choice_of_four_is_a_list(settings: Settings) -> None:
    prompt = settings.flows["csat"].ask("s1", "reason", "en")
    body = "Sorry to hear that. What went wrong?\nTap an option or reply with its number."
    options = [
        ("slow", "Slow response"),
        ("unresolved", "Problem not solved"),
        ("attitude", "Unfriendly service"),
        ("other", "Something else"),
    ]
    assert render(prompt, TO) == [a_list(body, "☰ 1–4", "s1", "reason", *options)]


def yes_no(*labels: str, hint: str = "Tap or reply") -> AskChoice:
    options = tuple(Option(f"o{n}", label) for n, label in enumerate(labels, 1))
    return AskChoice("s1", "q", "Was your problem solved?", options, hint=hint)


def test_yes_no_is_reply_buttons() -> None:
    assert render(yes_no("Yes", "No"), TO) == [
        interactive(
            {
                "type": "button",
                "body": {"text": "Was your problem solved?\nTap or reply"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "a:s1:q:o1", "title": "Yes"}},
                        {"type": "reply", "reply": {"id": "a:s1:q:o2", "title": "No"}},
                    ]
                },
            }
        )
    ]


def test_a_rating_of_three_values_is_buttons_with_anchors_in_the_body() -> None:
    scale = Scale("csat", 1, 3, "bad", "good")
    prompt = AskRating(
        "s1", "r", "How was it?", scale, tuple(Option(str(v), str(v)) for v in (1, 2, 3)), "1-3"
    )
    [message] = render(prompt, TO)
    assert message["interactive"]["type"] == "button"
    assert message["interactive"]["body"]["text"] == "How was it?\n1 = bad\n3 = good\n1-3"


def test_button_titles_over_20_characters_become_a_list() -> None:
    label = "Partly, I still wait"  # 20: fits a button
    longer = "Partly, still waiting"  # 21: does not
    assert render(yes_no("Yes", label), TO)[0]["interactive"]["type"] == "button"
    [message] = render(yes_no("Yes", longer), TO)
    assert message["interactive"]["type"] == "list"
    assert [r["title"] for r in message["interactive"]["action"]["sections"][0]["rows"]] == ["Yes", longer]


def test_duplicate_button_titles_become_a_list() -> None:
    assert render(yes_no("Same", "same"), TO)[0]["interactive"]["type"] == "list"


def test_labels_too_long_for_a_row_title_move_to_the_description() -> None:
    long = "The agent did not understand my question at all"  # 48: over 24, within 72
    [message] = render(yes_no("Fine", long, "Other"), TO)
    content = message["interactive"]
    assert content["body"]["text"] == "Was your problem solved?\nTap or reply"
    assert content["action"]["sections"][0]["rows"] == [
        {"id": "a:s1:q:o1", "title": "Fine"},
        {"id": "a:s1:q:o2", "title": "2", "description": long},
        {"id": "a:s1:q:o3", "title": "Other"},
    ]


def test_labels_too_long_for_a_description_move_to_the_body() -> None:
    huge = "I waited for more than two weeks and nobody ever answered my three emails about it"  # > 72
    [message] = render(yes_no("Fine", huge), TO)
    content = message["interactive"]
    assert content["body"]["text"] == f"Was your problem solved?\n2. {huge}\nTap or reply"
    assert content["action"]["sections"][0]["rows"][1] == {"id": "a:s1:q:o2", "title": "2"}


def test_more_than_ten_options_become_numbered_text() -> None:
    prompt = AskChoice(
        "s1",
        "q",
        "Which product?",
        tuple(Option(f"p{n}", f"Product {n}") for n in range(1, 12)),
        "Reply 1-11",
    )
    [message] = render(prompt, TO)
    lines = [f"{n}. Product {n}" for n in range(1, 12)]
    assert message == text("\n".join(["Which product?", *lines, "Reply 1-11"]))


def test_ids_over_the_limits_become_numbered_text() -> None:
    # Buttons take ids up to 256 bytes, list rows up to 200.
    two = AskChoice("s1", "q", "Pick", (Option("x" * 240, "A"), Option("y", "B")), "")
    assert render(two, TO)[0]["interactive"]["type"] == "button"
    too_long = AskChoice("s1", "q", "Pick", (Option("x" * 250, "A"), Option("y", "B")), "")
    assert render(too_long, TO) == [text("Pick\n1. A\n2. B")]
    four = AskChoice("s1", "q", "Pick", tuple(Option(c * 195, c) for c in "abcd"), "")
    assert render(four, TO) == [text("Pick\n1. a\n2. b\n3. c\n4. d")]


def test_a_body_over_1024_characters_becomes_text() -> None:
    question = "Why? " * 210  # 1050 characters
    prompt = AskChoice("s1", "q", question, yes_no("Yes", "No").options, "")
    assert render(prompt, TO) == [text(f"{question}\n1. Yes\n2. No")]


@pytest.mark.parametrize(
    "prompt",
    [
        Say("Thanks, ticket #123 is closed."),
        End("s1", "Thank you for your feedback!"),
        AskText("s1", "comment", 'Anything else?\nReply "skip" to skip.', optional=True, skip_word="skip"),
    ],
)
def test_texts_are_text_messages(prompt: Prompt) -> None:
    assert render(prompt, TO) == [text(prompt.text)]


def test_an_empty_end_sends_nothing() -> None:
    assert render(End("s1", ""), TO) == []


def test_long_text_is_split_not_cut() -> None:
    paragraph = "word " * 1000  # 5000 characters
    body = f"{paragraph.strip()}\n{'más ' * 300}".strip()
    messages = render(Say(body), TO)
    assert len(messages) == 2
    parts = [m["text"]["body"] for m in messages]
    assert all(width(p) <= 4096 for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(body.split())


def test_split_text_counts_emoji_as_two() -> None:
    parts = split_text("😀" * 3000, 4096)
    assert [len(p) for p in parts] == [2048, 952]


def test_template_carries_the_start_payload() -> None:
    template = WhatsAppTemplate(name="csat_invite_v1", language="en_US")
    assert template_message(TO, template, start_payload("s1", "rating")) == {
        **ENVELOPE,
        "type": "template",
        "template": {
            "name": "csat_invite_v1",
            "language": {"code": "en_US"},
            "components": [
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": "0",
                    "parameters": [{"type": "payload", "payload": "a:s1:rating:~start"}],
                }
            ],
        },
    }


def test_every_shipped_prompt_passes_the_graph_api_checks(settings: Settings) -> None:
    for flow in settings.flows.values():
        for step in flow.steps:
            for locale in ("en", "zh-CN"):
                for message in render(flow.ask("Ab3_-x9Z", step, locale), TO):
                    assert message_problem(message) is None, (flow.id, step, locale, message)

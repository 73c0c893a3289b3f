"""Prompts to the JSON bodies of WeChat's send APIs (pure).

- Official Account (``message/custom/send``): a question is a customer-service menu (``msgmenu``):
  the question as ``head_content``, one tappable line per option, the typing hint as
  ``tail_content``. Rating lines carry the scale's anchor words at both ends.
- WeCom (``message/send``): a question is a ``button_interaction`` template card.
- Fallbacks, never silent truncation: labels too long for a line or button become numbered items
  ("1", "2"...) with the labels listed in the question; too many options (NPS 0-10: 11) or ids too
  long for the platform become numbered text, answered by typing. Texts over 2048 bytes are split
  into several messages.

The limits below are WeChat's documented ones where there are any (WeChat Customer Service's
``msgmenu``: at most 10 items, ids up to 64 bytes; WeCom cards: at most 6 buttons, keys up to 1024
bytes, button text up to 10 characters, title 36, description 44, text 112), else conservative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapters.kit import text as text_kit
from adapters.kit.text import utf8_len
from adapters.wechat.wire import option_key
from bot.prompts import AskChoice, AskRating, Prompt, Scale, prompt_text

TEXT_BYTES = 2048
MENU_ITEMS = 10
MENU_ID_BYTES = 64
MENU_ITEM_BYTES = 128
MENU_TEXT_BYTES = 1024
CARD_BUTTONS = 6
CARD_KEY_BYTES = 1024
CARD_BUTTON_CHARS = 10
CARD_TITLE_CHARS = 36
CARD_DESC_CHARS = 44
CARD_TEXT_CHARS = 112

Body = dict[str, Any]
Question = AskRating | AskChoice


@dataclass(frozen=True)
class Item:
    """One tappable option as drawn: its key (menu id / button key) and what it shows."""

    key: str
    label: str


@dataclass(frozen=True)
class Layout:
    """A question drawn as tappable items; ``listed`` are the labels to show in the text when the
    items only carry numbers."""

    items: tuple[Item, ...]
    listed: tuple[str, ...] = ()


def layout(
    prompt: Question, *, max_items: int, max_key_bytes: int, fits: Callable[[str], bool], anchors: bool
) -> Layout | None:
    """The items for ``prompt``, numbered when a label does not ``fits``; ``None`` when the question
    cannot be tapped at all (too many options, or a key over ``max_key_bytes``)."""
    options = prompt.options
    found = [option_key(prompt.survey, prompt.step, o.id) for o in options]
    keys = [k for k in found if k is not None]
    if not 0 < len(keys) == len(options) <= max_items or any(len(k.encode()) > max_key_bytes for k in keys):
        return None
    labels = [o.label for o in options]
    if anchors and isinstance(prompt, AskRating):
        labels = _anchored(labels, prompt.scale)
    if all(label and fits(label) for label in labels):
        return Layout(tuple(Item(k, label) for k, label in zip(keys, labels, strict=True)))
    numbers = [str(n) for n in range(1, len(options) + 1)]
    return Layout(
        tuple(Item(k, n) for k, n in zip(keys, numbers, strict=True)),
        tuple(f"{n}. {o.label}" for n, o in zip(numbers, options, strict=True)),
    )


def official_bodies(openid: str, prompt: Prompt) -> list[Body]:
    """The ``message/custom/send`` bodies that show ``prompt`` to ``openid`` (none for no text)."""
    menu = _menu(prompt) if isinstance(prompt, AskRating | AskChoice) else None
    if menu is not None:
        return [{"touser": openid, "msgtype": "msgmenu", "msgmenu": menu}]
    return [
        {"touser": openid, "msgtype": "text", "text": {"content": part}}
        for part in split_text(fallback_text(prompt))
    ]


def wecom_bodies(userid: str, agent_id: int, prompt: Prompt, task_id: Callable[[], str]) -> list[Body]:
    """The ``message/send`` bodies that show ``prompt`` to member ``userid`` of app ``agent_id``."""
    card = _card(prompt, task_id) if isinstance(prompt, AskRating | AskChoice) else None
    if card is not None:
        return [{"touser": userid, "msgtype": "template_card", "agentid": agent_id, "template_card": card}]
    return [
        {"touser": userid, "msgtype": "text", "agentid": agent_id, "text": {"content": part}}
        for part in split_text(fallback_text(prompt))
    ]


def _menu(prompt: Question) -> Body | None:
    drawn = layout(
        prompt,
        max_items=MENU_ITEMS,
        max_key_bytes=MENU_ID_BYTES,
        fits=lambda label: len(label.encode()) <= MENU_ITEM_BYTES,
        anchors=True,
    )
    if drawn is None:
        return None
    head = "\n".join((prompt.text, *drawn.listed))
    if len(head.encode()) > MENU_TEXT_BYTES or len(prompt.hint.encode()) > MENU_TEXT_BYTES:
        return None
    menu: Body = {"head_content": head, "list": [{"id": i.key, "content": i.label} for i in drawn.items]}
    if prompt.hint:
        menu["tail_content"] = prompt.hint
    return menu


def _card(prompt: Question, task_id: Callable[[], str]) -> Body | None:
    drawn = layout(
        prompt,
        max_items=CARD_BUTTONS,
        max_key_bytes=CARD_KEY_BYTES,
        fits=lambda label: len(label) <= CARD_BUTTON_CHARS,
        anchors=False,
    )
    if drawn is None:
        return None
    scale = [_anchor_line(prompt.scale)] if isinstance(prompt, AskRating) else []
    # A card must have a title: the question when short enough, else the (shorter) typing hint with
    # the question below it.
    if len(prompt.text) <= CARD_TITLE_CHARS:
        title: Body = {"title": prompt.text}
        if prompt.hint and len(prompt.hint) <= CARD_DESC_CHARS:
            title["desc"] = prompt.hint
        lines = [*scale, *drawn.listed]
    elif prompt.hint and len(prompt.hint) <= CARD_TITLE_CHARS:
        title = {"title": prompt.hint}
        lines = [prompt.text, *scale, *drawn.listed]
    else:
        return None
    card: Body = {"card_type": "button_interaction", "main_title": title}
    text = "\n".join(line for line in lines if line)
    if len(text) > CARD_TEXT_CHARS:
        return None
    if text:
        card["sub_title_text"] = text
    card["task_id"] = task_id()
    card["button_list"] = [{"text": i.label, "style": 1, "key": i.key} for i in drawn.items]
    return card


def fallback_text(prompt: Prompt) -> str:
    """The prompt as plain text to answer by typing: options numbered, the scale's anchors given."""
    match prompt:
        case AskRating(text=text, scale=scale, hint=hint):
            return "\n".join(line for line in (text, _anchor_line(scale), hint) if line)
        case AskChoice(text=text, options=options, hint=hint):
            numbered = [f"{n}. {o.label}" for n, o in enumerate(options, 1)]
            return "\n".join(line for line in (text, *numbered, hint) if line)
        case _:
            return prompt_text(prompt)


def _anchor_line(scale: Scale) -> str:
    if not (scale.low_label or scale.high_label):
        return ""
    return f"{scale.low} = {scale.low_label}, {scale.high} = {scale.high_label}"


def _anchored(labels: list[str], scale: Scale) -> list[str]:
    out = list(labels)
    if scale.low_label:
        out[0] = f"{out[0]} ({scale.low_label})"
    if scale.high_label:
        out[-1] = f"{out[-1]} ({scale.high_label})"
    return out


def split_text(text: str, max_bytes: int = TEXT_BYTES) -> list[str]:
    """``text`` in parts of at most ``max_bytes`` UTF-8 bytes, cut at a line break when there is one
    (an empty text gives no parts)."""
    return text_kit.split_text(text, max_bytes, measure=utf8_len, breaks=("\n",))

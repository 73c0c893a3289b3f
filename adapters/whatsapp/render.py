"""Prompts as WhatsApp Cloud API message bodies, within WhatsApp's limits (pure functions).

Ratings and choices become reply buttons (up to 3 short titles), else a list (up to 10 rows), else
numbered text answered by typing; NPS 0-10 therefore is a typed answer with its anchors spelt out,
never a list that drops or merges values. A label too long for a button or row title moves to the
row description or the message body: nothing is cut short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from adapters.kit import text as text_kit
from adapters.kit.text import utf16_len
from adapters.whatsapp.ids import START, encode_option
from bot.config.channels import WhatsAppTemplate
from bot.ports import Capabilities
from bot.prompts import AskChoice, AskRating, AskText, End, Prompt, Say, Scale

Message = dict[str, Any]
_BSUID = re.compile(r"^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$")

TEXT_MAX = 4096
BODY_MAX = 1024  # interactive body: 1024 documented for buttons, the safe bound for lists too
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200
LIST_BUTTON_MAX = 20
WINDOW = timedelta(hours=24)
"""Free-form messages only this long after the customer's last message (customer-service window)."""

CONFIRM_WAIT = timedelta(seconds=30)
"""How long a message whose send got no answer waits for WhatsApp's status webhook before it is
sent again (they come within seconds; Meta redelivers a status webhook csatbot failed to take)."""
OPAQUE_MAX = 512
"""``biz_opaque_callback_data`` limit in bytes."""
width = utf16_len
"""Length as WhatsApp may count it: UTF-16 code units (never less than code points)."""
CAPABILITIES = Capabilities(
    max_buttons=BUTTONS_MAX,
    max_buttons_per_row=BUTTONS_MAX,
    max_option_id_bytes=ROW_ID_MAX,
    max_button_label=BUTTON_TITLE_MAX,
    max_list_rows=ROWS_MAX,
    max_list_label=ROW_TITLE_MAX,
    max_text=TEXT_MAX,
    can_edit=False,
    window=WINDOW,
    # Status webhooks (sent, delivered, read) echo biz_opaque_callback_data within seconds.
    confirm_wait=CONFIRM_WAIT,
)


@dataclass(frozen=True, slots=True)
class _Item:
    value: str  # what a tap answers
    label: str
    number: str  # what typing it means: the score, or the option's position
    note: str = ""  # anchor words at the ends of a scale


def render(prompt: Prompt, to: str) -> list[Message]:
    """The messages that show ``prompt`` to WhatsApp user ``to`` (empty for an empty text)."""
    match prompt:
        case AskRating():
            return _rating(prompt, to)
        case AskChoice():
            return _choice(prompt, to)
        case Say(text=text) | End(text=text) | AskText(text=text):
            return text_messages(to, text)


def text_messages(to: str, text: str) -> list[Message]:
    """``text`` as text messages, split at line or word breaks past 4096 characters."""
    return [
        _envelope(to, "text", {"preview_url": False, "body": part}) for part in split_text(text, TEXT_MAX)
    ]


def template_message(to: str, template: WhatsAppTemplate, payload: str) -> Message:
    """The approved template whose first quick-reply button (index 0) sends back ``payload``."""
    button = {"type": "button", "sub_type": "quick_reply", "index": "0"}
    return _envelope(
        to,
        "template",
        {
            "name": template.name,
            "language": {"code": template.language},
            "components": [{**button, "parameters": [{"type": "payload", "payload": payload}]}],
        },
    )


def start_payload(survey: str, step: str) -> str:
    """The quick-reply payload that continues ``survey`` at ``step`` after a template."""
    return encode_option(survey, step, START)


def is_bsuid(user: str) -> bool:
    """Whether ``user`` is a business-scoped user id (``US.13491208655302741918``, a parent one
    ``US.ENT.1181...``), the only id of a customer who hides their number behind a username."""
    return _BSUID.match(user) is not None


def _envelope(to: str, kind: str, content: dict[str, Any]) -> Message:
    """One message to ``to``: a phone number goes in ``to``, a BSUID in ``recipient``."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "recipient" if is_bsuid(to) else "to": to,
        "type": kind,
        kind: content,
    }


def _rating(prompt: AskRating, to: str) -> list[Message]:
    scale = prompt.scale
    items = [_Item(o.id, o.label, o.id, _anchor(scale, o.id)) for o in prompt.options]
    anchors = f"{scale.low} = {scale.low_label}, {scale.high} = {scale.high_label}"
    typed = [prompt.text, anchors if scale.low_label and scale.high_label else "", prompt.hint]
    button = f"☰ {scale.low}–{scale.high}"
    return _ask(to, prompt.survey, prompt.step, prompt.text, prompt.hint, items, button, typed)


def _choice(prompt: AskChoice, to: str) -> list[Message]:
    items = [_Item(o.id, o.label, str(n)) for n, o in enumerate(prompt.options, 1)]
    typed = [prompt.text, *(f"{item.number}. {item.label}" for item in items), prompt.hint]
    button = f"☰ 1–{len(items)}"
    return _ask(to, prompt.survey, prompt.step, prompt.text, prompt.hint, items, button, typed)


def _anchor(scale: Scale, value: str) -> str:
    if value == str(scale.low):
        return scale.low_label
    return scale.high_label if value == str(scale.high) else ""


def _ask(
    to: str,
    survey: str,
    step: str,
    text: str,
    hint: str,
    items: list[_Item],
    list_button: str,
    typed: list[str],
) -> list[Message]:
    ids = [encode_option(survey, step, item.value) for item in items]
    interactive = _buttons(text, hint, items, ids) or _list(text, hint, items, ids, list_button)
    if interactive is not None:
        return [_envelope(to, "interactive", interactive)]
    return text_messages(to, _lines(typed))


def _buttons(text: str, hint: str, items: list[_Item], ids: list[str]) -> dict[str, Any] | None:
    if not 1 <= len(items) <= BUTTONS_MAX or len({i.label.casefold() for i in items}) < len(items):
        return None
    if any(width(i.label) > BUTTON_TITLE_MAX for i in items) or any(_bytes(i) > BUTTON_ID_MAX for i in ids):
        return None
    body = _lines([text, *(f"{i.number} = {i.note}" for i in items if i.note), hint])
    if width(body) > BODY_MAX:
        return None
    buttons = [
        {"type": "reply", "reply": {"id": id_, "title": i.label}} for i, id_ in zip(items, ids, strict=True)
    ]
    return {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}}


def _list(text: str, hint: str, items: list[_Item], ids: list[str], button: str) -> dict[str, Any] | None:
    if (
        not 1 <= len(items) <= ROWS_MAX
        or any(_bytes(i) > ROW_ID_MAX for i in ids)
        or width(button) > LIST_BUTTON_MAX
    ):
        return None
    rows: list[dict[str, str]] = []
    moved: list[str] = []  # what fits neither a title nor a description goes to the body
    for item, id_ in zip(items, ids, strict=True):
        if width(item.label) <= ROW_TITLE_MAX:
            title, description, line = item.label, item.note, f"{item.number} = {item.note}"
        else:
            title, description, line = item.number, item.label, f"{item.number}. {item.label}"
            if item.note:
                moved.append(f"{item.number} = {item.note}")
        if width(description) > ROW_DESCRIPTION_MAX:
            moved.append(line)
            description = ""
        rows.append({"id": id_, "title": title, **({"description": description} if description else {})})
    body = _lines([text, *moved, hint])
    if width(body) > BODY_MAX:
        return None
    return {
        "type": "list",
        "body": {"text": body},
        "action": {"button": button, "sections": [{"rows": rows}]},
    }


def _lines(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def _bytes(text: str) -> int:
    return len(text.encode())


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` (by :func:`width`), cut at a line break or space
    in the second half of a part when there is one."""
    return text_kit.split_text(text, limit, measure=width)

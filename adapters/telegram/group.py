"""Ticket notifications in a Telegram group, with Claim and Resolve buttons that work the ticket.

The bot posts each notice of a ``telegram_group`` target with two buttons whose callback data is
``t:c:<ticket id>`` (claim) or ``t:r:<ticket id>`` (resolve): at most 23 bytes, and never mistaken
for a survey answer (``a:<survey>:<step>:<value>``). A tap arrives on the bot's webhook as a callback
query; :func:`handle_tap` works the ticket only when the chat is a configured group and the user is
one of its ``agents``, once per update id, then shows the new status under the message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from aiogram.types import CallbackQuery, Message

from adapters.base import AdapterContext
from adapters.notify.text import plain_text, words
from adapters.telegram.botapi import Call
from adapters.telegram.render import MAX_TEXT, split_text, utf16_len
from adapters.telegram.wire import CHANNEL
from bot.config.notifications import NotificationTarget
from bot.errors import ConflictError, NotFoundError, TakenError
from bot.notifications import Notice
from bot.records import Ticket, row_id

log = logging.getLogger("csatbot.telegram")

PREFIX = "t"
ACTIONS: dict[str, Literal["claim", "resolve"]] = {"c": "claim", "r": "resolve"}
CODES = {action: code for code, action in ACTIONS.items()}
FOOTER = "\n\n— "
NOT_A_MENTION = "\uff20"
"""FULLWIDTH COMMERCIAL AT: what an ``@`` in a group notice becomes, so that it mentions nobody."""
NO_PREVIEW = {"is_disabled": True}
ALERT_CHARS = 200


@dataclass(frozen=True, slots=True)
class TicketTap:
    """What a ticket button carries."""

    action: Literal["claim", "resolve"]
    ticket_id: int


def pack(action: Literal["claim", "resolve"], ticket_id: int) -> str:
    return f"{PREFIX}:{CODES[action]}:{ticket_id}"


def unpack(data: str | None) -> TicketTap | None:
    """The ticket action in ``data``, or ``None`` for any other callback data."""
    parts = (data or "").split(":")
    if len(parts) != 3 or parts[0] != PREFIX or parts[1] not in ACTIONS:
        return None
    ticket_id = row_id(parts[2])
    return None if ticket_id is None else TicketTap(ACTIONS[parts[1]], ticket_id)


def keyboard(ticket_id: int, locale: str) -> dict[str, Any]:
    w = words(locale)
    buttons = [
        {"text": w[action], "callback_data": pack(action, ticket_id)} for action in ("claim", "resolve")
    ]
    return {"inline_keyboard": [buttons]}


def render_notice(notice: Notice, chat_id: int, locale: str) -> Call:
    """The group message (``sendMessage``) for ``notice``: buttons while the ticket is still open."""
    markup = keyboard(notice.ticket_id, locale) if notice.is_open else None
    return group_message(chat_id, plain_text(notice, locale), markup)


def group_message(chat_id: int, text: str, markup: dict[str, Any] | None = None) -> Call:
    """A message to a support group holding what customers wrote (a name, a reason, a comment).

    Telegram makes ``@name`` in a plain text a mention, which notifies that member of the group: a
    customer called ``@lead`` paged the team's lead with every notice about them. Every ``@`` goes
    out as the full-width ``＠``, which reads the same and mentions nobody; links get no preview (the
    group would fetch and show a page the customer chose).
    """
    text = split_text(text.replace("@", NOT_A_MENTION), MAX_TEXT)[0]
    return Call.of(
        "sendMessage", chat_id=chat_id, text=text, reply_markup=markup, link_preview_options=NO_PREVIEW
    )


def group_target(ctx: AdapterContext, chat_id: int | None) -> NotificationTarget | None:
    """The enabled ``telegram_group`` target posting to ``chat_id``."""
    for _name, target in ctx.settings().config.notifications.enabled():
        if target.kind == "telegram_group" and chat_id is not None and target.chat_id == chat_id:
            return target
    return None


async def handle_tap(
    ctx: AdapterContext, account: str, update_id: int, query: CallbackQuery, tap: TicketTap
) -> tuple[Call, Call | None]:
    """Work the ticket for an agent's tap; the answer to the tap (``answerCallbackQuery``) and the
    edit showing the result (``editMessageText``).

    Anyone else (an unknown user, another chat, a ticket of another team) gets an alert and
    nothing changes.
    """
    message = query.message if isinstance(query.message, Message) else None
    chat_id = query.message.chat.id if query.message is not None else None
    target = group_target(ctx, chat_id)
    locale = (target.locale if target else None) or ctx.settings().config.default_locale
    w = words(locale)
    if target is None:
        return _alert(query, w["not_here"]), None
    user = query.from_user
    agent = target.agent_for(user.id, user.username)
    if agent is None or user.is_bot:
        log.warning(
            "telegram: user %s (@%s) tapped %s on ticket %s in chat %s but is not one of its agents",
            user.id,
            user.username or "-",
            tap.action,
            tap.ticket_id,
            chat_id,
        )
        return _alert(query, w["not_agent"]), None
    store = ctx.service.store
    try:
        current = await store.run(lambda repo: repo.get_ticket(tap.ticket_id))
        if not target.covers(current.team):
            return _alert(query, w["other_team"].format(id=tap.ticket_id)), None
        receipt = (CHANNEL, account, str(update_id))
        ticket = await ctx.service.ticket(tap.action, tap.ticket_id, agent, receipt=receipt)
    except NotFoundError:
        return _alert(query, w["gone"].format(id=tap.ticket_id)), None
    except TakenError as taken:  # another agent claimed it first: say who; nothing changes
        ticket = await store.run(lambda repo: repo.get_ticket(tap.ticket_id))
        status = w["claimed_by"].format(agent=taken.assignee)
        return _alert(query, f"#{ticket.id}: {status}"), status_edit(message, ticket, status, locale)
    except ConflictError:
        ticket = await store.run(lambda repo: repo.get_ticket(tap.ticket_id))
        status = w["is_status"].format(id=ticket.id, status=ticket.status)
        return _alert(query, status), status_edit(message, ticket, status, locale)
    done = w["claimed_by" if tap.action == "claim" else "resolved_by"].format(agent=agent)
    answer = Call.of(
        "answerCallbackQuery", callback_query_id=query.id, text=f"#{ticket.id}: {done}"[:ALERT_CHARS]
    )
    return answer, status_edit(message, ticket, done, locale)


def status_edit(message: Message | None, ticket: Ticket, status: str, locale: str) -> Call | None:
    """The message with ``status`` as its last line (replacing an earlier one); buttons while open."""
    if message is None or message.text is None:
        return None  # Telegram no longer shows the message to the bot
    text = f"{message.text.split(FOOTER)[0]}{FOOTER}{status}".replace("@", NOT_A_MENTION)
    if utf16_len(text) > MAX_TEXT:
        return None
    markup = keyboard(ticket.id, locale) if ticket.is_open else None
    return Call.of(
        "editMessageText",
        chat_id=message.chat.id,
        message_id=message.message_id,
        text=text,
        reply_markup=markup,
        link_preview_options=NO_PREVIEW,
    )


def _alert(query: CallbackQuery, text: str) -> Call:
    return Call.of(
        "answerCallbackQuery", callback_query_id=query.id, text=text[:ALERT_CHARS], show_alert=True
    )

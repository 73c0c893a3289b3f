"""Telegram updates in, channel-neutral messages out (pure: no I/O).

Handled: private-chat messages (text, ``/commands``, a caption as text, other media as
:class:`Unsupported`), callback queries from survey buttons, and the bot's own membership in a
private chat (``my_chat_member``: ``kicked`` when the user blocked the bot, ``member`` when they
unblocked it) as :class:`Reachability`. Everything else (edited messages, group chatter, inline
queries...) is acknowledged and dropped: :func:`parse_update` returns ``None``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, Update, User
from pydantic import ValidationError

from adapters import strict_json
from adapters.kit.text import shows_nothing
from adapters.telegram import callback
from bot.errors import WireFormatError
from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Reachability, Text, Unsupported

CHANNEL = "telegram"
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")
"""The update types the bot asks Telegram for (``setWebhook`` / ``getUpdates``)."""

# What a customer can send besides text; service messages (pins, shared users...) are ignored.
CUSTOMER_CONTENT = frozenset(
    {
        "animation", "audio", "checklist", "contact", "dice", "document", "game", "invoice",
        "location", "paid_media", "photo", "poll", "sticker", "story", "venue", "video",
        "video_note", "voice",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tap:
    """A callback query: answered at once; its question message is edited once answered."""

    query_id: str
    chat_id: int | None = None
    message_id: int | None = None
    text: str | None = None
    """The question's text, or ``None`` when Telegram no longer shows the message to the bot."""
    label: str = ""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One handled update: the message to store (if any) and the tap to acknowledge (if any)."""

    message: InboundMessage | None
    tap: Tap | None = None


def decode_update(body: bytes) -> Update:
    """The update in a webhook body; :class:`WireFormatError` if it is not a Telegram update."""
    try:
        # Strict: 1,000 nested arrays would otherwise raise RecursionError (a 500, redelivered).
        data: Any = strict_json.loads(body, strict_text=False)
        return Update.model_validate(data)
    except (ValueError, ValidationError) as exc:
        raise WireFormatError(f"telegram: not an Update: {str(exc)[:300]}") from exc


KEPT_BODY = 16_384
"""The longest body :class:`DecodedUpdates` keeps its update for (a tap's is under 1 KB)."""


class DecodedUpdates:
    """Updates the webhook decoded, kept (the ``keep`` most recent) for the turn that follows.

    Validating an aiogram ``Update`` is most of a webhook's parsing CPU, and the inbox worker would
    decode the body it stored again moments later in the same process. Keyed by the body: what is
    handled is exactly what was stored, and a body decoded elsewhere (another process, a restart)
    is decoded anew.
    """

    def __init__(self, keep: int = 256) -> None:
        self.keep = keep
        self._updates: OrderedDict[bytes, Update] = OrderedDict()

    def remember(self, body: bytes, update: Update) -> None:
        if len(body) <= KEPT_BODY:
            self._updates[body] = update
            while len(self._updates) > self.keep:
                self._updates.popitem(last=False)

    def forget(self, body: bytes) -> None:
        self._updates.pop(body, None)

    def take(self, body: bytes) -> Update:
        """The update in ``body``: the one remembered for it (forgotten now), else decoded."""
        update = self._updates.pop(body, None)
        return decode_update(body) if update is None else update


def parse_update(update: Update, account: str, now: datetime) -> Incoming | None:
    """The message and tap in ``update`` (``account`` is the bot id); ``None`` when not handled."""
    if update.message is not None:
        return _message(update, update.message, account, now)
    if update.callback_query is not None:
        return _callback(update, update.callback_query, account, now)
    if update.my_chat_member is not None:
        return _membership(update, update.my_chat_member, account, now)
    return None


_REACHABILITY = {"kicked": Reachability(False, "blocked"), "member": Reachability(True)}
"""The bot's new status in a private chat, as the core hears it (others do not occur there)."""


def _membership(update: Update, changed: ChatMemberUpdated, account: str, now: datetime) -> Incoming | None:
    """The user blocked (``kicked``) or unblocked (``member``) the bot in their private chat."""
    status = changed.new_chat_member.status
    payload = _REACHABILITY.get(str(getattr(status, "value", status)))
    if changed.chat.type != "private" or changed.from_user.is_bot or payload is None:
        return None
    return Incoming(_inbound(update, changed.from_user, account, now, payload))


def _inbound(update: Update, user: User, account: str, now: datetime, payload: Payload) -> InboundMessage:
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return InboundMessage(
        channel=CHANNEL,
        account=account,
        user=str(user.id),
        platform_id=str(update.update_id),
        received_at=now,
        payload=payload,
        display_name=name,
        locale=user.language_code or "",
        extra={"username": user.username} if user.username else {},
    )


def _message(update: Update, message: Message, account: str, now: datetime) -> Incoming | None:
    user = message.from_user
    if message.chat.type != "private" or user is None or user.is_bot:
        return None
    payload: Payload
    kind = str(getattr(message.content_type, "value", message.content_type))
    if message.text is not None:
        if shows_nothing(message.text):
            return None  # only NUL, spaces or zero-width characters
        payload = command(message) or Text(message.text)
    elif message.caption is not None and not shows_nothing(message.caption):
        payload = Text(message.caption, attached=kind)  # a captioned photo, video or file
    elif kind in CUSTOMER_CONTENT:
        payload = Unsupported(kind)
    else:
        return None
    return Incoming(_inbound(update, user, account, now, payload))


def unknown_content(update: Update) -> bool:
    """Whether ``update`` is a private-chat message of a kind newer than aiogram knows (dropped, as
    it may be a service message; the channel logs the first one)."""
    message = update.message
    kind = str(getattr(message.content_type, "value", message.content_type)) if message is not None else ""
    return message is not None and message.chat.type == "private" and kind == "unknown"


def command(message: Message) -> Command | None:
    """``/name argument`` when the text starts with a bot command (``/start <deep-link payload>``)."""
    text = message.text or ""
    if not message.entities:
        return None
    first = message.entities[0]
    if first.type != "bot_command" or first.offset != 0:
        return None
    name = text[1 : first.length].split("@", 1)[0].lower()
    return Command(name, text[first.length :].strip()) if name else None


def _callback(update: Update, query: CallbackQuery, account: str, now: datetime) -> Incoming:
    shown = query.message if isinstance(query.message, Message) else None
    answer = callback.unpack(query.data)
    label = _label(shown, query.data) if answer is not None else ""
    tap = Tap(
        query_id=query.id,
        chat_id=query.message.chat.id if query.message is not None else None,
        message_id=query.message.message_id if query.message is not None else None,
        text=shown.text if shown is not None else None,
        label=label,
    )
    if answer is None or query.from_user.is_bot:
        return Incoming(None, tap)  # not one of our buttons: only stop the client's spinner
    picked = ChoicePicked(answer.survey, answer.step, answer.value, label)
    return Incoming(_inbound(update, query.from_user, account, now, picked), tap)


def _label(message: Message | None, data: str | None) -> str:
    """The text of the tapped button, read from the keyboard Telegram echoes with the query."""
    markup = message.reply_markup if message is not None else None
    for row in markup.inline_keyboard if markup is not None else []:
        for button in row:
            if button.callback_data == data:
                return button.text
    return ""

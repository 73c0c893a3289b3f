"""The Telegram adapter: sends prompts with :class:`~adapters.telegram.botapi.BotApi`, handles updates.

Updates arrive by webhook (:mod:`adapters.telegram.webhook`) or, for development, by long polling
(:mod:`adapters.telegram.polling`); both end in :meth:`TelegramChannel.receive`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram.types import Update
from aiogram.utils.token import TokenValidationError, validate_token
from fastapi import APIRouter

from adapters.base import AdapterContext
from adapters.http import RateLimits
from adapters.poster import Poster
from adapters.telegram import group
from adapters.telegram.botapi import PRODUCTION, BotApi, Call, RedactToken, message_id
from adapters.telegram.polling import Poller
from adapters.telegram.render import CAPABILITIES, render, utf16_len
from adapters.telegram.webhook import webhook_answer, webhook_router
from adapters.telegram.wire import (
    ALLOWED_UPDATES,
    CHANNEL,
    DecodedUpdates,
    Tap,
    parse_update,
    unknown_content,
)
from bot.config.channels import TelegramConfig
from bot.errors import ConfigError, DeliveryError
from bot.inbox import InboxItem
from bot.ports import Recipient, Sent
from bot.prompts import Prompt

log = logging.getLogger("csatbot.telegram")

TOKEN_ENV = TelegramConfig.token_env
SECRET_ENV = TelegramConfig.secret_env
ANSWERED_MARK = "✅"
REDACTED_LOGGERS = ("csatbot.poster",)  # it logs request URLs at DEBUG, and Bot API URLs hold the token

# Bots FAQ: about 1 message per second per chat (short bursts pass), about 30 per second in all.
RATE_OVERALL = 30.0
RATE_PER_CHAT = (3.0, 3.0)  # a burst of 3 (thanks + next question), then 1 per second


@dataclass(frozen=True, slots=True)
class Reaction:
    """What to do on Telegram after an update was stored: answer the tap, edit its question."""

    answer: Call | None = None
    """``answerCallbackQuery``."""
    edit: Call | None = None
    """``editMessageText`` or ``editMessageReplyMarkup`` of the tapped question."""
    marked: bool = False
    """The turn marked the update's inbox row done (see :meth:`TelegramChannel.handle_stored`)."""


class TelegramChannel:
    """Telegram (updates parsed with aiogram 3's types, calls made by :class:`BotApi`): a
    :class:`adapters.base.ChannelAdapter`."""

    name = CHANNEL
    capabilities = CAPABILITIES

    def __init__(self, config: TelegramConfig, ctx: AdapterContext) -> None:
        token, self.secret = read_secrets(ctx.environ, polling=config.polling)
        self.config = config
        self.ctx = ctx
        self._redact = RedactToken(token)
        for logger in REDACTED_LOGGERS:
            logging.getLogger(logger).addFilter(self._redact)
        self.api = BotApi(Poster(), token, str(config.api_base) if config.api_base else PRODUCTION)
        self.account = token.split(":", 1)[0]  # the bot's id is the token's prefix
        self.limits = RateLimits(RATE_OVERALL, per_chat=RATE_PER_CHAT)
        self.polling = config.polling
        self._poller: Poller[Reaction] | None = None
        self.decoded = DecodedUpdates()
        self.unknown_logged = False
        """Whether a message of a kind aiogram does not know was logged (once per process)."""

    async def send(self, to: Recipient, prompt: Prompt) -> Sent:
        """Send ``prompt`` (several messages if its text is long); the last message's id."""
        sent = Sent()
        for call in render(prompt, to.user):
            sent = Sent(str(message_id(await self.call(call))))
        return sent

    async def call(self, call: Call, timeout: float | None = None) -> Any:
        """One Bot API call: its ``result``; failures as :class:`DeliveryError`.

        Calls that write into a chat (messages, edits) wait for the rate limits first; others
        (answering a tap, polling) do not count against them.
        """
        chat = call.chat
        if chat is None:
            return await self.api.call(call, timeout)
        async with self.limits.slot(chat):
            return await self.api.call(call, timeout)

    async def receive(
        self, update: Update, received_at: datetime | None = None, *, inbox_id: int | None = None
    ) -> Reaction:
        """Store what ``update`` brings (once, however often Telegram delivers it); ``inbox_id``
        (the row it was stored in) is marked done by the turn, if there is one.

        A tap on a ticket notification's button (in a support group) works the ticket instead.
        """
        query = update.callback_query
        if query is not None and (ticket_tap := group.unpack(query.data)) is not None:
            answer, edit = await group.handle_tap(self.ctx, self.account, update.update_id, query, ticket_tap)
            return Reaction(answer, edit)
        incoming = parse_update(update, self.account, received_at or self.ctx.clock.now())
        if incoming is None:
            if not self.unknown_logged and unknown_content(update):
                self.unknown_logged = True
                log.warning(
                    "a private message of a kind aiogram does not know (update %s): ignored", update.update_id
                )
            return Reaction()
        result = None
        if incoming.message is not None:
            result = await self.ctx.service.handle(incoming.message, inbox_id=inbox_id)
        marked = result is not None and inbox_id is not None
        tap = incoming.tap
        if tap is None:
            return Reaction(marked=marked)
        answered = result is not None and result.answered and not result.duplicate
        return Reaction(
            Call.of("answerCallbackQuery", callback_query_id=tap.query_id),
            answered_edit(tap) if answered else None,
            marked,
        )

    async def handle_stored(self, item: InboxItem) -> bool:
        """An update the webhook stored (:mod:`bot.inbox`): run its turn, then react on Telegram;
        whether the turn marked the inbox row done (:attr:`InboxItem.turn_marks`: an update holds
        one message at most, and what follows its turn is a courtesy a repeat would not redo: a
        duplicate is not edited).

        A survey tap was answered in the webhook reply already (:func:`webhook_answer`); a ticket
        tap's answer says what happened, so it is sent now.
        """
        update = self.decoded.take(item.body)
        reaction = await self.receive(update, item.received_at, inbox_id=item.turn_marks)
        if webhook_answer(update) is not None:
            reaction = Reaction(None, reaction.edit, reaction.marked)
        await self.react(reaction)
        return reaction.marked

    async def edit(self, call: Call) -> None:
        """Show the chosen answer; cosmetic, so a failure is logged, not raised."""
        try:
            await self.call(call)
        except DeliveryError as exc:
            if "message is not modified" not in str(exc):
                log.warning("could not mark the answered question %s: %s", call.params.get("message_id"), exc)

    async def react(self, reaction: Reaction) -> None:
        """Carry out ``reaction`` with Bot API calls (long polling has no webhook reply)."""
        if reaction.answer is not None:
            try:
                await self.call(reaction.answer)
            except DeliveryError as exc:
                log.warning("could not answer callback query: %s", exc)
        if reaction.edit is not None:
            await self.edit(reaction.edit)

    def routes(self) -> APIRouter:
        """The webhook at ``channels.telegram.path`` (none when polling without a webhook secret)."""
        if self.secret is None:
            return APIRouter()
        return webhook_router(self, self.secret, self.config.path)

    async def set_webhook(self, url: str) -> None:
        """Point Telegram at ``url`` with the secret token and the update types handled here."""
        if self.secret is None:
            raise ConfigError([f"{SECRET_ENV} is not set: a webhook needs it"], source="environment")
        await self.call(
            Call.of("setWebhook", url=url, secret_token=self.secret, allowed_updates=list(ALLOWED_UPDATES))
        )

    async def start(self) -> None:
        if self.polling:
            self._poller = Poller(self)
            self._poller.start()

    async def stop(self) -> None:
        if self._poller is not None:
            await self._poller.stop()
            self._poller = None
        await self.api.aclose()
        for logger in REDACTED_LOGGERS:
            logging.getLogger(logger).removeFilter(self._redact)


def answered_edit(tap: Tap) -> Call | None:
    """The edit that shows the chosen answer under the question and drops its keyboard."""
    if tap.chat_id is None or tap.message_id is None or tap.text is None:
        return None  # Telegram no longer lets the bot see (or edit) the message
    text = f"{tap.text}\n\n{ANSWERED_MARK} {tap.label}"
    if tap.label and utf16_len(text) <= CAPABILITIES.max_text:
        return Call.of("editMessageText", chat_id=tap.chat_id, message_id=tap.message_id, text=text)
    return Call.of("editMessageReplyMarkup", chat_id=tap.chat_id, message_id=tap.message_id)


_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def read_secrets(environ: Mapping[str, str], *, polling: bool = False) -> tuple[str, str | None]:
    """The bot token and webhook secret, checked; :class:`ConfigError` naming a bad variable.

    The secret may be left unset only for long polling (then no webhook is served).
    """
    token, secret = environ.get(TOKEN_ENV, ""), environ.get(SECRET_ENV) or None
    problems = []
    try:
        validate_token(token)
    except TokenValidationError:
        problems.append(f"{TOKEN_ENV} does not look like a bot token from @BotFather (<digits>:<letters>)")
    if secret is None and not polling:
        problems.append(f"{SECRET_ENV} is not set (the webhook needs it; long polling does not)")
    elif secret is not None and not _SECRET.match(secret):
        problems.append(f"{SECRET_ENV} must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
    if problems:
        raise ConfigError(problems, source="environment")
    return token, secret

"""Writing what the bot says into the outbox, inside the current transaction."""

from __future__ import annotations

from datetime import datetime

from bot.ports import Recipient
from bot.prompts import Prompt, prompt_text, prompt_to_dict
from bot.records import Identity
from bot.repository import Repository


def recipient_of(identity: Identity, locale: str = "") -> Recipient:
    """The outbox recipient for an identity."""
    return Recipient(
        channel=identity.channel,
        account=identity.account,
        user=identity.user,
        locale=locale or identity.locale,
        # Platforms with a messaging window (WhatsApp 24 h, WeChat 48 h) count from the last inbound.
        last_inbound_at=identity.last_inbound_at,
    )


def send_prompt(
    repo: Repository,
    identity: Identity,
    conversation_id: int | None,
    prompt: Prompt,
    at: datetime,
    *,
    author: str = "bot",
    survey_id: str | None = None,
    locale: str = "",
) -> int:
    """Store an outgoing message and queue its delivery; returns the message id. To a customer who
    blocked the bot or unsubscribed it is stored failed at once, with why: no platform call."""
    body = prompt_to_dict(prompt)
    message_id = repo.add_message(
        identity_id=identity.id,
        conversation_id=conversation_id,
        direction="out",
        author=author,
        text=prompt_text(prompt),
        at=at,
        payload=body,
        survey_id=survey_id,
    )
    repo.enqueue(
        "message",
        identity.channel,
        recipient_of(identity, locale),
        {"prompt": body},
        at=at,
        message_id=message_id,
        failed=identity.unreachable,
    )
    return message_id

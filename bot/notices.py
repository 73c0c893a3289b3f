"""Keeping the customer in the loop, in their language: who took over, when they answer, what now.

A ticket opened for the customer says so in their chat ("a person will reply here", with the team's
hours when configured), and so does the closing line of a survey that escalated; an agent taking
the ticket is named ("Amy from Customer Support is on it"). ``tickets.keep_customer_posted: false``
switches these off. Resolving the ticket says so too (``tickets.close_message``).
"""

from __future__ import annotations

from datetime import datetime

from bot.locales import pick_locale
from bot.outbound import send_prompt
from bot.prompts import Say
from bot.records import Conversation, Ticket
from bot.repository import Repository
from bot.settings import Settings


def locale_of(repo: Repository, settings: Settings, conversation: Conversation) -> str:
    """The configured locale the conversation's customer gets."""
    config = settings.config
    identity = repo.get_identity(conversation.identity_id)
    return pick_locale(identity.locale, config.locales, config.default_locale)


def follow_up_line(repo: Repository, settings: Settings, ticket: Ticket, locale: str) -> str:
    """ "I've passed this to <team>: a person will reply here. Our hours: ..." (and who has it)."""
    team = settings.config.teams[ticket.team]
    team_name = team.name or ticket.team
    lines = [settings.text("escalated", locale).format(team=team_name)]
    if team.hours:
        hours = team.hours.get(locale) or team.hours.get(settings.config.default_locale) or ""
        lines.append(settings.text("escalated_hours", locale).format(hours=hours))
    if ticket.assignee:
        lines.append(_taken(repo, settings, ticket, ticket.assignee, locale))
    return _sentences(lines)


def _sentences(parts: list[str]) -> str:
    """Sentences run together: after Chinese full stops without a space, else with one."""
    out = parts[0]
    for part in parts[1:]:
        out += part if out.endswith(("。", "！", "？", "）")) else f" {part}"
    return out


def tell_escalated(
    repo: Repository, settings: Settings, conversation: Conversation, ticket: Ticket, at: datetime
) -> None:
    """Tell the customer their conversation went to a person (a ticket was opened)."""
    if not settings.config.tickets.keep_customer_posted or not _window_open(repo, settings, conversation, at):
        return
    locale = locale_of(repo, settings, conversation)
    text = follow_up_line(repo, settings, ticket, locale)
    send_prompt(
        repo, repo.get_identity(conversation.identity_id), conversation.id, Say(text), at, locale=locale
    )


def tell_taken(repo: Repository, settings: Settings, ticket: Ticket, agent: str, at: datetime) -> None:
    """Tell the customer which agent took their ticket."""
    conversation = repo.get_conversation(ticket.conversation_id)
    if not settings.config.tickets.keep_customer_posted or not _window_open(repo, settings, conversation, at):
        return
    locale = locale_of(repo, settings, conversation)
    text = _taken(repo, settings, ticket, agent, locale)
    send_prompt(
        repo, repo.get_identity(conversation.identity_id), conversation.id, Say(text), at, locale=locale
    )


def _say(repo: Repository, conversation: Conversation, text: str, at: datetime, locale: str) -> None:
    identity = repo.get_identity(conversation.identity_id)
    send_prompt(repo, identity, conversation.id, Say(text), at, locale=locale)


def _taken(repo: Repository, settings: Settings, ticket: Ticket, agent: str, locale: str) -> str:
    team = settings.config.teams.get(ticket.team)
    team_name = (team.name if team else "") or ticket.team
    return settings.text("ticket_taken", locale).format(agent=repo.agent_name(agent), team=team_name)


def _window_open(repo: Repository, settings: Settings, conversation: Conversation, at: datetime) -> bool:
    """Whether the channel lets the bot write now (WhatsApp and WeChat only within their window)."""
    window = settings.windows.get(conversation.channel)
    if window is None:
        return True
    identity = repo.get_identity(conversation.identity_id)
    return window.refusal(conversation.channel, identity.last_inbound_at, at) is None

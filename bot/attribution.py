"""Who a survey is credited to, decided once when the conversation ends (pure functions).

A survey is credited to the agents who handled the conversation: those who wrote to the customer
(``Conversation.agents``) and the agent who resolved it, and to the bot (:data:`BOT`) when the bot
resolved it. The credit is taken when the survey is created, so agents who work the DSAT ticket the
survey opens later are judged by the re-survey after it, not by the score that opened it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.config.schema import Config
from bot.records import Conversation, Ticket, TranscriptMessage

BOT = "bot"
"""The agent name reports use for the bot, when it resolved a conversation itself."""


@dataclass(frozen=True, slots=True)
class Credit:
    """What a survey is credited to: agents (each counts it once), the team, the conversation's intent."""

    agents: tuple[str, ...] = ()
    team: str | None = None
    intent: str | None = None


def credit(
    config: Config,
    conversation: Conversation,
    how: str,
    by: str,
    transcript: Sequence[TranscriptMessage],
    open_ticket: Ticket | None = None,
) -> Credit:
    """The credit of the survey of ``conversation``, resolved ``how`` (``agent_resolved``, ``idle``,
    ``bot_resolved``) by ``by``.

    The team is the one that held a ticket of the conversation when it ended (an escalation during
    the conversation), else the first team listing one of the agents as a member, else, when a human
    agent handled it, the DSAT team; a conversation only the bot handled has no team.
    """
    agents = list(conversation.agents)
    if how == "agent_resolved" and by:
        agents.append(by)
    if how == "bot_resolved":
        agents.append(BOT)
    agents = list(dict.fromkeys(agents))
    humans = [a for a in agents if a != BOT]
    team: str | None = None
    if open_ticket is not None:
        team = open_ticket.team
    if team is None:
        team = next((tid for tid, t in config.teams.items() if any(a in t.members for a in humans)), None)
    if team is None and humans:
        team = config.dsat.team
    return Credit(tuple(agents), team, conversation_intent(transcript))


def conversation_intent(transcript: Sequence[TranscriptMessage]) -> str | None:
    """What the conversation was about: the first classified customer message's intent, ``other``
    only when no message said more."""
    intents = [
        found.intent
        for message in transcript
        if message.direction == "in" and (found := message.classification) and found.intent
    ]
    return next((i for i in intents if i != "other"), intents[0] if intents else None)


def ticket_credit(ticket: Ticket, agent: str) -> Credit:
    """The credit of a re-survey after ``ticket``: its assignee and ``agent`` who resolved it, its team."""
    agents = tuple(dict.fromkeys(a for a in (ticket.assignee, agent) if a))
    return Credit(agents, ticket.team, ticket.intent)

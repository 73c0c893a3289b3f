"""What a survey is credited to (``bot.attribution``): agents, team and the conversation's intent."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.attribution import BOT, Credit, conversation_intent, credit, ticket_credit
from bot.config.schema import Config
from bot.records import Conversation, MessageLabels, Ticket, TranscriptMessage

from ..support.config import config_data

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def config() -> Config:
    data = config_data()
    data["teams"]["support"]["members"] = ["amy", "bob"]
    data["teams"]["billing"] = {"name": "Billing", "sla": "1d", "members": ["carol"]}
    return Config.model_validate(data)


def conversation(*agents: str) -> Conversation:
    return Conversation(1, 1, 1, "webchat", "open", T0, T0, agents=agents)


def said(intent: str | None, direction: str = "in") -> TranscriptMessage:
    labels = MessageLabels(intent=intent) if intent else None
    return TranscriptMessage(
        id=1, conversation_id=1, direction=direction, author="customer", text="", at=T0, classification=labels
    )


def test_the_agents_who_wrote_and_who_resolved_each_count_once() -> None:
    got = credit(config(), conversation("amy", "carol"), "agent_resolved", "amy", [])
    assert got == Credit(("amy", "carol"), "support", None)  # the first team with one of them


def test_a_conversation_only_the_bot_handled_has_no_team() -> None:
    assert credit(config(), conversation(), "bot_resolved", "", []) == Credit((BOT,), None, None)


def test_an_agent_of_no_team_credits_the_dsat_team() -> None:
    got = credit(config(), conversation("dave"), "idle", "idle", [])
    assert got.agents == ("dave",) and got.team == config().dsat.team


def test_the_team_holding_a_ticket_of_the_conversation_wins() -> None:
    ticket = Ticket(7, 1, 1, "billing", "open", ("CSAT 1",))
    got = credit(config(), conversation("amy"), "agent_resolved", "amy", [], ticket)
    assert got.team == "billing"


def test_the_intent_is_the_first_customer_message_that_says_more_than_other() -> None:
    assert (
        conversation_intent([said("other"), said("refund", "out"), said(None), said("delivery")])
        == "delivery"
    )
    assert conversation_intent([said("other"), said(None)]) == "other"
    assert conversation_intent([said(None)]) is None


def test_a_re_survey_after_a_ticket_credits_its_assignee_and_who_resolved_it() -> None:
    ticket = Ticket(7, 1, 1, "billing", "resolved", (), assignee="carol", intent="refund")
    assert ticket_credit(ticket, "dave") == Credit(("carol", "dave"), "billing", "refund")
    assert ticket_credit(ticket, "carol") == Credit(("carol",), "billing", "refund")

"""Plain records the core reads from storage (``bot.records``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.records import OPEN_TICKET_STATUSES, Conversation, Identity, Survey, Ticket
from bot.survey import SurveyState

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "is_open"),
    [("open", True), ("assigned", True), ("contacted", True), ("resolved", False), ("closed", False)],
)
def test_a_ticket_is_open_while_it_is_being_worked(status: str, is_open: bool) -> None:
    ticket = Ticket(1, 1, 1, "support", status, ("DSAT",))
    assert ticket.is_open is is_open
    assert (status in OPEN_TICKET_STATUSES) is is_open


def test_defaults_of_what_storage_may_leave_out() -> None:
    identity = Identity(1, 2, "webchat", "", "ann")
    assert (identity.display_name, identity.locale, identity.last_inbound_at) == ("", "", None)
    conversation = Conversation(1, 2, 1, "webchat", "open", AT, AT)
    assert (conversation.waiting_on, conversation.agents, conversation.resolution) == ("support", (), None)
    survey = Survey("s1", 2, 1, 1, "webchat", "csat", "v1", SurveyState("s1", "en"), AT)
    assert (survey.kind, survey.sent_at, survey.ticket_id) == ("main", None, None)
    ticket = Ticket(1, 2, 1, "support", "open", ())
    assert (ticket.priority, ticket.answers, ticket.transcript, ticket.assignee) == ("normal", (), (), None)

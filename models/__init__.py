"""SQLModel tables: the rows csatbot keeps. Data access lives in ``storage``."""

from models.tables import (
    Answer,
    ConsoleSession,
    Conversation,
    Customer,
    FlowVersion,
    Identity,
    InboundReceipt,
    LinkToken,
    LoginThrottle,
    Message,
    Outbox,
    Survey,
    Ticket,
    TicketEvent,
    Timer,
    User,
)

__all__ = [
    "Answer",
    "ConsoleSession",
    "Conversation",
    "Customer",
    "FlowVersion",
    "Identity",
    "InboundReceipt",
    "LinkToken",
    "LoginThrottle",
    "Message",
    "Outbox",
    "Survey",
    "Ticket",
    "TicketEvent",
    "Timer",
    "User",
]

"""SQLModel tables: the rows csatbot keeps. Data access lives in ``storage``."""

from models.tables import (
    Answer,
    AutoAnswer,
    Conversation,
    Customer,
    FlowVersion,
    Identity,
    InboundReceipt,
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
    "AutoAnswer",
    "Conversation",
    "Customer",
    "FlowVersion",
    "Identity",
    "InboundReceipt",
    "Message",
    "Outbox",
    "Survey",
    "Ticket",
    "TicketEvent",
    "Timer",
    "User",
]

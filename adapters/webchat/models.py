"""What the web chat API answers: the customer's session, an accepted message and the chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from adapters.webchat.sessions import HEADER


class SessionIssued(BaseModel):
    verified: bool
    expires_at: datetime
    token: str | None = Field(default=None, description=f"send it in {HEADER} (only when cookie is false)")


class Accepted(BaseModel):
    duplicate: bool
    survey_id: str | None
    stale: bool = Field(
        default=False,
        description="a tap on a question no longer open (answered in another tab, or its survey over): "
        "nothing was stored; read the chat for what is current",
    )


class ChatMessage(BaseModel):
    """A message as the customer sees it (no conversation id, no triage labels); the optional keys
    appear only when they apply."""

    id: int
    direction: str = Field(description="'in' (the customer) or 'out' (bot or agent)")
    author: str
    text: str
    at: str = Field(description="ISO 8601")
    prompt: dict[str, Any] | None = Field(default=None, description="a bot question: its type and options")
    recorded: dict[str, Any] | None = Field(default=None, description="a reply: what it was recorded as")
    survey_id: str | None = Field(default=None, description="the survey the message belongs to")


class Messages(BaseModel):
    messages: list[ChatMessage]
    last_id: int

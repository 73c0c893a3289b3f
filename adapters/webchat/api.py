"""Customer-side web chat API: send a message or a button choice, read the bot's messages."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from adapters.strict_json import StrictJSONRoute
from adapters.webchat.channel import WebChatChannel
from bot.messages import ChoicePicked, InboundMessage, Text
from bot.ports import Clock
from bot.service import ConversationService
from storage.store import SqlStore

STATIC = Path(__file__).parent / "static"
UserId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.@:-]+$")]


class Choice(BaseModel):
    """A tapped button: which survey question and which value."""

    model_config = ConfigDict(extra="forbid")
    survey: str = Field(max_length=32)
    step: str = Field(max_length=32)
    value: str = Field(max_length=64)
    label: str = Field(default="", max_length=200)


class CustomerMessage(BaseModel):
    """A message from the web chat page: ``text`` or ``choice``, exactly one."""

    model_config = ConfigDict(extra="forbid")
    user: UserId
    text: str | None = Field(default=None, min_length=1, max_length=4096)
    choice: Choice | None = None
    id: str | None = Field(default=None, max_length=64, description="client message id; resends are ignored")
    name: str = Field(default="", max_length=100)
    locale: str = Field(default="", max_length=16)

    @model_validator(mode="after")
    def _one_payload(self) -> CustomerMessage:
        if (self.text is None) == (self.choice is None):
            raise ValueError("give exactly one of text and choice")
        return self


class Accepted(BaseModel):
    duplicate: bool
    conversation_id: int | None
    survey_id: str | None


class Messages(BaseModel):
    messages: list[dict[str, Any]]
    last_id: int


class WebChatContext(Protocol):
    service: ConversationService
    store: SqlStore
    webchat: WebChatChannel
    clock: Clock


def webchat_router(ctx: WebChatContext) -> APIRouter:
    """Routes for the page (``/``) and its API (``/api/webchat``)."""
    router = APIRouter(route_class=StrictJSONRoute)

    @router.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @router.get("/static/webchat/{name}", include_in_schema=False)
    async def asset(name: str) -> FileResponse:
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not path.is_file():
            raise HTTPException(404)
        return FileResponse(path)

    @router.post("/api/webchat/messages", response_model=Accepted, status_code=202, tags=["web chat"])
    async def post_message(body: CustomerMessage) -> Accepted:
        """Send a customer message (typed text or a tapped choice) into the chat."""
        payload = (
            Text(body.text)
            if body.text is not None
            else ChoicePicked(body.choice.survey, body.choice.step, body.choice.value, body.choice.label)  # type: ignore[union-attr]
        )
        message = InboundMessage(
            channel="webchat",
            account="",
            user=body.user,
            platform_id=body.id or uuid.uuid4().hex,
            received_at=ctx.clock.now(),
            payload=payload,
            display_name=body.name,
            locale=body.locale,
        )
        result = await ctx.service.handle(message)
        if not result.duplicate:
            ctx.webchat.notify(body.user)  # the customer's own message shows in their other long polls
        return Accepted(
            duplicate=result.duplicate, conversation_id=result.conversation_id, survey_id=result.survey_id
        )

    @router.get("/api/webchat/messages", response_model=Messages, tags=["web chat"])
    async def get_messages(
        user: Annotated[str, Query(min_length=1, max_length=128)],
        after: Annotated[int, Query(ge=0)] = 0,
        wait: Annotated[float, Query(ge=0, le=30, description="long-poll seconds when nothing is new")] = 0,
    ) -> Messages:
        """The chat's messages after id ``after``, oldest first (customer, bot and agent)."""
        # Listen before reading: a message sent while we read still wakes this poll.
        event = ctx.webchat.listen(user) if wait > 0 else None
        found = await _read(ctx, user, after)
        if not found and event is not None:
            await ctx.webchat.wait(user, wait, event)
            found = await _read(ctx, user, after)
        return Messages(messages=found, last_id=found[-1]["id"] if found else after)

    return router


async def _read(ctx: WebChatContext, user: str, after: int) -> list[dict[str, Any]]:
    def work(repo: Any) -> list[dict[str, Any]]:
        identity = repo.find_identity("webchat", "", user)
        return [] if identity is None else repo.messages_for(identity.id, after)

    return await ctx.store.read(work)

"""Working a ticket through the support API: one operation per action, ``POST
/api/tickets/{ticket_id}/{action}``, each with the body it needs, so the schema says what each
action takes (``assign`` an ``assignee``, ``note`` and ``reply`` a ``text``, the others nothing).

The handlers still check the bodies themselves: a missing field is refused with a sentence
(``reply needs 'text'``), as before the operations were split.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from adapters.kit.refusals import refusals
from bot.service import TicketAction
from csatbot.access import Who
from csatbot.api_models import TicketDetail
from csatbot.console.queue import assignees
from csatbot.console.users import Users
from csatbot.edge import MAX_TEXT, IdempotencyKey, RowId, Said, keyed_request, said_schema
from csatbot.runtime import Runtime
from storage import queries

MAX_NAMES_SHOWN = 20
"""How many possible assignees a refused assignment lists."""
ASSIGNEE = {"type": "string", "minLength": 1, "maxLength": 64}


class TicketWork(BaseModel):
    """The text or assignee the action needs (who works the ticket is the caller)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    assignee: str | None = Field(default=None, min_length=1, max_length=64)


class TicketText(TicketWork):
    """``note`` and ``reply``: the text (the handler refuses a body without one, by name)."""

    model_config = ConfigDict(json_schema_extra={"required": ["text"]})
    text: Annotated[str | None, Said, said_schema()] = Field(default=None, min_length=1, max_length=MAX_TEXT)


class TicketAssignee(TicketWork):
    """``assign``: to whom (a console user or a member of the ticket's team)."""

    model_config = ConfigDict(json_schema_extra={"required": ["assignee"]})
    assignee: Annotated[str | None, WithJsonSchema(ASSIGNEE)] = Field(
        default=None, min_length=1, max_length=64
    )


class TicketClaim(TicketWork):
    """``claim``: optionally ``holder``, whom the caller saw holding the ticket. A claim takes an
    unassigned ticket, or one still held by ``holder``; anyone else's is a 409 (two agents who claim
    it at once do not both get it)."""

    holder: str | None = Field(default=None, min_length=1, max_length=64)


BODIES: dict[TicketAction, type[TicketWork]] = {
    "claim": TicketClaim,
    "assign": TicketAssignee,
    "note": TicketText,
    "reply": TicketText,
    "resolve": TicketWork,
    "close": TicketWork,
}
SUMMARIES: dict[TicketAction, str] = {
    "claim": "Take the ticket as the caller (from no one, or from ``holder``).",
    "assign": "Assign the ticket to ``assignee``.",
    "note": "Add an internal note.",
    "reply": "Reply to the customer, in their channel.",
    "resolve": "Resolve the ticket (sends the close-the-loop message).",
    "close": "Close the ticket.",
}


def add_ticket_routes(router: APIRouter, rt: Runtime) -> None:
    """The ``/tickets/{ticket_id}/{action}`` operations, declared on the support router (behind its
    token)."""
    users = Users(rt.database)

    async def check_assignee(ticket_id: int, assignee: str) -> None:
        """422 unless ``assignee`` is someone the console could assign the ticket to (a ghost name
        or a blank one would hold the ticket where nobody sees it)."""
        team = await rt.store.read(lambda repo: repo.get_ticket(ticket_id).team)
        known = await asyncio.to_thread(assignees, users, rt.settings().config, team)
        if assignee not in known:
            shown = ", ".join(known[:MAX_NAMES_SHOWN]) + (", ..." if len(known) > MAX_NAMES_SHOWN else "")
            raise HTTPException(
                422,
                f"assignee {assignee[:64]!r} is neither a console user nor a member of team "
                f"{team!r}; assign to one of: {shown or '(none: add one with csatbot users add)'}",
            )

    async def work(
        action: TicketAction, ticket_id: int, body: TicketWork, who_name: str, key: str | None
    ) -> dict[str, Any]:
        text = body.assignee if action == "assign" else body.text
        if isinstance(body, TicketClaim):
            text = body.holder
        if action in ("assign", "note", "reply") and not text:
            field = "assignee" if action == "assign" else "text"
            raise HTTPException(422, f"{action} needs '{field}'")
        if action == "assign":
            await check_assignee(ticket_id, text or "")
        request = keyed_request(who_name, key, f"POST /api/tickets/{ticket_id}/{action}", body)
        await rt.service.ticket(action, ticket_id, who_name, text or "", request=request)
        return await rt.store.read(lambda repo: queries.ticket_detail(repo.session, ticket_id))

    for action, body in BODIES.items():
        router.add_api_route(
            f"/tickets/{{ticket_id}}/{action}",
            _endpoint(action, body, work),
            methods=["POST"],
            response_model=TicketDetail,
            response_model_exclude_unset=True,
            responses=refusals(404, 409),
            name=f"ticket_{action}",
            summary=SUMMARIES[action],
        )

    # Every known action has its own route above: this one only answers 422 for the others, as the
    # single route with an ``action`` parameter did (it never answers 200).
    @router.post("/tickets/{ticket_id}/{action}", include_in_schema=False, response_model=TicketDetail)
    async def unknown_action(ticket_id: RowId, action: TicketAction) -> None:
        raise HTTPException(422, f"unknown action {action!r}")


def _endpoint(action: TicketAction, body: type[TicketWork], work: Any) -> Any:
    """The endpoint of ``action``, taking ``body``."""

    async def endpoint(
        ticket_id: RowId, body: TicketWork, who: Who, idempotency_key: IdempotencyKey = None
    ) -> dict[str, Any]:
        result: dict[str, Any] = await work(action, ticket_id, body, who.name, idempotency_key)
        return result

    # The module's annotations are strings; this one names the action's own model (FastAPI reads
    # the signature's annotations to build the body and its schema).
    endpoint.__annotations__ = {**endpoint.__annotations__, "body": body}
    return endpoint

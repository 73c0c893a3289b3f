"""Work several tickets at once from the queue (assign or resolve), and saved queue filters."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response
from pydantic import Field

from adapters.kit.text import BLANK
from bot.errors import ConflictError, NotFoundError
from csatbot.console.auth import Agent, check_csrf
from csatbot.console.i18n import translate
from csatbot.console.queue import assignee_choices
from csatbot.console.render import flash, language, redirect, runtime_of
from csatbot.edge import Digits, RowId
from csatbot.runtime import Runtime
from models import MAX_ROW_ID
from storage.saved_filters import MAX_QUERY, SavedFilters

router = APIRouter()
MAX_BULK = 200
QUEUE_KEYS = frozenset({"status", "team", "assignee", "channel", "overdue"})
TicketId = Annotated[int, Field(ge=1, le=MAX_ROW_ID), Digits]


def queue_query(text: str) -> str:
    """``text`` as a queue query string, keeping only the queue's own filters."""
    return urlencode([(k, v) for k, v in parse_qsl(text[:500]) if k in QUEUE_KEYS and v])


@router.post("/tickets/bulk", dependencies=[Depends(check_csrf)])
async def bulk(
    request: Request,
    user: Agent,
    action: Annotated[Literal["assign", "resolve"], Form()],
    ids: Annotated[list[TicketId], Form(max_length=MAX_BULK)] = [],  # noqa: B006 (FastAPI copies it)
    assignee: Annotated[str, Form(max_length=64)] = "",
    back: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Assign or resolve every picked ticket as the signed-in user; say how many were done and which
    could not be (a closed ticket, one somebody else resolved meanwhile)."""
    runtime = runtime_of(request)
    lang = language(request)
    target = f"/?{queue_query(back)}" if queue_query(back) else "/"
    if not ids:
        flash(request, "error", translate(lang, "bulk.none"))
        return redirect(request, target)
    if action == "assign" and assignee not in await assignee_choices(request):
        flash(request, "error", translate(lang, "error.unknown_assignee", name=assignee or "-"))
        return redirect(request, target)
    done: list[int] = []
    skipped: list[str] = []
    choices: dict[str | None, list[str]] = {}  # per team: who a ticket of it may go to
    for ticket_id in dict.fromkeys(ids):
        try:
            if action == "assign":
                team = await _team_of(runtime, ticket_id)
                if team not in choices:
                    choices[team] = await assignee_choices(request, team)
                if assignee not in choices[team]:  # as the ticket's own page refuses it
                    unknown = translate(lang, "error.unknown_assignee", name=assignee)
                    skipped.append(f"#{ticket_id}: {unknown}")
                    continue
            await runtime.service.ticket(
                action, ticket_id, user.username, assignee if action == "assign" else ""
            )
        except (ConflictError, NotFoundError) as exc:
            skipped.append(str(exc))
        else:
            done.append(ticket_id)
    text = translate(lang, f"bulk.done_{action}", n=len(done), name=assignee)
    if skipped:
        text += " " + translate(lang, "bulk.skipped", n=len(skipped), why="; ".join(skipped))
    flash(request, "error" if skipped and not done else "ok", text)
    return redirect(request, target)


async def _team_of(runtime: Runtime, ticket_id: int) -> str | None:
    return await runtime.store.read(lambda repo: repo.get_ticket(ticket_id).team)


@router.post("/filters", dependencies=[Depends(check_csrf)])
async def save_filter(
    request: Request,
    user: Agent,
    name: Annotated[str, Form(min_length=1, max_length=64)],
    query: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Keep the queue's current filters under ``name`` (a link on the queue page, for this user)."""
    runtime = runtime_of(request)
    lang = language(request)
    kept, name = queue_query(query), name.strip()
    if BLANK.fullmatch(name):  # the page's field is required: "" was saved as a filter's name
        raise HTTPException(400, translate(lang, "error.filter_name_needed"))
    if len(kept) > MAX_QUERY:  # kept percent-encoded: "é" is 6 characters (PostgreSQL refused: a 500)
        raise HTTPException(400, translate(lang, "error.filter_too_long", n=MAX_QUERY))
    saved = await asyncio.to_thread(
        SavedFilters(runtime.database).save, user.username, name, kept, runtime.clock.now()
    )
    flash(
        request,
        "ok" if saved else "error",
        translate(lang, "saved.done" if saved else "saved.full", name=name),
    )
    return redirect(request, f"/?{kept}" if kept else "/")


@router.post("/filters/{filter_id}/delete", dependencies=[Depends(check_csrf)])
async def delete_filter(request: Request, user: Agent, filter_id: RowId) -> Response:
    removed = await asyncio.to_thread(
        SavedFilters(runtime_of(request).database).remove, user.username, filter_id
    )
    flash(
        request,
        "ok" if removed else "error",
        translate(
            language(request), "saved.removed" if removed else "error.not_found", detail=str(filter_id)
        ),
    )
    return redirect(request, "/")

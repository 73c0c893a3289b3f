"""Conversations in the console (what the old ``/agent`` desk did): the list, one conversation with
its transcript and survey, and reply, resolve or escalate as the signed-in user."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from adapters.kit.text import BLANK
from bot.errors import ConflictError
from csatbot.console.auth import Agent, check_csrf
from csatbot.console.i18n import translate
from csatbot.console.render import flash, language, page, redirect, runtime_of
from csatbot.console.ticket import option_labels, refusal_text
from csatbot.edge import MAX_REASON, RowId
from csatbot.local_times import local_time
from storage import queries

router = APIRouter()
LIMIT = 200


@router.get("/conversations")
async def conversations(
    request: Request, user: Agent, status: Annotated[Literal["open", "resolved", "all"], Query()] = "open"
) -> Response:
    """Conversations, most recently active first."""
    runtime = runtime_of(request)
    wanted = None if status == "all" else status
    rows = await runtime.store.read(lambda repo: queries.list_conversations(repo.session, wanted, LIMIT))
    return page(request, "conversations.html", conversations=rows, status=status, limit=LIMIT)


@router.get("/conversations/{conversation_id}")
async def conversation_page(request: Request, conversation_id: RowId, user: Agent) -> Response:
    runtime = runtime_of(request)
    settings = runtime.settings()
    lang = language(request)
    conversation = await runtime.store.read(
        lambda repo: queries.conversation_detail(repo.session, conversation_id)
    )
    survey = conversation.get("survey")
    return page(
        request,
        "conversation.html",
        conversation=conversation,
        survey=survey,
        labels=option_labels(settings.config, survey, lang),
    )


@router.get("/conversations/{conversation_id}/transcript")
async def transcript(request: Request, conversation_id: RowId, user: Agent) -> Response:
    """Only the transcript: what a conversation's (or its ticket's) page fetches when a message came."""
    runtime = runtime_of(request)
    conversation = await runtime.store.read(
        lambda repo: queries.conversation_detail(repo.session, conversation_id)
    )
    return page(request, "_transcript.html", conversation=conversation)


@router.post("/conversations/{conversation_id}/{action}", dependencies=[Depends(check_csrf)])
async def work(
    request: Request,
    conversation_id: RowId,
    action: Literal["reply", "resolve", "resolve_now", "escalate"],
    user: Agent,
    text: Annotated[str, Form(max_length=4096)] = "",
    once: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Reply in the customer's channel, resolve (the survey follows the triggers, or goes out now),
    or escalate to a team with a reason: as the signed-in user. A reply form's ``once`` (its own
    token) sends it once however often the form is sent (a double click)."""
    runtime = runtime_of(request)
    lang = language(request)
    timezone = runtime.settings().config.timezone
    here = f"/conversations/{conversation_id}"
    text = text.strip()
    if action in ("reply", "escalate") and BLANK.fullmatch(text):  # zero-width characters too, as the API
        flash(request, "error", translate(lang, "error.text_needed"))
        return redirect(request, here)
    if action == "escalate" and len(text) > MAX_REASON:  # as the API refuses it
        flash(request, "error", translate(lang, "error.reason_too_long", n=MAX_REASON))
        return redirect(request, here)
    try:
        if action == "reply":
            form = f"conversation {conversation_id} reply {once}"
            receipt = ("console", user.username, form) if once else None
            await runtime.service.agent_reply(conversation_id, user.username, text, receipt=receipt)
            flash(request, "ok", translate(lang, "done.reply"))
        elif action == "escalate":
            ticket = await runtime.service.escalate(conversation_id, user.username, text)
            flash(request, "ok", translate(lang, "done.escalate", id=ticket.id))
        else:
            result = await runtime.service.resolve(
                conversation_id, user.username, send_now=action == "resolve_now"
            )
            if result.survey_due_at is not None:
                done = translate(lang, "done.resolve_survey", at=local_time(result.survey_due_at, timezone))
            else:
                done = translate(lang, "done.resolve_no_survey", why=result.skip_reason or "-")
            flash(request, "ok", done)
    except ConflictError as exc:
        flash(request, "error", refusal_text(lang, exc, timezone))
    return redirect(request, here)

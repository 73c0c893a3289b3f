"""One ticket: the customer, transcript, answers and audit trail, and the forms that work it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from adapters.kit.text import BLANK
from bot.config.schema import Config
from bot.errors import ERASED_CUSTOMER, ConflictError, TakenError, UnreachableError, WindowClosedError
from bot.records import Identity
from bot.service import TicketAction
from csatbot.console.auth import Agent, check_csrf
from csatbot.console.i18n import translate
from csatbot.console.queue import assignee_choices, is_overdue
from csatbot.console.render import flash, language, page, redirect, runtime_of
from csatbot.console.wording import in_language, unreachable_text
from csatbot.edge import RowId
from csatbot.local_times import local_time
from storage import queries
from storage.report_scope import SATISFIED_CSAT
from storage.repository import SqlRepository

router = APIRouter()


def refusal_text(lang: str, error: ConflictError, timezone: str) -> str:
    """Why a reply or an action was refused, in the page's language where it is one we know."""
    if isinstance(error, WindowClosedError):
        return window_text(lang, error, timezone)
    if isinstance(error, TakenError):
        return translate(lang, "error.taken", name=error.assignee)
    if isinstance(error, UnreachableError):
        if error.reason == ERASED_CUSTOMER:
            return translate(lang, "error.unreachable_erased")
        why = unreachable_text(lang, error.reason)
        return translate(lang, "error.unreachable", why=why, channel=error.channel)
    return str(error)


def window_text(lang: str, error: WindowClosedError, timezone: str) -> str:
    """Why a reply cannot go out, in the page's language."""
    hours = f"{error.length.total_seconds() / 3600:g}"
    if error.last_inbound_at is None or error.closed_at is None:
        return translate(lang, "error.window_never", channel=error.channel, hours=hours)
    return translate(
        lang,
        "error.window_closed",
        channel=error.channel,
        hours=hours,
        last=local_time(error.last_inbound_at, timezone),
        closed=local_time(error.closed_at, timezone),
    )


def option_labels(config: Config, survey: dict[str, Any] | None, lang: str) -> dict[tuple[str, str], str]:
    """(step, option id) -> the option's label in ``lang``, for the survey's flow as configured now."""
    spec = config.surveys.get(survey["flow"]) if survey else None
    if spec is None:
        return {}
    return {
        (step_id, option.id): in_language(option.label, lang, config) or option.id
        for step_id, step in spec.steps.items()
        for option in step.options or []
    }


def resurvey_state(followup: dict[str, Any] | None) -> tuple[str, str | None]:
    """The re-survey after a resolved DSAT ticket: (``none``, ``waiting``, ``expired``, ``recovered``
    or ``not_recovered``; when it was sent)."""
    if followup is None or followup.get("sent_at") is None:
        return "none", None
    scores = [a["score"] for a in followup.get("answers", []) if a.get("kind") == "csat" and "score" in a]
    if scores:
        return ("recovered" if scores[0] >= SATISFIED_CSAT else "not_recovered"), followup["sent_at"]
    return ("expired" if followup["status"] in ("expired", "skipped") else "waiting"), followup["sent_at"]


def _load(repo: SqlRepository, ticket_id: int) -> tuple[dict[str, Any], dict[str, Any], Identity]:
    detail = queries.ticket_detail(repo.session, ticket_id)
    conversation = queries.conversation_detail(repo.session, detail["conversation_id"])
    identity = repo.get_identity(repo.get_conversation(detail["conversation_id"]).identity_id)
    return detail, conversation, identity


@router.get("/tickets/{ticket_id}")
async def ticket_page(request: Request, ticket_id: RowId, user: Agent) -> Response:
    runtime = runtime_of(request)
    settings = runtime.settings()
    lang = language(request)
    now = runtime.clock.now()
    detail, conversation, identity = await runtime.store.read(lambda repo: _load(repo, ticket_id))
    channel = conversation["channel"]
    window = settings.windows.get(channel)
    refusal = window.refusal(channel, identity.last_inbound_at, now) if window else None
    survey = conversation.get("survey")
    return page(
        request,
        "ticket.html",
        ticket=detail | {"overdue": is_overdue(detail, now)},
        conversation=conversation,
        answers=survey["answers"] if survey else detail["answers"],
        labels=option_labels(settings.config, survey, lang),
        window_closed=window_text(lang, refusal, settings.config.timezone) if refusal else None,
        window_closes=window.closes_at(identity.last_inbound_at) if window and not refusal else None,
        assignees=await assignee_choices(request, detail["team"]),
        resurvey=resurvey_state(conversation.get("followup")),
        followup=conversation.get("followup"),
        triaged=[m for m in conversation["transcript"] if (m.get("classification") or {}).get("triage")],
    )


@router.post("/tickets/{ticket_id}/{action}", dependencies=[Depends(check_csrf)])
async def work(
    request: Request,
    ticket_id: RowId,
    action: TicketAction,
    user: Agent,
    text: Annotated[str, Form(max_length=4096)] = "",
    assignee: Annotated[str, Form(max_length=64)] = "",
    once: Annotated[str, Form(max_length=64)] = "",
    holder: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Claim, assign, reply, note, resolve or close as the signed-in user, then show the ticket again.

    ``once`` (the form's own token) does it once however often the form is sent (a double click)."""
    runtime = runtime_of(request)
    lang = language(request)
    text = text.strip()
    if action in ("reply", "note") and BLANK.fullmatch(text):  # zero-width characters too, as the API
        flash(request, "error", translate(lang, "error.text_needed"))
        return redirect(request, f"/tickets/{ticket_id}")
    if action == "assign":
        team = await runtime.store.read(lambda repo: repo.get_ticket(ticket_id).team)
        if assignee not in await assignee_choices(request, team):
            flash(request, "error", translate(lang, "error.unknown_assignee", name=assignee or "-"))
            return redirect(request, f"/tickets/{ticket_id}")
        text = assignee
    if action == "claim":
        text = holder  # whom the page showed holding it: the claim takes it from no one else
    try:
        receipt = ("console", user.username, f"ticket {ticket_id} {action} {once}") if once else None
        await runtime.service.ticket(action, ticket_id, user.username, text, receipt=receipt)
    except ConflictError as exc:
        flash(request, "error", refusal_text(lang, exc, runtime.settings().config.timezone))
    else:
        flash(request, "ok", translate(lang, f"done.{action}", name=text))
    return redirect(request, f"/tickets/{ticket_id}")

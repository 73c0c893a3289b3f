"""The ticket queue: filters, SLA due times and what is overdue."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from bot.config import Config
from bot.records import OPEN_TICKET_STATUSES
from csatbot.console.auth import Agent, users_of
from csatbot.console.render import page, runtime_of
from csatbot.console.users import Users
from storage import queries
from storage.saved_filters import SavedFilters

router = APIRouter()
STATUSES = (*OPEN_TICKET_STATUSES, "resolved", "closed")
LIMIT = 200


def is_overdue(ticket: dict[str, Any], now: datetime) -> bool:
    """Open and past its SLA, or past its first-response SLA with no reply yet."""
    if ticket["status"] not in OPEN_TICKET_STATUSES:
        return False
    if datetime.fromisoformat(ticket["sla_due_at"]) < now:
        return True
    first_due = ticket.get("first_response_due_at")
    return (
        first_due is not None
        and not ticket.get("first_responded_at")
        and datetime.fromisoformat(first_due) < now
    )


def assignees(users: Users, config: Config, team: str | None = None) -> list[str]:
    """Who a ticket can go to: console users and the configured team members (of ``team``, or all).
    The console and the support API both check an assignee against this."""
    teams = [config.teams[team]] if team in config.teams else list(config.teams.values())
    return sorted({a.username for a in users.list()} | {m for spec in teams for m in spec.members})


async def assignee_choices(request: Request, team: str | None = None) -> list[str]:
    """:func:`assignees` for a console request."""
    config = runtime_of(request).settings().config
    return await asyncio.to_thread(assignees, users_of(request), config, team)


@router.get("/")
async def queue(
    request: Request,
    user: Agent,
    status: Annotated[str, Query(max_length=16)] = "active",
    team: Annotated[str, Query(max_length=64)] = "",
    assignee: Annotated[str, Query(max_length=64)] = "",
    channel: Annotated[str, Query(max_length=32)] = "",
    overdue: bool = False,
    fragment: bool = False,
) -> Response:
    """Open tickets, most urgent first (priority, then the next due time); other statuses newest
    first. ``fragment`` renders only the rows (what the live queue fetches when tickets change)."""
    runtime = runtime_of(request)
    config = runtime.settings().config
    now = runtime.clock.now()
    active = status == "active" or status not in (*STATUSES, "all")
    mine_or_named = user.username if assignee == "mine" else assignee
    where = queries.TicketFilter(
        status=status if status in STATUSES and not active else None,
        statuses=OPEN_TICKET_STATUSES if active else None,
        team=team or None,
        assignee=mine_or_named if assignee not in ("", "unassigned") else None,
        unassigned=assignee == "unassigned",
        channel=channel or None,
        overdue_at=now if overdue else None,
    )
    rows, total = await runtime.store.read(
        lambda repo: (
            queries.list_tickets(repo.session, where, LIMIT, most_urgent_first=active),
            queries.count_tickets(repo.session, where),
        )
    )
    for row in rows:
        row["overdue"] = is_overdue(row, now)
    teams = {key: spec.name or key for key, spec in config.teams.items()}
    if fragment:
        return page(request, "_queue_rows.html", tickets=rows, total=total, teams=teams)
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "fragment" and v != ""])
    saved = await asyncio.to_thread(SavedFilters(runtime.database).list, user.username)
    return page(
        request,
        "queue.html",
        tickets=rows,
        total=total,
        query=query,
        saved=saved,
        more=total > len(rows),
        limit=LIMIT,
        selected={
            "status": "active" if active else status,
            "team": team,
            "assignee": assignee,
            "channel": channel,
            "overdue": overdue,
        },
        statuses=STATUSES,
        teams=teams,
        channels=config.channels.enabled(),
        assignees=await assignee_choices(request),
    )

"""The customer page: identities on every channel, a timeline of conversations, surveys and tickets,
the CSAT/NPS trend and a health colour (:mod:`bot.health`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.health import ScoredSurvey, health
from bot.records import OPEN_TICKET_STATUSES
from csatbot.console.auth import Agent
from csatbot.console.render import page, runtime_of
from csatbot.edge import RowId
from storage.customers import customer_detail

router = APIRouter()


def timeline(customer: dict[str, Any]) -> list[dict[str, Any]]:
    """Conversations, surveys and tickets as one list, newest first (at the same minute, a ticket
    before the survey that opened it, before its conversation)."""
    items = [
        *({"kind": "conversation", "at": c["opened_at"], "item": c} for c in customer["conversations"]),
        *({"kind": "survey", "at": s["sent_at"], "item": s} for s in customer["surveys"] if s["sent_at"]),
        *({"kind": "ticket", "at": t["created_at"], "item": t} for t in customer["tickets"]),
    ]
    order = {"conversation": 0, "survey": 1, "ticket": 2}
    return sorted(items, key=lambda e: (datetime.fromisoformat(e["at"]), order[e["kind"]]), reverse=True)


@router.get("/customers/{customer_id}")
async def customer_page(request: Request, customer_id: RowId, user: Agent) -> Response:
    runtime = runtime_of(request)
    config = runtime.settings().config
    customer = await runtime.store.read(lambda repo: customer_detail(repo.session, customer_id))
    scored = [
        ScoredSurvey(
            datetime.fromisoformat(s["sent_at"]), s["csat"], s["nps"], s["escalated"], s["recovered"]
        )
        for s in customer["surveys"]
        if s["sent_at"]
    ]
    open_dsat = sum(
        1 for t in customer["tickets"] if t["status"] in OPEN_TICKET_STATUSES and t["survey_id"] is not None
    )
    state = health(scored, open_dsat, config.customers.health, config.dsat, runtime.clock.now())
    trend = [
        s for s in customer["surveys"] if s["sent_at"] and (s["csat"] is not None or s["nps"] is not None)
    ]
    return page(
        request,
        "customer.html",
        customer=customer,
        health=state,
        trend=trend,
        timeline=timeline(customer),
        open_dsat=[t for t in customer["tickets"] if t["status"] in OPEN_TICKET_STATUSES and t["survey_id"]],
    )

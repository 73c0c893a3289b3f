"""The HTTP app: web chat, the support API (agent replies, resolving, tickets, reports) and health."""

from __future__ import annotations

import asyncio
import hmac
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from functools import partial
from typing import Annotated, Any

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError

from adapters.kit.refusals import refusals
from adapters.strict_json import StrictJSONRoute
from adapters.webchat import webchat_router
from bot import redaction
from bot.errors import (
    ConflictError,
    CsatbotError,
    KeyReusedError,
    NotFoundError,
    SignatureError,
    WireFormatError,
)
from bot.links import keyed_link_token
from csatbot.access import CSRF_HEADER, Access, Admin, Who, current_principal
from csatbot.api_docs import DOCS_HEADERS, DOCS_PATHS, add_api_docs
from csatbot.api_models import (
    ConversationDetail,
    ConversationRow,
    CustomerLink,
    Erased,
    Health,
    ReadinessDocument,
    ReplySent,
    TicketDetail,
    TicketRow,
)
from csatbot.console.app import console_app
from csatbot.console.session_store import SessionStore
from csatbot.console.sessions import MAX_AGE, SECURITY_HEADERS, secret_key
from csatbot.edge import (
    API_HEADERS,
    MAX_REASON,
    MAX_TEXT,
    DefaultHeaders,
    Digits,
    IdempotencyKey,
    LimitBody,
    OwnRedirects,
    RefuseCoded,
    RefuseNul,
    RowId,
    Said,
    document_nul_refusal,
    invalid_request,
    keyed_request,
    said_schema,
)
from csatbot.metrics import CONTENT_TYPE, METRICS_TOKEN
from csatbot.observe import Observe, webhook_prefixes
from csatbot.quiet import QuietServer
from csatbot.readiness import readiness
from csatbot.report_api import add_report_routes
from csatbot.routing import adopt
from csatbot.runtime import Runtime
from csatbot.ticket_api import add_ticket_routes
from csatbot.tokens import ApiTokens
from csatbot.webhook_lane import Endpoint, EndpointApp, LaneApp, lane_routes
from storage import queries
from storage.db import is_unreachable

RETRY_AFTER = 5
"""Seconds a client is told to wait (``Retry-After``) while the database is unreachable."""
log = logging.getLogger("csatbot.web")
MISSING = refusals(404)
"""For routes that name a row: it may not exist."""
REFUSED = refusals(404, 409)
"""For routes that name a row and may be refused for its state (a customer unreachable or erased)."""


class AgentReply(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT), Said, said_schema()]


class Resolve(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    send_survey_now: bool = Field(default=False, description="skip the trigger's delay and quiet hours")


class Escalation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON), Said, said_schema(MAX_REASON)]


class Resolved(BaseModel):
    conversation_id: int
    already_resolved: bool
    survey_id: str | None
    survey_due_at: datetime | None
    skip_reason: str | None
    wait_reason: str | None = Field(default=None, description="why the survey goes out later (quiet hours)")


class Me(BaseModel):
    name: str
    role: str
    via: str
    csrf: str = Field(description=f"send it in {CSRF_HEADER} on changes made with the console cookie")


def support_router(rt: Runtime, secret: str) -> APIRouter:
    """The support side: what agents and integrations call."""
    router = APIRouter(
        prefix="/api",
        dependencies=[Depends(current_principal)],
        tags=["support"],
        route_class=StrictJSONRoute,
        responses=refusals(400, 401, 403, 413, 422, 503),
    )

    @router.get("/me", response_model=Me)
    async def me(who: Who) -> Me:
        """Who the request acts as (the name replies and reports show) and, for a console session,
        its CSRF token."""
        return Me(name=who.name, role=who.role, via=who.via, csrf=who.csrf)

    @router.get("/conversations", response_model=list[ConversationRow])
    async def conversations(
        status: Annotated[str | None, Query(pattern="^(open|resolved)$")] = None,
        limit: Annotated[int, Query(ge=1, le=500), Digits] = 50,
    ) -> list[dict[str, Any]]:
        """Conversations, most recently active first."""
        return await rt.store.read(lambda repo: queries.list_conversations(repo.session, status, limit))

    @router.get(
        "/conversations/{conversation_id}",
        response_model=ConversationDetail,
        response_model_exclude_unset=True,
        responses=MISSING,
    )
    async def conversation(conversation_id: RowId) -> dict[str, Any]:
        """One conversation with transcript, survey answers and ticket."""
        return await rt.store.read(lambda repo: queries.conversation_detail(repo.session, conversation_id))

    @router.post(
        "/conversations/{conversation_id}/reply", status_code=202, response_model=ReplySent, responses=REFUSED
    )
    async def reply(
        conversation_id: RowId, body: AgentReply, who: Who, idempotency_key: IdempotencyKey = None
    ) -> dict[str, int | None]:
        """Send the caller's reply to the customer in the conversation's own channel (once per
        ``Idempotency-Key``: a repeat sends nothing and answers the first one's ``message_id``)."""
        route = f"POST /api/conversations/{conversation_id}/reply"
        request = keyed_request(who.name, idempotency_key, route, body)
        message_id = await rt.service.agent_reply(conversation_id, who.name, body.text, request=request)
        return {"message_id": message_id}

    @router.post("/conversations/{conversation_id}/resolve", response_model=Resolved, responses=MISSING)
    async def resolve(
        conversation_id: RowId, body: Resolve, who: Who, idempotency_key: IdempotencyKey = None
    ) -> Resolved:
        """Resolve the conversation as the caller; the survey is scheduled per the triggers (idempotent:
        a repeat answers ``already_resolved``, or, with the first one's ``Idempotency-Key``, what the
        first answered)."""
        route = f"POST /api/conversations/{conversation_id}/resolve"
        request = keyed_request(who.name, idempotency_key, route, body)
        result = await rt.service.resolve(
            conversation_id, who.name, send_now=body.send_survey_now, request=request
        )
        return Resolved(**asdict(result))

    @router.post(
        "/customers/{customer_id}/link",
        response_model=CustomerLink,
        response_model_exclude_unset=True,
        responses=REFUSED,
    )
    async def customer_link(
        customer_id: RowId, who: Who, idempotency_key: IdempotencyKey = None
    ) -> dict[str, str]:
        """A deep link that attaches the customer's chat on another channel to this customer: each call
        makes a new one (a repeat with the first one's ``Idempotency-Key`` answers that one), used once
        and expiring after 24 hours. An erased customer gets none (409)."""
        request = keyed_request(who.name, idempotency_key, f"POST /api/customers/{customer_id}/link", None)
        keyed = None if request is None else partial(keyed_link_token, secret, request)
        token, expires_at = await rt.service.link_token(customer_id, keyed=keyed, request=request)
        links = {"token": token, "expires_at": expires_at.isoformat()}
        telegram = rt.settings().config.channels.telegram
        if telegram.enabled and telegram.bot_username:
            links["telegram"] = f"https://t.me/{telegram.bot_username}?start={token}"
        return links

    @router.delete("/customers/{customer_id}", response_model=Erased, responses=MISSING)
    async def erase_customer(
        customer_id: RowId, who: Admin, idempotency_key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Admins: forget the customer's words and identity for good (GDPR erasure). Their messages,
        answers' text, ticket copies, deliveries and notification copies are emptied and their
        identities anonymised; counts and scores stay. The audit trail records who, not what. A
        repeat with the first one's ``Idempotency-Key`` does nothing and answers the first counts."""
        request = keyed_request(who.name, idempotency_key, f"DELETE /api/customers/{customer_id}", None)
        actor = f"{who.name} ({who.via})"
        counts = await rt.service.erase_customer(customer_id, actor, request=request)
        return {"customer_id": customer_id, "erased": counts}

    @router.get("/tickets", response_model=list[TicketRow], response_model_exclude_unset=True)
    async def tickets(
        status: Annotated[str | None, Query(pattern="^(open|assigned|contacted|resolved|closed)$")] = None,
        team: str | None = None,
        assignee: str | None = None,
        channel: str | None = None,
        overdue: Annotated[bool, Query(description="only open tickets past their SLA")] = False,
        limit: Annotated[int, Query(ge=1, le=500), Digits] = 100,
    ) -> list[dict[str, Any]]:
        """Escalation tickets, newest first, filtered."""
        overdue_at = rt.clock.now() if overdue else None
        return await rt.store.read(
            lambda repo: queries.list_tickets(
                repo.session,
                queries.TicketFilter(
                    status=status, team=team, assignee=assignee, channel=channel, overdue_at=overdue_at
                ),
                limit,
            )
        )

    @router.get(
        "/tickets/{ticket_id}",
        response_model=TicketDetail,
        response_model_exclude_unset=True,
        responses=MISSING,
    )
    async def ticket(ticket_id: RowId) -> dict[str, Any]:
        """One ticket: transcript, answers, labels, the customer's channels and the audit trail."""
        return await rt.store.read(lambda repo: queries.ticket_detail(repo.session, ticket_id))

    @router.post(
        "/conversations/{conversation_id}/escalate",
        response_model=TicketDetail,
        response_model_exclude_unset=True,
        responses=REFUSED,
    )
    async def escalate(
        conversation_id: RowId, body: Escalation, who: Who, idempotency_key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Hand the conversation to a team as a ticket (or add the reason to its open ticket); once per
        ``Idempotency-Key``: a repeat answers the first one's ticket."""
        route = f"POST /api/conversations/{conversation_id}/escalate"
        request = keyed_request(who.name, idempotency_key, route, body)
        ticket = await rt.service.escalate(conversation_id, who.name, body.reason, request=request)
        return await rt.store.read(lambda repo: queries.ticket_detail(repo.session, ticket.id))

    add_ticket_routes(router, rt)  # /tickets/{ticket_id}/{action} (csatbot.ticket_api)
    add_report_routes(router, rt)  # /reports, /reports/surveys, ... (csatbot.report_api)

    return router


class Server(QuietServer):
    """uvicorn's server that ends the web chat's long polls and the console's live-queue streams
    first when it shuts down.

    An open chat page always holds a long poll (up to 30 s) and an open queue page an event stream
    (up to 5 min); without this, Ctrl+C waits for them.
    """

    def __init__(self, runtime: Runtime, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.runtime = runtime

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.runtime.closing = True
        self.runtime.webchat.close()
        await super().shutdown(sockets)


def create_app(runtime: Runtime, *, start_workers: bool = True) -> FastAPI:
    """The ASGI app around ``runtime``; its lifespan starts and stops the workers."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if start_workers:
            await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = LaneApp(
        title="csatbot",
        summary="In-chat customer-satisfaction surveys and ticket triage",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from the package by add_api_docs: the CDN ones are blank offline
        redoc_url=None,
    )
    add_api_docs(app)
    secret = secret_key(runtime.database.url, runtime.environ)
    redaction.protect([secret])  # also when it came from the key file rather than the environment
    sessions = SessionStore(runtime.database, runtime.clock, timedelta(seconds=MAX_AGE))
    app.state.access = Access(ApiTokens(runtime.database), sessions, secret, runtime.environ)
    webhooks: dict[str, list[str]] = {}
    lane: dict[str, Endpoint] = {}
    for adapter in runtime.adapters.values():
        routes = adapter.routes()
        webhooks[adapter.name] = [str(getattr(route, "path", "")) for route in routes.routes]
        lane |= lane_routes(routes.routes)
        adopt(app, routes, tags=[f"webhook: {adapter.name}"])
    adopt(app, webchat_router(runtime, secret, runtime.settings().config.channels.webchat))
    adopt(app, support_router(runtime, secret))
    app.mount("/console", console_app(runtime, secret=secret))  # the support team's web console (HTML)

    @app.get("/agent", include_in_schema=False)
    async def agent_desk() -> Response:
        """The old agent desk lives in the console now (behind its sign-in)."""
        return RedirectResponse("/console/conversations", status_code=308)

    @app.get("/healthz", tags=["ops"], response_model=Health)
    async def health() -> dict[str, str]:
        """Liveness: the process answers (it checks nothing else; see ``/readyz``)."""
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["ops"],
        response_class=JSONResponse,
        responses={
            200: {"model": ReadinessDocument, "description": "ready"},
            503: {"model": ReadinessDocument, "description": "not ready: `problems` says why"},
        },
    )
    async def ready() -> JSONResponse:
        """Readiness: 200 when the database answers, the schema is at head, the triage model is ready
        or on its way and the outbox keeps up; else 503 with ``problems`` naming what is wrong.
        ``worker`` names the answering process (its lease owner id; one per ``--workers`` process)."""
        found = await readiness(runtime)
        document = {**found.document(), "worker": runtime.leases.worker}
        return JSONResponse(document, status_code=503 if found.problems else 200)

    for path, probe in (("/healthz", health), ("/readyz", ready)):  # uptime checkers often send HEAD
        app.add_api_route(path, probe, methods=["HEAD"], include_in_schema=False)

    metrics_token = runtime.environ.get(METRICS_TOKEN, "")
    redaction.protect([metrics_token])

    @app.get("/metrics", tags=["ops"], response_class=Response)
    async def metrics(request: Request) -> Response:
        """Prometheus metrics (counts and latencies, no customer data). With $CSATBOT_METRICS_TOKEN
        set, only for ``Authorization: Bearer <that token>``."""
        if metrics_token:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), metrics_token.encode()):
                return JSONResponse(
                    {"detail": f"/metrics needs Authorization: Bearer ${METRICS_TOKEN}"},
                    status_code=401,
                    headers={"www-authenticate": "Bearer"},
                )
        body = await asyncio.to_thread(runtime.metrics.render)
        return Response(body, media_type=CONTENT_TYPE)

    app.add_middleware(LimitBody, limit=runtime.settings().config.channels.max_body_bytes)
    app.add_middleware(RefuseNul)
    app.add_middleware(RefuseCoded)
    # the console's headers also on the refusals made before it is reached (a 413, a NUL's 400)
    docs = dict.fromkeys(DOCS_PATHS, DOCS_HEADERS)
    app.add_middleware(DefaultHeaders, headers={"/api/": API_HEADERS, "/console": SECURITY_HEADERS} | docs)
    app.add_middleware(OwnRedirects)
    document_nul_refusal(app)
    app.add_middleware(Observe, meter=runtime.metrics, webhooks=webhook_prefixes(webhooks))
    app.lane = {  # webhook POSTs: the same checks, then the endpoint (csatbot.webhook_lane)
        path: Observe(
            RefuseNul(RefuseCoded(EndpointApp(endpoint, app.exception_handlers))),
            meter=runtime.metrics,
            webhooks=webhook_prefixes(webhooks),
        )
        for path, endpoint in lane.items()
    }
    app.add_exception_handler(RequestValidationError, invalid_request)

    @app.exception_handler(NotFoundError)
    async def not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(ConflictError)
    async def conflict(_request: Request, exc: ConflictError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(KeyReusedError)
    async def key_reused(_request: Request, exc: KeyReusedError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(SignatureError)
    async def unsigned(_request: Request, exc: SignatureError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=401)

    @app.exception_handler(WireFormatError)
    async def malformed(_request: Request, exc: WireFormatError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(CsatbotError)
    async def other(_request: Request, exc: CsatbotError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        # Platform webhooks get this 503 too (or their own 500, WhatsApp): both make them deliver again.
        if is_unreachable(exc):
            runtime.metrics.count("db_unavailable")
            log.warning(
                "%s %s: 503, the database is unreachable: %s", request.method, request.url.path, exc.orig
            )
            return JSONResponse(
                {"detail": f"the database is unreachable; nothing was changed, retry in {RETRY_AFTER} s"},
                status_code=503,
                headers={"retry-after": str(RETRY_AFTER)},
            )
        log.error("%s %s: database error", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    return app

"""The console as an ASGI app of its own, mounted at ``/console`` by :func:`csatbot.web.create_app`."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from adapters.kit.cookies import forced_secure
from adapters.kit.slots import Slots
from bot.errors import NotFoundError
from csatbot.console import (
    bulk,
    conversations,
    customers,
    flows,
    live,
    login,
    queue,
    reports,
    themes,
    ticket,
)
from csatbot.console.auth import SignInRequired
from csatbot.console.i18n import EN, translate
from csatbot.console.render import language, page
from csatbot.console.session_store import SessionStore
from csatbot.console.sessions import MAX_AGE, ConsoleSessions, secret_key
from csatbot.console.throttle import SignInThrottle
from csatbot.console.users import Users
from csatbot.edge import invalid_request
from csatbot.routing import adopt
from csatbot.runtime import Runtime

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("csatbot.console")


def console_app(runtime: Runtime, *, secret: str | None = None) -> FastAPI:
    """Sign-in, the ticket queue and pages, reports and the survey flows, as server-rendered HTML.

    ``secret`` signs the session cookie (default: :func:`secret_key` for the runtime's database)."""
    app = FastAPI(title="csatbot console", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = runtime
    app.state.users = Users(runtime.database)
    if not app.state.users.list():
        log.warning("no console users yet: create one with `csatbot users add NAME --role admin`")
    app.state.throttle = SignInThrottle(runtime.database, runtime.clock)
    app.state.sessions = SessionStore(runtime.database, runtime.clock, timedelta(seconds=MAX_AGE))
    app.state.live_streams = Slots()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (login, queue, bulk, live, ticket, conversations, customers, flows, themes, reports):
        adopt(app, module.router)
    app.add_middleware(
        ConsoleSessions,
        secret=secret or secret_key(runtime.database.url, runtime.environ),
        force_secure=forced_secure(runtime.environ),
    )

    # FastAPI's own 422 echoes the input and failed on what JSON or UTF-8 cannot hold (a 500)
    app.add_exception_handler(RequestValidationError, invalid_request)

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, _exc: SignInRequired) -> Response:
        root = request.scope.get("root_path", "")
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{root}/login?next={quote(here, safe='')}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = str(exc.detail)
        text = translate(language(request), detail) if detail in EN else detail
        response = page(request, "error.html", status_code=exc.status_code, message=text)
        response.headers.update(exc.headers or {})  # a 429's Retry-After
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        text = translate(language(request), "error.not_found", detail=str(exc))
        return page(request, "error.html", status_code=404, message=text)

    return app

"""The webhook lane: platform webhook POSTs go straight to their endpoint.

Accepting a webhook is meant to cost a verification and one insert (:mod:`bot.inbox`); FastAPI's
route matching over every API and console route, its dependency solving and its telemetry hooks
cost more than both. This pure ASGI middleware sends a ``POST`` to an exact webhook path to the
endpoint function itself (each takes only the :class:`~starlette.requests.Request`), and maps its
exceptions with the app's own exception handlers, so the answers are the same as through FastAPI.
Everything else passes through. The routes stay registered with FastAPI too (OpenAPI docs).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]
ExceptionHandler = Callable[[Request, Exception], Any]


def lane_routes(routes: Iterable[Any]) -> dict[str, Endpoint]:
    """``{path: endpoint}`` of the POST routes without path parameters whose endpoint takes only
    the request (the platform webhooks)."""
    found: dict[str, Endpoint] = {}
    for route in routes:
        if not isinstance(route, APIRoute) or "POST" not in (route.methods or ()) or "{" in route.path:
            continue
        if len(inspect.signature(route.endpoint).parameters) == 1:
            found[route.path] = route.endpoint
    return found


class WebhookLane:
    """Pure ASGI middleware: ``routes`` maps exact paths to endpoints; ``handlers`` are the app's
    exception handlers (read at call time, as FastAPI adds them after the middleware)."""

    def __init__(
        self, app: ASGIApp, routes: Mapping[str, Endpoint], handlers: Mapping[Any, ExceptionHandler]
    ) -> None:
        self.app = app
        self.routes = routes
        self.handlers = handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        if endpoint is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response = await endpoint(request)
        except Exception as exc:
            handler = self._handler(exc)
            if handler is None:
                raise
            response = handler(request, exc)
            if inspect.isawaitable(response):
                response = await response
        await response(scope, receive, send)

    def _handler(self, exc: Exception) -> ExceptionHandler | None:
        for kind in type(exc).__mro__:
            if kind in self.handlers:
                return self.handlers[kind]
        return None

"""The webhook lane: platform webhook POSTs go straight to their endpoint.

Accepting a webhook is meant to cost a verification and one insert (:mod:`bot.inbox`); FastAPI's
middleware stack, route matching over every API and console route, dependency solving and telemetry
hooks cost more than both. :class:`LaneApp` (the app :func:`csatbot.web.create_app` builds) sends a
``POST`` to an exact webhook path through the same request-id/count, NUL and Content-Encoding
checks (:class:`~csatbot.observe.Observe`, :class:`~csatbot.edge.RefuseNul`,
:class:`~csatbot.edge.RefuseCoded`) to the endpoint function itself (each takes only the
:class:`~starlette.requests.Request`), and maps its exceptions with the app's own exception handlers,
so the answers are the same as through FastAPI. Everything else takes the usual way. The routes stay
registered with FastAPI too (OpenAPI docs).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("csatbot.web")

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


class EndpointApp:
    """An endpoint as an ASGI app; exceptions answered by ``handlers`` (the app's, read at call
    time), anything else logged and answered 500 as Starlette's error middleware would."""

    def __init__(self, endpoint: Endpoint, handlers: Mapping[Any, ExceptionHandler]) -> None:
        self.endpoint = endpoint
        self.handlers = handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        try:
            response = await self.endpoint(request)
        except Exception as exc:
            handler = next((self.handlers[k] for k in type(exc).__mro__ if k in self.handlers), None)
            if handler is None:
                log.exception("POST %s failed", scope["path"])
                response = PlainTextResponse("Internal Server Error", status_code=500)
            else:
                answer = handler(request, exc)
                response = await answer if inspect.isawaitable(answer) else answer
        await response(scope, receive, send)


class LaneApp(FastAPI):
    """FastAPI with the webhook lane in front: ``lane`` maps exact webhook paths to ASGI apps."""

    lane: Mapping[str, ASGIApp] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fast = self.lane.get(scope["path"]) if scope["type"] == "http" else None
        if fast is not None and scope["method"] == "POST":
            await fast(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

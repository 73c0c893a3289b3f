"""Routes put on an app as they were built.

FastAPI 0.165 includes a router lazily: at the first request each of its routes is built a second
time with the include's settings (its parameters and response model analysed again, a pydantic
adapter per field). For the app's 100 routes that was 0.2 s of CPU on the first request after a
start, and as much again for every app the tests build. A router whose routes already carry their
final path, dependencies and responses needs none of that: :func:`adopt` appends those very routes.
"""

from __future__ import annotations

from enum import Enum

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute


def adopt(app: FastAPI, router: APIRouter, *, tags: list[str | Enum] | None = None) -> None:
    """Serve ``router``'s routes on ``app`` as they are (what ``app.include_router(router, tags=tags)``
    serves, for a router included without a prefix or dependencies of its own), ``tags`` put first."""
    for route in router.routes:
        if tags and isinstance(route, APIRoute):
            route.tags = [*tags, *route.tags]
        app.router.routes.append(route)

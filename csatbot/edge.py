"""What every request meets first: URLs with NUL refused, and validation errors that always encode.

Route parameters that name rows are bounded (:data:`RowId`): an id past the database's integer
range is a 422, not a driver overflow.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.strict_json import json_safe

MAX_ROW_ID = 2**31 - 1
"""Row ids are PostgreSQL ``integer``s (SQLite's are wider, but both databases must agree)."""
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class RefuseNul:
    """400 for a NUL character in the path or the query string: no file name, filter or database
    string may hold one (PostgreSQL refuses them; ``open()`` raises on them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query: bytes = scope.get("query_string", b"")
            if "\x00" in scope["path"] or b"%00" in query.lower() or b"\x00" in query:
                response = JSONResponse({"detail": "NUL characters are not allowed in URLs"}, 400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body, made JSON-safe: it echoes the input, which may hold NaN or a lone
    surrogate that ``json.dumps`` (or UTF-8) refuses."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else [{"msg": str(exc)}]
    return JSONResponse({"detail": json_safe(jsonable_encoder(errors))}, status_code=422)

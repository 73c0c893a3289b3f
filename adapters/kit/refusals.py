"""How the HTTP API documents its refusals: one error body for every 4xx and 5xx it answers.

Every refusal is ``{"detail": ...}``: a sentence (``HTTPException``, the app's error handlers) or,
for a request FastAPI itself could not read, FastAPI's list of field errors. Routers declare the
codes they can answer with :func:`refusals`, so the OpenAPI schema lists them with this body
instead of FastAPI's default (only 422, and only the list).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    """One reason FastAPI refused a parameter or the body (an item of its own 422)."""

    loc: list[str | int] = Field(description="where: 'query', 'path', 'body' and the field's path")
    msg: str
    type: str
    input: Any = None
    ctx: dict[str, Any] | None = None


class Refusal(BaseModel):
    """Why a request was refused."""

    detail: str | list[FieldError] = Field(
        description="a sentence, or (a request FastAPI could not read) the list of field errors"
    )


WHY: dict[int, str] = {
    400: "refused: a NUL character in the URL, or a request the app cannot act on",
    401: "no credentials, or wrong or expired ones",
    403: "the credentials do not allow this (role, CSRF token or signature)",
    404: "no such row (or file)",
    409: "the row's state does not allow this",
    413: "the body is over channels.max_body_bytes",
    422: "a parameter or the body is not what the operation takes (or names something unknown)",
    429: "too many requests; retry after Retry-After seconds",
    503: "the database is unreachable; nothing was changed, retry after Retry-After seconds",
}
"""The codes the API answers with :class:`Refusal`, and what each means."""


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or a route: each code with :class:`Refusal` and what it means."""
    return {code: {"model": Refusal, "description": WHY[code]} for code in codes}

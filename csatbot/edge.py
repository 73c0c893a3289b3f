"""What every request meets first: URLs with NUL refused, bodies capped, and validation errors that
always encode.

Route parameters that name rows are bounded (:data:`RowId`): an id past the database's integer
range is a 422, not a driver overflow, and one written other than in digits is a 422 too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import FastAPI, Header, HTTPException, Path, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, ValidationInfo, WithJsonSchema
from starlette.datastructures import MutableHeaders, UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.http import declares_over
from adapters.kit.text import BLANK, BLANKS
from adapters.strict_json import json_safe
from bot.records import KeyedRequest
from models import MAX_ROW_ID


def _digits_only(value: Any) -> Any:
    """A number in a URL or a form as ASCII digits: Python's ``int()`` also reads ``1_0`` (as 10),
    ``1.0``, ``+1`` and `` 1``, so one row had any number of URLs (a proxy rule or cache keyed on one
    missed the others) and ``limit=5_0`` was 50. A minus is let through for the range check to name."""
    digits = value.removeprefix("-") if isinstance(value, str) else "1"
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError("a number here is written in digits 0-9 only")
    return value


Digits = BeforeValidator(_digits_only)
"""Put after ``Path``/``Query``/``Field`` in ``Annotated`` (in that order the schema keeps its bounds)."""

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID), Digits]


def _not_blank(key: str | None) -> str | None:
    # A served app never sees one (the HTTP server strips a header's spaces: an empty key, a 422);
    # called in process (an ASGI client, a test), a key of spaces was taken as a key.
    if key is not None and not key.strip():
        raise ValueError("Idempotency-Key is only spaces: send a key that shows something (a UUID)")
    return key


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern="^[ -~]+$",
        description="Any string unique to this action (a UUID; printable ASCII): a request repeated "
        "with the same key and body (a retry after a timeout, a double click) does nothing again and "
        "gets the first one's answer; the key sent with another route or body is a 422.",
    ),
    AfterValidator(_not_blank),
]


def keyed_request(who: str, key: str | None, route: str, body: BaseModel | None) -> KeyedRequest | None:
    """``who``'s request to ``route`` with ``body`` under the ``Idempotency-Key`` ``key`` (``None``
    without one). The body is digested as parsed, so spacing or key order in the JSON does not make
    a retry another request."""
    if key is None:
        return None
    said = body.model_dump_json() if body is not None else ""
    asked = f"{route}\n{said}".encode("utf-8", "surrogatepass")
    return KeyedRequest(who, key, hashlib.sha256(asked).hexdigest())


MAX_TEXT = 4096
"""Characters in one text a person writes through the support API (a reply, a note)."""
MAX_REASON = 500
"""Characters in an escalation's reason (the API's and the console's)."""


def _said(text: str | None, info: ValidationInfo) -> str | None:
    # The console refuses these too: a reply of spaces went out to the customer as an empty message.
    if text is not None and BLANK.fullmatch(text):
        raise ValueError(f"{info.field_name} is only spaces: write something")
    return text


Said = AfterValidator(_said)
"""Refuses a text that shows nothing (only spaces or invisible characters), naming the field."""


def said_schema(max_length: int = MAX_TEXT) -> WithJsonSchema:
    """The schema of a :data:`Said` text: something visible, at most ``max_length`` characters."""
    visible = f"[^{BLANKS}]"
    return WithJsonSchema({"type": "string", "minLength": 1, "maxLength": max_length, "pattern": visible})


NOT_JSON = "the body was not read as JSON"


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


class RefuseCoded:
    """415 for a body sent with a ``Content-Encoding`` (gzip, deflate, br...), 400 for a
    ``Transfer-Encoding`` other than ``chunked`` (as the HTTP server answers ``identity``; RFC 9112's
    501 would count as a server error): no route decompresses a body, so a gzipped one was a
    422 that never said why, and a plain body labelled ``deflate`` (or ``gzip, chunked``) was stored
    as plain while a proxy or filter that honours the label read something else (or nothing).
    ``identity`` is let through; the answer says to send the body uncompressed (RFC 9110 15.5.16)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            content = _codings(scope, b"content-encoding") - {b"", b"identity"}
            transfer = _codings(scope, b"transfer-encoding") - {b"chunked"}
            if content or transfer:
                detail = "request bodies are not decompressed: send the body without a Content-Encoding"
                if transfer:
                    detail = "only Transfer-Encoding: chunked is taken: send the body without another coding"
                status = 400 if transfer else 415
                response = JSONResponse({"detail": detail}, status, headers={"accept-encoding": "identity"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _codings(scope: Scope, name: bytes) -> set[bytes]:
    """Every coding the request's ``name`` headers list, lower-cased."""
    return {c.strip().lower() for k, v in scope["headers"] if k == name for c in v.split(b",")}


API_HEADERS = {"cache-control": "no-store", "x-content-type-options": "nosniff"}
"""What every answer under ``/api/`` carries unless it says otherwise: transcripts, reports, exports
and a customer's chat are never kept in a browser's disk cache (a shared computer) or a shared
cache, and none is read as another type."""


class DefaultHeaders:
    """Headers on every answer under a path prefix that does not set them itself, the refusals of
    the checks around the app included (a 413 or a NUL's 400 never reaches the console's own)."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.app = app
        self.headers = dict(headers or {"/api/": API_HEADERS})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = next(
            (
                h
                for prefix, h in self.headers.items()
                if scope["type"] == "http" and scope["path"].startswith(prefix)
            ),
            None,
        )
        if wanted is None:
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, sending)


class OwnRedirects:
    """Every redirect's ``Location`` is a path on this server: Starlette writes the one that adds or
    drops a trailing slash (``/console`` -> ``/console/``) as an absolute URL made from the request's
    ``Host`` header, so ``Host: evil.example`` sent the browser (or a shared cache's next reader) to
    another site. The app never redirects anyone off its own server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                headers = MutableHeaders(scope=message)
                if location := headers.get("location"):
                    headers["location"] = on_this_server(location)
            await send(message)

        await self.app(scope, receive, sending)


_LEADING_SLASHES = re.compile(r"^[/\\]+")


def on_this_server(location: str) -> str:
    """``location`` as a path on this server: no scheme or host, and one leading slash (browsers read
    ``//host`` and ``/\\host`` as another host). A relative one (``login?next=``) is kept."""
    parts = urlsplit(location)
    if not (parts.scheme or parts.netloc or location.startswith(("//", "/\\"))):
        return location
    path = _LEADING_SLASHES.sub("/", parts.path) if parts.path else "/"
    return urlunsplit(("", "", path if path.startswith("/") else f"/{path}", parts.query, parts.fragment))


NUL_STRING: dict[str, Any] = {"type": "string", "pattern": "\u0000"}
"""What a parameter's or a body string's schema says it is ``not``: a string holding NUL."""


def document_nul_refusal(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI schema say, once for every operation, what it refuses: a NUL character
    in a path or query parameter (:class:`RefuseNul`, 400) or in a JSON body's string
    (:class:`~adapters.strict_json.StrictJSONRoute`, 422)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()  # FastAPI keeps it in app.openapi_schema: changed in place, once
            operations = [op for item in schema.get("paths", {}).values() for op in item.values()]
            for parameter in (p for op in operations for p in op.get("parameters", [])):
                if parameter["in"] in ("path", "query"):
                    parameter["schema"]["not"] = dict(NUL_STRING)
            bodies = [
                m["schema"]
                for op in operations
                for m in op.get("requestBody", {}).get("content", {}).values()
            ]
            _strings_without_nul(bodies, schema.get("components", {}).get("schemas", {}))
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]


def _strings_without_nul(bodies: list[Any], components: dict[str, Any]) -> None:
    """Every string in ``bodies``' schemas, and in the components they refer to, made ``not`` NUL."""
    todo, seen = list(bodies), set()
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict) and isinstance(node.get("$ref"), str):
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                todo.append(components[name])
        elif isinstance(node, dict):
            if node.get("type") == "string":
                node["not"] = dict(NUL_STRING)
            todo.extend(value for key, value in node.items() if key != "not")


class LimitBody:
    """413 for a request body over ``limit`` bytes, declared (``Content-Length``) or streamed, before
    a route has read more than that. The web chat needs no sign-in: without a cap one request makes
    the server hold, parse and (in a 422) echo back any number of megabytes. Webhooks apply the same
    limit themselves (``channels.max_body_bytes``)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"request body over {self.limit} bytes"
        if declares_over(dict(scope["headers"]).get(b"content-length"), self.limit):
            await JSONResponse({"detail": too_large}, 413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:  # FastAPI passes an HTTPException from reading the body on
                raise HTTPException(413, too_large)
            return message

        await self.app(scope, counted, send)


MAX_ERRORS = 10
"""Validation errors a 422 lists; the rest are counted."""
ECHO_ITEMS = 10
ECHO_CHARS = 200


async def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body, made JSON-safe: it echoes the input, which may hold NaN or a lone
    surrogate that ``json.dumps`` (or UTF-8) refuses, or the raw body (a body sent without a JSON
    content type is echoed as bytes, which need not be UTF-8).

    And made short: FastAPI lists every error with its whole input, so a 768 KB body of 60,000
    unknown keys, sent by anyone to the web chat, held the event loop 4 s and came back as 6 MB.
    The first :data:`MAX_ERRORS` are listed, each with a brief echo (:func:`brief`)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else [{"msg": str(exc)}]
    shown = [_explained(e) for e in errors[:MAX_ERRORS]]
    shown = [e | {k: brief(e[k]) for k in ("input", "loc") if k in e} for e in shown]
    if len(errors) > MAX_ERRORS:
        more = len(errors) - MAX_ERRORS
        shown.append({"type": "more_errors", "loc": [], "msg": f"and {more} more errors, not listed"})
    encoded = jsonable_encoder(shown, custom_encoder={bytes: _printable})
    return JSONResponse({"detail": json_safe(encoded)}, status_code=422)


def brief(value: Any, depth: int = 0) -> Any:
    """``value`` as an error echoes it: texts cut to :data:`ECHO_CHARS`, lists and objects to their
    first :data:`ECHO_ITEMS` items, two levels deep (what is left out is said, not shown)."""
    if isinstance(value, str | bytes):
        return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + _cut_mark(value)
    if isinstance(value, UploadFile):  # a form field sent as a file: its name, not the object's insides
        return f"(a file of {value.size} bytes, not text)"
    if isinstance(value, list | tuple | dict):
        if depth >= 2:
            return f"({len(value)} items)"
        if isinstance(value, dict):
            items = list(value.items())[:ECHO_ITEMS]
            echoed: Any = {brief(k, 2): brief(v, depth + 1) for k, v in items}
        else:
            echoed = [brief(v, depth + 1) for v in value[:ECHO_ITEMS]]
        if len(value) > ECHO_ITEMS:
            more = f"and {len(value) - ECHO_ITEMS} more"
            echoed = echoed | {"…": more} if isinstance(echoed, dict) else [*echoed, f"… {more}"]
        return echoed
    return value


def _cut_mark(value: str | bytes) -> Any:
    mark = f"… ({len(value)} in all)"
    return mark if isinstance(value, str) else mark.encode()


def _explained(error: dict[str, Any]) -> dict[str, Any]:
    """A body FastAPI did not read as JSON (its content type is not JSON) says what to send."""
    if isinstance(error.get("input"), bytes) and tuple(error.get("loc", ())) == ("body",):
        return error | {"msg": f"{NOT_JSON}: send it with Content-Type: application/json"}
    return error


def _printable(raw: bytes) -> str:
    return raw.decode("utf-8", "backslashreplace")

"""Strict JSON for what csatbot reads from the network, and JSON-safe error bodies.

Python's ``json`` accepts more than JSON: ``NaN`` and ``Infinity``, numbers that overflow to
``inf``, lone surrogates (``"\\ud800"``, which no database can store as UTF-8) and nesting deep
enough to raise ``RecursionError``; and an integer of over 4,300 digits raises a bare ``ValueError``
(Python's limit on converting digits); and it guesses UTF-16 and UTF-32 from a body's first bytes,
where JSON between systems is UTF-8 (RFC 8259 8.1), so a proxy or filter reading a body as UTF-8 saw
other keys than were stored. :func:`loads` refuses all of them with one error type, so an endpoint
answers a clean 4xx instead of failing later (at insert, or in its own 422 handler).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

MAX_DEPTH = 64
"""Deeper than any payload a platform or our API sends; far below Python's recursion limit."""


_UTF8 = ("utf-8", "utf-8-sig")
"""What :func:`json.detect_encoding` names UTF-8 (a leading BOM is let through, as RFC 8259 allows)."""


class JSONRejected(ValueError):
    """The body is not JSON csatbot accepts; the message says why."""


def _constant(name: str) -> Any:
    raise JSONRejected(f"{name} is not valid JSON")


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored as it is, or ``None`` when it can."""
    if "\x00" in text:
        return "NUL characters (\\u0000) are not allowed in text"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "lone surrogates (\\ud800-\\udfff without a pair) are not allowed in text"
    return None


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict; :class:`JSONRejected` naming a key given twice."""
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JSONRejected(f"the key {key[:100]!r} is given twice in one object: give it once")
            seen.add(key)
    return found


def loads(raw: bytes | str, *, max_depth: int = MAX_DEPTH, strict_text: bool = True) -> Any:
    """``raw`` parsed as JSON; :class:`JSONRejected` for what :mod:`json` wrongly lets through.

    ``strict_text`` also refuses strings holding NUL or lone surrogates, and a key given twice in an
    object (our own API: which one counts is up to the parser, and a proxy that checked the first
    would pass the last); webhooks pass ``False`` and clean such text instead (see
    :func:`bot.storable.storable`), because a platform would redeliver a refused message for days.
    """
    if isinstance(raw, bytes | bytearray) and (found := json.detect_encoding(raw)) not in _UTF8:
        raise JSONRejected(f"JSON must be UTF-8 (RFC 8259), this body is {found.upper()}")
    try:
        data = json.loads(
            raw, parse_constant=_constant, object_pairs_hook=_once_each if strict_text else None
        )
    except RecursionError:
        raise JSONRejected(f"nested more than {max_depth} levels deep") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JSONRejected(f"not JSON: {exc}") from None
    except JSONRejected:  # NaN or Infinity (parse_constant), a key twice (_once_each)
        raise
    except ValueError:  # int("9" * 4301): a signed WhatsApp webhook holding one was a 500, redelivered
        raise JSONRejected(f"a number has more than {sys.get_int_max_str_digits():,} digits") from None
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise JSONRejected(f"nested more than {max_depth} levels deep")
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
        elif isinstance(value, float) and not math.isfinite(value):
            raise JSONRejected("numbers must be finite (this one overflows a double)")
        elif strict_text and isinstance(value, str) and (why := unstorable(value)):
            raise JSONRejected(why)
    return data


def read_object(raw: bytes | str) -> dict[str, Any] | None:
    """The JSON object a platform API answered, or ``None`` when the answer is not one (not JSON,
    nested too deep, NaN, a number of 4,301 digits, a list...). Its text is kept as sent: it is
    read, not stored. Every sender reads answers with this, so none fails on one as an unexpected
    error (100,000 nested arrays raised ``RecursionError``, which is no ``ValueError``)."""
    try:
        data = loads(raw, strict_text=False)
    except JSONRejected:
        return None
    return data if isinstance(data, dict) else None


def json_safe(value: Any) -> Any:
    """``value`` with what JSON cannot carry made printable: non-finite floats as text, lone
    surrogates escaped. Error bodies echo the client's input; echoing must never fail."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


class StrictJSONRequest(Request):
    """A request whose ``json()`` is :func:`loads` (FastAPI turns its error into a 422)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                self._json = loads(body)
            except JSONRejected as exc:
                raise json.JSONDecodeError(str(exc), body.decode("utf-8", "replace"), 0) from exc
        return self._json


class StrictJSONRoute(APIRoute):
    """Routes that read their JSON body with :func:`loads` (``APIRouter(route_class=...)``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict

"""/docs and /redoc are served from the package: every file they load is on this server."""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

import httpx
import pytest
from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel

from csatbot.runtime import Runtime
from csatbot.web import create_app

LINKED = re.compile(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_docs_load_nothing_from_another_host(app_client: httpx.AsyncClient, page: str) -> None:
    response = await app_client.get(page)
    assert response.status_code == 200
    linked = LINKED.findall(response.text)
    assert "/openapi.json" in linked and any(link.startswith("/docs/assets/") for link in linked)
    assert [link for link in linked if not link.startswith("/")] == []  # no https://cdn... nor //host
    assert "fonts.googleapis" not in response.text
    for link in linked:
        assert (await app_client.get(link)).status_code == 200, link


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/docs/assets/swagger-ui-bundle.js", "/openapi.json"])
async def test_the_api_docs_are_not_framed_nor_sniffed(app_client: httpx.AsyncClient, page: str) -> None:
    """Another site may not show the docs in a frame (and click "Execute" through it), nor a file of
    them be read as another type: the console's headers, less its script policy (the pages' own
    inline scripts start Swagger UI and ReDoc)."""
    headers = (await app_client.get(page)).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == "frame-ancestors 'none'"
    assert headers["referrer-policy"] == "same-origin"


FILE_ROUTES = {("get", "/api/reports/export.csv")}
"""Routes whose 200 is a file or a stream, documented by their media type rather than a schema."""


def _named(schema: dict[str, Any]) -> bool:
    """A model's schema, or a list of one: a ``$ref`` to a component."""
    if schema.get("type") == "array":
        return _named(schema.get("items", {}))
    return "$ref" in schema


async def test_every_api_route_documents_its_response_with_a_model(app_client: httpx.AsyncClient) -> None:
    spec = (await app_client.get("/openapi.json")).json()
    components = spec["components"]["schemas"]
    documented, undocumented = [], []
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            ok = [
                operation["responses"][code]
                for code in ("200", "201", "202")
                if code in operation["responses"]
            ]
            assert ok, f"{method} {path} has no success response"
            schemas = [media.get("schema", {}) for r in ok for media in r.get("content", {}).values()]
            if (method, path) in FILE_ROUTES:
                assert schemas == [{"type": "string"}] or not any(_named(s) for s in schemas), (method, path)
                continue
            if schemas and all(_named(s) for s in schemas):
                documented.append((method, path))
                refs = [(s.get("items") or s)["$ref"].rsplit("/", 1)[-1] for s in schemas]
                assert all(components[name].get("properties") for name in refs), (method, path, refs)
            else:
                undocumented.append((method, path))
    assert undocumented == []
    assert {("get", "/api/tickets/{ticket_id}"), ("get", "/api/webchat/messages")} <= set(documented)
    listed = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    assert FILE_ROUTES - listed == set()  # no stale allow-list entries


def _api_routes(app: FastAPI) -> list[tuple[str, str, Any]]:
    """(method, path, route) of every ``/api`` endpoint, included routers walked into."""
    return [
        (method.lower(), str(route.path), route)
        for route in iter_route_contexts(app.routes)
        if str(route.path or "").startswith("/api/")
        for method in sorted(route.methods or ())
    ]


def _a_model(annotation: Any) -> bool:
    """A pydantic model, or a list of one (``dict[str, Any]`` is not: the schema says nothing)."""
    if get_origin(annotation) is list:
        return _a_model(get_args(annotation)[0])
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _says_it_is_a_file(route: Any) -> bool:
    """The route names its non-JSON answer: a streaming or file ``response_class`` (not the default),
    or a ``responses=`` entry for 200 whose content is not JSON."""
    declared = route.response_class
    streams = (StreamingResponse, FileResponse)
    if not isinstance(declared, DefaultPlaceholder) and issubclass(declared, streams):
        return True
    content = (route.responses or {}).get(200, {}).get("content", {})
    return bool(content) and "application/json" not in content


def test_every_api_route_declares_a_response_model_or_says_it_answers_a_file(app_runtime: Runtime) -> None:
    routes = _api_routes(create_app(app_runtime, start_workers=False))
    assert len(routes) >= 25  # the walk reached into the included routers
    without = {(method, path) for method, path, route in routes if not _a_model(route.response_model)}
    assert without == FILE_ROUTES  # a new route without a model fails here, as does a stale entry
    for method, path, route in routes:
        if (method, path) in FILE_ROUTES:
            assert route.response_model is None and _says_it_is_a_file(route), (method, path)


def _refusal_codes(operation: dict[str, Any]) -> dict[str, str]:
    """Each documented 4xx and 5xx of ``operation`` with the component its JSON body refers to."""
    return {
        code: answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        for code, answer in operation["responses"].items()
        if code[0] in "45"
    }


async def test_every_api_refusal_is_documented_with_the_body_it_has(app_client: httpx.AsyncClient) -> None:
    """Our 4xx bodies are ``{"detail": "a sentence"}`` or FastAPI's list: FastAPI's default 422
    (HTTPValidationError, the list only) would make every sentence a schema violation."""
    spec = (await app_client.get("/openapi.json")).json()
    api = {
        (method, path): operation
        for path, operations in spec["paths"].items()
        if path.startswith("/api/")
        for method, operation in operations.items()
    }
    for key, operation in api.items():
        codes = _refusal_codes(operation)
        assert set(codes.values()) == {"Refusal"}, key
        assert {"400", "413", "422", "503"} <= set(codes), key
    support = [key for key in api if not key[1].startswith("/api/webchat/")]
    assert all({"401", "403"} <= set(_refusal_codes(api[key])) for key in support)
    assert all("404" in _refusal_codes(api[key]) for key in support if key[1].endswith("_id}"))
    assert "403" in _refusal_codes(api[("post", "/api/webchat/session")])
    assert "401" in _refusal_codes(api[("get", "/api/webchat/messages")])
    detail = spec["components"]["schemas"]["Refusal"]["properties"]["detail"]
    assert detail["anyOf"] == [
        {"type": "string"},
        {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
    ]


@pytest.mark.parametrize(
    ("action", "required"),
    [
        ("claim", []),
        ("assign", ["assignee"]),
        ("note", ["text"]),
        ("reply", ["text"]),
        ("resolve", []),
        ("close", []),
    ],
)
async def test_each_ticket_action_documents_the_body_it_needs(
    app_client: httpx.AsyncClient, action: str, required: list[str]
) -> None:
    spec = (await app_client.get("/openapi.json")).json()
    operation = spec["paths"][f"/api/tickets/{{ticket_id}}/{action}"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert body.get("required", []) == required
    assert [body["properties"][name]["type"] for name in required] == ["string"] * len(required)
    assert {"404", "409"} <= set(operation["responses"])

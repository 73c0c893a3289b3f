"""The API's documentation pages (Swagger UI at ``/docs``, ReDoc at ``/redoc``) served from the
installed package, not a CDN: they work offline and on a network that blocks outside hosts.

The JavaScript and CSS come from the ``fastapi-offline`` wheel (Swagger UI 5, which reads the
OpenAPI 3.1 schema FastAPI writes, and ReDoc); this module only serves them under ``/docs/assets``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
DOCS_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
"""On the docs, their files and ``/openapi.json``: never framed by another site, never read as another
type. No script policy: FastAPI's pages start Swagger UI and ReDoc with an inline script."""
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json")
"""The paths :data:`DOCS_HEADERS` go on (``/docs`` covers its assets and OAuth2 redirect page)."""


def assets_folder() -> Path:
    """Where the Swagger UI and ReDoc files are installed."""
    return Path(str(files("fastapi_offline") / "static"))


def add_api_docs(app: FastAPI) -> None:
    """``/docs``, ``/docs/oauth2-redirect`` and ``/redoc`` for ``app`` (made with ``docs_url=None,
    redoc_url=None``), loading nothing from outside the server."""
    app.mount(ASSETS, StaticFiles(directory=assets_folder()), name="docs-assets")
    schema = app.openapi_url or "/openapi.json"
    redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=schema,
            title=f"{app.title} · API",
            oauth2_redirect_url=redirect,
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
        )

    @app.get(redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=schema,
            title=f"{app.title} · API",
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.png",
            with_google_fonts=False,
        )

"""Rendering console pages: the Jinja2 environment and what every page gets (language, user, CSRF)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from csatbot.console.auth import csrf_token
from csatbot.console.i18n import EN, LANGUAGES, pick_language, translate
from csatbot.runtime import Runtime

TEMPLATES = Path(__file__).parent / "templates"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_env)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def language(request: Request) -> str:
    user = getattr(request.state, "user", None)
    return pick_language(
        request.session, getattr(user, "locale", None), request.headers.get("accept-language")
    )


def local_time(value: datetime | str | None, timezone: str) -> str:
    """A time in the configured time zone, to the minute (``-`` for none)."""
    if value is None or value == "":
        return "-"
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{when.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"


def flash(request: Request, kind: str, text: str) -> None:
    """A one-time notice for the next page (after a form's redirect)."""
    request.session["flash"] = {"kind": kind, "text": text}


def redirect(request: Request, path: str) -> RedirectResponse:
    """303 to a console path (after a form POST the browser GETs the page)."""
    return RedirectResponse(request.scope.get("root_path", "") + path, status_code=303)


def page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> Response:
    """Render ``name`` with the common context: ``t`` (translate), ``lang``, ``user``, ``csrf``,
    ``root`` (the console's URL prefix), ``local`` (times in the config's zone) and a pending flash."""
    runtime = runtime_of(request)
    lang = language(request)
    timezone = runtime.settings().config.timezone
    root = request.scope.get("root_path", "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    common: dict[str, Any] = {
        "t": t,
        "has": lambda key: key in EN,
        "lang": lang,
        "other_lang": next(code for code in LANGUAGES if code != lang),
        "user": getattr(request.state, "user", None),
        "csrf": csrf_token(request),
        "root": root,
        "here": here,
        "local": lambda value: local_time(value, timezone),
        "flash": request.session.pop("flash", None),
    }
    return templates.TemplateResponse(request, name, common | context, status_code=status_code)

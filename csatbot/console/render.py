"""Rendering console pages: the Jinja2 environment and what every page gets (language, user, CSRF)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from csatbot.console import bidi, wording
from csatbot.console.auth import csrf_token
from csatbot.console.i18n import EN, LANGUAGES, pick_language, translate
from csatbot.local_times import local_time, zone_label
from csatbot.runtime import Runtime

TEMPLATES = Path(__file__).parent / "templates"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=bidi.shown,  # a customer's direction override cannot reorder the rest of the page
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


def flash(request: Request, kind: str, text: str) -> None:
    """A one-time notice for the next page (after a form's redirect)."""
    request.session["flash"] = {"kind": kind, "text": text}


def redirect(request: Request, path: str) -> RedirectResponse:
    """303 to a console path (after a form POST the browser GETs the page)."""
    return RedirectResponse(request.scope.get("root_path", "") + path, status_code=303)


def page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> Response:
    """Render ``name`` with the common context: ``t`` (translate), ``lang``, ``user``, ``csrf``,
    ``root`` (the console's URL prefix), ``local`` (times in the config's zone, with its offset), ``zone``
    (that zone, named), ``step_name`` (a survey step as people call it) and a pending flash."""
    runtime = runtime_of(request)
    lang = language(request)
    root = request.scope.get("root_path", "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    config = runtime.settings().config

    def step_name(flow: str, step: str) -> str:
        """A survey step as people call it (its type, translated), not its id."""
        spec = config.surveys.get(flow)
        kind = spec.steps[step].type if spec is not None and step in spec.steps else None
        return t(f"step.{kind}") if kind is not None else step

    common: dict[str, Any] = {
        "t": t,
        "has": lambda key: key in EN,
        "lang": lang,
        "other_lang": next(code for code in LANGUAGES if code != lang),
        "user": getattr(request.state, "user", None),
        "csrf": csrf_token(request),
        "once": secrets.token_urlsafe(16),
        "root": root,
        "here": here,
        "local": lambda value: local_time(value, config.timezone),
        "flash": request.session.pop("flash", None),
        "step_name": step_name,
        "config_error": runtime.config_error,
        "zone": zone_label(config.timezone, runtime.clock.now()),
        "option_label": lambda step, option, flow=None: wording.option_label(
            config, lang, step, option, flow
        ),
        "team_name": lambda key: wording.team_name(config, key),
        "dim_value": lambda dimension, value: wording.dimension_value(config, lang, dimension, value),
        "reason": lambda text: wording.reason_text(lang, text),
        "unreachable": lambda text: wording.unreachable_text(lang, text),
        "triage_text": lambda text: wording.triage_text(config, lang, text),
        "event_detail": lambda action, detail: wording.event_detail(lang, config.timezone, action, detail),
    }
    return templates.TemplateResponse(request, name, common | context, status_code=status_code)

"""Admins: the survey flows the server runs, and whether config.yaml on disk is valid."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from bot.config import load_config
from bot.config.durations import format_duration
from bot.errors import ConfigError
from csatbot.console.auth import Admin
from csatbot.console.i18n import translate
from csatbot.console.render import language, page, runtime_of
from csatbot.flow_preview import CHANNELS, UnknownName, describe_use, flow_uses, preview

router = APIRouter()


def config_problems(path: str) -> list[str]:
    """The file's problems as ``csatbot config check`` lists them (none: it is valid)."""
    try:
        load_config(path)
    except ConfigError as exc:
        return list(exc.problems)
    return []


@router.get("/flows")
async def flows(request: Request, user: Admin) -> Response:
    """Read-only: each survey's steps, texts per locale, next steps and branches; the triggers."""
    runtime = runtime_of(request)
    config = runtime.settings().config
    path = str(runtime.config_path)
    return page(
        request,
        "flows.html",
        path=path,
        problems=await asyncio.to_thread(config_problems, path),
        config=config,
        duration=format_duration,
        uses=flow_uses(config),
        describe_use=describe_use,
        channels=CHANNELS,
        preview_locale=_preview_locale(config.locales, config.default_locale, language(request)),
    )


def _preview_locale(locales: list[str], default: str, lang: str) -> str:
    """The console's language when the flows have texts in it, else the flows' default locale."""
    return next((known for known in locales if known.casefold() == lang.casefold()), default)


@router.get("/flows/{flow_id}/preview")
async def flow_preview(
    request: Request, user: Admin, flow_id: str, channel: str = "webchat", locale: str | None = None
) -> Response:
    """Each step of a flow as one channel shows it (its own renderer), with the fallbacks it uses."""
    config = runtime_of(request).settings().config
    lang = language(request)
    try:
        found = preview(
            config, flow_id, channel, locale or _preview_locale(config.locales, config.default_locale, lang)
        )
    except UnknownName as exc:
        text = translate(lang, f"preview.unknown_{exc.what}", name=exc.name, known=", ".join(exc.known))
        raise HTTPException(404 if exc.what == "flow" else 400, text) from None
    return page(
        request,
        "flow_preview.html",
        found=found,
        channels=CHANNELS,
        locales=config.locales,
        describe_use=describe_use,
    )

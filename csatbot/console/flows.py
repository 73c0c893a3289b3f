"""Admins: the survey flows the server runs, and whether config.yaml on disk is valid."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.config import load_config
from bot.config.durations import format_duration
from bot.errors import ConfigError
from csatbot.console.auth import Admin
from csatbot.console.render import page, runtime_of

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
    )

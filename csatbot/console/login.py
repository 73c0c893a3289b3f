"""Signing in and out, and the language switch."""

from __future__ import annotations

import asyncio
import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from csatbot.console.auth import Agent, check_csrf, sign_in, sign_out, users_of
from csatbot.console.i18n import LANGUAGES, translate
from csatbot.console.render import flash, language, page, redirect
from csatbot.console.throttle import SignInThrottle

router = APIRouter()


OUTSIDE = ("/agent",)
"""Pages of the app outside the console that sign in through it."""


def safe_next(target: str | None, root: str) -> str:
    """Where to go after signing in (a full path): a console page or the agent desk, never another site."""
    if target in OUTSIDE:
        return target
    if target and target.startswith(f"{root}/") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{root}/"


@router.get("/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    return page(request, "login.html", next=next or "", failed=None, username="")


@router.post("/login", dependencies=[Depends(check_csrf)])
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    throttle: SignInThrottle = request.app.state.throttle
    client = request.client.host if request.client else "?"
    lang = language(request)
    wait = await asyncio.to_thread(throttle.reserve, username, client)  # counted before the check
    if wait:
        failed = translate(lang, "login.throttled", minutes=math.ceil(wait.total_seconds() / 60))
        return page(request, "login.html", status_code=429, next=next, failed=failed, username=username)
    account = await asyncio.to_thread(users_of(request).authenticate, username, password)
    if account is None:
        failed = translate(lang, "login.failed")
        return page(request, "login.html", status_code=401, next=next, failed=failed, username=username)
    await asyncio.to_thread(throttle.succeeded, username, client)
    await sign_in(request, account)
    return RedirectResponse(safe_next(next, request.scope.get("root_path", "")), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
async def logout(request: Request, user: Agent) -> Response:
    await sign_out(request)
    flash(request, "ok", translate(language(request), "login.signed_out"))
    return redirect(request, "/login")


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    """Show the console in ``code`` (kept in the session) and go back to the page."""
    if code in LANGUAGES:
        request.session["lang"] = code
    return RedirectResponse(safe_next(next, request.scope.get("root_path", "")), status_code=303)

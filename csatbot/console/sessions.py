"""Console sessions: the signing key, signed cookies (Secure over https) and the pages' security headers.

The cookie's path is ``/``: the agent desk (``/agent``) and the support API accept a console session
too (see :mod:`csatbot.access`).
"""

from __future__ import annotations

import binascii
import json
import logging
import os
import secrets
import time
from base64 import b64decode
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import itsdangerous
from sqlalchemy.engine import make_url
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.errors import SecretMissingError

log = logging.getLogger("csatbot.console")
SECRET_ENV = "CSATBOT_SECRET_KEY"
KEY_FILE = "console-secret.key"
COOKIE = "csatbot_console"
MAX_AGE = 12 * 60 * 60  # a working day; signing in again after that is cheap
KEY_WRITE_WAIT = 2.0
"""Seconds a key file may stay empty: another process (a worker of ``--workers``) has just made it."""
# Everything comes from the app itself: no CDN, no remote font or script. Inline styles are allowed
# for pygal's SVG charts, which carry their own <style>.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}
"""On every console answer that does not set its own."""


def key_folder(database_url: str) -> Path:
    """Beside the SQLite database, else ``var/``."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent
    return Path("var")


def secret_key(database_url: str, environ: Mapping[str, str] | None = None) -> str:
    """``$CSATBOT_SECRET_KEY``, else a key generated once into a 0600 file beside the database.

    :class:`SecretMissingError` for a key file that stays empty (a start that died between making
    the file and writing it): signing with an empty key would let anyone make web chat sessions."""
    env = os.environ if environ is None else environ
    if env.get(SECRET_ENV):
        log.info("console sessions are signed with %s", SECRET_ENV)
        return env[SECRET_ENV]
    path = key_folder(database_url) / KEY_FILE
    key = _read_key(path)
    if key:
        log.info("console sessions are signed with the key in %s (set %s to override)", path, SECRET_ENV)
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs, once they have written it
        return _read_key(path) or secret_key(database_url, env)  # (or removed it again: start over)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    log.warning(
        "console sessions: generated a signing key into %s (0600); set %s to share one between hosts",
        path,
        SECRET_ENV,
    )
    return key


def _read_key(path: Path, wait: float = KEY_WRITE_WAIT) -> str | None:
    """The key in ``path`` (``None`` when there is no file), waiting up to ``wait`` seconds for the
    process that made the file to write it; :class:`SecretMissingError` when it stays empty."""
    deadline = time.monotonic() + wait
    while True:
        try:
            key = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        if key:
            return key
        if time.monotonic() >= deadline:
            raise SecretMissingError(
                [
                    f"the signing key file {path} is empty: delete it (a new key is made at the next "
                    f"start; everyone signs in again) or set {SECRET_ENV}"
                ],
                source=str(path),
            )
        time.sleep(0.05)


def read_cookie(cookies: Mapping[str, str], secret: str) -> dict[str, Any]:
    """The console session in ``cookies`` as :class:`ConsoleSessions` wrote it, or ``{}`` when there is
    none or its signature or age is wrong. The API and the agent desk read it this way (read-only)."""
    raw = cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        data = itsdangerous.TimestampSigner(secret).unsign(raw.encode("utf-8", "replace"), max_age=MAX_AGE)
        session = json.loads(b64decode(data))
    except (itsdangerous.BadSignature, ValueError, binascii.Error):
        return {}
    return session if isinstance(session, dict) else {}


class ConsoleSessions:
    """Starlette's signed-cookie sessions, with ``Secure`` when the request came over https (or when
    ``CSATBOT_SECURE_COOKIES=1``), plus security headers on every console response."""

    def __init__(self, app: ASGIApp, secret: str, *, force_secure: bool = False) -> None:
        def sessions(https_only: bool) -> SessionMiddleware:
            return SessionMiddleware(
                app, secret, COOKIE, MAX_AGE, path="/", same_site="lax", https_only=https_only
            )

        self.plain = sessions(False)
        self.secure = sessions(True)
        self.force_secure = force_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.plain(scope, receive, send)
            return

        async def headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    extra.setdefault(name, value)
            await send(message)

        https = self.force_secure or scope.get("scheme") == "https"
        await (self.secure if https else self.plain)(scope, receive, headers)

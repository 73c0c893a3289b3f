"""What ``csatbot serve`` needs before it listens beyond this machine.

On 127.0.0.1 the defaults are fine for trying things out. On any other address the server refuses
to start until the secrets it needs are set, and says which (README, "Security").
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from adapters.webchat.sessions import IDENTITY_ENV
from csatbot.access import TOKEN_ENV
from csatbot.console.sessions import SECRET_ENV
from csatbot.console.users import Users
from csatbot.tokens import ApiTokens
from storage.db import Database

MIN_SECRET = 32


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def exposure_problems(host: str, environ: Mapping[str, str], database: Database) -> list[str]:
    """Why serving on ``host`` would be unsafe (nothing on a loopback address)."""
    if is_loopback(host):
        return []
    problems = []
    if len(environ.get(SECRET_ENV, "")) < MIN_SECRET:
        problems.append(
            f"{SECRET_ENV} is not set (or shorter than {MIN_SECRET} characters): it signs console and "
            "web chat sessions; set a random one, e.g. `openssl rand -hex 32`, the same on every host"
        )
    api_token = environ.get(TOKEN_ENV, "")
    if api_token and len(api_token) < MIN_SECRET:
        problems.append(
            f"{TOKEN_ENV} is shorter than {MIN_SECRET} characters: use e.g. `openssl rand -hex 32`"
        )
    identity = environ.get(IDENTITY_ENV, "")
    if identity and len(identity) < MIN_SECRET:
        problems.append(
            f"{IDENTITY_ENV} is shorter than {MIN_SECRET} characters: a site's pages show user_hash values "
            "made with it, so a short one is guessed offline and any customer's chat can be read; use e.g. "
            "`openssl rand -hex 32`"
        )
    if not api_token and not Users(database).list() and not ApiTokens(database).count():
        problems.append(
            f"nobody could use the support API or the console: set {TOKEN_ENV}, or create a console user "
            "(`csatbot users add NAME --role admin`) or an API token (`csatbot tokens add NAME --role agent`)"
        )
    return problems

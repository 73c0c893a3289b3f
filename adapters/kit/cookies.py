"""Cookies that the web chat and the console set: one switch for marking them ``Secure``."""

from __future__ import annotations

from collections.abc import Mapping

SECURE_ENV = "CSATBOT_SECURE_COOKIES"
"""Set to 1 behind a TLS-terminating proxy that forwards plain HTTP: cookies are sent only over HTTPS."""


def forced_secure(environ: Mapping[str, str]) -> bool:
    """Whether ``$CSATBOT_SECURE_COOKIES`` asks for ``Secure`` cookies whatever the request's scheme."""
    return environ.get(SECURE_ENV, "").strip().lower() in ("1", "true", "yes")

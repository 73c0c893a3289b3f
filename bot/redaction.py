"""Secrets never reach the logs, at any level.

Every log record is scrubbed when it is made (a record factory, so it holds for every logger and
handler, ours and the libraries'): before any handler formats it, its message, traceback and stack
lose

- the values of the configured secrets (:func:`protect`: channel tokens, app secrets, webhook URLs
  that are secrets themselves, the API token, the session keys);
- query values whose names say they are secret (``access_token=``, ``secret=``, ``hub.verify_token=``,
  ``key=``, ``sign=``...): WeChat and WeCom put their app secret and access token in URLs;
- Telegram bot tokens in URL paths (``/bot<id>:<token>/``) and bearer tokens;
- and, in the lines of the access log and of ``httpx``, every query value.

A record's message is also made :func:`printable`: a platform's text in it (a WhatsApp error title,
a wamid, a Telegram description) holding a line break or a terminal escape cannot forge a log line.
A traceback keeps its lines, but not carriage returns, terminal escapes or lone surrogates.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

REDACTED = "[redacted]"
MIN_SECRET = 6
"""Shorter values are not scrubbed by value (they would blank out ordinary words)."""
SECRET_NAMES = re.compile(r"(_TOKEN|_SECRET|_KEY|_PASSWORD)$")
"""Environment variable names whose values are secrets too (besides those the config names)."""
_SECRET_NAME = re.compile(
    r"token|secret|key|sign|signature|sig|password|passwd|code|challenge|hash|session|credential|auth",
    re.IGNORECASE,
)
# A query parameter's name (read once, possessively: a regex that searched a keyword in it from each
# "?" of "?????..." took seconds on one long URL in the access log), then "=" if one follows.
_PARAMETER = re.compile(r"[?&;]([^=&\s#\"']++)(=?)")
_VALUE_END = re.compile(r"[&\s#\"']")
_BOT_TOKEN = re.compile(r"bot\d{3,}(?::|%3[Aa])[A-Za-z0-9_-]{10,}")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
ALL_QUERIES = frozenset({"uvicorn.access", "httpx", "httpcore"})
# C0 controls but the tab, DEL, C1 controls, the line and paragraph separators, and lone surrogates
# (a handler writing strict UTF-8, a log file, fails on one and loses the record).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNPRINTABLE_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""The same but the line break, for what is made of lines (a traceback, a stack)."""

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def protect(values: Iterable[str | None]) -> None:
    """Scrub these values from every log record from now on (and install the scrubbing)."""
    install()
    found = [v for v in values if v and len(v) >= MIN_SECRET]
    with _lock:
        _secrets.update(found)
        # as it appears inside a URL; bytes that are not UTF-8 (kept as surrogates) as they were
        _secrets.update(quote(v.encode("utf-8", "surrogateescape"), safe="") for v in found)


def secrets_in(environ: Mapping[str, str], names: Iterable[str] = ()) -> list[str]:
    """The values of ``names`` and of every variable whose name says it holds a secret."""
    chosen = set(names) | {name for name in environ if SECRET_NAMES.search(name)}
    return [environ[name] for name in chosen if environ.get(name)]


def redact(text: str, *, every_query: bool = False) -> str:
    """``text`` without secrets (see the module's docstring)."""
    text = _BOT_TOKEN.sub(f"bot{REDACTED}", text)
    text = _BEARER.sub(rf"\1{REDACTED}", text)
    text = _queries_redacted(text, every_query=every_query)
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:  # the patterns first: a known value may be part of what they match
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` on one line (``lines``: keeping its line breaks), each control character, line
    separator or lone surrogate written as its escape (``\\n``, ``\\x1b``, ``\\ud800``)."""
    unprintable = _UNPRINTABLE_IN_LINES if lines else _UNPRINTABLE
    return unprintable.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


def _queries_redacted(text: str, *, every_query: bool) -> str:
    """``text`` with the value of each query parameter redacted: every one, or those whose names say
    they are secret. Linear in ``text``: a name is read once, from the first of its "?" or ";"."""
    parts, done, at = [], 0, 0
    while (found := _PARAMETER.search(text, at)) is not None:
        at = found.end()
        if found[2] and (every_query or _SECRET_NAME.search(found[1])):
            end = _VALUE_END.search(text, at)
            parts += [text[done:at], REDACTED]
            done = at = end.start() if end is not None else len(text)
    return "".join(parts) + text[done:]


def _scrub(record: logging.LogRecord) -> None:
    every_query = record.name in ALL_QUERIES or record.name.startswith("httpx.")
    args = record.args
    if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
        # uvicorn's access formatter unpacks (client, method, path?query, http version, status).
        client, method, path, version, status = args
        record.args = (client, method, printable(redact(str(path), every_query=True)), version, status)
    else:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: the handler reports it; leave it be
            message = None
        if message is not None:
            cleaned = printable(redact(message, every_query=every_query))
            if cleaned != message or args:
                record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        traceback = redact(logging.Formatter().formatException(record.exc_info), every_query=every_query)
        record.exc_text = printable(traceback, lines=True)
    if record.stack_info:
        record.stack_info = printable(redact(record.stack_info, every_query=every_query), lines=True)


def install() -> None:
    """Scrub every log record from now on (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    make = logging.getLogRecordFactory()

    def scrubbed(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        _scrub(record)
        return record

    logging.setLogRecordFactory(scrubbed)

"""Logging for ``csatbot serve``: plain lines or one JSON object per line, secrets always scrubbed.

Scrubbing happens when a record is made (:mod:`bot.redaction`), before any formatter sees it;
both formats carry the current request, turn or worker-run id (:mod:`bot.tracing`).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal

from bot.tracing import current_trace_id

LogFormat = Literal["plain", "json"]
PLAIN = "%(asctime)s %(levelname)s %(name)s%(trace)s: %(message)s"


class TraceFilter(logging.Filter):
    """Puts the current trace id on each record (``trace_id``, and `` [id]`` as ``trace``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        trace_id = current_trace_id()
        record.trace_id = trace_id
        record.trace = f" [{trace_id}]" if trace_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, trace id, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "trace_id": getattr(record, "trace_id", "") or current_trace_id(),
            "process": record.process,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)


def setup_logging(level: str = "INFO", log_format: LogFormat = "plain") -> None:
    """Log to stderr in ``log_format``; secrets are scrubbed from every record at any level."""
    from bot import redaction

    redaction.install()
    root = logging.getLogger()
    root.setLevel(level)
    # Like logging.basicConfig: a root logger that already has handlers (a test runner's) is kept.
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(TraceFilter())
        handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(PLAIN))
        root.addHandler(handler)
    if level != "DEBUG":
        # The workers tick every second (APScheduler would log each run), and httpx logs each
        # request (its URL is scrubbed of tokens, but one line per request is noise).
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        logging.getLogger("httpx").setLevel(logging.WARNING)

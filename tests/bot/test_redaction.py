"""What log scrubbing removes, and that it applies to every logger, traceback and access log line."""

from __future__ import annotations

import logging

import pytest

from bot import redaction
from bot.redaction import REDACTED, redact

R = REDACTED


@pytest.fixture(autouse=True)
def _known() -> None:
    redaction.protect(["s3cret-value-123", "https://hooks.slack.com/services/T0/B0/XyZsecret"])


@pytest.mark.parametrize(
    ("line", "scrubbed"),
    [
        ("GET /cgi-bin/token?grant_type=client_credential&appid=wx1&secret=abc",
         f"GET /cgi-bin/token?grant_type=client_credential&appid=wx1&secret={R}"),
        ("POST /cgi-bin/message/send?access_token=ACCESS-1", f"POST /cgi-bin/message/send?access_token={R}"),
        ("GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=1",
         f"GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={R}&hub.challenge={R}"),
        ("https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
         f"https://api.telegram.org/bot{R}/sendMessage"),
        ("POST /bot123456%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe", f"POST /bot{R}/getMe"),
        ("Authorization: Bearer csb_abcdefghijklmnop", f"Authorization: Bearer {R}"),
        ("posting to https://hooks.slack.com/services/T0/B0/XyZsecret failed", f"posting to {R} failed"),
        ("value s3cret-value-123, and again s3cret-value-123", f"value {R}, and again {R}"),
        ("/console/reports?since=2026-01-01&agent=bob", "/console/reports?since=2026-01-01&agent=bob"),
        ("hello 12345", "hello 12345"),
    ],
)  # fmt: skip
def test_redact(line: str, scrubbed: str) -> None:
    assert redact(line) == scrubbed


def test_access_and_http_client_lines_lose_every_query_value() -> None:
    assert redact("GET /api/reports?agent=bob&day=2026-01-01", every_query=True) == (
        f"GET /api/reports?agent={R}&day={R}"
    )


def test_records_of_any_logger_level_and_traceback_are_scrubbed(all_logs: pytest.LogCaptureFixture) -> None:
    caplog = all_logs
    logging.getLogger("some.library").debug("calling %s", "https://x/?access_token=tok-42")
    try:
        raise RuntimeError("failed https://x/cgi-bin/token?secret=s3cret-value-123")
    except RuntimeError:
        logging.getLogger("csatbot").exception("worker failed with key %s", "s3cret-value-123")
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/webhooks/whatsapp?hub.verify_token=vt", "1.1", 200
    )
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "tok-42" not in text and "s3cret-value-123" not in text and "verify_token=vt" not in text
    assert f"access_token={R}" in text and f"key {R}" in text and f"verify_token={R}" in text
    assert "RuntimeError" in text  # the traceback is kept, only scrubbed
    access = next(r for r in caplog.records if r.name == "uvicorn.access")
    assert isinstance(access.args, tuple) and len(access.args) == 5  # uvicorn's formatter unpacks them


def test_secrets_in_the_environment_are_found_by_name() -> None:
    environ = {"TELEGRAM_BOT_TOKEN": "1:x", "FEISHU_BOT_SECRET": "f", "PATH": "/usr/bin", "MY_URL": "u"}
    assert sorted(redaction.secrets_in(environ, ["MY_URL"])) == ["1:x", "f", "u"]


def test_a_secret_whose_bytes_are_not_utf8_is_protected_without_failing() -> None:
    """A variable named like a secret (``*_TOKEN``) set to bytes that are not UTF-8 (``os.environ``
    keeps them as lone surrogates) failed start-up with a traceback: its URL form was UTF-8 encoded."""
    value = "other-\udcff-token"
    redaction.protect([value])
    assert redact(f"saw {value} and other-%FF-token") == f"saw {R} and {R}"


def test_a_record_is_one_line_whatever_its_values_hold(all_logs: pytest.LogCaptureFixture) -> None:
    """A platform's text in a log line (a WhatsApp error title, a wamid, a Telegram description)
    could hold line breaks, carriage returns or terminal escapes: each is written escaped, so no
    value forges a log line of its own or recolours a terminal."""
    hostile = "t\nWARNING csatbot: forged\r\x1b[31m\u2028\x00\ud800\x85 end"
    logging.getLogger("csatbot.whatsapp").warning("error %s: %s", 131026, hostile)
    logging.getLogger("some.library").info(hostile)
    [first, second] = [r.getMessage() for r in all_logs.records]
    assert first == "error 131026: " + second
    assert second == "t\\nWARNING csatbot: forged\\r\\x1b[31m\\u2028\\x00\\ud800\\x85 end"
    assert redaction.printable("a\tb é 😀") == "a\tb é 😀"  # tabs and printable text stay as they are


def test_a_traceback_keeps_its_lines_but_not_terminal_escapes(all_logs: pytest.LogCaptureFixture) -> None:
    """A traceback is lines of its own; what an exception's message holds besides them (a carriage
    return, a terminal escape, a lone surrogate that fails a UTF-8 handler) is escaped."""
    try:
        raise RuntimeError("platform said \r\x1b[2J\ud800")
    except RuntimeError:
        logging.getLogger("csatbot").exception("send failed")
    [record] = all_logs.records
    assert record.exc_text is not None and record.exc_text.startswith("Traceback (most recent call last):\n")
    assert record.exc_text.endswith("RuntimeError: platform said \\r\\x1b[2J\\ud800")

"""What an operator watches: /readyz, /metrics (and its token), request ids and JSON log lines."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.script import ScriptDirectory
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from csatbot.api_models import ReadinessDocument
from csatbot.logs import JsonFormatter, TraceFilter
from csatbot.runtime import Runtime
from csatbot.web import create_app
from storage.migrate import alembic_config

from ..conftest import customer_says, served

ROOT = Path(__file__).resolve().parents[2]


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition: (name, sorted labels) -> value."""
    found = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


async def probe(http: httpx.AsyncClient) -> httpx.Response:
    """GET /readyz again (at most 5 times) while the database check timed out: on a machine busy with
    other tests a probe's 3 s may pass unanswered, and a kubelet probes again too."""
    for _ in range(5):
        response = await http.get("/readyz")
        if not any(p.startswith("database: no answer within") for p in response.json()["problems"]):
            break
    return response


async def test_readyz_is_ready_on_a_migrated_database_with_triage_off(app_client: httpx.AsyncClient) -> None:
    response = await probe(app_client)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready" and body["problems"] == []
    assert body["checks"]["database"] == {"ok": True, "dialect": "sqlite"}
    assert body["checks"]["migrations"] == {"ok": True, "missing": []}
    assert body["checks"]["model"] == {"ok": True, "state": "off"}
    assert body["checks"]["outbox"]["ok"] is True
    assert body["checks"]["inbox"] == {"ok": True, "lag_seconds": 0.0, "depth": 0, "failed": 0}
    assert ReadinessDocument.model_validate(body).worker == body["worker"]  # what /openapi.json documents
    documented = (await app_client.get("/openapi.json")).json()["paths"]["/readyz"]["get"]["responses"]
    for status in ("200", "503"):
        assert documented[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ReadinessDocument"
        }


async def test_readyz_names_a_schema_behind_head_and_a_stuck_outbox(app_runtime: Runtime) -> None:
    async with served(app_runtime) as http:
        with app_runtime.database.writer.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0010_api_tokens'"))
            conn.execute(
                text(
                    "INSERT INTO outbox (kind, channel, recipient, body, status, attempts, created_at, "
                    "next_attempt_at) VALUES ('webhook', '', '{}', '{}', 'pending', 3, "
                    "'2020-01-01 00:00:00', '2999-01-01 00:00:00')"
                )
            )
        response = await probe(http)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready" and body["checks"]["database"]["ok"], body
    [head] = ScriptDirectory.from_config(alembic_config(app_runtime.database)).get_heads()
    assert body["checks"]["migrations"] == {"ok": False, "missing": [head]}
    assert body["checks"]["outbox"]["ok"] is False and body["checks"]["outbox"]["depth"] == {"webhook": 1}
    assert body["problems"][0] == f"migrations: the database lacks {head}; run `csatbot db upgrade`"
    assert body["problems"][1].startswith("outbox: the oldest undelivered message has waited")


async def test_metrics_count_turns_triage_free_surveys_and_sends(app_client: httpx.AsyncClient) -> None:
    assert (await customer_says(app_client, "zoe-q7", text="my parcel is late")).status_code == 202
    conversations = (await app_client.get("/api/conversations")).json()
    resolved = await app_client.post(
        f"/api/conversations/{conversations[0]['id']}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200
    for _ in range(100):  # the survey may be sent by the timers worker, a moment later
        response = await app_client.get("/metrics")
        found = samples(response.text)
        if ("csatbot_surveys_sent_total", (("kind", "main"),)) in found:
            break
        await asyncio.sleep(0.05)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert found[("csatbot_turn_seconds_count", (("channel", "webchat"),))] == 1
    assert found[("csatbot_surveys_sent_total", (("kind", "main"),))] == 1
    assert found[("csatbot_database_up", ())] == 1
    assert ("csatbot_outbox_lag_seconds", ()) in found and ("csatbot_timers_due", ()) in found
    for kind in ("message", "notify", "webhook"):
        assert ("csatbot_outbox_depth", (("kind", kind),)) in found
    assert "zoe-q7" not in response.text and "parcel" not in response.text  # no customer data


async def test_metrics_need_the_token_when_one_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSATBOT_METRICS_TOKEN", "metrics-token-0123456789")
    runtime = Runtime(ROOT / "config.yaml", f"sqlite:///{tmp_path / 'm.db'}", tick_seconds=0.1)
    async with served(runtime, signed_in=False) as http:
        refused = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        allowed = await http.get("/metrics", headers={"Authorization": "Bearer metrics-token-0123456789"})
        assert (await http.get("/readyz")).status_code == 200  # probes need no token
    assert refused.status_code == wrong.status_code == 401
    assert refused.json() == {"detail": "/metrics needs Authorization: Bearer $CSATBOT_METRICS_TOKEN"}
    assert allowed.status_code == 200 and "csatbot_sends_total" in allowed.text


async def test_every_response_carries_a_request_id_and_a_given_one_is_kept(
    app_client: httpx.AsyncClient,
) -> None:
    fresh = await app_client.get("/healthz")
    kept = await app_client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
    hostile = await app_client.get("/healthz", headers={"X-Request-ID": "a b\tc"})
    assert fresh.headers["x-request-id"].startswith("req-") and len(fresh.headers["x-request-id"]) == 16
    assert kept.headers["x-request-id"] == "lb-1234.abc"
    assert hostile.headers["x-request-id"].startswith("req-")


async def test_probes_and_the_chat_page_answer_head_as_uptime_checkers_send_it(
    app_client: httpx.AsyncClient,
) -> None:
    for path in ("/healthz", "/readyz", "/"):
        got = await app_client.get(path)
        head = await app_client.head(path)
        kind = got.headers["content-type"]
        assert (head.status_code, head.headers["content-type"], head.content) == (got.status_code, kind, b"")
    assert (await app_client.head("/api/me")).status_code == 405  # only where GET is a probe or a page


async def test_webhooks_are_counted_by_channel_and_outcome(tmp_path: Path) -> None:
    from adapters.whatsapp.fake import ENVIRON

    config = tmp_path / "config.yaml"
    config.write_text(
        (ROOT / "config.yaml")
        .read_text(encoding="utf-8")
        .replace("  whatsapp: {enabled: false}", "  whatsapp: {enabled: true}")
    )
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'w.db'}", tick_seconds=0.1, environ=ENVIRON)
    async with served(runtime) as http:
        assert (await http.post("/webhooks/whatsapp", content=b"{}")).status_code == 401  # unsigned
        found = samples((await http.get("/metrics")).text)
    assert found[("csatbot_webhooks_total", (("channel", "whatsapp"), ("outcome", "rejected")))] == 1


def test_json_log_lines_carry_the_trace_id_and_stay_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    from bot import redaction
    from bot.tracing import begin_trace, end_trace

    redaction.protect(["s3cr3t-value-of-a-channel"])
    record_lines: list[str] = []
    handler = logging.Handler()
    handler.addFilter(TraceFilter())
    handler.setFormatter(JsonFormatter())
    handler.emit = lambda record: record_lines.append(handler.format(record))  # type: ignore[method-assign]
    logger = logging.getLogger("csatbot.test_operations")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    token = begin_trace("req-abc")
    try:
        logger.info("sent with token %s", "s3cr3t-value-of-a-channel")
        try:
            raise ValueError("boom s3cr3t-value-of-a-channel")
        except ValueError:
            logger.exception("failed")
    finally:
        end_trace(token)
        logger.removeHandler(handler)
    lines: list[dict[str, Any]] = [json.loads(line) for line in record_lines]
    assert [(line["trace_id"], line["level"], line["message"]) for line in lines] == [
        ("req-abc", "INFO", "sent with token [redacted]"),
        ("req-abc", "ERROR", "failed"),
    ]
    assert "ValueError: boom [redacted]" in lines[1]["exception"]
    assert "s3cr3t" not in "".join(record_lines)


def test_the_app_lists_the_ops_routes(app_runtime: Runtime) -> None:
    paths = {getattr(route, "path", "") for route in create_app(app_runtime, start_workers=False).routes}
    assert {"/healthz", "/readyz", "/metrics"} <= paths


async def test_readyz_and_metrics_show_a_stalled_inbox_and_failed_updates(app_runtime: Runtime) -> None:
    insert = (
        "INSERT INTO inbox (channel, key, sender, body, received_at, status, attempts, claimed_by, "
        "claimed_until) VALUES ('telegram', :key, 'u1', :body, :received, :status, 9, "
        "'gone-worker', '2999-01-01 00:00:00')"
    )
    # The failed update is recent: the retention sweep the server starts with forgets failed updates
    # older than the transcripts' cutoff, and could do so between the two requests.
    recent = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    async with served(app_runtime) as http:
        with app_runtime.database.writer.begin() as conn:  # held by a worker that never comes back
            old = "2020-01-01 00:00:00"
            conn.execute(text(insert), {"key": "1", "body": b"{}", "status": "pending", "received": old})
            conn.execute(text(insert), {"key": "2", "body": b"{}", "status": "failed", "received": recent})
        ready = await http.get("/readyz")
        metrics = samples((await http.get("/metrics")).text)
    assert ready.status_code == 503
    body = ready.json()
    assert body["checks"]["inbox"]["ok"] is False
    assert body["checks"]["inbox"]["depth"] == 1 and body["checks"]["inbox"]["failed"] == 1
    waited = body["checks"]["inbox"]["lag_seconds"]
    assert body["problems"] == [
        f"inbox: the oldest accepted webhook update has waited {waited:.0f} s to be handled "
        "(limit 120 s); the log says why turns stall (database, errors)"
    ]
    assert metrics[("csatbot_inbox_depth", ())] == 1
    assert metrics[("csatbot_inbox_failed", ())] == 1
    assert metrics[("csatbot_inbox_lag_seconds", ())] > 24 * 3600

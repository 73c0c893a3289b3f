"""``csatbot serve --log-format json``: every line is one JSON object, the lines a request causes
carry its id, and secrets stay out."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from .conftest import write_config
from .processes import ServeProcess

SECRET = "api-token-that-must-never-be-logged-0123456789"


def test_json_logs_carry_the_request_id_on_every_line_of_the_request(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    log = tmp_path / "serve.log"
    server = ServeProcess(
        config, f"sqlite:///{tmp_path / 'c.db'}", log, env={"CSATBOT_API_TOKEN": SECRET}
    ).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            answer = http.get(
                f"/api/conversations?access_token={SECRET}", headers={"X-Request-ID": "probe-42"}
            )
            assert answer.status_code == 401 and answer.headers["x-request-id"] == "probe-42"
    finally:
        server.stop()
    text = log.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines, "no log lines"
    assert all({"time", "level", "logger", "message", "trace_id"} <= line.keys() for line in lines)
    mine = [line for line in lines if line["trace_id"] == "probe-42"]
    assert any(line["logger"] == "uvicorn.access" and "401" in line["message"] for line in mine), mine
    assert SECRET not in text
    print(f"\n{len(lines)} JSON log lines, {len(mine)} for request probe-42")

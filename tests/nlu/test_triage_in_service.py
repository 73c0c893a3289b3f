"""The trained model inside the running app: every customer message is classified, and triage acts on it.

The small model trained by ``conftest.model_dir`` is not accurate; these tests check the wiring (the
labels stored on each message, the action the rules prescribe for the model's own verdict), not the
accuracy, which bench/nlu.py measures.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.config import load_config
from bot.settings import Settings
from bot.triage import decide
from bot.triage import describe as decision_reason
from csatbot.runtime import Runtime

from ..conftest import conversation_of, customer_says, served

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ["I forgot my password", "忘记密码了", "this is useless, get me a manager", "hello"]


@pytest.fixture
async def app(tmp_path: Path, model_dir: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["nlu"] = {"model_dir": str(model_dir), "threshold": 0.5}
    data["surveying"]["quiet_hours"] = None
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'app.db'}", tick_seconds=0.1, triage_model=True)
    async with served(runtime) as http:
        deadline = time.monotonic() + 60
        while not (runtime.model is not None and runtime.model.ready):
            assert time.monotonic() < deadline, "the triage model did not load within 60 s"
            await asyncio.sleep(0.05)
        yield http, runtime


async def test_each_message_is_classified_and_the_matching_rule_is_applied(
    app: tuple[httpx.AsyncClient, Runtime],
) -> None:
    http, runtime = app
    assert runtime.model is not None
    settings = runtime.settings()
    for i, text in enumerate(MESSAGES):
        user = f"nlu-{i}"
        [verdict] = runtime.model.classify([text])
        response = await customer_says(http, user, text=text)
        assert response.status_code == 202, response.text
        detail = (await http.get(f"/api/conversations/{await conversation_of(http, user)}")).json()
        stored = detail["transcript"][0]["classification"]
        assert stored["intent"] == verdict.intent and stored["sentiment"] == verdict.sentiment
        assert 0.0 <= stored["intent_confidence"] <= 1.0 and 0.0 <= stored["sentiment_confidence"] <= 1.0
        decision = decide(settings.config.triage, verdict, settings.config.nlu.threshold, during_survey=False)
        action = decision.rule.action if decision else None
        assert stored["needs_human"] == verdict.needs_human
        assert stored["triage"] == (
            decision.summary if decision else f"no rule matched: {decision_reason(verdict)}"
        )
        if action == "auto_answer":  # answered, and waiting for "Did this solve it?"
            assert detail["status"] == "open" and detail["ticket"] is None
            last = detail["transcript"][-1]
            assert last["author"] == "bot" and last["prompt"]["step"] == "helped"
        elif action in ("escalate", "route"):
            assert detail["ticket"] is not None and detail["ticket"]["reasons"] == [decision.reason]
            assert detail["status"] == "open"
        else:
            assert detail["ticket"] is None and detail["status"] == "open"
            assert [m["author"] for m in detail["transcript"]] == ["customer"]


def test_csatbot_chat_runs_triage_with_the_model_and_shows_the_labels(
    tmp_path: Path, model_dir: Path
) -> None:
    from typer.testing import CliRunner

    from csatbot.cli import app as cli
    from nlu.runtime import TransformerClassifier

    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["nlu"] = {"model_dir": str(model_dir), "threshold": 0.5}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    text = "I forgot my password"
    result = CliRunner().invoke(
        cli, ["chat", "--config", str(config), "--db", str(tmp_path / "chat.db")], input=f"{text}\n/quit\n"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"-- triage is on: model in {model_dir}"
    [verdict] = TransformerClassifier(model_dir, threshold=0.5).classify([text])
    assert f"-- triage: {verdict.intent} ({verdict.intent_confidence:.0%}), " in result.output
    settings = Settings.from_config(load_config(config))
    decision = decide(settings.config.triage, verdict, 0.5, during_survey=False)
    if decision is not None and decision.rule.action == "auto_answer":  # answered, and asked
        assert "bot> [no] No, I need a person" in lines

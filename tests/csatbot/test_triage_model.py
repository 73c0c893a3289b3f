"""The background triage model of a ``serve --workers`` process that does not train it itself."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from csatbot import triage_model
from csatbot.triage_model import BackgroundModel
from nlu.runtime import META_FILE, TOKENIZER_FILE

ROOT = Path(__file__).resolve().parents[2]


async def test_a_worker_that_may_not_train_waits_for_the_model_another_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(triage_model, "AWAIT_SECONDS", 0.01)
    model_dir = tmp_path / "triage"
    model = BackgroundModel(model_dir, 0.5, ROOT / "config.yaml")
    model.start(train_if_missing=False, await_model=True)
    await asyncio.sleep(0.1)
    assert model.state == "waiting"  # /readyz counts it as on its way, not as missing
    (model_dir / TOKENIZER_FILE).parent.mkdir(parents=True)
    (model_dir / TOKENIZER_FILE).write_text("{}")  # not a real model: loading it fails
    (model_dir / META_FILE).write_text("{}")  # written last by training, as nlu.train does
    for _ in range(200):
        if model.state not in ("waiting", "loading"):
            break
        await asyncio.sleep(0.02)
    assert model.state == "failed"  # it stopped waiting and tried to load what appeared
    await model.stop()


async def test_without_waiting_a_missing_model_is_missing(tmp_path: Path) -> None:
    model = BackgroundModel(tmp_path / "triage", 0.5, ROOT / "config.yaml")
    model.start(train_if_missing=False)
    await asyncio.sleep(0.1)
    assert model.state == "missing"
    await model.stop()


async def test_stopping_the_server_while_it_trains_is_not_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="csatbot.triage")
    model = BackgroundModel(tmp_path / "triage", 0.5, ROOT / "config.yaml")
    model.start(train_if_missing=True)
    for _ in range(500):
        if model.state == "training" and model._training is not None:
            break
        await asyncio.sleep(0.01)
    assert model.state == "training"
    await model.stop()  # ends the training process (a restart trains again)
    assert model.state == "missing"
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    assert any("training stopped with the server" in r.getMessage() for r in caplog.records)

"""Config reload without a restart: good edits apply, bad edits keep the last good config."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from csatbot.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]


async def test_reload_applies_good_edits_and_keeps_last_good_on_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text)
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'r.db'}", tick_seconds=0.05)
    await runtime.start()
    try:
        assert runtime.settings().config.surveying.throttle.days == 30
        config.write_text(text.replace("throttle: 30d", "throttle: 7d"))
        await _until(lambda: runtime.settings().config.surveying.throttle.days == 7)

        caplog.set_level(logging.ERROR, logger="csatbot")
        config.write_text(text.replace("throttle: 30d", "throttle: soon"))
        await _until(lambda: "config reload failed" in caplog.text)
        assert "surveying.throttle: expected a duration" in caplog.text
        assert runtime.settings().config.surveying.throttle.days == 7
    finally:
        await runtime.stop()


async def _until(check: object, seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)

"""A channel's SDK is imported only when the channel is enabled: building the whole app (Runtime and
``create_app``) in a fresh interpreter loads aiogram only with Telegram on, wechatpy only with a
WeChat channel on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.telegram.fake import TelegramSimulator
from adapters.wechat.fake import WeChatSimulator
from adapters.whatsapp.fake import WhatsAppSimulator

ROOT = Path(__file__).resolve().parents[2]
SDKS = ("aiogram", "wechatpy", "numpy")
"""The channels' SDKs, and NumPy (comment themes load it with their first report, not at start-up)."""
BUILD = f"""
import json, sys
from csatbot.runtime import Runtime
from csatbot.web import create_app

for config in sys.argv[2:]:
    runtime = Runtime(config, sys.argv[1])
    create_app(runtime)
    runtime.database.dispose()
    print(json.dumps(sorted(name for name in {SDKS!r} if name in sys.modules)))
"""


def loaded_sdks(tmp_path: Path, channels: list[dict[str, Any]], environ: dict[str, str]) -> list[list[str]]:
    """The SDKs in ``sys.modules`` once the app is built with each of ``channels`` in turn (one
    fresh interpreter: each build's list includes what the builds before it loaded)."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    configs = []
    for n, enabled in enumerate(channels):
        config = tmp_path / f"config-{n}.yaml"
        with_them = {**data, "channels": {**data["channels"], **enabled}}
        config.write_text(yaml.safe_dump(with_them, allow_unicode=True, sort_keys=False), encoding="utf-8")
        configs.append(str(config))
    done = subprocess.run(
        [sys.executable, "-c", BUILD, f"sqlite:///{tmp_path / 'app.db'}", *configs],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found: list[list[str]] = [json.loads(line) for line in done.stdout.strip().splitlines()[-len(configs) :]]
    return found


def test_with_the_web_chat_alone_or_whatsapp_too_no_channel_sdk_is_imported(tmp_path: Path) -> None:
    """WhatsApp needs no SDK. One interpreter builds the web-chat-only app, then the one with WhatsApp
    on too: nothing loaded after the first, nothing after the second."""
    sim = WhatsAppSimulator()
    sim.start()
    try:
        assert loaded_sdks(tmp_path, [{}, {"whatsapp": sim.channel_config()}], sim.environ) == [[], []]
    finally:
        sim.stop()


@pytest.mark.parametrize(
    ("channel", "sdk"), [("telegram", "aiogram"), ("wechat", "wechatpy")], ids=["telegram", "wechat"]
)
def test_an_enabled_channel_imports_its_own_sdk_only(tmp_path: Path, channel: str, sdk: str) -> None:
    sim = TelegramSimulator() if channel == "telegram" else WeChatSimulator()
    sim.start()
    try:
        assert loaded_sdks(tmp_path, [{channel: sim.channel_config()}], sim.environ) == [[sdk]]
    finally:
        sim.stop()

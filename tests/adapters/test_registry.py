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

runtime = Runtime(sys.argv[1], sys.argv[2])
create_app(runtime)
runtime.database.dispose()
print(json.dumps(sorted(name for name in {SDKS!r} if name in sys.modules)))
"""


def loaded_sdks(tmp_path: Path, channels: dict[str, Any], environ: dict[str, str]) -> list[str]:
    """The SDKs in ``sys.modules`` once the app is built with ``channels`` (a fresh interpreter)."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["channels"].update(channels)
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(config), f"sqlite:///{tmp_path / 'app.db'}"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_with_only_the_web_chat_no_channel_sdk_is_imported(tmp_path: Path) -> None:
    assert loaded_sdks(tmp_path, {}, {}) == []


def test_whatsapp_needs_no_sdk(tmp_path: Path) -> None:
    sim = WhatsAppSimulator()
    sim.start()
    try:
        assert loaded_sdks(tmp_path, {"whatsapp": sim.channel_config()}, sim.environ) == []
    finally:
        sim.stop()


@pytest.mark.parametrize(
    ("channel", "sdk"), [("telegram", "aiogram"), ("wechat", "wechatpy")], ids=["telegram", "wechat"]
)
def test_an_enabled_channel_imports_its_own_sdk_only(tmp_path: Path, channel: str, sdk: str) -> None:
    sim = TelegramSimulator() if channel == "telegram" else WeChatSimulator()
    sim.start()
    try:
        assert loaded_sdks(tmp_path, {channel: sim.channel_config()}, sim.environ) == [sdk]
    finally:
        sim.stop()

"""The signing key of console and web chat sessions (its file), and what a key file must hold."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.errors import SecretMissingError
from csatbot.cli import app
from csatbot.console import sessions
from csatbot.console.sessions import KEY_FILE, secret_key
from csatbot.web import Server

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions, "KEY_WRITE_WAIT", 0.2, raising=False)
    monkeypatch.delenv("CSATBOT_SECRET_KEY", raising=False)


@pytest.mark.parametrize("content", ["", "\n", "   \n"])
def test_an_empty_key_file_is_refused_not_used_as_an_empty_key(tmp_path: Path, content: str) -> None:
    """Before: a key file left empty (a start that died between making and writing it, a full disk)
    signed every session with the empty key, so anyone could sign a web chat session as any customer
    and read their chat."""
    (tmp_path / KEY_FILE).write_text(content, encoding="ascii")
    with pytest.raises(SecretMissingError) as refused:
        secret_key(f"sqlite:///{tmp_path / 'csatbot.db'}", {})
    assert str(tmp_path / KEY_FILE) in str(refused.value) and "CSATBOT_SECRET_KEY" in str(refused.value)
    assert secret_key(f"sqlite:///{tmp_path / 'csatbot.db'}", {"CSATBOT_SECRET_KEY": "k" * 40}) == "k" * 40


def test_a_key_file_another_process_is_still_writing_is_waited_for(tmp_path: Path) -> None:
    """``--workers N`` start together: one makes the file, the others read it once it is written."""
    path = tmp_path / KEY_FILE
    path.write_text("", encoding="ascii")
    writer = threading.Timer(0.05, lambda: path.write_text("the-other-workers-key\n", encoding="ascii"))
    writer.start()
    try:
        assert secret_key(f"sqlite:///{tmp_path / 'csatbot.db'}", {}) == "the-other-workers-key"
    finally:
        writer.join()


def test_serve_refuses_to_start_with_an_empty_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[bool] = []
    monkeypatch.setattr(Server, "run", lambda _self, sockets=None: served.append(True))
    (tmp_path / KEY_FILE).write_text("", encoding="ascii")
    result = CliRunner().invoke(
        app,
        ["serve", "--config", str(ROOT / "config.yaml"), "--db", str(tmp_path / "x.db"), "--no-triage"],
    )
    assert result.exit_code == 2, result.output
    assert f"the signing key file {tmp_path / KEY_FILE} is empty" in result.output
    assert served == []

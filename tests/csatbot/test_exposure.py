"""``csatbot serve`` on an address other machines can reach refuses to start without its secrets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from csatbot.cli import app
from csatbot.console import users as users_module
from csatbot.console.users import Users
from csatbot.exposure import exposure_problems, is_loopback
from csatbot.tokens import ApiTokens
from storage import open_database
from storage.db import Database
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
KEY = "k" * 32


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(db)
    yield db
    db.dispose()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("csatbot.example.com", False)],
)  # fmt: skip
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_loopback_needs_nothing(database: Database) -> None:
    assert exposure_problems("127.0.0.1", {}, database) == []


def test_each_missing_secret_is_named(database: Database) -> None:
    problems = exposure_problems("0.0.0.0", {}, database)
    assert len(problems) == 2
    assert problems[0].startswith("CSATBOT_SECRET_KEY is not set (or shorter than 32 characters)")
    assert problems[1].startswith("nobody could use the support API or the console: set CSATBOT_API_TOKEN")
    short = exposure_problems("0.0.0.0", {"CSATBOT_SECRET_KEY": "short", "CSATBOT_API_TOKEN": "x"}, database)
    assert [p.split(" ")[0] for p in short] == ["CSATBOT_SECRET_KEY", "CSATBOT_API_TOKEN"]


def test_a_short_web_chat_identity_secret_is_named(database: Database) -> None:
    """Pages carry user_hash = HMAC(secret, user id) next to the id: a short secret is found offline,
    and with it any customer's chat (their history on any device) is open."""
    environ = {"CSATBOT_SECRET_KEY": KEY, "CSATBOT_API_TOKEN": "t" * 40}
    short = exposure_problems("0.0.0.0", environ | {"CSATBOT_WEBCHAT_IDENTITY_SECRET": "site-key"}, database)
    assert [p.split(" ")[0] for p in short] == ["CSATBOT_WEBCHAT_IDENTITY_SECRET"]
    assert "shorter than 32 characters" in short[0] and "openssl rand -hex 32" in short[0]
    assert exposure_problems("0.0.0.0", environ | {"CSATBOT_WEBCHAT_IDENTITY_SECRET": KEY}, database) == []
    assert exposure_problems("127.0.0.1", {"CSATBOT_WEBCHAT_IDENTITY_SECRET": "site-key"}, database) == []


@pytest.mark.parametrize("way_in", ["env-token", "console-user", "api-token"])
def test_a_secret_key_and_one_way_in_are_enough(
    database: Database, way_in: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(users_module, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    environ = {"CSATBOT_SECRET_KEY": KEY}
    if way_in == "env-token":
        environ["CSATBOT_API_TOKEN"] = "t" * 40
    elif way_in == "console-user":
        Users(database).add("mei", "a good password", "admin")
    else:
        ApiTokens(database).issue("helpdesk", "agent")
    assert exposure_problems("0.0.0.0", environ, database) == []


def test_serve_on_all_addresses_without_secrets_exits_naming_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: `serve --host 0.0.0.0` (the Dockerfile's command) started without a word."""
    for name in ("CSATBOT_SECRET_KEY", "CSATBOT_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(
        app,
        ["serve", "--host", "0.0.0.0", "--config", str(ROOT / "config.yaml"), "--db", str(tmp_path / "x.db")],
    )
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0: other machines could reach it" in result.output
    assert "CSATBOT_SECRET_KEY is not set" in result.output and "csatbot users add" in result.output


def test_the_dockerfile_documents_the_secrets_it_needs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert '"--host", "0.0.0.0"' in dockerfile
    for name in ("CSATBOT_SECRET_KEY", "CSATBOT_API_TOKEN", "csatbot users add"):
        assert name in dockerfile, name

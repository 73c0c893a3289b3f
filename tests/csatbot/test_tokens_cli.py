"""``csatbot tokens``: add prints a token once (only its hash is kept), list hides it, revoke ends it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csatbot.cli import app
from csatbot.tokens import ApiTokens, token_digest
from storage import open_database

from ..conftest import in_zone

runner = CliRunner()


def test_add_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    added = runner.invoke(app, ["tokens", "add", "helpdesk", "--role", "agent", "--db", db])
    assert added.exit_code == 0, added.output
    token = added.stdout.strip()
    assert token.startswith("csb_") and len(token) >= 40
    assert "not shown again" in added.stderr
    listed = runner.invoke(app, ["tokens", "list", "--db", db])
    assert "helpdesk" in listed.output and "agent" in listed.output and token not in listed.output
    (tmp_path / "config.yaml").write_text(in_zone("America/Sao_Paulo"), encoding="utf-8")
    zoned = runner.invoke(app, ["tokens", "list", "--db", db, "--config", str(tmp_path / "config.yaml")])
    assert re.search(r"created 20\d\d-\d\d-\d\d \d\d:\d\d -03:00$", zoned.output, re.M), zoned.output
    database = open_database(f"sqlite:///{db}")
    try:
        with database.reader.connect() as conn:
            assert conn.exec_driver_sql("select token_hash from api_token").all() == [(token_digest(token),)]
        assert ApiTokens(database).find(token) is not None
        assert runner.invoke(app, ["tokens", "revoke", "helpdesk", "--db", db]).exit_code == 0
        assert ApiTokens(database).find(token) is None
    finally:
        database.dispose()
    again = runner.invoke(app, ["tokens", "revoke", "helpdesk", "--db", db])
    assert again.exit_code == 1 and "no API token acts as 'helpdesk'" in again.output


def test_names_and_roles_are_checked(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    bad = runner.invoke(app, ["tokens", "add", "bob smith", "--role", "agent", "--db", db])
    assert bad.exit_code == 1 and "invalid token name 'bob smith'" in bad.output
    assert runner.invoke(app, ["tokens", "add", "bob", "--role", "root", "--db", db]).exit_code == 2


def test_a_name_with_a_trailing_newline_or_one_csatbot_acts_as_is_refused(tmp_path: Path) -> None:
    """``amy\\n`` passed the name check (``$`` matches before a final newline); ``bot`` is who reports
    credit the bot's own resolutions to (an agent token named so read them as its own), ``api`` who
    ``CSATBOT_API_TOKEN`` acts as."""
    db = str(tmp_path / "t.db")
    for name, says in (
        ("amy\n", "invalid token name 'amy\\n'"),
        ("bot", "token name 'bot' is taken by csatbot itself"),
        ("BOT", "token name 'BOT' is taken by csatbot itself"),
        ("api", "token name 'api' is taken by csatbot itself"),
    ):
        refused = runner.invoke(app, ["tokens", "add", name, "--role", "agent", "--db", db])
        assert refused.exit_code == 1 and says in refused.output, (name, refused.output)
    assert "no API tokens" in runner.invoke(app, ["tokens", "list", "--db", db]).output


@pytest.mark.parametrize(
    "command", [["tokens", "list"], ["tokens", "revoke", "helpdesk"]], ids=["list", "revoke"]
)
def test_a_database_that_does_not_exist_is_refused_never_created(tmp_path: Path, command: list[str]) -> None:
    """``tokens list --db typo.db`` made an empty database there and said there were no tokens."""
    typo = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(typo)])
    assert result.exit_code == 2, result.output
    assert f"no database at {typo}: pass --db (or set DATABASE_URL)" in result.output
    assert list(tmp_path.iterdir()) == []

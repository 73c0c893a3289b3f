"""``csatbot users``: add, list, passwd and remove console users, as an admin types them."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
import typer
from argon2 import PasswordHasher
from typer.testing import CliRunner

from csatbot.cli import app
from csatbot.console import users as users_module
from csatbot.console.cli import RoleName, add
from csatbot.console.users import Users
from storage import open_database

from ..conftest import in_zone

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "users.db")


def check(db: str, name: str, password: str) -> str | None:
    database = open_database(f"sqlite:///{db}")
    try:
        account = Users(database).authenticate(name, password)
        return account.role if account else None
    finally:
        database.dispose()


def test_add_asks_twice_and_stores_only_a_hash(db: str) -> None:
    result = runner.invoke(
        app, ["users", "add", "amy", "--role", "admin", "--db", db], input="s3cret-pass\ns3cret-pass\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output
    assert "added admin 'amy'; they can sign in at /console" in result.output
    assert check(db, "amy", "s3cret-pass") == "admin"
    assert check(db, "amy", "s3cret-pasS") is None
    database = open_database(f"sqlite:///{db}")
    with database.reader.connect() as conn:
        [(stored,)] = conn.exec_driver_sql("select password_hash from console_user").all()
    database.dispose()
    assert stored.startswith("$argon2id$") and "s3cret-pass" not in stored


def test_add_rejects_a_mismatch_a_short_password_a_duplicate_and_a_bad_role(db: str) -> None:
    mismatch = runner.invoke(
        app, ["users", "add", "amy", "--role", "agent", "--db", db], input="one-password\nother-password\n"
    )
    assert mismatch.exit_code != 0 and "do not match" in mismatch.output.lower()
    short = runner.invoke(
        app, ["users", "add", "amy", "--role", "agent", "--password-stdin", "--db", db], input="short\n"
    )
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    ok = runner.invoke(
        app, ["users", "add", "amy", "--role", "agent", "--password-stdin", "--db", db], input="long enough\n"
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(
        app, ["users", "add", "amy", "--role", "agent", "--password-stdin", "--db", db], input="long enough\n"
    )
    assert again.exit_code == 1
    assert "user 'amy' already exists: change the password with `csatbot users passwd amy`" in again.output
    role = runner.invoke(app, ["users", "add", "bo", "--role", "boss", "--db", db], input="x\n")
    assert role.exit_code == 2 and "boss" in role.output
    name = runner.invoke(
        app, ["users", "add", "a b", "--role", "agent", "--password-stdin", "--db", db], input="long enough\n"
    )
    assert name.exit_code == 1 and "invalid user name 'a b'" in name.output
    for bad, says in (("amy\n", "invalid user name 'amy\\n'"), ("bot", "user name 'bot' is taken")):
        command = ["users", "add", bad, "--role", "admin", "--password-stdin", "--db", db]
        refused = runner.invoke(app, command, input="long enough\n")
        assert refused.exit_code == 1 and says in refused.output, refused.output


def test_add_keeps_the_console_language_a_locale_names_and_refuses_any_other(db: str) -> None:
    """``--locale`` went to console_user.locale (16 characters) as typed: a longer one was a
    PostgreSQL DataError traceback, an unknown one a language the console silently ignored."""
    add = ["users", "add", "--role", "agent", "--password-stdin", "--db", db]
    for name, locale in (("li", "zh-Hans-CN-x-guangdong"), ("amy", "en-GB")):
        result = runner.invoke(app, [*add[:2], name, *add[2:], "--locale", locale], input="long enough\n")
        assert result.exit_code == 0, result.output
    for locale in ("fr", "x" * 40):
        refused = runner.invoke(app, [*add[:2], "bo", *add[2:], "--locale", locale], input="long enough\n")
        assert refused.exit_code == 1
        assert f"unknown console language {locale!r} (expected one of: en, zh-CN)" in refused.output
    database = open_database(f"sqlite:///{db}")
    with database.reader.connect() as conn:
        stored = conn.exec_driver_sql("select username, locale from console_user order by username").all()
    database.dispose()
    assert stored == [("amy", "en"), ("li", "zh-CN")]


def test_list_passwd_and_remove(db: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0  # as `serve` leaves it
    empty = runner.invoke(app, ["users", "list", "--db", db])
    assert "no console users yet: add one with `csatbot users add NAME --role admin`" in empty.output
    for name, role in (("li", "agent"), ("amy", "admin")):
        runner.invoke(
            app,
            [
                "users",
                "add",
                name,
                "--role",
                role,
                "--password-stdin",
                "--display-name",
                name.title(),
                "--db",
                db,
            ],
            input="first password\n",
        )
    listed = runner.invoke(app, ["users", "list", "--db", db])
    assert listed.output.splitlines() == [
        "amy (Amy)                    admin  last sign-in: never",
        "li (Li)                      agent  last sign-in: never",
    ]
    changed = runner.invoke(
        app, ["users", "passwd", "li", "--db", db], input="second password\nsecond password\n"
    )
    assert changed.exit_code == 0, changed.output
    assert check(db, "li", "second password") == "agent" and check(db, "li", "first password") is None
    assert "last sign-in: 20" in runner.invoke(app, ["users", "list", "--db", db]).output
    assert re.search(r"last sign-in: 20\d\d-\d\d-\d\d \d\d:\d\d \+00:00$", listed_in(db, None), re.M)
    shanghai = tmp_path / "config.yaml"
    shanghai.write_text(in_zone("Asia/Shanghai"), encoding="utf-8")
    assert re.search(r"last sign-in: 20\d\d-\d\d-\d\d \d\d:\d\d \+08:00$", listed_in(db, shanghai), re.M)

    unknown = runner.invoke(app, ["users", "passwd", "zed", "--db", db], input="whatever pass\n")
    assert unknown.exit_code == 1
    assert "no console user 'zed': `csatbot users list` shows who there is" in unknown.output
    assert "Password" not in unknown.output  # told before being asked for a password
    assert runner.invoke(app, ["users", "remove", "li", "--db", db]).output == "removed 'li'\n"
    assert check(db, "li", "second password") is None
    assert runner.invoke(app, ["users", "remove", "li", "--db", db]).exit_code == 1


def listed_in(db: str, config: Path | None) -> str:
    """``csatbot users list`` with ``config`` (``None``: a config file that does not exist: UTC)."""
    where = str(config) if config else str(Path(db).parent / "missing.yaml")
    result = runner.invoke(app, ["users", "list", "--db", db, "--config", where])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("errors", ["surrogateescape", "strict"])
def test_a_password_on_stdin_that_is_not_utf8_is_refused_and_nothing_is_stored(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], errors: str
) -> None:
    """A UnicodeEncodeError (or UnicodeDecodeError) traceback before: stdin is read as Python reads
    it from a pipe, and its bytes were never UTF-8."""
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff\xfelong enough\n"), encoding="utf-8", errors=errors)
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(typer.Exit) as ended:
        add("bo", RoleName.admin, password_stdin=True, db=db)
    assert ended.value.exit_code == 1
    assert "the password on stdin is not UTF-8 text" in capsys.readouterr().err
    assert not Path(db).exists()


@pytest.mark.parametrize(
    "command",
    [["users", "list"], ["users", "passwd", "amy", "--password-stdin"], ["users", "remove", "amy"]],
    ids=["list", "passwd", "remove"],
)
def test_a_database_that_does_not_exist_is_refused_never_created(tmp_path: Path, command: list[str]) -> None:
    """A mistyped ``--db`` made an empty database there and said there were no users."""
    typo = tmp_path / "csatbot.bd"
    result = runner.invoke(app, [*command, "--db", str(typo)], input="long enough password\n")
    assert result.exit_code == 2, result.output
    assert f"no database at {typo}: pass --db (or set DATABASE_URL)" in result.output
    assert list(tmp_path.iterdir()) == []


def test_adding_the_first_user_creates_the_database(db: str) -> None:
    """``users add`` may come before ``serve`` (the Docker image's first command): it makes the database."""
    added = runner.invoke(
        app, ["users", "add", "mei", "--role", "admin", "--password-stdin", "--db", db], input="long enough\n"
    )
    assert added.exit_code == 0, added.output
    assert check(db, "mei", "long enough") == "admin"

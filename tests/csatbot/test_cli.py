"""The csatbot command line, run as a new user would (through typer's runner)."""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import typer
import yaml
from typer.core import TyperGroup
from typer.testing import CliRunner

from csatbot.cli import app, banner
from csatbot.workers import MAX_WORKERS
from models import MAX_ROW_ID
from storage.report_scope import midnight

from ..conftest import fresh_sqlite

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.mark.parametrize("how", [[], ["-c"], ["--config"]])
def test_config_check_accepts_the_shipped_config(how: list[str]) -> None:
    """The file as an argument, or with -c / --config as every other command takes it."""
    result = runner.invoke(app, ["config", "check", *how, str(ROOT / "config.yaml")])
    assert result.exit_code == 0, result.output
    assert "OK (4 surveys, channels: webchat)" in result.output


def test_config_check_refuses_two_different_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "check", str(ROOT / "config.yaml"), "-c", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "two config files named" in result.output


def test_config_check_names_the_bad_key_and_line(tmp_path: Path) -> None:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "config.yaml"
    bad.write_text(
        text.replace("        next: thanks\n        branches:", "        next: q9\n        branches:", 1)
    )
    line = bad.read_text().splitlines().index("        next: q9") + 1
    result = runner.invoke(app, ["config", "check", str(bad)])
    assert result.exit_code == 1
    assert (
        "surveys.csat.steps.rating.next: unknown step 'q9' (known: praise, reason, comment, thanks) "
        f"at line {line}" in (result.output)
    )


def test_config_check_reports_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read" in result.output


def _telegram_on(tmp_path: Path) -> Path:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    on = tmp_path / "config.yaml"
    on.write_text(text.replace("telegram: {enabled: false}", "telegram: {enabled: true}", 1))
    return on


def test_config_check_notes_secrets_this_environment_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid file passes, but a start here would be refused: the check says so, and with
    --secrets (a deploy's pre-flight) fails on it."""
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    config = _telegram_on(tmp_path)
    noted = runner.invoke(app, ["config", "check", str(config)])
    assert noted.exit_code == 0, noted.output
    assert "OK (4 surveys, channels: webchat, telegram)" in noted.output
    assert "note: `csatbot serve` with this environment would refuse to start (2 unset)" in noted.output
    assert "environment variable TELEGRAM_BOT_TOKEN is not set" in noted.output
    strict = runner.invoke(app, ["config", "check", "--secrets", str(config)])
    assert strict.exit_code == 1
    assert "environment variable TELEGRAM_WEBHOOK_SECRET is not set" in strict.output
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret")
    ready = runner.invoke(app, ["config", "check", "--secrets", str(config)])
    assert ready.exit_code == 0, ready.output
    assert "refuse" not in ready.output


def test_config_schema_is_json_schema_for_editors() -> None:
    result = runner.invoke(app, ["config", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "csatbot config.yaml"
    assert "surveys" in schema["required"]
    assert schema["additionalProperties"] is False


def test_chat_runs_a_whole_survey_and_report_shows_it(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    # The chat runs on the real clock: without quiet hours the result does not depend on the time of day.
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["surveying"]["quiet_hours"] = None
    data["timezone"] = "Europe/Berlin"
    data["nlu"] = {"model_dir": str(tmp_path / "no-model")}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    script = "\n".join(
        [
            "hello, my parcel is late",
            "/agent Sorry! It ships today.",
            "/resolve",
            "/tick 9",
            "/tick 1",
            "where is my refund?",
            "2",
            "3",
            "it took a week",
            "/as li",
            "/quit",
            "never read",
        ]
    )
    result = runner.invoke(app, ["chat", "--config", str(config), "--db", str(db)], input=script)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"-- triage is off: no model in {tmp_path / 'no-model'} (train one: csatbot nlu train)"
    assert "agent support> Sorry! It ships today." in lines
    assert any(line.startswith("-- conversation 1 resolved; survey ") for line in lines)
    assert "bot> How satisfied are you with the help you received?" in lines
    assert "bot> [5] ⭐⭐⭐⭐⭐" in lines
    assert "bot> Sorry, I didn't catch that as an answer." in lines
    assert "bot> [3] Unfriendly service" in lines  # numbered, as "reply with its number" says
    assert lines.index("bot> Sorry to hear that. What went wrong?") < lines.index(
        "bot> Anything else you would like to tell us?"
    )
    assert lines[-3:] == [
        "bot> Thank you for your feedback!",
        "bot> I've passed this to Customer Support: a person will reply here.",
        "-- now chatting as li",
    ]

    report = runner.invoke(app, ["report", "--db", str(db), "--format", "json", "--config", str(config)])
    assert report.exit_code == 0, report.output
    data = json.loads(report.output)
    assert data["total"]["sent"] == 1 and data["total"]["dsat"] == 1
    assert data["timezone"] == "Europe/Berlin"  # days are the config's days
    (survey,) = data["surveys"]
    assert survey["channel"] == "webchat" and survey["escalated"] is True
    assert [a.get("score", a.get("option", a.get("text"))) for a in survey["answers"]] == [
        2,
        "attitude",
        "it took a week",
    ]
    # The console's default range (the last 30 days in the zone, today included) and min_answers.
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    berlin = ZoneInfo("Europe/Berlin")
    assert data["since"] == midnight(today - timedelta(days=29), berlin).astimezone(berlin).isoformat()
    assert data["until"] == midnight(today + timedelta(days=1), berlin).astimezone(berlin).isoformat()
    sent = datetime.fromisoformat(survey["sent_at"])  # in the config's zone, as the console shows it
    assert sent.utcoffset() == sent.astimezone(berlin).utcoffset() != timedelta(0)
    assert data["min_answers"] == 10 and data["total"]["few_answers"] is True
    assert data["total"]["few"]["csat_percent"] is True and data["by"]["agent"]["support"]["csat_n"] == 1
    csv_out = runner.invoke(app, ["report", "--db", str(db), "--format", "csv", "--config", str(config)])
    lines = csv_out.output.splitlines()
    assert lines[0].endswith(",dsat,few_answers")
    assert lines[1].startswith("total,all,1,1,1.0,0.0,2.0,,,1,yes")
    assert any(line.startswith("agent,support,1,1,") for line in lines)
    table = runner.invoke(app, ["report", "--db", str(db), "--config", str(config)])
    assert "webchat" in table.output and "CSAT %" in table.output
    assert f"{today - timedelta(days=29)} .. {today} (Europe/Berlin)" in table.output
    [agent_row] = [line for line in table.output.splitlines() if "│ agent" in line]
    assert "support" in agent_row and "0.0*" in agent_row  # CSAT % from 1 answer: flagged
    assert "* fewer than 10 answers" in table.output
    days = ["--since", "2026-11-01", "--until", "2026-11-30", "--format", "json", "--config", str(config)]
    november = json.loads(runner.invoke(app, ["report", "--db", str(db), *days]).output)
    assert (november["since"], november["until"]) == (  # both days included, in the config's zone
        "2026-11-01T00:00:00+01:00",
        "2026-12-01T00:00:00+01:00",
    )


def test_chat_says_why_a_survey_waits_or_is_not_sent(tmp_path: Path) -> None:
    # The shipped quiet hours (22:00-08:00 Asia/Shanghai) at 07:30, as someone trying it early would.
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["nlu"] = {"model_dir": str(tmp_path / "no-model")}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    script = "\n".join(
        [
            "my parcel is late",
            "/agent It ships today.",
            "/resolve",  # 07:30 + 10 min falls in the quiet hours: 08:00
            "/tick 30",
            "5",
            "skip",  # the optional praise question
            "one more question",
            "/agent Sure, done.",
            "/resolve",  # surveyed a moment ago: throttled
            "/quit",
        ]
    )
    args = ["chat", "--config", str(config), "--db", str(tmp_path / "c.db"), "--at", "2026-11-23T07:30"]
    result = runner.invoke(app, args, input=script)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    waits = [line for line in lines if line.startswith("-- conversation 1 resolved; survey ")]
    assert len(waits) == 1 and waits[0].endswith(" due in 30 min (quiet hours until 08:00)"), lines
    assert any(line.startswith("-- sent survey ") for line in lines)
    [throttled] = [line for line in lines if line.startswith("-- conversation 2 resolved; ")]
    assert throttled.startswith(
        "-- conversation 2 resolved; no survey: throttled until 2026-12-23 08:00 ("
    ), lines


def test_chat_refuses_a_tick_that_is_not_a_span_of_time(tmp_path: Path) -> None:
    """1e308 minutes was an OverflowError traceback (and NaN a ValueError); a negative tick moved the
    clock back."""
    script = "\n".join(["hello", "/tick 1e308", "/tick nan", "/tick -5", "/tick 527041", "/tick 1", "/quit"])
    result = runner.invoke(app, ["chat", "--db", str(tmp_path / "c.db")], input=script)
    assert result.exit_code == 0, result.output
    usage = "-- usage: /tick MINUTES (0 to 527040, a year)"
    assert result.output.count(usage) == 4, result.output


def test_chat_says_how_to_use_as_and_agent_without_their_argument(tmp_path: Path) -> None:
    """``/as`` alone was an "unknown command /as" though the help lists it."""
    script = "\n".join(["/as", "/agent  ", "/quit"])
    result = runner.invoke(app, ["chat", "--db", str(tmp_path / "c.db")], input=script)
    assert result.exit_code == 0, result.output
    assert "-- usage: /as NAME" in result.output and "-- usage: /agent TEXT" in result.output
    assert "unknown command" not in result.output


def test_chat_keeps_to_a_database_of_its_own_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``csatbot chat`` beside ``make run`` used the server's database: its ``/tick`` then sent,
    reminded and expired real customers' surveys early and swept their sessions."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'live.db'}")
    script = "hello\n/tick 1\n/quit\n"
    result = runner.invoke(app, ["chat", "--config", str(ROOT / "config.yaml")], input=script)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "var" / "chat.db").is_file()
    assert not (tmp_path / "live.db").exists() and not (tmp_path / "var" / "csatbot.db").exists()


def test_chat_refuses_a_start_time_that_is_not_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["chat", "--db", str(tmp_path / "c.db"), "--at", "25:99"], input="/quit\n")
    assert result.exit_code == 2
    assert "is not a time of day" in result.output


def test_report_rejects_a_bad_date(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--db", str(tmp_path / "r.db"), "--since", "last tuesday"])
    assert result.exit_code != 0
    assert "expected a date like 2026-11-01" in result.output


def test_serve_refuses_to_start_an_enabled_channel_without_its_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    result = runner.invoke(
        app,
        [
            "serve",
            "--config",
            str(ROOT / "config.yaml"),
            "--db",
            str(tmp_path / "x.db"),
            "--telegram-polling",
        ],
    )
    assert result.exit_code == 2
    assert "channels.telegram: enabled but the environment variable TELEGRAM_BOT_TOKEN is not set" in (
        result.output
    )


def test_report_refuses_a_database_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 2
    assert f"no database at {tmp_path / 'var' / 'csatbot.db'}: pass --db" in result.output
    assert not (tmp_path / "var").exists()  # nothing created


def test_serve_refuses_more_workers_than_a_machine_could_hold(tmp_path: Path) -> None:
    """Hunt 20's leftover: ``--workers`` had no upper bound, and each worker is a whole server with its
    own database pool and model: a typo (100000) is refused before anything starts."""
    url = "postgresql://nobody@127.0.0.1:1/none"
    result = runner.invoke(app, ["serve", "--db", url, "--workers", str(MAX_WORKERS + 1)])
    assert result.exit_code == 2
    assert f"less than or equal to {MAX_WORKERS}" in " ".join(result.output.replace("│", " ").split())


def test_serve_refuses_several_workers_on_sqlite(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "csatbot.db"), "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers needs PostgreSQL: pass --db postgresql://..." in result.output
    assert not (tmp_path / "csatbot.db").exists()  # refused before creating or migrating anything


UNREADABLE = "\udcff"
"""What Python makes of a command-line byte that is not UTF-8 (``csatbot users remove $'\\xff'``)."""


@pytest.mark.parametrize(
    "args",
    [
        ["users", "remove", UNREADABLE],
        ["users", "passwd", UNREADABLE],
        ["tokens", "revoke", UNREADABLE],
        ["users", "add", "bob", "--role", "admin", "--display-name", f"Bob {UNREADABLE}"],
        ["customers", "erase", "1", "--db", f"{UNREADABLE}.db"],
    ],
    ids=["users-remove", "users-passwd", "tokens-revoke", "display-name", "db-path"],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error_and_touches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """Each was a UnicodeEncodeError traceback from the database driver (or a file with that name)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    result = runner.invoke(app, args, input="long enough password\n" * 2)
    assert result.exit_code == 2, result.output
    assert "is not UTF-8 text" in result.output and "retype it" in result.output
    assert list(tmp_path.iterdir()) == []  # no database made, nothing written


def said(output: str) -> str:
    """The words of typer's boxed error, on one line."""
    return " ".join(output.replace("│", " ").split())


def test_an_id_past_the_database_range_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["customers", "erase", str(2**63), "--yes", "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2  # was an OverflowError traceback from the driver
    assert f"Input should be less than or equal to {MAX_ROW_ID}" in said(result.output)
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--since", "0001-01-01"], "since '0001-01-01' is out of range (reports cover 1970-2999)"),
        (["--until", "9999-12-31"], "until '9999-12-31' is out of range (reports cover 1970-2999)"),
        (["--since", "1990-01-01", "--until", "2020-01-01"], "a report covers at most 731 days"),
        (
            ["--since", "2026-03-01", "--until", "2026-02-01"],
            "--since 2026-03-01 is after --until 2026-02-01",
        ),
        (["--since", "2999-12-31"], "--since 2999-12-31 is after --until today ("),  # was "--until None"
    ],
    ids=["year-1", "year-9999", "thirty-years", "backwards", "after-today"],
)
@pytest.mark.parametrize("command", [["report"], ["report", "themes"]])
def test_report_dates_are_refused_as_the_api_refuses_them(
    tmp_path: Path, command: list[str], args: list[str], expected: str
) -> None:
    """Year 1 or 9999 was an OverflowError traceback; thirty years or a range ending before it
    starts were reported on (the API answers 422 for both)."""
    result = runner.invoke(app, [*command, "--db", str(tmp_path / "r.db"), *args])
    assert result.exit_code == 2, result.output
    assert expected in said(result.output)
    assert not (tmp_path / "r.db").exists()


def test_serve_refuses_a_port_that_is_not_one(tmp_path: Path) -> None:
    """Port 99999 was taken as 34463 (modulo 65536) while the banner printed 99999."""
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--port", "99999"])
    assert result.exit_code == 2
    assert "Input should be less than or equal to 65535" in said(result.output)
    assert not (tmp_path / "s.db").exists()


def test_serve_refuses_a_log_level_that_is_not_one(tmp_path: Path) -> None:
    """``--log-level LOUD`` was a ValueError traceback from the logging module."""
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--log-level", "LOUD"])
    assert result.exit_code == 2
    assert "Invalid value for '--log-level': Value error, 'LOUD' is not one of 'debug', 'info'" in said(
        result.output
    )
    assert not (tmp_path / "s.db").exists()


def test_the_banner_points_to_the_console_not_the_old_desk() -> None:
    shown = banner("http://127.0.0.1:8000")
    assert "http://127.0.0.1:8000/console/conversations" in shown and "/agent" not in shown
    assert shown.splitlines()[0] == "csatbot web chat:   http://127.0.0.1:8000/"


def _commands(group: TyperGroup, path: list[str]) -> list[list[str]]:
    found = [path]
    for name, command in group.commands.items():
        found += _commands(command, [*path, name]) if isinstance(command, TyperGroup) else [[*path, name]]
    return found


def test_every_commands_help_reads_as_plain_text() -> None:
    """``csatbot report --help`` showed the docstring's reST quoting (``timezone``) to the admin."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    commands = _commands(root, [])
    assert ["report", "themes"] in commands and ["users", "add"] in commands
    for command in commands:
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "``" not in result.output, command


def test_serve_refuses_a_port_another_process_holds_before_starting_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """It started up first (uvicorn binds after start-up) and took back the leases of the server
    already on that port, then failed with "address already in use"."""
    caplog.set_level(logging.INFO)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output
    assert "csatbot web chat:" not in result.output and "Waiting for application startup" not in caplog.text


BAD_URL = "postgresql://amy:hunter2@127.0.0.1:abc/csat"
"""A port that is no number: every command that opens the database printed a traceback with the URL,
password and all."""


@pytest.mark.parametrize(
    "args",
    [
        ["db", "upgrade"],
        ["report"],
        ["report", "themes"],
        ["users", "list"],
        ["tokens", "list"],
        ["customers", "erase", "1", "--yes"],
        ["serve"],
    ],
    ids=lambda args: "-".join(args[:2]),
)
def test_a_database_url_that_is_none_is_a_usage_error_without_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for how in (["--db", BAD_URL], []):  # given, or from DATABASE_URL
        monkeypatch.setenv("DATABASE_URL", BAD_URL)
        result = runner.invoke(app, [*args, *how])
        assert result.exit_code == 2, (how, result.output, result.exception)
        assert "'postgresql+psycopg://amy:***@127.0.0.1:abc/csat' is not a database URL" in said(
            result.output
        )
        assert "hunter2" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_db_upgrade_names_the_database_without_its_password(postgres_server_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres_server_url)
    if url.password is None:  # the test server trusts loopback: any password will do
        url = url.set(password="not-shown-anywhere")
    result = runner.invoke(app, ["db", "upgrade", "--db", url.render_as_string(hide_password=False)])
    assert result.exit_code == 0, result.output
    assert f"{url.username}:***@" in result.output and str(url.password) not in result.output


@pytest.mark.parametrize(
    "args", [["db", "upgrade"], ["report"], ["users", "list"], ["customers", "erase", "1", "--yes"]]
)
def test_a_database_that_cannot_be_reached_is_said_not_a_traceback(args: list[str]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = runner.invoke(app, [*args, "--db", f"postgresql://amy:hunter2@127.0.0.1:{port}/csat"])
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert "Error: the database cannot be reached (connection failed:" in said(result.output)
    assert "is it running, and are --db or DATABASE_URL right?" in said(result.output)
    assert "hunter2" not in result.output


def test_chat_refuses_a_line_that_is_not_utf8_or_holds_nul_and_goes_on(tmp_path: Path) -> None:
    """``/agent hi`` or ``/as`` followed by a byte that is not UTF-8 (Python reads it as a lone
    surrogate) was a UnicodeEncodeError traceback from the database driver, ending the chat."""
    script = "\n".join(["hello", "/agent hi \udcff", "/as \udcfe", "x\x00y", "/agent on its way", "/quit"])
    raw = script.encode("utf-8", "surrogateescape")  # the bytes a terminal sends
    result = runner.invoke(app, ["chat", "--db", str(tmp_path / "c.db")], input=raw)
    assert result.exit_code == 0, (result.output, result.exception)
    refused = [line for line in result.output.splitlines() if line.startswith("-- not taken: ")]
    assert refused == [
        "-- not taken: the line holds bytes that are not UTF-8 text; retype it in a UTF-8 terminal",
        "-- not taken: the line holds bytes that are not UTF-8 text; retype it in a UTF-8 terminal",
        "-- not taken: the line holds a NUL character; retype it in a UTF-8 terminal",
    ]
    assert "agent support> on its way" in result.output  # the chat went on, as the same customer


@pytest.mark.parametrize(
    "args",
    [
        ["db", "upgrade"],
        ["report"],
        ["users", "list"],
        ["tokens", "list"],
        ["customers", "erase", "1", "--yes"],
    ],
)
def test_a_database_file_of_another_kind_or_a_newer_schema_is_said_not_a_traceback(
    args: list[str], tmp_path: Path, sqlite_template: Path
) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(b"PK\x03\x04 not a database" * 100)
    newer = Path(fresh_sqlite(sqlite_template, tmp_path / "newer.db").removeprefix("sqlite:///"))
    with sqlite3.connect(newer) as conn:
        conn.execute("update alembic_version set version_num = '9999_future'")
    for path, says in (
        (other, f"{other} is not a SQLite database"),
        (newer, "9999_future, which this csatbot"),
    ):
        result = runner.invoke(app, [*args, "--db", str(path)])
        assert result.exit_code in (1, 2), (args, path, result.output, result.exception)
        assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
        assert says in said(result.output), result.output

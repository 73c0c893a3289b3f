"""The ``csatbot`` command line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import sys
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.errors import ConfigError
from csatbot.cli_options import (
    ReadableArguments,
    db_url,
    existing_database,
    report_settings,
    report_window,
    when,
)
from csatbot.console.cli import users_app
from csatbot.customers_cli import customers_app
from csatbot.flows_cli import flows_app
from csatbot.themes_cli import themes_command
from csatbot.tokens_cli import tokens_app
from csatbot.workers import MAX_WORKERS
from nlu.cli import app as nlu_app
from nlu.cli import classify_command

if TYPE_CHECKING:
    from csatbot.runtime import Runtime

app = typer.Typer(
    cls=ReadableArguments,
    help="csatbot: in-chat customer-satisfaction surveys and ticket triage.",
    no_args_is_help=True,
)
config_app = typer.Typer(help="Check config.yaml or print its JSON Schema.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(nlu_app, name="nlu")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(customers_app, name="customers")
app.add_typer(flows_app, name="flows")
app.command("classify")(classify_command)


class LogFormatChoice(StrEnum):
    plain = "plain"
    json = "json"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="config file")]
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="database URL or SQLite file (default: $DATABASE_URL or var/csatbot.db)"),
]


def _setup_logging(level: str = "INFO", log_format: str = "plain") -> None:
    from csatbot.logs import setup_logging

    setup_logging(level, "json" if log_format == "json" else "plain")  # secrets scrubbed at any level


@app.command()
def serve(
    config: ConfigOption = Path("config.yaml"),
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on", min=1, max=65535)] = 8000,
    log_level: Annotated[
        LogLevel, typer.Option(case_sensitive=False, help="the least severe lines logged")
    ] = LogLevel.INFO,
    log_format: Annotated[
        LogFormatChoice, typer.Option(help="plain lines, or one JSON object per line (with trace_id)")
    ] = LogFormatChoice.plain,
    telegram_polling: Annotated[
        bool, typer.Option(help="talk to Telegram by long polling instead of the webhook (development)")
    ] = False,
    triage: Annotated[
        bool, typer.Option(help="classify customer messages with the triage model (nlu.model_dir)")
    ] = True,
    train: Annotated[
        bool, typer.Option(help="train the triage model in the background when there is none yet")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="server processes on this port (the kernel spreads connections over them); more "
            "than 1 needs PostgreSQL and is refused on SQLite. Only the first trains a missing model.",
        ),
    ] = 1,
    worker_index: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Serve the web chat, the webhooks and the support API."""
    import uvicorn

    from csatbot.runtime import Runtime
    from csatbot.slow_clients import GuardedHttp
    from csatbot.web import Server, create_app
    from csatbot.workers import reuse_port_socket, worker_id

    _setup_logging(log_level.value, log_format.value)
    if workers > 1:
        _refuse_workers_here(db, telegram_polling)
    if worker_index is None:  # a worker of `--workers N`: the supervisor checked and migrated
        _refuse_unsafe_exposure(host, db)
    if workers > 1:
        from csatbot.workers import python_command, supervise

        command = [*python_command(), "serve", "--config", str(config), "--host", host]
        command += ["--port", str(port), "--log-level", log_level.value, "--log-format", log_format.value]
        command += [*(["--db", db] if db else []), "--triage" if triage else "--no-triage"]
        code = supervise(
            [
                [*command, "--train" if train else "--no-train", "--worker-index", str(i)]
                for i in range(workers)
            ]
        )
        raise typer.Exit(code)
    lease_owner = os.environ.get("CSATBOT_WORKER_ID") or f"{socket.gethostname()}:{port}"
    try:
        runtime = Runtime(
            config,
            db_url(db),
            telegram_polling=telegram_polling,
            triage_model=triage,
            # of several workers only the first trains a missing model; the others wait for it
            train_if_missing=train and not worker_index,
            await_model=train and bool(worker_index),
            # Stable across restarts of this process (same host, same port): a restart takes its own
            # in-flight work back at once instead of waiting for its leases to run out.
            worker_id=lease_owner if worker_index is None else worker_id(lease_owner, worker_index),
        )
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    try:
        app = create_app(runtime)
    except ConfigError as exc:  # an empty signing key file (csatbot.console.sessions.secret_key)
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if worker_index is None:  # before start-up, which takes back what this worker id held
        _refuse_a_port_in_use(host, port, runtime)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if worker_index is None or worker_index == 0:
        typer.echo(banner(f"http://{shown}:{port}"))
    settings = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level.value.lower(),
        log_config=None,  # uvicorn's lines go through our handler: same format, trace id, scrubbing
        timeout_graceful_shutdown=10,
        http=GuardedHttp,  # deadlines and a head size cap for slow or hostile clients
    )
    server = Server(runtime, settings)  # ends open chat pages' long polls at once on Ctrl+C
    sockets = None if worker_index is None else [reuse_port_socket(host, port)]
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl+C after a clean shutdown
        server.run(sockets=sockets)
    if not server.started:
        raise typer.Exit(1)


def banner(base: str) -> str:
    """Where things are, printed when the server starts (the old ``/agent`` desk is the console's
    conversations now)."""
    return (
        f"csatbot web chat:   {base}/\n"
        f"console:            {base}/console (conversations: {base}/console/conversations)\n"
        f"API docs (OpenAPI): {base}/docs"
    )


def _refuse_workers_here(db: str | None, telegram_polling: bool) -> None:
    """Exit 2 when ``--workers N`` cannot work: SQLite (one writer at a time; the supported
    scale-out is PostgreSQL) or Telegram long polling (one poller per bot)."""
    from sqlalchemy.engine import make_url

    from storage import database_url

    if make_url(database_url(db_url(db))).get_backend_name() == "sqlite":
        typer.echo(
            "--workers needs PostgreSQL: pass --db postgresql://... (or set DATABASE_URL); "
            'on SQLite run one process (README, "Scaling out")',
            err=True,
        )
        raise typer.Exit(2)
    if telegram_polling:
        typer.echo("--telegram-polling runs one poller per bot: use the webhook with --workers", err=True)
        raise typer.Exit(2)


def _refuse_a_port_in_use(host: str, port: int, runtime: Runtime) -> None:
    """Exit 2 when another process listens on ``host:port``, before the server starts up. uvicorn
    binds only after start-up, so a second ``serve`` on a taken port started up first: it took back
    the leases of the server already there (the same worker id, host and port) before it failed."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as exc:
        runtime.database.dispose()
        typer.echo(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (another csatbot serve, or another "
            "program, may hold it): stop it or pick another --port",
            err=True,
        )
        raise typer.Exit(2) from None


def _refuse_unsafe_exposure(host: str, db: str | None) -> None:
    """Exit 2, naming what to set, when ``host`` is reachable from other machines without the secrets."""

    from csatbot.exposure import exposure_problems
    from storage import open_database
    from storage.migrate import upgrade

    database = open_database(db_url(db))
    try:
        upgrade(database)
        problems = exposure_problems(host, os.environ, database)
    finally:
        database.dispose()
    if problems:
        typer.echo(
            f"refusing to listen on {host}: other machines could reach it, and\n"
            + "".join(f"  - {p}\n" for p in problems)
            + "(on 127.0.0.1 none of this is needed)",
            err=True,
        )
        raise typer.Exit(2)


@config_app.command("check")
def config_check(
    file: Annotated[Path | None, typer.Argument(help="config file")] = None,
    named: Annotated[Path | None, typer.Option("--config", "-c", help="config file, as elsewhere")] = None,
    secrets: Annotated[
        bool,
        typer.Option(
            "--secrets",
            help="also fail (exit 1) when this environment lacks a secret an enabled channel or "
            "notification target needs (without it, they are listed as a note)",
        ),
    ] = False,
) -> None:
    """Validate a config file (config.yaml unless named); print every problem and exit non-zero if
    there are any. Secrets the enabled channels need but this environment lacks are listed too, as
    a note (a fail with --secrets): `csatbot serve` here would refuse to start without them."""
    from bot.config import load_config
    from bot.config.channels import missing_secrets as channel_secrets
    from bot.config.notifications import missing_secrets as target_secrets

    if file is not None and named is not None and file != named:
        raise typer.BadParameter(f"two config files named ({file} and {named}): name one")
    file = file or named or Path("config.yaml")

    try:
        config = load_config(file)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"{file}: OK ({len(config.surveys)} surveys, channels: {', '.join(config.channels.enabled())})"
    )
    unset = channel_secrets(config.channels, os.environ) + target_secrets(config.notifications, os.environ)
    if unset:
        typer.echo(
            ("" if secrets else "note: ")
            + f"`csatbot serve` with this environment would refuse to start ({len(unset)} unset):\n"
            + "".join(f"  {problem}\n" for problem in unset),
            err=True,
            nl=False,
        )
        if secrets:
            raise typer.Exit(1)


@config_app.command("schema")
def config_schema() -> None:
    """Print the JSON Schema of config.yaml (for editor validation)."""
    from bot.config import Config

    schema = Config.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "csatbot config.yaml"
    typer.echo(json.dumps(schema, indent=2, ensure_ascii=False))


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Apply database migrations (serve does this at start-up too)."""
    from storage import open_database
    from storage.db import shown_url
    from storage.migrate import upgrade

    database = open_database(db_url(db))
    try:
        upgrade(database)
    finally:
        database.dispose()
    typer.echo(f"database at {shown_url(database.url)} is up to date")


CHAT_DB = "var/chat.db"
"""The chat's own database: its /tick fires every timer due in the database it runs on, so on a live
server's it sent, reminded and expired real customers' surveys early (and swept its retention)."""


@app.command()
def chat(
    config: ConfigOption = Path("config.yaml"),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=f"database URL or SQLite file of its own (default: {CHAT_DB}, never $DATABASE_URL): "
            "/tick fires every timer due in it, so never point it at a live server's",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(help="start the clock at this local time (HH:MM today, or 2026-11-23T07:30)"),
    ] = None,
) -> None:
    """Chat as a web chat customer in the terminal (one stdin line per message).

    /as NAME switches customer, /agent TEXT replies as an agent, /resolve resolves the conversation,
    /tick MINUTES moves the clock and fires what falls due, /quit ends. Triage runs when the
    configured model exists; each message's labels are printed, and why a survey waits.
    """
    from csatbot.chat import run_chat

    _setup_logging("WARNING")
    try:
        start = None if at is None else _start_time(at, _report_zone(config))
        asyncio.run(run_chat(str(config), db_url(db or CHAT_DB), start_at=start))
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _start_time(value: str, tz: tzinfo) -> datetime:
    """``--at``: ``HH:MM`` today in ``tz``, or a date and time (in ``tz`` unless it has an offset)."""
    if re.fullmatch(r"\d{1,2}:\d{2}", value):
        hours, minutes = (int(part) for part in value.split(":"))
        today = datetime.now(tz)
        try:
            return today.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        except ValueError as exc:
            raise typer.BadParameter(f"--at: {value!r} is not a time of day (expected e.g. 07:30)") from exc
    return when(value, datetime.now(tz), tz)


def _report_zone(config: Path) -> tzinfo:
    """config.yaml's ``timezone``; UTC when there is no config file."""
    return report_settings(config)[0]


report_app = typer.Typer(invoke_without_command=True)
app.add_typer(report_app, name="report")
report_app.command("themes")(themes_command)


@report_app.callback()
def report(
    context: typer.Context,
    since: Annotated[str | None, typer.Option(help="first day (default: 29 days before --until)")] = None,
    until: Annotated[str | None, typer.Option(help="last day, included (default: today)")] = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="output format")
    ] = ReportFormat.table,
    db: DbOption = None,
    config: ConfigOption = Path("config.yaml"),
) -> None:
    """CSAT, NPS, CES, response rate and DSAT in total, by channel, by agent and by day, over the
    console's default range (the last 30 days); days are in the config's `timezone`, and figures
    resting on fewer than `reports.min_answers` answers are flagged, as in the console.

    `csatbot report themes`: the comment themes (see its --help)."""
    if context.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    from storage import open_database
    from storage.migrate import upgrade
    from storage.reports import Scores, build_report
    from storage.store import SqlStore

    tz, min_answers = report_settings(config)
    start, end = report_window(since, until, tz)
    existing_database(db_url(db))
    database = open_database(db_url(db))
    try:
        upgrade(database)
        data = SqlStore(database).read_sync(
            lambda repo: build_report(repo.session, start, end, with_surveys=format == "json", tz=tz)
        )
    finally:
        database.dispose()
    if format is ReportFormat.json:
        typer.echo(json.dumps(_in_zone(data.as_dict(min_answers), tz), indent=2, ensure_ascii=False))
        return
    rows: list[tuple[str, str, Scores]] = [("total", "all", data.total)]
    rows += [("channel", k, v) for k, v in sorted(data.by_channel.items())]
    rows += [("agent", k, v) for k, v in sorted(data.by.get("agent", {}).items())]
    rows += [("day", k, v) for k, v in sorted(data.by_day.items())]
    columns = ["sent", "responded", "response_rate", "csat_percent", "csat_mean", "nps", "ces_mean", "dsat"]
    if format is ReportFormat.csv:
        from storage.survey_rows import csv_text

        lines = [["group", "key", *columns, "few_answers"]]
        for group, key, scores in rows:
            values = scores.as_dict(min_answers)
            cells = ("" if values[c] is None else values[c] for c in columns)
            lines.append([group, key, *cells, "yes" if values["few_answers"] else ""])
        sys.stdout.write(csv_text(lines))
        return
    last = (end - timedelta(microseconds=1)).astimezone(tz)
    table = Table(
        title=f"csatbot report {start.astimezone(tz):%Y-%m-%d} .. {last:%Y-%m-%d} ({tz})",
        caption=f"* fewer than {min_answers} answers (reports.min_answers): too few to judge anyone on",
    )
    for name in [
        "group",
        "key",
        "sent",
        "answered",
        "resp. %",
        "CSAT %",
        "CSAT avg",
        "NPS",
        "CES avg",
        "DSAT",
    ]:
        table.add_column(name, justify="left" if name in ("group", "key") else "right")
    for group, key, scores in rows:
        table.add_row(group, key, *_cells(scores, min_answers))
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)
    console.print(table)


def _in_zone(report: dict[str, Any], tz: tzinfo) -> dict[str, Any]:
    """The JSON report's times (the range, each survey's ``sent_at``) in the config's time zone, with
    its offset, as the console and its CSV show them."""

    def zoned(value: str | None) -> str | None:
        return None if value is None else datetime.fromisoformat(value).astimezone(tz).isoformat()

    report["since"], report["until"] = zoned(report["since"]), zoned(report["until"])
    for survey in report["surveys"]:
        survey["sent_at"] = zoned(survey["sent_at"])
    return report


def _cells(scores: Any, min_answers: int) -> list[str]:
    """The table's figures; each one resting on fewer than ``min_answers`` answers gets a ``*``."""

    def fmt(value: float | None, spec: str, n: int) -> str:
        return "-" if value is None else format(value, spec) + ("*" if n < min_answers else "")

    rate = None if scores.response_rate is None else 100 * scores.response_rate
    return [
        str(scores.sent),
        str(scores.responded),
        fmt(rate, ".1f", scores.sent),
        fmt(scores.csat_percent, ".1f", scores.csat_n),
        fmt(scores.csat_mean, ".2f", scores.csat_n),
        fmt(scores.nps, "+.0f", scores.nps_n),
        fmt(scores.ces_mean, ".2f", scores.ces_n),
        str(scores.dsat),
    ]


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""What the commands share: readable arguments, and for reports the database, config.yaml's zone
and minimum, and the range."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import typer
from typer.core import TyperGroup

from bot.errors import ConfigError, StorageError


class ReadableArguments(TyperGroup):
    """The root command: an argument holding bytes that are not UTF-8 (Python keeps each as a lone
    surrogate, ``$'\\xff'`` as ``'\\udcff'``) is a usage error before any command runs; it was a
    UnicodeEncodeError traceback where a name was looked up or stored, or a file of that name."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: typer's own click Context
        for n, arg in enumerate(args, 1):
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                raise typer.BadParameter(
                    f"argument {n} ({ascii(arg)[:80]}) is not UTF-8 text: retype it in a UTF-8 terminal",
                    ctx,
                ) from None
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a database URL that is none (a port that is no number, ``timeout=0``)
        is a usage error saying what to write, where it was a traceback that showed the password,
        and a database that cannot be reached says so (exit 1), where it was a traceback."""
        from storage.db import is_unreachable

        try:
            return super().invoke(ctx)
        except StorageError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(2) from None
        except Exception as exc:
            if not is_unreachable(exc):
                raise
            why = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            typer.echo(
                f"Error: the database cannot be reached ({why}): is it running, and are --db or "
                "DATABASE_URL right?",
                err=True,
            )
            raise typer.Exit(1) from None


def db_url(db: str | None) -> str | None:
    """``--db``: a database URL as it is, a file path as a SQLite URL (``None``: DATABASE_URL)."""
    if db is None or "://" in db:
        return db
    return f"sqlite:///{db}"


def existing_database(url: str | None) -> None:
    """Refuse a SQLite file that does not exist (a report must not create an empty database and
    print zeros); other databases are checked by connecting."""
    from storage import database_url
    from storage.db import parse_url

    parsed = parse_url(database_url(url))
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file and file != ":memory:" and not Path(file).is_file():
        typer.echo(
            f"no database at {Path(file).resolve()}: pass --db (or set DATABASE_URL) to the "
            "database csatbot serve uses",
            err=True,
        )
        raise typer.Exit(2)


def when(value: str | None, default: datetime, tz: tzinfo) -> datetime:
    """A date or time from the command line; one without an offset is a time in ``tz``."""
    if value is None:
        return default
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"expected a date like 2026-11-01 or 2026-11-01T08:00, got {value!r}"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def report_settings(config: Path) -> tuple[tzinfo, int]:
    """config.yaml's ``timezone`` and ``reports.min_answers`` (UTC and the default without a file)."""
    from bot.config import load_config
    from bot.config.schema import ReportPolicy

    if not config.is_file():
        return UTC, ReportPolicy().min_answers
    try:
        loaded = load_config(config)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    return ZoneInfo(loaded.timezone), loaded.reports.min_answers


def report_window(since: str | None, until: str | None, tz: tzinfo) -> tuple[datetime, datetime]:
    """The console's range: a date is a whole day in ``tz`` (``until``'s included); a date and time
    is that instant (``until`` excluded); by default the last 30 days, today included. Refused as
    the API refuses it (:class:`typer.BadParameter`): a year outside 1970-2999, a range over 731
    days, or one that ends before it starts."""
    from storage.report_scope import ReportFilterError, check_range, check_year, last_days, midnight

    def bound(value: str, name: str, *, end: bool) -> datetime:
        moment = when(value, datetime.now(tz), tz)
        check_year(moment.date(), name)  # before a day is added or a zone applied: 9999 overflowed
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return midnight(moment.date() + timedelta(days=1) if end else moment.date(), tz)
        return moment

    try:
        today = datetime.now(tz).date()
        stop = bound(until, "until", end=True) if until else midnight(today + timedelta(days=1), tz)
        last = (stop - timedelta(microseconds=1)).astimezone(tz).date()
        start = bound(since, "since", end=False) if since else midnight(last_days(last)[0], tz)
        if start >= stop:
            last_said = until or f"today ({today}, when --until is not given)"
            raise ReportFilterError(f"--since {since} is after --until {last_said}: give the first day first")
        check_range(start, stop)
    except ReportFilterError as exc:
        raise typer.BadParameter(str(exc)) from exc
    return start, stop

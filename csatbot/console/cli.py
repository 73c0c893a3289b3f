"""``csatbot users``: create and manage who may sign in to the console."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.errors import CsatbotError

if TYPE_CHECKING:
    from csatbot.console.users import Users
    from storage.db import Database

users_app = typer.Typer(
    help="Console users: agents work tickets, admins also see config and reports.", no_args_is_help=True
)
T = TypeVar("T")

Db = Annotated[
    str | None,
    typer.Option("--db", help="database URL or SQLite file (default: $DATABASE_URL or var/csatbot.db)"),
]
ConfigFile = Annotated[
    Path,
    typer.Option(
        "--config", "-c", help="config.yaml whose timezone the times are shown in (UTC without one)"
    ),
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")
]


class RoleName(StrEnum):
    agent = "agent"
    admin = "admin"


def shown_time(when: datetime | None, config: Path) -> str:
    """``when`` in config.yaml's time zone with its offset, as the console shows it (``never``: none)."""
    from bot.config import load_config
    from csatbot.local_times import local_time

    if when is None:
        return "never"
    try:
        zone = load_config(config).timezone if config.is_file() else "UTC"
    except CsatbotError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    return local_time(when, zone)


def on_database(db: str | None, work: Callable[[Database], T], *, create: bool = False) -> T:
    """Run ``work`` on the (migrated) database; our errors end the command with their message and
    status 1. Unless ``create`` (adding the first user or token may come before ``serve``), a SQLite
    file that does not exist is refused (status 2): a mistyped ``--db`` made an empty database and
    said there were no users or tokens."""
    from csatbot.cli_options import db_url, existing_database
    from storage import open_database
    from storage.migrate import upgrade

    if not create:
        existing_database(db_url(db))
    try:
        database = open_database(db if db is None or "://" in db else f"sqlite:///{db}")
        try:
            upgrade(database)
            return work(database)
        finally:
            database.dispose()
    except CsatbotError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


def _run(db: str | None, work: Callable[[Users], T], *, create: bool = False) -> T:
    """Run ``work`` on the users table."""
    from csatbot.console.users import Users

    return on_database(db, lambda database: work(Users(database)), create=create)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        try:
            password = sys.stdin.readline().rstrip("\r\n")
            password.encode("utf-8")  # bytes that are not UTF-8 come as lone surrogates (or raise)
        except UnicodeError:
            typer.echo("error: the password on stdin is not UTF-8 text: send it as UTF-8", err=True)
            raise typer.Exit(1) from None
        if not password:
            typer.echo("error: --password-stdin given but stdin has no password line", err=True)
            raise typer.Exit(1)
        return password
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="user name to sign in with")],
    role: Annotated[RoleName, typer.Option(help="agent: works tickets; admin: also config and reports")],
    password_stdin: PasswordStdin = False,
    display_name: Annotated[str, typer.Option(help="name shown in the console")] = "",
    locale: Annotated[str, typer.Option(help="preferred console language (en, zh-CN)")] = "",
    db: Db = None,
) -> None:
    """Create a console user (asks for the password twice, unless --password-stdin)."""
    password = _password(password_stdin)
    account = _run(
        db,
        lambda users: users.add(name, password, role.value, display_name=display_name, locale=locale),
        create=True,
    )
    typer.echo(f"added {account.role} {account.username!r}; they can sign in at /console")


@users_app.command("list")
def list_users(db: Db = None, config: ConfigFile = Path("config.yaml")) -> None:
    """Every console user with their role and last sign-in (in config.yaml's time zone)."""
    accounts = _run(db, lambda users: users.list())
    if not accounts:
        typer.echo("no console users yet: add one with `csatbot users add NAME --role admin`")
        return
    for account in accounts:
        last = shown_time(account.last_login_at, config)
        shown = f" ({account.display_name})" if account.display_name else ""
        typer.echo(f"{account.username + shown:<28} {account.role:<6} last sign-in: {last}")


@users_app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="user name")],
    password_stdin: PasswordStdin = False,
    db: Db = None,
) -> None:
    """Set a new password (their open console sessions end)."""
    _run(db, lambda users: users.require(name))  # an unknown name is said before asking for a password
    password = _password(password_stdin)
    _run(db, lambda users: users.set_password(name, password))
    typer.echo(f"password of {name!r} changed; their open console sessions are signed out")


@users_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="user name")], db: Db = None) -> None:
    """Delete a console user (their open sessions end at once)."""
    _run(db, lambda users: users.remove(name))
    typer.echo(f"removed {name!r}")

"""``csatbot tokens``: bearer tokens for the support API, each acting as a name with a role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from csatbot.console.cli import ConfigFile, Db, RoleName, on_database, shown_time

if TYPE_CHECKING:
    from csatbot.tokens import ApiTokens

tokens_app = typer.Typer(
    help="API tokens: what integrations send as 'Authorization: Bearer <token>'.", no_args_is_help=True
)
T = TypeVar("T")


def _run(db: str | None, work: Callable[[ApiTokens], T], *, create: bool = False) -> T:
    from csatbot.tokens import ApiTokens

    return on_database(db, lambda database: work(ApiTokens(database)), create=create)


@tokens_app.command("add")
def add(
    name: Annotated[
        str, typer.Argument(help="who the token acts as (shown on replies, credited in reports)")
    ],
    role: Annotated[RoleName, typer.Option(help="agent: conversations and tickets; admin: also all reports")],
    db: Db = None,
) -> None:
    """Make a token and print it (only once: csatbot keeps just its hash)."""
    token = _run(db, lambda tokens: tokens.issue(name, role.value), create=True)
    typer.echo(token)
    typer.echo(f"^ API token for {name!r} ({role.value}); store it now, it is not shown again", err=True)


@tokens_app.command("list")
def list_tokens(db: Db = None, config: ConfigFile = Path("config.yaml")) -> None:
    """Each token's name, role and creation time in config.yaml's time zone (never the token)."""
    found = _run(db, lambda tokens: tokens.list())
    if not found:
        typer.echo("no API tokens yet: make one with `csatbot tokens add NAME --role agent`")
    for info in found:
        typer.echo(f"{info.name:<28} {info.role:<6} created {shown_time(info.created_at, config)}")


@tokens_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="the name the tokens act as")], db: Db = None) -> None:
    """Delete every token acting as NAME (requests with them get 401 at once)."""
    count = _run(db, lambda tokens: tokens.revoke(name))
    if not count:
        typer.echo(f"error: no API token acts as {name!r}: `csatbot tokens list` shows them", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {count} token(s) of {name!r}")

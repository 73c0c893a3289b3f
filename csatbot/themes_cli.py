"""``csatbot report themes``: the comment themes of a range, after embedding the comments that came
since the last time (all of them, in batches) with the configured triage model."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from storage import SqlStore

BATCH = 2000


def themes_command(
    since: Annotated[str | None, typer.Option(help="first day (default: 29 days before --until)")] = None,
    until: Annotated[str | None, typer.Option(help="last day, included (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    refit: Annotated[bool, typer.Option("--refit", help="fit the themes again on all comments")] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="database URL or SQLite file (default: $DATABASE_URL or var/csatbot.db)"),
    ] = None,
    config: Annotated[Path, typer.Option("--config", "-c", help="config file")] = Path("config.yaml"),
) -> None:
    """Comment themes (zh and en) grouped with the triage model's encoder: each with its comments,
    share, share of DSAT, trend against the previous period, and top terms; themes on fewer than
    `reports.min_answers` comments are marked `*`. New comments are embedded first (all of them;
    a report request in the console or the API embeds a few hundred at most)."""

    from rich.console import Console
    from rich.table import Table

    from bot.config import load_config
    from csatbot.cli_options import db_url, existing_database, report_settings, report_window
    from nlu.runtime import default_model_dir
    from storage import SqlStore, open_database
    from storage.migrate import upgrade
    from storage.themes import theme_report

    tz, min_answers = report_settings(config)
    start, end = report_window(since, until, tz)
    existing_database(db_url(db))
    model_dir = Path(load_config(config).nlu.model_dir) if config.is_file() else default_model_dir()
    database = open_database(db_url(db))
    try:
        upgrade(database)
        store = SqlStore(database)
        _embed_new_comments(store, model_dir, refit=refit)
        found: dict[str, Any] = store.read_sync(
            lambda repo: theme_report(repo.session, start, end, min_n=max(min_answers, 1), tz=tz)
        )
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    last = (end - timedelta(microseconds=1)).astimezone(tz)  # the last day in it, as `report` says
    table = Table(
        title=f"comment themes {start.astimezone(tz):%Y-%m-%d} .. {last:%Y-%m-%d} ({tz}): "
        f"{found['comments']} comments, {found['dsat_comments']} DSAT",
        caption=f"* fewer than {min_answers} comments (reports.min_answers): too few to judge",
    )
    for name in ("theme", "comments", "share", "of DSAT", "DSAT rate", "trend", "before"):
        table.add_column(name, justify="left" if name in ("theme", "trend") else "right")
    for theme in found["themes"]:
        few = "*" if theme["few_answers"] else ""
        table.add_row(
            " · ".join(theme["label"]),
            f"{theme['count']}{few}",
            _pct(theme["share"]),
            _pct(theme["dsat_share"]),
            _pct(theme["dsat_rate"]),
            theme["trend"] or "-",
            str(theme["previous"]["count"]),
        )
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)
    console.print(table)
    if found["unassigned"]:
        left = int(found["unassigned"])
        said = "1 comment in the range is" if left == 1 else f"{left} comments in the range are"
        console.print(f"{said} not in a theme yet")


def _embed_new_comments(store: SqlStore, model_dir: Path, *, refit: bool) -> None:
    """Embed the comments that came since the last time, in batches, and say so on stderr."""
    from datetime import UTC, datetime

    from rich.console import Console

    from csatbot.comment_themes import encoder_for
    from storage.themes import refresh

    encoder = encoder_for(model_dir)
    err = Console(stderr=True)
    if encoder is None:
        err.print(
            f"no trained triage model in {model_dir}: new comments are not grouped (`csatbot nlu train`)"
        )
    else:
        embedded, force = 0, refit
        while True:
            done = refresh(store, encoder, limit=BATCH, now=datetime.now(UTC), force_fit=force)
            embedded, force = embedded + done.embedded, False
            if done.embedded < BATCH:
                break
        err.print(f"{embedded} new comments embedded; themes generation {done.generation}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"

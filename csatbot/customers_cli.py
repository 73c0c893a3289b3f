"""``csatbot customers``: erase a customer (their words and identity; counts and scores stay)."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from csatbot.console.cli import Db, on_database
from models import MAX_ROW_ID

customers_app = typer.Typer(help="Customers' data: erase one customer for good.", no_args_is_help=True)


@customers_app.command("erase")
def erase(
    customer_id: Annotated[
        int, typer.Argument(help="the customer's id (as the console and API show it)", min=1, max=MAX_ROW_ID)
    ],
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
    db: Db = None,
) -> None:
    """Forget what the customer wrote and who they are, everywhere (messages, answers' text, tickets'
    copies, deliveries, notifications); counts and scores stay. The audit trail records who erased
    whom."""
    from bot import privacy
    from csatbot.cli_options import db_url, existing_database
    from storage.store import SqlStore

    existing_database(db_url(db))  # before asking: a mistyped --db has no customer to erase
    if not yes:
        typer.confirm(f"Erase customer {customer_id} for good? This cannot be undone", abort=True)
    actor = f"{getpass.getuser()} (cli)"
    now = datetime.now(UTC)
    counts = on_database(
        db,
        lambda database: SqlStore(database).run_sync(
            lambda repo: privacy.erase(repo, customer_id, actor, now)
        ),
    )
    typer.echo(f"customer {customer_id} erased: {json.dumps(counts)}")

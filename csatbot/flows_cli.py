"""``csatbot flows``: the survey flows in config.yaml, which are in use, and how each looks on a channel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.config.schema import Config

flows_app = typer.Typer(help="Survey flows: list them, preview them on a channel.", no_args_is_help=True)
ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="config file")]


def _config(path: Path) -> Config:
    from bot.config import load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


@flows_app.command("list")
def list_flows(config: ConfigOption = Path("config.yaml")) -> None:
    """Each flow, its steps, and what sends it (a trigger, the re-survey) or that nothing does."""
    from csatbot.flow_preview import describe_use, flow_uses

    loaded = _config(config)
    uses = flow_uses(loaded)
    for flow_id, spec in loaded.surveys.items():
        used = "; ".join(describe_use(use) for use in uses.get(flow_id, ())) or describe_use(None)
        typer.echo(f"{flow_id:<16} {len(spec.steps)} steps  {used}")


@flows_app.command("preview")
def preview_flow(
    flow: Annotated[str, typer.Argument(help="a survey under `surveys` in config.yaml")],
    channel: Annotated[str, typer.Option(help="telegram, whatsapp, wechat, wecom or webchat")],
    locale: Annotated[
        str | None, typer.Option(help="one of config.yaml's locales (default: default_locale)")
    ] = None,
    config: ConfigOption = Path("config.yaml"),
    as_json: Annotated[bool, typer.Option("--json", help="the steps with the exact platform bodies")] = False,
) -> None:
    """Print each step of FLOW as CHANNEL shows it: text, buttons, list or menu, and the fallbacks
    used where the channel cannot show buttons (drawn by the channel's own renderer)."""
    from csatbot.flow_preview import UnknownName, as_text, preview

    loaded = _config(config)
    try:
        found = preview(loaded, flow, channel, locale or loaded.default_locale)
    except UnknownName as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(as_text(found), nl=False)

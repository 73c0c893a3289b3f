"""``csatbot report themes``: embeds what waits, fits themes, prints them (table and JSON)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import yaml
from typer.testing import CliRunner

from bot.settings import Settings
from csatbot.cli import app

from ..conftest import CONFIG, Harness
from ..planted_comments import words_of
from ..storage.test_themes import fill

runner = CliRunner()


async def test_report_themes_embeds_fits_and_prints(
    tmp_path: Path, model_dir: Path, settings: Settings, t0: datetime
) -> None:
    db = tmp_path / "themes.db"
    h = Harness(f"sqlite:///{db}", settings, t0)
    await fill(h, 4, seed=5)
    h.close()
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    data["nlu"] = {**(data.get("nlu") or {}), "model_dir": str(model_dir)}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    days = ["--since", "2026-11-01", "--until", "2026-11-30"]
    table = runner.invoke(app, ["report", "themes", "--db", str(db), "--config", str(config), *days])
    assert table.exit_code == 0, table.output
    assert "24 new comments embedded; themes generation 1" in table.output
    assert "24 comments, 16 DSAT" in table.output and "too few to judge" in table.output
    for theme in ("delivery", "rude", "refund"):
        assert any(word in table.output for word in words_of(theme)), theme
    again = runner.invoke(
        app, ["report", "themes", "--db", str(db), "--config", str(config), "--json", *days]
    )
    assert again.exit_code == 0, again.output
    found = json.loads(again.output[again.output.index("{") :])
    assert (found["comments"], found["generation"], found["unassigned"]) == (
        24,
        1,
        0,
    )  # nothing new: no refit
    assert "0 new comments embedded" in again.output
    bare = runner.invoke(app, ["report", "--db", str(db), "--config", str(config), "--format", "json", *days])
    assert bare.exit_code == 0 and json.loads(bare.output)["total"]["sent"] == 24  # `report` still works


def test_the_title_names_the_last_day_in_the_range_as_report_does(tmp_path: Path) -> None:
    """The title ended on the day after ``--until`` (the range's exclusive end); ``report`` names the
    last day in it."""
    db = tmp_path / "themes.db"
    assert runner.invoke(app, ["db", "upgrade", "--db", str(db)]).exit_code == 0
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    days = ["--since", "2026-11-01", "--until", "2026-11-30", "--db", str(db), "--config", str(config)]
    themes = runner.invoke(app, ["report", "themes", *days])
    assert themes.exit_code == 0, themes.output
    assert "comment themes 2026-11-01 .. 2026-11-30 (" in themes.output
    report = runner.invoke(app, ["report", *days])
    assert "csatbot report 2026-11-01 .. 2026-11-30 (" in report.output

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlu.cli import app, nlu_section
from nlu.settings import TrainSettings


@pytest.mark.slow
def test_classify_prints_one_json_object_per_argument(model_dir: Path) -> None:
    result = CliRunner().invoke(app, ["classify", "--model", str(model_dir), "where is my order", "转人工"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["where is my order", "转人工"]
    for r in rows:
        assert {"intent", "intent_confidence", "sentiment", "sentiment_confidence"} <= set(r)


@pytest.mark.slow
def test_classify_can_print_the_full_distributions(model_dir: Path) -> None:
    result = CliRunner().invoke(app, ["classify", "--probs", "--model", str(model_dir), "my parcel is late"])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    probs = row["probabilities"]
    assert set(probs["sentiment"]) == {"negative", "neutral", "positive"}
    assert {"password_reset", "other", "warranty"} <= set(probs["intent"])
    for dist in probs.values():
        assert sum(dist.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(probs["intent"], key=probs["intent"].get) in (row["intent"], "other")
    assert 0.0 <= row["needs_human"] <= 1.0 and 0.0 <= row["needs_human_floor"] <= 1.0


@pytest.mark.slow
def test_classify_says_what_the_configs_triage_rules_would_do(model_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "surveys: {}\ntriage:\n  - when: {unless_mentions: [wifi, 门禁]}\n    action: escalate\n",
        encoding="utf-8",
    )
    texts = ["the WIFI is down", "門禁坏了", "where is my order"]
    result = CliRunner().invoke(app, ["classify", "--config", str(config), "--model", str(model_dir), *texts])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["triage"].startswith("no rule matched: triage: ")
    assert rows[0]["triage"].endswith('; rule 1 set aside: the message mentions "wifi"')
    assert rows[1]["triage"].endswith('; rule 1 set aside: the message mentions "门禁"')
    assert rows[2]["triage"].startswith(f"escalate (rule 1): triage: {rows[2]['intent']} (")
    bare = tmp_path / "bare.yaml"
    bare.write_text("surveys: {}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["classify", "--config", str(bare), "--model", str(model_dir), "hi"])
    assert "triage" not in json.loads(result.stdout)  # no rules: nothing would act


@pytest.mark.slow
def test_classify_reads_stdin_lines(model_dir: Path) -> None:
    result = CliRunner().invoke(app, ["classify", "--model", str(model_dir)], input="hello\n\n我要退款\n")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2


def test_classify_reads_stdin_that_is_not_utf8_without_a_traceback(tmp_path: Path) -> None:
    """A byte that is not UTF-8 on stdin was a UnicodeDecodeError traceback before anything ran."""
    result = CliRunner().invoke(
        app, ["classify", "--model", str(tmp_path / "none")], input=b"hi \xff\n\xfe\n"
    )
    assert result.exit_code == 1, (result.output, result.exception)
    assert "no trained triage model" in result.output  # stdin was read; the next step is the model


def test_classify_without_a_model_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["classify", "--model", str(tmp_path / "none"), "hi"])
    assert result.exit_code == 1
    assert "no trained triage model" in result.output


@pytest.mark.slow
def test_eval_prints_metrics_per_language_a_confusion_matrix_and_the_behavioural_suites(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One table and one JSON report (each eval scores every held-out row: about 8 s): the table
    judges the behavioural suites with the rules of ./config.yaml, read without --config; the JSON
    report, with --config, has the same figures in full."""
    config = Path(__file__).resolve().parents[2] / "config.yaml"
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(app, ["eval", "--model", str(model_dir), "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout
    assert "confusion" in result.stdout and "password_reset" in result.stdout
    assert "behavioural suites" in result.stdout and "negation" in result.stdout
    assert "should reach a person: escalated" in result.stdout
    assert "blind set (written before reading the training data" in result.stdout
    args = ["eval", "--model", str(model_dir), "--data-dir", str(tmp_path), "--config", str(config)]
    report = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert report["intent"]["triage"]["zh"]["n"] > 100
    assert len(report["confusion"]["zh"]) == len(report["confusion"]["labels"])
    categories = report["behaviour"]["categories"]
    assert {"negation", "sarcasm", "emoji_only", "traditional_chinese"} <= set(categories)
    for cell in categories.values():
        assert 0 <= cell["all"]["passed"] <= cell["all"]["n"]
    assert report["realistic"]["zh"]["intent"]["n"] > 300
    assert report["blind"]["en"]["intent"]["n"] > 150 and report["blind"]["zh"]["intent"]["n"] > 150


def test_settings_come_from_the_config_nlu_section(config_file: Path, tmp_path: Path) -> None:
    nlu = nlu_section(config_file)
    assert nlu is not None
    settings = TrainSettings.from_config(nlu, small=True, seed=3)
    assert settings.threshold == 0.5 and settings.seed == 3
    assert settings.out_dir == Path("var/models/triage")
    assert settings.examples["warranty"]["zh-CN"][0] == "还在保修期吗"
    assert settings.num_layers == TrainSettings.small().num_layers


def test_layers_come_from_the_config_and_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("surveys: {}\nnlu: {layers: 4}\n", encoding="utf-8")
    assert TrainSettings.from_config(nlu_section(config)).num_layers == 4
    assert TrainSettings.from_config(nlu_section(config), small=True).num_layers == 4


@pytest.mark.parametrize(("nlu", "key"), [("{threshold: 2}", "nlu.threshold"), ("{layers: 7}", "nlu.layers")])
def test_a_bad_config_exits_with_status_2(tmp_path: Path, nlu: str, key: str) -> None:
    bad = tmp_path / "config.yaml"
    bad.write_text(f"surveys: {{}}\nnlu: {nlu}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["classify", "--config", str(bad), "hi"])
    assert result.exit_code == 2
    assert key in result.output

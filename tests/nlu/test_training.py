from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import onnx
import pytest
import torch

from nlu import TrainSettings, TransformerClassifier, model_is_ready, train
from nlu.card import read_card
from nlu.labels import DEFAULT_INTENTS

pytestmark = pytest.mark.slow  # every test here reads the model that the session fixture trains


def test_training_writes_a_complete_model_with_a_card(model_dir: Path) -> None:
    assert model_is_ready(model_dir)
    for name in (
        "meta.json",
        "model_card.json",
        "model_card.md",
        "model.int8.onnx",
        "lexical.npz",
        "heads.pt",
    ):
        assert (model_dir / name).is_file(), name
    card = read_card(model_dir)
    assert card["seed"] == 7
    assert card["timings_s"]["total_s"] > 0
    assert card["data"]["sources"]["triage"]["train"] > 300
    assert card["data"]["sources"]["config"]["train"] >= 80
    assert card["data"]["extra_intents"] == ["warranty"]
    assert any("own set only" in note for note in card["notes"])
    assert "# Triage model" in (model_dir / "model_card.md").read_text(encoding="utf-8")
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["intents"] == [*DEFAULT_INTENTS, "warranty"]
    assert meta["threshold"] == 0.5
    assert not list(model_dir.parent.glob(".triage.tmp-*"))
    # The served graph is the fused one: one attention and two residual layer norms per layer.
    ops = Counter(node.op_type for node in onnx.load(str(model_dir / "model.int8.onnx")).graph.node)
    assert ops["QAttention"] + ops["Attention"] == 2 and ops["SkipLayerNormalization"] == 4, ops


def test_it_learns_both_languages_on_held_out_templates(model_dir: Path) -> None:
    # 9 intents: chance is about 0.11; held-out rows come from templates training never saw.
    triage = read_card(model_dir)["metrics"]["intent"]["triage"]
    assert triage["en"]["n"] > 100 and triage["zh"]["n"] > 100
    assert triage["en"]["accuracy"] > 0.6
    assert triage["zh"]["accuracy"] > 0.6
    sentiment = read_card(model_dir)["metrics"]["sentiment"]["triage"]
    assert sentiment["all"]["accuracy"] > 0.6


def test_clear_messages_are_classified(model_dir: Path) -> None:
    clf = TransformerClassifier(model_dir, threshold=0.0)
    got = clf.classify(
        [
            "I forgot my password and can't log in",
            "忘记密码了，登不上",
            "where is my parcel?",
            "我的快递到哪了",
            "can I talk to a real person",
            "转人工",
        ]
    )
    assert [c.intent for c in got] == [
        "password_reset",
        "password_reset",
        "delivery",
        "delivery",
        "request_human",
        "request_human",
    ]


def test_an_intent_defined_only_in_config_is_learned(model_dir: Path) -> None:
    clf = TransformerClassifier(model_dir, threshold=0.0)
    got = clf.classify(["is my blender still under warranty", "还在保修期吗"])
    assert [c.intent for c in got] == ["warranty", "warranty"]


def test_confidence_is_calibrated_on_held_out_data(model_dir: Path) -> None:
    card = read_card(model_dir)
    for task in ("intent", "sentiment"):
        assert set(card["calibration"][task]) == {"default", "en", "zh"}  # one fit per language
        assert all(c["temperature"] > 0 and 0 <= c["weight"] <= 1 for c in card["calibration"][task].values())
    ece = card["metrics"]["intent"]["ece"]
    assert 0 <= ece["calibrated"] < 0.15


def test_the_same_seed_gives_the_same_model_however_slow_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training is seeded and step-based: the same seed gives the same model, and however long each
    step takes (the second training sees an hour pass at every look at the clock) every planned
    step runs; another seed gives another model. Three trainings prove both."""
    import nlu.training

    tiny = TrainSettings.small(
        num_layers=1, own_cap=4, epochs=1, own_eval_cap=40, export_onnx=False, lexical=False
    )  # the network alone: the lexical fit (half of each training) is deterministic L-BFGS
    first = train(replace(tiny, out_dir=tmp_path / "a"))
    with monkeypatch.context() as slow_machine:
        clock = iter(range(0, 10**9, 3600))  # every look at the clock: another hour has passed
        slow_machine.setattr(nlu.training.time, "monotonic", lambda: float(next(clock)))
        second = train(replace(tiny, out_dir=tmp_path / "b"))
    heads = [torch.load(r.model_dir / "heads.pt", weights_only=True) for r in (first, second)]
    assert heads[0].keys() == heads[1].keys()
    assert all(torch.equal(heads[0][k], heads[1][k]) for k in heads[0])
    assert first.card["metrics"] == second.card["metrics"]
    assert first.card["data"]["fingerprint"] == second.card["data"]["fingerprint"]
    assert first.card["training"]["steps"] == first.card["training"]["planned_steps"] > 0
    assert second.card["training"]["steps"] == first.card["training"]["steps"]
    other = train(replace(tiny, out_dir=tmp_path / "c", seed=tiny.seed + 1))
    changed = torch.load(other.model_dir / "heads.pt", weights_only=True)
    assert not torch.equal(changed["intent_head.weight"], heads[0]["intent_head.weight"])


def test_refit_keeps_the_network_and_refits_only_lexical_and_calibration(
    model_dir: Path, config_file: Path, tmp_path: Path
) -> None:
    from nlu.cli import nlu_section
    from nlu.training import refit

    copy = tmp_path / "triage"
    shutil.copytree(model_dir, copy)
    settings = TrainSettings.from_config(nlu_section(config_file), small=True, seed=7, out_dir=copy)
    before = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    network = (copy / "model.int8.onnx").read_bytes()

    card = refit(copy, settings)  # the settings training used: the same lexical models and calibration
    after = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    assert (copy / "model.int8.onnx").read_bytes() == network
    assert after["model_id"] == before["model_id"]
    for key in ("calibration", "answer_floors", "needs_human"):
        assert _rounded(after[key]) == _rounded(before[key]), key
    assert card["refitted"]["seconds"] > 0 and read_card(copy)["calibration"] == after["calibration"]

    refit(copy, replace(settings, lexical=False))  # a change that does need refitting
    changed = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    assert changed["lexical"] == [] and not (copy / "lexical.npz").exists()
    assert all(c["weight"] == 0 for task in changed["calibration"].values() for c in task.values())
    got = TransformerClassifier(copy, threshold=0.0).classify(["where is my parcel?", "我的快递到哪了"])
    assert [c.intent for c in got] == ["delivery", "delivery"]


def _rounded(value: object) -> object:
    """Floats rounded to 6 places, inside dicts and lists (to compare fitted numbers)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value

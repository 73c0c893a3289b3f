from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

import nlu
import nlu.generate
from bot.config.schema import NluConfig
from nlu.behaviour import DATA_DIR, load_realistic
from nlu.data import config_examples, drop_leaks, load_triage
from nlu.generate import MIN_PER_TEMPLATE, TRIAGE_FILE, generate, held_out_texts, is_short
from nlu.labels import DEFAULT_INTENTS
from nlu.public import load_public


def test_own_set_covers_every_intent_in_both_languages() -> None:
    rows = load_triage()
    counts = Counter((e.lang, e.intent) for e in rows)
    for lang in ("en", "zh"):
        for intent in DEFAULT_INTENTS:
            assert counts[(lang, intent)] >= 300, (lang, intent)
    assert {e.sentiment for e in rows} == {"negative", "neutral", "positive"}


def test_held_out_split_is_by_template() -> None:
    raw = [json.loads(line) for line in TRIAGE_FILE.read_text(encoding="utf-8").splitlines()]
    split_of_template: dict[str, set[str]] = {}
    for r in raw:
        split_of_template.setdefault(r["template"], set()).add(r["split"])
    assert all(len(s) == 1 for s in split_of_template.values())
    assert Counter(r["split"] for r in raw)["test"] > 1000
    kept = drop_leaks(load_triage())
    held = {e.text.lower() for e in kept if e.split != "train"}
    assert not any(e.text.lower() in held for e in kept if e.split == "train")


def test_the_data_file_is_what_the_generator_makes() -> None:
    lines = TRIAGE_FILE.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == generate()


def test_the_generator_leaves_out_the_texts_of_every_blind_set() -> None:
    held = held_out_texts()
    paths = sorted(DATA_DIR.glob("blind_*.jsonl"))
    assert {
        "blind_2026_12_07.jsonl",
        "blind_2026_12_07b.jsonl",
        "blind_2026_12_07c.jsonl",
        "blind_2026_12_07d.jsonl",
        "blind_2026_12_07e.jsonl",
        "blind_2026_12_07f.jsonl",
        "blind_2026_12_07g.jsonl",
        "blind_2026_12_07h.jsonl",
        "blind_2026_12_07i.jsonl",
        "blind_2026_12_07j.jsonl",
        "blind_2026_12_07k.jsonl",
        "blind_2026_12_07l.jsonl",
    } <= {p.name for p in paths}
    for path in paths:
        texts = [r.text.lower() for r in load_realistic(path)]
        assert [t for t in texts if not is_short(t) and t not in held] == [], path.name


@pytest.mark.parametrize("family", nlu.generate.OWN_STREAM_FAMILIES)
def test_a_family_on_its_own_stream_leaves_every_other_row_as_it_was(
    family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = generate()
    read = nlu.generate.load_families
    monkeypatch.setattr(nlu.generate, "load_families", lambda path: {**read(path), family: {}})
    without = generate()
    assert without and not any(f":compose:{family}:" in r["template"] for r in without)
    assert [r for r in rows if f":compose:{family}:" not in r["template"]] == without


def test_config_examples_are_grown_and_kept_for_training() -> None:
    rows = config_examples(
        {"warranty": {"en": ["warranty please"], "zh-CN": ["保修", "保修期"]}}, min_rows=10
    )
    assert Counter(e.lang for e in rows) == {"en": 10, "zh": 10}
    assert {e.intent for e in rows} == {"warranty"} and {e.split for e in rows} == {"train"}
    assert "warranty please" in {e.text for e in rows}


def test_public_loaders_map_labels(tmp_path: Path) -> None:
    bitext = tmp_path / "bitext_customer_support"
    bitext.mkdir()
    (bitext / "Bitext_Sample_Customer_Support_Training_Dataset.csv").write_text(
        "instruction,intent\nI forgot my pass,recover_password\nI want to complain,complaint\nhm,unknown_x\n",
        encoding="utf-8",
    )
    smp = tmp_path / "smp2017_ecdt_task1"
    smp.mkdir()
    (smp / "Chinese_data.csv").write_text(
        "Sentence\tTag\n你好呀\tchat\n明天天气\tweather\n", encoding="utf-8"
    )
    found, missing = load_public(tmp_path)
    assert "online_shopping" in missing and "bitext" not in missing
    assert [(e.intent, e.sentiment) for e in found["bitext"]] == [
        ("password_reset", None),
        ("complaint", "negative"),
    ]
    assert [(e.lang, e.intent) for e in found["smp2017"]] == [("zh", "greeting_thanks"), ("zh", "other")]
    assert load_public(tmp_path / "nothing")[0] == {}


def test_the_proposed_config_block_is_a_valid_nlu_section() -> None:
    raw = yaml.safe_load((Path(nlu.__file__).parent / "default_intents.yaml").read_text(encoding="utf-8"))
    section = NluConfig.model_validate(raw["nlu"])
    assert set(section.intents) == set(DEFAULT_INTENTS)
    assert all(set(spec.examples) == {"en", "zh-CN"} for spec in section.intents.values())


def test_every_template_of_a_wide_intent_gives_a_dressed_variant_too() -> None:
    # past PER_INTENT templates an intent (``other``) would get only each clean message, no variant
    per_template = Counter(r["template"] for r in generate() if ":compose:" not in r["template"])
    wide = [t for t in per_template if t.split(":")[1] == "other" and len(t.split(":", 2)[2]) > 12]
    assert wide and all(per_template[t] >= MIN_PER_TEMPLATE for t in wide)

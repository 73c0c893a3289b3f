from __future__ import annotations

from pathlib import Path

import numpy as np

from nlu.calibrate import (
    Calibration,
    LanguageCalibration,
    expected_calibration_error,
    fit_calibration,
    fit_language_calibration,
    log_softmax,
)
from nlu.data import Example
from nlu.lexical import fit_lexical, hashed, load_lexical, save_lexical
from nlu.model import load_base
from nlu.training import MIN_PUBLIC_POLARITY, polarity_langs
from nlu.vocab import extend_tokenizer, gb2312_chars, unknown_rate


def test_temperature_scaling_fixes_overconfidence() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 3000)
    logits = rng.normal(size=(3000, 4))
    logits[np.arange(3000), y] += 1.0  # right about 60% of the time ...
    logits *= 6.0  # ... but far too sure of itself
    before = expected_calibration_error(np.exp(log_softmax(logits)), y)
    cal = fit_calibration(logits, None, y)
    after = expected_calibration_error(np.exp(cal.log_proba(logits, None)), y)
    assert cal.temperature > 2.0 and cal.weight == 0.0
    assert before > 0.2 and after < 0.05


def test_the_mix_weight_follows_the_better_model() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 2000)
    noise = rng.normal(size=(2000, 3)) * 3
    good = np.eye(3)[y] * 4 + rng.normal(size=(2000, 3))
    cal = fit_calibration(noise, log_softmax(good), y)
    assert cal.weight >= 0.8
    assert Calibration(0.0, 1.0).log_proba(noise, log_softmax(good)).shape == (2000, 3)


def test_each_language_gets_its_own_mix() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, 1200)
    langs = ["en"] * 600 + ["zh"] * 600
    good = np.eye(3)[y] * 4 + rng.normal(size=(1200, 3))
    noise = rng.normal(size=(1200, 3)) * 3
    # the transformer is good at English and lost in Chinese; the lexical model the other way round
    transformer = np.where(np.array(langs)[:, None] == "en", good, noise)
    lexical = log_softmax(np.where(np.array(langs)[:, None] == "zh", good, noise))
    cal = fit_language_calibration(transformer, lexical, y, langs)
    assert cal.by_lang["en"].weight <= 0.2 and cal.by_lang["zh"].weight >= 0.8
    again = LanguageCalibration.from_dict(cal.to_dict())
    assert again == cal
    assert np.allclose(
        again.log_proba(transformer, lexical, langs), cal.log_proba(transformer, lexical, langs)
    )
    assert LanguageCalibration.from_dict({}).log_proba(transformer, None, langs).shape == (1200, 3)


def test_a_language_left_out_of_the_lexical_languages_is_served_by_the_transformer_alone() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 1200)
    langs = ["en"] * 600 + ["zh"] * 600
    good = log_softmax(np.eye(3)[y] * 4 + rng.normal(size=(1200, 3)))
    noise = rng.normal(size=(1200, 3)) * 3
    cal = fit_language_calibration(noise, good, y, langs, lexical_langs=frozenset({"zh"}))
    assert cal.by_lang["zh"].weight >= 0.8  # the lexical model is better, and allowed
    assert cal.by_lang["en"].weight == 0.0 and cal.default.weight == 0.0  # better, but not allowed


def test_lexical_sentiment_joins_only_where_public_reviews_taught_both_polarities() -> None:
    def rows(lang: str, source: str, sentiment: str, n: int) -> list[Example]:
        return [Example(f"{source} {i}", lang, None, sentiment, source, "train") for i in range(n)]

    enough, short = MIN_PUBLIC_POLARITY, MIN_PUBLIC_POLARITY - 1
    found = polarity_langs(
        rows("zh", "online_shopping", "positive", enough)
        + rows("zh", "online_shopping", "negative", enough)
        + rows("en", "triage", "positive", 5 * enough)  # our own templates do not count
        + rows("en", "triage", "negative", 5 * enough)
        + rows("en", "clinc", "neutral", 5 * enough)
        + rows("en", "bitext", "positive", enough)
        + rows("en", "bitext", "negative", short)
    )
    assert found == frozenset({"zh"})


def test_lexical_model_round_trip(tmp_path: Path) -> None:
    texts = ["refund please", "I want my money back", "退款", "退钱", "hello", "hi there", "你好", "您好"] * 3
    labels = ["refund", "refund", "refund", "refund", "hi", "hi", "hi", "hi"] * 3
    model = fit_lexical(texts, labels, ["refund", "hi", "unused"])
    save_lexical({"intent": model}, tmp_path / "lex.npz")
    loaded = load_lexical(tmp_path / "lex.npz", ["intent"])["intent"]
    probe = ["money back", "你好呀"]
    assert np.allclose(model.log_proba(probe), loaded.log_proba(probe), atol=1e-5)
    assert [loaded.labels[i] for i in loaded.log_proba(probe).argmax(axis=1)] == ["refund", "hi"]
    assert np.exp(loaded.log_proba(probe))[:, 2].max() < 1e-6  # a class without rows is never chosen
    assert np.allclose(loaded.log_proba([hashed(t) for t in probe]), loaded.log_proba(probe))
    binary = fit_lexical(texts, labels, ["refund", "hi"])
    assert [binary.labels[i] for i in binary.log_proba(probe).argmax(axis=1)] == ["refund", "hi"]


def test_vocabulary_extension_makes_chinese_readable() -> None:
    tokenizer, _ = load_base(num_layers=1)
    texts = ["我的快递三天了还没到，太慢了", "忘记密码了怎么办", "我要退款😡"]
    before = unknown_rate(tokenizer, texts)
    added = extend_tokenizer(tokenizer)
    assert len(gb2312_chars()) == 6763
    assert added > 6000
    assert before > 0.3 and unknown_rate(tokenizer, texts) == 0.0


def test_a_class_bias_takes_back_a_class_the_model_favours() -> None:
    rng = np.random.default_rng(4)
    y = rng.integers(0, 3, 3000)
    logits = np.eye(3)[y] * 2.0 + rng.normal(size=(3000, 3))
    logits[:, 2] += 1.5  # the model says "2" (think: "other") far too often
    plain = fit_calibration(logits, None, y)
    biased = fit_calibration(logits, None, y, class_bias=True)
    assert len(biased.bias) == 3 and biased.bias[2] < min(biased.bias[:2])
    accuracy = [float((c.log_proba(logits, None).argmax(1) == y).mean()) for c in (plain, biased)]
    assert accuracy[1] > accuracy[0] + 0.03
    assert LanguageCalibration.from_dict(LanguageCalibration(biased).to_dict()).default == biased

"""Comment themes on generated comments with planted themes (zh and en): the clustering over the
small trained model's embeddings recovers them, and the labels name the planted words."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from nlu.sentences import SentenceEncoder
from nlu.themes import (
    c_tf_idf,
    drifted,
    features,
    fit_themes,
    label_themes,
    nearest,
    segment,
    terms,
    top_terms,
)

from ..planted_comments import PLANTED, WORDS, planted


@pytest.fixture(scope="module")
def encoder(model_dir: Path) -> SentenceEncoder:
    return SentenceEncoder(model_dir)


def test_the_clustering_recovers_planted_themes_and_labels_name_them(encoder: SentenceEncoder) -> None:
    texts, truth = planted(20)
    vectors = encoder.embed(texts)
    assert vectors.shape == (len(texts), encoder.dimensions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    fit = fit_themes(features(vectors, texts))
    labels = label_themes(texts, fit.themes.tolist(), fit.k)
    # three themes, at most split by language, and one of them once more by the small fixture model
    # (zh 'refund' 14 / 6 after the opinion family; the default models keep all three whole, k = 4)
    assert 3 <= fit.k <= 7
    kept = 0
    for group in PLANTED:
        members = Counter(int(fit.themes[i]) for i, g in enumerate(truth) if g == group)
        theme, held = members.most_common(1)[0]
        kept += held
        # the fixture is a 2-layer model trained on 36 own rows per intent and every composed row: a
        # change of those rows moves a few comments of one theme (zh 'rude' held 17 of 20 after the
        # lookalike templates, zh 'refund' 14 after the praise and opinion families; the default models hold
        # all 20)
        assert held >= 0.7 * 20, (group, members)
        inside = Counter(truth[i][0] for i in range(len(texts)) if fit.themes[i] == theme)
        assert inside[group[0]] >= 0.9 * sum(inside.values()), (group, inside)  # one planted theme
        assert WORDS[group] & set(labels[theme]), (group, labels[theme])
    assert kept >= 0.9 * len(texts)  # over all themes, at most one comment in ten strays


def test_new_comments_go_to_the_nearest_theme(encoder: SentenceEncoder) -> None:
    texts, truth = planted(12)
    fit = fit_themes(features(encoder.embed(texts), texts))
    fresh, fresh_truth = planted(6, seed=11)
    best, sims = nearest(features(encoder.embed(fresh), fresh), fit.centroids)
    for theme, group in zip(best.tolist(), fresh_truth, strict=True):
        inside = Counter(truth[i][0] for i in range(len(texts)) if fit.themes[i] == theme)
        assert inside.most_common(1)[0][0] == group[0], (group, inside)
    assert (sims > 0).all()


def test_terms_in_english_and_chinese() -> None:
    assert terms("The delivery was LATE again!") == ["delivery", "late", "delivery late"]
    assert segment("快递太慢") == ["快递", "太", "慢"]
    assert segment("我的退款一直没到账") == ["我", "的", "退款", "一直", "没", "到账"]
    assert terms("我的退款一直没到账") == ["退款", "到账"]  # function words left out
    assert terms("客服态度很差，直接挂电话") == ["客服", "态度", "差", "直接", "挂", "电话"]


def test_c_tf_idf_weighs_what_sets_a_theme_apart() -> None:
    docs = [["refund", "slow"], ["refund", "slow", "money"], ["delivery", "slow"], ["delivery", "late"]]
    weights = c_tf_idf(docs, [0, 0, 1, 1], 2)
    assert top_terms(weights[0], 1) == ["refund"]  # "slow" is in both themes: weighed down
    assert top_terms(weights[1], 1) == ["delivery"]
    assert weights[0]["refund"] > weights[0]["slow"]


def test_labels_prefer_a_word_to_its_characters_and_say_nothing_twice() -> None:
    weights = Counter({"退": 1.0, "退款": 0.6, "款": 0.9, "late": 0.5, "delivery late": 0.55})
    assert top_terms(weights, 3) == ["退款", "delivery late"]


def test_drift_refits_when_new_comments_fit_badly_or_outnumber_the_fit() -> None:
    assert not drifted(off=10, since_fit=100, fitted=1000)
    assert drifted(off=120, since_fit=300, fitted=1000)  # 40% off
    assert not drifted(off=30, since_fit=300, fitted=1000)
    assert drifted(off=0, since_fit=1000, fitted=1000)  # as many new comments as fitted ones

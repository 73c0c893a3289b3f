"""Comment themes: cluster comment embeddings, label each cluster by its top terms, assign new
comments to the nearest theme, and say when the themes no longer fit.

Pure: numpy and scikit-learn over arrays and texts (no database, no model); the embeddings come
from :mod:`nlu.sentences`, the stored rows from :mod:`storage.themes`.

The method, as BERTopic does it:

1. Every comment is a unit vector (the triage encoder's mean-pooled sentence embedding).
   Half of each comment's vector is that embedding, half a hashed sketch of its terms (below), so
   comments that share words group together even where a small model's embedding is weak.
2. Average-linkage clustering with cosine distance, cut at :data:`DISTANCE`, on a seeded sample;
   a cluster smaller than ``min_size`` is not a theme (its comments go to the nearest one that is),
   and at most :data:`MAX_K` themes are kept; every comment goes to the nearest centroid.
3. Labels by class-based TF-IDF (c-TF-IDF): the comments of a theme are one document; a term's
   weight is its frequency in the theme times ``log(1 + A / f)``, ``A`` the average number of
   terms per theme and ``f`` the term's frequency over all themes. Terms: English word unigrams and
   bigrams minus stop words; Chinese cut into CC-CEDICT words (退款, 快递) by longest match,
   minus function words.
4. New comments go to the theme with the nearest centroid. A comment whose similarity is below
   its theme's 10th percentile at fitting time is "off"; when many new comments are off (drift),
   or as many comments came since the fit as it was made on, the themes are fitted again.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

MIN_COMMENTS = 20
"""Fewer comments than this make no themes (there is nothing to group yet)."""
MIN_SIZE = 3
"""A cluster with fewer comments is folded into its nearest neighbour."""
MAX_K = 20
"""At most this many themes (the smallest clusters are folded into their neighbours)."""
SAMPLE = 3000
"""Clustering is fitted on at most this many comments (a seeded sample); the rest are assigned."""
DRIFT_SHARE = 0.3
DRIFT_MIN = 200
"""Refit when at least :data:`DRIFT_MIN` comments came since the fit and :data:`DRIFT_SHARE` of them
are off (below their theme's fitting-time 10th percentile of similarity)."""
LABEL_TERMS = 4
DISTANCE = 0.7
"""Average-linkage clusters are cut at this cosine distance (similarity 0.3)."""
SKETCH_DIMENSIONS = 512

_EN_WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def _words(text: str) -> list[str]:
    return text.split()


_EN_STOP = frozenset(
    _words(
        """a about above after again against all am an and any are aren't as at be because been before
        being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
        don't down during each few for from further get got had hadn't has hasn't have haven't having he
        her here hers herself him himself his how i i'd i'll i'm i've if in into is isn't it it's its
        itself just let's me more most my myself no nor not now of off on once only or other ought our
        ours ourselves out over own same she should shouldn't so some such than that that's the their
        theirs them themselves then there there's these they they'd they'll they're they've this those
        through to too under until up very was wasn't we we'd we'll we're we've were weren't what
        what's when where which while who whom why will with won't would wouldn't you you'd you'll
        you're you've your yours yourself yourselves also really still even much many lot lots thing
        things one ok okay yes please thanks thank us"""
    )
)
_ZH_STOP = frozenset(
    [
        *"的了是我你他她它们这那个也都就还很太吗呢吧啊呀哦嗯和与及或在有没不要会能被把给让对着过得地又再",
        *_words(
            "这个 那个 怎么 什么 一个 我们 你们 他们 已经 还是 就是 现在 到了 为什么 一直 真的 非常 总是"
            " 而且 但是 可是 因为 所以 这么 那么 这样 还有 没有 一下 有点 时候"
        ),
    ]
)


def terms(text: str) -> list[str]:
    """The label terms of a comment (lower-cased): English word unigrams and bigrams without stop
    words; Chinese words (longest CC-CEDICT match) and the characters left over, without function
    words."""
    lowered = text.lower()
    found = _english(lowered)
    for run in _CJK_RUN.findall(lowered):
        found += [w for w in segment(run) if w not in _ZH_STOP]
    return found


def _english(lowered: str) -> list[str]:
    words = [w for w in _EN_WORD.findall(_CJK_RUN.sub(" ", lowered)) if w not in _EN_STOP and len(w) > 1]
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


def segment(run: str) -> list[str]:
    """A run of Chinese characters cut into words by forward maximum matching against CC-CEDICT
    (words of 2-4 characters; single characters where none matches). Without the dictionary:
    the characters and their bigrams."""
    words = _zh_words()
    if not words:
        return [*run, *(a + b for a, b in itertools.pairwise(run))]
    out, i = [], 0
    while i < len(run):
        for size in (4, 3, 2, 1):
            piece = run[i : i + size]
            if size == 1 or (len(piece) == size and piece in words):
                out.append(piece)
                i += size
                break
    return out


@functools.cache
def _zh_words() -> frozenset[str]:
    from nlu.glosses import cedict_senses

    return frozenset(w for w in cedict_senses() if 2 <= len(w) <= 4)


def c_tf_idf(docs: Sequence[Sequence[str]], themes: Sequence[int], n_themes: int) -> list[Counter[str]]:
    """The c-TF-IDF weight of every term in every theme, from each comment's terms and theme."""
    per_theme: list[Counter[str]] = [Counter() for _ in range(n_themes)]
    for words, theme in zip(docs, themes, strict=True):
        if 0 <= theme < n_themes:
            per_theme[theme].update(words)
    return class_weights(per_theme)


def class_weights(per_theme: Sequence[Counter[str]]) -> list[Counter[str]]:
    """BERTopic's c-TF-IDF from each theme's term counts: ``tf * log(1 + A / f)``, ``tf`` normalised
    by the theme's term count, ``A`` the average term count per theme, ``f`` the term's count over
    all themes."""
    overall: Counter[str] = Counter()
    for counts in per_theme:
        overall.update(counts)
    sizes = [sum(c.values()) for c in per_theme]
    average = sum(sizes) / max(sum(1 for s in sizes if s), 1)
    return [
        Counter({t: (f / size) * math.log(1 + average / overall[t]) for t, f in counts.items()})
        if size
        else Counter()
        for counts, size in zip(per_theme, sizes, strict=True)
    ]


def top_terms(weights: Counter[str], count: int = LABEL_TERMS) -> list[str]:
    """The ``count`` heaviest terms, leaving out one already said by a heavier one (``late`` after
    ``delivery late``, ``退`` after ``退款``); a Chinese character gives way to the heaviest bigram
    holding it when that weighs at least half as much (``退款`` rather than ``退``). Ties by the
    term, so labels are reproducible."""
    ranked = sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))
    chosen: list[str] = []
    for term, weight in ranked:
        if len(term) == 1 and not term.isascii():
            words = [t for t, w in ranked if len(t) == 2 and term in t and w >= weight / 2]
            term = words[0] if words else term
        if any(_overlaps(term, c) for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == count:
            break
    return chosen


def _overlaps(term: str, chosen: str) -> bool:
    if " " in term or " " in chosen or term.isascii():
        return term in chosen.split() or chosen in term.split()
    return term in chosen or chosen in term


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), as float32."""
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    out: np.ndarray = np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)
    return out


def nearest(vectors: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nearest centroid of each unit vector and the cosine similarity to it."""
    if len(vectors) == 0 or len(centroids) == 0:
        return np.zeros(len(vectors), dtype=np.int64), np.zeros(len(vectors), dtype=np.float32)
    sims = vectors @ centroids.T
    best = sims.argmax(axis=1)
    return best, sims[np.arange(len(vectors)), best]


@dataclass(frozen=True)
class Fit:
    """Themes fitted on some comments: unit centroids, each comment's theme and similarity, each
    theme's 10th-percentile similarity at fitting time (below it a new comment is off)."""

    centroids: np.ndarray
    themes: np.ndarray
    similarity: np.ndarray
    floor: np.ndarray

    @property
    def k(self) -> int:
        return len(self.centroids)


def sketch(texts: Iterable[str], dimensions: int = SKETCH_DIMENSIONS) -> np.ndarray:
    """Unit vectors of the texts' words, hashed into ``dimensions`` signed buckets (feature
    hashing): two comments that share words point the same way. Chinese counts by characters and
    character bigrams (robust to how a sentence is cut), English by words and word bigrams."""
    texts = list(texts)
    out = np.zeros((len(texts), dimensions), dtype=np.float32)
    for row, text in enumerate(texts):
        for term in _sketch_terms(text):
            h = zlib.crc32(term.encode("utf-8"))
            out[row, h % dimensions] += 1.0 if (h >> 20) & 1 else -1.0
    return unit(out)


def _sketch_terms(text: str) -> list[str]:
    lowered = text.lower()
    found = _english(lowered)
    for run in _CJK_RUN.findall(lowered):
        chars = [c for c in run if c not in _ZH_STOP]
        found += [*chars, *(a + b for a, b in itertools.pairwise(chars))]
    return found


def features(embeddings: np.ndarray, texts: Iterable[str]) -> np.ndarray:
    """What themes are fitted on: the sentence embedding and the term sketch, each half the weight
    (cosine = the mean of the two cosines), as unit vectors."""
    return unit(np.hstack([unit(embeddings), sketch(texts)]))


def fit_themes(
    x: np.ndarray,
    *,
    max_k: int = MAX_K,
    min_size: int = MIN_SIZE,
    sample: int = SAMPLE,
    distance: float = DISTANCE,
    seed: int = 0,
) -> Fit:
    """Group unit vectors ``x`` (from :func:`features`, at least two) into themes; each gets one.

    Average-linkage clustering with cosine distance cut at ``distance`` on a seeded sample; clusters
    below ``min_size`` (scaled to the sample) or beyond the ``max_k`` largest are folded into their
    nearest neighbours; centroids are their members' mean direction."""
    from sklearn.cluster import AgglomerativeClustering

    rng = np.random.default_rng(seed)
    part = x if len(x) <= sample else x[np.sort(rng.choice(len(x), sample, replace=False))]
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    ).fit(part)
    labels = np.asarray(model.labels_)
    centroids = unit(np.stack([part[labels == i].mean(axis=0) for i in range(labels.max() + 1)]))
    smallest = max(min_size * len(part) / len(x), 2.0) if len(x) > len(part) else float(min_size)
    centroids = _fold_small(part, centroids, smallest, max_k)
    themes, sims = nearest(x, centroids)
    centroids = unit(np.stack([x[themes == i].mean(axis=0) for i in range(len(centroids))]))
    themes, sims = nearest(x, centroids)
    by_size = np.argsort(-np.bincount(themes, minlength=len(centroids)), kind="stable")
    centroids = centroids[by_size]
    themes, sims = nearest(x, centroids)
    floor = np.array(
        [np.quantile(sims[themes == i], 0.1) if (themes == i).any() else 1.0 for i in range(len(centroids))],
        dtype=np.float32,
    )
    return Fit(centroids, themes, sims, floor)


def _fold_small(x: np.ndarray, centroids: np.ndarray, min_size: float, max_k: int) -> np.ndarray:
    """Drop the smallest centroid while one has fewer than ``min_size`` members or there are more
    than ``max_k`` (its members go to the nearest others), recomputing the rest each time."""
    while len(centroids) > 1:
        themes, _ = nearest(x, centroids)
        sizes = np.bincount(themes, minlength=len(centroids))
        if sizes.min() >= min_size and len(centroids) <= max_k:
            break
        centroids = np.delete(centroids, int(sizes.argmin()), axis=0)
        themes, _ = nearest(x, centroids)
        centroids = unit(
            np.stack(
                [
                    x[themes == i].mean(axis=0) if (themes == i).any() else centroids[i]
                    for i in range(len(centroids))
                ]
            )
        )
    return centroids


def label_themes(texts: Iterable[str], themes: Sequence[int], k: int) -> list[list[str]]:
    """Each theme's label terms from its comments (c-TF-IDF)."""
    weights = c_tf_idf([terms(t) for t in texts], themes, k)
    return [top_terms(w) for w in weights]


def drifted(off: int, since_fit: int, fitted: int) -> bool:
    """Whether the themes should be fitted again: many new comments are off, or the comments that
    came since the fit are as many as those it was made on."""
    if since_fit >= max(fitted, MIN_COMMENTS):
        return True
    return since_fit >= DRIFT_MIN and off / since_fit > DRIFT_SHARE


__all__ = [
    "MIN_COMMENTS",
    "Fit",
    "c_tf_idf",
    "class_weights",
    "drifted",
    "fit_themes",
    "label_themes",
    "nearest",
    "terms",
    "top_terms",
    "unit",
]

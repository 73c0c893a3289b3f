"""Comment themes in the database: each comment embedded once, assigned to the nearest theme,
themes fitted again on demand or when they drift, and the themes report.

Comments are typed answers (``text``) of main surveys and the reasons' free text (a ``choice``
answer typed in words that are not the option's label: "the courier lost it" read as Something
else). Erased comments (``[erased]``) leave the report at once and their rows at the next refresh.

The work is split so no transaction waits on the model: :func:`pending_comments` (read), embed
(no transaction), :func:`save_vectors` (write: store and assign), then :func:`refit` when
:func:`needs_fit` says so. :func:`refresh` runs the lot; the method is in :mod:`nlu.themes`.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Protocol

import numpy as np
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from bot.drivers import two_proportion_z, wilson
from models import Answer, CommentTheme, FlowVersion, Survey, Theme
from nlu.themes import (
    MIN_COMMENTS,
    class_weights,
    drifted,
    features,
    fit_themes,
    nearest,
    terms,
    top_terms,
    unit,
)
from storage.erasure import ERASED
from storage.report_scope import conditions, count_where

CHUNK = 5000
"""Comments read, assigned and updated per round when themes are fitted again."""
EXAMPLES = 3
_TEXT = func.coalesce(col(Answer.text), col(Answer.raw))
_lock = threading.Lock()


class Embedder(Protocol):
    """What embeds comments (:class:`nlu.sentences.SentenceEncoder`)."""

    model_id: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Comment:
    answer_id: int
    survey_id: str
    text: str


def _pack(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def _unpack(blobs: Sequence[bytes], dtype: Any = np.float16) -> np.ndarray:
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([np.frombuffer(b, dtype=dtype) for b in blobs]).astype(np.float32)


def _is_comment() -> Any:
    """SQL: an answer that is a comment (typed text, or a choice answered in words)."""
    typed = and_(col(Answer.kind) == "text", func.coalesce(col(Answer.text), "") != "")
    worded = and_(col(Answer.kind) == "choice", col(Answer.raw) != "", col(Answer.raw) != col(Answer.option))
    return and_(or_(typed, worded), _TEXT != ERASED, col(Survey.kind) == "main")


def pending_comments(session: Session, model_id: str, limit: int) -> list[Comment]:
    """Up to ``limit`` comments not yet embedded by ``model_id``, oldest first."""
    query = (
        select(
            col(Answer.id),
            col(Answer.survey_id),
            col(Answer.kind),
            col(Answer.raw),
            col(Answer.option),
            _TEXT,
            col(Survey.flow_version),
        )
        .join(Survey, col(Survey.id) == col(Answer.survey_id))
        .outerjoin(CommentTheme, col(CommentTheme.answer_id) == col(Answer.id))
        .where(
            _is_comment(), or_(col(CommentTheme.answer_id).is_(None), col(CommentTheme.model_id) != model_id)
        )
        .order_by(col(Answer.id))
    )
    found: list[Comment] = []
    labels: dict[str, dict[str, set[str]]] = {}
    for answer_id, survey_id, kind, raw, option, text, version in session.execute(query.limit(limit * 2)):
        if kind == "choice" and _is_label(session, labels, version, option, raw):
            continue  # a tapped button or its label typed: no words of the customer's own
        found.append(Comment(answer_id, survey_id, text))
        if len(found) == limit:
            break
    return found


def _is_label(
    session: Session, cache: dict[str, dict[str, set[str]]], version: str, option: str | None, raw: str
) -> bool:
    if version not in cache:
        body = session.get(FlowVersion, version)
        steps = json.loads(body.body).get("steps", {}) if body else {}
        cache[version] = {
            o["id"]: {o["id"].casefold(), *(str(v).casefold() for v in (o.get("label") or {}).values())}
            for step in steps.values()
            for o in (step.get("options") or [])
        }
    said = raw.strip().casefold()
    return said.isdigit() or said in cache[version].get(option or "", set())


def _current(session: Session) -> list[Theme]:
    newest = session.execute(select(func.max(Theme.generation))).scalar()
    if newest is None:
        return []
    return list(
        session.scalars(select(Theme).where(col(Theme.generation) == newest).order_by(col(Theme.number)))
    )


def save_vectors(
    session: Session, comments: Sequence[Comment], vectors: np.ndarray, model_id: str, now: datetime
) -> int:
    """Store the comments' embeddings and assign each to the nearest current theme (``off`` when
    below that theme's floor); a comment stored meanwhile by someone else is updated, not doubled."""
    themes = [t for t in _current(session) if t.model_id == model_id]
    known = set(
        session.scalars(
            select(col(CommentTheme.answer_id)).where(
                col(CommentTheme.answer_id).in_([c.answer_id for c in comments])
            )
        )
    )
    best, sims = np.zeros(len(comments), dtype=np.int64), np.zeros(len(comments), dtype=np.float32)
    if themes and len(comments):
        centroids = _unpack([t.centroid for t in themes], np.float32)
        best, sims = nearest(features(vectors, [c.text for c in comments]), centroids)
    rows = []
    for i, c in enumerate(comments):
        theme = themes[int(best[i])] if themes else None
        rows.append(
            {
                "answer_id": c.answer_id,
                "survey_id": c.survey_id,
                "vector": _pack(vectors[i]),
                "model_id": model_id,
                "theme_id": theme.id if theme else None,
                "similarity": float(sims[i]) if theme else None,
                "fitted": False,
                "off": bool(theme is not None and sims[i] < theme.floor),
                "created_at": now,
            }
        )
    fresh = [r for r in rows if r["answer_id"] not in known]
    if fresh:
        session.execute(CommentTheme.__table__.insert(), fresh)  # type: ignore[attr-defined]
    again = [r for r in rows if r["answer_id"] in known]
    if again:
        session.execute(update(CommentTheme), again)
    return len(rows)


def forget_erased(session: Session) -> int:
    """Delete the embeddings of comments erased since they were stored."""
    erased = (
        select(col(CommentTheme.answer_id))
        .join(Answer, col(Answer.id) == col(CommentTheme.answer_id))
        .where(or_(_TEXT == ERASED, _TEXT == ""))
    )
    result = session.execute(delete(CommentTheme).where(col(CommentTheme.answer_id).in_(erased)))
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class FitState:
    comments: int
    fitted: int
    since_fit: int
    off: int
    generation: int | None
    model_id: str | None


def fit_state(session: Session) -> FitState:
    """How many comments are stored, how many were in the fit, came since, and are off."""
    total, fitted, off = session.execute(
        select(
            func.count(),
            count_where(col(CommentTheme.fitted).is_(True)),
            count_where(col(CommentTheme.off).is_(True)),
        )
    ).one()
    themes = _current(session)
    return FitState(
        int(total),
        int(fitted),
        int(total) - int(fitted),
        int(off),
        themes[0].generation if themes else None,
        themes[0].model_id if themes else None,
    )


def needs_fit(state: FitState, model_id: str) -> bool:
    """No themes yet (and enough comments), themes of another model, or drift (:func:`nlu.themes.drifted`)."""
    if state.comments < MIN_COMMENTS:
        return False
    if state.generation is None or state.model_id != model_id:
        return True
    return drifted(state.off, state.since_fit, state.fitted)


def refit(session: Session, model_id: str, now: datetime, *, seed: int = 0) -> int:
    """Fit themes again on the stored comments of ``model_id`` (a seeded sample of them) and
    assign every comment to the new themes; returns the new generation (0: too few comments)."""
    ids = list(
        session.scalars(
            select(col(CommentTheme.answer_id))
            .where(col(CommentTheme.model_id) == model_id)
            .order_by(col(CommentTheme.answer_id))
        )
    )
    if len(ids) < MIN_COMMENTS:
        return 0
    _, vectors, texts = _load(session, _sample(ids, seed))
    fit = fit_themes(features(vectors, texts), seed=seed)
    newest = session.execute(select(func.max(Theme.generation))).scalar()
    generation = (newest or 0) + 1
    themes = _new_themes(session, fit.centroids, generation, model_id, now)
    tally = _Tally.empty(len(themes))
    for start in range(0, len(ids), CHUNK):
        _assign(session, ids[start : start + CHUNK], themes, fit.centroids, tally)
    tally.describe(themes)
    session.execute(
        update(CommentTheme)
        .where(col(CommentTheme.model_id) != model_id)
        .values(theme_id=None, similarity=None)
    )
    return generation


def _sample(ids: list[int], seed: int) -> list[int]:
    """The comments a fit is made on: all of them, or a seeded sample of :data:`nlu.themes.SAMPLE`."""
    from nlu.themes import SAMPLE

    rng = np.random.default_rng(seed)
    return ids if len(ids) <= SAMPLE else sorted(rng.choice(ids, SAMPLE, replace=False).tolist())


def _new_themes(
    session: Session, centroids: np.ndarray, generation: int, model_id: str, now: datetime
) -> list[Theme]:
    """The fit's themes as rows of a new generation, flushed so they have ids; labelled and sized
    once every comment is assigned (:meth:`_Tally.describe`)."""
    themes = [
        Theme(
            generation=generation,
            number=i,
            label=[],
            centroid=np.asarray(c, dtype=np.float32).tobytes(),
            floor=1.0,
            size=0,
            model_id=model_id,
            fitted_at=now,
        )
        for i, c in enumerate(centroids)
    ]
    session.add_all(themes)
    session.flush()
    return themes


@dataclass(frozen=True)
class _Tally:
    """What a refit gathers per theme while it assigns the comments chunk by chunk."""

    counts: list[Counter[str]]
    sims: list[list[np.ndarray]]

    @classmethod
    def empty(cls, themes: int) -> _Tally:
        return cls([Counter() for _ in range(themes)], [[] for _ in range(themes)])

    def describe(self, themes: list[Theme]) -> None:
        """Each theme's size, floor (the 10th percentile of its members' similarity) and label."""
        weights = class_weights(self.counts)
        for i, theme in enumerate(themes):
            sims = np.concatenate(self.sims[i]) if self.sims[i] else np.zeros(0)
            theme.size = len(sims)
            theme.floor = float(np.quantile(sims, 0.1)) if len(sims) else 1.0
            theme.label = top_terms(weights[i])


def _assign(
    session: Session, chunk: Sequence[int], themes: list[Theme], centroids: np.ndarray, tally: _Tally
) -> None:
    """Assign one chunk of comments to their nearest new theme, and tally their terms and similarity."""
    answer_ids, vectors, texts = _load(session, chunk)
    best, sims = nearest(features(vectors, texts), centroids)
    for text, b in zip(texts, best, strict=True):
        tally.counts[int(b)].update(terms(text))
    for i in range(len(themes)):
        tally.sims[i].append(sims[best == i])
    session.execute(
        update(CommentTheme),
        [
            {
                "answer_id": a,
                "theme_id": themes[int(b)].id,
                "similarity": float(s),
                "fitted": True,
                "off": False,
            }
            for a, b, s in zip(answer_ids, best, sims, strict=True)
        ],
    )


def _load(session: Session, answer_ids: Sequence[int]) -> tuple[list[int], np.ndarray, list[str]]:
    rows = session.execute(
        select(col(CommentTheme.answer_id), col(CommentTheme.vector), _TEXT)
        .join(Answer, col(Answer.id) == col(CommentTheme.answer_id))
        .where(col(CommentTheme.answer_id).in_(list(answer_ids)))
        .order_by(col(CommentTheme.answer_id))
    ).all()
    return [r[0] for r in rows], unit(_unpack([r[1] for r in rows])), [r[2] or "" for r in rows]


@dataclass(frozen=True)
class Refreshed:
    """What one :func:`refresh` did; ``wants_fit``: the themes should be fitted again, and were not
    (more comments than ``fit_up_to``: see :func:`fit_now`)."""

    embedded: int
    forgotten: int
    generation: int | None
    refitted: bool
    wants_fit: bool = False


def refresh(
    store: Any,
    embedder: Embedder,
    *,
    limit: int,
    now: datetime,
    force_fit: bool = False,
    fit_up_to: int | None = None,
) -> Refreshed:
    """Embed up to ``limit`` new comments and assign them; fit themes again when there are none
    yet, the model changed, they drifted, or ``force_fit``, but only with at most ``fit_up_to``
    comments stored (``None``: any number). One refresh at a time per process; ``store`` is a
    :class:`storage.store.SqlStore`."""
    with _lock:
        model_id = embedder.model_id
        comments = store.read_sync(lambda repo: pending_comments(repo.session, model_id, limit))
        embedded = 0
        if comments:
            vectors = embedder.embed([c.text for c in comments])

            def save(repo: Any) -> int:
                return save_vectors(repo.session, comments, vectors, model_id, now)

            try:
                embedded = store.run_sync(save)
            except IntegrityError:  # another process stored some of them meanwhile: update those
                embedded = store.run_sync(save)
        forgotten = store.run_sync(lambda repo: forget_erased(repo.session))
        state = store.read_sync(lambda repo: fit_state(repo.session))
        pending_left = len(comments) == limit
        wanted = force_fit or (
            needs_fit(state, model_id) and not (pending_left and state.generation is not None)
        )
        if wanted and (fit_up_to is None or state.comments <= fit_up_to):
            made = _fit(store, model_id, now)
            return Refreshed(embedded, forgotten, made or state.generation, bool(made))
        return Refreshed(embedded, forgotten, state.generation, False, wanted)


def fit_now(store: Any, model_id: str, now: datetime) -> int:
    """Fit the themes again (what :func:`refresh` left, in a background thread); the generation."""
    with _lock:
        return _fit(store, model_id, now)


def _fit(store: Any, model_id: str, now: datetime) -> int:
    try:
        made: int = store.run_sync(lambda repo: refit(repo.session, model_id, now))
    except IntegrityError:  # another process fitted the same generation first: keep theirs
        return 0
    return made


def _counts(
    session: Session, since: datetime, until: datetime, filters: Mapping[str, str] | None, tz: tzinfo
) -> tuple[dict[int | None, tuple[int, int]], int]:
    """Comments per theme (``None``: not assigned yet) with their DSAT, and comments not yet embedded."""
    where = [*conditions(since, until, filters, tz=tz), _is_comment()]
    rows = session.execute(
        select(col(CommentTheme.theme_id), func.count(), count_where(col(Survey.escalated).is_(True)))
        .select_from(Answer)
        .join(Survey, col(Survey.id) == col(Answer.survey_id))
        .join(CommentTheme, col(CommentTheme.answer_id) == col(Answer.id))
        .where(*where)
        .group_by(col(CommentTheme.theme_id))
    ).all()
    waiting = session.execute(
        select(func.count())
        .select_from(Answer)
        .join(Survey, col(Survey.id) == col(Answer.survey_id))
        .outerjoin(CommentTheme, col(CommentTheme.answer_id) == col(Answer.id))
        .where(*where, col(CommentTheme.answer_id).is_(None), col(Answer.kind) == "text")
    ).scalar()
    return {theme: (int(n), int(d)) for theme, n, d in rows}, int(waiting or 0)


def _examples(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None,
    tz: tzinfo,
    theme_ids: list[int],
) -> dict[int, list[dict[str, Any]]]:
    """Each theme's comments nearest its centroid in the range (:data:`EXAMPLES` of them)."""
    ranked = _ranked_comments(
        conditions(since, until, filters, tz=tz), col(CommentTheme.theme_id).in_(theme_ids)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in session.execute(
        select(ranked).where(ranked.c.rank <= EXAMPLES).order_by(ranked.c.theme_id, ranked.c.rank)
    ).mappings():
        found.setdefault(row["theme_id"], []).append(_example(**row))
    return found


def _ranked_comments(where: list[Any], in_themes: Any) -> Any:
    """The comments ``where`` selects in ``in_themes``, ranked in each theme by similarity."""
    rank = (
        func.row_number()
        .over(
            partition_by=col(CommentTheme.theme_id),
            order_by=(col(CommentTheme.similarity).desc(), col(CommentTheme.answer_id)),
        )
        .label("rank")
    )
    return (
        select(
            col(CommentTheme.theme_id).label("theme_id"),
            _TEXT.label("text"),
            col(Survey.id).label("survey_id"),
            col(Survey.conversation_id).label("conversation_id"),
            col(Survey.csat).label("csat"),
            col(Survey.escalated).label("escalated"),
            col(Survey.sent_at).label("sent_at"),
            col(Survey.channel).label("channel"),
            rank,
        )
        .select_from(Answer)
        .join(Survey, col(Survey.id) == col(Answer.survey_id))
        .join(CommentTheme, col(CommentTheme.answer_id) == col(Answer.id))
        .where(*where, _is_comment(), in_themes)
        .subquery()
    )


def _example(
    *,
    theme_id: int,
    text: str,
    survey_id: str,
    conversation_id: int,
    csat: int | None,
    escalated: bool,
    sent_at: datetime | None,
    channel: str,
    rank: int,
) -> dict[str, Any]:
    """One example comment (a row of :func:`_ranked_comments`), as the report shows it."""
    return {
        "text": text,
        "survey_id": survey_id,
        "conversation_id": conversation_id,
        "channel": channel,
        "csat": csat,
        "dsat": bool(escalated),
        "sent_at": sent_at.isoformat() if sent_at else None,
    }


METHOD = (
    "Each comment is embedded once by the triage model's encoder (mean-pooled) and, with a hashed "
    "sketch of its words, grouped by average-linkage clustering (cosine); labels are each theme's "
    "top terms by class-based TF-IDF (English words and word pairs, Chinese CC-CEDICT words). New "
    "comments join the nearest theme; themes are fitted again when many new comments fit none well. "
    "dsat_share: the theme's share of the DSAT comments; trend: its share of comments against the "
    "previous period of the same length (two-proportion z-test, |z| >= 1.96)."
)


def theme_report(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    min_n: int = 10,
    tz: tzinfo = UTC,
) -> dict[str, Any]:
    """Themes of the comments on surveys sent in ``[since, until)``: count, share, DSAT, trend
    against the previous period of the same length, and example comments with their conversations.
    A theme on fewer than ``min_n`` comments is ``few_answers``, and so is its trend."""
    themes = _current(session)
    now_counts, waiting = _counts(session, since, until, filters, tz)
    before_counts, _ = _counts(session, since - (until - since), since, filters, tz)
    periods = _Periods(now_counts, before_counts)
    examples = _examples(session, since, until, filters, tz, [t.id for t in themes if t.id is not None])
    rows = [periods.row(theme, examples.get(theme.id or 0, []), min_n) for theme in themes]
    rows.sort(key=lambda r: (-r["count"], r["id"]))
    return {
        "generation": themes[0].generation if themes else None,
        "fitted_at": themes[0].fitted_at.isoformat() if themes else None,
        "model_id": themes[0].model_id if themes else None,
        "comments": periods.total,
        "dsat_comments": periods.dsat_total,
        "previous_comments": periods.before_total,
        "unassigned": now_counts.get(None, (0, 0))[0] + waiting,
        "min_n": min_n,
        "method": METHOD,
        "themes": [r for r in rows if r["count"] or r["previous"]["count"]],
    }


@dataclass(frozen=True)
class _Periods:
    """Comments and DSAT per theme in the report's range (``now``) and the period before it."""

    now: dict[int | None, tuple[int, int]]
    before: dict[int | None, tuple[int, int]]

    @property
    def total(self) -> int:
        return sum(n for n, _ in self.now.values())

    @property
    def dsat_total(self) -> int:
        return sum(d for _, d in self.now.values())

    @property
    def before_total(self) -> int:
        return sum(n for n, _ in self.before.values())

    def row(self, theme: Theme, examples: list[dict[str, Any]], min_n: int) -> dict[str, Any]:
        """One theme of the report: its figures now, before, the trend between, and examples."""
        total, before_total = self.total, self.before_total
        n, dsat = self.now.get(theme.id, (0, 0))
        before, _ = self.before.get(theme.id, (0, 0))
        low, high = wilson(dsat, n)
        few = n < min_n or before < min_n
        z = two_proportion_z(n, total, before, before_total)
        return {
            "id": theme.id,
            "label": list(theme.label),
            "count": n,
            "share": _ratio(n, total),
            "dsat": dsat,
            "dsat_share": _ratio(dsat, self.dsat_total),
            "dsat_rate": _ratio(dsat, n),
            "dsat_rate_ci95": [round(low, 4), round(high, 4)] if n else None,
            "few_answers": n < min_n,
            "previous": {"count": before, "share": _ratio(before, before_total)},
            "change": None if few else round(n / total - before / before_total, 4),
            "trend": None if few else ("up" if z >= 1.96 else "down" if z <= -1.96 else "flat"),
            "examples": examples,
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


__all__ = [
    "Comment",
    "Embedder",
    "FitState",
    "Refreshed",
    "fit_now",
    "fit_state",
    "forget_erased",
    "needs_fit",
    "pending_comments",
    "refit",
    "refresh",
    "save_vectors",
    "theme_report",
]

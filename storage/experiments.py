"""Experiments in the database: the variant a survey was sent under, and the report comparing the
variants of each experiment (counts per variant in one grouped query, compared by
:func:`bot.experiments.compare`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import case, func, select, update
from sqlmodel import Session, col

from bot.config.schema import Config
from bot.experiments import VariantCounts, compare
from models import Survey
from storage.report_scope import SATISFIED, conditions
from storage.rows import Rows


class ExperimentRows(Rows):
    """Mixed into :class:`storage.repository.SqlRepository`."""

    def record_variant(self, survey_id: str, experiment: str, variant: str) -> None:
        self.session.execute(
            update(Survey).where(col(Survey.id) == survey_id).values(experiment=experiment, variant=variant)
        )


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def variant_counts(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> dict[str, dict[str, VariantCounts]]:
    """Per experiment and variant, the surveys sent in ``[since, until)`` and how they went."""
    scored = col(Survey.csat).is_not(None) | col(Survey.nps).is_not(None) | col(Survey.ces).is_not(None)
    rows = session.execute(
        select(
            col(Survey.experiment),
            col(Survey.variant),
            func.count(),
            _count(col(Survey.responded).is_(True)),
            _count(col(Survey.status) == "completed"),
            _count(scored),
            _count(SATISFIED),
            func.count(col(Survey.csat)),
            func.coalesce(func.sum(col(Survey.csat)), 0),
        )
        .where(*conditions(since, until, filters, tz=tz), col(Survey.experiment).is_not(None))
        .group_by(col(Survey.experiment), col(Survey.variant))
    ).all()
    found: dict[str, dict[str, VariantCounts]] = {}
    for experiment, variant, *numbers in rows:
        sent, answered, completed, scored_n, satisfied, csat_n, csat_sum = (int(n or 0) for n in numbers)
        found.setdefault(experiment, {})[variant or ""] = VariantCounts(
            sent, answered, completed, scored_n, satisfied, csat_n, csat_sum
        )
    return found


def experiment_report(
    session: Session,
    config: Config,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> list[dict[str, Any]]:
    """Every experiment with surveys in the range or declared in ``config``: its variants compared
    with the control, and per rate whether a winner is clear."""
    counts = variant_counts(session, since, until, filters, tz=tz)
    declared = {t.experiment.name: t for t in config.triggers if t.experiment is not None}
    report = []
    for name in [*declared, *sorted(set(counts) - set(declared))]:
        trigger = declared.get(name)
        spec = trigger.experiment if trigger is not None else None
        splits = {vid: v.split for vid, v in spec.variants.items()} if spec is not None else {}
        variants = counts.get(name, {})
        for vid in splits:
            variants.setdefault(vid, VariantCounts())
        entry = compare(variants, list(splits), config.reports.min_answers)
        for row in entry["variants"]:
            row["split"] = splits.get(row["variant"])
        running = {"running": trigger is not None, "survey": trigger.survey if trigger is not None else None}
        report.append({"experiment": name, **running, **entry})
    return report

"""Stored values as people read them in the page's language: option labels (not ids), team names
(not keys), survey step kinds and the escalation reasons the bot writes (``CSAT 1 (at most 3)``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.config.schema import Config
from csatbot.console.i18n import translate

_SCORE_REASON = re.compile(r"^(CSAT|NPS|CES) (\d+) \(at most (\d+)\)$")
_COMMENT_REASON = "negative comment"


def in_language(texts: Mapping[str, str] | None, lang: str, config: Config) -> str | None:
    """``texts`` (per locale) in ``lang``: the exact locale, one of the same language (``zh`` for
    ``zh-CN``), the config's default locale, or any."""
    if not texts:
        return None
    primary = lang.split("-")[0].lower()
    same = [text for locale, text in texts.items() if locale.split("-")[0].lower() == primary]
    return (
        texts.get(lang)
        or (same[0] if same else None)
        or texts.get(config.default_locale)
        or next(iter(texts.values()))
    )


def option_label(config: Config, lang: str, step: str, option: str, flow: str | None = None) -> str:
    """The label of ``option`` as configured for ``step`` (of ``flow``, or of any survey)."""
    flows = [config.surveys[flow]] if flow in config.surveys else list(config.surveys.values())
    for spec in flows:
        found = spec.steps.get(step)
        for candidate in (found.options or []) if found is not None else []:
            if candidate.id == option:
                return in_language(candidate.label, lang, config) or option
    return option


def team_name(config: Config, key: str | None) -> str:
    """The team's ``name`` as configured (its key when it has none, or is gone)."""
    if key is None:
        return "—"
    team = config.teams.get(key)
    return (team.name or key) if team is not None else key


def reason_text(lang: str, reason: str) -> str:
    """An escalation reason the bot wrote, in ``lang``; reasons people typed stay as they are."""
    found = _SCORE_REASON.match(reason)
    if found is not None:
        kind, score, limit = found.groups()
        metric = translate(lang, f"reason.{kind.lower()}")
        return translate(lang, "reason.score", metric=metric, score=score, limit=limit)
    if reason == _COMMENT_REASON:
        return translate(lang, "reason.negative_comment")
    return reason

"""Stored values as people read them in the page's language: option labels (not ids), team names
(not keys), survey step kinds and the escalation reasons the bot writes (``CSAT 1 (at most 3)``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.config.schema import Config
from bot.errors import ERASED_CUSTOMER
from bot.reachability import REASONS, UNREACHABLE
from csatbot.console.catalogue import EN
from csatbot.console.i18n import translate
from csatbot.local_times import local_time
from storage.report_scope import NONE

_SCORE_REASON = re.compile(r"^(CSAT|NPS|CES) (\d+) \(at most (\d+)\)$")
_COMMENT_REASON = "negative comment"
_UNREACHABLE = {
    REASONS["blocked"]: "blocked",
    REASONS["unsubscribed"]: "unsubscribed",
    ERASED_CUSTOMER: "erased",
    UNREACHABLE: "unknown",
}
# Channels called by their brand in every language (the others are in the catalogue: channel.<id>).
_BRANDS = {"telegram": "Telegram", "whatsapp": "WhatsApp"}
# What the bot writes in a ticket's audit trail (bot/resurvey.py, bot/alerts.py): times in UTC.
_RESURVEY_DUE = re.compile(r"^survey (\S+) due (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC$")
_SLA_BREACHED = re.compile(r"^overdue by (\S+); (\d+) target\(s\) told$")
# What triage wrote on a message (bot/triage.py): the rule it applied, or none, and the labels.
_TRIAGE = re.compile(
    r"^(?:(?P<action>\w+) \(rule (?P<rule>\d+)\)|no rule matched): triage: (?P<intent>\S+) "
    r"\((?P<ip>\d+)%\), (?P<sentiment>\w+) \((?P<sp>\d+)%\)(?:, needs a person \((?P<hp>\d+)%\))?$"
)


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


def dimension_value(config: Config, lang: str, dimension: str, value: str) -> str:
    """A report dimension's value as people call it: the team's name, the channel and language in
    words, ``(none)`` in ``lang``; values without a name (agents, intents) as they are."""
    if value == NONE:
        return translate(lang, "dim.none")
    if dimension == "team":
        return team_name(config, value)
    key = f"{dimension}.{value}"
    if key in EN:
        return translate(lang, key)
    return _BRANDS.get(value, value) if dimension == "channel" else value


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


def unreachable_text(lang: str, reason: str) -> str:
    """Why a customer cannot be reached (``identity.unreachable``), in ``lang``; others as written."""
    key = _UNREACHABLE.get(reason)
    return translate(lang, f"unreachable.{key}") if key is not None else reason


def event_detail(lang: str, timezone: str, action: str, detail: str) -> str:
    """An audit-trail detail in ``lang`` with its times in ``timezone``: the reasons a ticket was
    opened or updated for, when the re-survey is due, how late an SLA breach was; others as written."""
    if action in ("opened", "updated"):
        return "; ".join(reason_text(lang, part) for part in detail.split("; "))
    due = _RESURVEY_DUE.match(detail) if action == "resurvey" else None
    if due is not None:
        at = local_time(f"{due.group(2)}:00+00:00", timezone)
        return translate(lang, "event.resurvey_due", survey=due.group(1), at=at)
    late = _SLA_BREACHED.match(detail) if action == "sla_breached" else None
    if late is not None:
        return translate(lang, "event.sla_late", late=late.group(1), told=late.group(2))
    return detail


def triage_text(config: Config, lang: str, written: str) -> str:
    """Why triage acted on a message, as the bot wrote it (``escalate (rule 1): triage: complaint
    (92%), negative (88%), needs a person (95%)``), in ``lang`` with intents by name; else as written."""
    found = _TRIAGE.match(written)
    if found is None:
        return written
    action, rule = found["action"], found["rule"]
    labels = [
        f"{dimension_value(config, lang, 'intent', found['intent'])} ({found['ip']}%)",
        f"{dimension_value(config, lang, 'sentiment', found['sentiment'])} ({found['sp']}%)",
    ]
    if found["hp"] is not None:
        labels.append(translate(lang, "triage.needs_human", p=found["hp"]))
    what = (
        translate(lang, "triage.rule", action=translate(lang, f"triage.action.{action}"), rule=rule)
        if action is not None and f"triage.action.{action}" in EN
        else translate(lang, "triage.no_rule")
    )
    return translate(lang, "triage.summary", what=what, labels=translate(lang, "triage.and").join(labels))

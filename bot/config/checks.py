"""Checks across the parts of a config that pydantic cannot see one value at a time."""

from __future__ import annotations

import string
from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.classification import DEFAULT_INTENTS
from bot.config.durations import format_duration
from bot.config.priorities import PRIORITIES
from bot.config.schema import SCALES, YES_NO, Condition, Config, StepSpec, SurveySpec, TriageRule
from bot.config.texts import PLACEHOLDERS, resolve_texts

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]


def check_config(config: Config) -> list[Finding]:
    """Every cross-reference problem in ``config``, as (YAML path, message) pairs."""
    return [
        *_check_locales(config),
        *(
            finding
            for sid, survey in config.surveys.items()
            for finding in _check_survey(sid, survey, config)
        ),
        *_check_texts(config),
        *_check_references(config),
        *_check_notifications(config),
        *_check_digest(config),
        *_check_experiments(config),
    ]


def _check_locales(config: Config) -> Iterator[Finding]:
    if config.default_locale not in config.locales:
        yield ("default_locale",), _unknown("locale", config.default_locale, config.locales)
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        yield ("timezone",), f"unknown time zone '{config.timezone}' (expected e.g. UTC, Asia/Shanghai)"


def _check_survey(sid: str, survey: SurveySpec, config: Config) -> Iterator[Finding]:
    base: Loc = ("surveys", sid)
    steps = survey.steps
    if survey.start not in steps:
        yield (*base, "start"), _unknown("step", survey.start, list(steps))
    if not any(step.type == "end" for step in steps.values()):
        yield (*base, "steps"), "no end step: add a step with type: end so the survey can finish"
    for name, step in steps.items():
        here: Loc = (*base, "steps", name)
        yield from _check_targets(here, name, step, list(steps))
        ids = [option.id for option in step.options or []]
        for i, option_id in enumerate(ids):
            if option_id in ids[:i]:
                yield (*here, "options", i, "id"), f"option id '{option_id}' is used twice in this step"
        if step.otherwise is not None and step.otherwise not in ids:
            yield (*here, "otherwise"), _unknown("option", step.otherwise, ids)
        for i, branch in enumerate(step.branches):
            yield from _check_condition((*here, "branches", i, "when"), step, branch.when, ids)
    if survey.start in steps:
        yield from _check_graph(base, survey)


def _check_targets(here: Loc, name: str, step: StepSpec, steps: list[str]) -> Iterator[Finding]:
    """The steps that ``step`` leads to (its ``next`` and its branches') exist and are not itself."""
    others = [s for s in steps if s != name]
    targets: list[tuple[Loc, str]] = []
    if step.next is not None:
        targets.append(((*here, "next"), step.next))
    targets += [((*here, "branches", i, "next"), b.next) for i, b in enumerate(step.branches)]
    for loc, target in targets:
        if target == name:
            yield loc, f"step '{name}' cannot lead to itself"
        elif target not in steps:
            yield loc, _unknown("step", target, others)


def _check_condition(when: Loc, step: StepSpec, cond: Condition, ids: list[str]) -> Iterator[Finding]:
    """A branch condition fits its step's type: a score range on a scale, options on a choice."""
    scale = SCALES.get(step.type)
    if scale is not None:
        if cond.options is not None:
            yield when, f"options conditions only apply to choice steps; use min/max on a {step.type}"
        for key, value in (("min", cond.min), ("max", cond.max)):
            if value is not None and not scale[0] <= value <= scale[1]:
                yield (*when, key), f"{value} is outside the {step.type} scale {scale[0]}-{scale[1]}"
    elif step.type in ("choice", "yes_no"):
        if cond.min is not None or cond.max is not None:
            yield when, "min/max conditions only apply to csat, nps and ces steps; use options"
        known = ids if step.type == "choice" else list(YES_NO)
        for picked in cond.options or []:
            if picked not in known:
                yield (*when, "options"), _unknown("option", picked, known)
    else:
        yield when, f"a {step.type} step cannot branch; give it only next"


def _check_graph(base: Loc, survey: SurveySpec) -> Iterator[Finding]:
    steps = survey.steps

    def successors(name: str) -> list[str]:
        step = steps[name]
        found = [b.next for b in step.branches] + ([step.next] if step.next else [])
        return [s for s in found if s in steps and s != name]

    reachable: set[str] = set()
    stack = [survey.start]
    while stack:
        name = stack.pop()
        if name not in reachable:
            reachable.add(name)
            stack.extend(successors(name))
    for name in steps:
        if name not in reachable:
            yield (*base, "steps", name), f"step '{name}' cannot be reached from start '{survey.start}'"
    # A cycle would let a survey run forever; report the first step found on one.
    state: dict[str, int] = {}

    def on_cycle(name: str) -> str | None:
        state[name] = 1
        for nxt in successors(name):
            if state.get(nxt) == 1:
                return nxt
            if nxt not in state and (found := on_cycle(nxt)) is not None:
                return found
        state[name] = 2
        return None

    looped = on_cycle(survey.start)
    if looped is not None:
        yield (*base, "steps", looped), f"step '{looped}' is part of a loop; surveys must always reach an end"


def _check_texts(config: Config) -> Iterator[Finding]:
    locales = config.locales
    for sid, survey in config.surveys.items():
        yield from _localized(locales, ("surveys", sid, "title"), survey.title)
        for name, step in survey.steps.items():
            here: Loc = ("surveys", sid, "steps", name)
            yield from _localized(locales, (*here, "text"), step.text)
            yield from _localized(locales, (*here, "low_label"), step.low_label)
            yield from _localized(locales, (*here, "high_label"), step.high_label)
            for i, option in enumerate(step.options or []):
                yield from _localized(locales, (*here, "options", i, "label"), option.label)
    yield from _check_bot_texts(config)
    for team_id, team in config.teams.items():
        yield from _localized(locales, ("teams", team_id, "hours"), team.hours)
    for name, intent in config.nlu.intents.items():
        for extra in sorted(set(intent.examples) - set(locales)):
            yield (
                ("nlu", "intents", name, "examples", extra),
                (f"locale '{extra}' is not in locales ({', '.join(locales)})"),
            )


def _localized(locales: list[str], loc: Loc, value: dict[str, str] | None) -> Iterator[Finding]:
    """A text given per locale has one for each of ``locales`` and none for another."""
    if value is None:
        return
    for extra in sorted(set(value) - set(locales)):
        yield (*loc, extra), f"locale '{extra}' is not in locales ({', '.join(locales)})"
    missing = [loc_ for loc_ in locales if loc_ not in value]
    if missing:
        yield loc, f"missing text for locale {', '.join(missing)}"


def _check_bot_texts(config: Config) -> Iterator[Finding]:
    """The bot's own texts (``texts``, over the built-in defaults): every locale, known placeholders."""
    locales = config.locales
    for key, value in resolve_texts(config.texts).items():
        # The built-in defaults come in en and zh-CN, whether or not this config uses them.
        for extra in sorted(set(value) - {"en", "zh-CN"} - set(locales)):
            yield ("texts", key, extra), f"locale '{extra}' is not in locales ({', '.join(locales)})"
        missing = [loc_ for loc_ in locales if loc_ not in value]
        if missing:
            yield ("texts", key), f"missing text for locale {', '.join(missing)} (no built-in default)"
        allowed = PLACEHOLDERS.get(key, frozenset())
        for locale, text in value.items():
            problem = _placeholder_problem(text, allowed)
            if problem is not None:
                yield ("texts", key, locale), problem


def _check_references(config: Config) -> Iterator[Finding]:
    yield from _check_triggers(config)
    yield from _check_team_times(config)
    health = config.customers.health
    if health.red_after > health.recent:
        yield (
            ("customers", "health", "red_after"),
            f"{health.red_after} is more than recent ({health.recent}), so scores alone could never make "
            "a customer red",
        )
    if config.dsat.team not in config.teams:
        yield ("dsat", "team"), _unknown("team", config.dsat.team, list(config.teams))
    yield from _check_routing(config)
    known_intents = [*DEFAULT_INTENTS, *(i for i in config.nlu.intents if i not in DEFAULT_INTENTS)]
    for i, triage in enumerate(config.triage):
        yield from _check_triage(config, ("triage", i), triage, known_intents)
    yield from _check_ticket_policy(config)


def _check_triggers(config: Config) -> Iterator[Finding]:
    channel_names = config.channels.names()
    for i, trigger in enumerate(config.triggers):
        if trigger.survey not in config.surveys:
            yield ("triggers", i, "survey"), _unknown("survey", trigger.survey, list(config.surveys))
        for name in trigger.channels or []:
            if name not in channel_names:
                yield ("triggers", i, "channels"), _unknown("channel", name, channel_names)


def _check_team_times(config: Config) -> Iterator[Finding]:
    """A team's first reply is due before its resolution; one finding per team is enough."""
    for team_id, team in config.teams.items():
        for priority in PRIORITIES:
            first = team.first_response_for(priority)
            if first is not None and first > team.sla_for(priority):
                yield (
                    ("teams", team_id, "first_response"),
                    (
                        f"{format_duration(first)} for {priority} is longer than the sla for {priority} "
                        f"({format_duration(team.sla_for(priority))}): "
                        "the first reply must come before the end"
                    ),
                )
                break


def _check_routing(config: Config) -> Iterator[Finding]:
    channel_names = config.channels.names()
    for i, rule in enumerate(config.routing):
        if rule.team not in config.teams:
            yield ("routing", i, "team"), _unknown("team", rule.team, list(config.teams))
        for name in rule.when.channels or []:
            if name not in channel_names:
                yield ("routing", i, "when", "channels"), _unknown("channel", name, channel_names)
        for locale in rule.when.locales or []:
            if locale not in config.locales:
                yield ("routing", i, "when", "locales"), _unknown("locale", locale, config.locales)


def _check_triage(
    config: Config, base: Loc, triage: TriageRule, known_intents: list[str]
) -> Iterator[Finding]:
    if triage.team is not None and triage.team not in config.teams:
        yield (*base, "team"), _unknown("team", triage.team, list(config.teams))
    for intent in triage.when.intents or []:
        if intent not in known_intents:
            yield (*base, "when", "intents"), _unknown("intent", intent, known_intents)
    if triage.action == "auto_answer":
        yield from _check_auto_answer(config, base, triage)
        return
    if triage.reply is not None:
        yield (*base, "reply"), f"only auto_answer sends a reply (this rule does {triage.action})"
    if triage.confirm_within is not None:
        yield (
            (*base, "confirm_within"),
            (f"only auto_answer asks the customer to confirm (this rule does {triage.action})"),
        )


def _check_auto_answer(config: Config, base: Loc, triage: TriageRule) -> Iterator[Finding]:
    """An auto-answer has its reply in every locale and waits a sensible time for "solved?"."""
    if triage.reply is None:
        yield (*base, "reply"), "auto_answer needs a reply per locale"
    else:
        for locale in config.locales:
            if locale not in triage.reply:
                yield (*base, "reply"), f"missing the '{locale}' text"
    wait = triage.confirm_within
    if wait is not None and not _CONFIRM_MIN <= wait <= _CONFIRM_MAX:
        yield (
            (*base, "confirm_within"),
            (
                f"{format_duration(wait)} is outside 1m-7d: the customer needs time to answer "
                '"Did this solve it?", and the conversation must not wait for ever'
            ),
        )


def _check_ticket_policy(config: Config) -> Iterator[Finding]:
    policy = config.tickets
    for key in ("close_message", "resolved_message"):
        texts = getattr(policy, key)
        for locale in config.locales if texts is not None else ():
            if locale not in texts:
                yield ("tickets", key), f"missing the '{locale}' text"
    if policy.resurvey is not None:
        name, here = policy.resurvey.flow, ("tickets", "resurvey", "flow")
        flow = config.surveys.get(name)
        if flow is None:
            yield here, _unknown("survey", name, list(config.surveys))
        elif not any(step.type == "csat" for step in flow.steps.values()):
            yield here, f"survey '{name}' has no csat step, so no answer could count as recovered"


def _check_notifications(config: Config) -> Iterator[Finding]:
    groups: dict[int, str] = {}
    for name, target in config.notifications.targets.items():
        base: Loc = ("notifications", "targets", name)
        for team in target.teams or []:
            if team not in config.teams:
                yield (*base, "teams"), _unknown("team", team, list(config.teams))
        if target.locale is not None and target.locale not in config.locales:
            yield (*base, "locale"), _unknown("locale", target.locale, config.locales)
        if target.kind != "telegram_group" or not target.enabled or target.chat_id is None:
            continue
        if not config.channels.telegram.enabled:
            why = "it posts as the Telegram bot and its buttons answer on the bot's webhook"
            yield (*base, "kind"), f"{why}: set channels.telegram.enabled: true (or enabled: false here)"
        other = groups.setdefault(target.chat_id, name)
        if other != name:
            yield (*base, "chat_id"), f"chat {target.chat_id} is already the target '{other}'; merge the two"


def _check_digest(config: Config) -> Iterator[Finding]:
    policy = config.digest
    if policy is None:
        return
    if policy.every == "daily" and policy.weekday is not None:
        yield (
            ("digest", "weekday"),
            "weekday only applies to every: weekly (a daily digest goes out every day)",
        )
    targets = config.notifications.targets
    for i, name in enumerate(policy.targets or []):
        here: Loc = ("digest", "targets", i)
        target = targets.get(name)
        if target is None:
            yield here, _unknown("notification target", name, list(targets))
        elif target.kind == "webhook":
            yield (
                here,
                (
                    f"target '{name}' is a webhook, which gets ticket events only; the digest goes to chat "
                    "targets (slack, wecom_robot, feishu, telegram_group)"
                ),
            )
        elif not target.enabled:
            yield here, f"target '{name}' is disabled (enabled: false), so it would get no digest"
        if name in (policy.targets or [])[:i]:
            yield here, f"target '{name}' is listed twice"


def _check_experiments(config: Config) -> Iterator[Finding]:
    named: dict[str, int] = {}
    for i, trigger in enumerate(config.triggers):
        experiment = trigger.experiment
        if experiment is None:
            continue
        base: Loc = ("triggers", i, "experiment")
        first = named.setdefault(experiment.name, i)
        if first != i:
            yield (*base, "name"), f"experiment '{experiment.name}' is already declared on triggers[{first}]"
        total = sum(v.split for v in experiment.variants.values())
        if total != 100:
            yield (*base, "variants"), f"the splits add up to {total}, not 100"
        for vid, variant in experiment.variants.items():
            if variant.survey is not None and variant.survey not in config.surveys:
                yield (
                    (*base, "variants", vid, "survey"),
                    _unknown("survey", variant.survey, list(config.surveys)),
                )
            if variant.split == 0:
                yield (
                    (*base, "variants", vid, "split"),
                    "a split of 0 shows this variant to nobody: remove it",
                )


_CONFIRM_MIN, _CONFIRM_MAX = timedelta(minutes=1), timedelta(days=7)


def _placeholder_problem(text: str, allowed: frozenset[str]) -> str | None:
    """Why ``text`` cannot be filled with the ``allowed`` ``{name}`` placeholders (``None``: it can)."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        return f"{exc}: write a literal brace as {{{{ or }}}}"
    unknown = sorted(names - allowed)
    if unknown:
        known = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
        return f"unknown placeholder {{{unknown[0]}}} (this text can use: {known})"
    return None


def _unknown(what: str, name: str, known: list[str]) -> str:
    return f"unknown {what} '{name}' (known: {', '.join(known) or 'none'})"

"""A survey flow resolved from config: self-contained, versioned, stored with every survey.

A survey keeps the exact :class:`Flow` it began with, so editing ``config.yaml`` never changes a
survey that is half answered.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from bot.config.schema import SCALES, YES_NO, Config, DsatRule, StepSpec
from bot.config.texts import resolve_texts
from bot.prompts import AskChoice, AskRating, AskText, End, Option, Prompt, Scale, ScaleKind


class Flow(BaseModel):
    """Everything the engine needs to run one survey, with no reference back to the config."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    start: str
    steps: dict[str, StepSpec]
    default_locale: str
    texts: dict[str, dict[str, str]]
    reprompts: int
    remind_after: timedelta | None
    expire_after: timedelta
    dsat: DsatRule

    @cached_property
    def version(self) -> str:
        """A short hash of the flow's content: equal flows share a version."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def text(self, key: str, locale: str) -> str:
        """A bot text in ``locale``, else the default locale."""
        entry = self.texts[key]
        return entry.get(locale) or entry[self.default_locale]

    def local(self, value: dict[str, str], locale: str) -> str:
        return value.get(locale) or value.get(self.default_locale) or next(iter(value.values()))

    def only_optional_left(self, step_id: str) -> bool:
        """Whether every question from ``step_id`` to the end may be skipped (the customer has
        answered everything the survey needs)."""
        seen: set[str] = set()
        stack = [step_id]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            step = self.steps[current]
            if step.type == "end":
                continue
            if not step.optional:
                return False
            stack.extend(b.next for b in step.branches)
            stack.extend([step.next] if step.next else [])
        return True

    def ask(self, survey_id: str, step_id: str, locale: str) -> Prompt:
        """The prompt for one step in ``locale``."""
        step = self.steps[step_id]
        text = self.local(step.text, locale)
        if step.type == "end":
            return End(survey=survey_id, text=text)
        if step.type == "text":
            skip = self.text("skip_word", locale)
            if step.optional:
                text = f"{text}\n{self.text('hint_optional', locale)}"
            return AskText(survey=survey_id, step=step_id, text=text, optional=step.optional, skip_word=skip)
        if step.type == "choice":
            options = tuple(Option(o.id, self.local(o.label, locale)) for o in step.options or [])
            hint = self.text("hint_choice", locale)
            if step.optional:
                hint = f"{hint} {self.text('hint_optional', locale)}"
            return AskChoice(survey_id, step_id, text, options, hint=hint)
        if step.type == "yes_no":  # two buttons on every channel that has buttons
            options = tuple(Option(value, self.text(value, locale)) for value in YES_NO)
            return AskChoice(survey_id, step_id, text, options, hint=self.text("hint_yes_no", locale))
        kind: ScaleKind = step.type
        low, high = SCALES[kind]
        low_label = self.local(step.low_label, locale) if step.low_label else self.text(f"{kind}_low", locale)
        high_label = (
            self.local(step.high_label, locale) if step.high_label else self.text(f"{kind}_high", locale)
        )
        scale = Scale(kind, low, high, low_label, high_label)
        options = tuple(Option(str(v), rating_label(kind, v)) for v in scale.values)
        return AskRating(survey_id, step_id, text, scale, options, hint=self.text(f"hint_{kind}", locale))


def rating_label(kind: ScaleKind, value: int) -> str:
    """The button label for one scale value: stars for CSAT, the number otherwise."""
    return "⭐" * value if kind == "csat" else str(value)


def build_flows(config: Config) -> dict[str, Flow]:
    """Resolve every survey of ``config`` into a :class:`Flow` (policy defaults filled in)."""
    texts = resolve_texts(config.texts)
    policy = config.surveying
    return {
        sid: Flow(
            id=sid,
            start=spec.start,
            steps=spec.steps,
            default_locale=config.default_locale,
            texts=texts,
            reprompts=policy.reprompts if spec.reprompts is None else spec.reprompts,
            remind_after=spec.remind_after if spec.remind_after is not None else policy.remind_after,
            expire_after=spec.expire_after or policy.expire_after,
            dsat=config.dsat,
        )
        for sid, spec in config.surveys.items()
    }

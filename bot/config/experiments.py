"""``experiment:`` on a trigger in config.yaml: variants of a survey (its wording or question order,
as another flow under ``surveys``) or of its timing (the trigger's ``delay``), with a split."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from bot.config.durations import Duration

VariantId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]


class Variant(BaseModel):
    """One arm of an experiment; with neither ``survey`` nor ``delay`` it is the trigger as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    split: int = Field(ge=0, le=100)
    """The share of customers (percent) who see this variant; the splits add up to 100."""
    survey: str | None = None
    """Another flow under ``surveys`` (other wording, another question order)."""
    delay: Duration | None = None
    """Another delay after the conversation ends."""


class Experiment(BaseModel):
    """Variants of a trigger's survey; each customer always sees the same one (a hash of the
    customer id and ``name``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: VariantId
    """Unique among the triggers' experiments; stored on each survey with the variant."""
    variants: dict[VariantId, Variant] = Field(min_length=2)
    """The first is the control the others are compared with."""

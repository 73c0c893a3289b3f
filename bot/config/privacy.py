"""``retention:`` and ``masking:`` in config.yaml: how long customers' words are kept, and what is
masked in them before they are stored or sent to a team."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from bot.config.durations import Duration, format_duration

MaskKind = Literal["phone", "email", "card"]
SHORTEST = timedelta(days=1)


class RetentionPolicy(BaseModel):
    """How long customers' words are kept (``null``: for good), applied once a day. Counts, scores,
    picked options and reports are always kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    transcripts: Duration | None = timedelta(days=180)
    """Message text, ticket transcript copies (of resolved and closed tickets), and the payloads of
    delivered messages and notifications."""
    comments: Duration | None = None
    """Survey answers' typed text (comments)."""

    @field_validator("transcripts", "comments")
    @classmethod
    def _at_least_a_day(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < SHORTEST:
            raise ValueError(
                f"keep them at least 1d (conversations and surveys under way need them), "
                f"got {format_duration(value)}"
            )
        return value

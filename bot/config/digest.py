"""``digest:`` in config.yaml: good news for staff, the best comments of happy customers each day or
week, credited to the agents and teams who served them, posted to the notification targets."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DigestPolicy(BaseModel):
    """When the digest goes out, how many comments it holds, and to which targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: Literal["daily", "weekly"]
    """``daily``: yesterday's comments each day; ``weekly``: the past seven days', on ``weekday``."""
    weekday: Weekday | None = None
    """weekly only: the day it goes out (default ``mon``: the week Monday to Sunday before)."""
    at: time = time(9, 0)
    """The local time (in ``timezone``) it goes out."""
    best: int = Field(default=5, ge=1, le=20)
    """How many comments it holds at most (the most specific first)."""
    min_chars: int = Field(default=8, ge=0, le=500)
    """Shorter comments ("thanks!") are left out."""
    targets: list[Annotated[str, Field(min_length=1)]] | None = None
    """Names under ``notifications.targets`` (chat targets only); default: every enabled chat target.
    ``[]``: shown in the console only."""

    @field_validator("at")
    @classmethod
    def _local(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError('write a local time such as "09:00" without an offset: it is read in `timezone`')
        return value

    @property
    def day(self) -> int:
        """The weekday it goes out, Monday 0 (weekly)."""
        return WEEKDAYS.index(self.weekday or "mon")

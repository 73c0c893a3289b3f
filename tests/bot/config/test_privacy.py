"""``retention:`` in config.yaml: how long customers' words are kept (``bot.config.privacy``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.config.privacy import RetentionPolicy


def test_transcripts_are_kept_half_a_year_and_comments_for_good_by_default() -> None:
    assert RetentionPolicy() == RetentionPolicy(transcripts=timedelta(days=180), comments=None)


def test_durations_are_read_as_written_and_null_keeps_for_good() -> None:
    policy = RetentionPolicy.model_validate({"transcripts": "90d", "comments": "730d"})
    assert (policy.transcripts, policy.comments) == (timedelta(days=90), timedelta(days=730))
    assert RetentionPolicy.model_validate({"transcripts": None}).transcripts is None


@pytest.mark.parametrize("field", ["transcripts", "comments"])
def test_less_than_a_day_is_refused_with_the_reason(field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        RetentionPolicy.model_validate({field: "12h"})
    assert "keep them at least 1d (conversations and surveys under way need them), got 12h" in str(
        raised.value
    )
    assert getattr(RetentionPolicy.model_validate({field: "1d"}), field) == timedelta(days=1)


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(ValidationError):
        RetentionPolicy.model_validate({"messages": "30d"})

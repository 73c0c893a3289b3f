"""When a survey goes out: trigger choice, throttling and quiet hours (pure functions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.schema import QuietHours, Trigger


def pick_trigger(triggers: list[Trigger], event: str, channel: str) -> Trigger | None:
    """The first trigger that fires on ``event`` for ``channel``."""
    for trigger in triggers:
        if event in trigger.events and (trigger.channels is None or channel in trigger.channels):
            return trigger
    return None


def throttled(last_surveyed_at: datetime | None, now: datetime, throttle: timedelta) -> bool:
    """Whether a customer surveyed at ``last_surveyed_at`` must not be surveyed again at ``now``."""
    return last_surveyed_at is not None and now - last_surveyed_at < throttle


def outside_quiet_hours(at: datetime, quiet: QuietHours | None, timezone: str) -> datetime:
    """``at`` itself, or the end of the quiet period it falls in."""
    if quiet is None or quiet.start == quiet.end:
        return at
    zone = ZoneInfo(timezone)
    local = at.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if quiet.start < quiet.end:
        inside = quiet.start <= clock < quiet.end
        end_day = local.date()
    else:  # spans midnight, e.g. 22:00-08:00
        inside = clock >= quiet.start or clock < quiet.end
        end_day = local.date() + timedelta(days=1) if clock >= quiet.start else local.date()
    if not inside:
        return at
    end = datetime.combine(end_day, quiet.end, tzinfo=zone)
    if end <= at:  # the end's wall time repeats (clocks went back): the later reading is meant
        end = end.replace(fold=1)
    return end.astimezone(at.tzinfo)

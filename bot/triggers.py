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
    return end.astimezone(at.tzinfo)


def pick_locale(wanted: str, locales: list[str], default: str) -> str:
    """The configured locale closest to ``wanted`` (``zh``, ``zh-Hans``, ``zh_CN`` -> ``zh-CN``)."""
    if not wanted:
        return default
    tag = wanted.replace("_", "-").lower()
    by_lower = {loc.lower(): loc for loc in locales}
    if tag in by_lower:
        return by_lower[tag]
    base = tag.split("-")[0]
    same_language = [loc for loc in locales if loc.lower().split("-")[0] == base]
    if base == "zh":  # Chinese: the same script first (zh-HK reads zh-TW, not zh-CN)
        script = _chinese_script(tag)
        same_language.sort(key=lambda loc: _chinese_script(loc.lower()) != script)
    return same_language[0] if same_language else default


_TRADITIONAL = {"hant", "tw", "hk", "mo"}


def _chinese_script(tag: str) -> str:
    """``hant`` or ``hans``: the script a lower-case Chinese locale tag implies (Simplified by default)."""
    return "hant" if _TRADITIONAL & set(tag.split("-")[1:]) else "hans"

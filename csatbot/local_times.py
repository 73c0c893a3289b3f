"""Times as people read them: in the configured time zone, to the minute, with the zone's offset."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def offset_text(when: datetime) -> str:
    """``+08:00``, ``-03:30``, ``+00:00``: the UTC offset of an aware time."""
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_time(value: datetime | str | None, timezone: str) -> str:
    """``2026-01-02 15:04 +08:00`` in ``timezone`` (``-`` for none); a naive time counts as UTC."""
    if value is None or value == "":
        return "-"
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo("UTC"))
    here = when.astimezone(ZoneInfo(timezone))
    return f"{here:%Y-%m-%d %H:%M} {offset_text(here)}"


def zone_label(timezone: str, now: datetime) -> str:
    """``Asia/Shanghai (UTC+08:00)``: the zone every shown time is in."""
    return f"{timezone} (UTC{offset_text(now.astimezone(ZoneInfo(timezone)))})"

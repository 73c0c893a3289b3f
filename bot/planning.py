"""Opening a survey: when it goes out, in which language, and whether it may go out at all.

Both the survey after a resolved conversation (:func:`bot.resolution.resolve`) and the follow-up after a
resolved ticket (:mod:`bot.resurvey`) come through here, so quiet hours, the throttle and the
channel's messaging window are applied the same way to both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.attribution import Credit
from bot.config.durations import format_duration
from bot.flow import Flow
from bot.locales import pick_locale
from bot.records import Conversation, Identity, Survey
from bot.repository import Repository
from bot.settings import MessagingWindow, Settings
from bot.triggers import outside_quiet_hours, throttled


@dataclass(frozen=True, slots=True)
class SurveyPlan:
    """A survey's language and send time, and why it will not be sent (``None``: it will)."""

    locale: str
    due: datetime
    skip_reason: str | None = None
    wait_reason: str | None = None
    """Why it goes out later than planned (quiet hours), in words."""


def plan_survey(
    repo: Repository,
    settings: Settings,
    conversation: Conversation,
    identity: Identity,
    now: datetime,
    *,
    delay: timedelta,
    send_now: bool = False,
    throttle: bool = True,
) -> SurveyPlan:
    """Plan a survey ``delay`` after ``now``: out of quiet hours (unless ``send_now``), not within the
    throttle of the customer's last survey (unless ``throttle`` is off) and inside the window; none
    to a customer who blocked the bot or unsubscribed."""
    config = settings.config
    locale = pick_locale(identity.locale, config.locales, config.default_locale)
    policy = config.surveying
    zone = ZoneInfo(config.timezone)
    planned = now + delay
    due = now if send_now else outside_quiet_hours(planned, policy.quiet_hours, config.timezone)
    if identity.unreachable is not None:  # blocked the bot or unsubscribed: it could not arrive
        return SurveyPlan(locale, due, identity.unreachable)
    wait = f"quiet hours until {due.astimezone(zone):%H:%M}" if due != planned and not send_now else None
    if throttle:
        last = repo.last_surveyed_at(conversation.customer_id)
        if last is not None and throttled(last, due, policy.throttle):
            until = (last + policy.throttle).astimezone(zone)
            since = f"last surveyed {last.astimezone(zone):%Y-%m-%d %H:%M}"
            every = format_duration(policy.throttle)
            reason = f"throttled until {until:%Y-%m-%d %H:%M} ({since}; at most one survey per {every})"
            return SurveyPlan(locale, due, reason)
    window = settings.windows.get(conversation.channel)
    if window is None:
        return SurveyPlan(locale, due, wait_reason=wait)
    due, skip = send_in_window(window, conversation.channel, identity, due, now)
    return SurveyPlan(locale, due, skip, wait)


def open_survey(
    repo: Repository,
    conversation: Conversation,
    flow: Flow,
    plan: SurveyPlan,
    now: datetime,
    survey_id: str,
    *,
    credit: Credit,
    kind: str = "main",
    ticket_id: int | None = None,
) -> Survey:
    """Store the survey as planned and, unless it is skipped, time its sending."""
    repo.save_flow(flow, now)
    survey = repo.create_survey(
        survey_id=survey_id,
        conversation=conversation,
        flow=flow,
        locale=plan.locale,
        due_at=plan.due,
        at=now,
        skip_reason=plan.skip_reason,
        kind=kind,
        ticket_id=ticket_id,
        credit=credit,
    )
    if plan.skip_reason is None:
        repo.schedule("send", survey.id, plan.due, now)
    return survey


def outside_window(window: MessagingWindow, channel: str) -> str:
    """Why a survey cannot be sent on ``channel`` now."""
    return (
        f"not sent: outside {channel}'s messaging window "
        f"({format_duration(window.length)} after the customer's last message)"
    )


def send_in_window(
    window: MessagingWindow, channel: str, identity: Identity, due: datetime, now: datetime
) -> tuple[datetime, str | None]:
    """Move a survey send inside the channel's window (before quiet hours, if they conflict).

    Returns the send time and, when it cannot be sent inside the window at all, why.
    """
    closes = window.closes_at(identity.last_inbound_at)
    if closes is not None and now < closes and due > closes - window.margin():
        due = max(now, closes - window.margin())
    if (closes is None or due >= closes) and not window.reopenable:
        return due, outside_window(window, channel)
    return due, None

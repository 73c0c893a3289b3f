"""Privacy in the core: erasing a customer, and the daily retention sweep as a timer.

The sweep is a timer row (kind ``retention``) like every other due time, so with several workers
exactly one runs it, and it runs on the day it fell due even after a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config.schema import Config
from bot.errors import ERASED_CUSTOMER
from bot.reachability import close_unreached
from bot.repository import Repository

RETENTION_TIMER = "retention"
RETENTION_SUBJECT = "daily"
EVERY = timedelta(days=1)


def ensure_retention(repo: Repository, now: datetime) -> bool:
    """Schedule the sweep now unless one is pending; ``True`` when it was scheduled."""
    if repo.has_timer(RETENTION_TIMER, RETENTION_SUBJECT):
        return False
    repo.schedule(RETENTION_TIMER, RETENTION_SUBJECT, now, now)
    return True


def sweep(repo: Repository, config: Config, timer_id: int, now: datetime) -> str:
    """Carry out the due sweep (``retention:`` in config.yaml) and schedule tomorrow's."""
    if not repo.take_timer(timer_id, now):
        return "already done"
    policy = config.retention
    counts = repo.forget_before(
        now - policy.transcripts if policy.transcripts is not None else None,
        now - policy.comments if policy.comments is not None else None,
        now,
    )
    repo.schedule(RETENTION_TIMER, RETENTION_SUBJECT, now + EVERY, now)
    done = ", ".join(f"{table} {n}" for table, n in counts.items() if n) or "nothing was due"
    return f"retention sweep: {done}"


def erase(repo: Repository, customer_id: int, actor: str, now: datetime) -> dict[str, int]:
    """Erase the customer and record who did it (the audit entry names the customer, not what they said).
    Their surveys still planned or asked close first (``customer erased``, their reminders cancelled),
    rather than wait for a reminder that finds nobody, or expire as unanswered."""
    repo.hold_customer(customer_id)  # first: what checks them waits for the erasure, then is refused
    closed = [s for s in repo.open_surveys(customer_id) if close_unreached(repo, s, ERASED_CUSTOMER, now)]
    counts = repo.erase_customer(customer_id, now)
    counts["surveys_closed"] = len(closed)
    repo.audit(actor, "customer.erased", f"customer {customer_id}", now)
    return counts

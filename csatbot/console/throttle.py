"""A brake on password guessing, kept in the database so it holds across requests, workers and hosts.

The rule (README, "Security"):

- Failures are counted per user name *from one client address*, and per client address.
- A key allows :data:`PAIR_LIMIT` (name + address) or :data:`ADDRESS_LIMIT` (address) failures; each
  failure past that makes the next attempt wait, starting at 1 minute and doubling up to 15 minutes.
- Failures are forgotten an hour after the last one; a successful sign-in clears its name + address.

So guessing from one address slows to a few tries an hour, while the real user, from their own
address, is never locked out by someone else's guesses, and never for more than 15 minutes by their own.

Each attempt is *reserved* (counted as a failure) in one transaction before the password is checked;
success then takes the count back. Forty guesses sent at once therefore get :data:`PAIR_LIMIT`
password checks, not forty.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, delete, select, update

from adapters.kit.addresses import rate_key
from bot.ports import Clock
from models import LoginThrottle
from storage.db import Database

PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)


class _Refused(Exception):
    """An attempt that must wait ``wait``: raised to roll back what checking it wrote."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(wait)
        self.wait = wait


def wait_after(failures: int, limit: int) -> timedelta:
    """How long after the last failure the next attempt must wait."""
    if failures < limit:
        return timedelta(0)
    wait: timedelta = FIRST_WAIT * 2 ** min(failures - limit, 10)
    return min(wait, LONGEST_WAIT)


class SignInThrottle:
    """The ``login_throttle`` table. Synchronous: the sign-in page calls it through a thread."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    @staticmethod
    def _keys(username: str, client: str) -> list[tuple[str, int]]:
        client = rate_key(client)  # an IPv6 /64 is one address: its host may use any of 2**64
        return [
            (f"pair:{username.lower()}|{client}"[:200], PAIR_LIMIT),
            (f"ip:{client}"[:200], ADDRESS_LIMIT),
        ]

    def reserve(self, username: str, client: str) -> timedelta:
        """Count one attempt now and return zero, or return how long to wait (nothing counted, and
        nothing written: a refused attempt under a new name left a row, so one address grew the table
        by a row per request while every attempt was refused; 300 attempts, 301 rows)."""
        try:
            with Session(self.database.writer) as session, session.begin():
                rows = [(self._locked(session, key), limit) for key, limit in self._keys(username, client)]
                now = self.clock.now()
                wait = max(row.last_failure_at + wait_after(row.failures, limit) - now for row, limit in rows)
                if wait > timedelta(0):
                    raise _Refused(wait)  # rolls the transaction back: the rows it made go too
                for row, _limit in rows:
                    row.failures += 1
                    row.last_failure_at = now
                    session.add(row)
        except _Refused as refused:
            return refused.wait
        return timedelta(0)

    def _locked(self, session: Session, key: str) -> LoginThrottle:
        """``key``'s row, made if missing and locked until the transaction ends (always in the order
        of :meth:`_keys`: no deadlock), its failures forgotten an hour after the last one."""
        now = self.clock.now()
        insert = pg_insert if self.database.dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(LoginThrottle).values(key=key, failures=0, last_failure_at=now).on_conflict_do_nothing()
        )
        row = session.exec(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()).one()
        if now - row.last_failure_at >= FORGET_AFTER:
            row.failures = 0
        return row

    def succeeded(self, username: str, client: str) -> None:
        """The reserved attempt was right: clear the name + address, and take the address's count back."""
        (pair, _), (address, _) = self._keys(username, client)
        with Session(self.database.writer) as session, session.begin():
            session.execute(delete(LoginThrottle).where(col(LoginThrottle.key) == pair))
            session.execute(
                update(LoginThrottle)
                .where(col(LoginThrottle.key) == address, col(LoginThrottle.failures) > 0)
                .values(failures=LoginThrottle.failures - 1)
            )

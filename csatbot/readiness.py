"""``/readyz``: may this process take traffic? Each check says what is wrong in words.

- ``database``: a query answers within the time limit;
- ``migrations``: the schema is at our head revision(s) (an old replica on a newer schema, or the
  reverse, would misread rows);
- ``model``: the triage model is ready, loading, training or ``waiting`` (for another
  ``--workers`` process to train it) (survey answers never wait for it), or
  triage is off; missing (not allowed to train) or failed is not ready;
- ``outbox``: the oldest undelivered message has waited less than ``max_outbox_lag`` seconds;
- ``inbox``: the oldest accepted webhook update not handled yet has waited less than
  ``max_inbox_lag`` seconds (turns run right after acceptance, so a lag means they stalled).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from csatbot.runtime import Runtime
from storage.migrate import head_revisions, missing_migrations

MODEL_OK = ("ready", "loading", "training", "waiting", "starting")
log = logging.getLogger("csatbot.readiness")
_LOGGED = {"database": ""}
"""The database error last logged: probes come every few seconds, its cause is logged once."""


@dataclass
class Readiness:
    """The checks' findings; ``problems`` is empty when the process is ready."""

    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        return {
            "status": "ready" if not self.problems else "not ready",
            "checks": self.checks,
            "problems": self.problems,
        }


async def readiness(
    rt: Runtime, *, max_outbox_lag: float = 300.0, max_inbox_lag: float = 120.0, timeout: float = 3.0
) -> Readiness:
    """Run every check (the database ones in a thread, each bounded by ``timeout`` seconds)."""
    found = Readiness()
    # Our heads are read from the migration files once per process (about a second, more on a busy
    # machine): outside the database's time limit, or the first probe would blame the database.
    heads = await asyncio.to_thread(head_revisions)
    try:
        waiting = await asyncio.wait_for(asyncio.to_thread(rt.backlog_now), timeout)
        missing = await asyncio.wait_for(asyncio.to_thread(missing_migrations, rt.database, heads), timeout)
    except TimeoutError:
        found.checks["database"] = {"ok": False}
        found.problems.append(f"database: no answer within {timeout:g} s")
    except Exception as exc:
        found.checks["database"] = {"ok": False}
        # /readyz is public: the driver's words (the database's host, its user, a file's path) go to
        # the server's log, not to whoever asks.
        found.problems.append(f"database: unreachable ({type(exc).__name__}); the server's log says why")
        if (cause := (str(exc).splitlines() or [""])[0][:500]) != _LOGGED["database"]:
            _LOGGED["database"] = cause
            log.warning("not ready: the database is unreachable: %s: %s", type(exc).__name__, cause)
    else:
        _LOGGED["database"] = ""  # the next outage is logged again
        found.checks["database"] = {"ok": True, "dialect": rt.database.dialect}
        found.checks["migrations"] = {"ok": not missing, "missing": missing}
        if missing:
            found.problems.append(
                f"migrations: the database lacks {', '.join(missing)}; run `csatbot db upgrade`"
            )
        # Rounded once: the problem's sentence shows the number the check reports.
        lag = round(waiting.outbox_lag(rt.clock.now()), 1)
        ok = lag < max_outbox_lag
        found.checks["outbox"] = {"ok": ok, "lag_seconds": lag, "depth": waiting.outbox}
        if not ok:
            found.problems.append(
                f"outbox: the oldest undelivered message has waited {lag:.0f} s "
                f"(limit {max_outbox_lag:g} s); check the platforms' status and the sends in /metrics"
            )
        inbox_lag = round(waiting.inbox_lag(rt.clock.now()), 1)
        inbox_ok = inbox_lag < max_inbox_lag
        found.checks["inbox"] = {
            "ok": inbox_ok,
            "lag_seconds": inbox_lag,
            "depth": waiting.inbox,
            "failed": waiting.inbox_failed,
        }
        if not inbox_ok:
            found.problems.append(
                f"inbox: the oldest accepted webhook update has waited {inbox_lag:.0f} s to be handled "
                f"(limit {max_inbox_lag:g} s); the log says why turns stall (database, errors)"
            )
    state = "off" if rt.model is None else rt.model.state
    model_ok = state == "off" or state in MODEL_OK
    found.checks["model"] = {"ok": model_ok, "state": state}
    if not model_ok:
        found.problems.append(
            f"model: the triage model is {state}; train it (`csatbot nlu train`) or see the log"
        )
    return found

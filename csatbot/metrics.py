"""``/metrics`` in the Prometheus text format (prometheus-client), one registry per process.

What is counted: webhooks by channel and outcome, the latency of a customer's turn and of the
triage model, sends by kind, channel and outcome, surveys sent and answered, tickets opened (DSAT
ones have ``cause="survey"``), triage verdicts by intent and sentiment. The outbox depth and lag and
the timers that are due are read from the database at each scrape (so every replica reports the
same backlog: aggregate them with ``max``, not ``sum``). Labels only ever hold channel names,
outcomes, kinds, intents and sentiments: no customer data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.ports import Clock
from storage.backlog import Backlog

METRICS_TOKEN = "CSATBOT_METRICS_TOKEN"
"""The environment variable whose token ``/metrics`` then asks for (``Authorization: Bearer``)."""

log = logging.getLogger("csatbot.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
TURN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The :class:`bot.ports.Meter` that feeds ``/metrics``."""

    def __init__(self, backlog: Callable[[], Backlog] | None = None, clock: Clock | None = None) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._counters: dict[str, Counter] = {
            "webhook": Counter(
                "csatbot_webhooks", "Platform webhook requests", ["channel", "outcome"], registry=r
            ),
            "send": Counter(
                "csatbot_sends", "Outbox deliveries tried", ["kind", "channel", "outcome"], registry=r
            ),
            "survey_sent": Counter("csatbot_surveys_sent", "Surveys sent to customers", ["kind"], registry=r),
            "survey_answered": Counter(
                "csatbot_surveys_answered", "Surveys that got a first answer", ["kind"], registry=r
            ),
            "ticket_opened": Counter(
                "csatbot_tickets_opened",
                'Tickets opened (cause="survey": a dissatisfied answer, DSAT)',
                ["cause"],
                registry=r,
            ),
            "triage_verdict": Counter(
                "csatbot_triage_verdicts",
                "Messages the triage model classified",
                ["intent", "sentiment"],
                registry=r,
            ),
            "db_unavailable": Counter(
                "csatbot_db_unavailable",
                "Requests answered 503 because the database was unreachable",
                registry=r,
            ),
        }
        self._histograms: dict[str, Histogram] = {
            "turn": Histogram(
                "csatbot_turn_seconds",
                "Seconds to handle one inbound customer message (triage and transaction)",
                ["channel"],
                buckets=TURN_BUCKETS,
                registry=r,
            ),
            "model": Histogram(
                "csatbot_model_seconds",
                "Seconds the triage model took per call",
                buckets=TURN_BUCKETS,
                registry=r,
            ),
        }
        if backlog is not None and clock is not None:
            r.register(_BacklogCollector(backlog, clock))

    def count(self, event: str, /, **labels: str) -> None:
        counter = self._counters.get(event)
        if counter is None:
            return  # an event nobody charts (yet)
        (counter.labels(**labels) if labels else counter).inc()

    def observe(self, event: str, seconds: float, /, **labels: str) -> None:
        histogram = self._histograms.get(event)
        if histogram is not None:
            (histogram.labels(**labels) if labels else histogram).observe(seconds)

    def render(self) -> bytes:
        """The text exposition (reads the backlog from the database: call it off the event loop)."""
        return generate_latest(self.registry)


class _BacklogCollector(Collector):
    def __init__(self, backlog: Callable[[], Backlog], clock: Clock) -> None:
        self.backlog = backlog
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        try:
            now = self.clock.now()
            waiting = self.backlog()
        except Exception as exc:  # the database is down: the counters still answer
            log.warning("metrics: could not read the backlog: %s", exc)
            up = GaugeMetricFamily("csatbot_database_up", "1 when the last scrape could read the database")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("csatbot_database_up", "1 when the last scrape could read the database")
        up.add_metric([], 1)
        yield up
        depth = GaugeMetricFamily("csatbot_outbox_depth", "Undelivered outbox rows", labels=["kind"])
        for kind in ("message", "notify", "webhook"):
            depth.add_metric([kind], waiting.outbox.get(kind, 0))
        yield depth
        lag = GaugeMetricFamily("csatbot_outbox_lag_seconds", "Age of the oldest undelivered outbox row")
        lag.add_metric([], waiting.outbox_lag(now))
        yield lag
        due = GaugeMetricFamily("csatbot_timers_due", "Timers due now and not yet carried out")
        due.add_metric([], waiting.timers_due)
        yield due
        inbox = GaugeMetricFamily("csatbot_inbox_depth", "Accepted webhook updates not handled yet")
        inbox.add_metric([], waiting.inbox)
        yield inbox
        inbox_lag = GaugeMetricFamily(
            "csatbot_inbox_lag_seconds", "Age of the oldest accepted webhook update not handled yet"
        )
        inbox_lag.add_metric([], waiting.inbox_lag(now))
        yield inbox_lag
        failed = GaugeMetricFamily(
            "csatbot_inbox_failed", "Webhook updates given up on after repeated errors (kept to inspect)"
        )
        failed.add_metric([], waiting.inbox_failed)
        yield failed

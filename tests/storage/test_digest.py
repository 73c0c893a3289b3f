"""The good-news digest from real surveys, on SQLite and PostgreSQL: happy comments asked by the
shipped flow, ranked and credited, queued once per period for each chat target, even when two
processes try at the same moment."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.config import parse_config
from bot.digest import due_period
from bot.settings import Settings
from storage import SqlStore
from storage.digest import happy_comments, send_due

from ..conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[2]
# t0 is Monday 2026-11-23 10:00 in Shanghai; the weekly digest of that week goes out Monday 11-30 09:00.
SENT_AT = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def digest_settings() -> Settings:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["teams"] = {"support": {"name": "Customer Support", "members": ["amy", "bob"]}}
    data["notifications"] = {
        "public_url": "https://support.example.com",
        "targets": {
            "slack_all": {"kind": "slack", "url_env": "SLACK_URL"},
            "wecom_zh": {"kind": "wecom_robot", "url_env": "WECOM_URL", "locale": "zh-CN"},
            "tickets": {"kind": "webhook", "url_env": "HOOK_URL"},
            "billing_only": {"kind": "slack", "url_env": "SLACK_B", "teams": ["billing"]},
        },
    }
    data["teams"]["billing"] = {"name": "Billing"}
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))


async def answered(h: Harness, user: str, agent: str, replies: list[str]) -> str:
    result = await h.say(user, "help please")
    await h.service.agent_reply(result.conversation_id, agent, "Done!")
    resolved = await h.service.resolve(result.conversation_id, agent, send_now=True)
    await h.dispatcher.deliver_due()
    for text in replies:
        await h.say(user, text)
    return str(resolved.survey_id)


async def scenario(h: Harness) -> dict[str, str]:
    return {
        "ann": await answered(h, "ann", "amy", ["5", "Bob and Amy sorted out my refund in two minutes"]),
        "ben": await answered(h, "ben", "bob", ["2", "1", "the refund took three weeks"]),
        "cat": await answered(h, "cat", "bob", ["4", "skip"]),
        "dan": await answered(h, "dan", "bob", ["5 stars, super quick reply"]),
        "eve": await answered(h, "eve", "amy", ["5", "ok"]),  # too short to be good news
    }


def outbox(h: Harness) -> list[tuple[Any, ...]]:
    """The digests queued (ben's ticket is announced too: not counted here)."""
    rows = h.rows("select kind, channel, recipient, body from outbox where kind = 'notify' order by id")
    found = [
        (kind, channel, *(json.loads(v) if isinstance(v, str) else v for v in rest))
        for kind, channel, *rest in rows
    ]
    return [row for row in found if "digest" in row[3]]


async def test_the_weekly_digest_ranks_credits_and_goes_out_once(make_harness: MakeHarness) -> None:
    h = make_harness(digest_settings())
    surveys = await scenario(h)
    config = h.current.config
    period = due_period(config.digest, SENT_AT, config.timezone)
    found = h.store.read_sync(lambda repo: happy_comments(repo.session, period.since, period.until))
    # The shipped flow asked the happy customers; ben was unhappy, cat skipped.
    assert sorted((c.survey_id, c.text) for c in found) == sorted(
        [
            (surveys["ann"], "Bob and Amy sorted out my refund in two minutes"),
            (surveys["dan"], "super quick reply"),
            (surveys["eve"], "ok"),
        ]
    )
    assert h.store.run_sync(lambda repo: send_due(repo, config, SENT_AT - timedelta(days=7))) == (
        "digest weekly:2026-11-16: 0 target(s) told"  # the week before had no comments: nothing posted
    )
    assert (
        h.store.run_sync(lambda repo: send_due(repo, config, SENT_AT))
        == "digest weekly:2026-11-23: 2 target(s) told"
    )
    rows = outbox(h)
    assert [(kind, channel, recipient) for kind, channel, recipient, _ in rows] == [
        ("notify", "slack", {"target": "slack_all"}),
        ("notify", "wecom_robot", {"target": "wecom_zh"}),
    ]
    digest = rows[0][3]["digest"]
    assert [(p["survey_id"], p["agents"], p["named"]) for p in digest["praises"]] == [
        (surveys["ann"], ["amy"], ["bob"]),
        (surveys["dan"], ["bob"], []),
    ]
    assert digest["agents"] == [{"name": "bob", "count": 2}, {"name": "amy", "count": 1}]
    assert digest["teams"] == [{"name": "Customer Support", "count": 2}]
    assert (digest["considered"], digest["first"], digest["last"]) == (2, "2026-11-23", "2026-11-29")
    # Later checks in the same period, and a restart, send nothing more.
    for later in (SENT_AT, SENT_AT + timedelta(hours=5), SENT_AT + timedelta(days=6)):
        assert h.store.run_sync(lambda repo, at=later: send_due(repo, config, at)) is None
    assert len(outbox(h)) == 2


async def test_two_processes_at_the_same_moment_send_one_digest(make_harness: MakeHarness) -> None:
    h = make_harness(digest_settings())
    await scenario(h)
    config = h.current.config
    other = SqlStore(h.database)  # a second process's store on the same database
    barrier = threading.Barrier(2)
    outcomes: list[str | None] = []

    def race(store: SqlStore) -> None:
        def work(repo: Any) -> str | None:
            barrier.wait(timeout=10)
            return send_due(repo, config, SENT_AT)

        try:
            outcomes.append(store.run_sync(work))
        except Exception as exc:  # shown in the assertion below
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=race, args=(store,)) for store in (h.store, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(outcomes, key=lambda o: o is None) == ["digest weekly:2026-11-23: 2 target(s) told", None]
    assert len(outbox(h)) == 2

"""The good-news digest, pure: which period is due, which comments make it, who they credit."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import yaml

from bot.config import parse_config
from bot.config.digest import DigestPolicy
from bot.config.schema import Config
from bot.digest import (
    Comment,
    Digest,
    best_comments,
    build_digest,
    digest_targets,
    due_period,
    known_agents,
    named_agents,
    specificity,
)

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = "Asia/Shanghai"


def config_with(**top: object) -> Config:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data.update(top)
    return parse_config(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def comment(
    sid: str,
    text: str,
    sentiment: str | None = "positive",
    score: str = "CSAT 5",
    agents: tuple[str, ...] = ("amy",),
    team: str | None = "support",
) -> Comment:
    return Comment(sid, int(sid.strip("s") or 0), text, sentiment, score, agents, team, "webchat")


@pytest.mark.parametrize(
    ("now", "key", "first", "last", "due"),
    [
        # 2026-12-07 is a Monday. Shanghai is UTC+8: Monday 09:00 local is 01:00 UTC.
        pytest.param(
            datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
            "weekly:2026-11-30",
            date(2026, 11, 30),
            date(2026, 12, 6),
            datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
            id="monday-at-nine-sends-last-week",
        ),
        pytest.param(
            datetime(2026, 12, 7, 0, 59, tzinfo=UTC),
            "weekly:2026-11-23",
            date(2026, 11, 23),
            date(2026, 11, 29),
            datetime(2026, 11, 30, 1, 0, tzinfo=UTC),
            id="monday-before-nine-is-still-the-week-before",
        ),
        pytest.param(
            datetime(2026, 12, 10, 12, 0, tzinfo=UTC),
            "weekly:2026-11-30",
            date(2026, 11, 30),
            date(2026, 12, 6),
            datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
            id="thursday-the-latest-due-is-mondays",
        ),
    ],
)
def test_weekly_period(now: datetime, key: str, first: date, last: date, due: datetime) -> None:
    period = due_period(DigestPolicy(every="weekly", weekday="mon"), now, SHANGHAI)
    assert (period.key, period.first, period.last, period.due_at) == (key, first, last, due)
    # Local midnights in UTC: the week's comments are Shanghai's Monday 00:00 to Monday 00:00.
    assert period.since == datetime.combine(first, time(0), UTC) - timedelta(hours=8)
    assert (period.until - period.since).days == 7


def test_daily_period_turns_at_the_configured_local_time() -> None:
    policy = DigestPolicy(every="daily", at=time(18, 30))
    before = due_period(policy, datetime(2026, 12, 5, 10, 29, tzinfo=UTC), SHANGHAI)  # 18:29 local
    after = due_period(policy, datetime(2026, 12, 5, 10, 30, tzinfo=UTC), SHANGHAI)  # 18:30 local
    assert (before.key, before.first, before.last) == (
        "daily:2026-12-03",
        date(2026, 12, 3),
        date(2026, 12, 3),
    )
    assert (after.key, after.first, after.last) == ("daily:2026-12-04", date(2026, 12, 4), date(2026, 12, 4))
    assert after.since == datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
    assert after.until == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def test_specificity_counts_words_chinese_characters_and_named_agents() -> None:
    assert specificity("Amy fixed it fast") == 4
    assert specificity("小王很专业") == 2.5
    assert specificity("Amy 很专业", named=("amy",)) == 1 + 1.5 + 3


def test_named_agents_match_whole_latin_names_in_any_case_and_chinese_names_anywhere() -> None:
    known = {"amy", "al", "小王", "bot"}
    assert named_agents("Thanks AMY! and Al.", known) == ("al", "amy")
    assert named_agents("amyx and calm", known) == ()
    assert named_agents("谢谢小王的耐心", known) == ("小王",)
    assert named_agents("谢谢Amy的耐心", known) == ("amy",)
    assert named_agents("the bot was fine", known) == ()


def test_best_comments_rank_positive_then_specific_and_drop_negative_short_and_repeated() -> None:
    comments = [
        comment("s1", "Great service, thanks", sentiment="neutral"),
        comment("s2", "Quick and kind, thanks"),
        comment("s3", "Bob walked me through the refund step by step", agents=("amy",)),
        comment("s4", "thanks!"),  # shorter than min_chars
        comment("s5", "Slow, but fine in the end", sentiment="negative"),
        comment("s6", "quick and KIND thanks!!"),  # the same words as s2
        comment("s7", "Quick and kind, thanks", score="NPS 10", agents=("cat",)),  # repeated too
    ]
    top, considered = best_comments(comments, {"amy", "bob"}, best=3, min_chars=8)
    assert [(c.survey_id, named) for c, named in top] == [("s3", ("bob",)), ("s2", ()), ("s1", ())]
    assert considered == 3


def test_build_digest_credits_agents_and_teams_masks_and_filters_teams() -> None:
    config = config_with(
        masking=["phone"],
        teams={"support": {"name": "Customer Support"}, "vip": {"name": "VIP desk"}},
        notifications={"public_url": "https://support.example.com"},
    )
    period = due_period(DigestPolicy(every="weekly"), datetime(2026, 12, 7, 2, 0, tzinfo=UTC), SHANGHAI)
    comments = [
        comment("s1", "Amy called me back on 13800138000 within minutes", agents=("amy", "bot")),
        comment("s2", "小王和Bob都很专业，问题一次解决", agents=("小王",), team="vip"),
        comment("s3", "Helpful and patient, thank you Amy", agents=("bob",)),
    ]
    digest = build_digest(config, period, comments, known_agents(config, {"amy", "bob", "小王"}))
    # s2: 13 characters (6.5) + Bob + naming Bob (3); s3: 6 words + naming Amy (3); s1: 8 words.
    assert [p.survey_id for p in digest.praises] == ["s2", "s3", "s1"]
    assert [p.named for p in digest.praises] == [("bob",), ("amy",), ()]
    last = digest.praises[2]
    assert "13800138000" not in last.text and last.agents == ("amy",)  # masked; the bot is no agent
    assert dict(digest.agents) == {"amy": 2, "bob": 2, "小王": 1}
    assert dict(digest.teams) == {"Customer Support": 2, "VIP desk": 1}
    assert (
        digest.link
        == "https://support.example.com/console/reports/good-news?since=2026-11-30&until=2026-12-06"
    )
    vip = build_digest(config, period, comments, {"amy", "bob"}, teams=["vip"])
    assert [p.survey_id for p in vip.praises] == ["s2"] and vip.considered == 1
    assert Digest.from_dict(digest.to_dict()) == digest


def test_digest_targets_default_to_every_enabled_chat_target() -> None:
    targets = {
        "slack_a": {"kind": "slack", "url_env": "A"},
        "feishu_b": {"kind": "feishu", "url_env": "B", "enabled": False},
        "hooks": {"kind": "webhook", "url_env": "C"},
        "wecom_d": {"kind": "wecom_robot", "url_env": "D"},
    }
    every = config_with(notifications={"targets": targets})
    assert digest_targets(every) == ["slack_a", "wecom_d"]
    picked = config_with(
        notifications={"targets": targets}, digest={"every": "daily", "targets": ["wecom_d"]}
    )
    assert digest_targets(picked) == ["wecom_d"]
    assert digest_targets(config_with(digest=None, notifications={"targets": targets})) == []

"""Report figures computed from known surveys, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import parse_config
from bot.settings import Settings
from storage.reports import build_report

CONFIG_TEXT = (Path(__file__).resolve().parents[2] / "config.yaml").read_text(encoding="utf-8")


async def _survey(h: Any, user: str, answers: list[str]) -> None:
    result = await h.say(user, "help")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    for text in answers:
        await h.say(user, text)
    assert resolved.survey_id


async def test_csat_nps_ces_response_rate_and_dsat(make_harness: Any) -> None:
    settings = Settings.from_config(parse_config(CONFIG_TEXT.replace("survey: csat", "survey: csat", 1)))
    h = make_harness(settings)
    await _survey(h, "a", ["5"])
    await _survey(h, "b", ["4"])
    await _survey(h, "c", ["2", "1", "skip"])
    await _survey(h, "d", [])  # no answer
    h.clock.advance(timedelta(days=1))
    nps = Settings.from_config(parse_config(CONFIG_TEXT.replace("  - survey: csat", "  - survey: nps")))
    h.current = nps
    await _survey(h, "e", ["10"])
    await _survey(h, "f", ["9"])
    await _survey(h, "g", ["3", "skip"])
    ces = Settings.from_config(parse_config(CONFIG_TEXT.replace("  - survey: csat", "  - survey: ces")))
    h.current = ces
    await _survey(h, "h", ["7"])
    await _survey(h, "i", ["2"])

    report = h.store.read_sync(
        lambda repo: build_report(
            repo.session, h.clock.now() - timedelta(days=7), h.clock.now() + timedelta(days=1)
        )
    )
    total = report.total
    assert (total.sent, total.responded) == (9, 8)
    assert total.response_rate == 8 / 9
    assert (total.csat_n, total.csat_satisfied, total.csat_percent) == (3, 2, 200 / 3)
    assert total.csat_mean == 11 / 3
    assert (total.nps_n, total.promoters, total.detractors) == (3, 2, 1)
    assert total.nps == 100 * (2 - 1) / 3
    assert (total.ces_n, total.ces_mean) == (2, 4.5)
    assert total.dsat == 3  # CSAT 2, NPS 3, CES 2
    assert list(report.by_channel) == ["webchat"]
    assert [(day, s.sent) for day, s in sorted(report.by_day.items())] == [
        ("2026-11-23", 4),
        ("2026-11-24", 5),
    ]

    listed = h.store.read_sync(
        lambda repo: build_report(
            repo.session,
            datetime(2026, 11, 23, tzinfo=UTC),
            datetime(2026, 11, 24, tzinfo=UTC),
            with_surveys=True,
        )
    )
    assert listed.total.sent == 4
    by_user = {s["customer"]["user"]: s for s in listed.surveys}
    assert by_user["c"]["escalated"] is True
    assert by_user["c"]["answers"] == [
        {"step": "rating", "kind": "csat", "score": 2},
        {"step": "reason", "kind": "choice", "option": "slow"},
    ]
    assert by_user["d"]["answers"] == []

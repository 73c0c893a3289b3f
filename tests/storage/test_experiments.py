"""Experiments through the service, on SQLite and PostgreSQL: each customer gets one variant (its
flow and delay), always the same, stored on the survey row, and the report compares the variants."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import col, select

from bot.config import parse_config
from bot.experiments import variant_for
from bot.settings import Settings
from models import Survey
from storage.experiments import experiment_report

from ..conftest import MakeHarness

ROOT = Path(__file__).resolve().parents[2]
SHORT_FLOW = """
  csat_short:
    title: {en: Quick rating, zh-CN: 快速评分}
    start: rating
    steps:
      rating: {type: csat, text: {en: "One tap: how did we do?", zh-CN: 请评分}, next: thanks}
      thanks: {type: end, text: {en: Thanks!, zh-CN: 谢谢！}}
"""
EXPERIMENT = """    delay: 10m
    experiment:
      name: wording
      variants:
        long: {split: 50}
        short: {split: 50, survey: csat_short, delay: 1h}
"""


def experiment_settings(min_answers: int = 3) -> Settings:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8").replace("    delay: 10m\n", EXPERIMENT, 1)
    text = text.replace("min_answers: 10", f"min_answers: {min_answers}", 1)
    return Settings.from_config(parse_config(text + SHORT_FLOW))


async def test_each_customer_gets_one_variant_its_flow_and_delay_and_the_report_compares(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(experiment_settings())
    spec = h.current.config.triggers[0].experiment
    started = h.clock.now()
    users = [f"u{i}" for i in range(16)]
    for user in users:
        result = await h.say(user, "my parcel is late")
        await h.service.agent_reply(result.conversation_id, "bob", "It ships today.")
        await h.service.resolve(result.conversation_id, "bob")
    rows = h.store.read_sync(
        lambda repo: [
            (s.customer_id, s.flow_id, s.variant, s.experiment, s.due_at)
            for s in repo.session.exec(select(Survey).order_by(col(Survey.customer_id))).all()
        ]
    )
    assert len(rows) == 16 and {r[3] for r in rows} == {"wording"}
    by_variant: dict[str, list[str]] = {"long": [], "short": []}
    for customer, flow_id, variant, _experiment, due_at in rows:
        assert variant == variant_for(spec, customer)  # the documented hash decides
        assert flow_id == {"long": "csat", "short": "csat_short"}[variant]
        assert due_at - started == {"long": timedelta(minutes=10), "short": timedelta(hours=1)}[variant]
        by_variant[variant].append(users[customer - 1])
    assert by_variant["long"] and by_variant["short"]  # 16 customers: both variants seen
    await h.tick(hours=1)
    for user in by_variant["long"]:  # everyone on the long wording answers; on the short one, nobody
        await h.say(user, "5")
        await h.say(user, "skip")
    since, until = started - timedelta(days=1), h.clock.now() + timedelta(days=1)
    [report] = h.store.read_sync(lambda repo: experiment_report(repo.session, h.current.config, since, until))
    assert (report["experiment"], report["control"], report["running"]) == ("wording", "long", True)
    long, short = report["variants"]
    n_long, n_short = len(by_variant["long"]), len(by_variant["short"])
    assert (long["variant"], long["sent"], long["answered"], long["completed"], long["split"]) == (
        "long",
        n_long,
        n_long,
        n_long,
        50,
    )
    assert (short["variant"], short["sent"], short["answered"]) == ("short", n_short, 0)
    assert short["response_rate"]["vs_control"]["difference"] == -1.0
    verdict = report["verdicts"]["response_rate"]
    assert verdict["status"] == "winner" and verdict["winner"] == "long"
    assert report["verdicts"]["completion_rate"]["status"] == "too_few"  # nobody answered the short one


async def test_a_customer_keeps_their_variant_on_the_next_survey(make_harness: MakeHarness) -> None:
    h = make_harness(experiment_settings())
    first = await h.say("ann", "help")
    await h.service.agent_reply(first.conversation_id, "bob", "Done.")
    await h.service.resolve(first.conversation_id, "bob", send_now=True)
    await h.tick(days=31)  # past the 30-day throttle: a new conversation gets a new survey
    second = await h.say("ann", "help again")
    assert second.conversation_id != first.conversation_id
    await h.service.agent_reply(second.conversation_id, "bob", "Done again.")
    await h.service.resolve(second.conversation_id, "bob", send_now=True)
    variants = h.rows("select variant, flow_id from survey order by created_at")
    assert len(variants) == 2 and variants[0] == variants[1]

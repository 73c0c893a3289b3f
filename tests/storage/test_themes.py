"""Comment themes from surveys run through the service, on SQLite and PostgreSQL: comments embedded
once, themes fitted, new comments assigned incrementally, the report's counts, DSAT share, trend and
examples linked to their conversations, and erased comments leaving it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from nlu.sentences import SentenceEncoder
from storage.erasure import erase_customer
from storage.themes import fit_now, fit_state, pending_comments, refresh, theme_report

from ..conftest import Harness, MakeHarness
from ..planted_comments import planted, words_of


@pytest.fixture(scope="module")
def encoder(model_dir: Path) -> SentenceEncoder:
    return SentenceEncoder(model_dir)


async def commented(h: Harness, user: str, text: str, theme: str) -> int:
    """A survey answered with ``text`` as its comment: delivery comments come with a 4 (satisfied,
    typed with the rating), the others after a 1 and a reason (DSAT). The conversation's id."""
    said = await h.say(user, "help")
    await h.service.resolve(said.conversation_id, "bob", send_now=True)
    answers = [f"4 {text}"] if theme == "delivery" else ["1", "1", text]
    for answer in answers:
        await h.say(user, answer)
    return int(said.conversation_id)


async def fill(h: Harness, per_group: int, seed: int) -> dict[int, tuple[str, str]]:
    texts, truth = planted(per_group, seed)
    conversations = {}
    for i, (text, group) in enumerate(zip(texts, truth, strict=True)):
        conversations[await commented(h, f"u{seed}-{i}", text, group[0])] = group
    return conversations


def report(h: Harness, days: int = 8, **extra: Any) -> dict[str, Any]:
    """The themes of the ``days`` days up to tomorrow."""
    until = h.clock.now() + timedelta(days=1)
    since = until - timedelta(days=days)
    return h.store.read_sync(lambda repo: theme_report(repo.session, since, until, min_n=8, **extra))


async def test_themes_from_survey_comments_with_dsat_share_and_examples(
    make_harness: MakeHarness, settings: Settings, encoder: SentenceEncoder
) -> None:
    h = make_harness(settings)
    truth = await fill(h, 4, seed=5)  # 24 comments, 4 per theme and language
    done = refresh(h.store, encoder, limit=1000, now=h.clock.now())
    assert (done.embedded, done.refitted, done.generation) == (24, True, 1)
    again = refresh(h.store, encoder, limit=1000, now=h.clock.now())
    assert (again.embedded, again.refitted) == (0, False)  # each comment is embedded once
    found = report(h)
    assert (found["comments"], found["dsat_comments"], found["unassigned"]) == (24, 16, 0)
    assert sum(t["count"] for t in found["themes"]) == 24
    assert sum(t["dsat"] for t in found["themes"]) == 16
    for theme in found["themes"]:
        groups = Counter(truth[e["conversation_id"]][0] for e in theme["examples"])
        assert len(groups) == 1, theme  # one planted theme per theme
        theme_of = next(iter(groups))
        assert words_of(theme_of) & set(theme["label"]), theme["label"]
        assert 1 <= len(theme["examples"]) <= 3
        # mostly one planted theme: "快递太慢了" and "退款太慢了" share their words but one, so the
        # small test model may put a delivery comment or two beside the refunds
        assert theme["dsat"] == pytest.approx(
            0 if theme_of == "delivery" else theme["count"], abs=0.25 * theme["count"]
        )
        assert theme["dsat_share"] == round(theme["dsat"] / 16, 4)
        assert theme["few_answers"] is (theme["count"] < 8)
        assert theme["trend"] is None and theme["previous"] == {"count": 0, "share": None}  # nothing before
    assert {truth[e["conversation_id"]][0] for t in found["themes"] for e in t["examples"]} == {
        "delivery",
        "rude",
        "refund",
    }
    mine = report(h, filters={"channel": "telegram"})
    assert (mine["comments"], mine["themes"]) == (0, [])


async def test_new_comments_join_the_nearest_theme_without_refitting(
    make_harness: MakeHarness, settings: Settings, encoder: SentenceEncoder
) -> None:
    h = make_harness(settings)
    await fill(h, 4, seed=5)
    refresh(h.store, encoder, limit=1000, now=h.clock.now())
    before = {t["id"]: t for t in report(h)["themes"]}
    h.clock.advance(timedelta(hours=1))
    truth = await fill(h, 1, seed=9)  # one new comment per theme and language
    done = refresh(h.store, encoder, limit=1000, now=h.clock.now())
    assert (done.embedded, done.refitted, done.generation) == (6, False, 1)
    state = h.store.read_sync(lambda repo: fit_state(repo.session))
    assert (state.comments, state.fitted, state.since_fit) == (30, 24, 6)
    rows = h.rows(
        "SELECT s.conversation_id, c.theme_id FROM comment_theme c JOIN survey s ON s.id = c.survey_id "
        "WHERE NOT c.fitted"
    )
    for conversation_id, theme_id in rows:
        assert theme_id in before
        label = set(before[theme_id]["label"])
        assert label & words_of(truth[conversation_id][0]), (truth[conversation_id], label)
    forced = refresh(h.store, encoder, limit=1000, now=h.clock.now(), force_fit=True)
    assert (forced.refitted, forced.generation) == (True, 2)
    assert h.store.read_sync(lambda repo: fit_state(repo.session)).since_fit == 0


async def test_trend_against_the_previous_period_and_erased_comments_leave(
    make_harness: MakeHarness, settings: Settings, encoder: SentenceEncoder
) -> None:
    h = make_harness(settings)
    await fill(h, 4, seed=5)
    h.clock.advance(timedelta(days=7))
    await fill(h, 4, seed=6)
    refresh(h.store, encoder, limit=1000, now=h.clock.now())
    found = report(h, days=7)  # these 7 days against the 7 before
    assert found["comments"] == 24 and found["previous_comments"] == 24
    for theme in found["themes"]:
        assert theme["previous"]["count"] > 0
        if not theme["few_answers"] and theme["previous"]["count"] >= 8:
            assert theme["trend"] == "flat"  # the same mix in both periods
    [(customer_id,)] = h.rows("SELECT customer_id FROM survey ORDER BY sent_at DESC LIMIT 1")
    h.store.run_sync(lambda repo: erase_customer(repo.session, customer_id, h.clock.now()))
    assert report(h, days=7)["comments"] == 23  # at once
    done = refresh(h.store, encoder, limit=1000, now=h.clock.now())
    assert done.forgotten == 1
    assert h.rows("SELECT count(*) FROM comment_theme")[0][0] == 47


async def test_a_reason_answered_in_the_customer_s_own_words_is_a_comment(
    make_harness: MakeHarness, settings: Settings
) -> None:
    h = make_harness(settings)
    for user, answers in (
        ("a", ["2", "the agent was rude to me", "skip"]),  # read as "Unfriendly service"
        ("b", ["2", "Slow response", "skip"]),  # the option's label: no words of their own
        ("c", ["2", "2", "nobody called back"]),  # a number, then a comment
    ):
        said = await h.say(user, "help")
        await h.service.resolve(said.conversation_id, "bob", send_now=True)
        for answer in answers:
            await h.say(user, answer)
    options = h.rows("SELECT option, raw FROM answer WHERE kind = 'choice' ORDER BY id")
    assert [o for o, _ in options] == ["attitude", "slow", "unresolved"]
    found = h.store.read_sync(lambda repo: pending_comments(repo.session, "m", 10))
    assert [c.text for c in found] == ["the agent was rude to me", "nobody called back"]


async def test_a_fit_too_large_for_a_request_is_left_for_later(
    make_harness: MakeHarness, settings: Settings, encoder: SentenceEncoder
) -> None:
    h = make_harness(settings)
    await fill(h, 4, seed=5)
    done = refresh(h.store, encoder, limit=1000, now=h.clock.now(), fit_up_to=10)
    assert (done.embedded, done.refitted, done.wants_fit, done.generation) == (24, False, True, None)
    assert report(h)["unassigned"] == 24  # embedded, not yet in a theme
    assert fit_now(h.store, encoder.model_id, h.clock.now()) == 1
    assert report(h)["unassigned"] == 0

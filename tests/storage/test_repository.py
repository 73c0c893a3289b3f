"""The SQL repository on SQLite and PostgreSQL: dedupe, identities, timers, outbox, answers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from bot.errors import NotFoundError
from bot.ports import Recipient, WebhookAddress
from bot.records import Survey
from bot.repository import Repository
from bot.settings import Settings
from bot.survey import Answer, SurveyState
from storage import SqlStore

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def run(store: SqlStore, work: Any) -> Any:
    return store.run_sync(work)


def test_receipt_is_claimed_once_per_channel_and_account(store: SqlStore) -> None:
    assert run(store, lambda r: r.claim_receipt("telegram", "bot1", "900001", T0)) is True
    assert run(store, lambda r: r.claim_receipt("telegram", "bot1", "900001", T0)) is False
    assert run(store, lambda r: r.claim_receipt("telegram", "bot2", "900001", T0)) is True
    assert run(store, lambda r: r.claim_receipt("whatsapp", "bot1", "900001", T0)) is True
    giant = str(10**300)  # a signed Telegram update_id behind a ticket button: varchar(256) refused it
    assert run(store, lambda r: r.claim_receipt("telegram", "b" * 200, giant, T0)) is True
    assert run(store, lambda r: r.claim_receipt("telegram", "b" * 200, giant, T0)) is False


def test_receipt_is_rolled_back_with_a_failed_turn(store: SqlStore) -> None:
    def crash(repo: Any) -> None:
        repo.claim_receipt("webchat", "", "m1", T0)
        raise RuntimeError("crash mid-turn")

    with pytest.raises(RuntimeError):
        run(store, crash)
    # The retry after a crash is processed, not dropped as a duplicate.
    assert run(store, lambda r: r.claim_receipt("webchat", "", "m1", T0)) is True


def test_identity_is_created_once_and_keeps_its_customer(store: SqlStore) -> None:
    first = run(store, lambda r: r.identity("webchat", "", "ann", display_name="Ann", locale="en", at=T0))
    again = run(store, lambda r: r.identity("webchat", "", "ann", display_name="", locale="", at=T0))
    other = run(store, lambda r: r.identity("webchat", "", "ben", display_name="Ben", locale="zh-CN", at=T0))
    assert again.id == first.id and again.customer_id == first.customer_id
    assert (again.display_name, again.locale) == ("Ann", "en")
    assert other.customer_id != first.customer_id
    assert run(store, lambda r: r.find_identity("webchat", "", "nobody")) is None


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)  # SQLite runs one writing transaction at a time: nothing commits meanwhile
def test_a_locked_identity_is_read_as_it_is_now_even_if_read_before(store: SqlStore) -> None:
    """A reply checks the identity it locks (an erasure may have just ended): the session handed back
    the copy this transaction had read before the lock, so the check saw what was there then."""
    ann = run(store, lambda r: r.identity("webchat", "", "ann", display_name="", locale="", at=T0))

    def read_then_locked(repo: Any) -> tuple[str | None, str | None]:
        before = repo.get_identity(ann.id).unreachable
        with store.database.writer.connect() as other:  # another transaction commits meanwhile
            other.execute(
                text("update identity set unreachable = 'customer erased' where id = :i"), {"i": ann.id}
            )
            other.commit()
        return before, repo.get_identity(ann.id, lock=True).unreachable

    assert run(store, read_then_locked) == (None, "customer erased")


def test_times_come_back_as_aware_utc(store: SqlStore) -> None:
    local = datetime(2026, 11, 23, 10, 0, tzinfo=UTC).astimezone()
    ident = run(store, lambda r: r.identity("webchat", "", "ann", display_name="", locale="", at=local))
    conv = run(store, lambda r: r.start_conversation(ident, local))
    loaded = run(store, lambda r: r.get_conversation(conv.id))
    assert loaded.opened_at == local and loaded.opened_at.tzinfo == UTC


def _survey(store: SqlStore, settings: Settings, survey_id: str = "s1") -> Survey:
    flow = settings.flows["csat"]

    def work(repo: Repository) -> Survey:
        ident = repo.identity("webchat", "", "ann", display_name="", locale="en", at=T0)
        conv = repo.start_conversation(ident, T0)
        repo.save_flow(flow, T0)
        repo.save_flow(flow, T0)  # saving the same version twice is fine
        return repo.create_survey(
            survey_id=survey_id, conversation=conv, flow=flow, locale="en", due_at=T0, at=T0
        )

    survey: Survey = run(store, work)
    return survey


def test_answer_is_recorded_once_per_step(store: SqlStore, settings: Settings) -> None:
    survey = _survey(store, settings)
    answer = Answer("rating", "csat", score=4, raw="4")
    assert run(store, lambda r: r.record_answer(survey.id, answer, T0)) is True
    assert run(store, lambda r: r.record_answer(survey.id, Answer("rating", "csat", score=1), T0)) is False
    assert run(store, lambda r: r.survey_answers(survey.id))[0].score == 4


def test_a_revised_answer_replaces_the_stored_one_and_the_surveys_score(
    store: SqlStore, settings: Settings
) -> None:
    survey = _survey(store, settings)
    run(store, lambda r: r.record_answer(survey.id, Answer("rating", "csat", score=2, raw="2"), T0))
    corrected = Answer("rating", "csat", score=4, raw="改成4分")
    run(store, lambda r: r.revise_answer(survey.id, corrected, T0 + timedelta(minutes=1)))
    [stored] = run(store, lambda r: r.survey_answers(survey.id))
    assert (stored.step, stored.score, stored.at) == ("rating", 4, T0 + timedelta(minutes=1))
    with store.database.reader.connect() as conn:
        score = conn.execute(text("select csat from survey where id = 's1'")).scalar()
    assert score == 4  # not the highest ever given: the 2 was taken back
    with pytest.raises(NotFoundError, match="no answer to step 'reason'"):
        run(store, lambda r: r.revise_answer(survey.id, Answer("reason", "choice", option="slow"), T0))


def test_survey_keeps_its_flow_version_and_state(store: SqlStore, settings: Settings) -> None:
    survey = _survey(store, settings)
    assert survey.flow_version == settings.flows["csat"].version
    assert run(store, lambda r: r.load_flow(survey.flow_version)) == settings.flows["csat"]
    state = SurveyState(
        "s1", "en", status="active", step="reason", answers=(Answer("rating", "csat", score=2),)
    )
    run(store, lambda r: r.save_survey("s1", state, T0, sent=True))
    loaded = run(store, lambda r: r.get_survey("s1"))
    assert loaded.state == state and loaded.sent_at == T0
    assert run(store, lambda r: r.active_survey(loaded.identity_id)).id == "s1"


def test_timer_is_claimed_under_a_lease_and_taken_once(store: SqlStore) -> None:
    run(store, lambda r: r.schedule("send", "s1", T0 + timedelta(minutes=10), T0))
    run(store, lambda r: r.schedule("send", "s1", T0 + timedelta(minutes=5), T0))  # moved, not doubled
    assert (
        run(store, lambda r: r.claim_due_timers(T0 + timedelta(minutes=4), 10, T0 + timedelta(hours=1))) == []
    )
    now = T0 + timedelta(minutes=6)
    claimed = run(store, lambda r: r.claim_due_timers(now, 10, now + timedelta(minutes=2)))
    assert [(t.kind, t.subject) for t in claimed] == [("send", "s1")]
    assert run(store, lambda r: r.claim_due_timers(now, 10, now + timedelta(minutes=2))) == []  # leased
    later = now + timedelta(minutes=3)
    reclaimed = run(store, lambda r: r.claim_due_timers(later, 10, later + timedelta(minutes=2)))
    assert [t.id for t in reclaimed] == [claimed[0].id]  # the lease ran out (a worker died)
    assert run(store, lambda r: r.take_timer(claimed[0].id)) is True
    assert run(store, lambda r: r.take_timer(claimed[0].id)) is False
    assert run(store, lambda r: r.next_timer_due()) is None


def test_cancelled_timer_never_fires(store: SqlStore) -> None:
    run(store, lambda r: r.schedule("remind", "s1", T0, T0))
    run(store, lambda r: r.cancel_timer("remind", "s1"))
    assert run(store, lambda r: r.claim_due_timers(T0 + timedelta(days=1), 10, T0 + timedelta(days=2))) == []


def test_outbox_keeps_order_per_recipient(store: SqlStore) -> None:
    def queue(user: str, text: str) -> int:
        rec = Recipient("webchat", "", user)
        return run(
            store,
            lambda r: r.enqueue("message", "webchat", rec, {"prompt": {"type": "Say", "text": text}}, at=T0),
        )

    a1, a2, b1 = queue("ann", "a1"), queue("ann", "a2"), queue("ben", "b1")
    lease = T0 + timedelta(minutes=2)
    claimed = run(store, lambda r: r.claim_outbox(T0, 10, lease))
    assert [i.id for i in claimed] == [a1, a2, b1]
    # a1 fails and backs off: a2 must wait behind it; ben is not held up.
    run(store, lambda r: r.outbox_failed(a1, "429", T0 + timedelta(seconds=30)))
    run(store, lambda r: r.release_outbox([a2]))
    run(store, lambda r: r.outbox_sent(b1, "p1", T0))
    b2 = queue("ben", "b2")
    assert [i.id for i in run(store, lambda r: r.claim_outbox(T0 + timedelta(seconds=5), 10, lease))] == [b2]
    later = T0 + timedelta(seconds=31)
    assert [i.id for i in run(store, lambda r: r.claim_outbox(later, 10, later + timedelta(minutes=2)))] == [
        a1,
        a2,
    ]


def test_outbox_gives_up_for_good(store: SqlStore) -> None:
    item = run(
        store,
        lambda r: r.enqueue("webhook", "", WebhookAddress("http://127.0.0.1:9/"), {"event": "x"}, at=T0),
    )
    run(store, lambda r: r.claim_outbox(T0, 10, T0 + timedelta(minutes=2)))
    run(store, lambda r: r.outbox_failed(item, "HTTP 404", None))
    assert run(store, lambda r: r.claim_outbox(T0 + timedelta(days=9), 10, T0 + timedelta(days=10))) == []


def test_two_workers_never_claim_the_same_timer(store: SqlStore) -> None:
    for i in range(40):
        run(store, lambda r, i=i: r.schedule("send", f"s{i}", T0, T0))
    now = T0 + timedelta(minutes=1)
    claims: list[list[int]] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        got = store.run_sync(lambda r: r.claim_due_timers(now, 15, now + timedelta(minutes=2)))
        claims.append([t.id for t in got])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for c in claims for i in c]
    assert len(every) == len(set(every)) == 40

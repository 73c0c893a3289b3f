"""Working a ticket through the console's forms: claim, assign, reply, note, resolve, close."""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import replace
from datetime import timedelta

from bot.settings import MessagingWindow

from ...conftest import conversation_of, customer_reads, customer_says
from .conftest import Console


async def chat(console: Console, user: str) -> list[tuple[str, str]]:
    response = await customer_reads(console.http, user)
    return [(m["author"], m["text"]) for m in response.json()["messages"]]


async def until_in_chat(console: Console, user: str, text: str) -> None:
    for _ in range(200):
        if any(t == text for _, t in await chat(console, user)):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} never reached {user}'s chat: {await chat(console, user)}")


def flash(page: str) -> str:
    found = re.search(r'<p class="flash \w+"[^>]*id="flash">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def audit(console: Console) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in console.rows("select actor, action, detail from ticketevent order by id")]


async def test_the_ticket_page_shows_customer_transcript_labels_answers_and_trail(console: Console) -> None:
    console.add_user("dan", display_name="Dan Wu")
    await customer_says(console.http, "ann", text="my parcel is late")
    conversation = await conversation_of(console.http, "ann")
    resolved = await console.http.post(
        f"/api/conversations/{conversation}/resolve",
        json={"send_survey_now": True},
        headers=console.agent("bob"),
    )
    survey = resolved.json()["survey_id"]
    await console.survey_sent(conversation)
    choice = {"survey": survey, "step": "rating", "value": "2"}
    await customer_says(console.http, "ann", choice=choice)
    choice = {"survey": survey, "step": "reason", "value": "slow"}
    await customer_says(console.http, "ann", choice=choice)
    [(ticket,)] = console.rows("select id from ticket")
    await console.sign_in("dan")
    page = (await console.page(f"/tickets/{ticket}")).text
    assert f"Ticket #{ticket}" in page and "Dan Wu (agent)" in page
    assert re.search(r'href="/console/customers/\d+" id="customer">ann<', page)
    assert "Web chat: ann" in page  # every channel identity, by the channel's name
    transcript = page[page.index('id="transcript"') : page.index("</ol>")]
    assert transcript.index("my parcel is late") < transcript.index("How satisfied are you")
    assert "CSAT 2 (at most 3)" in page
    assert 'id="answers"' in page and "Slow response" in page  # the option's label, not its id
    assert re.search(r"<dt>CSAT rating</dt>\s*<dd>2</dd>", page)  # the step as people call it
    assert "triage</b> opened" not in page and "bot</b> opened: CSAT 2 (at most 3)" in page
    assert "auto</b> assigned: amy" in page
    assert "Not sent (no re-survey is configured, or the ticket is not resolved yet)." in page
    await console.http.get("/console/lang/zh-CN")
    page = (await console.page(f"/tickets/{ticket}")).text
    reasons = page[page.index('id="reasons"') : page.index("</ul>", page.index('id="reasons"'))]
    assert "满意度 2 分（不高于 3 分）" in reasons and "CSAT" not in reasons
    answers = page[page.index('id="answers"') : page.index("</dl>", page.index('id="answers"'))]
    assert re.search(r"<dt>满意度评分</dt>\s*<dd>2</dd>", answers) and "响应太慢" in answers
    assert "slow" not in answers
    trail = page[page.index('id="audit"') :]
    assert "<b>bot</b> 创建: 满意度 2 分（不高于 3 分）</li>" in trail  # the audit trail too


async def test_claim_assign_reply_note_resolve_and_close(console: Console) -> None:
    console.add_user("dan")
    ticket = await console.escalated("ann")
    await console.sign_in("dan")
    url = f"/tickets/{ticket}"

    page = (await console.page(url)).text
    [holder] = re.findall(r'name="holder" value="([^"]*)"', page)  # auto-assigned when it opened
    response = await console.post(f"{url}/claim", holder=holder)
    assert response.status_code == 303 and response.headers["location"] == f"/console{url}"
    page = (await console.page(url)).text
    assert flash(page) == "You claimed the ticket."
    assert re.search(r'id="assignee">dan<', page) and 'id="claim"' not in page
    console.add_user("eve")
    await console.sign_in("eve")  # eve's page was opened before dan claimed it
    await console.post(f"{url}/claim", holder=holder)
    page = (await console.page(url)).text
    assert (
        flash(page)
        == "The ticket is already with dan. Ask a lead to assign it to you if you should take it over."
    )
    assert re.search(r'id="assignee">dan<', page)
    await console.sign_in("dan")

    assert flash(
        (await console.post(f"{url}/assign", assignee="carol"), await console.page(url))[1].text
    ) == (
        "carol is neither a console user nor a member of the team."  # carol is in billing
    )
    await console.post(f"{url}/assign", assignee="bob")
    assert flash((await console.page(url)).text) == "Assigned to bob."

    await console.post(f"{url}/reply", text="  Sorry! It ships today.  ")
    assert flash((await console.page(url)).text) == "Reply queued: it goes out in the customer's chat now."
    await until_in_chat(console, "ann", "Sorry! It ships today.")
    assert ("agent:dan", "Sorry! It ships today.") in await chat(console, "ann")

    await console.post(f"{url}/reply", text="   ")
    assert flash((await console.page(url)).text) == "Write something first."
    await console.post(f"{url}/note", text="called her, no answer")
    await console.post(f"{url}/resolve")
    page = (await console.page(url)).text
    assert flash(page) == "Resolved; the customer gets the close-the-loop message."
    assert 'id="status">resolved<' in page and 'id="reply"' not in page and 'id="finished"' in page
    await until_in_chat(
        console, "ann", "Your request has been resolved. If anything is still unclear, just reply here."
    )

    await console.post(f"{url}/claim")  # too late: the service says why
    assert (
        flash((await console.page(url)).text) == f"ticket {ticket} is resolved; reopen it by escalating again"
    )
    await console.post(f"{url}/close")
    assert 'id="status">closed<' in (await console.page(url)).text
    assert audit(console) == [
        ("triage", "opened", "customer asked for a call back"),
        ("auto", "assigned", "amy"),
        ("dan", "claimed", "dan"),
        ("dan", "assigned", "bob"),
        ("dan", "replied", ""),
        ("dan", "note", "called her, no answer"),
        ("dan", "resolved", ""),
        ("dan", "closed", ""),
    ]
    assert console.rows("select status, assignee from ticket") == [("closed", "bob")]


async def test_the_console_says_why_a_reply_cannot_go_out_when_the_window_closed(console: Console) -> None:
    console.add_user("dan")
    runtime = console.runtime
    # As WhatsApp's adapter declares it: free-form messages only within 24 h of the customer's last one.
    runtime._settings = replace(runtime.settings(), windows={"webchat": MessagingWindow(timedelta(hours=24))})
    ticket = await console.escalated("ann")
    await console.sign_in("dan")
    url = f"/tickets/{ticket}"
    page = (await console.page(url)).text
    assert re.search(
        r'<p class="hint" id="window">Web chat accepts replies until [\d-]+ [\d:]+ \+08:00\.</p>', page
    )

    console.clock.advance(timedelta(hours=25))
    await console.sign_in("dan")  # sessions end after 12 hours
    page = (await console.page(url)).text
    assert "Not sent: webchat only lets us write within 24 hours of the customer&#39;s last message." in page
    assert re.search(r'<textarea id="reply" name="text" [^>]*disabled>', page)
    # A reply sent anyway (the page was open before the window closed) is refused with the reason.
    await console.post(f"{url}/reply", text="Are you still there?")
    shown = flash((await console.page(url)).text)
    assert shown.startswith("Not sent: webchat only lets us write within 24 hours")
    assert "They last wrote at " in shown and "The reply can go out once they write again." in shown
    assert ("agent:dan", "Are you still there?") not in await chat(console, "ann")
    assert console.rows("select count(*) from message where author = 'agent:dan'") == [(0,)]
    assert console.rows("select status from ticket") == [("assigned",)]


async def test_an_unknown_ticket_is_a_404_page(console: Console) -> None:
    console.add_user("dan")
    await console.sign_in("dan")
    response = await console.page("/tickets/999")
    assert response.status_code == 404
    assert "Not found: no ticket with id 999" in response.text


async def test_the_ticket_shows_the_re_survey_and_whether_the_customer_was_recovered(
    console: Console,
) -> None:
    console.add_user("dan")
    await customer_says(console.http, "ann", text="my parcel is late")
    conversation = await conversation_of(console.http, "ann")
    await console.http.post(
        f"/api/conversations/{conversation}/resolve",
        json={"send_survey_now": True},
        headers=console.agent("bob"),
    )
    await console.survey_sent(conversation)
    survey = console.rows("select id from survey")[0][0]
    await customer_says(console.http, "ann", choice={"survey": survey, "step": "rating", "value": "1"})
    [(ticket,)] = console.rows("select id from ticket")
    await console.sign_in("dan")
    await console.post(f"/tickets/{ticket}/resolve")
    console.clock.advance(timedelta(minutes=11))  # tickets.resurvey.delay: 10m
    deadline = asyncio.get_running_loop().time() + 15
    while not console.rows("select id from survey where kind = 'followup' and status = 'active'"):
        assert asyncio.get_running_loop().time() < deadline, "the re-survey was not sent within 15 s"
        await asyncio.sleep(0.05)
    assert "no answer yet" in (await console.page(f"/tickets/{ticket}")).text
    [(followup,)] = console.rows("select id from survey where kind = 'followup'")
    await customer_says(console.http, "ann", choice={"survey": followup, "step": "solved", "value": "5"})
    page = (await console.page(f"/tickets/{ticket}")).text
    assert re.search(r'id="recovery">Recovered: satisfied again.<', page)
    assert re.search(r"<dt>CSAT rating</dt><dd>5</dd>", page)
    assert "SLA met" in page
    trail = page[page.index('id="audit"') :]  # when the re-survey went out, in the zone as every time
    assert re.search(r"<b>bot</b> re-survey: survey [\w-]+ due [\d-]+ [\d:]+ \+08:00</li>", trail), trail
    assert "UTC" not in trail


def form_fields(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to ``action``, as the browser sends them."""
    form = re.search(rf'<form method="post" action="/console{re.escape(action)}".*?</form>', page, re.S)
    assert form is not None, f"no form posts to {action}"
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(0)))


async def test_a_reply_or_note_sent_twice_by_a_double_click_goes_out_once(console: Console) -> None:
    """A double click on Send posts the same form twice, both at once: the customer got the reply
    twice and the trail said "replied" twice (a note was kept twice). The form carries its own
    token now; the second post finds it used and does nothing. The next page's form may say the
    same words again."""
    console.add_user("dan")
    ticket = await console.escalated("ann")
    await console.sign_in("dan")
    url = f"/tickets/{ticket}"
    page = (await console.page(url)).text
    reply = form_fields(page, f"{url}/reply") | {"text": "Sorry! It ships today."}
    note = form_fields(page, f"{url}/note") | {"text": "called her"}
    sent = await asyncio.gather(*(console.http.post(f"/console{url}/reply", data=reply) for _ in range(2)))
    await asyncio.gather(*(console.http.post(f"/console{url}/note", data=note) for _ in range(2)))
    assert [r.status_code for r in sent] == [303, 303]
    await until_in_chat(console, "ann", "Sorry! It ships today.")
    assert [a for a in audit(console) if a[1] in ("replied", "note")] == [
        ("dan", "replied", ""),
        ("dan", "note", "called her"),
    ]
    again = form_fields((await console.page(url)).text, f"{url}/reply") | {"text": "Sorry! It ships today."}
    await console.http.post(f"/console{url}/reply", data=again)
    await console.page(url)
    replies = console.rows("select text from message where author = 'agent:dan' order by id")
    assert [r[0] for r in replies] == ["Sorry! It ships today.", "Sorry! It ships today."]


async def test_a_conversation_reply_sent_twice_by_a_double_click_goes_out_once(console: Console) -> None:
    console.add_user("dan")
    await customer_says(console.http, "ann", text="my parcel is late")
    conversation = await conversation_of(console.http, "ann")
    await console.sign_in("dan")
    url = f"/conversations/{conversation}"
    reply = form_fields((await console.page(url)).text, f"{url}/reply") | {"text": "On its way!"}
    sent = await asyncio.gather(*(console.http.post(f"/console{url}/reply", data=reply) for _ in range(2)))
    assert [r.status_code for r in sent] == [303, 303]
    await until_in_chat(console, "ann", "On its way!")
    assert console.rows("select text from message where author = 'agent:dan'") == [("On its way!",)]

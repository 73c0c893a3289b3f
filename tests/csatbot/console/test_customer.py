"""The customer page: identities, timeline, trend and health colour, linked from tickets and reports."""

from __future__ import annotations

import re

from bot.messages import InboundMessage, Reachability

from ...conftest import customer_says
from .conftest import Console


async def rated(console: Console, user: str, score: str) -> int:
    """``user`` writes, bob resolves with the survey now, ``user`` rates ``score``: the conversation."""
    conversation, survey = await console.surveyed(user, "my parcel is late")
    await customer_says(console.http, user, choice={"survey": survey, "step": "rating", "value": score})
    return conversation


async def test_a_happy_customer_is_green_and_an_open_dsat_ticket_makes_them_red(console: Console) -> None:
    console.add_user("dan")
    happy = await rated(console, "ben", "5")
    [(ben,)] = console.rows("select id from customer")
    await console.sign_in("dan")
    page = (await console.page(f"/customers/{ben}")).text
    assert re.search(r'<span class="health green" id="health"[^>]*>healthy</span>', page)
    assert "<b>Web chat</b>: ben" in page and "n=1" in page  # the channel's name, not its id
    assert f'href="/console/conversations/{happy}"' in page and "CSAT 5" in page

    unhappy = await rated(console, "ann", "1")  # DSAT: a ticket opens
    [(ann,)] = console.rows("select customer_id from conversation where id = " + str(unhappy))
    page = (await console.page(f"/customers/{ann}")).text
    assert re.search(r'<span class="health red" id="health"[^>]*>at risk</span>', page)
    [(ticket,)] = console.rows("select id from ticket")
    assert re.search(rf'id="open-dsat">Open DSAT tickets: <a href="/console/tickets/{ticket}">', page)
    timeline = page[page.index('id="timeline"') :]
    assert timeline.index(f"Ticket #{ticket}") < timeline.index(f'/conversations/{unhappy}">Conversation')
    ticket_page = (await console.page(f"/tickets/{ticket}")).text
    assert f'href="/console/customers/{ann}"' in ticket_page
    await console.post(f"/tickets/{ticket}/resolve")
    page = (await console.page(f"/customers/{ann}")).text
    assert re.search(r'class="health yellow"', page)  # resolved, not yet recovered: one recent unhappy
    await console.http.get("/console/lang/zh-CN")
    assert "需关注" in (await console.page(f"/customers/{ann}")).text


async def test_an_unknown_customer_is_a_404_page(console: Console) -> None:
    console.add_user("dan")
    await console.sign_in("dan")
    response = await console.page("/customers/999")
    assert response.status_code == 404 and "no customer with id 999" in response.text


async def test_a_customer_who_blocked_the_bot_is_shown_so_and_not_written_to(console: Console) -> None:
    console.add_user("dan", "admin")  # an agent's reports are their own surveys (these are bob's)
    conversation, _ = await console.surveyed("ann")
    [(channel, account, user, customer)] = console.rows(
        'select channel, account, "user", customer_id from identity'
    )
    gone = InboundMessage(
        channel, account, user, "gone-1", console.clock.now(), Reachability(False, "blocked")
    )
    await console.runtime.service.handle(gone)  # what a channel's block notice becomes (Telegram's)
    await console.sign_in("dan")
    page = (await console.page(f"/conversations/{conversation}")).text
    assert re.search(r'id="unreachable">the customer blocked the bot \(since [^)]+\): nothing we send', page)
    assert (
        'class="unreachable">· the customer blocked the bot'
        in (await console.page(f"/customers/{customer}")).text
    )
    await console.http.get("/console/lang/zh-CN")
    assert "客户已屏蔽机器人（自 " in (await console.page(f"/conversations/{conversation}")).text
    assert "· 客户已屏蔽机器人（自 " in (await console.page(f"/customers/{customer}")).text
    await console.http.get("/console/lang/en")
    await console.post(f"/conversations/{conversation}/reply", text="still there?")
    page = (await console.page(f"/conversations/{conversation}")).text
    assert f"Not sent: the customer blocked the bot on {channel}, so nothing we write can arrive" in page
    await console.http.get("/console/lang/zh-CN")
    await console.post(f"/conversations/{conversation}/reply", text="还在吗？")
    page = (await console.page(f"/conversations/{conversation}")).text
    assert f"未发送：客户已屏蔽机器人（{channel}）" in page
    await console.http.get("/console/lang/en")
    assert 'id="unreached">Not reached: 1 (blocked the bot' in (await console.page("/reports")).text

"""``send`` over real HTTP to the fake Graph API: exact requests, the 24-hour window, errors, rates."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from starlette.responses import Response

from adapters.base import AdapterContext
from adapters.poster import Poster
from adapters.whatsapp import PAIR_RATE, THROUGHPUT, WhatsAppChannel, build
from adapters.whatsapp.fake import ENVIRON, PHONE_NUMBER_ID, WhatsAppSimulator, graph_error_response
from adapters.whatsapp.graph import GraphApi
from adapters.whatsapp.render import render, template_message
from bot.config.channels import WhatsAppTemplate
from bot.errors import DeliveryError
from bot.ports import Recipient, Sent
from bot.prompts import AskChoice, AskText, End, Option, Prompt, Say

from .conftest import App

USER = "15551234567"
QUESTION = AskChoice(
    "s1", "solved", "Was your problem solved?", (Option("yes", "Yes"), Option("no", "No")), ""
)


def recipient(
    app: App, *, ago: timedelta | None = timedelta(minutes=5), account: str = PHONE_NUMBER_ID
) -> Recipient:
    last = None if ago is None else app.clock.now() - ago
    return Recipient("whatsapp", account, USER, last_inbound_at=last)


async def test_a_question_is_posted_as_whatsapp_expects(app: App) -> None:
    sent = await app.adapter.send(recipient(app), QUESTION)
    [request] = app.sim.server.received("/messages")
    assert (request.method, request.path) == ("POST", f"/v23.0/{PHONE_NUMBER_ID}/messages")
    assert request.headers["authorization"] == f"Bearer {ENVIRON['WHATSAPP_TOKEN']}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": USER,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Was your problem solved?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "a:s1:solved:yes", "title": "Yes"}},
                    {"type": "reply", "reply": {"id": "a:s1:solved:no", "title": "No"}},
                ]
            },
        },
    }
    assert sent == Sent(app.sim.api.accepted[0].wamid)


async def test_a_customer_known_only_by_a_business_scoped_user_id_is_sent_to_as_recipient(app: App) -> None:
    """The Graph API takes a BSUID in ``recipient`` (``to`` is for phone numbers)."""
    bsuid = "US.13491208655302741918"
    to = Recipient("whatsapp", PHONE_NUMBER_ID, bsuid, last_inbound_at=app.clock.now())
    await app.adapter.send(to, Say("Thanks!"))
    [request] = app.sim.server.received("/messages")
    body = request.json()
    assert (body["recipient"], "to" in body, body["text"]["body"]) == (bsuid, False, "Thanks!")
    assert [m.text for m in app.sim.shown(bsuid)] == ["Thanks!"]  # the simulator reads "recipient" too
    assert [a.body["recipient"] for a in app.sim.sent_to(bsuid)] == [bsuid] and app.sim.shown(USER) == []
    assert render(Say("Hi"), USER)[0]["to"] == USER


async def test_without_an_account_the_configured_number_sends(app: App) -> None:
    await app.adapter.send(recipient(app, account=""), Say("Hello"))
    [request] = app.sim.server.received("/messages")
    assert request.path == f"/v23.0/{PHONE_NUMBER_ID}/messages"
    assert request.json()["text"] == {"preview_url": False, "body": "Hello"}


async def test_a_long_text_goes_out_in_order_in_parts(app: App) -> None:
    sent = await app.adapter.send(recipient(app), Say("a " * 2500))
    bodies = [r.json()["text"]["body"] for r in app.sim.server.received("/messages")]
    assert [len(b) for b in bodies] == [4095, 903]
    assert sent == Sent(app.sim.api.accepted[-1].wamid)


async def test_an_empty_end_sends_nothing(app: App) -> None:
    assert await app.adapter.send(recipient(app), End("s1", "")) == Sent("")
    assert app.sim.server.received() == []


async def test_just_inside_the_window_the_question_itself_goes(app: App) -> None:
    await app.adapter.send(recipient(app, ago=timedelta(hours=23, minutes=59)), QUESTION)
    [request] = app.sim.server.received("/messages")
    assert request.json()["type"] == "interactive"


@pytest.mark.parametrize("ago", [None, timedelta(hours=24), timedelta(days=3)], ids=["never", "24h", "3d"])
async def test_outside_the_window_a_question_becomes_the_template(app: App, ago: timedelta | None) -> None:
    sent = await app.adapter.send(
        recipient(app, ago=ago), app.runtime.settings().flows["csat"].ask("s9", "rating", "en")
    )
    [request] = app.sim.server.received("/messages")
    template = WhatsAppTemplate(name="csat_invite_v1", language="en_US")  # as the simulator configures
    assert request.json() == template_message(USER, template, "a:s9:rating:~start")
    assert sent.platform_id.startswith("wamid.")


@pytest.mark.parametrize("prompt", [Say("An agent replied"), End("s1", "Thank you!")], ids=["say", "end"])
async def test_outside_the_window_other_prompts_are_refused(app: App, prompt: Prompt) -> None:
    with pytest.raises(DeliveryError, match="outside WhatsApp's 24-hour window") as caught:
        await app.adapter.send(recipient(app, ago=timedelta(hours=25)), prompt)
    assert caught.value.permanent
    assert app.sim.server.received() == []


async def test_outside_the_window_without_a_template_nothing_is_sent(app_without_template: App) -> None:
    app = app_without_template
    with pytest.raises(DeliveryError) as caught:
        await app.adapter.send(recipient(app, ago=None), QUESTION)
    assert caught.value.permanent
    assert "24-hour window" in str(caught.value)
    assert "no approved template is configured (channels.whatsapp.template)" in str(caught.value)
    assert app.sim.server.received() == []


@pytest.mark.parametrize(
    ("answer", "permanent", "retry_after", "words"),
    [
        pytest.param(
            graph_error_response(429, 130429, "Rate limit hit", retry_after=7),
            False,
            7.0,
            "130429",
            id="throughput",
        ),
        pytest.param(
            graph_error_response(400, 131056, "Pair rate limit hit"), False, None, "pair rate", id="pair"
        ),
        pytest.param(
            graph_error_response(500, 131000, "Something went wrong"), False, None, "131000", id="500"
        ),
        pytest.param(Response("upstream down", status_code=503), False, None, "HTTP 503", id="503-no-json"),
        pytest.param(Response("[" * 100_000, status_code=500), False, None, "HTTP 500", id="500-too-deep"),
        pytest.param(
            graph_error_response(429, 99999, "Slow down", retry_after=3), False, 3.0, "HTTP 429", id="429"
        ),
        pytest.param(
            graph_error_response(400, 131047, "Re-engagement message"),
            True,
            None,
            "24-hour",
            id="outside-window",
        ),
        pytest.param(
            graph_error_response(400, 131026, "Message undeliverable"),
            True,
            None,
            "undeliverable",
            id="131026",
        ),
        pytest.param(
            graph_error_response(401, 190, "Error validating access token"),
            True,
            None,
            "WHATSAPP_TOKEN",
            id="190",
        ),
        pytest.param(
            graph_error_response(400, 100, "Invalid parameter"), True, None, "HTTP 400", id="other-4xx"
        ),
    ],
)
async def test_graph_errors_are_typed(
    sim: WhatsAppSimulator, answer: Response, permanent: bool, retry_after: float | None, words: str
) -> None:
    sim.api.failures.append(answer)
    graph = GraphApi(Poster(), f"{sim.server.url}/v23.0/", ENVIRON["WHATSAPP_TOKEN"])
    with pytest.raises(DeliveryError) as caught:
        await graph.send(PHONE_NUMBER_ID, render(Say("Hello"), USER)[0])
    await graph.aclose()
    error = caught.value
    assert (error.permanent, error.retry_after) == (permanent, retry_after)
    assert words in str(error)
    assert str(error).startswith("whatsapp: ")


async def test_a_wrong_token_is_a_permanent_error(app: App) -> None:
    app.sim.api.token = "the-token-meta-expects"
    with pytest.raises(DeliveryError, match="190") as caught:
        await app.adapter.send(recipient(app), Say("Hello"))
    assert caught.value.permanent


async def test_an_unreachable_graph_api_is_retried() -> None:
    graph = GraphApi(Poster(), "http://127.0.0.1:9/v23.0/", "token")
    with pytest.raises(DeliveryError, match="unreachable") as caught:
        await graph.send(PHONE_NUMBER_ID, {"to": USER})
    await graph.aclose()
    assert not caught.value.permanent and not caught.value.maybe_sent


async def test_a_graph_api_that_does_not_answer_in_time_may_have_the_message(sim: WhatsAppSimulator) -> None:
    async def late(_request: object) -> Response:
        await asyncio.sleep(1.0)
        return Response(status_code=200)

    sim.server.handler = late
    graph = GraphApi(Poster(), f"{sim.server.url}/v23.0/", ENVIRON["WHATSAPP_TOKEN"], timeout=0.1)
    try:
        with pytest.raises(DeliveryError, match="did not answer") as caught:
            await graph.send(PHONE_NUMBER_ID, render(Say("Hello"), USER)[0])
    finally:
        sim.server.handler = sim.api  # the fake is shared by the session's tests
        await graph.aclose()
    assert not caught.value.permanent and caught.value.maybe_sent


def test_the_default_rates_are_whatsapps(app: App) -> None:
    built = build(app.adapter.config, app.adapter.ctx)
    assert built.per_user == PAIR_RATE == (5.0, 30.0)  # bursts of 5, then one message per 6 s
    assert THROUGHPUT == 80.0


def test_a_template_lets_the_core_plan_surveys_outside_the_window(
    app: App, app_without_template: App
) -> None:
    assert app.adapter.capabilities.reopens_window
    assert not app_without_template.adapter.capabilities.reopens_window


async def test_messages_to_one_user_keep_the_per_user_rate(app: App) -> None:
    ctx: AdapterContext = app.adapter.ctx
    adapter = WhatsAppChannel(app.adapter.config, ctx, per_user=(1.0, 0.5))
    started = time.monotonic()
    try:
        await adapter.send(recipient(app), Say("one"))
        await adapter.send(
            Recipient("whatsapp", PHONE_NUMBER_ID, "15550000002", last_inbound_at=app.clock.now()), Say("x")
        )
        assert time.monotonic() - started < 0.45  # another user does not wait
        await adapter.send(recipient(app), Say("two"))
        assert time.monotonic() - started >= 0.45
    finally:
        await adapter.stop()
    assert [r.json()["text"]["body"] for r in app.sim.server.received("/messages")] == ["one", "x", "two"]


async def test_rendering_matches_what_is_posted(app: App) -> None:
    """Every shipped survey prompt is accepted by the fake Graph API (which checks WhatsApp's limits)."""
    for flow in app.runtime.settings().flows.values():
        for step in flow.steps:
            prompt = flow.ask("Ab3_-x9Z", step, "en")
            await app.adapter.send(recipient(app), prompt)
    bodies = [r.json() for r in app.sim.server.received("/messages")]
    assert len(app.sim.api.accepted) == len(bodies)
    assert bodies[0] == render(app.runtime.settings().flows["csat"].ask("Ab3_-x9Z", "rating", "en"), USER)[0]


def test_naive_last_inbound_times_count_as_utc(app: App) -> None:
    naive = (datetime.now(UTC) - timedelta(hours=1)).replace(tzinfo=None)
    assert app.adapter.in_window(naive)
    assert not app.adapter.in_window(naive - timedelta(hours=24))


async def test_a_text_question_outside_the_window_also_uses_the_template(app: App) -> None:
    await app.adapter.send(recipient(app, ago=None), AskText("s1", "comment", "Anything else?"))
    [request] = app.sim.server.received("/messages")
    assert request.json()["template"]["components"][0]["parameters"][0]["payload"] == "a:s1:comment:~start"

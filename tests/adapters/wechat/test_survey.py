"""A whole survey through each simulated platform: typed message, resolve, taps, typed comment."""

from __future__ import annotations

from adapters.testing import Button, Shown

from .conftest import App


def asking(shown: list[Shown], step: str) -> Shown | None:
    return next((s for s in reversed(shown) if any(b.step == step for b in s.buttons)), None)


def button(question: Shown | None, value: str) -> Button:
    assert question is not None
    return next(b for b in question.buttons if b.value == value)


async def test_a_whole_survey_by_taps_and_typing(any_app: App) -> None:
    app = any_app
    sim, user = app.sim, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
    response = await sim.say(app.http, user, "My parcel never arrived")
    assert response.status_code == 200 and response.text == ("" if sim.channel == "wecom" else "success")
    conversation = await app.conversation(user)
    assert conversation["transcript"][0]["text"] == "My parcel never arrived"

    resolved = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200, resolved.text
    shown = await app.shown_when(user, lambda s: asking(s, "rating") is not None)
    rating = asking(shown, "rating")
    assert rating is not None and [b.value for b in rating.buttons] == ["1", "2", "3", "4", "5"]

    assert (await sim.tap(app.http, user, button(rating, "2"))).status_code == 200
    shown = await app.shown_when(user, lambda s: asking(s, "reason") is not None)
    reason = asking(shown, "reason")
    assert reason is not None and [b.value for b in reason.buttons] == [
        "slow",
        "unresolved",
        "attitude",
        "other",
    ]

    assert (await sim.tap(app.http, user, button(reason, "slow"))).status_code == 200
    await app.shown_when(user, lambda s: "Anything else" in s[-1].text)
    assert (await sim.say(app.http, user, "Nobody answered for two days")).status_code == 200
    await app.shown_when(
        user,
        lambda s: (
            s[-1].text
            == "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here."
        ),
    )

    detail = await app.conversation(user)
    answers = [
        (a["step"], a.get("score"), a.get("option"), a.get("text")) for a in detail["survey"]["answers"]
    ]
    assert answers == [
        ("rating", 2, None, None),
        ("reason", None, "slow", None),
        ("comment", None, None, "Nobody answered for two days"),
    ]
    assert detail["survey"]["status"] == "completed"
    assert detail["ticket"]["reasons"] == ["CSAT 2 (at most 3)"]

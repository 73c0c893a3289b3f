"""Console forms with what a browser never sends: refused with a clean 4xx, nothing changed."""

from __future__ import annotations

from typing import Any


async def test_a_non_ascii_csrf_value_is_refused_not_a_500(console: Any) -> None:
    console.add_user("amy")
    await console.page("/login")
    for forged in ("%C3%A9" * 43, "%E4%BB%A4%E7%89%8C", "%ED%A0%80", "%FF"):  # é..., 令牌, bad UTF-8
        form = f"username=amy&password=xxxxxxxxxxxx&csrf={forged}"
        response = await console.http.post(
            "/console/login", content=form, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert response.status_code == 403, forged
        assert "CSRF check failed" in response.text
    assert console.rows("select last_login_at from console_user") == [(None,)]


async def test_nul_in_a_form_field_is_400_and_nothing_is_written(console: Any) -> None:
    console.add_user("amy")
    ticket = await console.escalated("ann")
    await console.sign_in("amy")
    before = console.rows("select action, detail from ticketevent order by id")
    response = await console.post(f"/tickets/{ticket}/note", text="a note\x00 with NUL")
    assert response.status_code == 400
    assert "NUL character" in response.text and "Nothing was changed" in response.text
    assert console.rows("select action, detail from ticketevent order by id") == before
    assert (await console.post(f"/tickets/{ticket}/note", text="a clean note")).status_code == 303


async def test_an_id_past_the_integer_range_is_a_4xx(console: Any) -> None:
    console.add_user("amy")
    await console.sign_in("amy")
    for ticket in (2**31, 2**63, 2**70):
        assert (await console.page(f"/tickets/{ticket}")).status_code == 422
        assert (await console.post(f"/tickets/{ticket}/claim")).status_code == 422


async def test_report_dates_out_of_range_are_400(console: Any) -> None:
    console.add_user("root", "admin")
    await console.sign_in("root")
    for params, detail in (
        ({"since": "0001-01-01"}, "since &#39;0001-01-01&#39; is out of range"),
        ({"until": "9999-12-31"}, "until &#39;9999-12-31&#39; is out of range"),
        ({"since": "1990-01-01", "until": "2020-01-01"}, "covers more than 731 days"),
    ):
        response = await console.page("/reports", **params)
        assert response.status_code == 400, params
        assert detail in response.text

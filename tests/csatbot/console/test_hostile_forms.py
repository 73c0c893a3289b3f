"""Console forms with what a browser never sends: refused with a clean 4xx, nothing changed."""

from __future__ import annotations

from .conftest import Console


async def test_a_non_ascii_csrf_value_is_refused_not_a_500(console: Console) -> None:
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


async def test_nul_in_a_form_field_is_400_and_nothing_is_written(console: Console) -> None:
    console.add_user("amy")
    ticket = await console.escalated("ann")
    await console.sign_in("amy")
    before = console.rows("select action, detail from ticketevent order by id")
    response = await console.post(f"/tickets/{ticket}/note", text="a note\x00 with NUL")
    assert response.status_code == 400
    assert "NUL character" in response.text and "Nothing was changed" in response.text
    assert console.rows("select action, detail from ticketevent order by id") == before
    assert (await console.post(f"/tickets/{ticket}/note", text="a clean note")).status_code == 303


async def test_an_id_past_the_integer_range_is_a_4xx(console: Console) -> None:
    console.add_user("amy")
    await console.sign_in("amy")
    for ticket in (2**31, 2**63, 2**70):
        assert (await console.page(f"/tickets/{ticket}")).status_code == 422
        assert (await console.post(f"/tickets/{ticket}/claim")).status_code == 422


async def test_ids_and_offsets_past_the_integer_range_in_forms_and_queries_are_a_4xx(
    console: Console,
) -> None:
    console.add_user("root", "admin")
    ticket = await console.escalated("ann")
    await console.sign_in("root")
    before = console.rows("select status, assignee from ticket")
    for big in (2**31, 2**63, 2**70):
        for action in ("resolve", "assign"):
            form = {"action": action, "assignee": "root", "ids": [str(ticket), str(big)]}
            assert (await console.post("/tickets/bulk", **form)).status_code == 422, (action, big)
        assert (await console.post(f"/filters/{big}/delete")).status_code == 422
        assert (await console.page("/reports/surveys", offset=str(big))).status_code == 422
    assert console.rows("select status, assignee from ticket") == before


async def test_ids_and_offsets_written_other_than_in_digits_are_422_and_change_nothing(
    console: Console,
) -> None:
    """Hunt 19's leftover: form ids and query offsets went through ``int()``, so ``0_1`` named ticket
    1 (``1_0`` ticket 10) and ``+1``, ``1.0`` or `` 1`` too, as the API's row ids did before them."""
    console.add_user("root", "admin")
    ticket = await console.escalated("ann")
    await console.sign_in("root")
    before = console.rows("select status, assignee from ticket")
    for spelling in ("0_{}", "+{}", "{}.0", " {}", "{}\u0660"):
        written = spelling.format(ticket)
        form = {"action": "resolve", "ids": [written]}
        response = await console.post("/tickets/bulk", **form)
        assert response.status_code == 422 and "digits 0-9 only" in response.text, (written, response.text)
        offset = spelling.format(0)
        response = await console.page("/reports/surveys", offset=offset)
        assert response.status_code == 422 and "digits 0-9 only" in response.text, offset
    assert console.rows("select status, assignee from ticket") == before
    form = {"action": "resolve", "ids": [str(ticket)]}
    assert (await console.post("/tickets/bulk", **form)).status_code in (200, 303)
    assert console.rows("select status from ticket") == [("resolved",)]


async def test_report_dates_out_of_range_are_400(console: Console) -> None:
    console.add_user("root", "admin")
    await console.sign_in("root")
    for params, detail in (
        ({"since": "0001-01-01"}, "since &#39;0001-01-01&#39; is out of range"),
        ({"until": "9999-12-31"}, "until &#39;9999-12-31&#39; is out of range"),
        ({"since": "1990-01-01", "until": "2020-01-01"}, "covers more than 731 days"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, "since 2026-03-01 is after until 2026-02-01"),
    ):
        response = await console.page("/reports", **params)
        assert response.status_code == 400, params
        assert detail in response.text
    assert (await console.page("/reports", since="2999-01-01")).status_code == 200  # until: today; empty


NASTY = [
    "%00", "%ED%A0%80", "%FF%FE", "%C3%28", "a" * 5000, "'; drop table ticket; --", "<script>x</script>",
    "\u202e\u0644\u0627", "😀" * 100, "%0D%0ALocation:%20https://evil", "../../etc/passwd", "-1", "9" * 40,
]  # fmt: skip
"""Form values as raw urlencoded text (so invalid UTF-8 and NUL go through as a hostile client sends)."""


async def test_every_console_form_survives_hostile_values(console: Console) -> None:
    console.add_user("amy")
    ticket = await console.escalated("ann")
    await console.sign_in("amy")
    headers = {"content-type": "application/x-www-form-urlencoded"}
    before = console.rows("select status, assignee from ticket")

    async def post(path: str, body: str) -> None:
        response = await console.http.post(f"/console{path}", content=body, headers=headers)
        assert response.status_code < 500, (path, body[:80], response.status_code)
        if response.status_code == 303:  # never off the console
            assert response.headers["location"].startswith("/console/"), response.headers["location"]

    for value in NASTY:
        await post(f"/tickets/{ticket}/note", f"csrf={console.token}&text={value}")
        await post(f"/tickets/{ticket}/assign", f"csrf={console.token}&assignee={value}")
        await post(f"/tickets/{ticket}/{value}", f"csrf={console.token}&text=hi")
        for path in (f"/reports?since={value}", f"/?team={value}", f"/lang/{value}?next={value}"):
            response = await console.http.get(f"/console{path}")
            assert response.status_code < 500, (path, response.status_code)
    assert console.rows("select status, assignee from ticket") == before  # no hostile assignee got in
    for value in NASTY:  # last: enough failures here slow further sign-ins down (429)
        await post("/login", f"csrf={console.token}&username={value}&password={value}&next={value}")


def multipart(fields: dict[str, str], charset: str) -> tuple[bytes, dict[str, str]]:
    """A multipart form body whose fields are read in ``charset`` (the sender names it)."""
    parts = "".join(
        f'--b0\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
    )
    return f"{parts}--b0--\r\n".encode(), {
        "content-type": f"multipart/form-data; boundary=b0; charset={charset}"
    }


# Each decodes to a lone surrogate: a 422 that echoed it was a 500 (UnicodeEncodeError), every field.
SURROGATES = {"unicode_escape": "a\\ud800b", "utf-7": "a+2AA-b", "raw_unicode_escape": "\\udfff"}


async def test_a_multipart_form_decoded_into_lone_surrogates_is_400_and_nothing_is_written(
    console: Console,
) -> None:
    console.add_user("amy")
    ticket = await console.escalated("ann")
    conversation = console.rows("select conversation_id from ticket")[0][0]
    await console.sign_in("amy")
    before = (
        console.rows("select action, detail from ticketevent order by id"),
        console.rows("select id from message"),
    )
    for charset, text in SURROGATES.items():
        for path, field in (
            (f"/tickets/{ticket}/note", "text"),
            (f"/tickets/{ticket}/reply", "text"),
            (f"/tickets/{ticket}/assign", "assignee"),
            (f"/conversations/{conversation}/reply", "text"),
            ("/filters", "name"),
            ("/tickets/bulk", "assignee"),
        ):
            body, headers = multipart({"csrf": console.token, field: text, "action": "assign"}, charset)
            response = await console.http.post(f"/console{path}", content=body, headers=headers)
            assert response.status_code == 400, (charset, path, response.status_code, response.text[:200])
            assert "lone UTF-16 surrogate" in response.text and "Nothing was changed" in response.text
    after = (
        console.rows("select action, detail from ticketevent order by id"),
        console.rows("select id from message"),
    )
    assert after == before
    assert (await console.page(f"/tickets/{ticket}")).status_code == 200
    body, headers = multipart({"csrf": console.token, "text": "a clean note"}, "utf-8")
    assert (
        await console.http.post(f"/console/tickets/{ticket}/note", content=body, headers=headers)
    ).status_code == 303


async def test_a_console_422_echoes_the_input_briefly(console: Console) -> None:
    """The app's own 422 (csatbot.edge.invalid_request), not FastAPI's: that one echoed any input whole
    and failed on what JSON cannot hold."""
    console.add_user("amy")
    ticket = await console.escalated("ann")
    await console.sign_in("amy")
    response = await console.post(f"/tickets/{ticket}/assign", assignee="x" * 50_000)
    assert response.status_code == 422
    assert len(response.content) < 2_000, len(response.content)
    assert response.json()["detail"][0]["loc"] == ["body", "assignee"]


async def test_a_text_of_only_invisible_characters_is_refused_as_the_api_refuses_it(console: Console) -> None:
    """``str.strip`` keeps zero-width spaces and the BOM: a reply of them went out as an empty-looking
    message (the support API said "text is only spaces" to the same text)."""
    console.add_user("amy")
    ticket = await console.escalated("ann")
    conversation = console.rows("select conversation_id from ticket")[0][0]
    await console.sign_in("amy")
    before = console.rows("select id from message"), console.rows("select id from ticketevent")
    for text in ("\u200b\u200b", "\ufeff", " \u2060 \u200d ", "\u3000\u200c"):
        for path in (
            f"/tickets/{ticket}/reply",
            f"/tickets/{ticket}/note",
            f"/conversations/{conversation}/reply",
            f"/conversations/{conversation}/escalate",
        ):
            assert (await console.post(path, text=text)).status_code == 303
            assert (
                "Write something first." in (await console.http.get(f"/console{path.rsplit('/', 1)[0]}")).text
            )
    assert (console.rows("select id from message"), console.rows("select id from ticketevent")) == before


async def test_an_escalation_reason_longer_than_the_apis_is_refused_as_the_api_refuses_it(
    console: Console,
) -> None:
    """The console took 4,096 characters where the API takes 500 (notices cut it)."""
    console.add_user("amy")
    await console.escalated("ann")
    conversation = console.rows("select conversation_id from ticket")[0][0]
    await console.sign_in("amy")
    before = console.rows("select id, reasons from ticket"), console.rows("select id from ticketevent")
    path = f"/conversations/{conversation}/escalate"
    assert (await console.post(path, text="x" * 501)).status_code == 303
    page = (await console.http.get(f"/console/conversations/{conversation}")).text
    assert "An escalation reason is at most 500 characters: shorten it. Nothing changed." in page
    assert (
        console.rows("select id, reasons from ticket"),
        console.rows("select id from ticketevent"),
    ) == before
    assert (await console.post(path, text="y" * 500)).status_code == 303
    assert len(console.rows("select id from ticketevent")) > len(before[1])


async def test_a_file_sent_for_a_text_field_is_422_naming_it_a_file(console: Console) -> None:
    """The 422 echoed the upload object's insides (its temporary file's settings, its part headers)."""
    console.add_user("amy")
    ticket = await console.escalated("ann")
    await console.sign_in("amy")
    before = console.rows("select action, detail from ticketevent order by id")
    for field, path in (("text", f"/tickets/{ticket}/note"), ("assignee", f"/tickets/{ticket}/assign")):
        files = {field: ("x.txt", b"hello", "text/plain")}
        response = await console.http.post(f"/console{path}", data={"csrf": console.token}, files=files)
        assert response.status_code == 422, response.text
        [error] = response.json()["detail"]
        assert (error["loc"], error["input"]) == (["body", field], "(a file of 5 bytes, not text)")
        assert "TemporaryFile" not in response.text
    assert console.rows("select action, detail from ticketevent order by id") == before


async def test_a_multipart_charset_whose_codec_fails_is_400_on_every_form(console: Console) -> None:
    """Starlette falls back to Latin-1 for a charset that fails with UnicodeDecodeError, not for one
    that raises a bare UnicodeError (punycode, undefined): signing out and deleting a saved filter,
    the forms with no fields of their own, were a 500 for anyone, before the CSRF check."""
    console.add_user("amy")
    ticket = await console.escalated("ann")
    await console.sign_in("amy")
    before = console.rows("select action, detail from ticketevent order by id")
    for charset in ("punycode", "undefined"):
        for path in (
            "/logout",
            "/filters/1/delete",
            f"/tickets/{ticket}/claim",
            f"/tickets/{ticket}/note",
            "/login",
        ):
            body, headers = multipart({"csrf": console.token, "text": "hi"}, charset)
            response = await console.http.post(f"/console{path}", content=body, headers=headers)
            assert 400 <= response.status_code < 500, (charset, path, response.status_code)
    assert (await console.page(f"/tickets/{ticket}")).status_code == 200  # still signed in
    assert console.rows("select action, detail from ticketevent order by id") == before

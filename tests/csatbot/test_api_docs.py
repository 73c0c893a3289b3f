"""/docs and /redoc are served from the package: every file they load is on this server."""

from __future__ import annotations

import re

import httpx
import pytest

LINKED = re.compile(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_docs_load_nothing_from_another_host(app_client: httpx.AsyncClient, page: str) -> None:
    response = await app_client.get(page)
    assert response.status_code == 200
    linked = LINKED.findall(response.text)
    assert "/openapi.json" in linked and any(link.startswith("/docs/assets/") for link in linked)
    assert [link for link in linked if not link.startswith("/")] == []  # no https://cdn... nor //host
    assert "fonts.googleapis" not in response.text
    for link in linked:
        assert (await app_client.get(link)).status_code == 200, link

"""Secret-valued config fields (``bot.config.secrets``): marked in the schema, never quoted by the loader."""

from __future__ import annotations

import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel, HttpUrl

from bot.config.loader import parse_config
from bot.config.schema import Config
from bot.config.secrets import URL_WITH_PASSWORD, WEBHOOK_URL, secret_valued
from bot.errors import ConfigError

from ...support.config import shipped_text

SHIPPED = shipped_text()
PASSWORD = "hunter2-NOT-REAL"
PUBLIC_URLS = {"public_url"}
"""URL fields whose value is no secret (where agents reach the console): the loader may quote them."""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source="site.yaml")
    return caught.value.problems


@pytest.mark.parametrize("channel", ["telegram", "wechat", "wecom", "whatsapp"])
def test_a_problem_with_a_marked_field_not_named_url_never_quotes_it(channel: str) -> None:
    """Before: only keys named ``url`` and ``webhook_url`` were hidden, so a channel's ``api_base``
    with a proxy's password in it was quoted ("got 'ftp://bot:hunter2...'") in the log of a
    failed reload and in ``csatbot config check``."""
    shown = f"  {channel}: {{enabled: false}}"
    assert SHIPPED.count(shown) == 1
    bad = f'  {channel}: {{enabled: false, api_base: "ftp://bot:{PASSWORD}@proxy.example"}}'
    [problem] = problems(SHIPPED.replace(shown, bad))
    assert problem.startswith(f"channels.{channel}.api_base: ")
    assert f"(the value is not shown: {URL_WITH_PASSWORD.why})" in problem
    assert PASSWORD not in problem and "proxy.example" not in problem


def test_a_field_left_unmarked_is_still_quoted() -> None:
    shown = "  telegram: {enabled: false}"
    [problem] = problems(SHIPPED.replace(shown, '  telegram: {enabled: false, path: ["/hook"]}'))
    assert "not shown" not in problem and "got" not in problem  # a list is never quoted either
    [problem] = problems(SHIPPED.replace(shown, "  telegram: {enabled: false, bot_username: 12}"))
    assert "got 12 at line" in problem and "not shown" not in problem


def _url_fields(model: type[BaseModel], seen: set[type[BaseModel]]) -> typing.Iterator[tuple[str, Any]]:
    """Every field of ``model`` and the models under it that holds a URL: (name, its field)."""
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        for kind in _kinds(field.annotation):
            if kind is HttpUrl:
                yield name, field
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                yield from _url_fields(kind, seen)


def _kinds(annotation: Any) -> typing.Iterator[Any]:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _kinds(args[0])
    elif origin is typing.Union or origin is types.UnionType or origin in (dict, list):
        for arg in args:
            yield from _kinds(arg)
    else:
        yield annotation


def test_every_url_field_of_the_schema_is_marked_unless_it_is_public() -> None:
    """A URL added to the schema later is hidden as soon as it is marked: this finds one left unmarked."""
    found = list(_url_fields(Config, set()))
    marks = {name: secret_valued(field) for name, field in found}
    assert {"url", "webhook_url", "api_base", "public_url"} <= set(marks)
    assert marks["url"] == marks["webhook_url"] == WEBHOOK_URL
    assert [name for name, field in found if secret_valued(field) is None and name not in PUBLIC_URLS] == []

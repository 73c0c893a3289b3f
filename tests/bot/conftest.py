"""Fixtures for the pure core: the shipped flows and small flows built from YAML text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.flow import Flow, build_flows
from bot.settings import Settings

CONFIGS = Path(__file__).resolve().parent / "configs"

FlowFactory = Callable[..., Flow]


@pytest.fixture(scope="session")
def flows(settings: Settings) -> dict[str, Flow]:
    """The shipped flows: csat, nps and ces."""
    return settings.flows


@pytest.fixture(scope="session")
def make_flow() -> FlowFactory:
    """A flow from the YAML of one survey (its id is ``s``); ``top`` adds top-level keys.

    ``locales: [en]`` is added unless ``top`` sets the locales.
    """

    def make(survey_yaml: str, top: str = "") -> Flow:
        top = textwrap.dedent(top)
        if "locales:" not in top:
            top = "locales: [en]\n" + top
        text = top + "\nsurveys:\n  s:\n" + textwrap.indent(textwrap.dedent(survey_yaml), "    ")
        return build_flows(parse_config(text))["s"]

    return make

"""The report API's parameters as the OpenAPI schema states them: what the handlers accept."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from csatbot.runtime import Runtime
from csatbot.web import create_app
from storage.report_scope import DIMENSIONS, METRICS, ReportFilterError, check_year


@pytest.fixture
def parameters(app_runtime: Runtime) -> dict[str, dict[str, Any]]:
    """The schema of each query parameter of ``GET /api/reports``."""
    operation = create_app(app_runtime, start_workers=False).openapi()["paths"]["/api/reports"]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"]}


def _covered(year: int) -> bool:
    try:
        check_year(date(year, 1, 1), "day")
    except ReportFilterError:
        return False
    return True


@pytest.mark.parametrize("year", [1, 93, 1969, 1970, 1999, 2026, 2999, 3000, 9999])
def test_the_schema_allows_the_years_reports_cover(parameters: dict[str, dict[str, Any]], year: int) -> None:
    day, since = parameters["day"], parameters["since"]
    assert (day["format"], since["format"]) == ("date", "date-time")
    allowed = [
        bool(re.search(day["pattern"], f"{year:04d}-01-31")),
        bool(re.search(since["pattern"], f"{year:04d}-01-31T12:00:00Z")),
    ]
    assert allowed == [_covered(year)] * 2


def test_the_schema_lists_the_dimensions_and_metrics(app_runtime: Runtime) -> None:
    paths = create_app(app_runtime, start_workers=False).openapi()["paths"]
    by = {p["name"]: p["schema"] for p in paths["/api/reports"]["get"]["parameters"]}["by"]
    assert by["items"]["enum"] == list(DIMENSIONS)
    for path in ("/api/reports/surveys", "/api/reports/export.csv"):
        metric = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}["metric"]
        assert metric["enum"] == list(METRICS), path


def test_automatic_answers_document_only_the_filters_they_take(app_runtime: Runtime) -> None:
    operation = create_app(app_runtime, start_workers=False).openapi()["paths"]["/api/reports/auto-answers"]
    assert [p["name"] for p in operation["get"]["parameters"]] == [
        "since",
        "until",
        "channel",
        "intent",
        "locale",
    ]

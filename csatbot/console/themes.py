"""The comment themes page: what customers write about, grouped with the triage model's encoder, with
each theme's count, DSAT share, trend and example comments linked to their conversations. The same
range and filters as the reports page (an agent sees the comments of their own surveys)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from csatbot.comment_themes import themes_report
from csatbot.console.render import page, runtime_of
from csatbot.console.reports import Scoped
from storage.report_scope import ReportFilterError

router = APIRouter()


@router.get("/reports/themes")
async def themes(request: Request, s: Scoped) -> Response:
    runtime = runtime_of(request)
    min_answers = max(runtime.settings().config.reports.min_answers, 1)
    try:
        found = await themes_report(runtime, s.since, s.until, s.filters, tz=s.tz, min_n=min_answers)
    except ReportFilterError as exc:
        raise HTTPException(400, str(exc)) from exc
    return page(request, "themes.html", s=s, found=found, min_answers=min_answers)

"""Report charts over time, drawn on the server as inline SVG by pygal (no script, nothing remote)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

import pygal
from markupsafe import Markup
from pygal.style import Style

from storage.reports import Scores

# pygal appends a legacy finder for its map plugins to sys.meta_path, and Python then warns
# (ImportWarning) on every later import that reaches it. The console draws no maps: take it out.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
STYLE = Style(
    background="transparent",
    plot_background="#ffffff",
    foreground="#1c2430",
    foreground_strong="#1c2430",
    foreground_subtle="#dde2e8",
    colors=("#2563eb", "#16a34a", "#dc2626", "#f59e0b"),
    font_family="system-ui, sans-serif",
    label_font_size=11,
    legend_font_size=12,
    title_font_size=14,
)


def _percent(value: float | None, scale: float = 1.0) -> float | None:
    return None if value is None else round(value * scale, 1)


def _chart(title: str, days: list[str], series: Mapping[str, list[float | None]], **options: Any) -> Markup:
    chart = pygal.Line(
        style=STYLE,
        js=[],  # pygal's default tooltip script lives on a CDN
        disable_xml_declaration=True,
        width=560,
        height=260,
        explicit_size=True,
        title=title,
        x_label_rotation=30,
        show_minor_x_labels=len(days) <= 14,
        x_labels_major_count=8,
        legend_at_bottom=True,
        allow_interruptions=True,
        print_values=False,
        **options,
    )
    chart.x_labels = days
    for name, values in series.items():
        chart.add(name, values)
    svg: str = chart.render(is_unicode=True)
    # pygal always embeds its config for its tooltip script, which is not loaded: drop the dead script.
    svg = _SCRIPT.sub("", svg)
    return Markup(svg)


def trend_charts(by_day: Mapping[str, Scores], t: Callable[..., str]) -> list[Markup]:
    """CSAT %, response rate and DSAT rate per day; NPS per day; CES per day (a chart with no value
    at all is left out)."""
    days = sorted(by_day)
    scores = [by_day[day] for day in days]
    charts: list[tuple[str, dict[str, list[float | None]], tuple[int, int]]] = [
        (
            t("reports.chart_rates"),
            {
                t("fig.csat"): [_percent(s.csat_percent) for s in scores],
                t("fig.response_rate"): [_percent(s.response_rate, 100) for s in scores],
                t("fig.dsat_rate"): [_percent(s.dsat_rate, 100) for s in scores],
            },
            (0, 100),
        ),
        (t("fig.nps"), {t("fig.nps"): [_percent(s.nps) for s in scores]}, (-100, 100)),
        (t("fig.ces"), {t("fig.ces"): [_percent(s.ces_mean) for s in scores]}, (1, 7)),
    ]
    return [
        _chart(title, days, series, range=span)
        for title, series, span in charts
        if any(v is not None for values in series.values() for v in values)
    ]

"""Plotly figures in the chosen language: separators, axis formats and hover text by unit."""

from __future__ import annotations

import plotly.graph_objects as go

from metrics import format as fmt
from metrics.engine import Result
from metrics.model import KPIS

COLORS = {"bar": "#2f6db5", "line": "#d9822b", "bar2": "#7fa7d6", "mark": "#b3261e"}


def localise(fig: go.Figure, lang: str, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(
        separators=fmt.separators(lang),
        title=title,
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig


def monthly_combo(
    months: dict[str, dict[str, Result]],
    bar_id: str,
    line_id: str | None,
    lang: str,
    title: str,
    bar2_id: str | None = None,
) -> go.Figure:
    """Bars of a count per month, optionally a second bar series and a rate line."""
    keys = list(months)
    labels = [fmt.month(k, lang) for k in keys]
    fig = go.Figure()
    for kid, color in ((bar_id, COLORS["bar"]), (bar2_id, COLORS["bar2"])):
        if not kid:
            continue
        kpi = KPIS[kid]
        fig.add_bar(
            x=labels,
            y=[months[k][kid].value for k in keys],
            name=kpi.label(lang),
            marker_color=color,
            hovertemplate=f"%{{x}}<br>{kpi.label(lang)}: %{{y:{fmt.hover_format(kpi.unit)}}}"
            "<extra></extra>",
        )
    if line_id:
        kpi = KPIS[line_id]
        fig.add_scatter(
            x=labels,
            y=[months[k][line_id].value for k in keys],
            name=kpi.label(lang),
            yaxis="y2",
            mode="lines+markers",
            line={"color": COLORS["line"], "width": 3},
            hovertemplate=f"%{{x}}<br>{kpi.label(lang)}: %{{y:{fmt.hover_format(kpi.unit)}}}"
            "<extra></extra>",
        )
        fig.update_layout(
            yaxis2={
                "overlaying": "y",
                "side": "right",
                "tickformat": fmt.axis_format(kpi.unit),
                "rangemode": "tozero",
                "title": kpi.label(lang),
                "showgrid": False,
            }
        )
    bar = KPIS[bar_id]
    fig.update_layout(
        xaxis={"title": "Tháng" if lang == "vi" else "Month", "type": "category"},
        yaxis={"title": bar.label(lang), "tickformat": fmt.axis_format(bar.unit)},
        barmode="group",
    )
    return localise(fig, lang, title)


def ranked_by_commune(
    by_commune: dict[str, dict[str, Result]],
    kpi_id: str,
    names: dict[str, str],
    overall: Result | None,
    lang: str,
    title: str,
    overall_label: str,
) -> go.Figure:
    """Horizontal bars of one KPI per commune, best first, with the overall value marked."""
    kpi = KPIS[kpi_id]
    rows = [(c, r[kpi_id]) for c, r in by_commune.items() if kpi_id in r]
    rows = [(c, r) for c, r in rows if r.value is not None]
    rows.sort(key=lambda cr: cr[1].value, reverse=not kpi.higher_is_better)
    codes = [c for c, _ in rows]
    texts = [fmt.value(r.value, kpi.unit, lang) for _, r in rows]
    details = [
        f"{fmt.number(r.numerator, lang)} / {fmt.number(r.denominator, lang)}"
        if r.denominator is not None
        else ""
        for _, r in rows
    ]
    fig = go.Figure(
        go.Bar(
            x=[r.value for _, r in rows],
            y=[names.get(c, c) for c in codes],
            customdata=[[c, d] for c, d in zip(codes, details, strict=True)],
            orientation="h",
            marker_color=COLORS["bar"],
            text=texts,
            textposition="auto",
            hovertemplate="%{y}<br>"
            + kpi.label(lang)
            + f": %{{x:{fmt.hover_format(kpi.unit)}}} %{{customdata[1]}}<extra></extra>",
        )
    )
    if overall is not None and overall.value is not None:
        fig.add_vline(
            x=overall.value,
            line={"color": COLORS["mark"], "dash": "dash", "width": 2},
            annotation_text=f"{overall_label}: {fmt.value(overall.value, kpi.unit, lang)}",
            annotation_position="top",
        )
    fig.update_layout(
        xaxis={"title": kpi.label(lang), "tickformat": fmt.axis_format(kpi.unit)},
        yaxis={"autorange": "reversed", "title": None},
    )
    return localise(fig, lang, title, height=max(320, 28 * len(rows) + 110))

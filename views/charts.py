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
                **({"range": [0, 1.05], "dtick": 0.2} if kpi.unit == "rate" else {}),
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
    # Worst first: the communes a leader should look at top the chart.
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
        yaxis={
            "title": None,
            "categoryorder": "array",
            "categoryarray": [names.get(c, c) for c in reversed(codes)],
        },
    )
    return localise(fig, lang, title, height=max(320, 28 * len(rows) + 110))


def _number_format(unit: str, hover: bool) -> str:
    """d3 format of a value: by KPI unit, or one decimal for a plain `number` (averages)."""
    if unit == "number":
        return ",.1f"
    return fmt.hover_format(unit) if hover else fmt.axis_format(unit)


def _hover(name: str, unit: str, axis: str) -> str:
    value = "x" if axis == "y" else "y"
    return f"%{{{axis}}}<br>{name}: %{{{value}:{_number_format(unit, True)}}}"


def bars(
    categories: list[str],
    series: list[dict],
    lang: str,
    title: str,
    value_title: str,
    category_title: str | None = None,
    unit: str = "count",
    horizontal: bool = False,
    barmode: str = "group",
    customdata: list | None = None,
    height: int | None = None,
) -> go.Figure:
    """Bars of one or more series over categories, with a hover that names the category,
    the series and the value in its unit.

    Each series is a dict with `name`, `values` and optionally `color`, `text` (labels drawn
    on the bars) and `hover` (one extra line per point, e.g. "12 / 40"). `customdata[i]`
    is attached to the i-th category of every series, so a click can tell which it was.
    """
    fig = go.Figure()
    palette = [COLORS["bar"], COLORS["bar2"], COLORS["line"], COLORS["mark"], "#5b8c5a", "#8e6c8a"]
    axis = "y" if horizontal else "x"
    for i, s in enumerate(series):
        extra = s.get("hover")
        template = _hover(s["name"], unit, axis)
        if extra is not None:
            template += " %{customdata[1]}"
        data = [
            [customdata[j] if customdata else None, extra[j] if extra is not None else ""]
            for j in range(len(categories))
        ]
        values = s["values"]
        fig.add_bar(
            x=values if horizontal else categories,
            y=categories if horizontal else values,
            name=s["name"],
            orientation="h" if horizontal else "v",
            marker_color=s.get("color") or palette[i % len(palette)],
            text=s.get("text"),
            textposition="auto" if s.get("text") is not None else None,
            customdata=data,
            hovertemplate=template + "<extra></extra>",
        )
    value_axis = {
        "title": value_title,
        "tickformat": _number_format(unit, False),
        "rangemode": "tozero",
    }
    if unit == "rate" and barmode in ("stack", "relative"):
        value_axis["range"] = [0, 1]
    if unit == "count":
        top = max((v for s in series for v in s["values"] if v is not None), default=0)
        if top <= 10:
            value_axis["dtick"] = 1  # whole counts only: no repeated "1, 1, 2" ticks
    category_axis = {"title": category_title, "type": "category"}
    if horizontal:
        category_axis["autorange"] = "reversed"
        fig.update_layout(xaxis=value_axis, yaxis=category_axis)
    else:
        fig.update_layout(xaxis=category_axis, yaxis=value_axis)
    fig.update_layout(barmode=barmode, showlegend=len(series) > 1)
    if height is None:
        height = max(320, 26 * len(categories) + 140) if horizontal else 360
    return localise(fig, lang, title, height=height)


def heatmap(
    z: list[list[float | None]],
    x_labels: list[str],
    y_labels: list[str],
    text: list[list[str]],
    hover: list[list[str]],
    lang: str,
    title: str,
    x_title: str,
    y_title: str | None = None,
    customdata: list[list] | None = None,
) -> go.Figure:
    """A grid of cells coloured from red (0) to green (1), each with a short text and its
    own hover line: built for the legal-cadence grids (share of the minimum met)."""
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x_labels,
            y=y_labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=customdata,
            colorscale=[[0.0, "#f4c7c3"], [0.5, "#fbe3a6"], [1.0, "#b7dfb9"]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(
        xaxis={"title": x_title, "type": "category"},
        yaxis={"title": y_title, "type": "category", "autorange": "reversed"},
    )
    height = 26 * len(y_labels) + 150 if len(y_labels) > 2 else 40 * len(y_labels) + 150
    return localise(fig, lang, title, height=height)


def funnel(
    stages: list[str], series: list[dict], lang: str, title: str, value_title: str
) -> go.Figure:
    """A funnel of counts by stage, one stacked series per group (e.g. petition kind)."""
    fig = go.Figure()
    palette = [COLORS["bar"], COLORS["line"], COLORS["bar2"], "#5b8c5a"]
    for i, s in enumerate(series):
        fig.add_trace(
            go.Funnel(
                y=stages,
                x=s["values"],
                name=s["name"],
                marker_color=s.get("color") or palette[i % len(palette)],
                textinfo="value",
                hovertemplate=f"%{{y}}<br>{s['name']}: %{{x:,d}} {value_title}<extra></extra>",
            )
        )
    fig.update_layout(yaxis={"title": None}, showlegend=len(series) > 1)
    return localise(fig, lang, title, height=max(320, 60 * len(stages) + 80))

"""Plotly figures in the chosen language: separators, axis formats and hover text by unit.

Every number format comes from `metrics.format.unit_format`. Text that comes from data
(commune, agency and procedure names) is escaped before it reaches a label, a legend or a
hover: Plotly reads a subset of HTML there. The summary charts are shown without Plotly's
toolbar (`PLOTLY_CONFIG`), and legends sit below the plot, so neither covers the other on
a phone.
"""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go

from metrics import format as fmt
from metrics.engine import Result
from metrics.model import KPIS

COLORS = {"bar": "#2f6db5", "line": "#d9822b", "bar2": "#7fa7d6", "mark": "#b3261e"}

# For `st.plotly_chart(..., config=PLOTLY_CONFIG)`: these charts are read, not explored, and
# the toolbar would sit over the legend and the first bars on a small screen.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False}

# Deadline buckets (metrics.details.ageing_buckets): overdue in red shades, darker the
# longer; due soon amber; within time green; no legal deadline grey.
BUCKET_COLORS = {"within": "#5b8c5a", "due_soon": "#e0a100", "no_deadline": "#9e9e9e"}
OVERDUE_SHADES = ("#ef9a9a", "#e57373", "#d32f2f", "#8e1b16")
UNKNOWN_BUCKET = "#9e9e9e"

# Patterns tell the series of a bucket-coloured chart apart (e.g. petition kinds).
PATTERNS = ("", "/", ".", "x", "-", "+")

# A count axis whose values stay at or below this gets one tick per whole number.
SMALL_COUNT = 10
# Room beyond the longest bar for a value label drawn outside it.
LABEL_ROOM = 1.15
# A rate axis is zoomed (with a note) when every value is at least this high.
RATE_ZOOM_FROM = 0.5

TEXT: dict[str, tuple[str, str]] = {
    "month": ("Tháng", "Month"),
    "unit_count": ("Số lượng", "Number"),
    "unit_rate": ("Tỷ lệ", "Rate"),
    "unit_days": ("Số ngày", "Days"),
    "unit_number": ("Giá trị", "Value"),
    "axis_from": ("Trục giá trị bắt đầu từ {v}", "The value axis starts at {v}"),
}


def _tr(key: str, lang: str, **kwargs: object) -> str:
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


def esc(text: object) -> str:
    """Data text made safe for a Plotly label: `<`, `>` and `&` are escaped, so a commune
    named `<b>X</b>` reads as written. A `<br>` the page put between lines is kept."""
    if text is None:
        return ""
    return "<br>".join(html.escape(part, quote=False) for part in str(text).split("<br>"))


def bucket_colors(keys: list[str]) -> list[str]:
    """One colour per ageing bucket key, in the order given; overdue buckets (`late_…`)
    take the red shades from lightest to darkest in their order."""
    late = [k for k in keys if k.startswith("late_")]
    out = []
    for k in keys:
        if k in BUCKET_COLORS:
            out.append(BUCKET_COLORS[k])
        elif k in late:
            out.append(OVERDUE_SHADES[min(late.index(k), len(OVERDUE_SHADES) - 1)])
        else:
            out.append(UNKNOWN_BUCKET)
    return out


def count_axis(top: float | None, lang: str) -> dict:
    """A count axis: whole-number ticks only. Small values get one tick per unit and a
    range of at least 0–1, so an axis of 0–2 never reads "0 1 1 2 2"."""
    unit = fmt.unit_format("count", lang)
    axis: dict = {"tickformat": unit.tickformat, "rangemode": "tozero"}
    top = top or 0
    if top <= SMALL_COUNT:
        axis.update(tick0=0, dtick=1, range=[0, max(top, 1) * LABEL_ROOM])
    return axis


def rate_range(values: list[float | None]) -> tuple[float, float] | None:
    """A zoomed [low, high] for rates that all sit high (e.g. 92–99%): low is a whole ten
    percent at least one point below the smallest value, high keeps 100% in view with room
    for the labels. None when the values are spread enough for a 0–100% axis."""
    shown = [v for v in values if v is not None]
    if not shown or min(shown) < RATE_ZOOM_FROM:
        return None
    low = math.floor((round(min(shown) * 100, 6) - 1) / 10) / 10
    high = max(1.0, max(shown)) + (1.0 - low) * (LABEL_ROOM - 1)
    return low, high


def rate_axis(values: list[float | None], lang: str, stacked: bool = False) -> dict:
    """A rate axis as percent; zoomed to the data when every value is high. The caller
    adds `zoom_note` so the reader knows the bars do not start at 0%."""
    unit = fmt.unit_format("rate", lang)
    axis: dict = {"tickformat": unit.tickformat, "rangemode": "tozero"}
    if stacked:
        axis["range"] = [0, 1]
        return axis
    zoom = rate_range(values)
    if zoom is not None:
        axis.update(range=list(zoom), dtick=0.02 if zoom[0] >= 0.9 else 0.1)
    return axis


ANNOTATION_LINE = 18  # px: one line of labels above a plot


def zoom_note(fig: go.Figure, axis: dict, lang: str) -> None:
    """A visible line above the plot when a rate axis does not start at 0%; above the
    labels already there (the overall value's), so that on a phone they do not overlap."""
    low = (axis.get("range") or [0])[0]
    if low > 0:
        fig.add_annotation(
            yshift=ANNOTATION_LINE * len(fig.layout.annotations),
            text=_tr("axis_from", lang, v=fmt.percent(low, lang, decimals=0)),
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font={"size": 11, "color": "#6b6b6b"},
        )


def bar_base(axis: dict) -> float | None:
    """Where the bars of a value axis start: its low end when it is zoomed, else None (0).

    A bar drawn from 0 on an axis that starts at, say, 40% reaches far beyond the plot: its
    hidden part lies over the tick labels, so the middle of the bar is not on the plot and a
    click there selects nothing. Drawn from the axis's low end, every bar lies within the
    plot; the value itself is carried in customdata for the hover."""
    low = (axis.get("range") or [0])[0]
    return low if low > 0 else None


def _from_base(values: list[float | None], base: float | None) -> list[float | None]:
    """Bar lengths measured from `base` (the values themselves when there is none)."""
    if base is None:
        return values
    return [None if v is None else v - base for v in values]


def value_axis(unit: str, values: list[float | None], lang: str, stacked: bool = False) -> dict:
    """The value axis of a unit: whole ticks for counts, percent (zoomed when high) for
    rates, one decimal for days and averages."""
    if unit == "count":
        return count_axis(max((v for v in values if v is not None), default=0), lang)
    if unit == "rate":
        return rate_axis(values, lang, stacked)
    return {"tickformat": fmt.unit_format(unit, lang).tickformat, "rangemode": "tozero"}


def localise(fig: go.Figure, lang: str, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(
        separators=fmt.separators(lang),
        title=title,
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        # Below the plot, at the foot of the figure: the bottom margin grows to hold it, so
        # it covers neither the bars nor the axis title.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
        },
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
    """Bars of a count per month, optionally a second bar series and a rate line. Each
    measure is a legend entry; with two bar measures the left axis names their unit, not
    one of them."""
    keys = list(months)
    labels = [fmt.month(k, lang) for k in keys]
    fig = go.Figure()
    tops: list[float | None] = []
    for kid, color in ((bar_id, COLORS["bar"]), (bar2_id, COLORS["bar2"])):
        if not kid:
            continue
        kpi = KPIS[kid]
        values = [months[k][kid].value for k in keys]
        tops += values
        fig.add_bar(
            x=labels,
            y=values,
            name=esc(kpi.label(lang)),
            marker_color=color,
            hovertemplate="%{x}<br>%{fullData.name}: "
            f"%{{y:{fmt.unit_format(kpi.unit, lang).hoverformat}}}<extra></extra>",
        )
    if line_id:
        kpi = KPIS[line_id]
        unit = fmt.unit_format(kpi.unit, lang)
        fig.add_scatter(
            x=labels,
            y=[months[k][line_id].value for k in keys],
            name=esc(kpi.label(lang)),
            yaxis="y2",
            mode="lines+markers",
            line={"color": COLORS["line"], "width": 3},
            hovertemplate=f"%{{x}}<br>%{{fullData.name}}: %{{y:{unit.hoverformat}}}<extra></extra>",
        )
        fig.update_layout(
            yaxis2={
                "overlaying": "y",
                "side": "right",
                "tickformat": unit.tickformat,
                "rangemode": "tozero",
                **({"range": [0, 1.05], "dtick": 0.2} if kpi.unit == "rate" else {}),
                "title": esc(kpi.label(lang)),
                "showgrid": False,
            }
        )
    bar = KPIS[bar_id]
    axis = value_axis(bar.unit, tops, lang)
    axis["title"] = _tr(f"unit_{bar.unit}", lang) if bar2_id else esc(bar.label(lang))
    fig.update_layout(
        xaxis={"title": _tr("month", lang), "type": "category"},
        yaxis=axis,
        barmode="group",
        showlegend=True,
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
    """Horizontal bars of one KPI per commune, worst first, with the overall value marked.
    Value labels sit outside the bars, clear of the overall line."""
    kpi = KPIS[kpi_id]
    unit = fmt.unit_format(kpi.unit, lang)
    rows = [(c, r[kpi_id]) for c, r in by_commune.items() if kpi_id in r]
    rows = [(c, r) for c, r in rows if r.value is not None]
    # Worst first: the communes a leader should look at top the chart.
    rows.sort(key=lambda cr: cr[1].value, reverse=not kpi.higher_is_better)
    codes = [c for c, _ in rows]
    labels = [esc(names.get(c, c)) for c in codes]
    values = [r.value for _, r in rows]
    details = [
        f"{fmt.number(r.numerator, lang)} / {fmt.number(r.denominator, lang)}"
        if r.denominator is not None
        else ""
        for _, r in rows
    ]
    marked = overall.value if overall is not None else None
    axis = value_axis(kpi.unit, [*values, marked], lang)
    if kpi.unit != "rate" and "range" not in axis:
        top = max([v for v in [*values, marked] if v is not None], default=0)
        axis["range"] = [0, (top or 1) * LABEL_ROOM]
    axis["title"] = esc(kpi.label(lang))
    base = bar_base(axis)
    fig = go.Figure(
        go.Bar(
            x=_from_base(values, base),
            base=base,
            y=labels,
            # [commune code (read by a click), numerator / denominator, value]
            customdata=[[c, d, v] for c, d, v in zip(codes, details, values, strict=True)],
            orientation="h",
            marker_color=COLORS["bar"],
            text=[unit.text(v) for v in values],
            textposition="outside",
            cliponaxis=False,
            name=esc(kpi.label(lang)),
            hovertemplate="%{y}<br>"
            + esc(kpi.label(lang))
            + f": %{{customdata[2]:{unit.hoverformat}}} %{{customdata[1]}}<extra></extra>",
        )
    )
    if marked is not None:
        # The label runs from the line towards the middle of the plot, so a line near an
        # edge does not push it out of a phone-wide figure.
        low, high = axis.get("range") or [0, max((v for v in [*values, marked] if v), default=1)]
        fig.add_vline(
            x=marked,
            line={"color": COLORS["mark"], "dash": "dash", "width": 2},
            annotation_text=f"{esc(overall_label)}: {unit.text(marked)}",
            annotation_position="top",
            annotation={"xanchor": "right" if marked > (low + high) / 2 else "left"},
        )
    fig.update_layout(
        xaxis=axis,
        yaxis={
            "title": None,
            "categoryorder": "array",
            "categoryarray": list(reversed(labels)),
        },
        showlegend=False,
    )
    if kpi.unit == "rate":
        zoom_note(fig, axis, lang)
    return localise(fig, lang, title, height=max(320, 28 * len(rows) + 110))


def _hover(unit: str, axis: str, lang: str) -> str:
    """The category, the series and the value (customdata[2], so a bar drawn from a zoomed
    axis's low end still shows its own value)."""
    return (
        f"%{{{axis}}}<br>%{{fullData.name}}: "
        f"%{{customdata[2]:{fmt.unit_format(unit, lang).hoverformat}}}"
    )


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
    buckets: list[str] | None = None,
) -> go.Figure:
    """Bars of one or more series over categories, with a hover that names the category,
    the series and the value in its unit.

    Each series is a dict with `name`, `values` and optionally `color`, `text` (labels drawn
    on the bars) and `hover` (one extra line per point, e.g. "12 / 40"). `customdata[i]`
    is attached to the i-th category of every series, so a click can tell which it was.
    `buckets` (deadline bucket keys, one per category) colours each bar by its bucket
    (overdue red, due soon amber, within green, no deadline grey); several series are then
    told apart by pattern.
    """
    fig = go.Figure()
    palette = [COLORS["bar"], COLORS["bar2"], COLORS["line"], COLORS["mark"], "#5b8c5a", "#8e6c8a"]
    axis = "y" if horizontal else "x"
    stacked = barmode in ("stack", "relative")
    shown = [esc(c) for c in categories]
    by_bucket = bucket_colors(buckets) if buckets is not None else None
    if stacked:
        totals = [sum(s["values"][j] or 0 for s in series) for j in range(len(categories))]
    else:
        totals = [v for s in series for v in s["values"]]
    value_ax = value_axis(unit, totals, lang, stacked)
    if unit != "rate" and "range" not in value_ax and any(s.get("text") for s in series):
        value_ax["range"] = [0, max([v for v in totals if v is not None] or [1]) * LABEL_ROOM]
    value_ax["title"] = value_title
    base = None if stacked else bar_base(value_ax)
    for i, s in enumerate(series):
        extra = s.get("hover")
        template = _hover(unit, axis, lang)
        if extra is not None:
            template += " %{customdata[1]}"
        values = s["values"]
        # [the category's customdata (read by a click), extra hover line, value]
        data = [
            [
                customdata[j] if customdata else None,
                esc(extra[j]) if extra is not None else "",
                values[j],
            ]
            for j in range(len(categories))
        ]
        lengths = _from_base(values, base)
        text = s.get("text")
        marker: dict = {"color": s.get("color") or palette[i % len(palette)]}
        if by_bucket is not None:
            marker = {"color": by_bucket}
            if len(series) > 1:
                marker["pattern"] = {"shape": PATTERNS[i % len(PATTERNS)]}
        fig.add_bar(
            x=lengths if horizontal else shown,
            y=shown if horizontal else lengths,
            base=base,
            name=esc(s["name"]),
            orientation="h" if horizontal else "v",
            marker=marker,
            text=[esc(x) for x in text] if text is not None else None,
            # Outside the bar end, clear of any line drawn across the bars; inside a stack.
            textposition=None if text is None else ("inside" if stacked else "outside"),
            cliponaxis=False,
            customdata=data,
            hovertemplate=template + "<extra></extra>",
        )
    category_axis = {"title": category_title, "type": "category"}
    if horizontal:
        category_axis["autorange"] = "reversed"
        fig.update_layout(xaxis=value_ax, yaxis=category_axis)
    else:
        fig.update_layout(xaxis=category_axis, yaxis=value_ax)
    fig.update_layout(barmode=barmode, showlegend=len(series) > 1)
    if unit == "rate":
        zoom_note(fig, value_ax, lang)
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
    y_shown = [esc(y) for y in y_labels]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(x) for x in x_labels],
            y=y_shown,
            text=[[esc(c) for c in row] for row in text],
            texttemplate="%{text}",
            textfont={"size": 11},
            hovertext=[[esc(c) for c in row] for row in hover],
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
    count = fmt.unit_format("count", lang).hoverformat
    for i, s in enumerate(series):
        fig.add_trace(
            go.Funnel(
                y=[esc(x) for x in stages],
                x=s["values"],
                name=esc(s["name"]),
                marker_color=s.get("color") or palette[i % len(palette)],
                textinfo="value",
                hovertemplate=f"%{{y}}<br>%{{fullData.name}}: %{{x:{count}}} "
                f"{esc(value_title)}<extra></extra>",
            )
        )
    fig.update_layout(yaxis={"title": None}, showlegend=len(series) > 1)
    return localise(fig, lang, title, height=max(320, 60 * len(stages) + 80))

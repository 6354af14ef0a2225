"""The figures views/charts.py builds: whole-number count ticks, rate zoom with 100% in view,
deadline buckets by colour, escaped data text, no toolbar, legends below, labels outside."""

from __future__ import annotations

import pytest

from metrics.details import ageing_buckets
from metrics.engine import Result
from views import charts


def rate(v: float) -> Result:
    return Result(value=v, numerator=None, denominator=None, unit="rate")


def test_small_count_series_gets_one_tick_per_whole_number() -> None:
    """Values 0–2: ticks at 0, 1, 2 (no "0 1 1 2 2"), whole-number format, 15% label room."""
    fig = charts.bars(["A", "B", "C"], [{"name": "n", "values": [0, 1, 2]}], "vi", "T", "Số")
    axis = fig.layout.yaxis
    assert (axis.dtick, axis.tick0, axis.tickformat) == (1, 0, ",d")
    assert tuple(axis.range) == pytest.approx((0, 2.3))


def test_all_zero_counts_still_span_zero_to_one() -> None:
    fig = charts.bars(["A"], [{"name": "n", "values": [0]}], "vi", "T", "Số")
    assert tuple(fig.layout.yaxis.range) == pytest.approx((0, 1.15))


def test_stacked_small_counts_range_over_the_stack_total() -> None:
    series = [{"name": "a", "values": [1, 2]}, {"name": "b", "values": [3, 0]}]
    fig = charts.bars(["A", "B"], series, "vi", "T", "Số", barmode="stack")
    assert tuple(fig.layout.yaxis.range) == pytest.approx((0, 4.6))  # 1 + 3 = 4, × 1.15


def test_large_counts_keep_the_automatic_ticks_but_whole_numbers() -> None:
    fig = charts.bars(["A"], [{"name": "n", "values": [40]}], "vi", "T", "Số")
    assert fig.layout.yaxis.dtick is None
    assert fig.layout.yaxis.tickformat == ",d"


def test_monthly_count_axis_has_whole_ticks_and_two_measures_name_the_unit() -> None:
    """Two count measures share the left axis: its title is the unit, each measure has its
    own legend entry."""
    count = Result(value=2, numerator=None, denominator=None, unit="count")
    months = {"2019-01": {"dialogues": count, "reception_days": count}}
    fig = charts.monthly_combo(months, "dialogues", None, "vi", "T", bar2_id="reception_days")
    assert fig.layout.yaxis.title.text == "Số lượng"
    assert fig.layout.yaxis.dtick == 1
    assert fig.layout.showlegend is True
    assert [d.name for d in fig.data] == [
        charts.KPIS["dialogues"].label("vi"),
        charts.KPIS["reception_days"].label("vi"),
    ]


def test_rates_of_92_to_99_percent_zoom_from_90_with_100_in_view_and_a_note() -> None:
    by_commune = {
        "01": {"dossiers_on_time_rate": rate(0.92)},
        "02": {"dossiers_on_time_rate": rate(0.99)},
    }
    fig = charts.ranked_by_commune(
        by_commune, "dossiers_on_time_rate", {"01": "A", "02": "B"}, rate(0.95), "vi", "T", "Huyện"
    )
    low, high = fig.layout.xaxis.range
    assert low == pytest.approx(0.9)
    assert high == pytest.approx(1.015)  # 100% plus 15% of the 10-point span for labels
    assert fig.layout.xaxis.dtick == pytest.approx(0.02)
    assert "Trục giá trị bắt đầu từ 90%" in [a.text for a in fig.layout.annotations]
    # The overall value's label and the zoom note take a line each above the plot: on a
    # phone both sit at its top edge and overlapped.
    shifts = {a.text: a.yshift or 0 for a in fig.layout.annotations}
    assert shifts == {"Huyện: 95,00%": 0, "Trục giá trị bắt đầu từ 90%": 18}
    # 95% lies left of the axis's middle (95,75%): its label runs to the right of the line;
    # at 98% it runs to the left, inside the plot.
    assert _overall_label(fig).xanchor == "left"
    fig = charts.ranked_by_commune(
        by_commune, "dossiers_on_time_rate", {"01": "A", "02": "B"}, rate(0.98), "vi", "T", "Huyện"
    )
    assert _overall_label(fig).xanchor == "right"


def _overall_label(fig):
    return next(a for a in fig.layout.annotations if a.text.startswith("Huyện"))


def test_zoomed_bars_start_at_the_axis_low_end_and_keep_their_value_for_hover() -> None:
    """A bar drawn from 0 on an axis from 40% would reach beyond the plot, its middle over
    the tick labels where a click selects nothing: it starts at the axis's low end."""
    by_commune = {
        "01": {"petitions_resolution_rate": rate(0.5)},
        "02": {"petitions_resolution_rate": rate(1.0)},
    }
    fig = charts.ranked_by_commune(
        by_commune, "petitions_resolution_rate", {"01": "A", "02": "B"}, rate(0.9), "vi", "T", "H"
    )
    bar = fig.data[0]
    low = fig.layout.xaxis.range[0]
    assert low == pytest.approx(0.4)
    assert bar.base == pytest.approx(low)
    assert [low + x for x in bar.x] == pytest.approx([0.5, 1.0])
    assert [d[0] for d in bar.customdata] == ["01", "02"]  # a click still carries the code
    assert [d[2] for d in bar.customdata] == pytest.approx([0.5, 1.0])
    assert "%{customdata[2]:" in bar.hovertemplate
    assert list(bar.text) == ["50,00%", "100,00%"]

    zoomed = charts.bars(
        ["A", "B"],
        [{"name": "r", "values": [0.92, 0.99]}],
        "vi",
        "T",
        "%",
        unit="rate",
        horizontal=True,
        customdata=["01", "02"],
    )
    bar = zoomed.data[0]
    assert bar.base == pytest.approx(0.9)
    assert list(bar.x) == pytest.approx([0.02, 0.09])
    assert [d[0] for d in bar.customdata] == ["01", "02"]
    assert [d[2] for d in bar.customdata] == pytest.approx([0.92, 0.99])


def test_unzoomed_bars_start_at_zero() -> None:
    fig = charts.bars(
        ["A", "B"], [{"name": "r", "values": [0.3, 0.8]}], "vi", "T", "%", unit="rate"
    )
    assert fig.data[0].base is None
    assert list(fig.data[0].y) == [0.3, 0.8]
    stacked = charts.bars(
        ["A"],
        [{"name": "a", "values": [0.95]}, {"name": "b", "values": [0.05]}],
        "vi",
        "T",
        "%",
        unit="rate",
        barmode="stack",
    )
    assert all(d.base is None for d in stacked.data)


def test_rate_range_rules() -> None:
    assert charts.rate_range([0.92, 0.99]) == pytest.approx((0.9, 1.015))
    assert charts.rate_range([0.90]) == pytest.approx((0.8, 1.03))  # at least a point of bar
    assert charts.rate_range([0.3, 0.99]) is None
    assert charts.rate_range([None]) is None


def test_spread_rates_keep_a_zero_based_axis_without_a_note() -> None:
    fig = charts.bars(
        ["A", "B"], [{"name": "r", "values": [0.3, 0.8]}], "vi", "T", "%", unit="rate"
    )
    assert fig.layout.yaxis.range is None
    assert fig.layout.yaxis.tickformat == ".0%"
    assert not fig.layout.annotations


def test_commune_names_are_escaped_in_labels_and_hover() -> None:
    by_commune = {"01": {"dossiers_on_time_rate": rate(0.5)}}
    fig = charts.ranked_by_commune(
        by_commune, "dossiers_on_time_rate", {"01": "<b>X</b>"}, None, "vi", "T", "Huyện"
    )
    bar = fig.data[0]
    assert list(bar.y) == ["&lt;b&gt;X&lt;/b&gt;"]
    assert bar.hovertemplate.startswith("%{y}<br>")  # the escaped name, not raw markup
    assert list(fig.layout.yaxis.categoryarray) == ["&lt;b&gt;X&lt;/b&gt;"]
    assert bar.customdata[0][0] == "01"  # a click still carries the code


def test_bars_escape_categories_series_and_hover_lines_but_keep_line_breaks() -> None:
    fig = charts.bars(
        ["<i>A</i> & B"],
        [{"name": "<b>S</b>", "values": [1], "hover": ["(1 / 2)<br><b>Y</b>"]}],
        "vi",
        "T",
        "Số",
    )
    bar = fig.data[0]
    assert list(bar.x) == ["&lt;i&gt;A&lt;/i&gt; &amp; B"]
    assert bar.name == "&lt;b&gt;S&lt;/b&gt;"
    assert bar.customdata[0][1] == "(1 / 2)<br>&lt;b&gt;Y&lt;/b&gt;"
    assert "<b>" not in bar.hovertemplate


def test_heatmap_escapes_row_names_and_cells() -> None:
    fig = charts.heatmap(
        [[1]], ["T1"], ["<b>X</b>"], [["<i>1</i>"]], [["a<br><b>b</b>"]], "vi", "T", "Tháng"
    )
    cell = fig.data[0]
    assert list(cell.y) == ["&lt;b&gt;X&lt;/b&gt;"]
    assert cell.text[0][0] == "&lt;i&gt;1&lt;/i&gt;"
    assert cell.hovertext[0][0] == "a<br>&lt;b&gt;b&lt;/b&gt;"


def test_ageing_bucket_colours_by_bucket_key() -> None:
    """Within green, due soon amber, overdue light to dark red, no deadline grey."""
    keys = [k for k, _, _ in ageing_buckets()]
    assert keys == [
        "within",
        "due_soon",
        "late_1_30",
        "late_31_90",
        "late_91_365",
        "late_366_plus",
        "no_deadline",
    ]
    assert charts.bucket_colors(keys) == [
        "#5b8c5a",
        "#e0a100",
        "#ef9a9a",
        "#e57373",
        "#d32f2f",
        "#8e1b16",
        "#9e9e9e",
    ]


def test_bars_with_buckets_colour_each_bar_and_pattern_each_series() -> None:
    keys = ["within", "late_1_30", "no_deadline"]
    series = [{"name": "a", "values": [1, 2, 3]}, {"name": "b", "values": [1, 1, 1]}]
    fig = charts.bars(keys, series, "vi", "T", "Số", barmode="stack", buckets=keys)
    assert list(fig.data[0].marker.color) == ["#5b8c5a", "#ef9a9a", "#9e9e9e"]
    assert [d.marker.pattern.shape for d in fig.data] == ["", "/"]


def test_summary_charts_hide_the_toolbar_and_put_the_legend_below() -> None:
    assert charts.PLOTLY_CONFIG["displayModeBar"] is False
    fig = charts.bars(
        ["A"], [{"name": "a", "values": [1]}, {"name": "b", "values": [2]}], "vi", "T", "Số"
    )
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor, legend.orientation) == (
        "container",
        0,
        "bottom",
        "h",
    )


def test_value_labels_sit_outside_the_bars_clear_of_the_overall_line() -> None:
    by_commune = {"01": {"dossiers_on_time_rate": rate(0.4)}}
    fig = charts.ranked_by_commune(
        by_commune, "dossiers_on_time_rate", {"01": "A"}, rate(0.5), "vi", "T", "Huyện"
    )
    assert fig.data[0].textposition == "outside"
    assert fig.data[0].cliponaxis is False
    assert list(fig.data[0].text) == ["40,00%"]
    labelled = charts.bars(["A"], [{"name": "a", "values": [3], "text": ["3"]}], "vi", "T", "Số")
    assert labelled.data[0].textposition == "outside"


def test_separators_follow_the_language() -> None:
    fig = charts.bars(["A"], [{"name": "a", "values": [1]}], "en", "T", "N")
    assert fig.layout.separators == ".,"


def test_overall_line_at_zero_keeps_its_label_inside() -> None:
    """Every commune and the whole selection at 0%: the label runs right of the line."""
    by_commune = {c: {"petitions_resolution_rate": rate(0.0)} for c in ("01", "02")}
    fig = charts.ranked_by_commune(
        by_commune, "petitions_resolution_rate", {"01": "A", "02": "B"}, rate(0.0), "vi", "T", "H"
    )
    label = next(a for a in fig.layout.annotations if a.text.startswith("H:"))
    assert label.xanchor == "left"

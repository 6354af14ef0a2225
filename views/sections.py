"""Sections a domain page declares: bar charts and tables over the rows of `metrics.details`.

A page states each section once, as data: which column holds the categories and how they
read, which columns are the series (name, colour, labels on the bars, an extra hover line),
which `Col`s a table shows and what its file is called. `Page` draws a declaration over a
breakdown that comes back from the metrics layer complete and in order, so the page itself
holds no reshaping: it reads as its header, KPI cards, charts and tables, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from metrics import format as fmt
from metrics.details import bucket_label
from views import cache, charts
from views.components import kpi_cards, no_data, show_chart
from views.downloads import Col, show_table
from views.i18n import t
from views.links import PAGE_TABS, TAB_OF_CHOICE
from views.state import url_tabs

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

# An extra hover line of a bar: (the row, as {column: value}, the language) -> text.
Hover = Callable[[dict, str], str]


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: the column of its values and the catalogue key of its
    name; optionally its colour, labels on the bars (the values written in `text`, a unit)
    and an extra hover line per bar."""

    values: str
    name: str
    color: str | None = None
    text: str | None = None
    hover: Hover | None = None


@dataclass(frozen=True, init=False)
class Bars:
    """A bar chart over a breakdown's rows: `Bars(key, title, value_title, category,
    *series, ...)`, one bar per row and series.

    `category` is the column of the categories, declared like a table column: its header
    key titles the category axis and its kind says how a value reads (text as is, month,
    enum, commune name, or an ageing `bucket`, which also colours the bars by bucket).
    `customdata` names a column each category carries for a click; with `communes`, that
    column holds commune codes and clicking a bar narrows the view to the commune. With
    `skip_empty`, a series that is 0 on every bar is left out (no legend entry for, say, a
    kind with no open petition)."""

    key: str
    title: str
    value_title: str
    category: Col
    series: tuple[Series, ...]
    unit: str
    horizontal: bool
    barmode: str
    height: int | None
    customdata: str | None
    communes: bool
    skip_empty: bool

    def __init__(
        self,
        key: str,
        title: str,
        value_title: str,
        category: Col,
        *series: Series,
        unit: str = "count",
        horizontal: bool = False,
        barmode: str = "group",
        height: int | None = None,
        customdata: str | None = None,
        communes: bool = False,
        skip_empty: bool = False,
    ) -> None:
        fields = {
            "key": key,
            "title": title,
            "value_title": value_title,
            "category": category,
            "series": series,
            "unit": unit,
            "horizontal": horizontal,
            "barmode": barmode,
            "height": height,
            "customdata": customdata,
            "communes": communes,
            "skip_empty": skip_empty,
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True, init=False)
class Funnel:
    """A funnel over a breakdown's rows: `Funnel(key, title, value_title, stage, *series)`,
    one step per row (the `stage` column, read as its `Col` kind says; a funnel draws no
    axis title, so the header key goes unshown) and one stacked series per group."""

    key: str
    title: str
    value_title: str
    stage: Col
    series: tuple[Series, ...]

    def __init__(self, key: str, title: str, value_title: str, stage: Col, *series: Series) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "value_title", value_title)
        object.__setattr__(self, "stage", stage)
        object.__setattr__(self, "series", series)


@dataclass(frozen=True, init=False)
class Table:
    """A table with its CSV and Excel downloads: `Table(title, key, *cols, ...)`, its title
    key (which names the files), its widget key and its columns. `blank` words the missing
    values of a column (column -> catalogue key); `unit_names` names communes as recorded
    (every unit) rather than as the view's communes. A column of kind `bucket` shows each
    ageing bucket by its words, as a chart's categories read. `height` and `max_rows` (the
    rows drawn on screen; the downloads hold every row) as `views.downloads.show_table`."""

    title: str
    key: str
    cols: tuple[Col, ...]
    blank: dict[str, str]
    unit_names: bool
    height: int | str
    max_rows: int | None

    def __init__(
        self,
        title: str,
        key: str,
        *cols: Col,
        blank: dict[str, str] | None = None,
        unit_names: bool = False,
        height: int | str = "auto",
        max_rows: int | None = None,
    ) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "cols", cols)
        object.__setattr__(self, "blank", blank or {})
        object.__setattr__(self, "unit_names", unit_names)
        object.__setattr__(self, "height", height)
        object.__setattr__(self, "max_rows", max_rows)


def n_of(numerator: str, denominator: str, then: str | None = None) -> Hover:
    """The hover line "(n / d)" from two columns, and a second line from `then`."""

    def hover(row: dict, lang: str) -> str:
        text = f"({fmt.number(row[numerator], lang)} / {fmt.number(row[denominator], lang)})"
        return f"{text}<br>{row[then]}" if then else text

    return hover


def n_unit(column: str, unit: str) -> Hover:
    """The hover line "(n <unit word>)", e.g. "(12 hồ sơ)"."""

    def hover(row: dict, lang: str) -> str:
        return f"({fmt.number(row[column], lang)} {t(unit, lang)})"

    return hover


def n_phrase(key: str, column: str) -> Hover:
    """The hover line of catalogue entry `key` with the column's count as `n`."""

    def hover(row: dict, lang: str) -> str:
        return t(key, lang, n=fmt.number(row[column], lang))

    return hover


def _missing(x: object) -> bool:
    return x is None or x != x  # None, or NaN


class Page:
    """Draws a page's declared sections in its view (language, filters, commune names)."""

    def __init__(self, state, page: str) -> None:
        self.state = state
        self.page = page
        self.lang = state.lang

    def tabs(self) -> tuple[str, DeltaGenerator]:
        """The page's sections, one tab each (`views.links.PAGE_TABS`, labels `tab_<code>`),
        held in the link as `tab=<code>`; return the open tab's code and container
        (`views.state.url_tabs`).

        A domain page opens on `figures`, every KPI card of the page and nothing drawn by
        Plotly: a browser paints the cards together with any chart sent in the same run,
        so the charts and tables wait behind the other tabs, which are neither computed
        nor sent until opened. A link without `tab=` that names a choice made in one tab
        (`views.links.TAB_OF_CHOICE`: the case view, the cadence grid, the compared KPI)
        opens that tab."""
        codes = PAGE_TABS[self.page]
        if "tab" not in st.query_params:
            choices = TAB_OF_CHOICE.get(self.page, {})
            held = [tab for key, tab in choices.items() if key in st.query_params]
            if held:
                st.query_params["tab"] = held[0]
        return url_tabs(list(codes), [t(f"tab_{c}", self.lang) for c in codes], "tab")

    def cards(
        self,
        title: str,
        ids: list[str],
        results: dict,
        previous: dict | None,
        has_records: bool = True,
        per_row: int = 3,
        note: str | None = None,
    ) -> None:
        """A section of the figures tab: its subheading (`title`, a catalogue key), a note
        under it, its KPI cards and, when the section has no records, the no-data notice."""
        st.subheader(t(title, self.lang))
        if note:
            st.caption(note)
        kpi_cards(ids, results, previous, self.lang, per_row)
        if not has_records:
            no_data(self.lang)

    def category(self, value: object, col: Col) -> str:
        """How one category of a chart reads."""
        lang = self.lang
        if col.kind == "month":
            return fmt.month(str(value), lang)
        if col.kind == "enum":
            return t(f"{col.enum}_{value}", lang)
        if col.kind == "commune":
            return self.state.commune_name(value)
        if col.kind == "bucket":
            form, numbers = bucket_label(str(value))
            return t(f"bucket_{form}", lang, **numbers)
        return str(value)

    def series(self, frame, s: Series, rows: list[dict]) -> dict:
        values = frame[s.values].tolist()
        out: dict = {"name": t(s.name, self.lang), "values": values}
        if s.color:
            out["color"] = s.color
        if s.text:
            out["text"] = [fmt.value(v, s.text, self.lang) for v in values]
        if s.hover:
            out["hover"] = [s.hover(r, self.lang) for r in rows]
        return out

    def months(
        self, key: str, title: str, bar: str, line: str | None = None, bar2: str | None = None
    ) -> None:
        """KPIs per month of the period from the KPI layer: bars of a count (and of a
        second one), optionally a rate line (`views.charts.monthly_combo`)."""
        state, lang = self.state, self.lang
        ids = [k for k in (bar, bar2, line) if k]
        by_month = cache.kpis_by(state.filters, "month", state.db, ids)
        fig = charts.monthly_combo(by_month, bar, line, lang, t(title, lang), bar2_id=bar2)
        show_chart(fig, key, lang)

    def bars(self, frame, spec: Bars, **title: object) -> None:
        """The declared bar chart over `frame`; `title` fills the title's placeholders."""
        lang = self.lang
        rows = frame.to_dict("records")
        col = spec.category
        series = [s for s in spec.series if not spec.skip_empty or any(frame[s.values])]
        fig = charts.bars(
            [self.category(r[col.key], col) for r in rows],
            [self.series(frame, s, rows) for s in series],
            lang,
            t(spec.title, lang, **title),
            t(spec.value_title, lang),
            t(col.label, lang),
            unit=spec.unit,
            horizontal=spec.horizontal,
            barmode=spec.barmode,
            customdata=frame[spec.customdata].tolist() if spec.customdata else None,
            height=spec.height,
            buckets=frame[col.key].tolist() if col.kind == "bucket" else None,
        )
        show_chart(fig, spec.key, lang, communes=spec.communes)

    def funnel(self, frame, spec: Funnel) -> None:
        """The declared funnel over `frame` (`views.charts.funnel`)."""
        lang = self.lang
        rows = frame.to_dict("records")
        fig = charts.funnel(
            [self.category(r[spec.stage.key], spec.stage) for r in rows],
            [self.series(frame, s, rows) for s in spec.series],
            lang,
            t(spec.title, lang),
            t(spec.value_title, lang),
        )
        show_chart(fig, spec.key, lang)

    def table(self, frame, spec: Table) -> None:
        """The declared table over `frame`, with its downloads."""
        lang, state = self.lang, self.state
        blank = {c: t(k, lang) for c, k in spec.blank.items() if c in frame}
        if blank:
            frame = frame.assign(
                **{c: [text if _missing(v) else v for v in frame[c]] for c, text in blank.items()}
            )
        cols = list(spec.cols)
        buckets = [c for c in cols if c.kind == "bucket"]
        if buckets:
            frame = frame.assign(
                **{c.key: [self.category(v, c) for v in frame[c.key]] for c in buckets}
            )
            cols = [Col(c.key, c.label) if c.kind == "bucket" else c for c in cols]
        show_table(
            frame,
            cols,
            lang,
            page=self.page,
            table=spec.title,
            filters=state.filters,
            communes=state.unit_names if spec.unit_names else state.communes,
            key=spec.key,
            height=spec.height,
            max_rows=spec.max_rows,
        )

    def name_communes(self, frame, code: str, column: str = "name"):
        """`frame` with the missing names of `column` filled with the view's name of the
        commune in `code` (the metrics layer names agencies; communes are named as the
        view's units name them)."""
        names = [
            self.state.commune_name(c) if _missing(n) else n
            for c, n in zip(frame[code], frame[column], strict=True)
        ]
        return frame.assign(**{column: names})

"""The legal-cadence sections of the receptions page: for each level whose chairman must
receive citizens on a schedule, the grid of its cells (an upper level's months, each
commune's months or weeks), the months or communes that fell short, the legal basis and the
table of cells. The cells, their order and their shortfalls come from `metrics.details`."""

from __future__ import annotations

import streamlit as st

from metrics import details
from metrics import format as fmt
from metrics.model import COMMUNE_LEVEL
from views import cache, charts
from views.components import basis_caption, commune_comparison, detail, show_chart
from views.downloads import Col
from views.i18n import t
from views.sections import Page, Table
from views.state import url_choice
from views.text import literal

UPPER_COLS = (
    Col("month", "col_month", "month"),
    Col("days", "col_chair_days", "count"),
    Col("required", "col_minimum", "count"),
    Col("meets", "col_meets", "bool"),
)
COMMUNE_CADENCE = Table(
    "tbl_commune_cadence",
    "rc_commune_cadence",
    Col("commune_code", "col_commune", "commune"),
    *(Col(c, f"col_{c}", "count") for c in ("weeks", "weeks_met", "weeks_missed")),
    Col("rate", "col_weeks_met_rate", "rate"),
    unit_names=True,  # the weekly duty belonged to the commune as recorded
)
COMMUNE_KPI = "commune_chair_compliance_rate"


def heatmap(
    page: Page,
    matrix: details.Matrix,
    names: list[str],
    title: str,
    x_title: str,
    hover: str,
    key: str,
) -> None:
    """A cadence grid as a heatmap: one row per name, a month or week per column; a month
    cell reads "held/of", a week cell the days held. `hover` is the catalogue key of a
    cell's hover line, filled with the row's name (`commune`), the column (`month`,
    `week`), what was held (`days`, `met`), what the rule asks (`n`, `weeks`) and whether
    the cell meets it (`status`)."""
    lang = page.lang
    label = fmt.month if matrix.by == "month" else fmt.day
    x = [label(k, lang) for k in matrix.columns]

    def text(c: details.Cell) -> str:
        return f"{c.held}/{c.of}" if matrix.by == "month" else str(c.held)

    def line(name: str, column: str, c: details.Cell) -> str:
        status = t("meets" if c.meets else "below", lang)
        numbers = {"days": c.held, "met": c.held, "n": c.of, "weeks": c.of}
        return t(hover, lang, commune=name, month=column, week=column, status=status, **numbers)

    fig = charts.heatmap(
        [[c.share if c else None for c in row] for row in matrix.cells],
        x,
        names,
        [[text(c) if c else "" for c in row] for row in matrix.cells],
        [
            [line(name, xl, c) if c else "" for xl, c in zip(x, row, strict=True)]
            for name, row in zip(names, matrix.cells, strict=True)
        ],
        lang,
        t(title, lang),
        t(x_title, lang),
    )
    show_chart(fig, key, lang)


def upper_level(page: Page, level: str, grid_name: str, kpi_id: str) -> None:
    """The monthly rule of an upper level's chairman, month by month: days held against the
    minimum in force that month (months with no rule in force are not shown)."""
    lang, f = page.lang, page.state.filters
    st.subheader(t(f"rc_{level}_grid", lang))
    if f.level not in (None, level):
        st.caption(t("not_applicable", lang))
        return
    grid = detail(grid_name, f, page.state.db)
    if grid.empty:
        st.caption(t("not_applicable_period", lang))
        return
    matrix = details.upper_chair_matrix(grid)
    chair = [t(f"rc_{level}_chair", lang)]
    heatmap(
        page, matrix, chair, f"rc_{level}_grid_title", "month", "rc_upper_cell", f"rc_{level}_grid"
    )
    below = details.months_below(grid)
    if below:
        months = ", ".join(fmt.month(m, lang) for m in below)
        text = t("rc_months_below", lang, n=len(below), total=len(grid), months=months)
        st.warning(text, icon=":material/warning:")
    else:
        st.success(t("rc_all_months_meet", lang), icon=":material/check:")
    basis_caption(kpi_id, lang)
    page.table(grid, Table(f"tbl_{level}_cadence", f"rc_{level}", *UPPER_COLS))


def communes(page: Page, results: dict) -> None:
    """The commune chairmen's weekly rule: each commune's months or weeks (the reader
    chooses), the communes that missed weeks, the rate per commune and the table.

    The weekly duty belonged to the commune that existed that week: the grid, its warning
    and its table are per commune as recorded, whatever the unit view."""
    state, lang = page.state, page.lang
    f, db = state.filters, state.db
    st.subheader(t("rc_commune_grid", lang))
    if f.level not in (None, COMMUNE_LEVEL):
        st.caption(t("not_applicable", lang))
        return
    weeks = detail("commune_chair_grid", f, db)
    by = url_choice(
        t("rc_grid_view", lang), ["month", "week"], "grid", lambda v: t(f"rc_grid_{v}", lang)
    )
    matrix = details.commune_chair_matrix(weeks, by)
    if matrix.rows:
        names = [state.unit_name(c) for c in matrix.rows]
        title, cell = "rc_commune_grid_title", f"rc_commune_{by}_cell"
        heatmap(page, matrix, names, title, f"rc_grid_{by}", cell, f"rc_commune_grid_{by}")
    else:
        st.caption(t("not_applicable_period", lang))
    basis_caption(COMMUNE_KPI, lang)
    per_commune = details.commune_chair_by_commune(weeks)
    missed = details.communes_below(per_commune)
    if missed:
        listed = "; ".join(
            t(
                "rc_commune_missed",
                lang,
                commune=literal(state.unit_name(c)),
                weeks=fmt.number(w, lang),
            )
            for c, w in missed
        )
        text = t("rc_communes_below", lang, n=len(missed), total=len(per_commune), communes=listed)
        st.warning(text, icon=":material/warning:")
    compliance = cache.kpis_by(f, "commune", db, [COMMUNE_KPI])
    commune_comparison(state, [COMMUNE_KPI], results, "rc_compliance", compliance)
    page.table(per_commune, COMMUNE_CADENCE)

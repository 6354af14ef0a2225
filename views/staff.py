"""Cán bộ & kỷ cương: how staff were rated against the previous year, by sector and
agency, and what discipline inspections found and got fixed, by month and by unit."""

import streamlit as st

from metrics.details import RATING_LEVELS, inspected_communes
from views import cache
from views.components import (
    commune_comparison,
    definitions,
    detail,
    no_data,
    page_links,
    scope_caption,
    stop_without_data,
)
from views.downloads import Col
from views.i18n import t
from views.sections import Bars, Page, Series, Table, n_of
from views.state import current

PAGE = "staff"
RATING_IDS = ["staff_good_or_better_rate_admin", "staff_good_or_better_rate_service"]
INSPECTION_IDS = [
    "inspections",
    "surprise_inspections",
    "surprise_inspected_communes",
    "surprise_inspected_agencies",
    "violations_fixed_rate",
]
LEVEL_COLORS = {
    "excellent": "#1b5e20",
    "good": "#66bb6a",
    "completed": "#fbc02d",
    "not_completed": "#b3261e",
}
SURPRISE_COLOR = "#d9822b"

# ---------------------------------------------------------------- sections
SECTOR = Col("key", "col_sector", "enum", enum="sector")
LEVEL_COLS = tuple(Col(lv, f"rating_{lv}", "count") for lv in RATING_LEVELS)
RATING_COLS = (
    Col("rated", "col_rated", "count"),
    *LEVEL_COLS,
    Col("good_or_better_rate", "col_good_or_better_rate", "rate"),
    Col("previous_rate", "col_previous_rate", "rate"),
    Col("change", "col_change_pp", "number"),
)
SECTORS_CHART = Bars(
    "st_sectors",
    "st_sector_title",
    "col_share",
    SECTOR,
    *(
        Series(f"{lv}_share", f"rating_{lv}", LEVEL_COLORS[lv], hover=n_of(lv, "rated"))
        for lv in RATING_LEVELS
    ),
    unit="rate",
    horizontal=True,
    barmode="stack",
    height=260,
)
BY_SECTOR = Table("tbl_ratings_by_sector", "st_sector", SECTOR, *RATING_COLS)
BY_YEAR = Table(
    "tbl_ratings_by_year",
    "st_year",
    Col("year", "col_year"),
    SECTOR,
    Col("rated", "col_rated", "count"),
    *LEVEL_COLS,
    Col("good_or_better_rate", "col_good_or_better_rate", "rate"),
)
AGENCIES_CHART = Bars(
    "st_agencies",
    "st_agency_title",
    "col_good_or_better_rate",
    Col("label", "col_agency_name"),
    Series(
        "good_or_better_rate",
        "col_good_or_better_rate",
        hover=n_of("good_or_better", "rated", then="name"),
    ),
    Series("previous_rate", "col_previous_rate", "#bdbdbd"),
    unit="rate",
    horizontal=True,
    customdata="key",
)
BY_AGENCY = Table(
    "tbl_ratings_by_agency",
    "st_agency",
    Col("key", "col_agency_code"),
    Col("name", "col_agency_name"),
    Col("agency_kind", "col_agency_kind", "enum", enum="agency_kind"),
    *RATING_COLS,
)
MONTH = Col("month", "month", "month")
INSPECTIONS_CHART = Bars(
    "st_months",
    "st_month_title",
    "col_inspections",
    MONTH,
    Series("planned", "col_planned"),
    Series("inspections_surprise", "col_surprise", SURPRISE_COLOR),
    barmode="stack",
)
VIOLATIONS_CHART = Bars(
    "st_violations",
    "st_violations_title",
    "col_violations",
    MONTH,
    Series("violations", "col_violations", "#b3261e"),
    Series("violations_fixed", "col_violations_fixed", "#2e7d32"),
)
BY_MONTH = Table(
    "tbl_inspections_by_month",
    "st_months",
    Col("month", "col_month", "month"),
    Col("inspections", "col_inspections", "count"),
    Col("planned", "col_planned", "count"),
    Col("inspections_surprise", "col_surprise", "count"),
    Col("violations", "col_violations", "count"),
    Col("violations_fixed", "col_violations_fixed", "count"),
)
COMMUNE_UNITS_CHART = Bars(
    "st_units_chart",
    "st_commune_units_title",
    "col_inspections",
    Col("unit_code", "col_commune", "commune"),
    Series("planned", "col_planned"),
    Series("surprise", "col_surprise", SURPRISE_COLOR),
    horizontal=True,
    barmode="stack",
    customdata="unit_code",
    communes=True,
)
BY_UNIT = Table(
    "tbl_inspections_by_unit",
    "st_units",
    Col("unit_kind", "col_unit_kind", "enum", enum="unit_kind"),
    Col("unit_code", "col_unit_code"),
    Col("name", "col_unit_name"),
    Col("inspections", "col_inspections", "count"),
    Col("surprise", "col_surprise", "count"),
    Col("violations", "col_violations", "count"),
    Col("violations_fixed", "col_violations_fixed", "count"),
    Col("fixed_rate", "col_fixed_rate", "rate"),
)

state = current()
lang, f, db = state.lang, state.filters, state.db
page = Page(state, PAGE)
st.title(t("page_staff", lang))
scope_caption(state)

results, previous = cache.kpis_with_previous(f, db, RATING_IDS + INSPECTION_IDS)
has_ratings = any(results[k].denominator for k in RATING_IDS)
has_inspections = bool(results["inspections"].value)
if not has_ratings and not has_inspections:
    stop_without_data(lang)

years = list(range(f.date_from.year, f.date_to.year + 1))
# The figures first; each section's charts and tables behind its tab.
tab, pane = page.tabs()
with pane:
    if tab == "figures":
        rating_years = t("st_rating_years", lang, years=", ".join(str(y) for y in years))
        page.cards("st_ratings", RATING_IDS, results, previous, has_ratings, 2, rating_years)
        page.cards("st_inspections", INSPECTION_IDS, results, previous, has_inspections)
    elif tab == "ratings":
        if not has_ratings:
            no_data(lang)
        else:
            by_sector = detail("ratings_by_sector", f, db)
            page.bars(by_sector, SECTORS_CHART)
            page.table(by_sector, BY_SECTOR)
            if len(years) > 1:
                page.table(detail("ratings_by_year", f, db, dim="sector"), BY_YEAR)

            st.subheader(t("st_by_agency", lang))
            by_agency = detail("ratings_by_agency", f, db)
            page.bars(by_agency, AGENCIES_CHART)
            page.table(by_agency, BY_AGENCY)

            st.subheader(t("st_by_commune", lang))
            if commune_comparison(
                state, ["staff_good_or_better_rate_admin"], results, "st_commune"
            ):
                st.caption(t("st_by_commune_note", lang))
    elif not has_inspections:
        no_data(lang)
    else:
        monthly = detail("inspections_by_month", f, db)
        page.bars(monthly, INSPECTIONS_CHART)
        page.bars(monthly, VIOLATIONS_CHART)
        page.table(monthly, BY_MONTH)

        st.subheader(t("st_by_unit", lang))
        units = page.name_communes(detail("inspections_by_unit", f, db), "unit_code")
        communes = inspected_communes(units)
        if len(communes):
            page.bars(communes, COMMUNE_UNITS_CHART)
        page.table(units, BY_UNIT)
        definitions(["violations_fixed_rate", "surprise_inspected_communes"], lang)

st.divider()
page_links(["procedures", "overview"], lang)

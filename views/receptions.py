"""Tiếp công dân & đối thoại: where reception days and dialogues happen, whether chairmen
keep the legal cadence, and which communes held no dialogue."""

import streamlit as st

from metrics.details import RECEPTION_KINDS, communes_without_dialogue, dialogues_ranked
from views import cache, cadence
from views.components import (
    basis_caption,
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
from views.sections import Bars, Page, Series, Table, n_phrase
from views.state import current
from views.text import literal

PAGE = "receptions"
RECEPTION_IDS = [
    "reception_days",
    "reception_citizens",
    "reception_cases",
    "chair_reception_days",
    "chair_reception_citizens",
]
# The upper levels' monthly rules: (level, grid in metrics.details, KPI), highest first.
UPPER_GRIDS = (
    ("tinh", "province_chair_grid", "province_chair_compliance_rate"),
    ("huyen", "district_chair_grid", "district_chair_compliance_rate"),
)
DIALOGUE_IDS = [
    "dialogues",
    "dialogue_attendees",
    "dialogue_opinions",
    "dialogue_opinions_answered_rate",
    "communes_with_dialogue_rate",
]
KIND_COLORS = {"dinh_ky": "#2f6db5", "dot_xuat": "#d9822b", "thuong_xuyen": "#7fa7d6"}

# ---------------------------------------------------------------- sections
RECEPTION_COLS = (
    Col("reception_rows", "col_reception_days", "count"),
    Col("reception_citizens", "col_citizens", "count"),
    Col("reception_cases", "col_cases", "count"),
    Col("reception_large_groups", "col_large_groups", "count"),
)
DAYS_BY_MONTH_KIND = Bars(
    "rc_month_kind",
    "rc_days_by_month_kind",
    "col_reception_days",
    Col("month", "month", "month"),
    *(Series(k, f"reception_kind_{k}", KIND_COLORS[k]) for k in RECEPTION_KINDS),
    barmode="stack",
)
BY_KIND = Table(
    "tbl_receptions_by_kind",
    "rc_kind",
    Col("key", "col_reception_kind", "enum", enum="reception_kind"),
    *RECEPTION_COLS,
)
BY_HOST = Table(
    "tbl_receptions_by_host",
    "rc_host",
    Col("key", "col_reception_host", "enum", enum="reception_host"),
    *RECEPTION_COLS,
)
BY_COMMUNE = Table(
    "tbl_receptions_by_commune", "rc_commune", Col("key", "col_commune", "commune"), *RECEPTION_COLS
)
PER_DIALOGUE = Bars(
    "rc_dialogue_chart",
    "rc_per_dialogue_title",
    "rc_per_dialogue_axis",
    Col("commune_code", "col_commune", "commune"),
    *(
        Series(
            f"{x}_per_dialogue",
            f"col_{x}_per_dialogue",
            hover=n_phrase("rc_dialogues_n", "dialogues"),
        )
        for x in ("attendees", "opinions")
    ),
    unit="number",
    horizontal=True,
    customdata="commune_code",
    communes=True,
)
DIALOGUES = Table(
    "tbl_dialogues_by_commune",
    "rc_dialogues",
    Col("commune_code", "col_commune", "commune"),
    *(Col(c, f"col_{c}", "count") for c in ("dialogues", "attendees", "opinions", "answered")),
    Col("answered_rate", "col_answered_rate", "rate"),
    *(
        Col(f"{x}_per_dialogue", f"col_{x}_per_dialogue", "number")
        for x in ("attendees", "opinions")
    ),
    Col("held_commune_dialogue", "col_held_commune_dialogue", "bool"),
)


def dialogue_warning(dialogues) -> None:
    """The communes that held no commune-level dialogue in the period, by name."""
    missing = communes_without_dialogue(dialogues)
    if missing:
        communes = ", ".join(literal(state.commune_name(c)) for c in missing)
        st.warning(
            t("rc_no_dialogue", lang, n=len(missing), communes=communes),
            icon=":material/campaign:",
        )
        basis_caption("communes_with_dialogue_rate", lang)


state = current()
lang, f, db = state.lang, state.filters, state.db
page = Page(state, PAGE)
st.title(t("page_receptions", lang))
scope_caption(state)
# A level's cadence card shows when the warehouse holds that level (a district warehouse
# has no province); the commune chairmen's always does.
CADENCE_IDS = [
    *(kpi_id for level, _, kpi_id in UPPER_GRIDS if level in state.levels),
    "commune_chair_compliance_rate",
]

results, previous = cache.kpis_with_previous(f, db, RECEPTION_IDS + CADENCE_IDS + DIALOGUE_IDS)
has_receptions = bool(results["reception_days"].value)
has_dialogues = bool(results["dialogues"].value)
if not has_receptions and not has_dialogues:
    stop_without_data(lang)

# The figures first, every section's cards; the charts and tables behind their tabs.
tab, pane = page.tabs()
with pane:
    if tab == "figures":
        page.cards("rc_receptions", RECEPTION_IDS, results, previous, has_receptions)
        page.cards("rc_cadence", CADENCE_IDS, results, previous, per_row=len(CADENCE_IDS))
        page.cards("rc_dialogues", DIALOGUE_IDS, results, previous, has_dialogues)
        dialogue_warning(detail("dialogues_by_commune", f, db))
    elif tab == "receptions":
        if not has_receptions:
            no_data(lang)
        else:
            page.bars(detail("receptions_by_month_kind", f, db), DAYS_BY_MONTH_KIND)
            page.months(
                "rc_month_citizens",
                "rc_citizens_by_month",
                "reception_citizens",
                bar2="reception_cases",
            )
            st.subheader(t("rc_by_kind_host", lang))
            page.table(detail("receptions_by_kind", f, db), BY_KIND)
            page.table(detail("receptions_by_host", f, db), BY_HOST)
            st.subheader(t("rc_by_commune", lang))
            commune_comparison(
                state,
                ["reception_days", "reception_citizens", "reception_cases", "chair_reception_days"],
                results,
                "rc_commune",
            )
            page.table(detail("receptions_by_commune", f, db), BY_COMMUNE)
            if f.level != "xa":
                st.caption(t("rc_district_rows_note", lang))
    elif tab == "cadence":
        for level, grid_name, kpi_id in UPPER_GRIDS:
            if level in state.levels:
                cadence.upper_level(page, level, grid_name, kpi_id)
        cadence.communes(page, results)
    else:
        if not has_dialogues:
            no_data(lang)
        dialogues = detail("dialogues_by_commune", f, db)
        dialogue_warning(dialogues)
        ranked = dialogues_ranked(dialogues)
        if len(ranked):
            page.bars(ranked, PER_DIALOGUE)
        page.table(dialogues, DIALOGUES)
        definitions(["dialogue_opinions_answered_rate", "communes_with_dialogue_rate"], lang)

st.divider()
page_links(["petitions", "overview"], lang)

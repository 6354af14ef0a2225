"""Thủ tục hành chính & một cửa: dossiers received and resolved, how many on time, which
procedures and offices are late (with enough volume to matter), and the catalogue."""

import streamlit as st

from metrics import details
from metrics import format as fmt
from metrics.combined import from_registers
from views import cache
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
from views.sections import Bars, Page, Series, Table, n_of, n_unit
from views.state import current

PAGE = "procedures"
DOSSIER_IDS = [
    "dossiers_received",
    "dossiers_resolved",
    "dossiers_on_time_rate",
    "dossiers_early_rate",
    "dossiers_late",
    "dossiers_overdue_open",
    "dossiers_online_rate",
    "dossiers_avg_days",
    "late_apology_rate",
]
CATALOGUE_IDS = [
    "procedures_total",
    "procedures_time_cut",
    "procedures_time_cut_rate",
    "procedures_online_rate",
    "district_desk_procedures",
    "district_desk_agencies_specialised",
    "district_desk_agencies_vertical",
    "communes_one_stop_rate",
]
# The KPIs the communes are compared on.
COMPARED = [
    "dossiers_on_time_rate",
    "dossiers_received",
    "dossiers_overdue_open",
    "late_apology_rate",
]
# The resolved dossiers: early, on the promised date, late.
SHARE_COLORS = {"early": "#2e7d32", "on_due_date": "#7fa7d6", "late": "#b3261e"}
WORST_ROWS = 10

# ---------------------------------------------------------------- sections
SHARES = Bars(
    "pr_shares",
    "pr_shares_title",
    "col_share",
    Col("month", "month", "month"),
    *(
        Series(f"{p}_share", f"share_{p}", c, hover=n_of(f"dossiers_{p}", "dossiers_resolved"))
        for p, c in SHARE_COLORS.items()
    ),
    unit="rate",
    barmode="stack",
)
BY_MONTH = Table(
    "tbl_dossiers_by_month",
    "pr_months",
    Col("month", "col_month", "month"),
    Col("dossiers_received", "col_received", "count"),
    Col("dossiers_resolved", "col_resolved", "count"),
    *(Col(f"dossiers_{p}", f"share_{p}", "count") for p in SHARE_COLORS),
    *(Col(f"{p}_share", f"col_{p}_share", "rate") for p in SHARE_COLORS),
)
AGEING = Bars(
    "pr_ageing",
    "pr_ageing_title",
    "unit_open_dossiers",
    Col("bucket", "col_deadline_bucket", "bucket"),
    Series("count", "unit_open_dossiers", text="count"),
    horizontal=True,
)
CHANNELS = Bars(
    "pr_channels",
    "pr_channels_title",
    "col_share",
    Col("channel", "col_channel", "enum", enum="channel"),
    Series("share", "col_share", text="rate", hover=n_unit("dossiers_received", "unit_dossiers")),
    unit="rate",
    horizontal=True,
)
TIMELINESS = (
    Col("dossiers_received", "col_received", "count"),
    Col("dossiers_resolved", "col_resolved", "count"),
    Col("dossiers_on_time_rate", "col_on_time_rate", "rate"),
    Col("dossiers_late", "col_late", "count"),
    Col("late_without_apology", "col_late_without_apology", "count"),
    Col("dossiers_avg_days", "col_avg_days", "days"),
    Col("dossiers_overdue_open", "col_overdue_open", "count"),
)
LEVEL = Col("level", "col_procedure_level", "enum", enum="procedure_level")
WORST_PROCEDURES = Table(
    "tbl_worst_procedures",
    "pr_worst_procedures",
    Col("key", "col_procedure_code"),
    Col("name", "col_procedure_name"),
    LEVEL,
    *TIMELINESS,
    Col("committed_days", "col_committed_days", "count"),
    Col("statutory_days", "col_statutory_days", "count"),
)
AGENCY = (Col("key", "col_agency_code"), Col("name", "col_agency_name"))
NO_AGENCY = {"name": "pr_no_agency"}  # the dossiers of procedures without an agency
WORST_AGENCIES = Table(
    "tbl_worst_agencies", "pr_worst_agencies", *AGENCY, *TIMELINESS, blank=NO_AGENCY
)
NO_APOLOGY = Table(
    "tbl_no_apology",
    "pr_no_apology",
    *AGENCY,
    Col("dossiers_late", "col_late", "count"),
    Col("late_without_apology", "col_late_without_apology", "count"),
    Col("late_apology_rate", "col_apology_rate", "rate"),
    blank=NO_AGENCY,
)
TIMES = ("avg_days", "avg_committed", "avg_statutory")
TIMES_CHART = Bars(
    "pr_times",
    "pr_times_title",
    "unit_days",
    LEVEL,
    *(Series(x, f"col_{x}") for x in TIMES),
    unit="number",
)
TIMES_TABLE = Table(
    "tbl_processing_times",
    "pr_times",
    LEVEL,
    Col("dossiers_resolved", "col_resolved", "count"),
    *(Col(x, f"col_{x}", "days") for x in TIMES),
)
CATALOGUE = Table(
    "tbl_catalogue",
    "pr_catalogue",
    LEVEL,
    Col("procedures", "col_procedures", "count"),
    Col("procedures_cut", "col_procedures_cut", "count"),
    *(Col(f"procedures_online_{lv}", f"online_{lv}", "count") for lv in details.ONLINE_LEVELS),
    Col("procedures_at_one_stop", "col_at_one_stop", "count"),
)
ONE_STOP = Table(
    "tbl_one_stop",
    "pr_one_stop",
    Col("commune_code", "col_commune", "commune"),
    Col("one_stop_since", "col_one_stop_since", "date"),
    Col("applies", "col_one_stop_applies", "bool"),
)


def worst_section() -> None:
    """The procedures and agencies with the lowest on-time rates (with enough dossiers to
    matter), the late dossiers without an apology, and the processing times."""
    st.header(t("pr_worst", lang))
    min_volume = st.number_input(
        t("pr_min_volume", lang),
        min_value=1,
        max_value=100_000,
        value=details.MIN_VOLUME,
        step=5,
        key="pr_min_volume",
        help=t("pr_min_volume_help", lang),
    )
    at_least = fmt.number(int(min_volume), lang)
    by_procedure = detail("dossier_timeliness", f, db, dim="procedure")
    by_agency = detail("dossier_timeliness", f, db, dim="agency")
    for title, by, spec in (
        ("pr_worst_procedures", by_procedure, WORST_PROCEDURES),
        ("pr_worst_agencies", by_agency, WORST_AGENCIES),
    ):
        st.subheader(t(title, lang, n=at_least))
        worst = details.worst_on_time(by, int(min_volume), WORST_ROWS)
        if worst.empty:
            st.info(t("pr_none_with_volume", lang), icon=":material/search_off:")
        else:
            page.table(worst, spec)
    definitions(["dossiers_on_time_rate", "late_apology_rate", "dossiers_avg_days"], lang)

    st.subheader(t("pr_no_apology", lang))
    no_apology = details.missing_apologies(by_agency)
    if no_apology.empty:
        st.success(t("pr_all_apologised", lang), icon=":material/check:")
    else:
        page.table(no_apology, NO_APOLOGY)
        basis_caption("late_apology_rate", lang)

    st.subheader(t("pr_times", lang))
    times = details.processing_times(by_procedure)
    if times.empty:
        no_data(lang)
    else:
        page.bars(times, TIMES_CHART)
        page.table(times, TIMES_TABLE)
        st.caption(t("pr_times_note", lang))


state = current()
lang, f, db = state.lang, state.filters, state.db
page = Page(state, PAGE)
st.title(t("page_procedures", lang))
scope_caption(state)

results, previous = cache.kpis_with_previous(f, db, DOSSIER_IDS + CATALOGUE_IDS)
has_dossiers = bool(
    results["dossiers_received"].value
    or results["dossiers_resolved"].value
    or results["dossiers_overdue_open"].value
)
has_catalogue = bool(results["procedures_total"].value)
if not has_dossiers and not has_catalogue:
    stop_without_data(lang)

# The figures first; the charts and tables behind their tabs. Those of the dossiers read
# the dossiers themselves, which a report form does not give.
tab, pane = page.tabs()
registers = has_dossiers and from_registers(results["dossiers_received"])
period_end = fmt.day(f.date_to, lang)
with pane:
    if tab == "figures":
        page.cards("pr_dossiers", DOSSIER_IDS, results, previous, has_dossiers)
        # The catalogue has no period: a change "against the previous period" would be 0.
        page.cards("pr_catalogue", CATALOGUE_IDS, results, None, note=t("pr_catalogue_note", lang))
    elif tab == "catalogue":
        st.caption(t("pr_catalogue_note", lang))
        page.table(detail("catalogue_by_level", f, db), CATALOGUE)
        st.subheader(t("pr_one_stop", lang))
        page.table(detail("one_stop_communes", f, db), ONE_STOP)
    elif not registers:
        no_data(lang)
    elif tab == "months":
        page.months(
            "pr_months",
            "pr_month_title",
            "dossiers_received",
            "dossiers_on_time_rate",
            "dossiers_resolved",
        )
        monthly = detail("dossiers_by_month", f, db)
        page.bars(monthly, SHARES)
        page.table(monthly, BY_MONTH)
        basis_caption("dossiers_on_time_rate", lang)
        st.subheader(t("pr_channels", lang))
        page.bars(detail("dossier_channels", f, db), CHANNELS)
    elif tab == "ageing":
        st.subheader(t("pr_open", lang, date=period_end))
        ageing = detail("dossier_ageing", f, db)
        if not sum(ageing["count"]):
            st.info(t("pr_no_open", lang), icon=":material/task_alt:")
        else:
            page.bars(ageing, AGEING, date=period_end)
            definitions(["dossiers_overdue_open"], lang)
    elif tab == "communes":
        st.subheader(t("pr_by_commune", lang))
        commune_comparison(state, COMPARED, results, "pr_commune")
    else:
        worst_section()

st.divider()
page_links(["staff", "overview"], lang)

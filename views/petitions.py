"""Đơn thư, khiếu nại, tố cáo: how petitions move from receipt to resolution, which open
ones are past their legal deadline, where rates are low, and the cases themselves."""

import streamlit as st

from metrics import details
from metrics import format as fmt
from metrics.details import CASE_LIMIT, CASE_VIEWS, FUNNEL_STAGES, OUTCOMES, PETITION_KINDS
from views import cache
from views.components import (
    basis_caption,
    commune_comparison,
    definitions,
    detail,
    kpi_cards,
    no_data,
    page_links,
    scope_caption,
    stop_without_data,
)
from views.downloads import Col
from views.i18n import t
from views.sections import Bars, Funnel, Page, Series, Table, n_of
from views.state import current, url_choice

PAGE = "petitions"
MAX_ROWS = 200  # case rows drawn on screen; the downloads hold every case listed
IDS = [
    "petitions_received",
    "petitions_in_jurisdiction",
    "petitions_resolution_rate",
    "petitions_on_time_rate",
    "petitions_overdue_open",
    "prolonged_cases_resolved_rate",
]
KIND_COLORS = {"khieu_nai": "#2f6db5", "to_cao": "#b3261e", "kien_nghi_phan_anh": "#7fa7d6"}
OUTCOME_COLORS = {"dung": "#2e7d32", "dung_mot_phan": "#d9822b", "sai": "#9e9e9e"}

# ---------------------------------------------------------------- sections
KIND = Col("kind", "col_petition_kind", "enum", enum="petition_kind")
KIND_SERIES = tuple(Series(k, f"petition_kind_{k}", KIND_COLORS[k]) for k in PETITION_KINDS)
STAGES = [s for s, _ in FUNNEL_STAGES]
FUNNEL = Funnel(
    "pt_funnel",
    "pt_funnel_title",
    "unit_petitions",
    Col("stage", "pt_funnel", "enum", enum="stage"),
    *KIND_SERIES,
)
FUNNEL_TABLE = Table(
    "tbl_funnel", "pt_funnel", KIND, *(Col(s, f"stage_{s}", "count") for s in STAGES)
)
BUCKET = Col("bucket", "col_deadline_bucket", "bucket")
AGEING = Bars(
    "pt_ageing",
    "pt_ageing_title",
    "unit_open_petitions",
    BUCKET,
    *KIND_SERIES,
    horizontal=True,
    barmode="stack",
    skip_empty=True,  # only the kinds with an open petition
)
AGEING_TABLE = Table(
    "tbl_ageing",
    "pt_ageing",
    BUCKET,
    *(Col(k, f"petition_kind_{k}", "count") for k in PETITION_KINDS),
    Col("total", "col_total", "count"),
)
RATE_COLS = (
    Col("petitions_received", "col_received", "count"),
    Col("petitions_in_jurisdiction", "col_active", "count"),
    Col("petitions_resolution_rate_num", "col_resolved", "count"),
    Col("petitions_resolution_rate", "col_resolution_rate", "rate"),
    Col("petitions_on_time_rate_num", "col_on_time", "count"),
    Col("petitions_on_time_rate_den", "col_with_due_resolved", "count"),
    Col("petitions_on_time_rate", "col_on_time_rate", "rate"),
    Col("petitions_overdue_open", "col_overdue_open", "count"),
)
BY_COMMUNE = Table(
    "tbl_petitions_by_commune", "pt_by_commune", Col("key", "col_commune", "commune"), *RATE_COLS
)
BY_FIELD = Table(
    "tbl_petitions_by_field",
    "pt_by_field",
    Col("key", "col_field", "enum", enum="petition_field"),
    *RATE_COLS,
)
OUTCOMES_CHART = Bars(
    "pt_outcomes",
    "pt_outcomes_title",
    "col_share",
    KIND,
    *(
        Series(f"{o}_share", f"outcome_{o}", OUTCOME_COLORS[o], hover=n_of(o, "decided"))
        for o in OUTCOMES
    ),
    unit="rate",
    horizontal=True,
    barmode="stack",
)
OUTCOMES_TABLE = Table(
    "tbl_outcomes", "pt_outcomes", KIND, *(Col(o, f"outcome_{o}", "count") for o in OUTCOMES)
)
CASE_COLS = (
    Col("petition_id", "col_petition_id"),
    *(Col(f"{d}_date", f"col_{d}_date", "date") for d in ("received", "accepted", "due")),
    Col("resolved_date", "col_resolved_date", "date"),
    Col("level", "col_level", "enum", enum="level"),
    KIND,
    Col("field", "col_field", "enum", enum="petition_field"),
    Col("commune_code", "col_commune", "commune"),
    Col("complex", "col_complex", "bool"),
    Col("prolonged", "col_prolonged", "bool"),
    Col("status", "col_status", "enum", enum="case_status"),
    Col("days_open", "col_days_open", "count"),
    Col("days_late", "col_days_late", "count"),
)
# The prolonged cases: their dates, kind, commune, status and days open.
NOT_PROLONGED = ("accepted_date", "level", "field", "complex", "prolonged", "days_late")
PROLONGED = Table(
    "tbl_prolonged",
    "pt_prolonged",
    *(c for c in CASE_COLS if c.key not in NOT_PROLONGED),
    max_rows=MAX_ROWS,
)

state = current()
lang, f, db = state.lang, state.filters, state.db
page = Page(state, PAGE)
st.title(t("page_petitions", lang))
scope_caption(state)

results, previous = cache.kpis_with_previous(f, db, IDS)
if not (
    results["petitions_received"].value
    or results["petitions_resolution_rate"].denominator
    or results["petitions_overdue_open"].value
    or results["prolonged_cases_resolved_rate"].denominator
):
    stop_without_data(lang)

period_end = fmt.day(f.date_to, lang)
# The figures first; each section's charts and tables behind its tab.
tab, pane = page.tabs()
with pane:
    if tab == "figures":
        kpi_cards(IDS, results, previous, lang)
    elif tab == "funnel":
        st.header(t("pt_funnel", lang))
        funnel = detail("petition_funnel", f, db)
        if not sum(funnel["petitions"]):
            no_data(lang)
        else:
            page.funnel(details.funnel_by_stage(funnel), FUNNEL)
            st.caption(t("pt_funnel_note", lang))
            page.table(details.funnel_by_kind(funnel), FUNNEL_TABLE)

        st.header(t("pt_outcomes", lang))
        outcomes = details.outcome_shares(detail("outcome_mix", f, db))
        if not sum(outcomes["decided"]):
            no_data(lang)
        else:
            page.bars(outcomes, OUTCOMES_CHART)
            st.caption(t("pt_outcomes_note", lang))
            page.table(outcomes, OUTCOMES_TABLE)
    elif tab == "ageing":
        st.header(t("pt_ageing", lang, date=period_end))
        ageing = details.ageing_by_bucket(detail("petition_ageing", f, db))
        if not sum(ageing["total"]):
            st.info(t("pt_no_open", lang), icon=":material/task_alt:")
        else:
            page.bars(ageing, AGEING, date=period_end)
            overdue = details.overdue_count(ageing)
            st.caption(t("pt_ageing_note", lang, n=fmt.number(overdue, lang)))
            basis_caption("petitions_overdue_open", lang)
            definitions(["petitions_overdue_open"], lang)
            page.table(ageing, AGEING_TABLE)
    elif tab == "communes":
        st.header(t("pt_rates", lang))
        commune_comparison(
            state,
            ["petitions_resolution_rate", "petitions_on_time_rate", "petitions_overdue_open"],
            results,
            "pt_commune",
        )
        definitions(["petitions_resolution_rate", "petitions_on_time_rate"], lang)
        page.table(detail("petitions_by", f, db, dim="commune"), BY_COMMUNE)
        st.subheader(t("pt_by_field", lang))
        page.table(detail("petitions_by_field", f, db), BY_FIELD)
    else:
        st.header(t("pt_prolonged", lang))
        prolonged = results["prolonged_cases_resolved_rate"]
        if not prolonged.denominator:
            st.caption(t("pt_no_prolonged", lang))
        else:
            st.markdown(
                t(
                    "pt_prolonged_line",
                    lang,
                    resolved=fmt.number(prolonged.numerator, lang),
                    total=fmt.number(prolonged.denominator, lang),
                    rate=fmt.percent(prolonged.value, lang),
                    date=period_end,
                )
            )
            page.table(detail("petition_cases", f, db, view="prolonged")[0], PROLONGED)

        st.header(t("pt_cases", lang))
        view = url_choice(
            t("pt_case_view", lang),
            list(CASE_VIEWS),
            "cases",
            lambda v: t(f"case_view_{v}", lang),
        )
        cases, total = detail("petition_cases", f, db, view=view)
        if not total:
            st.info(t("pt_no_cases", lang), icon=":material/search_off:")
        else:
            note = t("pt_cases_count", lang, n=fmt.number(total, lang), date=period_end)
            if total > CASE_LIMIT:
                note += " " + t("pt_cases_capped", lang, n=fmt.number(CASE_LIMIT, lang))
            st.caption(note + " " + t("pt_no_personal_data", lang))
            cases_table = Table(
                f"tbl_cases_{view}", "pt_cases", *CASE_COLS, height=420, max_rows=MAX_ROWS
            )
            page.table(cases, cases_table)

st.divider()
page_links(["receptions", "overview"], lang)

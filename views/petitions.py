"""Đơn thư, khiếu nại, tố cáo: how petitions move from receipt to resolution, which open
ones are past their legal deadline, where rates are low, and the cases themselves."""

import streamlit as st

from metrics import format as fmt
from metrics.details import (
    CASE_LIMIT,
    CASE_VIEWS,
    FUNNEL_STAGES,
    OUTCOMES,
    PETITION_FIELDS,
    PETITION_KINDS,
    ageing_buckets,
)
from views import cache, charts
from views.components import (
    basis_caption,
    commune_comparison,
    definitions,
    detail,
    kpi_cards,
    no_data,
    page_links,
    scope_caption,
    show_chart,
    stop_without_data,
)
from views.downloads import Col, show_table
from views.i18n import t
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
RATE_COLS = [
    Col("petitions_received", "col_received", "count"),
    Col("petitions_in_jurisdiction", "col_active", "count"),
    Col("petitions_resolution_rate_num", "col_resolved", "count"),
    Col("petitions_resolution_rate", "col_resolution_rate", "rate"),
    Col("petitions_on_time_rate_num", "col_on_time", "count"),
    Col("petitions_on_time_rate_den", "col_with_due_resolved", "count"),
    Col("petitions_on_time_rate", "col_on_time_rate", "rate"),
    Col("petitions_overdue_open", "col_overdue_open", "count"),
]

state = current()
lang, f, db = state.lang, state.filters, state.db
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

table = {"page": PAGE, "filters": f, "communes": state.communes}
kpi_cards(IDS, results, previous, lang)

# ---------------------------------------------------------------- funnel
st.header(t("pt_funnel", lang))
funnel = detail("petition_funnel", f, db)
stages = [s for s, _ in FUNNEL_STAGES]
if not funnel["petitions"].sum():
    no_data(lang)
else:
    show_chart(
        charts.funnel(
            [t(f"stage_{s}", lang) for s in stages],
            [
                {
                    "name": t(f"petition_kind_{k}", lang),
                    "values": funnel[funnel["kind"] == k]["petitions"].tolist(),
                    "color": KIND_COLORS[k],
                }
                for k in PETITION_KINDS
            ],
            lang,
            t("pt_funnel_title", lang),
            t("unit_petitions", lang),
        ),
        "pt_funnel",
        lang,
    )
    st.caption(t("pt_funnel_note", lang))
    wide = funnel.pivot(index="kind", columns="stage", values="petitions").reindex(
        index=list(PETITION_KINDS), columns=stages
    )
    wide.loc["total"] = wide.sum()
    show_table(
        wide.reset_index(),
        [
            Col("kind", "col_petition_kind", "enum", enum="petition_kind"),
            *(Col(s, f"stage_{s}", "count") for s in stages),
        ],
        lang,
        table="tbl_funnel",
        key="pt_funnel",
        **table,
    )

# ---------------------------------------------------------------- deadline ageing
st.header(t("pt_ageing", lang, date=fmt.day(f.date_to, lang)))
ageing = detail("petition_ageing", f, db)
buckets = ageing_buckets()


def bucket_label(key: str, low: int | None, high: int | None) -> str:
    if key in ("within", "due_soon", "no_deadline"):
        return t(f"bucket_{key}", lang, n=high or (low or 1) - 1)
    if high is None:
        return t("bucket_late_over", lang, n=low - 1)
    return t("bucket_late_range", lang, low=low, high=high)


labels = [bucket_label(*b) for b in buckets]
if not ageing["count"].sum():
    st.info(t("pt_no_open", lang), icon=":material/task_alt:")
else:
    kinds = [k for k in PETITION_KINDS if k in set(ageing["kind"])]
    show_chart(
        charts.bars(
            labels,
            [
                {
                    "name": t(f"petition_kind_{k}", lang),
                    "values": [
                        int(ageing[(ageing["bucket"] == b) & (ageing["kind"] == k)]["count"].sum())
                        for b, _, _ in buckets
                    ],
                    "color": KIND_COLORS[k],
                }
                for k in kinds
            ],
            lang,
            t("pt_ageing_title", lang, date=fmt.day(f.date_to, lang)),
            t("unit_open_petitions", lang),
            t("col_deadline_bucket", lang),
            horizontal=True,
            barmode="stack",
            buckets=[b for b, _, _ in buckets],
        ),
        "pt_ageing",
        lang,
    )
    overdue = int(ageing[ageing["bucket"].str.startswith("late_")]["count"].sum())
    st.caption(t("pt_ageing_note", lang, n=fmt.number(overdue, lang)))
    basis_caption("petitions_overdue_open", lang)
    definitions(["petitions_overdue_open"], lang)
    wide = (
        ageing.pivot_table(index="bucket", columns="kind", values="count", aggfunc="sum")
        .reindex(index=[b for b, _, _ in buckets], columns=list(PETITION_KINDS))
        .fillna(0)
        .astype(int)
    )
    wide["total"] = wide.sum(axis=1)
    wide.insert(0, "label", labels)
    show_table(
        wide.reset_index(drop=True),
        [
            Col("label", "col_deadline_bucket"),
            *(Col(k, f"petition_kind_{k}", "count") for k in PETITION_KINDS),
            Col("total", "col_total", "count"),
        ],
        lang,
        table="tbl_ageing",
        key="pt_ageing",
        **table,
    )

# ---------------------------------------------------------------- rates by commune and field
st.header(t("pt_rates", lang))
commune_comparison(
    state,
    ["petitions_resolution_rate", "petitions_on_time_rate", "petitions_overdue_open"],
    results,
    "pt_commune",
)
definitions(["petitions_resolution_rate", "petitions_on_time_rate"], lang)
show_table(
    detail("petitions_by", f, db, dim="commune"),
    [Col("key", "col_commune", "commune"), *RATE_COLS],
    lang,
    table="tbl_petitions_by_commune",
    key="pt_by_commune",
    **table,
)
by_field = detail("petitions_by", f, db, dim="field")
if len(by_field):
    order = {k: i for i, k in enumerate(PETITION_FIELDS)}
    by_field = by_field.sort_values("key", key=lambda s: s.map(order)).reset_index(drop=True)
st.subheader(t("pt_by_field", lang))
show_table(
    by_field,
    [Col("key", "col_field", "enum", enum="petition_field"), *RATE_COLS],
    lang,
    table="tbl_petitions_by_field",
    key="pt_by_field",
    **table,
)

# ---------------------------------------------------------------- outcomes
st.header(t("pt_outcomes", lang))
outcomes = detail("outcome_mix", f, db)
decided = outcomes[outcomes["kind"] != "kien_nghi_phan_anh"]
if not decided["petitions"].sum():
    no_data(lang)
else:
    kinds = [k for k in PETITION_KINDS if k != "kien_nghi_phan_anh"]
    totals = {k: int(decided[decided["kind"] == k]["petitions"].sum()) for k in kinds}
    series = []
    for o in OUTCOMES:
        counts = [
            int(decided[(decided["kind"] == k) & (decided["outcome"] == o)]["petitions"].sum())
            for k in kinds
        ]
        series.append(
            {
                "name": t(f"outcome_{o}", lang),
                "values": [
                    c / totals[k] if totals[k] else None for c, k in zip(counts, kinds, strict=True)
                ],
                "hover": [
                    f"({fmt.number(c, lang)} / {fmt.number(totals[k], lang)})"
                    for c, k in zip(counts, kinds, strict=True)
                ],
                "color": OUTCOME_COLORS[o],
            }
        )
    show_chart(
        charts.bars(
            [t(f"petition_kind_{k}", lang) for k in kinds],
            series,
            lang,
            t("pt_outcomes_title", lang),
            t("col_share", lang),
            t("col_petition_kind", lang),
            unit="rate",
            horizontal=True,
            barmode="stack",
        ),
        "pt_outcomes",
        lang,
    )
    st.caption(t("pt_outcomes_note", lang))
    wide = (
        outcomes.pivot(index="kind", columns="outcome", values="petitions")
        .reindex(index=kinds, columns=list(OUTCOMES))
        .reset_index()
    )
    show_table(
        wide,
        [
            Col("kind", "col_petition_kind", "enum", enum="petition_kind"),
            *(Col(o, f"outcome_{o}", "count") for o in OUTCOMES),
        ],
        lang,
        table="tbl_outcomes",
        key="pt_outcomes",
        **table,
    )

# ---------------------------------------------------------------- prolonged complex cases
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
            date=fmt.day(f.date_to, lang),
        )
    )
    cases, _ = detail("petition_cases", f, db, view="prolonged")
    show_table(
        cases,
        [
            Col("petition_id", "col_petition_id"),
            Col("received_date", "col_received_date", "date"),
            Col("due_date", "col_due_date", "date"),
            Col("resolved_date", "col_resolved_date", "date"),
            Col("kind", "col_petition_kind", "enum", enum="petition_kind"),
            Col("commune_code", "col_commune", "commune"),
            Col("status", "col_status", "enum", enum="case_status"),
            Col("days_open", "col_days_open", "count"),
        ],
        lang,
        table="tbl_prolonged",
        key="pt_prolonged",
        max_rows=MAX_ROWS,
        **table,
    )

# ---------------------------------------------------------------- case list
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
    note = t("pt_cases_count", lang, n=fmt.number(total, lang), date=fmt.day(f.date_to, lang))
    if total > CASE_LIMIT:
        note += " " + t("pt_cases_capped", lang, n=fmt.number(CASE_LIMIT, lang))
    st.caption(note + " " + t("pt_no_personal_data", lang))
    show_table(
        cases,
        [
            Col("petition_id", "col_petition_id"),
            Col("received_date", "col_received_date", "date"),
            Col("accepted_date", "col_accepted_date", "date"),
            Col("due_date", "col_due_date", "date"),
            Col("resolved_date", "col_resolved_date", "date"),
            Col("level", "col_level", "enum", enum="level"),
            Col("kind", "col_petition_kind", "enum", enum="petition_kind"),
            Col("field", "col_field", "enum", enum="petition_field"),
            Col("commune_code", "col_commune", "commune"),
            Col("complex", "col_complex", "bool"),
            Col("prolonged", "col_prolonged", "bool"),
            Col("status", "col_status", "enum", enum="case_status"),
            Col("days_open", "col_days_open", "count"),
            Col("days_late", "col_days_late", "count"),
        ],
        lang,
        table=f"tbl_cases_{view}",
        key="pt_cases",
        height=420,
        max_rows=MAX_ROWS,
        **table,
    )

st.divider()
page_links(["receptions", "overview"], lang)

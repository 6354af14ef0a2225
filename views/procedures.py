"""Thủ tục hành chính & một cửa: dossiers received and resolved, how many on time, which
procedures and offices are late (with enough volume to matter), and the catalogue."""

import streamlit as st

from metrics import format as fmt
from metrics.combined import from_registers
from metrics.details import (
    CHANNELS,
    MIN_VOLUME,
    ONLINE_LEVELS,
    ageing_buckets,
    processing_times,
    worst_on_time,
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
SHARE_COLORS = {"early": "#2e7d32", "on_due_date": "#7fa7d6", "late": "#b3261e"}
WORST_ROWS = 10

state = current()
lang, f, db = state.lang, state.filters, state.db
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

table = {"page": PAGE, "filters": f, "communes": state.communes}
timeliness_cols = [
    Col("dossiers_received", "col_received", "count"),
    Col("dossiers_resolved", "col_resolved", "count"),
    Col("dossiers_on_time_rate", "col_on_time_rate", "rate"),
    Col("dossiers_late", "col_late", "count"),
    Col("late_without_apology", "col_late_without_apology", "count"),
    Col("dossiers_avg_days", "col_avg_days", "days"),
    Col("dossiers_overdue_open", "col_overdue_open", "count"),
]

# ---------------------------------------------------------------- dossiers
st.header(t("pr_dossiers", lang))
kpi_cards(DOSSIER_IDS, results, previous, lang)
# The charts and tables below read the dossiers themselves, which a report form does not give.
if not has_dossiers or not from_registers(results["dossiers_received"]):
    no_data(lang)
else:
    months = cache.kpis_by(
        f, "month", db, ["dossiers_received", "dossiers_resolved", "dossiers_on_time_rate"]
    )
    show_chart(
        charts.monthly_combo(
            months,
            "dossiers_received",
            "dossiers_on_time_rate",
            lang,
            t("pr_month_title", lang),
            bar2_id="dossiers_resolved",
        ),
        "pr_months",
        lang,
    )
    monthly = detail("dossiers_by_month", f, db)
    labels = [fmt.month(m, lang) for m in monthly["month"]]
    show_chart(
        charts.bars(
            labels,
            [
                {
                    "name": t(f"share_{part}", lang),
                    "values": monthly[f"{part}_share"].tolist(),
                    "hover": [
                        f"({fmt.number(n, lang)} / {fmt.number(d, lang)})"
                        for n, d in zip(
                            monthly[f"dossiers_{part}"], monthly["dossiers_resolved"], strict=True
                        )
                    ],
                    "color": SHARE_COLORS[part],
                }
                for part in ("early", "on_due_date", "late")
            ],
            lang,
            t("pr_shares_title", lang),
            t("col_share", lang),
            t("month", lang),
            unit="rate",
            barmode="stack",
        ),
        "pr_shares",
        lang,
    )
    show_table(
        monthly,
        [
            Col("month", "col_month", "month"),
            Col("dossiers_received", "col_received", "count"),
            Col("dossiers_resolved", "col_resolved", "count"),
            Col("dossiers_early", "share_early", "count"),
            Col("dossiers_on_due_date", "share_on_due_date", "count"),
            Col("dossiers_late", "share_late", "count"),
            Col("early_share", "col_early_share", "rate"),
            Col("on_due_date_share", "col_on_due_date_share", "rate"),
            Col("late_share", "col_late_share", "rate"),
        ],
        lang,
        table="tbl_dossiers_by_month",
        key="pr_months",
        **table,
    )
    basis_caption("dossiers_on_time_rate", lang)

    st.subheader(t("pr_open", lang, date=fmt.day(f.date_to, lang)))
    ageing = detail("dossier_ageing", f, db)
    buckets = [b for b in ageing_buckets() if b[0] != "no_deadline"]
    ageing = ageing[ageing["bucket"] != "no_deadline"]

    def bucket_label(key: str, low: int | None, high: int | None) -> str:
        if key in ("within", "due_soon"):
            return t(f"bucket_{key}", lang, n=high or (low or 1) - 1)
        if high is None:
            return t("bucket_late_over", lang, n=low - 1)
        return t("bucket_late_range", lang, low=low, high=high)

    if not ageing["count"].sum():
        st.info(t("pr_no_open", lang), icon=":material/task_alt:")
    else:
        show_chart(
            charts.bars(
                [bucket_label(*b) for b in buckets],
                [
                    {
                        "name": t("unit_open_dossiers", lang),
                        "values": ageing["count"].tolist(),
                        "text": [fmt.number(n, lang) for n in ageing["count"]],
                    }
                ],
                lang,
                t("pr_ageing_title", lang, date=fmt.day(f.date_to, lang)),
                t("unit_open_dossiers", lang),
                t("col_deadline_bucket", lang),
                horizontal=True,
                buckets=[b for b, _, _ in buckets],
            ),
            "pr_ageing",
            lang,
        )
        definitions(["dossiers_overdue_open"], lang)

    st.subheader(t("pr_channels", lang))
    channels = detail("dossier_channels", f, db)
    show_chart(
        charts.bars(
            [t(f"channel_{c}", lang) for c in CHANNELS],
            [
                {
                    "name": t("col_share", lang),
                    "values": channels["share"].tolist(),
                    "hover": [
                        f"({fmt.number(n, lang)} {t('unit_dossiers', lang)})"
                        for n in channels["dossiers_received"]
                    ],
                    "text": [fmt.percent(s, lang) for s in channels["share"]],
                }
            ],
            lang,
            t("pr_channels_title", lang),
            t("col_share", lang),
            t("col_channel", lang),
            unit="rate",
            horizontal=True,
        ),
        "pr_channels",
        lang,
    )

    st.subheader(t("pr_by_commune", lang))
    commune_comparison(
        state,
        [
            "dossiers_on_time_rate",
            "dossiers_received",
            "dossiers_overdue_open",
            "late_apology_rate",
        ],
        results,
        "pr_commune",
    )

    # ------------------------------------------------------------ by procedure and agency
    st.header(t("pr_worst", lang))
    min_volume = st.number_input(
        t("pr_min_volume", lang),
        min_value=1,
        max_value=100_000,
        value=MIN_VOLUME,
        step=5,
        key="pr_min_volume",
        help=t("pr_min_volume_help", lang),
    )
    by_procedure = detail("dossier_timeliness", f, db, dim="procedure")
    worst = worst_on_time(by_procedure, int(min_volume), WORST_ROWS)
    st.subheader(t("pr_worst_procedures", lang, n=fmt.number(int(min_volume), lang)))
    if worst.empty:
        st.info(t("pr_none_with_volume", lang), icon=":material/search_off:")
    else:
        show_table(
            worst,
            [
                Col("key", "col_procedure_code"),
                Col("name", "col_procedure_name"),
                Col("level", "col_procedure_level", "enum", enum="procedure_level"),
                *timeliness_cols,
                Col("committed_days", "col_committed_days", "count"),
                Col("statutory_days", "col_statutory_days", "count"),
            ],
            lang,
            table="tbl_worst_procedures",
            key="pr_worst_procedures",
            **table,
        )
    agencies = detail("agency_list", f, db)
    names = dict(zip(agencies["agency_code"], agencies["name"], strict=True))
    by_agency = detail("dossier_timeliness", f, db, dim="agency")
    by_agency["name"] = [
        names.get(k, k) if isinstance(k, str) else t("pr_no_agency", lang) for k in by_agency["key"]
    ]
    worst_agencies = worst_on_time(by_agency, int(min_volume), WORST_ROWS)
    st.subheader(t("pr_worst_agencies", lang, n=fmt.number(int(min_volume), lang)))
    if worst_agencies.empty:
        st.info(t("pr_none_with_volume", lang), icon=":material/search_off:")
    else:
        show_table(
            worst_agencies,
            [Col("key", "col_agency_code"), Col("name", "col_agency_name"), *timeliness_cols],
            lang,
            table="tbl_worst_agencies",
            key="pr_worst_agencies",
            **table,
        )
    definitions(["dossiers_on_time_rate", "late_apology_rate", "dossiers_avg_days"], lang)

    st.subheader(t("pr_no_apology", lang))
    no_apology = by_agency[by_agency["late_without_apology"] > 0].sort_values(
        ["late_without_apology", "dossiers_late"], ascending=False
    )
    if no_apology.empty:
        st.success(t("pr_all_apologised", lang), icon=":material/check:")
    else:
        show_table(
            no_apology,
            [
                Col("key", "col_agency_code"),
                Col("name", "col_agency_name"),
                Col("dossiers_late", "col_late", "count"),
                Col("late_without_apology", "col_late_without_apology", "count"),
                Col("late_apology_rate", "col_apology_rate", "rate"),
            ],
            lang,
            table="tbl_no_apology",
            key="pr_no_apology",
            **table,
        )
        basis_caption("late_apology_rate", lang)

    st.subheader(t("pr_times", lang))
    times = processing_times(by_procedure)
    if times.empty:
        no_data(lang)
    else:
        level_labels = [t(f"procedure_level_{lv}", lang) for lv in times["level"]]
        show_chart(
            charts.bars(
                level_labels,
                [
                    {"name": t("col_avg_days", lang), "values": times["avg_days"].tolist()},
                    {
                        "name": t("col_avg_committed", lang),
                        "values": times["avg_committed"].tolist(),
                    },
                    {
                        "name": t("col_avg_statutory", lang),
                        "values": times["avg_statutory"].tolist(),
                    },
                ],
                lang,
                t("pr_times_title", lang),
                t("unit_days", lang),
                t("col_procedure_level", lang),
                unit="number",
            ),
            "pr_times",
            lang,
        )
        show_table(
            times,
            [
                Col("level", "col_procedure_level", "enum", enum="procedure_level"),
                Col("dossiers_resolved", "col_resolved", "count"),
                Col("avg_days", "col_avg_days", "days"),
                Col("avg_committed", "col_avg_committed", "days"),
                Col("avg_statutory", "col_avg_statutory", "days"),
            ],
            lang,
            table="tbl_processing_times",
            key="pr_times",
            **table,
        )
        st.caption(t("pr_times_note", lang))

# ---------------------------------------------------------------- catalogue
st.header(t("pr_catalogue", lang))
st.caption(t("pr_catalogue_note", lang))
# The catalogue has no period: a change "against the previous period" would always be 0.
kpi_cards(CATALOGUE_IDS, results, None, lang)
catalogue = detail("catalogue_by_level", f, db)
show_table(
    catalogue,
    [
        Col("level", "col_procedure_level", "enum", enum="procedure_level"),
        Col("procedures", "col_procedures", "count"),
        Col("procedures_cut", "col_procedures_cut", "count"),
        *(Col(f"procedures_online_{lv}", f"online_{lv}", "count") for lv in ONLINE_LEVELS),
        Col("procedures_at_one_stop", "col_at_one_stop", "count"),
    ],
    lang,
    table="tbl_catalogue",
    key="pr_catalogue",
    **table,
)
st.subheader(t("pr_one_stop", lang))
one_stop = detail("one_stop_communes", f, db)
show_table(
    one_stop,
    [
        Col("commune_code", "col_commune", "commune"),
        Col("one_stop_since", "col_one_stop_since", "date"),
        Col("applies", "col_one_stop_applies", "bool"),
    ],
    lang,
    table="tbl_one_stop",
    key="pr_one_stop",
    **table,
)

st.divider()
page_links(["staff", "overview"], lang)

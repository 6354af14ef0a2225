"""Tiếp công dân & đối thoại: where reception days and dialogues happen, whether chairmen
keep the legal cadence, and which communes held no dialogue."""

import streamlit as st

from metrics import format as fmt
from metrics.details import RECEPTION_HOSTS, RECEPTION_KINDS, commune_chair_by_month
from metrics.rules import BASIS, COMMUNE_CHAIR_DAYS_PER_WEEK, DISTRICT_CHAIR_DAYS_PER_MONTH
from views import cache, charts
from views.components import (
    commune_chart,
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

PAGE = "receptions"
RECEPTION_IDS = [
    "reception_days",
    "reception_citizens",
    "reception_cases",
    "chair_reception_days",
    "chair_reception_citizens",
]
CADENCE_IDS = ["district_chair_compliance_rate", "commune_chair_compliance_rate"]
DIALOGUE_IDS = [
    "dialogues",
    "dialogue_attendees",
    "dialogue_opinions",
    "dialogue_opinions_answered_rate",
    "communes_with_dialogue_rate",
]
KIND_COLORS = {"dinh_ky": "#2f6db5", "dot_xuat": "#d9822b", "thuong_xuyen": "#7fa7d6"}

state = current()
lang, f, db = state.lang, state.filters, state.db
st.title(t("page_receptions", lang))
scope_caption(state)

results, previous = cache.kpis_with_previous(f, db, RECEPTION_IDS + CADENCE_IDS + DIALOGUE_IDS)
has_receptions = bool(results["reception_days"].value)
has_dialogues = bool(results["dialogues"].value)
if not has_receptions and not has_dialogues:
    stop_without_data(lang)

table = {"page": PAGE, "filters": f, "communes": state.communes}
reception_cols = [
    Col("reception_rows", "col_reception_days", "count"),
    Col("reception_citizens", "col_citizens", "count"),
    Col("reception_cases", "col_cases", "count"),
    Col("reception_large_groups", "col_large_groups", "count"),
]

# ---------------------------------------------------------------- receptions
st.header(t("rc_receptions", lang))
kpi_cards(RECEPTION_IDS, results, previous, lang)
if not has_receptions:
    no_data(lang)
else:
    by_kind_month = detail("receptions_by_month_kind", f, db)
    months = list(dict.fromkeys(by_kind_month["month"]))
    labels = [fmt.month(m, lang) for m in months]
    show_chart(
        charts.bars(
            labels,
            [
                {
                    "name": t(f"reception_kind_{k}", lang),
                    "values": by_kind_month[by_kind_month["kind"] == k]["reception_rows"].tolist(),
                    "color": KIND_COLORS[k],
                }
                for k in RECEPTION_KINDS
            ],
            lang,
            t("rc_days_by_month_kind", lang),
            t("col_reception_days", lang),
            t("month", lang),
            barmode="stack",
        ),
        "rc_month_kind",
        lang,
    )
    by_month = cache.kpis_by(f, "month", db, ["reception_citizens", "reception_cases"])
    show_chart(
        charts.monthly_combo(
            by_month,
            "reception_citizens",
            None,
            lang,
            t("rc_citizens_by_month", lang),
            bar2_id="reception_cases",
        ),
        "rc_month_citizens",
        lang,
    )

    st.subheader(t("rc_by_kind_host", lang))
    by_kind = detail("receptions_by", f, db, dim="kind")
    by_kind = by_kind.set_index("key").reindex(list(RECEPTION_KINDS)).fillna(0).reset_index()
    show_table(
        by_kind,
        [Col("key", "col_reception_kind", "enum", enum="reception_kind"), *reception_cols],
        lang,
        table="tbl_receptions_by_kind",
        key="rc_kind",
        **table,
    )
    by_host = detail("receptions_by", f, db, dim="host")
    order = {h: i for i, h in enumerate(RECEPTION_HOSTS)}
    by_host = by_host.sort_values("key", key=lambda s: s.map(order)).reset_index(drop=True)
    show_table(
        by_host,
        [Col("key", "col_reception_host", "enum", enum="reception_host"), *reception_cols],
        lang,
        table="tbl_receptions_by_host",
        key="rc_host",
        **table,
    )

    st.subheader(t("rc_by_commune", lang))
    commune_comparison(
        state,
        ["reception_days", "reception_citizens", "reception_cases", "chair_reception_days"],
        results,
        "rc_commune",
    )
    communes_table = detail("receptions_by", f, db, dim="commune")
    communes_table = communes_table[communes_table["key"].notna()]
    show_table(
        communes_table.sort_values("reception_rows", ascending=False),
        [Col("key", "col_commune", "commune"), *reception_cols],
        lang,
        table="tbl_receptions_by_commune",
        key="rc_commune",
        **table,
    )
    if f.level != "xa":
        st.caption(t("rc_district_rows_note", lang))

# ---------------------------------------------------------------- legal cadence
st.header(t("rc_cadence", lang))
kpi_cards(CADENCE_IDS, results, previous, lang, per_row=2)

st.subheader(t("rc_district_grid", lang, n=DISTRICT_CHAIR_DAYS_PER_MONTH))
if f.level == "xa":
    st.caption(t("not_applicable", lang))
else:
    grid = detail("district_chair_grid", f, db)
    below = grid[~grid["meets"]]
    x = [fmt.month(m, lang) for m in grid["month"]]
    show_chart(
        charts.heatmap(
            [[min(d / DISTRICT_CHAIR_DAYS_PER_MONTH, 1) for d in grid["days"]]],
            x,
            [t("rc_district_chair", lang)],
            [[str(d) for d in grid["days"]]],
            [
                [
                    t(
                        "rc_district_cell",
                        lang,
                        month=m,
                        days=d,
                        n=DISTRICT_CHAIR_DAYS_PER_MONTH,
                        status=t("meets" if ok else "below", lang),
                    )
                    for m, d, ok in zip(x, grid["days"], grid["meets"], strict=True)
                ]
            ],
            lang,
            t("rc_district_grid_title", lang),
            t("month", lang),
        ),
        "rc_district_grid",
        lang,
    )
    if len(below):
        st.warning(
            t(
                "rc_months_below",
                lang,
                n=len(below),
                total=len(grid),
                months=", ".join(fmt.month(m, lang) for m in below["month"]),
            ),
            icon=":material/warning:",
        )
    else:
        st.success(t("rc_all_months_meet", lang), icon=":material/check:")
    st.caption(f"{t('legal_basis', lang)}: {getattr(BASIS['district_reception'], lang)}")
    show_table(
        grid.assign(minimum=DISTRICT_CHAIR_DAYS_PER_MONTH),
        [
            Col("month", "col_month", "month"),
            Col("days", "col_chair_days", "count"),
            Col("minimum", "col_minimum", "count"),
            Col("meets", "col_meets", "bool"),
        ],
        lang,
        table="tbl_district_cadence",
        key="rc_district",
        **table,
    )

st.subheader(t("rc_commune_grid", lang, n=COMMUNE_CHAIR_DAYS_PER_WEEK))
if f.level == "huyen":
    st.caption(t("not_applicable", lang))
else:
    weeks = detail("commune_chair_grid", f, db)
    summary = commune_chair_by_month(weeks)
    codes = list(dict.fromkeys(weeks["commune_code"]))
    names = [state.commune_name(c) for c in codes]
    view = st.radio(
        t("rc_grid_view", lang),
        ["month", "week"],
        format_func=lambda v: t(f"rc_grid_{v}", lang),
        horizontal=True,
        key="rc_grid_view",
    )
    if view == "month":
        cols = list(dict.fromkeys(summary["month"]))
        cell = {(r.commune_code, r.month): r for r in summary.itertuples()}
        z, text, hover = [], [], []
        for c, name in zip(codes, names, strict=True):
            row = [cell[(c, m)] for m in cols]
            z.append([r.weeks_met / r.weeks for r in row])
            text.append([f"{r.weeks_met}/{r.weeks}" for r in row])
            hover.append(
                [
                    t(
                        "rc_commune_month_cell",
                        lang,
                        commune=name,
                        month=fmt.month(r.month, lang),
                        met=r.weeks_met,
                        weeks=r.weeks,
                    )
                    for r in row
                ]
            )
        x = [fmt.month(m, lang) for m in cols]
    else:
        cols = list(dict.fromkeys(weeks["week"]))
        cell = {(r.commune_code, r.week): r for r in weeks.itertuples()}
        z, text, hover = [], [], []
        for c, name in zip(codes, names, strict=True):
            row = [cell[(c, w)] for w in cols]
            z.append([1.0 if r.meets else 0.0 for r in row])
            text.append([str(r.days) for r in row])
            hover.append(
                [
                    t(
                        "rc_commune_week_cell",
                        lang,
                        commune=name,
                        week=fmt.day(r.week, lang),
                        days=r.days,
                        status=t("meets" if r.meets else "below", lang),
                    )
                    for r in row
                ]
            )
        x = [fmt.day(w, lang) for w in cols]
    show_chart(
        charts.heatmap(
            z,
            x,
            names,
            text,
            hover,
            lang,
            t("rc_commune_grid_title", lang),
            t(f"rc_grid_{view}", lang),
        ),
        f"rc_commune_grid_{view}",
        lang,
    )
    st.caption(f"{t('legal_basis', lang)}: {getattr(BASIS['commune_reception'], lang)}")

    compliance = cache.kpis_by(f, "commune", db, ["commune_chair_compliance_rate"])
    below_codes = [
        c
        for c, r in compliance.items()
        if r["commune_chair_compliance_rate"].value is not None
        and r["commune_chair_compliance_rate"].value < 1
    ]
    if below_codes:
        st.warning(
            t("rc_communes_below", lang, n=len(below_codes), total=len(compliance)),
            icon=":material/warning:",
        )
    commune_comparison(
        state, ["commune_chair_compliance_rate"], results, "rc_compliance", compliance
    )
    per_commune = (
        weeks.groupby("commune_code", as_index=False)
        .agg(weeks=("meets", "size"), weeks_met=("meets", "sum"))
        .astype({"weeks": int, "weeks_met": int})
    )
    per_commune["weeks_missed"] = per_commune["weeks"] - per_commune["weeks_met"]
    per_commune["rate"] = per_commune["weeks_met"] / per_commune["weeks"]
    show_table(
        per_commune.sort_values(["rate", "commune_code"]),
        [
            Col("commune_code", "col_commune", "commune"),
            Col("weeks", "col_weeks", "count"),
            Col("weeks_met", "col_weeks_met", "count"),
            Col("weeks_missed", "col_weeks_missed", "count"),
            Col("rate", "col_weeks_met_rate", "rate"),
        ],
        lang,
        table="tbl_commune_cadence",
        key="rc_commune_cadence",
        **table,
    )

# ---------------------------------------------------------------- dialogues
st.header(t("rc_dialogues", lang))
kpi_cards(DIALOGUE_IDS, results, previous, lang)
if not has_dialogues:
    no_data(lang)
dlg = detail("dialogues_by_commune", f, db)
missing = dlg[dlg["held_commune_dialogue"] == False]  # noqa: E712 (None = not applicable)
if len(missing):
    st.warning(
        t(
            "rc_no_dialogue",
            lang,
            n=len(missing),
            communes=", ".join(state.commune_name(c) for c in missing["commune_code"]),
        ),
        icon=":material/campaign:",
    )
    st.caption(f"{t('legal_basis', lang)}: {getattr(BASIS['dialogue'], lang)}")
active = dlg[dlg["dialogues"] > 0].sort_values("attendees_per_dialogue", ascending=False)
if len(active):
    codes = active["commune_code"].tolist()
    commune_chart(
        charts.bars(
            [state.commune_name(c) for c in codes],
            [
                {
                    "name": t("col_attendees_per_dialogue", lang),
                    "values": active["attendees_per_dialogue"].tolist(),
                    "hover": [
                        t("rc_dialogues_n", lang, n=fmt.number(n, lang))
                        for n in active["dialogues"]
                    ],
                },
                {
                    "name": t("col_opinions_per_dialogue", lang),
                    "values": active["opinions_per_dialogue"].tolist(),
                    "hover": [
                        t("rc_dialogues_n", lang, n=fmt.number(n, lang))
                        for n in active["dialogues"]
                    ],
                },
            ],
            lang,
            t("rc_per_dialogue_title", lang),
            t("rc_per_dialogue_axis", lang),
            t("col_commune", lang),
            unit="number",
            horizontal=True,
            customdata=codes,
        ),
        "rc_dialogue_chart",
        lang,
    )
show_table(
    dlg.sort_values(["held_commune_dialogue", "dialogues"], ascending=[True, False]),
    [
        Col("commune_code", "col_commune", "commune"),
        Col("dialogues", "col_dialogues", "count"),
        Col("attendees", "col_attendees", "count"),
        Col("opinions", "col_opinions", "count"),
        Col("answered", "col_answered", "count"),
        Col("answered_rate", "col_answered_rate", "rate"),
        Col("attendees_per_dialogue", "col_attendees_per_dialogue", "number"),
        Col("opinions_per_dialogue", "col_opinions_per_dialogue", "number"),
        Col("held_commune_dialogue", "col_held_commune_dialogue", "bool"),
    ],
    lang,
    table="tbl_dialogues_by_commune",
    key="rc_dialogues",
    **table,
)
definitions(["dialogue_opinions_answered_rate", "communes_with_dialogue_rate"], lang)

st.divider()
page_links(["petitions", "overview"], lang)

"""Tiếp công dân & đối thoại: where reception days and dialogues happen, whether chairmen
keep the legal cadence, and which communes held no dialogue."""

import streamlit as st

from metrics import format as fmt
from metrics.details import RECEPTION_HOSTS, RECEPTION_KINDS, commune_chair_by_month
from metrics.model import COMMUNE_LEVEL
from views import cache, charts
from views.components import (
    basis_caption,
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
from views.state import current, url_choice
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

state = current()
lang, f, db = state.lang, state.filters, state.db
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
kpi_cards(CADENCE_IDS, results, previous, lang, per_row=len(CADENCE_IDS))


def upper_grid(level: str, name: str, kpi_id: str) -> None:
    """The monthly rule of an upper level's chairman, month by month: days held against the
    minimum in force that month (months with no rule in force are not shown)."""
    st.subheader(t(f"rc_{level}_grid", lang))
    if f.level not in (None, level):
        st.caption(t("not_applicable", lang))
        return
    grid = detail(name, f, db)
    if grid.empty:
        st.caption(t("not_applicable_period", lang))
        return
    below = grid[~grid["meets"]]
    x = [fmt.month(m, lang) for m in grid["month"]]
    held = list(zip(grid["days"], grid["required"], strict=True))
    rows = zip(x, grid["days"], grid["required"], grid["meets"], strict=True)
    show_chart(
        charts.heatmap(
            [[min(d / r, 1) if r else 1 for d, r in held]],
            x,
            [t(f"rc_{level}_chair", lang)],
            [[f"{d}/{r}" for d, r in held]],
            [
                [
                    t(
                        "rc_upper_cell",
                        lang,
                        month=m,
                        days=d,
                        n=r,
                        status=t("meets" if ok else "below", lang),
                    )
                    for m, d, r, ok in rows
                ]
            ],
            lang,
            t(f"rc_{level}_grid_title", lang),
            t("month", lang),
        ),
        f"rc_{level}_grid",
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
    basis_caption(kpi_id, lang)
    show_table(
        grid,
        [
            Col("month", "col_month", "month"),
            Col("days", "col_chair_days", "count"),
            Col("required", "col_minimum", "count"),
            Col("meets", "col_meets", "bool"),
        ],
        lang,
        table=f"tbl_{level}_cadence",
        key=f"rc_{level}",
        **table,
    )


for level, name, kpi_id in UPPER_GRIDS:
    if level in state.levels:
        upper_grid(level, name, kpi_id)

st.subheader(t("rc_commune_grid", lang))
if f.level not in (None, COMMUNE_LEVEL):
    st.caption(t("not_applicable", lang))
else:
    # The weekly duty belonged to the commune that existed that week: the grid, its warning
    # and its table are per commune as recorded, whatever the unit view.
    weeks = detail("commune_chair_grid", f, db)
    summary = commune_chair_by_month(weeks)
    codes = list(dict.fromkeys(weeks["commune_code"]))
    names = [state.unit_name(c) for c in codes]
    view = url_choice(
        t("rc_grid_view", lang), ["month", "week"], "grid", lambda v: t(f"rc_grid_{v}", lang)
    )
    z, text, hover = [], [], []
    if view == "month":
        cols = sorted(set(summary["month"]))
        cell = {(r.commune_code, r.month): r for r in summary.itertuples()}
        for c, name in zip(codes, names, strict=True):
            row = [cell.get((c, m)) for m in cols]  # None: the commune did not exist then
            z.append([r.weeks_met / r.weeks if r else None for r in row])
            text.append([f"{r.weeks_met}/{r.weeks}" if r else "" for r in row])
            hover.append(
                [
                    t(
                        "rc_commune_month_cell",
                        lang,
                        commune=name,
                        month=fmt.month(m, lang),
                        met=r.weeks_met,
                        weeks=r.weeks,
                    )
                    if r
                    else ""
                    for m, r in zip(cols, row, strict=True)
                ]
            )
        x = [fmt.month(m, lang) for m in cols]
    else:
        cols = sorted(set(weeks["week"]))
        cell = {(r.commune_code, r.week): r for r in weeks.itertuples()}
        for c, name in zip(codes, names, strict=True):
            row = [cell.get((c, w)) for w in cols]
            z.append([(1.0 if r.meets else 0.0) if r else None for r in row])
            text.append([str(r.days) if r else "" for r in row])
            hover.append(
                [
                    t(
                        "rc_commune_week_cell",
                        lang,
                        commune=name,
                        week=fmt.day(w, lang),
                        days=r.days,
                        n=r.required,
                        status=t("meets" if r.meets else "below", lang),
                    )
                    if r
                    else ""
                    for w, r in zip(cols, row, strict=True)
                ]
            )
        x = [fmt.day(w, lang) for w in cols]
    if codes:
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
    else:
        st.caption(t("not_applicable_period", lang))
    basis_caption("commune_chair_compliance_rate", lang)

    per_commune = (
        weeks.groupby("commune_code", as_index=False)
        .agg(weeks=("meets", "size"), weeks_met=("meets", "sum"))
        .astype({"weeks": int, "weeks_met": int})
    )
    per_commune["weeks_missed"] = per_commune["weeks"] - per_commune["weeks_met"]
    per_commune["rate"] = per_commune["weeks_met"] / per_commune["weeks"]
    missed = per_commune[per_commune["weeks_missed"] > 0].sort_values(
        ["weeks_missed", "commune_code"], ascending=[False, True]
    )
    if len(missed):
        st.warning(
            t(
                "rc_communes_below",
                lang,
                n=len(missed),
                total=len(per_commune),
                communes="; ".join(
                    t(
                        "rc_commune_missed",
                        lang,
                        commune=literal(state.unit_name(c)),
                        weeks=fmt.number(w, lang),
                    )
                    for c, w in zip(missed["commune_code"], missed["weeks_missed"], strict=True)
                ),
            ),
            icon=":material/warning:",
        )
    compliance = cache.kpis_by(f, "commune", db, ["commune_chair_compliance_rate"])
    commune_comparison(
        state, ["commune_chair_compliance_rate"], results, "rc_compliance", compliance
    )
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
        **{**table, "communes": state.unit_names},
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
            communes=", ".join(literal(state.commune_name(c)) for c in missing["commune_code"]),
        ),
        icon=":material/campaign:",
    )
    basis_caption("communes_with_dialogue_rate", lang)
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

"""Cán bộ & kỷ cương: how staff were rated against the previous year, by sector and
agency, and what discipline inspections found and got fixed, by month and by unit."""

import streamlit as st

from metrics import format as fmt
from metrics.details import RATING_LEVELS, SECTORS
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

state = current()
lang, f, db = state.lang, state.filters, state.db
st.title(t("page_staff", lang))
scope_caption(state)

results, previous = cache.kpis_with_previous(f, db, RATING_IDS + INSPECTION_IDS)
has_ratings = any(results[k].denominator for k in RATING_IDS)
has_inspections = bool(results["inspections"].value)
if not has_ratings and not has_inspections:
    stop_without_data(lang)

table = {"page": PAGE, "filters": f, "communes": state.communes}
agencies = detail("agency_list", f, db)
agency_name = dict(zip(agencies["agency_code"], agencies["name"], strict=True))
agency_kind = dict(zip(agencies["agency_code"], agencies["kind"], strict=True))
rating_cols = [
    Col("rated", "col_rated", "count"),
    *(Col(lv, f"rating_{lv}", "count") for lv in RATING_LEVELS),
    Col("good_or_better_rate", "col_good_or_better_rate", "rate"),
    Col("previous_rate", "col_previous_rate", "rate"),
    Col("change", "col_change_pp", "number"),
]


def short_names(names: list[str], codes: list[str], width: int = 34) -> list[str]:
    """Chart labels that fit a phone: long agency names cut, kept distinct by their code."""
    out = [n if len(n) <= width else n[: width - 1].rstrip() + "…" for n in names]
    seen: dict[str, int] = {}
    for label in out:
        seen[label] = seen.get(label, 0) + 1
    return [f"{lb} ({c})" if seen[lb] > 1 else lb for lb, c in zip(out, codes, strict=True)]


def with_change(df):
    """The change of the good-or-better share against the previous period, in points."""
    df = df.copy()
    df["change"] = (df["good_or_better_rate"] - df["previous_rate"]) * 100
    return df


# ---------------------------------------------------------------- ratings
st.header(t("st_ratings", lang))
years = list(range(f.date_from.year, f.date_to.year + 1))
st.caption(t("st_rating_years", lang, years=", ".join(str(y) for y in years)))
kpi_cards(RATING_IDS, results, previous, lang, per_row=2)
if not has_ratings:
    no_data(lang)
else:
    by_sector = with_change(detail("ratings_by", f, db, dim="sector"))
    order = {s: i for i, s in enumerate(SECTORS)}
    by_sector = by_sector.sort_values("key", key=lambda s: s.map(order)).reset_index(drop=True)
    sector_labels = [t(f"sector_{s}", lang) for s in by_sector["key"]]
    show_chart(
        charts.bars(
            sector_labels,
            [
                {
                    "name": t(f"rating_{lv}", lang),
                    "values": (by_sector[lv] / by_sector["rated"]).tolist(),
                    "hover": [
                        f"({fmt.number(n, lang)} / {fmt.number(d, lang)})"
                        for n, d in zip(by_sector[lv], by_sector["rated"], strict=True)
                    ],
                    "color": LEVEL_COLORS[lv],
                }
                for lv in RATING_LEVELS
            ],
            lang,
            t("st_sector_title", lang),
            t("col_share", lang),
            t("col_sector", lang),
            unit="rate",
            horizontal=True,
            barmode="stack",
            height=260,
        ),
        "st_sectors",
        lang,
    )
    show_table(
        by_sector,
        [Col("key", "col_sector", "enum", enum="sector"), *rating_cols],
        lang,
        table="tbl_ratings_by_sector",
        key="st_sector",
        **table,
    )
    if len(years) > 1:
        per_year = detail("ratings_by_year", f, db, dim="sector")
        per_year["good_or_better_rate"] = (per_year["excellent"] + per_year["good"]) / per_year[
            "rated"
        ]
        show_table(
            per_year,
            [
                Col("year", "col_year"),
                Col("key", "col_sector", "enum", enum="sector"),
                Col("rated", "col_rated", "count"),
                *(Col(lv, f"rating_{lv}", "count") for lv in RATING_LEVELS),
                Col("good_or_better_rate", "col_good_or_better_rate", "rate"),
            ],
            lang,
            table="tbl_ratings_by_year",
            key="st_year",
            **table,
        )

    st.subheader(t("st_by_agency", lang))
    by_agency = with_change(detail("ratings_by", f, db, dim="agency"))
    by_agency["name"] = [agency_name.get(k, k) for k in by_agency["key"]]
    by_agency["agency_kind"] = [agency_kind.get(k) for k in by_agency["key"]]
    by_agency = by_agency.sort_values(["good_or_better_rate", "key"]).reset_index(drop=True)
    codes = by_agency["key"].tolist()
    show_chart(
        charts.bars(
            short_names(by_agency["name"].tolist(), codes),
            [
                {
                    "name": t("col_good_or_better_rate", lang),
                    "values": by_agency["good_or_better_rate"].tolist(),
                    "hover": [
                        f"({fmt.number(n, lang)} / {fmt.number(d, lang)})<br>{name}"
                        for n, d, name in zip(
                            by_agency["good_or_better"],
                            by_agency["rated"],
                            by_agency["name"],
                            strict=True,
                        )
                    ],
                },
                {
                    "name": t("col_previous_rate", lang),
                    "values": by_agency["previous_rate"].tolist(),
                    "color": "#bdbdbd",
                },
            ],
            lang,
            t("st_agency_title", lang),
            t("col_good_or_better_rate", lang),
            t("col_agency_name", lang),
            unit="rate",
            horizontal=True,
            customdata=codes,
        ),
        "st_agencies",
        lang,
    )
    show_table(
        by_agency,
        [
            Col("key", "col_agency_code"),
            Col("name", "col_agency_name"),
            Col("agency_kind", "col_agency_kind", "enum", enum="agency_kind"),
            *rating_cols,
        ],
        lang,
        table="tbl_ratings_by_agency",
        key="st_agency",
        **table,
    )

    st.subheader(t("st_by_commune", lang))
    if commune_comparison(state, ["staff_good_or_better_rate_admin"], results, "st_commune"):
        st.caption(t("st_by_commune_note", lang))

# ---------------------------------------------------------------- inspections
st.header(t("st_inspections", lang))
kpi_cards(INSPECTION_IDS, results, previous, lang)
if not has_inspections:
    no_data(lang)
else:
    monthly = detail("inspections_by_month", f, db)
    labels = [fmt.month(m, lang) for m in monthly["month"]]
    show_chart(
        charts.bars(
            labels,
            [
                {"name": t("col_planned", lang), "values": monthly["planned"].tolist()},
                {
                    "name": t("col_surprise", lang),
                    "values": monthly["inspections_surprise"].tolist(),
                    "color": "#d9822b",
                },
            ],
            lang,
            t("st_month_title", lang),
            t("col_inspections", lang),
            t("month", lang),
            barmode="stack",
        ),
        "st_months",
        lang,
    )
    show_chart(
        charts.bars(
            labels,
            [
                {
                    "name": t("col_violations", lang),
                    "values": monthly["violations"].tolist(),
                    "color": "#b3261e",
                },
                {
                    "name": t("col_violations_fixed", lang),
                    "values": monthly["violations_fixed"].tolist(),
                    "color": "#2e7d32",
                },
            ],
            lang,
            t("st_violations_title", lang),
            t("col_violations", lang),
            t("month", lang),
        ),
        "st_violations",
        lang,
    )
    show_table(
        monthly,
        [
            Col("month", "col_month", "month"),
            Col("inspections", "col_inspections", "count"),
            Col("planned", "col_planned", "count"),
            Col("inspections_surprise", "col_surprise", "count"),
            Col("violations", "col_violations", "count"),
            Col("violations_fixed", "col_violations_fixed", "count"),
        ],
        lang,
        table="tbl_inspections_by_month",
        key="st_months",
        **table,
    )

    st.subheader(t("st_by_unit", lang))
    units = detail("inspections_by_unit", f, db)
    units["name"] = [
        state.commune_name(c) if k == "xa" else agency_name.get(c, c)
        for k, c in zip(units["unit_kind"], units["unit_code"], strict=True)
    ]
    commune_units = units[units["unit_kind"] == "xa"]
    if len(commune_units):
        codes = commune_units["unit_code"].tolist()
        commune_chart(
            charts.bars(
                commune_units["name"].tolist(),
                [
                    {
                        "name": t("col_planned", lang),
                        "values": (
                            commune_units["inspections"] - commune_units["surprise"]
                        ).tolist(),
                    },
                    {
                        "name": t("col_surprise", lang),
                        "values": commune_units["surprise"].tolist(),
                        "color": "#d9822b",
                    },
                ],
                lang,
                t("st_commune_units_title", lang),
                t("col_inspections", lang),
                t("col_commune", lang),
                horizontal=True,
                barmode="stack",
                customdata=codes,
            ),
            "st_units_chart",
            lang,
        )
    units["fixed_rate"] = [
        x / v if v else None
        for x, v in zip(units["violations_fixed"], units["violations"], strict=True)
    ]
    show_table(
        units,
        [
            Col("unit_kind", "col_unit_kind", "enum", enum="unit_kind"),
            Col("unit_code", "col_unit_code"),
            Col("name", "col_unit_name"),
            Col("inspections", "col_inspections", "count"),
            Col("surprise", "col_surprise", "count"),
            Col("violations", "col_violations", "count"),
            Col("violations_fixed", "col_violations_fixed", "count"),
            Col("fixed_rate", "col_fixed_rate", "rate"),
        ],
        lang,
        table="tbl_inspections_by_unit",
        key="st_units",
        **table,
    )
    definitions(["violations_fixed_rate", "surprise_inspected_communes"], lang)

st.divider()
page_links(["procedures", "overview"], lang)

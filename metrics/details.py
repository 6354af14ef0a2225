"""Breakdowns the domain pages need beyond the KPI catalogue, computed in DuckDB.

Each function takes the global filters and the warehouse and returns a small aggregated
DataFrame (or a list): by kind, field, host, procedure, agency, sector or unit; the legal
cadence grids; the petition funnel; deadline ageing; the capped case list; the catalogue.
Aggregates that already exist as measures in `metrics.model` are reused through the engine
(`run_source`), so a page's breakdown adds up to the KPI it explains. The few measures
added here are declared once, below, in the same form as the model's. Filter values are
always bound parameters; no table is ever read whole into pandas.

A breakdown comes back as a page shows it: complete (every kind of the contract, zeros
included, where the page lists them all), in the product's order (the contract's order of
kinds, hosts, sectors and levels; communes by volume), with its derived columns (shares,
changes, names) computed here, so a page only declares its sections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from data.contract import TABLES
from metrics.cadence import THURSDAY_OFFSET, cells_sql
from metrics.cadence import params as cadence_params
from metrics.engine import (
    COMMUNES_TODAY_SQL,
    PERIODS_CTE,
    ROW_BREAKDOWNS,
    TODAY,
    Db,
    Filters,
    Result,
    aggregate_plan,
    compute_by,
    evaluate,
    open_cursor,
    period_params,
    results_for,
    run_source,
    scope_where,
    unit_ctes,
    unit_view_sql,
    upper_allowed,
)
from metrics.model import (
    CADENCES,
    CUSTOM_MEASURES,
    FINISHED_IN,
    IN_RATING_YEARS,
    MEASURES,
    POPULATIONS,
    RECEIVED_IN,
    RESOLVED_IN,
    SOURCES,
    Measure,
    _m,
    within,
)

_ENUMS = {t.name: {c.name: c.enum for c in t.columns if c.enum} for t in TABLES}
PETITION_KINDS: tuple[str, ...] = _ENUMS["petitions"]["kind"]
PETITION_FIELDS: tuple[str, ...] = _ENUMS["petitions"]["field"]
OUTCOMES: tuple[str, ...] = _ENUMS["petitions"]["outcome"]
RECEPTION_KINDS: tuple[str, ...] = _ENUMS["receptions"]["kind"]
RECEPTION_HOSTS: tuple[str, ...] = _ENUMS["receptions"]["host"]
CHANNELS: tuple[str, ...] = _ENUMS["dossiers"]["channel"]
ONLINE_LEVELS: tuple[str, ...] = _ENUMS["procedures"]["online_level"]
PROCEDURE_LEVELS: tuple[str, ...] = _ENUMS["procedures"]["level"]
SECTORS: tuple[str, ...] = ("hanh_chinh", "su_nghiep")
RATING_LEVELS: tuple[str, ...] = ("excellent", "good", "completed", "not_completed")

# Deadline ageing. An open item is "due soon" when its deadline falls within this many days
# of the period end (inclusive), and overdue ones are banded by days late so a meeting sees
# at a glance which cases are weeks late and which are years late. These are reading aids,
# not legal thresholds; the deadlines themselves come from the law (metrics.rules).
DUE_SOON_DAYS = 7
OVERDUE_BANDS = (30, 90, 365)  # upper bounds (inclusive) of days late; the last band is open

# A procedure or agency needs at least this many dossiers resolved in the period before it
# can be ranked by on-time rate: one late dossier in a rare procedure is 0% and says little.
MIN_VOLUME = 20

CASE_LIMIT = 2000  # rows of the petition case list shown and downloaded

# --------------------------------------------------------------------------- measures
# Aggregates the pages need that no KPI uses. Same form as metrics.model.MEASURES.

RECEPTION_IN = within("reception_date")
INSPECTED_IN = within("inspection_date")

DETAIL_MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        # petition funnel over the petitions received in the period
        _m("funnel_eligible", "petitions", "count(*)", f"{RECEIVED_IN} AND eligible"),
        _m(
            "funnel_accepted",
            "petitions",
            "count(*)",
            f"{RECEIVED_IN} AND active AND accepted_date <= p.p_to",
        ),
        _m(
            "funnel_resolved",
            "petitions",
            "count(*)",
            f"{RECEIVED_IN} AND active AND resolved_date <= p.p_to",
        ),
        # outcomes of petitions resolved in the period
        *(
            _m(f"outcome_{o}", "petitions", "count(*)", f"{RESOLVED_IN} AND outcome = '{o}'")
            for o in OUTCOMES
        ),
        # dossier timeliness: on the promised date exactly (on time but not early)
        _m(
            "dossiers_on_due_date",
            "dossiers",
            "count(*)",
            f"{FINISHED_IN} AND finished_date = due_date",
        ),
        # the catalogue
        *(
            _m(f"procedures_online_{lv}", "procedures", "count(*)", f"online_level = '{lv}'")
            for lv in ONLINE_LEVELS
        ),
        _m("procedures_at_one_stop", "procedures", "count(*)", "at_one_stop"),
        # inspections of a unit: a commune (target xa) or an agency (target co_quan)
        *(
            m
            for kind in ("xa", "co_quan")
            for m in (
                _m(
                    f"unit_inspections_{kind}",
                    "inspections",
                    "count(*)",
                    f"{INSPECTED_IN} AND target_kind = '{kind}'",
                ),
                _m(
                    f"unit_surprise_{kind}",
                    "inspections",
                    "count(*)",
                    f"{INSPECTED_IN} AND target_kind = '{kind}' AND surprise",
                ),
                _m(
                    f"unit_violations_{kind}",
                    "inspections",
                    "sum(violations)",
                    f"{INSPECTED_IN} AND target_kind = '{kind}'",
                ),
                _m(
                    f"unit_fixed_{kind}",
                    "inspections",
                    "sum(violations_fixed)",
                    f"{INSPECTED_IN} AND target_kind = '{kind}'",
                ),
            )
        ),
        # staff ratings by level, over the period's years
        *(
            _m(f"rating_{lv}", "staff_ratings", f"sum({lv})", IN_RATING_YEARS)
            for lv in RATING_LEVELS
        ),
        _m("rating_rated", "staff_ratings", "sum(rated)", IN_RATING_YEARS),
    )
}


def _measure(name: str) -> Measure:
    return MEASURES[name] if name in MEASURES else DETAIL_MEASURES[name]


def _plain(x: object) -> int | float:
    """A DuckDB aggregate as a plain number; an empty sum is 0 for a breakdown row."""
    if x is None:
        return 0
    if isinstance(x, float):
        return int(x) if x.is_integer() else x
    try:
        return int(x)  # HUGEINT sums and Decimals of whole numbers
    except (TypeError, ValueError):
        return float(x)


def _measures(
    filters: Filters,
    names: list[str],
    by: str | None,
    periods: list[tuple[str, date, date]] | None,
    db: Db,
) -> dict[tuple[str, str | None], dict[str, int | float]]:
    """{(period key, group): {measure: value}} for named measures, one query per source."""
    groups: dict[tuple[str, tuple[str, ...]], list[Measure]] = defaultdict(list)
    for name in names:
        m = _measure(name)
        groups[(m.source, m.ignores)].append(m)
    plist = periods or [("current", filters.date_from, filters.date_to)]
    out: dict = defaultdict(dict)
    cur = open_cursor(db)
    try:
        for (source, ignores), measures in groups.items():
            rows = run_source(cur, source, measures, ignores, filters, plist, by)
            for key, vals in rows.items():
                out[key].update({k: _plain(v) for k, v in vals.items()})
    finally:
        cur.close()
    return out


def measure_frame(filters: Filters, names: list[str], by: str, db: Db = None) -> pd.DataFrame:
    """Named measures per group of a source dimension: columns `key` then one per measure.

    Groups with every measure 0 are dropped (rows outside the period still form a group
    in the engine's cross join); a missing dimension value is the key None.
    """
    rows = _measures(filters, names, by, None, db)
    data = [
        {"key": g, **{n: vals.get(n, 0) for n in names}}
        for (_, g), vals in rows.items()
        if any(vals.get(n, 0) for n in names)
    ]
    return pd.DataFrame(data, columns=["key", *names])


def monthly_frame(filters: Filters, names: list[str], db: Db = None) -> pd.DataFrame:
    """Named measures per month of the period (every month, zeros included)."""
    months = filters.months()
    rows = _measures(filters, names, "month", months, db)
    data = [
        {"month": key, **{n: rows.get((key, None), {}).get(n, 0) for n in names}}
        for key, _, _ in months
    ]
    return pd.DataFrame(data, columns=["month", *names])


def in_order(df: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.DataFrame:
    """The rows sorted by `column` in the declared `order` of its values (values outside it
    last)."""
    rank = {v: i for i, v in enumerate(order)}
    return df.sort_values(column, key=lambda s: s.map(rank)).reset_index(drop=True)


# --------------------------------------------------------------------------- KPIs by any dim


def compute_by_dim(
    filters: Filters, dim: str, ids: list[str] | None = None, db: Db = None
) -> dict[str | None, dict[str, Result]]:
    """KPIs per value of a source dimension (kind, field, procedure, agency, ...).

    Like `metrics.engine.compute_by`, but for any dimension the sources declare; KPIs whose
    measures do not all have that dimension are left out. Rows without a value for the
    dimension form the group None.
    """
    plist = [("current", filters.date_from, filters.date_to)]
    ev = evaluate(ids, filters, db, plist, dim)
    groups = {g for (_, g) in ev["merged"]}
    return {
        g: results_for(ev, ("current", g), filters.level)
        for g in sorted(groups, key=lambda g: (g is None, g or ""))
    }


def kpi_frame(
    results: dict[str | None, dict[str, Result]], ids: list[str], key: str = "key"
) -> pd.DataFrame:
    """{group: {KPI: Result}} as rows: the value of each KPI, and for ratios its numerator
    and denominator (`<id>_num`, `<id>_den`), so tables and hovers can show n / d."""
    data = []
    for g, res in results.items():
        row: dict = {key: g}
        for i in ids:
            r = res.get(i)
            row[i] = r.value if r else None
            if r is not None and r.unit != "count":
                row[f"{i}_num"] = r.numerator
                row[f"{i}_den"] = r.denominator
        data.append(row)
    return pd.DataFrame(data)


# --------------------------------------------------------------------------- names


def procedure_info(db: Db = None, codes: list[str] | None = None) -> pd.DataFrame:
    """Catalogue columns of the given procedures (all when None)."""
    cur = open_cursor(db)
    try:
        where = "true" if codes is None else "list_contains($codes, procedure_code)"
        params = {} if codes is None else {"codes": list(codes)}
        return cur.execute(
            "SELECT procedure_code, name, level, agency_code, field, statutory_days, "
            f"committed_days FROM procedures WHERE {where} ORDER BY procedure_code",
            params,
        ).df()
    finally:
        cur.close()


# --------------------------------------------------------------------------- receptions

RECEPTION_MEASURES = [
    "reception_rows",
    "reception_citizens",
    "reception_cases",
    "reception_large_groups",
]


def receptions_by(filters: Filters, dim: str, db: Db = None) -> pd.DataFrame:
    """Reception days, citizens, cases and large groups per commune, kind or host."""
    return measure_frame(filters, RECEPTION_MEASURES, dim, db)


def receptions_by_kind(filters: Filters, db: Db = None) -> pd.DataFrame:
    """`receptions_by` kind, every kind of the contract in its order: a kind not held in the
    period is a row of zeros."""
    df = receptions_by(filters, "kind", db)
    df = df.set_index("key").reindex(list(RECEPTION_KINDS)).fillna(0).reset_index()
    return df.astype(dict.fromkeys(RECEPTION_MEASURES, int))


def receptions_by_host(filters: Filters, db: Db = None) -> pd.DataFrame:
    """`receptions_by` host, in the contract's order of hosts (a host that held none is
    not listed)."""
    return in_order(receptions_by(filters, "host", db), "key", RECEPTION_HOSTS)


def receptions_by_commune(filters: Filters, db: Db = None) -> pd.DataFrame:
    """`receptions_by` commune, most reception days first (then by code). The rows of a
    level above the commune that name no commune are left out: the page says so."""
    df = receptions_by(filters, "commune", db)
    df = df[df["key"].notna()]
    return df.sort_values(["reception_rows", "key"], ascending=[False, True]).reset_index(drop=True)


def receptions_by_month_kind(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Reception days per month of the period (every month), one column per kind
    (scheduled / ad hoc / regular desk) in the contract's order."""
    months = filters.months()
    rows = _measures(filters, ["reception_rows"], "kind", months, db)
    data = [
        {
            "month": m,
            **{k: rows.get((m, k), {}).get("reception_rows", 0) for k in RECEPTION_KINDS},
        }
        for m, _, _ in months
    ]
    return pd.DataFrame(data, columns=["month", *RECEPTION_KINDS])


def cadence_cells(filters: Filters, name: str, db: Db = None) -> pd.DataFrame:
    """The cells of a cadence rule over the period, as the KPI counts them: unit (None for
    an upper level), the view's commune (`group_code`), `cell_start` (Monday or first of the
    month), the days of the cell inside the period and the rule (`lo`, `hi`), the rule's
    minimum (`required`), the distinct days held and whether the cell meets the rule."""
    cadence = CADENCES[name]
    cm = CUSTOM_MEASURES[name]
    params = period_params([("current", filters.date_from, filters.date_to)])
    params.update(cadence_params(cadence))
    # Access scope: per-commune cells are rows; an upper level's cells need its figures.
    units = unit_ctes(filters, cm.ignores, params, cadence.per_commune)
    params["allowed"] = cadence.per_commune or upper_allowed(filters)
    sql = (
        f"WITH {PERIODS_CTE}, {units}{cells_sql(cadence).strip()} "
        "SELECT unit, group_code, cell_start, lo, hi, required, days, meets FROM cells "
        "WHERE $allowed ORDER BY group_code NULLS FIRST, unit NULLS FIRST, cell_start, lo"
    )
    cur = open_cursor(db)
    try:
        df = cur.execute(sql, params).df()
    finally:
        cur.close()
    return df.astype({"required": int, "days": int, "meets": bool})


def upper_chair_grid(filters: Filters, name: str, db: Db = None) -> pd.DataFrame:
    """Each month cell of an upper level's monthly rule (district or province): the month,
    distinct dates its chairman received citizens (scheduled, on the cell's days), the
    rule's minimum and whether it is met. Months with no rule in force are not cells."""
    cells = cadence_cells(filters, name, db)
    return pd.DataFrame(
        {
            "month": [d.strftime("%Y-%m") for d in cells["cell_start"]],
            "days": cells["days"].astype(int),
            "required": cells["required"].astype(int),
            "meets": cells["meets"].astype(bool),
        },
        columns=["month", "days", "required", "meets"],
    )


def district_chair_grid(filters: Filters, db: Db = None) -> pd.DataFrame:
    """The district chairman's monthly rule, month by month (see `upper_chair_grid`)."""
    return upper_chair_grid(filters, "district_chair_months", db)


def province_chair_grid(filters: Filters, db: Db = None) -> pd.DataFrame:
    """The provincial chairman's monthly rule, month by month (see `upper_chair_grid`)."""
    return upper_chair_grid(filters, "province_chair_months", db)


def commune_chair_grid(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Commune (as recorded) × ISO week cells of the weekly rule, the same cells as the KPI
    `commune_chair_compliance_rate`: the week's Monday, the month it is reported under (that
    of its Thursday), distinct days held, the minimum and whether it is met."""
    cells = cadence_cells(filters, "commune_chair_weeks", db)
    weeks = [d.date() if hasattr(d, "date") else d for d in cells["cell_start"]]
    return pd.DataFrame(
        {
            "commune_code": cells["unit"],
            "week": weeks,
            "month": [(w + timedelta(days=THURSDAY_OFFSET)).strftime("%Y-%m") for w in weeks],
            "days": cells["days"].astype(int),
            "required": cells["required"].astype(int),
            "meets": cells["meets"].astype(bool),
        },
        columns=["commune_code", "week", "month", "days", "required", "meets"],
    )


def commune_chair_by_month(grid: pd.DataFrame) -> pd.DataFrame:
    """The commune × week grid summarised per commune and month: weeks, weeks met."""
    if grid.empty:
        return pd.DataFrame(columns=["commune_code", "month", "weeks", "weeks_met"])
    out = (
        grid.groupby(["commune_code", "month"], as_index=False)
        .agg(weeks=("meets", "size"), weeks_met=("meets", "sum"))
        .astype({"weeks": int, "weeks_met": int})
    )
    return out


def commune_chair_by_commune(grid: pd.DataFrame) -> pd.DataFrame:
    """The commune × week grid summarised per commune: weeks, weeks met, weeks missed and
    the share met; the lowest share first, then by code."""
    cols = ["commune_code", "weeks", "weeks_met", "weeks_missed", "rate"]
    if grid.empty:
        return pd.DataFrame(columns=cols)
    out = (
        grid.groupby("commune_code", as_index=False)
        .agg(weeks=("meets", "size"), weeks_met=("meets", "sum"))
        .astype({"weeks": int, "weeks_met": int})
    )
    out["weeks_missed"] = out["weeks"] - out["weeks_met"]
    out["rate"] = out["weeks_met"] / out["weeks"]
    return out.sort_values(["rate", "commune_code"]).reset_index(drop=True)[cols]


def communes_below(per_commune: pd.DataFrame) -> list[tuple[str, int]]:
    """(commune, weeks missed) of the communes that missed a week of the weekly rule, the
    most weeks missed first, then by code (from `commune_chair_by_commune`)."""
    missed = per_commune[per_commune["weeks_missed"] > 0].sort_values(
        ["weeks_missed", "commune_code"], ascending=[False, True]
    )
    return [
        (c, int(w)) for c, w in zip(missed["commune_code"], missed["weeks_missed"], strict=True)
    ]


@dataclass(frozen=True)
class Cell:
    """One cell of a cadence grid: what was held against what the rule asks, whether that
    meets it, and the part met (0 to 1) that colours the cell.

    A week, or an upper level's month: `held` days of the `of` the rule asks. A commune's
    month: `held` weeks met of its `of` weeks."""

    held: int
    of: int
    meets: bool
    share: float


@dataclass(frozen=True)
class Matrix:
    """A cadence grid laid out for a heatmap: one row per unit (None for an upper level),
    one column per month key ("YYYY-MM") or week (its Monday) in time order, and the cell
    at each; None where the unit did not exist then."""

    by: str  # "month" or "week"
    rows: list[str | None]
    columns: list
    cells: list[list[Cell | None]]


def upper_chair_matrix(grid: pd.DataFrame) -> Matrix:
    """An upper level's month cells (`upper_chair_grid`) as one row: days held of the
    minimum, the part met capped at 1 (a month whose minimum is 0 is met in full)."""
    cells = [
        Cell(int(d), int(r), bool(ok), min(d / r, 1) if r else 1)
        for d, r, ok in zip(grid["days"], grid["required"], grid["meets"], strict=True)
    ]
    return Matrix("month", [None], grid["month"].tolist(), [cells])


def months_below(grid: pd.DataFrame) -> list[str]:
    """The months of an upper level's grid whose minimum was not met, in order."""
    return [m for m, ok in zip(grid["month"], grid["meets"], strict=True) if not ok]


def commune_chair_matrix(grid: pd.DataFrame, by: str) -> Matrix:
    """The commune × week grid (`commune_chair_grid`) per commune and month (`by` "month":
    weeks met of the month's weeks) or per week (`by` "week": days held of the minimum,
    full or empty as the week meets the rule or not). Communes in the grid's order."""
    if by == "month":
        frame = commune_chair_by_month(grid)

        def cell(r) -> Cell:
            return Cell(r.weeks_met, r.weeks, r.weeks_met == r.weeks, r.weeks_met / r.weeks)
    else:
        frame = grid

        def cell(r) -> Cell:
            return Cell(r.days, r.required, bool(r.meets), 1.0 if r.meets else 0.0)

    rows = list(dict.fromkeys(grid["commune_code"]))
    columns = sorted(set(frame[by]))
    found = {(r.commune_code, getattr(r, by)): cell(r) for r in frame.itertuples()}
    return Matrix(by, rows, columns, [[found.get((c, k)) for k in columns] for c in rows])


DIALOGUE_IDS = [
    "dialogues",
    "dialogue_attendees",
    "dialogue_opinions",
    "dialogue_opinions_answered_rate",
]


def dialogues_by_commune(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Every selected commune: dialogues, attendees, opinions, answered rate, attendees and
    opinions per dialogue, and whether it held a commune-level dialogue in the period."""
    counts = compute_by(filters, "commune", DIALOGUE_IDS, db)
    held = compute_by(filters, "commune", ["communes_with_dialogue_rate"], db)
    rows = []
    for code in sorted(set(held) | set(counts)):
        res = counts.get(code, {})
        n = res["dialogues"].value if "dialogues" in res else 0
        att = res["dialogue_attendees"].value if "dialogue_attendees" in res else 0
        ops = res["dialogue_opinions"].value if "dialogue_opinions" in res else 0
        ans = res.get("dialogue_opinions_answered_rate")
        flag = held.get(code, {}).get("communes_with_dialogue_rate")
        rows.append(
            {
                "commune_code": code,
                "dialogues": n,
                "attendees": att,
                "opinions": ops,
                "answered": ans.numerator if ans else 0,
                "answered_rate": ans.value if ans else None,
                "attendees_per_dialogue": att / n if n else None,
                "opinions_per_dialogue": ops / n if n else None,
                # None when the level filter excludes commune dialogues (the KPI then does
                # not apply), else whether the commune held one.
                "held_commune_dialogue": None
                if flag is None or flag.value is None
                else bool(flag.numerator),
            }
        )
    cols = [
        "commune_code",
        "dialogues",
        "attendees",
        "opinions",
        "answered",
        "answered_rate",
        "attendees_per_dialogue",
        "opinions_per_dialogue",
        "held_commune_dialogue",
    ]
    df = pd.DataFrame(rows, columns=cols)
    # The communes that held no commune dialogue first, then the most dialogues.
    return df.sort_values(
        ["held_commune_dialogue", "dialogues", "commune_code"], ascending=[True, False, True]
    ).reset_index(drop=True)


def communes_without_dialogue(dialogues: pd.DataFrame) -> list[str]:
    """The communes of `dialogues_by_commune` that held no commune-level dialogue, by code
    (none when the level filter leaves commune dialogues out)."""
    held = dialogues["held_commune_dialogue"]
    return sorted(
        c for c, h in zip(dialogues["commune_code"], held, strict=True) if h is not None and not h
    )


def dialogues_ranked(dialogues: pd.DataFrame) -> pd.DataFrame:
    """The communes of `dialogues_by_commune` that held a dialogue, the most attendees per
    dialogue first, then by code."""
    active = dialogues[dialogues["dialogues"] > 0]
    return active.sort_values(
        ["attendees_per_dialogue", "commune_code"], ascending=[False, True]
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- petitions

FUNNEL_STAGES = (
    ("received", "petitions_received"),
    ("eligible", "funnel_eligible"),
    ("in_jurisdiction", "petitions_active"),
    ("accepted", "funnel_accepted"),
    ("resolved", "funnel_resolved"),
)


def petition_funnel(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Petitions received in the period, per kind, at each stage: received → eligible →
    within competence (eligible, in jurisdiction, not withdrawn: the KPI's "active") →
    accepted by the period end → resolved by the period end."""
    names = [m for _, m in FUNNEL_STAGES]
    rows = _measures(filters, names, "kind", None, db)
    data = [
        {"kind": k, "stage": stage, "petitions": rows.get(("current", k), {}).get(m, 0)}
        for k in PETITION_KINDS
        for stage, m in FUNNEL_STAGES
    ]
    return pd.DataFrame(data, columns=["kind", "stage", "petitions"])


def funnel_by_stage(funnel: pd.DataFrame) -> pd.DataFrame:
    """`petition_funnel` one row per stage, in order (the funnel's steps): the stage and the
    petitions of each kind (a column per kind, the contract's order)."""
    got = {(k, s): n for k, s, n in funnel[["kind", "stage", "petitions"]].itertuples(False)}
    data = [
        {"stage": stage, **{k: got.get((k, stage), 0) for k in PETITION_KINDS}}
        for stage, _ in FUNNEL_STAGES
    ]
    return pd.DataFrame(data, columns=["stage", *PETITION_KINDS])


def funnel_by_kind(funnel: pd.DataFrame) -> pd.DataFrame:
    """`petition_funnel` one row per kind in the contract's order, then the row `total`
    (every kind): the kind and the petitions at each stage (a column per stage)."""
    stages = [s for s, _ in FUNNEL_STAGES]
    got = {(k, s): n for k, s, n in funnel[["kind", "stage", "petitions"]].itertuples(False)}
    data = [{"kind": k, **{s: got.get((k, s), 0) for s in stages}} for k in PETITION_KINDS]
    data.append({"kind": "total", **{s: sum(r[s] for r in data) for s in stages}})
    return pd.DataFrame(data, columns=["kind", *stages])


def ageing_buckets() -> list[tuple[str, int | None, int | None]]:
    """(bucket key, low, high) in display order; low/high are days left or days late."""
    out: list[tuple[str, int | None, int | None]] = [
        ("within", DUE_SOON_DAYS + 1, None),
        ("due_soon", 0, DUE_SOON_DAYS),
    ]
    low = 1
    for high in OVERDUE_BANDS:
        out.append((f"late_{low}_{high}", low, high))
        low = high + 1
    out.append((f"late_{low}_plus", low, None))
    out.append(("no_deadline", None, None))
    return out


def bucket_label(key: str) -> tuple[str, dict[str, int]]:
    """How an ageing bucket is named: the form of its words and the numbers in them.

    ("within", n): more than n days left; ("due_soon", n): due within n days;
    ("late_range", low, high): overdue low to high days; ("late_over", n): overdue more
    than n days; ("no_deadline",): no legal deadline. The view words each form
    (`bucket_<form>` in the catalogue)."""
    _, low, high = next(b for b in ageing_buckets() if b[0] == key)
    if key in ("within", "due_soon"):
        return key, {"n": high if high is not None else low - 1}
    if key == "no_deadline":
        return key, {}
    if high is None:
        return "late_over", {"n": low - 1}
    return "late_range", {"low": low, "high": high}


def _bucket_case(due: str) -> tuple[str, dict]:
    """A CASE expression naming the ageing bucket of `due` as of the period end `p.p_to`."""
    params: dict = {"soon": DUE_SOON_DAYS}
    parts = [
        f"WHEN {due} IS NULL THEN 'no_deadline'",
        f"WHEN date_diff('day', p.p_to, {due}) > $soon THEN 'within'",
        f"WHEN {due} >= p.p_to THEN 'due_soon'",
    ]
    for i, (key, _, high) in enumerate(ageing_buckets()[2:-2]):
        params[f"band{i}"] = high
        parts.append(f"WHEN date_diff('day', {due}, p.p_to) <= $band{i} THEN '{key}'")
    parts.append(f"ELSE '{ageing_buckets()[-2][0]}'")
    return "CASE " + " ".join(parts) + " END", params


def _ageing(
    filters: Filters, source: str, open_where: str, dim: str | None, db: Db
) -> pd.DataFrame:
    src = SOURCES[source]
    params = period_params([("current", filters.date_from, filters.date_to)])
    where = scope_where(src.commune, src.level, (), filters, params, dim in ROW_BREAKDOWNS)
    case, case_params = _bucket_case("s.due_date")
    params.update(case_params)
    group = f"s.{src.dims[dim]}" if dim else "NULL"
    # From the source's aggregate table when it has the columns (the dossiers' has the
    # dates a deadline bucket and the open population read); else from the rows.
    count = Measure("open", source, f"count(*) FILTER (WHERE {open_where})")
    reads = ("due_date", *([src.dims[dim]] if dim else []))
    plan = aggregate_plan(source, [count], (), filters, None, reads)

    def query(base_sql: str, count_sql: str) -> str:
        view_sql = unit_view_sql(base_sql, src.commune, filters.units)
        return (
            f"WITH {PERIODS_CTE}, s AS (SELECT * FROM ({view_sql}) WHERE {where}) "
            f"SELECT {case} AS bucket, {group} AS grp, {count_sql} FROM p CROSS JOIN s "
            f"WHERE {open_where} GROUP BY ALL"
        )

    cur = open_cursor(db)
    try:
        try:
            rows = cur.execute(
                query(plan[0], plan[1][0]) if plan else query(src.sql, "count(*)"), params
            ).fetchall()
        except duckdb.CatalogException:
            if plan is None:
                raise
            # A warehouse built before the aggregate tables: the rows answer the same.
            rows = cur.execute(query(src.sql, "count(*)"), params).fetchall()
        got = {(b, g): int(n) for b, g, n in rows}
    finally:
        cur.close()
    groups = sorted({g for _, g in got}, key=lambda g: (g is None, g or "")) or [None]
    data = [
        {"bucket": key, "group": g, "count": int(got.get((key, g), 0))}
        for key, _, _ in ageing_buckets()
        for g in groups
    ]
    return pd.DataFrame(data, columns=["bucket", "group", "count"])


def petition_ageing(filters: Filters, db: Db = None, by_kind: bool = True) -> pd.DataFrame:
    """Open active petitions as of the period end by deadline bucket (and kind).

    Open = received by the period end and not resolved by it, as in the KPI
    `petitions_overdue_open`, whose count is the sum of the overdue buckets.
    """
    out = _ageing(
        filters, "petitions", POPULATIONS["petitions_open"], "kind" if by_kind else None, db
    )
    return out.rename(columns={"group": "kind"})


def ageing_by_bucket(ageing: pd.DataFrame) -> pd.DataFrame:
    """`petition_ageing` one row per deadline bucket, in display order: the bucket, the open
    petitions of each kind (a column per kind, the contract's order, 0 where none) and
    their `total`."""
    got: dict[tuple[str, str], int] = defaultdict(int)
    for bucket, kind, n in ageing[["bucket", "kind", "count"]].itertuples(False):
        got[(bucket, kind)] += int(n)
    data = []
    for bucket, _, _ in ageing_buckets():
        counts = {k: got[(bucket, k)] for k in PETITION_KINDS}
        data.append({"bucket": bucket, **counts, "total": sum(counts.values())})
    return pd.DataFrame(data, columns=["bucket", *PETITION_KINDS, "total"])


def overdue_count(by_bucket: pd.DataFrame) -> int:
    """The open items past their deadline in an `ageing_by_bucket` frame: the sum of its
    overdue (`late_…`) buckets, the KPI `petitions_overdue_open`."""
    late = [b.startswith("late_") for b in by_bucket["bucket"]]
    return int(sum(n for n, is_late in zip(by_bucket["total"], late, strict=True) if is_late))


def dossier_ageing(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Open dossiers as of the period end by deadline bucket, in order; the overdue buckets
    add up to the KPI `dossiers_overdue_open`. A dossier always has a promised date, so
    there is no "no deadline" bucket."""
    out = _ageing(filters, "dossiers", POPULATIONS["dossiers_open"], None, db)
    out = out[out["bucket"] != "no_deadline"]
    return out.drop(columns="group").reset_index(drop=True)


PETITION_RATE_IDS = [
    "petitions_received",
    "petitions_in_jurisdiction",
    "petitions_resolution_rate",
    "petitions_on_time_rate",
    "petitions_overdue_open",
]


def petitions_by(filters: Filters, dim: str, db: Db = None) -> pd.DataFrame:
    """Received, active, resolution rate, on-time rate and overdue open per commune, field
    or kind; groups with nothing to show are dropped."""
    if dim == "commune":
        results: dict = compute_by(filters, "commune", PETITION_RATE_IDS, db)
    else:
        results = compute_by_dim(filters, dim, PETITION_RATE_IDS, db)
    df = kpi_frame(results, PETITION_RATE_IDS)
    if df.empty:
        return df
    keep = (
        (df["petitions_received"] > 0)
        | (df["petitions_resolution_rate_den"] > 0)
        | (df["petitions_on_time_rate_den"] > 0)
        | (df["petitions_overdue_open"] > 0)
    )
    return df[keep].reset_index(drop=True)


def petitions_by_field(filters: Filters, db: Db = None) -> pd.DataFrame:
    """`petitions_by` field, in the contract's order of fields (petitions without a field
    last)."""
    df = petitions_by(filters, "field", db)
    return in_order(df, "key", PETITION_FIELDS) if len(df) else df


def outcome_mix(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Petitions resolved in the period with a recorded outcome, per kind and outcome."""
    names = [f"outcome_{o}" for o in OUTCOMES]
    rows = _measures(filters, names, "kind", None, db)
    data = [
        {"kind": k, "outcome": o, "petitions": rows.get(("current", k), {}).get(f"outcome_{o}", 0)}
        for k in PETITION_KINDS
        for o in OUTCOMES
    ]
    return pd.DataFrame(data, columns=["kind", "outcome", "petitions"])


# The kinds whose resolution finds the petition justified or not: a request or feedback
# (kiến nghị, phản ánh) is answered, not judged, so it has no outcome.
DECIDED_KINDS: tuple[str, ...] = tuple(k for k in PETITION_KINDS if k != "kien_nghi_phan_anh")


def outcome_shares(outcomes: pd.DataFrame) -> pd.DataFrame:
    """`outcome_mix` one row per kind with an outcome (`DECIDED_KINDS`): the petitions of
    each outcome (a column per outcome), their total `decided`, and each outcome's share of
    it (`<outcome>_share`, None when the kind had none decided)."""
    got: dict[tuple[str, str], int] = defaultdict(int)
    for kind, outcome, n in outcomes[["kind", "outcome", "petitions"]].itertuples(False):
        got[(kind, outcome)] += int(n)
    data = []
    for k in DECIDED_KINDS:
        counts = {o: got[(k, o)] for o in OUTCOMES}
        decided = sum(counts.values())
        shares = {f"{o}_share": n / decided if decided else None for o, n in counts.items()}
        data.append({"kind": k, **counts, "decided": decided, **shares})
    shares = [f"{o}_share" for o in OUTCOMES]
    df = pd.DataFrame(data, columns=["kind", *OUTCOMES, "decided", *shares])
    # The shares as object columns, so a kind with none decided keeps None (not NaN).
    return df.assign(**{c: pd.Series([r[c] for r in data], dtype=object) for c in shares})


CASE_VIEWS = {
    # which petitions the case list holds; each matches a KPI's population
    "open": POPULATIONS["petitions_open"],
    "overdue": POPULATIONS["petitions_overdue"],
    "received": RECEIVED_IN,
    "resolved": RESOLVED_IN,
    "prolonged": POPULATIONS["petitions_prolonged"],
}

CASE_COLUMNS = [
    "petition_id",
    "received_date",
    "accepted_date",
    "due_date",
    "resolved_date",
    "level",
    "kind",
    "field",
    "commune_code",
    "complex",
    "prolonged",
    "status",
    "days_open",
    "days_late",
]

# Status as of the period end. Only the case's own dates and flags: the warehouse holds no
# personal data and none is listed.
_STATUS = """CASE
    WHEN NOT eligible THEN 'not_eligible'
    WHEN NOT in_jurisdiction THEN 'not_in_jurisdiction'
    WHEN withdrawn THEN 'withdrawn'
    WHEN resolved_date <= p.p_to AND due_date IS NULL THEN 'resolved'
    WHEN resolved_date <= p.p_to AND resolved_date <= due_date THEN 'resolved_on_time'
    WHEN resolved_date <= p.p_to THEN 'resolved_late'
    WHEN due_date IS NULL THEN 'open_no_deadline'
    WHEN due_date < p.p_to THEN 'open_overdue'
    ELSE 'open_in_time' END"""


def petition_cases(
    filters: Filters, view: str = "open", db: Db = None, limit: int = CASE_LIMIT
) -> tuple[pd.DataFrame, int]:
    """The petitions of one case view, most days late first, capped at `limit` rows;
    returns (rows, total matching rows). Days are counted to the resolution date, or to
    the period end while the case is open."""
    if view not in CASE_VIEWS:
        raise ValueError(f"unknown case view {view!r}")
    src = SOURCES["petitions"]
    params = period_params([("current", filters.date_from, filters.date_to)])
    where = scope_where(src.commune, src.level, (), filters, params)
    params["limit"] = int(limit)
    end = "CASE WHEN resolved_date <= p.p_to THEN resolved_date ELSE p.p_to END"
    view_sql = unit_view_sql(src.sql, src.commune, filters.units)
    sql = f"""
        WITH {PERIODS_CTE}, s AS (SELECT * FROM ({view_sql}) WHERE {where})
        SELECT petition_id, received_date, accepted_date, due_date, resolved_date, level,
               kind, field, commune_code, complex, prolonged, {_STATUS} AS status,
               date_diff('day', received_date, {end}) AS days_open,
               CASE WHEN due_date < {end} THEN date_diff('day', due_date, {end}) END
                   AS days_late,
               count(*) OVER () AS total
        FROM p CROSS JOIN s
        WHERE {CASE_VIEWS[view]}
        ORDER BY days_late DESC NULLS LAST, days_open DESC, petition_id
        LIMIT $limit
    """
    cur = open_cursor(db)
    try:
        df = cur.execute(sql, params).df()
    finally:
        cur.close()
    total = int(df["total"].iloc[0]) if len(df) else 0
    return df.drop(columns="total")[CASE_COLUMNS], total


# --------------------------------------------------------------------------- dossiers


def dossiers_by_month(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Dossiers received and resolved per month, and the resolved ones split into early,
    on the promised date and late (three shares adding up to 1)."""
    names = [
        "dossiers_received",
        "dossiers_resolved",
        "dossiers_early",
        "dossiers_on_due_date",
        "dossiers_late",
    ]
    df = monthly_frame(filters, names, db)
    for part in ("early", "on_due_date", "late"):
        df[f"{part}_share"] = [
            (x / n if n else None)
            for x, n in zip(df[f"dossiers_{part}"], df["dossiers_resolved"], strict=True)
        ]
    return df


def dossier_channels(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Dossiers received in the period per channel, with each channel's share."""
    df = measure_frame(filters, ["dossiers_received"], "channel", db)
    got = dict(zip(df["key"], df["dossiers_received"], strict=True))
    total = sum(got.values())
    data = [
        {
            "channel": c,
            "dossiers_received": got.get(c, 0),
            "share": got.get(c, 0) / total if total else None,
        }
        for c in CHANNELS
    ]
    return pd.DataFrame(data, columns=["channel", "dossiers_received", "share"])


TIMELINESS_IDS = [
    "dossiers_received",
    "dossiers_resolved",
    "dossiers_on_time_rate",
    "dossiers_late",
    "late_apology_rate",
    "dossiers_avg_days",
    "dossiers_overdue_open",
]


def dossier_timeliness(filters: Filters, dim: str, db: Db = None) -> pd.DataFrame:
    """Per procedure or agency: received, resolved, on-time rate, late, late without an
    apology slip, average days, open overdue; for procedures also the committed and
    statutory days. Groups with no dossier in the period are dropped."""
    df = kpi_frame(compute_by_dim(filters, dim, TIMELINESS_IDS, db), TIMELINESS_IDS)
    if df.empty:
        return df
    df = df[
        (df["dossiers_received"] > 0)
        | (df["dossiers_resolved"] > 0)
        | (df["dossiers_overdue_open"] > 0)
    ].reset_index(drop=True)
    df["late_without_apology"] = df["dossiers_late"] - df["late_apology_rate_num"].fillna(0)
    df["late_without_apology"] = df["late_without_apology"].astype(int)
    if dim == "procedure" and not df.empty:
        info = procedure_info(db, [k for k in df["key"] if k is not None])
        df = df.merge(info.rename(columns={"procedure_code": "key"}), on="key", how="left")
    if dim == "agency" and not df.empty:
        # The agency's name (its code when the lookup lacks it); None for the dossiers of
        # procedures without an agency, which the page names in words.
        names = agency_names(db)
        df["name"] = [names.get(k, k) if isinstance(k, str) else None for k in df["key"]]
    return df


def missing_apologies(timeliness: pd.DataFrame) -> pd.DataFrame:
    """The groups of `dossier_timeliness` with late dossiers and no apology slip, the most
    such dossiers first, then the most late."""
    if timeliness.empty:
        return timeliness
    df = timeliness[timeliness["late_without_apology"] > 0]
    return df.sort_values(["late_without_apology", "dossiers_late"], ascending=False).reset_index(
        drop=True
    )


def worst_on_time(
    timeliness: pd.DataFrame, min_volume: int = MIN_VOLUME, limit: int = 10
) -> pd.DataFrame:
    """The lowest on-time rates among groups with at least `min_volume` dossiers resolved
    in the period; ties go to the larger volume, then the code."""
    if timeliness.empty:
        return timeliness
    df = timeliness[
        (timeliness["dossiers_resolved"] >= max(min_volume, 1))
        & timeliness["dossiers_on_time_rate"].notna()
    ]
    df = df.assign(_code=df["key"].fillna(""))
    df = df.sort_values(
        ["dossiers_on_time_rate", "dossiers_resolved", "_code"], ascending=[True, False, True]
    )
    return df.drop(columns="_code").head(limit).reset_index(drop=True)


def processing_times(timeliness: pd.DataFrame) -> pd.DataFrame:
    """Per procedure level: average days taken against the average committed and statutory
    times of the same resolved dossiers (each procedure weighted by its dossiers)."""
    cols = ["level", "dossiers_resolved", "avg_days", "avg_committed", "avg_statutory"]
    if timeliness.empty or "level" not in timeliness:
        return pd.DataFrame(columns=cols)
    df = timeliness[timeliness["dossiers_resolved"] > 0]
    rows = []
    for level in PROCEDURE_LEVELS:
        part = df[df["level"] == level]
        n = int(part["dossiers_resolved"].sum())
        if not n:
            continue
        rows.append(
            {
                "level": level,
                "dossiers_resolved": n,
                "avg_days": float(part["dossiers_avg_days_num"].sum()) / n,
                "avg_committed": float((part["committed_days"] * part["dossiers_resolved"]).sum())
                / n,
                "avg_statutory": float((part["statutory_days"] * part["dossiers_resolved"]).sum())
                / n,
            }
        )
    return pd.DataFrame(rows, columns=cols)


CATALOGUE_MEASURES = [
    "procedures",
    "procedures_cut",
    *(f"procedures_online_{lv}" for lv in ONLINE_LEVELS),
    "procedures_at_one_stop",
]


def catalogue_by_level(filters: Filters, db: Db = None) -> pd.DataFrame:
    """The procedure catalogue per level: procedures, time cut, online service level, at
    the one-stop desk. The period and communes do not apply; the level filter does."""
    df = measure_frame(filters, CATALOGUE_MEASURES, "procedure_level", db)
    return in_order(df, "key", PROCEDURE_LEVELS).rename(columns={"key": "level"})


def one_stop_communes(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Selected communes existing in the period, the date each began the one-stop
    mechanism, and whether it applies it by the period end (the rows behind
    `communes_one_stop_rate`)."""
    src = SOURCES["communes"]
    params = period_params([("current", filters.date_from, filters.date_to)])
    where = scope_where(src.commune, None, (), filters, params)
    view_sql = COMMUNES_TODAY_SQL if filters.units == TODAY else src.sql
    cur = open_cursor(db)
    try:
        return cur.execute(
            f"WITH {PERIODS_CTE}, s AS (SELECT * FROM ({view_sql}) WHERE {where}) "
            "SELECT commune_code, one_stop_since, "
            f"coalesce({POPULATIONS['communes_one_stop']}, false) AS applies "
            f"FROM p CROSS JOIN s WHERE {POPULATIONS['communes_existing']} "
            "ORDER BY commune_code",
            params,
        ).df()
    finally:
        cur.close()


# --------------------------------------------------------------------------- staff


def _years(filters: Filters) -> list[tuple[str, date, date]]:
    return [
        (str(y), date(y, 1, 1), date(y, 12, 31))
        for y in range(filters.date_from.year, filters.date_to.year + 1)
    ]


RATING_MEASURES = ["rating_rated", *(f"rating_{lv}" for lv in RATING_LEVELS)]


def ratings_by(filters: Filters, dim: str, db: Db = None) -> pd.DataFrame:
    """Rating counts per sector or agency, summed over the years of the period, with the
    good-or-better share, the same share over the previous period's years and the change
    between them in percentage points (None without a previous share)."""
    cur_rows = _measures(filters, RATING_MEASURES, dim, None, db)
    prev = filters.previous()
    prev_rows = _measures(prev, ["rating_rated", "rating_excellent", "rating_good"], dim, None, db)
    data = []
    for (_, g), vals in cur_rows.items():
        rated = vals.get("rating_rated", 0)
        if not rated:
            continue
        good = vals.get("rating_excellent", 0) + vals.get("rating_good", 0)
        pv = prev_rows.get(("current", g), {})
        p_rated = pv.get("rating_rated", 0)
        p_good = pv.get("rating_excellent", 0) + pv.get("rating_good", 0)
        rate = good / rated
        previous = p_good / p_rated if p_rated else None
        data.append(
            {
                "key": g,
                "rated": rated,
                **{lv: vals.get(f"rating_{lv}", 0) for lv in RATING_LEVELS},
                "good_or_better": good,
                "good_or_better_rate": rate,
                "previous_rate": previous,
                "change": (rate - previous) * 100 if previous is not None else None,
            }
        )
    cols = [
        "key",
        "rated",
        *RATING_LEVELS,
        "good_or_better",
        "good_or_better_rate",
        "previous_rate",
        "change",
    ]
    df = pd.DataFrame(data, columns=cols)
    return df.sort_values("key", key=lambda s: s.fillna("")).reset_index(drop=True)


def ratings_by_sector(filters: Filters, db: Db = None) -> pd.DataFrame:
    """`ratings_by` sector in the sectors' order, with each level's share of those rated
    (`<level>_share`, adding up to 1)."""
    df = in_order(ratings_by(filters, "sector", db), "key", SECTORS)
    for lv in RATING_LEVELS:
        df[f"{lv}_share"] = df[lv] / df["rated"]
    return df


# Characters of an agency's name on a chart's axis: beyond it the name is cut, so the
# axis fits a phone; the table beside the chart holds the full name.
LABEL_WIDTH = 34


def short_labels(names: list[str], codes: list[str], width: int = LABEL_WIDTH) -> list[str]:
    """Chart labels of at most `width` characters: a longer name is cut and ends in "…";
    labels that come out the same are told apart by their code."""
    out = [n if len(n) <= width else n[: width - 1].rstrip() + "…" for n in names]
    seen: dict[str, int] = {}
    for label in out:
        seen[label] = seen.get(label, 0) + 1
    return [f"{lb} ({c})" if seen[lb] > 1 else lb for lb, c in zip(out, codes, strict=True)]


def ratings_by_agency(filters: Filters, db: Db = None) -> pd.DataFrame:
    """`ratings_by` agency with the agency's name (its code when the lookup lacks it), kind
    and chart label (`short_labels`); the lowest good-or-better share first, then by code."""
    df = ratings_by(filters, "agency", db)
    agencies = agency_list(db=db)
    kinds = dict(zip(agencies["agency_code"], agencies["kind"], strict=True))
    names = agency_names(db)
    df["name"] = [names.get(k, k) for k in df["key"]]
    df["agency_kind"] = [kinds.get(k) for k in df["key"]]
    df = df.sort_values(["good_or_better_rate", "key"]).reset_index(drop=True)
    df["label"] = short_labels(df["name"].tolist(), df["key"].tolist())
    return df


def ratings_by_year(filters: Filters, dim: str, db: Db = None) -> pd.DataFrame:
    """Rating counts per year of the period and sector or agency (long form), with the
    good-or-better share of each year."""
    rows = _measures(filters, RATING_MEASURES, dim, _years(filters), db)
    data = [
        {
            "year": int(y),
            "key": g,
            **{n.removeprefix("rating_"): v.get(n, 0) for n in RATING_MEASURES},
        }
        for (y, g), v in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        if v.get("rating_rated")
    ]
    df = pd.DataFrame(data, columns=["year", "key", "rated", *RATING_LEVELS])
    df["good_or_better_rate"] = (df["excellent"] + df["good"]) / df["rated"]
    return df


INSPECTION_MEASURES = ["inspections", "inspections_surprise", "violations", "violations_fixed"]


def inspections_by_month(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Inspections (planned and surprise) and violations found and fixed per month."""
    df = monthly_frame(filters, INSPECTION_MEASURES, db)
    df["planned"] = df["inspections"] - df["inspections_surprise"]
    return df


def inspections_by_unit(filters: Filters, db: Db = None) -> pd.DataFrame:
    """Per inspected unit (a commune or an agency): inspections, planned and surprise ones,
    violations found and fixed and the share fixed, most inspections first. An agency has
    its name (its code when the lookup lacks it); a commune's name (None here) is the
    view's, which names communes as the chosen units do."""
    parts = []
    for kind, dim in (("xa", "commune"), ("co_quan", "agency")):
        names = [f"unit_{m}_{kind}" for m in ("inspections", "surprise", "violations", "fixed")]
        for (_, g), vals in _measures(filters, names, dim, None, db).items():
            if not vals.get(names[0]):
                continue
            parts.append(
                {
                    "unit_kind": kind,
                    "unit_code": g,
                    "inspections": vals[names[0]],
                    "surprise": vals[names[1]],
                    "violations": vals[names[2]],
                    "violations_fixed": vals[names[3]],
                }
            )
    cols = ["unit_kind", "unit_code", "inspections", "surprise", "violations", "violations_fixed"]
    df = pd.DataFrame(parts, columns=cols)
    df = df.sort_values(
        ["inspections", "violations", "unit_code"], ascending=[False, False, True]
    ).reset_index(drop=True)
    names = agency_names(db)
    df["name"] = [
        None if k == "xa" else names.get(c, c)
        for k, c in zip(df["unit_kind"], df["unit_code"], strict=True)
    ]
    df["planned"] = df["inspections"] - df["surprise"]
    df["fixed_rate"] = [
        x / v if v else None for x, v in zip(df["violations_fixed"], df["violations"], strict=True)
    ]
    return df


def inspected_communes(units: pd.DataFrame) -> pd.DataFrame:
    """The communes among the units of `inspections_by_unit`, in its order."""
    return units[units["unit_kind"] == "xa"].reset_index(drop=True)


def agency_list(filters: Filters | None = None, db: Db = None) -> pd.DataFrame:
    """The agencies lookup (code, name, kind, commune): a small dimension table, read to
    name the codes in breakdowns. The filters do not apply to a lookup."""
    cur = open_cursor(db)
    try:
        return cur.execute(
            "SELECT agency_code, name, kind, commune_code FROM agencies ORDER BY agency_code"
        ).df()
    finally:
        cur.close()


def agency_names(db: Db = None) -> dict[str, str]:
    """{agency code: name} of the agencies lookup."""
    agencies = agency_list(db=db)
    return dict(zip(agencies["agency_code"], agencies["name"], strict=True))

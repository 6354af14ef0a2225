"""The leader's action lists (DOMAIN.md §10): what to chase, as of the period's end.

Each list is the rows of a population the KPIs already count (metrics.model.POPULATIONS,
the cadence cells of metrics.cadence, the dialogue KPI per commune), within the filters
(communes, level, units), most overdue first. Rows carry only ids, codes, dates and kinds:
the warehouse holds no personal data and none is listed. Counts come from one cheap query
per list and equal the list lengths (and, for the overdue lists, the overdue KPIs).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from data.reference import level as level_info
from metrics.engine import (
    PERIODS_CTE,
    Db,
    Filters,
    compute_by,
    open_cursor,
    period_params,
    scope_where,
    unit_view_sql,
)
from metrics.model import CADENCES, OPEN_AT_TO, POPULATIONS, SOURCES
from metrics.periods import commune_units

LISTS: tuple[str, ...] = (
    "overdue_petitions",
    "overdue_dossiers",
    "late_without_apology",
    "reception_gaps",
    "no_dialogue",
    "prolonged_open",
)

LIST_LABELS = {
    "overdue_petitions": ("Đơn quá hạn chưa giải quyết", "Overdue open petitions"),
    "overdue_dossiers": ("Hồ sơ quá hạn chưa trả", "Overdue open dossiers"),
    "late_without_apology": ("Hồ sơ trễ hạn chưa có phiếu xin lỗi", "Late dossiers, no apology"),
    "reception_gaps": ("Tuần, tháng thiếu buổi tiếp công dân", "Missed reception weeks, months"),
    "no_dialogue": ("Xã chưa tổ chức đối thoại", "Communes without a dialogue"),
    "prolonged_open": ("Vụ việc kéo dài chưa giải quyết", "Long-standing cases still open"),
}

# The KPI whose records a list holds: its card opens the list (the overdue counts are the
# list lengths; for a rate, the list holds the records that keep it from 100%).
KPI_LISTS: dict[str, str] = {
    "petitions_overdue_open": "overdue_petitions",
    "petitions_not_overdue_rate": "overdue_petitions",
    "dossiers_overdue_open": "overdue_dossiers",
    "dossiers_not_overdue_rate": "overdue_dossiers",
    "late_apology_rate": "late_without_apology",
    "commune_chair_compliance_rate": "reception_gaps",
    "district_chair_compliance_rate": "reception_gaps",
    "province_chair_compliance_rate": "reception_gaps",
    "communes_with_dialogue_rate": "no_dialogue",
    "prolonged_cases_resolved_rate": "prolonged_open",
}

COLUMNS: dict[str, list[str]] = {
    "overdue_petitions": [
        "petition_id",
        "kind",
        "field",
        "commune_code",
        "received_date",
        "due_date",
        "days_overdue",
    ],
    "overdue_dossiers": [
        "dossier_id",
        "procedure_code",
        "agency_code",
        "commune_code",
        "received_date",
        "due_date",
        "days_overdue",
    ],
    "late_without_apology": [
        "dossier_id",
        "procedure_code",
        "agency_code",
        "commune_code",
        "received_date",
        "due_date",
        "finished_date",
        "days_late",
    ],
    "reception_gaps": ["level", "commune_code", "cell_start", "lo", "hi", "required", "days"],
    "no_dialogue": ["commune_code", "valid_from", "valid_to"],
    "prolonged_open": [
        "petition_id",
        "kind",
        "field",
        "commune_code",
        "received_date",
        "due_date",
        "days_open",
        "days_overdue",
    ],
}

# The record lists: source, population (a condition over the source and the period `p`),
# the computed columns, and the order (most overdue first, then a stable tie-break).
_DAYS_OVERDUE = "date_diff('day', due_date, p.p_to)"
_RECORD_LISTS: dict[str, tuple[str, str, dict[str, str], str]] = {
    "overdue_petitions": (
        "petitions",
        POPULATIONS["petitions_overdue"],
        {"days_overdue": _DAYS_OVERDUE},
        "days_overdue DESC, received_date, petition_id",
    ),
    "overdue_dossiers": (
        "dossiers",
        POPULATIONS["dossiers_overdue"],
        {"days_overdue": _DAYS_OVERDUE},
        "days_overdue DESC, received_date, dossier_id",
    ),
    "late_without_apology": (
        "dossiers",
        POPULATIONS["dossiers_late_no_apology"],
        {"days_late": "date_diff('day', due_date, finished_date)"},
        "days_late DESC, finished_date, dossier_id",
    ),
    "prolonged_open": (
        "petitions",
        f"{POPULATIONS['petitions_prolonged']} AND {OPEN_AT_TO}",
        {
            "days_open": "date_diff('day', received_date, p.p_to)",
            "days_overdue": f"CASE WHEN due_date < p.p_to THEN {_DAYS_OVERDUE} END",
        },
        "days_overdue DESC NULLS LAST, days_open DESC, petition_id",
    ),
}
_INT_COLUMNS = ("days_overdue", "days_late", "days_open", "required", "days")


def _record_sql(filters: Filters, name: str) -> tuple[str, str, dict]:
    """(rows SQL without ORDER, ORDER BY text, parameters) of a record list."""
    source, population, computed, order = _RECORD_LISTS[name]
    src = SOURCES[source]
    params = period_params([("current", filters.date_from, filters.date_to)])
    where = scope_where(src.commune, src.level, (), filters, params)
    source_sql = src.sql
    if src.prefilter:
        source_sql = f"{src.sql} WHERE {src.prefilter}"
        params["min_from"], params["max_to"] = filters.date_from, filters.date_to
    view_sql = unit_view_sql(source_sql, src.commune, filters.units)
    plain = [c for c in COLUMNS[name] if c not in computed]
    select = ", ".join([*plain, *(f"{sql} AS {col}" for col, sql in computed.items())])
    sql = (
        f"WITH {PERIODS_CTE}, s AS (SELECT * FROM ({view_sql}) WHERE {where}) "
        f"SELECT {select} FROM p CROSS JOIN s WHERE {population}"
    )
    return sql, order, params


def _cadences(filters: Filters) -> list:
    """The cadence rules whose gaps the filters show: those of the level filter (all
    without one). The upper levels' monthly rules describe the district or province itself,
    not a commune, so a commune filter leaves them out."""
    out = []
    for c in CADENCES.values():
        if filters.level is not None and filters.level != c.level:
            continue
        if filters.communes and not c.per_commune:
            continue
        out.append(c)
    return out


def _day(x: object) -> date | None:
    if x is None or (not isinstance(x, date) and pd.isna(x)):
        return None
    if isinstance(x, datetime):
        return x.date()
    if isinstance(x, pd.Timestamp):
        return x.date()
    return x


def _reception_gaps(filters: Filters, db: Db) -> pd.DataFrame:
    from metrics.details import cadence_cells

    rows = []
    for c in _cadences(filters):
        cells = cadence_cells(filters, c.name, db)
        rank = level_info(c.level).rank
        for cell in cells[~cells["meets"]].itertuples(index=False):
            unit = None if cell.unit is None or pd.isna(cell.unit) else cell.unit
            rows.append(
                (
                    _day(cell.cell_start),
                    rank,
                    unit or "",
                    {
                        "level": c.level,
                        "commune_code": unit,
                        "cell_start": _day(cell.cell_start),
                        "lo": _day(cell.lo),
                        "hi": _day(cell.hi),
                        "required": int(cell.required),
                        "days": int(cell.days),
                    },
                )
            )
    # the oldest gap is the most overdue; then the higher level, then the commune
    rows.sort(key=lambda r: r[:3])
    return _frame("reception_gaps", [r[3] for r in rows])


def _no_dialogue(filters: Filters, db: Db) -> pd.DataFrame:
    """Selected communes (existing in the period) with no commune-level dialogue in it: the
    communes the KPI `communes_with_dialogue_rate` counts in its denominator only."""
    per_commune = compute_by(filters, "commune", ["communes_with_dialogue_rate"], db)
    units = {u.code: u for u in commune_units(db)}
    rows = []
    for code, results in sorted(per_commune.items()):
        r = results.get("communes_with_dialogue_rate")
        if r is None or not r.applies or not r.denominator or r.numerator:
            continue
        u = units.get(code)
        rows.append(
            {
                "commune_code": code,
                "valid_from": u.valid_from if u else None,
                "valid_to": u.valid_to if u else None,
            }
        )
    return _frame("no_dialogue", rows)


def _missing(v: object) -> bool:
    return v is None or (not isinstance(v, (str, date)) and bool(pd.isna(v)))


def _frame(name: str, rows: list) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS[name])
    for col in df.columns:
        if col not in _INT_COLUMNS:
            # missing codes and dates read None, not NaN
            df[col] = pd.Series(
                [None if _missing(v) else v for v in df[col]], index=df.index, dtype=object
            )
    for col in _INT_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("Int64")
    return df


def action_list(
    filters: Filters, name: str, db: Db = None, limit: int | None = None
) -> pd.DataFrame:
    """One action list (a name of LISTS) as of the period's end, most overdue first, with
    the columns of `COLUMNS[name]`; dates are `datetime.date`, day counts nullable ints.
    `limit` caps the rows (None: all)."""
    if name not in LISTS:
        raise ValueError(f"unknown action list {name!r}")
    if name == "reception_gaps":
        df = _reception_gaps(filters, db)
    elif name == "no_dialogue":
        df = _no_dialogue(filters, db)
    else:
        sql, order, params = _record_sql(filters, name)
        sql = f"{sql} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT $limit"
            params["limit"] = int(limit)
        cur = open_cursor(db)
        try:
            rows = cur.execute(sql, params).fetchall()
        finally:
            cur.close()
        return _frame(name, rows)
    return df if limit is None else df.head(int(limit)).reset_index(drop=True)


def action_counts(filters: Filters, db: Db = None) -> dict[str, int]:
    """How many rows each action list holds, in LISTS order."""
    out: dict[str, int] = {}
    cur = open_cursor(db)
    try:
        for name in LISTS:
            if name in _RECORD_LISTS:
                sql, _, params = _record_sql(filters, name)
                out[name] = int(cur.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
    finally:
        cur.close()
    out["reception_gaps"] = len(_reception_gaps(filters, db))
    out["no_dialogue"] = len(_no_dialogue(filters, db))
    return {name: out[name] for name in LISTS}


def as_records(df: pd.DataFrame) -> list[dict]:
    """A list's rows as plain dicts for JSON: dates ISO, missing values None."""
    out = []
    for row in df.to_dict(orient="records"):
        clean = {}
        for k, v in row.items():
            if v is None or (not isinstance(v, (str, date)) and pd.isna(v)):
                clean[k] = None
            elif isinstance(v, date):
                clean[k] = _day(v).isoformat()
            elif hasattr(v, "item"):
                clean[k] = v.item()
            else:
                clean[k] = v
        out.append(clean)
    return out


def list_label(name: str, lang: str = "vi") -> str:
    return LIST_LABELS[name][1 if lang == "en" else 0]

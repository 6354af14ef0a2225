"""What the warehouse holds: rows and dates per table, who reported when, the import log.

The data officers' page asks these questions; the SQL lives here, over contract names only,
with every filter value bound. A commune is only expected to report while it existed (its
validity dates, DOMAIN.md §8). Only the communes the signed-in user's access scope allows
are listed (metrics.engine.current_scope; None = all). A warehouse built under an earlier
contract (before the tables and columns of v2) is read as it is: what it lacks counts as
empty or open.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from data.contract import DATE, TABLES, Table
from data.warehouse import reader
from metrics.engine import current_scope

# Vietnam keeps one zone with no daylight saving, so a fixed offset is exact.
VIETNAM_OFFSET = timedelta(hours=7)


def event_date(t: Table) -> str | None:
    """The column that dates a record (None for catalogues).

    The contract's own event date when it names one, else the table's first required date
    (a holiday's date, a succession's effective date).
    """
    if t.event_date:
        return t.event_date
    for col in t.columns:
        if col.type == DATE and col.required:
            return col.name
    return None


# Tables whose records are dated and belong to a commune: what "a commune reported" means.
COMMUNE_EVENTS: tuple[Table, ...] = tuple(
    t for t in TABLES if event_date(t) and "commune_code" in t.column_names
)


def _vietnam_time(ts: datetime | None) -> datetime | None:
    return None if ts is None else ts + VIETNAM_OFFSET


def _last_imports(cur: Any) -> dict[str, datetime]:
    """Latest import time per table that an import touched (from the import log)."""
    last: dict[str, datetime] = {}
    rows = cur.execute("SELECT imported_at, summary FROM import_log ORDER BY import_id").fetchall()
    for imported_at, summary in rows:
        try:
            tables = json.loads(summary)
        except ValueError:
            continue
        for name in tables:
            last[name] = _vietnam_time(imported_at)
    return last


def _columns(cur: Any) -> dict[str, set[str]]:
    """The columns of each table of the warehouse (an older warehouse lacks some)."""
    out: dict[str, set[str]] = {}
    rows = cur.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = current_schema()"
    ).fetchall()
    for table_name, column in rows:
        out.setdefault(table_name, set()).add(column)
    return out


def _in_scope(code: str) -> bool:
    """Whether the current run's access scope allows the rows of this commune."""
    scope = current_scope()
    return scope is None or scope.allows(code)


def _col(present: set[str], name: str, sql_type: str = "DATE") -> str:
    """`name`, or a typed NULL when the warehouse predates that column."""
    return name if name in present else f"CAST(NULL AS {sql_type}) AS {name}"


def table_coverage(db: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Per contract table: rows, first and last record date (years for ratings), last import.

    `present` is false for a table the warehouse does not have yet (built under an earlier
    contract; the next import adds it).
    """
    cur = reader(db)
    try:
        last = _last_imports(cur)
        tables = _columns(cur)
        out = []
        for t in TABLES:
            col = event_date(t)
            if t.name not in tables:
                n, first, latest = 0, None, None
            elif col:
                n, first, latest = cur.execute(
                    f"SELECT count(*), min({col}), max({col}) FROM {t.name}"
                ).fetchone()
            elif "year" in t.column_names:
                n, y0, y1 = cur.execute(
                    f"SELECT count(*), min(year), max(year) FROM {t.name}"
                ).fetchone()
                first = date(y0, 1, 1) if y0 else None
                latest = date(y1, 12, 31) if y1 else None
            else:
                n = cur.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0]
                first = latest = None
            out.append(
                {
                    "table": t.name,
                    "label_vi": t.label_vi,
                    "label_en": t.label_en,
                    "rows": n,
                    "first": first,
                    "last": latest,
                    "last_import": last.get(t.name),
                    "present": t.name in tables,
                }
            )
        return out
    finally:
        cur.close()


def _month_span(month: pd.Period, date_from: date, date_to: date) -> tuple[date, date]:
    """The days of a calendar month that lie inside the period."""
    first = max(month.start_time.date(), date_from)
    last = min(month.end_time.date(), date_to)
    return first, last


def _valid_in(vf: date | None, vt: date | None, first: date, last: date) -> bool:
    """Whether a unit valid from `vf` to `vt` (None: open) existed on a day of first..last."""
    return (vf is None or vf <= last) and (vt is None or vt >= first)


# Columns of the completeness grid before the months.
GRID_INFO = ("name", "valid_from", "valid_to")


def completeness(
    date_from: date,
    date_to: date,
    db: str | os.PathLike[str] | None = None,
    communes: tuple[str, ...] = (),
    tables: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Records per commune (rows) and month (columns 'YYYY-MM') in the period.

    Counts the dated commune records of `tables` (default: all of COMMUNE_EVENTS), as
    recorded (each record under the commune it names). A 0 is a month in which the commune
    existed and reported nothing; a month with no day inside the commune's validity dates is
    not applicable and holds <NA> (a merged commune is not expected to report after it ended,
    a new one before it began). Communes valid on no day of the period are left out. The
    index is the commune code; the GRID_INFO columns hold its name and validity dates. All
    communes when `communes` is empty; only those the access scope allows.
    """
    chosen = [t for t in COMMUNE_EVENTS if tables is None or t.name in tables]
    periods = pd.period_range(date_from, date_to, freq="M")
    months = periods.strftime("%Y-%m").tolist()
    cur = reader(db)
    try:
        present = _columns(cur).get("communes", set())
        units = cur.execute(
            f"SELECT commune_code, name, {_col(present, 'valid_from')}, "
            f"{_col(present, 'valid_to')} FROM communes "
            "WHERE len($communes) = 0 OR list_contains($communes, commune_code) "
            "ORDER BY commune_code",
            {"communes": list(communes)},
        ).fetchall()
        counts: list[tuple[str, str, int]] = []
        if chosen:
            union = " UNION ALL ".join(
                f"SELECT commune_code, {event_date(t)} AS d FROM {t.name}" for t in chosen
            )
            counts = cur.execute(
                f"SELECT commune_code, strftime(d, '%Y-%m'), count(*) FROM ({union}) "
                "WHERE d BETWEEN $from AND $to AND commune_code IS NOT NULL "
                "AND (len($communes) = 0 OR list_contains($communes, commune_code)) "
                "GROUP BY ALL",
                {"from": date_from, "to": date_to, "communes": list(communes)},
            ).fetchall()
    finally:
        cur.close()
    units = [u for u in units if _in_scope(u[0]) and _valid_in(u[2], u[3], date_from, date_to)]
    spans = [_month_span(m, date_from, date_to) for m in periods]
    grid = pd.DataFrame(
        [
            [0 if _valid_in(vf, vt, first, last) else pd.NA for first, last in spans]
            for _, _, vf, vt in units
        ],
        index=[code for code, *_ in units],
        columns=months,
        dtype="Int64",
    )
    if counts:
        # One aligned update, not a cell at a time. A record dated outside its commune's
        # validity cannot be imported; should an older warehouse hold one, it still shows
        # as reported (the update fills a not-applicable cell too).
        got = pd.DataFrame(counts, columns=["code", "month", "n"])
        grid.update(got.pivot(index="code", columns="month", values="n"))
        grid = grid.astype("Int64")
    grid.insert(0, "valid_to", [vt for *_, vt in units])
    grid.insert(0, "valid_from", [vf for *_, vf, _ in units])
    grid.insert(0, "name", [name for _, name, *_ in units])
    grid.index.name = "commune_code"
    return grid


def units(db: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Every commune the access scope allows, with its kind, the unit above, validity dates
    and successor.

    `parent_name` comes from units_upper; `successor` is the commune it belongs to today
    (through unit_successions) when that is another commune, with `succession_date`.
    Tables or columns an older warehouse lacks read as empty.
    """
    cur = reader(db)
    try:
        tables = _columns(cur)
        have = tables.get("communes", set())
        upper = "units_upper" in tables
        successions = "unit_successions" in tables
        parent = _col(have, "parent_code", "VARCHAR")
        parent_name = (
            "(SELECT u.name FROM units_upper u WHERE u.unit_code = c.parent_code)"
            if upper and "parent_code" in have
            else "CAST(NULL AS VARCHAR)"
        )
        successor = (
            "(SELECT s.new_code FROM unit_successions s WHERE s.old_code = c.commune_code "
            "ORDER BY s.effective_date DESC, s.new_code LIMIT 1)"
            if successions
            else "CAST(NULL AS VARCHAR)"
        )
        since = (
            "(SELECT max(s.effective_date) FROM unit_successions s "
            "WHERE s.old_code = c.commune_code)"
            if successions
            else "CAST(NULL AS DATE)"
        )
        rows = cur.execute(
            "SELECT commune_code, name, kind, parent_code, parent_name, valid_from, valid_to, "
            "successor, succession_date FROM ("
            f"SELECT c.commune_code, c.name, c.kind, {parent}, {parent_name} AS parent_name, "
            f"{_col(have, 'valid_from')}, {_col(have, 'valid_to')}, "
            f"{successor} AS successor, {since} AS succession_date "
            "FROM communes c) ORDER BY commune_code"
        ).fetchall()
    finally:
        cur.close()
    keys = (
        "commune_code",
        "name",
        "kind",
        "parent_code",
        "parent_name",
        "valid_from",
        "valid_to",
        "successor",
        "succession_date",
    )
    return [dict(zip(keys, r, strict=True)) for r in rows if _in_scope(r[0])]


def import_history(
    db: str | os.PathLike[str] | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """The latest imports, newest first, with files and per-table counts decoded."""
    cur = reader(db)
    try:
        rows = cur.execute(
            "SELECT import_id, imported_at, operator, files, summary FROM import_log "
            "ORDER BY import_id DESC LIMIT $limit",
            {"limit": limit},
        ).fetchall()
    finally:
        cur.close()
    out = []
    for import_id, imported_at, operator, files, summary in rows:
        try:
            file_list = json.loads(files)
            tables = json.loads(summary)
        except ValueError:
            file_list, tables = [], {}
        out.append(
            {
                "import_id": import_id,
                "imported_at": _vietnam_time(imported_at),
                "operator": operator,
                "files": [f.get("name", "") for f in file_list],
                "sha256": [f.get("sha256", "") for f in file_list],
                "tables": tables,
                "added": sum(c.get("added", 0) for c in tables.values()),
                "replaced": sum(c.get("replaced", 0) for c in tables.values()),
                "unchanged": sum(c.get("unchanged", 0) for c in tables.values()),
            }
        )
    return out

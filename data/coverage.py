"""What the warehouse holds: rows and dates per table, who reported when, the import log.

The data officers' page asks these questions; the SQL lives here, over contract names only,
with every filter value bound.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from data.contract import DATE, TABLES, Table
from data.warehouse import reader

# Vietnam keeps one zone with no daylight saving, so a fixed offset is exact.
VIETNAM_OFFSET = timedelta(hours=7)


def event_date(t: Table) -> str | None:
    """The column that dates a record: the table's first required date (None for catalogues)."""
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


def table_coverage(db: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Per contract table: rows, first and last record date (years for ratings), last import."""
    cur = reader(db)
    try:
        last = _last_imports(cur)
        out = []
        for t in TABLES:
            col = event_date(t)
            if col:
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
                }
            )
        return out
    finally:
        cur.close()


def completeness(
    date_from: date,
    date_to: date,
    db: str | os.PathLike[str] | None = None,
    communes: tuple[str, ...] = (),
    tables: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Records per commune (rows) and month (columns 'YYYY-MM') in the period.

    Counts the dated commune records of `tables` (default: all of COMMUNE_EVENTS); a 0 is
    a month in which the commune reported nothing. The index is the commune code; the
    `name` column holds its name. All communes when `communes` is empty.
    """
    chosen = [t for t in COMMUNE_EVENTS if tables is None or t.name in tables]
    months = pd.period_range(date_from, date_to, freq="M").strftime("%Y-%m").tolist()
    cur = reader(db)
    try:
        names = cur.execute(
            "SELECT commune_code, name FROM communes "
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
    grid = pd.DataFrame(0, index=[c for c, _ in names], columns=months, dtype="int64")
    for code, month, n in counts:
        if code in grid.index and month in grid.columns:
            grid.loc[code, month] = n
    grid.insert(0, "name", [n for _, n in names])
    grid.index.name = "commune_code"
    return grid


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

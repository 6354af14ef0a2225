"""What the warehouse covers: its date span, its latest full year, its communes (with the
dates each existed and the commune of today it now belongs to) and the levels it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from metrics.engine import COMMUNES_TODAY_SQL, Db, open_cursor

EVENT_DATES = (
    ("receptions", "reception_date"),
    ("dialogues", "dialogue_date"),
    ("petitions", "received_date"),
    ("dossiers", "received_date"),
    ("inspections", "inspection_date"),
)

SPAN_SQL = " UNION ALL ".join(
    f"SELECT min({c}) AS lo, max({c}) AS hi FROM {t}" for t, c in EVENT_DATES
)

# Tables whose rows carry a level of government (dossiers take their procedure's), and the
# tables of units. A level is present when a record or a unit of it is in the warehouse.
LEVEL_RECORDS = ("receptions", "dialogues", "petitions", "procedures")
LEVELS_PRESENT_SQL = f"""
SELECT l.level FROM levels l
WHERE l.level IN (
    {" UNION ".join(f"SELECT DISTINCT level FROM {t}" for t in LEVEL_RECORDS)}
    UNION SELECT DISTINCT level FROM units_upper
    UNION SELECT l2.level FROM levels l2
          WHERE l2.tier = 'commune' AND EXISTS (SELECT 1 FROM communes)
)
ORDER BY l.rank
"""

COMMUNE_UNITS_SQL = f"""
SELECT c.commune_code, c.name, c.valid_from, c.valid_to,
       coalesce(m.current_code, c.commune_code) AS current_code,
       c.commune_code IN (SELECT commune_code FROM ({COMMUNES_TODAY_SQL})) AS today
FROM communes c LEFT JOIN commune_current m ON m.commune_code = c.commune_code
ORDER BY c.commune_code
"""


@dataclass(frozen=True)
class CommuneUnit:
    """A commune as the warehouse holds it: the days it existed (None: open) and the
    commune of today it belongs to (itself when it still exists)."""

    code: str
    name: str
    valid_from: date | None
    valid_to: date | None
    current_code: str
    today: bool  # one of today's communes


def data_span(db: Db = None) -> tuple[date, date] | None:
    """First and last event date in the warehouse, or None when it holds no events."""
    cur = open_cursor(db)
    try:
        lo, hi = cur.execute(f"SELECT min(lo), max(hi) FROM ({SPAN_SQL})").fetchone()
    finally:
        cur.close()
    return (lo, hi) if lo is not None else None


def latest_full_year(db: Db = None) -> int | None:
    """The latest calendar year lying wholly inside the data span."""
    span = data_span(db)
    if span is None:
        return None
    lo, hi = span
    year = hi.year if (hi.month, hi.day) == (12, 31) else hi.year - 1
    first_full = lo.year if (lo.month, lo.day) == (1, 1) else lo.year + 1
    return year if year >= first_full else None


def years(db: Db = None) -> list[int]:
    span = data_span(db)
    return list(range(span[0].year, span[1].year + 1)) if span else []


def known_communes(db: Db = None) -> dict[str, str]:
    """Commune code → name, in code order."""
    cur = open_cursor(db)
    try:
        rows = cur.execute(
            "SELECT commune_code, name FROM communes ORDER BY commune_code"
        ).fetchall()
    finally:
        cur.close()
    return dict(rows)


def commune_units(db: Db = None) -> list[CommuneUnit]:
    """Every commune with its validity and its commune of today, in code order."""
    cur = open_cursor(db)
    try:
        rows = cur.execute(COMMUNE_UNITS_SQL).fetchall()
    finally:
        cur.close()
    return [CommuneUnit(*r) for r in rows]


def levels_present(db: Db = None) -> tuple[str, ...]:
    """The levels of government the warehouse holds records or units of, highest first."""
    cur = open_cursor(db)
    try:
        rows = cur.execute(LEVELS_PRESENT_SQL).fetchall()
    finally:
        cur.close()
    return tuple(r[0] for r in rows)

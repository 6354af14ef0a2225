"""What the warehouse covers: its date span, its latest full year and its communes."""

from __future__ import annotations

from datetime import date

from metrics.engine import Db, open_cursor

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

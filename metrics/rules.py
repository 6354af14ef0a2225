"""The legal rules as the warehouse holds them (loaded from data/reference/rules.csv).

KPI SQL joins the `rules` table by date; this module reads the same rows for what the
dashboard says about a KPI: which rules applied over a period, whether a target applies,
and the legal basis. No threshold is written here.
"""

from __future__ import annotations

from datetime import date

from data.reference import LegalRule
from metrics.engine import Db, open_cursor


def warehouse_rules(db: Db = None) -> tuple[LegalRule, ...]:
    """Every rule row of the warehouse, in the order of the rules file."""
    cur = open_cursor(db)
    try:
        rows = cur.execute(
            "SELECT rule_key, level, value, valid_from, valid_to, basis_vi, basis_en FROM rules "
            "ORDER BY seq"
        ).fetchall()
    finally:
        cur.close()
    return tuple(LegalRule(*r) for r in rows)


def applied(
    keys: tuple[str, ...],
    first: date,
    last: date,
    rules: tuple[LegalRule, ...],
    levels: tuple[str, ...] | None = None,
) -> list[LegalRule]:
    """The rows of `keys` in force on at least one day of [first, last]; with `levels`,
    only rows for every level or for one of those levels."""
    return [
        r
        for r in rules
        if r.key in keys
        and r.overlaps(first, last)
        and (levels is None or r.level is None or r.level in levels)
    ]


def in_force(key: str, day: date, rules: tuple[LegalRule, ...]) -> LegalRule | None:
    for r in rules:
        if r.key == key and r.in_force(day):
            return r
    return None


def span_text(rule: LegalRule, lang: str) -> str:
    """'01/07/2014 – 30/06/2025', or 'từ 01/07/2014' when still in force."""
    from metrics.format import day

    if rule.valid_to is None:
        start = day(rule.valid_from, lang) if rule.valid_from else "…"
        return f"{'from' if lang == 'en' else 'từ'} {start}"
    start = day(rule.valid_from, lang) if rule.valid_from else "…"
    return f"{start} – {day(rule.valid_to, lang)}"

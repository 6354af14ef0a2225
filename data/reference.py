"""Reference data shipped with the product: levels of government, legal rules, holidays.

The administration is data. `data/reference/levels.csv` lists the levels of government with
the dates they existed; `rules.csv` the legal minimums and deadlines with the dates they
were in force and their legal basis; `holidays.csv` the official days off. Every build
loads them into the warehouse, where the KPI SQL, the validation, the derived due dates,
the demo and the labels all read them. A reform or a new law is a row in these files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
LEVELS_FILE = REFERENCE_DIR / "levels.csv"
RULES_FILE = REFERENCE_DIR / "rules.csv"
HOLIDAYS_FILE = REFERENCE_DIR / "holidays.csv"

LEVELS_SQL = """
CREATE TABLE levels (
    level VARCHAR PRIMARY KEY,
    tier VARCHAR NOT NULL CHECK (tier IN ('upper', 'commune')),
    rank INTEGER NOT NULL,
    implicit_unit BOOLEAN NOT NULL,  -- a warehouse without units_upper has one such unit
    name_vi VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    valid_from DATE,
    valid_to DATE,
    basis_vi VARCHAR,
    basis_en VARCHAR
)
"""

RULES_SQL = """
CREATE TABLE rules (
    seq INTEGER NOT NULL,       -- order of the rules file, kept for display
    rule_key VARCHAR NOT NULL,
    level VARCHAR,              -- NULL: every level
    value INTEGER NOT NULL,
    valid_from DATE,            -- NULL: since always
    valid_to DATE,              -- NULL: still in force
    basis_vi VARCHAR NOT NULL,
    basis_en VARCHAR NOT NULL,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
)
"""


@dataclass(frozen=True)
class Level:
    code: str
    tier: str  # upper (units_upper) | commune (communes)
    rank: int
    name_vi: str
    name_en: str
    valid_from: date | None
    valid_to: date | None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class LegalRule:
    key: str
    level: str | None
    value: int
    valid_from: date | None
    valid_to: date | None
    basis_vi: str
    basis_en: str

    def basis(self, lang: str) -> str:
        return self.basis_en if lang == "en" else self.basis_vi

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def overlaps(self, first: date, last: date) -> bool:
        return (self.valid_from is None or self.valid_from <= last) and (
            self.valid_to is None or first <= self.valid_to
        )


def _date(text: str) -> date | None:
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _rows(path: Path) -> list[dict[str, str]]:
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def levels(path: Path = LEVELS_FILE) -> tuple[Level, ...]:
    """Every level of government, highest first."""
    out = [
        Level(
            r["level"],
            r["tier"],
            int(r["rank"]),
            r["name_vi"],
            r["name_en"],
            _date(r["valid_from"]),
            _date(r["valid_to"]),
        )
        for r in _rows(path)
    ]
    return tuple(sorted(out, key=lambda lv: lv.rank))


def level_codes() -> tuple[str, ...]:
    return tuple(lv.code for lv in levels())


def upper_level_codes() -> tuple[str, ...]:
    return tuple(lv.code for lv in levels() if lv.tier == "upper")


def commune_level_code() -> str:
    (code,) = (lv.code for lv in levels() if lv.tier == "commune")
    return code


def level(code: str) -> Level:
    for lv in levels():
        if lv.code == code:
            return lv
    raise KeyError(code)


def read_rules(path: Path = RULES_FILE) -> tuple[LegalRule, ...]:
    return tuple(
        LegalRule(
            r["rule_key"],
            r["level"].strip() or None,
            int(r["value"]),
            _date(r["valid_from"]),
            _date(r["valid_to"]),
            r["basis_vi"],
            r["basis_en"],
        )
        for r in _rows(path)
    )


@cache
def rules() -> tuple[LegalRule, ...]:
    """The rules file of the repository (the warehouse holds a copy made at build time)."""
    return read_rules(RULES_FILE)


def rule_in_force(key: str, day: date, level_code: str | None = None) -> LegalRule | None:
    """The repository's rule `key` for `level_code` in force on `day` (for the demo)."""
    for r in rules():
        if r.key == key and r.level in (None, level_code) and r.in_force(day):
            return r
    return None


def holidays(path: Path = HOLIDAYS_FILE) -> list[date]:
    if not Path(path).exists():
        return []
    return [date.fromisoformat(r["holiday_date"]) for r in _rows(path)]


def load_reference(
    conn: duckdb.DuckDBPyConnection,
    rules_file: Path = RULES_FILE,
    levels_file: Path = LEVELS_FILE,
) -> None:
    """(Re)create the `levels` and `rules` tables from the reference files."""
    conn.execute("DROP TABLE IF EXISTS levels")
    conn.execute("DROP TABLE IF EXISTS rules")
    conn.execute(LEVELS_SQL)
    conn.execute(RULES_SQL)
    for r in _rows(levels_file):
        conn.execute(
            "INSERT INTO levels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                r["level"],
                r["tier"],
                int(r["rank"]),
                r["implicit_unit"].strip().lower() == "true",
                r["name_vi"],
                r["name_en"],
                _date(r["valid_from"]),
                _date(r["valid_to"]),
                r.get("basis_vi") or None,
                r.get("basis_en") or None,
            ],
        )
    for seq, rule in enumerate(read_rules(rules_file), start=1):
        conn.execute(
            "INSERT INTO rules VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                seq,
                rule.key,
                rule.level,
                rule.value,
                rule.valid_from,
                rule.valid_to,
                rule.basis_vi,
                rule.basis_en,
            ],
        )


def reference_outdated(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse's `levels` and `rules` differ from the reference files."""
    try:
        stored = conn.execute(
            "SELECT rule_key, level, value, valid_from, valid_to, basis_vi, basis_en "
            "FROM rules ORDER BY seq"
        ).fetchall()
        stored_levels = conn.execute(
            "SELECT level, tier, rank, implicit_unit, valid_from, valid_to FROM levels "
            "ORDER BY rank"
        ).fetchall()
    except duckdb.Error:  # an older layout of the reference tables
        return True
    wanted = [
        (r.key, r.level, r.value, r.valid_from, r.valid_to, r.basis_vi, r.basis_en)
        for r in read_rules(RULES_FILE)
    ]
    wanted_levels = [
        (
            r["level"],
            r["tier"],
            int(r["rank"]),
            r["implicit_unit"].strip().lower() == "true",
            _date(r["valid_from"]),
            _date(r["valid_to"]),
        )
        for r in sorted(_rows(LEVELS_FILE), key=lambda r: int(r["rank"]))
    ]
    return [tuple(x) for x in stored] != wanted or [tuple(x) for x in stored_levels] != (
        wanted_levels
    )

"""What every office-file profile shares: its result, reading sheets, dates, numbers, units.

A profile reads a file in the layout an office already keeps (a one-stop export, a
reception register, a report form) and turns it into contract rows written as a person
would type them in the template, so the importer validates and merges them like any
template sheet. A profile never writes the warehouse; it only reads the catalogue tables
(communes, units, procedures, aliases) it needs to resolve names to codes.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from data.importer import is_personal, normalise
from data.staging import Fault
from data.warehouse import resolve_db

EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (32_874, 73_051)  # Excel serials of 1990-01-01 .. 2100-12-31
HEADER_SCAN_ROWS = 15
# Summary rows of a table: totals, and the averages portals print under their units.
TOTAL_WORDS = (
    "tong cong",
    "tong so",
    "cong",
    "tong",
    "total",
    "binh quan",
    "trung binh",
    "average",
)

Db = str | Path | duckdb.DuckDBPyConnection | None


@dataclass(frozen=True)
class Origin:
    """Where one contract row came from in the office's file.

    The contract validation runs on the converted rows; a fault it finds is put back here:
    the sheet, the row as Excel numbers it, and the office column each contract column was
    read from. `columns` maps a contract column to that office column as the user finds it
    ("L (Ngày kết thúc xử lý)"); a column missing from it has no office column of its own
    (built from the title, from several cells, or a default). `derived` are the contract
    columns whose value the profile computed rather than read (a count of visits, the sum of
    a column over several rows). `rows` are every (sheet, row) an aggregate was made from.
    """

    source: str  # "file.xlsx/sheet"
    row: int  # the row, or the first of `rows`
    columns: Mapping[str, str]
    derived: frozenset[str] = frozenset()
    rows: tuple[tuple[str, int], ...] = ()

    @property
    def grouped(self) -> bool:
        """Whether the record was made from several rows of the office's file."""
        return len(self.rows) > 1


@dataclass
class ProfileResult:
    """Contract rows read from one office file, with what was found wrong or left out.

    `tables` maps a contract table to its rows: dicts of canonical column -> text, plus
    `_row` (the spreadsheet row the record came from, or the first of them for an
    aggregate), `_source` ("file.xlsx/sheet") and `_origin` (an `Origin`), so a fault found
    later still points at the office's own file.
    """

    profile: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    # Names the officer must map once (one-stop export: procedure names not in the catalogue).
    to_map: list[str] = field(default_factory=list)
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.faults

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.setdefault(table, [])

    def contract_rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of `table` without the bookkeeping keys (`_row`, `_source`, `_origin`)."""
        return [
            {k: v for k, v in r.items() if not k.startswith("_")}
            for r in self.tables.get(table, [])
        ]

    def origins(self, table: str) -> list[Origin | None]:
        """Where each row of `table` came from, in the order of its rows."""
        return [r.get("_origin") for r in self.tables.get(table, [])]


def fault(source: str, row: int | None, column: str | None, value: Any, vi: str, en: str) -> Fault:
    return Fault(source, row, column, None if value is None else str(value), vi, en)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def column_letter(index: int) -> str:
    s, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def where(index: int, header: str) -> str:
    """A fault's column as the user finds it: 'E (Tên thủ tục hành chính)'."""
    return f"{column_letter(index)} ({header})"


# ------------------------------------------------------------------------------ sheets


@dataclass
class Sheet:
    """One sheet's cells as values (merged ranges filled from their top-left cell)."""

    source: str  # "file.xlsx/sheet" or "file.csv"
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1

    def cell(self, r: int, c: int) -> Any:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else None


def read_sheets(path: Path, display: str | None = None) -> Iterator[Sheet]:
    """Every sheet of a workbook, or the one table of a CSV file (UTF-8 or Windows-1258).

    Raises ValueError with a one-line reason when the file cannot be read at all.
    """
    path = Path(path)
    name = display or path.name
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        yield Sheet(name, _read_csv(path))
        return
    if suffix not in {".xlsx", ".xlsm"}:
        raise ValueError(f"unsupported file type {suffix or '(none)'}")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a damaged or foreign file: reported, never raised to the page
        detail = str(exc).splitlines()[0] if str(exc) else ""
        raise ValueError(f"{type(exc).__name__}: {detail}") from None
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            merged = []
            for rng in ws.merged_cells.ranges:
                r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
                merged.append((r0, c0, r1, c1))
                top = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
                for r in range(r0, min(r1, len(rows) - 1) + 1):
                    for c in range(c0, c1 + 1):
                        while len(rows[r]) <= c:
                            rows[r].append(None)
                        if (r, c) != (r0, c0):
                            rows[r][c] = top
            yield Sheet(f"{name}/{ws.title}", rows, merged)
    finally:
        wb.close()


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("encoding not UTF-8 nor Windows-1258")
    sample = text[:4096]
    delim = max((",", ";", "\t"), key=sample.count)
    return [list(r) for r in csv.reader(text.splitlines(), delimiter=delim)]


def text(value: Any) -> str:
    """A cell as trimmed text ('' for an empty cell; 12.0 -> '12')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def blank(row: list[Any]) -> bool:
    return all(text(v) == "" for v in row)


def is_total_row(row: list[Any], label_cols: tuple[int, ...] = (0, 1, 2)) -> bool:
    """'Tổng cộng', 'Cộng', 'Tổng số' in one of the first columns."""
    for c in label_cols:
        if c < len(row) and normalise(text(row[c])) in TOTAL_WORDS:
            return True
    return False


def find_header(
    rows: list[list[Any]], synonyms: dict[str, tuple[str, ...]], need: int = 3
) -> tuple[int, dict[str, int]] | None:
    """The first of the top rows naming at least `need` known columns: (row index,
    {field: column index}). Headers match case-, spacing- and diacritics-insensitively."""
    best: tuple[int, dict[str, int]] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = match_headers(row, synonyms)
        if len(found) >= need and (best is None or len(found) > len(best[1])):
            best = (i, found)
    return best


def match_headers(row: list[Any], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, cell in enumerate(row):
        key = normalise(text(cell))
        if not key:
            continue
        for fld, words in synonyms.items():
            if fld not in found and key in words:
                found[fld] = c
                break
    return found


def personal_columns(
    header: list[Any], used: set[int], extra: tuple[str, ...] = ()
) -> list[tuple[int, str]]:
    """Header cells outside `used` that name personal data (never read, never stored)."""
    out = []
    for c, cell in enumerate(header):
        h = text(cell)
        if c in used or not h:
            continue
        if is_personal(h) or normalise(h) in extra:
            out.append((c, h))
    return out


# ------------------------------------------------------------------------------ values

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{6})?$")


def parse_date(value: Any) -> date | None:
    """An Excel date cell, an Excel serial, dd/mm/yyyy, ISO or yyyyMMdd[HHmmss]; None if not."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + timedelta(days=int(value))
        value = text(value)
    s = str(value).strip()
    try:
        if m := _DMY.match(s):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO.match(s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _STAMP.match(s):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def parse_count(value: Any) -> int | None:
    """A whole number ≥ 0 as a form holds it: 12, '12', '1.234' (dot-grouped); None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    s = text(value).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    return int(s) if re.fullmatch(r"\d{1,9}", s) else None


# ------------------------------------------------------------------------------ warehouse


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str  # xa | huyen | tinh
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


UNIT_PREFIXES = (
    "uy ban nhan dan",
    "ubnd",
    "bo phan mot cua",
    "bo phan tiep nhan va tra ket qua",
    "bo phan tiep cong dan",
    "trung tam phuc vu hanh chinh cong",
    "trung tam hanh chinh cong",
    "ban tiep cong dan",
    "thi tran",
    "phuong",
    "xa",
    "dac khu",
    "huyen",
    "tinh",
)


def unit_key(name: str) -> str:
    """A unit's name without 'UBND', 'xã', 'Bộ phận một cửa' ...

    'UBND xã Tân Quang' -> 'tan quang'.
    """
    key = normalise(name)
    changed = True
    while changed:
        changed = False
        for p in UNIT_PREFIXES:
            if key.startswith(p + " "):
                key = key[len(p) + 1 :]
                changed = True
    return key


def unit_level_word(name: str) -> str | None:
    """The level a unit's name states: 'UBND huyện Bắc Quang' -> 'huyen'."""
    words = f" {normalise(name)} "
    if " tinh " in words:
        return "tinh"
    if " huyen " in words:
        return "huyen"
    if any(f" {w} " in words for w in ("xa", "phuong", "thi tran", "dac khu")):
        return "xa"
    return None


class Catalogue:
    """The warehouse tables a profile reads: units, procedures and their aliases."""

    def __init__(self, conn_or_db: Db):
        self.units: list[Unit] = []
        self.procedures: dict[str, str] = {}  # code -> name
        self.aliases: dict[str, str] = {}  # normalised alias -> code
        own = not isinstance(conn_or_db, duckdb.DuckDBPyConnection)
        conn: duckdb.DuckDBPyConnection | None = None
        try:
            if own:
                path = resolve_db(conn_or_db)
                if not path.exists():
                    return
                conn = duckdb.connect(str(path), read_only=True)
            else:
                conn = conn_or_db.cursor()
            have = {
                r[0]
                for r in conn.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                    "AND database_name = current_database()"
                ).fetchall()
            }
            if "communes" in have:
                for code, name, vf, vt in conn.execute(
                    "SELECT commune_code, name, valid_from, valid_to FROM communes"
                ).fetchall():
                    self.units.append(Unit(code, name, "xa", vf, vt))
            if "units_upper" in have:
                for code, name, lv, vf, vt in conn.execute(
                    "SELECT unit_code, name, level, valid_from, valid_to FROM units_upper"
                ).fetchall():
                    self.units.append(Unit(code, name, lv, vf, vt))
            if "procedures" in have:
                self.procedures = dict(
                    conn.execute("SELECT procedure_code, name FROM procedures").fetchall()
                )
            if "procedure_aliases" in have:
                for alias, code in conn.execute(
                    "SELECT alias, procedure_code FROM procedure_aliases"
                ).fetchall():
                    self.aliases[normalise(alias)] = code
        except duckdb.Error:
            pass  # an unreadable warehouse resolves nothing; every name becomes a fault
        finally:
            if conn is not None:
                conn.close()
        self._proc_by_name: dict[str, str] = {}
        for code, name in self.procedures.items():
            self._proc_by_name.setdefault(normalise(name), code)
        self._proc_by_code = {normalise(c): c for c in self.procedures}

    def add_aliases(self, rows: list[dict[str, Any]]) -> None:
        """Aliases given in the same upload as the export (mapped before it is imported)."""
        for r in rows:
            if r.get("alias") and r.get("procedure_code"):
                self.aliases[normalise(r["alias"])] = str(r["procedure_code"]).strip()

    def procedure(self, code: str, name: str) -> str | None:
        """The catalogue code of a dossier's procedure, by code, by name, or by alias."""
        if code and normalise(code) in self._proc_by_code:
            return self._proc_by_code[normalise(code)]
        key = normalise(name)
        if not key:
            return None
        return self._proc_by_name.get(key) or self.aliases.get(key)

    def unit(self, label: str, day: date | None = None) -> Unit | None:
        """The unit a name or code names, valid on `day` when several share the name."""
        s = text(label)
        if not s:
            return None
        by_code = [u for u in self.units if u.code == s]
        if by_code:
            return by_code[0]
        key = unit_key(s)
        stated = unit_level_word(s)
        hits = [
            u
            for u in self.units
            if unit_key(u.name) == key and (stated is None or u.level == stated)
        ]
        if not hits:
            return None
        valid = [u for u in hits if u.valid_on(day)]
        return (valid or hits)[0]


def open_catalogue(conn_or_db: Db) -> Catalogue:
    return Catalogue(conn_or_db)


def headers_of(*words: str) -> tuple[str, ...]:
    """The spellings a column header may take, normalised as the importer compares them."""
    from data.importer import normalise

    return tuple(normalise(w) for w in words)


def open_office_file(
    profile: str, path: str | Path, conn_or_db: Db, display: str | None
) -> tuple[ProfileResult, Catalogue, list | None]:
    """The start of every profile's reading: its result (with the file's hash), the
    catalogue of units and procedures, and the file's sheets (None when the file cannot be
    read at all, the fault then in the result)."""
    path = Path(path)
    result = ProfileResult(profile, sha256=sha256_of(path))
    return result, open_catalogue(conn_or_db), sheets_or_fault(path, display, result)


def sheets_or_fault(path: Path, display: str | None, result: ProfileResult) -> list | None:
    """Every sheet of the office's file, or None with the file-level fault added to
    `result` when the file cannot be read at all."""
    try:
        return list(read_sheets(path, display))
    except ValueError as exc:
        name = display or path.name
        result.faults.append(fault(name, None, None, None, f"không đọc được tệp: {exc}", str(exc)))
        return None

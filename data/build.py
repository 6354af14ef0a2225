"""Build a warehouse from a folder of contract-format CSV files (one `<table>.csv` each).

A large table may come instead as a set of part files `<table>.part-<label>.csv` (the demo
writes its dossiers as one a month at large scales): each part has the header and is validated
on its own, faults naming the part file and its row, and a key repeated in two parts is a fault
of the later part. Only one part is staged at a time, so memory stays flat in the table's size.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from data.contract import TABLES, Table
from data.reference import HOLIDAYS_FILE, RULES_FILE
from data.staging import MAX_FAULTS, Fault, merge, stage, validate_references
from data.warehouse import (
    LOCK_TIMEOUT_S,
    connect,
    create_schema,
    now_iso,
    refresh_derived,
    replacing,
    set_meta,
    writer_lock,
)
from metrics.format import FORMULA_START

# Reference rows every warehouse starts from; a folder's own file adds to or replaces them.
SHIPPED = {"holidays": HOLIDAYS_FILE}


class BuildError(Exception):
    """The input is at fault; `faults` says where. The target warehouse is untouched."""

    def __init__(self, faults: list[Fault]):
        self.faults = faults
        first = faults[0].message() if faults else ""
        super().__init__(f"{len(faults)} lỗi trong dữ liệu nguồn; lỗi đầu tiên: {first}")


Progress = Callable[[str, float], None]


def _read_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return next(csv.reader(fh), [])


# A text cell written with the apostrophe that keeps a spreadsheet from evaluating it.
_RE2 = {"\t": "\\t", "\r": "\\r"}  # in a character class; any other is escaped as is
GUARDED_CELL = "^'[" + "".join(_RE2.get(c, "\\" + c) for c in FORMULA_START) + "]"


def load_csv_raw(
    conn: duckdb.DuckDBPyConnection, table: Table, path: Path, raw: str
) -> list[Fault]:
    """Load a contract CSV as text into `raw` with `_row`; header faults are returned."""
    source = path.name
    try:
        header = [h.strip() for h in _read_header(path)]
    except UnicodeDecodeError:
        return [
            Fault(
                source,
                None,
                None,
                None,
                "tệp không phải mã UTF-8",
                "file is not UTF-8 encoded",
            )
        ]
    faults = []
    seen = set()
    for name in header:
        if name in seen:
            faults.append(Fault(source, 1, name, name, "cột bị lặp", "duplicate column"))
        seen.add(name)
    missing = [c.name for c in table.columns if c.required and c.name not in header]
    for name in missing:
        faults.append(
            Fault(source, 1, name, None, "thiếu cột bắt buộc", "required column is missing")
        )
    if faults:
        return faults
    # Columns outside the contract are read but never stored (personal data among them).
    columns = {name: "VARCHAR" for name in header}
    try:
        conn.execute(
            f"CREATE OR REPLACE TEMP TABLE _file_{table.name} AS SELECT * FROM read_csv("
            "$path, header = true, auto_detect = false, columns = $columns, delim = ',', "
            "quote = '\"', escape = '\"', encoding = 'utf-8')",
            {"path": str(path), "columns": columns},
        )
    except duckdb.Error as exc:
        detail = str(exc).splitlines()[0]
        return [Fault(source, None, None, None, f"không đọc được tệp CSV: {detail}", detail)]
    # A cell guarded against spreadsheet formulas (metrics.format.cell_text) is read as the
    # text it stands for (metrics.format.cell_value), as the importer reads it.
    select = ", ".join(
        f'CASE WHEN regexp_matches("{c.name}", $guarded) THEN substr("{c.name}", 2) '
        f'ELSE "{c.name}" END AS "{c.name}"'
        if c.name in header
        else f"CAST(NULL AS VARCHAR) AS {c.name}"
        for c in table.columns
    )
    # rowid follows the file order, so rowid + 2 is the row number shown by a spreadsheet.
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE {raw} AS "
        f"SELECT CAST(rowid + 2 AS INTEGER) AS _row, {select} FROM _file_{table.name}",
        {"guarded": GUARDED_CELL},
    )
    conn.execute(f"DROP TABLE _file_{table.name}")
    return []


def part_files(csv_dir: Path, table: Table) -> list[Path]:
    """The part files of `table` in `csv_dir`, in name order (the order their rows load in)."""
    return sorted(csv_dir.glob(f"{table.name}.part-*.csv"), key=lambda p: p.name)


def _validated(
    conn: duckdb.DuckDBPyConnection, table: Table, path: Path
) -> tuple[str | None, list[Fault]]:
    """One contract CSV read raw, typed and checked (cells, rows, references): the name of
    its typed table and its faults; no table when its header is at fault. The raw table is
    dropped; the caller drops the typed one."""
    raw = f"_raw_{table.name}"
    header_faults = load_csv_raw(conn, table, path, raw)
    if header_faults:
        return None, header_faults
    typed, faults = stage(conn, table, raw, path.name)
    faults += validate_references(conn, table, typed, path.name)
    conn.execute(f"DROP TABLE {raw}")
    return typed, faults


def _load_part(conn: duckdb.DuckDBPyConnection, table: Table, path: Path) -> list[Fault]:
    """Validate one part file like a whole file and append its fault-free rows; a key that an
    earlier part already holds is a fault of this one (the first part of the set wins)."""
    typed, faults = _validated(conn, table, path)
    if typed is None:
        return faults
    skip = sorted({f.row for f in faults if f.row is not None})
    cols = ", ".join(table.column_names)
    keep = "WHERE NOT list_contains($skip::INTEGER[], _row)" if skip else ""
    params = {"skip": skip} if skip else None
    try:
        # The primary key of the warehouse table rejects the whole statement on a repeat.
        conn.execute(f"INSERT INTO {table.name} SELECT {cols} FROM {typed} {keep}", params)
    except duckdb.ConstraintException:
        faults += _repeated_keys(conn, table, typed, path.name)
        repeated = " AND ".join(f"w.{c} = t.{c}" for c in table.primary_key)
        more = f"{keep} AND" if keep else "WHERE"
        conn.execute(
            f"INSERT INTO {table.name} SELECT {cols} FROM {typed} t {more} NOT EXISTS "
            f"(SELECT 1 FROM {table.name} w WHERE {repeated})",
            params,
        )
    conn.execute(f"DROP TABLE {typed}")
    return faults


def _repeated_keys(
    conn: duckdb.DuckDBPyConnection, table: Table, typed: str, source: str
) -> list[Fault]:
    """Rows of a part whose key an earlier part of the same table already holds."""
    join = " AND ".join(f"w.{c} = t.{c}" for c in table.primary_key)
    key_text = " || '/' || ".join(f"CAST(t.{c} AS VARCHAR)" for c in table.primary_key)
    rows = conn.execute(
        f"SELECT t._row, {key_text} FROM {typed} t JOIN {table.name} w ON {join} "
        f"ORDER BY t._row LIMIT {MAX_FAULTS}"
    ).fetchall()
    return [
        Fault(
            source,
            row,
            "/".join(table.primary_key),
            key,
            "trùng mã với một dòng của tệp phần trước",
            "duplicate key, same as a row of an earlier part file",
        )
        for row, key in rows
    ]


def _load_file(conn: duckdb.DuckDBPyConnection, table: Table, path: Path) -> list[Fault]:
    """Validate one contract CSV and merge its fault-free rows; return its faults."""
    typed, faults = _validated(conn, table, path)
    if typed is None:
        return faults
    merge(conn, table, typed, skip_rows={f.row for f in faults if f.row is not None})
    conn.execute(f"DROP TABLE {typed}")
    return faults


def build_warehouse(
    csv_dir: Path,
    db_path: Path,
    meta: dict[str, str] | None = None,
    progress: Progress | None = None,
    rules_file: Path = RULES_FILE,
    lock_timeout: float = LOCK_TIMEOUT_S,
    memory_limit: str | None = None,
) -> dict[str, int]:
    """Build `db_path` from `csv_dir`; atomically replace it, or raise BuildError.

    The build holds the same writer lock as an import, so an import running meanwhile is
    never overwritten (nor the build by it); when the lock stays taken for `lock_timeout`
    seconds the build gives up with a fault. A folder or disk that cannot be written raises
    BuildWriteError (OSError or a DuckDB I/O error underneath); the target is untouched.

    Every table is validated even after a fault is found, so one run reports every fault.
    The reference data (levels, rules from `rules_file`, the shipped holidays) are loaded
    first. Returns the number of rows per table. `memory_limit` (a DuckDB size such as
    "4GB") caps the building connection, which then spills to disk beside the warehouse.
    """
    csv_dir = Path(csv_dir)
    if not csv_dir.is_dir():
        raise BuildError(
            [Fault(str(csv_dir), None, None, None, "thư mục không tồn tại", "folder not found")]
        )
    db_path = Path(db_path)
    try:
        with writer_lock(db_path, lock_timeout):
            counts = _build(csv_dir, db_path, meta, progress, rules_file, memory_limit)
    except TimeoutError:
        raise BuildError(
            [
                Fault(
                    db_path.name,
                    None,
                    None,
                    None,
                    f"một lần nhập hoặc dựng khác đang ghi kho dữ liệu này (chờ quá "
                    f"{lock_timeout:g} s); hãy thử lại sau",
                    f"another import or build is writing this warehouse (waited over "
                    f"{lock_timeout:g} s); try again later",
                )
            ]
        ) from None
    except (OSError, duckdb.IOException) as exc:
        raise BuildWriteError(db_path, exc) from None
    if progress:
        progress("done", 1.0)
    return counts


class BuildWriteError(Exception):
    """The warehouse could not be written (read-only folder, full disk); target untouched."""

    def __init__(self, db_path: Path, exc: BaseException):
        self.db_path = db_path
        detail = getattr(exc, "strerror", None) or str(exc).strip().splitlines()[0:1]
        if isinstance(detail, list):
            detail = detail[0] if detail else type(exc).__name__
        self.detail = str(detail)
        super().__init__(f"không ghi được kho dữ liệu {db_path}: {self.detail}")

    def message(self, lang: str = "vi") -> str:
        if lang == "en":
            return f"cannot write the warehouse {self.db_path}: {self.detail}"
        return f"không ghi được kho dữ liệu {self.db_path}: {self.detail}"


def _build(
    csv_dir: Path,
    db_path: Path,
    meta: dict[str, str] | None,
    progress: Progress | None,
    rules_file: Path,
    memory_limit: str | None = None,
) -> dict[str, int]:
    faults: list[Fault] = []
    counts: dict[str, int] = {}
    with replacing(db_path) as tmp:
        conn = connect(tmp)
        try:
            if memory_limit:
                conn.execute("SET memory_limit = ?", [memory_limit])
            create_schema(conn, rules_file)
            for i, table in enumerate(TABLES):
                if progress:
                    progress(table.name, i / len(TABLES))
                path = csv_dir / f"{table.name}.csv"
                parts = part_files(csv_dir, table)
                if parts and path.exists():
                    faults.append(
                        Fault(
                            path.name,
                            None,
                            None,
                            None,
                            f"có cả tệp {path.name} và các tệp phần {parts[0].name}…; "
                            "hãy giữ một trong hai",
                            f"both {path.name} and part files {parts[0].name}… are present; "
                            "keep one or the other",
                        )
                    )
                elif not path.exists() and not parts and not table.optional:
                    faults.append(
                        Fault(path.name, None, None, None, "thiếu tệp", "file is missing")
                    )
                paths = [p for p in (SHIPPED.get(table.name), path) if p and p.exists()]
                for source in paths:
                    faults += _load_file(conn, table, source)
                if parts and not path.exists():
                    for n, part in enumerate(parts):
                        if progress:
                            step = (i + n / len(parts)) / len(TABLES)
                            progress(f"{table.name} {part.name}", step)
                        # Parts add to shipped reference rows the way one file does.
                        load = _load_file if table.name in SHIPPED else _load_part
                        faults += load(conn, table, part)
                counts[table.name] = conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[
                    0
                ]
            refresh_derived(conn)
            if faults:
                raise BuildError(faults)
            set_meta(conn, built_at=now_iso(), source=str((meta or {}).get("source", "csv")))
            for key, value in (meta or {}).items():
                set_meta(conn, **{key: value})
            conn.execute("CHECKPOINT")
        finally:
            conn.close()
    return counts


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)

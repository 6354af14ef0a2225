"""The warehouse file: where it lives, its schema, atomic replacement and read access.

Writers never touch the live file: they build a new file beside it and `os.replace()` it
over the live one, so a reader or a crash only ever sees a complete warehouse. Readers open
the file read-only from a private in-memory connection, keyed on the file's identity, so a
replaced warehouse is picked up on the next query without a restart.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from data.contract import TABLES, create_table_sql
from data.reference import RULES_FILE, load_reference

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DB = PACKAGE_DIR / "warehouse.duckdb"
ENV_DB = "DANVAN_DB"

META_SQL = """
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
)
"""

IMPORT_LOG_SQL = """
CREATE TABLE import_log (
    import_id INTEGER PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,
    operator VARCHAR,
    files VARCHAR NOT NULL,          -- JSON list of {"name", "sha256"}
    summary VARCHAR NOT NULL         -- JSON {table: {"added", "replaced", "unchanged"}}
)
"""


def default_db_path() -> Path:
    """The warehouse used when no path is given: $DANVAN_DB, else data/warehouse.duckdb."""
    env = os.environ.get(ENV_DB)
    return Path(env) if env else DEFAULT_DB


def resolve_db(db: str | os.PathLike[str] | None) -> Path:
    return Path(db) if db is not None else default_db_path()


# Each old commune's commune of today: follow unit_successions to a unit with no successor.
# Rebuilt after every build and import; "under today's units" views read it.
COMMUNE_CURRENT_SQL = """
CREATE OR REPLACE TABLE commune_current AS
WITH RECURSIVE chain(commune_code, current_code, depth) AS (
    SELECT commune_code, commune_code, 0 FROM communes
    UNION ALL
    SELECT c.commune_code, s.new_code, c.depth + 1
    FROM chain c JOIN unit_successions s ON s.old_code = c.current_code
    WHERE c.depth < 20
)
SELECT commune_code, arg_max(current_code, depth) AS current_code
FROM chain
WHERE current_code IN (SELECT commune_code FROM communes)
GROUP BY commune_code
"""


# Version of the data contract the warehouse follows; 2 = units and rules as data.
CONTRACT_VERSION = "2"


# Every connection the project opens runs offline: a foreign or damaged file must never make
# DuckDB fetch or load an extension.
OFFLINE_SETTINGS = (
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
)

LOCK_TIMEOUT_S = 60.0


def configure(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Turn off extension autoloading and installing on `conn`; return it."""
    for statement in OFFLINE_SETTINGS:
        conn.execute(statement)
    return conn


def connect(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A writer connection on `path` (or ':memory:'), offline."""
    conn = duckdb.connect(str(path))
    try:
        return configure(conn)
    except BaseException:
        conn.close()
        raise


@contextlib.contextmanager
def writer_lock(db: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """One writer at a time per warehouse (imports, builds, upgrades), so two writers never
    both start from the same file and one of them silently loses the other's rows.

    Raises TimeoutError when the lock is not free within `timeout` seconds.
    """
    db = Path(db)
    lock_path = db.with_name(db.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = lock_path.open("a+b")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                if os.name == "posix":
                    import fcntl

                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:
                    import msvcrt

                    msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError from None
                time.sleep(0.1)
        yield
    finally:
        fh.close()  # closing releases the lock


def create_schema(conn: duckdb.DuckDBPyConnection, rules_file: Path = RULES_FILE) -> None:
    load_reference(conn, rules_file)
    for t in TABLES:
        conn.execute(create_table_sql(t))
    conn.execute(META_SQL)
    conn.execute(IMPORT_LOG_SQL)
    set_meta(conn, contract_version=CONTRACT_VERSION)


# Dossiers grouped by every column a dossier measure, filter or breakdown reads: `n` rows
# and the sum of their days taken. The KPI engine reads it instead of `dossiers` when a
# query can be answered from it (metrics.model.AGGREGATES). Only dossiers of a catalogued
# procedure count, as in the row-level source, which joins `procedures`. Sorted by the
# finished date (open dossiers last), so a period's scan skips dossiers finished before it.
AGG_DOSSIERS_SQL = """
CREATE OR REPLACE TABLE agg_dossiers AS
SELECT d.commune_code, d.procedure_code, d.channel, d.received_date, d.due_date,
       d.finished_date, d.apology_issued,
       count(*) AS n,
       sum(date_diff('day', d.received_date, d.finished_date)) AS days_taken
FROM dossiers d
WHERE d.procedure_code IN (SELECT procedure_code FROM procedures)
GROUP BY ALL
ORDER BY d.finished_date NULLS LAST, d.received_date
"""

# The same by the procedure's level instead of the procedure: far fewer rows, and it
# answers every dossier figure but those per procedure or agency.
AGG_DOSSIERS_LEVEL_SQL = """
CREATE OR REPLACE TABLE agg_dossiers_level AS
SELECT a.commune_code, p.level, a.channel, a.received_date, a.due_date, a.finished_date,
       a.apology_issued,
       sum(a.n) AS n,
       sum(a.days_taken) AS days_taken
FROM agg_dossiers a JOIN procedures p ON p.procedure_code = a.procedure_code
GROUP BY ALL
ORDER BY a.finished_date NULLS LAST, a.received_date
"""

DERIVED_SQL = (COMMUNE_CURRENT_SQL, AGG_DOSSIERS_SQL, AGG_DOSSIERS_LEVEL_SQL)


def refresh_derived(conn: duckdb.DuckDBPyConnection) -> None:
    """Tables derived from the contract tables, rebuilt after each build or import:
    today's commune of each commune, and the KPI aggregates."""
    for sql in DERIVED_SQL:
        conn.execute(sql)


def set_meta(conn: duckdb.DuckDBPyConnection, **values: str) -> None:
    for key, value in values.items():
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it atomically becomes `target`.

    On any exception the temporary file is removed and `target` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        yield tmp
        # The writer has closed its connection; make the bytes durable before the rename.
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


class WarehouseMissing(FileNotFoundError):
    pass


_readers: dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}
_readers_lock = threading.Lock()


def identity(db: str | os.PathLike[str] | None = None) -> tuple[int, int]:
    """(inode, mtime) of the warehouse file: changes whenever a build or import replaces it."""
    st = resolve_db(db).stat()
    return (st.st_ino, st.st_mtime_ns)


def reader(db: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the current warehouse file, read-only.

    One private in-memory connection per file identity (inode, mtime); each call returns
    its own cursor, so concurrent Streamlit sessions never share a cursor.
    """
    path = resolve_db(db).resolve()
    try:
        ident = identity(path)
    except FileNotFoundError:
        raise WarehouseMissing(
            f"Không tìm thấy kho dữ liệu / warehouse not found: {path}"
        ) from None
    key = str(path)
    with _readers_lock:
        cached = _readers.get(key)
        if cached is None or cached[0] != ident:
            conn = connect(":memory:")
            # ATTACH takes no bound parameters; the path is configuration, not user input,
            # and is quoted as a SQL string literal.
            literal = "'" + key.replace("'", "''") + "'"
            conn.execute(f"ATTACH {literal} AS wh (READ_ONLY)")
            conn.execute("USE wh")
            # The previous connection is not closed here: another session may still be
            # reading through one of its cursors. It goes away with its last cursor.
            _readers[key] = (ident, conn)
            cached = _readers[key]
        cur = cached[1].cursor()
    # Each cursor is its own connection with its own default catalog.
    cur.execute("USE wh")
    return cur


def read_meta(db: str | os.PathLike[str] | None = None) -> dict[str, str]:
    cur = reader(db)
    try:
        return dict(cur.execute("SELECT key, value FROM meta").fetchall())
    finally:
        cur.close()


def needs_upgrade(db: str | os.PathLike[str] | None = None) -> bool:
    """Whether the warehouse follows an older contract, or holds reference data (levels,
    rules) older than the repository's files."""
    from data.reference import reference_outdated

    cur = reader(db)
    try:
        try:
            row = cur.execute("SELECT value FROM meta WHERE key = 'contract_version'").fetchone()
        except duckdb.Error:
            return True
        return (row[0] if row else None) != CONTRACT_VERSION or reference_outdated(cur)
    finally:
        cur.close()

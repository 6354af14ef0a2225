"""Validate raw text rows against the contract and merge them into warehouse tables.

A *raw* table holds one VARCHAR column per canonical column plus `_row`, the row number a
person sees in their spreadsheet (header = row 1). Validation runs as set-based SQL over
the whole raw table and reports every fault, so a file with a million rows is checked in
one pass rather than row by row in Python. The SQL text is built only from the contract's
fixed names; values from files are only ever read as column data or bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from data.contract import BOOL, BOOL_FALSE, BOOL_TRUE, DATE, INT, TEXT, Column, Table

MAX_FAULTS = 5000  # per check; a file this wrong is best fixed before reading on
INT_MAX = 2_147_483_647
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass(frozen=True)
class Fault:
    """One problem in an input file, located as the user would look for it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason_vi: str
    reason_en: str

    def reason(self, lang: str = "vi") -> str:
        return self.reason_en if lang == "en" else self.reason_vi

    def message(self, lang: str = "vi") -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{'row' if lang == 'en' else 'dòng'} {self.row}")
        if self.column:
            where.append(f"{'column' if lang == 'en' else 'cột'} {self.column}")
        text = ", ".join(where)
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f", {'value' if lang == 'en' else 'giá trị'} {shown!r}"
        return f"{text}: {self.reason(lang)}"


@dataclass
class MergeCounts:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0


def lit(text: str) -> str:
    """A SQL string literal for fixed contract text (never for user data)."""
    return "'" + text.replace("'", "''") + "'"


def _clean(col: str) -> str:
    return f"nullif(trim({col}), '')"


def _parse_sql(col: Column, src: str) -> str:
    """SQL turning raw text `src` into the column's type; NULL when it does not parse."""
    v = _clean(src)
    if col.type == TEXT:
        return f"lower({v})" if col.enum else v
    if col.type == INT:
        as_double = f"TRY_CAST({v} AS DOUBLE)"
        return (
            f"CASE WHEN {as_double} = floor({as_double}) AND abs({as_double}) <= {INT_MAX} "
            f"THEN CAST({as_double} AS INTEGER) END"
        )
    if col.type == DATE:
        return (
            f"coalesce(TRY_CAST({v} AS DATE), CAST(try_strptime({v}, '%d/%m/%Y') AS DATE), "
            f"CAST(try_strptime({v}, '%Y-%m-%d %H:%M:%S') AS DATE))"
        )
    if col.type == BOOL:
        trues = ", ".join(lit(x) for x in BOOL_TRUE)
        falses = ", ".join(lit(x) for x in BOOL_FALSE if x)
        return (
            f"CASE WHEN lower({v}) IN ({trues}) THEN true "
            f"WHEN lower({v}) IN ({falses}) THEN false END"
        )
    raise ValueError(col.type)


def _default_sql(col: Column) -> str | None:
    if col.default is None:
        return None
    if col.type == BOOL:
        return "true" if col.default in BOOL_TRUE else "false"
    if col.type == INT:
        return str(int(col.default))
    return lit(col.default)


def _type_reason(col: Column) -> tuple[str, str]:
    if col.type == INT:
        return "không phải số nguyên", "not a whole number"
    if col.type == DATE:
        return (
            "không phải ngày hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)",
            "not a valid date (YYYY-MM-DD or dd/mm/yyyy)",
        )
    if col.type == BOOL:
        return "không phải giá trị có/không", "not a yes/no value (true/false, 1/0, có/không)"
    return "giá trị không hợp lệ", "invalid value"


def _column_checks(col: Column) -> list[tuple[str, str, str]]:
    """(condition on the raw table that marks a fault, reason vi, reason en)."""
    name = col.name
    raw = _clean(name)
    parsed = _parse_sql(col, name)
    checks: list[tuple[str, str, str]] = []
    if col.required:
        checks.append((f"{raw} IS NULL", "thiếu giá trị bắt buộc", "required value is missing"))
    if col.type != TEXT:
        vi, en = _type_reason(col)
        checks.append((f"{raw} IS NOT NULL AND ({parsed}) IS NULL", vi, en))
    if col.type == DATE:
        checks.append(
            (
                f"year({parsed}) NOT BETWEEN {MIN_YEAR} AND {MAX_YEAR}",
                f"năm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}",
                f"year outside {MIN_YEAR}–{MAX_YEAR}",
            )
        )
    if col.enum:
        allowed = ", ".join(lit(x) for x in col.enum)
        checks.append(
            (
                f"{raw} IS NOT NULL AND lower({raw}) NOT IN ({allowed})",
                "không thuộc danh mục: " + ", ".join(col.enum),
                "not one of: " + ", ".join(col.enum),
            )
        )
    if col.min_value is not None:
        checks.append(
            (
                f"({parsed}) < {col.min_value}",
                f"phải ≥ {col.min_value}",
                f"must be ≥ {col.min_value}",
            )
        )
    if col.type == TEXT:
        checks.append(
            (
                f"length({raw}) > {col.max_chars}",
                f"dài quá {col.max_chars} ký tự",
                f"longer than {col.max_chars} characters",
            )
        )
    return checks


def _fetch_faults(
    conn: duckdb.DuckDBPyConnection, sql: str, source: str, params: list | None = None
) -> list[Fault]:
    rows = conn.execute(sql + f" ORDER BY 1 LIMIT {MAX_FAULTS}", params or []).fetchall()
    return [Fault(source, r[0], r[1], r[2], r[3], r[4]) for r in rows]


def validate_columns(
    conn: duckdb.DuckDBPyConnection, table: Table, raw: str, source: str
) -> list[Fault]:
    """Every per-cell fault of the raw table: missing, type, range, enumeration, length."""
    branches = []
    for col in table.columns:
        for cond, vi, en in _column_checks(col):
            branches.append(
                f"SELECT _row, {lit(col.name)}, CAST({col.name} AS VARCHAR), {lit(vi)}, {lit(en)} "
                f"FROM {raw} WHERE {cond}"
            )
    if not branches:
        return []
    return _fetch_faults(conn, " UNION ALL ".join(branches), source)


def create_typed(conn: duckdb.DuckDBPyConnection, table: Table, raw: str, typed: str) -> None:
    """Cast the raw table into `typed`, applying defaults (cells that fail parse are NULL)."""
    inner = ", ".join(f"{_parse_sql(c, c.name)} AS {c.name}" for c in table.columns)
    outer = []
    for c in table.columns:
        default = _default_sql(c) or c.default_expr
        outer.append(f"coalesce({c.name}, {default}) AS {c.name}" if default else c.name)
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE {typed} AS "
        f"SELECT _row, {', '.join(outer)} FROM (SELECT _row, {inner} FROM {raw})"
    )


def validate_rows(
    conn: duckdb.DuckDBPyConnection, table: Table, typed: str, source: str
) -> list[Fault]:
    """Row rules of the contract and duplicate keys inside the file."""
    faults: list[Fault] = []
    for rule in table.rules:
        faults += _fetch_faults(
            conn,
            f"SELECT _row, {lit(rule.column)}, CAST({rule.column} AS VARCHAR), "
            f"{lit(rule.message_vi)}, {lit(rule.message_en)} FROM {typed} WHERE NOT ({rule.sql})",
            source,
        )
    pk = ", ".join(table.primary_key)
    key_text = " || '/' || ".join(f"CAST({c} AS VARCHAR)" for c in table.primary_key)
    dups = conn.execute(
        f"SELECT _row, {key_text}, first_row FROM ("
        f"  SELECT _row, {pk}, min(_row) OVER (PARTITION BY {pk}) AS first_row FROM {typed}"
        f"  WHERE {' AND '.join(f'{c} IS NOT NULL' for c in table.primary_key)}"
        f") WHERE _row > first_row ORDER BY _row LIMIT {MAX_FAULTS}"
    ).fetchall()
    for row, key, first in dups:
        faults.append(
            Fault(
                source,
                row,
                "/".join(table.primary_key),
                key,
                f"trùng mã với dòng {first}",
                f"duplicate key, same as row {first}",
            )
        )
    return faults


def validate_references(
    conn: duckdb.DuckDBPyConnection, table: Table, typed: str, source: str
) -> list[Fault]:
    """Codes that point to no row of the referenced warehouse table."""
    faults: list[Fault] = []
    for ref in table.references:
        match = " AND ".join(
            f"x.{tc} = t.{c}" for c, tc in zip(ref.columns, ref.target_columns, strict=True)
        )
        present = " AND ".join(f"t.{c} IS NOT NULL" for c in ref.columns)
        col = ref.columns[0]
        faults += _fetch_faults(
            conn,
            f"SELECT t._row, {lit(col)}, CAST(t.{col} AS VARCHAR), "
            f"{lit('mã không có trong bảng ' + ref.target)}, "
            f"{lit('code not found in table ' + ref.target)} "
            f"FROM {typed} t WHERE {present} AND NOT EXISTS "
            f"(SELECT 1 FROM {ref.target} x WHERE {match})",
            source,
        )
    return faults


# Derived values the build fills in when a file leaves them empty (DOMAIN.md §5).
# Complaint deadlines: Luật Khiếu nại 2011 Điều 28; denunciations: Luật Tố cáo 2018 Điều 30.
DERIVE_SQL = {
    "petitions": """
        UPDATE {typed} AS t SET due_date = t.accepted_date + CAST(
            CASE
                WHEN t.kind = 'khieu_nai' THEN
                    CASE WHEN t.complex AND c.remote THEN {complaint_complex_remote}
                         WHEN t.complex OR c.remote THEN {complaint_complex}
                         ELSE {complaint} END
                WHEN t.kind = 'to_cao' THEN
                    CASE WHEN t.complex THEN {denunciation_complex} ELSE {denunciation} END
            END AS INTEGER)
        FROM (SELECT t2._row, coalesce(c2.remote, false) AS remote FROM {typed} t2
              LEFT JOIN communes c2 ON c2.commune_code = t2.commune_code) AS c
        WHERE c._row = t._row AND t.due_date IS NULL AND t.accepted_date IS NOT NULL
          AND t.kind IN ('khieu_nai', 'to_cao')
    """,
}


def derive(conn: duckdb.DuckDBPyConnection, table: Table, typed: str) -> None:
    from metrics.rules import PETITION_DEADLINE_DAYS

    sql = DERIVE_SQL.get(table.name)
    if sql:
        conn.execute(sql.format(typed=typed, **PETITION_DEADLINE_DAYS))


def merge(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    typed: str,
    skip_rows: set[int] | None = None,
) -> MergeCounts:
    """Insert new keys, replace changed rows, leave identical rows alone; return the counts."""
    cols = table.column_names
    col_list = ", ".join(cols)
    where = ""
    params: list = []
    if skip_rows:
        where = "WHERE NOT list_contains($skip::INTEGER[], CAST(_row AS INTEGER))"
        params = {"skip": sorted(skip_rows)}  # type: ignore[assignment]
    src = f"(SELECT {col_list} FROM {typed} {where})"
    join = " AND ".join(f"w.{c} = s.{c}" for c in table.primary_key)
    same = " AND ".join(f"w.{c} IS NOT DISTINCT FROM s.{c}" for c in cols)
    existing = conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
    if existing == 0:
        conn.execute(f"INSERT INTO {table.name} SELECT * FROM {src}", params or None)
        n = conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
        return MergeCounts(added=n)
    conn.execute(f"CREATE OR REPLACE TEMP TABLE _merge_src AS SELECT * FROM {src}", params or None)
    matched, unchanged = conn.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {same}) "
        f"FROM _merge_src s JOIN {table.name} w ON {join}"
    ).fetchone()
    total = conn.execute("SELECT count(*) FROM _merge_src").fetchone()[0]
    conn.execute(f"DELETE FROM {table.name} w USING _merge_src s WHERE {join} AND NOT ({same})")
    conn.execute(
        f"INSERT INTO {table.name} SELECT s.* FROM _merge_src s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table.name} w WHERE {join})"
    )
    conn.execute("DROP TABLE _merge_src")
    return MergeCounts(added=total - matched, replaced=matched - unchanged, unchanged=unchanged)


def stage(
    conn: duckdb.DuckDBPyConnection, table: Table, raw: str, source: str
) -> tuple[str, list[Fault]]:
    """Validate a raw table fully and leave its typed, derived rows in a temp table."""
    typed = f"_typed_{table.name}"
    faults = validate_columns(conn, table, raw, source)
    create_typed(conn, table, raw, typed)
    faults += validate_rows(conn, table, typed, source)
    derive(conn, table, typed)
    return typed, faults

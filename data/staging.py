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
    if col.max_value is not None:
        checks.append(
            (
                f"({parsed}) > {col.max_value}",
                f"phải ≤ {col.max_value}",
                f"must be ≤ {col.max_value}",
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
    """Codes that point to no row of the referenced warehouse table, records dated outside
    the validity of their level or commune, and successions between unknown units."""
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
    faults += validate_validity(conn, table, typed, source)
    faults += validate_successions(conn, table, typed, source)
    return faults


def _in_force(alias: str, day: str) -> str:
    """`day` lies inside the validity dates of `alias` (NULL bounds are open)."""
    return (
        f"({alias}.valid_from IS NULL OR {day} >= {alias}.valid_from) "
        f"AND ({alias}.valid_to IS NULL OR {day} <= {alias}.valid_to)"
    )


def _fmt_sql_date(expr: str) -> str:
    return f"coalesce(strftime({expr}, '%d/%m/%Y'), '…')"


def validate_validity(
    conn: duckdb.DuckDBPyConnection, table: Table, typed: str, source: str
) -> list[Fault]:
    """Records dated when their level or their commune did not exist (DOMAIN.md §8).

    The level's dates come from the `levels` table (a district-level record dated on or
    after the end of district-level government is a fault); the commune's from `communes`.
    Judged on the record's own date (`Table.event_date`).
    """
    if not table.event_date:
        return []
    day = f"t.{table.event_date}"
    faults: list[Fault] = []
    cols = set(table.column_names)
    if "level" in cols or table.level_from is not None:
        if "level" in cols:
            level_sql, join = "t.level", ""
        else:
            ref = table.level_from
            assert ref is not None
            match = " AND ".join(
                f"x.{tc} = t.{c}" for c, tc in zip(ref.columns, ref.target_columns, strict=True)
            )
            level_sql, join = "x.level", f"JOIN {ref.target} x ON {match}"
        shown = "t.level" if "level" in cols else f"t.{table.level_from.columns[0]}"
        faults += _fetch_faults(
            conn,
            f"SELECT t._row, {lit('level' if 'level' in cols else table.level_from.columns[0])}, "
            f"CAST({shown} AS VARCHAR), "
            f"'cấp ' || l.level || ' chỉ tồn tại từ ' || {_fmt_sql_date('l.valid_from')} || "
            f"' đến ' || {_fmt_sql_date('l.valid_to')} || ', bản ghi ngày ' || "
            f"strftime({day}, '%d/%m/%Y'), "
            f"'level ' || l.level || ' existed from ' || {_fmt_sql_date('l.valid_from')} || "
            f"' to ' || {_fmt_sql_date('l.valid_to')} || ', record dated ' || "
            f"strftime({day}, '%d/%m/%Y') "
            f"FROM {typed} t {join} JOIN levels l ON l.level = {level_sql} "
            f"WHERE {day} IS NOT NULL AND NOT ({_in_force('l', day)})",
            source,
        )
    if "commune_code" in cols:
        faults += _fetch_faults(
            conn,
            f"SELECT t._row, 'commune_code', t.commune_code, "
            f"'đơn vị ' || c.name || ' chỉ tồn tại từ ' || {_fmt_sql_date('c.valid_from')} || "
            f"' đến ' || {_fmt_sql_date('c.valid_to')} || ', bản ghi ngày ' || "
            f"strftime({day}, '%d/%m/%Y'), "
            f"'unit ' || c.name || ' existed from ' || {_fmt_sql_date('c.valid_from')} || "
            f"' to ' || {_fmt_sql_date('c.valid_to')} || ', record dated ' || "
            f"strftime({day}, '%d/%m/%Y') "
            f"FROM {typed} t JOIN communes c ON c.commune_code = t.commune_code "
            f"WHERE {day} IS NOT NULL AND NOT ({_in_force('c', day)})",
            source,
        )
    return faults


def validate_successions(
    conn: duckdb.DuckDBPyConnection, table: Table, typed: str, source: str
) -> list[Fault]:
    """Both codes of a succession are communes, or both are upper units."""
    if table.name != "unit_successions":
        return []
    faults: list[Fault] = []
    for col in ("old_code", "new_code"):
        faults += _fetch_faults(
            conn,
            f"SELECT t._row, {lit(col)}, t.{col}, "
            "'mã không có trong bảng communes hoặc units_upper', "
            "'code found neither in communes nor in units_upper' "
            f"FROM {typed} t WHERE t.{col} IS NOT NULL "
            f"AND t.{col} NOT IN (SELECT commune_code FROM communes) "
            f"AND t.{col} NOT IN (SELECT unit_code FROM units_upper)",
            source,
        )
    faults += _fetch_faults(
        conn,
        "SELECT t._row, 'new_code', t.new_code, "
        "'hai mã phải cùng là xã hoặc cùng là đơn vị cấp trên', "
        "'both codes must be communes, or both upper units' "
        f"FROM {typed} t WHERE (t.old_code IN (SELECT commune_code FROM communes)) "
        "<> (t.new_code IN (SELECT commune_code FROM communes)) "
        "AND t.old_code IN (SELECT commune_code FROM communes UNION ALL "
        "SELECT unit_code FROM units_upper) "
        "AND t.new_code IN (SELECT commune_code FROM communes UNION ALL "
        "SELECT unit_code FROM units_upper)",
        source,
    )
    return faults


# Derived values the build fills in when a file leaves them empty (DOMAIN.md §5, §9): a
# petition's due date from the deadline rule in force on its acceptance date. The rule key
# names the case (kind, round, complex, remote); its number of days is a row of `rules`.
DERIVE_SQL = {
    "petitions": """
        UPDATE {typed} AS t SET due_date = t.accepted_date + CAST(r.value AS INTEGER)
        FROM (
            SELECT t2._row, t2.accepted_date,
                CASE
                    WHEN t2.kind = 'khieu_nai' THEN
                        'complaint_days_round' || CAST(t2.round AS VARCHAR) ||
                        CASE WHEN t2.complex AND coalesce(c2.remote, false)
                                 THEN '_complex_and_remote'
                             WHEN t2.complex OR coalesce(c2.remote, false)
                                 THEN '_complex_or_remote'
                             ELSE '' END
                    WHEN t2.kind = 'to_cao' THEN
                        'denunciation_days' || CASE WHEN t2.complex THEN '_complex' ELSE '' END
                END AS rule_key,
                t2.level
            FROM {typed} t2 LEFT JOIN communes c2 ON c2.commune_code = t2.commune_code
        ) AS k
        JOIN rules r ON r.rule_key = k.rule_key
            AND (r.level IS NULL OR r.level = k.level)
            AND (r.valid_from IS NULL OR k.accepted_date >= r.valid_from)
            AND (r.valid_to IS NULL OR k.accepted_date <= r.valid_to)
        WHERE k._row = t._row AND t.due_date IS NULL AND t.accepted_date IS NOT NULL
    """,
}


def derive(conn: duckdb.DuckDBPyConnection, table: Table, typed: str) -> None:
    sql = DERIVE_SQL.get(table.name)
    if sql:
        conn.execute(sql.format(typed=typed))


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

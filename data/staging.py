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

# Counts above these are typing slips (an extra digit, a pasted total, 1e9 read as a number)
# rather than records: one reception day of one host does not see more than 10 000
# citizens, a commune does not hold 10 million people. The contract's own bounds (≥ 0,
# committed ≤ statutory, ...) still apply below them.
SANE_MAX: dict[tuple[str, str], int] = {
    ("communes", "population"): 5_000_000,
    ("receptions", "citizens"): 10_000,
    ("receptions", "cases"): 10_000,
    ("receptions", "large_groups"): 1_000,
    ("dialogues", "attendees"): 100_000,
    ("dialogues", "opinions"): 10_000,
    ("dialogues", "opinions_answered"): 10_000,
    ("procedures", "statutory_days"): 3_650,
    ("procedures", "committed_days"): 3_650,
    ("dossiers", "redated_count"): 1_000,
    ("inspections", "violations"): 10_000,
    ("inspections", "violations_fixed"): 10_000,
    ("staff_ratings", "year"): MAX_YEAR,
    ("staff_ratings", "rated"): 100_000,
    ("staff_ratings", "excellent"): 100_000,
    ("staff_ratings", "good"): 100_000,
    ("staff_ratings", "completed"): 100_000,
    ("staff_ratings", "not_completed"): 100_000,
}
DEFAULT_SANE_MAX = 10_000_000  # any other count column

# A whole number as the contract takes it: digits with an optional sign. No exponent (1e9),
# no decimal part (1.5), no grouping (the importer reads Vietnamese dot-grouped counts such
# as 6.122 before this point; a comma-grouped 1,000 is refused: 1,000 is one in Vietnamese).
INT_PATTERN = "[+-]?[0-9]{1,10}"

# Control characters other than tab, line feed and carriage return (a cell may hold line
# breaks): a NUL in particular cuts a text short further down the line.
CONTROL_PATTERN = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"

# Personal data typed into free text (DOMAIN.md §5: never stored). RE2 patterns; group 1 is
# what is reported, masked. Digit runs are bounded so a longer number does not match.
_NOT_DIGIT_BEFORE = "(?:^|[^0-9])"
_NOT_DIGIT_AFTER = "(?:[^0-9]|$)"
PERSONAL_TEXT_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (
        _NOT_DIGIT_BEFORE
        + "((?:\\+84|84|0)[ .-]?[35789][0-9]{2}[ .-]?[0-9]{3}[ .-]?[0-9]{3})"
        + _NOT_DIGIT_AFTER,
        "số điện thoại",
        "a phone number",
    ),
    (
        _NOT_DIGIT_BEFORE + "([0-9]{12})" + _NOT_DIGIT_AFTER,
        "số căn cước công dân (12 chữ số)",
        "an ID-card number (12 digits)",
    ),
    (
        _NOT_DIGIT_BEFORE + "([0-9]{9})" + _NOT_DIGIT_AFTER,
        "số chứng minh nhân dân (9 chữ số)",
        "an ID-card number (9 digits)",
    ),
    (
        "([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)*[.][A-Za-z]{2,})",
        "địa chỉ e-mail",
        "an e-mail address",
    ),
    (
        "(?:^|[^\\p{L}])((?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị)\\s+\\p{Lu}\\p{Ll}*(?:\\s+\\p{Lu}\\p{Ll}*)+)",
        "họ tên một người",
        "a person's name",
    ),
)


def free_text(col: Column) -> bool:
    """A column a person types prose or names into (not a code, enumeration or number)."""
    return col.type == TEXT and not col.enum and not col.name.endswith(("_code", "_id", "_sha256"))


def mask(text: str) -> str:
    """'0912345678' -> '09******78': enough to find the cell, not enough to read it."""
    t = text.strip()
    if len(t) <= 4:
        return "*" * len(t)
    return t[:2] + "*" * (len(t) - 4) + t[-2:]


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
        as_big = f"TRY_CAST({v} AS BIGINT)"
        return (
            f"CASE WHEN regexp_full_match({v}, {lit(INT_PATTERN)}) AND abs({as_big}) <= {INT_MAX} "
            f"THEN CAST({as_big} AS INTEGER) END"
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


def _column_checks(col: Column, table: str = "") -> list[tuple[str, str, str]]:
    """(condition on the raw table that marks a fault, reason vi, reason en)."""
    name = col.name
    raw = _clean(name)
    parsed = _parse_sql(col, name)
    checks: list[tuple[str, str, str]] = [
        (
            f"regexp_matches({name}, {lit(CONTROL_PATTERN)})",
            "ô chứa ký tự điều khiển (ví dụ NUL); hãy xoá ký tự đó",
            "the cell holds a control character (a NUL, for example); remove it",
        )
    ]
    if col.required:
        checks.append((f"{raw} IS NULL", "thiếu giá trị bắt buộc", "required value is missing"))
    if col.type == INT:
        # A number written another way (1e9, 1.5, 1,000) gets a reason that says how.
        numeric = (
            f"(TRY_CAST({raw} AS DOUBLE) IS NOT NULL "
            f"OR regexp_full_match({raw}, '[+-]?[0-9]+(,[0-9]+)+'))"
        )
        checks.append(
            (
                f"{raw} IS NOT NULL AND ({parsed}) IS NULL AND {numeric}",
                "không phải số nguyên viết thường: chỉ gồm chữ số (6.122 được đọc là sáu nghìn; "
                "không nhận số mũ như 1e9, phần thập phân như 1,5 hay dấu phẩy như 1,000)",
                "not a whole number",
            )
        )
        vi, en = _type_reason(col)
        checks.append((f"{raw} IS NOT NULL AND ({parsed}) IS NULL AND NOT {numeric}", vi, en))
    elif col.type != TEXT:
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
    if col.type == INT:
        bound = SANE_MAX.get((table, name), DEFAULT_SANE_MAX)
        if col.max_value is None or col.max_value > bound:
            checks.append(
                (
                    f"({parsed}) > {bound}",
                    f"lớn hơn giới hạn hợp lý {bound} của cột này; hãy kiểm tra lại",
                    f"larger than this column's sane limit {bound}; check it",
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
        for cond, vi, en in _column_checks(col, table.name):
            branches.append(
                f"SELECT _row, {lit(col.name)}, CAST({col.name} AS VARCHAR), {lit(vi)}, {lit(en)} "
                f"FROM {raw} WHERE {cond}"
            )
    faults = _fetch_faults(conn, " UNION ALL ".join(branches), source) if branches else []
    return faults + validate_personal_text(conn, table, raw, source)


def validate_personal_text(
    conn: duckdb.DuckDBPyConnection, table: Table, raw: str, source: str
) -> list[Fault]:
    """Phone numbers, ID-card numbers, e-mail addresses and names typed into free text.

    The value shown is the matched part, masked; the cell itself is never echoed.
    """
    faults: list[Fault] = []
    for col in table.columns:
        if not free_text(col):
            continue
        found: set[int] = set()
        for pattern, vi, en in PERSONAL_TEXT_PATTERNS:
            rows = conn.execute(
                f"SELECT _row, regexp_extract({col.name}, $p, 1) FROM {raw} "
                f"WHERE regexp_matches({col.name}, $p) ORDER BY 1 LIMIT {MAX_FAULTS}",
                {"p": pattern},
            ).fetchall()
            for row, match in rows:
                if row in found:
                    continue  # one fault per cell: the first kind of personal data found
                found.add(row)
                faults.append(
                    Fault(
                        source,
                        row,
                        col.name,
                        mask(match),
                        f"ô có vẻ chứa dữ liệu cá nhân ({vi}); dữ liệu cá nhân không được "
                        "lưu: hãy xoá khỏi ô",
                        f"the cell seems to hold personal data ({en}); personal data is "
                        "never stored: remove it from the cell",
                    )
                )
    return faults


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

"""One renderer per SQL dialect: the KPI queries the engine writes for DuckDB, for another engine.

The engine (metrics.engine) writes every query once, in DuckDB SQL with `$name` parameters.
`render` turns such a query into another dialect's text and parameters; `compute_on` runs the
engine's own plan (the same measures grouped the same way, the same `kpi_result`) on a
connection to that engine. SQLGlot does most of the translation; the few DuckDB constructs
it leaves as they are get a small rewrite of the syntax tree here, named after the construct:

- `SELECT s.* REPLACE (...)`: the star is expanded to the columns of the warehouse schema
  (SQLGlot's qualifier, given the schema), which also names every unnamed subquery;
- `GROUP BY ALL`: the positions of the projections that hold no aggregate;
- `unnest(generate_series(a, b, INTERVAL ...))` (a list in DuckDB): the set-returning
  `generate_series` in FROM;
- `date_trunc(part, date)`: the date is cast to TIMESTAMP first, so the result does not
  depend on the session's time zone;
- `isodow(d)`: `EXTRACT(ISODOW FROM d)`;
- `$name` parameters: `%(name)s` (psycopg), cast to the SQL type of the bound value, so
  `unnest`, `= ANY(...)` and comparisons see typed arrays and dates, never `unknown`.

Values are never written into the SQL text: the parameters are passed through unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify

from metrics import engine
from metrics.model import KPIS

DUCKDB, POSTGRES = "duckdb", "postgres"
DIALECTS = (DUCKDB, POSTGRES)

# {table: {column: SQL type}}: what the star expansion needs to know of the warehouse.
Schema = dict[str, dict[str, str]]


# --------------------------------------------------------------------------- parameters


def _sql_type(value: Any) -> str:
    """The SQL type a bound value is cast to (a list: an array of its first item's type)."""
    if isinstance(value, (list, tuple)):
        return f"{_sql_type(value[0]) if value else 'TEXT'}[]"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "BIGINT"
    if isinstance(value, float):
        return "DOUBLE PRECISION"
    if isinstance(value, datetime):
        return "TIMESTAMP"
    if isinstance(value, date):
        return "DATE"
    return "TEXT"


def _typed_placeholders(tree: exp.Expression, types: dict[str, str]) -> None:
    for ph in list(tree.find_all(exp.Placeholder)):
        name = ph.name
        if not name or name not in types:
            raise ValueError(f"parameter ${name} is not bound")
        typed = exp.Cast(
            this=exp.Placeholder(this=name),
            to=exp.DataType.build(types[name], dialect=POSTGRES),
        )
        ph.replace(typed)


# --------------------------------------------------------------------------- rewrites


def _has_aggregate(node: exp.Expression) -> bool:
    """Whether the projection aggregates at this query's level (not in a subquery)."""
    for sub in node.walk(
        prune=lambda n: isinstance(n, (exp.Subquery, exp.Select)) and n is not node
    ):
        if isinstance(sub, exp.AggFunc):
            return True
    return False


def _group_by_all(tree: exp.Expression) -> None:
    for select in tree.find_all(exp.Select):
        group = select.args.get("group")
        if group is None or not group.args.get("all"):
            continue
        keys = [
            exp.Literal.number(i)
            for i, proj in enumerate(select.expressions, start=1)
            if not _has_aggregate(proj)
        ]
        select.set("group", exp.Group(expressions=keys) if keys else None)


def _series_in_from(tree: exp.Expression) -> None:
    for un in list(tree.find_all(exp.Unnest)):
        items = un.expressions
        if len(items) == 1 and isinstance(items[0], exp.GenerateSeries):
            un.replace(exp.Table(this=items[0].copy(), alias=un.args.get("alias")))


def _truncate_timestamps(tree: exp.Expression) -> None:
    for node in tree.find_all(exp.TimestampTrunc, exp.DateTrunc):
        node.set("this", exp.cast(node.this, exp.DataType.Type.TIMESTAMP))


def _isodow(tree: exp.Expression) -> None:
    for node in list(tree.find_all(exp.DayOfWeekIso)):
        node.replace(exp.Extract(this=exp.var("ISODOW"), expression=node.this.copy()))


def _no_percent_literals(tree: exp.Expression) -> None:
    # psycopg reads `%` as the start of a parameter; the KPI SQL has no such literal.
    for lit in tree.find_all(exp.Literal):
        if lit.is_string and "%" in lit.this:
            raise ValueError("a '%' literal cannot be rendered for psycopg")


@lru_cache(maxsize=1024)
def _postgres_text(sql: str, types: tuple[tuple[str, str], ...], schema: tuple) -> str:
    """The PostgreSQL text of a query; it depends on the parameters' types only, so it
    is rendered once per query text and kept."""
    tree = sqlglot.parse_one(sql, read=DUCKDB)
    tree = qualify(
        tree,
        schema={t: dict(cols) for t, cols in schema},
        dialect=DUCKDB,
        quote_identifiers=False,
        validate_qualify_columns=False,
    )
    _group_by_all(tree)
    _series_in_from(tree)
    _truncate_timestamps(tree)
    _isodow(tree)
    _no_percent_literals(tree)
    _typed_placeholders(tree, dict(types))
    return tree.sql(POSTGRES)


def _postgres(sql: str, params: dict, schema: Schema | None) -> tuple[str, dict]:
    if schema is None:
        raise ValueError("rendering for PostgreSQL needs the warehouse schema")
    types = tuple(sorted((k, _sql_type(v)) for k, v in params.items()))
    frozen = tuple(sorted((t, tuple(cols.items())) for t, cols in schema.items()))
    return _postgres_text(sql, types, frozen), dict(params)


RENDERERS = {
    DUCKDB: lambda sql, params, schema: (sql, dict(params)),
    POSTGRES: _postgres,
}


def render(sql: str, params: dict, dialect: str, schema: Schema | None = None) -> tuple[str, dict]:
    """A query of the engine (DuckDB SQL, `$name` parameters) as `dialect`'s text and
    parameters. `schema` ({table: {column: type}}) expands `* REPLACE` stars."""
    if dialect not in RENDERERS:
        raise ValueError(f"unknown dialect {dialect!r}")
    return RENDERERS[dialect](sql, params, schema)


# --------------------------------------------------------------------------- running


def schema_of(conn: Any) -> Schema:
    """The warehouse schema as a DB-API connection's information_schema tells it."""
    cur = conn.cursor()
    try:
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
        rows = cur.fetchall()
    finally:
        cur.close()
    schema: Schema = defaultdict(dict)
    for table, column, sql_type in rows:
        schema[table][column] = sql_type.upper()
    return dict(schema)


def _fetch(conn: Any, sql: str, params: dict) -> list:
    cur = conn.cursor()
    try:
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        cur.close()


def evaluate_on(
    conn: Any,
    ids: list[str] | None,
    filters: engine.Filters,
    periods: list[tuple[str, date, date]],
    by: str | None,
    dialect: str = POSTGRES,
    schema: Schema | None = None,
) -> dict:
    """`engine.evaluate` on a DB-API connection to another engine: the same plan and
    queries, rendered for `dialect`."""
    kpis = [KPIS[i] for i in (ids if ids is not None else list(KPIS))]
    if by:
        kpis = [k for k in kpis if engine._supports(k, by)]
    groups, customs = engine._plan(kpis)
    schema = schema if schema is not None else schema_of(conn)
    merged: dict = defaultdict(dict)
    for (source, ignores), measures in groups.items():
        query = engine.source_query(source, measures, ignores, filters, periods, by)
        names = [m.name for m in measures]
        for row in _fetch(conn, *render(*query, dialect, schema)):
            merged[(row[0], row[1])].update(zip(names, row[2:], strict=True))
    for name in sorted(customs):
        query = engine.custom_query(name, filters, periods, by)
        if query is None:
            continue
        for pkey, g, num, den in _fetch(conn, *render(*query, dialect, schema)):
            merged[(pkey, g)][name] = (num, den)
    rules = ()
    if any(k.target and k.target.when != "always" for k in kpis):
        from data.reference import LegalRule

        sql = "SELECT rule_key, level, value, valid_from, valid_to, basis_vi, basis_en FROM rules"
        rules = tuple(LegalRule(*r) for r in _fetch(conn, sql, {}))
    in_force = {
        (pkey, k.id): engine.target_applies(k, p_from, p_to, rules)
        for pkey, p_from, p_to in periods
        for k in kpis
    }
    return {"kpis": kpis, "merged": merged, "target_in_force": in_force}


def compute_on(
    conn: Any,
    filters: engine.Filters,
    dialect: str = POSTGRES,
    ids: list[str] | None = None,
    schema: Schema | None = None,
) -> dict[str, engine.Result]:
    """`engine.compute` on a connection to another engine: {id: Result}."""
    periods = [("current", filters.date_from, filters.date_to)]
    ev = evaluate_on(conn, ids, filters, periods, None, dialect, schema)
    return engine.results_for(ev, ("current", None), filters.level)

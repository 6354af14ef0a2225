"""A copy of the DuckDB warehouse in PostgreSQL, for running the KPI layer there.

The copy is built by one writer from a finished warehouse file: each table is created from
DuckDB's column types and filled with `COPY`, rows read in Python; no DuckDB extension is
needed. Readers then query it through `metrics.dialects.compute_on`.
"""

from __future__ import annotations

from typing import Any

import duckdb
from psycopg import sql

# DuckDB column type -> PostgreSQL column type (the warehouse uses the first five).
PG_TYPES = {
    "VARCHAR": "TEXT",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "INTEGER": "INTEGER",
    "TIMESTAMP": "TIMESTAMP",
    "BIGINT": "BIGINT",
    "SMALLINT": "SMALLINT",
    "DOUBLE": "DOUBLE PRECISION",
    "HUGEINT": "NUMERIC",
}


def _columns(duck: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return duck.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = $t ORDER BY ordinal_position",
        {"t": table},
    ).fetchall()


def copy_warehouse(duck: duckdb.DuckDBPyConnection, pg: Any) -> dict[str, int]:
    """Copy every table of the DuckDB warehouse into the PostgreSQL connection's current
    schema, replacing tables of the same name, in one transaction: {table: rows}."""
    tables = [
        r[0]
        for r in duck.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    counts: dict[str, int] = {}
    with pg.transaction(), pg.cursor() as cur:
        for table in tables:
            cols = _columns(duck, table)
            try:
                defs = [
                    sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(PG_TYPES[t]))
                    for c, t in cols
                ]
            except KeyError as err:
                raise ValueError(f"{table}: no PostgreSQL type for {err.args[0]}") from None
            name = sql.Identifier(table)
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))
            cur.execute(sql.SQL("CREATE TABLE {} ({})").format(name, sql.SQL(", ").join(defs)))
            col_list = sql.SQL(", ").join(sql.Identifier(c) for c, _ in cols)
            rows = duck.execute("SELECT * FROM query_table($t)", {"t": table}).fetchall()
            with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(name, col_list)) as copy:
                for row in rows:
                    copy.write_row(row)
            counts[table] = len(rows)
        cur.execute("ANALYZE")
    return counts

"""The KPI layer on a second engine: the same KPIs from PostgreSQL as from DuckDB.

Each warehouse fixture is copied into a PostgreSQL server the tests start themselves; every
KPI is then computed by both engines for several filter sets and must be identical. Without
PostgreSQL (or psycopg) these tests skip on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from metrics import KPIS, Filters, compute
from metrics.engine import compute_by, results_for
from tests.filter_sets import FIXTURE_FILTERS, FIXTURE_V2_FILTERS
from tests.pg_server import pg_bin_dir, pg_server

IN_CI = os.environ.get("CI") == "true"


def _unavailable(why: str):
    if IN_CI:
        pytest.fail(f"PostgreSQL tests cannot run in CI: {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def server():
    try:
        import psycopg  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as err:
        _unavailable(f"missing Python package: {err.name}")
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        _unavailable("no PostgreSQL server binaries (Debian package postgresql)")
    with pg_server(bin_dir) as srv:
        yield srv


def _load(server, name: str, warehouse: Path):
    import psycopg

    from metrics.pg import copy_warehouse

    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # a fixed name of this test file
    conn = psycopg.connect(server.conninfo(name))
    duck = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = copy_warehouse(duck, conn)
    finally:
        duck.close()
    assert counts["communes"] > 0
    return conn


@pytest.fixture(scope="module")
def pg_fixture(server, fixture_db):
    conn = _load(server, "fixture", fixture_db)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def pg_fixture_v2(server, fixture_v2_db):
    conn = _load(server, "fixture_v2", fixture_v2_db)
    yield conn
    conn.close()


def _as_tuple(r):
    return (r.value, r.numerator, r.denominator, r.unit, r.applies, r.target_met)


def _same(duck: dict, pg: dict) -> None:
    assert set(pg) == set(duck)
    differ = {k: (_as_tuple(duck[k]), _as_tuple(pg[k])) for k in duck if duck[k] != pg[k]}
    assert not differ


@pytest.mark.parametrize("name", FIXTURE_FILTERS)
def test_every_kpi_equal_on_fixture(name, pg_fixture, fixture_db):
    """Every KPI of KPIS from PostgreSQL equals DuckDB's on the hand-built fixture."""
    from metrics.dialects import compute_on

    f = FIXTURE_FILTERS[name]
    pg = compute_on(pg_fixture, f)
    assert len(pg) == len(KPIS)
    _same(compute(f, db=fixture_db), pg)


@pytest.mark.parametrize("name", FIXTURE_V2_FILTERS)
def test_every_kpi_equal_across_reform(name, pg_fixture_v2, fixture_v2_db):
    """Every KPI from PostgreSQL equals DuckDB's across the 2025 reform, recorded or today."""
    from metrics.dialects import compute_on

    f = FIXTURE_V2_FILTERS[name]
    _same(compute(f, db=fixture_v2_db), compute_on(pg_fixture_v2, f))


@pytest.mark.parametrize("by", ["month", "commune"])
@pytest.mark.parametrize("units", ["recorded", "today"])
def test_breakdowns_equal(by, units, pg_fixture_v2, fixture_v2_db):
    """Per-month (several periods in one query) and per-commune KPIs agree too."""
    from metrics.dialects import evaluate_on

    f = Filters(date(2025, 5, 1), date(2025, 8, 31), units=units)
    duck = compute_by(f, by, db=fixture_v2_db)
    if by == "month":
        plist = f.months()
    else:
        plist = [("current", f.date_from, f.date_to)]
    ev = evaluate_on(pg_fixture_v2, None, f, plist, by)
    if by == "month":
        pg = {k: results_for(ev, (k, None), f.level) for k, _, _ in plist}
    else:
        groups = sorted({g for (_, g) in ev["merged"] if g is not None})
        pg = {g: results_for(ev, ("current", g), f.level) for g in groups}
    assert set(pg) == set(duck)
    for key in duck:
        _same(duck[key], pg[key])


def test_rendered_sql_keeps_values_bound(fixture_v2_db):
    """The PostgreSQL text has psycopg placeholders and none of DuckDB's own syntax; the
    filter values stay in the parameters."""
    from metrics import engine
    from metrics.dialects import render, schema_of

    duck = duckdb.connect(str(fixture_v2_db), read_only=True)
    try:
        schema = schema_of(duck)
    finally:
        duck.close()
    f = Filters.year(2025, ("X'; DROP TABLE communes; --",), level="xa", units="today")
    plist = [("current", f.date_from, f.date_to)]
    queries = [engine.custom_query(n, f, plist, None) for n in engine.CUSTOM_MEASURES]
    for src, measures in (("communes", ["communes"]), ("dossiers", ["dossiers_days"])):
        ms = [engine.MEASURES[m] for m in measures]
        queries.append(engine.source_query(src, ms, (), f, plist, None))
    for sql, params in filter(None, queries):
        pg_sql, pg_params = render(sql, params, "postgres", schema)
        assert pg_params == params
        assert "DROP TABLE" not in pg_sql
        for duck_only in ("$", "GROUP BY ALL", "REPLACE", "list_contains", "DAYOFWEEK"):
            assert duck_only not in pg_sql
    assert "%(communes)s" in pg_sql
    with pytest.raises(ValueError):
        render(sql, params, "oracle")

"""The dossier aggregate (agg_dossiers) gives exactly the row-level figures.

Every dossier KPI, for every filter set and breakdown below, is computed twice on the same
warehouse: from the aggregate table (the default) and from the rows (`use_aggregates(False)`),
and the two must be identical, on the hand-built fixture, on the v2 fixture (across the
2025 reform, recorded and today's units) and on the scale-1 demo.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from metrics import engine
from metrics.details import compute_by_dim, dossier_ageing, measure_frame, monthly_frame
from metrics.engine import (
    Filters,
    Scope,
    compute_by,
    compute_periods,
    reset_scope,
    set_scope,
    use_aggregates,
)
from metrics.model import KPIS, MEASURES
from tests.filter_sets import FIXTURE_FILTERS, FIXTURE_V2_FILTERS

DOSSIER_KPIS = sorted(
    k.id
    for k in KPIS.values()
    if not k.custom
    and any(MEASURES[n].source == "dossiers" for n in {k.numerator, k.denominator} - {None})
)
DOSSIER_MEASURES = sorted(n for n, m in MEASURES.items() if m.source == "dossiers")
DIMS = ("procedure", "agency", "channel", "procedure_level", "commune")

DEMO_FILTERS = {
    "year_2024": Filters.year(2024),
    "year_2025_today": Filters.year(2025, units="today"),
    "range_q2_2023": Filters(date(2023, 4, 1), date(2023, 6, 30)),
    "communes_2024": Filters.year(2024, ("01153", "01156", "01159")),
    "level_xa_2024": Filters.year(2024, level="xa"),
    "level_huyen_today": Filters.year(2025, level="huyen", units="today"),
}


def _both(fn):
    """(aggregate path, row path) of the same computation."""
    with use_aggregates(True):
        agg = fn()
    with use_aggregates(False):
        rows = fn()
    return agg, rows


def _all_figures(f: Filters, db: Path) -> dict:
    """Every dossier KPI for the filters, the ways the pages ask for them."""
    out: dict = {
        "periods": compute_periods(f, {"current": f, "previous": f.previous()}, DOSSIER_KPIS, db),
        "month": compute_by(f, "month", DOSSIER_KPIS, db),
        "commune": compute_by(f, "commune", DOSSIER_KPIS, db),
    }
    for dim in DIMS:
        out[f"dim_{dim}"] = compute_by_dim(f, dim, DOSSIER_KPIS, db)
    names = [*DOSSIER_MEASURES, "dossiers_on_due_date"]
    # the frame's row order is the query's, unspecified on either path
    frame = measure_frame(f, names, "procedure", db).sort_values("key", na_position="last")
    out["frame_procedure"] = frame.to_dict("records")
    out["frame_month"] = monthly_frame(f, names, db).to_dict("records")
    out["ageing"] = dossier_ageing(f, db).to_dict("records")
    return out


def _assert_same(f: Filters, db: Path) -> None:
    agg, rows = _both(lambda: _all_figures(f, db))
    assert agg.keys() == rows.keys()
    for part in agg:
        assert agg[part] == rows[part], part
    # the comparison is not vacuous: the period has dossiers or the rows say none
    assert agg["periods"]["current"]
    assert sum(r["count"] for r in agg["ageing"]) == sum(r["count"] for r in rows["ageing"])


@pytest.mark.parametrize("name", FIXTURE_FILTERS)
def test_fixture_aggregate_equals_rows(name, fixture_db):
    _assert_same(FIXTURE_FILTERS[name], fixture_db)


@pytest.mark.parametrize("name", FIXTURE_V2_FILTERS)
def test_fixture_v2_aggregate_equals_rows(name, fixture_v2_db):
    _assert_same(FIXTURE_V2_FILTERS[name], fixture_v2_db)


@pytest.mark.parametrize("name", DEMO_FILTERS)
def test_demo_aggregate_equals_rows(name, demo_db):
    _assert_same(DEMO_FILTERS[name], demo_db)


def test_demo_has_dossiers_in_figures(demo_db):
    """On the demo the compared figures are not zeros."""
    f = DEMO_FILTERS["year_2024"]
    r = compute_periods(f, {"current": f}, DOSSIER_KPIS, demo_db)["current"]
    assert r["dossiers_received"].value > 1000
    assert r["dossiers_resolved"].value > 1000


def test_scope_on_aggregate_equals_rows(fixture_v2_db):
    """The access scope narrows the aggregate path as it narrows the rows."""
    f = Filters.year(2025, units="today")
    for scope in (
        Scope(frozenset({"20001"}), frozenset({"20001"}), False, False),
        Scope(frozenset({"10003", "20001"}), None, True, True),
        Scope(frozenset(), frozenset(), False, False),
    ):
        token = set_scope(scope)
        try:
            _assert_same_scoped(Filters.year(2025), fixture_v2_db)
            _assert_same_scoped(f, fixture_v2_db)
        finally:
            reset_scope(token)


def _assert_same_scoped(f: Filters, db: Path) -> None:
    agg, rows = _both(lambda: _all_figures(f, db))
    assert agg == rows


def test_aggregate_counts_every_catalogued_dossier(demo_db):
    """Each aggregate holds every dossier of a catalogued procedure once, and its days."""
    conn = duckdb.connect(str(demo_db), read_only=True)
    try:
        want = conn.execute(
            "SELECT count(*), sum(date_diff('day', d.received_date, d.finished_date)) "
            "FROM dossiers d JOIN procedures p ON p.procedure_code = d.procedure_code"
        ).fetchone()
        sizes = []
        for table in ("agg_dossiers", "agg_dossiers_level"):
            got = conn.execute(f"SELECT sum(n), sum(days_taken), count(*) FROM {table}").fetchone()
            assert got[:2] == want, table
            sizes.append(got[2])
    finally:
        conn.close()
    assert sizes[1] <= sizes[0] <= want[0]


def _dossier_query(f: Filters, by: str | None, aggregate: bool = True) -> str:
    ms = [MEASURES[n] for n in DOSSIER_MEASURES]
    plist = [("current", f.date_from, f.date_to), ("previous", *_prev(f))]
    return engine.source_query("dossiers", ms, (), f, plist, by, aggregate=aggregate)[0]


def _prev(f: Filters) -> tuple[date, date]:
    p = f.previous()
    return p.date_from, p.date_to


def test_query_reads_aggregate_and_joins_only_when_needed():
    """One query for all dossier measures, from the level aggregate unless a breakdown needs
    the procedure; procedures are joined only for a procedure attribute; the row path (and
    the PostgreSQL renderer's default) reads rows."""
    year = Filters.year(2025)
    level = Filters.year(2025, ("00001",), level="xa", units="today")
    for f, by in (
        (year, None),
        (level, None),
        *((year, by) for by in ("commune", "channel", "month", "procedure_level")),
        (level, "commune"),
    ):
        sql = _dossier_query(f, by)
        assert "FROM agg_dossiers_level d" in sql and "procedures" not in sql, (f, by)
    by_procedure = _dossier_query(year, "procedure")
    assert "FROM agg_dossiers d" in by_procedure and "procedures" not in by_procedure
    for f, by in ((year, "agency"), (level, "procedure")):
        sql = _dossier_query(f, by)
        assert "FROM agg_dossiers d JOIN procedures p" in sql, (f, by)
    rows = _dossier_query(year, None, aggregate=False)
    assert "agg_dossiers" not in rows and "FROM dossiers d JOIN procedures" in rows
    with use_aggregates(False):
        assert "agg_dossiers" not in _dossier_query(year, None)


def test_environment_forces_row_path(monkeypatch):
    monkeypatch.setenv(engine.ENV_AGGREGATES, "0")
    assert not engine.aggregates_enabled()
    assert "agg_dossiers" not in _dossier_query(Filters.year(2025), None)
    monkeypatch.setenv(engine.ENV_AGGREGATES, "1")
    assert engine.aggregates_enabled()
    with use_aggregates(False):
        assert not engine.aggregates_enabled()


def test_measure_outside_aggregate_reads_rows():
    """A dossier measure reading a column the aggregate does not keep is answered from rows."""
    from metrics.model import Measure

    m = Measure("redated", "dossiers", "sum(redated_count)")
    f = Filters.year(2025)
    assert engine.aggregate_plan("dossiers", [m], (), f, None) is None
    both = [MEASURES["dossiers_received"], m]
    assert engine.aggregate_plan("dossiers", both, (), f, None) is None
    assert engine.aggregate_plan("dossiers", both[:1], (), f, None) is not None


@pytest.mark.parametrize(
    "dropped", [("agg_dossiers", "agg_dossiers_level"), ("agg_dossiers_level",)]
)
def test_warehouse_without_aggregate_falls_back(dropped, fixture_db, tmp_path):
    """A warehouse built before the aggregate tables gives the same figures from its rows."""
    old = tmp_path / "old.duckdb"
    shutil.copy(fixture_db, old)
    conn = duckdb.connect(str(old))
    try:
        for table in dropped:
            conn.execute(f"DROP TABLE {table}")
    finally:
        conn.close()
    f = FIXTURE_FILTERS["year_2019"]
    with use_aggregates(True):
        got = _all_figures(f, old)
    with use_aggregates(False):
        want = _all_figures(f, fixture_db)
    assert got == want


def test_ageing_reads_the_aggregate(fixture_db, tmp_path):
    """The open dossiers by deadline come from the aggregate table: with the dossier rows
    deleted (the aggregate kept) the buckets are still the hand count at 31/12/2019 (H06,
    H08 due soon; H07 1 day late; H09 53 days late); the row path then finds none."""
    f = FIXTURE_FILTERS["year_2019"]
    emptied = tmp_path / "emptied.duckdb"
    shutil.copy(fixture_db, emptied)
    conn = duckdb.connect(str(emptied))
    try:
        conn.execute("DELETE FROM dossiers")
    finally:
        conn.close()
    with use_aggregates(True):
        assert dossier_ageing(f, emptied)["count"].tolist() == [0, 2, 1, 1, 0, 0]
    with use_aggregates(False):
        assert dossier_ageing(f, emptied)["count"].sum() == 0

"""Benchmark: dossier KPIs from the rows, from the aggregate table, by hand, and in pandas.

    python scripts/bench_kpis.py [--db PATH] [--year 2025] [--repeat 15]

Times, warm (median of `--repeat` runs after one untimed run):

- the overview: every KPI for the year and the previous one (`compute_periods`), and the
  dossier KPIs alone, on the row path (DANVAN_AGGREGATES off) and the aggregate path;
- a dossier-heavy breakdown: the dossier KPIs per procedure (`compute_by_dim`);
- for the same dossier numbers, the best hand-written DuckDB query over `dossiers`, and the
  pandas pattern (load the period's dossiers into a DataFrame, compute there).

The warehouse is only read. When it has no `agg_dossiers` yet (built before the aggregate
tables), a copy in a temporary directory gets them and is measured instead. Figures are
printed, not asserted; the hand-written and pandas numbers are checked against the engine's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from data.warehouse import connect, reader, refresh_derived  # noqa: E402
from metrics.details import compute_by_dim  # noqa: E402
from metrics.engine import Filters, compute_periods, use_aggregates  # noqa: E402
from metrics.model import AGGREGATES, KPIS, MEASURES  # noqa: E402

DEFAULT_DB = Path("/tmp/danvan-bench-x100.duckdb")
DOSSIER_KPIS = sorted(
    k.id
    for k in KPIS.values()
    if not k.custom
    and any(MEASURES[n].source == "dossiers" for n in {k.numerator, k.denominator} - {None})
)
# The dossier measures the hand-written query and pandas compute, per period.
HAND_MEASURES = (
    "dossiers_received",
    "dossiers_online",
    "dossiers_resolved",
    "dossiers_on_time",
    "dossiers_early",
    "dossiers_late",
    "dossiers_late_apology",
    "dossiers_days",
    "dossiers_overdue_open",
    "dossiers_open",
    "dossiers_not_overdue",
)


def timed(fn, repeat: int) -> float:
    fn()  # warm
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def with_aggregates(db: Path, tmp: Path) -> Path:
    """`db` when it holds the aggregate tables, else a copy of it that does."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in conn.execute("SHOW TABLES").fetchall()}
    finally:
        conn.close()
    if all(a.table in tables for a in AGGREGATES["dossiers"]):
        return db
    copy = tmp / db.name
    shutil.copy(db, copy)
    conn = connect(copy)
    try:
        start = time.perf_counter()
        refresh_derived(conn)
        print(f"aggregates built on a copy in {(time.perf_counter() - start) * 1000:.0f} ms")
    finally:
        conn.close()
    return copy


# --------------------------------------------------------------------------- by hand


def _hand_aggs() -> list[str]:
    """The dossier measures for the period [$from, $to]."""
    rec = "received_date BETWEEN $from AND $to"
    fin = "finished_date BETWEEN $from AND $to"
    open_ = "received_date <= $to AND (finished_date IS NULL OR finished_date > $to)"
    return [
        f"count(*) FILTER (WHERE {rec})",
        f"count(*) FILTER (WHERE {rec} AND channel = 'truc_tuyen')",
        f"count(*) FILTER (WHERE {fin})",
        f"count(*) FILTER (WHERE {fin} AND finished_date <= due_date)",
        f"count(*) FILTER (WHERE {fin} AND finished_date < due_date)",
        f"count(*) FILTER (WHERE {fin} AND finished_date > due_date)",
        f"count(*) FILTER (WHERE {fin} AND finished_date > due_date AND apology_issued)",
        f"sum(date_diff('day', received_date, finished_date)) FILTER (WHERE {fin})",
        f"count(*) FILTER (WHERE {open_} AND due_date < $to)",
        f"count(*) FILTER (WHERE {open_})",
        f"count(*) FILTER (WHERE {open_} AND due_date >= $to)",
    ]


def hand_sql(by_procedure: bool) -> str:
    """One period's measures in one scan of `dossiers`, reading only the rows that period
    can count, with no join to procedures (every dossier's procedure is catalogued: the
    contract's reference). Of the variants tried (both periods in one scan with FILTERs
    per period, a cross join with the periods as the engine does, one scan per period),
    one scan per period was the fastest."""
    key = "procedure_code" if by_procedure else "NULL"
    return (
        f"SELECT {key} AS k, {', '.join(_hand_aggs())} FROM dossiers "
        "WHERE received_date <= $to AND (finished_date IS NULL OR finished_date >= $from) "
        "GROUP BY ALL"
    )


BOTH = (("current", "_c"), ("previous", "_p"))


def hand(cur, sql: str, params: dict, periods=BOTH) -> dict:
    out = {}
    for label, suffix in periods:
        bounds = {"from": params[f"from{suffix}"], "to": params[f"to{suffix}"]}
        for row in cur.execute(sql, bounds).fetchall():
            out[(row[0], label)] = dict(zip(HAND_MEASURES, row[1:], strict=True))
    return out


# --------------------------------------------------------------------------- pandas


def pandas_way(cur, params: dict, by_procedure: bool, periods=BOTH) -> dict:
    """Load the period's dossiers into pandas and compute the measures there."""
    df = cur.execute(
        "SELECT procedure_code, channel, received_date, due_date, finished_date, "
        "apology_issued FROM dossiers WHERE received_date <= $to_c "
        "AND (finished_date IS NULL OR finished_date >= $from_p)",
        {"to_c": params["to_c"], "from_p": params[f"from{periods[-1][1]}"]},
    ).df()
    import pandas as pd

    rec_d, fin_d, due_d = (
        pd.to_datetime(df[c]) for c in ("received_date", "finished_date", "due_date")
    )
    days = (fin_d - rec_d).dt.days
    keys = df["procedure_code"] if by_procedure else pd.Series(None, index=df.index)
    out = {}
    for label, suffix in periods:
        f, t = pd.Timestamp(params[f"from{suffix}"]), pd.Timestamp(params[f"to{suffix}"])
        rec = rec_d.between(f, t)
        fin = fin_d.between(f, t)
        open_ = (rec_d <= t) & (fin_d.isna() | (fin_d > t))
        masks = {
            "dossiers_received": rec,
            "dossiers_online": rec & (df["channel"] == "truc_tuyen"),
            "dossiers_resolved": fin,
            "dossiers_on_time": fin & (fin_d <= due_d),
            "dossiers_early": fin & (fin_d < due_d),
            "dossiers_late": fin & (fin_d > due_d),
            "dossiers_late_apology": fin & (fin_d > due_d) & df["apology_issued"],
            "dossiers_overdue_open": open_ & (due_d < t),
            "dossiers_open": open_,
            "dossiers_not_overdue": open_ & (due_d >= t),
        }
        frame = pd.DataFrame({k: v.astype("int64") for k, v in masks.items()})
        frame["dossiers_days"] = days.where(fin, 0)
        frame["k"] = keys
        sums = frame.groupby("k", dropna=False).sum()
        for k, row in sums.iterrows():
            key = None if (k is None or k != k) else k
            out[(key, label)] = {m: int(row[m]) for m in HAND_MEASURES}
    return out


# --------------------------------------------------------------------------- checks


def engine_measures(db: Path, f: Filters, by_procedure: bool, periods=BOTH) -> dict:
    """The engine's dossier measures, keyed as `hand` keys them."""
    from metrics.details import _measures

    prev = f.previous()
    bounds = {"current": (f.date_from, f.date_to), "previous": (prev.date_from, prev.date_to)}
    plist = [(label, *bounds[label]) for label, _ in periods]
    got = _measures(f, list(HAND_MEASURES), "procedure" if by_procedure else None, plist, db)
    return {(g, p): v for (p, g), v in got.items() if any(v.values())}


def check(label: str, want: dict, got: dict) -> str:
    clean = {k: {m: int(v or 0) for m, v in vals.items()} for k, vals in got.items()}
    clean = {k: v for k, v in clean.items() if any(v.values())}
    same = clean == want
    if not same:
        print(f"  ! {label}: figures differ from the engine's")
    return "same" if same else "DIFFER"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument(
        "--no-pandas",
        action="store_true",
        help="leave out the pandas pattern (at scale 1000 a year's dossiers do not fit in memory)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = with_aggregates(args.db, Path(tmp))
        cur = reader(db)
        rows, by_proc, by_level = cur.execute(
            "SELECT (SELECT count(*) FROM dossiers), (SELECT count(*) FROM agg_dossiers), "
            "(SELECT count(*) FROM agg_dossiers_level)"
        ).fetchone()
        print(
            f"warehouse {args.db}: {rows:,} dossiers; aggregate rows: {by_proc:,} by procedure "
            f"(agg_dossiers), {by_level:,} by level (agg_dossiers_level)"
        )
        f = Filters.year(args.year)
        periods = {"current": f, "previous": f.previous()}
        prev = f.previous()
        params = {"from_c": f.date_from, "to_c": f.date_to}
        params.update({"from_p": prev.date_from, "to_p": prev.date_to})

        def engine_pair(fn) -> tuple[float, float]:
            """Row and aggregate path, run in turns so that both see the same load."""

            def on(flag: bool):
                def run():
                    with use_aggregates(flag):
                        fn()

                return run

            pairs = [(timed(on(False), 1), timed(on(True), 1)) for _ in range(args.repeat)]
            return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)

        table = []
        ov_all = engine_pair(lambda: compute_periods(f, periods, None, db))
        table.append(("overview, all KPIs (cur+prev)", *ov_all, None, None, ""))

        cur_only = BOTH[:1]
        cases = (
            # label, engine call, by procedure, periods of the hand query and pandas
            (
                "overview, dossier KPIs (cur+prev)",
                lambda: compute_periods(f, periods, DOSSIER_KPIS, db),
                False,
                BOTH,
            ),
            (
                "dossier KPIs per procedure (cur)",
                lambda: compute_by_dim(f, "procedure", DOSSIER_KPIS, db),
                True,
                cur_only,
            ),
            (
                "dossier measures/procedure (cur+prev)",
                lambda: engine_measures(db, f, True, BOTH),
                True,
                BOTH,
            ),
        )
        for label, fn, by_proc, plist in cases:
            row_ms, agg_ms = engine_pair(fn)
            sql = hand_sql(by_proc)
            hand_ms = timed(lambda: hand(cur, sql, params, plist), args.repeat)  # noqa: B023
            pd_ms = (
                None
                if args.no_pandas
                else timed(lambda: pandas_way(cur, params, by_proc, plist), args.repeat)  # noqa: B023
            )
            with use_aggregates(False):
                want = engine_measures(db, f, by_proc, plist)
            with use_aggregates(True):
                agg_want = engine_measures(db, f, by_proc, plist)
            ok = [
                "agg " + ("same" if agg_want == want else "DIFFER"),
                "hand " + check("hand-written", want, hand(cur, sql, params, plist)),
            ]
            if not args.no_pandas:
                ok.append(
                    "pandas " + check("pandas", want, pandas_way(cur, params, by_proc, plist))
                )
            table.append((label, row_ms, agg_ms, hand_ms, pd_ms, ", ".join(ok)))
        cur.close()

    head = f"{'warm median, ms':40} {'rows':>8} {'agg':>8} {'hand':>8} {'pandas':>8}"
    head += f" {'rows/agg':>9} {'agg/hand':>9} {'pandas/agg':>10}  checks"
    print(f"\nyear {args.year}, all communes, {args.repeat} runs each\n{head}")
    for label, r, a, h, p, ok in table:

        def cell(x: float | None) -> str:
            return f"{x:8.1f}" if x is not None else f"{'-':>8}"

        def ratio(x: float | None, y: float | None, w: int) -> str:
            return f"{x / y:{w}.2f}" if x is not None and y else f"{'-':>{w}}"

        print(
            f"{label:40} {cell(r)} {cell(a)} {cell(h)} {cell(p)} "
            f"{ratio(r, a, 9)} {ratio(a, h, 9)} {ratio(p, a, 10)}  {ok}"
        )


if __name__ == "__main__":
    main()

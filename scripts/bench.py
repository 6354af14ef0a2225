"""Benchmark: overview KPIs on a large demo warehouse, warm, and the process's peak memory.

    python scripts/bench.py [--db PATH] [--scale 100] [--repeat 20]
    python scripts/bench.py --only pages [--page KEY ...] [--runs 5] [--no-browser]
    python scripts/bench.py --only sessions [--sessions 20]

Builds the demo at the given scale when the file does not exist yet (and reports how long
that took), then times what the overview page computes for one year and five communes:
every KPI for the period and the previous one, the monthly trend and the commune
comparison. Figures are printed, not asserted: shared machines are too noisy for that.

`--only pages` times every page (AppTest cold and warm, Chromium's first screen) and
`--only sessions` many concurrent browser sessions on one server: see scripts/bench_pages.py.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.__main__ import build_demo  # noqa: E402
from data.warehouse import reader  # noqa: E402
from metrics import Filters, compute_by, compute_periods  # noqa: E402

COMMUNES = ("01153", "01156", "01159", "01162", "01165")
TODAY_COMMUNES = ("N01153", "N01156", "N01171")
CADENCE = [
    "district_chair_compliance_rate",
    "province_chair_compliance_rate",
    "commune_chair_compliance_rate",
]
DB = Path()
TREND = ["dossiers_received", "dossiers_on_time_rate", "dialogues", "reception_days"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def run(f: Filters, repeat: int) -> None:
    print(f"\n{f.date_from.year}, {len(f.communes)} communes, units {f.units}:")
    periods = {"current": f, "previous": f.previous()}
    cold_start = time.perf_counter()
    compute_periods(f, periods, db=DB)
    cold_ms = (time.perf_counter() - cold_start) * 1000
    print(f"cold: all KPIs, current + previous period: {cold_ms:.0f} ms")
    cards = timed(lambda: compute_periods(f, periods, db=DB), repeat)
    trend = timed(lambda: compute_by(f, "month", TREND, DB), repeat)
    compare = timed(lambda: compute_by(f, "commune", ["dossiers_on_time_rate"], DB), repeat)
    single = timed(lambda: compute_periods(f, {"current": f}, db=DB), repeat)
    cadence = timed(lambda: compute_periods(f, {"current": f}, CADENCE, DB), repeat)
    print(f"warm, median / max of {repeat} runs (ms):")
    print(f"  all KPIs, one period             {single[0]:7.0f} / {single[1]:.0f}")
    print(f"  all KPIs, current + previous     {cards[0]:7.0f} / {cards[1]:.0f}")
    print(f"  cadence KPIs only, one period    {cadence[0]:7.0f} / {cadence[1]:.0f}")
    print(f"  monthly trend (4 KPIs)           {trend[0]:7.0f} / {trend[1]:.0f}")
    print(f"  commune comparison (1 KPI)       {compare[0]:7.0f} / {compare[1]:.0f}")
    print(f"  whole overview                   {cards[0] + trend[0] + compare[0]:7.0f}")


def main() -> int:
    global DB
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "danvan-bench-x100.duckdb"))
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--year", type=int, action="append", help="repeatable; default 2019 and 2025")
    ap.add_argument("--units", choices=["recorded", "today"], action="append")
    ap.add_argument(
        "--only",
        choices=["kpis", "landing", "pages", "sessions"],
        help="one section (default kpis and landing)",
    )
    ap.add_argument("--page", action="append", help="pages: repeatable page key; default all")
    ap.add_argument("--runs", type=int, default=5, help="pages: warm AppTest runs per page")
    ap.add_argument("--visits", type=int, default=3, help="pages: warm Chromium visits")
    ap.add_argument("--no-browser", action="store_true", help="pages: AppTest only")
    ap.add_argument("--sessions", type=int, default=20, help="sessions: concurrent browsers")
    args = ap.parse_args()
    db = DB = Path(args.db)
    if not db.exists():
        start = time.perf_counter()
        counts = build_demo(db, scale=args.scale)
        print(f"built scale {args.scale} demo in {time.perf_counter() - start:.1f} s: {counts}")
        print(f"peak memory during build: {peak_mb():.0f} MB (this process)")
    size_mb = db.stat().st_size / 2**20
    cur = reader(db)
    dossiers = cur.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    cur.close()
    print(f"warehouse {db.name}: {size_mb:.0f} MB, {dossiers:,} dossiers")

    if args.only in ("pages", "sessions"):
        import bench_pages

        if args.only == "pages":
            bench_pages.pages(db, args.page, args.runs, args.visits, not args.no_browser)
        else:
            bench_pages.sessions(db, args.sessions)
        return 0
    if args.only != "landing":
        for year in args.year or [2019, 2025]:
            for units in args.units or ["recorded", "today"]:
                communes = COMMUNES if units == "recorded" else TODAY_COMMUNES
                run(Filters.year(year, communes, units=units), args.repeat)
    if args.only != "kpis":
        landing(db, args.repeat)
    print(f"peak memory of this process: {peak_mb():.0f} MB")
    return 0


def landing(db: Path, repeat: int) -> None:
    """The landing page: its AppTest script run cold (first) and warm (cached), side by side
    with the time to a drawn first screen in Chromium."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["DANVAN_DB"] = str(db)

    def script() -> None:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.query_params["year"] = "2025"
        at.run()

    cold = timed(script, 1)
    warm = timed(script, max(1, repeat // 5))
    browser = first_screen_s(db)
    print("\nlanding page, 2025, all communes:")
    print(f"  AppTest script, cold / warm median   {cold[0]:7.0f} / {warm[0]:.0f} ms")
    if browser:
        print(
            f"  Chromium, first screen drawn, cold / warm median   "
            f"{browser[0] * 1000:7.0f} / {browser[1] * 1000:.0f} ms"
        )
        print(
            f"  Chromium, whole page finished, cold / warm median  "
            f"{browser[2] * 1000:7.0f} / {browser[3] * 1000:.0f} ms"
        )
    else:
        print("  Chromium, to drawn first screen      (no Chromium)")


def first_screen_s(db: Path) -> tuple[float, float, float, float] | None:
    """(cold, warm median) of the landing's first screen painted, on the browser's clock
    (scripts/bench_pages.py `visit`), then of the whole run seen finished; each visit in a
    new browser context (no HTTP cache: a forwarded link opened on a new device)."""
    from bench_pages import VIEWPORT, _browser_tools, visit

    tools = _browser_tools()
    if tools is None:
        return None
    from playwright.sync_api import sync_playwright

    chromium, args, serve = tools
    with serve(db, Path(tempfile.gettempdir()) / "danvan-bench-server.log") as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=args)
            runs = []
            # The first load meets a cold server (first queries, caches empty); the next
            # ones are what a leader opening a forwarded link meets on a running server.
            for _ in range(4):
                ctx = browser.new_context(viewport=VIEWPORT)
                runs.append(visit(ctx, url + "?year=2025", "overview"))
                ctx.close()
            browser.close()
    warm = runs[1:]
    return (
        runs[0]["drawn"],
        statistics.median(r["drawn"] for r in warm),
        runs[0]["done"],
        statistics.median(r["done"] for r in warm),
    )


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the meeting report for a year, end to end, as the CLI and the Báo cáo page
make it.

    python scripts/bench_report.py [--db PATH] [--year 2019] [--as-of 2020-07-31]
                                   [--repeat 3] [--target 10]

Times each format (median of `--repeat` runs, every run cold for LibreOffice and Chromium,
which start per file): xlsx (queries and the workbook), DOCX (also the charts, drawn by
kaleido in the system Chromium) and PDF (the DOCX converted by LibreOffice). It also times
the parts of the PDF alone: the narrative context, the forms annex, the charts. The
warehouse (default: the scale-100 demo) is only read. Exit 1 when the PDF's median is
above `--target` seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metrics import format as fmt  # noqa: E402
from metrics.engine import Filters  # noqa: E402
from reports import charts, context, forms, make  # noqa: E402

DEFAULT_DB = Path("/tmp/danvan-bench-x100.duckdb")


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _secs(s: float) -> str:
    return fmt.number(s, "vi", decimals=2) + " s"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, default=DEFAULT_DB)
    p.add_argument("--year", type=int, default=2019)
    p.add_argument("--as-of", dest="as_of", type=date.fromisoformat, default=date(2020, 7, 31))
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--target", type=float, default=10.0)
    a = p.parse_args(argv)
    if not a.db.exists():
        p.error(f"warehouse not found: {a.db}")
    f = Filters.year(a.year)
    print(f"warehouse {a.db}, year {a.year}, median of {fmt.number(a.repeat)} runs")
    # one untimed run: DuckDB's file cache and Python's imports are warm for every figure
    make(f, "xlsx", a.db, "vi", a.as_of)
    parts = {
        "context (narrative)": lambda: context(f, a.db, "vi", a.as_of),
        "forms annex": lambda: forms.fill_all(f, a.db, "vi"),
        "charts (kaleido)": lambda: charts.build(f, a.db, "vi"),
    }
    for name, fn in parts.items():
        secs, _ = _timed(fn, a.repeat)
        print(f"  {name:<22} {_secs(secs)}")
    result = {}
    for out_format in ("xlsx", "docx", "pdf"):
        secs, data = _timed(lambda o=out_format: make(f, o, a.db, "vi", a.as_of), a.repeat)
        result[out_format] = secs
        size = fmt.number(len(data) // 1024, "vi")
        print(f"{out_format:<5} {_secs(secs)}  ({size} KB)")
    ok = result["pdf"] <= a.target
    print(f"PDF {_secs(result['pdf'])}: {'under' if ok else 'OVER'} the {_secs(a.target)} target")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

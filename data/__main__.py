"""`python -m data build|demo ...`: build a warehouse from CSVs, or the Bắc Quang demo."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from data.build import BuildError, build_warehouse
from data.warehouse import resolve_db


def _progress(stage: str, fraction: float) -> None:
    print(f"  [{fraction:4.0%}] {stage}", file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    db = resolve_db(args.db)
    try:
        counts = build_warehouse(Path(args.csv_dir), db, progress=_progress)
    except BuildError as exc:
        for fault in exc.faults:
            print(f"lỗi: {fault.message(args.lang)}", file=sys.stderr)
        print(
            f"{len(exc.faults)} lỗi; kho dữ liệu {db} giữ nguyên / warehouse left unchanged",
            file=sys.stderr,
        )
        return 1
    print(f"đã tạo {db}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    return 0


def build_demo(
    db: Path, seed: int = 2019, scale: int = 1, csv_out: Path | None = None, progress=None
) -> dict[str, int]:
    """Generate the demo in contract format and build it through the ordinary CSV path."""
    from data.demo import generate_csvs

    with tempfile.TemporaryDirectory(prefix="danvan-demo-") as tmp:
        out = Path(csv_out) if csv_out else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        if progress:
            progress("generate", 0.0)
        generate_csvs(out, seed=seed, scale=scale)
        meta = {"source": "demo", "demo_seed": str(seed), "demo_scale": str(scale)}
        return build_warehouse(out, db, meta=meta, progress=progress)


def cmd_demo(args: argparse.Namespace) -> int:
    db = resolve_db(args.db)
    started = time.perf_counter()
    try:
        counts = build_demo(db, args.seed, args.scale, args.csv_out, progress=_progress)
    except BuildError as exc:  # the generator broke the contract: a bug, shown plainly
        for fault in exc.faults[:20]:
            print(f"lỗi: {fault.message()}", file=sys.stderr)
        return 1
    took = time.perf_counter() - started
    print(
        f"đã tạo kho dữ liệu mẫu {db} trong {took:.1f} s: "
        + ", ".join(f"{t} {n}" for t, n in counts.items())
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m data", description="Kho dữ liệu / warehouse")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a warehouse from a folder of contract CSV files")
    b.add_argument("csv_dir")
    b.add_argument("--db")
    b.add_argument("--lang", choices=["vi", "en"], default="vi")
    b.set_defaults(func=cmd_build)
    d = sub.add_parser("demo", help="build the synthetic Bắc Quang demo warehouse")
    d.add_argument("--db")
    d.add_argument("--seed", type=int, default=2019)
    d.add_argument("--scale", type=int, default=1)
    d.add_argument("--csv-out", help="also keep the generated CSV files in this folder")
    d.set_defaults(func=cmd_demo)
    args = ap.parse_args(argv)
    if getattr(args, "scale", 1) < 1:
        ap.error("--scale must be ≥ 1")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

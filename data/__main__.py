"""`python -m data build|demo|template|import ...`: build, demo, import template, import."""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
import time
from pathlib import Path

from data.build import BuildError, BuildWriteError, build_warehouse
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
    except BuildWriteError as exc:
        print(f"lỗi: {exc.message(args.lang)}", file=sys.stderr)
        return 1
    except Exception as exc:  # one clear line, never a traceback, for a data officer
        print(f"lỗi / error: {_one_line(exc)}", file=sys.stderr)
        return 1
    print(f"đã tạo {db}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    return 0


# The demo build's DuckDB stays under this, spilling to disk beyond; with the dossiers in
# monthly parts the generating and building process then stays flat in the scale.
DEMO_MEMORY_LIMIT = "6GB"


def build_demo(
    db: Path,
    seed: int = 2019,
    scale: int = 1,
    csv_out: Path | None = None,
    progress=None,
    parts: bool | None = None,
) -> dict[str, int]:
    """Generate the demo in contract format and build it through the ordinary CSV path.

    From scale 10 on (or with `parts`) the dossiers are generated and loaded one month at a
    time, as part files, so neither step holds the whole table in memory."""
    from data.demo import generate_csvs

    with tempfile.TemporaryDirectory(prefix="danvan-demo-") as tmp:
        out = Path(csv_out) if csv_out else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        if progress:
            progress("generate", 0.0)
        generate_csvs(out, seed=seed, scale=scale, parts=parts)
        meta = {"source": "demo", "demo_seed": str(seed), "demo_scale": str(scale)}
        return build_warehouse(
            out, db, meta=meta, progress=progress, memory_limit=DEMO_MEMORY_LIMIT
        )


def cmd_demo(args: argparse.Namespace) -> int:
    db = resolve_db(args.db)
    started = time.perf_counter()
    try:
        counts = build_demo(db, args.seed, args.scale, args.csv_out, progress=_progress)
    except BuildError as exc:  # the generator broke the contract: a bug, shown plainly
        for fault in exc.faults[:20]:
            print(f"lỗi: {fault.message()}", file=sys.stderr)
        return 1
    except BuildWriteError as exc:
        print(f"lỗi: {exc.message()}", file=sys.stderr)
        return 1
    took = time.perf_counter() - started
    print(
        f"đã tạo kho dữ liệu mẫu {db} trong {took:.1f} s: "
        + ", ".join(f"{t} {n}" for t, n in counts.items())
    )
    return 0


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def cmd_template(args: argparse.Namespace) -> int:
    from data.template import export_warehouse_to_xlsx, write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print("lỗi: tệp mẫu phải có đuôi .xlsx / the template must end in .xlsx", file=sys.stderr)
        return 1
    try:
        if args.with_data:
            counts = export_warehouse_to_xlsx(resolve_db(args.db), out)
            rows = ", ".join(f"{t} {n}" for t, n in counts.items())
            print(f"đã ghi {out} kèm dữ liệu của kho: {rows}")
        else:
            write_template(out)
            print(f"đã ghi tệp mẫu {out}")
    except Exception as exc:  # one clear line, never a traceback, for a data officer
        print(f"lỗi: không ghi được {out}: {_one_line(exc)}", file=sys.stderr)
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from data.importer import import_files

    en = args.lang == "en"
    db = resolve_db(args.db)
    operator = args.operator
    if operator is None:
        try:
            operator = getpass.getuser()
        except Exception:  # no login name in some containers and services
            operator = None
    started = time.perf_counter()
    try:
        if args.profile:
            from data.importer import import_with_profile

            result = import_with_profile(
                args.paths, args.profile, db, dry_run=args.dry_run, operator=operator
            )
        else:
            result = import_files(args.paths, db, dry_run=args.dry_run, operator=operator)
    except Exception as exc:
        print(f"lỗi / error: {_one_line(exc)}", file=sys.stderr)
        return 1
    took = time.perf_counter() - started
    for notice in result.notices:
        print(("note: " if en else "lưu ý: ") + notice.message(args.lang), file=sys.stderr)
    for fault in result.faults:
        print(fault.message(args.lang), file=sys.stderr)
    if result.faults:
        n = len(result.faults)
        print(
            f"{n} fault{'s' if n != 1 else ''}; nothing imported, warehouse {db} unchanged"
            if en
            else f"{n} lỗi; không nhập dòng nào, kho dữ liệu {db} giữ nguyên",
            file=sys.stderr,
        )
        return 1
    for line in result.summary_lines(args.lang):
        print("  " + line)
    if result.dropped:
        cols = ", ".join(f"{f}: {h}" for f, h in result.dropped)
        print(
            f"personal-data columns dropped, not stored: {cols}"
            if en
            else f"đã bỏ cột dữ liệu cá nhân, không lưu: {cols}"
        )
    if args.dry_run:
        print(
            f"checked in {took:.1f} s, no faults; nothing written (--dry-run)"
            if en
            else f"đã kiểm tra trong {took:.1f} s, không có lỗi; chưa ghi gì (--dry-run)"
        )
    else:
        print(
            f"imported into {db} in {took:.1f} s (import no. {result.import_id})"
            if en
            else f"đã nhập vào {db} trong {took:.1f} s (lần nhập số {result.import_id})"
        )
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from data.importer import upgrade_warehouse

    db = resolve_db(args.db)
    result = upgrade_warehouse(db)
    for fault in result.faults:
        print(f"lỗi: {fault.message(args.lang)}", file=sys.stderr)
    if result.faults:
        return 1
    if not result.upgraded:
        print(f"{db}: đã theo hợp đồng dữ liệu hiện hành / already current")
        return 0
    for change in result.upgraded:
        print(f"  {change}")
    print(f"đã nâng cấp {db} / upgraded")
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
    t = sub.add_parser("template", help="write the Excel import template")
    t.add_argument("out", help="output .xlsx file")
    t.add_argument(
        "--with-data", action="store_true", help="fill it with the records of the warehouse"
    )
    t.add_argument("--db")
    t.set_defaults(func=cmd_template)
    i = sub.add_parser("import", help="import .xlsx workbooks and <table>.csv files")
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("--db")
    i.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    i.add_argument("--lang", choices=["vi", "en"], default="vi")
    i.add_argument("--operator", help="who imports (recorded in the import log)")
    i.add_argument(
        "--profile",
        choices=["auto", "onestop", "register", "forms", "index766"],
        help="an office's own file: one-stop export, reception register, report form, 766 index",
    )
    i.set_defaults(func=cmd_import)
    u = sub.add_parser("upgrade", help="bring a warehouse of an earlier version up to date")
    u.add_argument("--db")
    u.add_argument("--lang", choices=["vi", "en"], default="vi")
    u.set_defaults(func=cmd_upgrade)
    args = ap.parse_args(argv)
    if getattr(args, "scale", 1) < 1:
        ap.error("--scale must be ≥ 1")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""`python -m metrics`: every KPI of the catalogue for a period, communes and level."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from data.contract import LEVELS
from data.warehouse import WarehouseMissing, resolve_db
from metrics import format as fmt
from metrics.engine import RECORDED, TODAY, UNIT_VIEWS, Filters, compute
from metrics.model import AREAS, KPIS
from metrics.periods import commune_units, latest_full_year


class UsageError(Exception):
    pass


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag}: ngày không hợp lệ {text!r} (cần YYYY-MM-DD)") from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m metrics",
        description="Tính các chỉ tiêu (KPI) cho một kỳ / compute the KPIs for a period.",
    )
    ap.add_argument("--db", help="warehouse file (default: $DANVAN_DB or data/warehouse.duckdb)")
    ap.add_argument("--year", type=int, help="calendar year, e.g. 2019")
    ap.add_argument("--from", dest="date_from", help="period start, YYYY-MM-DD")
    ap.add_argument("--to", dest="date_to", help="period end, YYYY-MM-DD")
    ap.add_argument("--commune", action="append", default=[], help="commune code (repeatable)")
    ap.add_argument("--level", choices=list(LEVELS), help=" | ".join(LEVELS))
    ap.add_argument(
        "--units",
        choices=list(UNIT_VIEWS),
        default=RECORDED,
        help="recorded: units as recorded (default); today: history under today's communes",
    )
    ap.add_argument("--format", choices=["json", "table"], default="json")
    ap.add_argument("--lang", choices=["vi", "en"], default="vi", help="table language")
    return ap.parse_args(argv)


def build_filters(args: argparse.Namespace) -> Filters:
    db = resolve_db(args.db)
    if not db.exists():
        raise UsageError(
            f"không tìm thấy kho dữ liệu {db} (tạo bằng: python -m data demo) / warehouse not found"
        )
    if args.year is not None and (args.date_from or args.date_to):
        raise UsageError("dùng --year hoặc --from/--to, không dùng cả hai")
    if args.year is not None:
        if not 1990 <= args.year <= 2100:
            raise UsageError(f"--year: năm không hợp lệ {args.year}")
        start, end = date(args.year, 1, 1), date(args.year, 12, 31)
    elif args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise UsageError("cần cả --from và --to")
        start, end = _date(args.date_from, "--from"), _date(args.date_to, "--to")
        if start > end:
            raise UsageError(f"--from {start} sau --to {end}")
    else:
        year = latest_full_year(db)
        if year is None:
            raise UsageError("kho dữ liệu chưa có năm trọn vẹn nào; hãy chỉ định --from/--to")
        start, end = date(year, 1, 1), date(year, 12, 31)
    units = {u.code: u for u in commune_units(db)}
    unknown = [c for c in args.commune if c not in units]
    if unknown:
        raise UsageError(f"mã xã không có trong kho dữ liệu: {', '.join(unknown)}")
    if args.units == TODAY:
        gone = [c for c in args.commune if not units[c].today]
        if gone:
            now = ", ".join(f"{c} → {units[c].current_code}" for c in gone)
            raise UsageError(f"--units today: xã không còn là đơn vị hiện nay: {now}")
    return Filters(start, end, tuple(args.commune), args.level, args.units)


def to_json(filters: Filters, results: dict) -> str:
    shown = {
        "from": filters.date_from.isoformat(),
        "to": filters.date_to.isoformat(),
        "communes": list(filters.communes),
        "level": filters.level,
    }
    if filters.units != RECORDED:  # the default view adds nothing to the document
        shown["units"] = filters.units
    doc = {"filters": shown, "kpis": {k: r.as_dict() for k, r in results.items()}}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def to_table(filters: Filters, results: dict, lang: str) -> str:
    head = (
        f"Kỳ {fmt.day(filters.date_from, lang)} – {fmt.day(filters.date_to, lang)}"
        if lang == "vi"
        else f"Period {fmt.day(filters.date_from, lang)} – {fmt.day(filters.date_to, lang)}"
    )
    if filters.communes:
        head += " · " + ", ".join(filters.communes)
    if filters.level:
        head += f" · {'cấp' if lang == 'vi' else 'level'} {filters.level}"
    if filters.units == TODAY:
        head += " · theo đơn vị hiện nay" if lang == "vi" else " · under today's units"
    lines = [head, ""]
    width = max(len(k.label(lang)) for k in KPIS.values())
    for area, labels in AREAS.items():
        lines.append(labels[0] if lang == "vi" else labels[1])
        for kpi in KPIS.values():
            if kpi.area != area or kpi.id not in results:
                continue
            r = results[kpi.id]
            text = fmt.value(r.value, r.unit, lang)
            if r.unit != "count" and r.denominator is not None:
                text += f"  ({fmt.number(r.numerator, lang)}/{fmt.number(r.denominator, lang)})"
            lines.append(f"  {kpi.label(lang):<{width}}  {text}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        filters = build_filters(args)
        results = compute(filters, db=args.db)
    except UsageError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 2
    except WarehouseMissing as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a damaged file or an unexpected engine error: one line, no trace
        print(f"lỗi: không tính được chỉ tiêu: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    if args.format == "json":
        print(to_json(filters, results))
    else:
        print(to_table(filters, results, args.lang), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

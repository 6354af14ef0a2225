"""`python -m metrics`: every KPI of the catalogue for a period, communes and level.

`python -m metrics scores ...` prints the leader's scorecard and `python -m metrics actions
...` the action lists (DOMAIN.md §10), with the same filters."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from data.contract import LEVELS
from data.warehouse import WarehouseMissing, resolve_db
from metrics import combined
from metrics import format as fmt
from metrics.engine import RECORDED, TODAY, UNIT_VIEWS, Filters
from metrics.model import AREAS, KPIS
from metrics.periods import commune_units, latest_full_year


class UsageError(Exception):
    pass


COMMANDS = ("scores", "actions")


class _Parser(argparse.ArgumentParser):
    """The subcommands' parser: bad input is one line on stderr and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag}: ngày không hợp lệ {text!r} (cần YYYY-MM-DD)") from None


def parse_args(argv: list[str] | None, command: str | None = None) -> argparse.Namespace:
    descriptions = {
        None: "Tính các chỉ tiêu (KPI) cho một kỳ / compute the KPIs for a period.",
        "scores": "Bảng điểm các xã / the communes' scorecard.",
        "actions": "Danh sách việc cần xử lý / the action lists.",
    }
    ap = (argparse.ArgumentParser if command is None else _Parser)(
        prog="python -m metrics" + (f" {command}" if command else ""),
        description=descriptions[command],
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
    if command == "actions":
        ap.add_argument("--limit", type=int, help="rows per list (default: all)")
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


def shown_filters(filters: Filters) -> dict:
    shown = {
        "from": filters.date_from.isoformat(),
        "to": filters.date_to.isoformat(),
        "communes": list(filters.communes),
        "level": filters.level,
    }
    if filters.units != RECORDED:  # the default view adds nothing to the document
        shown["units"] = filters.units
    return shown


def kpi_doc(result) -> dict:
    """One KPI in the JSON: value, numerator, denominator, unit, and where it comes from
    (`kind` registers | forms | both, the forms used and those left out)."""
    source = result.source.as_dict() if result.source is not None else {"kind": "registers"}
    return {**result.as_dict(), "source": source}


def to_json(filters: Filters, results: dict) -> str:
    doc = {"filters": shown_filters(filters), "kpis": {k: kpi_doc(r) for k, r in results.items()}}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def scores_doc(card) -> dict:
    """The scorecard as the JSON document of `python -m metrics scores`."""
    return {
        "filters": shown_filters(card.filters),
        "selection": {"score": card.selection.score, "band": card.selection.band},
        "communes": [
            {
                "commune_code": c.commune_code,
                "score": c.score,
                "band": c.band,
                "rank": c.rank,
                "rank_change": c.rank_change,
                "pulled_down_by": list(c.pulled_down_by),
                "indicators": {
                    k: {"value": i.value, "denominator": i.denominator, "kept": i.kept}
                    for k, i in c.indicators.items()
                },
            }
            for c in card.communes
        ],
    }


def scores_table(card, lang: str) -> str:
    from metrics.scorecard import band_label

    def shown(score: float | None) -> str:
        return "—" if score is None else fmt.number(score, lang, 1)

    lines = [f"{'Selection' if lang == 'en' else 'Cả vùng chọn'}: {shown(card.selection.score)}"]
    for c in card.communes:
        rank = "" if c.rank is None else str(c.rank)
        lines.append(
            f"{rank:>3}  {c.commune_code}  {shown(c.score):>6}  {band_label(c.band, lang)}"
        )
    return "\n".join(lines) + "\n"


def actions_doc(filters: Filters, db, limit: int | None) -> dict:
    """The action lists as the JSON document of `python -m metrics actions`."""
    from metrics.actions import LISTS, action_list, as_records

    lists = {n: as_records(action_list(filters, n, db=db, limit=limit)) for n in LISTS}
    return {"filters": shown_filters(filters), "lists": lists}


def actions_table(doc: dict, lang: str) -> str:
    from metrics.actions import list_label

    return "".join(f"{list_label(n, lang)}: {len(rows)}\n" for n, rows in doc["lists"].items())


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


def run_command(command: str, argv: list[str]) -> int:
    """`scores` or `actions`: the §10 views as JSON (or a short table)."""
    try:
        args = parse_args(argv, command)
        if command == "actions" and args.limit is not None and args.limit < 0:
            raise UsageError(f"--limit: số dòng không hợp lệ {args.limit}")
        filters = build_filters(args)
        if command == "scores":
            from metrics.scorecard import scorecard

            card = scorecard(filters, db=args.db)
            doc = scores_doc(card)
        else:
            doc = actions_doc(filters, args.db, args.limit)
    except (UsageError, WarehouseMissing) as exc:
        print(f"lỗi: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    except Exception as exc:  # a damaged file or an unexpected engine error: one line, no trace
        print(f"lỗi: không tính được: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    elif command == "scores":
        print(scores_table(card, args.lang), end="")
    else:
        print(actions_table(doc, args.lang), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in COMMANDS:
        return run_command(argv[0], argv[1:])
    try:
        args = parse_args(argv)
        filters = build_filters(args)
        # The registers, and the report forms for the unit-periods that only file forms.
        results = combined.compute(filters, db=args.db)
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

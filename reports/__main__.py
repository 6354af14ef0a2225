"""python -m reports --year Y | --from D --to D [--commune C ...] [--level L]
[--units recorded|today] --format docx|pdf|xlsx [--out PATH] [--lang vi|en] [--db PATH]
[--as-of D] [--template PATH]; python -m reports template PATH writes the default Word
template to edit. Bad input: one line on stderr, exit 2."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from data.contract import LEVELS
from metrics.engine import UNIT_VIEWS, Filters


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        sys.stderr.write(f"lỗi / error: {message}\n")
        raise SystemExit(2)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m reports", description="Báo cáo kết quả công tác dân vận chính quyền"
    )
    p.add_argument("--year", type=int)
    p.add_argument("--from", dest="date_from", type=_day)
    p.add_argument("--to", dest="date_to", type=_day)
    p.add_argument("--commune", action="append", default=[])
    p.add_argument("--level", choices=LEVELS)
    p.add_argument("--units", choices=UNIT_VIEWS, default="recorded")
    p.add_argument("--format", dest="out_format", choices=("docx", "pdf", "xlsx"), required=True)
    p.add_argument("--out", type=Path)
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--db", type=Path)
    p.add_argument(
        "--as-of", dest="as_of", type=_day, help="ngày lập báo cáo (tình hình vụ việc kéo dài)"
    )
    p.add_argument("--template", type=Path, help="mẫu Word (docxtpl) thay cho mẫu mặc định")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["template"]:
        from reports.docx_out import default_template

        if len(argv) != 2:
            _Parser(prog="python -m reports template").error(
                "usage: python -m reports template PATH"
            )
        default_template(Path(argv[1]))
        return 0
    p = parser()
    a = p.parse_args(argv)
    if (a.year is None) == (a.date_from is None and a.date_to is None):
        p.error("give --year Y or --from D --to D")
    if a.year is None and (a.date_from is None or a.date_to is None):
        p.error("--from and --to go together")
    try:
        if a.year is not None:
            f = Filters.year(a.year, tuple(a.commune), a.level, a.units)
        else:
            f = Filters(a.date_from, a.date_to, tuple(a.commune), a.level, a.units)
    except ValueError as exc:
        p.error(str(exc))
    if a.template is not None and not a.template.exists():
        p.error(f"template not found: {a.template}")
    if a.db is not None and not a.db.exists():
        p.error(f"warehouse not found: {a.db}")
    from metrics.periods import known_communes

    known = known_communes(a.db)
    unknown = [c for c in f.communes if c not in known]
    if unknown:
        p.error(f"unknown commune code(s): {', '.join(unknown)}")
    from reports import make

    data = make(f, a.out_format, a.db, a.lang, a.as_of, a.template)
    out = a.out or Path(f"bao_cao_{f.date_from.isoformat()}_{f.date_to.isoformat()}.{a.out_format}")
    out.write_bytes(data)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

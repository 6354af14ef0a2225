"""Report forms read back: Biểu II.06a, 01/TCD, 01/XLD in the layout offices file them.

The layouts are the report annex's own (reports/layouts/*.json): the same column numbers,
the same reconciliation checks. A sheet is recognised by the form's code in its title
rows; its columns by the row of column numbers ((1), (2), (3) ...) under the merged header
cells, whatever the header text says; its period by the "Kỳ báo cáo" line ("từ ngày ...
đến ngày ...", "tháng 3 năm 2024", "quý I năm 2024", "6 tháng đầu năm 2024", "năm 2024").
Each unit row gives `reported_figures` rows (unit, period, form, column number, value).
A totals row is checked against the sum of the unit rows; blank rows and section headings
are skipped; every sheet of the workbook is read.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Any

from data.importer import normalise
from data.profiles.common import (
    Db,
    Origin,
    ProfileResult,
    Sheet,
    blank,
    column_letter,
    fault,
    is_total_row,
    open_office_file,
    parse_count,
    parse_date,
    text,
)
from reports.forms import FORMS, Layout, load_layout

NAME = "forms"
TITLE_ROWS = 15
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def form_key(layout: Layout) -> str:
    """'Biểu II.06a/VPCP/KSTT' -> 'ii 06a'; 'Biểu số 01/TCD' -> '01 tcd'."""
    words = normalise(layout.code).split()
    words = [w for w in words if w not in ("bieu", "so", "mau")]
    return " ".join(words[:2])


def layouts() -> dict[str, Layout]:
    return {f: load_layout(f) for f in FORMS}


def detect_form(rows: list[list[Any]], known: dict[str, Layout]) -> str | None:
    head = " " + " ".join(normalise(text(v)) for r in rows[:TITLE_ROWS] for v in r) + " "
    for fid, lay in known.items():
        if f" {form_key(lay)} " in head:
            return fid
    for fid, lay in known.items():
        if normalise(lay.title_of("vi")) in head:
            return fid
    return None


def _number(v: Any) -> int | None:
    s = text(v).strip()
    m = re.fullmatch(r"\(?(\d{1,2})\)?", s)
    return int(m[1]) if m else None


def numbers_row(rows: list[list[Any]]) -> tuple[int, dict[int, int]] | None:
    """The row of column numbers: (row index, {column number: column index})."""
    for i, row in enumerate(rows[: TITLE_ROWS + 10]):
        nums = {}
        for c, v in enumerate(row):
            n = _number(v)
            if n is not None and n not in nums:
                nums[n] = c
        if len(nums) >= 4 and {1, 2, 3} <= set(nums) and nums[1] < nums[2] < nums[3]:
            return i, nums
    return None


_RANGE = re.compile(r"tu ngay (\d{1,2}) (\d{1,2}) (\d{4}) den ngay (\d{1,2}) (\d{1,2}) (\d{4})")
_MONTH = re.compile(r"thang (\d{1,2}) (?:nam )?(\d{4})")
_QUARTER = re.compile(r"quy (i{1,3}|iv|[1-4]) (?:nam )?(\d{4})")
_HALF = re.compile(r"6 thang (dau|cuoi) nam (\d{4})")
_NINE = re.compile(r"9 thang (?:dau )?nam (\d{4})")
_YEAR = re.compile(r"nam (\d{4})")


def parse_period(rows: list[list[Any]], upto: int) -> tuple[date, date] | None:
    """The report period stated in the title rows above the column numbers."""
    lines = [normalise(" ".join(text(v) for v in r if text(v))) for r in rows[:upto]]
    for line in lines:
        if m := _RANGE.search(line):
            try:
                a = date(int(m[3]), int(m[2]), int(m[1]))
                b = date(int(m[6]), int(m[5]), int(m[4]))
            except ValueError:
                continue
            return a, b
    for line in lines:
        if "ky bao cao" not in line and "bao cao" not in line and "nam" not in line:
            continue
        if m := _MONTH.search(line):
            y, mo = int(m[2]), int(m[1])
            if 1 <= mo <= 12:
                return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        if m := _QUARTER.search(line):
            q = ROMAN.get(m[1]) or int(m[1])
            y = int(m[2])
            end = 3 * q
            return date(y, end - 2, 1), date(y, end, calendar.monthrange(y, end)[1])
        if m := _HALF.search(line):
            y = int(m[2])
            return (
                (date(y, 1, 1), date(y, 6, 30))
                if m[1] == "dau"
                else (date(y, 7, 1), date(y, 12, 31))
            )
        if m := _NINE.search(line):
            y = int(m[1])
            return date(y, 1, 1), date(y, 9, 30)
    for line in lines:
        if "ky bao cao" in line and (m := _YEAR.search(line)):
            y = int(m[1])
            return date(y, 1, 1), date(y, 12, 31)
    return None


def read_forms(path: str | Path, conn_or_db: Db = None, *, display: str | None = None):
    """`reported_figures` rows from every form sheet of a workbook."""
    result, cat, sheets = open_office_file(NAME, path, conn_or_db, display)
    name = display or Path(path).name
    if sheets is None:
        return result
    known = layouts()
    found = False
    for sheet in sheets:
        fid = detect_form(sheet.rows, known)
        if fid is None:
            if any(not blank(r) for r in sheet.rows):
                result.notices.append(
                    f"{sheet.source}: không nhận ra biểu báo cáo (II.06a, 01/TCD, 01/XLD), "
                    "trang bị bỏ qua"
                )
            continue
        found = True
        _read_form(sheet, known[fid], cat, result, name)
    if not found:
        result.faults.append(
            fault(
                name,
                None,
                None,
                None,
                "không thấy biểu báo cáo nào (Biểu II.06a/VPCP/KSTT, 01/TCD, 01/XLD) trong tệp",
                "no report form (II.06a, 01/TCD, 01/XLD) found in the file",
            )
        )
    return result


def period_cell(rows: list[list[Any]], upto: int, period: tuple[date, date]) -> str:
    """The first title cell stating `period` ("A3"), or '' when no one row states it."""
    for i, row in enumerate(rows[:upto]):
        if parse_period([row], 1) == period:
            first = next(c for c, v in enumerate(row) if text(v))
            return f"{column_letter(first)}{i + 1}"
    return ""


# Read from the title's text, not from a cell of the unit's row.
PERIOD_DERIVED = frozenset({"period_from", "period_to"})


def _read_form(sheet: Sheet, layout: Layout, cat: Any, result: ProfileResult, name: str) -> None:
    src = sheet.source
    nr = numbers_row(sheet.rows)
    if nr is None:
        result.faults.append(
            fault(
                src,
                None,
                None,
                None,
                f"{layout.code}: không thấy dòng số thứ tự cột (1), (2), (3) ... dưới tiêu đề",
                f"{layout.code}: no row of column numbers (1), (2), (3) under the header",
            )
        )
        return
    ni, nums = nr
    wanted = [c for c in layout.columns if not c.missing]
    absent = [c.no for c in wanted if c.no not in nums]
    if absent:
        result.faults.append(
            fault(
                src,
                ni + 1,
                None,
                ", ".join(f"({n})" for n in absent),
                f"{layout.code}: biểu thiếu các cột theo mẫu",
                f"{layout.code}: the form lacks the layout's columns",
            )
        )
        return
    period = parse_period(sheet.rows, ni)
    if period is None:
        result.faults.append(
            fault(
                src,
                None,
                None,
                None,
                "không xác định được kỳ báo cáo (ghi 'Kỳ báo cáo: từ ngày dd/mm/yyyy đến ngày "
                "dd/mm/yyyy', 'tháng M năm YYYY', 'quý I năm YYYY' hoặc '6 tháng đầu năm YYYY')",
                "report period not found in the title rows",
            )
        )
        return
    p_from, p_to = period
    stated = period_cell(sheet.rows, ni, period)
    label_col = nums.get(2, 1)
    headings = {c.no: c.heading[0] for c in layout.columns}

    def col_name(no: int) -> str:
        return f"{column_letter(nums[no])} (({no}) {headings.get(no, '')})"

    sums: dict[int, int] = {}
    units_seen: dict[str, int] = {}
    out = result.rows("reported_figures")
    for i in range(ni + 1, len(sheet.rows)):
        rec = sheet.rows[i]
        r = i + 1
        if blank(rec):
            continue
        values: dict[int, int] = {}
        bad = False
        for c in wanted:
            cell = sheet.cell(i, nums[c.no])
            if text(cell) in ("", "-"):
                continue
            v = parse_count(cell)
            if v is None:
                result.faults.append(
                    fault(
                        src,
                        r,
                        col_name(c.no),
                        text(cell),
                        "không phải số nguyên ≥ 0",
                        "not a whole number ≥ 0",
                    )
                )
                bad = True
                continue
            values[c.no] = v
        label = text(sheet.cell(i, label_col))
        if is_total_row(rec, (0, label_col)):
            for no, total in sorted(values.items()):
                if (no in sums and sums[no] != total) or (no not in sums and total):
                    result.faults.append(
                        fault(
                            src,
                            r,
                            col_name(no),
                            str(total),
                            f"dòng tổng cộng khác tổng các đơn vị ({sums.get(no, 0)})",
                            f"the totals row differs from the sum of the units ({sums.get(no, 0)})",
                        )
                    )
            continue
        if not values and not bad:
            continue  # a section heading ("I. Cấp xã") or a note below the table
        if not label:
            result.faults.append(
                fault(
                    src,
                    r,
                    col_name(2) if 2 in nums else None,
                    None,
                    "thiếu tên đơn vị",
                    "unit name missing",
                )
            )
            continue
        unit = cat.unit(label, p_to)
        if unit is None:
            result.faults.append(
                fault(
                    src,
                    r,
                    col_name(2) if 2 in nums else None,
                    label,
                    "đơn vị không có trong danh mục xã, huyện, tỉnh",
                    "unit not among the communes, districts, provinces",
                )
            )
            continue
        if unit.code in units_seen:
            result.faults.append(
                fault(
                    src,
                    r,
                    col_name(2) if 2 in nums else None,
                    label,
                    f"đơn vị đã có ở dòng {units_seen[unit.code]} của biểu",
                    f"unit already on row {units_seen[unit.code]} of the form",
                )
            )
            continue
        units_seen[unit.code] = r
        for lhs, parts in layout.checks:
            if lhs in values and all(p in values for p in parts):
                right = sum(values[p] for p in parts)
                if values[lhs] != right:
                    shown = " + ".join(f"({p})" for p in parts)
                    result.faults.append(
                        fault(
                            src,
                            r,
                            col_name(lhs),
                            str(values[lhs]),
                            f"({lhs}) phải bằng {shown} = {right}",
                            f"({lhs}) must equal {shown} = {right}",
                        )
                    )
                    bad = True
        for no, v in values.items():
            sums[no] = sums.get(no, 0) + v
        if bad:
            continue
        unit_col = col_name(2) if 2 in nums else ""
        for no, v in sorted(values.items()):
            # The unit from its label cell, the figure and its number from its own column,
            # the period from the title cell stating it; the form has no one cell.
            cell = col_name(no)
            columns = {"value": cell, "column_no": cell}
            if unit_col:
                columns.update(unit_code=unit_col, level=unit_col)
            if stated:
                columns.update(period_from=stated, period_to=stated)
            out.append(
                {
                    "_row": r,
                    "_source": src,
                    "unit_code": unit.code,
                    "level": unit.level,
                    "period_from": p_from.isoformat(),
                    "period_to": p_to.isoformat(),
                    "form": layout.id,
                    "column_no": str(no),
                    "value": str(v),
                    "source_file": name,
                    "source_sha256": result.sha256,
                    "_origin": Origin(src, r, columns, PERIOD_DERIVED, ((src, r),)),
                }
            )
    if not units_seen:
        result.notices.append(f"{src}: {layout.code} không có dòng đơn vị nào có số liệu")


__all__ = ["detect_form", "numbers_row", "parse_date", "parse_period", "read_forms"]

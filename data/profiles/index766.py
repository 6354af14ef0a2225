"""The 766 service index (Bộ chỉ số phục vụ người dân, doanh nghiệp, QĐ 766/QĐ-TTg):
one row per unit and month with the component scores and the total, as the portal's
monthly table gives them. Scores are kept as typed ("85,32"); the month comes from a
"Tháng" column or from the title ("Tháng 6 năm 2024", "tháng 6/2024").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from data.contract import SERVICE_INDEX_SCORES
from data.importer import normalise
from data.profiles.common import (
    Db,
    Origin,
    blank,
    column_letter,
    fault,
    find_header,
    headers_of,
    is_total_row,
    open_office_file,
    parse_date,
    text,
    where,
)

NAME = "index766"


HEADERS: dict[str, tuple[str, ...]] = {
    "unit": headers_of("Đơn vị", "Tên đơn vị", "Địa phương", "Cơ quan", "Tên cơ quan, đơn vị"),
    "commune_code": headers_of("Mã đơn vị", "Mã xã"),
    "month": headers_of("Tháng", "Kỳ đánh giá", "Thời gian"),
    "publicity": headers_of("Công khai, minh bạch", "Công khai minh bạch", "Công khai"),
    "progress": headers_of("Tiến độ giải quyết", "Tiến độ", "Tiến độ giải quyết hồ sơ"),
    "quality": headers_of("Chất lượng giải quyết", "Chất lượng", "Chất lượng giải quyết hồ sơ"),
    "digitisation": headers_of("Số hóa hồ sơ", "Số hoá hồ sơ", "Số hóa", "Số hoá"),
    "online": headers_of(
        "Cung cấp dịch vụ trực tuyến",
        "Dịch vụ công trực tuyến",
        "Dịch vụ trực tuyến",
        "Trực tuyến",
    ),
    "satisfaction": headers_of("Mức độ hài lòng", "Hài lòng", "Sự hài lòng"),
    "total": headers_of("Tổng điểm", "Tổng số điểm", "Điểm tổng", "Tổng"),
}
# The year and the month read from the title's text rather than from a cell of the row.
TITLE_DERIVED = frozenset({"year", "month"})
_TITLE_MONTH = re.compile(r"thang (\d{1,2})(?: nam | )(\d{4})")
_SCORE = re.compile(r"\d{1,3}([.,]\d+)?")


def _score(value: Any) -> str | None:
    """A score as contract text with at most two decimals; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        v = float(value)
    else:
        s = text(value)
        if not _SCORE.fullmatch(s):
            return None
        v = float(s.replace(",", "."))
    out = f"{round(v, 2):.2f}".rstrip("0").rstrip(".")
    return out.replace(".", ",")


def _month(value: Any) -> tuple[int, int] | None:
    d = parse_date(value)
    if d is not None:
        return d.year, d.month
    s = normalise(text(value))
    if m := re.fullmatch(r"(?:thang )?(\d{1,2}) (?:nam )?(\d{4})", s):
        if 1 <= int(m[1]) <= 12:
            return int(m[2]), int(m[1])
    return None


def read_index766(path: str | Path, conn_or_db: Db = None, *, display: str | None = None):
    """`service_index` rows from the 766 index table (every sheet holding one)."""
    result, cat, sheets = open_office_file(NAME, path, conn_or_db, display)
    name = display or Path(path).name
    if sheets is None:
        return result
    out = result.rows("service_index")
    found = False
    for sheet in sheets:
        head = find_header(sheet.rows, HEADERS, need=4)
        if head is None or "total" not in head[1]:
            if any(not blank(r) for r in sheet.rows):
                result.notices.append(
                    f"{sheet.source}: không thấy bảng chỉ số 766, trang bị bỏ qua"
                )
            continue
        found = True
        hi, cols = head
        src = sheet.source
        header = sheet.rows[hi]
        headers = {c: text(header[c]) for c in range(len(header))}
        title_month = None
        title_cell = ""  # where the title states the month: "A1"
        for ti, r in enumerate(sheet.rows[:hi]):
            line = normalise(" ".join(text(v) for v in r if text(v)))
            if m := _TITLE_MONTH.search(line):
                if 1 <= int(m[1]) <= 12:
                    title_month = (int(m[2]), int(m[1]))
                    first = next(c for c, v in enumerate(r) if text(v))
                    title_cell = f"{column_letter(first)}{ti + 1}"
                    break
        if "month" not in cols and title_month is None:
            result.faults.append(
                fault(
                    src,
                    None,
                    None,
                    None,
                    "không xác định được tháng (cột Tháng, hoặc tiêu đề 'Tháng M năm YYYY')",
                    "month not found (a Tháng column or a title 'Tháng M năm YYYY')",
                )
            )
            continue
        seen: dict[tuple[str, int, int], int] = {}
        for i in range(hi + 1, len(sheet.rows)):
            rec = sheet.rows[i]
            r = i + 1
            if blank(rec) or is_total_row(rec):
                continue
            if all(text(v).strip("()").isdigit() or text(v) == "" for v in rec):
                continue

            def get(fld: str, rec: list[Any] = rec, cols: dict[str, int] = cols) -> Any:
                c = cols.get(fld)
                return rec[c] if c is not None and c < len(rec) else None

            def bad(
                fld: str,
                value: Any,
                vi: str,
                en: str,
                r: int = r,
                cols: dict[str, int] = cols,
                src: str = src,
                headers: dict[int, str] = headers,
            ) -> None:
                c = cols[fld]
                result.faults.append(fault(src, r, where(c, headers.get(c, "")), value, vi, en))

            month_cell = "month" in cols and bool(text(get("month")))
            if month_cell:
                ym = _month(get("month"))
                if ym is None:
                    bad("month", text(get("month")), "không phải tháng (MM/YYYY)", "not a month")
                    continue
            else:
                ym = title_month
            if ym is None:
                bad("month", None, "thiếu tháng", "month missing")
                continue
            label = text(get("commune_code")) or text(get("unit"))
            unit = cat.unit(label, None) if label else None
            if unit is None:
                bad(
                    "commune_code" if text(get("commune_code")) else "unit",
                    label or None,
                    "đơn vị không có trong danh mục xã, huyện, tỉnh",
                    "unit not among the communes, districts, provinces",
                )
                continue
            key = (unit.code, *ym)
            if key in seen:
                bad("unit", label, f"đơn vị và tháng đã có ở dòng {seen[key]}", "duplicate")
                continue
            seen[key] = r
            columns = {
                fld: where(cols[fld], headers.get(cols[fld], ""))
                for fld in (*(n for n, _, _ in SERVICE_INDEX_SCORES), "total")
                if fld in cols
            }
            unit_fld = "commune_code" if text(get("commune_code")) else "unit"
            columns["unit_code"] = columns["level"] = where(
                cols[unit_fld], headers.get(cols[unit_fld], "")
            )
            if month_cell:
                columns["year"] = columns["month"] = where(
                    cols["month"], headers.get(cols["month"], "")
                )
            elif title_cell:  # the month the title states, read from its text
                columns["year"] = columns["month"] = title_cell
            row: dict[str, Any] = {
                "_row": r,
                "_source": src,
                "unit_code": unit.code,
                "level": unit.level,
                "year": str(ym[0]),
                "month": str(ym[1]),
                "source_file": name,
                "source_sha256": result.sha256,
                "_origin": Origin(
                    src, r, columns, frozenset() if month_cell else TITLE_DERIVED, ((src, r),)
                ),
            }
            ok = True
            for fld in (*(n for n, _, _ in SERVICE_INDEX_SCORES), "total"):
                if fld not in cols or text(get(fld)) in ("", "-"):
                    row[fld] = ""
                    continue
                score = _score(get(fld))
                if score is None:
                    bad(fld, text(get(fld)), "không phải điểm số", "not a score")
                    ok = False
                    continue
                row[fld] = score
            if not row["total"] and ok:
                bad("total", None, "thiếu tổng điểm", "total score missing")
                ok = False
            if ok:
                out.append(row)
    if not found:
        result.faults.append(
            fault(
                name,
                None,
                None,
                None,
                "không thấy bảng chỉ số 766 (cần cột Tổng điểm)",
                "no 766 index table found (a Tổng điểm column is needed)",
            )
        )
    return result

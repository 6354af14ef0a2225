"""Reception register (sổ tiếp công dân): one row per visit, aggregated to reception days.

A register row holds the citizen's name and address, the content, who received them, the
date and the unit. The contract keeps counts, never people: the rows are grouped into one
`receptions` row per date × unit × host × kind, with citizens = the visits (or the sum of a
"Số người" column), cases = the distinct contents (or the sum of a "Số vụ việc" column), and
large groups = the visits marked in a "Đoàn đông người" column. Personal columns are dropped
and reported; the content is read only to count distinct cases and is never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from data.importer import normalise
from data.profiles.common import (
    Db,
    Origin,
    blank,
    fault,
    find_header,
    headers_of,
    is_total_row,
    open_office_file,
    parse_count,
    parse_date,
    personal_columns,
    text,
    where,
)

NAME = "register"


HEADERS: dict[str, tuple[str, ...]] = {
    "date": headers_of("Ngày tiếp", "Ngày", "Ngày tháng", "Ngày tiếp công dân", "Thời gian tiếp"),
    "unit": headers_of(
        "Đơn vị", "Cơ quan", "Nơi tiếp", "Đơn vị tiếp", "Cơ quan tiếp", "Địa điểm tiếp"
    ),
    "commune_code": headers_of("Mã xã", "Mã đơn vị"),
    "host": headers_of(
        "Người tiếp", "Người chủ trì", "Người chủ trì tiếp", "Chủ trì", "Người tiếp công dân"
    ),
    "kind": headers_of("Hình thức", "Hình thức tiếp", "Loại tiếp", "Hình thức tiếp công dân"),
    "content": headers_of("Nội dung", "Nội dung vụ việc", "Tóm tắt nội dung", "Nội dung tiếp"),
    "cases": headers_of("Số vụ việc", "Vụ việc", "Số vụ"),
    "persons": headers_of("Số người", "Số lượt người", "Số công dân", "Số người đến"),
    "group": headers_of(
        "Đoàn đông người", "Đông người", "Đoàn đông người (x)", "Là đoàn đông người"
    ),
}
PERSON_EXTRA = headers_of("Họ tên", "Họ và tên", "Tên công dân", "Người đến", "Công dân")

HOSTS = (  # first match wins: "phó chủ tịch" before "chủ tịch"
    ("pho chu tich", "pho_chu_tich"),
    ("uy quyen", "uy_quyen"),
    ("chu tich", "chu_tich"),
    ("ban tiep cong dan", "ban_tiep_cong_dan"),
    ("tiep cong dan", "ban_tiep_cong_dan"),
    ("can bo", "ban_tiep_cong_dan"),
    ("cong chuc", "ban_tiep_cong_dan"),
    ("pho_chu_tich", "pho_chu_tich"),
    ("chu_tich", "chu_tich"),
)
KINDS = (
    ("dinh ky", "dinh_ky"),
    ("dot xuat", "dot_xuat"),
    ("thuong xuyen", "thuong_xuyen"),
)
HOST_SHORT = {"chu_tich": "CT", "pho_chu_tich": "PCT", "uy_quyen": "UQ", "ban_tiep_cong_dan": "BT"}
KIND_SHORT = {"dinh_ky": "DK", "dot_xuat": "DX", "thuong_xuyen": "TX"}
NO_WORDS = headers_of("", "0", "không", "khong", "no", "false")
# Values of a reception day computed from its rows, not read from one cell.
DERIVED = frozenset({"reception_id", "citizens", "cases", "large_groups"})


def _pick(value: str, table: tuple[tuple[str, str], ...]) -> str | None:
    words = f" {normalise(value)} "
    raw = value.strip().lower()
    for key, code in table:
        if f" {key} " in words or raw == key:
            return code
    return None


@dataclass
class _Group:
    first_row: int
    source: str
    columns: dict[str, str]  # contract column -> the office column it comes from
    rows: list[tuple[str, int]] = field(default_factory=list)
    visits: int = 0
    persons: int = 0
    cases_sum: int = 0
    contents: set[str] = field(default_factory=set)
    groups: int = 0


def read_register(path: str | Path, conn_or_db: Db = None, *, display: str | None = None):
    """`receptions` rows from a reception register (every sheet with a register header)."""
    result, cat, sheets = open_office_file(NAME, path, conn_or_db, display)
    name = display or Path(path).name
    if sheets is None:
        return result
    groups: dict[tuple[date, str, str, str, str], _Group] = {}
    found = False
    for sheet in sheets:
        head = find_header(sheet.rows, HEADERS, need=3)
        if head is None or "date" not in head[1] or "host" not in head[1]:
            if any(not blank(r) for r in sheet.rows):
                result.notices.append(
                    f"{sheet.source}: không thấy tiêu đề sổ tiếp công dân, trang bị bỏ qua"
                )
            continue
        found = True
        hi, cols = head
        header = sheet.rows[hi]
        headers = {c: text(header[c]) for c in range(len(header))}
        for _, h in personal_columns(header, set(cols.values()), PERSON_EXTRA):
            result.dropped.append((sheet.source, h))
        src = sheet.source
        if "unit" not in cols and "commune_code" not in cols:
            result.faults.append(
                fault(src, hi + 1, "Đơn vị", None, "thiếu cột bắt buộc", "required column missing")
            )
            continue

        def shown(fld: str, cols: dict[str, int] = cols, headers: dict[int, str] = headers) -> str:
            return where(cols[fld], headers.get(cols[fld], "")) if fld in cols else ""

        # Where each contract column of a reception day comes from: the date, host, kind and
        # unit columns hold the same value on every row of the day; the counts are computed
        # over its rows (the sum of a column, or the rows counted), the code from four cells.
        office = {
            "reception_date": shown("date"),
            "host": shown("host"),
            "kind": shown("kind"),
            "citizens": shown("persons"),
            "cases": shown("cases") or shown("content"),
            "large_groups": shown("group"),
        }

        def get(rec: list[Any], fld: str, cols: dict[str, int] = cols) -> Any:
            c = cols.get(fld)
            return rec[c] if c is not None and c < len(rec) else None

        def bad(
            r: int,
            fld: str,
            value: Any,
            vi: str,
            en: str,
            cols: dict[str, int] = cols,
            src: str = src,
            headers: dict[int, str] = headers,
        ) -> None:
            c = cols[fld]
            result.faults.append(fault(src, r, where(c, headers.get(c, "")), value, vi, en))

        for i in range(hi + 1, len(sheet.rows)):
            rec = sheet.rows[i]
            r = i + 1
            if blank(rec) or is_total_row(rec):
                continue
            if all(text(v).strip("()").isdigit() or text(v) == "" for v in rec):
                continue  # the column-numbers row
            day = parse_date(get(rec, "date"))
            if day is None:
                bad(
                    r,
                    "date",
                    text(get(rec, "date")) or None,
                    "không phải ngày hợp lệ (dd/mm/yyyy hoặc ngày Excel)",
                    "not a valid date",
                )
                continue
            host = _pick(text(get(rec, "host")), HOSTS)
            if host is None:
                # The host cell often holds a name and a title; only the title is kept.
                bad(
                    r,
                    "host",
                    None,
                    "không xác định được người chủ trì (Chủ tịch, Phó Chủ tịch, người được ủy "
                    "quyền, Ban/cán bộ tiếp công dân); giá trị không hiển thị vì có thể là họ tên",
                    "host not recognised (chairman, vice-chairman, delegate, reception board); "
                    "the value is not shown as it may hold a name",
                )
                continue
            if "kind" in cols and text(get(rec, "kind")):
                kind = _pick(text(get(rec, "kind")), KINDS)
                if kind is None:
                    bad(
                        r,
                        "kind",
                        text(get(rec, "kind")),
                        "hình thức tiếp không hợp lệ (định kỳ, đột xuất, thường xuyên)",
                        "unknown kind (scheduled, ad hoc, regular)",
                    )
                    continue
            elif host == "ban_tiep_cong_dan":
                kind = "thuong_xuyen"
            else:
                result.faults.append(
                    fault(
                        src,
                        r,
                        where(cols["kind"], headers[cols["kind"]])
                        if "kind" in cols
                        else "Hình thức",
                        None,
                        "thiếu hình thức tiếp (định kỳ, đột xuất) cho buổi tiếp của lãnh đạo",
                        "kind missing (scheduled or ad hoc) for a leader's reception",
                    )
                )
                continue
            label = text(get(rec, "commune_code")) or text(get(rec, "unit"))
            unit = cat.unit(label, day) if label else None
            if unit is None:
                bad(
                    r,
                    "commune_code" if text(get(rec, "commune_code")) else "unit",
                    label or None,
                    "đơn vị không có trong danh mục xã, huyện, tỉnh",
                    "unit not among the communes, districts, provinces",
                )
                continue
            persons = 1
            if "persons" in cols and text(get(rec, "persons")):
                n = parse_count(get(rec, "persons"))
                if n is None:
                    bad(
                        r,
                        "persons",
                        text(get(rec, "persons")),
                        "không phải số nguyên",
                        "not a number",
                    )
                    continue
                persons = n
            cases = None
            if "cases" in cols and text(get(rec, "cases")):
                cases = parse_count(get(rec, "cases"))
                if cases is None:
                    bad(r, "cases", text(get(rec, "cases")), "không phải số nguyên", "not a number")
                    continue
            key = (day, unit.level, unit.code if unit.level == "xa" else "", host, kind)
            g = groups.get(key)
            if g is None:
                unit_col = shown("commune_code" if text(get(rec, "commune_code")) else "unit")
                columns = {k: v for k, v in office.items() if v}
                columns.update(level=unit_col, commune_code=unit_col)
                g = groups[key] = _Group(r, src, columns)
            g.rows.append((src, r))
            g.visits += 1
            g.persons += persons
            if cases is not None:
                g.cases_sum += cases
            elif "cases" not in cols:
                content = normalise(text(get(rec, "content")))
                g.contents.add(content or f"_row{r}")
            if "group" in cols and normalise(text(get(rec, "group"))) not in NO_WORDS:
                g.groups += 1
    if not found:
        result.faults.append(
            fault(
                name,
                None,
                None,
                None,
                "không thấy sổ tiếp công dân (cần các cột Ngày tiếp, Người tiếp, Đơn vị)",
                "no reception register found (columns date, host, unit are needed)",
            )
        )
    out = result.rows("receptions")
    for (day, level, commune, host, kind), g in sorted(groups.items()):
        unit_part = commune or level.upper()
        out.append(
            {
                "_row": g.first_row,
                "_source": g.source,
                "reception_id": (
                    f"STCD-{day:%Y%m%d}-{unit_part}-{HOST_SHORT[host]}-{KIND_SHORT[kind]}"
                ),
                "reception_date": day.isoformat(),
                "level": level,
                "commune_code": commune,
                "host": host,
                "kind": kind,
                "citizens": str(g.persons),
                "cases": str(g.cases_sum if not g.contents else len(g.contents)),
                "large_groups": str(g.groups),
                "_origin": Origin(g.source, g.first_row, g.columns, DERIVED, tuple(g.rows)),
            }
        )
    if groups:
        result.notices.append(
            f"{name}: {sum(g.visits for g in groups.values())} lượt tiếp gộp thành "
            f"{len(groups)} buổi tiếp (ngày × đơn vị × người chủ trì × hình thức); nội dung chỉ "
            "dùng để đếm vụ việc, không được lưu"
        )
    return result

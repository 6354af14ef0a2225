"""Profiles: an office's own files read into contract rows.

Each profile is a pure function `read_<profile>(path, conn_or_db) -> ProfileResult` that
turns one file (a one-stop export, a reception register, a report form, the 766 index)
into rows of contract tables, written as a person types them in the template, so the
importer validates and merges them exactly like template rows. `detect_profile(path)`
guesses the profile of a file; `read(profile, path, db)` runs one.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from data.contract import table
from data.profiles.common import Db, Origin, ProfileResult, blank, fault, find_header, read_sheets
from data.profiles.forms import detect_form, layouts, read_forms
from data.profiles.index766 import HEADERS as INDEX_HEADERS
from data.profiles.index766 import read_index766
from data.profiles.locate import Converted, to_office
from data.profiles.onestop import HEADERS as ONESTOP_HEADERS
from data.profiles.onestop import read_onestop
from data.profiles.register import HEADERS as REGISTER_HEADERS
from data.profiles.register import read_register
from metrics.format import cell_text


@dataclass(frozen=True)
class Profile:
    name: str
    reader: Callable[..., ProfileResult]
    label_vi: str
    label_en: str
    tables: tuple[str, ...]  # the contract tables it gives
    help_vi: str
    help_en: str

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi


PROFILES: dict[str, Profile] = {
    "onestop": Profile(
        "onestop",
        read_onestop,
        "Danh sách hồ sơ xuất từ phần mềm một cửa",
        "One-stop desk dossier export",
        ("dossiers",),
        "Mỗi dòng một hồ sơ: Mã hồ sơ, Tên thủ tục hành chính, Đơn vị tiếp nhận, Trạng thái, "
        "Ngày nhận, Ngày hẹn trả, Ngày kết thúc xử lý, Kênh (1 trực tiếp, 2 trực tuyến, 3 bưu "
        "chính). Cột Chủ hồ sơ, Người nộp, Địa chỉ, SĐT, CCCD bị bỏ. Tên thủ tục chưa có trong "
        "danh mục được liệt kê một lần để khai vào bảng procedure_aliases.",
        "One row per dossier: code, procedure name, receiving unit, status, received, due and "
        "end dates, channel (1 in person, 2 online, 3 post). Applicant, address, phone and ID "
        "columns are dropped. Procedure names not in the catalogue are listed once, to map in "
        "the procedure_aliases table.",
    ),
    "register": Profile(
        "register",
        read_register,
        "Sổ tiếp công dân (mỗi dòng một lượt tiếp)",
        "Citizen reception register (one row per visit)",
        ("receptions",),
        "Mỗi dòng một lượt tiếp: Ngày tiếp, Đơn vị, Người tiếp (Chủ tịch, Phó Chủ tịch, ủy "
        "quyền, Ban tiếp công dân), Hình thức (định kỳ, đột xuất, thường xuyên), Nội dung; "
        "tùy chọn Số vụ việc, Số người, Đoàn đông người. Gộp thành một buổi tiếp cho mỗi ngày × "
        "đơn vị × người chủ trì × hình thức. Họ tên, địa chỉ công dân bị bỏ.",
        "One row per visit: date, unit, host, kind, content; optionally cases, persons, large "
        "group. Grouped into one reception per date × unit × host × kind. Names and addresses "
        "are dropped.",
    ),
    "forms": Profile(
        "forms",
        read_forms,
        "Biểu báo cáo tổng hợp (II.06a, 01/TCD, 01/XLD)",
        "Report forms (II.06a, 01/TCD, 01/XLD)",
        ("reported_figures",),
        "Biểu theo đúng mẫu: tiêu đề có số hiệu biểu và kỳ báo cáo, dòng số thứ tự cột (1), "
        "(2), (3)..., mỗi dòng một đơn vị, dòng Tổng cộng được đối chiếu. Mỗi trang tính một "
        "biểu.",
        "The form as filed: title with the form code and the period, a row of column numbers, "
        "one row per unit, a totals row that is checked. One form per sheet.",
    ),
    "index766": Profile(
        "index766",
        read_index766,
        "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)",
        "Service index (Decision 766)",
        ("service_index",),
        "Mỗi dòng một đơn vị: Đơn vị, Tháng (hoặc tháng ghi ở tiêu đề), Công khai minh bạch, "
        "Tiến độ giải quyết, Chất lượng giải quyết, Số hóa hồ sơ, Dịch vụ trực tuyến, Mức độ "
        "hài lòng, Tổng điểm.",
        "One row per unit: unit, month (or in the title), the component scores and the total.",
    ),
}


def detect_profile(path: str | Path) -> str | None:
    """The profile a file looks like, or None (a template file, or unknown)."""
    try:
        sheets = list(read_sheets(Path(path)))
    except (ValueError, OSError):
        return None
    known = layouts()
    for sheet in sheets:
        if detect_form(sheet.rows, known):
            return "forms"
    for sheet in sheets:
        if blank(sheet.rows[0] if sheet.rows else []) and len(sheet.rows) <= 1:
            continue
        head = find_header(sheet.rows, INDEX_HEADERS, need=4)
        if head and "total" in head[1]:
            return "index766"
        head = find_header(sheet.rows, ONESTOP_HEADERS, need=4)
        if head and "dossier_id" in head[1]:
            return "onestop"
        head = find_header(sheet.rows, REGISTER_HEADERS, need=3)
        if head and {"date", "host"} <= set(head[1]):
            return "register"
    return None


def read(
    profile: str, path: str | Path, conn_or_db: Db = None, *, display: str | None = None, **kw: Any
) -> ProfileResult:
    """Run one profile on one file. An unknown profile or an unexpected failure of the
    reader becomes a fault; nothing is raised to the caller."""
    shown = display or Path(path).name
    p = PROFILES.get(profile)
    if p is None:
        return ProfileResult(
            profile,
            faults=[fault(shown, None, None, profile, "hồ sơ tệp không có", "unknown profile")],
        )
    try:
        return p.reader(path, conn_or_db, display=display, **kw)
    except Exception as exc:  # a file no reader foresaw: a fault, never a traceback
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return ProfileResult(
            profile,
            faults=[
                fault(shown, None, None, None, f"không đọc được tệp ({detail})", detail),
            ],
        )


def alias_rows(result: ProfileResult) -> list[dict[str, str]]:
    """procedure_aliases rows to fill in: each name to map, with an empty code."""
    return [{"alias": n, "procedure_code": ""} for n in result.to_map]


def write_csvs(result: ProfileResult, folder: str | Path) -> list[Path]:
    """The result's rows as contract CSV files `<table>.csv` in `folder` (appended when the
    file exists, so several results fill one folder); returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in result.tables.items():
        cols = table(name).column_names
        path = folder / f"{name}.csv"
        new = not path.exists()
        with path.open("a", newline="", encoding="utf-8") as fh:
            write_contract_rows(fh, rows, cols, header=new)
        written.append(path)
    return written


def write_contract_rows(fh: TextIO, rows: list[dict], cols: list[str], header: bool = True) -> None:
    """Contract rows as CSV on `fh`, the columns `cols` in order. A text starting like a
    spreadsheet formula is written with a leading apostrophe (`metrics.format.cell_text`),
    which the importer drops again: an officer may open the file in Excel safely."""
    w = csv.writer(fh)
    if header:
        w.writerow(cols)
    for r in rows:
        w.writerow([cell_text(r.get(c, "")) for c in cols])


__all__ = [
    "PROFILES",
    "Converted",
    "Origin",
    "Profile",
    "ProfileResult",
    "alias_rows",
    "detect_profile",
    "read",
    "to_office",
    "write_contract_rows",
    "write_csvs",
]

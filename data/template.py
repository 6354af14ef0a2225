"""The Excel import template, and the same layout filled from a warehouse.

One sheet per contract table: row 1 holds the Vietnamese labels (a `*` marks a required
column), row 2 the canonical names, data starts on row 3. The importer reads either header
row, so a filled template, an exported warehouse and a hand-made sheet all load the same way.
Everything here is derived from data/contract.py and the reference data (levels of
government, shipped holidays); nothing about a column or a level is restated.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import xlsxwriter

from data.contract import BOOL, DATE, INT, TABLES, TEXT, Column, Table
from data.reference import holidays as shipped_holidays
from data.reference import levels

INSTRUCTIONS_SHEET = "Hướng dẫn"
HEADER_ROWS = 2  # Vietnamese labels, then canonical names
EXCEL_MAX_ROWS = 1_048_576
BOOL_WORDS = ("có", "không")  # what the template writes; the importer accepts every spelling
DATE_FORMAT = "dd/mm/yyyy"
FIRST_DATE, LAST_DATE = date(1990, 1, 1), date(2100, 12, 31)

# One plausible row per table. An untouched example row is skipped by the importer, so a
# template filled below it never loads the example as a record.
EXAMPLES: dict[str, dict[str, Any]] = {
    "holidays": {
        "holiday_date": date(2027, 1, 1),
        "name": "Tết Dương lịch",
        "source": "Bộ luật Lao động 2019, Điều 112",
    },
    "units_upper": {
        "unit_code": "034",
        "name": "Huyện Bắc Quang",
        "level": "huyen",
        "parent_code": "02",
        "valid_from": None,
        "valid_to": date(2025, 6, 30),
    },
    "communes": {
        "commune_code": "01153",
        "name": "Thị trấn Việt Quang",
        "kind": "thi_tran",
        "remote": False,
        "population": None,
        "one_stop_since": date(2018, 1, 1),
        "parent_code": "034",
        "valid_from": None,
        "valid_to": None,
    },
    # Hà Giang (02) merged into Tuyên Quang (08) from 01/7/2025 (NQ 202/2025/QH15).
    "unit_successions": {
        "old_code": "02",
        "new_code": "08",
        "effective_date": date(2025, 7, 1),
    },
    "agencies": {
        "agency_code": "PTP",
        "name": "Phòng Tư pháp",
        "kind": "chuyen_mon",
        "commune_code": None,
    },
    "receptions": {
        "reception_id": "TCD-2019-0001",
        "reception_date": date(2019, 1, 15),
        "level": "huyen",
        "commune_code": None,
        "host": "chu_tich",
        "kind": "dinh_ky",
        "citizens": 3,
        "cases": 2,
        "large_groups": 0,
    },
    "dialogues": {
        "dialogue_id": "DT-2019-001",
        "dialogue_date": date(2019, 3, 20),
        "level": "xa",
        "commune_code": "01153",
        "attendees": 85,
        "opinions": 12,
        "opinions_answered": 10,
        "topic": "Giải phóng mặt bằng đường tránh thị trấn",
    },
    "petitions": {
        "petition_id": "DON-2019-0001",
        "received_date": date(2019, 2, 25),
        "level": "huyen",
        "commune_code": "01153",
        "kind": "khieu_nai",
        "field": "dat_dai",
        "eligible": True,
        "in_jurisdiction": True,
        "complex": False,
        "prolonged": False,
        "accepted_date": date(2019, 3, 1),
        "due_date": None,
        "resolved_date": date(2019, 3, 28),
        "outcome": "dung_mot_phan",
        "withdrawn": False,
        "round": 1,
    },
    "procedures": {
        "procedure_code": "TP-01",
        "name": "Chứng thực bản sao từ bản chính",
        "level": "huyen",
        "agency_code": "PTP",
        "field": "tu_phap",
        "statutory_days": 2,
        "committed_days": 1,
        "at_one_stop": True,
        "online_level": "mot_phan",
    },
    "dossiers": {
        "dossier_id": "HS-2019-000001",
        "procedure_code": "TP-01",
        "commune_code": "01153",
        "channel": "truc_tiep",
        "received_date": date(2019, 4, 2),
        "due_date": date(2019, 4, 3),
        "finished_date": date(2019, 4, 3),
        "apology_issued": False,
        "redated_count": 0,
    },
    "inspections": {
        "inspection_id": "KT-2019-01",
        "inspection_date": date(2019, 5, 10),
        "target_kind": "xa",
        "commune_code": "01153",
        "agency_code": None,
        "surprise": True,
        "violations": 2,
        "violations_fixed": 2,
    },
    "staff_ratings": {
        "year": 2019,
        "agency_code": "PTP",
        "sector": "hanh_chinh",
        "rated": 6,
        "excellent": 1,
        "good": 4,
        "completed": 1,
        "not_completed": 0,
    },
    "procedure_aliases": {
        "alias": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "procedure_code": "TP-01",
    },
    "reported_figures": {
        "unit_code": "01153",
        "level": "xa",
        "period_from": date(2019, 1, 1),
        "period_to": date(2019, 6, 30),
        "form": "xld01",
        "column_no": 3,
        "value": 12,
        "source_file": "Bieu_01_XLD_6thang_2019.xlsx",
        "source_sha256": None,
    },
    "service_index": {
        "unit_code": "01153",
        "level": "xa",
        "year": 2024,
        "month": 6,
        "publicity": "17,5",
        "progress": "18",
        "quality": None,
        "digitisation": "15,25",
        "online": "9",
        "satisfaction": "16",
        "total": "75,75",
        "source_file": "Chi_so_766_thang_6_2024.xlsx",
        "source_sha256": None,
    },
}

TYPE_WORDS = {
    TEXT: ("chữ", "text"),
    INT: ("số nguyên", "whole number"),
    DATE: ("ngày (dd/mm/yyyy)", "date (dd/mm/yyyy)"),
    BOOL: ("có / không", "yes / no"),
}


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _level_lines(lang: str) -> list[str]:
    """One line per level of government with the dates it existed (from the levels data)."""
    en = lang == "en"
    out = []
    for lv in levels():
        if lv.valid_from and lv.valid_to:
            span = (
                f"from {_day(lv.valid_from)} to {_day(lv.valid_to)}"
                if en
                else f"từ {_day(lv.valid_from)} đến {_day(lv.valid_to)}"
            )
        elif lv.valid_to:
            span = f"until {_day(lv.valid_to)}" if en else f"đến hết ngày {_day(lv.valid_to)}"
        elif lv.valid_from:
            span = f"from {_day(lv.valid_from)}" if en else f"từ ngày {_day(lv.valid_from)}"
        else:
            span = "no end date" if en else "không giới hạn ngày"
        out.append(f"   - {lv.code}: {lv.name(lang)} ({span})")
    return out


def _ended_levels(lang: str) -> str:
    """'huyen (Huyện) đến hết 30/06/2025' for each level with an end date."""
    parts = []
    for lv in levels():
        if lv.valid_to:
            if lang == "en":
                parts.append(
                    f"Records at level {lv.code} ({lv.name_en}) end on {_day(lv.valid_to)}"
                )
            else:
                parts.append(
                    f"bản ghi cấp {lv.code} ({lv.name_vi}) chỉ ghi đến hết ngày {_day(lv.valid_to)}"
                )
    return "; ".join(parts)


def _holiday_years() -> str:
    years = sorted({d.year for d in shipped_holidays()})
    return f"{years[0]}–{years[-1]}" if years else "—"


def _reform_day() -> date | None:
    """The first day after a level of government ended (01/07/2025: two-level government)."""
    ends = [lv.valid_to for lv in levels() if lv.valid_to]
    return min(ends) + timedelta(days=1) if ends else None


def instructions(lang: str) -> list[str]:
    """The instruction lines of the template, in Vietnamese or English."""
    ended = _ended_levels(lang)
    years = _holiday_years()
    reform = _reform_day()
    since = _day(reform) if reform else "—"
    current = [lv for lv in levels() if lv.valid_to is None]
    now_levels = ", ".join(f"{lv.name(lang).lower()} ({lv.code})" for lv in current)
    now_or = (" or " if lang == "en" else " hoặc ").join(lv.code for lv in current)
    if lang == "en":
        return [
            "IMPORT TEMPLATE — Dân vận Dashboard (data contract v2)",
            "",
            "1. Each sheet is one table, named after it (communes, receptions, ...). "
            "Do not rename sheets.",
            "2. Row 1 holds the Vietnamese column labels (* = required), row 2 the canonical "
            "names. Data starts on row 3.",
            "3. Row 3 of each sheet is an example: left unchanged, it is skipped on import. "
            "Overwrite or delete it.",
            "4. Dates as dd/mm/yyyy (or YYYY-MM-DD). Yes/no: có, không (true/false and 1/0 are "
            "accepted too).",
            "5. Columns with a drop-down accept only the listed codes (ASCII codes, e.g. "
            "khieu_nai).",
            "6. Commune, agency and procedure codes must exist in their table (in this file or "
            "already in the warehouse).",
            "7. Do NOT enter citizens' personal data (names, ID-card numbers, phone numbers, "
            "addresses, e-mail). Such columns are dropped and never stored.",
            "8. Import on the dashboard's Data page, or with `python -m data import FILE.xlsx`. "
            "If any row is at fault nothing is loaded, and the report names file, sheet, row, "
            "column, value and reason.",
            "9. A row whose key already exists replaces the old row; importing the same file "
            "twice changes nothing.",
            "10. Fill only the sheets you need; empty sheets are skipped.",
            f"11. Local government levels from {since}: {now_levels} (a commune may be a "
            f"commune, ward or special zone dac_khu). {ended}: a record at an ended level "
            f"dated after its end is a fault; record it at level {now_or}.",
            *_level_lines("en"),
            "12. Each commune and each province or district has validity dates (valid_from, "
            "valid_to; empty = open). A commune's records must be dated within them: a "
            "reception, dialogue, petition (received date), dossier (received date) or "
            "inspection of a commune dated before valid_from or after valid_to is a fault.",
            "13. A reorganisation: give each former unit its valid_to (the last day it existed) "
            "and list it in the unit_successions sheet (old code → new code, effective date). "
            "parent_code is the unit above (units_upper sheet).",
            "14. Petitions: round 1 = first resolution, 2 = second. An empty due date is "
            "derived from the law in force on the accepted date (complaints, denunciations).",
            f"15. The warehouse already holds the official holidays {years}; the holidays "
            "sheet adds other years. They decide which weeks have a working day.",
        ]
    return [
        "MẪU NHẬP DỮ LIỆU — Dân vận Dashboard (hợp đồng dữ liệu v2)",
        "",
        "1. Mỗi trang tính là một bảng; tên trang tính là tên bảng (communes, receptions, ...). "
        "Không đổi tên trang tính.",
        "2. Dòng 1 là tên cột tiếng Việt (dấu * là bắt buộc), dòng 2 là tên cột chuẩn. "
        "Dữ liệu bắt đầu từ dòng 3.",
        "3. Dòng 3 của mỗi trang là dòng ví dụ: nếu để nguyên, dòng này được bỏ qua khi nhập. "
        "Hãy ghi đè hoặc xoá nó.",
        "4. Ngày ghi dạng dd/mm/yyyy (hoặc YYYY-MM-DD). Có/không: có, không (cũng nhận "
        "true/false, 1/0).",
        "5. Cột có danh sách chọn chỉ nhận các mã trong danh sách (mã không dấu, ví dụ khieu_nai).",
        "6. Mã xã, mã cơ quan, mã thủ tục phải có trong bảng tương ứng (trong tệp này hoặc đã "
        "có trong kho dữ liệu).",
        "7. KHÔNG ghi dữ liệu cá nhân của công dân (họ tên, số CCCD/CMND, số điện thoại, địa "
        "chỉ, email). Cột như vậy bị bỏ, không bao giờ được lưu.",
        "8. Nhập: trang Dữ liệu của dashboard, hoặc lệnh `python -m data import TỆP.xlsx`. "
        "Nếu có bất kỳ lỗi nào, không dòng nào được nhập và báo cáo chỉ rõ tệp, trang tính, "
        "dòng, cột, giá trị, lý do.",
        "9. Dòng có mã đã có trong kho sẽ thay thế dòng cũ; nhập lại cùng một tệp không thay "
        "đổi gì.",
        "10. Có thể chỉ điền những trang cần nhập; trang để trống bị bỏ qua.",
        f"11. Các cấp chính quyền địa phương từ {since}: {now_levels} (cấp xã gồm xã, "
        f"phường, đặc khu dac_khu). {ended[:1].upper()}{ended[1:]}: bản ghi ở cấp đã kết "
        f"thúc mà ghi ngày sau ngày kết thúc là lỗi; hãy ghi ở cấp {now_or}.",
        *_level_lines("vi"),
        "12. Mỗi xã và mỗi tỉnh, huyện có ngày hiệu lực (valid_from, valid_to; để trống là "
        "không giới hạn). Bản ghi của một xã phải có ngày nằm trong khoảng đó: buổi tiếp, "
        "cuộc đối thoại, đơn thư (ngày nhận), hồ sơ (ngày tiếp nhận) hoặc cuộc kiểm tra của "
        "xã ghi ngày trước valid_from hoặc sau valid_to là lỗi.",
        "13. Sắp xếp đơn vị hành chính: ghi valid_to (ngày cuối cùng tồn tại) cho đơn vị cũ "
        "và khai trong trang unit_successions (mã cũ → mã mới, ngày có hiệu lực). "
        "parent_code là đơn vị cấp trên (trang units_upper).",
        "14. Đơn thư: lần giải quyết 1 = lần đầu, 2 = lần hai. Hạn giải quyết để trống được "
        "tính theo quy định có hiệu lực vào ngày thụ lý (khiếu nại, tố cáo).",
        f"15. Kho dữ liệu đã có sẵn ngày nghỉ lễ, Tết các năm {years}; trang holidays dùng "
        "để nhập thêm các năm khác. Ngày nghỉ quyết định tuần nào có ngày làm việc.",
    ]


INSTRUCTIONS_VI = instructions("vi")
INSTRUCTIONS_EN = instructions("en")

CATALOGUE_HEADER = (
    "Bảng / Table",
    "Cột / Column",
    "Tên cột / Label (vi)",
    "Label (en)",
    "Kiểu / Type",
    "Bắt buộc / Required",
    "Giá trị cho phép / Allowed values",
    "Mặc định / Default",
)


def _range_text(col: Column) -> str:
    if col.min_value is not None and col.max_value is not None:
        return f"{col.min_value} – {col.max_value}"
    if col.min_value is not None:
        return f"≥ {col.min_value}"
    if col.max_value is not None:
        return f"≤ {col.max_value}"
    return ""


def header_label(col: Column) -> str:
    """The row-1 header text of a column: its Vietnamese label, `*` when required."""
    return col.label_vi + (" *" if col.required else "")


def _column_note(col: Column) -> str:
    vi, en = TYPE_WORDS[col.type]
    lines = [f"{col.label_vi} / {col.label_en}", f"{col.name}: {vi} / {en}"]
    if col.required:
        lines.append("Bắt buộc / required")
    if col.enum:
        lines.append("Mã / codes: " + ", ".join(col.enum))
    if col.min_value is not None:
        lines.append(f"≥ {col.min_value}")
    if col.max_value is not None:
        lines.append(f"≤ {col.max_value}")
    if col.name == "level":
        lines += [
            f"{lv.code}: {lv.name_vi} / {lv.name_en}" for lv in levels() if lv.code in col.enum
        ]
    if col.default is not None:
        lines.append(f"Mặc định / default: {col.default}")
    elif col.default_expr:
        lines.append(f"Mặc định / default: = {col.default_expr}")
    return "\n".join(lines)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.header = wb.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "top",
                "bg_color": "#DCE6F1",
                "border": 1,
            }
        )
        self.canonical = wb.add_format(
            {"italic": True, "font_color": "#7F7F7F", "font_size": 9, "bg_color": "#F2F2F2"}
        )
        self.date = wb.add_format({"num_format": DATE_FORMAT})
        self.text = wb.add_format({"num_format": "@"})
        self.example = wb.add_format({"italic": True, "font_color": "#548235"})
        self.example_date = wb.add_format(
            {"italic": True, "font_color": "#548235", "num_format": DATE_FORMAT}
        )
        self.example_text = wb.add_format(
            {"italic": True, "font_color": "#548235", "num_format": "@"}
        )
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.bold = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})


def _write_instructions(wb: xlsxwriter.Workbook, fmt: _Formats) -> None:
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 20)
    ws.set_column(2, 3, 30)
    ws.set_column(4, 5, 18)
    ws.set_column(6, 6, 44)
    ws.set_column(7, 7, 18)
    row = 0
    for i, line in enumerate(INSTRUCTIONS_VI):
        ws.write_string(row, 0, line, fmt.title if i == 0 else None)
        row += 1
    row += 1
    for i, line in enumerate(INSTRUCTIONS_EN):
        ws.write_string(row, 0, line, fmt.title if i == 0 else None)
        row += 1
    row = _write_profiles(ws, fmt, row + 1)
    row += 1
    ws.write_string(row, 0, "DANH MỤC CỘT / COLUMN CATALOGUE", fmt.title)
    row += 1
    for c, text in enumerate(CATALOGUE_HEADER):
        ws.write_string(row, c, text, fmt.bold)
    row += 1
    for t in TABLES:
        for col in t.columns:
            vi, en = TYPE_WORDS[col.type]
            default = col.default if col.default is not None else (col.default_expr or "")
            values = (
                t.name,
                col.name,
                col.label_vi,
                col.label_en,
                f"{vi} / {en}",
                "có / yes" if col.required else "",
                ", ".join(col.enum) or _range_text(col),
                default,
            )
            for c, text in enumerate(values):
                ws.write_string(row, c, text)
            row += 1


def _write_profiles(ws: Any, fmt: _Formats, row: int) -> int:
    """The office files the Data page reads in their own layout (data/profiles), one line
    each in Vietnamese and English; returns the next free row."""
    from data.profiles import PROFILES  # the profiles read the importer, which reads this

    ws.write_string(row, 0, "TỆP CỦA CƠ QUAN / OFFICE FILES", fmt.title)
    row += 1
    for lang in ("vi", "en"):
        lead = (
            "Trên trang Dữ liệu, chọn «Loại tệp» để đọc tệp theo bố cục của cơ quan:"
            if lang == "vi"
            else "On the Data page, choose «Kind of file» to read an office's own file:"
        )
        ws.write_string(row, 0, lead)
        row += 1
        for p in PROFILES.values():
            helptext = p.help_en if lang == "en" else p.help_vi
            tables = ", ".join(p.tables)
            ws.write_string(row, 0, f"- {p.label(lang)} ({p.name} → {tables}): {helptext}")
            row += 1
    return row


def _validate(ws: Any, c: int, col: Column) -> None:
    """Excel-side checks on the data rows, so mistakes are caught while typing."""
    first, last = HEADER_ROWS, EXCEL_MAX_ROWS - 1
    title = col.label_vi[:32]
    if col.enum:
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "list",
                "source": list(col.enum),
                "error_title": title,
                "error_message": ("Chọn một mã / choose one of: " + ", ".join(col.enum))[:255],
            },
        )
    elif col.type == BOOL:
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "list",
                "source": list(BOOL_WORDS),
                # true/false and 1/0 are valid too, so a different spelling only warns.
                "error_type": "warning",
                "error_title": title,
                "error_message": "có / không (true/false, 1/0)",
            },
        )
    elif col.type == INT and col.max_value is not None:
        minimum = col.min_value if col.min_value is not None else -2_147_483_647
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": minimum,
                "maximum": col.max_value,
                "error_title": title,
                "error_message": (
                    f"Số nguyên từ {minimum} đến {col.max_value} / "
                    f"whole number from {minimum} to {col.max_value}"
                ),
            },
        )
    elif col.type == INT:
        minimum = col.min_value if col.min_value is not None else -2_147_483_647
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "integer",
                "criteria": ">=",
                "value": minimum,
                "error_title": title,
                "error_message": f"Số nguyên ≥ {minimum} / whole number ≥ {minimum}",
            },
        )
    elif col.type == DATE:
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": datetime.combine(FIRST_DATE, datetime.min.time()),
                "maximum": datetime.combine(LAST_DATE, datetime.min.time()),
                # A typed dd/mm/yyyy text is still imported correctly, so only warn.
                "error_type": "warning",
                "error_title": title,
                "error_message": "Ngày dd/mm/yyyy / date dd/mm/yyyy",
            },
        )
    else:
        ws.data_validation(
            first,
            c,
            last,
            c,
            {
                "validate": "length",
                "criteria": "<=",
                "value": col.max_chars,
                "error_title": title,
                "error_message": f"Tối đa {col.max_chars} ký tự / at most {col.max_chars}",
            },
        )


def _write_cell(ws: Any, r: int, c: int, col: Column, value: Any, fmt: _Formats, ex: bool) -> None:
    if value is None:
        return
    if col.type == DATE:
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        ws.write_datetime(r, c, value, fmt.example_date if ex else fmt.date)
    elif col.type == BOOL:
        ws.write_string(
            r, c, BOOL_WORDS[0] if value else BOOL_WORDS[1], fmt.example if ex else None
        )
    elif col.type == INT:
        ws.write_number(r, c, int(value), fmt.example if ex else None)
    else:
        ws.write_string(r, c, str(value), fmt.example_text if ex else fmt.text)


def _write_table(
    wb: xlsxwriter.Workbook,
    fmt: _Formats,
    t: Table,
    rows: Iterable[tuple] | None,
) -> int:
    ws = wb.add_worksheet(t.name)
    for c, col in enumerate(t.columns):
        width = max(12, min(40, len(col.label_vi) + 4))
        col_fmt = fmt.date if col.type == DATE else fmt.text if col.type == TEXT else None
        ws.set_column(c, c, width, col_fmt)
    ws.set_row(0, 32)
    for c, col in enumerate(t.columns):
        ws.write_string(0, c, header_label(col), fmt.header)
        ws.write_comment(0, c, _column_note(col), {"x_scale": 2, "y_scale": 1.5})
        ws.write_string(1, c, col.name, fmt.canonical)
        _validate(ws, c, col)
    ws.freeze_panes(HEADER_ROWS, 0)
    if rows is None:
        example = EXAMPLES[t.name]
        for c, col in enumerate(t.columns):
            _write_cell(ws, HEADER_ROWS, c, col, example[col.name], fmt, ex=True)
        return 1
    r = HEADER_ROWS
    for values in rows:
        if r >= EXCEL_MAX_ROWS:
            raise ValueError(
                f"bảng {t.name} có quá nhiều dòng cho một trang Excel / "
                f"table {t.name} has too many rows for one Excel sheet"
            )
        for c, col in enumerate(t.columns):
            _write_cell(ws, r, c, col, values[c], fmt, ex=False)
        r += 1
    return r - HEADER_ROWS


# Above this many cells an export streams rows to disk (constant memory). Below it the
# workbook keeps a shared-string table, as Excel does, which reads back about a third faster.
STREAM_CELLS = 3_000_000


def _workbook(out: str | Path | BinaryIO, big: bool) -> xlsxwriter.Workbook:
    if isinstance(out, str | Path):
        return xlsxwriter.Workbook(str(out), {"constant_memory": big})
    return xlsxwriter.Workbook(out, {"in_memory": True})


def write_template(out: str | Path | BinaryIO) -> None:
    """Write the empty import template: instructions, one sheet per table, an example row."""
    wb = _workbook(out, big=False)
    fmt = _Formats(wb)
    _write_instructions(wb, fmt)
    for t in TABLES:
        _write_table(wb, fmt, t, None)
    wb.close()


def template_bytes() -> bytes:
    """The template as bytes, for a download button."""
    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()


def _present_columns(cur: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """The columns of each table the warehouse holds (an older warehouse lacks some)."""
    out: dict[str, set[str]] = {}
    for table_name, column in cur.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = current_schema()"
    ).fetchall():
        out.setdefault(table_name, set()).add(column)
    return out


def _table_rows(
    cur: duckdb.DuckDBPyConnection, t: Table, present: set[str] | None = None
) -> Iterator[tuple]:
    # Contract names only; ordered by key so two exports of the same data are identical.
    # A column the warehouse does not have yet (built under an earlier contract) is empty.
    if present is not None and not present:
        return
    cols = [
        c.name if present is None or c.name in present else f"NULL AS {c.name}" for c in t.columns
    ]
    cur.execute(f"SELECT {', '.join(cols)} FROM {t.name} ORDER BY {', '.join(t.primary_key)}")
    while batch := cur.fetchmany(10_000):
        yield from batch


def export_warehouse_to_xlsx(db: str | Path, out: str | Path | BinaryIO) -> dict[str, int]:
    """Write every table of the warehouse `db` in the template layout; rows per table.

    The file imports back unchanged: `python -m data import` of it into an empty warehouse
    reproduces the same records. A warehouse built under an earlier contract exports too:
    the tables and columns it lacks are left empty (importing the file upgrades it).
    """
    conn = duckdb.connect(str(db), read_only=True)
    counts: dict[str, int] = {}
    try:
        present = _present_columns(conn)
        cells = sum(
            conn.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] * len(t.columns)
            for t in TABLES
            if t.name in present
        )
        wb = _workbook(out, big=cells > STREAM_CELLS)
        fmt = _Formats(wb)
        _write_instructions(wb, fmt)
        for t in TABLES:
            rows = _table_rows(conn, t, present.get(t.name, set()))
            counts[t.name] = _write_table(wb, fmt, t, rows)
        wb.close()
    finally:
        conn.close()
    return counts

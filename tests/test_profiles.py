"""Office-file profiles: one-stop export, reception register, report forms, 766 index.

Every sample file is written here with openpyxl in the layout offices keep: Vietnamese
headers, merged header cells, a column-numbers row, totals rows, blank rows, a second
sheet. Expected values are counted by hand in the comments.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data.build import build_warehouse
from data.importer import import_files
from data.profiles import PROFILES, alias_rows, detect_profile, read, write_csvs
from data.profiles.common import ProfileResult
from metrics.engine import Filters, compute
from metrics.reported import NOT_DETERMINED, reconciliation, reported_kpis, service_index

BASE = {
    "units_upper.csv": (
        "unit_code,name,level,parent_code,valid_from,valid_to\n"
        "02,Tỉnh Hà Giang,tinh,,,\n"
        "034,Huyện Bắc Quang,huyen,02,,\n"
    ),
    "communes.csv": (
        "commune_code,name,kind,remote,population,one_stop_since,parent_code,valid_from,valid_to\n"
        "01153,Thị trấn Việt Quang,thi_tran,false,,2018-01-01,034,,\n"
        "01156,Xã Tân Quang,xa,false,,2018-01-01,034,,\n"
        "01159,Xã Hùng An,xa,true,,2018-01-01,034,,\n"
    ),
    "procedures.csv": (
        "procedure_code,name,level,agency_code,field,statutory_days,committed_days,"
        "at_one_stop,online_level\n"
        "TP-01,Chứng thực bản sao từ bản chính,xa,,tu_phap,2,1,true,mot_phan\n"
        "HT-01,Đăng ký khai sinh,xa,,ho_tich,5,3,true,toan_trinh\n"
        "XD-01,Cấp giấy phép xây dựng nhà ở riêng lẻ,huyen,,xay_dung,15,10,true,khong\n"
    ),
}


def _base(folder: Path, files: dict[str, str] = BASE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    db = tmp_path / "wh.duckdb"
    build_warehouse(_base(tmp_path / "base"), db)
    return db


def _rebuild(tmp_path: Path, results, name: str = "out") -> Path:
    """Base CSVs plus the profiles' rows as contract CSVs, built (validated) into a warehouse."""
    folder = tmp_path / f"{name}_csv"
    shutil.rmtree(folder, ignore_errors=True)
    _base(folder)
    for r in results:
        write_csvs(r, folder)
    db = tmp_path / f"{name}.duckdb"
    build_warehouse(folder, db)
    return db


# ------------------------------------------------------------------ one-stop export

ONESTOP_HEAD = [
    "STT",
    "Đơn vị tiếp nhận",
    "Người tiếp nhận",
    "Tên thủ tục hành chính",
    "Mã hồ sơ",
    "Trạng thái",
    "Địa chỉ",
    "Chủ hồ sơ",
    "Ngày nộp hồ sơ",
    "Ngày nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "KÊNH",
]


def _onestop(path: Path, extra: list | None = None) -> Path:
    """Eight dossiers of Q1/2024, in the three date spellings exports use.

    Finished: HS1 (due 05/3, done 04/3: early), HS2 (due = done 06/3: on time),
    HS3 (due 08/3, done 11/3: late), HS5 (Excel dates, on time), HS6 (stamp dates, early).
    Open: HS4 (due 20/3), HS7 (withdrawn: excluded). HS8 is at the district desk.
    On time (finished_date <= due_date): HS1, HS2, HS5, HS6, HS8 = 5 of 6 finished.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách hồ sơ"
    ws.append(["UBND HUYỆN BẮC QUANG"])
    ws.merge_cells("A1:M1")
    ws.append(["DANH SÁCH HỒ SƠ TIẾP NHẬN TỪ 01/01/2024 ĐẾN 31/03/2024"])
    ws.merge_cells("A2:M2")
    ws.append([])
    ws.append(ONESTOP_HEAD)
    rows = [
        [
            1,
            "UBND xã Tân Quang",
            "Nguyễn Thị Mai",
            "Chứng thực bản sao từ bản chính",
            "000.00.25.H23-240301-0001",
            "Đã trả kết quả",
            "Thôn Tân Bình",
            "Trần Văn An",
            "01/03/2024",
            "01/03/2024",
            "05/03/2024",
            "04/03/2024",
            1,
        ],
        [
            2,
            "UBND xã Tân Quang",
            "Nguyễn Thị Mai",
            "chứng thực bản sao từ BẢN CHÍNH",
            "000.00.25.H23-240301-0002",
            "Đã trả kết quả",
            "Thôn Tân Bình",
            "Lê Thị Bình",
            "02/03/2024",
            "02/03/2024",
            "06/03/2024",
            "06/03/2024",
            2,
        ],
        [
            3,
            "UBND thị trấn Việt Quang",
            "Hoàng Văn Cường",
            "Đăng ký khai sinh",
            "000.00.25.H23-240303-0003",
            "Hoàn thành",
            "Tổ 5",
            "Phạm Văn Dũng",
            "03/03/2024",
            "03/03/2024",
            "08/03/2024",
            "11/03/2024",
            "2",
        ],
        [
            4,
            "UBND thị trấn Việt Quang",
            "Hoàng Văn Cường",
            "Đăng ký khai sinh",
            "000.00.25.H23-240315-0004",
            "Đang xử lý",
            "Tổ 2",
            "Vũ Thị Hà",
            "15/03/2024",
            "15/03/2024",
            "20/03/2024",
            None,
            "Trực tiếp",
        ],
        [
            5,
            "Xã Hùng An",
            "Đỗ Văn Em",
            "Đăng ký khai sinh",
            "000.00.25.H23-240105-0005",
            "Đã trả kết quả",
            "Thôn Hạ",
            "Ngô Văn Phúc",
            datetime(2024, 1, 5),
            datetime(2024, 1, 5),
            datetime(2024, 1, 10),
            datetime(2024, 1, 10),
            1,
        ],
        [
            6,
            "Xã Hùng An",
            "Đỗ Văn Em",
            "Chứng thực bản sao từ bản chính",
            "000.00.25.H23-240110-0006",
            "Đã trả kết quả",
            "Thôn Thượng",
            "Bùi Thị Giang",
            "20240110083000",
            "20240110083000",
            "20240112170000",
            "20240111100000",
            3,
        ],
        [
            7,
            "Xã Hùng An",
            "Đỗ Văn Em",
            "Đăng ký khai sinh",
            "000.00.25.H23-240111-0007",
            "Đã rút hồ sơ",
            "Thôn Hạ",
            "Ngô Văn Khoa",
            "11/01/2024",
            "11/01/2024",
            "16/01/2024",
            None,
            1,
        ],
        [
            8,
            "UBND huyện Bắc Quang",
            "Lý Văn Long",
            "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "000.00.25.H23-240201-0008",
            "Đã trả kết quả",
            "Tổ 1",
            "Trịnh Văn Minh",
            "01/02/2024",
            "01/02/2024",
            "16/02/2024",
            "15/02/2024",
            1,
        ],
    ]
    for r in rows + (extra or []):
        ws.append(r)
        if r[0] == 4:
            ws.append([])  # a blank row in the middle
    ws.append(["Tổng cộng", None, None, None, "8 hồ sơ"])
    wb.save(path)
    return path


UNKNOWN_ROWS = [
    [
        9,
        "UBND xã Tân Quang",
        "Nguyễn Thị Mai",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "000.00.25.H23-240305-0009",
        "Đã trả kết quả",
        "Thôn Tân Bình",
        "Trần Thị Nga",
        "05/03/2024",
        "05/03/2024",
        "06/03/2024",
        "07/03/2024",
        1,
    ],
    [
        10,
        "UBND xã Tân Quang",
        "Nguyễn Thị Mai",
        "Cấp bản sao trích lục hộ tịch",
        "000.00.25.H23-240306-0010",
        "Đã trả kết quả",
        "Thôn Tân Bình",
        "Đinh Văn Ơn",
        "06/03/2024",
        "06/03/2024",
        "07/03/2024",
        "07/03/2024",
        2,
    ],
    [
        11,
        "UBND xã Tân Quang",
        "Nguyễn Thị Mai",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "000.00.25.H23-240307-0011",
        "Đang xử lý",
        "Thôn Tân Bình",
        "Đinh Văn Phú",
        "07/03/2024",
        "07/03/2024",
        "08/03/2024",
        None,
        1,
    ],
]


def test_onestop_export_reads_matches_and_drops_personal_columns(tmp_path, wh):
    path = _onestop(tmp_path / "Xuat_ho_so_Q1_2024.xlsx")
    assert detect_profile(path) == "onestop"
    res = read("onestop", path, wh)
    assert res.faults == []
    rows = {r["dossier_id"]: r for r in res.tables["dossiers"]}
    assert len(rows) == 7  # the withdrawn dossier is excluded
    assert rows["000.00.25.H23-240301-0002"]["procedure_code"] == "TP-01"  # by normalised name
    assert rows["000.00.25.H23-240301-0001"]["commune_code"] == "01156"
    assert rows["000.00.25.H23-240303-0003"]["commune_code"] == "01153"
    assert rows["000.00.25.H23-240201-0008"]["commune_code"] == ""  # the district desk
    assert rows["000.00.25.H23-240105-0005"]["received_date"] == "2024-01-05"  # Excel date
    assert rows["000.00.25.H23-240110-0006"]["finished_date"] == "2024-01-11"  # stamp
    assert rows["000.00.25.H23-240110-0006"]["channel"] == "buu_chinh"
    assert rows["000.00.25.H23-240315-0004"]["finished_date"] == ""
    assert rows["000.00.25.H23-240301-0001"]["_row"] == 5  # the sheet row of the record
    dropped = {h for _, h in res.dropped}
    assert {"Địa chỉ", "Chủ hồ sơ", "Người tiếp nhận"} <= dropped
    assert all(src == "Xuat_ho_so_Q1_2024.xlsx/Danh sách hồ sơ" for src, _ in res.dropped)
    flat = str(res.tables)
    assert "Trần Văn An" not in flat and "Thôn Tân Bình" not in flat
    assert any("rút" in n for n in res.notices)


def test_onestop_unknown_names_are_one_fault_then_mapping_imports(tmp_path, wh):
    path = _onestop(tmp_path / "Xuat_ho_so_Q1_2024.xlsx", UNKNOWN_ROWS)
    res = read("onestop", path, wh)
    unknown = [f for f in res.faults if "procedure_aliases" in f.reason_vi]
    assert len(res.faults) == 1 and len(unknown) == 1
    f = unknown[0]
    assert f.file == "Xuat_ho_so_Q1_2024.xlsx/Danh sách hồ sơ"
    assert f.column == "Tên thủ tục hành chính"
    assert "Cấp bản sao trích lục hộ tịch (1 hồ sơ)" in f.value
    assert "Chứng thực chữ ký trong các giấy tờ, văn bản (2 hồ sơ)" in f.value
    assert res.to_map == [
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Cấp bản sao trích lục hộ tịch",
    ]
    assert [r["alias"] for r in alias_rows(res)] == res.to_map

    # The officer maps both names once: procedure_aliases rows, imported like any table.
    folder = _base(tmp_path / "mapped_csv")
    (folder / "procedure_aliases.csv").write_text(
        "alias,procedure_code\n"
        '"Chứng thực chữ ký trong các giấy tờ, văn bản",TP-01\n'
        "Cấp bản sao trích lục hộ tịch,HT-01\n",
        encoding="utf-8",
    )
    mapped = tmp_path / "mapped.duckdb"
    build_warehouse(folder, mapped)
    res2 = read("onestop", path, mapped)
    assert res2.faults == []
    write_csvs(res2, folder)
    build_warehouse(folder, mapped)  # validates every row like a template sheet
    # Hand count of finished dossiers in Q1/2024 (all levels):
    # HS1 04/3≤05/3 ✓, HS2 06/3≤06/3 ✓, HS3 11/3>08/3 ✗, HS5 ✓, HS6 ✓, HS8 ✓,
    # HS9 07/3>06/3 ✗, HS10 07/3≤07/3 ✓ → 6 on time of 8 finished.
    got = compute(Filters(date(2024, 1, 1), date(2024, 3, 31)), ["dossiers_on_time_rate"], mapped)
    r = got["dossiers_on_time_rate"]
    assert (r.numerator, r.denominator) == (6, 8)


def test_onestop_faults_name_file_sheet_row_column_value(tmp_path, wh):
    bad = [
        [
            12,
            "UBND xã Tân Quang",
            "x",
            "Đăng ký khai sinh",
            "HS-BAD-1",
            "Chờ lãnh đạo xem",
            "",
            "",
            "01/03/2024",
            "01/03/2024",
            "05/03/2024",
            None,
            1,
        ],
        [
            13,
            "UBND xã Tân Quang",
            "x",
            "Đăng ký khai sinh",
            "HS-BAD-2",
            "Đang xử lý",
            "",
            "",
            "01/03/2024",
            "31/02/2024",
            "05/03/2024",
            None,
            1,
        ],
        [
            14,
            "UBND xã Tân Quang",
            "x",
            "Đăng ký khai sinh",
            "HS-BAD-3",
            "Đang xử lý",
            "",
            "",
            "01/03/2024",
            "01/03/2024",
            "05/03/2024",
            None,
            7,
        ],
        [
            15,
            "UBND xã Thượng Bình",
            "x",
            "Đăng ký khai sinh",
            "HS-BAD-4",
            "Đang xử lý",
            "",
            "",
            "01/03/2024",
            "01/03/2024",
            "05/03/2024",
            None,
            1,
        ],
    ]
    res = read("onestop", _onestop(tmp_path / "xuat.xlsx", bad), wh)
    got = {(f.file, f.row, f.column, f.value) for f in res.faults}
    sheet = "xuat.xlsx/Danh sách hồ sơ"
    # data rows start on row 5; the blank row after HS4 shifts the rest by one
    assert (sheet, 14, "F (Trạng thái)", "Chờ lãnh đạo xem") in got
    assert (sheet, 15, "J (Ngày nhận)", "31/02/2024") in got
    assert (sheet, 16, "M (KÊNH)", "7") in got
    assert (sheet, 17, "B (Đơn vị tiếp nhận)", "UBND xã Thượng Bình") in got
    assert len(res.faults) == 4


# ------------------------------------------------------------------ reception register


def _register(path: Path) -> Path:
    """Two sheets (January, February). Hand count:
    15/01 Tân Quang, chairman, định kỳ: 3 visits, contents {đất A, đất A, chế độ B} → 2 cases,
    one large group; 15/01 Tân Quang, reception board, thường xuyên: 1 visit;
    20/02 district, chairman, định kỳ: 2 visits with a Số vụ việc column? no: 2 contents.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tháng 1"
    ws.append(["SỔ TIẾP CÔNG DÂN NĂM 2024"])
    ws.merge_cells("A1:I1")
    ws.append(
        [
            "STT",
            "Ngày tiếp",
            "Họ và tên",
            "Địa chỉ",
            "Nội dung",
            "Người tiếp",
            "Hình thức",
            "Đơn vị",
            "Đoàn đông người",
        ]
    )
    ws.append(
        [
            1,
            "15/01/2024",
            "Nguyễn Văn Sơn",
            "Thôn Tân Bình",
            "Tranh chấp đất thửa 12",
            "Ông Hoàng Văn Tú - Chủ tịch UBND xã",
            "Định kỳ",
            "UBND xã Tân Quang",
            "x",
        ]
    )
    ws.append(
        [
            2,
            "15/01/2024",
            "Trần Thị Uyên",
            "Thôn Tân Bình",
            "Tranh chấp đất thửa 12",
            "Chủ tịch UBND xã",
            "Định kỳ",
            "UBND xã Tân Quang",
            None,
        ]
    )
    ws.append(
        [
            3,
            datetime(2024, 1, 15),
            "Lê Văn Vinh",
            "Thôn Cầu",
            "Chế độ người có công",
            "Chủ tịch",
            "định kỳ",
            "Xã Tân Quang",
            "",
        ]
    )
    ws.append([])
    ws.append(
        [
            4,
            "15/01/2024",
            "Phạm Thị Xuân",
            "Thôn Cầu",
            "Hỏi thủ tục cấp sổ đỏ",
            "Cán bộ tiếp công dân",
            None,
            "Xã Tân Quang",
            None,
        ]
    )
    ws.append(["Cộng", None, None, None, None, None, None, None, None])
    ws2 = wb.create_sheet("Tháng 2")
    ws2.append(
        [
            "STT",
            "Ngày tiếp",
            "Họ tên",
            "Nơi cư trú",
            "SĐT",
            "Nội dung",
            "Người chủ trì",
            "Hình thức",
            "Đơn vị",
        ]
    )
    ws2.append(
        [
            1,
            "20/02/2024",
            "Đỗ Văn Yên",
            "Tổ 3",
            "0912345678",
            "Đền bù đường tránh",
            "Chủ tịch UBND huyện",
            "Định kỳ",
            "UBND huyện Bắc Quang",
        ]
    )
    ws2.append(
        [
            2,
            "20/02/2024",
            "Đỗ Thị Ánh",
            "Tổ 3",
            "0987654321",
            "Cấp giấy chứng nhận",
            "Chủ tịch UBND huyện",
            "Định kỳ",
            "UBND huyện Bắc Quang",
        ]
    )
    wb.save(path)
    return path


def test_register_aggregates_visits_to_reception_days(tmp_path, wh):
    path = _register(tmp_path / "So_tiep_cong_dan_2024.xlsx")
    assert detect_profile(path) == "register"
    res = read("register", path, wh)
    assert res.faults == []
    rows = {r["reception_id"]: r for r in res.tables["receptions"]}
    chair = rows["STCD-20240115-01156-CT-DK"]
    assert (chair["citizens"], chair["cases"], chair["large_groups"]) == ("3", "2", "1")
    board = rows["STCD-20240115-01156-BT-TX"]
    assert (board["kind"], board["citizens"], board["cases"]) == ("thuong_xuyen", "1", "1")
    district = rows["STCD-20240220-HUYEN-CT-DK"]
    assert (district["level"], district["commune_code"], district["citizens"]) == ("huyen", "", "2")
    assert len(rows) == 3
    dropped = set(res.dropped)
    assert ("So_tiep_cong_dan_2024.xlsx/Tháng 1", "Họ và tên") in dropped
    assert ("So_tiep_cong_dan_2024.xlsx/Tháng 2", "SĐT") in dropped
    assert ("So_tiep_cong_dan_2024.xlsx/Tháng 2", "Nơi cư trú") in dropped
    flat = str(res.tables)
    assert "Nguyễn Văn Sơn" not in flat and "0912345678" not in flat and "thửa 12" not in flat
    db = _rebuild(tmp_path, [res])
    got = compute(Filters(date(2024, 1, 1), date(2024, 2, 29)), ["reception_citizens"], db)
    assert got["reception_citizens"].value == 6


def test_register_faults_are_located(tmp_path, wh):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sổ"
    ws.append(
        [
            "STT",
            "Ngày tiếp",
            "Họ và tên",
            "Nội dung",
            "Người tiếp",
            "Hình thức",
            "Đơn vị",
            "Số vụ việc",
        ]
    )
    ws.append([1, "32/01/2024", "A", "x", "Chủ tịch", "Định kỳ", "Xã Tân Quang", 1])
    ws.append([2, "15/01/2024", "B", "x", "Ông Nguyễn Văn B", "Định kỳ", "Xã Tân Quang", 1])
    ws.append([3, "15/01/2024", "C", "x", "Chủ tịch", "Hằng tháng", "Xã Tân Quang", 1])
    ws.append([4, "15/01/2024", "D", "x", "Chủ tịch", "Định kỳ", "Xã Không Có", 1])
    ws.append([5, "15/01/2024", "E", "x", "Chủ tịch", "Định kỳ", "Xã Tân Quang", "hai"])
    path = tmp_path / "so.xlsx"
    wb.save(path)
    res = read("register", path, wh)
    got = {(f.file, f.row, f.column, f.value) for f in res.faults}
    assert got == {
        ("so.xlsx/Sổ", 2, "B (Ngày tiếp)", "32/01/2024"),
        ("so.xlsx/Sổ", 3, "E (Người tiếp)", None),  # may hold a name: never echoed
        ("so.xlsx/Sổ", 4, "F (Hình thức)", "Hằng tháng"),
        ("so.xlsx/Sổ", 5, "G (Đơn vị)", "Xã Không Có"),
        ("so.xlsx/Sổ", 6, "H (Số vụ việc)", "hai"),
    }


# ------------------------------------------------------------------ report forms


def _form_sheet(ws, code: str, title: str, period: str, groups, numbers, rows) -> None:
    """A form as filed: code, title, period, two merged header rows, column numbers."""
    width = len(numbers)
    ws.append([code])
    ws.append([title])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append([period])
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    ws.append([])
    top = ["TT", "Đơn vị"]
    sub = [None, None]
    for group, heads in groups:
        top += [group] + [None] * (len(heads) - 1)
        sub += heads
    ws.append(top)
    ws.append(sub)
    ws.merge_cells(start_row=5, start_column=1, end_row=6, end_column=1)
    ws.merge_cells(start_row=5, start_column=2, end_row=6, end_column=2)
    col = 3
    for _, heads in groups:
        if len(heads) > 1:
            ws.merge_cells(
                start_row=5, start_column=col, end_row=5, end_column=col + len(heads) - 1
            )
        col += len(heads)
    ws.append([f"({n})" for n in numbers])
    for r in rows:
        ws.append(r)


XLD_GROUPS = [
    ("Số đơn phải xử lý", ["Tổng số", "Kỳ trước chuyển sang", "Tiếp nhận trong kỳ"]),
    ("Đơn đủ điều kiện xử lý", ["Tổng số", "Khiếu nại", "Tố cáo", "Kiến nghị, phản ánh"]),
    ("Thuộc thẩm quyền", ["Khiếu nại", "Tố cáo", "Kiến nghị, phản ánh"]),
    ("Không thuộc thẩm quyền", ["Số đơn", "Hướng dẫn, chuyển đơn, đôn đốc"]),
    ("Kết quả giải quyết", ["Lần đầu", "Lần hai", "Chưa giải quyết xong"]),
]
II06_GROUPS = [
    (
        "Số hồ sơ tiếp nhận",
        ["Tổng số", "Trực tuyến", "Trực tiếp, bưu chính", "Kỳ trước chuyển qua"],
    ),
    ("Số hồ sơ đã giải quyết", ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"]),
    ("Số hồ sơ đang giải quyết", ["Tổng số", "Trong hạn", "Quá hạn"]),
]


def _forms_book(path: Path, ii06a_rows=None, xld_rows=None) -> Path:
    """Sheet 1: 01/XLD for 6 months of 2024; sheet 2: II.06a for Q1/2024."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "01-XLD"
    _form_sheet(
        ws,
        "Biểu số 01/XLD",
        "TỔNG HỢP KẾT QUẢ XỬ LÝ ĐƠN",
        "Kỳ báo cáo: từ ngày 01/01/2024 đến ngày 30/06/2024",
        XLD_GROUPS,
        range(1, 18),
        xld_rows
        or [
            ["I", "Cấp xã"] + [None] * 15,  # a section heading
            # Hùng An: 258 to handle = 34 carried over + 224 received; 242 resolved (230 + 12)
            [1, "Xã Hùng An", 258, 34, 224, 250, 100, 20, 130, 90, 15, 120, 25, None, 230, 12, 16],
            [2, "Xã Tân Quang", 10, 2, 8, 10, 5, 0, 5, 5, 0, 5, 0, 0, 8, 0, 2],
            [],
            ["", "Tổng cộng", 268, 36, 232, 260, 105, 20, 135, 95, 15, 125, 25, 0, 238, 12, 18],
        ],
    )
    ws2 = wb.create_sheet("II.06a")
    _form_sheet(
        ws2,
        "Biểu II.06a/VPCP/KSTT",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "(Kỳ báo cáo: Quý I năm 2024)",
        II06_GROUPS,
        range(1, 14),
        ii06a_rows
        or [
            # Việt Quang: (3) 40 = (4) 10 + (5) 25 + (6) 5; (3) = (7) 35 + (11) 5;
            # (7) 35 = 20 + 12 + 3; (11) 5 = 4 + 1
            [1, "Thị trấn Việt Quang", 40, 10, 25, 5, 35, 20, 12, 3, 5, 4, 1],
            ["", "Cộng", 40, 10, 25, 5, 35, 20, 12, 3, 5, 4, 1],
        ],
    )
    wb.save(path)
    return path


def test_forms_read_both_sheets_and_the_resolution_rate(tmp_path, wh):
    path = _forms_book(tmp_path / "Bao_cao_6_thang_2024.xlsx")
    assert detect_profile(path) == "forms"
    res = read("forms", path, wh)
    assert res.faults == []
    rows = res.tables["reported_figures"]
    hung_an = {
        int(r["column_no"]): int(r["value"])
        for r in rows
        if r["unit_code"] == "01159" and r["form"] == "xld01"
    }
    assert hung_an[3] == 258 and hung_an[4] == 34 and hung_an[5] == 224
    assert 14 not in hung_an  # a column the layout marks as not in the data
    assert {(r["period_from"], r["period_to"]) for r in rows if r["form"] == "xld01"} == {
        ("2024-01-01", "2024-06-30")
    }
    assert {(r["period_from"], r["period_to"]) for r in rows if r["form"] == "ii06a"} == {
        ("2024-01-01", "2024-03-31")
    }
    db = _rebuild(tmp_path, [res])
    kpis = reported_kpis(Filters(date(2024, 1, 1), date(2024, 6, 30), ("01159",), "xa"), db)
    rate = kpis["petitions_resolution_rate"]
    assert (rate.numerator, rate.denominator) == (242, 258)
    assert rate.value == pytest.approx(242 / 258)
    assert "Biểu số 01/XLD" in rate.source and "Bao_cao_6_thang_2024.xlsx" in rate.source
    assert kpis["commune_chair_compliance_rate"].value is None
    assert NOT_DETERMINED[0] in kpis["commune_chair_compliance_rate"].note
    assert NOT_DETERMINED[0] in kpis["dossiers_avg_days"].note
    on_time = reported_kpis(Filters(date(2024, 1, 1), date(2024, 3, 31), ("01153",), "xa"), db)
    assert (
        on_time["dossiers_on_time_rate"].numerator,
        on_time["dossiers_on_time_rate"].denominator,
    ) == (32, 35)
    assert on_time["dossiers_overdue_open"].value == 1


def test_ii06a_row_must_reconcile(tmp_path, wh):
    # (3) 40 but (7) 30 + (11) 5 = 35; (7) 30 = 20 + 7 + 3 holds; (3) = (4)+(5)+(6) holds
    path = _forms_book(
        tmp_path / "bieu.xlsx",
        [[1, "Thị trấn Việt Quang", 40, 10, 25, 5, 30, 20, 7, 3, 5, 4, 1]],
    )
    res = read("forms", path, wh)
    got = [(f.file, f.row, f.column, f.value, f.reason_vi) for f in res.faults]
    assert got == [
        ("bieu.xlsx/II.06a", 8, "C ((3) Tổng số)", "40", "(3) phải bằng (7) + (11) = 35")
    ]


def test_forms_totals_row_is_checked(tmp_path, wh):
    path = _forms_book(
        tmp_path / "bieu.xlsx",
        [
            [1, "Thị trấn Việt Quang", 40, 10, 25, 5, 35, 20, 12, 3, 5, 4, 1],
            ["", "Tổng cộng", 41, 10, 25, 5, 35, 20, 12, 3, 5, 4, 1],
        ],
    )
    res = read("forms", path, wh)
    assert [(f.row, f.column, f.value) for f in res.faults] == [(9, "C ((3) Tổng số)", "41")]


def _registers_and_form(tmp_path: Path, wh: Path) -> Path:
    """A warehouse with the one-stop export above and a form whose II.06a has only Việt
    Quang's Q1/2024 row (35 resolved)."""
    onestop = read("onestop", _onestop(tmp_path / "xuat.xlsx"), wh)
    forms = read(
        "forms",
        _forms_book(
            tmp_path / "bieu.xlsx",
            [[1, "Thị trấn Việt Quang", 40, 10, 25, 5, 35, 20, 12, 3, 5, 4, 1]],
        ),
        wh,
    )
    return _rebuild(tmp_path, [onestop, forms])


def test_registers_win_over_the_form_and_the_difference_is_shown(tmp_path, wh):
    # Registers: the export above gives Việt Quang in Q1/2024 dossiers HS3 (late) and HS4.
    db = _registers_and_form(tmp_path, wh)
    f = Filters(date(2024, 1, 1), date(2024, 3, 31), ("01153",), "xa")
    kpis = reported_kpis(f, db)
    # Registers: 2 received, 1 resolved (late), 0 on time; the form said 35 resolved.
    assert kpis["dossiers_resolved"].value == 1
    assert kpis["dossiers_resolved"].source == "sổ sách"
    assert (kpis["dossiers_on_time_rate"].numerator, kpis["dossiers_on_time_rate"].denominator) == (
        0,
        1,
    )
    checks = {c.column_no: c for c in reconciliation(f, db)}
    assert checks[7].reported == 35 and checks[7].registers == 1 and checks[7].difference == 34
    msg = checks[7].message()
    assert msg.startswith("số liệu báo cáo lệch sổ sách: Thị trấn Việt Quang, Biểu II.06a")
    assert "bieu.xlsx" in msg
    # Another unit-period without registers still reads the form.
    other = reported_kpis(Filters(date(2024, 1, 1), date(2024, 6, 30), ("01159",), "xa"), db)
    assert other["petitions_resolved"].value == 242


# ------------------------------------------------------------------ 766 index


def test_index766_reads_scores_per_unit_and_month(tmp_path, wh):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chỉ số 766"
    ws.append(["BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP - THÁNG 6 NĂM 2024"])
    ws.merge_cells("A1:J1")
    ws.append(
        ["STT", "Đơn vị", "Điểm các chỉ số thành phần", None, None, None, None, None, "Tổng điểm"]
    )
    ws.merge_cells("C2:H2")
    ws.append(
        [
            None,
            None,
            "Công khai, minh bạch",
            "Tiến độ giải quyết",
            "Chất lượng giải quyết",
            "Số hóa hồ sơ",
            "Dịch vụ trực tuyến",
            "Mức độ hài lòng",
            None,
        ]
    )
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("I2:I3")
    ws.append([1, "Xã Tân Quang", 17.5, "18", None, "15,25", 9, 16, "75,75"])
    ws.append([2, "Thị trấn Việt Quang", 18, 19.456, None, 20, 11, 17.5, 86.96])
    ws.append([3, "Xã Hùng An", 12, "mười", None, 10, 8, 12, 60])
    ws.append([None, "Bình quân", 15.8, 18.7, None, 15.1, 9.3, 15.2, 74.1])  # not a unit
    path = tmp_path / "766.xlsx"
    wb.save(path)
    assert detect_profile(path) == "index766"
    res = read("index766", path, wh)
    assert [(f.row, f.column, f.value) for f in res.faults] == [
        (6, "D (Tiến độ giải quyết)", "mười")
    ]
    rows = {r["unit_code"]: r for r in res.tables["service_index"]}
    assert rows["01156"]["total"] == "75,75" and rows["01156"]["month"] == "6"
    assert rows["01153"]["progress"] == "19,46"
    db = _rebuild(tmp_path, [res])
    got = service_index(Filters(date(2024, 1, 1), date(2024, 12, 31)), db)
    assert [(r["unit_code"], r["total"]) for r in got] == [("01153", 86.96), ("01156", 75.75)]


def test_profiles_list_and_unknown_profile(tmp_path):
    assert set(PROFILES) == {"onestop", "register", "forms", "index766"}
    assert all(p.label("vi") and p.label("en") for p in PROFILES.values())
    res = read("nope", tmp_path / "x.xlsx")
    assert not res.ok
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    res = read("onestop", broken)
    assert not res.ok and res.faults[0].file == "broken.xlsx"


def test_import_with_the_onestop_profile_refuses_unknown_names_then_imports(tmp_path, wh):
    """`python -m data import --profile onestop` on the export: first refused (the names to
    map, warehouse unchanged), then, once procedure_aliases are imported, loaded through the
    ordinary validation; the on-time rate is the hand count 6/8 and the import log names the
    profile."""
    import hashlib
    import json

    import duckdb

    from data.__main__ import main as data_main
    from data.importer import import_with_profile

    path = _onestop(tmp_path / "Xuat_ho_so_Q1_2024.xlsx", UNKNOWN_ROWS)
    before = hashlib.sha256(wh.read_bytes()).hexdigest()
    refused = import_with_profile([path], "onestop", wh)
    assert not refused.ok
    assert any("procedure_aliases" in f.reason_vi for f in refused.faults)
    assert hashlib.sha256(wh.read_bytes()).hexdigest() == before

    aliases = tmp_path / "procedure_aliases.csv"
    aliases.write_text(
        "alias,procedure_code\n"
        '"Chứng thực chữ ký trong các giấy tờ, văn bản",TP-01\n'
        "Cấp bản sao trích lục hộ tịch,HT-01\n",
        encoding="utf-8",
    )
    assert data_main(["import", str(aliases), "--db", str(wh), "--operator", "VP"]) == 0
    assert data_main(["import", str(path), "--db", str(wh), "--profile", "auto"]) == 0
    got = compute(Filters(date(2024, 1, 1), date(2024, 3, 31)), ["dossiers_on_time_rate"], wh)
    r = got["dossiers_on_time_rate"]
    assert (r.numerator, r.denominator) == (6, 8)
    conn = duckdb.connect(str(wh), read_only=True)
    try:
        (files,) = conn.execute(
            "SELECT files FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    assert [f["name"] for f in json.loads(files)] == [
        "dossiers [onestop] Xuat_ho_so_Q1_2024.xlsx.csv"
    ]


def test_data_page_shows_the_forms_figures_with_their_source_and_the_difference(
    tmp_path, wh, monkeypatch
):
    """The Dữ liệu page, for Việt Quang in Q1/2024, lists the figures the forms determine
    with where each comes from, and warns that the form's 35 resolved dossiers differ
    from the registers' 1."""
    from streamlit.testing.v1 import AppTest

    db = _registers_and_form(tmp_path, wh)
    monkeypatch.setenv("DANVAN_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).parents[1] / "dashboard.py"), default_timeout=60)
    at.query_params["from"] = "2024-01-01"
    at.query_params["to"] = "2024-03-31"
    at.query_params["commune"] = "01153"
    at.query_params["level"] = "xa"
    at.query_params["tab"] = "coverage"
    at.run()
    at.switch_page("views/data_page.py")
    at.run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]  # shown escaped (Markdown)
    assert any(
        "số liệu báo cáo lệch sổ sách: Thị trấn Việt Quang" in w and "báo cáo 35, sổ sách 1" in w
        for w in warnings
    ), warnings
    sources = [
        set(d.value["Nguồn (tệp đã nhập)"])
        for d in at.dataframe
        if "Nguồn (tệp đã nhập)" in d.value
    ]
    assert sources and "sổ sách" in sources[0]


# ------------------------------------------------------------------ contract faults, located
# A row the profile reads without fault can still break the contract (a date order, a
# level or a commune that did not exist on the record's day, a count out of bounds). The
# importer validates the converted rows; each fault must then name the office's file,
# sheet, Excel row and column, not the CSV the importer wrote.

# Xã Quang Minh ended on 30/06/2025 (merged in the reform); district level ends the same day
# (data/reference/levels.csv).
REFORM_BASE = {
    **BASE,
    "communes.csv": BASE["communes.csv"]
    + "01165,Xã Quang Minh,xa,false,,2018-01-01,034,,2025-06-30\n",
}


@pytest.fixture
def wh_reform(tmp_path: Path) -> Path:
    db = tmp_path / "wh_reform.duckdb"
    build_warehouse(_base(tmp_path / "base_reform", REFORM_BASE), db)
    return db


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(db: Path, table: str) -> int:
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _located(faults) -> list[tuple]:
    return [(f.file, f.row, f.column, f.value, f.reason_vi) for f in faults]


def _onestop_two_quarters(path: Path) -> Path:
    """Sheet "Quý I": two title rows, a two-row header (Thời gian giải quyết merged over
    the three dates, the other headers merged down), the column numbers on row 6, dossiers
    on rows 7, 8, 10, 11 (row 9 blank), a totals row. Sheet "Quý III năm 2025": a one-row
    header in another column order, dossiers on rows 2, 4, 5.

    Each reads cleanly; the contract refuses four:
    Quý I row 8: finished 04/03/2024 before received 05/03/2024 (column I);
    Quý I row 11: re-dated -1 times (column K);
    Quý III row 2: a district procedure (XD-01) received 15/07/2025, after district level
    ended on 30/06/2025 (column D, the procedure's name);
    Quý III row 5: the dossier code of Quý I row 7 again (column B).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Quý I"
    ws.append(["UBND HUYỆN BẮC QUANG"])
    ws.merge_cells("A1:K1")
    ws.append(["DANH SÁCH HỒ SƠ TIẾP NHẬN QUÝ I NĂM 2024"])
    ws.merge_cells("A2:K2")
    ws.append([])
    ws.append(
        [
            "STT",
            "Mã hồ sơ",
            "Tên thủ tục hành chính",
            "Đơn vị tiếp nhận",
            "Chủ hồ sơ",
            "Trạng thái",
            "Thời gian giải quyết",
            None,
            None,
            "Kênh",
            "Số lần hẹn lại",
        ]
    )
    ws.append([None] * 6 + ["Ngày nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", None, None])
    for col in "ABCDEFJK":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("G4:I4")
    ws.append([f"({n})" for n in range(1, 12)])
    quarter_one = [
        [1, "000.00.25.H23-240304-0101", "Chứng thực bản sao từ bản chính", "UBND xã Tân Quang",
         "Trần Văn An", "Đã trả kết quả", "04/03/2024", "06/03/2024", "05/03/2024", 1, 0],
        [2, "000.00.25.H23-240305-0102", "Đăng ký khai sinh", "UBND xã Tân Quang",
         "Lê Thị Bình", "Đã trả kết quả", "05/03/2024", "08/03/2024", "04/03/2024", 2, 0],
        [],
        [3, "000.00.25.H23-240311-0103", "Đăng ký khai sinh", "UBND thị trấn Việt Quang",
         "Phạm Văn Dũng", "Đang xử lý", "11/03/2024", "14/03/2024", None, 1, None],
        [4, "000.00.25.H23-240312-0104", "Chứng thực bản sao từ bản chính", "UBND xã Hùng An",
         "Ngô Văn Phúc", "Đã trả kết quả", datetime(2024, 3, 12), datetime(2024, 3, 13),
         datetime(2024, 3, 13), 1, -1],
    ]  # fmt: skip
    for r in quarter_one:
        ws.append(r)
    ws.append(["Tổng cộng", None, "4 hồ sơ"])
    ws2 = wb.create_sheet("Quý III năm 2025")
    ws2.append(
        [
            "STT",
            "Mã hồ sơ",
            "Trạng thái",
            "Tên thủ tục hành chính",
            "Đơn vị tiếp nhận",
            "Ngày nhận",
            "Ngày hẹn trả",
            "Ngày kết thúc xử lý",
            "Kênh",
        ]
    )
    quarter_three = [
        [1, "000.00.25.H23-250715-0201", "Đang xử lý", "Cấp giấy phép xây dựng nhà ở riêng lẻ",
         "UBND huyện Bắc Quang", "15/07/2025", "30/07/2025", None, 2],
        [],
        [2, "000.00.25.H23-250716-0202", "Đã trả kết quả", "Đăng ký khai sinh",
         "UBND xã Tân Quang", "16/07/2025", "21/07/2025", "18/07/2025", 1],
        [3, "000.00.25.H23-240304-0101", "Đã trả kết quả", "Chứng thực bản sao từ bản chính",
         "UBND xã Tân Quang", "04/03/2024", "06/03/2024", "05/03/2024", 1],
    ]  # fmt: skip
    for r in quarter_three:
        ws2.append(r)
    ws2.append(["Cộng", None, None, "3 hồ sơ"])
    wb.save(path)
    return path


ONESTOP_LOCATED = [
    (
        "Ho_so_mot_cua_2024.xlsx/Quý I",
        8,
        "I (Ngày kết thúc xử lý) → dossiers.finished_date",
        "2024-03-04",
        "ngày trả kết quả trước ngày tiếp nhận",
    ),
    (
        "Ho_so_mot_cua_2024.xlsx/Quý I",
        11,
        "K (Số lần hẹn lại) → dossiers.redated_count",
        "-1",
        "phải ≥ 0",
    ),
    (
        "Ho_so_mot_cua_2024.xlsx/Quý III năm 2025",
        2,
        "D (Tên thủ tục hành chính) → dossiers.procedure_code",
        "XD-01",
        "cấp huyen chỉ tồn tại từ … đến 30/06/2025, bản ghi ngày 15/07/2025",
    ),
    (
        "Ho_so_mot_cua_2024.xlsx/Quý III năm 2025",
        5,
        "B (Mã hồ sơ) → dossiers.dossier_id",
        "000.00.25.H23-240304-0101",
        "trùng mã với Ho_so_mot_cua_2024.xlsx/Quý I, dòng 7",
    ),
]


def test_onestop_contract_faults_name_the_office_sheet_row_and_column(tmp_path, wh):
    from data.importer import import_with_profile

    path = _onestop_two_quarters(tmp_path / "Ho_so_mot_cua_2024.xlsx")
    read_only = read("onestop", path, wh)
    assert read_only.faults == []  # the profile itself finds nothing wrong
    assert len(read_only.tables["dossiers"]) == 7
    before = _sha(wh)
    for dry_run in (True, False):
        result = import_with_profile([path], "onestop", wh, dry_run=dry_run)
        assert _located(result.faults) == ONESTOP_LOCATED
        assert result.import_id is None
    assert _sha(wh) == before
    assert _count(wh, "dossiers") == 0
    english = [(f.row, f.reason_en) for f in result.faults]
    assert english[0] == (8, "finished before received")
    assert english[3] == (5, "duplicate key, same as Ho_so_mot_cua_2024.xlsx/Quý I, row 7")


def test_onestop_contract_faults_through_the_command_line(tmp_path, wh, capsys):
    from data.__main__ import main as data_main

    path = _onestop_two_quarters(tmp_path / "Ho_so_mot_cua_2024.xlsx")
    before = _sha(wh)
    assert data_main(["import", str(path), "--db", str(wh), "--profile", "onestop"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-5:] == [
        "Ho_so_mot_cua_2024.xlsx/Quý I, dòng 8, cột I (Ngày kết thúc xử lý) → "
        "dossiers.finished_date, giá trị '2024-03-04': ngày trả kết quả trước ngày tiếp nhận",
        "Ho_so_mot_cua_2024.xlsx/Quý I, dòng 11, cột K (Số lần hẹn lại) → "
        "dossiers.redated_count, giá trị '-1': phải ≥ 0",
        "Ho_so_mot_cua_2024.xlsx/Quý III năm 2025, dòng 2, cột D (Tên thủ tục hành chính) → "
        "dossiers.procedure_code, giá trị 'XD-01': cấp huyen chỉ tồn tại từ … đến 30/06/2025, "
        "bản ghi ngày 15/07/2025",
        "Ho_so_mot_cua_2024.xlsx/Quý III năm 2025, dòng 5, cột B (Mã hồ sơ) → "
        "dossiers.dossier_id, giá trị '000.00.25.H23-240304-0101': trùng mã với "
        "Ho_so_mot_cua_2024.xlsx/Quý I, dòng 7",
        f"4 lỗi; không nhập dòng nào, kho dữ liệu {wh} giữ nguyên",
    ]
    assert not any(".csv" in line for line in err)  # never the converted file
    args = ["import", str(path), "--db", str(wh), "--profile", "auto", "--lang", "en"]
    assert data_main(args) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-5] == (
        "Ho_so_mot_cua_2024.xlsx/Quý I, row 8, column I (Ngày kết thúc xử lý) → "
        "dossiers.finished_date, value '2024-03-04': finished before received"
    )
    assert err[-1] == f"4 faults; nothing imported, warehouse {wh} unchanged"
    assert _sha(wh) == before


def test_the_same_dossier_in_two_exports_names_the_other_file(tmp_path, wh):
    """Two exports of overlapping periods: the second one's copy of a dossier points at the
    first file's sheet and row."""
    from data.importer import import_with_profile

    first = _onestop(tmp_path / "Xuat_T1_T3.xlsx")
    second = _onestop(tmp_path / "Xuat_T3.xlsx")
    result = import_with_profile([first, second], "onestop", wh, dry_run=True)
    got = _located(result.faults)
    # The seven dossiers of the second file repeat the first's, row for row (HS7 withdrawn).
    assert len(got) == 7
    assert got[0] == (
        "Xuat_T3.xlsx/Danh sách hồ sơ",
        5,
        "E (Mã hồ sơ) → dossiers.dossier_id",
        "000.00.25.H23-240301-0001",
        "trùng mã với Xuat_T1_T3.xlsx/Danh sách hồ sơ, dòng 5",
    )
    # HS8 sits on row 13 (the blank row after HS4 shifts the last four by one).
    assert got[-1][1] == 13 and got[-1][4].endswith("Xuat_T1_T3.xlsx/Danh sách hồ sơ, dòng 13")


def _register_reform(path: Path) -> Path:
    """Sheet "Tháng 7-2025": a title, a two-row header (Công dân merged over Họ và tên and
    Số người, the rest merged down), column numbers on row 5, visits on rows 6, 7, 8, 10
    (row 9 blank), a Cộng row. Sheet "Tháng 8-2025": one header row, visits on rows 2, 3, 5.

    Reception days, by hand:
    03/07 Tân Quang, chairman, định kỳ: row 7 alone, 12000 persons (a typing slip for 12);
    03/07 Quang Minh, chairman, định kỳ: rows 6, 8, 10 of July and row 5 of August (entered
    late), 2 + 1 + 3 + 1 = 7 citizens; Quang Minh ended on 30/06/2025;
    05/08 district, chairman, định kỳ: rows 2 and 3 of August; district level ended 30/06/2025.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tháng 7-2025"
    ws.append(["SỔ TIẾP CÔNG DÂN THÁNG 7 NĂM 2025"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(
        ["STT", "Ngày tiếp", "Công dân", None, "Nội dung", "Người tiếp", "Hình thức", "Đơn vị"]
    )
    ws.append([None, None, "Họ và tên", "Số người", None, None, None, None])
    ws.merge_cells("C3:D3")
    for col in "ABEFGH":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([f"({n})" for n in range(1, 9)])
    july = [
        [1, "03/07/2025", "Nguyễn Văn Sơn", 2, "Đền bù giải phóng mặt bằng", "Chủ tịch UBND xã",
         "Định kỳ", "Xã Quang Minh"],
        [2, "03/07/2025", "Trần Thị Uyên", 12000, "Cấp giấy chứng nhận", "Chủ tịch UBND xã",
         "Định kỳ", "Xã Tân Quang"],
        [3, "03/07/2025", "Lê Văn Vinh", 1, "Đền bù giải phóng mặt bằng",
         "Ông Hà Văn Tú - Chủ tịch", "định kỳ", "UBND xã Quang Minh"],
        [],
        [4, datetime(2025, 7, 3), "Phạm Thị Xuân", 3, "Chế độ chính sách", "Chủ tịch",
         "Định kỳ", "Xã Quang Minh"],
    ]  # fmt: skip
    for r in july:
        ws.append(r)
    ws.append(["Cộng", None, None, 18])
    ws2 = wb.create_sheet("Tháng 8-2025")
    ws2.append(["STT", "Ngày tiếp", "Họ tên", "Nội dung", "Người chủ trì", "Hình thức", "Đơn vị"])
    august = [
        [1, "05/08/2025", "Đỗ Văn Yên", "Đường tránh", "Chủ tịch UBND huyện", "Định kỳ",
         "UBND huyện Bắc Quang"],
        [2, "05/08/2025", "Đỗ Thị Ánh", "Cấp giấy chứng nhận", "Chủ tịch UBND huyện",
         "Định kỳ", "UBND huyện Bắc Quang"],
        [],
        [3, "03/07/2025", "Hoàng Văn Khải", "Đền bù giải phóng mặt bằng", "Chủ tịch", "Định kỳ",
         "Xã Quang Minh"],
    ]  # fmt: skip
    for r in august:
        ws2.append(r)
    wb.save(path)
    return path


def test_register_contract_faults_name_the_rows_a_reception_day_was_made_from(
    tmp_path, wh_reform, capsys
):
    from data.__main__ import main as data_main
    from data.importer import import_with_profile

    path = _register_reform(tmp_path / "So_tiep_cong_dan_2025.xlsx")
    res = read("register", path, wh_reform)
    assert res.faults == []
    days = {r["reception_id"]: r["citizens"] for r in res.tables["receptions"]}
    assert days == {
        "STCD-20250703-01156-CT-DK": "12000",
        "STCD-20250703-01165-CT-DK": "7",
        "STCD-20250805-HUYEN-CT-DK": "2",
    }
    before = _sha(wh_reform)
    result = import_with_profile([path], "register", wh_reform)
    july, august = (
        "So_tiep_cong_dan_2025.xlsx/Tháng 7-2025",
        "So_tiep_cong_dan_2025.xlsx/Tháng 8-2025",
    )
    assert _located(result.faults) == [
        (
            july,
            7,
            "D (Số người) → (receptions.citizens)",  # summed over the day's rows
            "12000",
            "lớn hơn giới hạn hợp lý 10000 của cột này; hãy kiểm tra lại",
        ),
        (
            july,
            6,
            "H (Đơn vị) → receptions.commune_code",
            "01165",
            "đơn vị Xã Quang Minh chỉ tồn tại từ … đến 30/06/2025, bản ghi ngày 03/07/2025 "
            "(bản ghi gộp từ 4 dòng của tệp: trang Tháng 7-2025 dòng 6, 8, 10; trang Tháng "
            "8-2025 dòng 5; dòng nêu ở đây là dòng đầu tiên)",
        ),
        (
            august,
            2,
            "G (Đơn vị) → receptions.level",
            "huyen",
            "cấp huyen chỉ tồn tại từ … đến 30/06/2025, bản ghi ngày 05/08/2025 (bản ghi gộp "
            "từ 2 dòng của tệp: dòng 2–3; dòng nêu ở đây là dòng đầu tiên)",
        ),
    ]
    assert result.faults[2].reason_en == (
        "level huyen existed from … to 30/06/2025, record dated 05/08/2025 (a record grouped "
        "from 2 rows of the file: rows 2–3; the row given is the first)"
    )
    assert _sha(wh_reform) == before and _count(wh_reform, "receptions") == 0

    assert data_main(["import", str(path), "--db", str(wh_reform), "--profile", "register"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-2] == (
        f"{august}, dòng 2, cột G (Đơn vị) → receptions.level, giá trị 'huyen': cấp huyen chỉ "
        "tồn tại từ … đến 30/06/2025, bản ghi ngày 05/08/2025 (bản ghi gộp từ 2 dòng của tệp: "
        "dòng 2–3; dòng nêu ở đây là dòng đầu tiên)"
    )
    assert err[-1] == f"3 lỗi; không nhập dòng nào, kho dữ liệu {wh_reform} giữ nguyên"
    assert _sha(wh_reform) == before


def test_forms_contract_fault_names_the_form_cell(tmp_path, wh, capsys):
    """01/XLD, Hùng An's (13) typed 12.500.000 (and the totals row agrees): the form's own
    checks hold, the contract's sane bound of 10 000 000 does not. Rows: 1 code, 2 title,
    3 period, 4 blank, 5-6 merged header, 7 column numbers, 8 section heading, 9 Hùng An;
    (13) is column M."""
    from data.__main__ import main as data_main
    from data.importer import import_with_profile

    xld = [
        ["I", "Cấp xã"] + [None] * 15,
        [1, "Xã Hùng An", 258, 34, 224, 250, 100, 20, 130, 90, 15, 120, "12.500.000", None,
         230, 12, 16],
        [2, "Xã Tân Quang", 10, 2, 8, 10, 5, 0, 5, 5, 0, 5, 0, 0, 8, 0, 2],
        [],
        ["", "Tổng cộng", 268, 36, 232, 260, 105, 20, 135, 95, 15, 125, "12.500.000", 0, 238,
         12, 18],
    ]  # fmt: skip
    path = _forms_book(tmp_path / "Bao_cao_6_thang_2024.xlsx", xld_rows=xld)
    assert read("forms", path, wh).faults == []
    before = _sha(wh)
    result = import_with_profile([path], "forms", wh)
    assert _located(result.faults) == [
        (
            "Bao_cao_6_thang_2024.xlsx/01-XLD",
            9,
            "M ((13) Số đơn) → reported_figures.value",
            "12500000",
            "lớn hơn giới hạn hợp lý 10000000 của cột này; hãy kiểm tra lại",
        )
    ]
    assert data_main(["import", str(path), "--db", str(wh), "--profile", "auto"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == [
        "Bao_cao_6_thang_2024.xlsx/01-XLD, dòng 9, cột M ((13) Số đơn) → "
        "reported_figures.value, giá trị '12500000': lớn hơn giới hạn hợp lý 10000000 của cột "
        "này; hãy kiểm tra lại",
        f"1 lỗi; không nhập dòng nào, kho dữ liệu {wh} giữ nguyên",
    ]
    assert _sha(wh) == before and _count(wh, "reported_figures") == 0


def test_forms_period_read_from_the_title_points_at_its_cell(tmp_path, wh):
    """A period typed the wrong way round ("từ 01/04/2024 đến 31/03/2024") is read, and
    every figure then breaks the contract's period rule: each fault names the figure's row
    and the title cell (A3) the period came from, the contract column in parentheses."""
    from data.importer import import_with_profile

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "II.06a"
    _form_sheet(
        ws,
        "Biểu II.06a/VPCP/KSTT",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Kỳ báo cáo: từ ngày 01/04/2024 đến ngày 31/03/2024",
        II06_GROUPS,
        range(1, 14),
        [[1, "Thị trấn Việt Quang", 40, 10, 25, 5, 35, 20, 12, 3, 5, 4, 1]],
    )
    path = tmp_path / "bieu.xlsx"
    wb.save(path)
    assert read("forms", path, wh).faults == []
    result = import_with_profile([path], "forms", wh, dry_run=True)
    # One fault per figure of the unit row (8): columns (3) to (13), eleven figures.
    assert len(result.faults) == 11
    assert {(f.file, f.row, f.column, f.value) for f in result.faults} == {
        ("bieu.xlsx/II.06a", 8, "A3 → (reported_figures.period_to)", "2024-03-31")
    }
    assert result.faults[0].reason_vi == "kỳ báo cáo kết thúc trước khi bắt đầu"


def _index766_book(path: Path) -> Path:
    """Sheet "Tháng 6-2024": a title, a two-row header (the component scores merged under
    one heading, the rest merged down), units on rows 4, 6, 7 (row 5 blank), a totals row.
    Sheet "Tháng 7": the month only in its title, which says 2019 (for 2024); one unit on
    row 3.

    The profile reads every score; the contract refuses: row 6, Tiến độ giải quyết 150
    (column E, a score is 0 to 100); row 7, month 06/2019 (column C, the index starts in
    2020); sheet "Tháng 7" row 3, the year 2019 from the title cell A1.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tháng 6-2024"
    ws.append(["BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"])
    ws.merge_cells("A1:J1")
    ws.append(["STT", "Đơn vị", "Tháng", "Điểm các chỉ số thành phần"] + [None] * 5 + ["Tổng điểm"])
    ws.append(
        [None, None, None, "Công khai, minh bạch", "Tiến độ giải quyết", "Chất lượng giải quyết",
         "Số hóa hồ sơ", "Dịch vụ trực tuyến", "Mức độ hài lòng", None]
    )  # fmt: skip
    ws.merge_cells("D2:I2")
    for col in "ABCJ":
        ws.merge_cells(f"{col}2:{col}3")
    ws.append([1, "Xã Tân Quang", "06/2024", 17.5, "18", 15, "15,25", 9, 16, "90,75"])
    ws.append([])
    ws.append([2, "Thị trấn Việt Quang", "06/2024", 18, 150, 16, 20, 11, 17.5, "82,5"])
    ws.append([3, "Xã Hùng An", "06/2019", 12, 14, 13, 10, 8, 12, 69])
    ws.append(["", "Tổng cộng", "3 đơn vị"])
    ws2 = wb.create_sheet("Tháng 7")
    ws2.append(["BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP THÁNG 7 NĂM 2019"])
    ws2.merge_cells("A1:I1")
    ws2.append(
        ["STT", "Đơn vị", "Công khai minh bạch", "Tiến độ giải quyết", "Chất lượng giải quyết",
         "Số hóa hồ sơ", "Dịch vụ trực tuyến", "Mức độ hài lòng", "Tổng điểm"]
    )  # fmt: skip
    ws2.append([1, "Xã Tân Quang", 17, 18, 15, 15, 9, 16, 90])
    wb.save(path)
    return path


def test_index766_contract_faults_name_the_score_column_or_the_title(tmp_path, wh, capsys):
    from data.__main__ import main as data_main
    from data.importer import import_with_profile

    path = _index766_book(tmp_path / "Chi_so_766.xlsx")
    assert read("index766", path, wh).faults == []
    before = _sha(wh)
    result = import_with_profile([path], "index766", wh)
    june, july = "Chi_so_766.xlsx/Tháng 6-2024", "Chi_so_766.xlsx/Tháng 7"
    assert _located(result.faults) == [
        (
            june,
            6,
            "E (Tiến độ giải quyết) → service_index.progress",
            "150",
            "điểm không hợp lệ (số từ 0 đến 100, tối đa hai chữ số thập phân)",
        ),
        (june, 7, "C (Tháng) → service_index.year", "2019", "phải ≥ 2020"),
        (july, 3, "A1 → (service_index.year)", "2019", "phải ≥ 2020"),
    ]
    args = ["import", str(path), "--db", str(wh), "--profile", "index766", "--lang", "en"]
    assert data_main(args) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-4:] == [
        f"{june}, row 6, column E (Tiến độ giải quyết) → service_index.progress, value '150': "
        "not a valid score (0 to 100, up to two decimals)",
        f"{june}, row 7, column C (Tháng) → service_index.year, value '2019': must be ≥ 2020",
        f"{july}, row 3, column A1 → (service_index.year), value '2019': must be ≥ 2020",
        f"3 faults; nothing imported, warehouse {wh} unchanged",
    ]
    assert _sha(wh) == before and _count(wh, "service_index") == 0


def test_data_page_shows_contract_faults_where_the_officer_finds_them(tmp_path, wh, monkeypatch):
    """The Dữ liệu page, the export uploaded as a one-stop export: the check finds the four
    contract faults; the table and both downloads give the office file, the sheet, the Excel
    row and the office column; no import is offered and the warehouse is unchanged."""
    import csv
    import io

    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: dict[str, bytes] = {}  # what each download button hands out, by media id
    load = MemoryMediaFileStorage.load_and_get_id

    def keep(self, data, mimetype, kind, filename=None):
        file_id = load(self, data, mimetype, kind, filename)
        served[file_id] = data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    path = _onestop_two_quarters(tmp_path / "Ho_so_mot_cua_2024.xlsx")
    before = _sha(wh)
    at = _upload_on_data_page(wh, path, "onestop", monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert any("4 lỗi: chưa nhập dòng nào" in e.value for e in at.error)
    expected = [
        (*file.split("/"), row, column, value, reason)
        for file, row, column, value, reason in ONESTOP_LOCATED
    ]
    (table,) = [d.value for d in at.dataframe if "Lý do" in d.value.columns]
    assert list(table.columns) == ["Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Lý do"]
    assert [tuple(r) for r in table.itertuples(index=False)] == expected

    def download(key: str) -> bytes:
        return served[at.download_button(key=key).proto.url.rsplit("/", 1)[1].split(".")[0]]

    rows = list(csv.reader(io.StringIO(download("data_profile_check_csv").decode("utf-8-sig"))))
    assert rows[0] == ["Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Lý do"]
    # -1 starts like a formula: the CSV keeps it as text ('-1); the workbook holds text cells.
    as_text = [[str(v) for v in e] for e in expected]
    as_text[1][4] = "'-1"
    assert rows[1:] == as_text
    assert rows[2][:4] == [
        "Ho_so_mot_cua_2024.xlsx",
        "Quý I",
        "11",
        "K (Số lần hẹn lại) → dossiers.redated_count",
    ]
    book = tmp_path / "loi.xlsx"
    book.write_bytes(download("data_profile_check_xlsx"))
    sheet = openpyxl.load_workbook(book).active
    assert [tuple(c.value for c in r) for r in sheet.iter_rows(min_row=2)] == expected
    assert not [b for b in at.button if b.key == "data_profile_import"]
    assert _sha(wh) == before


def _upload_on_data_page(wh: Path, path: Path, profile: str, monkeypatch):
    """The Dữ liệu page with `path` uploaded as the office file kind `profile`."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DANVAN_DB", str(wh))
    at = AppTest.from_file(str(Path(__file__).parents[1] / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data_page.py")
    at.run()
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), xlsx_type)])
    at.selectbox(key="data_profile").set_value(profile)
    return at.run()


def test_data_page_imports_a_clean_office_file_after_its_check(tmp_path, wh, monkeypatch):
    """A one-stop export that passes the profile and the contract: the check shows no
    fault, the import button loads its seven dossiers (HS7 withdrawn is left out)."""

    path = _onestop(tmp_path / "Xuat_ho_so_Q1_2024.xlsx")
    at = _upload_on_data_page(wh, path, "auto", monkeypatch)
    assert not at.exception and not at.error
    assert _count(wh, "dossiers") == 0  # checked on a copy only
    at.button(key="data_profile_import").click().run()
    assert not at.exception
    assert any("Đã nhập (lần nhập số 1)" in s.value for s in at.success)
    assert _count(wh, "dossiers") == 7


def test_to_office_rewrites_only_what_concerns_a_converted_file():
    """`to_office` by hand: the same sheet's duplicate names no sheet, a key of several
    columns names each office column once, a computed column with no office column keeps
    only the contract name, a whole-table fault names the office file, and a fault of
    another file or of a row the profile never wrote is left as it was."""
    from data.profiles import Converted, Origin, to_office
    from data.profiles.locate import row_ranges
    from data.staging import Fault

    sheet = "bieu.xlsx/01-XLD"
    cells = {"unit_code": "B ((2) Đơn vị)", "level": "B ((2) Đơn vị)", "value": "E ((5) X)"}
    origins = [
        Origin(sheet, 9, cells, frozenset({"period_to"}), ((sheet, 9),)),
        Origin(sheet, 12, cells, frozenset({"period_to"}), ((sheet, 12),)),
    ]
    conv = Converted("reported_figures [forms] bieu.xlsx.csv", "reported_figures", "bieu.xlsx",
                     "forms", origins)  # fmt: skip
    csv_name = conv.name
    faults = [
        Fault(csv_name, 3, "A (unit_code), C (period_from)", "01159/2024-01-01",
              "trùng mã với dòng 2", "duplicate key, same as row 2"),
        Fault(csv_name, 2, "D (period_to)", "2024-03-31", "kỳ", "period"),
        Fault(csv_name, None, None, None, "tệp", "file"),
        Fault(csv_name, 4, "G (value)", "1", "x", "x"),  # no fourth row was written
        Fault("communes.csv", 2, "A (commune_code)", "1", "y", "y"),
    ]  # fmt: skip
    got = to_office(faults, [conv])
    assert [(f.file, f.row, f.column, f.value, f.reason_vi, f.reason_en) for f in got[:3]] == [
        (sheet, 12, "B ((2) Đơn vị) → (reported_figures.unit_code/period_from)",
         "01159/2024-01-01", "trùng mã với dòng 9", "duplicate key, same as row 9"),
        (sheet, 9, "(reported_figures.period_to)", "2024-03-31", "kỳ", "period"),
        ("bieu.xlsx", None, "(reported_figures)", None, "tệp", "file"),
    ]  # fmt: skip
    assert got[3:] == faults[3:]
    assert row_ranges([9, 5, 6, 7, 12, 13]) == "5–7, 9, 12–13"


# Office texts a spreadsheet would run as formulas, and one that only starts with an apostrophe.
RISKY_ALIASES = ['=HYPERLINK("http://x","y")', "-Cấp lại", "+84 Đăng ký", "@SUM(A1)", "'Đổi"]


def test_contract_csvs_guard_formulas_and_import_the_texts_back(tmp_path, wh) -> None:
    """`write_csvs` (and the Dữ liệu page's downloads) write a text that starts like a
    formula with a leading apostrophe; building from the files and importing them both
    read the office's own text back, unchanged."""
    rows = [{"alias": a, "procedure_code": "TP-01"} for a in RISKY_ALIASES]
    result = ProfileResult("onestop", tables={"procedure_aliases": rows})
    folder = _base(tmp_path / "risky_csv")
    (path,) = write_csvs(result, folder)
    with path.open(encoding="utf-8", newline="") as fh:
        written = [r[0] for r in csv.reader(fh)][1:]
    assert written == [
        '\'=HYPERLINK("http://x","y")',
        "'-Cấp lại",
        "'+84 Đăng ký",
        "'@SUM(A1)",
        "'Đổi",
    ]
    built = tmp_path / "risky.duckdb"
    build_warehouse(folder, built)
    imported = import_files([path], wh)
    assert imported.ok, imported.faults
    for db in (built, wh):
        conn = duckdb.connect(str(db), read_only=True)
        try:
            got = sorted(
                a for (a,) in conn.execute("SELECT alias FROM procedure_aliases").fetchall()
            )
        finally:
            conn.close()
        assert got == sorted(RISKY_ALIASES), db.name

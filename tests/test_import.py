"""Importing records: every validation rule names its row, column and reason; all or nothing.

Each case imports a tiny file into a copy of the fixture warehouse (tests/fixture: communes
00001..00004, agencies CM01.., procedures TT01..). Row numbers are those a spreadsheet
shows: the header is row 1, so the first data row is row 2.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data.__main__ import main
from data.contract import TABLES, table
from data.importer import (
    faults_csv,
    faults_xlsx,
    header_keys,
    import_files,
    is_personal,
    normalise,
)
from data.staging import Fault
from metrics import Filters, compute

# One valid row per table, against the fixture's communes, agencies and procedures.
GOOD: dict[str, dict[str, str]] = {
    "communes": {
        "commune_code": "00009",
        "name": "Xã Chín",
        "kind": "xa",
        "remote": "false",
        "population": "900",
        "one_stop_since": "2019-01-01",
    },
    "agencies": {"agency_code": "CM09", "name": "Phòng Nội vụ", "kind": "chuyen_mon"},
    "receptions": {
        "reception_id": "RX1",
        "reception_date": "2019-03-05",
        "level": "xa",
        "commune_code": "00001",
        "host": "chu_tich",
        "kind": "dinh_ky",
        "citizens": "4",
        "cases": "1",
        "large_groups": "0",
    },
    "dialogues": {
        "dialogue_id": "DX1",
        "dialogue_date": "2019-04-10",
        "level": "xa",
        "commune_code": "00002",
        "attendees": "60",
        "opinions": "9",
        "opinions_answered": "7",
        "topic": "Đường giao thông nông thôn",
    },
    "petitions": {
        "petition_id": "PX1",
        "received_date": "2019-05-02",
        "level": "huyen",
        "commune_code": "00001",
        "kind": "khieu_nai",
        "accepted_date": "2019-05-06",
        "resolved_date": "2019-05-30",
        "outcome": "sai",
    },
    "procedures": {
        "procedure_code": "TX1",
        "name": "Cấp bản sao trích lục hộ tịch",
        "level": "xa",
        "statutory_days": "3",
        "committed_days": "2",
    },
    "dossiers": {
        "dossier_id": "HX1",
        "procedure_code": "TT01",
        "commune_code": "00001",
        "channel": "truc_tuyen",
        "received_date": "2019-06-03",
        "due_date": "2019-06-10",
        "finished_date": "2019-06-07",
    },
    "inspections": {
        "inspection_id": "KX1",
        "inspection_date": "2019-07-01",
        "target_kind": "co_quan",
        "agency_code": "CM01",
        "surprise": "true",
        "violations": "2",
        "violations_fixed": "1",
    },
    "staff_ratings": {
        "year": "2019",
        "agency_code": "CM02",
        "sector": "hanh_chinh",
        "rated": "10",
        "excellent": "2",
        "good": "5",
        "completed": "3",
        "not_completed": "0",
    },
    # Contract v2 tables (the fixture ships holidays only up to 2026).
    "holidays": {
        "holiday_date": "2027-01-01",
        "name": "Tết Dương lịch",
        "source": "Bộ luật Lao động 2019, Điều 112",
    },
    "units_upper": {"unit_code": "T99", "name": "Tỉnh Chín", "level": "tinh"},
    "unit_successions": {"old_code": "00001", "new_code": "00002", "effective_date": "2025-07-01"},
}


def csv_text(table_name: str, *rows: dict[str, str], header: list[str] | None = None) -> str:
    """A contract CSV of GOOD rows with the given changes; header = every contract column."""
    cols = header or table(table_name).column_names
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for changes in rows:
        row = {**GOOD[table_name], **changes}
        w.writerow([row.get(c, "") for c in cols])
    return buf.getvalue()


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding, newline="")
    return path


@pytest.fixture
def db(fixture_db: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture warehouse."""
    path = tmp_path / "wh" / "warehouse.duckdb"
    path.parent.mkdir()
    shutil.copyfile(fixture_db, path)
    return path


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t.name: conn.execute(f"SELECT * FROM {t.name} ORDER BY ALL").fetchall() for t in TABLES
        }
    finally:
        conn.close()


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def only_fault(faults: list[Fault]) -> Fault:
    assert len(faults) == 1, "\n".join(f.message("en") for f in faults)
    return faults[0]


# --------------------------------------------------------------------------- every rule

RULES = [
    # (case id, table, row changes, expected column, expected reason (English))
    ("required", "receptions", {"reception_date": ""}, "reception_date", "required value"),
    ("required_text", "communes", {"name": "  "}, "name", "required value"),
    ("int_type", "receptions", {"citizens": "abc"}, "citizens", "not a whole number"),
    ("int_fraction", "receptions", {"cases": "2.5"}, "cases", "not a whole number"),
    ("int_too_big", "dialogues", {"attendees": "99999999999"}, "attendees", "not a whole number"),
    ("date_type", "receptions", {"reception_date": "31/02/2019"}, "reception_date", "valid date"),
    ("date_words", "dossiers", {"due_date": "next week"}, "due_date", "valid date"),
    ("date_year", "inspections", {"inspection_date": "1890-01-01"}, "inspection_date", "year"),
    ("bool_type", "communes", {"remote": "maybe"}, "remote", "yes/no"),
    ("enum", "receptions", {"level": "quan"}, "level", "not one of: tinh, huyen, xa"),
    ("enum_upper_level", "units_upper", {"level": "xa"}, "level", "not one of: tinh, huyen"),
    ("enum_commune_kind", "communes", {"kind": "tinh"}, "kind", "xa, thi_tran, phuong, dac_khu"),
    ("round_max", "petitions", {"round": "3"}, "round", "must be ≤ 2"),
    ("round_min", "petitions", {"round": "0"}, "round", "must be ≥ 1"),
    ("holiday_date", "holidays", {"holiday_date": "30/02/2027"}, "holiday_date", "valid date"),
    (
        "validity_order",
        "communes",
        {"valid_from": "2025-07-01", "valid_to": "2025-06-30"},
        "valid_to",
        "valid_to before valid_from",
    ),
    (
        "validity_order_upper",
        "units_upper",
        {"valid_from": "2020-01-01", "valid_to": "2019-12-31"},
        "valid_to",
        "valid_to before valid_from",
    ),
    (
        "succession_to_itself",
        "unit_successions",
        {"new_code": "00003"},
        "new_code",
        "new unit is the old unit",
    ),
    (
        "succession_unknown_unit",
        "unit_successions",
        {"new_code": "99999"},
        "new_code",
        "neither in communes nor in units_upper",
    ),
    (
        "huyen_after_reform",
        "receptions",
        {"level": "huyen", "commune_code": "", "reception_date": "2025-07-01"},
        "level",
        "level huyen existed from … to 30/06/2025, record dated 01/07/2025",
    ),
    ("enum_host", "receptions", {"host": "boss"}, "host", "not one of"),
    ("enum_channel", "dossiers", {"channel": "fax"}, "channel", "not one of"),
    ("min_zero", "receptions", {"citizens": "-1"}, "citizens", "must be ≥ 0"),
    (
        "min_one",
        "procedures",
        {"statutory_days": "0", "committed_days": ""},
        "statutory_days",
        "must be ≥ 1",
    ),
    ("min_year", "staff_ratings", {"year": "1980"}, "year", "must be ≥ 1990"),
    ("length", "communes", {"name": "x" * 501}, "name", "longer than 500"),
    ("length_code", "receptions", {"reception_id": "R" * 41}, "reception_id", "longer than 40"),
    (
        "accepted_before_received",
        "petitions",
        {"accepted_date": "2019-05-01"},
        "accepted_date",
        "accepted before received",
    ),
    (
        "resolved_before_accepted",
        "petitions",
        {"resolved_date": "2019-05-05"},
        "resolved_date",
        "resolved before received or accepted",
    ),
    ("due_before_received", "dossiers", {"due_date": "2019-06-01"}, "due_date", "due before"),
    (
        "finished_before_received",
        "dossiers",
        {"finished_date": "2019-06-01"},
        "finished_date",
        "finished before received",
    ),
    (
        "answered_over_opinions",
        "dialogues",
        {"opinions_answered": "10"},
        "opinions_answered",
        "opinions answered exceeds opinions",
    ),
    (
        "fixed_over_violations",
        "inspections",
        {"violations_fixed": "3"},
        "violations_fixed",
        "violations fixed exceeds violations",
    ),
    (
        "committed_over_statutory",
        "procedures",
        {"committed_days": "4"},
        "committed_days",
        "committed days exceed statutory days",
    ),
    ("ratings_sum", "staff_ratings", {"good": "6"}, "rated", "do not sum to rated"),
    (
        "commune_when_xa",
        "receptions",
        {"commune_code": ""},
        "commune_code",
        "required when level is xa",
    ),
    (
        "commune_when_ubnd_xa",
        "agencies",
        {"kind": "ubnd_xa"},
        "commune_code",
        "required when kind is ubnd_xa",
    ),
    (
        "agency_when_co_quan",
        "inspections",
        {"agency_code": ""},
        "agency_code",
        "required when target kind is co_quan",
    ),
    (
        "commune_when_target_xa",
        "inspections",
        {"target_kind": "xa", "agency_code": ""},
        "commune_code",
        "required when target kind is xa",
    ),
    ("ref_commune", "receptions", {"commune_code": "99999"}, "commune_code", "table communes"),
    ("ref_commune_dialogue", "dialogues", {"commune_code": "0001"}, "commune_code", "communes"),
    ("ref_agency", "procedures", {"agency_code": "XX99"}, "agency_code", "table agencies"),
    ("ref_procedure", "dossiers", {"procedure_code": "TT99"}, "procedure_code", "procedures"),
    ("ref_rating_agency", "staff_ratings", {"agency_code": "ZZ"}, "agency_code", "agencies"),
    ("ref_inspection_agency", "inspections", {"agency_code": "Q1"}, "agency_code", "agencies"),
    ("ref_parent", "communes", {"parent_code": "X1"}, "parent_code", "table units_upper"),
]


@pytest.mark.parametrize(
    ("table_name", "changes", "column", "reason"),
    [case[1:] for case in RULES],
    ids=[case[0] for case in RULES],
)
def test_each_rule_reports_row_column_value_and_reason(
    db: Path, tmp_path: Path, table_name: str, changes: dict, column: str, reason: str
) -> None:
    """A file breaking one rule on its second data row: one fault, at row 3, that column."""
    before = file_digest(db)
    text = csv_text(table_name, {}, {**_new_key(table_name), **changes})
    path = write(tmp_path, f"{table_name}.csv", text)
    result = import_files([path], db)
    fault = only_fault(result.faults)
    assert fault.file == f"{table_name}.csv"
    assert fault.row == 3
    assert column in (fault.column or "")
    assert reason in fault.reason_en
    assert fault.reason_vi and fault.reason_vi != fault.reason_en
    bad_value = {**GOOD[table_name], **changes}.get(column)
    if bad_value and bad_value.strip() and column != "rated":
        assert fault.value == bad_value.strip()
    assert file_digest(db) == before, "a file with a fault changed the warehouse"
    assert result.import_id is None


def _new_key(table_name: str) -> dict[str, str]:
    """Changes that give the second row its own primary key."""
    t = table(table_name)
    if t.name == "staff_ratings":
        return {"sector": "su_nghiep"}
    if t.name == "holidays":
        return {"holiday_date": "2027-04-30"}
    if t.name == "unit_successions":
        return {"old_code": "00003"}
    return {t.primary_key[0]: GOOD[table_name][t.primary_key[0]] + "B"}


def test_good_rows_of_every_table_load(db: Path, tmp_path: Path) -> None:
    """The GOOD rows pass every rule, so each case above fails for its one change only."""
    paths = [write(tmp_path, f"{name}.csv", csv_text(name, {})) for name in GOOD]
    result = import_files(paths, db)
    assert result.ok, [f.message("en") for f in result.faults]
    assert {name: c.added for name, c in result.counts.items()} == {name: 1 for name in GOOD}


def test_column_shows_letter_and_header_as_in_the_file(db: Path, tmp_path: Path) -> None:
    """The column is named as the user sees it: Excel letter and the header text."""
    text = "Mã buổi tiếp,Ngày tiếp,Cấp,Mã xã,Người chủ trì,Hình thức,Số lượt công dân,Số vụ việc\n"
    text += "R1,2019-03-05,xa,99999,chu_tich,dinh_ky,1,1\n"
    result = import_files([write(tmp_path, "receptions.csv", text)], db)
    fault = only_fault(result.faults)
    assert fault.column == "D (Mã xã)"
    assert fault.message() == (
        "receptions.csv, dòng 2, cột D (Mã xã), giá trị '99999': mã không có trong bảng communes"
    )
    assert fault.message("en").startswith("receptions.csv, row 2, column D (Mã xã), value")


def test_several_faults_are_all_reported(db: Path, tmp_path: Path) -> None:
    """Every fault of a file, in row order, not just the first."""
    text = csv_text(
        "receptions",
        {"reception_id": "R1", "citizens": "x", "level": "quan"},
        {"reception_id": "R2"},
        {"reception_id": "R3", "reception_date": "", "commune_code": "99999"},
        {"reception_id": "R1"},
        {"reception_id": "R5", "cases": "-2", "host": "boss"},
    )
    result = import_files([write(tmp_path, "receptions.csv", text)], db)
    got = {
        (f.row, f.column.split(" ")[1].strip("()"), f.reason_en.split(":")[0])
        for f in result.faults
    }
    assert got == {
        (2, "citizens", "not a whole number"),
        (2, "level", "not one of"),
        (4, "reception_date", "required value is missing"),
        (4, "commune_code", "code not found in table communes"),
        (5, "reception_id", "duplicate key, same as row 2"),
        (6, "cases", "must be ≥ 0"),
        (6, "host", "not one of"),
    }
    assert [f.row for f in result.faults] == sorted(f.row for f in result.faults)


def test_faults_across_files_and_tables_are_all_reported(db: Path, tmp_path: Path) -> None:
    a = write(tmp_path, "dialogues.csv", csv_text("dialogues", {"opinions": "-1"}))
    b = write(tmp_path, "dossiers.csv", csv_text("dossiers", {"channel": "fax"}))
    result = import_files([a, b], db)
    assert {(f.file, f.row) for f in result.faults} == {("dialogues.csv", 2), ("dossiers.csv", 2)}


def test_duplicate_composite_key_inside_a_file(db: Path, tmp_path: Path) -> None:
    text = csv_text("staff_ratings", {}, {})
    fault = only_fault(import_files([write(tmp_path, "staff_ratings.csv", text)], db).faults)
    assert (fault.row, fault.value) == (3, "2019/CM02/hanh_chinh")
    assert "duplicate key, same as row 2" in fault.reason_en
    assert "year" in fault.column and "sector" in fault.column


def test_duplicate_key_across_two_files_of_one_table(db: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write(tmp_path / "a", "receptions.csv", csv_text("receptions", {}))
    b = write(tmp_path / "b", "receptions_2.csv", csv_text("receptions", {"citizens": "9"}))
    fault = only_fault(import_files([a, b], db).faults)
    assert (fault.file, fault.row) == ("receptions_2.csv", 2)
    assert "receptions.csv, row 2" in fault.reason_en


def test_missing_required_column_is_a_header_fault(db: Path, tmp_path: Path) -> None:
    cols = [c for c in table("receptions").column_names if c != "citizens"]
    text = csv_text("receptions", {}, header=cols)
    fault = only_fault(import_files([write(tmp_path, "receptions.csv", text)], db).faults)
    assert (fault.row, fault.reason_en) == (1, "required column is missing")
    assert "citizens" in fault.column


def test_repeated_column_is_a_header_fault(db: Path, tmp_path: Path) -> None:
    cols = [*table("dialogues").column_names, "Số lượt ý kiến"]
    text = csv_text("dialogues", {}, header=cols)
    fault = only_fault(import_files([write(tmp_path, "dialogues.csv", text)], db).faults)
    assert fault.row == 1
    assert fault.column.startswith("I (")
    assert "repeated column" in fault.reason_en


def test_row_with_more_cells_than_the_header(db: Path, tmp_path: Path) -> None:
    header = ["commune_code", "name", "kind", "remote", "population", "one_stop_since"]
    text = csv_text("communes", {}, header=header)
    text += "00010,Xã Mười, xã cũ,xa,false,100,2019-01-01\n"  # unquoted comma in the name
    result = import_files([write(tmp_path, "communes.csv", text)], db)
    assert any(f.row == 3 and "more cells than the header" in f.reason_en for f in result.faults)


def test_references_resolve_within_the_same_import(db: Path, tmp_path: Path) -> None:
    """A new commune and its first reception, in one import, in any file order."""
    receptions = write(
        tmp_path, "receptions.csv", csv_text("receptions", {"commune_code": "00009"})
    )
    communes = write(tmp_path, "communes.csv", csv_text("communes", {}))
    result = import_files([receptions, communes], db)
    assert result.ok, [f.message("en") for f in result.faults]
    assert query(db, "SELECT commune_code FROM receptions WHERE reception_id = 'RX1'") == [
        ("00009",)
    ]


def test_reference_to_a_faulty_row_of_the_same_import_is_not_a_second_fault(
    db: Path, tmp_path: Path
) -> None:
    communes = write(tmp_path, "communes.csv", csv_text("communes", {"kind": "tinh"}))
    receptions = write(
        tmp_path, "receptions.csv", csv_text("receptions", {"commune_code": "00009"})
    )
    fault = only_fault(import_files([communes, receptions], db).faults)
    assert (fault.file, fault.column.split(" ")[1]) == ("communes.csv", "(kind)")


# --------------------------------------------------------------------------- tolerance


def test_vietnamese_headers_tolerate_case_spacing_and_missing_diacritics(
    db: Path, tmp_path: Path
) -> None:
    text = (
        "MÃ BUỔI TIẾP;  ngay tiep ;Cap;Ma  xa;NGƯỜI CHỦ TRÌ;hinh thuc;"
        "Số lượt công dân *;so vu viec;Ghi chú (x)\n"
        "R1;05/03/2019;Xã;00001;Chủ tịch;Định kỳ;1.200;2;\n"
    )
    path = tmp_path / "Tiếp công dân.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = import_files([path], db)
    assert result.ok, [f.message("en") for f in result.faults]
    assert query(
        db,
        "SELECT reception_date, level, host, kind, citizens FROM receptions "
        "WHERE reception_id = 'R1'",
    ) == [(date(2019, 3, 5), "xa", "chu_tich", "dinh_ky", 1200)]


def test_header_below_title_rows_and_template_name_row(db: Path, tmp_path: Path) -> None:
    """Title rows above the header and the template's canonical-name row are skipped."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "dialogues"
    ws.append(["SỔ THEO DÕI ĐỐI THOẠI NĂM 2019"])
    ws.append([])
    ws.append(
        [
            t
            for t in (
                "Mã cuộc đối thoại *",
                "Ngày đối thoại *",
                "Cấp *",
                "Mã xã",
                "Số lượt người tham dự *",
                "Số lượt ý kiến *",
            )
        ]
    )
    ws.append(["dialogue_id", "dialogue_date", "level", "commune_code", "attendees", "opinions"])
    ws.append(["D1", datetime(2019, 5, 1), "xa", "00001", 10, 2])
    ws.append([])
    ws.append(["D2", "2019-13-01", "xa", "00001", 10, 2])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    fault = only_fault(import_files([path], db).faults)
    assert (fault.file, fault.row) == ("book.xlsx/dialogues", 7)
    assert fault.column == "B (Ngày đối thoại *)"


def test_date_spellings_and_excel_date_cells(db: Path, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "receptions"
    ws.append(table("receptions").column_names)
    dates = {
        "A": "2019-03-05",
        "B": "05/03/2019",
        "C": "5/3/2019",
        "D": "05.03.2019",
        "E": "05-03-2019",
        "F": datetime(2019, 3, 5),
        "G": date(2019, 3, 5),
        "H": 43529,  # the day number of 2019-03-05 in a cell that lost its date format
        "I": "2019-03-05 00:00:00",
    }
    for key, value in dates.items():
        ws.append([key, value, "huyen", None, "chu_tich", "dinh_ky", 1, 1, 0])
    path = tmp_path / "receptions.xlsx"
    wb.save(path)
    result = import_files([path], db)
    assert result.ok, [f.message("en") for f in result.faults]
    got = dict(
        query(db, "SELECT reception_id, reception_date FROM receptions WHERE len(reception_id) = 1")
    )
    assert got == {key: date(2019, 3, 5) for key in dates}


def test_boolean_spellings(db: Path, tmp_path: Path) -> None:
    spellings = {
        "true": True,
        "1": True,
        "có": True,
        "Có": True,
        "CO": True,
        "x": True,
        "yes": True,
        "false": False,
        "0": False,
        "không": False,
        "KHÔNG": False,
        "khong": False,
        "": False,
    }
    rows = [{"commune_code": f"9{i:04d}", "remote": s} for i, s in enumerate(spellings)]
    result = import_files([write(tmp_path, "communes.csv", csv_text("communes", *rows))], db)
    assert result.ok, [f.message("en") for f in result.faults]
    got = dict(query(db, "SELECT commune_code, remote FROM communes WHERE commune_code LIKE '9%'"))
    assert got == {f"9{i:04d}": v for i, v in enumerate(spellings.values())}


def test_excel_boolean_and_number_cells(db: Path, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "communes"
    ws.append(table("communes").column_names)
    ws.append(["00011", "Xã Mười Một", "xa", True, 1500.0, None])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    assert import_files([path], db).ok
    assert query(db, "SELECT remote, population FROM communes WHERE commune_code = '00011'") == [
        (True, 1500)
    ]


def test_enumeration_written_in_vietnamese_words(db: Path, tmp_path: Path) -> None:
    text = csv_text(
        "petitions",
        {"kind": "Khiếu nại", "field": "Đất đai", "outcome": "Đúng một phần", "level": "HUYỆN"},
    )
    assert import_files([write(tmp_path, "petitions.csv", text)], db).ok
    assert query(
        db, "SELECT kind, field, outcome, level FROM petitions WHERE petition_id = 'PX1'"
    ) == [("khieu_nai", "dat_dai", "dung_mot_phan", "huyen")]


def test_decomposed_unicode_is_stored_composed(db: Path, tmp_path: Path) -> None:
    import unicodedata

    name = unicodedata.normalize("NFD", "Xã Đồng Tiến")
    assert import_files(
        [write(tmp_path, "communes.csv", csv_text("communes", {"name": name}))], db
    ).ok
    assert query(db, "SELECT name FROM communes WHERE commune_code = '00009'") == [
        ("Xã Đồng Tiến",)
    ]


def test_windows_1258_csv_is_detected(db: Path, tmp_path: Path) -> None:
    text = csv_text("communes", {"name": "Xã Thượng Bình", "commune_code": "00012"})
    path = tmp_path / "communes.csv"
    path.write_bytes(_cp1258(text))
    result = import_files([path], db)
    assert result.ok, [f.message("en") for f in result.faults]
    assert any("Windows-1258" in n.message_en for n in result.notices)
    assert query(db, "SELECT name FROM communes WHERE commune_code = '00012'") == [
        ("Xã Thượng Bình",)
    ]


def test_windows_1252_csv_is_refused_with_a_clear_message(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_bytes(csv_text("communes", {"name": "Xã Hòa"}).encode("cp1252"))
    fault = only_fault(import_files([path], db).faults)
    assert fault.row is None
    assert "not UTF-8" in fault.reason_en and "CSV UTF-8" in fault.reason_en
    assert "UTF-8" in fault.reason_vi


def _cp1258(text: str) -> bytes:
    """Encode as Windows does: base letters precomposed, tone marks as combining bytes."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out += base.encode("cp1258")
        out += "".join(p for p in parts if p in tones).encode("cp1258")
    return bytes(out)


# --------------------------------------------------------------------------- files


def test_unknown_file_name_unsupported_and_damaged_files(db: Path, tmp_path: Path) -> None:
    names = write(tmp_path, "sổ tay.csv", "a,b\n1,2\n")
    old = tmp_path / "receptions.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    other = write(tmp_path, "notes.json", "{}")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    missing = tmp_path / "missing.csv"
    result = import_files([names, old, other, broken, missing], db)
    reasons = {f.file: f.reason_en for f in result.faults}
    assert "names no table" in reasons["sổ tay.csv"]
    assert ".xls format is not supported" in reasons["receptions.xls"]
    assert "only .xlsx or .csv" in reasons["notes.json"]
    assert "cannot read the Excel" in reasons["broken.xlsx"]
    assert reasons["missing.csv"] == "file not found"


def test_empty_workbook_is_a_fault_not_a_silent_success(db: Path, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    result = import_files([path], db)
    assert "no data rows" in only_fault(result.faults).reason_en
    assert any("names no table" in n.message_en for n in result.notices)


def test_row_limit(db: Path, tmp_path: Path) -> None:
    rows = [{"reception_id": f"R{i}"} for i in range(5)]
    path = write(tmp_path, "receptions.csv", csv_text("receptions", *rows))
    fault = only_fault(import_files([path], db, max_rows=3).faults)
    assert fault.row == 5
    assert "more than 3 data rows" in fault.reason_en


def test_file_size_limit(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "receptions.csv", csv_text("receptions", {}))
    fault = only_fault(import_files([path], db, max_file_bytes=100).faults)
    assert "over the 0 MB limit" in fault.reason_en or "limit" in fault.reason_en


# --------------------------------------------------------------------------- safety of values


def test_personal_data_columns_are_dropped_never_stored(db: Path, tmp_path: Path) -> None:
    header = [
        *table("petitions").column_names,
        "Họ và tên",
        "Số CCCD",
        "Số điện thoại",
        "Địa chỉ thường trú",
        "Email",
        "Ghi chú",
    ]
    row = {**GOOD["petitions"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    values = [row.get(c, "") for c in table("petitions").column_names]
    w.writerow(
        [*values, "Nguyễn Văn Riêngtư", "001234567890", "0912345678", "Thôn Bí Mật", "a@b.vn", "x"]
    )
    result = import_files([write(tmp_path, "petitions.csv", buf.getvalue())], db)
    assert result.ok
    assert {h for _, h in result.dropped} == {
        "Họ và tên",
        "Số CCCD",
        "Số điện thoại",
        "Địa chỉ thường trú",
        "Email",
    }
    assert any("Ghi chú" in n.message_vi for n in result.notices)
    raw = db.read_bytes()
    for secret in ("Riêngtư", "001234567890", "0912345678", "Bí Mật", "a@b.vn"):
        assert secret.encode() not in raw


@pytest.mark.parametrize(
    "header",
    [
        "Họ tên",
        "HỌ VÀ TÊN",
        "CMND/CCCD",
        "SĐT",
        "Điện thoại di động",
        "Địa chỉ",
        "E-mail",
        "Ngày sinh",
    ],
)
def test_personal_header_detection(header: str) -> None:
    assert is_personal(header)


@pytest.mark.parametrize("header", ["Tên xã", "Mã đơn", "Nội dung", "Ghi chú", "Chủ đề"])
def test_ordinary_headers_are_not_personal(header: str) -> None:
    assert not is_personal(header)


def test_sql_looking_values_are_stored_as_plain_text(db: Path, tmp_path: Path) -> None:
    evil = "x'); DROP TABLE communes; --"
    text = csv_text("communes", {"name": evil, "commune_code": "0'OR1"})
    assert import_files([write(tmp_path, "communes.csv", text)], db).ok
    assert query(db, "SELECT name FROM communes WHERE commune_code = ?", ["0'OR1"]) == [(evil,)]
    assert query(db, "SELECT count(*) FROM communes")[0][0] == 5
    ref = csv_text("receptions", {"commune_code": "0'OR'1'='1"})
    fault = only_fault(import_files([write(tmp_path, "receptions.csv", ref)], db).faults)
    assert "not found" in fault.reason_en and fault.value == "0'OR'1'='1"


def test_huge_values_are_refused(db: Path, tmp_path: Path) -> None:
    long_name = write(tmp_path, "communes.csv", csv_text("communes", {"name": "y" * 100_000}))
    fault = only_fault(import_files([long_name], db).faults)
    assert "longer than 500" in fault.reason_en
    assert len(fault.message()) < 400  # the report shows a shortened value
    (tmp_path / "big").mkdir()
    huge = write(tmp_path / "big", "communes.csv", csv_text("communes", {"name": "z" * 300_000}))
    fault = only_fault(import_files([huge], db).faults)
    assert "cell too large" in fault.reason_en


# --------------------------------------------------------------------------- all or nothing


def test_one_bad_row_loads_nothing(db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    inode = db.stat().st_ino
    text = csv_text("receptions", *[{"reception_id": f"R{i}"} for i in range(50)], {"level": "?"})
    good = write(tmp_path, "communes.csv", csv_text("communes", {}))
    result = import_files([good, write(tmp_path, "receptions.csv", text)], db)
    assert not result.ok
    assert snapshot(db) == before
    assert db.stat().st_ino == inode, "the live file was replaced"
    assert query(db, "SELECT count(*) FROM import_log") == [(0,)]
    assert not [p for p in db.parent.iterdir() if ".tmp-" in p.name]


def test_dry_run_reports_counts_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    before = file_digest(db)
    path = write(tmp_path, "receptions.csv", csv_text("receptions", {}, {"reception_id": "R01"}))
    result = import_files([path], db, dry_run=True)
    assert result.ok
    c = result.counts["receptions"]
    assert (c.added, c.replaced, c.unchanged) == (1, 1, 0)  # R01 exists in the fixture
    assert file_digest(db) == before


def test_import_into_a_missing_warehouse_creates_it(tmp_path: Path) -> None:
    db = tmp_path / "new" / "warehouse.duckdb"
    db.parent.mkdir()
    communes = write(tmp_path, "communes.csv", csv_text("communes", {}))
    assert import_files([communes], db).ok
    assert query(db, "SELECT commune_code FROM communes") == [("00009",)]


# --------------------------------------------------------------------------- idempotence


def all_kpis(db: Path) -> dict:
    filters = [Filters.year(2019), Filters.year(2019, level="xa"), Filters.year(2020)]
    return {f: compute(f, db=db) for f in filters}


def test_importing_the_same_files_twice_changes_nothing(db: Path, tmp_path: Path) -> None:
    paths = [write(tmp_path, f"{name}.csv", csv_text(name, {})) for name in GOOD]
    first = import_files(paths, db)
    assert first.ok
    kpis, rows = all_kpis(db), snapshot(db)
    second = import_files(paths, db)
    assert second.ok
    assert all_kpis(db) == kpis
    assert snapshot(db) == rows
    assert all((c.added, c.replaced) == (0, 0) for c in second.counts.values())
    assert {n: c.unchanged for n, c in second.counts.items()} == {n: 1 for n in GOOD}
    assert query(db, "SELECT count(*) FROM import_log") == [(2,)]


def test_a_changed_row_replaces_exactly_that_row(db: Path, tmp_path: Path) -> None:
    rows = [{"reception_id": f"R{i}", "citizens": "1"} for i in range(100, 110)]
    path = write(tmp_path, "receptions.csv", csv_text("receptions", *rows))
    assert import_files([path], db).ok
    before = snapshot(db)
    rows[4]["citizens"] = "7"
    path = write(tmp_path, "receptions.csv", csv_text("receptions", *rows))
    result = import_files([path], db)
    c = result.counts["receptions"]
    assert (c.added, c.replaced, c.unchanged) == (0, 1, 9)
    after = snapshot(db)
    changed = set(after["receptions"]) ^ set(before["receptions"])
    assert {r[0] for r in changed} == {"R104"}
    assert query(db, "SELECT citizens FROM receptions WHERE reception_id = 'R104'") == [(7,)]
    assert {k: v for k, v in after.items() if k != "receptions"} == {
        k: v for k, v in before.items() if k != "receptions"
    }


def test_import_log_records_files_hashes_counts_and_operator(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "dialogues.csv", csv_text("dialogues", {}))
    result = import_files([path], db, operator="Văn phòng UBND")
    assert result.import_id == 1
    ((when, who, files, summary),) = query(
        db, "SELECT imported_at, operator, files, summary FROM import_log WHERE import_id = 1"
    )
    assert who == "Văn phòng UBND"
    assert json.loads(files) == [{"name": "dialogues.csv", "sha256": file_digest(path)}]
    assert json.loads(summary) == {"dialogues": {"added": 1, "replaced": 0, "unchanged": 0}}
    assert abs((datetime.utcnow() - when).total_seconds()) < 120


def test_derived_petition_due_date_on_import(db: Path, tmp_path: Path) -> None:
    text = csv_text("petitions", {"commune_code": "00003", "complex": "có"})  # remote commune
    assert import_files([write(tmp_path, "petitions.csv", text)], db).ok
    assert query(db, "SELECT due_date FROM petitions WHERE petition_id = 'PX1'") == [
        (date(2019, 7, 5),)  # accepted 2019-05-06 + 60 days: complex and remote
    ]


# --------------------------------------------------------------------------- names


def test_header_spellings_are_unambiguous_in_every_table() -> None:
    for t in TABLES:
        seen: dict[str, str] = {}
        for col in t.columns:
            for text in (col.name, col.label_vi, col.label_en):
                key = normalise(text).replace(" ", "")
                assert seen.setdefault(key, col.name) == col.name, (t.name, text)
        assert len(set(header_keys(t).values())) == len(t.columns)


def test_fault_report_downloads(tmp_path: Path) -> None:
    faults = [
        Fault("book.xlsx/receptions", 4, "D (Mã xã)", "99999", "mã không có", "not found"),
        Fault("book.xlsx/receptions", 5, "=HYPERLINK(1)", "-2+3", "sai", "wrong"),
    ]
    text = faults_csv(faults).decode("utf-8-sig")
    assert text.splitlines()[0] == "Tệp,Trang tính,Dòng,Cột,Giá trị,Lý do"
    assert text.splitlines()[1] == "book.xlsx,receptions,4,D (Mã xã),99999,mã không có"
    # A header or value that starts like a formula stays text in Excel.
    assert text.splitlines()[2] == "book.xlsx,receptions,5,'=HYPERLINK(1),'-2+3,sai"
    path = tmp_path / "f.xlsx"
    path.write_bytes(faults_xlsx(faults, "en"))
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[2]] == [
        "book.xlsx",
        "receptions",
        4,
        "D (Mã xã)",
        "99999",
        "not found",
    ]


# --------------------------------------------------------------------------- command line


def test_cli_prints_every_fault_and_exits_non_zero(db: Path, tmp_path: Path, capsys) -> None:
    text = csv_text("receptions", {"citizens": "x"}, {"reception_id": "RX2", "level": "quan"})
    path = write(tmp_path, "receptions.csv", text)
    assert main(["import", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "receptions.csv, dòng 2, cột G (citizens), giá trị 'x': không phải số nguyên" in err
    assert any(
        line.startswith("receptions.csv, dòng 3, cột C (level), giá trị 'quan'") for line in err
    )
    assert "Traceback" not in "\n".join(err)
    assert main(["import", str(path), "--db", str(db), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "receptions.csv, row 2, column G (citizens), value 'x': not a whole number" in err


def test_cli_import_dry_run_and_summary(db: Path, tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "dialogues.csv", csv_text("dialogues", {}))
    before = file_digest(db)
    assert main(["import", str(path), "--db", str(db), "--dry-run"]) == 0
    assert "thêm 1, thay thế 0, giữ nguyên 0" in capsys.readouterr().out
    assert file_digest(db) == before
    assert main(["import", str(path), "--db", str(db), "--operator", "thanh tra"]) == 0
    assert "lần nhập số 1" in capsys.readouterr().out
    assert query(db, "SELECT operator FROM import_log") == [("thanh tra",)]


def test_cli_missing_file_is_one_clear_line(db: Path, tmp_path: Path, capsys) -> None:
    assert main(["import", str(tmp_path / "nope.csv"), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "nope.csv: không tìm thấy tệp" in err
    assert "Traceback" not in err

"""Importing under data contract v2 (DOMAIN.md §8, §9): units as data, validity, old warehouses.

The fixture warehouse (tests/fixture, built by the current build) has communes 00001..00004
with no validity dates, the shipped holidays, and records dated 2017–2020. A "v1 warehouse"
is the same data in the schema the previous version created: no holidays, units_upper,
unit_successions, levels, rules or commune_current; communes without parent_code,
valid_from, valid_to; petitions without round; level checks that know only huyen and xa.
Every expected value below is counted by hand from those rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data.__main__ import main
from data.contract import TABLES, Column, Table, create_table_sql, table
from data.importer import _contract_shapes, _shape, import_files
from data.reference import holidays as shipped_holidays
from data.staging import Fault
from data.template import header_label
from data.warehouse import IMPORT_LOG_SQL, META_SQL

V1_TABLES = (
    "communes",
    "agencies",
    "receptions",
    "dialogues",
    "petitions",
    "procedures",
    "dossiers",
    "inspections",
    "staff_ratings",
)
V1_LEVELS = ("huyen", "xa")
V2_ONLY_COLUMNS = {"communes": ("parent_code", "valid_from", "valid_to"), "petitions": ("round",)}


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def db(fixture_db: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture warehouse."""
    path = tmp_path / "wh" / "warehouse.duckdb"
    path.parent.mkdir()
    shutil.copyfile(fixture_db, path)
    return path


def write_csv(folder: Path, name: str, header: list[str], *rows: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path = folder / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def only_fault(faults: list[Fault]) -> Fault:
    assert len(faults) == 1, "\n".join(f.message("en") for f in faults)
    return faults[0]


def messages(faults: list[Fault]) -> list[str]:
    return [f.message("en") for f in faults]


RECEPTION_HEADER = ["reception_id", "reception_date", "level", "commune_code", "host", "kind"]
RECEPTION_HEADER += ["citizens", "cases"]
COMMUNE_HEADER = ["commune_code", "name", "kind", "parent_code", "valid_from", "valid_to"]
DOSSIER_HEADER = ["dossier_id", "procedure_code", "commune_code", "channel", "received_date"]
DOSSIER_HEADER += ["due_date"]


def reception(rid: str, day: str, level: str = "xa", commune: str | None = "00001") -> list:
    return [rid, day, level, commune, "chu_tich", "dinh_ky", 2, 1]


def communes_csv(folder: Path, *rows: list) -> Path:
    return write_csv(folder, "communes.csv", COMMUNE_HEADER, *rows)


def receptions_csv(folder: Path, *rows: list) -> Path:
    return write_csv(folder, "receptions.csv", RECEPTION_HEADER, *rows)


def province_csv(folder: Path) -> Path:
    return write_csv(
        folder,
        "units_upper.csv",
        ["unit_code", "name", "level"],
        ["08", "Tỉnh Tuyên Quang", "tinh"],
    )


# --------------------------------------------------------------------------- a v2 workbook


def _sheet(wb: openpyxl.Workbook, name: str, rows: list[dict]) -> None:
    """A sheet headed by the template's Vietnamese labels, in contract column order."""
    t = table(name)
    ws = wb.create_sheet(name)
    ws.append([header_label(c) for c in t.columns])
    for r in rows:
        ws.append([r.get(c.name) for c in t.columns])


def test_v2_workbook_with_vietnamese_headers_imports(db: Path, tmp_path: Path) -> None:
    """A workbook with every v2 table, sheets in reverse contract order, imports as a whole.

    Receptions come first in the file yet are checked against the communes of the same
    workbook, whose validity and parent come from sheets further down. The merged unit maps
    to its successor in commune_current, rebuilt by the import.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        "receptions",
        [
            # A provincial chairman's reception (level tinh, no commune).
            {
                "reception_id": "TQ-1",
                "reception_date": date(2025, 7, 15),
                "level": "tinh",
                "host": "chu_tich",
                "kind": "dinh_ky",
                "citizens": 5,
                "cases": 2,
            },
            # The last day of the old commune, the first day of the new one.
            {
                "reception_id": "QM-1",
                "reception_date": date(2025, 6, 30),
                "level": "xa",
                "commune_code": "01189",
                "host": "chu_tich",
                "kind": "dinh_ky",
                "citizens": 1,
                "cases": 1,
            },
            {
                "reception_id": "BQ-1",
                "reception_date": "01/07/2025",
                "level": "xa",
                "commune_code": "01153",
                "host": "chu_tich",
                "kind": "dinh_ky",
                "citizens": 3,
                "cases": 0,
            },
        ],
    )
    _sheet(
        wb,
        "petitions",
        [
            {
                "petition_id": "PT-2",
                "received_date": date(2025, 8, 1),
                "level": "tinh",
                "commune_code": "01153",
                "kind": "khieu_nai",
                "accepted_date": date(2025, 8, 5),
                "round": 2,
            }
        ],
    )
    _sheet(
        wb,
        "unit_successions",
        [{"old_code": "01189", "new_code": "01153", "effective_date": date(2025, 7, 1)}],
    )
    _sheet(
        wb,
        "communes",
        [
            {
                "commune_code": "01189",
                "name": "Xã Quang Minh",
                "kind": "xa",
                "parent_code": "034",
                "valid_to": date(2025, 6, 30),
            },
            {
                "commune_code": "01153",
                "name": "Xã Bắc Quang",
                "kind": "xa",
                "parent_code": "08",
                "valid_from": date(2025, 7, 1),
            },
        ],
    )
    _sheet(
        wb,
        "units_upper",
        [
            {"unit_code": "08", "name": "Tỉnh Tuyên Quang", "level": "tinh"},
            {
                "unit_code": "034",
                "name": "Huyện Bắc Quang",
                "level": "huyen",
                "parent_code": "02",
                "valid_to": date(2025, 6, 30),
            },
        ],
    )
    _sheet(
        wb,
        "holidays",
        [{"holiday_date": date(2027, 1, 1), "name": "Tết Dương lịch", "source": "BLLĐ 2019"}],
    )
    path = tmp_path / "v2.xlsx"
    wb.save(path)

    result = import_files([path], db)
    assert result.ok, messages(result.faults)
    assert result.upgraded == []  # the fixture is already a v2 warehouse
    assert {n: c.added for n, c in result.counts.items()} == {
        "holidays": 1,
        "units_upper": 2,
        "communes": 2,
        "unit_successions": 1,
        "receptions": 3,
        "petitions": 1,
    }
    assert query(db, "SELECT * FROM units_upper ORDER BY unit_code") == [
        ("034", "Huyện Bắc Quang", "huyen", "02", None, date(2025, 6, 30)),
        ("08", "Tỉnh Tuyên Quang", "tinh", None, None, None),
    ]
    assert query(
        db,
        "SELECT commune_code, parent_code, valid_from, valid_to FROM communes "
        "WHERE commune_code IN ('01153', '01189') ORDER BY 1",
    ) == [("01153", "08", date(2025, 7, 1), None), ("01189", "034", None, date(2025, 6, 30))]
    assert query(db, "SELECT * FROM unit_successions") == [("01189", "01153", date(2025, 7, 1))]
    assert query(db, "SELECT * FROM holidays WHERE holiday_date = '2027-01-01'") == [
        (date(2027, 1, 1), "Tết Dương lịch", "BLLĐ 2019")
    ]
    assert query(
        db,
        "SELECT reception_id, reception_date, level, commune_code FROM receptions "
        "WHERE reception_id IN ('TQ-1', 'QM-1', 'BQ-1') ORDER BY 1",
    ) == [
        ("BQ-1", date(2025, 7, 1), "xa", "01153"),
        ("QM-1", date(2025, 6, 30), "xa", "01189"),
        ("TQ-1", date(2025, 7, 15), "tinh", None),
    ]
    # Round 2, neither complex nor remote: 45 days from 05/08/2025 is 19/09/2025.
    assert query(db, "SELECT round, due_date FROM petitions WHERE petition_id = 'PT-2'") == [
        (2, date(2025, 9, 19))
    ]
    assert query(
        db,
        "SELECT commune_code, current_code FROM commune_current "
        "WHERE commune_code IN ('01153', '01189', '00001') ORDER BY 1",
    ) == [("00001", "00001"), ("01153", "01153"), ("01189", "01153")]


# --------------------------------------------------------------------------- level validity


def test_district_reception_on_the_first_day_of_two_level_government_is_a_fault(
    db: Path, tmp_path: Path
) -> None:
    """A huyen reception dated 01/07/2025: one fault naming file, row, column and value;
    the same reception on 30/06/2025, the district level's last day, is accepted."""
    before = digest(db)
    path = write_csv(
        tmp_path / "a",
        "receptions.csv",
        RECEPTION_HEADER,
        reception("H-LAST", "2025-06-30", "huyen", None),
        reception("H-AFTER", "2025-07-01", "huyen", None),
    )
    fault = only_fault(import_files([path], db).faults)
    assert (fault.file, fault.row, fault.column, fault.value) == (
        "receptions.csv",
        3,
        "C (level)",
        "huyen",
    )
    assert fault.reason_en == "level huyen existed from … to 30/06/2025, record dated 01/07/2025"
    assert "30/06/2025" in fault.reason_vi and "01/07/2025" in fault.reason_vi
    assert fault.message() == (
        "receptions.csv, dòng 3, cột C (level), giá trị 'huyen': "
        "cấp huyen chỉ tồn tại từ … đến 30/06/2025, bản ghi ngày 01/07/2025"
    )
    assert digest(db) == before, "a file with a fault changed the warehouse"
    last = write_csv(
        tmp_path / "b",
        "receptions.csv",
        RECEPTION_HEADER,
        reception("H-LAST", "2025-06-30", "huyen", None),
    )
    assert import_files([last], db).ok


def test_dossier_takes_its_level_from_the_procedure(db: Path, tmp_path: Path) -> None:
    """A dossier of a district procedure (TT01, huyen) received on 01/07/2025 is a fault on
    its procedure code; one of a commune procedure (TT07, xa) the same day is accepted."""
    header = ["dossier_id", "procedure_code", "channel", "received_date", "due_date"]
    path = write_csv(
        tmp_path,
        "dossiers.csv",
        header,
        ["HD-1", "TT01", "truc_tiep", "2025-07-01", "2025-07-10"],
        ["HD-2", "TT07", "truc_tiep", "2025-07-01", "2025-07-10"],
    )
    fault = only_fault(import_files([path], db).faults)
    assert (fault.row, fault.column, fault.value) == (2, "B (procedure_code)", "TT01")
    assert "level huyen existed from … to 30/06/2025" in fault.reason_en


# --------------------------------------------------------------------------- commune validity


@pytest.mark.parametrize(
    ("day", "ok"),
    [("2025-06-30", True), ("2025-07-01", False)],
    ids=["last_day_accepted", "day_after_refused"],
)
def test_reception_at_a_commune_after_its_valid_to(
    db: Path, tmp_path: Path, day: str, ok: bool
) -> None:
    """A commune valid to 30/06/2025 and, in the same import, a reception there: dated on
    30/06/2025 it loads; dated 01/07/2025 it is a fault on the commune code."""
    communes = write_csv(
        tmp_path,
        "communes.csv",
        COMMUNE_HEADER,
        ["00009", "Xã Chín", "xa", None, None, "30/06/2025"],
    )
    receptions = receptions_csv(tmp_path, reception("RV1", day, commune="00009"))
    result = import_files([receptions, communes], db)
    if ok:
        assert result.ok, messages(result.faults)
        assert query(db, "SELECT reception_date FROM receptions WHERE reception_id = 'RV1'") == [
            (date(2025, 6, 30),)
        ]
        return
    fault = only_fault(result.faults)
    assert (fault.file, fault.row, fault.column, fault.value) == (
        "receptions.csv",
        2,
        "D (commune_code)",
        "00009",
    )
    assert fault.reason_en == "unit Xã Chín existed from … to 30/06/2025, record dated 01/07/2025"
    assert query(db, "SELECT count(*) FROM communes WHERE commune_code = '00009'") == [(0,)]


@pytest.mark.parametrize(
    ("day", "ok"),
    [("2025-06-30", False), ("2025-07-01", True)],
    ids=["day_before_refused", "first_day_accepted"],
)
def test_reception_at_a_commune_before_its_valid_from(
    db: Path, tmp_path: Path, day: str, ok: bool
) -> None:
    """A commune formed on 01/07/2025: a reception on that day loads, the day before not."""
    communes = write_csv(
        tmp_path,
        "communes.csv",
        COMMUNE_HEADER,
        ["00010", "Xã Mười", "xa", None, "2025-07-01", None],
    )
    receptions = receptions_csv(tmp_path, reception("RV2", day, commune="00010"))
    result = import_files([communes, receptions], db)
    assert result.ok is ok, messages(result.faults)
    if not ok:
        assert only_fault(result.faults).reason_en == (
            "unit Xã Mười existed from 01/07/2025 to …, record dated 30/06/2025"
        )


@pytest.mark.parametrize(
    ("name", "header", "row", "column"),
    [
        (
            "dialogues",
            ["dialogue_id", "dialogue_date", "level", "commune_code", "attendees", "opinions"],
            ["DV1", "2025-07-01", "xa", "00009", 10, 1],
            "D (commune_code)",
        ),
        (
            "petitions",
            ["petition_id", "received_date", "level", "commune_code", "kind"],
            ["PV1", "2025-07-01", "xa", "00009", "kien_nghi_phan_anh"],
            "D (commune_code)",
        ),
        (
            "dossiers",
            DOSSIER_HEADER,
            ["HV1", "TT07", "00009", "truc_tiep", "2025-07-01", "2025-07-05"],
            "C (commune_code)",
        ),
        (
            "inspections",
            ["inspection_id", "inspection_date", "target_kind", "commune_code"],
            ["KV1", "2025-07-01", "xa", "00009"],
            "D (commune_code)",
        ),
    ],
)
def test_every_dated_commune_record_is_judged_on_its_own_date(
    db: Path, tmp_path: Path, name: str, header: list[str], row: list, column: str
) -> None:
    """Dialogue, petition (received), dossier (received), inspection: dated the day after
    the commune's valid_to, each is one fault on its commune code."""
    communes = write_csv(
        tmp_path,
        "communes.csv",
        COMMUNE_HEADER,
        ["00009", "Xã Chín", "xa", None, None, "2025-06-30"],
    )
    path = write_csv(tmp_path, f"{name}.csv", header, row)
    fault = only_fault(import_files([communes, path], db).faults)
    assert (fault.file, fault.row, fault.column, fault.value) == (f"{name}.csv", 2, column, "00009")
    assert "record dated 01/07/2025" in fault.reason_en


# --------------------------------------------------------------------------- records already loaded


def test_narrowing_a_communes_validity_names_the_records_it_would_strand(
    db: Path, tmp_path: Path
) -> None:
    """Xã Bốn (00004) given validity 01/01/2019–31/12/2019 while the warehouse holds its
    records of 31/12/2018 (dossier H13, inspection K10) and 01/01/2020 (dialogue D07, dossier
    H10): nothing loads, and each table and bound is one fault on the commune's row. Its
    petition P21 of 31/12/2019, the last valid day, is no fault."""
    before = digest(db)
    communes = write_csv(
        tmp_path,
        "communes.csv",
        COMMUNE_HEADER,
        ["00004", "Xã Bốn", "xa", None, "2019-01-01", "2019-12-31"],
    )
    faults = import_files([communes], db).faults
    got = [(f.file, f.row, f.column, f.value, f.reason_en.split(",")[0]) for f in faults]
    assert got == [
        (
            "communes.csv",
            2,
            "F (valid_to)",
            "2019-12-31",
            "1 record(s) already in the warehouse (table dialogues) would be dated outside "
            "the unit's validity dates",
        ),
        (
            "communes.csv",
            2,
            "E (valid_from)",
            "2019-01-01",
            "1 record(s) already in the warehouse (table dossiers) would be dated outside "
            "the unit's validity dates",
        ),
        (
            "communes.csv",
            2,
            "F (valid_to)",
            "2019-12-31",
            "1 record(s) already in the warehouse (table dossiers) would be dated outside "
            "the unit's validity dates",
        ),
        (
            "communes.csv",
            2,
            "E (valid_from)",
            "2019-01-01",
            "1 record(s) already in the warehouse (table inspections) would be dated outside "
            "the unit's validity dates",
        ),
    ]
    assert "e.g. D07 dated 01/01/2020" in faults[0].reason_en
    assert "e.g. H13 dated 31/12/2018" in faults[1].reason_en
    assert "e.g. H10 dated 01/01/2020" in faults[2].reason_en
    assert "e.g. K10 dated 31/12/2018" in faults[3].reason_en
    assert digest(db) == before


def test_records_corrected_in_the_same_import_are_not_stranded(db: Path, tmp_path: Path) -> None:
    """Xã Bốn ending on 31/12/2019 strands dialogue D07 (01/01/2020) and dossier H10
    (01/01/2020); re-dating both in the same import makes it load."""
    communes = write_csv(
        tmp_path,
        "communes.csv",
        COMMUNE_HEADER,
        ["00004", "Xã Bốn", "xa", None, None, "2019-12-31"],
    )
    dialogues = write_csv(
        tmp_path,
        "dialogues.csv",
        ["dialogue_id", "dialogue_date", "level", "commune_code", "attendees", "opinions"],
        ["D07", "2019-12-30", "xa", "00004", 70, 9],
    )
    dossiers = write_csv(
        tmp_path,
        "dossiers.csv",
        [*DOSSIER_HEADER, "finished_date"],
        ["H10", "TT03", "00004", "truc_tiep", "2019-12-31", "2020-01-20", "2020-01-15"],
    )
    only_dialogues = import_files([communes, dialogues], db, dry_run=True)
    assert [f.reason_en.split(" (")[1].split(")")[0] for f in only_dialogues.faults] == [
        "table dossiers"
    ]
    result = import_files([communes, dialogues, dossiers], db)
    assert result.ok, messages(result.faults)
    assert query(db, "SELECT valid_to FROM communes WHERE commune_code = '00004'") == [
        (date(2019, 12, 31),)
    ]


def test_changing_a_procedures_level_names_the_dossiers_it_would_strand(
    db: Path, tmp_path: Path
) -> None:
    """A provincial procedure with a dossier of 01/08/2025, then the same procedure re-imported
    at level huyen: one fault on its level, naming the dossier."""
    header = ["procedure_code", "name", "level", "statutory_days"]
    first = write_csv(tmp_path / "a", "procedures.csv", header, ["TX9", "Cấp phép", "tinh", 10])
    dossier = write_csv(
        tmp_path / "a",
        "dossiers.csv",
        ["dossier_id", "procedure_code", "channel", "received_date", "due_date"],
        ["HX9", "TX9", "truc_tuyen", "2025-08-01", "2025-08-10"],
    )
    assert import_files([first, dossier], db).ok
    again = write_csv(tmp_path / "b", "procedures.csv", header, ["TX9", "Cấp phép", "huyen", 10])
    fault = only_fault(import_files([again], db).faults)
    assert (fault.file, fault.row, fault.column, fault.value) == (
        "procedures.csv",
        2,
        "C (level)",
        "huyen",
    )
    assert fault.reason_en.startswith(
        "1 record(s) already in the warehouse (table dossiers) would be dated outside the days "
        "level huyen existed, e.g. HX9 dated 01/08/2025"
    )


# --------------------------------------------------------------------------- successions


def test_succession_between_a_commune_and_a_province_is_a_fault(db: Path, tmp_path: Path) -> None:
    """Old code a commune, new code a province: one fault on the new code."""
    upper = write_csv(
        tmp_path,
        "units_upper.csv",
        ["unit_code", "name", "level"],
        ["08", "Tỉnh Tuyên Quang", "tinh"],
    )
    successions = write_csv(
        tmp_path,
        "unit_successions.csv",
        ["old_code", "new_code", "effective_date"],
        ["00001", "08", "2025-07-01"],
    )
    fault = only_fault(import_files([successions, upper], db).faults)
    assert (fault.file, fault.row, fault.column, fault.value) == (
        "unit_successions.csv",
        2,
        "B (new_code)",
        "08",
    )
    assert fault.reason_en == "both codes must be communes, or both upper units"


def test_succession_naming_a_faulty_commune_of_the_same_import_is_not_a_second_fault(
    db: Path, tmp_path: Path
) -> None:
    """The new commune's row is at fault (kind tinh); the succession into it is not reported
    again, since fixing the commune fixes both."""
    communes = communes_csv(tmp_path, ["00009", "Xã Chín", "tinh", None, None, None])
    successions = write_csv(
        tmp_path,
        "unit_successions.csv",
        ["old_code", "new_code", "effective_date"],
        ["00001", "00009", "2025-07-01"],
    )
    fault = only_fault(import_files([successions, communes], db).faults)
    assert (fault.file, fault.column) == ("communes.csv", "C (kind)")


def test_successions_rebuild_commune_current(db: Path, tmp_path: Path) -> None:
    """00001 and 00002 merge into 00003 on 01/07/2025: commune_current follows at once."""
    successions = write_csv(
        tmp_path,
        "unit_successions.csv",
        ["old_code", "new_code", "effective_date"],
        ["00001", "00003", "2025-07-01"],
        ["00002", "00003", "2025-07-01"],
    )
    assert import_files([successions], db).ok
    assert query(db, "SELECT * FROM commune_current ORDER BY 1") == [
        ("00001", "00003"),
        ("00002", "00003"),
        ("00003", "00003"),
        ("00004", "00004"),
    ]


# --------------------------------------------------------------------------- due dates by round


PETITION_HEADER = ["petition_id", "received_date", "level", "commune_code", "kind", "complex"]
PETITION_HEADER += ["accepted_date", "round"]


def test_round_two_complaint_deadlines(db: Path, tmp_path: Path) -> None:
    """Accepted 01/03/2020 with no due date: round 2 gets 45 days (15/04/2020); complex in a
    remote commune (00003) 70 days (10/05/2020); round 1 in the same case 60 (30/04/2020);
    no round given means round 1 (30 days, 31/03/2020)."""
    path = write_csv(
        tmp_path,
        "petitions.csv",
        PETITION_HEADER,
        ["R2", "2020-02-25", "xa", "00001", "khieu_nai", "false", "2020-03-01", "2"],
        ["R2CR", "2020-02-25", "xa", "00003", "khieu_nai", "true", "2020-03-01", "2"],
        ["R1CR", "2020-02-25", "xa", "00003", "khieu_nai", "true", "2020-03-01", "1"],
        ["R0", "2020-02-25", "xa", "00001", "khieu_nai", "false", "2020-03-01", ""],
    )
    assert import_files([path], db).ok
    assert dict(
        query(db, "SELECT petition_id, due_date FROM petitions WHERE petition_id LIKE 'R%'")
    ) == {
        "R2": date(2020, 4, 15),
        "R2CR": date(2020, 5, 10),
        "R1CR": date(2020, 4, 30),
        "R0": date(2020, 3, 31),
    }
    assert dict(
        query(db, "SELECT petition_id, round FROM petitions WHERE petition_id LIKE 'R%'")
    ) == {"R2": 2, "R2CR": 2, "R1CR": 1, "R0": 1}


# --------------------------------------------------------------------------- a v1 warehouse


def _v1_table(t: Table) -> Table:
    """The table as the previous version declared it: no v2 columns, v1 levels and kinds."""
    dropped = V2_ONLY_COLUMNS.get(t.name, ())
    columns: list[Column] = []
    for c in t.columns:
        if c.name in dropped:
            continue
        if c.name == "level":
            enum = (*V1_LEVELS, "nganh_doc") if t.name == "procedures" else V1_LEVELS
            c = replace(c, enum=enum)
        if t.name == "communes" and c.name == "kind":
            c = replace(c, enum=("xa", "thi_tran", "phuong"))
        columns.append(c)
    rules = tuple(r for r in t.rules if not any(d in r.sql for d in dropped))
    return replace(t, columns=tuple(columns), rules=rules)


def make_v1_warehouse(source: Path, target: Path, change: dict[str, str] | None = None) -> None:
    """`target` holds the rows of `source` in the schema the previous version created.

    `change` replaces the DDL of a table, to make a warehouse that cannot be upgraded.
    """
    conn = duckdb.connect(str(target))
    try:
        literal = "'" + str(source).replace("'", "''") + "'"
        conn.execute(f"ATTACH {literal} AS src (READ_ONLY)")
        for name in V1_TABLES:
            t = _v1_table(table(name))
            ddl = (change or {}).get(name) or create_table_sql(t)
            conn.execute(ddl)
            cols = ", ".join(t.column_names)
            conn.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM src.{name}")
        conn.execute(META_SQL)
        conn.execute(IMPORT_LOG_SQL)
        conn.execute("INSERT INTO meta VALUES ('built_at', '2020-08-03T00:00:00+00:00')")
        conn.execute("DETACH src")
    finally:
        conn.close()


def v1_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of the v1 tables, on the v1 columns only."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return {
            name: conn.execute(
                f"SELECT {', '.join(_v1_table(table(name)).column_names)} FROM {name} ORDER BY ALL"
            ).fetchall()
            for name in V1_TABLES
        }
    finally:
        conn.close()


@pytest.fixture
def v1_db(fixture_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "v1" / "warehouse.duckdb"
    path.parent.mkdir()
    make_v1_warehouse(fixture_db, path)
    return path


def test_the_v1_warehouse_is_what_the_previous_version_built(v1_db: Path) -> None:
    """The test's v1 warehouse: no v2 table or column, and level checks refusing tinh."""
    tables = {r[0] for r in query(v1_db, "SELECT table_name FROM duckdb_tables()")}
    assert tables == {*V1_TABLES, "meta", "import_log"}
    assert "round" not in {r[0] for r in query(v1_db, "DESCRIBE petitions")}
    with pytest.raises(duckdb.ConstraintException):
        conn = duckdb.connect(str(v1_db))
        try:
            conn.execute(
                "INSERT INTO receptions VALUES ('T', '2025-07-15', 'tinh', NULL, "
                "'chu_tich', 'dinh_ky', 1, 1, 0)"
            )
        finally:
            conn.close()


def test_import_into_a_v1_warehouse_upgrades_it_and_keeps_every_old_row(
    v1_db: Path, fixture_db: Path, tmp_path: Path
) -> None:
    """A v2 import (a province, a commune with validity and parent, a tinh reception, a
    round-2 petition) into a v1 warehouse: it is upgraded in the same atomic step, every old
    row keeps its values, new columns take their defaults (round 1, open validity), and the
    schema is then exactly the current contract's."""
    old = v1_rows(v1_db)
    upper = write_csv(
        tmp_path,
        "units_upper.csv",
        ["unit_code", "name", "level"],
        ["08", "Tỉnh Tuyên Quang", "tinh"],
    )
    communes = write_csv(
        tmp_path,
        "communes.csv",
        COMMUNE_HEADER,
        ["01153", "Xã Bắc Quang", "xa", "08", "2025-07-01", None],
    )
    receptions = write_csv(
        tmp_path,
        "receptions.csv",
        RECEPTION_HEADER,
        reception("TQ-1", "2025-07-15", "tinh", None),
        reception("BQ-1", "2025-07-02", "xa", "01153"),
    )
    petitions = write_csv(
        tmp_path,
        "petitions.csv",
        PETITION_HEADER,
        ["PT-2", "2025-08-01", "tinh", "01153", "khieu_nai", "false", "2025-08-05", "2"],
    )
    result = import_files([receptions, petitions, communes, upper], v1_db, operator="VP")
    assert result.ok, messages(result.faults)
    assert result.upgraded == [
        "+ levels, rules",
        f"+ holidays ({len(shipped_holidays())})",
        "+ units_upper",
        "communes: + parent_code, valid_from, valid_to",
        "+ unit_successions",
        "receptions: ~ CHECK",
        "dialogues: ~ CHECK",
        "petitions: + round",
        "procedures: ~ CHECK",
        "+ procedure_aliases",
        "+ reported_figures",
        "+ service_index",
    ]
    assert any("upgraded to v2" in n.message_en for n in result.notices)

    new = v1_rows(v1_db)
    added = {
        "communes": [("01153", "Xã Bắc Quang", "xa", False, None, None)],
        "receptions": [
            ("BQ-1", date(2025, 7, 2), "xa", "01153", "chu_tich", "dinh_ky", 2, 1, 0),
            ("TQ-1", date(2025, 7, 15), "tinh", None, "chu_tich", "dinh_ky", 2, 1, 0),
        ],
    }
    for name in V1_TABLES:
        kept = [r for r in new[name] if r not in added.get(name, [])]
        if name == "petitions":
            kept = [r for r in kept if r[0] != "PT-2"]
        assert kept == old[name], name
    assert query(
        v1_db, "SELECT count(*), min(round), max(round) FROM petitions WHERE petition_id <> 'PT-2'"
    ) == [(len(old["petitions"]), 1, 1)]
    assert query(v1_db, "SELECT round, due_date FROM petitions WHERE petition_id = 'PT-2'") == [
        (2, date(2025, 9, 19))  # 45 days from 05/08/2025
    ]
    assert query(
        v1_db,
        "SELECT count(*) FROM communes WHERE valid_from IS NULL AND valid_to IS NULL "
        "AND parent_code IS NULL",
    ) == [(4,)]
    # The schema is now the current contract's, reference tables and derived tables included.
    conn = duckdb.connect(str(v1_db), read_only=True)
    try:
        assert {t.name: _shape(conn, t.name) for t in TABLES} == _contract_shapes()
        assert conn.execute("SELECT count(*) FROM holidays").fetchone() == (
            len(shipped_holidays()),
        )
        assert conn.execute("SELECT count(*) FROM levels").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM rules").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM commune_current").fetchone() == (5,)
        assert conn.execute("SELECT value FROM meta WHERE key = 'contract_version'").fetchone() == (
            "2",
        )
        assert conn.execute("SELECT operator FROM import_log").fetchall() == [("VP",)]
    finally:
        conn.close()
    # The next import finds nothing to upgrade.
    again = import_files([receptions], v1_db)
    assert again.ok and again.upgraded == []


def test_upgraded_v1_warehouse_equals_a_v2_build_of_the_same_rows(
    v1_db: Path, fixture_db: Path, tmp_path: Path
) -> None:
    """Upgrading the v1 copy of the fixture (with an import of one 2027 holiday) gives the
    fixture warehouse itself, plus that holiday: same rows in every table."""
    holiday = write_csv(
        tmp_path, "holidays.csv", ["holiday_date", "name"], ["2027-01-01", "Tết Dương lịch"]
    )
    assert import_files([holiday], v1_db).ok
    for t in TABLES:
        sql = f"SELECT * FROM {t.name} ORDER BY ALL"
        got = query(v1_db, sql)
        want = query(fixture_db, sql)
        if t.name == "holidays":
            want = sorted([*want, (date(2027, 1, 1), "Tết Dương lịch", None)])
        assert got == want, t.name


def test_dry_run_on_a_v1_warehouse_reports_the_upgrade_and_writes_nothing(
    v1_db: Path, tmp_path: Path
) -> None:
    """Checking a file against a v1 warehouse validates under v2 (a tinh reception passes)
    and says the warehouse will be upgraded; the file is untouched."""
    before = digest(v1_db)
    path = receptions_csv(tmp_path, reception("TQ-1", "2025-07-15", "tinh", None))
    result = import_files([path], v1_db, dry_run=True)
    assert result.ok, messages(result.faults)
    assert "petitions: + round" in result.upgraded
    assert digest(v1_db) == before


def test_a_failed_import_leaves_a_v1_warehouse_as_it_was(v1_db: Path, tmp_path: Path) -> None:
    """The upgrade belongs to the import: a fault anywhere and the v1 file stays v1."""
    before = digest(v1_db)
    path = write_csv(
        tmp_path,
        "receptions.csv",
        RECEPTION_HEADER,
        reception("H-AFTER", "2025-07-01", "huyen", None),
    )
    assert not import_files([path], v1_db).ok
    assert digest(v1_db) == before


def test_new_columns_at_the_end_are_added_in_place(fixture_db: Path, tmp_path: Path) -> None:
    """A dialogues table lacking only its last column (topic, no check) gets it by ALTER
    TABLE ... ADD COLUMN; the rows are not copied and read back unchanged, topic empty."""
    db = tmp_path / "w.duckdb"
    shutil.copyfile(fixture_db, db)
    conn = duckdb.connect(str(db))
    try:
        conn.execute("CREATE TABLE d AS SELECT * EXCLUDE (topic) FROM dialogues")
        conn.execute("DROP TABLE dialogues")
        t = table("dialogues")
        conn.execute(create_table_sql(replace(t, columns=t.columns[:-1])))
        conn.execute("INSERT INTO dialogues SELECT * FROM d")
        conn.execute("DROP TABLE d")
        before = conn.execute("SELECT * FROM dialogues ORDER BY ALL").fetchall()
    finally:
        conn.close()
    path = receptions_csv(tmp_path, reception("RX1", "2019-03-05"))
    result = import_files([path], db)
    assert result.ok, messages(result.faults)
    assert result.upgraded == ["dialogues: + topic"]
    after = query(db, "SELECT * EXCLUDE (topic) FROM dialogues ORDER BY ALL")
    assert after == before
    assert query(db, "SELECT count(*) FROM dialogues WHERE topic IS NOT NULL") == [(0,)]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            "CREATE TABLE communes (commune_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "
            "kind VARCHAR NOT NULL, remote BOOLEAN NOT NULL, population INTEGER, "
            "one_stop_since DATE, ghi_chu VARCHAR)",
            "table communes has columns outside the data contract: ghi_chu",
        ),
        (
            "CREATE TABLE communes (commune_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "
            "kind VARCHAR NOT NULL, remote BOOLEAN NOT NULL, population VARCHAR, "
            "one_stop_since DATE)",
            "table communes has columns of another type: population (VARCHAR ≠ INTEGER)",
        ),
    ],
    ids=["extra_column", "other_type"],
)
def test_a_warehouse_that_cannot_be_upgraded_is_one_clear_line(
    fixture_db: Path, tmp_path: Path, capsys, change: str, reason: str
) -> None:
    """No upgrade that would lose or reinterpret data: one fault naming the warehouse, the
    file untouched, and the command line prints one line and no traceback."""
    db = tmp_path / "odd.duckdb"
    make_v1_warehouse(fixture_db, db, {"communes": change})
    before = digest(db)
    path = receptions_csv(tmp_path, reception("RX1", "2019-03-05"))
    fault = only_fault(import_files([path], db).faults)
    assert fault.file == "odd.duckdb" and fault.row is None
    assert fault.reason_en == f"cannot upgrade the warehouse to data contract v2: {reason}"
    assert fault.reason_vi.startswith("không nâng cấp được kho dữ liệu lên hợp đồng dữ liệu v2")
    assert digest(db) == before
    assert main(["import", str(path), "--db", str(db), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"odd.duckdb: cannot upgrade the warehouse to data contract v2: {reason}" in err
    assert digest(db) == before


def test_a_warehouse_missing_a_v1_table_is_refused(fixture_db: Path, tmp_path: Path) -> None:
    """A table every warehouse had is missing: refused as damaged, never silently recreated."""
    db = tmp_path / "damaged.duckdb"
    make_v1_warehouse(fixture_db, db)
    conn = duckdb.connect(str(db))
    conn.execute("DROP TABLE receptions")
    conn.close()
    path = communes_csv(tmp_path, ["00009", "X", "xa", None, None, None])
    fault = only_fault(import_files([path], db).faults)
    assert fault.reason_en == "the warehouse lacks tables: receptions"


def test_cli_import_into_a_v1_warehouse(v1_db: Path, tmp_path: Path, capsys) -> None:
    """`python -m data import` says the warehouse is upgraded and imports."""
    path = receptions_csv(tmp_path, reception("TQ-1", "2025-07-15", "tinh", None))
    assert main(["import", str(path), "--db", str(v1_db), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "upgraded to v2" in captured.err
    assert "receptions (Citizen receptions): 1 added" in captured.out


def test_a_new_warehouse_starts_from_the_shipped_holidays(tmp_path: Path) -> None:
    """An import into a missing warehouse creates it as a build would: shipped holidays,
    levels and rules loaded; the import's own rows are what it counts."""
    db = tmp_path / "new" / "warehouse.duckdb"
    db.parent.mkdir()
    path = communes_csv(tmp_path, ["00009", "X", "dac_khu", None, None, None])
    result = import_files([path], db)
    assert result.ok, messages(result.faults)
    assert {n: c.added for n, c in result.counts.items()} == {"communes": 1}
    assert query(db, "SELECT count(*) FROM holidays") == [(len(shipped_holidays()),)]
    assert query(db, "SELECT count(*) FROM levels") == [(3,)]
    assert query(db, "SELECT * FROM commune_current") == [("00009", "00009")]


# --------------------------------------------------------------------------- reading a v1 warehouse


def test_coverage_reads_a_v1_warehouse_as_it_is(v1_db: Path) -> None:
    """Before any import, the Dữ liệu page's questions work on a v1 warehouse: the six tables
    added since v1 are listed as not there yet, communes as always valid."""
    from data import coverage

    rows = {r["table"]: r for r in coverage.table_coverage(v1_db)}
    assert list(rows) == [t.name for t in TABLES]
    assert {n for n, r in rows.items() if not r["present"]} == {
        "holidays",
        "units_upper",
        "unit_successions",
        "procedure_aliases",
        "reported_figures",
        "service_index",
    }
    assert rows["receptions"]["rows"] == 20 and rows["holidays"]["rows"] == 0
    grid = coverage.completeness(date(2019, 1, 1), date(2019, 12, 31), v1_db)
    assert list(grid.index) == ["00001", "00002", "00003", "00004"]
    assert not grid.drop(columns=["name", "valid_from", "valid_to"]).isna().any().any()
    units = coverage.units(v1_db)
    assert [(u["commune_code"], u["valid_to"], u["successor"]) for u in units] == [
        ("00001", None, None),
        ("00002", None, None),
        ("00003", None, None),
        ("00004", None, None),
    ]


def test_export_of_a_v1_warehouse_has_every_v2_sheet_and_imports_back(
    v1_db: Path, tmp_path: Path
) -> None:
    """`template --with-data` of a v1 warehouse: every v2 sheet, the missing tables and
    columns empty; importing the file back upgrades the warehouse and changes no row."""
    from data.template import export_warehouse_to_xlsx

    out = tmp_path / "v1.xlsx"
    counts = export_warehouse_to_xlsx(v1_db, out)
    assert list(counts) == [t.name for t in TABLES]
    assert (counts["holidays"], counts["units_upper"], counts["unit_successions"]) == (0, 0, 0)
    assert counts["communes"] == 4 and counts["petitions"] > 0
    ws = openpyxl.load_workbook(out, read_only=True)["petitions"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert {r[-1] for r in rows} == {None}  # round: not in a v1 warehouse
    old = v1_rows(v1_db)
    result = import_files([out], v1_db)
    assert result.ok, messages(result.faults)
    assert result.upgraded
    assert all(c.added == 0 and c.replaced == 0 for c in result.counts.values())
    assert v1_rows(v1_db) == old


def test_upgrade_alone_is_atomic_and_idempotent(v1_db: Path, db: Path) -> None:
    """`upgrade_warehouse` brings a v1 warehouse to the current schema with its rows, once:
    a second call, or a call on a current warehouse, writes nothing."""
    from data.importer import upgrade_warehouse

    old = v1_rows(v1_db)
    result = upgrade_warehouse(v1_db)
    assert result.ok and "petitions: + round" in result.upgraded
    assert v1_rows(v1_db) == old
    conn = duckdb.connect(str(v1_db), read_only=True)
    try:
        assert {t.name: _shape(conn, t.name) for t in TABLES} == _contract_shapes()
    finally:
        conn.close()
    before = digest(v1_db)
    again = upgrade_warehouse(v1_db)
    assert again.ok and again.upgraded == []
    assert digest(v1_db) == before
    current = digest(db)
    assert upgrade_warehouse(db).upgraded == []
    assert digest(db) == current


def test_dashboard_upgrades_an_office_warehouse_of_the_previous_version(
    v1_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the dashboard on an office's v1 warehouse upgrades it in place (its rows kept)
    and shows the overview, not an error; the next start finds it current."""
    from streamlit.testing.v1 import AppTest

    from data.warehouse import needs_upgrade

    before = v1_rows(v1_db)
    assert needs_upgrade(v1_db)
    monkeypatch.setenv("DANVAN_DB", str(v1_db))
    at = AppTest.from_file(str(Path(__file__).parents[1] / "dashboard.py"), default_timeout=60)
    at.query_params["year"] = "2019"
    at.run()
    assert not at.exception
    assert not at.error
    cards = {m.label: m.value for m in at.metric}
    assert cards["Số buổi tiếp công dân"] == "17"  # reception days 2019 (fixture README)
    assert cards["Lượt công dân được tiếp"] == "62"
    assert v1_rows(v1_db) == before
    assert not needs_upgrade(v1_db)

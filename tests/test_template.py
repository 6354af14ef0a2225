"""The Excel template and the warehouse export in its layout: structure, examples, round trip."""

from __future__ import annotations

import csv
import io
import shutil
import time
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data import importer
from data.__main__ import main
from data.contract import BOOL, DATE, INT, TABLES
from data.importer import import_files
from data.template import (
    EXAMPLES,
    INSTRUCTIONS_SHEET,
    export_warehouse_to_xlsx,
    header_label,
    template_bytes,
    write_template,
)
from metrics import Filters, compute


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return path


def snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t.name: conn.execute(f"SELECT * FROM {t.name} ORDER BY ALL").fetchall() for t in TABLES
        }
    finally:
        conn.close()


def test_one_sheet_per_table_after_the_instructions(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, *(t.name for t in TABLES)]


def test_headers_vietnamese_labels_then_canonical_names(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    for t in TABLES:
        ws = wb[t.name]
        assert [c.value for c in ws[1]] == [header_label(c) for c in t.columns]
        assert [c.value for c in ws[2]] == t.column_names
        assert ws.freeze_panes == "A3"
        assert all("*" in header_label(c) for c in t.columns if c.required)


def test_drop_down_lists_for_every_enumeration_and_yes_no(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    for t in TABLES:
        ws = wb[t.name]
        lists = {}
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":
                for rng in dv.sqref.ranges:
                    lists[rng.min_col - 1] = (dv.formula1.strip('"').split(","), rng.min_row)
        for i, col in enumerate(t.columns):
            if col.enum:
                assert lists[i] == (list(col.enum), 3), (t.name, col.name)
            elif col.type == BOOL:
                assert lists[i] == (["có", "không"], 3), (t.name, col.name)
            else:
                assert i not in lists


def test_date_cells_and_example_row(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    for t in TABLES:
        ws = wb[t.name]
        example = [c.value for c in ws[3]]
        for i, col in enumerate(t.columns):
            want = EXAMPLES[t.name][col.name]
            cell = ws.cell(row=3, column=i + 1)
            if want is None:
                assert cell.value is None
            elif col.type == DATE:
                assert cell.is_date and cell.number_format == "dd/mm/yyyy"
                assert cell.value.date() == want
            elif col.type == BOOL:
                assert cell.value == ("có" if want else "không")
            elif col.type == INT:
                assert cell.value == want
            else:
                assert cell.value == want and cell.number_format == "@"
        assert len(example) == len(t.columns)


def test_instructions_in_vietnamese_and_english_with_every_column(template: Path) -> None:
    ws = openpyxl.load_workbook(template)[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "MẪU NHẬP DỮ LIỆU" in text and "IMPORT TEMPLATE" in text
    assert "dữ liệu cá nhân" in text and "personal data" in text
    catalogue = {(r[0], r[1]) for r in ws.iter_rows(values_only=True) if r[0] and r[1]}
    assert {(t.name, c.name) for t in TABLES for c in t.columns} <= catalogue


def test_examples_are_valid_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example row passes validation, so the template teaches a correct row."""
    # Read the examples as ordinary rows rather than skipping them as examples.
    monkeypatch.setattr(importer, "_example", lambda t: ())
    for t in TABLES:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(t.column_names)
        row = []
        for col in t.columns:
            v = EXAMPLES[t.name][col.name]
            row.append("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
        w.writerow(row)
        (tmp_path / f"{t.name}.csv").write_text(buf.getvalue(), encoding="utf-8")
    paths = [tmp_path / f"{t.name}.csv" for t in TABLES]
    result = import_files(paths, tmp_path / "examples.duckdb")
    assert result.ok, [f.message("en") for f in result.faults]
    assert {n: c.added for n, c in result.counts.items()} == {t.name: 1 for t in TABLES}


def test_untouched_template_imports_nothing(template: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = import_files([template], db)
    assert [f.reason_en.split(" (")[0] for f in result.faults] == ["no data rows to import"]
    skipped = [n for n in result.notices if "example row" in n.message_en]
    assert len(skipped) == len(TABLES)
    assert not db.exists()


def test_filled_template_imports_the_rows_below_the_example(template: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb["communes"]
    ws.append(["01156", "Thị trấn Vĩnh Tuy", "thi_tran", "có", None, date(2018, 6, 1)])
    ws = wb["receptions"]
    ws.append(["R-1", "15/01/2019", "xa", "01156", "chu_tich", "dinh_ky", 2, 1, None])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    db = tmp_path / "w.duckdb"
    result = import_files([path], db)
    assert result.ok, [f.message("en") for f in result.faults]
    assert {n: c.added for n, c in result.counts.items()} == {"communes": 1, "receptions": 1}
    assert snapshot(db)["receptions"] == [
        ("R-1", date(2019, 1, 15), "xa", "01156", "chu_tich", "dinh_ky", 2, 1, 0)
    ]


def test_a_fault_in_the_template_names_the_sheet_and_excel_row(template: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(template)
    wb["dossiers"].append(["H-1", "TP-01", None, "fax", date(2019, 1, 2), date(2019, 1, 5)])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    faults = import_files([path], tmp_path / "w.duckdb").faults
    assert [(f.file, f.row, f.column, f.value, f.reason_en.split(":")[0]) for f in faults] == [
        # TP-01 is the example procedure, which was skipped with its example row.
        ("bad.xlsx/dossiers", 4, "B (Mã thủ tục *)", "TP-01", "code not found in table procedures"),
        ("bad.xlsx/dossiers", 4, "D (Kênh tiếp nhận *)", "fax", "not one of"),
    ]


def test_template_download_bytes_open_in_excel_readers() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    assert wb.sheetnames[1:] == [t.name for t in TABLES]


def test_template_command(tmp_path: Path, capsys) -> None:
    out = tmp_path / "mau.xlsx"
    assert main(["template", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == INSTRUCTIONS_SHEET
    assert main(["template", str(tmp_path / "mau.txt")]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_export_of_the_fixture_reimports_unchanged(fixture_db: Path, tmp_path: Path) -> None:
    """Exporting and importing back into the same warehouse changes no row."""
    db = tmp_path / "w.duckdb"
    shutil.copyfile(fixture_db, db)
    out = tmp_path / "export.xlsx"
    assert main(["template", str(out), "--with-data", "--db", str(db)]) == 0
    before = snapshot(db)
    result = import_files([out], db)
    assert result.ok, [f.message("en") for f in result.faults]
    assert all((c.added, c.replaced) == (0, 0) for c in result.counts.values())
    assert snapshot(db) == before


ROUND_TRIP_FILTERS = [
    *(Filters.year(y) for y in (2017, 2018, 2019, 2020)),
    Filters.year(2019, level="huyen"),
    Filters.year(2019, level="xa"),
    Filters(date(2017, 1, 1), date(2020, 7, 31)),
    Filters(date(2017, 1, 1), date(2020, 7, 31), level="huyen"),
    Filters.year(2019, communes=("01153", "01159", "01219")),
    Filters(date(2019, 3, 1), date(2019, 5, 31), communes=("01201",), level="xa"),
]


def test_demo_round_trip_through_the_template_keeps_every_kpi(
    demo_db: Path, tmp_path: Path
) -> None:
    """Demo → template workbook → empty warehouse: same rows, every KPI identical."""
    out = tmp_path / "demo.xlsx"
    started = time.perf_counter()
    counts = export_warehouse_to_xlsx(demo_db, out)
    exported = time.perf_counter()
    db = tmp_path / "round_trip.duckdb"
    result = import_files([out], db)
    imported = time.perf_counter()
    assert result.ok, [f.message("en") for f in result.faults[:20]]
    assert {n: c.added for n, c in result.counts.items()} == {n: k for n, k in counts.items() if k}
    assert snapshot(db) == snapshot(demo_db)
    for f in ROUND_TRIP_FILTERS:
        assert compute(f, db=db) == compute(f, db=demo_db), f
    print(
        f"\nexport {sum(counts.values())} rows: {exported - started:.1f} s; "
        f"import: {imported - exported:.1f} s"
    )

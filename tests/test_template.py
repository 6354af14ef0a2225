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
    """Every example row passes validation, so the template teaches a correct row.

    One row per sheet cannot hold both units of a succession: the example succession links
    two provinces (Hà Giang 02 → Tuyên Quang 08) that are imported first, as an office would
    have them.
    """
    # Read the examples as ordinary rows rather than skipping them as examples.
    monkeypatch.setattr(importer, "_example", lambda t: ())
    db = tmp_path / "examples.duckdb"
    (tmp_path / "before").mkdir()
    before = tmp_path / "before" / "units_upper.csv"
    before.write_text(
        "unit_code,name,level,valid_to\n02,Tỉnh Hà Giang,tinh,2025-06-30\n"
        "08,Tỉnh Tuyên Quang,tinh,\n",
        encoding="utf-8",
    )
    assert import_files([before], db).ok
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
    result = import_files(paths, db)
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


def test_export_of_the_fixture_rebuilds_it_in_an_empty_warehouse(
    fixture_db: Path, tmp_path: Path
) -> None:
    """Fixture → template workbook (every v2 sheet) → new warehouse: the same rows.

    The new warehouse starts from the shipped holidays, as a build does, so the holiday
    sheet comes back unchanged rather than added.
    """
    out = tmp_path / "export.xlsx"
    counts = export_warehouse_to_xlsx(fixture_db, out)
    assert list(counts) == [t.name for t in TABLES]
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[1:] == list(counts)
    db = tmp_path / "new.duckdb"
    result = import_files([out], db)
    assert result.ok, [f.message("en") for f in result.faults]
    assert result.counts["holidays"].unchanged == counts["holidays"] > 0
    assert result.counts["receptions"].added == counts["receptions"] == 20
    assert snapshot(db) == snapshot(fixture_db)


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
    # A new warehouse starts from the shipped holidays, so those rows come back unchanged.
    assert {n: c.added + c.unchanged for n, c in result.counts.items()} == {
        n: k for n, k in counts.items() if k
    }
    assert all(c.replaced == 0 for c in result.counts.values())
    assert snapshot(db) == snapshot(demo_db)
    for f in ROUND_TRIP_FILTERS:
        assert compute(f, db=db) == compute(f, db=demo_db), f
    print(
        f"\nexport {sum(counts.values())} rows: {exported - started:.1f} s; "
        f"import: {imported - exported:.1f} s"
    )


# --------------------------------------------------------------------------- contract v2


def _validations(ws) -> dict[int, object]:
    """Data validation of each column (0-based) of a template sheet."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.min_col - 1] = dv
    return out


def test_level_drop_downs_list_the_levels_of_the_reference_data(template: Path) -> None:
    """Level columns offer the levels of data/reference/levels.csv, highest first (tinh,
    huyen, xa), procedures also nganh_doc; units_upper only the upper levels; communes kind
    includes dac_khu."""
    from data.reference import level_codes, upper_level_codes

    assert level_codes() == ("tinh", "huyen", "xa")
    assert upper_level_codes() == ("tinh", "huyen")
    wb = openpyxl.load_workbook(template)
    want = {
        "receptions": ["tinh", "huyen", "xa"],
        "dialogues": ["tinh", "huyen", "xa"],
        "petitions": ["tinh", "huyen", "xa"],
        "procedures": ["tinh", "huyen", "xa", "nganh_doc"],
        "units_upper": ["tinh", "huyen"],
    }
    for name, codes in want.items():
        t = next(t for t in TABLES if t.name == name)
        dv = _validations(wb[name])[t.column_names.index("level")]
        assert dv.type == "list" and dv.formula1.strip('"').split(",") == codes, name
    communes = next(t for t in TABLES if t.name == "communes")
    dv = _validations(wb["communes"])[communes.column_names.index("kind")]
    assert dv.formula1.strip('"').split(",") == ["xa", "thi_tran", "phuong", "dac_khu"]


def test_petition_round_accepts_one_or_two(template: Path) -> None:
    """The round column is a whole number between 1 and 2 (lần đầu, lần hai), not a list."""
    wb = openpyxl.load_workbook(template)
    t = next(t for t in TABLES if t.name == "petitions")
    dv = _validations(wb["petitions"])[t.column_names.index("round")]
    # "between" is the default operator of a data validation, so the file may leave it out.
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "2")
    assert dv.operator in (None, "between")
    assert wb["petitions"].cell(row=3, column=t.column_names.index("round") + 1).value == 1


def test_validity_columns_are_date_cells(template: Path) -> None:
    """valid_from and valid_to of communes and units_upper, a succession's effective date and
    a holiday's date are date cells (dd/mm/yyyy) with a date check."""
    wb = openpyxl.load_workbook(template)
    cases = {
        "communes": ("valid_from", "valid_to"),
        "units_upper": ("valid_from", "valid_to"),
        "unit_successions": ("effective_date",),
        "holidays": ("holiday_date",),
    }
    for name, columns in cases.items():
        t = next(t for t in TABLES if t.name == name)
        ws = wb[name]
        for col in columns:
            i = t.column_names.index(col)
            assert _validations(ws)[i].type == "date", (name, col)
            letter = openpyxl.utils.get_column_letter(i + 1)
            assert ws.column_dimensions[letter].number_format == "dd/mm/yyyy", (name, col)
    assert wb["units_upper"]["F3"].value.date() == date(2025, 6, 30)  # the district's end


def test_instructions_explain_the_reform_and_validity(template: Path) -> None:
    """The instructions say district-level records end on 30/06/2025, that a commune's
    records must fall within its validity dates, how to record a merger, and the round."""
    ws = openpyxl.load_workbook(template)[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "hợp đồng dữ liệu v2" in text and "data contract v2" in text
    assert "Bản ghi cấp huyen (Huyện) chỉ ghi đến hết ngày 30/06/2025" in text
    assert "Records at level huyen (District) end on 30/06/2025" in text
    assert "từ 01/07/2025" in text and "from 01/07/2025" in text
    assert "Bản ghi của một xã phải có ngày nằm trong khoảng đó" in text
    assert "A commune's records must be dated within them" in text
    assert "unit_successions" in text and "lần hai" in text
    assert "2017–2026" in text  # the years of the shipped holidays


def test_instructions_follow_the_levels_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The level lines are read from the levels data: another end date changes the text."""
    from data import template as tpl
    from data.reference import Level

    fake = (
        Level("tinh", "upper", 1, "Tỉnh", "Province", None, None),
        Level("huyen", "upper", 2, "Huyện", "District", None, date(2026, 12, 31)),
        Level("xa", "commune", 3, "Xã", "Commune", None, None),
    )
    monkeypatch.setattr(tpl, "levels", lambda: fake)
    text = "\n".join(tpl.instructions("vi"))
    assert "chỉ ghi đến hết ngày 31/12/2026" in text
    assert "từ 01/01/2027" in text
    assert "30/06/2025" not in text


def test_example_values_in_a_hand_made_sheet_are_a_record(tmp_path: Path) -> None:
    """Only the template's layout (canonical names under the header) carries the example
    row: a CSV whose first row happens to equal the example commune is imported."""
    path = tmp_path / "communes.csv"
    t = next(t for t in TABLES if t.name == "communes")
    values = []
    for col in t.columns:
        v = EXAMPLES["communes"][col.name]
        values.append("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
    path.write_text(",".join(t.column_names) + "\n" + ",".join(values) + "\n", encoding="utf-8")
    upper = tmp_path / "units_upper.csv"
    upper.write_text("unit_code,name,level\n034,Huyện Bắc Quang,huyen\n", encoding="utf-8")
    result = import_files([path, upper], tmp_path / "w.duckdb")
    assert result.ok, [f.message("en") for f in result.faults]
    assert result.counts["communes"].added == 1
    assert not [n for n in result.notices if "example row" in n.message_en]

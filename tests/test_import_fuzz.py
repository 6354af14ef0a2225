"""Malformed files: each gives its own fault (or notice), and the warehouse stays byte-identical.

Every case is a small spec: the file's bytes (CSV) or cells (.xlsx, through openpyxl), and
the fault it must give (file, row, column fragment, reason fragment). Expectations are
written by hand.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data.build import BuildError, build_warehouse
from data.importer import ImportResult, import_files, is_personal
from data.warehouse import reader, writer_lock

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixture"

R_HEAD = "reception_id,reception_date,level,commune_code,host,kind,citizens,cases,large_groups"
R_OK = "R900,2019-03-05,xa,00001,chu_tich,dinh_ky,3,2,0"
D_HEAD = "dialogue_id,dialogue_date,level,commune_code,attendees,opinions,opinions_answered,topic"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(fixture_db: Path, tmp_path: Path) -> Path:
    live = tmp_path / "wh" / "warehouse.duckdb"
    live.parent.mkdir()
    shutil.copyfile(fixture_db, live)
    return live


def reception(**change: str) -> str:
    cols = R_HEAD.split(",")
    vals = dict(zip(cols, R_OK.split(","), strict=True))
    vals.update(change)
    return ",".join(f'"{vals[c]}"' if "," in vals[c] else vals[c] for c in cols)


def dialogue(topic: str) -> str:
    return f'D900,2019-03-05,xa,00001,10,2,1,"{topic}"'


def csv_bytes(head: str, *rows: str) -> bytes:
    return ("\n".join([head, *rows]) + "\n").encode()


def xlsx(sheets: dict[str, list[list]], tweak: Callable | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    if tweak:
        tweak(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


R_COLS = R_HEAD.split(",")
R_ROW = [
    "R900",
    "2019-03-05",
    "xa",
    "00001",
    "chu_tich",
    "dinh_ky",
    3,
    2,
    0,
]


def r_row(**change) -> list:
    row = dict(zip(R_COLS, R_ROW, strict=True))
    row.update(change)
    return [row[c] for c in R_COLS]


# (id, file name, bytes, expected row, column fragment, reason fragment)
CSV_CASES: list[tuple[str, str, bytes, int | None, str | None, str]] = []


def case(cid, name, data, row, column, reason):
    CSV_CASES.append((cid, name, data, row, column, reason))


# Counts that are numbers written another way, or too large to be a record.
for i, bad in enumerate(["1e9", "1E3", "1.5", "2,5", "1,000", "+1e2", "12.0"]):
    case(
        f"int-{i}",
        "receptions.csv",
        csv_bytes(R_HEAD, reception(citizens=bad)),
        2,
        "citizens",
        "không phải số nguyên viết thường",
    )
for i, bad in enumerate(["ba", "--3", "3-", "∞", "0x10", "1 2 3 4"]):
    case(
        f"int-text-{i}",
        "receptions.csv",
        csv_bytes(R_HEAD, reception(cases=bad)),
        2,
        "cases",
        "không phải số nguyên",
    )
for i, (col, bad) in enumerate(
    [
        ("citizens", "10001"),
        ("citizens", "1000000000"),
        ("cases", "99999"),
        ("large_groups", "5000"),
        ("citizens", "2147483647"),
    ]
):
    case(
        f"sane-{i}",
        "receptions.csv",
        csv_bytes(R_HEAD, reception(**{col: bad})),
        2,
        col,
        "giới hạn hợp lý",
    )
case(
    "int-overflow",
    "receptions.csv",
    csv_bytes(R_HEAD, reception(citizens="99999999999")),
    2,
    "citizens",
    "không phải số nguyên",
)
# Control characters in a cell.
for i, ch in enumerate(["\x00", "\x01", "\x07", "\x0b", "\x1b", "\x7f"]):
    case(
        f"ctrl-{i}",
        "receptions.csv",
        csv_bytes(R_HEAD, reception(reception_id=f"R9{ch}01")),
        2,
        "reception_id",
        "ký tự điều khiển",
    )
case(
    "ctrl-topic",
    "dialogues.csv",
    csv_bytes(D_HEAD, dialogue("đất\x00đai")),
    2,
    "topic",
    "ký tự điều khiển",
)
# Personal data typed into free text.
for i, text in enumerate(
    [
        "gọi 0912345678",
        "SĐT 0385.123.456",
        "+84 912 345 678",
        "Zalo 0799999999",
        "CCCD 001099012345",
        "CMND 123456789",
        "mail a.b@gmail.com",
        "Ông Nguyễn Văn An hỏi",
        "bà Trần Thị Lan phản ánh",
        "chị Lê Thu Hà",
        "liên hệ 84987654321",
    ]
):
    case(
        f"pii-{i}",
        "dialogues.csv",
        csv_bytes(D_HEAD, dialogue(text)),
        2,
        "topic",
        "dữ liệu cá nhân",
    )
# Quotes.
case(
    "quote-eof",
    "receptions.csv",
    csv_bytes(
        R_HEAD,
        reception(),
        'R901,"2019-03-05,xa,00001,chu_tich,dinh_ky,1,1,0',
        reception(reception_id="R902"),
    ),
    3,
    None,
    "không được đóng",
)
case(
    "quote-swallow",
    "receptions.csv",
    csv_bytes(
        R_HEAD,
        'R901,2019-03-05,xa,00001,chu_tich,"dinh_ky,1,1,0',
        reception(reception_id="R902"),
        'R903,2019-03-05,xa,00001,chu_tich,dinh_ky",1,1,0',
    ),
    2,
    "F",
    "ngoặc kép",
)
case(
    "quote-stray",
    "receptions.csv",
    csv_bytes(R_HEAD, 'R901,"2019"-03-05,xa,00001,chu_tich,dinh_ky,1,1,0'),
    2,
    None,
    "CSV",
)
# Other malformed CSV.
case(
    "extra-cells", "receptions.csv", csv_bytes(R_HEAD, reception() + ",x,y"), 2, "J", "nhiều ô hơn"
)
case(
    "missing-col",
    "receptions.csv",
    csv_bytes(R_HEAD.replace(",citizens", ""), "R900,2019-03-05,xa,00001,chu_tich,dinh_ky,2,0"),
    1,
    "citizens",
    "thiếu cột bắt buộc",
)
case(
    "dup-col",
    "receptions.csv",
    csv_bytes(R_HEAD + ",cases", reception() + ",2"),
    1,
    "cases",
    "cột bị lặp",
)
case(
    "bad-date",
    "receptions.csv",
    csv_bytes(R_HEAD, reception(reception_date="31/02/2019")),
    2,
    "reception_date",
    "ngày",
)
case("bad-enum", "receptions.csv", csv_bytes(R_HEAD, reception(kind="hop")), 2, "kind", "danh mục")
case("negative", "receptions.csv", csv_bytes(R_HEAD, reception(cases="-1")), 2, "cases", "≥ 0")
case(
    "cp1252", "receptions.csv", csv_bytes(R_HEAD, reception()) + b"R9\xe9,x\n", None, None, "UTF-8"
)
case("no-table", "foo.csv", csv_bytes(R_HEAD, reception()), None, None, "không ứng với bảng")


def _import_bytes(db: Path, path: Path, data: bytes) -> ImportResult:
    """`data` written to `path`, then imported into `db`."""
    path.write_bytes(data)
    return import_files([path], db)


def _faults_at(faults, file: str, row: int | None, column: str | None, reason: str) -> list:
    """The faults of `file` at `row` (and at `column`, when given) whose reason holds `reason`."""
    return [
        f
        for f in faults
        if f.file == file
        and f.row == row
        and (column is None or column in (f.column or ""))
        and reason in f.reason()
    ]


@pytest.mark.parametrize(
    ("name", "data", "row", "column", "reason"),
    [c[1:] for c in CSV_CASES],
    ids=[c[0] for c in CSV_CASES],
)
def test_malformed_csv(db: Path, tmp_path: Path, name, data, row, column, reason) -> None:
    before = sha(db)
    result = _import_bytes(db, tmp_path / name, data)
    assert not result.ok
    hits = _faults_at(result.faults, name, row, column, reason)
    assert hits, [f.message() for f in result.faults]
    assert sha(db) == before


def test_personal_values_are_masked_in_the_fault(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "dialogues.csv"
    path.write_bytes(csv_bytes(D_HEAD, dialogue("gọi 0912345678 nhé")))
    (fault,) = import_files([path], db).faults
    assert fault.value == "09******78"
    assert "0912345678" not in fault.message()


# ------------------------------------------------------------------------------ Excel

HEAD_ROWS = [["Mã buổi tiếp"] + [""] * 8, R_COLS]


def _formula(wb):
    wb["receptions"]["G2"] = "=1+2"


def _formula_data(wb):
    wb["receptions"]["H3"] = "=SUM(G3:G3)"


def _merge_data(wb):
    wb["receptions"].merge_cells("D2:D3")


def _merge_wide(wb):
    wb["receptions"].merge_cells("A3:C3")


def _hidden_sheet(wb):
    wb["receptions"].sheet_state = "hidden"
    wb.create_sheet("Ghi chú")


def _very_hidden(wb):
    wb["receptions"].sheet_state = "veryHidden"
    wb.create_sheet("Ghi chú")


def _hidden_row(wb):
    wb["receptions"].row_dimensions[3].hidden = True


def _hidden_col(wb):
    wb["receptions"].column_dimensions["I"].hidden = True


R2 = r_row(reception_id="R901")
R3 = r_row(reception_id="R902")

# (id, sheets, tweak, row, column fragment, reason fragment); row None = a notice
XLSX_FAULTS = [
    ("formula", {"receptions": [R_COLS, R2]}, _formula, 2, "G2", "công thức"),
    ("formula-row3", {"receptions": [R_COLS, R2, R3]}, _formula_data, 3, "H3", "công thức"),
    ("merged", {"receptions": [R_COLS, R2, R3]}, _merge_data, 2, "D2:D3", "gộp"),
    ("merged-wide", {"receptions": [R_COLS, R2, R3]}, _merge_wide, 3, "A3:C3", "gộp"),
    (
        "float-count",
        {"receptions": [R_COLS, r_row(citizens=1.5)]},
        None,
        2,
        "citizens",
        "số nguyên",
    ),
    (
        "huge-count",
        {"receptions": [R_COLS, r_row(citizens=1e9)]},
        None,
        2,
        "citizens",
        "giới hạn hợp lý",
    ),
    (
        "text-exp",
        {"receptions": [R_COLS, r_row(citizens="1e9")]},
        None,
        2,
        "citizens",
        "số nguyên viết thường",
    ),
    (
        "pii-topic",
        {
            "dialogues": [
                D_HEAD.split(","),
                ["D900", "2019-03-05", "xa", "00001", 10, 2, 1, "liên hệ 0912345678"],
            ]
        },
        None,
        2,
        "topic",
        "dữ liệu cá nhân",
    ),
    (
        "missing-cell",
        {"receptions": [R_COLS, r_row(cases=None)]},
        None,
        2,
        "cases",
        "thiếu giá trị",
    ),
]


@pytest.mark.parametrize(
    ("sheets", "tweak", "row", "column", "reason"),
    [c[1:] for c in XLSX_FAULTS],
    ids=[c[0] for c in XLSX_FAULTS],
)
def test_malformed_xlsx(db: Path, tmp_path: Path, sheets, tweak, row, column, reason) -> None:
    before = sha(db)
    result = _import_bytes(db, tmp_path / "book.xlsx", xlsx(sheets, tweak))
    assert not result.ok
    sheet = next(iter(sheets))
    hits = _faults_at(result.faults, f"book.xlsx/{sheet}", row, column, reason)
    assert hits, [f.message() for f in result.faults]
    assert sha(db) == before


XLSX_NOTICES = [
    ("hidden-sheet", _hidden_sheet, "trang tính đang ẩn"),
    ("very-hidden-sheet", _very_hidden, "trang tính đang ẩn"),
    ("hidden-row", _hidden_row, "1 dòng đang ẩn (3)"),
    ("hidden-col", _hidden_col, "cột đang ẩn (I)"),
]


@pytest.mark.parametrize(
    ("tweak", "text"), [c[1:] for c in XLSX_NOTICES], ids=[c[0] for c in XLSX_NOTICES]
)
def test_hidden_parts_are_noticed(db: Path, tmp_path: Path, tweak, text) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx({"receptions": [R_COLS, R2, R3]}, tweak))
    result = import_files([path], db, dry_run=True)
    assert result.ok, [f.message() for f in result.faults]
    assert any(text in n.message() for n in result.notices), [n.message() for n in result.notices]


def test_extra_column_in_template_headers_is_not_read_as_data(db: Path, tmp_path: Path) -> None:
    """An officer's own column in both header rows: the canonical row is still skipped."""
    labels = [
        "Mã buổi tiếp *",
        "Ngày tiếp *",
        "Cấp *",
        "Mã xã",
        "Người chủ trì *",
        "Hình thức *",
        "Số lượt công dân *",
        "Số vụ việc *",
        "Số đoàn đông người",
    ]
    rows = [[*labels, "Ghi chú"], [*R_COLS, "note"], [*R2, "x"]]
    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx({"receptions": rows}))
    result = import_files([path], db, dry_run=True)
    assert result.ok, [f.message() for f in result.faults]
    assert result.rows == {"receptions": 1}


def test_sheet_declaring_too_many_rows_is_refused_before_reading(db: Path, tmp_path: Path) -> None:
    before = sha(db)
    path = tmp_path / "big.xlsx"
    rows = [R_COLS] + [r_row(reception_id=f"R{i}") for i in range(300)]
    path.write_bytes(xlsx({"receptions": rows}))
    # Give the sheet the dimension a runaway export writes.
    src = zipfile.ZipFile(path)
    out = tmp_path / "big2.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(
                    b'<dimension ref="A1:I301"/>', b'<dimension ref="A1:XFD1048576"/>'
                )
                assert b"XFD1048576" in data
            dst.writestr(info, data)
    result = import_files([out], db, max_rows=100)
    (fault,) = result.faults
    assert fault.file == "big2.xlsx/receptions"
    assert "khai báo 1,048,576 dòng" in fault.reason()
    assert sha(db) == before


def test_workbook_unpacking_past_the_limit_is_refused(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import data.importer as imp

    monkeypatch.setattr(imp, "MAX_XLSX_UNCOMPRESSED", 1000)
    before = sha(db)
    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx({"receptions": [R_COLS, R2]}))
    (fault,) = import_files([path], db).faults
    assert "giải nén" in fault.reason() and fault.file == "book.xlsx"
    assert sha(db) == before


# ------------------------------------------------------------------------------ headers


@pytest.mark.parametrize(
    "header", ["Người gửi đơn", "Nơi cư trú", "Tên", "Họ tên", "Zalo", "SĐT", "CCCD", "Địa chỉ"]
)
def test_personal_headers_are_recognised(header: str) -> None:
    assert is_personal(header)


def test_personal_header_columns_are_dropped_not_stored(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "receptions.csv"
    path.write_bytes(csv_bytes(R_HEAD + ",Người gửi đơn,Zalo", reception() + ",Nguyễn A,0912"))
    result = import_files([path], db, dry_run=True)
    assert result.ok
    assert [h for _, h in result.dropped] == ["Người gửi đơn", "Zalo"]


# ------------------------------------------------------------------------------ warehouse


def test_unknown_schema_is_refused_with_the_rebuild_hint(db: Path, tmp_path: Path) -> None:
    conn = duckdb.connect(str(db))
    conn.execute("DROP TABLE import_log")
    conn.execute("CREATE TABLE import_log (import_id INTEGER, note VARCHAR)")
    conn.close()
    before = sha(db)
    path = tmp_path / "receptions.csv"
    path.write_bytes(csv_bytes(R_HEAD, reception()))
    (fault,) = import_files([path], db).faults
    assert "không theo hợp đồng dữ liệu" in fault.reason()
    assert "python -m data build" in fault.reason()
    assert "Binder" not in fault.reason()
    assert sha(db) == before


def test_foreign_duckdb_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.duckdb"
    conn = duckdb.connect(str(db))
    conn.execute("CREATE TABLE things (x INTEGER)")
    conn.close()
    before = sha(db)
    path = tmp_path / "receptions.csv"
    path.write_bytes(csv_bytes(R_HEAD, reception()))
    (fault,) = import_files([path], db).faults
    assert "không theo hợp đồng dữ liệu" in fault.reason()
    assert sha(db) == before


def test_connections_never_autoload_extensions(db: Path) -> None:
    cur = reader(db)
    settings = dict(
        cur.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoinstall_known_extensions', 'autoload_known_extensions')"
        ).fetchall()
    )
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }


def test_build_waits_for_the_writer_lock_and_gives_up_clearly(db: Path) -> None:
    before = sha(db)
    with writer_lock(db), pytest.raises(BuildError) as info:
        build_warehouse(FIXTURE, db, lock_timeout=0.3)
    assert "đang ghi kho dữ liệu này" in info.value.faults[0].reason()
    assert sha(db) == before


def test_build_during_an_import_loses_no_rows(db: Path, tmp_path: Path) -> None:
    """The import holds the lock; a build started meanwhile runs only after it."""
    import data.importer as imp

    started, release = threading.Event(), threading.Event()
    real = imp._write_log

    def slow_log(*args, **kwargs):
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    path = tmp_path / "receptions.csv"
    path.write_bytes(csv_bytes(R_HEAD, reception()))
    outcome = {}
    imp._write_log = slow_log
    try:
        t = threading.Thread(target=lambda: outcome.setdefault("r", import_files([path], db)))
        t.start()
        assert started.wait(20)
        with pytest.raises(BuildError):
            build_warehouse(FIXTURE, db, lock_timeout=0.3)
        release.set()
        t.join(30)
    finally:
        imp._write_log = real
    assert outcome["r"].ok
    cur = reader(db)
    assert (
        cur.execute("SELECT count(*) FROM receptions WHERE reception_id = 'R900'").fetchone()[0]
        == 1
    )


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_build_into_a_read_only_folder_prints_one_line(tmp_path: Path) -> None:
    target = tmp_path / "ro"
    target.mkdir()
    os.chmod(target, 0o555)
    try:
        probe = target / "probe"
        try:
            probe.touch()
        except OSError:
            pass
        else:
            # Root ignores folder permissions: a "folder" that is a plain file cannot be
            # written into by anyone, which takes the same path through the build.
            probe.unlink()
            os.chmod(target, 0o755)
            target = tmp_path / "not-a-folder"
            target.write_text("")
        proc = _cli("build", str(FIXTURE), "--db", str(target / "w.duckdb"))
    finally:
        if target.is_dir():
            os.chmod(target, 0o755)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "không ghi được kho dữ liệu" in proc.stderr


def test_build_on_a_full_disk_prints_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import errno

    from data.__main__ import main

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    before = sha(db)
    monkeypatch.setattr(os, "replace", full)
    assert main(["build", str(FIXTURE), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].endswith("No space left on device")
    assert sha(db) == before

"""The meeting report: §7 figures in the DOCX/PDF text, A4 with embedded fonts, the forms
annex reconciling, form layouts as data, xlsx cells never formulas."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from metrics.engine import Filters
from reports import forms, make
from reports.__main__ import main

IN_CI = bool(os.environ.get("CI"))
FIGURES = [
    "tiếp định kỳ 24 buổi (2 buổi/tháng) với 55 lượt công dân",
    "26 cuộc tiếp xúc, đối thoại/859 lượt người tham dự, 244 lượt ý kiến",
    "97 cuộc/6.122 lượt người/887 ý kiến",
    "giải quyết xong 7/9 vụ việc phức tạp, tồn đọng kéo dài (77,78%)",
    "259 TTHC cấp huyện, 90 TTHC cắt giảm thời gian",
    "145 TTHC cấp xã, 27 TTHC",
    "309 TTHC tại Bộ phận một cửa, 11 cơ quan chuyên môn, 4 đơn vị ngành dọc",
    "23/23 xã thực hiện cơ chế một cửa",
    "86,59%",
    "76,31%",
    "kiểm tra đột xuất 3 xã, 4 cơ quan",
]
AS_OF = date(2020, 7, 31)


def need(tool: str) -> None:
    """Tools CI installs: missing there is a failure, on a workstation a skip."""
    if shutil.which(tool) is None:
        if IN_CI:
            pytest.fail(f"{tool} is required in CI")
        pytest.skip(f"{tool} not installed")


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def demo_docx(demo_db: Path) -> bytes:
    return make(Filters.year(2019), "docx", demo_db, "vi", AS_OF)


def test_docx_holds_every_article_figure(demo_docx: bytes) -> None:
    """The 2019 demo report's Word text has every DOMAIN §7 figure as the article writes it."""
    text = _docx_text(demo_docx)
    for fig in FIGURES:
        assert fig in text, fig
    for header in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND HUYỆN BẮC QUANG",
        "Số: …/BC-UBND",
        "…, ngày … tháng … năm …",
        "BÁO CÁO",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Kết quả công tác dân vận chính quyền",
    ):
        assert header in text, header


def test_docx_is_a4_with_legal_margins(demo_docx: bytes) -> None:
    s = Document(io.BytesIO(demo_docx)).sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    assert 20 <= round(s.top_margin.mm) <= 25 and 20 <= round(s.bottom_margin.mm) <= 25
    assert 30 <= round(s.left_margin.mm) <= 35 and 15 <= round(s.right_margin.mm) <= 20


def test_english_report(demo_db: Path) -> None:
    text = _docx_text(make(Filters.year(2019), "docx", demo_db, "en", AS_OF))
    assert "6,122" in text and "86.59%" in text and "REPORT" in text


@pytest.fixture(scope="module")
def demo_pdf(demo_db: Path, tmp_path_factory) -> Path:
    need("libreoffice")
    out = tmp_path_factory.mktemp("pdf") / "r.pdf"
    out.write_bytes(make(Filters.year(2019), "pdf", demo_db, "vi", AS_OF))
    return out


def test_pdf_text_fonts_and_page(demo_pdf: Path) -> None:
    """PDF: A4, every font embedded, diacritics extract, §7 figures present, page 1 renders."""
    for tool in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm"):
        need(tool)
    text = subprocess.run(
        ["pdftotext", "-layout", str(demo_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for fig in (
        "6.122",
        "86,59%",
        "76,31%",
        "7/9",
        "90/259",
        "309",
        "55",
        "24 buổi",
        "Tiếp công dân",
        "đối thoại",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
    ):
        assert fig in flat, fig
    info = subprocess.run(["pdfinfo", str(demo_pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(demo_pdf)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(r.split()[-5] == "yes" for r in rows), fonts
    png = demo_pdf.with_name("page")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(demo_pdf), str(png)], check=True
    )
    assert demo_pdf.with_name("page-1.png").stat().st_size > 10_000


@pytest.mark.parametrize("year", [2019, 2025])
def test_ii06a_reconciles_on_demo(demo_db: Path, year: int) -> None:
    filled = forms.fill("ii06a", Filters.year(year), demo_db)
    assert filled.rows and filled.check_failures() == []


def test_ii06a_fixture_by_hand(fixture_db: Path) -> None:
    """II.06a on the fixture: received, carried over, resolved, open reconcile by hand."""
    f = Filters(date(2024, 1, 1), date(2024, 12, 31))
    filled = forms.fill("ii06a", f, fixture_db)
    assert filled.check_failures() == []
    total = filled.rows[-1].values
    assert total[3] == total[4] + total[5] + total[6] == total[7] + total[11]


def test_layout_is_data(demo_db: Path, tmp_path: Path) -> None:
    """A renamed heading in the layout file changes the xlsx without code."""
    for name in forms.FORMS:
        shutil.copy(forms.LAYOUTS / f"{name}.json", tmp_path / f"{name}.json")
    raw = json.loads((tmp_path / "ii06a.json").read_text(encoding="utf-8"))
    raw["columns"][0]["heading_vi"] = "Tổng số hồ sơ (đổi tên)"
    (tmp_path / "ii06a.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    data = make(Filters.year(2019), "xlsx", demo_db, "vi", layouts=tmp_path)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "Tổng số hồ sơ (đổi tên)" in values


def test_xlsx_text_starting_with_equals_is_not_formula(demo_db: Path) -> None:
    from reports.xlsx_out import render

    filled = forms.fill("ii06a", Filters.year(2019), demo_db)
    filled.rows[0].unit = '=HYPERLINK("http://x")'
    ctx = {"issuer": "=1+1", "title": "+t", "subtitle": "@s", "sections": [], "period_line": "-p"}
    wb = openpyxl.load_workbook(io.BytesIO(render(ctx, [filled], "vi")))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", c.coordinate
    assert wb.worksheets[0]["A1"].value == "=1+1"


def test_cli_bad_input_one_line_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--year", "2019", "--format", "odt"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as e:
        main(["--format", "docx"])
    assert e.value.code == 2


def test_cli_writes_xlsx(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    assert (
        main(["--year", "2019", "--format", "xlsx", "--db", str(demo_db), "--out", str(out)]) == 0
    )
    assert out.stat().st_size > 0


# II.06a for 2019 on the hand-built fixture (tests/fixture/README.md, dossiers H01–H13),
# counted by hand, columns (3)..(13):
#   (4) received online, (5) in person + postal, (6) carried over (received before 2019,
#   open on 2018-12-31), (3) = 4+5+6; (7) resolved = (8) early + (9) on the due date +
#   (10) late; (11) open on 2019-12-31 = (12) within time + (13) overdue.
# Xã Một (00001): H09 in person (open, due 11-08: overdue); H05 carried over (received
#   2018-12-28), finished 2019-01-01 before its due date 01-03: early.
# Thị trấn Hai (00002): H06 in person 12-31 (open, not yet due); H11 in person, late.
# Xã Ba (00003): H07 online (open, due 12-30: overdue); H08 in person (due 12-31 = the
#   period's end: within time).
# Xã Bốn (00004): H13 was received and finished in 2018, H10 comes in 2020: no row.
# District level (huyen procedures): H01 in person, finished on its due date; H02 online,
#   a day late; H03 online, early; H12 online (no commune), finished on its due date.
# Total: the communes, the district and H04 (nganh_doc, by post, late), under no level.
II06A_2019 = {
    # (3)  (4) (5) (6)  (7) (8) (9) (10)  (11) (12) (13)
    "Xã Một": [2, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1],
    "Thị trấn Hai": [2, 0, 2, 0, 1, 0, 0, 1, 1, 1, 0],
    "Xã Ba": [2, 1, 1, 0, 0, 0, 0, 0, 2, 1, 1],
    "Tổng cộng": [11, 4, 6, 1, 7, 2, 2, 3, 4, 2, 2],
}
II06A_2019_HUYEN = [4, 3, 1, 0, 4, 1, 2, 1, 0, 0, 0]
# the form's columns that are KPIs of the metrics layer
II06A_KPIS = {
    "dossiers_received": (4, 5),
    "dossiers_resolved": (7,),
    "dossiers_late": (10,),
    "dossiers_overdue_open": (13,),
}


def _ii06a_row(values: dict[int, int | None]) -> list[int | None]:
    return [values[n] for n in range(3, 14)]


def _assert_kpis(values: dict[int, int | None], f: Filters, db: Path, who: str) -> None:
    from metrics.engine import compute

    got = compute(f, list(II06A_KPIS), db)
    for kid, cols in II06A_KPIS.items():
        assert got[kid].value == sum(values[c] for c in cols), (who, kid)


def test_ii06a_fixture_2019_by_hand_and_kpis(fixture_db: Path) -> None:
    """II.06a for 2019 per unit equals the hand count above and the metrics layer's KPIs."""
    from metrics.periods import commune_units

    f = Filters.year(2019)
    filled = forms.fill("ii06a", f, fixture_db)
    assert filled.check_failures() == []
    rows = {r.unit: r for r in filled.rows}
    assert {u: _ii06a_row(r.values) for u, r in rows.items()} == II06A_2019
    codes = {u.name: u.code for u in commune_units(fixture_db)}
    for unit, row in rows.items():
        if row.total:
            _assert_kpis(row.values, f, fixture_db, unit)
        else:
            commune_f = Filters.year(2019, (codes[unit],), "xa")
            _assert_kpis(row.values, commune_f, fixture_db, unit)
    huyen = Filters.year(2019, (), "huyen")
    (total,) = forms.fill("ii06a", huyen, fixture_db).rows
    assert _ii06a_row(total.values) == II06A_2019_HUYEN
    _assert_kpis(total.values, huyen, fixture_db, "huyen")


def test_missing_columns_blank_and_marked(fixture_db: Path) -> None:
    """A column the contract cannot fill is blank in every row and its heading says so."""
    text = _docx_text(make(Filters.year(2019), "docx", fixture_db, with_charts=False))
    for name in forms.FORMS:
        filled = forms.fill(name, Filters.year(2019), fixture_db)
        missing = [c for c in filled.layout.columns if c.missing]
        for c in missing:
            assert all(r.values[c.no] is None for r in filled.rows), (name, c.no)
            assert f"{c.label('vi')} ({forms.NOT_IN_DATA[0]})" in text, (name, c.no)
        if name == "ii06a":
            assert missing == []
        else:
            assert missing


def test_docx_charts_are_images_with_captions(demo_docx: bytes) -> None:
    """The report carries its charts as pictures (kaleido in the system Chromium), each
    followed by its caption."""
    from reports.charts import CHROMIUM

    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        if IN_CI:
            pytest.fail("Chromium is required in CI")
        pytest.skip("Chromium not installed")
    doc = Document(io.BytesIO(demo_docx))
    assert 2 <= len(doc.inline_shapes) <= 4
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu đồ ")]
    assert len(captions) == len(doc.inline_shapes)
    assert (
        captions[0] == "Biểu đồ 1. Hồ sơ TTHC tiếp nhận, đã giải quyết và tỷ lệ đúng hạn theo tháng"
    )
    for shape in doc.inline_shapes:
        assert 100 <= shape.width.mm <= 165


def test_header_table_has_fixed_grid(demo_docx: bytes) -> None:
    """The header's and the annex's column widths are in the grid and the cells, with a
    fixed layout, so LibreOffice keeps the Quốc hiệu on one line and the unit names wide."""
    from docx.oxml.ns import qn

    from reports.docx_out import ANNEX_FIXED_MM, HEAD_WIDTHS_MM

    doc = Document(io.BytesIO(demo_docx))
    head, annex = doc.tables[0], doc.tables[2]
    for table, first in ((head, HEAD_WIDTHS_MM), (annex, ANNEX_FIXED_MM)):
        tbl = table._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [round(int(c.get(qn("w:w"))) * 25.4 / 1440) for c in tbl.tblGrid]
        assert grid[: len(first)] == list(first)
        cells = tbl.tr_lst[-1].tc_lst
        assert [round(c.width.mm) for c in cells[: len(first)]] == list(first)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head.cell(0, 1).text


def test_pdf_quoc_hieu_on_one_line(demo_pdf: Path) -> None:
    need("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(demo_pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in text.splitlines())

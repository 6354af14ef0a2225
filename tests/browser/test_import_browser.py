"""A data officer in a real Chromium: template → filled workbook → faults → import → new figures."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from metrics import format as fmt

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def attendees(db: Path) -> int:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "metrics",
            "--db",
            str(db),
            "--year",
            "2019",
            "--commune",
            "01153",
            "--level",
            "xa",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)["kpis"]["dialogue_attendees"]["value"]


def test_officer_fills_template_sees_faults_then_imports(
    page: Page, private_server: tuple[str, Path], tmp_path: Path, artifacts: Path
) -> None:
    """Download the template, fill a dialogue, upload a bad then a good file, see the figure."""
    url, db = private_server
    before = attendees(db)
    page.set_default_timeout(60_000)
    page.goto(url + "data?year=2019")
    expect(page.get_by_role("heading", name="Dữ liệu")).to_be_visible()

    with page.expect_download() as dl:
        page.get_by_role("button", name="Tải mẫu nhập liệu (.xlsx)").click()
    template = tmp_path / dl.value.suggested_filename
    dl.value.save_as(template)
    assert template.suffix == ".xlsx"

    # The officer types one dialogue under the example row, as in Excel.
    wb = openpyxl.load_workbook(template)
    ws = wb["dialogues"]
    names = [c.value for c in ws[2]]
    row = {
        "dialogue_id": "DT-TEST-0001",
        "dialogue_date": date(2019, 6, 15),
        "level": "xa",
        "commune_code": "01153",
        "attendees": 500,
        "opinions": 40,
        "opinions_answered": 30,
        "topic": "Đối thoại về đất đai",
    }
    for col, name in enumerate(names, start=1):
        if name in row:
            ws.cell(row=4, column=col, value=row[name])
    filled = tmp_path / "so-doi-thoai.xlsx"
    wb.save(filled)

    # First a bad CSV: two faults, nothing imported, the fault list downloads.
    bad = tmp_path / "dialogues.csv"
    bad.write_text(
        "dialogue_id,dialogue_date,level,commune_code,attendees,opinions\n"
        "DT-BAD-1,31/02/2019,xa,01153,10,2\n"
        "DT-BAD-2,2019-03-01,xa,99999,10,2\n",
        encoding="utf-8",
    )
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(str(bad))
    expect(page.get_by_text("2 lỗi: chưa nhập dòng nào")).to_be_visible()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Tải danh sách lỗi (.csv)").click()
    report = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text("utf-8-sig"))))
    assert [(r["Tệp"], r["Dòng"], r["Cột"], r["Giá trị"]) for r in report] == [
        ("dialogues.csv", "2", "B (dialogue_date)", "31/02/2019"),
        ("dialogues.csv", "3", "D (commune_code)", "99999"),
    ]
    assert attendees(db) == before

    # Then the filled template, in a fresh page: checked, previewed, confirmed.
    page.reload()
    uploader.set_input_files(str(filled))
    expect(page.get_by_text("Không có lỗi")).to_be_visible()
    page.get_by_role("button", name="Xác nhận nhập vào kho dữ liệu").click()
    expect(page.get_by_text("Đã nhập (lần nhập số")).to_be_visible()
    assert attendees(db) == before + 500

    # The overview shows the new figure on its next run, with no restart.
    page.goto(url + "?year=2019&commune=01153&level=xa")
    expect(
        page.locator('.st-key-kpi-dialogue_attendees [data-testid="stMetricValue"]')
    ).to_have_text(fmt.number(before + 500))
    page.screenshot(path=str(artifacts / "import-then-overview.png"))

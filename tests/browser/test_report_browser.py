"""The Báo cáo page in a real Chromium: a filtered view's report prepared as PDF and
downloaded; the file is an A4 PDF whose text holds a figure of that view."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from metrics import format as fmt
from metrics.engine import Filters, compute
from metrics.periods import commune_units
from tests.test_reports import need

pytestmark = pytest.mark.browser
COMMUNE = "01153"


def test_report_page_pdf_download(
    page: Page, live_server: str, demo_db: Path, tmp_path: Path, artifacts: Path
) -> None:
    """/report for one commune in 2019: 'Tạo tệp PDF', then 'Tải PDF' gives an A4 PDF named
    for the period, with the commune's name and its dossiers received in the text."""
    for tool in ("libreoffice", "pdfinfo", "pdftotext"):
        need(tool)
    page.set_default_timeout(120_000)
    page.goto(live_server + f"report?year=2019&commune={COMMUNE}&level=xa")
    expect(page.get_by_role("heading", name="Báo cáo")).to_be_visible()
    make = page.locator(".st-key-report_pdf_make").get_by_role("button")
    make.click()
    get = page.locator(".st-key-report_pdf_dl").get_by_role("button")
    expect(get).to_be_visible(timeout=120_000)
    page.screenshot(path=str(artifacts / "report-page-pdf.png"), full_page=True)
    with page.expect_download() as info:
        get.click()
    assert info.value.suggested_filename == "bao_cao_2019-01-01_2019-12-31.pdf"
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    shutil.copyfile(pdf, artifacts / "report-page.pdf")

    assert pdf.read_bytes()[:4] == b"%PDF"
    meta = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in meta.stdout
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    view = Filters.year(2019, (COMMUNE,), "xa")
    received = compute(view, ["dossiers_received"], demo_db)["dossiers_received"].value
    name = {u.code: u.name for u in commune_units(demo_db)}[COMMUNE]
    assert f"Tiếp nhận {fmt.number(received)} hồ sơ" in flat
    assert f"UBND {name}".upper() in flat
    assert "Biểu đồ 1." in flat

"""The domain pages in a real Chromium: a link with filters, a commune click that narrows the
page and the URL, page links that keep the filters, downloads that hold the filtered rows."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect

from metrics import format as fmt
from metrics.periods import commune_units
from views.state import commune_labels

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
CHIPS = '.st-key-commune_ui [data-testid="stMultiSelect"] [data-tag]'


def cli_kpis(db: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "metrics", "--db", str(db), "--format", "json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)["kpis"]


def card(page: Page, kpi_id: str) -> Locator:
    return page.locator(f'.st-key-kpi-{kpi_id} [data-testid="stMetricValue"]')


def commune_codes(db: Path) -> dict[str, str]:
    """Commune label → code, as the dashboard labels the warehouse's communes (as recorded:
    a unit that ended or began shows its dates, e.g. 'Xã Tân Lập (đến 30/06/2025)')."""
    labels = commune_labels(commune_units(db), "recorded", "vi")
    return {label: code for code, label in labels.items()}


def click_commune_bar(page: Page, chart_key: str, nth: int) -> str:
    """Click the nth visible bar from the top of a horizontal commune chart; return its
    label.

    Plotly's drag layer covers the bars, so the click goes to the bar's position on the
    page, and the label is the axis tick at the same height.
    """
    chart = page.locator(f".st-key-{chart_key}")
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".main-svg").first).to_be_visible()
    # Skip bars too thin to click (a 0 % commune draws an empty bar).
    points = chart.locator("g.point")
    boxes = [points.nth(i).bounding_box() for i in range(min(points.count(), nth + 10))]
    bar = [b for b in boxes if b and b["width"] > 10][nth]
    centre = bar["y"] + bar["height"] / 2
    ticks = chart.locator("g.ytick")
    label, best = "", float("inf")
    for i in range(ticks.count()):
        box = ticks.nth(i).bounding_box()
        distance = abs(box["y"] + box["height"] / 2 - centre)
        if distance < best:
            label, best = ticks.nth(i).text_content(), distance
    page.mouse.click(bar["x"] + bar["width"] / 2, centre)
    return label


def download(page: Page, key: str, folder: Path) -> Path:
    button = page.locator(f".st-key-{key}").get_by_role("button").first
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_commune_click_narrows_page_url_and_downloads(
    page: Page, live_server: str, demo_db: Path, tmp_path: Path, artifacts: Path
) -> None:
    """From a link (2019, level xa, the communes tab), a click on a commune bar sets the chip
    and the URL; the table downloads hold only that commune's row, with the CLI's numbers;
    the figures tab, clicked, shows that commune's cards; a page link keeps the filters and
    opens the next page on its figures."""
    page.set_default_timeout(60_000)
    page.goto(live_server + "petitions?year=2019&level=xa&tab=communes")
    expect(page.get_by_role("heading", name="Đơn thư, khiếu nại, tố cáo")).to_be_visible()
    expect(page.locator(CHIPS)).to_have_count(0)

    name = click_commune_bar(page, "pt_commune_chart", 2)
    code = commune_codes(demo_db)[name]
    # The click reruns the page: on a loaded machine that takes longer than expect's 5 s.
    expect(page.locator(CHIPS)).to_have_text([name], timeout=30_000)
    expect(page).to_have_url(
        re.compile(rf"/petitions\?(?=.*commune={code})(?=.*level=xa)(?=.*tab=communes)")
    )
    cli = cli_kpis(demo_db, "--year", "2019", "--commune", code, "--level", "xa")
    received = cli["petitions_received"]["value"]
    page.screenshot(path=str(artifacts / "petitions-commune-click.png"), full_page=True)

    csv_file = download(page, "pt_by_commune_csv", tmp_path)
    assert csv_file.name == f"don-thu-theo-xa_2019_{code}_cap-xa.csv"
    rows = pd.read_csv(csv_file, encoding="utf-8-sig", dtype={"Mã xã": str})
    assert rows["Mã xã"].tolist() == [code]
    assert rows.loc[0, "Xã, thị trấn"] == name
    assert rows.loc[0, "Tiếp nhận"] == received
    resolution = cli["petitions_resolution_rate"]
    assert rows.loc[0, "Tỷ lệ giải quyết (%)"] == round(resolution["value"] * 100, 2)

    xlsx_file = download(page, "pt_by_commune_xlsx", tmp_path)
    assert xlsx_file.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_file.read_bytes())).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2  # the header and the one commune
    assert values[1][:3] == (code, name, received)

    expect(card(page, "petitions_received")).to_have_count(0)  # the cards' tab is closed
    page.get_by_role("tab", name="Chỉ số").click()
    expect(card(page, "petitions_received")).to_have_text(fmt.number(received), timeout=30_000)
    expect(page).to_have_url(re.compile(rf"/petitions\?(?=.*commune={code})(?=.*tab=figures)"))
    expect(page.locator(".st-key-pt_commune_chart")).to_have_count(0)

    # The page link at the bottom keeps the communes and the level.
    link = page.locator('[data-testid="stPageLink"]').get_by_text("Tiếp công dân & đối thoại")
    link.last.scroll_into_view_if_needed()
    link.last.click()
    expect(page.get_by_role("heading", name="Tiếp công dân & đối thoại").first).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/receptions\?(?=.*commune={code})(?=.*level=xa)"))
    expect(page).to_have_url(re.compile(r"[?&]tab=figures(&|$)"))
    expect(page.locator(CHIPS)).to_have_text([name])
    days = cli["reception_days"]["value"]
    expect(card(page, "reception_days")).to_have_text(fmt.number(days))


def test_page_fits_a_phone_screen(page: Page, live_server: str, artifacts: Path) -> None:
    """At 390 px wide the procedures page stacks its cards, its tabs and their charts: no
    sideways scroll on the figures nor on the communes tab."""
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "procedures?year=2019&commune=01153")
    expect(card(page, "dossiers_received")).to_be_visible()
    main_width = "document.querySelector('[data-testid=\"stMain\"]').scrollWidth"
    assert page.evaluate(main_width) <= 390
    page.screenshot(path=str(artifacts / "procedures-phone.png"), full_page=True)
    page.get_by_role("tab", name="Theo xã").click()
    expect(page.locator(".st-key-pr_commune_chart g.point").first).to_be_attached()
    expect(page).to_have_url(re.compile(r"[?&]tab=communes(&|$)"))
    assert page.evaluate(main_width) <= 390
    page.screenshot(path=str(artifacts / "procedures-phone-communes.png"), full_page=True)

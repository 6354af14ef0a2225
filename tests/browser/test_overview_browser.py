"""The overview in a real Chromium: shared links, chips, KPI cards and the URL stay in step."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from metrics import format as fmt

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


def card_value(page: Page, kpi_id: str) -> str:
    return page.locator(f'.st-key-kpi-{kpi_id} [data-testid="stMetricValue"]').inner_text()


def open_view(page: Page, url: str) -> None:
    page.set_default_timeout(60_000)
    page.goto(url)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()


def test_shared_link_reproduces_view_and_url_follows_changes(
    page: Page, live_server: str, demo_db: Path, artifacts: Path
) -> None:
    """A link with a year, two communes and an area of cards shows them, matches the CLI,
    and tracks edits: another area's tab, a commune removed, a reload."""
    open_view(page, live_server + "?year=2019&commune=01153&commune=01156&area=procedures")
    # Both towns ended on 30/6/2025 (the two-level reform): their chips say so.
    viet_quang, vinh_tuy = (
        "Thị trấn Việt Quang (đến 30/06/2025)",
        "Thị trấn Vĩnh Tuy (đến 30/06/2025)",
    )
    expect(page.locator(CHIPS)).to_have_text([viet_quang, vinh_tuy])

    expected = cli_kpis(demo_db, "--year", "2019", "--commune", "01153", "--commune", "01156")
    for kpi_id in ("dossiers_received", "dossiers_on_time_rate"):
        want = fmt.value(expected[kpi_id]["value"], expected[kpi_id]["unit"], "vi")
        expect(page.locator(f'.st-key-kpi-{kpi_id} [data-testid="stMetricValue"]')).to_have_text(
            want
        )
    # The receptions tab: its cards, and the area in the address bar; then back.
    page.get_by_role("tab", name="Tiếp công dân & đối thoại").click()
    expect(page).to_have_url(re.compile(r"area=receptions"))
    want = fmt.number(expected["dialogue_attendees"]["value"])
    expect(
        page.locator('.st-key-kpi-dialogue_attendees [data-testid="stMetricValue"]')
    ).to_have_text(want)
    expect(page.locator(".st-key-kpi-dossiers_received")).to_have_count(0)
    page.get_by_role("tab", name="Thủ tục hành chính & một cửa").click()
    expect(page).to_have_url(re.compile(r"area=procedures"))
    # A card's definition is drawn when its popover opens: the formula is then on screen.
    card_box = page.locator(".st-key-kpi-dossiers_on_time_rate")
    expect(page.locator('[data-testid="stCode"]')).to_have_count(0)
    card_box.get_by_role("button", name=re.compile("Định nghĩa")).click()
    formula = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]')
    expect(formula).to_contain_text("dossiers")
    page.keyboard.press("Escape")

    # Remove the first chip: the URL keeps only the second commune.
    page.locator(CHIPS).first.get_by_role("button").click()
    expect(page.locator(CHIPS)).to_have_text([vinh_tuy])
    expect(page).to_have_url(re.compile(r"^(?!.*commune=01153).*commune=01156"))

    after = cli_kpis(demo_db, "--year", "2019", "--commune", "01156")
    want = fmt.value(after["dossiers_received"]["value"], "count", "vi")
    expect(
        page.locator('.st-key-kpi-dossiers_received [data-testid="stMetricValue"]')
    ).to_have_text(want)

    page.reload()
    expect(page.locator(CHIPS)).to_have_text([vinh_tuy])
    assert "area=procedures" in page.url
    expect(
        page.locator('.st-key-kpi-dossiers_received [data-testid="stMetricValue"]')
    ).to_have_text(want)
    page.screenshot(path=str(artifacts / "overview-shared-link.png"), full_page=True)


def test_date_range_level_and_english_from_link(
    page: Page, live_server: str, demo_db: Path
) -> None:
    """A custom range, a level and English from the link: labels and values follow."""
    open_view(page, live_server + "?from=2019-03-01&to=2019-06-30&level=xa&lang=en")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expected = cli_kpis(demo_db, "--from", "2019-03-01", "--to", "2019-06-30", "--level", "xa")
    for kpi_id, tab in (("dialogues", None), ("dossiers_on_time_rate", "Procedures")):
        if tab:
            page.get_by_role("tab", name=re.compile(tab)).click()
        want = fmt.value(expected[kpi_id]["value"], expected[kpi_id]["unit"], "en")
        expect(page.locator(f'.st-key-kpi-{kpi_id} [data-testid="stMetricValue"]')).to_have_text(
            want
        )
    assert "level=xa" in page.url and "lang=en" in page.url


def test_invalid_link_values_are_dropped_with_a_notice(page: Page, live_server: str) -> None:
    """An unknown commune code in a link is reported and removed, the page still renders."""
    open_view(page, live_server + "?year=2019&commune=99999&commune=01153")
    expect(page.get_by_text("commune = 99999")).to_be_visible()
    expect(page.locator(CHIPS)).to_have_text(["Thị trấn Việt Quang (đến 30/06/2025)"])
    expect(page).to_have_url(re.compile(r"^(?!.*99999).*commune=01153"))

"""Model v2 in a real Chromium on the demo (23 communes until 30/6/2025, 8 from 01/7/2025):
the unit view and the province level live in the address bar like every other filter."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from metrics import format as fmt
from metrics.periods import commune_units

ROOT = Path(__file__).resolve().parents[2]
CHIPS = '.st-key-commune_ui [data-testid="stMultiSelect"] [data-tag]'
UNITS = ".st-key-units_ui"
pytestmark = pytest.mark.browser


def cli_kpis(db: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "metrics", "--db", str(db), "--format", "json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)["kpis"]


def card(page: Page, kpi_id: str):
    return page.locator(f'.st-key-kpi-{kpi_id} [data-testid="stMetricValue"]')


def open_view(page: Page, url: str) -> None:
    page.set_default_timeout(60_000)
    page.goto(url)
    # The first view of a fresh server computes every card: allow it more than 5 s.
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=60_000)


def open_dropdown(page: Page, key: str, options) -> None:
    """Open a multiselect's list; a rerun still drawing the page may close it, so retry."""
    field = page.locator(f'{key} [data-testid="stMultiSelect"] input')
    for _ in range(5):
        field.click()
        try:
            expect(options.first).to_be_visible(timeout=3_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    expect(options.first).to_be_visible()


def test_units_today_survives_page_switch_and_reload(
    page: Page, live_server: str, demo_db: Path, artifacts: Path
) -> None:
    """Choosing 'Theo đơn vị hiện nay' puts units=today in the address bar and turns the
    chosen old town into the commune of today it merged into; the choice survives a page
    switch and a reload, and the cards equal `python -m metrics --units today`."""
    units = {u.code: u for u in commune_units(demo_db)}
    today = units[units["01153"].current_code]  # Việt Quang merged into xã Bắc Quang
    open_view(page, live_server + "?year=2025&commune=01153")
    expect(page.locator(CHIPS)).to_have_text(["Thị trấn Việt Quang (đến 30/06/2025)"])
    expect(page.locator(f"{UNITS} input[type=radio]").first).to_be_checked()
    assert "units=" not in page.url  # as recorded is the default and stays out

    page.locator(UNITS).get_by_text("Theo đơn vị hiện nay").click()
    expect(page).to_have_url(re.compile(rf"(?=.*units=today)(?=.*commune={today.code})"))
    expect(page.locator(CHIPS)).to_have_text([today.name])
    cli = cli_kpis(demo_db, "--year", "2025", "--units", "today", "--commune", today.code)
    expect(card(page, "reception_days")).to_have_text(fmt.number(cli["reception_days"]["value"]))

    # The picker offers today's communes only (the chosen one is a chip, not an option).
    options = page.locator('[role="listbox"] [role="option"]:not([data-key="__select_all__"])')
    open_dropdown(page, ".st-key-commune_ui", options)
    others = [u.name for u in units.values() if u.today and u.code != today.code]
    expect(options).to_have_text(others)
    page.keyboard.press("Escape")

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Tiếp công dân & đối thoại").click()
    expect(page.get_by_role("heading", name="Tiếp công dân & đối thoại").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/receptions\?(?=.*units=today)"))
    expect(page.locator(f"{UNITS} input[type=radio]").nth(1)).to_be_checked()
    expect(page.locator(CHIPS)).to_have_text([today.name])

    page.reload()
    expect(page.get_by_role("heading", name="Tiếp công dân & đối thoại").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/receptions\?(?=.*units=today)"))
    expect(page.locator(f"{UNITS} input[type=radio]").nth(1)).to_be_checked()
    expect(card(page, "reception_days")).to_have_text(fmt.number(cli["reception_days"]["value"]))
    share = page.locator('[data-testid="stSidebar"] [data-testid="stCode"]')
    page.get_by_text("Chia sẻ đúng khung nhìn này").click()
    expect(share).to_contain_text("units=today", timeout=30_000)  # drawn after a rerun
    page.screenshot(path=str(artifacts / "receptions-todays-units.png"), full_page=True)


def test_level_tinh_link_survives_a_page_switch(
    page: Page, live_server: str, demo_db: Path, artifacts: Path
) -> None:
    """A link with level=tinh selects 'Tỉnh', shows the provincial chairman's months as the
    CLI counts them, and keeps level=tinh on the next page."""
    open_view(page, live_server + "receptions?year=2025&level=tinh")
    level = page.locator(".st-key-level_ui")
    expect(level.get_by_role("radio", name="Tỉnh")).to_be_checked()
    cli = cli_kpis(demo_db, "--year", "2025", "--level", "tinh")
    province = cli["province_chair_compliance_rate"]
    expect(card(page, "province_chair_compliance_rate")).to_have_text(
        fmt.percent(province["value"])
    )
    page.screenshot(path=str(artifacts / "receptions-province.png"), full_page=True)

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Tổng quan").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?(?=.*level=tinh)"))
    expect(level.get_by_role("radio", name="Tỉnh")).to_be_checked()

"""A commune account on the real dashboard, in Chromium: it logs in through the form and
sees nothing of another commune, whatever the link asks. The warehouse is tests/fixture;
every expectation is counted by hand from tests/fixture/README.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from access.store import Store
from tests.browser.conftest import serve

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-du-dai-2025"
CARD = '.st-key-kpi-reception_days [data-testid="stMetricValue"]'
PICKER = '[data-testid="stSidebar"] .st-key-commune_ui [data-testid="stMultiSelect"]'
# Dossiers of the other communes (tests/fixture/README.md, dossiers): 00002, then 00003
# and 00004.
OTHER_DOSSIERS = ("H03", "H06", "H11", "H07", "H08", "H10", "H13")

pytestmark = pytest.mark.browser


def serve_gated(db: Path, accounts: Path, log: Path):
    """The dashboard (dashboard.py) on `db`, behind the accounts file; yields its base URL."""
    return serve(db, log, {"DANVAN_ACCOUNTS": str(accounts), "DANVAN_PUBLIC": ""})


@pytest.fixture(scope="module")
def gated_dashboard(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("roles")
    accounts = tmp / "accounts.db"
    Store(accounts).add_user("xa1", "don_vi", "00001", password=PASSWORD)
    with serve_gated(fixture_db, accounts, tmp / "server.log") as url:
        yield url


def log_in(page: Page, url: str) -> None:
    """Log in through the form, then open `url` (the session keeps the login)."""
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill("xa1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("xa1").first).to_be_visible(timeout=60_000)
    page.goto(url)
    expect(page.get_by_text("xa1").first).to_be_visible(timeout=60_000)


def test_link_to_another_commune_shows_zero(page: Page, gated_dashboard: str) -> None:
    """(a) ?year=2019&commune=00002: 00002 held R16 and R17 in 2019 (2 reception days);
    xa1 sees 0. Its own commune's 2019 figure is R12–R15: 4."""
    log_in(page, gated_dashboard + "?year=2019&commune=00001&lang=vi")
    expect(page.locator(CARD)).to_have_text("4")
    page.goto(gated_dashboard + "?year=2019&commune=00002&lang=vi")
    expect(page.locator(CARD)).to_have_text("0")
    expect(page.get_by_text("Thị trấn Hai")).to_have_count(0)


def test_overdue_dossiers_of_another_commune_are_not_listed(
    page: Page, gated_dashboard: str, tmp_path: Path
) -> None:
    """(b) the overdue dossiers of 2019 asked for 00002: nothing. (d) Without the commune,
    the list and its CSV hold H09 (00001) only, not H07 (00003, also overdue)."""
    log_in(page, gated_dashboard + "actions?year=2019&list=overdue_dossiers&commune=00002")
    expect(page.get_by_text("Không có việc nào trong danh sách này.")).to_be_visible()
    body = page.locator("body").inner_text()
    for dossier in OTHER_DOSSIERS:
        assert dossier not in body

    page.goto(gated_dashboard + "actions?year=2019&list=overdue_dossiers&lang=vi")
    expect(page.get_by_text("1 bản ghi")).to_be_visible()
    button = page.locator(".st-key-ac_overdue_dossiers_csv").get_by_role("button").first
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert "H09" in text
    for dossier in OTHER_DOSSIERS:
        assert dossier not in text
    for other in ("00002", "00003", "00004", "Thị trấn Hai", "Xã Ba", "Xã Bốn"):
        assert other not in text
    rows = pd.read_csv(target, encoding="utf-8-sig", dtype=str)
    assert len(rows) == 1


def test_sidebar_picker_offers_only_the_own_commune(page: Page, gated_dashboard: str) -> None:
    """(c) the commune picker lists Xã Một alone (the fixture has four communes)."""
    log_in(page, gated_dashboard + "?year=2019&lang=vi")
    expect(page.locator(CARD)).to_be_visible(timeout=60_000)
    # The page re-runs once after login; open the picker when it has settled, and again if
    # a late rerun closed it.
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=60_000)
    options = page.get_by_role("option")
    for _ in range(5):
        page.locator(PICKER).locator("input").click()
        try:
            expect(options).to_have_count(1, timeout=5_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    expect(options).to_have_count(1, timeout=5_000)
    expect(options).to_have_text(["Xã Một"])
    for other in ("Thị trấn Hai", "Xã Ba", "Xã Bốn"):
        expect(page.get_by_text(other)).to_have_count(0)


def test_a_link_opened_logged_out_lands_on_its_page_after_login(
    page: Page, gated_dashboard: str
) -> None:
    """A forwarded link to the overdue dossiers list, opened logged out: after the login
    form, the same page and view (the list, the year) with H09, xa1's overdue dossier."""
    page.set_default_timeout(60_000)
    page.goto(gated_dashboard + "actions?year=2019&list=overdue_dossiers&lang=vi")
    page.get_by_label("Tên đăng nhập").fill("xa1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # The list is a data grid: its cells are in the page, drawn on a canvas.
    expect(page.get_by_text("H09").first).to_be_attached(timeout=60_000)
    expect(page).to_have_url(re.compile(r"/actions\?(?=.*year=2019)(?=.*list=overdue_dossiers)"))

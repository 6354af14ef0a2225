"""The leader's phone: an opened link shows the score, three communes and the action counts
without scrolling; a count opens its list; the address bar holds the whole view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# Period M of tests/fixture_score/README.md: its overdue dossiers, most overdue first.
M = "?from=2024-03-04&to=2024-03-31"
OVERDUE_DOSSIERS = ["HC06", "HC07", "HD06", "HA06"]


def _on_first_screen(page: Page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def _wait_drawn(page: Page) -> None:
    """Until the script run has ended and its elements are drawn."""
    page.wait_for_load_state("networkidle")
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=60_000)
    expect(page.locator("[data-testid=stSkeleton]")).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(300)


def test_year_stays_in_the_address_bar(page: Page, live_server: str) -> None:
    """/?year=2019 keeps year=2019 after load; no year gets the default written in."""
    page.goto(live_server + "?year=2019")
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1500)
    assert "year=2019" in page.url
    page.goto(live_server)
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"year=2025"), timeout=10_000)


def test_demo_default_view_fits_a_phone(page: Page, live_server: str, artifacts) -> None:
    """The demo's default view (2025, old and new communes) on a phone's first screen."""
    page.set_viewport_size(PHONE)
    page.goto(live_server + "?year=2025")
    expect(page.locator(".st-key-ld_score")).to_be_visible(timeout=60_000)
    _wait_drawn(page)
    page.screenshot(path=str(artifacts / "landing_phone_demo.png"))
    _on_first_screen(page, page.locator(".st-key-ld_score"))
    rows = page.locator("[class*='st-key-ld_row_']")
    for i in range(3):
        _on_first_screen(page, rows.nth(i))
    _on_first_screen(page, page.locator(".st-key-ld_actions"))


def test_phone_first_screen_and_overdue_dossiers(page: Page, score_server: str, artifacts) -> None:
    """390 × 844: score, three communes, the six counts on screen; the overdue dossiers
    count opens its list with the fixture's hand-counted IDs; a reload shows the same."""
    page.set_viewport_size(PHONE)
    page.goto(score_server + M)
    expect(page.locator(".st-key-ld_score")).to_be_visible(timeout=60_000)
    _wait_drawn(page)
    page.screenshot(path=str(artifacts / "landing_phone.png"))
    _on_first_screen(page, page.locator(".st-key-ld_score"))
    expect(page.locator(".st-key-ld_score")).to_contain_text("68,9")
    rows = page.locator("[class*='st-key-ld_row_']")
    for i, name in enumerate(["Xã Định", "Xã Bình", "Xã Cường"]):
        expect(rows.nth(i)).to_contain_text(name)
        _on_first_screen(page, rows.nth(i))
    counts = page.locator(".st-key-ld_actions [data-testid=stPageLink-NavLink]:visible")
    expect(counts).to_have_count(6)
    _on_first_screen(page, page.locator(".st-key-ld_actions"))
    for i in range(6):
        _on_first_screen(page, counts.nth(i))

    overdue = page.locator(
        ".st-key-ld_actions [data-testid=stPageLink-NavLink]:visible", has_text="Hồ sơ quá hạn"
    )
    expect(overdue).to_contain_text("4")
    overdue.click()
    expect(page).to_have_url(re.compile(r"/actions\?.*list=overdue_dossiers"), timeout=30_000)
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible(timeout=60_000)
    _wait_drawn(page)
    url = page.url
    assert "from=2024-03-04" in url and "to=2024-03-31" in url
    assert _ids(page) == OVERDUE_DOSSIERS
    page.screenshot(path=str(artifacts / "actions_phone.png"))

    page.reload()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible(timeout=60_000)
    _wait_drawn(page)
    assert page.url == url
    assert _ids(page) == OVERDUE_DOSSIERS


def _ids(page: Page) -> list[str]:
    """The first column of the drawn list, read from the grid's accessible table."""
    cells = page.locator("[data-testid=stDataFrame] table tbody tr td:first-child")
    expect(cells.first).to_be_attached(timeout=30_000)
    return [c.strip() for c in cells.all_inner_texts()]

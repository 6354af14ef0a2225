"""The Dữ liệu page in a real Chromium: the open tab is part of the link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_tab_from_the_link_a_click_and_a_reload(page: Page, live_server: str) -> None:
    """?tab=coverage opens the coverage tab; a click on the log tab puts tab=log in the
    address bar, and a reload opens the log tab again."""
    page.set_default_timeout(60_000)
    page.goto(live_server + "data?tab=coverage&year=2019")
    coverage = page.get_by_role("tab", name="Mức độ đầy đủ")
    log = page.get_by_role("tab", name="Nhật ký nhập")
    expect(coverage).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("heading", name="Theo bảng")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/data\?(?=.*tab=coverage)(?=.*year=2019)"))

    log.click()
    expect(page).to_have_url(re.compile(r"/data\?(?=.*tab=log)(?=.*year=2019)"))
    expect(log).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Chưa có lần nhập nào.")).to_be_visible()
    expect(page.get_by_role("heading", name="Theo bảng")).to_have_count(0)

    page.reload()
    expect(page.get_by_role("tab", name="Nhật ký nhập")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Chưa có lần nhập nào.")).to_be_visible()
    assert "tab=log" in page.url

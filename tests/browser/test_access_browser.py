"""The login gate in Chromium, on a small app of its own (tests/access_app/app.py): the
form, a wrong password, then the right one landing on the linked view with the figure of
the user's scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from access import audit
from access.store import Store
from tests.browser.conftest import serve

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "tests" / "access_app" / "app.py"
PASSWORD = "mat-khau-dai-12"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def gated_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("access")
    accounts = tmp / "accounts.db"
    store = Store(accounts)
    store.add_user("xa01153", "don_vi", "01153", PASSWORD)
    env = {"DANVAN_ACCOUNTS": str(accounts)}
    with serve(demo_db, tmp / "server.log", env, app=APP) as url:
        yield url, store


def test_login_form_then_linked_view(page: Page, gated_server) -> None:
    url, store = gated_server
    page.goto(url + "?year=2019&lang=vi")
    expect(page.get_by_text("Đăng nhập").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Đơn thư tiếp nhận")).to_have_count(0)
    page.get_by_label("Tên đăng nhập").fill("xa01153")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau-123")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Sai tên đăng nhập hoặc mật khẩu.")).to_be_visible(timeout=20_000)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đơn thư tiếp nhận 2019")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("year=2019")).to_be_visible()
    assert "year=2019" in page.url
    expect(page.get_by_text("xa01153")).to_be_visible()
    events = set(audit.read(store)["event"])
    assert {"login", "login_failed"} <= events
    # The session survives a reload (cookie), and logging out ends it.
    page.reload()
    expect(page.get_by_text("Đơn thư tiếp nhận 2019")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=30_000)
    assert "logout" in set(audit.read(store)["event"])
    page.reload()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=30_000)

"""The login gate in Chromium, on a small app of its own (tests/access_app/app.py): the
form, a wrong password, then the right one landing on the linked view with the figure of
the user's scope."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from access import audit
from access.store import Store
from tests.browser.conftest import _free_port, _wait_healthy

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
    port = _free_port()
    env = {**os.environ, "DANVAN_DB": str(demo_db), "DANVAN_ACCOUNTS": str(accounts)}
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(url, proc)
        yield url, store
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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

"""Single sign-on in Chromium: the full round trip through `st.login` against the local
OpenID Connect provider (tests/oidc_provider.py), on the small gated app
(tests/access_app/app.py). A linked view survives the trip; an identity with no account
is refused with a message and no figure."""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from access import audit
from access.store import Store
from tests.browser.conftest import _free_port, serve
from tests.oidc_provider import Identity, Provider

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "tests" / "access_app" / "app.py"
KNOWN = Identity("sub-xa01153", "xa01153@example.org", "Cán bộ xã")
UNKNOWN = Identity("sub-nobody", "nobody@example.org", "Người lạ")

pytestmark = pytest.mark.browser


def _secrets(path: Path, app_port: int, provider: Provider) -> None:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{provider.client_id}"\n'
        f'client_secret = "{provider.client_secret}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def sso_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    if importlib.util.find_spec("httpx") is None:
        # Streamlit's /auth/login imports Authlib's Starlette client, which needs httpx
        # (the `streamlit[auth]` extra); without it the login answers 500.
        pytest.fail("st.login needs httpx (streamlit[auth]); it is not installed")
    tmp = tmp_path_factory.mktemp("oidc")
    store = Store(tmp / "accounts.db")
    store.add_user("xa01153", "don_vi", "01153", email=KNOWN.email, subject=KNOWN.sub)
    port = _free_port()
    with Provider(identity=KNOWN) as provider:
        secrets_file = tmp / "secrets.toml"
        _secrets(secrets_file, port, provider)
        env = {"DANVAN_ACCOUNTS": str(tmp / "accounts.db")}
        options = [f"--secrets.files={secrets_file}"]
        log = tmp / "server.log"
        with serve(demo_db, log, env, app=APP, options=options, port=port) as url:
            yield url, store, provider


def _sso(page: Page, url: str) -> None:
    page.goto(url + "?year=2019&lang=vi")
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Đơn thư tiếp nhận")).to_have_count(0)
    page.get_by_role("button", name="Đăng nhập một lần (SSO)").click()


def test_sso_round_trip_lands_on_linked_view(page: Page, sso_server) -> None:
    url, store, provider = sso_server
    provider.identity = KNOWN
    provider.seen.clear()
    _sso(page, url)
    expect(page.get_by_text("Đơn thư tiếp nhận 2019")).to_be_visible(timeout=30_000)
    # The trip went through the provider: authorize in the browser, then the token.
    assert {"/authorize", "/token"} <= set(provider.seen)
    expect(page.get_by_text("year=2019")).to_be_visible()
    assert page.url.startswith(url) and "year=2019" in page.url
    expect(page.get_by_text("xa01153")).to_be_visible()
    log = audit.read(store)
    logins = log[log["event"] == "login"]
    assert "oidc" in " ".join(logins["detail"].astype(str))
    # The session survives a reload.
    page.reload()
    expect(page.get_by_text("Đơn thư tiếp nhận 2019")).to_be_visible(timeout=30_000)
    # Logging out ends both the session and the single sign-on.
    # st.logout sends the browser to /auth/logout, which drops the identity cookie; wait
    # for it, or a reload would cancel that trip and the cookie would log the user in again.
    with page.expect_response(lambda r: "/auth/logout" in r.url, timeout=30_000):
        page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=30_000)
    assert "sso_unknown" not in set(audit.read(store)["event"])
    page.reload()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Đơn thư tiếp nhận")).to_have_count(0)


def test_sso_identity_without_account_is_refused(page: Page, sso_server) -> None:
    url, store, provider = sso_server
    provider.identity = UNKNOWN
    provider.seen.clear()
    try:
        _sso(page, url)
        msg = "Tài khoản đăng nhập một lần này chưa được cấp quyền. Liên hệ quản trị viên."
        expect(page.get_by_text(msg)).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Đơn thư tiếp nhận")).to_have_count(0)
        assert "/token" in provider.seen
        assert "sso_unknown" in set(audit.read(store)["event"])
    finally:
        provider.identity = KNOWN

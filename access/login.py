"""The Streamlit gate: the login form (Vietnamese first), single sign-on and the session.

`gate()` runs first on every script run. It sets the engine's access scope for the run
(nothing is readable until a user is known), then either returns the user or draws the
login form and stops the script. With no account configured it returns the anonymous
full-access user, and only on a loopback address.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime

import duckdb
import streamlit as st

from access import audit, bind_address, config
from access.scope import NO_ACCESS, for_user, set_scope
from access.store import ANONYMOUS, ROLE_NAMES, Store, User, utcnow

TOKEN_KEY = "_access_token"
LINK_KEY = "_access_link"
RESTORED_KEY = "_access_restored"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

TEXT = {
    "title": ("Đăng nhập", "Log in"),
    "intro": (
        "Bảng theo dõi công tác dân vận chính quyền. Vui lòng đăng nhập để xem số liệu.",
        "Dân vận Dashboard. Please log in to see the figures.",
    ),
    "username": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "submit": ("Đăng nhập", "Log in"),
    "sso": ("Đăng nhập một lần (SSO)", "Single sign-on"),
    "bad": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "locked": (
        "Tài khoản tạm khoá do nhập sai nhiều lần. Thử lại sau {minutes} phút.",
        "Too many failed attempts: the account is locked for {minutes} minutes.",
    ),
    "disabled": ("Tài khoản đã bị khoá.", "This account is disabled."),
    "sso_unknown": (
        "Tài khoản đăng nhập một lần này chưa được cấp quyền. Liên hệ quản trị viên.",
        "This single sign-on identity has no account here. Ask an administrator.",
    ),
    "logout": ("Đăng xuất", "Log out"),
    "signed_in": (
        "Đang đăng nhập: **{user}** · {role} · {unit}",
        "Signed in: **{user}** · {role} · {unit}",
    ),
    "local": (
        "Chế độ cục bộ: chưa có tài khoản nào, chỉ mở trên 127.0.0.1 (máy này).",
        "Local mode: no accounts configured; served on 127.0.0.1 (this machine) only.",
    ),
    "exposed": (
        "Chưa có tài khoản nào nên bảng chỉ được mở trên 127.0.0.1. Hãy tạo tài khoản "
        '(`python -m access add-user`) hoặc đặt `server.address = "127.0.0.1"`.',
        "No accounts are configured, so the dashboard may only listen on 127.0.0.1. Create "
        'accounts (`python -m access add-user`) or set `server.address = "127.0.0.1"`.',
    ),
    "error": (
        "Không đăng nhập được lúc này. Thử lại sau.",
        "Login is unavailable; try again later.",
    ),
}


def _lang() -> str:
    return "en" if st.query_params.get("lang") == "en" else "vi"


def text(key: str, lang: str | None = None, **kw: object) -> str:
    vi, en = TEXT[key]
    return (en if (lang or _lang()) == "en" else vi).format(**kw)


def _md(value: object) -> str:
    """A value shown inside Markdown, with Markdown and HTML characters escaped."""
    out = str(value)
    for ch in "\\`*_{}[]()#+-.!|<>~$":
        out = out.replace(ch, "\\" + ch)
    return out


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or an unreadable one
        return False


def _js(script: str) -> None:
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def _set_cookie(token: str) -> None:
    # The token is URL-safe base64 from secrets.token_urlsafe; json.dumps quotes it.
    age = int(config.SESSION_MAX.total_seconds())
    value = json.dumps(f"{config.SESSION_COOKIE}={token}; Path=/; SameSite=Strict; Max-Age={age}")
    _js(f"document.cookie = {value};")


def _clear_cookie() -> None:
    value = json.dumps(f"{config.SESSION_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0")
    _js(f"document.cookie = {value};")


def _remember_link() -> None:
    """Keep the link the user opened: in this session, and in the browser tab for the
    single sign-on round trip (which returns to the home page)."""
    if LINK_KEY not in st.session_state:
        st.session_state[LINK_KEY] = {k: st.query_params.get_all(k) for k in st.query_params}
    _js(
        "if (location.search || location.pathname.replace(/\\/+$/, '')) "
        "sessionStorage.setItem('danvan_next', location.pathname + location.search);"
    )


def _restore_link() -> None:
    """After login, land on the view the link named."""
    saved = st.session_state.pop(LINK_KEY, None)
    if saved and not list(st.query_params):
        st.query_params.from_dict(saved)
    if not st.session_state.get(RESTORED_KEY):
        st.session_state[RESTORED_KEY] = True
        # Only a same-site path (one leading slash) is followed.
        _js(
            "const n = sessionStorage.getItem('danvan_next');"
            "sessionStorage.removeItem('danvan_next');"
            "if (n && n.startsWith('/') && !n.startsWith('//') && !location.search"
            " && n !== location.pathname + location.search) location.replace(n);"
        )


def _sidebar(user: User, lang: str, store: Store) -> None:
    role = ROLE_NAMES.get(user.role, (user.role, user.role))[1 if lang == "en" else 0]
    box = st.sidebar.container(key="access_user")
    box.caption(
        text(
            "signed_in",
            lang,
            user=_md(user.username),
            role=_md(role),
            unit=_md(user.unit_code or "*"),
        )
    )
    if box.button(text("logout", lang), key="access_logout", icon=":material/logout:"):
        store.close_session(st.session_state.pop(TOKEN_KEY, None))
        audit.record("logout", user, {}, store)
        _clear_cookie()
        st.session_state.pop(RESTORED_KEY, None)
        if sso_configured() and st.user.is_logged_in:
            # The browser goes to /auth/logout (which drops the identity cookie) and back
            # to the login form. A rerun here could drop that redirect, and the cookie
            # would sign the user in again on the next page load.
            st.logout()
            st.stop()
        st.rerun()  # the login form; the session is gone on the server, cookie or not


def _session_user(store: Store, now: datetime) -> User | None:
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(config.SESSION_COOKIE)
    if not isinstance(token, str) or not token:  # no cookie (or a runner without cookies)
        st.session_state.pop(TOKEN_KEY, None)
        return None
    user = store.session_user(token, now)
    if user is not None:
        st.session_state[TOKEN_KEY] = token
    else:
        st.session_state.pop(TOKEN_KEY, None)
    return user


def _sso_user(store: Store, now: datetime, lang: str) -> User | None:
    if not (sso_configured() and st.user.is_logged_in):
        return None
    email, subject = st.user.get("email"), st.user.get("sub")
    if st.user.get("email_verified") is False:
        email = None
    user = store.by_identity(email, subject)
    if user is None:
        audit.record("sso_unknown", None, {"email": email, "sub": subject}, store, now)
        st.error(text("sso_unknown", lang))
        if st.button(text("logout", lang), key="access_sso_logout"):
            st.logout()
        st.stop()
    token = store.open_session(user.username, now)
    st.session_state[TOKEN_KEY] = token
    audit.record("login", user, {"method": "oidc"}, store, now)
    _set_cookie(token)
    return user


def _login_form(store: Store, now: datetime, lang: str) -> User | None:
    _remember_link()
    slot = st.empty()
    with slot.container():
        _, mid, _ = st.columns([1, 2, 1])
        with mid:
            st.subheader(text("title", lang))
            st.caption(text("intro", lang))
            if sso_configured() and st.button(text("sso", lang), icon=":material/key:"):
                st.login()
            with st.form("access_login", clear_on_submit=False):
                name = st.text_input(text("username", lang), key="access_username")
                password = st.text_input(
                    text("password", lang), type="password", key="access_password"
                )
                sent = st.form_submit_button(text("submit", lang), type="primary")
            if not sent:
                return None
            user, reason = store.authenticate(name, password, now)
            if user is None:
                if reason == "locked":
                    minutes = int(config.LOCKOUT.total_seconds() // 60)
                    st.error(text("locked", lang, minutes=minutes))
                else:
                    st.error(text("disabled" if reason == "disabled" else "bad", lang))
                return None
    slot.empty()
    st.session_state.pop("access_password", None)
    token = store.open_session(user.username, now)
    st.session_state[TOKEN_KEY] = token
    _set_cookie(token)
    return user


# Where the run's user is kept for the pages (the operator of an import, the admin page).
USER_KEY = "_user"


def gate(
    db=None,
    store: Store | None = None,
    now: datetime | None = None,
    before_stop: Callable[[], None] | None = None,
) -> User:
    """The user of this run, with the engine's scope set for them; otherwise the login
    form is drawn and the script stops here. Call it before anything reads data."""
    set_scope(NO_ACCESS)
    store = store or Store()
    lang = _lang()
    now = now or utcnow()
    try:
        if not store.has_accounts():
            address = st.get_option("server.address") or ""
            if address not in LOOPBACK or bind_address() not in LOOPBACK:
                st.error(text("exposed", lang))
                st.stop()
            set_scope(None)
            st.sidebar.caption(text("local", lang))
            st.session_state[USER_KEY] = ANONYMOUS
            return ANONYMOUS
        user = _session_user(store, now) or _sso_user(store, now, lang)
        if user is None:
            user = _login_form(store, now, lang)
        if user is None:
            if before_stop is not None:
                before_stop()  # e.g. keep the linked page, so the login lands on it
            st.stop()
        set_scope(for_user(user, db))
    except (sqlite3.Error, duckdb.Error, OSError):
        # A broken accounts file or warehouse: no traceback, no data.
        st.error(text("error", lang))
        st.stop()
    _restore_link()
    _sidebar(user, lang, store)
    st.session_state[USER_KEY] = user
    return user

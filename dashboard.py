"""Dân vận Dashboard: the entrypoint draws the global filters once, then runs the page.

Pages live in `views/`, not `pages/`: a `pages/` folder beside the entrypoint switches
Streamlit to its legacy multipage mode, which drops URL-bound filters on page switches.
"""

import threading

import duckdb
import streamlit as st

from data.warehouse import default_db_path, needs_upgrade, read_meta
from views import cache, links
from views.components import share_control
from views.i18n import t
from views.state import draw_sidebar

st.set_page_config(page_title="Dân vận Dashboard", page_icon=":material/groups:", layout="wide")

_build_lock = threading.Lock()


def _is_demo(db) -> bool:
    try:
        return read_meta(db).get("source") == "demo"
    except duckdb.Error:
        return False


def ensure_warehouse() -> None:
    """Build the demo warehouse on first start, with progress, when none exists yet; bring
    a warehouse of an earlier version up to date (the demo is rebuilt, an office's own
    records are upgraded in place, atomically)."""
    db = default_db_path()
    try:
        outdated = db.exists() and needs_upgrade(db)
    except duckdb.Error:
        return  # a damaged or foreign file: the message below says so
    if db.exists() and not outdated:
        return
    if outdated and not _is_demo(db):
        from data.importer import upgrade_warehouse

        with _build_lock, st.spinner(t("upgrading_warehouse")):
            result = upgrade_warehouse(db)
        for fault in result.faults:
            st.error(fault.message())
        if result.faults:
            st.stop()
        return
    from data.__main__ import build_demo

    with _build_lock:
        if db.exists() and not needs_upgrade(db):  # another session built it meanwhile
            return
        bar = st.progress(0.0, text=t("building_demo"))

        def progress(stage: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=f"{t('building_demo')} ({stage})")

        build_demo(db, progress=progress)
        bar.empty()
    st.toast(t("built_demo"))


ensure_warehouse()
DB = default_db_path()
try:
    info = cache.warehouse_info(DB)
except duckdb.Error as exc:  # a damaged or foreign file: say so, never a traceback
    st.error(t("warehouse_unreadable", path=str(DB), error=str(exc).splitlines()[0]))
    st.stop()
years = info["years"] or [info["latest_full_year"] or 2019]
default_year = info["latest_full_year"] or years[-1]

state, notices = draw_sidebar(DB, info["units"], years, default_year, info["levels"])
lang = state.lang

PAGES = {
    key: st.Page(
        script,
        title=t(f"page_{key}", lang),
        icon=icon,
        url_path=path or None,
        default=key == "overview",
    )
    for key, (script, path, icon) in links.PAGES.items()
}
page = st.navigation(list(PAGES.values()))
page_key = next((k for k, p in PAGES.items() if p.url_path == page.url_path), "overview")

if info["meta"].get("source") == "demo":
    st.info(t("demo_note", lang), icon=":material/science:")
for notice in notices:
    st.warning(notice, icon=":material/link_off:")
share_control(state, page_key)
page.run()

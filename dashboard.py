"""Dân vận Dashboard: the entrypoint draws the global filters once, then runs the page.

Pages live in `views/`, not `pages/`: a `pages/` folder beside the entrypoint switches
Streamlit to its legacy multipage mode, which drops URL-bound filters on page switches.
"""

import threading
from urllib.parse import urlsplit

import duckdb
import streamlit as st

from access import login
from data.warehouse import default_db_path, needs_upgrade, read_meta
from views import cache, links
from views.components import share_control
from views.i18n import t
from views.state import draw_sidebar
from views.text import literal

st.set_page_config(page_title="Dân vận Dashboard", page_icon=":material/groups:", layout="wide")

_build_lock = threading.Lock()

# A phone's first screen holds the score, the three worst communes and the six action
# counts: less space above the page and inside the landing page's blocks on narrow screens.
# A KPI card's title wraps in full instead of ending in "…".
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.75rem; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; padding: 0; }
  .st-key-ld_first, .st-key-ld_first [data-testid="stColumn"] { gap: 0.4rem; }
  .st-key-ld_score, [class*="st-key-ld_row_"] { padding: 0.25rem 0.6rem; gap: 0; }
  .st-key-ld_score [data-testid="stMetricValue"] { font-size: 1.75rem; }
  [class*="st-key-ld_row_"] [data-testid="stCaptionContainer"] {
    font-size: 0.8rem; line-height: 1.3;
  }
  .st-key-ld_actions { gap: 0.2rem 0.5rem; }
  .st-key-ld_actions a { padding: 0 0.25rem; min-height: 0; height: 1.9rem; }
}
</style>"""
st.html(COMPACT_CSS)


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


# Before anything reads data: the login (when accounts exist) and the user's scope, which
# the metrics layer applies to every query.
def _keep_linked_page() -> None:
    """While the login form shows, the pages are declared (hidden), so the page the link
    named is the one the form's rerun opens."""
    st.navigation(
        [
            st.Page(script, url_path=path or None, default=key == "overview")
            for key, (script, path, _) in links.PAGES.items()
        ],
        position="hidden",
    )


user = login.gate(DB, before_stop=_keep_linked_page)
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
    if key not in links.ROLE_PAGES or user.can(links.ROLE_PAGES[key])
}
page = st.navigation(list(PAGES.values()))
page_key = next((k for k, p in PAGES.items() if p.url_path == page.url_path), "overview")

if info["meta"].get("source") == "demo":
    # One line, so the score and the worst communes stay on a phone's first screen.
    st.caption(f":material/science: {t('demo_note_short', lang)}", help=t("demo_note", lang))
path = urlsplit(st.context.url or "").path
if links.page_for_path(path) is None:  # a misspelled page path lands on the main page
    notices.insert(0, t("unknown_page", lang, path=literal(path)))
for notice in notices:
    st.warning(notice, icon=":material/link_off:")
share_control(state, page_key)
page.run()

"""Every link of the dashboard is built here, from the view state it reproduces."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from metrics.engine import RECORDED, Filters

# Every page once: key -> (script, URL path, icon). Titles are `page_<key>` in views/i18n.py.
PAGES = {
    "overview": ("views/overview.py", "", ":material/dashboard:"),
    "receptions": ("views/receptions.py", "receptions", ":material/record_voice_over:"),
    "petitions": ("views/petitions.py", "petitions", ":material/mail:"),
    "procedures": ("views/procedures.py", "procedures", ":material/description:"),
    "staff": ("views/staff.py", "staff", ":material/badge:"),
    "data": ("views/data_page.py", "data", ":material/upload_file:"),
    "actions": ("views/actions.py", "actions", ":material/checklist:"),
    "report": ("views/report_page.py", "report", ":material/summarize:"),
    "admin": ("views/admin.py", "admin", ":material/admin_panel_settings:"),
}
# Pages only some roles see (the action of access.store.User.can they need).
ROLE_PAGES = {"data": "import", "admin": "admin"}
PAGE_PATHS = {key: path for key, (_, path, _) in PAGES.items()}
# The domain pages' tabs (`tab=` in the link, views/sections.py Page.tabs), the figures first.
PAGE_TABS: dict[str, tuple[str, ...]] = {
    "receptions": ("figures", "receptions", "cadence", "dialogues"),
    "petitions": ("figures", "funnel", "ageing", "communes", "cases"),
    "procedures": ("figures", "months", "ageing", "communes", "worst", "catalogue"),
    "staff": ("figures", "ratings", "inspections"),
}
# The tab each in-page choice of a domain page lives in: a link that names the choice but
# no tab (written before the pages had tabs, or by hand) opens that tab.
TAB_OF_CHOICE: dict[str, dict[str, str]] = {
    "receptions": {"rc_commune_kpi": "receptions", "grid": "cadence"},
    "petitions": {"pt_commune_kpi": "communes", "cases": "cases"},
    "procedures": {"pr_commune_kpi": "communes"},
}
# The in-page choices each page holds in its link (views/state.py url_choice, url_tabs):
# the area of cards, the compared KPI (`<section>_kpi`), the list, case view, grid and tab.
# The share box carries them, so a forwarded link opens the same tab and the same list.
IN_PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "overview": ("area", "compare_kpi"),
    "receptions": ("tab", "rc_commune_kpi", "grid"),
    "petitions": ("tab", "pt_commune_kpi", "cases"),
    "procedures": ("tab", "pr_commune_kpi"),
    "staff": ("tab",),
    "actions": ("list",),
    "data": ("tab",),
}


def query(filters: Filters, lang: str, default_year: int | None, extra: dict | None = None) -> str:
    """The query string of a view. The year is always written out, even when it is today's
    default, so a shared link keeps its period after newer data arrive; the unit view only
    when it is not the default (as recorded)."""
    pairs: list[tuple[str, str]] = []
    if filters.is_calendar_year:
        pairs.append(("year", str(filters.date_from.year)))
    else:
        pairs.append(("from", filters.date_from.isoformat()))
        pairs.append(("to", filters.date_to.isoformat()))
    pairs += [("commune", c) for c in filters.communes]
    if filters.level:
        pairs.append(("level", filters.level))
    if filters.units != RECORDED:
        pairs.append(("units", filters.units))
    if lang != "vi":
        pairs.append(("lang", lang))
    for key, value in (extra or {}).items():
        pairs.append((key, str(value)))
    return urlencode(pairs)


def view_url(
    base_url: str,
    page: str,
    filters: Filters,
    lang: str,
    default_year: int | None,
    extra: dict | None = None,
) -> str:
    """The full link of a page under the given filters (and the page's in-page choices in
    `extra`), on the server of `base_url`."""
    parts = urlsplit(base_url)
    root = parts.path
    for path in PAGE_PATHS.values():
        if path and root.rstrip("/").endswith("/" + path):
            root = root.rstrip("/")[: -len(path)]
            break
    if not root.endswith("/"):
        root += "/"
    path = root + PAGE_PATHS[page]
    q = query(filters, lang, default_year, extra)
    return urlunsplit((parts.scheme, parts.netloc, path, q, ""))


def page_link(page: str, filters: Filters, lang: str, default_year: int | None) -> str:
    """A relative link to another page keeping the filters (for st.markdown links)."""
    q = query(filters, lang, default_year)
    return "./" + PAGE_PATHS[page] + (f"?{q}" if q else "")


def params(filters: Filters, lang: str, extra: dict | None = None) -> dict[str, str | list[str]]:
    """The view's query keys as a mapping (for st.page_link's query_params)."""
    out: dict[str, str | list[str]] = {}
    for key, value in _pairs(query(filters, lang, None, extra)):
        if key in out:
            prev = out[key]
            out[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[key] = value
    return out


def _pairs(q: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(q, keep_blank_values=True)


def action_url(name: str, filters: Filters, lang: str) -> str:
    """The relative link of one action list, e.g. `./actions?year=2025&list=overdue_dossiers`."""
    return "./" + PAGE_PATHS["actions"] + "?" + query(filters, lang, None, {"list": name})


def page_for_path(path: str) -> str | None:
    """The page a URL path opens (its last segment), None when no page has that path."""
    last = path.rstrip("/").rsplit("/", 1)[-1] if path.strip("/") else ""
    return next((k for k, p in PAGE_PATHS.items() if p == last), None)

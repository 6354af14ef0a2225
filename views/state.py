"""The global filters: drawn once in the sidebar by the entrypoint, kept in the URL.

Each filter that shows a label other than its URL value (communes show names, the level
and the unit view show words) is a pair: a hidden widget bound to the query string holding
the raw code, and the visible widget the user touches, kept in step through session state.
The URL then reads `?year=2019&commune=01153&level=xa&units=today&lang=en` while the chips
show Vietnamese names. Values in a link that are not valid are dropped by the widgets; we
read the link first so the user is told what was dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from metrics import format as fmt
from metrics.engine import RECORDED, TODAY, UNIT_VIEWS, Filters, Scope, current_scope
from metrics.periods import CommuneUnit
from views.i18n import level_name, t
from views.text import literal

ALL_LEVELS = "all"
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2035, 12, 31)
STATE_KEY = "_view_state"


@dataclass(frozen=True)
class ViewState:
    filters: Filters
    lang: str
    db: Path
    communes: dict[str, str]  # code -> label (name and validity) of every commune of the view
    years: list[int]
    default_year: int
    page: str = "overview"
    levels: tuple[str, ...] = ()  # levels of government the warehouse holds, highest first
    # code -> label of every commune as recorded (with validity), whatever the unit view:
    # the reception cadences are judged on the units that existed.
    unit_names: dict[str, str] = field(default_factory=dict)

    def commune_name(self, code: str | None) -> str:
        return self.communes.get(code or "", self.unit_name(code))

    def unit_name(self, code: str | None) -> str:
        return self.unit_names.get(code or "", code or "—")


def current() -> ViewState:
    """The view state the entrypoint computed for this run."""
    return st.session_state[STATE_KEY]


def level_options(levels: tuple[str, ...]) -> list[str]:
    """The level filter's choices: all, then each level the warehouse holds, highest first."""
    return [ALL_LEVELS, *levels]


def view_communes(units: list[CommuneUnit], view: str) -> list[CommuneUnit]:
    """The communes a view offers: every commune as recorded, today's under today's units."""
    return [u for u in units if u.today] if view == TODAY else list(units)


def commune_labels(units: list[CommuneUnit], view: str, lang: str) -> dict[str, str]:
    """Code → label. As recorded, a commune that began or ended says when; under today's
    units each commune stands for its whole area, history included, so no dates."""
    if view == TODAY:
        return {u.code: u.name for u in view_communes(units, view)}
    return {u.code: fmt.unit_label(u.name, u.valid_from, u.valid_to, lang) for u in units}


def has_successions(units: list[CommuneUnit]) -> bool:
    return any(u.current_code != u.code for u in units)


def allowed_units(units: list[CommuneUnit], scope: Scope | None) -> list[CommuneUnit]:
    """The communes whose rows the scope allows (all of them when there is no scope): the
    only ones whose names the filters may show."""
    return list(units) if scope is None else [u for u in units if scope.allows(u.code)]


def out_of_scope_asked(units: list[CommuneUnit], scope: Scope | None) -> list[str]:
    """Communes the link asks for that the scope does not allow. They stay in the filter,
    shown by their code alone, so the view shows nothing of them (the engine gives such a
    filter no rows); whether such a code exists in the warehouse is not told."""
    if scope is None or scope.rows is None:
        return []
    allowed = {u.code for u in units}
    asked = [c for c in st.query_params.get_all("commune") if c and c not in allowed]
    return list(dict.fromkeys(asked))


def _mirror(bound_key: str, ui_key: str) -> None:
    """Show the bound (URL) value in the visible widget before it is drawn."""
    value = st.session_state[bound_key]
    if st.session_state.get(ui_key) != value:
        st.session_state[ui_key] = list(value) if isinstance(value, list) else value


def _push(bound_key: str, ui_key: str) -> None:
    value = st.session_state[ui_key]
    st.session_state[bound_key] = list(value) if isinstance(value, list) else value


def _push_units(current_code: dict[str, str]) -> None:
    """The unit view changed. Under today's units each chosen commune becomes the commune of
    today it belongs to, so the choice survives the switch instead of being dropped."""
    _push("units", "units_ui")
    if st.session_state["units"] == TODAY:
        chosen = st.session_state.get("commune") or []
        st.session_state["commune"] = list(dict.fromkeys(current_code.get(c, c) for c in chosen))


def _invalid_params(
    units: list[CommuneUnit],
    years: list[int],
    levels: tuple[str, ...],
    kept: tuple[str, ...] = (),
) -> list[tuple[str, str]]:
    """(param, value) pairs of the link that no widget will accept (`kept`: commune codes
    the commune widget accepts whatever the warehouse holds)."""
    qp = st.query_params
    view = qp.get("units", RECORDED)
    offered = {u.code for u in view_communes(units, view if view in UNIT_VIEWS else RECORDED)}
    offered |= set(kept)
    bad: list[tuple[str, str]] = []
    bad += [("commune", c) for c in qp.get_all("commune") if c and c not in offered]
    bad += [("year", y) for y in qp.get_all("year") if y not in {str(x) for x in years}]
    bad += [("level", v) for v in qp.get_all("level") if v not in level_options(levels)]
    bad += [("units", v) for v in qp.get_all("units") if v not in UNIT_VIEWS]
    bad += [("lang", v) for v in qp.get_all("lang") if v not in LANG_NAMES]
    for key in ("from", "to"):
        for v in qp.get_all(key):
            try:
                ok = DATE_MIN <= date.fromisoformat(v) <= DATE_MAX
            except ValueError:
                ok = False
            if not ok:
                bad.append((key, v))
    return bad


def _date_param(key: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(key, ""))
    except ValueError:
        return None


# Keys a link holds once; a second value is named in a notice (the first one is used).
SINGLE_KEYS = (
    "year",
    "from",
    "to",
    "level",
    "units",
    "lang",
    "list",
    "cases",
    "grid",
    "tab",
    "area",
)


def repeated_params() -> list[str]:
    """Keys of the link that hold one value but were given several."""
    return [k for k in SINGLE_KEYS if len(st.query_params.get_all(k)) > 1]


def _period_from_link(
    years: list[int], default_year: int, url_from: date | None, url_to: date | None, lang: str
) -> list[str]:
    """Seed the period widgets from the link on a session's first run; a reversed range is
    swapped (and the link corrected below), an invalid year falls back to the default."""
    notices: list[str] = []
    if url_from or url_to:
        first = url_from or date(default_year, 1, 1)
        last = url_to or date(default_year, 12, 31)
        if first > last:
            shown = f"{fmt.day(first, lang)} – {fmt.day(last, lang)}"
            notices.append(t("reversed_range", lang, value=shown))
            first, last = last, first
        st.session_state.update(period_mode="range", **{"from": first, "to": last})
        st.session_state["year"] = default_year
        return notices
    st.session_state["period_mode"] = "year"
    asked = next(iter(st.query_params.get_all("year")), "")
    st.session_state["year"] = next((y for y in years if str(y) == asked), default_year)
    st.session_state["from"], st.session_state["to"] = (
        date(default_year, 1, 1),
        date(default_year, 12, 31),
    )
    return notices


def _order_range() -> None:
    """A range picked end before start is swapped, so the view and its link stay valid."""
    first, last = st.session_state.get("from"), st.session_state.get("to")
    if isinstance(first, date) and isinstance(last, date) and first > last:
        st.session_state["from"], st.session_state["to"] = last, first


def _write_period(mode: str, date_from: date, date_to: date) -> None:
    """Write the period into the link on every run, the default year included: the
    frontend leaves out a bound widget at its default value, and a shared link must keep
    its period after newer data arrive. Only changed keys are sent."""
    qp = st.query_params
    wanted = (
        {"year": str(date_from.year)}
        if mode == "year"
        else {"from": date_from.isoformat(), "to": date_to.isoformat()}
    )
    for key in ("year", "from", "to"):
        if key not in wanted and key in qp:
            del qp[key]
    for key, value in wanted.items():
        if qp.get_all(key) != [value]:
            qp[key] = value


def draw_sidebar(
    db: Path,
    units: list[CommuneUnit],
    years: list[int],
    default_year: int,
    levels: tuple[str, ...],
    page: str = "overview",
) -> tuple[ViewState, list[str]]:
    """Draw the filters; return the view state and the notices to show (translated, with
    the link's values escaped: they are shown as Markdown).

    Only the communes the signed-in user's scope allows are offered or named (`units` is
    the warehouse's cached list, the same for every user: it is narrowed here, per run).
    """
    scope = current_scope()
    units = allowed_units(units, scope)
    kept = out_of_scope_asked(units, scope)
    invalid = _invalid_params(units, years, levels, tuple(kept))
    url_from, url_to = _date_param("from"), _date_param("to")
    sb = st.sidebar
    levels_offered = level_options(levels)

    # Hidden widgets bound to the URL, holding raw codes. The unit view comes before the
    # communes: it decides which communes are offered.
    with sb.container(key="url_state"):
        st.html("<style>.st-key-url_state{display:none}</style>")
        st.selectbox("lang", list(LANG_NAMES), key="lang", bind="query-params")
        st.selectbox("level", levels_offered, key="level", bind="query-params")
        st.selectbox("units", list(UNIT_VIEWS), key="units", bind="query-params")
        view = st.session_state["units"]
        offered = [u.code for u in view_communes(units, view)] + kept
        st.multiselect("commune", offered, key="commune", bind="query-params")
    lang = st.session_state["lang"]
    labels = commune_labels(units, view, lang)

    sb.markdown(f"### {t('app_title', lang)}")
    sb.caption(t("app_subtitle", lang))
    sb.subheader(t("filters", lang))
    notices = [t("invalid_param", lang, param=p, value=literal(v)) for p, v in invalid]
    notices += [t("repeated_param", lang, param=p) for p in repeated_params()]
    if "period_mode" not in st.session_state:  # a new session: the period comes from the link
        notices += _period_from_link(years, default_year, url_from, url_to, lang)
    mode = sb.radio(
        t("period", lang),
        ["year", "range"],
        format_func=lambda m: t(f"period_{m}", lang),
        key="period_mode",
        horizontal=True,
    )
    if mode == "year":
        year = sb.selectbox(t("year", lang), years, key="year")
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    else:
        c1, c2 = sb.columns(2)
        date_format = "DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD"
        for col, key in ((c1, "from"), (c2, "to")):
            col.date_input(
                t(key, lang),
                min_value=DATE_MIN,
                max_value=DATE_MAX,
                format=date_format,
                key=key,
                on_change=_order_range,
            )
        date_from, date_to = st.session_state["from"], st.session_state["to"]
    _write_period(mode, date_from, date_to)

    if has_successions(units) or view != RECORDED:
        _mirror("units", "units_ui")
        sb.radio(
            t("units", lang),
            list(UNIT_VIEWS),
            format_func=lambda v: t(f"units_{v}", lang),
            key="units_ui",
            on_change=_push_units,
            args=({u.code: u.current_code for u in units},),
            help=t("units_help", lang),
        )
    _mirror("commune", "commune_ui")
    sb.multiselect(
        t("communes", lang),
        offered,
        format_func=lambda c: labels.get(c, c),
        key="commune_ui",
        on_change=_push,
        args=("commune", "commune_ui"),
        placeholder=t("communes_all", lang),
    )
    _mirror("level", "level_ui")
    sb.radio(
        t("level", lang),
        levels_offered,
        format_func=lambda v: literal(level_name(v, lang)),  # radio labels are Markdown
        key="level_ui",
        on_change=_push,
        args=("level", "level_ui"),
        horizontal=True,
    )
    _mirror("lang", "lang_ui")
    sb.radio(
        t("lang", lang),
        list(LANG_NAMES),
        format_func=LANG_NAMES.get,
        key="lang_ui",
        on_change=_push,
        args=("lang", "lang_ui"),
        horizontal=True,
    )
    level = st.session_state["level"]
    filters = Filters(
        date_from,
        date_to,
        tuple(st.session_state["commune"]),
        None if level == ALL_LEVELS else level,
        view,
    )
    recorded = commune_labels(units, RECORDED, lang)
    state = ViewState(filters, lang, db, labels, years, default_year, page, levels, recorded)
    st.session_state[STATE_KEY] = state
    return state, notices


def _choice_to_link(key: str) -> None:
    st.query_params[key] = st.session_state[key]


def _link_decides(key: str, codes: list[str], states: list[str]) -> None:
    """The widget `key` takes the state `states[i]` of the code `codes[i]` the link holds
    under `key`; without one it keeps its state if still valid, else the first. A code the
    link holds that is none of `codes` is named in the usual notice."""
    asked = next(iter(st.query_params.get_all(key)), None)
    if asked in codes:
        st.session_state[key] = states[codes.index(asked)]
    elif st.session_state.get(key) not in states:
        st.session_state[key] = states[0]
    if asked is not None and asked not in codes:
        st.warning(
            t("invalid_param", current().lang, param=key, value=literal(asked)),
            icon=":material/link_off:",
        )


def url_choice(label: str, options: list[str], key: str, format_func) -> str:
    """An in-page choice held in the link under `key`, written even at its default: the link
    decides on every run (a count card opens its list), the widget writes the link back."""
    _link_decides(key, options, options)
    value = st.selectbox(
        label, options, key=key, format_func=format_func, on_change=_choice_to_link, args=(key,)
    )
    if st.query_params.get_all(key) != [value]:
        st.query_params[key] = value
    return value


def _tab_to_link(key: str, codes: list[str], labels: list[str]) -> None:
    label = st.session_state[key]
    if label in labels:
        st.query_params[key] = codes[labels.index(label)]


def url_tabs(codes: list[str], labels: list[str], key: str) -> tuple[str, DeltaGenerator]:
    """Tabs whose open tab is held in the link under `key` by its code, written even for
    the first tab; return the open tab's code and container.

    The link names a code, not the label: labels are translated, and a link must open the
    same tab in either language. As with `url_choice`, the link decides on every run and a
    click writes the link back. Only the open tab is returned, so a page draws that tab
    alone instead of running every tab on every run.
    """
    _link_decides(key, codes, labels)
    tabs = st.tabs(labels, key=key, on_change=_tab_to_link, args=(key, codes, labels))
    index = next((i for i, tab in enumerate(tabs) if tab.open), 0)
    if st.query_params.get_all(key) != [codes[index]]:
        st.query_params[key] = codes[index]
    return codes[index], tabs[index]

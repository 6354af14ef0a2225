"""Building blocks pages share: KPI cards, definitions, the share control, empty notes."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from data.reference import LegalRule
from metrics import format as fmt
from metrics.combined import REGISTERS, Source
from metrics.engine import TODAY, Filters, Result
from metrics.model import CUSTOM_MEASURES, MEASURES, Kpi
from metrics.rules import span_text
from views import charts
from views.i18n import has_text, level_name, t
from views.text import literal

# Rules whose value is a deadline in days from acceptance.
DEADLINE_RULES = ("complaint_days", "denunciation_days")


def delta_text(kpi: Kpi, current: Result, previous: Result | None, lang: str) -> str | None:
    """Change against the previous period, in the KPI's unit (points for rates)."""
    if previous is None or current.value is None or previous.value is None:
        return None
    # A change too small to show reads ±0, not "+0,0".
    sign, amount = fmt.change(current.value - previous.value, kpi.unit, lang)
    text = {1: "+", -1: "-", 0: "±"}[sign] + amount
    return f"{text} {t('pp', lang)}" if kpi.unit == "rate" else text


def formula_text(kpi: Kpi) -> str:
    def measure_sql(name: str) -> str:
        if name in CUSTOM_MEASURES:
            return name
        m = MEASURES[name]
        return f"{m.sql}  -- {m.source}"

    if kpi.custom:
        return CUSTOM_MEASURES[kpi.numerator].sql.strip()
    if kpi.denominator is None:
        return measure_sql(kpi.numerator)
    return f"{measure_sql(kpi.numerator)}\n/\n{measure_sql(kpi.denominator)}"


def target_text(kpi: Kpi, lang: str) -> str:
    if kpi.target is None:
        return t("no_target", lang)
    if kpi.unit == "rate":
        value = fmt.percent(kpi.target.value, lang, decimals=0)
    else:
        value = fmt.value(kpi.target.value, kpi.unit, lang)
    return f"{t('target', lang)} {'≤' if kpi.target.op == '<=' else '≥'} {value}"


def rule_value_text(rule: LegalRule, lang: str) -> str:
    """What a rule sets, in words: 'tối thiểu 2 ngày/tháng', 'hạn 30 ngày'; '' when its value
    is not a quantity (the one-stop rule's value numbers the decree)."""
    value = fmt.number(rule.value, lang)
    key = f"rule_{rule.key}"
    if has_text(key):
        return t(key, lang, value=value)
    if rule.key.startswith(DEADLINE_RULES):
        return t("rule_deadline_days", lang, value=value)
    return value


def rule_line(rule: LegalRule, lang: str) -> str:
    """One applied rule as Markdown: level, value, the days it is in force, and its basis
    (the basis and the level's name come from data and are shown literally)."""
    parts = []
    if rule.level:
        parts.append(literal(level_name(rule.level, lang)))
    value = rule_value_text(rule, lang)
    if value:
        parts.append(literal(value))
    parts.append(literal(span_text(rule, lang)))
    return f"{' · '.join(parts)}: {literal(rule.basis(lang))}"


def _view() -> tuple[Filters | None, Path | None]:
    from views.state import STATE_KEY

    state = st.session_state.get(STATE_KEY)
    return (state.filters, state.db) if state is not None else (None, None)


def rules_for(kpi: Kpi) -> list[LegalRule] | None:
    """The rules behind the KPI's target applied over the view's period (None outside a
    dashboard run)."""
    from views import cache

    f, db = _view()
    if kpi.target is None or f is None:
        return None
    return cache.applied_rules(kpi.id, f.date_from, f.date_to, db)


def definition(kpi: Kpi, lang: str) -> None:
    """Definition, formula, target and every rule applied over the period, with its value,
    the days it was in force and its legal basis (the body of its popover)."""
    st.markdown(f"**{kpi.label(lang)}** · `{kpi.id}`")
    st.write(kpi.definition(lang))
    if kpi.district_only:
        st.caption(t("district_only", lang))
    st.markdown(f"**{target_text(kpi, lang)}**")
    rules = rules_for(kpi)
    if rules is not None:
        st.markdown(f"**{t('rules_applied', lang)}**")
        if rules:
            st.markdown("\n".join(f"- {rule_line(r, lang)}" for r in rules))
        else:
            st.caption(t("no_rule_in_period", lang))
    st.markdown(f"**{t('formula', lang)}**")
    st.code(formula_text(kpi), language="sql", wrap_lines=True)
    st.caption(t("formula_note", lang))


def basis_caption(kpi_id: str, lang: str) -> None:
    """'Căn cứ: …' under a chart or table: the legal basis of every rule behind the KPI's
    target that is in force on a day of the period."""
    from metrics.model import KPIS

    rules = rules_for(KPIS[kpi_id]) or []
    if rules:
        lines = [
            f"{literal(_capital(span_text(r, lang)))}: {literal(r.basis(lang))}" for r in rules
        ]
        st.caption(f"{t('legal_basis', lang)}:  \n" + "  \n".join(lines))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def not_applicable_text(kpi: Kpi, lang: str) -> str:
    """Why a KPI does not apply: the level filter excludes the level it describes, or no
    rule behind it is in force in the period (district months from 07/2025)."""
    f, _ = _view()
    if f is not None and f.level and kpi.levels is not None and f.level not in kpi.levels:
        return t("not_applicable", lang)
    if kpi.cadence is not None:
        return t("not_applicable_period", lang)
    return t("not_applicable", lang)


def source_line(source: Source | None, lang: str) -> str:
    """One line under a card: 'Nguồn: sổ sách', 'Nguồn: biểu báo cáo (tệp …, lần nhập N)',
    'Nguồn: sổ sách và biểu báo cáo (2 tệp)', and how many form-only units the figure
    leaves out. File names are shown literally."""
    if source is None or (source.kind == REGISTERS and not source.left_out):
        return t("src_registers", lang)
    if source.kind == REGISTERS:
        return f"{t('src_registers', lang)} · {t('src_left_out', lang, n=source.units_left_out)}"
    files = source.files()
    if len(files) == 1:
        name, n = files[0]
        name = literal(name or "?")
        named = (
            t("src_file", lang, name=name)
            if n is None
            else t("src_file_import", lang, name=name, n=n)
        )
    else:
        named = t("src_files", lang, n=len(files))
    line = t(f"src_{source.kind}", lang, files=named)
    if source.left_out and source.forms:
        line += f" · {t('src_some_left_out', lang, n=source.units_left_out)}"
    return line


def source_details(source: Source | None, lang: str) -> None:
    """In a card's popover: each form behind the figure (unit, form, period, file,
    import), those it cannot use and why."""
    if source is None:
        return
    for key, parts in (("src_forms_used", source.forms), ("src_forms_left_out", source.left_out)):
        if not parts:
            continue
        st.markdown(f"**{t(key, lang)}**")
        lines = []
        for p in parts:
            span = f"{fmt.day(p.period_from, lang)} – {fmt.day(p.period_to, lang)}"
            item = [literal(p.unit_name), literal(p.form_code), span]
            item.append(t("src_file", lang, name=literal(p.file or "?")))
            if p.import_id is not None:
                item.append(t("src_import", lang, n=p.import_id))
            lines.append(f"- {' · '.join(item)}")
        st.markdown("\n".join(lines))
    if source.reason_text(lang):
        st.caption(source.reason_text(lang))


def kpi_card(kpi: Kpi, result: Result, previous: Result | None, lang: str) -> None:
    """One KPI: value by unit, change against the previous period, the target and whether
    the metrics layer found it met (or that the KPI or its target does not apply)."""
    with st.container(border=True, key=f"kpi-{kpi.id}"):
        delta = delta_text(kpi, result, previous, lang)
        unchanged = bool(delta and delta.startswith("±"))
        st.metric(  # the label wraps in full (dashboard.py's style), never ends in "…"
            kpi.label(lang),
            fmt.value(result.value, kpi.unit, lang),
            delta=delta,
            delta_color="off" if unchanged else ("normal" if kpi.higher_is_better else "inverse"),
            delta_arrow="off" if unchanged else "auto",
            delta_description=t("vs_previous", lang) if delta else None,
            help=f"**{kpi.label(lang)}**: {kpi.definition(lang)}",
        )
        if not result.applies:
            line = not_applicable_text(kpi, lang)
        elif result.value is None and result.source and result.source.reason_text(lang):
            line = result.source.reason_text(lang)
        elif result.value is None and not result.denominator:
            line = t("ld_no_records", lang)
        elif kpi.target is not None and result.target_met is None and result.value is not None:
            line = t("target_not_in_force", lang)
        elif kpi.target is not None:
            line = target_text(kpi, lang)
        else:
            line = None
        if result.target_met is True:
            st.badge(t("meets", lang), color="green", icon=":material/check:", help=line)
        elif result.target_met is False:
            st.badge(t("below", lang), color="red", icon=":material/warning:", help=line)
        if line:
            st.caption(line)
        if kpi.unit != "count" and result.denominator:
            st.caption(
                f"{fmt.number(result.numerator, lang)} / {fmt.number(result.denominator, lang)}"
            )
        if result.applies:  # a KPI that does not apply has no figure to source
            st.caption(source_line(result.source, lang))
        list_link(kpi, result, lang)
        pop = definition_popover(f"def-{kpi.id}", lang)
        if pop.open:
            with pop:
                definition(kpi, lang)
                source_details(result.source, lang)


def definition_popover(key: str, lang: str):
    """The "Định nghĩa" popover, its body drawn only when opened (a rerun): the formula's
    code box is a large part of what a browser runs before it draws a page of cards."""
    return st.popover(
        t("definition", lang),
        icon=":material/info:",
        width="content",
        key=key,
        on_change="rerun",
    )


def list_link(kpi: Kpi, result: Result, lang: str) -> None:
    """The card of a KPI with records behind it (metrics.actions.KPI_LISTS) opens their list,
    in the card's own view; nothing when the KPI does not apply."""
    from metrics.actions import KPI_LISTS
    from views import links

    name = KPI_LISTS.get(kpi.id)
    f, _ = _view()
    if name is None or f is None or not result.applies:
        return
    st.page_link(
        links.PAGES["actions"][0],
        label=t("open_list", lang),
        query_params=links.params(f, lang, {"list": name}),
        icon=":material/format_list_bulleted:",
        help=t(f"ac_{name}", lang),
    )


def no_data(lang: str) -> None:
    st.info(t("no_data_period", lang), icon=":material/search_off:")


def page_links(keys: list[str], lang: str) -> None:
    """Links to other pages; the URL-bound filters go along."""
    from views.links import PAGES

    with st.container(horizontal=True):
        for key in keys:
            script, _, icon = PAGES[key]
            st.page_link(script, label=t(f"page_{key}", lang), icon=icon)


def stop_without_data(lang: str) -> None:
    """Say plainly that the filters leave nothing to show, offer the overview, and stop."""
    no_data(lang)
    page_links(["overview"], lang)
    st.stop()


def share_control(state, page: str) -> None:
    """The full link of the current view, in a code box with a copy button."""
    from views.links import IN_PAGE_KEYS, view_url

    base = st.context.url or "http://localhost:8501/"
    # The page's own choices as the link holds them (a choice at its default may not be in
    # the link yet on a first run; the link without it opens the same default).
    chosen = {k: st.query_params[k] for k in IN_PAGE_KEYS.get(page, ()) if k in st.query_params}
    url = view_url(base, page, state.filters, state.lang, state.default_year, chosen)
    # Drawn when opened (a rerun): the code box's highlighter is a large part of what a
    # browser has to load and run before the first screen.
    box = st.sidebar.expander(
        t("share", state.lang), icon=":material/share:", key="share_box", on_change="rerun"
    )
    if box.open:
        with box:
            st.caption(t("share_help", state.lang))
            st.code(url, language=None, wrap_lines=True)


def kpi_cards(
    ids: list[str],
    results: dict[str, Result],
    previous: dict[str, Result] | None,
    lang: str,
    per_row: int = 3,
) -> None:
    """A row of KPI cards; Streamlit stacks the columns on a phone-width screen."""
    from metrics.model import KPIS

    for start in range(0, len(ids), per_row):
        cols = st.columns(per_row)
        for col, kid in zip(cols, ids[start : start + per_row], strict=False):
            with col:
                kpi_card(KPIS[kid], results[kid], (previous or {}).get(kid), lang)


def definitions(ids: list[str], lang: str) -> None:
    """The definitions and legal bases of the KPIs a chart or table shows, one click away."""
    from metrics.model import KPIS

    pop = definition_popover(f"defs-{'-'.join(ids)}", lang)
    if pop.open:
        with pop:
            for i, kid in enumerate(ids):
                if i:
                    st.divider()
                definition(KPIS[kid], lang)


def _narrow_to_commune(chart_key: str) -> None:
    """on_select of a commune chart: the clicked point's customdata[0] is a commune code;
    it becomes the global commune filter (the entrypoint mirrors it into the URL)."""
    from views.state import current

    points = (st.session_state.get(chart_key) or {}).get("selection", {}).get("points") or []
    codes = [
        p["customdata"][0]
        for p in points
        if isinstance(p.get("customdata"), list) and p["customdata"]
    ]
    known = current().communes
    codes = [c for c in dict.fromkeys(codes) if c in known]
    if codes:
        st.session_state["commune"] = codes[:1]


def show_chart(fig, key: str, lang: str, communes: bool = False) -> None:
    """A Plotly figure with its title written above it as text, so a long title wraps on a
    phone instead of being cut off at the figure's edge. With `communes`, the points carry
    a commune code as customdata[0] and clicking one narrows the page (and the URL) to it."""
    title = fig.layout.title.text
    if title:
        st.markdown(f"**{title}**")
        # Room above the plot only for the lines of labels drawn there (the "all selected"
        # line, the overall value's).
        lines = len(fig.layout.annotations)
        top = 16 + charts.ANNOTATION_LINE * lines if lines else 10
        fig.update_layout(title=None, margin={"t": top})
    # A chart one clicks to narrow keeps the toolbar: Streamlit's point selection needs it.
    config = {"displaylogo": False}
    if communes and not fig.layout.yaxis.title.text:
        fig.update_yaxes(title=t("commune", lang))  # the communes run down the side
    if not communes:
        st.plotly_chart(fig, key=key, config=config)
        return
    st.plotly_chart(
        fig,
        key=key,
        on_select=lambda: _narrow_to_commune(key),
        selection_mode="points",
        config=config,
    )
    st.caption(t("click_commune", lang))


def commune_chart(fig, key: str, lang: str) -> None:
    """A chart of communes: clicking a commune narrows the page (and the URL) to it."""
    show_chart(fig, key, lang, communes=True)


def detail(name: str, filters, db, **kwargs):
    """A `metrics.details` function's result, cached on the warehouse file's identity (a
    rebuilt or imported warehouse is read afresh)."""
    from data.warehouse import identity

    return _detail(name, filters, str(db), identity(db), tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=512, show_spinner=False)
def _detail(name: str, filters, db: str, ident: tuple[int, int], kwargs: tuple):
    from metrics import details

    return getattr(details, name)(filters, db=db, **dict(kwargs))


def scope_text(state) -> str:
    """The period, the communes, the level and (when not as recorded) the unit view, as
    Markdown with the commune names shown literally."""
    lang, f = state.lang, state.filters
    period = f"{fmt.day(f.date_from, lang)} – {fmt.day(f.date_to, lang)}"
    scope = (
        ", ".join(literal(state.commune_name(c)) for c in f.communes)
        if f.communes
        else t("communes_all", lang)
    )
    parts = [period, scope, f"{t('level', lang)}: {literal(level_name(f.level, lang))}"]
    if f.units == TODAY:
        parts.append(t("units_today", lang))
    return " · ".join(parts)


def scope_caption(state) -> None:
    """One line under a page title: the period, the communes, the level and unit view; and,
    in a warehouse holding report-form figures, where the cards' and the charts' figures
    come from."""
    from views import cache

    st.caption(scope_text(state))
    if cache.warehouse_info(state.db).get("has_forms"):
        st.caption(t("sources_note", state.lang), help=t("sources_help", state.lang))


def commune_comparison(
    state,
    kpi_ids: list[str],
    results: dict,
    key: str,
    by_commune: dict | None = None,
) -> str | None:
    """A ranked chart of one KPI per commune (a chooser when several), the overall value
    marked for rates and averages; clicking a commune narrows the view. Returns the KPI
    shown, or None when no commune has a value."""
    from metrics.model import KPIS
    from views import cache

    lang = state.lang
    choice = kpi_ids[0]
    if len(kpi_ids) > 1:
        from views.state import url_choice

        # The compared KPI is part of the view: it is in the link (`<key>_kpi`).
        choice = url_choice(
            t("compare_kpi", lang), kpi_ids, f"{key}_kpi", lambda k: KPIS[k].label(lang)
        )
    kpi = KPIS[choice]
    if by_commune is None:
        by_commune = cache.kpis_by(state.filters, "commune", state.db, [choice])
    values = [r[choice].value for r in by_commune.values() if choice in r]
    if not any(v is not None and (kpi.unit != "count" or v) for v in values):
        no_data(lang)
        return None
    # A count's total dwarfs every commune; only rates and averages get the overall mark.
    overall = results.get(choice) if kpi.unit != "count" else None
    commune_chart(
        charts.ranked_by_commune(
            by_commune,
            choice,
            state.communes,
            overall,
            lang,
            kpi.label(lang),
            t("district_value", lang),
        ),
        f"{key}_chart",
        lang,
    )
    return choice

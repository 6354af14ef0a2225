"""Building blocks pages share: KPI cards, definitions, the share control, empty notes."""

from __future__ import annotations

import streamlit as st

from metrics import format as fmt
from metrics.engine import Result
from metrics.model import CUSTOM_MEASURES, MEASURES, Kpi
from views.i18n import t


def meets_target(kpi: Kpi, result: Result) -> bool | None:
    if kpi.target is None or result.value is None:
        return None
    if kpi.target.op == "<=":
        return result.value <= kpi.target.value
    return result.value >= kpi.target.value


def delta_text(kpi: Kpi, current: Result, previous: Result | None, lang: str) -> str | None:
    """Change against the previous period, in the KPI's unit (points for rates)."""
    if previous is None or current.value is None or previous.value is None:
        return None
    diff = current.value - previous.value
    sign = "+" if diff > 0 else ("-" if diff < 0 else "±")
    if kpi.unit == "rate":
        return f"{sign}{fmt.number(abs(diff) * 100, lang, 2)} {t('pp', lang)}"
    if kpi.unit == "days":
        return f"{sign}{fmt.value(abs(diff), 'days', lang)}"
    return f"{sign}{fmt.number(abs(diff), lang)}"


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
    value = fmt.value(kpi.target.value, kpi.unit, lang)
    return f"{t('target', lang)} {'≤' if kpi.target.op == '<=' else '≥'} {value}"


def definition(kpi: Kpi, lang: str) -> None:
    """Definition, formula and legal basis of a KPI (the body of its popover)."""
    st.markdown(f"**{kpi.label(lang)}** · `{kpi.id}`")
    st.write(kpi.definition(lang))
    if kpi.district_only:
        st.caption(t("district_only", lang))
    st.markdown(f"**{t('formula', lang)}**")
    st.code(formula_text(kpi), language="sql")
    st.markdown(f"**{t('target', lang)}**: {target_text(kpi, lang)}")
    if kpi.target is not None:
        basis = kpi.target.basis.en if lang == "en" else kpi.target.basis.vi
        st.markdown(f"**{t('legal_basis', lang)}**: {basis}")


def kpi_card(kpi: Kpi, result: Result, previous: Result | None, lang: str) -> None:
    """One KPI: value by unit, change against the previous period, target and status."""
    with st.container(border=True, key=f"kpi-{kpi.id}"):
        delta = delta_text(kpi, result, previous, lang)
        st.metric(
            kpi.label(lang),
            fmt.value(result.value, kpi.unit, lang),
            delta=delta,
            delta_color="normal" if kpi.higher_is_better else "inverse",
            delta_description=t("vs_previous", lang) if delta else None,
        )
        status = meets_target(kpi, result)
        line = target_text(kpi, lang)
        if result.value is None and result.denominator is None and kpi.unit != "count":
            line = t("not_applicable", lang)
        if status is True:
            st.badge(f"{t('meets', lang)} · {line}", color="green", icon=":material/check:")
        elif status is False:
            st.badge(f"{t('below', lang)} · {line}", color="red", icon=":material/warning:")
        else:
            st.caption(line)
        if kpi.unit != "count" and result.denominator:
            st.caption(
                f"{fmt.number(result.numerator, lang)} / {fmt.number(result.denominator, lang)}"
            )
        with st.popover(t("definition", lang), icon=":material/info:", width="content"):
            definition(kpi, lang)


def no_data(lang: str) -> None:
    st.info(t("no_data_period", lang), icon=":material/search_off:")


def share_control(state, page: str) -> None:
    """The full link of the current view, in a code box with a copy button."""
    from views.links import view_url

    base = st.context.url or "http://localhost:8501/"
    url = view_url(base, page, state.filters, state.lang, state.default_year)
    with st.sidebar.expander(t("share", state.lang), icon=":material/share:"):
        st.caption(t("share_help", state.lang))
        st.code(url, language=None, wrap_lines=True)

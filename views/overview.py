"""Tổng quan, the landing page: the selection's score, the worst communes and the action
counts on the first screen; the methodology, then the KPI cards of one area at a time
(a tab each), the monthly trend and the commune comparison (a tab each) below."""

import streamlit as st

from metrics.model import AREAS, KPIS
from views import cache, charts, landing
from views.components import commune_comparison, kpi_card, no_data, scope_caption, show_chart
from views.i18n import pick, t
from views.state import current, url_tabs

COMPARABLE = [
    "dossiers_on_time_rate",
    "dossiers_received",
    "dossiers_overdue_open",
    "commune_chair_compliance_rate",
    "dialogues",
    "dialogue_attendees",
    "petitions_received",
    "petitions_resolution_rate",
    "late_apology_rate",
    "dossiers_online_rate",
]
CARDS_PER_ROW = 4

state = current()
lang, f = state.lang, state.filters
st.title(t("page_overview", lang))
scope_caption(state)

card, counts, lists, method = cache.scorecard_view(f, state.db, lang)
# On a phone the first screen holds the score, the six counts and the three worst communes.
with st.container(key="ld_first"):
    left, right = st.columns([1, 2], gap="small")
    with left:
        landing.selection_score(card, method, lang)
        landing.action_counts(counts, lists, f, lang)
    with right:
        landing.league(card, state.communes, lang)
landing.methodology(method, lang)
landing.service_index(cache.service_index(f, state.db), state.communes, lang)

results, previous = cache.kpis_with_previous(f, state.db)
activity = ("reception_days", "dialogues", "petitions_received", "dossiers_received", "inspections")
if not any(results[k].value for k in activity):
    no_data(lang)

st.header(t("ld_kpis", lang))
# One section at a time, behind its tab (in the link as `area=`): an area's cards, the
# monthly trend or the commune comparison. The first screen is not held up by forty cards
# and the charts (most of the browser's work), and a phone scrolls one section.
SECTIONS = {**{a: pick(*labels, lang) for a, labels in AREAS.items()}}
SECTIONS |= {"trend": t("trend_title", lang), "compare": t("compare_title", lang)}
section, pane = url_tabs(list(SECTIONS), list(SECTIONS.values()), "area")
with pane:
    if section in AREAS:
        area_kpis = [k for k in KPIS.values() if k.area == section]
        for start in range(0, len(area_kpis), CARDS_PER_ROW):
            cols = st.columns(CARDS_PER_ROW)
            for col, kpi in zip(cols, area_kpis[start : start + CARDS_PER_ROW], strict=False):
                with col:
                    kpi_card(kpi, results[kpi.id], previous.get(kpi.id), lang)
    elif section == "trend":
        months = cache.kpis_by(
            f,
            "month",
            state.db,
            ["dossiers_received", "dossiers_on_time_rate", "dialogues", "reception_days"],
        )
        left, right = st.columns(2)
        with left:
            show_chart(
                charts.monthly_combo(
                    months,
                    "dossiers_received",
                    "dossiers_on_time_rate",
                    lang,
                    t("dossiers_chart", lang),
                ),
                "trend_dossiers",
                lang,
            )
        with right:
            show_chart(
                charts.monthly_combo(
                    months,
                    "dialogues",
                    None,
                    lang,
                    t("dialogues_chart", lang),
                    bar2_id="reception_days",
                ),
                "trend_dialogues",
                lang,
            )
    else:
        commune_comparison(state, COMPARABLE, results, "compare")

"""Việc cần làm: one action list of the period as records, each list with its own link
(`/actions?year=2025&list=overdue_dossiers`). The warehouse holds no personal data."""

import streamlit as st

from metrics import format as fmt
from metrics.actions import COLUMNS, list_label
from views import cache
from views.components import page_links, scope_caption
from views.downloads import Col, show_table
from views.i18n import t
from views.state import current, url_choice

MAX_ROWS = 200  # drawn on screen; the downloads hold every row

# How each column the metrics layer lists (metrics.actions.COLUMNS) is headed and shown.
SPECS = {
    "petition_id": Col("petition_id", "col_petition_id"),
    "dossier_id": Col("dossier_id", "col_dossier_id"),
    "kind": Col("kind", "col_petition_kind", "enum", "petition_kind"),
    "field": Col("field", "col_field", "enum", "petition_field"),
    "procedure_code": Col("procedure_code", "col_procedure_code"),
    "agency_code": Col("agency_code", "col_agency_code"),
    "commune_code": Col("commune_code", "col_commune", "commune"),
    "level": Col("level", "col_gap_level", "enum", "level"),
    "received_date": Col("received_date", "col_received_date", "date"),
    "due_date": Col("due_date", "col_due_date", "date"),
    "finished_date": Col("finished_date", "col_finished_date", "date"),
    "cell_start": Col("cell_start", "col_cell_start", "date"),
    "lo": Col("lo", "col_lo", "date"),
    "hi": Col("hi", "col_hi", "date"),
    "valid_from": Col("valid_from", "col_valid_from", "date"),
    "valid_to": Col("valid_to", "col_valid_to", "date"),
    "days_overdue": Col("days_overdue", "col_days_overdue", "count"),
    "days_late": Col("days_late", "col_days_late", "count"),
    "days_open": Col("days_open", "col_days_open", "count"),
    "required": Col("required", "col_required", "count"),
    "days": Col("days", "col_days", "count"),
}


def columns(name: str) -> list[Col]:
    """The table's columns, in the order the metrics layer gives them."""
    return [SPECS[c] for c in COLUMNS[name]]


state = current()
lang, f = state.lang, state.filters
st.title(t("page_actions", lang))
scope_caption(state)

names = cache.action_names()
name = url_choice(t("ac_choose", lang), names, "list", lambda n: list_label(n, lang))
st.caption(t("ac_no_personal_data", lang))
df = cache.action_list(f, name, state.db)
if df.empty:
    st.success(t("ac_empty", lang), icon=":material/check_circle:")
else:
    st.caption(t("ac_count", lang, n=fmt.number(len(df), lang)))
    show_table(
        df,
        columns(name),
        lang,
        page="actions",
        table=f"ac_{name}",
        filters=f,
        communes={**state.unit_names, **state.communes},
        key=f"ac_{name}",
        height="auto",
        max_rows=MAX_ROWS,
    )
page_links(["overview"], lang)

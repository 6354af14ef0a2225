"""Open what the dashboard draws only when opened (a rerun in the browser): the share box
and the KPI definitions' popovers."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_share(at: AppTest) -> AppTest:
    at.session_state["share_box"] = True
    return at.run()


def open_definitions(at: AppTest, *kpi_ids: str) -> AppTest:
    for kpi_id in kpi_ids:
        at.session_state[f"def-{kpi_id}"] = True
    return at.run()

"""Open what the dashboard draws only when opened (a rerun in the browser): the share box,
the KPI definitions' popovers and the landing page's expanders."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_share(at: AppTest) -> AppTest:
    at.session_state["share_box"] = True
    return at.run()


def open_definitions(at: AppTest, *kpi_ids: str) -> AppTest:
    for kpi_id in kpi_ids:
        at.session_state[f"def-{kpi_id}"] = True
    return at.run()


def open_keys(at: AppTest, *keys: str) -> AppTest:
    """Open the expanders or popovers of these widget keys, as a click in the browser does."""
    for key in keys:
        at.session_state[key] = True
    return at.run()

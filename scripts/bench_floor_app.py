"""The floor of the sessions benchmark (scripts/bench_pages.py): a bare Streamlit page with
the landing page's title and the five element keys its first screen is waited for, and
nothing else of the dashboard (no warehouse, no queries, no styles, no navigation).

    streamlit run scripts/bench_floor_app.py
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# the dashboard's words only: views/i18n.py imports nothing
from views.i18n import t

st.title(t("page_overview", "vi"))
with st.container(border=True, key="ld_score"):
    st.write("score")
for i in range(3):
    with st.container(border=True, key=f"ld_row_{i}"):
        st.write(f"row {i}")
with st.container(border=True, key="ld_actions"):
    st.write("actions")

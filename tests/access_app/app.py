"""A small Streamlit app behind the access gate, for the browser test: one figure."""

import streamlit as st

from access import login
from data.warehouse import default_db_path
from metrics.engine import Filters, compute

user = login.gate(default_db_path())
year = int(st.query_params.get("year", "2019"))
value = compute(Filters.year(year), ["petitions_received"], default_db_path())
st.metric(f"Đơn thư tiếp nhận {year}", value["petitions_received"].value)
st.caption(f"year={year}")

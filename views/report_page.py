"""Báo cáo: the report of the current view as Word, PDF or Excel files to download."""

from __future__ import annotations

import streamlit as st

from access import audit
from access.login import USER_KEY
from reports import make
from views.state import current

state = current()
lang, f = state.lang, state.filters
en = lang == "en"
st.title("Report" if en else "Báo cáo")
st.caption(
    "The administrative report of the current view (period, communes, level), with charts "
    "(Word and PDF) and the forms annex."
    if en
    else "Báo cáo kết quả công tác dân vận chính quyền theo kỳ, xã và cấp đang chọn, "
    "kèm biểu đồ (Word, PDF) và phụ lục biểu mẫu."
)
as_of = st.date_input(
    "Status of long-standing cases as of" if en else "Tình hình vụ việc kéo dài tính đến ngày",
    value=f.date_to,
    min_value=f.date_to,
    format="DD/MM/YYYY",
)
stem = f"bao_cao_{f.date_from.isoformat()}_{f.date_to.isoformat()}"
mimes = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
for col, fmt_ in zip(st.columns(3), ("docx", "pdf", "xlsx"), strict=True):
    with col:
        key = f"report_{fmt_}"
        if st.button(("Prepare " if en else "Tạo tệp ") + fmt_.upper(), key=f"{key}_make"):
            try:
                with st.spinner("Preparing…" if en else "Đang tạo tệp…"):
                    st.session_state[key] = make(f, fmt_, state.db, lang, as_of)
                audit.record("report", st.session_state.get(USER_KEY), {"file": f"{stem}.{fmt_}"})
            except (RuntimeError, ValueError) as exc:
                st.error(str(exc))
        if key in st.session_state:
            st.download_button(
                ("Download " if en else "Tải ") + fmt_.upper(),
                st.session_state[key],
                file_name=f"{stem}.{fmt_}",
                mime=mimes[fmt_],
                key=f"{key}_dl",
            )

"""Quản trị: the accounts and the audit log (only the quản trị role reaches this page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import audit
from access.login import USER_KEY
from access.store import Store
from views.i18n import t
from views.state import current

state = current()
lang = state.lang
user = st.session_state.get(USER_KEY)
if user is None or not user.can("admin"):  # the navigation hides the page; a link does not
    st.stop()
st.title(t("page_admin", lang))
store = Store()
if not store.has_accounts():
    st.info(t("admin_local", lang), icon=":material/lock_open:")
st.subheader(t("admin_users", lang))
users = pd.DataFrame(
    [
        {
            "username": u.username,
            "role": u.role,
            "unit_code": u.unit_code,
            "email": u.email,
            "disabled": u.disabled,
        }
        for u in store.list_users()
    ],
    columns=["username", "role", "unit_code", "email", "disabled"],
)
st.dataframe(users, hide_index=True, width="stretch", key="admin_users")
st.subheader(t("admin_audit", lang))
log = audit.read(store)
st.dataframe(log, hide_index=True, width="stretch", key="admin_audit")

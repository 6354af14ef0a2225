"""The audit log: logins, failures, lockouts, imports, downloads and reports, kept in the
accounts file (it survives imports, which replace the warehouse)."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from access.store import Store, User, _iso, utcnow

EVENTS = (
    "login",
    "login_failed",
    "login_locked",
    "login_disabled",
    "lockout",
    "logout",
    "session_expired",
    "sso_unknown",
    "import",
    "download",
    "report",
    "account",
)


def _name(user: User | str | None) -> str | None:
    if isinstance(user, User):
        return None if user.anonymous else user.username
    return user or None


def record(
    event: str,
    user: User | str | None,
    detail: dict | str | None = None,
    store: Store | None = None,
    now: datetime | None = None,
) -> None:
    """Append one event. `detail` is stored as JSON (a string becomes {"note": ...})."""
    store = store or Store()
    if isinstance(detail, str):
        detail = {"note": detail}
    text = json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True)
    with store.connect() as conn:
        conn.execute(
            "INSERT INTO audit_log (at, event, username, detail) VALUES (?, ?, ?, ?)",
            (_iso(now or utcnow()), str(event)[:40], _name(user), text[:4000]),
        )


def read(
    store: Store | None = None,
    limit: int = 500,
    event: str | None = None,
    username: str | None = None,
) -> pd.DataFrame:
    """The latest events first, for the admin page: at, event, username, detail."""
    store = store or Store()
    cols = ["audit_id", "at", "event", "username", "detail"]
    if not store.exists():
        return pd.DataFrame(columns=cols)
    where, params = [], []
    if event:
        where.append("event = ?")
        params.append(event)
    if username:
        where.append("username = ?")
        params.append(username.strip().lower())
    sql = "SELECT audit_id, at, event, username, detail FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY audit_id DESC LIMIT ?"
    params.append(int(limit))
    with store.connect() as conn:
        rows = conn.execute(sql, params).fetchall()
    return pd.DataFrame(rows, columns=cols)

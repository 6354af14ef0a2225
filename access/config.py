"""Access settings in one place: lockout, session lifetime, password rules, file paths."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

# Login rate limiting: this many failures for one user name within the window lock the
# name for LOCKOUT, whatever password comes next.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)

# A session ends after this long without a request, and in any case after SESSION_MAX.
SESSION_IDLE = timedelta(hours=8)
SESSION_MAX = timedelta(hours=24)

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024

ENV_ACCOUNTS = "DANVAN_ACCOUNTS"
# Set to 1 to serve on every interface; only honoured when accounts exist.
ENV_PUBLIC = "DANVAN_PUBLIC"
DEFAULT_ACCOUNTS = Path(__file__).resolve().parents[1] / "data" / "accounts.db"

SESSION_COOKIE = "danvan_session"


def accounts_path() -> Path:
    """The accounts file: $DANVAN_ACCOUNTS, else data/accounts.db (beside the warehouse,
    never inside it: an import replaces the warehouse file)."""
    env = os.environ.get(ENV_ACCOUNTS)
    return Path(env) if env else DEFAULT_ACCOUNTS

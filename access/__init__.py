"""Who may see what: accounts, roles, the engine's access scope, the audit log, the login gate.

    from access import login
    user = login.gate()          # first thing on every run; stops with the login form

`bind_address()` is where the dashboard should listen: 127.0.0.1 unless accounts exist and
DANVAN_PUBLIC=1 asks for every interface.
"""

from __future__ import annotations

import os

from access import config


def bind_address() -> str:
    """The address to serve on. Without accounts the dashboard gives full access to anyone
    who reaches it, so it stays on the loopback address whatever is asked."""
    from access.store import Store

    if os.environ.get(config.ENV_PUBLIC) == "1" and Store().has_accounts():
        return "0.0.0.0"
    return "127.0.0.1"

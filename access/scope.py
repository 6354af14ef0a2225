"""What each account may read, as a `metrics.engine.Scope` the engine applies to every query.

- lanh_dao (leader) and can_bo_du_lieu (data officer): their unit and everything under it
  (a province, a district or a commune, following parent_code), with the older communes
  that merged into them (unit_successions), so a commune formed in 2025 sees its history.
- don_vi (commune unit): its own commune (and its predecessors) in rows, lists and
  per-commune breakdowns; totals may cover its parent unit (the district or province
  average it is compared with), never another commune one by one.
- quan_tri (admin): every unit, or those under its unit when it has one.
The anonymous user (no accounts configured, local use only) sees everything.
"""

from __future__ import annotations

from access.store import CAN_BO_DU_LIEU, DON_VI, LANH_DAO, QUAN_TRI, User
from metrics.engine import NO_ACCESS, Db, Scope, current_scope, open_cursor, set_scope

__all__ = ["NO_ACCESS", "Scope", "current_scope", "for_user", "set_scope"]

UNDER_SQL = """
WITH RECURSIVE up(code) AS (
    SELECT CAST($unit AS VARCHAR)
    UNION
    SELECT u.unit_code FROM units_upper u JOIN up ON u.parent_code = up.code
)
SELECT commune_code FROM communes
WHERE commune_code = $unit OR parent_code IN (SELECT code FROM up)
"""

PREDECESSORS_SQL = """
WITH RECURSIVE pre(code) AS (
    SELECT unnest(CAST($codes AS VARCHAR[]))
    UNION
    SELECT s.old_code FROM unit_successions s JOIN pre ON s.new_code = pre.code
)
SELECT code FROM pre
"""


def _unit_kind(cur, code: str) -> str | None:
    """ "commune", "upper" or None (unknown). A warehouse without upper units (contract v1)
    has one implicit district: an upper code then stands for it."""
    if cur.execute("SELECT 1 FROM communes WHERE commune_code = $c", {"c": code}).fetchone():
        return "commune"
    if cur.execute("SELECT 1 FROM units_upper WHERE unit_code = $c", {"c": code}).fetchone():
        return "upper"
    implicit = not cur.execute("SELECT 1 FROM units_upper LIMIT 1").fetchone()
    return "implicit" if implicit else None


def _under(cur, code: str, kind: str) -> frozenset[str]:
    if kind == "implicit":
        codes = [r[0] for r in cur.execute("SELECT commune_code FROM communes").fetchall()]
    else:
        codes = [r[0] for r in cur.execute(UNDER_SQL, {"unit": code}).fetchall()]
    if not codes:
        return frozenset()
    pre = cur.execute(PREDECESSORS_SQL, {"codes": codes}).fetchall()
    return frozenset(codes) | frozenset(r[0] for r in pre)


def _everything(cur, codes: frozenset[str]) -> bool:
    (n,) = cur.execute(
        "SELECT count(*) FROM communes WHERE NOT list_contains($codes, commune_code)",
        {"codes": sorted(codes) or [""]},
    ).fetchone()
    return n == 0


def for_user(user: User | None, db: Db = None) -> Scope:
    """The scope of an account over the warehouse `db`. Unknown units give no access."""
    if user is None:
        return NO_ACCESS
    if user.anonymous or (user.role == QUAN_TRI and not user.unit_code):
        return Scope()
    if user.disabled or not user.unit_code:
        return NO_ACCESS
    cur = open_cursor(db)
    try:
        kind = _unit_kind(cur, user.unit_code)
        if kind is None:
            return NO_ACCESS
        if user.role in (LANH_DAO, CAN_BO_DU_LIEU, QUAN_TRI):
            codes = _under(cur, user.unit_code, kind)
            upper = kind != "commune"
            if upper and _everything(cur, codes):
                return Scope()
            return Scope(codes, codes, upper, upper)
        if user.role == DON_VI:
            if kind != "commune":
                return NO_ACCESS
            own = _under(cur, user.unit_code, kind)
            (parent,) = cur.execute(
                "SELECT parent_code FROM communes WHERE commune_code = $c",
                {"c": user.unit_code},
            ).fetchone()
            if parent is None:
                totals: frozenset[str] | None = None  # the implicit district: every commune
            else:
                pkind = _unit_kind(cur, parent)
                totals = _under(cur, parent, pkind) | own if pkind else own
                if _everything(cur, totals):
                    totals = None
            return Scope(own, totals, rows_upper=False, totals_upper=True)
    finally:
        cur.close()
    return NO_ACCESS

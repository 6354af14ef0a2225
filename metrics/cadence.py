"""Cadence rules: a duty that must be met every week or every month (DOMAIN.md §6, §9).

A *cell* is a unit × ISO week (the commune chairman's weekly reception) or a level × calendar
month (the district or provincial chairman's monthly receptions). One SQL text lists the
cells of a period with the rule in force for each, the distinct days held and whether the
cell meets the rule; the KPI counts the cells, the grids draw them and the gap lists list the
ones that missed. The rule's number comes from the `rules` table, joined by date; nothing
here holds a threshold.

Week cells: a week belongs to the period holding its Thursday (ISO's own rule), and counts
when that Thursday is inside the unit's validity and a rule's validity, and the week has a
working day (Monday to Friday, not in `holidays`). Month cells: the days of the month inside
the period, the rule's validity and the level's units' validity; a month with no such day
is not a cell.
"""

from __future__ import annotations

from dataclasses import dataclass

WEEK = "week"
MONTH = "month"

# Working days of an ISO week: Monday (isodow 1) to Friday (isodow 5).
WORKDAYS_PER_WEEK = 5
LAST_WORKDAY_ISODOW = 5
THURSDAY_OFFSET = 3  # days from Monday


@dataclass(frozen=True)
class Cadence:
    """A rule met per cell. `rows` is a condition on `receptions` marking qualifying rows."""

    name: str
    level: str  # the level whose duty it is (and the rule's level)
    grain: str  # week | month
    rule_key: str
    rows: str
    date: str = "reception_date"
    table: str = "receptions"

    @property
    def per_commune(self) -> bool:
        return self.grain == WEEK


def _valid(alias: str, day: str) -> str:
    return (
        f"({alias}.valid_from IS NULL OR {day} >= {alias}.valid_from) "
        f"AND ({alias}.valid_to IS NULL OR {day} <= {alias}.valid_to)"
    )


def cells_sql(c: Cadence) -> str:
    """CTEs ending in `cells(pkey, unit, group_code, cell_start, lo, hi, required, days,
    meets)` over the periods `p` and, for weekly rules, the recorded communes `rec`
    (commune_code, group_code, valid_from, valid_to). Parameters: `$rule_<name>` is bound by
    the caller to the rule key, `$level_<name>` to the level."""
    key, lvl = f"$rule_{c.name}", f"$level_{c.name}"
    if c.grain == WEEK:
        return f"""
weeks AS (
    SELECT p.pkey, p.p_from, p.p_to, CAST(g.w AS DATE) AS cell_start
    FROM p, unnest(generate_series(date_trunc('week', p.p_from), date_trunc('week', p.p_to),
                                   INTERVAL 7 DAY)) AS g(w)
), days_off AS (
    SELECT CAST(date_trunc('week', holiday_date) AS DATE) AS cell_start, count(*) AS n
    FROM holidays WHERE isodow(holiday_date) <= {LAST_WORKDAY_ISODOW} GROUP BY ALL
), week_cells AS (
    SELECT w.pkey, rec.commune_code AS unit, rec.group_code, w.cell_start,
           w.cell_start AS lo, w.cell_start + 6 AS hi, r.value AS required
    FROM weeks w
    JOIN rec ON {_valid("rec", f"w.cell_start + {THURSDAY_OFFSET}")}
    JOIN rules r ON r.rule_key = {key} AND r.level = {lvl}
        AND {_valid("r", f"w.cell_start + {THURSDAY_OFFSET}")}
    LEFT JOIN days_off o ON o.cell_start = w.cell_start
    WHERE w.cell_start + {THURSDAY_OFFSET} BETWEEN w.p_from AND w.p_to
      AND coalesce(o.n, 0) < {WORKDAYS_PER_WEEK}
), held AS (
    SELECT x.commune_code AS unit, CAST(date_trunc('week', x.{c.date}) AS DATE) AS cell_start,
           count(DISTINCT x.{c.date}) AS days
    FROM {c.table} x
    WHERE x.level = {lvl} AND {c.rows}
    GROUP BY ALL
), cells AS (
    SELECT c.*, coalesce(h.days, 0) AS days, coalesce(h.days, 0) >= c.required AS meets
    FROM week_cells c LEFT JOIN held h ON h.unit = c.unit AND h.cell_start = c.cell_start
)"""
    return f"""
months AS (
    SELECT p.pkey, p.p_from, p.p_to, CAST(g.m AS DATE) AS cell_start,
           CAST(g.m + INTERVAL 1 MONTH AS DATE) - 1 AS cell_end
    FROM p, unnest(generate_series(date_trunc('month', p.p_from), date_trunc('month', p.p_to),
                                   INTERVAL 1 MONTH)) AS g(m)
), spans AS (
    SELECT valid_from, valid_to FROM units_upper WHERE level = {lvl}
    UNION ALL
    SELECT NULL, NULL FROM levels
    WHERE level = {lvl} AND implicit_unit AND NOT EXISTS (SELECT 1 FROM units_upper)
), span AS (
    SELECT CASE WHEN bool_or(valid_from IS NULL) THEN NULL ELSE min(valid_from) END AS lo,
           CASE WHEN bool_or(valid_to IS NULL) THEN NULL ELSE max(valid_to) END AS hi,
           count(*) AS n
    FROM spans
), month_cells AS (
    SELECT m.pkey, CAST(NULL AS VARCHAR) AS unit, CAST(NULL AS VARCHAR) AS group_code,
           m.cell_start,
           greatest(m.cell_start, m.p_from, coalesce(r.valid_from, m.cell_start),
                    coalesce(s.lo, m.cell_start)) AS lo,
           least(m.cell_end, m.p_to, coalesce(r.valid_to, m.cell_end),
                 coalesce(s.hi, m.cell_end)) AS hi,
           r.value AS required
    FROM months m
    JOIN rules r ON r.rule_key = {key} AND r.level = {lvl}
    CROSS JOIN span s
    WHERE s.n > 0
), held AS (
    SELECT c.pkey, c.cell_start, c.lo, count(DISTINCT x.{c.date}) AS days
    FROM month_cells c JOIN {c.table} x ON x.{c.date} BETWEEN c.lo AND c.hi
    WHERE c.lo <= c.hi AND x.level = {lvl} AND {c.rows}
    GROUP BY ALL
), cells AS (
    SELECT c.*, coalesce(h.days, 0) AS days, coalesce(h.days, 0) >= c.required AS meets
    FROM month_cells c
    LEFT JOIN held h ON h.pkey = c.pkey AND h.cell_start = c.cell_start AND h.lo = c.lo
    WHERE c.lo <= c.hi
)"""


def measure_sql(c: Cadence) -> str:
    """The cadence as a custom measure: cells meeting the rule / cells, per period (and
    per commune of the view when `{gkey}` is the group code)."""
    gkey = "{gkey}" if c.per_commune else "CAST(NULL AS VARCHAR)"
    return f"""WITH {cells_sql(c).strip()}
SELECT pkey, {gkey} AS gkey, count(*) FILTER (WHERE meets) AS num, count(*) AS den
FROM cells
GROUP BY ALL"""


def params(c: Cadence) -> dict[str, str]:
    return {f"rule_{c.name}": c.rule_key, f"level_{c.name}": c.level}

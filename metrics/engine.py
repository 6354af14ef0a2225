"""Compute KPIs for filters: one query per source and filter scope, all values bound."""

from __future__ import annotations

import calendar
import contextlib
import os
from collections import defaultdict
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import duckdb
import sqlglot
from sqlglot import exp

from data.contract import LEVELS
from data.warehouse import reader
from metrics.cadence import params as cadence_params
from metrics.model import AGGREGATES, CUSTOM_MEASURES, KPIS, MEASURES, SOURCES, Kpi

if TYPE_CHECKING:
    from metrics.combined import Source

BREAKDOWNS = ("commune", "month")
# How communes are shown: as recorded (the units that existed), or history re-aggregated to
# today's communes through unit_successions (DOMAIN.md §8).
RECORDED, TODAY = "recorded", "today"
UNIT_VIEWS = (RECORDED, TODAY)


# --------------------------------------------------------------------------- access scope
# What the signed-in user may read (built by access.scope). The engine applies it to every
# query it runs, whatever the filters ask: a page cannot widen it, only narrow it.
@dataclass(frozen=True)
class Scope:
    """`rows`: communes whose rows, case lists and per-commune or per-agency breakdowns may
    be read; `totals`: communes a total (or a breakdown by kind, field, month ...) may cover.
    None means every commune. `*_upper`: whether records with no commune (those of the
    district and province) count there."""

    rows: frozenset[str] | None = None
    totals: frozenset[str] | None = None
    rows_upper: bool = True
    totals_upper: bool = True

    def narrow(self, other: Scope | None) -> Scope:
        """What both scopes allow."""
        if other is None or other == self:
            return self

        def meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
            return b if a is None else a if b is None else a & b

        return Scope(
            meet(self.rows, other.rows),
            meet(self.totals, other.totals),
            self.rows_upper and other.rows_upper,
            self.totals_upper and other.totals_upper,
        )

    def allows(self, code: str | None) -> bool:
        """Whether the rows of a commune (None: of an upper level) may be read."""
        if code is None:
            return self.rows_upper
        return self.rows is None or code in self.rows


NO_ACCESS = Scope(frozenset(), frozenset(), False, False)
_SCOPE: ContextVar[Scope | None] = ContextVar("danvan_scope", default=None)
# Breakdowns that list units one by one: they follow `rows`, other breakdowns `totals`.
ROW_BREAKDOWNS = ("commune", "agency")


def set_scope(scope: Scope | None) -> Token:
    """Set the scope of the current run (a Streamlit script run, a request); None = all."""
    return _SCOPE.set(scope)


def reset_scope(token: Token) -> None:
    _SCOPE.reset(token)


def current_scope() -> Scope | None:
    return _SCOPE.get()


def active_scope(filters: Filters) -> Scope | None:
    """The scope a query runs under: the one the filters carry, narrowed by the run's."""
    run = _SCOPE.get()
    if filters.scope is None:
        return run
    return filters.scope.narrow(run)


def _scope_cond(col: str, explicit: bool, scope: Scope, rows: bool, params: dict) -> str:
    """The condition keeping `col` inside the scope. A commune filter (explicit) only ever
    reaches the communes whose rows the user may read."""
    allowed = scope.rows if rows or explicit else scope.totals
    upper = False if explicit else scope.rows_upper if rows else scope.totals_upper
    if allowed is None:
        return "true" if upper else f"{col} IS NOT NULL"
    if not allowed:
        cond = "false"
    else:
        key = "scope_rows" if rows or explicit else "scope_totals"
        params[key] = sorted(allowed)
        cond = f"list_contains(${key}, {col})"
    return f"({cond} OR {col} IS NULL)" if upper else cond


def upper_allowed(filters: Filters, rows: bool = False) -> bool:
    """Whether figures of an upper level (the district or province chairman's) may be read."""
    scope = active_scope(filters)
    return scope is None or (scope.rows_upper if rows else scope.totals_upper)


@dataclass(frozen=True)
class Filters:
    """A period [date_from, date_to] (inclusive), communes (empty = all), level (None = all)."""

    date_from: date
    date_to: date
    communes: tuple[str, ...] = ()
    level: str | None = None
    units: str = RECORDED
    # The access scope, taken from the current run when not given (see `Scope`); part of
    # the filters so that cached results are keyed on who may see them.
    scope: Scope | None = None

    def __post_init__(self) -> None:
        if self.scope is None:
            object.__setattr__(self, "scope", _SCOPE.get())
        if self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        if self.level is not None and self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}")
        if self.units not in UNIT_VIEWS:
            raise ValueError(f"unknown unit view {self.units!r}")
        object.__setattr__(self, "communes", tuple(sorted(set(self.communes))))

    @classmethod
    def year(
        cls,
        year: int,
        communes: tuple[str, ...] = (),
        level: str | None = None,
        units: str = RECORDED,
    ) -> Filters:
        return cls(date(year, 1, 1), date(year, 12, 31), communes, level, units)

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def is_calendar_year(self) -> bool:
        return (
            self.date_from.year == self.date_to.year
            and (self.date_from.month, self.date_from.day) == (1, 1)
            and (self.date_to.month, self.date_to.day) == (12, 31)
        )

    def previous(self) -> Filters:
        """The period of equal length just before this one (the previous year for a year)."""
        if self.is_calendar_year:
            return replace(
                self,
                date_from=date(self.date_from.year - 1, 1, 1),
                date_to=date(self.date_from.year - 1, 12, 31),
            )
        end = self.date_from - timedelta(days=1)
        return replace(self, date_from=end - timedelta(days=self.days - 1), date_to=end)

    def months(self) -> list[tuple[str, date, date]]:
        """(YYYY-MM, first day, last day) of each month in the period, clipped to it."""
        out = []
        y, m = self.date_from.year, self.date_from.month
        while (y, m) <= (self.date_to.year, self.date_to.month):
            last = date(y, m, calendar.monthrange(y, m)[1])
            out.append(
                (f"{y:04d}-{m:02d}", max(date(y, m, 1), self.date_from), min(last, self.date_to))
            )
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


@dataclass(frozen=True)
class Result:
    value: float | int | None
    numerator: float | int | None
    denominator: float | int | None
    unit: str
    # Whether the KPI applies to the filters (a level it does not describe, or a rule with no
    # cell in force, makes it not apply), and whether its target is met (None: no target
    # in force, or no value).
    applies: bool = True
    target_met: bool | None = None
    # Where the figure comes from when report forms are combined with the registers
    # (metrics.combined); None: the registers alone, as the engine computes them.
    source: Source | None = None

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "unit": self.unit,
        }


Db = str | os.PathLike[str] | duckdb.DuckDBPyConnection | None


def open_cursor(db: Db) -> duckdb.DuckDBPyConnection:
    if isinstance(db, duckdb.DuckDBPyConnection):
        return db.cursor()
    return reader(db)


def period_params(periods: list[tuple[str, date, date]]) -> dict:
    return {
        "pkeys": [p[0] for p in periods],
        "pfrom": [p[1] for p in periods],
        "pto": [p[2] for p in periods],
    }


PERIODS_CTE = (
    "p AS (SELECT unnest($pkeys) AS pkey, CAST(unnest($pfrom) AS DATE) AS p_from, "
    "CAST(unnest($pto) AS DATE) AS p_to)"
)


# Today's communes, each with the one-stop date of its whole area (the day its last
# predecessor applied the mechanism) when that is earlier than its own.
COMMUNES_TODAY_SQL = """
SELECT c.* REPLACE (
    least(c.one_stop_since, (
        SELECT max(o.one_stop_since) FROM commune_current m
        JOIN communes o ON o.commune_code = m.commune_code
        WHERE m.current_code = c.commune_code AND m.commune_code <> c.commune_code
    )) AS one_stop_since,
    CAST(NULL AS DATE) AS valid_from,
    CAST(NULL AS DATE) AS valid_to
)
FROM communes c
WHERE c.commune_code IN (SELECT current_code FROM commune_current)
"""


def unit_view_sql(source_sql: str, commune_col: str | None, units: str) -> str:
    """The source in the view's units: under today's units, each row's commune becomes
    the commune of today it now belongs to."""
    if units != TODAY or commune_col is None:
        return source_sql
    return (
        f"SELECT s.* REPLACE (coalesce(m.current_code, s.{commune_col}) AS {commune_col}) "
        f"FROM ({source_sql}) s LEFT JOIN commune_current m ON m.commune_code = s.{commune_col}"
    )


def scope_where(
    src_commune: str | None,
    src_level: str | None,
    ignores: tuple[str, ...],
    filters: Filters,
    params: dict,
    rows: bool = True,
) -> str:
    """The WHERE condition of a source: the filters, and always the access scope (`rows`:
    the query lists rows or units one by one; False only for totals and breakdowns that
    are not by unit)."""
    conds = []
    explicit = bool(src_commune and filters.communes and "commune" not in ignores)
    if explicit:
        conds.append(f"list_contains($communes, {src_commune})")
        params["communes"] = list(filters.communes)
    scope = active_scope(filters)
    if scope is not None and src_commune:
        conds.append(_scope_cond(src_commune, explicit, scope, rows, params))
    if src_level and filters.level and "level" not in ignores:
        conds.append(f"{src_level} = $level")
        params["level"] = filters.level
    return " AND ".join(conds) or "true"


# --------------------------------------------------------------------------- aggregates
# Sources with an aggregate table (metrics.model.AGGREGATES) are read from it whenever the
# query can be answered from it; the figures are the same as from the rows. Setting
# DANVAN_AGGREGATES=0, or `use_aggregates(False)`, forces the row-level path (tests, bench).
ENV_AGGREGATES = "DANVAN_AGGREGATES"
_AGGREGATES: ContextVar[bool | None] = ContextVar("danvan_aggregates", default=None)


def aggregates_enabled() -> bool:
    """Whether queries may read the aggregate tables (the default)."""
    forced = _AGGREGATES.get()
    if forced is not None:
        return forced
    return os.environ.get(ENV_AGGREGATES, "1").strip().lower() not in ("0", "false", "no", "off")


@contextlib.contextmanager
def use_aggregates(enabled: bool) -> Iterator[None]:
    """Within the block, read the aggregate tables (True) or only the rows (False)."""
    token = _AGGREGATES.set(enabled)
    try:
        yield
    finally:
        _AGGREGATES.reset(token)


@lru_cache(maxsize=512)
def _split_measure(sql: str) -> tuple[str, str, frozenset[str]]:
    """(aggregate, ` FILTER (WHERE ...)` or '', columns read outside the periods `p`)."""
    agg, sep, cond = sql.partition(" FILTER ")
    try:
        tree = sqlglot.parse_one(f"SELECT {sql}", read="duckdb")
    except sqlglot.errors.ParseError:
        return "", "", frozenset()  # no aggregate serves it: the rows answer
    cols = frozenset(c.name for c in tree.find_all(exp.Column) if c.table != "p")
    return agg.strip(), f"{sep}{cond}" if sep else "", cols


def aggregate_plan(
    source_name: str,
    measures: list,
    ignores: tuple[str, ...],
    filters: Filters,
    by: str | None,
    reads: tuple[str, ...] = (),
) -> tuple[str, list[str]] | None:
    """(source SQL over an aggregate table, each measure's SQL over it), or None when the
    query needs the rows (no aggregate, or a measure, filter or breakdown none can serve).
    `reads`: further columns the query reads besides the measures (a grouping of its own).
    The first aggregate of the source with every column the query reads is used; the
    procedure attributes are joined only when none has them all."""
    if not aggregates_enabled():
        return None
    src = SOURCES[source_name]
    needed: set[str] = set(reads)
    if by and by != "month":
        needed.add(src.dims[by])
    if src.level and filters.level and "level" not in ignores:
        needed.add(src.level)
    if src.commune:
        needed.add(src.commune)
    for agg in AGGREGATES.get(source_name, ()):
        rewritten = []
        cols = set(needed)
        for m in measures:
            fn, cond, reads = _split_measure(m.sql)
            if fn not in agg.aggs:
                break
            cols |= reads
            rewritten.append(agg.aggs[fn].format(filter=cond))
        else:
            if cols <= agg.columns:
                return agg.sql, rewritten
            if agg.joined_sql and cols <= agg.columns | agg.joined:
                return agg.joined_sql, rewritten
    return None


def run_source(
    cur: duckdb.DuckDBPyConnection,
    source_name: str,
    measures: list,
    ignores: tuple[str, ...],
    filters: Filters,
    periods: list[tuple[str, date, date]],
    by: str | None,
) -> dict:
    """{(pkey, gkey): {measure: value}} for measures of one source sharing a filter scope.
    Read from the source's aggregate table when it can answer (see `aggregate_plan`); from
    the rows when it cannot, or when the warehouse has no such table yet."""
    args = (source_name, measures, ignores, filters, periods, by)
    try:
        rows = cur.execute(*source_query(*args, aggregate=True)).fetchall()
    except duckdb.CatalogException:
        if aggregate_plan(source_name, measures, ignores, filters, by) is None:
            raise
        # A warehouse built before the aggregate tables: the rows answer the same.
        rows = cur.execute(*source_query(*args)).fetchall()
    out: dict = {}
    for row in rows:
        out[(row[0], row[1])] = dict(zip([m.name for m in measures], row[2:], strict=True))
    return out


def source_query(
    source_name: str,
    measures: list,
    ignores: tuple[str, ...],
    filters: Filters,
    periods: list[tuple[str, date, date]],
    by: str | None,
    aggregate: bool = False,
) -> tuple[str, dict]:
    """The DuckDB query of `run_source` and its parameters: `pkey, gkey, <measures>`.
    `aggregate`: read the source's aggregate table when it can answer the query (the
    figures are the same); otherwise, and by default, the rows."""
    src = SOURCES[source_name]
    params = period_params(periods)
    where = scope_where(src.commune, src.level, ignores, filters, params, by in ROW_BREAKDOWNS)
    plan = aggregate_plan(source_name, measures, ignores, filters, by) if aggregate else None
    base_sql, aggs = plan or (src.sql, [m.sql for m in measures])
    source_sql = base_sql
    if src.prefilter:
        source_sql = f"{base_sql} WHERE {src.prefilter}"
        params["min_from"] = min(p[1] for p in periods)
        params["max_to"] = max(p[2] for p in periods)
    if source_name == "communes" and filters.units == TODAY:
        source_sql = COMMUNES_TODAY_SQL
    else:
        source_sql = unit_view_sql(source_sql, src.commune, filters.units)
    gkey = "CAST(NULL AS VARCHAR)"
    if by and by != "month":
        gkey = f"CAST(s.{src.dims[by]} AS VARCHAR)"
    select = ", ".join(f"{sql} AS {m.name}" for sql, m in zip(aggs, measures, strict=True))
    sql = (
        f"WITH {PERIODS_CTE}, s AS (SELECT * FROM ({source_sql}) WHERE {where}) "
        f"SELECT p.pkey, {gkey} AS gkey, {select} FROM p CROSS JOIN s GROUP BY ALL"
    )
    return sql, params


def unit_ctes(filters: Filters, ignores: tuple[str, ...], params: dict, rows: bool = True) -> str:
    """`sel`, `rec` and `cmap` for custom measures (see metrics.model.CustomMeasure)."""
    today = filters.units == TODAY
    view = f"({COMMUNES_TODAY_SQL})" if today else "communes"
    where = scope_where("commune_code", None, ignores, filters, params, rows)
    group = "m.current_code" if today else "c.commune_code"
    rec_where = scope_where("group_code", None, ignores, filters, params, rows)
    return (
        f"sel AS (SELECT commune_code, valid_from, valid_to FROM {view} WHERE {where}), "
        f"cmap AS (SELECT c.commune_code, {group} AS view_code FROM communes c "
        "LEFT JOIN commune_current m ON m.commune_code = c.commune_code), "
        "rec AS (SELECT * FROM (SELECT c.commune_code, x.view_code AS group_code, c.valid_from, "
        "c.valid_to FROM communes c JOIN cmap x ON x.commune_code = c.commune_code) "
        f"WHERE {rec_where}), "
    )


def _run_custom(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    filters: Filters,
    periods: list[tuple[str, date, date]],
    by: str | None,
) -> dict:
    query = custom_query(name, filters, periods, by)
    if query is None:
        return {}
    out: dict = {}
    for pkey, g, num, den in cur.execute(*query).fetchall():
        out[(pkey, g)] = {name: (num, den)}
    return out


def custom_query(
    name: str,
    filters: Filters,
    periods: list[tuple[str, date, date]],
    by: str | None,
) -> tuple[str, dict] | None:
    """The DuckDB query of `_run_custom` and its parameters (`pkey, gkey, num, den`);
    None when the scope leaves nothing to read."""
    cm = CUSTOM_MEASURES[name]
    if "commune" in cm.ignores and not upper_allowed(filters, by in ROW_BREAKDOWNS):
        return None  # an upper level's figure the scope does not reach
    params = period_params(periods)
    if cm.cadence is not None:
        params.update(cadence_params(cm.cadence))
    units = unit_ctes(filters, cm.ignores, params, by in ROW_BREAKDOWNS)
    gkey = cm.group if by == "commune" else "CAST(NULL AS VARCHAR)"
    # Every custom query opens with its own WITH; the shared CTEs are put in front of it.
    body = cm.sql.strip().removeprefix("WITH").replace("{gkey}", gkey)
    sql = f"WITH {PERIODS_CTE}, {units}{body}"
    return sql, params


def kpi_result(kpi: Kpi, values: dict, level: str | None, target_in_force: bool = True) -> Result:
    """The KPI from its measures' values. `target_in_force` says whether the rule behind
    the target is in force for the period (see `target_applies`)."""
    if kpi.levels is not None and level is not None and level not in kpi.levels:
        # The filter excludes the level this KPI describes: it does not apply, it is not 0.
        return Result(None, None, None, kpi.unit, applies=False)
    if kpi.custom:
        num, den = values.get(kpi.numerator, (0, 0))
    else:
        num = values.get(kpi.numerator) or 0
        den = (values.get(kpi.denominator) or 0) if kpi.denominator else None
    num = _plain(num)
    den = _plain(den)
    if kpi.unit == "count":
        met = kpi.target.met(num) if kpi.target and target_in_force else None
        return Result(num, num, None, kpi.unit, target_met=met)
    value = None if not den else num / den
    # A cadence with no cell under a rule in force (district months from 07/2025) does not
    # apply; it is not 0%.
    applies = not (kpi.cadence is not None and not den)
    met = kpi.target.met(value) if kpi.target and target_in_force and applies else None
    return Result(value, num, den, kpi.unit, applies=applies, target_met=met)


def target_applies(kpi: Kpi, date_from: date, date_to: date, rules: tuple) -> bool:
    """Whether the KPI's target is in force for the period. A yearly rule applies to a whole
    calendar year when it is in force on its first day; other targets always apply."""
    if kpi.target is None:
        return False
    if kpi.target.when == "always":
        return True
    whole_year = (date_from.month, date_from.day, date_to.month, date_to.day) == (1, 1, 12, 31)
    whole_year = whole_year and date_from.year == date_to.year
    return whole_year and any(r.key in kpi.target.rules and r.in_force(date_from) for r in rules)


def _plain(x):
    if x is None:
        return None
    if isinstance(x, float) and x.is_integer():
        return int(x)
    try:
        as_int = int(x)
    except (TypeError, ValueError):
        return x
    return as_int if as_int == x else float(x)


def _plan(kpis: list[Kpi]) -> tuple[dict, set[str]]:
    """Group the measures the KPIs need by (source, ignored filters): one query each."""
    groups: dict[tuple[str, tuple[str, ...]], list] = defaultdict(list)
    customs: set[str] = set()
    for kpi in kpis:
        for name in {kpi.numerator, kpi.denominator} - {None}:
            if name in CUSTOM_MEASURES:
                customs.add(name)
                continue
            m = MEASURES[name]
            key = (m.source, m.ignores)
            if m not in groups[key]:
                groups[key].append(m)
    return groups, customs


def evaluate(
    ids: list[str] | None,
    filters: Filters,
    db: Db,
    periods: list[tuple[str, date, date]],
    by: str | None,
) -> dict:
    kpis = [KPIS[i] for i in (ids if ids is not None else list(KPIS))]
    if by:
        kpis = [k for k in kpis if _supports(k, by)]
    groups, customs = _plan(kpis)
    merged: dict = defaultdict(dict)
    cur = open_cursor(db)
    try:
        rules = _rules(cur) if any(k.target and k.target.when != "always" for k in kpis) else ()
        for (source, ignores), measures in groups.items():
            for key, vals in run_source(
                cur, source, measures, ignores, filters, periods, by
            ).items():
                merged[key].update(vals)
        for name in sorted(customs):
            for key, vals in _run_custom(cur, name, filters, periods, by).items():
                merged[key].update(vals)
    finally:
        cur.close()
    in_force = {
        (pkey, k.id): target_applies(k, p_from, p_to, rules)
        for pkey, p_from, p_to in periods
        for k in kpis
    }
    return {"kpis": kpis, "merged": merged, "target_in_force": in_force}


def _rules(cur: duckdb.DuckDBPyConnection) -> tuple:
    from data.reference import LegalRule

    rows = cur.execute(
        "SELECT rule_key, level, value, valid_from, valid_to, basis_vi, basis_en FROM rules"
    ).fetchall()
    return tuple(LegalRule(*r) for r in rows)


def _supports(kpi: Kpi, by: str) -> bool:
    if by == "month":
        return True
    if kpi.district_only:
        return False
    names = {kpi.numerator, kpi.denominator} - {None}
    for name in names:
        if name in CUSTOM_MEASURES:
            if by not in CUSTOM_MEASURES[name].by:
                return False
        elif by not in SOURCES[MEASURES[name].source].dims:
            return False
    return True


def compute(filters: Filters, ids: list[str] | None = None, db: Db = None) -> dict[str, Result]:
    """Every requested KPI (all by default) for the filters: {id: Result}."""
    return compute_periods(filters, {"current": filters}, ids, db)["current"]


def results_for(ev: dict, key: tuple[str, str | None], level: str | None) -> dict[str, Result]:
    """The KPI results of one (period, group) cell of an evaluation."""
    values = ev["merged"].get(key, {})
    in_force = ev["target_in_force"]
    return {
        k.id: kpi_result(k, values, level, in_force.get((key[0], k.id), True)) for k in ev["kpis"]
    }


def compute_periods(
    filters: Filters, periods: dict[str, Filters], ids: list[str] | None = None, db: Db = None
) -> dict[str, dict[str, Result]]:
    """The same KPIs over several periods in one pass (e.g. current and previous)."""
    plist = [(k, f.date_from, f.date_to) for k, f in periods.items()]
    ev = evaluate(ids, filters, db, plist, None)
    return {key: results_for(ev, (key, None), filters.level) for key in periods}


def compute_by(
    filters: Filters, by: str, ids: list[str] | None = None, db: Db = None
) -> dict[str, dict[str, Result]]:
    """KPIs per commune or per month: {group key: {id: Result}}.

    Months are keyed `YYYY-MM` and clipped to the period; communes by code. KPIs that do not
    break down that way (district-only KPIs per commune) are left out.
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    if by == "month":
        plist = filters.months()
        ev = evaluate(ids, filters, db, plist, "month")
        return {key: results_for(ev, (key, None), filters.level) for key, _, _ in plist}
    ev = evaluate(ids, filters, db, [("current", filters.date_from, filters.date_to)], by)
    groups = sorted({g for (_, g) in ev["merged"] if g is not None})
    return {g: results_for(ev, ("current", g), filters.level) for g in groups}

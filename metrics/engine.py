"""Compute KPIs for filters: one query per source and filter scope, all values bound."""

from __future__ import annotations

import calendar
import os
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

import duckdb

from data.warehouse import reader
from metrics.model import CUSTOM_MEASURES, KPIS, MEASURES, SOURCES, Kpi

LEVELS = ("huyen", "xa")
BREAKDOWNS = ("commune", "month")


@dataclass(frozen=True)
class Filters:
    """A period [date_from, date_to] (inclusive), communes (empty = all), level (None = all)."""

    date_from: date
    date_to: date
    communes: tuple[str, ...] = ()
    level: str | None = None

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        if self.level is not None and self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}")
        object.__setattr__(self, "communes", tuple(sorted(set(self.communes))))

    @classmethod
    def year(cls, year: int, communes: tuple[str, ...] = (), level: str | None = None) -> Filters:
        return cls(date(year, 1, 1), date(year, 12, 31), communes, level)

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


def scope_where(
    src_commune: str | None,
    src_level: str | None,
    ignores: tuple[str, ...],
    filters: Filters,
    params: dict,
) -> str:
    conds = []
    if src_commune and filters.communes and "commune" not in ignores:
        conds.append(f"list_contains($communes, {src_commune})")
        params["communes"] = list(filters.communes)
    if src_level and filters.level and "level" not in ignores:
        conds.append(f"{src_level} = $level")
        params["level"] = filters.level
    return " AND ".join(conds) or "true"


def run_source(
    cur: duckdb.DuckDBPyConnection,
    source_name: str,
    measures: list,
    ignores: tuple[str, ...],
    filters: Filters,
    periods: list[tuple[str, date, date]],
    by: str | None,
) -> dict:
    """{(pkey, gkey): {measure: value}} for measures of one source sharing a filter scope."""
    src = SOURCES[source_name]
    params = period_params(periods)
    where = scope_where(src.commune, src.level, ignores, filters, params)
    source_sql = src.sql
    if src.prefilter:
        source_sql = f"{src.sql} WHERE {src.prefilter}"
        params["min_from"] = min(p[1] for p in periods)
        params["max_to"] = max(p[2] for p in periods)
    gkey = "CAST(NULL AS VARCHAR)"
    if by and by != "month":
        gkey = f"CAST(s.{src.dims[by]} AS VARCHAR)"
    aggs = ", ".join(f"{m.sql} AS {m.name}" for m in measures)
    sql = (
        f"WITH {PERIODS_CTE}, s AS (SELECT * FROM ({source_sql}) WHERE {where}) "
        f"SELECT p.pkey, {gkey} AS gkey, {aggs} FROM p CROSS JOIN s GROUP BY ALL"
    )
    out: dict = {}
    for row in cur.execute(sql, params).fetchall():
        out[(row[0], row[1])] = dict(zip([m.name for m in measures], row[2:], strict=True))
    return out


def _run_custom(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    filters: Filters,
    periods: list[tuple[str, date, date]],
    by: str | None,
) -> dict:
    cm = CUSTOM_MEASURES[name]
    params = period_params(periods)
    where = scope_where("commune_code", None, cm.ignores, filters, params)
    gkey = "sel.commune_code" if by == "commune" else "CAST(NULL AS VARCHAR)"
    # Every custom query opens with its own WITH; the shared CTEs are put in front of it.
    body = cm.sql.strip().removeprefix("WITH").replace("{gkey}", gkey)
    sql = f"WITH {PERIODS_CTE}, sel AS (SELECT commune_code FROM communes WHERE {where}), {body}"
    out: dict = {}
    for pkey, g, num, den in cur.execute(sql, params).fetchall():
        out[(pkey, g)] = {name: (num, den)}
    return out


def kpi_result(kpi: Kpi, values: dict, level: str | None) -> Result:
    if kpi.levels is not None and level is not None and level not in kpi.levels:
        # The filter excludes the level this KPI describes: it does not apply, it is not 0.
        return Result(None, None, None, kpi.unit)
    if kpi.custom:
        num, den = values.get(kpi.numerator, (0, 0))
    else:
        num = values.get(kpi.numerator) or 0
        den = (values.get(kpi.denominator) or 0) if kpi.denominator else None
    num = _plain(num)
    den = _plain(den)
    if kpi.unit == "count":
        return Result(num, num, None, kpi.unit)
    value = None if not den else num / den
    return Result(value, num, den, kpi.unit)


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
    return {"kpis": kpis, "merged": merged}


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
    return {k.id: kpi_result(k, values, level) for k in ev["kpis"]}


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

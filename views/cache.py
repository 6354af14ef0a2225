"""Cached KPI look-ups for pages, keyed on the warehouse file's identity.

A build or an import replaces the file, which changes its identity, so the next rerun
computes from the new data without a restart and without clearing any cache by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from data.reference import LegalRule
from data.warehouse import identity, read_meta
from metrics import combined, periods, reported
from metrics.engine import Filters, Result, Scope, compute_by, current_scope
from metrics.model import KPIS
from metrics.rules import applied, warehouse_rules


@st.cache_data(max_entries=512, show_spinner=False)
def _periods(
    filters: Filters, ids: tuple[str, ...] | None, db: str, ident: tuple[int, int], prev: bool
) -> dict[str, dict[str, Result]]:
    wanted = {"current": filters}
    if prev:
        wanted["previous"] = filters.previous()
    # The cards' figures: registers and report forms combined, each with its source.
    return combined.compute_periods(filters, wanted, list(ids) if ids else None, db)


@st.cache_data(max_entries=512, show_spinner=False)
def _by(
    filters: Filters, by: str, ids: tuple[str, ...] | None, db: str, ident: tuple[int, int]
) -> dict[str, dict[str, Result]]:
    return compute_by(filters, by, list(ids) if ids else None, db)


def kpis(filters: Filters, db: Path, ids: list[str] | None = None) -> dict[str, Result]:
    return _periods(filters, tuple(ids) if ids else None, str(db), identity(db), False)["current"]


def kpis_with_previous(
    filters: Filters, db: Path, ids: list[str] | None = None
) -> tuple[dict[str, Result], dict[str, Result]]:
    out = _periods(filters, tuple(ids) if ids else None, str(db), identity(db), True)
    return out["current"], out["previous"]


def kpis_by(
    filters: Filters, by: str, db: Path, ids: list[str] | None = None
) -> dict[str, dict[str, Result]]:
    return _by(filters, by, tuple(ids) if ids else None, str(db), identity(db))


@st.cache_data(max_entries=16, show_spinner=False)
def _info(db: str, ident: tuple[int, int]) -> dict:
    return {
        "communes": periods.known_communes(db),
        "units": periods.commune_units(db),
        "levels": periods.levels_present(db),
        "years": periods.years(db),
        "latest_full_year": periods.latest_full_year(db),
        "meta": read_meta(db),
        "has_forms": reported.has_figures(db),
    }


def warehouse_info(db: Path) -> dict:
    """Communes (with validity), levels, years, latest full year and build metadata."""
    return _info(str(db), identity(db))


@st.cache_data(max_entries=16, show_spinner=False)
def _rules(db: str, ident: tuple[int, int]) -> tuple[LegalRule, ...]:
    return warehouse_rules(db)


@st.cache_data(max_entries=1024, show_spinner=False)
def _applied(
    kpi_id: str, first: date, last: date, db: str, ident: tuple[int, int]
) -> list[LegalRule]:
    kpi = KPIS[kpi_id]
    if kpi.target is None:
        return []
    # A rule of one level (the district chairman's) does not bear on a KPI of another
    # (the provincial chairman's), though both share a key.
    return applied(kpi.target.rules, first, last, _rules(db, ident), kpi.levels)


def applied_rules(kpi_id: str, first: date, last: date, db: Path) -> list[LegalRule]:
    """Every rule row behind the KPI's target in force on a day of [first, last], in the
    order of the rules file (the warehouse's copy of data/reference/rules.csv)."""
    return _applied(kpi_id, first, last, str(db), identity(db))


@st.cache_data(max_entries=256, show_spinner=False)
def _scorecard(filters: Filters, db: str, ident: tuple[int, int], lang: str):
    from metrics import actions, scorecard

    return (
        scorecard.scorecard(filters, db),
        actions.action_counts(filters, db),
        list(actions.LISTS),
        scorecard.methodology(lang, db, filters),
    )


def scorecard_view(filters: Filters, db: Path, lang: str):
    """(scorecard, action counts by list, list names in order, methodology rows) of the
    filters; the methodology's legal bases are those in force over the period."""
    return _scorecard(filters, str(db), identity(db), lang)


@st.cache_data(max_entries=256, show_spinner=False)
def _action_list(filters: Filters, name: str, db: str, ident: tuple[int, int]):
    from metrics import actions

    return actions.action_list(filters, name, db)


def action_list(filters: Filters, name: str, db: Path):
    """Every record of one action list (the page draws a capped number of them)."""
    return _action_list(filters, name, str(db), identity(db))


def action_names() -> list[str]:
    from metrics import actions

    return list(actions.LISTS)


@st.cache_data(max_entries=64, show_spinner=False)
def _service_index(filters: Filters, db: str, ident: tuple[int, int]) -> list[dict]:
    from metrics.reported import service_index

    return service_index(filters, db)


def service_index(filters: Filters, db: Path) -> list[dict]:
    """The imported 766 index rows within the filters (cached per warehouse file)."""
    return _service_index(filters, str(db), identity(db))


# The Dữ liệu page's coverage. The scope is part of each key: the grid and the unit list
# hold only the communes the run's scope allows (data.coverage reads it from the run).
@st.cache_data(max_entries=16, show_spinner=False)
def _table_coverage(db: str, ident: tuple[int, int], scope: Scope | None) -> list[dict]:
    from data import coverage

    return coverage.table_coverage(db)


def table_coverage(db: Path) -> list[dict]:
    """Rows, first and last record date and last import of every contract table."""
    return _table_coverage(str(db), identity(db), current_scope())


@st.cache_data(max_entries=128, show_spinner=False)
def _completeness(
    first: date,
    last: date,
    communes: tuple[str, ...],
    tables: tuple[str, ...],
    db: str,
    ident: tuple[int, int],
    scope: Scope | None,
) -> pd.DataFrame:
    from data import coverage

    return coverage.completeness(first, last, db, communes, tables)


def completeness(filters: Filters, tables: tuple[str, ...], db: Path) -> pd.DataFrame:
    """The commune × month grid of records reported over the filters' period and communes,
    counting the records of `tables` (see data.coverage.completeness)."""
    return _completeness(
        filters.date_from,
        filters.date_to,
        filters.communes,
        tables,
        str(db),
        identity(db),
        current_scope(),
    )


@st.cache_data(max_entries=16, show_spinner=False)
def _units(db: str, ident: tuple[int, int], scope: Scope | None) -> list[dict]:
    from data import coverage

    return coverage.units(db)


def units(db: Path) -> list[dict]:
    """Every commune the scope allows, with its validity dates, parent and successor."""
    return _units(str(db), identity(db), current_scope())

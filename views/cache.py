"""Cached KPI look-ups for pages, keyed on the warehouse file's identity.

A build or an import replaces the file, which changes its identity, so the next rerun
computes from the new data without a restart and without clearing any cache by hand.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from data.warehouse import identity, read_meta
from metrics import periods
from metrics.engine import Filters, Result, compute_by, compute_periods


@st.cache_data(max_entries=512, show_spinner=False)
def _periods(
    filters: Filters, ids: tuple[str, ...] | None, db: str, ident: tuple[int, int], prev: bool
) -> dict[str, dict[str, Result]]:
    wanted = {"current": filters}
    if prev:
        wanted["previous"] = filters.previous()
    return compute_periods(filters, wanted, list(ids) if ids else None, db)


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
        "years": periods.years(db),
        "latest_full_year": periods.latest_full_year(db),
        "meta": read_meta(db),
    }


def warehouse_info(db: Path) -> dict:
    """Communes, years, latest full year and build metadata of the warehouse."""
    return _info(str(db), identity(db))

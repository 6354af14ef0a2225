"""KPI layer: declarations (`model`), cadence rules (`cadence`), the legal rules as the warehouse
holds them (`rules`) and computation (`engine`)."""

from metrics.engine import Filters, Result, compute, compute_by, compute_periods
from metrics.model import AREAS, KPIS, Kpi

__all__ = [
    "AREAS",
    "KPIS",
    "Filters",
    "Kpi",
    "Result",
    "compute",
    "compute_by",
    "compute_periods",
]

"""KPI layer: declarations (`model`), legal thresholds (`rules`) and computation (`engine`)."""

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

"""The filter sets every dossier KPI is compared on, by engine and by aggregate: years,
ranges across a year's end, communes and levels on the hand-built fixture, and on the v2
fixture the 2025 reform, by recorded and by today's units."""

from __future__ import annotations

from datetime import date

from metrics.engine import Filters

FIXTURE_FILTERS = {
    "year_2019": Filters.year(2019),
    "year_2018": Filters.year(2018),
    "range_mar_2019": Filters(date(2019, 3, 1), date(2019, 3, 31)),
    "range_across_years": Filters(date(2018, 11, 15), date(2019, 2, 20)),
    "communes_1_3": Filters.year(2019, ("00001", "00003")),
    "commune_4": Filters.year(2019, ("00004",)),
    "level_xa": Filters.year(2019, level="xa"),
    "level_huyen": Filters.year(2019, level="huyen"),
    "commune_and_level": Filters.year(2019, ("00002",), level="xa"),
}

FIXTURE_V2_FILTERS = {
    "year_2025_recorded": Filters.year(2025),
    "year_2025_today": Filters.year(2025, units="today"),
    "year_2024_today": Filters.year(2024, units="today"),
    "reform_week_today": Filters(date(2025, 6, 30), date(2025, 7, 6), units="today"),
    "h2_2025_commune_today": Filters(
        date(2025, 7, 1), date(2025, 12, 31), ("20001",), units="today"
    ),
    "old_commune_today": Filters.year(2025, ("10003",), units="today"),
    "level_huyen_2025": Filters.year(2025, level="huyen"),
    "level_tinh_today": Filters.year(2025, level="tinh", units="today"),
}

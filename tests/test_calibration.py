"""The scale-1 demo reproduces every figure of the source article (DOMAIN.md §7).

The demo runs from 2017-01-01 to 2026-11-30, across the July 2025 reform, but the article's
2019 figures and its count of long-standing cases as of its date (31/7/2020) stay exact. The
reform itself is tested in test_demo_reform.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from metrics import Filters, compute

Y2019 = Filters.year(2019)
# The article appeared on 03/8/2020 with figures to the end of July.
TO_ARTICLE = Filters(date(2017, 1, 1), date(2020, 7, 31), level="huyen")

# (filters, KPI id, expected value); rates as exact fractions where the article gives counts.
CALIBRATION = [
    (Filters.year(2019, level="huyen"), "chair_reception_days", 24),
    (Filters.year(2019, level="huyen"), "chair_reception_citizens", 55),
    (Filters.year(2019, level="huyen"), "dialogues", 26),
    (Filters.year(2019, level="huyen"), "dialogue_attendees", 859),
    (Filters.year(2019, level="huyen"), "dialogue_opinions", 244),
    (Filters.year(2019, level="xa"), "dialogues", 97),
    (Filters.year(2019, level="xa"), "dialogue_attendees", 6122),
    (Filters.year(2019, level="xa"), "dialogue_opinions", 887),
    (Filters.year(2019, level="huyen"), "procedures_total", 259),
    (Filters.year(2019, level="huyen"), "procedures_time_cut", 90),
    (Filters.year(2019, level="xa"), "procedures_total", 145),
    (Filters.year(2019, level="xa"), "procedures_time_cut", 27),
    (Y2019, "district_desk_procedures", 309),
    (Y2019, "district_desk_agencies_specialised", 11),
    (Y2019, "district_desk_agencies_vertical", 4),
    (Y2019, "surprise_inspected_communes", 3),
    (Y2019, "surprise_inspected_agencies", 4),
]


@pytest.mark.parametrize(("filters", "kpi_id", "expected"), CALIBRATION)
def test_demo_reproduces_article_counts(
    demo_db: Path, filters: Filters, kpi_id: str, expected: int
) -> None:
    """Each count the article publishes comes out exactly."""
    assert compute(filters, [kpi_id], db=demo_db)[kpi_id].value == expected


def test_district_chairman_received_two_days_every_month_of_2019(demo_db: Path) -> None:
    """'tiếp định kỳ 2 buổi/tháng': 12 of 12 months meet the rule."""
    r = compute(Filters.year(2019, level="huyen"), ["district_chair_compliance_rate"], db=demo_db)
    assert (
        r["district_chair_compliance_rate"].numerator,
        r["district_chair_compliance_rate"].denominator,
    ) == (12, 12)


def test_prolonged_cases_seven_of_nine_by_article_date(demo_db: Path) -> None:
    """'giải quyết xong 7/9 vụ việc phức tạp, đạt tỷ lệ 78%' as of 31/07/2020."""
    r = compute(TO_ARTICLE, ["prolonged_cases_resolved_rate"], db=demo_db)
    res = r["prolonged_cases_resolved_rate"]
    assert (res.numerator, res.denominator) == (7, 9)
    assert round(res.value * 100) == 78


def test_all_communes_apply_one_stop_by_end_2019(demo_db: Path) -> None:
    """'23/23 xã, thị trấn thực hiện ... theo cơ chế một cửa'."""
    res = compute(Y2019, ["communes_one_stop_rate"], db=demo_db)["communes_one_stop_rate"]
    assert (res.numerator, res.denominator, res.value) == (23, 23, 1.0)


def test_staff_ratings_2019_match_article_percentages(demo_db: Path) -> None:
    """86,59% (administrative) and 76,31% (public service) rated good or better in 2019."""
    r = compute(
        Y2019, ["staff_good_or_better_rate_admin", "staff_good_or_better_rate_service"], db=demo_db
    )
    assert round(r["staff_good_or_better_rate_admin"].value * 100, 2) == 86.59
    assert round(r["staff_good_or_better_rate_service"].value * 100, 2) == 76.31


def test_demo_covers_2017_to_november_2026_with_the_23_units_of_2019(demo_db: Path) -> None:
    """The demo's span, and the 23 communes of DOMAIN.md §4 among its communes."""
    from metrics.periods import data_span, known_communes

    first, last = data_span(demo_db)
    # The first working day of 2017 is 03/01 (01/01 is a holiday, 02/01 its day off).
    assert (first.year, first.month) == (2017, 1)
    assert last == date(2026, 11, 30)
    communes = known_communes(demo_db)
    assert len([c for c in communes if not c.startswith("N")]) == 23
    assert communes["01153"] == "Thị trấn Việt Quang"
    assert communes["01219"] == "Xã Đông Thành"

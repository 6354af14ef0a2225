"""The KPI model across the reform of 01/7/2025, on the hand-built fixture tests/fixture_v2.

Row ids are those of tests/fixture_v2/README.md (A/B = commune receptions, C = district,
E = province, J = 2026, F = dialogues, Q = petitions, G = dossiers); its week arithmetic
and its table of expected values are the source of every number here. Units: province T01,
district H01 (ends 2025-06-30), old communes 10001, 10002, 10003 (end 2025-06-30), new
communes 20001 (from 10001 + 10002) and 20002 (from 10003), valid from 2025-07-01.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data.build import BuildError, build_warehouse
from metrics import Filters, compute
from metrics import details as d
from metrics.engine import compute_by

FIXTURE_V2 = Path(__file__).parent / "fixture_v2"

Y2023 = Filters.year(2023)
Y2024 = Filters.year(2024)
Y2025 = Filters.year(2025)
Y2026 = Filters.year(2026)
H1_2025 = Filters(date(2025, 1, 1), date(2025, 6, 30))
H2_2025 = Filters(date(2025, 7, 1), date(2025, 12, 31))
REFORM_WEEK = Filters(date(2025, 6, 30), date(2025, 7, 6))  # Mon 30/6 .. Sun 6/7/2025


def one(db: Path, filters: Filters, kpi_id: str):
    return compute(filters, [kpi_id], db)[kpi_id]


def frac(db: Path, filters: Filters, kpi_id: str) -> tuple:
    r = one(db, filters, kpi_id)
    return (r.numerator, r.denominator)


def by_commune(db: Path, filters: Filters, kpi_id: str) -> dict:
    """{commune: count} (non-zero counts only: a commune with rows in other periods forms
    a group of 0) or {commune: (numerator, denominator)} for a rate."""
    got = compute_by(filters, "commune", [kpi_id], db)
    out = {}
    for code, res in got.items():
        r = res[kpi_id]
        if r.unit != "count":
            out[code] = (r.numerator, r.denominator)
        elif r.value:
            out[code] = r.value
    return out


# --------------------------------------------------------------------------- build


def test_derived_due_dates_of_v2_petitions(fixture_v2_db: Path) -> None:
    """Due dates from the rule in force on the acceptance date, by round (README table)."""
    conn = duckdb.connect(str(fixture_v2_db), read_only=True)
    try:
        rows = dict(conn.execute("SELECT petition_id, due_date FROM petitions").fetchall())
        rounds = dict(conn.execute("SELECT petition_id, round FROM petitions").fetchall())
    finally:
        conn.close()
    assert rows == {
        "Q01": date(2025, 4, 2),  # round 1: 03-03 + 30 (Mar 31 +28)
        "Q02": date(2025, 8, 29),  # round 2: 07-15 + 45 (Jul 31 +16)
        "Q03": date(2025, 10, 13),  # round 2 complex + remote: 08-04 + 70 (Sep 30 +57)
        "Q04": date(2025, 6, 5),  # to_cao (Luật TC 2018): 05-06 + 30 (May 31 +25)
        "Q05": None,  # kiến nghị, phản ánh: no deadline
        "Q06": date(2024, 12, 19),  # round 1 remote: 11-04 + 45 (Nov 30 +26)
    }
    assert rounds["Q04"] == 1  # empty round cell: the contract default


@pytest.mark.parametrize(
    ("file", "old", "new", "column"),
    [
        # a district record after the district level ended
        ("receptions.csv", "C09,2025-06-30,huyen", "C09,2025-07-01,huyen", "level"),
        # an old commune's record after it ended
        ("receptions.csv", "B05,2025-06-30,xa,10001", "B05,2025-07-01,xa,10001", "commune_code"),
        # a new commune's record before it began
        ("receptions.csv", "B07,2025-07-03,xa,20001", "B07,2025-06-30,xa,20001", "commune_code"),
    ],
)
def test_records_outside_unit_validity_are_faults(
    tmp_path: Path, file: str, old: str, new: str, column: str
) -> None:
    """The fixture's edge rows are valid on their own day and a fault one day beyond it."""
    folder = tmp_path / "v2"
    shutil.copytree(FIXTURE_V2, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build_warehouse(folder, tmp_path / "out.duckdb")
    assert [(f.file, f.column) for f in info.value.faults] == [(file, column)]


# --------------------------------------------------------------------------- district, province


def test_district_chair_2025_counts_only_january_to_june(fixture_v2_db: Path) -> None:
    """H01 and its rule (≥ 2 days a month) end on 2025-06-30: 2025 has six month cells."""
    assert frac(fixture_v2_db, Y2025, "district_chair_compliance_rate") == (4, 6)
    grid = d.district_chair_grid(Y2025, fixture_v2_db)
    assert grid["month"].tolist() == [f"2025-0{m}" for m in range(1, 7)]
    # Jan C01+C02, Feb C03, Mar C04+C05, Apr only C10 (vice-chair), May C06+C07, Jun C08+C09
    assert grid["days"].tolist() == [2, 1, 2, 0, 2, 2]
    assert grid["required"].tolist() == [2] * 6
    assert grid["meets"].tolist() == [True, False, True, False, True, True]
    r = one(fixture_v2_db, Y2025, "district_chair_compliance_rate")
    assert (r.applies, r.target_met) == (True, False)  # 4/6 < 100%


def test_district_month_cell_holds_only_the_period_days(fixture_v2_db: Path) -> None:
    """2025-06-15..07-15: the June cell holds 06-15..06-30, where only C09 (06-30) falls
    (C08 on 06-02 is before the period): 1 date < 2. July is no cell."""
    f = Filters(date(2025, 6, 15), date(2025, 7, 15))
    assert frac(fixture_v2_db, f, "district_chair_compliance_rate") == (0, 1)
    grid = d.district_chair_grid(f, fixture_v2_db)
    assert (grid["month"].tolist(), grid["days"].tolist()) == (["2025-06"], [1])


def test_month_cells_hold_only_days_up_to_the_period_end(fixture_v2_db: Path) -> None:
    """2025-01-01..01-10: the January cell holds 01-01..01-10, so C01 (01-02) counts and C02
    (01-16) does not: 1 date < 2. 2025-02-01..02-19: E02, E03 (02-20) fall after it."""
    jan = Filters(date(2025, 1, 1), date(2025, 1, 10))
    assert frac(fixture_v2_db, jan, "district_chair_compliance_rate") == (0, 1)
    feb = Filters(date(2025, 2, 1), date(2025, 2, 19))
    assert frac(fixture_v2_db, feb, "province_chair_compliance_rate") == (0, 1)


def test_month_cells_hold_only_days_the_district_existed(tmp_path: Path) -> None:
    """A copy where H01 (the only huyen unit) ends on 2025-03-15, the rule still to 06-30:
    Jan met (C01, C02), Feb not (C03), Mar holds 03-01..03-15: C04 (03-03) only, C05
    (03-17) is after the district ended: not met. April to June: no cell. 1 / 3."""
    folder = tmp_path / "v2"
    shutil.copytree(FIXTURE_V2, folder)
    path = folder / "units_upper.csv"
    text = path.read_text(encoding="utf-8")
    old = "H01,Huyện Thử Nghiệm,huyen,T01,,2025-06-30"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("2025-06-30", "2025-03-15")), encoding="utf-8")
    db = tmp_path / "out.duckdb"
    build_warehouse(folder, db)
    assert frac(db, Y2025, "district_chair_compliance_rate") == (1, 3)
    grid = d.district_chair_grid(Y2025, db)
    assert (grid["month"].tolist(), grid["days"].tolist()) == (
        ["2025-01", "2025-02", "2025-03"],
        [2, 1, 1],
    )


def test_district_2024_has_twelve_cells(fixture_v2_db: Path) -> None:
    assert frac(fixture_v2_db, Y2024, "district_chair_compliance_rate") == (0, 12)


@pytest.mark.parametrize("filters", [H2_2025, Y2026])
def test_district_kpi_does_not_apply_after_the_reform(fixture_v2_db: Path, filters) -> None:
    """No district month cell from 07/2025: the KPI does not apply (None), it is not 0%."""
    r = one(fixture_v2_db, filters, "district_chair_compliance_rate")
    assert (r.value, r.applies, r.target_met) == (None, False, None)
    assert d.district_chair_grid(filters, fixture_v2_db).empty


def test_province_chair_2025_twelve_months(fixture_v2_db: Path) -> None:
    """Rule ≥ 1 day a month all year: met Jan (E01), Feb (E02, E03 on one date), Apr (E05),
    Jun (E06), Jul (E07), Oct (E09), Dec (E10); not Mar (E04 vice-chair), Aug (E08 ad hoc),
    May, Sep, Nov."""
    assert frac(fixture_v2_db, Y2025, "province_chair_compliance_rate") == (7, 12)
    grid = d.province_chair_grid(Y2025, fixture_v2_db)
    assert len(grid) == 12
    assert grid["days"].tolist() == [1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1]
    assert grid["required"].tolist() == [1] * 12
    assert frac(fixture_v2_db, H2_2025, "province_chair_compliance_rate") == (3, 6)
    r = one(fixture_v2_db, Y2026, "province_chair_compliance_rate")  # no 2026 tinh row
    assert (r.numerator, r.denominator, r.applies) == (0, 12, True)


def test_upper_level_kpis_ignore_the_commune_filter(fixture_v2_db: Path) -> None:
    f = Filters.year(2025, ("10003",))
    assert frac(fixture_v2_db, f, "district_chair_compliance_rate") == (4, 6)
    assert frac(fixture_v2_db, f, "province_chair_compliance_rate") == (7, 12)


# --------------------------------------------------------------------------- communes, weeks


def test_commune_chair_2025_old_then_new_communes(fixture_v2_db: Path) -> None:
    """Old communes: the 25 weeks with a working day whose Thursday is ≤ 2025-06-30; new
    communes: the 26 weeks from the week of Thursday 2025-07-03. 3×25 + 2×26 = 127."""
    assert frac(fixture_v2_db, Y2025, "commune_chair_compliance_rate") == (6, 127)
    assert by_commune(fixture_v2_db, Y2025, "commune_chair_compliance_rate") == {
        "10001": (2, 25),  # B01 (week of Mon 2024-12-30), B04 (week of 06-23)
        "10002": (1, 25),  # B03; B02 is in the Tết week off, which is no cell
        "10003": (0, 25),  # B06 is a vice-chair
        "20001": (2, 26),  # B07 (week of 06-30), B08 + B09 (week of 07-07)
        "20002": (1, 26),  # B10; B11 (12-30) is a 2026 week
    }


def test_commune_chair_grid_weeks_at_the_edges(fixture_v2_db: Path) -> None:
    grid = d.commune_chair_grid(Y2025, fixture_v2_db)
    weeks = {c: sorted(g["week"]) for c, g in grid.groupby("commune_code")}
    for old in ("10001", "10002", "10003"):
        assert (weeks[old][0], weeks[old][-1], len(weeks[old])) == (
            date(2024, 12, 30),
            date(2025, 6, 23),
            25,
        )
        assert date(2025, 1, 27) not in weeks[old]  # the Tết week
    for new in ("20001", "20002"):
        assert (weeks[new][0], weeks[new][-1], len(weeks[new])) == (
            date(2025, 6, 30),
            date(2025, 12, 22),
            26,
        )
    first = grid[grid["commune_code"] == "10001"].iloc[0]
    assert (first["month"], first["days"], first["meets"]) == ("2025-01", 1, True)  # B01
    jul7 = grid[(grid["commune_code"] == "20001") & (grid["week"] == date(2025, 7, 7))]
    assert jul7["days"].item() == 2  # B08, B09: two distinct days, one cell


def test_week_of_30_june_2025_belongs_to_the_new_communes_only(fixture_v2_db: Path) -> None:
    """Mon 30/6 .. Sun 6/7/2025: its Thursday 3/7 is after the old communes ended, so the
    cells are 20001 (met by B07) and 20002. B05 (10001, Mon 30/6) meets no cell."""
    cells = d.cadence_cells(REFORM_WEEK, "commune_chair_weeks", fixture_v2_db)
    got = {
        (u, str(s)[:10], int(n), bool(m))
        for u, s, n, m in zip(
            cells["unit"], cells["cell_start"], cells["days"], cells["meets"], strict=True
        )
    }
    assert got == {("20001", "2025-06-30", 1, True), ("20002", "2025-06-30", 0, False)}
    assert frac(fixture_v2_db, REFORM_WEEK, "commune_chair_compliance_rate") == (1, 2)
    old_only = Filters(date(2025, 6, 30), date(2025, 7, 6), ("10001",))
    r = one(fixture_v2_db, old_only, "commune_chair_compliance_rate")
    assert (r.numerator, r.denominator, r.value, r.applies) == (0, 0, None, False)


def test_commune_chair_june_and_july_2025(fixture_v2_db: Path) -> None:
    # June: Thursdays 05, 12, 19, 26 -> 4 old weeks x 3 communes; B04 (06-26)
    june = Filters(date(2025, 6, 1), date(2025, 6, 30))
    assert frac(fixture_v2_db, june, "commune_chair_compliance_rate") == (1, 12)
    # July: Thursdays 03, 10, 17, 24, 31 -> 5 weeks x 2 new communes; B07, B08 + B09
    july = Filters(date(2025, 7, 1), date(2025, 7, 31))
    assert frac(fixture_v2_db, july, "commune_chair_compliance_rate") == (2, 10)


def test_cadences_by_month_add_up_to_the_year(fixture_v2_db: Path) -> None:
    """Per month, a week counts in the month of its Thursday. Cells: Jan 4 weeks (5
    Thursdays, 01-30 is the Tết week) x 3, Feb-Apr 4 x 3, May 5 x 3, Jun 4 x 3; Jul 5 x 2,
    Aug, Sep 4 x 2, Oct 5 x 2, Nov, Dec 4 x 2 -> 75 + 52 = 127. Met: Jan B01, Mar B03,
    Jun B04, Jul B07 and B08+B09, Sep B10. The district has no cell from July."""
    ids = ["commune_chair_compliance_rate", "district_chair_compliance_rate"]
    months = compute_by(Y2025, "month", ids, fixture_v2_db)
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 13)]
    commune = [months[m][ids[0]] for m in months]
    assert [r.denominator for r in commune] == [12, 12, 12, 12, 15, 12, 10, 8, 8, 10, 8, 8]
    assert [r.numerator for r in commune] == [1, 0, 1, 0, 0, 1, 2, 0, 1, 0, 0, 0]
    district = [months[m][ids[1]] for m in months]
    assert [r.denominator for r in district] == [1] * 6 + [0] * 6
    assert [r.numerator for r in district] == [1, 0, 1, 0, 1, 1] + [0] * 6
    assert [r.applies for r in district] == [True] * 6 + [False] * 6


def test_commune_chair_2024_only_old_communes(fixture_v2_db: Path) -> None:
    """52 weeks, none fully off; the new communes did not exist: 3 × 52 = 156; A01-A03."""
    assert frac(fixture_v2_db, Y2024, "commune_chair_compliance_rate") == (3, 156)
    r = one(fixture_v2_db, Filters.year(2024, ("20001",)), "commune_chair_compliance_rate")
    assert (r.denominator, r.applies) == (0, False)  # as recorded, 20001 had no 2024 week


# --------------------------------------------------------------------------- dialogues


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Y2025, (3, 5)),  # all five existed on a day of 2025; 10001 F02, 20002 F03, 20001 F04
        (H1_2025, (1, 3)),  # old communes only; F02 (F05 is a district dialogue)
        (H2_2025, (2, 2)),  # new communes only; F03, F04
        (Filters(date(2025, 6, 30), date(2025, 6, 30)), (0, 3)),  # the old side's last day
        (Filters(date(2025, 7, 1), date(2025, 7, 1)), (0, 2)),  # the new side's first day
        (Filters(date(2025, 6, 30), date(2025, 7, 1)), (0, 5)),  # one day of each
        (Y2024, (1, 3)),  # F01 (10003)
        (Y2023, (0, 3)),
    ],
)
def test_communes_with_dialogue_counts_communes_existing_in_the_period(
    fixture_v2_db: Path, filters: Filters, expected: tuple
) -> None:
    assert frac(fixture_v2_db, filters, "communes_with_dialogue_rate") == expected


def test_dialogue_target_only_for_a_calendar_year_with_the_rule(fixture_v2_db: Path) -> None:
    """commune_dialogues_per_year is in force from 2023-07-01: 2024 and 2025 have a target
    (not met at 1/3 and 3/5); 2023 (rule not in force on 01/01) and half years have none."""
    assert one(fixture_v2_db, Y2025, "communes_with_dialogue_rate").target_met is False
    assert one(fixture_v2_db, Y2024, "communes_with_dialogue_rate").target_met is False
    assert one(fixture_v2_db, Y2023, "communes_with_dialogue_rate").target_met is None
    assert one(fixture_v2_db, H1_2025, "communes_with_dialogue_rate").target_met is None
    # H2 2025 is 2 / 2 = 100%, but half a year: still no target
    r = one(fixture_v2_db, H2_2025, "communes_with_dialogue_rate")
    assert (r.value, r.target_met) == (1.0, None)
    # 2024-01-01..2025-12-31 starts on 01/01 and ends on 31/12 but is two years, not a
    # calendar year: no target. 5 communes existed; F01 (10003), F02 (10001), F03 (20002),
    # F04 (20001) -> 4 / 5.
    r = one(
        fixture_v2_db, Filters(date(2024, 1, 1), date(2025, 12, 31)), "communes_with_dialogue_rate"
    )
    assert (r.numerator, r.denominator, r.target_met) == (4, 5, None)


def test_dialogue_by_commune_as_recorded(fixture_v2_db: Path) -> None:
    assert by_commune(fixture_v2_db, Y2025, "communes_with_dialogue_rate") == {
        "10001": (1, 1),
        "10002": (0, 1),  # F05 is the district's
        "10003": (0, 1),
        "20001": (1, 1),
        "20002": (1, 1),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Y2025, (5, 5)),  # every commune existed on a day of 2025 and applied one-stop
        (H1_2025, (3, 3)),  # the old communes (one-stop since 2019, 2019, 2020)
        (H2_2025, (2, 2)),  # the new communes (one-stop since 2025-07-01)
        (Y2024, (3, 3)),
        # today's communes take their predecessors' dates: 20001 2019-01-01 (10001,
        # 10002), 20002 2020-01-01 (10003)
        (Filters.year(2024, units="today"), (2, 2)),
        (Filters.year(2019, units="today"), (1, 2)),  # 20002 only from 2020-01-01
    ],
)
def test_communes_one_stop_rate_counts_communes_existing_in_the_period(
    fixture_v2_db: Path, filters: Filters, expected: tuple
) -> None:
    assert frac(fixture_v2_db, filters, "communes_one_stop_rate") == expected


# --------------------------------------------------------------------------- today's units


def test_today_units_reaggregate_2024_to_the_new_communes(fixture_v2_db: Path) -> None:
    """2024 receptions: 10001 A01 4; 10002 A02 6 + A04 5 = 11; 10003 A03 3. Under today's
    units 20001 = 4 + 11 = 15 and 20002 = 3; the total is 18 either way."""
    recorded = Filters.year(2024)
    today = Filters.year(2024, units="today")
    assert by_commune(fixture_v2_db, recorded, "reception_citizens") == {
        "10001": 4,
        "10002": 11,
        "10003": 3,
    }
    assert by_commune(fixture_v2_db, today, "reception_citizens") == {"20001": 15, "20002": 3}
    assert one(fixture_v2_db, recorded, "reception_citizens").value == 18
    assert one(fixture_v2_db, today, "reception_citizens").value == 18
    # A commune filter on a new commune: its predecessors' rows under today's units,
    # nothing as recorded (20001 did not exist in 2024).
    assert (
        one(
            fixture_v2_db, Filters.year(2024, ("20001",), units="today"), "reception_citizens"
        ).value
        == 15
    )
    assert one(fixture_v2_db, Filters.year(2024, ("20001",)), "reception_citizens").value == 0


def test_today_units_dossiers_and_dialogues(fixture_v2_db: Path) -> None:
    today = Filters.year(2025, units="today")
    assert by_commune(fixture_v2_db, Y2025, "dossiers_received") == {
        "10001": 1,
        "10002": 1,
        "20001": 1,
        "20002": 1,
    }
    assert by_commune(fixture_v2_db, today, "dossiers_received") == {"20001": 3, "20002": 1}
    # today's communes are 20001 and 20002 for every period; F01 (10003) -> 20002
    assert frac(
        fixture_v2_db, Filters.year(2024, units="today"), "communes_with_dialogue_rate"
    ) == (1, 2)
    # 2025: F02 (10001) -> 20001, F03 20002, F04 20001
    assert frac(fixture_v2_db, today, "communes_with_dialogue_rate") == (2, 2)


def test_cadence_stays_as_recorded_under_today_units(fixture_v2_db: Path) -> None:
    """The weekly duty belonged to the unit that existed: under today's units the cells are
    still those of the old communes, only grouped under their successor."""
    today24 = Filters.year(2024, units="today")
    assert frac(fixture_v2_db, today24, "commune_chair_compliance_rate") == (3, 156)
    only = Filters.year(2024, ("20001",), units="today")
    assert frac(fixture_v2_db, only, "commune_chair_compliance_rate") == (2, 104)  # 10001, 10002
    cells = d.cadence_cells(only, "commune_chair_weeks", fixture_v2_db)
    assert set(cells["unit"]) == {"10001", "10002"}
    assert set(cells["group_code"]) == {"20001"}
    today25 = Filters.year(2025, units="today")
    assert frac(fixture_v2_db, today25, "commune_chair_compliance_rate") == (6, 127)
    assert by_commune(fixture_v2_db, today25, "commune_chair_compliance_rate") == {
        "20001": (5, 76),  # 10001 2/25 + 10002 1/25 + 20001 2/26
        "20002": (1, 51),  # 10003 0/25 + 20002 1/26
    }
    # the upper levels are not affected by the unit view
    assert frac(fixture_v2_db, today25, "district_chair_compliance_rate") == (4, 6)


# --------------------------------------------------------------------------- targets


def test_lower_is_better_target_met_on_zero_only(fixture_v2_db: Path) -> None:
    """petitions_overdue_open, target ≤ 0: at 2025-12-31 Q03 (due 10-13) is open -> 1, not
    met; at 2025-06-30 Q01 and Q04 are resolved and nothing else is due -> 0, met."""
    r = one(fixture_v2_db, Y2025, "petitions_overdue_open")
    assert (r.value, r.target_met) == (1, False)
    r = one(fixture_v2_db, H1_2025, "petitions_overdue_open")
    assert (r.value, r.target_met) == (0, True)
    r = one(fixture_v2_db, Y2025, "dossiers_overdue_open")  # G04 (due 08-15)
    assert (r.value, r.target_met) == (1, False)


def test_higher_is_better_target_met_at_exactly_100_percent(fixture_v2_db: Path) -> None:
    """petitions_on_time_rate, target ≥ 100%: H1 2025 Q01 and Q04 resolved on their due
    dates -> 2/2, met; 2025 adds Q02 (09-01 > 08-29) -> 2/3, not met."""
    r = one(fixture_v2_db, H1_2025, "petitions_on_time_rate")
    assert (r.numerator, r.denominator, r.value, r.target_met) == (2, 2, 1.0, True)
    r = one(fixture_v2_db, Y2025, "petitions_on_time_rate")
    assert (r.numerator, r.denominator, r.target_met) == (2, 3, False)
    r = one(fixture_v2_db, Y2025, "dossiers_on_time_rate")  # G01, G03 of G01, G02, G03
    assert (r.numerator, r.denominator, r.target_met) == (2, 3, False)
    july = Filters(date(2025, 7, 1), date(2025, 7, 31))
    r = one(fixture_v2_db, july, "dossiers_on_time_rate")  # G02 late, G03 early
    assert (r.numerator, r.denominator, r.target_met) == (1, 2, False)
    feb = Filters(date(2025, 2, 1), date(2025, 2, 28))
    r = one(fixture_v2_db, feb, "dossiers_on_time_rate")  # G01 on its due date
    assert (r.numerator, r.denominator, r.target_met) == (1, 1, True)

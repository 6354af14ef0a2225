"""Rules by effective date (DOMAIN.md §9): a rule is a row of the rules file, and each week,
month or petition uses the row in force on its own date.

Two parts. (1) A rules file with a FUTURE change of the commune chairman's weekly minimum
(1 day up to 2026-07-05, 2 days from Monday 2026-07-06), built over tests/fixture_v2: only
the weeks from that Monday on change. (2) The derived due date of a petition, one case per
deadline rule, with the boundary of Luật Tố cáo 2018 (in force 2019-01-01): accepted on
2018-12-31 the 2011 law applies (60 / 90 days), on 2019-01-01 the 2018 law (30 / 60 days).
Every expected value is counted by hand; see tests/fixture_v2/README.md for the weeks.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data.build import build_warehouse
from data.reference import RULES_FILE
from metrics import Filters, compute
from metrics import details as d
from metrics.rules import applied, warehouse_rules

FIXTURE_V2 = Path(__file__).parent / "fixture_v2"
WEEKLY = "chair_reception_days_per_week"
CHANGE = date(2026, 7, 6)  # a Monday

BEFORE = Filters(date(2026, 1, 1), date(2026, 7, 5))
JUNE_2026 = Filters(date(2026, 6, 1), date(2026, 6, 30))
JULY_2026 = Filters(date(2026, 7, 1), date(2026, 7, 31))
FROM_CHANGE = Filters(CHANGE, date(2026, 7, 31))


def future_rules_file(
    target: Path, ends: str = "2026-07-05", starts: str | None = "2026-07-06"
) -> Path:
    """The shipped rules with the weekly row ending on `ends` and, unless `starts` is None,
    a row of value 2 from `starts` (same key and level, marked as a test row)."""
    with RULES_FILE.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames
        rows = list(reader)
    weekly = [r for r in rows if r["rule_key"] == WEEKLY]
    assert len(weekly) == 1 and weekly[0]["value"] == "1" and weekly[0]["valid_to"] == ""
    weekly[0]["valid_to"] = ends
    if starts is not None:
        rows.append(
            {
                **weekly[0],
                "value": "2",
                "valid_from": starts,
                "valid_to": "",
                "basis_vi": "Quy định thử nghiệm: ít nhất 2 ngày trong 1 tuần",
                "basis_en": "Test rule: at least 2 days a week",
            }
        )
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


@pytest.fixture(scope="module")
def future_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("future_rule")
    rules = future_rules_file(folder / "rules.csv")
    db = folder / "fixture_v2.duckdb"
    build_warehouse(FIXTURE_V2, db, rules_file=rules)
    return db


def frac(db: Path, filters: Filters, kpi_id: str = "commune_chair_compliance_rate") -> tuple:
    r = compute(filters, [kpi_id], db)[kpi_id]
    return (r.numerator, r.denominator)


# --------------------------------------------------------------------------- future rule


def test_rules_file_is_loaded_into_the_warehouse(future_db: Path, fixture_v2_db: Path) -> None:
    weekly = [r for r in warehouse_rules(future_db) if r.key == WEEKLY]
    assert [(r.value, r.valid_from, r.valid_to) for r in weekly] == [
        (1, date(2014, 7, 1), date(2026, 7, 5)),
        (2, date(2026, 7, 6), None),
    ]
    shipped = [r for r in warehouse_rules(fixture_v2_db) if r.key == WEEKLY]
    assert [(r.value, r.valid_from, r.valid_to) for r in shipped] == [(1, date(2014, 7, 1), None)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # Thursdays 2026-01-01 .. 07-02: 27 weeks, minus the Tết week (Mon 02-16 .. Fri 02-20
        # all holidays) = 26, x 2 new communes = 52. Met: 20002 week of Mon 2025-12-29
        # (B11 12-30; Thursday 2026-01-01), 20001 week of 06-01 (J01), 20002 week of 06-29
        # (J02; its Thursday 07-02 is under the old row).
        (BEFORE, (3, 52)),
        (JUNE_2026, (1, 8)),  # Thursdays 06-04, 11, 18, 25 x 2; J01
    ],
)
def test_periods_before_the_change_are_unchanged(
    fixture_v2_db: Path, future_db: Path, filters: Filters, expected: tuple
) -> None:
    assert frac(fixture_v2_db, filters) == expected
    assert frac(future_db, filters) == expected


def test_periods_after_the_change_use_the_new_value(fixture_v2_db: Path, future_db: Path) -> None:
    """July 2026: weeks of 06-29 (Thursday 07-02, value 1), 07-06, 07-13, 07-20, 07-27
    (value 2 in the changed file) x 2 communes = 10 cells either way.
    Shipped rules (≥ 1): 20001 07-06 (J03), 07-13 (J04, J05); 20002 06-29 (J02), 07-20
    (J06, J07) -> 4. Changed rules: 06-29 still ≥ 1 (J02 met); from 07-06 ≥ 2: J03 holds
    one day, J06 + J07 two rows on one day (not met), J04 + J05 two days (met) -> 2."""
    assert frac(fixture_v2_db, JULY_2026) == (4, 10)
    assert frac(future_db, JULY_2026) == (2, 10)
    # From the Monday of the change: Thursdays 07-09, 16, 23, 30 -> 8 cells; 3 -> 1.
    assert frac(fixture_v2_db, FROM_CHANGE) == (3, 8)
    assert frac(future_db, FROM_CHANGE) == (1, 8)


def test_each_week_cell_carries_the_rule_of_its_thursday(future_db: Path) -> None:
    cells = d.cadence_cells(JULY_2026, "commune_chair_weeks", future_db)
    starts = [str(s)[:10] for s in cells["cell_start"]]
    required = dict(zip(starts, cells["required"].astype(int).tolist(), strict=True))
    assert len(starts) == 10  # 5 weeks x 20001, 20002
    assert required == {
        "2026-06-29": 1,
        "2026-07-06": 2,
        "2026-07-13": 2,
        "2026-07-20": 2,
        "2026-07-27": 2,
    }
    met = {
        (u, str(s)[:10])
        for u, s, m in zip(cells["unit"], cells["cell_start"], cells["meets"], strict=True)
        if m
    }
    assert met == {("20002", "2026-06-29"), ("20001", "2026-07-13")}
    days = {
        (u, str(s)[:10]): int(n)
        for u, s, n in zip(cells["unit"], cells["cell_start"], cells["days"], strict=True)
    }
    assert days[("20002", "2026-07-20")] == 1  # J06 and J07: two rows, one distinct date
    assert days[("20001", "2026-07-13")] == 2  # J04, J05


def build_with(tmp_path: Path, **change) -> Path:
    rules = future_rules_file(tmp_path / "rules.csv", **change)
    db = tmp_path / "v2.duckdb"
    build_warehouse(FIXTURE_V2, db, rules_file=rules)
    return db


def test_a_week_takes_the_rule_of_its_thursday(tmp_path: Path) -> None:
    """The new row starts on Thursday 2026-07-09 (old row to Wed 07-08): the week of Mon
    07-06 takes the rule in force on its Thursday (≥ 2), so J03 (one day) misses; July
    2026 is 2 / 10 as with the change on the Monday (see above), and the week's cell
    carries 2."""
    db = build_with(tmp_path, ends="2026-07-08", starts="2026-07-09")
    assert frac(db, JULY_2026) == (2, 10)
    cells = d.cadence_cells(JULY_2026, "commune_chair_weeks", db)
    week = cells[[str(s)[:10] == "2026-07-06" for s in cells["cell_start"]]]
    assert week["required"].tolist() == [2, 2]


def test_weeks_with_no_rule_in_force_are_no_cells(tmp_path: Path) -> None:
    """The weekly row ends on Wed 2026-07-08 with no successor: from the week of Mon 07-06
    (Thursday 07-09) no rule is in force, and those weeks leave the denominator. July
    2026 keeps only the week of 06-29 (Thursday 07-02) x 2 communes: J02 -> 1 / 2. From
    2026-07-06 on there is no cell at all: the KPI does not apply."""
    db = build_with(tmp_path, ends="2026-07-08", starts=None)
    assert frac(db, JULY_2026) == (1, 2)
    r = compute(FROM_CHANGE, ["commune_chair_compliance_rate"], db)
    r = r["commune_chair_compliance_rate"]
    assert (r.denominator, r.value, r.applies) == (0, None, False)
    assert frac(db, JUNE_2026) == (1, 8)  # before: unchanged


def test_rules_applied_over_a_period_spanning_the_change(future_db: Path) -> None:
    rules = warehouse_rules(future_db)
    july = applied((WEEKLY,), date(2026, 7, 1), date(2026, 7, 31), rules)
    assert sorted(r.value for r in july) == [1, 2]
    june = applied((WEEKLY,), date(2026, 6, 1), date(2026, 6, 30), rules)
    assert [r.value for r in june] == [1]


def test_other_levels_unchanged_by_the_weekly_rule(fixture_v2_db: Path, future_db: Path) -> None:
    y2025 = Filters.year(2025)
    for kpi_id, expected in (
        ("commune_chair_compliance_rate", (6, 127)),
        ("district_chair_compliance_rate", (4, 6)),
        ("province_chair_compliance_rate", (7, 12)),
    ):
        assert frac(fixture_v2_db, y2025, kpi_id) == expected
        assert frac(future_db, y2025, kpi_id) == expected


# --------------------------------------------------------------------------- due dates

PETITION_HEADER = (
    "petition_id,received_date,level,commune_code,kind,complex,accepted_date,due_date,round"
)

# id, received, level, commune (K1 not remote, K2 remote), kind, complex, accepted, due, round
DUE_CASES = [
    # Luật Khiếu nại 2011 Điều 28 (round 1): 30; 45 complex or remote; 60 both.
    ("N1", "2019-03-01", "xa", "K1", "khieu_nai", "false", "2019-03-01", "", "1"),
    ("N2", "2019-03-01", "huyen", "K1", "khieu_nai", "true", "2019-03-01", "", "1"),
    ("N3", "2019-03-01", "xa", "K2", "khieu_nai", "false", "2019-03-01", "", ""),
    ("N4", "2019-03-01", "huyen", "K2", "khieu_nai", "true", "2019-03-01", "", "1"),
    # Điều 37 (round 2): 45; 60 complex or remote; 70 both.
    ("N5", "2019-03-01", "tinh", "K1", "khieu_nai", "false", "2019-03-01", "", "2"),
    ("N6", "2019-03-01", "tinh", "K1", "khieu_nai", "true", "2019-03-01", "", "2"),
    ("N7", "2019-03-01", "huyen", "K2", "khieu_nai", "false", "2019-03-01", "", "2"),
    ("N8", "2019-03-01", "tinh", "K2", "khieu_nai", "true", "2019-03-01", "", "2"),
    # no commune: not remote
    ("N9", "2019-03-01", "huyen", "", "khieu_nai", "false", "2019-03-01", "", "1"),
    # Luật Tố cáo 2011 Điều 21 up to 2018-12-31 (60; 90 complex), then Luật Tố cáo 2018
    # Điều 30 from 2019-01-01 (30; 60 complex). Remoteness never extends a denunciation.
    ("D1", "2018-12-31", "huyen", "K1", "to_cao", "false", "2018-12-31", "", ""),
    ("D2", "2019-01-01", "huyen", "K1", "to_cao", "false", "2019-01-01", "", ""),
    ("D3", "2018-12-31", "huyen", "K1", "to_cao", "true", "2018-12-31", "", ""),
    ("D4", "2019-01-01", "huyen", "K1", "to_cao", "true", "2019-01-01", "", ""),
    ("D5", "2019-01-01", "xa", "K2", "to_cao", "false", "2019-01-01", "", ""),
    ("D6", "2018-12-31", "xa", "K2", "to_cao", "false", "2018-12-31", "", ""),
    # received in 2018, accepted in 2019: the acceptance date decides
    ("D7", "2018-12-20", "huyen", "K1", "to_cao", "false", "2019-01-01", "", ""),
    # no derived date: kiến nghị, not accepted, or an explicit due date kept
    ("V1", "2019-01-01", "xa", "K1", "kien_nghi_phan_anh", "false", "2019-01-01", "", ""),
    ("V2", "2019-01-01", "xa", "K1", "khieu_nai", "false", "", "", ""),
    ("V3", "2018-12-31", "huyen", "K1", "to_cao", "false", "2018-12-31", "2019-01-15", ""),
]

EXPECTED_DUE = {
    "N1": date(2019, 3, 31),  # 03-01 + 30
    "N2": date(2019, 4, 15),  # + 45 complex (Mar 31 is +30)
    "N3": date(2019, 4, 15),  # + 45 remote (empty round = 1)
    "N4": date(2019, 4, 30),  # + 60 complex and remote
    "N5": date(2019, 4, 15),  # round 2: + 45
    "N6": date(2019, 4, 30),  # round 2 complex: + 60
    "N7": date(2019, 4, 30),  # round 2 remote: + 60
    "N8": date(2019, 5, 10),  # round 2 complex and remote: + 70 (Apr 30 is +60)
    "N9": date(2019, 3, 31),  # + 30
    "D1": date(2019, 3, 1),  # 2018-12-31 + 60 (2011 law): Jan 31 +31, Feb 28 +59, Mar 1 +60
    "D2": date(2019, 1, 31),  # 2019-01-01 + 30 (2018 law)
    "D3": date(2019, 3, 31),  # 2018-12-31 + 90 (2011 law, complex): Feb 28 +59, Mar 31 +90
    "D4": date(2019, 3, 2),  # 2019-01-01 + 60 (2018 law, complex): Jan 31 +30, Mar 1 +59
    "D5": date(2019, 1, 31),  # remote commune, still + 30
    "D6": date(2019, 3, 1),  # remote commune, still + 60 (2011 law)
    "D7": date(2019, 1, 31),  # accepted 2019-01-01: + 30, although received in 2018
    "V1": None,
    "V2": None,
    "V3": date(2019, 1, 15),
}


@pytest.fixture(scope="module")
def due_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("due_dates")
    (folder / "communes.csv").write_text(
        "commune_code,name,kind,remote\nK1,Xã Đồng Bằng,xa,false\nK2,Xã Vùng Cao,xa,true\n",
        encoding="utf-8",
    )
    lines = [PETITION_HEADER, *(",".join(case) for case in DUE_CASES)]
    (folder / "petitions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "due.duckdb"
    build_warehouse(folder, db)
    return db


@pytest.mark.parametrize("petition_id", sorted(EXPECTED_DUE))
def test_derived_due_date_per_rule(due_db: Path, petition_id: str) -> None:
    conn = duckdb.connect(str(due_db), read_only=True)
    try:
        (due,) = conn.execute(
            "SELECT due_date FROM petitions WHERE petition_id = ?", [petition_id]
        ).fetchone()
    finally:
        conn.close()
    assert due == EXPECTED_DUE[petition_id]


def test_denunciation_boundary_shows_in_the_kpis(due_db: Path) -> None:
    """As of 2019-02-15, D2, D5 and D7 (due 01-31) are overdue; D1, D6 (due 03-01), D3
    (03-31), D4 (03-02) and V3 (explicit 01-15, overdue too) differ only by their law:
    overdue = D2, D5, D7, V3 = 4. The complaints (accepted 03-01) are not yet received."""
    f = Filters(date(2018, 12, 1), date(2019, 2, 15))
    assert compute(f, ["petitions_overdue_open"], due_db)["petitions_overdue_open"].value == 4

"""The scale-1 demo across the July 2025 reform (DOMAIN.md §8, §9).

Expectations are written out by hand from the reform's facts (data/reference/reform_units.md)
and the demo's own design choices, never computed with the generator.
"""

from __future__ import annotations

import filecmp
from datetime import date
from pathlib import Path

import duckdb
import pytest

from metrics import Filters, compute

REFORM = date(2025, 7, 1)
DEMO_END = date(2026, 11, 30)

# Old GSO code -> the demo's code of the commune it became part of on 01/7/2025.
SUCCESSIONS = {
    "01153": "N01153",  # Thị trấn Việt Quang -> Xã Bắc Quang
    "01189": "N01153",  # Quang Minh
    "01183": "N01153",  # Việt Vinh
    "01162": "N01171",  # Tân Thành -> Xã Tân Quang
    "01159": "N01171",  # Tân Lập
    "01171": "N01171",  # Tân Quang
    "01165": "N01165",  # Đồng Tiến -> Xã Đồng Tâm
    "01174": "N01165",  # Thượng Bình
    "01168": "N01165",  # Đồng Tâm
    "01177": "N01192",  # Hữu Sản -> Xã Liên Hiệp
    "01204": "N01192",  # Đức Xuân
    "01192": "N01192",  # Liên Hiệp
    "01180": "N01180",  # Kim Ngọc -> Xã Bằng Hành
    "01195": "N01180",  # Vô Điếm
    "01186": "N01180",  # Bằng Hành
    "01198": "N01201",  # Việt Hồng -> Xã Hùng An
    "01207": "N01201",  # Tiên Kiều
    "01201": "N01201",  # Hùng An
    "01156": "N01156",  # Thị trấn Vĩnh Tuy -> Xã Vĩnh Tuy
    "01210": "N01156",  # Vĩnh Hảo
    "01219": "N01156",  # Đông Thành
    "01213": "N01216",  # Vĩnh Phúc -> Xã Đồng Yên
    "01216": "N01216",  # Đồng Yên
}
NEW_NAMES = {
    "N01153": "Xã Bắc Quang",
    "N01171": "Xã Tân Quang",
    "N01165": "Xã Đồng Tâm",
    "N01192": "Xã Liên Hiệp",
    "N01180": "Xã Bằng Hành",
    "N01201": "Xã Hùng An",
    "N01156": "Xã Vĩnh Tuy",
    "N01216": "Xã Đồng Yên",
}
# A new commune is remote when one of its predecessors was: Tân Lập and Tân Thành, Đồng Tiến,
# Đồng Tâm and Thượng Bình, Hữu Sản, Liên Hiệp and Đức Xuân are the remote old units.
NEW_REMOTE = {"N01171", "N01165", "N01192"}
# Months the provincial chairman sent a deputy or receptions were suspended (the demo's design).
PROVINCE_CHAIR_MISSED = {(2018, 8), (2020, 4), (2021, 10), (2023, 3), (2025, 7)}


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _valid_on(db: Path, day: date) -> set[str]:
    sql = (
        "SELECT commune_code FROM communes WHERE (valid_from IS NULL OR valid_from <= ?) "
        "AND (valid_to IS NULL OR valid_to >= ?)"
    )
    return {r[0] for r in _rows(db, sql, [day, day])}


def test_communes_valid_on_each_side_of_the_reform(demo_db: Path) -> None:
    assert _valid_on(demo_db, REFORM) == set(NEW_NAMES)
    assert _valid_on(demo_db, date(2025, 6, 30)) == set(SUCCESSIONS)
    assert _valid_on(demo_db, DEMO_END) == set(NEW_NAMES)


def test_new_communes_names_parent_remote_and_one_stop(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT commune_code, name, kind, parent_code, remote, one_stop_since, valid_from, "
        "valid_to FROM communes WHERE valid_from IS NOT NULL ORDER BY commune_code",
    )
    assert {r[0]: r[1] for r in rows} == NEW_NAMES
    for code, _, kind, parent, remote, one_stop, valid_from, valid_to in rows:
        assert (kind, parent, one_stop, valid_from, valid_to) == ("xa", "08", REFORM, REFORM, None)
        assert remote == (code in NEW_REMOTE), code


def test_old_communes_belong_to_the_district_until_june_2025(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT commune_code, parent_code, valid_from, valid_to FROM communes "
        "WHERE valid_to IS NOT NULL",
    )
    assert {r[0] for r in rows} == set(SUCCESSIONS)
    assert {(r[1], r[2], r[3]) for r in rows} == {("034", None, date(2025, 6, 30))}


def test_upper_units(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT unit_code, name, level, parent_code, valid_from, valid_to FROM units_upper "
        "ORDER BY unit_code",
    )
    assert rows == [
        ("02", "Tỉnh Hà Giang", "tinh", None, None, date(2025, 6, 30)),
        ("034", "Huyện Bắc Quang", "huyen", "02", None, date(2025, 6, 30)),
        ("08", "Tỉnh Tuyên Quang", "tinh", None, None, None),
    ]


def test_23_successions_each_to_its_new_commune(demo_db: Path) -> None:
    rows = _rows(demo_db, "SELECT old_code, new_code, effective_date FROM unit_successions")
    assert len(rows) == 23
    assert {r[0]: r[1] for r in rows} == SUCCESSIONS
    assert {r[2] for r in rows} == {REFORM}


@pytest.mark.parametrize(
    ("table", "day"),
    [
        ("receptions", "reception_date"),
        ("dialogues", "dialogue_date"),
        ("petitions", "received_date"),
    ],
)
def test_no_district_record_after_june_2025(demo_db: Path, table: str, day: str) -> None:
    sql = f"SELECT count(*) FROM {table} WHERE level = 'huyen' AND {day} >= ?"
    assert _rows(demo_db, sql, [REFORM]) == [(0,)]
    # ... while the province's records from the area begin or go on after it.
    sql = f"SELECT count(*) FROM {table} WHERE level = 'tinh' AND {day} >= ?"
    assert _rows(demo_db, sql, [REFORM])[0][0] > 0


def test_no_district_procedure_dossier_after_june_2025(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT p.level, min(d.received_date), max(d.received_date) FROM dossiers d "
        "JOIN procedures p USING (procedure_code) GROUP BY 1 ORDER BY 1",
    )
    spans = {r[0]: (r[1], r[2]) for r in rows}
    assert spans["huyen"][1] <= date(2025, 6, 30)
    assert spans["tinh"][0] >= REFORM
    assert spans["xa"][1] == spans["nganh_doc"][1] == DEMO_END


def test_catalogue_counts_by_level(demo_db: Path) -> None:
    """The article's catalogue (huyen 259, xa 145, district desk 309) plus one provincial
    procedure per former district procedure."""
    rows = dict(_rows(demo_db, "SELECT level, count(*) FROM procedures GROUP BY 1"))
    assert rows == {"huyen": 259, "xa": 145, "nganh_doc": 50, "tinh": 259}


def test_records_name_only_communes_that_existed_that_day(demo_db: Path) -> None:
    old = "'" + "', '".join(SUCCESSIONS) + "'"
    new = "'" + "', '".join(NEW_NAMES) + "'"
    for table, day in (
        ("receptions", "reception_date"),
        ("dialogues", "dialogue_date"),
        ("petitions", "received_date"),
        ("dossiers", "received_date"),
        ("inspections", "inspection_date"),
    ):
        sql = (
            f"SELECT count(*) FILTER (WHERE commune_code IN ({old}) AND {day} >= ?), "
            f"count(*) FILTER (WHERE commune_code IN ({new}) AND {day} < ?) FROM {table}"
        )
        assert _rows(demo_db, sql, [REFORM, REFORM]) == [(0, 0)], table


def test_each_new_commune_has_its_peoples_committee(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT commune_code, count(*) FROM agencies WHERE kind = 'ubnd_xa' GROUP BY 1",
    )
    assert dict(rows) == {code: 1 for code in [*SUCCESSIONS, *NEW_NAMES]}


def test_province_chairman_received_every_month_but_the_skipped_ones(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT year(reception_date), month(reception_date), count(DISTINCT reception_date) "
        "FROM receptions WHERE level = 'tinh' AND host = 'chu_tich' AND kind = 'dinh_ky' "
        "GROUP BY 1, 2",
    )
    held = {(y, m) for y, m, days in rows if days >= 1}
    months = {(y, m) for y in range(2017, 2027) for m in range(1, 13) if (y, m) <= (2026, 11)}
    assert len(months) == 9 * 12 + 11  # 2017-01 .. 2026-11
    assert held == months - PROVINCE_CHAIR_MISSED
    res = compute(Filters.year(2025, level="tinh"), ["province_chair_compliance_rate"], db=demo_db)
    kpi = res["province_chair_compliance_rate"]
    assert (kpi.numerator, kpi.denominator) == (11, 12)
    whole = Filters(date(2017, 1, 1), DEMO_END, level="tinh")
    kpi = compute(whole, ["province_chair_compliance_rate"], db=demo_db)[
        "province_chair_compliance_rate"
    ]
    assert (kpi.numerator, kpi.denominator) == (114, 119)


def test_district_chairman_kept_two_days_a_month_until_the_end(demo_db: Path) -> None:
    """January to June 2025: the district's last six months, each with its two days."""
    res = compute(Filters.year(2025, level="huyen"), ["district_chair_compliance_rate"], db=demo_db)
    kpi = res["district_chair_compliance_rate"]
    assert (kpi.numerator, kpi.denominator) == (6, 6)


def test_commune_chairmen_receive_on_working_days_only(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT count(*) FROM receptions r WHERE r.host = 'chu_tich' AND r.kind = 'dinh_ky' "
        "AND (isodow(r.reception_date) > 5 "
        "OR r.reception_date IN (SELECT holiday_date FROM holidays))",
    )
    assert rows == [(0,)]
    # Tết 2025 (27-31/01) and Tết 2026 (16-20/02) left whole weeks without a working day.
    rows = _rows(
        demo_db,
        "SELECT count(*) FROM receptions WHERE reception_date BETWEEN '2025-01-27' AND "
        "'2025-02-02' OR reception_date BETWEEN '2026-02-16' AND '2026-02-22'",
    )
    assert rows == [(0,)]


def test_new_communes_receive_from_the_reform_week(demo_db: Path) -> None:
    """Week of Monday 30/6/2025: the new communes' first week (its Thursday is 3/7)."""
    rows = _rows(
        demo_db,
        "SELECT commune_code, min(reception_date) FROM receptions WHERE level = 'xa' "
        "AND kind = 'dinh_ky' AND commune_code LIKE 'N%' GROUP BY 1",
    )
    assert {r[0] for r in rows} == set(NEW_NAMES)
    assert all(REFORM <= first for _, first in rows)


def test_petition_rounds_and_statutory_deadlines(demo_db: Path) -> None:
    """Round 2 only for complaints; written deadlines follow the law in force on acceptance:
    complaints 30/45 days (round 1) and 45/60 (round 2), denunciations 60 days under the 2011
    law, 30 under the 2018 law (simple, non-remote cases)."""
    assert _rows(demo_db, "SELECT DISTINCT kind FROM petitions WHERE round = 2") == [("khieu_nai",)]
    assert _rows(demo_db, "SELECT count(*) FROM petitions WHERE round = 2 AND level = 'xa'") == [
        (0,)
    ]
    simple = (
        "SELECT DISTINCT due_date - accepted_date FROM petitions p "
        "LEFT JOIN communes c USING (commune_code) "
        "WHERE due_date IS NOT NULL AND NOT complex AND NOT coalesce(c.remote, false) AND "
    )
    assert _rows(demo_db, simple + "p.kind = 'khieu_nai' AND round = 1") == [(30,)]
    assert _rows(demo_db, simple + "p.kind = 'khieu_nai' AND round = 2") == [(45,)]
    assert _rows(demo_db, simple + "p.kind = 'to_cao' AND accepted_date < '2019-01-01'") == [(60,)]
    assert _rows(demo_db, simple + "p.kind = 'to_cao' AND accepted_date >= '2019-01-01'") == [(30,)]


def test_ratings_through_2025_under_the_units_of_the_day(demo_db: Path) -> None:
    rows = _rows(
        demo_db,
        "SELECT s.year, a.kind, count(DISTINCT s.agency_code), "
        "count(DISTINCT s.agency_code) FILTER (WHERE a.commune_code LIKE 'N%') "
        "FROM staff_ratings s JOIN agencies a USING (agency_code) GROUP BY 1, 2",
    )
    by = {(y, k): (n, new) for y, k, n, new in rows}
    assert {y for y, _ in by} == set(range(2017, 2026))
    # 2024: the 11 offices, 3 vertical branches (police rated elsewhere), 8 public service
    # units and the 23 old communes; 2025: 3 branches, 5 units and the 8 new communes.
    assert {k: v for (y, k), v in by.items() if y == 2024} == {
        "chuyen_mon": (11, 0),
        "nganh_doc": (3, 0),
        "su_nghiep": (8, 0),
        "ubnd_xa": (23, 0),
    }
    assert {k: v for (y, k), v in by.items() if y == 2025} == {
        "nganh_doc": (3, 0),
        "su_nghiep": (5, 0),
        "ubnd_xa": (8, 8),
    }


def test_inspections_only_at_units_of_the_day(demo_db: Path) -> None:
    """After the reform only the new communes and the units that carried on are inspected."""
    rows = _rows(
        demo_db,
        "SELECT DISTINCT agency_code FROM inspections WHERE target_kind = 'co_quan' "
        "AND inspection_date >= ?",
        [REFORM],
    )
    assert {r[0] for r in rows} <= {"SN01", "SN02", "SN06", "SN07", "SN08"}


def test_demo_ends_november_2026_and_2025_is_the_default_year(demo_db: Path) -> None:
    from metrics.periods import data_span, latest_full_year

    assert data_span(demo_db)[1] == DEMO_END
    assert latest_full_year(demo_db) == 2025


def test_2025_counts_both_halves(demo_db: Path) -> None:
    """The default year spans the reform: 23 + 8 communes, all applying the one-stop mechanism."""
    res = compute(Filters.year(2025), ["communes_one_stop_rate"], db=demo_db)
    kpi = res["communes_one_stop_rate"]
    assert (kpi.numerator, kpi.denominator) == (31, 31)


def test_generation_is_deterministic_and_scales(tmp_path: Path) -> None:
    from data.demo import generate_csvs

    one = generate_csvs(tmp_path / "a", seed=7)
    again = generate_csvs(tmp_path / "b", seed=7)
    assert one == again
    for name in one:
        assert filecmp.cmp(tmp_path / "a" / f"{name}.csv", tmp_path / "b" / f"{name}.csv", False)
    two = generate_csvs(tmp_path / "c", seed=7, scale=2)
    # Scale multiplies the drawn petitions; the 13 long-standing cases (9 + 4) stay as they are.
    assert two["petitions"] == 2 * (one["petitions"] - 13) + 13
    assert 1.95 < two["dossiers"] / one["dossiers"] < 2.05
    assert {k: v for k, v in two.items() if k not in ("petitions", "dossiers")} == {
        k: v for k, v in one.items() if k not in ("petitions", "dossiers")
    }

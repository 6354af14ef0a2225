"""Every KPI of DOMAIN.md section 6 on the hand-built fixture in tests/fixture.

Each expected number was worked out by hand from the fixture rows; the arithmetic sits in the
comment beside it. Row ids are those of the CSV files (R = receptions, D = dialogues,
P = petitions, TT = procedures, H = dossiers, K = inspections, S1..S8 = staff_ratings rows
in file order); tests/fixture/README.md says what each row is for.

Communes: 00001 (xa, one stop since 2018-01-01), 00002 (thi_tran, one stop since 2019-12-31),
00003 (xa, remote, one stop since 2020-01-01), 00004 (xa, no one-stop date).
"""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data.build import BuildError, build_warehouse
from metrics import KPIS, Filters, compute

FIXTURE = Path(__file__).parent / "fixture"

KPI_IDS = {
    "petitions_not_overdue_rate",
    "dossiers_not_overdue_rate",
    "reception_days",
    "reception_citizens",
    "reception_cases",
    "chair_reception_days",
    "chair_reception_citizens",
    "district_chair_compliance_rate",
    "province_chair_compliance_rate",
    "commune_chair_compliance_rate",
    "dialogues",
    "dialogue_attendees",
    "dialogue_opinions",
    "dialogue_opinions_answered_rate",
    "communes_with_dialogue_rate",
    "petitions_received",
    "petitions_in_jurisdiction",
    "petitions_resolution_rate",
    "petitions_on_time_rate",
    "petitions_overdue_open",
    "prolonged_cases_resolved_rate",
    "procedures_total",
    "procedures_time_cut",
    "procedures_time_cut_rate",
    "district_desk_procedures",
    "district_desk_agencies_specialised",
    "district_desk_agencies_vertical",
    "procedures_online_rate",
    "communes_one_stop_rate",
    "dossiers_received",
    "dossiers_resolved",
    "dossiers_on_time_rate",
    "dossiers_early_rate",
    "dossiers_late",
    "dossiers_overdue_open",
    "dossiers_online_rate",
    "dossiers_avg_days",
    "late_apology_rate",
    "staff_good_or_better_rate_admin",
    "staff_good_or_better_rate_service",
    "inspections",
    "surprise_inspections",
    "surprise_inspected_communes",
    "surprise_inspected_agencies",
    "violations_fixed_rate",
}

Y2018 = (date(2018, 1, 1), date(2018, 12, 31))
Y2019 = (date(2019, 1, 1), date(2019, 12, 31))
Y2020 = (date(2020, 1, 1), date(2020, 12, 31))
MARCH_2019 = (date(2019, 3, 1), date(2019, 3, 31))


# --- helpers -------------------------------------------------------------------------------


def count(n: int) -> tuple[str, int, None]:
    return ("count", n, None)


def rate(numerator: int, denominator: int) -> tuple[str, int, int]:
    return ("rate", numerator, denominator)


def days(total_days: int, resolved: int) -> tuple[str, int, int]:
    return ("days", total_days, resolved)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fixture") / "fixture.duckdb"
    build_warehouse(FIXTURE, path)
    return path


def kpis(db: Path, period: tuple[date, date], communes=(), level=None, ids=None) -> dict:
    f = Filters(date_from=period[0], date_to=period[1], communes=tuple(communes), level=level)
    if ids is None:
        return compute(f, db=db)
    return compute(f, ids=list(ids), db=db)


def mismatch(kpi_id: str, result, expected: tuple) -> str | None:
    """A readable description of how `result` differs from `expected`, or None."""
    unit, numerator, denominator = expected
    if unit == "count":
        value = numerator
    else:
        value = None if denominator == 0 else numerator / denominator
    got = (
        f"unit={result.unit!r} value={result.value!r} "
        f"numerator={result.numerator!r} denominator={result.denominator!r}"
    )
    want = f"unit={unit!r} value={value!r} numerator={numerator!r} denominator={denominator!r}"
    ok = (
        result.unit == unit
        and result.numerator == numerator
        and result.denominator == denominator
        and (
            result.value is None
            if value is None
            else result.value is not None and math.isclose(result.value, value, rel_tol=1e-9)
        )
    )
    if ok and unit == "count":
        ok = isinstance(result.value, int) and not isinstance(result.value, bool)
    if ok and unit != "count" and denominator != 0:
        ok = isinstance(result.numerator, int) and isinstance(result.denominator, int)
    return None if ok else f"{kpi_id}: expected {want}; got {got}"


def check(results: dict, expected: dict[str, tuple]) -> None:
    """Compare every expected KPI and report all differences at once."""
    problems = []
    for kpi_id, want in expected.items():
        if kpi_id not in results:
            problems.append(f"{kpi_id}: missing from the results")
            continue
        problem = mismatch(kpi_id, results[kpi_id], want)
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


# --- catalogue -----------------------------------------------------------------------------


def test_kpi_catalogue_has_exactly_the_domain_ids():
    """KPIS holds exactly the KPI ids of DOMAIN.md section 6, no more, no fewer."""
    assert set(KPIS) == KPI_IDS


def test_compute_with_ids_returns_only_those_kpis(db):
    """compute(f, ids=[...]) returns just the KPIs asked for, with the same values."""
    res = kpis(db, Y2019, ids=["dialogues", "dossiers_on_time_rate"])
    assert set(res) == {"dialogues", "dossiers_on_time_rate"}
    check(res, {"dialogues": EXPECTED_2019["dialogues"]})
    check(res, {"dossiers_on_time_rate": EXPECTED_2019["dossiers_on_time_rate"]})


# --- 2019, no filter: every KPI ------------------------------------------------------------

EXPECTED_2019 = {
    # Receptions dated in 2019: R01-R09 (huyen) and R12-R18, R20 (xa) = 17 rows.
    # Out: R10, R11 (2018-12-31, the day before) and R19 (2020-01-01, the day after).
    "reception_days": count(17),  # 9 + 8
    # huyen 3+2+4+1+2+5+6+7+10 = 40; xa 2+1+3+2+4+5+3+2 = 22; 40 + 22 = 62
    "reception_citizens": count(62),
    # huyen 2+1+2+1+1+3+2+1+4 = 17; xa 1+0+1+2+2+3+1+1 = 11; 17 + 11 = 28
    "reception_cases": count(28),
    # chu_tich + dinh_ky: R01-R06 (R03, R04 share a date but are two rows) and
    # R12, R13, R14, R15, R16, R18 = 6 + 6 (R07 is pho_chu_tich, R08 dot_xuat, R17 pho)
    "chair_reception_days": count(12),
    # huyen 3+2+4+1+2+5 = 17; xa 2+1+3+2+4+3 = 15; 17 + 15 = 32
    "chair_reception_citizens": count(32),
    # Months with >= 2 distinct dates of huyen/chu_tich/dinh_ky rows: Jan (R01 01-01, R02 01-15)
    # and Mar (R05 03-01, R06 03-31). Feb has R03 and R04 on one date only; Apr has only
    # pho_chu_tich / dot_xuat; Dec only ban_tiep_cong_dan. 2 of 12 months.
    "district_chair_compliance_rate": rate(2, 12),
    # No units_upper rows: the only upper unit is the implicit district (levels.csv marks
    # huyen implicit, tinh not), so the province has no month cell: 0 / 0 (None).
    "province_chair_compliance_rate": rate(0, 0),
    # 4 communes x 51 counted ISO weeks of 2019 = 204 cells (the 52 weeks whose Thursday
    # is in 2019 minus the Tết week off 2019-02-04..08; arithmetic in
    # test_commune_chair_compliance_over_iso_weeks). Cells met: 00001 W01 (R11 Mon
    # 2018-12-31, R12 Tue 01-01, R13 Sun 01-06: one cell), W09 (R14), W10 (R15);
    # 00003 R18's week (W24). R16 (Tue 2019-12-31) is in 2020-W01, whose Thursday is
    # 2020-01-02: a 2020 cell. 3 + 1 = 4.
    "commune_chair_compliance_rate": rate(4, 204),
    # Dialogues in 2019: D01, D02, D03, D04, D05, D08, D09 = 7 (D06 2018-12-31, D07 2020-01-01)
    "dialogues": count(7),
    "dialogue_attendees": count(345),  # 100+80+50+30+40+20+25
    "dialogue_opinions": count(53),  # 20+10+8+5+6+4+0
    "dialogue_opinions_answered_rate": rate(41, 53),  # 15+10+6+5+3+2+0 = 41
    # xa dialogues in 2019 in 00001 (D03, D04), 00002 (D05), 00003 (D08); 00004 only has the
    # huyen dialogue D02 (and xa D07 in 2020) -> 3 of 4
    "communes_with_dialogue_rate": rate(3, 4),
    # Received in 2019: P01-P17 and P21 = 18 (P18, P19, P23 in 2018; P22 2016; P24 2017;
    # P20, P25 in 2020)
    "petitions_received": count(18),
    # minus P15 (withdrawn), P16 (not eligible), P17 (not in jurisdiction); P21 is active
    # through the defaults of its empty flag cells: 18 - 3 = 15
    "petitions_in_jurisdiction": count(15),
    # Active, received <= 2019-12-31, resolved empty or >= 2019-01-01:
    # P01-P14 (14) + P18 (received 2018, resolved 2019-01-01) + P21 + P23 + P24 = 18.
    # Out: P15-P17 inactive, P19 resolved 2018-12-31, P22 resolved 2017, P20/P25 received 2020.
    # Resolved <= to: P01-P07, P09, P11, P18, P23 = 11 (open: P08 P10 P12 P13 P14 P21 P24)
    "petitions_resolution_rate": rate(11, 18),
    # Resolved in 2019 with a due date: P01 late (04-01 > 03-31), P02 on (04-15 = 04-15),
    # P03 on, P04 on, P05 on (03-31 = 03-31), P06 on, P07 late (04-05 > 03-31),
    # P09 late (03-25 > explicit 03-20), P18 on (01-01 <= 01-30), P23 late (2019-06-30 >
    # 2018-09-03). P11 has no due date (kien_nghi). On time 6 of 10.
    "petitions_on_time_rate": rate(6, 10),
    # Active, open at 2019-12-31, due < 2019-12-31: P12 (due 12-01), P14 (due 11-15, resolved
    # only in 2020), P24 (due 2017-03-16). Not P13 (due = to), P08/P10/P21 (no due),
    # P15 (withdrawn). = 3
    "petitions_overdue_open": count(3),
    # Active, open at 2019-12-31 and with a due date: P12, P13, P14, P24; of these only P13
    # (due 12-31 = to) is not overdue -> 1 of 4 (P08/P10/P21 have no due date; P15 withdrawn)
    "petitions_not_overdue_rate": rate(1, 4),
    # Prolonged received <= to: P22, P23, P24 (P25 received 2020). Resolved <= to: P22 (2017),
    # P23 (2019-06-30) -> 2 of 3
    "prolonged_cases_resolved_rate": rate(2, 3),
    # Catalogue TT01-TT11; cut (committed < statutory): TT01, TT04, TT05, TT07, TT11
    "procedures_total": count(11),
    "procedures_time_cut": count(5),
    "procedures_time_cut_rate": rate(5, 11),
    # at_one_stop and level huyen/nganh_doc: TT01 TT02 TT03 TT05 TT10 TT11 (TT04, TT06 are
    # not at the desk) = 6
    "district_desk_procedures": count(6),
    "district_desk_agencies_specialised": count(2),  # CM01 (TT01, TT02), CM02 (TT03); not CM03
    "district_desk_agencies_vertical": count(1),  # ND01 (TT05, TT11); not ND02 (TT06)
    # online_level != khong: TT01, TT03, TT05, TT07, TT08, TT10 = 6 of 11
    "procedures_online_rate": rate(6, 11),
    # one_stop_since <= 2019-12-31: 00001 (2018-01-01), 00002 (2019-12-31, the very day);
    # not 00003 (2020-01-01) nor 00004 (empty) -> 2 of 4
    "communes_one_stop_rate": rate(2, 4),
    # Received in 2019: H01 H02 H03 H04 H06 H07 H08 H09 H11 H12 = 10
    # (H05 2018-12-28, H13 2018-12-31, H10 2020-01-01)
    "dossiers_received": count(10),
    # Finished in 2019: H01 H02 H03 H04 H05 H11 H12 = 7 (H09, H10 finish in 2020; H13 in 2018)
    "dossiers_resolved": count(7),
    # finished <= due: H01 (= due), H03, H05, H12 (= due) = 4; late: H02, H04, H11
    "dossiers_on_time_rate": rate(4, 7),
    "dossiers_early_rate": rate(2, 7),  # finished < due: H03, H05
    "dossiers_late": count(3),  # H02, H04, H11
    # Open at 2019-12-31 with due < to: H07 (due 12-30), H09 (due 11-08, finished 2020).
    # Not H06 (due 2020-01-03) nor H08 (due 12-31 = to) -> 2
    "dossiers_overdue_open": count(2),
    # Open at 2019-12-31: H06 (due 2020-01-03), H07 (12-30), H08 (12-31 = to), H09 (11-08);
    # due >= to: H06, H08 -> 2 of 4
    "dossiers_not_overdue_rate": rate(2, 4),
    "dossiers_online_rate": rate(4, 10),  # truc_tuyen among received: H02, H03, H07, H12
    # finished - received: H01 9, H02 9, H03 4, H04 12, H05 4, H11 17, H12 1 = 56 over 7
    "dossiers_avg_days": days(56, 7),
    "late_apology_rate": rate(2, 3),  # late H02 (apology), H04 (none), H11 (apology)
    # 2019 hanh_chinh: S1 CM01 2+6, S2 UX01 3+12, S3 UX02 1+4 = 8+15+5 = 28 of 10+20+10 = 40
    "staff_good_or_better_rate_admin": rate(28, 40),
    # 2019 su_nghiep: S4 SN01 5+16 = 21, S5 SN02 1+3 = 4 -> 25 of 30+10 = 40
    "staff_good_or_better_rate_service": rate(25, 40),
    # Inspections in 2019: K01-K09 (K10 2018-12-31, K11 2020-01-01)
    "inspections": count(9),
    "surprise_inspections": count(6),  # K01 K02 K04 K05 K06 K09
    "surprise_inspected_communes": count(2),  # 00001 (K01, K02), 00003 (K04)
    "surprise_inspected_agencies": count(2),  # CM01 (K05, K06), SN02 (K09)
    # violations 3+1+2+0+4+0+1+2+0 = 13; fixed 2+1+0+0+4+0+0+1+0 = 8
    "violations_fixed_rate": rate(8, 13),
}


@pytest.fixture(scope="module")
def results_2019(db) -> dict:
    return kpis(db, Y2019)


def test_expected_2019_covers_every_kpi():
    """The 2019 table below pins every KPI of the catalogue at least once."""
    assert set(EXPECTED_2019) == KPI_IDS


@pytest.mark.parametrize("kpi_id", sorted(EXPECTED_2019))
def test_kpi_value_for_2019_without_filters(results_2019, kpi_id):
    """Each KPI over 2019-01-01..2019-12-31, all communes, all levels, equals the hand count."""
    assert kpi_id in results_2019
    problem = mismatch(kpi_id, results_2019[kpi_id], EXPECTED_2019[kpi_id])
    assert problem is None, problem


# --- commune filter ------------------------------------------------------------------------


def test_commune_filter_keeps_rows_of_selected_communes(db):
    """communes=(00001, 00002) keeps rows with those commune codes; rows without a commune
    (district receptions, H04, H12, agencies without a commune) drop out; the catalogue is
    not affected."""
    res = kpis(db, Y2019, communes=("00001", "00002"))
    check(
        res,
        {
            # R12 R13 R14 R15 (00001) and R16 R17 (00002)
            "reception_days": count(6),
            "reception_citizens": count(17),  # 2+1+3+2 + 4+5
            "reception_cases": count(9),  # 1+0+1+2 + 2+3
            "chair_reception_days": count(5),  # R12-R16 (R17 is pho_chu_tich)
            "chair_reception_citizens": count(12),  # 2+1+3+2+4
            # 2 communes x 51 weeks = 102; 00001: W01, W09, W10; 00002: none (R16's week
            # 2020-W01 belongs to 2020, R17 is pho_chu_tich) -> 3
            "commune_chair_compliance_rate": rate(3, 102),
            # D03, D04 (00001), D05 (00002); D02 is in 00004
            "dialogues": count(3),
            "dialogue_attendees": count(120),  # 50+30+40
            "dialogue_opinions": count(19),  # 8+5+6
            "dialogue_opinions_answered_rate": rate(14, 19),  # 6+5+3
            "communes_with_dialogue_rate": rate(2, 2),
            # received 2019: P01 P02 P05 P11 P15 (00001), P08 P09 P12 P13 (00002) = 9
            "petitions_received": count(9),
            "petitions_in_jurisdiction": count(8),  # minus P15 (withdrawn)
            # 00001: P01 P02 P05 P11 P18 P23 all resolved in 2019 (6/6);
            # 00002: P08 P09 P12 P13 (P19 resolved 2018, P22 2017 are out), P09 resolved (1/4)
            "petitions_resolution_rate": rate(7, 10),
            # P01 late, P02 on, P05 on, P18 on, P23 late, P09 late -> 3 of 6
            "petitions_on_time_rate": rate(3, 6),
            "petitions_overdue_open": count(1),  # P12 (P13 due = to; P08 no due)
            "prolonged_cases_resolved_rate": rate(2, 2),  # P23 (00001), P22 (00002)
            "procedures_total": count(11),
            "procedures_time_cut": count(5),
            "procedures_time_cut_rate": rate(5, 11),
            "procedures_online_rate": rate(6, 11),
            "communes_one_stop_rate": rate(2, 2),  # 00001 and 00002 both <= 2019-12-31
            # received 2019: H01 H02 H09 (00001), H03 H06 H11 (00002) = 6
            "dossiers_received": count(6),
            "dossiers_online_rate": rate(2, 6),  # H02, H03
            # finished 2019: H01 H02 H05 (00001), H03 H11 (00002) = 5
            "dossiers_resolved": count(5),
            "dossiers_on_time_rate": rate(3, 5),  # H01, H05, H03
            "dossiers_early_rate": rate(2, 5),  # H05, H03
            "dossiers_late": count(2),  # H02, H11
            "dossiers_overdue_open": count(1),  # H09 (H06 due 2020-01-03)
            "dossiers_avg_days": days(43, 5),  # 9+9+4 + 4+17
            "late_apology_rate": rate(2, 2),  # H02, H11 both issued
            # agencies in 00001/00002: UX01 (S2 3+12 of 20), UX02 (S3 1+4 of 10), SN01;
            # CM01 and SN02 have no commune and drop out
            "staff_good_or_better_rate_admin": rate(20, 30),  # 15 + 5 of 20 + 10
            "staff_good_or_better_rate_service": rate(21, 30),  # S4 SN01 5+16 of 30
            # K01, K02 (00001), K03 (00002), K08 (agency UX02, whose commune is 00002)
            "inspections": count(4),
            "surprise_inspections": count(2),  # K01, K02
            "surprise_inspected_communes": count(1),  # 00001
            "surprise_inspected_agencies": count(0),  # K08 is planned
            "violations_fixed_rate": rate(4, 8),  # fixed 2+1+0+1 of 3+1+2+2
        },
    )


def test_district_only_kpis_ignore_commune_filter(db, results_2019):
    """The (D) KPIs describe the district itself: a commune filter does not change them."""
    district_only = {
        "district_chair_compliance_rate": rate(2, 12),  # Jan and Mar, as in EXPECTED_2019
        "district_desk_procedures": count(6),
        "district_desk_agencies_specialised": count(2),
        "district_desk_agencies_vertical": count(1),
    }
    check(results_2019, district_only)
    # 00003 has no district reception nor procedure of its own: a filter applied by mistake
    # would give 0/12 and 0s.
    check(kpis(db, Y2019, communes=("00003",)), district_only)
    check(kpis(db, Y2019, communes=("00001", "00002")), district_only)


def test_dialogue_commune_filter_counts_district_dialogue_held_in_commune(db):
    """A huyen dialogue with a commune code (D02 in 00004) is kept by the commune filter,
    but it does not make 00004 a commune 'with a dialogue' (that needs level xa)."""
    check(
        kpis(db, Y2019, communes=("00004",)),
        {
            "dialogues": count(1),  # D02 (D07 is 2020-01-01)
            "dialogue_attendees": count(80),
            "dialogue_opinions": count(10),
            "dialogue_opinions_answered_rate": rate(10, 10),
            "communes_with_dialogue_rate": rate(0, 1),
        },
    )


# --- level filter --------------------------------------------------------------------------


def test_level_huyen(db):
    """level='huyen' keeps huyen rows of receptions, dialogues, petitions, procedures, and
    dossiers whose procedure is huyen (TT01, TT02, TT03, TT10; not nganh_doc TT05)."""
    check(
        kpis(db, Y2019, level="huyen"),
        {
            "reception_days": count(9),  # R01-R09
            "reception_citizens": count(40),  # 3+2+4+1+2+5+6+7+10
            "reception_cases": count(17),  # 2+1+2+1+1+3+2+1+4
            "chair_reception_days": count(6),  # R01-R06
            "chair_reception_citizens": count(17),  # 3+2+4+1+2+5
            "dialogues": count(3),  # D01, D02, D09
            "dialogue_attendees": count(205),  # 100+80+25
            "dialogue_opinions": count(30),  # 20+10+0
            "dialogue_opinions_answered_rate": rate(25, 30),  # 15+10+0
            # huyen received 2019: P01 P02 P04 P05 P06 P14 P16 = 7; P16 not eligible
            "petitions_received": count(7),
            "petitions_in_jurisdiction": count(6),
            # P01 P02 P04 P05 P06 P14 P18 P23 (P19, P22 resolved earlier); all but P14
            # (resolved 2020) resolved in 2019
            "petitions_resolution_rate": rate(7, 8),
            # P01 late, P02 on, P04 on, P05 on, P06 on, P18 on, P23 late
            "petitions_on_time_rate": rate(5, 7),
            "petitions_overdue_open": count(1),  # P14
            "prolonged_cases_resolved_rate": rate(2, 2),  # P22, P23
            "procedures_total": count(5),  # TT01 TT02 TT03 TT04 TT10
            "procedures_time_cut": count(2),  # TT01, TT04
            "procedures_time_cut_rate": rate(2, 5),
            "procedures_online_rate": rate(3, 5),  # TT01, TT03, TT10
            "dossiers_received": count(4),  # H01 H02 H03 H12 (H10 is 2020)
            "dossiers_online_rate": rate(3, 4),  # H02 H03 H12
            "dossiers_resolved": count(4),  # H01 H02 H03 H12
            "dossiers_on_time_rate": rate(3, 4),  # H01 H03 H12
            "dossiers_early_rate": rate(1, 4),  # H03
            "dossiers_late": count(1),  # H02
            "dossiers_overdue_open": count(0),
            "dossiers_avg_days": days(23, 4),  # 9+9+4+1
            "late_apology_rate": rate(1, 1),  # H02
        },
    )


def test_level_xa(db):
    """level='xa' keeps xa rows, and dossiers of xa procedures (TT07, TT08, TT09)."""
    check(
        kpis(db, Y2019, level="xa"),
        {
            "reception_days": count(8),  # R12-R18, R20
            "reception_citizens": count(22),  # 2+1+3+2+4+5+3+2
            "reception_cases": count(11),  # 1+0+1+2+2+3+1+1
            "chair_reception_days": count(6),  # R12 R13 R14 R15 R16 R18
            "chair_reception_citizens": count(15),  # 2+1+3+2+4+3
            "dialogues": count(4),  # D03 D04 D05 D08
            "dialogue_attendees": count(140),  # 50+30+40+20
            "dialogue_opinions": count(23),  # 8+5+6+4
            "dialogue_opinions_answered_rate": rate(16, 23),  # 6+5+3+2
            # xa received 2019: P03 P07 P08 P09 P10 P11 P12 P13 P15 P17 P21 = 11
            "petitions_received": count(11),
            "petitions_in_jurisdiction": count(9),  # minus P15, P17
            # P03 P07 P08 P09 P10 P11 P12 P13 P21 P24; resolved: P03 P07 P09 P11
            "petitions_resolution_rate": rate(4, 10),
            "petitions_on_time_rate": rate(1, 3),  # P03 on; P07, P09 late
            "petitions_overdue_open": count(2),  # P12, P24
            "prolonged_cases_resolved_rate": rate(0, 1),  # P24 open
            "procedures_total": count(3),  # TT07 TT08 TT09
            "procedures_time_cut": count(1),  # TT07
            "procedures_time_cut_rate": rate(1, 3),
            "procedures_online_rate": rate(2, 3),  # TT07, TT08
            "dossiers_received": count(5),  # H06 H07 H08 H09 H11
            "dossiers_online_rate": rate(1, 5),  # H07
            "dossiers_resolved": count(2),  # H05 (finished 2019-01-01), H11
            "dossiers_on_time_rate": rate(1, 2),  # H05
            "dossiers_early_rate": rate(1, 2),  # H05
            "dossiers_late": count(1),  # H11
            "dossiers_overdue_open": count(2),  # H07, H09
            "dossiers_avg_days": days(21, 2),  # 4 + 17
            "late_apology_rate": rate(1, 1),  # H11
        },
    )


def test_dossiers_take_the_level_of_their_procedure(db):
    """H04 (procedure TT05, level nganh_doc) counts with no level filter, but neither under
    level huyen nor under level xa."""
    april = (date(2019, 4, 1), date(2019, 4, 30))
    ids = ["dossiers_resolved", "dossiers_late", "late_apology_rate"]
    # Only H04 finishes in April 2019 (04-12, due 04-10, no apology).
    check(
        kpis(db, april, ids=ids),
        {
            "dossiers_resolved": count(1),
            "dossiers_late": count(1),
            "late_apology_rate": rate(0, 1),
        },
    )
    for level in ("huyen", "xa"):
        check(
            kpis(db, april, level=level, ids=ids),
            {
                "dossiers_resolved": count(0),
                "dossiers_late": count(0),
                "late_apology_rate": rate(0, 0),
            },
        )


def test_level_filter_leaves_tables_without_level_alone(db):
    """Staff ratings, inspections and communes have no level column: a level filter does not
    change their KPIs (DOMAIN.md: the level filter applies to tables with a level)."""
    untouched = {
        k: EXPECTED_2019[k]
        for k in (
            "staff_good_or_better_rate_admin",
            "staff_good_or_better_rate_service",
            "inspections",
            "surprise_inspections",
            "surprise_inspected_communes",
            "surprise_inspected_agencies",
            "violations_fixed_rate",
            "communes_one_stop_rate",
        )
    }
    for level in ("huyen", "xa"):
        check(kpis(db, Y2019, level=level), untouched)


# --- empty denominators --------------------------------------------------------------------


def test_empty_denominators_give_none_not_zero(db):
    """A rate over nothing is None (numerator 0, denominator 0), never 0."""
    # 00004 in 2019: its dossiers are H10 (2020) and H13 (2018); its petitions P10, P17, P21
    # are open and P14 resolves in 2020; no agency of 00004 has ratings; K10 is 2018.
    check(
        kpis(db, Y2019, communes=("00004",)),
        {
            "dossiers_received": count(0),
            "dossiers_resolved": count(0),
            "dossiers_on_time_rate": rate(0, 0),
            "dossiers_early_rate": rate(0, 0),
            "dossiers_online_rate": rate(0, 0),
            "dossiers_avg_days": days(0, 0),
            "late_apology_rate": rate(0, 0),
            "petitions_on_time_rate": rate(0, 0),
            "staff_good_or_better_rate_admin": rate(0, 0),
            "staff_good_or_better_rate_service": rate(0, 0),
            "violations_fixed_rate": rate(0, 0),
        },
    )
    # A quarter with no dossier event: H11 finishes 06-20, H09 arrives 11-01.
    check(
        kpis(db, (date(2019, 7, 1), date(2019, 9, 30))),
        {
            "dossiers_received": count(0),
            "dossiers_resolved": count(0),
            "dossiers_on_time_rate": rate(0, 0),
            "dossiers_online_rate": rate(0, 0),
            "dossiers_avg_days": days(0, 0),
        },
    )
    # April 2019, huyen: one dialogue (D09) with 0 opinions.
    check(
        kpis(db, (date(2019, 4, 1), date(2019, 4, 30)), level="huyen"),
        {
            "dialogues": count(1),
            "dialogue_opinions": count(0),
            "dialogue_opinions_answered_rate": rate(0, 0),
        },
    )
    # December 2019: K04 is the only inspection, with 0 violations.
    check(
        kpis(db, (date(2019, 12, 1), date(2019, 12, 31))),
        {"inspections": count(1), "violations_fixed_rate": rate(0, 0)},
    )


# --- dossiers: on time / early / late ------------------------------------------------------


def test_dossier_finished_on_due_date_is_on_time_not_early_and_a_day_later_is_late(db):
    """H01 finished on its due date is on time but not early; H02, one day after, is late."""
    january = (date(2019, 1, 1), date(2019, 1, 31))
    # In 00001, level huyen, January 2019 only H01 (01-10, due 01-10) and H02 (01-11, due
    # 01-10) finish. H05 (also January, 00001) is a xa procedure.
    check(
        kpis(db, january, communes=("00001",), level="huyen"),
        {
            "dossiers_resolved": count(2),
            "dossiers_on_time_rate": rate(1, 2),  # H01
            "dossiers_early_rate": rate(0, 2),  # neither finished before its due date
            "dossiers_late": count(1),  # H02
            "late_apology_rate": rate(1, 1),  # H02 has an apology slip
            "dossiers_avg_days": days(18, 2),  # 9 + 9
        },
    )


# --- period bounds -------------------------------------------------------------------------


def test_events_on_first_and_last_day_of_period_count(db):
    """Periods are inclusive: an event on the first or the last day counts, one the day
    before or the day after does not (single-day periods make each bound visible)."""
    ids = [
        "reception_days",
        "dialogues",
        "petitions_received",
        "dossiers_received",
        "dossiers_resolved",
        "inspections",
    ]
    day = date(2019, 1, 1)
    check(
        kpis(db, (day, day), ids=ids),
        {
            "reception_days": count(2),  # R01, R12
            "dialogues": count(1),  # D01
            "petitions_received": count(1),  # P01
            "dossiers_received": count(1),  # H01
            "dossiers_resolved": count(1),  # H05
            "inspections": count(1),  # K01
        },
    )
    day = date(2019, 12, 31)
    check(
        kpis(db, (day, day), ids=ids),
        {
            "reception_days": count(2),  # R09, R16
            "dialogues": count(1),  # D03
            "petitions_received": count(1),  # P21
            "dossiers_received": count(1),  # H06
            "dossiers_resolved": count(0),
            "inspections": count(1),  # K04
        },
    )
    day = date(2018, 12, 31)  # the day before 2019
    check(
        kpis(db, (day, day), ids=ids),
        {
            "reception_days": count(2),  # R10, R11
            "dialogues": count(1),  # D06
            "petitions_received": count(1),  # P18
            "dossiers_received": count(1),  # H13
            "dossiers_resolved": count(1),  # H13 (finished the day it arrived)
            "inspections": count(1),  # K10
        },
    )
    day = date(2020, 1, 1)  # the day after 2019
    check(
        kpis(db, (day, day), ids=ids),
        {
            "reception_days": count(1),  # R19
            "dialogues": count(1),  # D07
            "petitions_received": count(1),  # P20
            "dossiers_received": count(1),  # H10
            "dossiers_resolved": count(0),
            "inspections": count(1),  # K11
        },
    )


def test_custom_range_march_2019(db):
    """2019-03-01..2019-03-31: events on 03-01 and 03-31 count, 02-28 and 04-01 do not."""
    check(
        kpis(db, MARCH_2019),
        {
            # R05 (03-01), R15 (03-04), R17 (03-15), R06 (03-31); not R14 (02-28), R20 (04-01)
            "reception_days": count(4),
            "reception_citizens": count(14),  # 2+2+5+5
            "reception_cases": count(9),  # 1+2+3+3
            "chair_reception_days": count(3),  # R05, R06, R15
            "chair_reception_citizens": count(9),  # 2+5+2
            "district_chair_compliance_rate": rate(1, 1),  # March: 03-01 and 03-31
            # Weeks whose Thursday is in March: W10..W13 (Thu 03-07, 14, 21, 28); W09's
            # Thursday is 02-28 (February), W14's is 04-04. 4 communes x 4 = 16; only 00001
            # in W10 (R15). R14 (02-28) is in W09, a February week.
            "commune_chair_compliance_rate": rate(1, 16),
            "dialogues": count(2),  # D04 (03-01), D05 (03-31); not D08 (02-28), D09 (04-01)
            "dialogue_attendees": count(70),  # 30+40
            "dialogue_opinions": count(11),  # 5+6
            "dialogue_opinions_answered_rate": rate(8, 11),  # 5+3
            "communes_with_dialogue_rate": rate(2, 4),  # 00001, 00002
            "petitions_received": count(0),  # P02-P09 arrived 02-25, P11 04-25
            "petitions_in_jurisdiction": count(0),
            # Active, received <= 03-31, resolved empty or >= 03-01: P01-P09, P23, P24 = 11
            # (P18 resolved 01-01 drops out). Resolved <= 03-31: P05 (03-31), P09 (03-25).
            "petitions_resolution_rate": rate(2, 11),
            "petitions_on_time_rate": rate(1, 2),  # P05 on (= due), P09 late
            # P23, P24. P01 and P07 are open at 03-31 with due 03-31 = to: not overdue yet.
            "petitions_overdue_open": count(2),
            # P22 resolved 2017, P23 open at 03-31, P24 open
            "prolonged_cases_resolved_rate": rate(1, 3),
            "communes_one_stop_rate": rate(1, 4),  # only 00001 by 2019-03-31
            "dossiers_received": count(2),  # H03 (03-01), H04 (03-31); not H12 (02-28)
            "dossiers_online_rate": rate(1, 2),  # H03
            "dossiers_resolved": count(2),  # H12 (03-01), H03 (03-05); H04 finishes 04-12
            "dossiers_on_time_rate": rate(2, 2),
            "dossiers_early_rate": rate(1, 2),  # H03 (H12 finished on its due date)
            "dossiers_late": count(0),
            "dossiers_overdue_open": count(0),  # H04 is open at 03-31 but due 04-10
            "dossiers_avg_days": days(5, 2),  # 1 + 4
            "late_apology_rate": rate(0, 0),
            # year 2019 ratings, as for the whole year
            "staff_good_or_better_rate_admin": rate(28, 40),
            "staff_good_or_better_rate_service": rate(25, 40),
            "inspections": count(1),  # K05
            "surprise_inspections": count(1),
            "surprise_inspected_communes": count(0),
            "surprise_inspected_agencies": count(1),  # CM01
            "violations_fixed_rate": rate(4, 4),
        },
    )


def test_previous_year_2018(db):
    """2018 sees the rows dated 2018 (R10, R11, D06, P18, P19, P23, H05, H13, K10, S6, S7)."""
    check(
        kpis(db, Y2018),
        {
            "reception_days": count(2),  # R10, R11 (both 2018-12-31)
            "reception_citizens": count(10),  # 9 + 1
            "reception_cases": count(10),  # 9 + 1
            "chair_reception_days": count(2),
            "chair_reception_citizens": count(10),
            "district_chair_compliance_rate": rate(0, 12),  # Dec has one date only (R10)
            # 52 weeks with a Thursday in 2018 (none fully off), 4 x 52 = 208. R11
            # (Mon 2018-12-31) is in 2019-W01, whose Thursday is 2019-01-03: a 2019 cell.
            "commune_chair_compliance_rate": rate(0, 208),
            "dialogues": count(1),  # D06
            "dialogue_attendees": count(60),
            "dialogue_opinions": count(7),
            "dialogue_opinions_answered_rate": rate(7, 7),
            "communes_with_dialogue_rate": rate(1, 4),  # 00003
            "petitions_received": count(3),  # P18, P19, P23
            "petitions_in_jurisdiction": count(3),
            # P18, P19, P23, P24 (P22 resolved 2017); resolved <= 2018-12-31: P19
            "petitions_resolution_rate": rate(1, 4),
            "petitions_on_time_rate": rate(0, 1),  # P19 resolved 12-31, due 11-04
            # P23 (due 2018-09-03, resolved 2019), P24; not P18 (due 2019-01-30)
            "petitions_overdue_open": count(2),
            "prolonged_cases_resolved_rate": rate(1, 3),  # P22 of P22, P23, P24
            "communes_one_stop_rate": rate(1, 4),  # 00001
            "dossiers_received": count(2),  # H05, H13
            "dossiers_online_rate": rate(0, 2),
            "dossiers_resolved": count(1),  # H13
            "dossiers_on_time_rate": rate(1, 1),
            "dossiers_early_rate": rate(1, 1),  # finished 2018-12-31, due 2019-01-05
            "dossiers_late": count(0),
            "dossiers_overdue_open": count(0),  # H05 open at 12-31 but due 2019-01-03
            "dossiers_avg_days": days(0, 1),  # H13 finished the day it arrived: mean 0.0
            "late_apology_rate": rate(0, 0),
            "staff_good_or_better_rate_admin": rate(5, 10),  # S6 CM01 1+4
            "staff_good_or_better_rate_service": rate(10, 20),  # S7 SN01 2+8
            "inspections": count(1),  # K10
            "surprise_inspections": count(1),
            "surprise_inspected_communes": count(1),  # 00004
            "surprise_inspected_agencies": count(0),
            "violations_fixed_rate": rate(5, 5),
        },
    )


# --- procedures catalogue and one-stop communes --------------------------------------------


def test_procedure_catalogue_kpis_ignore_the_period(db):
    """The catalogue is not dated: 2018, March 2019, 2019 and 2020 give the same values."""
    catalogue = {
        k: EXPECTED_2019[k]
        for k in (
            "procedures_total",
            "procedures_time_cut",
            "procedures_time_cut_rate",
            "procedures_online_rate",
            "district_desk_procedures",
            "district_desk_agencies_specialised",
            "district_desk_agencies_vertical",
        )
    }
    for period in (Y2018, MARCH_2019, Y2019, Y2020):
        check(kpis(db, period, ids=list(catalogue)), catalogue)


def test_communes_one_stop_rate_counts_since_on_or_before_period_end(db):
    """communes_one_stop_rate counts communes with one_stop_since <= to; empty never counts."""
    ids = ["communes_one_stop_rate"]
    # to = 2019-12-30: 00002 (since 2019-12-31) not yet -> only 00001
    check(kpis(db, (date(2019, 1, 1), date(2019, 12, 30)), ids=ids), {ids[0]: rate(1, 4)})
    # to = 2019-12-31: 00001 and 00002 (since that very day)
    check(kpis(db, Y2019, ids=ids), {ids[0]: rate(2, 4)})
    # to = 2020-12-31: 00001, 00002, 00003 (since 2020-01-01); 00004 has no date
    check(kpis(db, Y2020, ids=ids), {ids[0]: rate(3, 4)})
    # selected communes only: 00002 yes, 00003 not yet
    check(kpis(db, Y2019, communes=("00002", "00003"), ids=ids), {ids[0]: rate(1, 2)})


# --- petitions -----------------------------------------------------------------------------

# Derived due dates: accepted date D + the days of the deadline rule in force on D
# (DOMAIN.md section 9, data/reference/rules.csv). Complaints: Luật Khiếu nại 2011 (30 /
# 45 complex or remote / 60 both, round 1). Denunciations accepted up to 2018-12-31: Luật
# Tố cáo 2011 Điều 21 (60, complex 90); from 2019-01-01: Luật Tố cáo 2018 Điều 30 (30,
# complex 60).
EXPECTED_DUE_DATES = {
    "P01": date(2019, 3, 31),  # khieu_nai, 00001: D 03-01 + 30 (Mar 1 + 30 = Mar 31)
    "P02": date(2019, 4, 15),  # khieu_nai complex: + 45 (Mar 31 is +30, Apr 15 is +45)
    "P03": date(2019, 4, 15),  # khieu_nai in remote 00003: + 45
    "P04": date(2019, 4, 30),  # khieu_nai complex and remote: + 60 (Apr 30 is +60)
    "P05": date(2019, 3, 31),  # to_cao: + 30
    "P06": date(2019, 4, 30),  # to_cao complex (in remote 00003): + 60
    "P07": date(2019, 3, 31),  # to_cao in remote 00003: remoteness does not extend to_cao
    "P08": None,  # kien_nghi_phan_anh: no legal deadline
    "P09": date(2019, 3, 20),  # explicit due date kept (derived would be 03-31)
    "P10": None,  # khieu_nai never accepted: nothing to derive from
    "P11": None,  # kien_nghi_phan_anh
    "P12": date(2019, 12, 1),  # D 11-01 + 30 (Nov has 30 days)
    "P13": date(2019, 12, 31),  # D 12-01 + 30
    "P14": date(2019, 11, 15),  # explicit (derived would be 10-31)
    "P15": date(2019, 7, 3),  # D 06-03 + 30 (Jun 30 is +27); withdrawn does not matter here
    "P16": None,
    "P17": None,
    "P18": date(2019, 1, 30),  # D 2018-12-31 + 30
    "P19": date(2018, 11, 4),  # D 2018-10-05 + 30 (Oct 31 is +26)
    "P20": None,
    "P21": None,
    "P22": date(2016, 7, 4),  # complex, 00002 not remote: 2016-05-20 + 45 (May 31 +11, Jun 30 +41)
    # to_cao complex accepted 2018-06-05, before Luật Tố cáo 2018 took effect
    # (2019-01-01): Luật Tố cáo 2011 Điều 21 gives 90 days (Jun 30 +25, Jul 31 +56,
    # Aug 31 +87, Sep 3 +90). The 60 days of the 2018 law do not apply to it.
    "P23": date(2018, 9, 3),
    "P24": date(2017, 3, 16),  # complex + remote: 2017-01-15 + 60 (Jan 31 +16, Feb 28 +44)
    "P25": None,
}


def test_derived_petition_due_dates_stored_in_warehouse(db):
    """The build fills an empty due_date from the accepted date and the rule in force on it
    (30/45/60 days for khieu_nai; to_cao 30/60 from 2019-01-01, 60/90 before; none for
    kien_nghi_phan_anh) and keeps explicit ones."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        rows = conn.execute("SELECT petition_id, due_date FROM petitions").fetchall()
    finally:
        conn.close()
    assert dict(rows) == EXPECTED_DUE_DATES


def test_petition_deadlines_drive_on_time_and_overdue(db):
    """Each derived deadline decides on time / late / overdue (a wrong rule flips a count)."""
    # 00003 (remote): P03 resolved 04-10 <= 04-15 (45 days, 30 would be late);
    # P04 04-20 <= 04-30 (60; 45 would be late); P06 04-20 <= 04-30 (to_cao complex 60);
    # P07 04-05 > 03-31 (to_cao: remote does not give 45) -> on time 3 of 4.
    # P24 (due 2017-03-16) is open -> overdue.
    check(
        kpis(db, Y2019, communes=("00003",)),
        {
            "petitions_received": count(4),  # P03 P04 P06 P07
            "petitions_on_time_rate": rate(3, 4),
            "petitions_overdue_open": count(1),
            "petitions_resolution_rate": rate(4, 5),  # P03 P04 P06 P07 resolved; P24 open
            "prolonged_cases_resolved_rate": rate(0, 1),  # P24
        },
    )
    # 00002: P09 resolved 03-25 after its explicit due 03-20 (derived 03-31 would be on time);
    # open: P12 (due 12-01) overdue, P13 (due 12-31 = to) not yet, P08 (kien_nghi, no due) never.
    check(
        kpis(db, Y2019, communes=("00002",)),
        {
            "petitions_on_time_rate": rate(0, 1),
            "petitions_overdue_open": count(1),
        },
    )
    # 00001: P01 04-01 > 03-31 late; P02 04-15 = 04-15 on time (complex 45; 30 would be late);
    # P05 03-31 = due on time; P18 on time; P23 late; P11 (kien_nghi, resolved) not counted.
    # P15 is open with a past due date but withdrawn -> not overdue.
    check(
        kpis(db, Y2019, communes=("00001",)),
        {
            "petitions_on_time_rate": rate(3, 5),
            "petitions_overdue_open": count(0),
        },
    )


def test_petitions_resolution_rate_period_logic(db):
    """Resolution rate: a petition received before the period and resolved in it counts
    (P18), one resolved before the period start does not (P19, P22), open ones count in the
    denominator; inactive ones (withdrawn P15, ineligible P16, out of jurisdiction P17) never
    count."""
    ids = ["petitions_resolution_rate"]
    # 2019: 11 of 18, see EXPECTED_2019.
    check(kpis(db, Y2019, ids=ids), {ids[0]: rate(11, 18)})
    # December 2019: active, received <= 12-31, resolved empty or >= 12-01:
    # open P08 P10 P12 P13 P21 P24, and P14 (resolved 2020-01-10) = 7; none resolved in Dec.
    check(kpis(db, (date(2019, 12, 1), date(2019, 12, 31)), ids=ids), {ids[0]: rate(0, 7)})
    # January 2020: P18 received 2018-12-31 and resolved 2019-01-01 is out;
    # P14 resolved 2020-01-10 counts; the same open ones plus P20 (received 2020-01-01):
    # P08 P10 P12 P13 P14 P20 P21 P24 = 8; resolved <= 01-31: P14.
    check(kpis(db, (date(2020, 1, 1), date(2020, 1, 31)), ids=ids), {ids[0]: rate(1, 8)})


def test_prolonged_cases_resolved_rate_has_no_lower_bound(db):
    """Prolonged cases count whenever received <= to: P22 resolved in 2017 and P23 resolved in
    June 2019 still count as resolved for December 2019."""
    check(
        kpis(db, (date(2019, 12, 1), date(2019, 12, 31)), ids=["prolonged_cases_resolved_rate"]),
        {"prolonged_cases_resolved_rate": rate(2, 3)},  # P22, P23 of P22, P23, P24
    )
    check(
        kpis(db, (date(2019, 12, 1), date(2019, 12, 31)), level="huyen"),
        {"prolonged_cases_resolved_rate": rate(2, 2)},  # P22, P23 (both huyen)
    )


# --- citizen reception cadence -------------------------------------------------------------


def test_district_chair_compliance_counts_distinct_dates_per_month(db):
    """A month complies with >= 2 DISTINCT dates of the chairman's scheduled district reception;
    two rows on one date (R03, R04 in February) count once."""
    ids = ["district_chair_compliance_rate"]
    # Feb and Mar 2019: Feb has a single date (02-15 twice), Mar has 03-01 and 03-31 -> 1 of 2
    check(kpis(db, (date(2019, 2, 1), date(2019, 3, 31)), ids=ids), {ids[0]: rate(1, 2)})
    # February alone: 0 of 1
    check(kpis(db, (date(2019, 2, 1), date(2019, 2, 28)), ids=ids), {ids[0]: rate(0, 1)})
    # January alone: 01-01 and 01-15 -> 1 of 1
    check(kpis(db, (date(2019, 1, 1), date(2019, 1, 31)), ids=ids), {ids[0]: rate(1, 1)})
    # 2019: Jan, Mar of 12 months (R07 pho_chu_tich and R08 dot_xuat make April no better)
    check(kpis(db, Y2019, ids=ids), {ids[0]: rate(2, 12)})


def test_commune_chair_compliance_over_iso_weeks(db):
    """commune_chair_compliance_rate is over (selected commune x ISO week) cells, where a week
    belongs to the period holding its Thursday and counts only when it has a working day
    (Monday to Friday, not in the holidays); a cell meets the rule with >= 1 date of a
    chairman's scheduled xa reception of that commune dated in that week (DOMAIN.md §6, §9).

    Weeks of 2019: Tue 2019-01-01 is in 2019-W01 (Mon 2018-12-31 .. Sun 2019-01-06), whose
    Thursday 2019-01-03 is in 2019. The last Thursday of 2019 is 2019-12-26 (W52, Mon
    12-23); W01 of 2020 (Mon 2019-12-30) has its Thursday on 2020-01-02, so it belongs to
    2020. Mondays 2018-12-31 .. 2019-12-23 span 357 days = 51 weeks: 52 weeks.
    Holidays of 2019 (data/reference/holidays.csv) per week, Monday to Friday:
    W01 12-31, 01-01 (2 of 5); W06 02-04..02-08 (5 of 5: the Tết week off); W16 04-15 (1);
    W18 04-29, 04-30, 05-01 (3); W36 09-02 (1). Only W06 has no working day: 51 weeks
    counted, 4 communes x 51 = 204 cells.
    """
    ids = ["commune_chair_compliance_rate"]
    # 00001: W01 (R11 2018-12-31, R12 01-01, R13 01-06: one cell, its Thursday is in 2019),
    # W09 (R14 02-28), W10 (R15 03-04) = 3; 00002: R16 (Tue 2019-12-31) is in 2020-W01, a
    # 2020 cell; 00003: W24 (R18 Wed 06-12); R19 2020-01-01 is in 2020-W01; 00004: R20 is
    # dot_xuat. 3 + 0 + 1 + 0 = 4 of 204.
    check(kpis(db, Y2019, ids=ids), {ids[0]: rate(4, 204)})
    check(kpis(db, Y2019, communes=("00001",), ids=ids), {ids[0]: rate(3, 51)})
    # 2 x 51 = 102; 00002: none (R17 is pho_chu_tich); 00003: R18 -> 1
    check(kpis(db, Y2019, communes=("00002", "00003"), ids=ids), {ids[0]: rate(1, 102)})
    # March 2019: Thursdays 03-07, 03-14, 03-21, 03-28 -> W10..W13 (4 weeks). W09 (Mon
    # 02-25) has Thursday 02-28 (February); W14 (Mon 04-01) Thursday 04-04. 4 x 4 = 16;
    # R15 (Mon 03-04, W10) meets -> 1 of 16.
    check(kpis(db, MARCH_2019, ids=ids), {ids[0]: rate(1, 16)})
    check(kpis(db, MARCH_2019, communes=("00001",), ids=ids), {ids[0]: rate(1, 4)})
    # February 2019: Thursdays 02-07 (W06, the Tết week off: no cell), 02-14, 02-21, 02-28
    # -> 3 weeks x 4 = 12; R14 (Thu 02-28, W09) meets -> 1 of 12.
    check(kpis(db, (date(2019, 2, 1), date(2019, 2, 28)), ids=ids), {ids[0]: rate(1, 12)})
    # The Tết week alone (Mon 02-04 .. Sun 02-10): its Thursday is in the period but it has
    # no working day -> no cell at all: 0 / 0, None (not 0%).
    check(kpis(db, (date(2019, 2, 4), date(2019, 2, 10)), ids=ids), {ids[0]: rate(0, 0)})
    # 2018: Thursdays 2018-01-04 (W01, Mon 01-01) .. 2018-12-27 (W52, Mon 12-24): Mondays
    # 2018-01-01 .. 2018-12-24 span 357 days -> 52 weeks. Tết 2018 is split over two weeks
    # (Wed-Fri 02-14..16; Mon-Tue 02-19..20): no week fully off. 4 x 52 = 208. R11 (Mon
    # 2018-12-31) is in 2019-W01, a 2019 cell -> 0 of 208.
    check(kpis(db, Y2018, ids=ids), {ids[0]: rate(0, 208)})
    # 2020: Thursdays 2020-01-02 (2020-W01, Mon 2019-12-30) .. 2020-12-31 (W53, Mon
    # 12-28): 364 days -> 53 weeks. Tết 2020 is split (Thu-Fri 01-23..24; Mon-Wed
    # 01-27..29): no week fully off. 4 x 53 = 212. 2020-W01 meets for 00002 (R16, Tue
    # 2019-12-31) and 00003 (R19, Wed 2020-01-01) -> 2 of 212.
    check(kpis(db, Y2020, ids=ids), {ids[0]: rate(2, 212)})
    # The single day Tue 2019-01-01 holds no Thursday: no cell, 0 / 0.
    day = date(2019, 1, 1)
    check(kpis(db, (day, day), ids=ids), {ids[0]: rate(0, 0)})
    # Thu 2019-01-03 holds W01's Thursday: 4 cells; 00001 meets (R11, R12, R13) -> 1 of 4.
    day = date(2019, 1, 3)
    check(kpis(db, (day, day), ids=ids), {ids[0]: rate(1, 4)})
    # Consecutive periods never share a week: 2019-12-01..2019-12-31 has Thursdays 12-05,
    # 12-12, 12-19, 12-26 (4 weeks, 16 cells, none met); 2020-01-01..2020-01-31 has 01-02,
    # 09, 16, 23, 30 (5 weeks, 20 cells; 2020-W01 met by 00002 and 00003).
    check(kpis(db, (date(2019, 12, 1), date(2019, 12, 31)), ids=ids), {ids[0]: rate(0, 16)})
    check(kpis(db, (date(2020, 1, 1), date(2020, 1, 31)), ids=ids), {ids[0]: rate(2, 20)})


def test_no_cadence_cell_means_the_kpi_does_not_apply(db):
    """A cadence KPI with no cell (the province in a warehouse without units_upper; a period
    holding no Thursday) does not apply: value None, applies False, target_met None."""
    res = kpis(db, Y2019, ids=["province_chair_compliance_rate", "district_chair_compliance_rate"])
    province = res["province_chair_compliance_rate"]
    assert (province.value, province.denominator, province.applies) == (None, 0, False)
    assert province.target_met is None
    district = res["district_chair_compliance_rate"]  # Jan and Mar of 12 months
    assert (district.applies, district.target_met) == (True, False)
    day = date(2019, 1, 1)
    commune = kpis(db, (day, day), ids=["commune_chair_compliance_rate"])
    r = commune["commune_chair_compliance_rate"]
    assert (r.value, r.applies, r.target_met) == (None, False, None)


# --- staff and discipline ------------------------------------------------------------------


def test_staff_ratings_use_years_of_period_and_agency_commune(db):
    """Ratings count for every year the period touches; the commune filter uses the agency's
    commune and drops agencies without one."""
    ids = ["staff_good_or_better_rate_admin", "staff_good_or_better_rate_service"]
    # 2018-07-01..2019-06-30 touches 2018 and 2019.
    # admin: 2019 28 of 40 + S6 (2018 CM01) 1+4 = 5 of 10 -> 33 of 50
    # service: 2019 25 of 40 + S7 (2018 SN01) 2+8 = 10 of 20 -> 35 of 60
    check(
        kpis(db, (date(2018, 7, 1), date(2019, 6, 30)), ids=ids),
        {ids[0]: rate(33, 50), ids[1]: rate(35, 60)},
    )
    # S8 (2020, UX01) appears only for 2020: 5+5 of 10; no su_nghiep rating in 2020.
    check(kpis(db, Y2020, ids=ids), {ids[0]: rate(10, 10), ids[1]: rate(0, 0)})
    # 00001: UX01 only (S2 3+12 of 20); no su_nghiep agency in 00001
    check(
        kpis(db, Y2019, communes=("00001",), ids=ids),
        {ids[0]: rate(15, 20), ids[1]: rate(0, 0)},
    )
    # 00002: UX02 (S3 1+4 of 10) and SN01 (S4 5+16 of 30)
    check(
        kpis(db, Y2019, communes=("00002",), ids=ids),
        {ids[0]: rate(5, 10), ids[1]: rate(21, 30)},
    )
    # 00003: UX03 has no ratings
    check(
        kpis(db, Y2019, communes=("00003",), ids=ids),
        {ids[0]: rate(0, 0), ids[1]: rate(0, 0)},
    )


def test_inspections_surprise_distinct_targets_and_fixed_rate(db):
    """Surprise vs planned; distinct communes and agencies of surprise inspections; the commune
    filter reaches an agency inspection through the agency's commune."""
    # 2019 values are in EXPECTED_2019 (9, 6 surprise, 2 communes, 2 agencies, 8 of 13).
    # 00002 in 2019: K03 (xa 00002, planned, 2 violations, 0 fixed) and K08 (agency UX02 of
    # 00002, planned, 2 violations, 1 fixed); K09 (SN02, no commune) drops out.
    check(
        kpis(db, Y2019, communes=("00002",)),
        {
            "inspections": count(2),
            "surprise_inspections": count(0),
            "surprise_inspected_communes": count(0),
            "surprise_inspected_agencies": count(0),
            "violations_fixed_rate": rate(1, 4),
        },
    )
    # 00001 in 2019: K01, K02 both surprise in the same commune -> 1 distinct commune
    check(
        kpis(db, Y2019, communes=("00001",)),
        {
            "inspections": count(2),
            "surprise_inspections": count(2),
            "surprise_inspected_communes": count(1),
            "surprise_inspected_agencies": count(0),
            "violations_fixed_rate": rate(3, 4),  # 2+1 of 3+1
        },
    )
    # 2019-03-01..2019-07-31: K02 (00001), K03, K05 (CM01), K06 (CM01) -> surprise K02 K05 K06;
    # one commune, one distinct agency; violations 1+2+4+0 = 7, fixed 1+0+4+0 = 5
    check(
        kpis(db, (date(2019, 3, 1), date(2019, 7, 31))),
        {
            "inspections": count(4),
            "surprise_inspections": count(3),
            "surprise_inspected_communes": count(1),
            "surprise_inspected_agencies": count(1),
            "violations_fixed_rate": rate(5, 7),
        },
    )


# --- build input checks --------------------------------------------------------------------


def _copy_fixture_with_bad_channel(target: Path) -> Path:
    """A copy of the fixture whose dossiers.csv has channel 'fax' in H04 (spreadsheet row 5)."""
    shutil.copytree(FIXTURE, target)
    path = target / "dossiers.csv"
    text = path.read_text(encoding="utf-8")
    good = "H04,TT05,,buu_chinh,"
    assert text.count(good) == 1
    path.write_text(text.replace(good, "H04,TT05,,fax,"), encoding="utf-8")
    return target


def test_build_rejects_bad_enum_naming_file_row_column_value(tmp_path):
    """A bad enumeration value raises BuildError with a fault that names the file, the
    spreadsheet row (header = row 1, so H04 is row 5), the column and the value."""
    bad = _copy_fixture_with_bad_channel(tmp_path / "bad")
    target = tmp_path / "out.duckdb"
    with pytest.raises(BuildError) as info:
        build_warehouse(bad, target)
    faults = info.value.faults
    located = [
        f
        for f in faults
        if "dossiers" in str(f.file) and f.row == 5 and f.column == "channel" and f.value == "fax"
    ]
    assert located, f"no fault names dossiers.csv row 5 column channel value 'fax': {faults!r}"
    assert not target.exists()


def test_failed_build_leaves_existing_warehouse_unchanged(tmp_path):
    """A failed build does not touch a warehouse already at the target path (same bytes)."""
    target = tmp_path / "warehouse.duckdb"
    build_warehouse(FIXTURE, target)
    before = target.read_bytes()
    bad = _copy_fixture_with_bad_channel(tmp_path / "bad")
    with pytest.raises(BuildError):
        build_warehouse(bad, target)
    assert target.read_bytes() == before
    # and no half-written file is left beside it (the writer lock's file, which builds and
    # imports share, stays: it holds no data)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
    ]

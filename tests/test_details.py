"""Page breakdowns of metrics/details.py on the hand-built fixture (tests/fixture).

Row ids are those of tests/fixture/README.md (P = petitions, H = dossiers, R = receptions,
TT = procedures, K = inspections, S1..S8 = staff_ratings rows). Expected values are counted
by hand from those rows; the arithmetic sits beside each assertion. Where a breakdown
explains a KPI, the test also checks that it adds up to the KPI for the same filters.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from metrics import Filters, compute
from metrics import details as d

Y2019 = Filters.year(2019)


def buckets(df: pd.DataFrame) -> dict[str, int]:
    """Ageing rows summed over kinds, only the non-empty buckets."""
    out = df.groupby("bucket", sort=False)["count"].sum()
    return {b: int(n) for b, n in out.items() if n}


# --------------------------------------------------------------------------- ageing


def test_bucket_order_and_bands() -> None:
    """Within, due in ≤ 7 days, overdue 1–30 / 31–90 / 91–365 / over 365, no deadline."""
    assert d.ageing_buckets() == [
        ("within", 8, None),
        ("due_soon", 0, 7),
        ("late_1_30", 1, 30),
        ("late_31_90", 31, 90),
        ("late_91_365", 91, 365),
        ("late_366_plus", 366, None),
        ("no_deadline", None, None),
    ]


def test_petition_ageing_at_end_of_2019(fixture_db: Path) -> None:
    """Open active petitions at 2019-12-31, each in its bucket; overdue adds up to the KPI."""
    got = d.petition_ageing(Y2019, fixture_db)
    assert buckets(got) == {
        "due_soon": 1,  # P13: due 12-31 = period end, 0 days left
        "late_1_30": 1,  # P12: due 12-01, exactly 30 days late (upper edge of the band)
        "late_31_90": 1,  # P14: due 11-15, 46 days late (resolved only in 2020)
        "late_366_plus": 1,  # P24: due 2017-03-16, 1020 days late
        "no_deadline": 3,  # P08 (kiến nghị), P10 (not accepted), P21 (kiến nghị)
    }
    # P15 withdrawn, P16 not eligible, P17 not in jurisdiction: not open petitions.
    by_kind = got[got["count"] > 0].set_index(["bucket", "kind"])["count"].to_dict()
    assert by_kind[("no_deadline", "kien_nghi_phan_anh")] == 2  # P08, P21
    assert by_kind[("no_deadline", "khieu_nai")] == 1  # P10
    overdue = sum(n for b, n in buckets(got).items() if b.startswith("late_"))
    assert (
        overdue
        == compute(Y2019, ["petitions_overdue_open"], fixture_db)["petitions_overdue_open"].value
        == 3
    )


def test_petition_ageing_within_deadline_as_of_20_november(fixture_db: Path) -> None:
    """As of 2019-11-20 P12 (due 12-01) has 11 days left and P14 (due 11-15) is 5 late."""
    f = Filters(date(2019, 1, 1), date(2019, 11, 20))
    assert buckets(d.petition_ageing(f, fixture_db)) == {
        "within": 1,  # P12
        "late_1_30": 1,  # P14
        "late_366_plus": 1,  # P24: 2017-03-16 → 2019-11-20 = 979 days
        "no_deadline": 2,  # P08, P10 (P13 and P21 not yet received)
    }


@pytest.mark.parametrize(
    ("as_of", "bucket"),
    [
        (date(2019, 11, 23), "within"),  # P12 due 12-01: 8 days left
        (date(2019, 11, 24), "due_soon"),  # 7 days left: the edge of "due soon"
        (date(2019, 12, 1), "due_soon"),  # due on the period end: not overdue
        (date(2019, 12, 2), "late_1_30"),  # one day late
    ],
)
def test_due_soon_edges(fixture_db: Path, as_of: date, bucket: str) -> None:
    """P12 of commune 00002 (due 2019-12-01) moves bucket exactly at the edges."""
    f = Filters(date(2019, 10, 1), as_of, ("00002",), "xa")
    got = d.petition_ageing(f, fixture_db)
    p12 = got[(got["kind"] == "khieu_nai") & (got["count"] > 0)]
    # 00002 at level xa: P08 (kiến nghị, no deadline), P09 (resolved 03-25), P12, and P13
    # only from 12-01; P13 is due 12-31 so it is "within" or "due soon" when present.
    expected = {bucket: 1}
    if as_of >= date(2019, 12, 1):
        expected["within"] = expected.get("within", 0) + 1  # P13: 30 or 29 days left
    assert dict(zip(p12["bucket"], p12["count"], strict=True)) == expected


def test_dossier_ageing_adds_up_to_overdue_kpi(fixture_db: Path) -> None:
    """Open dossiers at 2019-12-31: H06 (3 days left), H08 (due that day), H07 (1 late),
    H09 (53 late); the overdue ones are the KPI's 2."""
    got = d.dossier_ageing(Y2019, fixture_db)
    assert buckets(got) == {"due_soon": 2, "late_1_30": 1, "late_31_90": 1}
    kpi = compute(Y2019, ["dossiers_overdue_open"], fixture_db)["dossiers_overdue_open"]
    assert kpi.value == 2


# --------------------------------------------------------------------------- minimum volume


def test_min_volume_keeps_one_late_dossier_off_the_top(fixture_db: Path) -> None:
    """Resolved in 2019: TT01 2 (H01 on time, H02 late), TT05 1 late (H04), TT09 1 late
    (H11), TT02/TT07/TT10 1 each on time. With no minimum the single late dossiers top the
    list at 0%; with a minimum of 2 only TT01 (1 of 2, 50%) is ranked."""
    by_procedure = d.dossier_timeliness(Y2019, "procedure", fixture_db)
    anything = d.worst_on_time(by_procedure, min_volume=1)
    assert anything["key"].tolist()[:3] == ["TT05", "TT09", "TT01"]
    assert anything["dossiers_on_time_rate"].tolist()[:3] == [0.0, 0.0, 0.5]
    ranked = d.worst_on_time(by_procedure, min_volume=2)
    assert ranked["key"].tolist() == ["TT01"]
    assert ranked.loc[0, "dossiers_resolved"] == 2
    assert ranked.loc[0, "dossiers_on_time_rate"] == 0.5
    assert d.worst_on_time(by_procedure, min_volume=3).empty


def test_min_volume_ranks_agencies_and_counts_missing_apologies(fixture_db: Path) -> None:
    """CM01 owns TT01+TT02: 3 resolved, 2 on time; ND01 owns TT05: 1 late without apology;
    dossiers of procedures without an agency (TT07, TT09, TT10) form the group None."""
    by_agency = d.dossier_timeliness(Y2019, "agency", fixture_db).set_index("key", drop=False)
    assert by_agency.loc["CM01", "dossiers_resolved"] == 3
    assert by_agency.loc["CM01", "dossiers_on_time_rate"] == pytest.approx(2 / 3)
    assert by_agency.loc["ND01", "late_without_apology"] == 1  # H04
    none = by_agency[by_agency["key"].isna()].iloc[0]
    assert (none["dossiers_resolved"], none["late_without_apology"]) == (3, 0)  # H05 H11 H12
    ranked = d.worst_on_time(by_agency.reset_index(drop=True), min_volume=2)
    assert ranked["dossiers_resolved"].tolist() == [3, 3]  # ND01 (1 dossier) left out
    assert "ND01" not in ranked["key"].tolist()


def test_timeliness_adds_up_to_the_kpis(fixture_db: Path) -> None:
    """Summed over procedures, resolved / on time / late equal the KPI layer's."""
    t = d.dossier_timeliness(Y2019, "procedure", fixture_db)
    k = compute(Y2019, ["dossiers_resolved", "dossiers_on_time_rate", "dossiers_late"], fixture_db)
    assert t["dossiers_resolved"].sum() == k["dossiers_resolved"].value == 7
    assert t["dossiers_on_time_rate_num"].sum() == k["dossiers_on_time_rate"].numerator == 4
    assert t["dossiers_late"].sum() == k["dossiers_late"].value == 3


def test_processing_times_per_level(fixture_db: Path) -> None:
    """huyen: H01 9 + H02 9 + H03 4 + H12 1 = 23 days over 4 dossiers; committed TT01 5,5,
    TT02 15, TT10 10 → 35/4; statutory 10,10,15,10 → 45/4."""
    times = d.processing_times(d.dossier_timeliness(Y2019, "procedure", fixture_db))
    huyen = times.set_index("level").loc["huyen"]
    assert huyen["dossiers_resolved"] == 4
    assert huyen["avg_days"] == pytest.approx(23 / 4)
    assert huyen["avg_committed"] == pytest.approx(35 / 4)
    assert huyen["avg_statutory"] == pytest.approx(45 / 4)


# --------------------------------------------------------------------------- petitions


def test_funnel_by_kind(fixture_db: Path) -> None:
    """Received in 2019 → eligible → active → accepted → resolved by 12-31, per kind."""
    f = d.petition_funnel(Y2019, fixture_db)
    wide = f.pivot(index="kind", columns="stage", values="petitions")
    stages = [s for s, _ in d.FUNNEL_STAGES]
    # khiếu nại: P01–P04, P09, P10, P12–P16; P16 not eligible, P15 withdrawn, P10 not
    # accepted, resolved: P01–P04, P09 (P14 only in 2020).
    assert wide.loc["khieu_nai", stages].tolist() == [11, 10, 9, 8, 5]
    # tố cáo: P05–P07, P17 (not in jurisdiction).
    assert wide.loc["to_cao", stages].tolist() == [4, 4, 3, 3, 3]
    # kiến nghị: P08, P11, P21 (P21 never accepted; only P11 resolved).
    assert wide.loc["kien_nghi_phan_anh", stages].tolist() == [3, 3, 3, 2, 1]
    k = compute(Y2019, ["petitions_received", "petitions_in_jurisdiction"], fixture_db)
    assert wide["received"].sum() == k["petitions_received"].value == 18
    assert wide["in_jurisdiction"].sum() == k["petitions_in_jurisdiction"].value == 15


def test_outcome_mix(fixture_db: Path) -> None:
    """Resolved in 2019 with an outcome: khiếu nại P01 sai, P02 đúng một phần, P03 đúng,
    P04 sai, P09 sai, P18 đúng; tố cáo P05 đúng, P06 sai, P07 đúng một phần, P23 đúng."""
    got = d.outcome_mix(Y2019, fixture_db).set_index(["kind", "outcome"])["petitions"]
    assert [got[("khieu_nai", o)] for o in d.OUTCOMES] == [2, 1, 3]
    assert [got[("to_cao", o)] for o in d.OUTCOMES] == [2, 1, 1]
    assert got[("kien_nghi_phan_anh", "dung")] == 0


def test_petitions_by_field_add_up(fixture_db: Path) -> None:
    """Per field, received in 2019: đất đai P01–P04, P12–P14 = 7; P16's empty field is
    'khac' by default; the rows add up to the KPI."""
    got = d.petitions_by(Y2019, "field", fixture_db).set_index("key")
    assert got.loc["dat_dai", "petitions_received"] == 7
    assert got["petitions_received"].sum() == 18


def test_funnel_by_stage_one_row_per_step(fixture_db: Path) -> None:
    """The funnel's steps in order, a column per kind in the contract's order (the counts of
    test_funnel_by_kind turned round), whatever the order of the long rows."""
    long = d.petition_funnel(Y2019, fixture_db).iloc[::-1]
    got = d.funnel_by_stage(long)
    assert got.columns.tolist() == ["stage", "khieu_nai", "to_cao", "kien_nghi_phan_anh"]
    assert got.values.tolist() == [
        ["received", 11, 4, 3],
        ["eligible", 10, 4, 3],
        ["in_jurisdiction", 9, 3, 3],
        ["accepted", 8, 3, 2],
        ["resolved", 5, 3, 1],
    ]


def test_funnel_by_kind_ends_with_the_total(fixture_db: Path) -> None:
    """A row per kind in the contract's order, then the total: 11 + 4 + 3 = 18 received,
    10 + 4 + 3 = 17 eligible, 9 + 3 + 3 = 15 within competence, 8 + 3 + 2 = 13 accepted,
    5 + 3 + 1 = 9 resolved."""
    long = d.petition_funnel(Y2019, fixture_db).iloc[::-1]
    got = d.funnel_by_kind(long)
    assert got.columns.tolist() == ["kind", *(s for s, _ in d.FUNNEL_STAGES)]
    assert got.values.tolist() == [
        ["khieu_nai", 11, 10, 9, 8, 5],
        ["to_cao", 4, 4, 3, 3, 3],
        ["kien_nghi_phan_anh", 3, 3, 3, 2, 1],
        ["total", 18, 17, 15, 13, 9],
    ]


def test_ageing_by_bucket_every_bucket_and_kind(fixture_db: Path) -> None:
    """Open at 2019-12-31 (see test_petition_ageing_at_end_of_2019): P13 due soon, P12 1–30,
    P14 31–90, P24 over 365 days late, all khiếu nại; no deadline: P10 (khiếu nại), P08 and
    P21 (kiến nghị). No tố cáo is open: its column is there, all 0; empty buckets too."""
    got = d.ageing_by_bucket(d.petition_ageing(Y2019, fixture_db))
    assert got.columns.tolist() == ["bucket", "khieu_nai", "to_cao", "kien_nghi_phan_anh", "total"]
    assert got.values.tolist() == [
        ["within", 0, 0, 0, 0],
        ["due_soon", 1, 0, 0, 1],
        ["late_1_30", 1, 0, 0, 1],
        ["late_31_90", 1, 0, 0, 1],
        ["late_91_365", 0, 0, 0, 0],
        ["late_366_plus", 1, 0, 0, 1],
        ["no_deadline", 1, 0, 2, 3],
    ]


def test_overdue_count_sums_only_the_late_buckets(fixture_db: Path) -> None:
    """P12 + P14 + P24 = 3 of the 7 open: not P13 (due soon) nor the 3 without a deadline;
    the KPI counts the same 3."""
    got = d.overdue_count(d.ageing_by_bucket(d.petition_ageing(Y2019, fixture_db)))
    kpi = compute(Y2019, ["petitions_overdue_open"], fixture_db)["petitions_overdue_open"]
    assert got == kpi.value == 3


def test_petitions_by_field_in_the_contracts_order(fixture_db: Path) -> None:
    """Received in 2019 per field: đất đai P01–P04, P12–P14 = 7; chính sách P09; môi trường
    P08; khác P05–P07, P10, P11, P15, P17 and P16, P21 (no field: khác) = 9; no tư pháp
    petition, so no row. The contract's order, not the codes' alphabetical one."""
    got = d.petitions_by_field(Y2019, fixture_db)
    assert got["key"].tolist() == ["dat_dai", "chinh_sach", "moi_truong", "khac"]
    assert got["petitions_received"].tolist() == [7, 1, 1, 9]


def test_outcome_shares_of_the_decided_kinds(fixture_db: Path) -> None:
    """Khiếu nại: đúng 2 (P03, P18), một phần 1 (P02), sai 3 (P01, P04, P09) of 6; tố cáo:
    đúng 2 (P05, P23), một phần 1 (P07), sai 1 (P06) of 4. Kiến nghị has no outcome row."""
    got = d.outcome_shares(d.outcome_mix(Y2019, fixture_db)).set_index("kind")
    assert got.index.tolist() == ["khieu_nai", "to_cao"]
    assert got[["dung", "dung_mot_phan", "sai", "decided"]].values.tolist() == [
        [2, 1, 3, 6],
        [2, 1, 1, 4],
    ]
    assert got.loc["khieu_nai", ["dung_share", "dung_mot_phan_share", "sai_share"]].tolist() == (
        pytest.approx([2 / 6, 1 / 6, 3 / 6])
    )
    assert got.loc["to_cao", ["dung_share", "dung_mot_phan_share", "sai_share"]].tolist() == (
        pytest.approx([0.5, 0.25, 0.25])
    )


def test_outcome_shares_none_when_nothing_decided() -> None:
    """A kind with no outcome has no share (None, not 0 nor NaN); kiến nghị rows are left
    out even when they carry a count."""
    mix = pd.DataFrame(
        {
            "kind": ["to_cao", "khieu_nai", "kien_nghi_phan_anh", "khieu_nai"],
            "outcome": ["sai", "dung", "dung", "sai"],
            "petitions": [0, 1, 5, 3],
        }
    )
    got = d.outcome_shares(mix).set_index("kind")
    assert got.index.tolist() == ["khieu_nai", "to_cao"]
    assert got.loc["khieu_nai", ["dung", "dung_mot_phan", "sai", "decided"]].tolist() == [
        1,
        0,
        3,
        4,
    ]
    assert got.loc["khieu_nai", "sai_share"] == 0.75
    assert got.loc["to_cao", "decided"] == 0
    assert got["dung_share"].tolist()[1] is None


def test_case_list_open_at_period_end(fixture_db: Path) -> None:
    """The 7 open active petitions at 2019-12-31, longest overdue first; the total survives
    the row cap."""
    rows, total = d.petition_cases(Y2019, "open", fixture_db)
    assert total == 7
    assert rows["petition_id"].tolist()[:3] == ["P24", "P14", "P12"]
    assert rows["days_late"].tolist()[:3] == [1020, 46, 30]
    assert rows.loc[0, "status"] == "open_overdue"
    assert set(rows["petition_id"][3:]) == {"P08", "P10", "P13", "P21"}
    capped, total = d.petition_cases(Y2019, "open", fixture_db, limit=2)
    assert (len(capped), total) == (2, 7)


def test_case_list_views_match_kpi_populations(fixture_db: Path) -> None:
    """Overdue = the KPI's 3; prolonged up to 2019-12-31 = P22, P23, P24; received = 18."""
    assert d.petition_cases(Y2019, "overdue", fixture_db)[1] == 3
    rows, total = d.petition_cases(Y2019, "prolonged", fixture_db)
    assert total == 3
    assert sorted(rows["petition_id"]) == ["P22", "P23", "P24"]
    status = dict(zip(rows["petition_id"], rows["status"], strict=True))
    assert status == {"P22": "resolved_late", "P23": "resolved_late", "P24": "open_overdue"}
    assert d.petition_cases(Y2019, "received", fixture_db)[1] == 18
    with pytest.raises(ValueError):
        d.petition_cases(Y2019, "everything", fixture_db)


def test_case_list_holds_no_personal_columns(fixture_db: Path) -> None:
    """Only ids, dates, codes, flags and day counts are listed."""
    rows, _ = d.petition_cases(Y2019, "received", fixture_db)
    assert list(rows.columns) == d.CASE_COLUMNS


# --------------------------------------------------------------------------- receptions


def test_district_chair_grid(fixture_db: Path) -> None:
    """January R01+R02 (2 dates), February R03+R04 on one date, March R05+R06; the
    months meeting the minimum are the KPI's numerator."""
    grid = d.district_chair_grid(Y2019, fixture_db)
    assert grid["days"].tolist() == [2, 1, 2] + [0] * 9
    assert grid["meets"].sum() == 2
    kpi = compute(Y2019, ["district_chair_compliance_rate"], fixture_db)
    assert (kpi["district_chair_compliance_rate"].numerator, len(grid)) == (2, 12)


def test_commune_chair_grid(fixture_db: Path) -> None:
    """The weeks whose Thursday lies in 2019 are the 52 from Monday 2018-12-31 to Monday
    2019-12-23; the Tết week off (Mon 2019-02-04 .. Fri 02-08, every working day a holiday)
    is no cell: 4 communes × 51 = 204 cells. Weeks met: 00001 W01 (R11, R12, R13), W09
    (R14), W10 (R15); 00003 W24 (R18). 00002's R16 (Tue 2019-12-31) is in the week of
    Monday 2019-12-30, whose Thursday 2020-01-02 makes it a 2020 week."""
    grid = d.commune_chair_grid(Y2019, fixture_db)
    assert len(grid) == 204
    met = grid[grid["meets"]].groupby("commune_code").size().to_dict()
    assert met == {"00001": 3, "00003": 1}
    first = grid[(grid["commune_code"] == "00001")].iloc[0]
    # W01 holds three distinct dates of 00001: R11 (2018-12-31), R12 (01-01), R13 (01-06)
    assert (first["week"], first["month"], first["days"]) == (date(2018, 12, 31), "2019-01", 3)
    assert date(2019, 2, 4) not in set(grid["week"])  # the Tết week
    assert date(2019, 12, 30) not in set(grid["week"])  # a 2020 week
    assert grid["week"].max() == date(2019, 12, 23)
    assert set(grid["required"]) == {1}
    kpi = compute(Y2019, ["commune_chair_compliance_rate"], fixture_db)
    assert (
        kpi["commune_chair_compliance_rate"].numerator,
        kpi["commune_chair_compliance_rate"].denominator,
    ) == (4, 204)
    summary = d.commune_chair_by_month(grid)
    # January's Thursdays: 01-03, 10, 17, 24, 31 -> 5 weeks, W01 met
    jan = summary[(summary["commune_code"] == "00001") & (summary["month"] == "2019-01")]
    assert (jan["weeks"].item(), jan["weeks_met"].item()) == (5, 1)
    # February's Thursdays: 02-07 (the Tết week: no cell), 02-14, 02-21, 02-28 -> 3 weeks
    feb = summary[(summary["commune_code"] == "00001") & (summary["month"] == "2019-02")]
    assert (feb["weeks"].item(), feb["weeks_met"].item()) == (3, 1)  # W09 (R14 Thu 02-28)


def test_receptions_by_kind(fixture_db: Path) -> None:
    """2019 rows: scheduled R01–R07, R12–R18 (14); ad hoc R08, R20; regular desk R09."""
    got = d.receptions_by(Y2019, "kind", fixture_db).set_index("key")
    assert got["reception_rows"].to_dict() == {"dinh_ky": 14, "dot_xuat": 2, "thuong_xuyen": 1}
    assert got.loc["dinh_ky", "reception_large_groups"] == 1  # R06


def test_dialogues_by_commune_flags_communes_without_dialogue(fixture_db: Path) -> None:
    """00004's only 2019 dialogue is the district's D02: counted, but not a commune one."""
    got = d.dialogues_by_commune(Y2019, fixture_db).set_index("commune_code")
    assert got["held_commune_dialogue"].to_dict() == {
        "00001": True,
        "00002": True,
        "00003": True,
        "00004": False,
    }
    assert got.loc["00001", ["dialogues", "attendees", "opinions"]].tolist() == [2, 80, 13]
    assert got.loc["00001", "attendees_per_dialogue"] == 40  # D03 50 + D04 30
    assert got.loc["00004", "dialogues"] == 1


# --------------------------------------------------------------------------- catalogue, staff


def test_catalogue_by_level(fixture_db: Path) -> None:
    """huyen TT01–TT04, TT10; xa TT07–TT09; nganh_doc TT05, TT06, TT11."""
    got = d.catalogue_by_level(Y2019, fixture_db).set_index("level")
    assert got["procedures"].to_dict() == {"huyen": 5, "xa": 3, "nganh_doc": 3}
    assert got["procedures_cut"].to_dict() == {"huyen": 2, "xa": 1, "nganh_doc": 2}
    assert got.loc["xa", "procedures_online_toan_trinh"] == 1  # TT08
    assert got.loc["huyen", "procedures_at_one_stop"] == 4  # TT04 is not at the desk


def test_ratings_by_sector_against_previous_year(fixture_db: Path) -> None:
    """2019 hành chính S1+S2+S3: 28 of 40; 2018 S6: 5 of 10. Sự nghiệp S4+S5: 25 of 40;
    2018 S7: 10 of 20. The shares equal the KPIs."""
    got = d.ratings_by(Y2019, "sector", fixture_db).set_index("key")
    assert got.loc["hanh_chinh", ["rated", "excellent", "good"]].tolist() == [40, 6, 22]
    assert got.loc["hanh_chinh", "good_or_better_rate"] == 28 / 40
    assert got.loc["hanh_chinh", "previous_rate"] == 5 / 10
    assert got.loc["su_nghiep", "good_or_better_rate"] == 25 / 40
    k = compute(Y2019, ["staff_good_or_better_rate_service"], fixture_db)
    assert k["staff_good_or_better_rate_service"].value == 25 / 40


def test_inspections_by_unit(fixture_db: Path) -> None:
    """2019: commune 00001 K01+K02 (both surprise, 4 violations, 3 fixed), agency CM01
    K05+K06; SN02 (K09) drops out under a commune filter."""
    got = d.inspections_by_unit(Y2019, fixture_db)
    first = got.iloc[0]
    assert (first["unit_kind"], first["unit_code"], first["inspections"]) == ("xa", "00001", 2)
    assert (first["surprise"], first["violations"], first["violations_fixed"]) == (2, 4, 3)
    assert got["inspections"].sum() == 9
    narrowed = d.inspections_by_unit(Filters.year(2019, ("00002",)), fixture_db)
    assert sorted(narrowed["unit_code"]) == ["00002", "UX02"]  # K03 and K08


# --------------------------------------------------------------------------- page-ready rows
# A breakdown comes back as its page shows it: complete, in the product's order, with its
# derived columns. Each test below fails if that reshaping were left to the page.

MARCH_TO_DECEMBER = Filters(date(2019, 3, 1), date(2019, 12, 31))


def reversed_rows(fn):
    """`fn`'s rows in reverse order: an ordering done downstream must not depend on them."""

    def wrapped(*args, **kwargs):
        return fn(*args, **kwargs).iloc[::-1].reset_index(drop=True)

    return wrapped


def test_receptions_by_kind_lists_every_kind_with_zeros(fixture_db: Path) -> None:
    """Commune 00001 at level xa in 2019 held only scheduled receptions (R12–R15: 4 days,
    citizens 2+1+3+2 = 8, cases 1+0+1+2 = 4): the ad hoc and regular-desk kinds are rows of
    whole zeros, in the contract's order."""
    got = d.receptions_by_kind(Filters.year(2019, ("00001",), "xa"), fixture_db)
    assert got.values.tolist() == [
        ["dinh_ky", 4, 8, 4, 0],
        ["dot_xuat", 0, 0, 0, 0],
        ["thuong_xuyen", 0, 0, 0, 0],
    ]
    assert str(got["reception_rows"].dtype) == "int64"  # a CSV reads 0, not 0.0


def test_receptions_by_host_in_contract_order(fixture_db: Path, monkeypatch) -> None:
    """2019 by host: chairman R01–R06, R08, R12–R16, R18, R20 (14); vice-chairman R07, R17
    (2); the citizen reception board R09 (1). No delegated host: not listed. The order is
    the contract's whatever order the query returns."""
    got = d.receptions_by_host(Y2019, fixture_db)
    assert got[["key", "reception_rows"]].values.tolist() == [
        ["chu_tich", 14],
        ["pho_chu_tich", 2],
        ["ban_tiep_cong_dan", 1],
    ]
    monkeypatch.setattr(d, "receptions_by", reversed_rows(d.receptions_by))
    again = d.receptions_by_host(Y2019, fixture_db)
    assert again["key"].tolist() == ["chu_tich", "pho_chu_tich", "ban_tiep_cong_dan"]


def test_receptions_by_commune_most_days_first_without_district_rows(fixture_db: Path) -> None:
    """2019-03-01..12-31: 00002 R16, R17 (2); 00001 R15, 00003 R18, 00004 R20 (1 each, by
    code). The district's R05–R09 name no commune and are left out: 5 + 5 = all 10."""
    got = d.receptions_by_commune(MARCH_TO_DECEMBER, fixture_db)
    assert got[["key", "reception_rows"]].values.tolist() == [
        ["00002", 2],
        ["00001", 1],
        ["00003", 1],
        ["00004", 1],
    ]
    assert got["reception_rows"].sum() + 5 == 10
    assert d.receptions_by(MARCH_TO_DECEMBER, "kind", fixture_db)["reception_rows"].sum() == 10


def test_receptions_by_month_one_column_per_kind(fixture_db: Path) -> None:
    """January: scheduled R01, R02, R12, R13 (R11 is 2018-12-31); April: scheduled R07, ad hoc
    R08, R20; December: scheduled R16, regular desk R09. The kinds add up to 14 / 2 / 1."""
    got = d.receptions_by_month_kind(Y2019, fixture_db).set_index("month")
    assert list(got.columns) == ["dinh_ky", "dot_xuat", "thuong_xuyen"]
    assert len(got) == 12
    assert got.loc["2019-01"].tolist() == [4, 0, 0]
    assert got.loc["2019-04"].tolist() == [1, 2, 0]
    assert got.loc["2019-12"].tolist() == [1, 0, 1]
    assert got.sum().tolist() == [14, 2, 1]


def test_upper_chair_matrix_and_months_below(fixture_db: Path) -> None:
    """District 2019: January 2 of 2 days, February 1 of 2 (R03, R04 on one date), March 2
    of 2, then none: ten months below the minimum, February first."""
    grid = d.district_chair_grid(Y2019, fixture_db)
    matrix = d.upper_chair_matrix(grid)
    assert (matrix.by, matrix.rows, len(matrix.columns)) == ("month", [None], 12)
    assert matrix.columns[:2] == ["2019-01", "2019-02"]
    assert matrix.cells[0][:4] == [
        d.Cell(2, 2, True, 1),
        d.Cell(1, 2, False, 0.5),
        d.Cell(2, 2, True, 1),
        d.Cell(0, 2, False, 0),
    ]
    below = d.months_below(grid)
    assert below == ["2019-02"] + [f"2019-{m:02d}" for m in range(4, 13)]


def test_upper_chair_matrix_caps_the_colour_at_the_minimum() -> None:
    """3 days of a minimum of 2 colour the cell full (1, not 1.5); a month asking 0 is full."""
    grid = pd.DataFrame(
        {"month": ["2019-01", "2019-02"], "days": [3, 0], "required": [2, 0], "meets": [True] * 2}
    )
    assert [c.share for c in d.upper_chair_matrix(grid).cells[0]] == [1, 1]


def test_commune_chair_matrix_by_month_and_by_week(fixture_db: Path) -> None:
    """By month: 00001 met 1 of January's 5 weeks (W01) and 1 of February's 3 (W09; the Tết
    week is no cell). By week: 51 columns from Monday 2018-12-31; 00001 held 3 days in W01
    (R11, R12, R13), 00002 none."""
    grid = d.commune_chair_grid(Y2019, fixture_db)
    months = d.commune_chair_matrix(grid, "month")
    assert months.rows == ["00001", "00002", "00003", "00004"]
    assert months.columns == [f"2019-{m:02d}" for m in range(1, 13)]
    assert months.cells[0][:2] == [d.Cell(1, 5, False, 1 / 5), d.Cell(1, 3, False, 1 / 3)]
    weeks = d.commune_chair_matrix(grid, "week")
    assert (len(weeks.columns), weeks.columns[0]) == (51, date(2018, 12, 31))
    assert weeks.cells[0][0] == d.Cell(3, 1, True, 1.0)
    assert weeks.cells[1][0] == d.Cell(0, 1, False, 0.0)


def test_commune_chair_matrix_leaves_a_week_before_a_commune_existed_empty() -> None:
    """Commune B has a cell only in the second week: its first one is None, not 0."""
    w1, w2 = date(2025, 6, 23), date(2025, 6, 30)
    grid = pd.DataFrame(
        {
            "commune_code": ["A", "A", "B"],
            "week": [w1, w2, w2],
            "month": ["2025-06", "2025-07", "2025-07"],
            "days": [1, 0, 2],
            "required": [1, 1, 1],
            "meets": [True, False, True],
        }
    )
    got = d.commune_chair_matrix(grid, "week")
    assert (got.rows, got.columns) == (["A", "B"], [w1, w2])
    assert got.cells == [
        [d.Cell(1, 1, True, 1.0), d.Cell(0, 1, False, 0.0)],
        [None, d.Cell(2, 1, True, 1.0)],
    ]


def test_commune_cadence_per_commune_and_the_communes_below(fixture_db: Path) -> None:
    """51 weeks each in 2019; met: 00001 3 (W01, W09, W10), 00003 1 (R18), the others 0.
    Lowest share first, ties by code; the warning lists the most weeks missed first."""
    per_commune = d.commune_chair_by_commune(d.commune_chair_grid(Y2019, fixture_db))
    assert per_commune[["commune_code", "weeks", "weeks_met", "weeks_missed"]].values.tolist() == [
        ["00002", 51, 0, 51],
        ["00004", 51, 0, 51],
        ["00003", 51, 1, 50],
        ["00001", 51, 3, 48],
    ]
    assert per_commune["rate"].tolist() == [0, 0, 1 / 51, 3 / 51]
    assert d.communes_below(per_commune) == [
        ("00002", 51),
        ("00004", 51),
        ("00003", 50),
        ("00001", 48),
    ]


def test_communes_below_sorts_by_weeks_missed_not_by_share() -> None:
    """A missed 5 of 10 weeks (50%), B 3 of 4 (25%), C none: A is named first although B's
    share is lower; C is not named."""
    per_commune = pd.DataFrame(
        {"commune_code": ["B", "A", "C"], "weeks": [4, 10, 3], "weeks_met": [1, 5, 3]}
    ).assign(weeks_missed=[3, 5, 0], rate=[0.25, 0.5, 1.0])
    assert d.communes_below(per_commune) == [("A", 5), ("B", 3)]


def test_dialogues_table_order_and_communes_without(fixture_db: Path) -> None:
    """2019: 00004 held no commune dialogue (only the district's D02) and comes first; then
    the most dialogues: 00001 (D03, D04), then 00002 (D05) and 00003 (D08) by code."""
    got = d.dialogues_by_commune(Y2019, fixture_db)
    assert got["commune_code"].tolist() == ["00004", "00001", "00002", "00003"]
    assert d.communes_without_dialogue(got) == ["00004"]
    # Per dialogue: 00004 80 (D02), 00001 (50+30)/2 = 40, 00002 40, 00003 20.
    ranked = d.dialogues_ranked(got)
    assert ranked["commune_code"].tolist() == ["00004", "00001", "00002", "00003"]
    assert ranked["attendees_per_dialogue"].tolist() == [80, 40, 40, 20]


def test_dialogues_ranked_leaves_out_communes_without_any(fixture_db: Path) -> None:
    """March 2019: 00001 D04 (30), 00002 D05 (40); 00003 and 00004 held none and are not
    ranked, though the table lists all four, both of them as without a dialogue."""
    got = d.dialogues_by_commune(Filters(date(2019, 3, 1), date(2019, 3, 31)), fixture_db)
    assert len(got) == 4
    assert d.dialogues_ranked(got)["commune_code"].tolist() == ["00002", "00001"]
    assert d.communes_without_dialogue(got) == ["00003", "00004"]


def test_no_commune_is_without_dialogue_when_the_level_leaves_them_out(fixture_db) -> None:
    """level=huyen: whether a commune held a dialogue does not apply (None), so none is
    named as without one."""
    got = d.dialogues_by_commune(Filters.year(2019, level="huyen"), fixture_db)
    assert got["held_commune_dialogue"].isna().all()
    assert d.communes_without_dialogue(got) == []


@pytest.mark.parametrize(
    ("key", "form", "numbers", "words"),
    [
        ("within", "within", {"n": 7}, "Còn hạn (trên 7 ngày)"),
        ("due_soon", "due_soon", {"n": 7}, "Đến hạn trong 7 ngày"),
        ("late_1_30", "late_range", {"low": 1, "high": 30}, "Quá hạn 1–30 ngày"),
        ("late_91_365", "late_range", {"low": 91, "high": 365}, "Quá hạn 91–365 ngày"),
        ("late_366_plus", "late_over", {"n": 365}, "Quá hạn trên 365 ngày"),
        ("no_deadline", "no_deadline", {}, "Không có hạn luật định"),
    ],
)
def test_bucket_labels_at_their_edges(key: str, form: str, numbers: dict, words: str) -> None:
    """'Within' starts at 8 days left, so it reads "over 7"; the open band starts at 366
    days late, so it reads "over 365"; a closed band names its first and last day."""
    from views.i18n import t

    assert d.bucket_label(key) == (form, numbers)
    assert t(f"bucket_{form}", "vi", **numbers) == words


def test_dossier_ageing_has_no_no_deadline_bucket(fixture_db: Path) -> None:
    """Every dossier has a promised date: the buckets are the six with a deadline, in order
    (H06, H08 due soon; H07 1 day late; H09 53 days late)."""
    got = d.dossier_ageing(Y2019, fixture_db)
    assert got["bucket"].tolist() == [b for b, _, _ in d.ageing_buckets()[:-1]]
    assert got["count"].tolist() == [0, 2, 1, 1, 0, 0]


def test_timeliness_by_agency_names_agencies(fixture_db: Path) -> None:
    """Agencies are named from the lookup; the group of procedures without an agency has no
    name (the page words it)."""
    got = d.dossier_timeliness(Y2019, "agency", fixture_db)
    named = got[got["key"].notna()].set_index("key")["name"]
    assert named["CM01"] == "Phòng Tư pháp"
    assert named["ND01"] == "Chi nhánh Văn phòng Đăng ký đất đai"
    no_agency = got[got["key"].isna()]
    assert len(no_agency) == 1 and pd.isna(no_agency["name"].iloc[0])


def test_missing_apologies(fixture_db: Path) -> None:
    """2019: only ND01's H04 was late without an apology slip (H02 and H11 had one)."""
    got = d.missing_apologies(d.dossier_timeliness(Y2019, "agency", fixture_db))
    assert got[["key", "late_without_apology", "dossiers_late"]].values.tolist() == [["ND01", 1, 1]]


def test_missing_apologies_most_first_then_most_late() -> None:
    """B 2 without a slip; C and A 1 each, C with more late dossiers; D none: not listed."""
    timeliness = pd.DataFrame(
        {
            "key": ["A", "B", "C", "D"],
            "late_without_apology": [1, 2, 1, 0],
            "dossiers_late": [3, 2, 5, 4],
        }
    )
    assert d.missing_apologies(timeliness)["key"].tolist() == ["B", "C", "A"]


def test_ratings_change_in_points(fixture_db: Path) -> None:
    """Hành chính 28/40 against 5/10: (0.7 − 0.5) × 100 = +20 points; sự nghiệp 25/40 against
    10/20: +12.5. UX02 was not rated in 2018: no change."""
    sectors = d.ratings_by(Y2019, "sector", fixture_db).set_index("key")["change"]
    assert sectors["hanh_chinh"] == pytest.approx(20)
    assert sectors["su_nghiep"] == pytest.approx(12.5)
    agencies = d.ratings_by(Y2019, "agency", fixture_db).set_index("key")["change"]
    assert pd.isna(agencies["UX02"])


def test_ratings_by_sector_shares_in_sector_order(fixture_db: Path, monkeypatch) -> None:
    """Hành chính 2019 (S1–S3): excellent 2+3+1 = 6, good 6+12+4 = 22, completed 2+4+4 = 10,
    not completed 0+1+1 = 2, of 40. The sectors keep their declared order."""
    got = d.ratings_by_sector(Y2019, fixture_db).set_index("key")
    shares = [f"{lv}_share" for lv in d.RATING_LEVELS]
    assert got.loc["hanh_chinh", shares].tolist() == pytest.approx([0.15, 0.55, 0.25, 0.05])
    monkeypatch.setattr(d, "ratings_by", reversed_rows(d.ratings_by))
    assert d.ratings_by_sector(Y2019, fixture_db)["key"].tolist() == ["hanh_chinh", "su_nghiep"]


def test_ratings_by_agency_lowest_share_first_with_names(fixture_db: Path) -> None:
    """2019 good or better: SN02 4/10, UX02 5/10, SN01 21/30, UX01 15/20, CM01 8/10. CM01
    and SN01 were rated in 2018 (5/10, 10/20): +30 and +20 points."""
    got = d.ratings_by_agency(Y2019, fixture_db)
    assert got["key"].tolist() == ["SN02", "UX02", "SN01", "UX01", "CM01"]
    assert got["good_or_better_rate"].tolist() == pytest.approx([0.4, 0.5, 0.7, 0.75, 0.8])
    assert got["name"].tolist() == [
        "Trung tâm Y tế huyện",
        "UBND Thị trấn Hai",
        "Trường THCS Thị trấn Hai",
        "UBND Xã Một",
        "Phòng Tư pháp",
    ]
    assert got["agency_kind"].tolist() == [
        "su_nghiep",
        "ubnd_xa",
        "su_nghiep",
        "ubnd_xa",
        "chuyen_mon",
    ]
    assert got["label"].tolist() == got["name"].tolist()  # every name fits 34 characters
    change = got.set_index("key")["change"]
    assert change["CM01"] == pytest.approx(30)
    assert change["SN01"] == pytest.approx(20)


def test_short_labels_cut_long_names_and_keep_them_apart() -> None:
    """At 10 characters "Phòng Tài nguyên" and "Phòng Tài chính" both cut to "Phòng Tài…"
    and take their codes; at 7 the space before the cut goes."""
    got = d.short_labels(["Phòng Tài nguyên", "Phòng Tài chính", "Xã Một"], ["A1", "A2", "X1"], 10)
    assert got == ["Phòng Tài… (A1)", "Phòng Tài… (A2)", "Xã Một"]
    assert d.short_labels(["Phòng Tư pháp"], ["CM01"], 7) == ["Phòng…"]


def test_ratings_by_year_share_of_each_year(fixture_db: Path) -> None:
    """2018 hành chính S6 5/10, sự nghiệp S7 10/20; 2019 28/40 and 25/40."""
    got = d.ratings_by_year(Filters(date(2018, 1, 1), date(2019, 12, 31)), "sector", fixture_db)
    rates = {(y, k): r for y, k, r in got[["year", "key", "good_or_better_rate"]].values}
    assert rates == {
        (2018, "hanh_chinh"): 0.5,
        (2018, "su_nghiep"): 0.5,
        (2019, "hanh_chinh"): 0.7,
        (2019, "su_nghiep"): 0.625,
    }


def test_inspections_by_unit_derived_columns(fixture_db: Path) -> None:
    """00001 K01+K02 both surprise (0 planned), 3 of 4 fixed; 00003 K04 found nothing (no
    share); ND01 K07 planned, 0 of 1 fixed; agencies named, communes left to the view."""
    got = d.inspections_by_unit(Y2019, fixture_db).set_index("unit_code")
    assert got.loc["00001", ["planned", "fixed_rate"]].tolist() == [0, 0.75]
    assert got.loc["00002", ["planned", "fixed_rate"]].tolist() == [1, 0.0]
    assert pd.isna(got.loc["00003", "fixed_rate"])
    assert got.loc["ND01", ["planned", "fixed_rate"]].tolist() == [1, 0.0]
    assert got.loc["ND01", "name"] == "Chi nhánh Văn phòng Đăng ký đất đai"
    assert pd.isna(got.loc["00001", "name"])
    communes = d.inspected_communes(got.reset_index())
    assert communes["unit_code"].tolist() == ["00001", "00002", "00003"]  # K04 last: 0 found


# --------------------------------------------------------------------------- petitions sections


class _View:
    """The little of a page's view the section drawing reads."""

    def __init__(self) -> None:
        self.lang, self.filters = "vi", Y2019
        self.communes: dict[str, str] = {}
        self.unit_names: dict[str, str] = {}

    def commune_name(self, code: str) -> str:
        return code


def test_petition_ageing_chart_leaves_out_kinds_with_nothing_open(
    fixture_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2019: no tố cáo is open, so the chart has two series, khiếu nại (P10, P12, P13, P14,
    P24 by bucket) and kiến nghị (P08, P21 without a deadline); a declaration without
    `skip_empty` keeps all three."""
    from views import sections
    from views.downloads import Col

    drawn: list[list[dict]] = []
    monkeypatch.setattr(sections.charts, "bars", lambda cats, series, *a, **k: drawn.append(series))
    monkeypatch.setattr(sections, "show_chart", lambda *a, **k: None)
    frame = d.ageing_by_bucket(d.petition_ageing(Y2019, fixture_db))
    kinds = [sections.Series(k, f"petition_kind_{k}") for k in d.PETITION_KINDS]
    bucket = Col("bucket", "col_deadline_bucket", "bucket")
    page = sections.Page(_View(), "petitions")
    page.bars(
        frame,
        sections.Bars(
            "a", "pt_ageing_title", "unit_open_petitions", bucket, *kinds, skip_empty=True
        ),
        date="31/12/2019",
    )
    page.bars(
        frame,
        sections.Bars("b", "pt_ageing_title", "unit_open_petitions", bucket, *kinds),
        date="31/12/2019",
    )
    assert [s["name"] for s in drawn[0]] == ["Khiếu nại", "Kiến nghị, phản ánh"]
    assert [s["values"] for s in drawn[0]] == [[0, 1, 1, 1, 0, 1, 1], [0, 0, 0, 0, 0, 0, 2]]
    assert [s["name"] for s in drawn[1]] == ["Khiếu nại", "Tố cáo", "Kiến nghị, phản ánh"]


def test_table_bucket_column_reads_as_words_and_keeps_its_cap(
    fixture_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `bucket` column of a table shows each bucket in words, as the chart reads; the
    declared height and on-screen row cap reach the table."""
    from views import sections
    from views.downloads import Col

    shown: list[tuple] = []
    monkeypatch.setattr(
        sections, "show_table", lambda df, cols, lang, **k: shown.append((df, cols, k))
    )
    frame = d.ageing_by_bucket(d.petition_ageing(Y2019, fixture_db))
    spec = sections.Table(
        "tbl_ageing",
        "pt_ageing",
        Col("bucket", "col_deadline_bucket", "bucket"),
        Col("total", "col_total", "count"),
        height=420,
        max_rows=3,
    )
    sections.Page(_View(), "petitions").table(frame, spec)
    df, cols, kwargs = shown[0]
    assert df["bucket"].tolist() == [
        "Còn hạn (trên 7 ngày)",
        "Đến hạn trong 7 ngày",
        "Quá hạn 1–30 ngày",
        "Quá hạn 31–90 ngày",
        "Quá hạn 91–365 ngày",
        "Quá hạn trên 365 ngày",
        "Không có hạn luật định",
    ]
    assert [(c.key, c.kind) for c in cols] == [("bucket", "text"), ("total", "count")]
    assert (kwargs["height"], kwargs["max_rows"]) == (420, 3)

"""KPI cards from registers and report forms together (metrics.combined).

Two small warehouses on the communes of tests/test_profiles.py (Việt Quang 01153, Tân
Quang 01156, Hùng An 01159, district 034), every expected value counted by hand below.

Petitions (H1/2024). Registers for Tân Quang only:
  T1 received 10/12/2023, open at 01/01, resolved 20/01 (due 11/01: late)
  T2 received 01/02, resolved 01/03 (due 03/03: on time)
  T3 received 05/03, open        T4 received 02/04, not eligible (not active)
  T5 received 10/05, resolved 15/07 (after the period)
  -> received 4; to resolve (active, open at 01/01 or received since) T1 T2 T3 T5 = 4,
     resolved by 30/06 T1 T2 = 2: 2/4; on time 1 of 2 resolved with a due date.
The forms workbook of test_profiles.py, imported as import 1: 01/XLD H1/2024 for Hùng An
(258 to handle = 34 + 224, 242 resolved = 230 + 12) and Tân Quang (10 to handle, 8
resolved: Tân Quang keeps registers, so they win); II.06a Q1/2024 for Việt Quang (35
resolved, 20 early + 12 on the due date, 1 overdue in progress at 31/03).

Receptions (Q1/2024), in `_receptions_db`.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from opening import open_definitions
from streamlit.testing.v1 import AppTest

from data.build import build_warehouse
from data.importer import import_with_profile
from metrics import combined, engine, reported
from metrics.engine import Filters
from tests.test_profiles import BASE, _forms_book

ROOT = Path(__file__).resolve().parents[1]
H1 = (date(2024, 1, 1), date(2024, 6, 30))
Q1 = (date(2024, 1, 1), date(2024, 3, 31))
FILE = "Bao_cao_6_thang_2024.xlsx"

PETITIONS = (
    "petition_id,received_date,level,commune_code,kind,eligible,due_date,resolved_date\n"
    "T1,2023-12-10,xa,01156,khieu_nai,true,2024-01-11,2024-01-20\n"
    "T2,2024-02-01,xa,01156,khieu_nai,true,2024-03-03,2024-03-01\n"
    "T3,2024-03-05,xa,01156,kien_nghi_phan_anh,true,,\n"
    "T4,2024-04-02,xa,01156,khieu_nai,false,,\n"
    "T5,2024-05-10,xa,01156,to_cao,true,,2024-07-15\n"
)


def _folder(root: Path, extra: dict[str, str]) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name, body in {**BASE, **extra}.items():
        (root / name).write_text(body, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def forms_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tân Quang's petition registers, then the forms workbook imported (import 1)."""
    tmp = tmp_path_factory.mktemp("combined")
    db = tmp / "wh.duckdb"
    build_warehouse(_folder(tmp / "csv", {"petitions.csv": PETITIONS}), db)
    res = import_with_profile([_forms_book(tmp / FILE)], "forms", db)
    assert res.ok, res.faults
    return db


def _run(db: Path, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("DANVAN_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _petitions_h1(db: Path, monkeypatch, commune: str | list[str], **params) -> AppTest:
    """The Đơn thư page over the first half of 2024 for `commune`."""
    h1 = {"from": "2024-01-01", "to": "2024-06-30", "commune": commune}
    return _run(db, monkeypatch, "views/petitions.py", **h1, **params)


def _card(at: AppTest, kpi_id: str) -> tuple[str, list[str]]:
    """A KPI card's value and its own captions (not the popover's), shown unescaped."""

    def find(node):
        for child in getattr(node, "children", {}).values():
            pid = getattr(getattr(child, "proto", None), "id", "")
            if type(child).__name__ == "Block" and str(pid).endswith(f"-kpi-{kpi_id}"):
                return child
            if (got := find(child)) is not None:
                return got
        return None

    block = find(at.main)
    assert block is not None, f"no card {kpi_id}"
    kids = list(block.children.values())
    value = next(k.value for k in kids if type(k).__name__ == "Metric")
    captions = [k.value.replace("\\", "") for k in kids if type(k).__name__ == "Caption"]
    return value, captions


# ----------------------------------------------------------------------------- the cards


def test_form_only_commune_card_shows_the_forms_rate_and_file(forms_db, monkeypatch):
    """(a) Hùng An keeps no registers: its card is the 01/XLD's 242/258, from the file."""
    at = _petitions_h1(forms_db, monkeypatch, "01159")
    value, captions = _card(at, "petitions_resolution_rate")
    assert value == "93,80%"  # 242 / 258 = 0.93798
    assert "242 / 258" in captions
    assert f"Nguồn: biểu báo cáo (tệp {FILE}, lần nhập 1)" in captions
    value, captions = _card(at, "petitions_received")
    assert value == "224"  # column (5), not (3) 258
    assert f"Nguồn: biểu báo cáo (tệp {FILE}, lần nhập 1)" in captions
    # The popover names the unit, the form and its period.
    open_definitions(at, "petitions_resolution_rate")
    assert any(
        "Xã Hùng An · Biểu số 01/XLD · 01/01/2024 – 30/06/2024" in m.value.replace("\\", "")
        for m in at.markdown
    )


def test_form_only_commune_undetermined_card_is_a_dash_with_the_reason(forms_db, monkeypatch):
    """(d) The form has no count resolved on time: '—' and why, never 0%."""
    at = _petitions_h1(forms_db, monkeypatch, "01159")
    value, captions = _card(at, "petitions_on_time_rate")
    assert value == "—"
    assert (
        "không xác định từ số liệu tổng hợp (biểu không có số đơn giải quyết đúng hạn)" in captions
    )
    value, captions = _card(at, "petitions_overdue_open")
    assert value == "—"  # a count the form does not hold: not 0
    assert "không xác định từ số liệu tổng hợp (biểu không có số liệu này)" in captions


def test_mixed_selection_adds_numerators_and_denominators(forms_db, monkeypatch):
    """(b) Tân Quang's registers 2/4 and Hùng An's form 242/258: (2 + 242) / (4 + 258),
    not the mean of 50% and 93.80%; a KPI the form lacks covers Tân Quang only."""
    at = _petitions_h1(forms_db, monkeypatch, ["01156", "01159"])
    value, captions = _card(at, "petitions_resolution_rate")
    assert value == "93,13%"  # 244 / 262 = 0.93130 (the mean of rates would be 71,90%)
    assert "244 / 262" in captions
    assert f"Nguồn: sổ sách và biểu báo cáo (tệp {FILE}, lần nhập 1)" in captions
    value, _ = _card(at, "petitions_received")
    assert value == "228"  # 4 + 224
    value, captions = _card(at, "petitions_on_time_rate")
    assert value == "50,00%"  # T2 of T1, T2
    assert "1 / 2" in captions
    assert (
        "Nguồn: sổ sách · chỉ tính các đơn vị có sổ sách; 1 đơn vị chỉ có biểu báo cáo "
        "không được tính"
    ) in captions


def test_registers_win_where_both_exist_and_the_data_page_shows_the_gap(forms_db, monkeypatch):
    """(c) Tân Quang has registers and a form: the card is the registers' 2/4 (adding the
    form's 8/10 would give 10/14 = 71,43%); the Dữ liệu page still shows the difference."""
    params = {"from": "2024-01-01", "to": "2024-06-30", "commune": "01156"}
    at = _run(forms_db, monkeypatch, "views/petitions.py", **params)
    value, captions = _card(at, "petitions_resolution_rate")
    assert value == "50,00%"
    assert "2 / 4" in captions
    assert "Nguồn: sổ sách" in captions
    assert not any("biểu báo cáo" in c for c in captions)
    at = _run(forms_db, monkeypatch, "views/data_page.py", **params, tab="coverage")
    warnings = [w.value.replace("\\", "") for w in at.warning]
    # (15) resolved first round: the form's 8 against T1 and T2 in the registers
    assert any(
        "số liệu báo cáo lệch sổ sách: Xã Tân Quang" in w
        and "cột (15) Đã giải quyết lần đầu: báo cáo 8, sổ sách 2" in w
        for w in warnings
    ), warnings


def test_procedures_page_of_a_form_only_commune(forms_db, monkeypatch):
    """Việt Quang files only II.06a (Q1): its cards show the form's 35 resolved and 32/35
    on time; the charts and lists of dossiers, which need the dossiers, say there are none."""
    at = _run(
        forms_db,
        monkeypatch,
        "views/procedures.py",
        **{"from": "2024-01-01", "to": "2024-03-31", "commune": "01153"},
    )
    assert _card(at, "dossiers_resolved")[0] == "35"
    value, captions = _card(at, "dossiers_on_time_rate")
    assert value == "91,43%"  # (20 + 12) / 35
    assert "32 / 35" in captions
    assert "Không có dữ liệu cho bộ lọc này." not in [i.value for i in at.info]
    for tab in ("months", "ageing", "communes", "worst"):
        at = _run(
            forms_db,
            monkeypatch,
            "views/procedures.py",
            **{"from": "2024-01-01", "to": "2024-03-31", "commune": "01153", "tab": tab},
        )
        assert "Không có dữ liệu cho bộ lọc này." in [i.value for i in at.info], tab
        assert not at.get("plotly_chart"), tab


def test_source_line_in_english(forms_db, monkeypatch):
    at = _petitions_h1(forms_db, monkeypatch, ["01156", "01159"], lang="en")
    _, captions = _card(at, "petitions_resolution_rate")
    assert f"Source: registers and report forms (file {FILE}, import 1)" in captions
    _, captions = _card(at, "petitions_on_time_rate")
    assert (
        "Source: registers · covers only the units with registers; 1 units with only "
        "report forms left out"
    ) in captions


def test_register_only_warehouse_cards_say_registers(fixture_db, monkeypatch):
    at = _run(fixture_db, monkeypatch, "views/petitions.py", year="2019")
    for kpi_id in ("petitions_received", "petitions_resolution_rate"):
        _, captions = _card(at, kpi_id)
        assert "Nguồn: sổ sách" in captions, kpi_id


# ----------------------------------------------------------------------------- metrics


def test_no_form_figures_gives_the_engine_results_unchanged(fixture_db, monkeypatch):
    """(e) Without reported_figures: one look at the table, then exactly the engine's
    results (no form is read, no source is set)."""

    def no_forms(*_args, **_kwargs):
        raise AssertionError("forms read in a warehouse without them")

    monkeypatch.setattr(reported, "figures", no_forms)
    f = Filters.year(2019)
    periods = {"current": f, "previous": f.previous()}
    got = combined.compute_periods(f, periods, None, fixture_db)
    assert got == engine.compute_periods(f, periods, None, fixture_db)
    assert all(r.source is None for p in got.values() for r in p.values())
    assert reported.has_figures(fixture_db) is False


def test_stock_at_the_period_end_needs_a_form_ending_there(forms_db):
    """Việt Quang's II.06a is of Q1: over Q1 its 1 overdue dossier in progress counts;
    over H1 that count is of 31/03, not 30/06, so it is not the period's figure, while
    the flows (35 resolved, 32 on time) still are."""
    q1 = combined.compute(Filters(*Q1, ("01153",)), None, forms_db)
    assert q1["dossiers_overdue_open"].value == 1
    assert q1["dossiers_overdue_open"].source.kind == combined.FORMS
    h1 = combined.compute(Filters(*H1, ("01153",)), None, forms_db)
    assert h1["dossiers_resolved"].value == 35
    r = h1["dossiers_on_time_rate"]
    assert (r.numerator, r.denominator) == (32, 35)
    assert h1["dossiers_early_rate"].numerator == 20
    overdue = h1["dossiers_overdue_open"]
    assert overdue.value is None
    assert overdue.source.reason == reported.END_BEFORE_TO
    assert overdue.source.units_left_out == 1


def test_overlapping_forms_of_one_unit_count_once(tmp_path):
    """Hùng An filed H1 and both quarters: the quarters (as many days, finer) count, H1
    does not; a lone January beside H1 loses to H1's 182 days."""
    rows = [
        # H1: (4) 34 carried over, (5) 224 received, (15) 230 + (16) 12 resolved
        ("2024-01-01", "2024-06-30", {4: 34, 5: 224, 15: 230, 16: 12}),
        # Q1: 34 carried, 100 received, 90 + 5 resolved; Q2: 39 carried, 124, 140 + 7
        ("2024-01-01", "2024-03-31", {4: 34, 5: 100, 15: 90, 16: 5}),
        ("2024-04-01", "2024-06-30", {4: 39, 5: 124, 15: 140, 16: 7}),
    ]
    db = _figures_db(tmp_path, [("01159", "xa", "xld01", a, b, v) for a, b, v in rows])
    r = combined.compute(Filters(*H1, ("01159",)), ["petitions_resolution_rate"], db)[
        "petitions_resolution_rate"
    ]
    # to handle: Q1's carried-over 34 + received 100 + 124 = 258; resolved 95 + 147 = 242
    assert (r.numerator, r.denominator) == (242, 258)
    assert [(p.period_from, p.period_to) for p in r.source.forms] == [Q1, (date(2024, 4, 1), H1[1])]
    assert reported.reported_kpis(Filters(*H1, ("01159",)), db)["petitions_resolved"].value == 242

    jan = [("01159", "xa", "xld01", "2024-01-01", "2024-01-31", {4: 34, 5: 40, 15: 30, 16: 0})]
    db = _figures_db(tmp_path / "b", [("01159", "xa", "xld01", *rows[0]), *jan])
    r = combined.compute(Filters(*H1, ("01159",)), ["petitions_resolution_rate"], db)[
        "petitions_resolution_rate"
    ]
    assert (r.numerator, r.denominator) == (242, 258)


def _figures_db(tmp_path: Path, rows, extra: dict[str, str] | None = None) -> Path:
    """BASE plus reported_figures rows (unit, level, form, from, to, {column: value})."""
    lines = ["unit_code,level,period_from,period_to,form,column_no,value,source_file,source_sha256"]
    for unit, level, form, a, b, values in rows:
        for no, v in values.items():
            lines.append(f"{unit},{level},{a},{b},{form},{no},{v},{form}_{unit}_{a}.xlsx,")
    files = {"reported_figures.csv": "\n".join(lines) + "\n", **(extra or {})}
    db = tmp_path / "figures.duckdb"
    build_warehouse(_folder(tmp_path / "csv", files), db)
    return db


# Receptions in Q1/2024 (13 ISO weeks whose Thursday lies in it, 04/01 to 28/03, each with
# a working day even around Tết). Registers: Việt Quang's chairman on Thursdays 04/01,
# 11/01, 01/02 (3 weeks; 3 + 2 + 4 citizens); the district chairman on 05/03 and 19/03
# (March meets the 2-days rule; 5 + 6 citizens). Forms only: Hùng An 01/TCD for Q1 (12
# sessions, 40 citizens); the district's January (2 sessions: met) and February (1: not
# met), 10 and 7 citizens; its Q2 form (a quarter: cannot tell its months).
RECEPTIONS = (
    "reception_id,reception_date,level,commune_code,host,kind,citizens,cases\n"
    "V1,2024-01-04,xa,01153,chu_tich,dinh_ky,3,1\n"
    "V2,2024-01-11,xa,01153,chu_tich,dinh_ky,2,1\n"
    "V3,2024-02-01,xa,01153,chu_tich,dinh_ky,4,2\n"
    "D1,2024-03-05,huyen,,chu_tich,dinh_ky,5,2\n"
    "D2,2024-03-19,huyen,,chu_tich,dinh_ky,6,3\n"
)
TCD = [
    ("01159", "xa", "tcd01", "2024-01-01", "2024-03-31", {9: 12, 19: 40, 20: 15}),
    ("034", "huyen", "tcd01", "2024-01-01", "2024-01-31", {9: 2, 19: 10, 20: 4}),
    ("034", "huyen", "tcd01", "2024-02-01", "2024-02-29", {9: 1, 19: 7, 20: 3}),
    ("034", "huyen", "tcd01", "2024-04-01", "2024-06-30", {9: 6, 19: 20, 20: 8}),
]


@pytest.fixture(scope="module")
def receptions_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("receptions")
    return _figures_db(tmp, TCD, {"receptions.csv": RECEPTIONS})


def test_counts_add_the_forms_of_form_only_units(receptions_db):
    got = combined.compute(Filters(*Q1), None, receptions_db)
    # registers 3 + 2 + 4 + 5 + 6 = 20; forms Hùng An 40, district January 10, February 7
    assert got["reception_citizens"].value == 77
    # chairman's rows 3 + 2; forms' sessions 12 + 2 + 1
    assert got["chair_reception_days"].value == 20
    assert got["reception_citizens"].source.kind == combined.BOTH
    assert len(got["reception_citizens"].source.files()) == 3  # Hùng An's, January's, February's
    # Reception days are not on the form: the registers' 5, leaving out Hùng An and 034.
    days = got["reception_days"]
    assert days.value == 5 and days.source.units_left_out == 2


def test_weekly_rule_leaves_out_the_form_only_communes_weeks(receptions_db):
    """Hùng An's 13 weeks are not counted as missed: 3 of Việt Quang's 13 weeks, not 3/26."""
    both = Filters(*Q1, ("01153", "01159"))
    assert (
        engine.compute(both, ["commune_chair_compliance_rate"], receptions_db)[
            "commune_chair_compliance_rate"
        ].denominator
        == 26
    )  # the registers alone count Hùng An's weeks as missed
    r = combined.compute(both, ["commune_chair_compliance_rate"], receptions_db)[
        "commune_chair_compliance_rate"
    ]
    assert (r.numerator, r.denominator) == (3, 13)
    assert r.source.kind == combined.REGISTERS and r.source.units_left_out == 1
    alone = combined.compute(Filters(*Q1, ("01159",)), None, receptions_db)
    r = alone["commune_chair_compliance_rate"]
    assert r.value is None and r.applies
    assert r.source.reason == reported.UNDETERMINED["commune_chair_compliance_rate"]


def test_district_monthly_rule_takes_the_monthly_forms(receptions_db):
    """January met (2 sessions) and February not (1) from the forms, March met from the
    registers: 2 of 3 months (the registers alone: 1 of 3). The district's KPI ignores the
    commune filter, its forms too. Over H1 the Q2 form cannot tell its months."""
    for communes in ((), ("01153",)):
        r = combined.compute(
            Filters(*Q1, communes), ["district_chair_compliance_rate"], receptions_db
        )["district_chair_compliance_rate"]
        assert (r.numerator, r.denominator) == (2, 3), communes
        assert r.source.kind == combined.BOTH
    h1 = combined.compute(Filters(*H1), ["district_chair_compliance_rate"], receptions_db)[
        "district_chair_compliance_rate"
    ]
    assert (h1.numerator, h1.denominator) == (2, 3)
    assert h1.source.reason == reported.NEEDS_MONTHLY
    assert [(p.period_from, p.period_to) for p in h1.source.left_out] == [
        (date(2024, 4, 1), date(2024, 6, 30))
    ]


def test_weekly_card_text(receptions_db, monkeypatch):
    at = _run(
        receptions_db,
        monkeypatch,
        "views/receptions.py",
        **{"from": "2024-01-01", "to": "2024-03-31", "commune": ["01153", "01159"]},
    )
    value, captions = _card(at, "commune_chair_compliance_rate")
    assert value == "23,08%"  # 3 / 13
    assert "3 / 13" in captions
    assert (
        "Nguồn: sổ sách · chỉ tính các đơn vị có sổ sách; 1 đơn vị chỉ có biểu báo cáo "
        "không được tính"
    ) in captions
    value, captions = _card(at, "reception_citizens")
    assert value == "49"  # 3 + 2 + 4 and Hùng An's 40 (the district's forms: no commune)
    assert "Nguồn: sổ sách và biểu báo cáo (tệp tcd01_01159_2024-01-01.xlsx)" in captions


# ----------------------------------------------------------------------------- the CLI


def test_cli_json_says_where_each_figure_comes_from(forms_db, capsys):
    import json

    from metrics.__main__ import main

    code = main(
        ["--db", str(forms_db), "--from", "2024-01-01", "--to", "2024-06-30", "--commune", "01159"]
    )
    assert code == 0
    kpis = json.loads(capsys.readouterr().out)["kpis"]
    rate = kpis["petitions_resolution_rate"]
    assert (rate["numerator"], rate["denominator"]) == (242, 258)
    assert rate["source"]["kind"] == "forms"
    assert rate["source"]["forms"] == [
        {
            "form": "Biểu số 01/XLD",
            "unit_code": "01159",
            "from": "2024-01-01",
            "to": "2024-06-30",
            "file": FILE,
            "import_id": 1,
        }
    ]
    assert kpis["petitions_on_time_rate"]["value"] is None
    assert kpis["petitions_on_time_rate"]["source"]["note"] == (
        "không xác định từ số liệu tổng hợp (biểu không có số đơn giải quyết đúng hạn)"
    )
    assert kpis["dialogues"]["source"] == {"kind": "registers"}


def test_pages_say_the_charts_come_from_registers_only_when_forms_exist(
    forms_db, fixture_db, monkeypatch
):
    """With form figures in the warehouse, each page says under its title that the cards
    combine both sources and the charts, tables and lists are the registers'; a warehouse
    of registers alone has no such line."""
    note = "Biểu đồ, bảng chi tiết và danh sách: chỉ từ sổ sách."
    for page in ("views/overview.py", "views/procedures.py", "views/actions.py"):
        at = _run(forms_db, monkeypatch, page, **{"from": "2024-01-01", "to": "2024-06-30"})
        assert any(note in c.value for c in at.caption), page
    at = _run(fixture_db, monkeypatch, "views/procedures.py", year="2019")
    assert not any(note in c.value for c in at.caption)

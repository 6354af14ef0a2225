"""The four domain pages in AppTest on the hand-built fixture, and their table downloads.

Each page renders under the default view, under URL filters and under filters that leave
no data; its KPI cards equal the KPI layer for the same filters, and its tables hold the
values counted by hand from tests/fixture (row ids as in tests/fixture/README.md).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import KPIS, Filters, compute
from metrics import format as fmt
from views.downloads import Col, file_stem, localise_frame, to_csv, to_xlsx

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard.py"

PAGES = {
    "receptions": (
        "views/receptions.py",
        "Tiếp công dân & đối thoại",
        "Receptions & dialogues",
        [
            "reception_days",
            "reception_citizens",
            "reception_cases",
            "chair_reception_days",
            "chair_reception_citizens",
            "district_chair_compliance_rate",
            "commune_chair_compliance_rate",
            "dialogues",
            "dialogue_attendees",
            "dialogue_opinions",
            "dialogue_opinions_answered_rate",
            "communes_with_dialogue_rate",
        ],
    ),
    "petitions": (
        "views/petitions.py",
        "Đơn thư, khiếu nại, tố cáo",
        "Petitions",
        [
            "petitions_received",
            "petitions_in_jurisdiction",
            "petitions_resolution_rate",
            "petitions_on_time_rate",
            "petitions_overdue_open",
            "prolonged_cases_resolved_rate",
        ],
    ),
    "procedures": (
        "views/procedures.py",
        "Thủ tục hành chính & một cửa",
        "Procedures & one-stop desk",
        [
            "dossiers_received",
            "dossiers_resolved",
            "dossiers_on_time_rate",
            "dossiers_early_rate",
            "dossiers_late",
            "dossiers_overdue_open",
            "dossiers_online_rate",
            "dossiers_avg_days",
            "late_apology_rate",
            "procedures_total",
            "procedures_time_cut",
            "procedures_time_cut_rate",
            "procedures_online_rate",
            "district_desk_procedures",
            "district_desk_agencies_specialised",
            "district_desk_agencies_vertical",
            "communes_one_stop_rate",
        ],
    ),
    "staff": (
        "views/staff.py",
        "Cán bộ & kỷ cương",
        "Staff & discipline",
        [
            "staff_good_or_better_rate_admin",
            "staff_good_or_better_rate_service",
            "inspections",
            "surprise_inspections",
            "surprise_inspected_communes",
            "surprise_inspected_agencies",
            "violations_fixed_rate",
        ],
    ),
}
NO_DATA = "Không có dữ liệu cho bộ lọc này."
# Each page opens on its figures (every card, no chart); the charts and tables of each
# section sit behind a tab held in the link as `tab=`.
TABS = {
    "receptions": ["receptions", "cadence", "dialogues"],
    "petitions": ["funnel", "ageing", "communes", "cases"],
    "procedures": ["months", "ageing", "communes", "worst", "catalogue"],
    "staff": ["ratings", "inspections"],
}
FIGURES_TAB = ("Chỉ số", "Figures")


def open_page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, **params) -> AppTest:
    """The dashboard on `page` with URL parameters (`from_`/`to` for a date range)."""
    monkeypatch.setenv("DANVAN_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key.rstrip("_")] = value
    at.run()
    at.switch_page(PAGES[page][0]).run()
    return at


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_cards(page: str, filters: Filters, db: Path, lang: str = "vi") -> dict[str, str]:
    results = compute(filters, PAGES[page][3], db)
    return {KPIS[k].label(lang): fmt.value(r.value, r.unit, lang) for k, r in results.items()}


def table(at: AppTest, first_header: str, nth: int = 0) -> pd.DataFrame:
    """The nth table on the page whose first column is headed `first_header`."""
    found = [df.value for df in at.dataframe if df.value.columns[0] == first_header]
    assert len(found) > nth, [list(df.value.columns) for df in at.dataframe]
    return found[nth]


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_default_state(page: str, fixture_db: Path, monkeypatch) -> None:
    """Default view (the latest full year, 2019): no error, the figures tab open, its cards
    equal the KPI layer, and nothing drawn by Plotly nor any table on that first screen."""
    at = open_page(fixture_db, monkeypatch, page)
    assert not at.exception
    assert at.title[0].value == PAGES[page][1]
    assert at.tabs[0].label == FIGURES_TAB[0]
    assert len(at.tabs) == 1 + len(TABS[page])
    assert cards(at) == expected_cards(page, Filters.year(2019), fixture_db)
    assert not at.get("plotly_chart")
    assert not at.dataframe


@pytest.mark.parametrize("page", PAGES)
def test_each_tab_draws_its_section_alone(page: str, fixture_db: Path, monkeypatch) -> None:
    """`tab=<code>` opens that section: its charts and tables, no KPI card; the link keeps
    the code. Every page has charts and downloads in some tab."""
    charts = downloads = 0
    for tab in TABS[page]:
        at = open_page(fixture_db, monkeypatch, page, tab=tab)
        assert not at.exception, tab
        assert not at.metric, tab
        assert at.query_params["tab"] == tab
        charts += len(at.get("plotly_chart"))
        downloads += len(at.get("download_button"))
    assert charts and downloads


def test_a_link_naming_a_choice_but_no_tab_opens_the_choices_tab(
    fixture_db: Path, monkeypatch
) -> None:
    """A link written before the tabs: `cases=overdue` opens the case list on the overdue
    view (P24, P14, P12), `grid=week` the cadence grids; a tab in the link wins."""
    at = open_page(fixture_db, monkeypatch, "petitions", cases="overdue")
    assert at.query_params["tab"] == "cases"
    assert not at.metric
    assert table(at, "Mã đơn", 1)["Mã đơn"].tolist() == ["P24", "P14", "P12"]
    at = open_page(fixture_db, monkeypatch, "receptions", grid="week")
    assert at.query_params["tab"] == "cadence"
    assert at.selectbox(key="grid").value == "week"
    at = open_page(fixture_db, monkeypatch, "petitions", tab="figures", cases="overdue")
    assert at.query_params["tab"] == "figures"
    assert cards(at) == expected_cards("petitions", Filters.year(2019), fixture_db)


def test_a_wrong_tab_says_so_and_opens_the_figures(fixture_db: Path, monkeypatch) -> None:
    at = open_page(fixture_db, monkeypatch, "staff", tab="charts")
    assert not at.exception
    assert any("tab" in w.value and "charts" in w.value for w in at.warning)
    assert cards(at) == expected_cards("staff", Filters.year(2019), fixture_db)


@pytest.mark.parametrize("page", PAGES)
def test_page_follows_url_filters(page: str, fixture_db: Path, monkeypatch) -> None:
    """Year, two communes and a level from the URL reach every card."""
    at = open_page(
        fixture_db, monkeypatch, page, year="2019", commune=["00001", "00002"], level="xa"
    )
    assert not at.exception
    assert not at.warning or page == "receptions"  # receptions warns about the cadence
    filters = Filters.year(2019, ("00001", "00002"), "xa")
    assert cards(at) == expected_cards(page, filters, fixture_db)
    assert "Xã Một, Thị trấn Hai" in at.caption[0].value


@pytest.mark.parametrize("page", PAGES)
def test_page_without_data_says_so(page: str, fixture_db: Path, monkeypatch) -> None:
    """A period with no activity: a plain note, and no empty chart axes in any tab."""
    at = open_page(fixture_db, monkeypatch, page, from_="2015-01-01", to="2015-12-31")
    assert not at.exception
    assert any(i.value == NO_DATA for i in at.info)
    for tab in TABS[page]:
        at = open_page(fixture_db, monkeypatch, page, from_="2015-01-01", to="2015-12-31", tab=tab)
        assert not at.exception, tab
        assert not at.get("plotly_chart"), tab


@pytest.mark.parametrize("page", PAGES)
def test_page_in_english(page: str, fixture_db: Path, monkeypatch) -> None:
    """lang=en: English title, tab labels, KPI labels and table headers; English number
    format."""
    at = open_page(fixture_db, monkeypatch, page, lang="en")
    assert not at.exception
    assert at.title[0].value == PAGES[page][2]
    assert at.tabs[0].label == FIGURES_TAB[1]
    assert cards(at) == expected_cards(page, Filters.year(2019), fixture_db, "en")
    headers: set[str] = set()
    for tab in TABS[page]:
        at = open_page(fixture_db, monkeypatch, page, lang="en", tab=tab)
        headers |= {h for df in at.dataframe for h in df.value.columns}
    assert headers
    assert not headers & {"Xã, thị trấn", "Tháng", "Tiếp nhận", "Khối", "Mã xã"}


def test_cards_agree_with_the_cli_on_the_demo(demo_db: Path, monkeypatch, capsys) -> None:
    """On the Bắc Quang demo, every page's cards print what `python -m metrics` prints."""
    from metrics.__main__ import main

    args = ["--db", str(demo_db), "--year", "2019", "--commune", "01153", "--level", "xa"]
    assert main(args) == 0
    cli = json.loads(capsys.readouterr().out)["kpis"]
    for page, (_, _, _, ids) in PAGES.items():
        if page == "receptions":
            # The demo holds the province level (the fixture does not): the receptions page
            # adds the provincial chairman's monthly card.
            ids = ["province_chair_compliance_rate", *ids]
        at = open_page(demo_db, monkeypatch, page, year="2019", commune="01153", level="xa")
        assert not at.exception, page
        want = {KPIS[k].label("vi"): fmt.value(cli[k]["value"], cli[k]["unit"]) for k in ids}
        assert cards(at) == want, page


# --------------------------------------------------------------------------- receptions


def test_receptions_cadence_grids_mark_months_and_communes_below(fixture_db, monkeypatch):
    """2019: only January and March have 2 dates of the district chairman's reception (the
    minimum in force each month is shown beside it); the weekly warning names each commune
    with the weeks it missed.

    Under the week rule of DOMAIN.md §6 (a week belongs to the period holding its Thursday
    and counts only with a working day), 2019 has 52 weeks less the Tết week 04–08/02 = 51
    (it counted 53 before). Thị trấn Hai's only chairman row R16 (31/12/2019) lies in
    2020-W01, so it now has 0 of 51 like Xã Bốn and sorts first by code; Xã Một met W01
    (R11–R13), W09 (R14) and W10 (R15): 48 missed; Xã Ba met R18's week: 50 missed."""
    at = open_page(fixture_db, monkeypatch, "receptions", tab="cadence")
    district = table(at, "Tháng")
    assert district["Số ngày Chủ tịch tiếp định kỳ"].tolist() == [2, 1, 2] + [0] * 9
    assert district["Tối thiểu theo luật"].tolist() == [2] * 12
    assert district["Đạt"].tolist()[:3] == ["Có", "Không", "Có"]
    assert any(w.value.startswith("10/12 tháng chưa đủ") for w in at.warning)
    communes = table(at, "Mã xã")
    assert communes.iloc[0].tolist()[:5] == ["00002", "Thị trấn Hai", 51, 0, 51]
    assert communes.iloc[1].tolist()[:5] == ["00004", "Xã Bốn", 51, 0, 51]
    weekly = [w.value for w in at.warning if "tuần" in w.value]
    assert weekly == [
        "4/4 xã có tuần Chủ tịch xã không tiếp công dân định kỳ đủ số ngày luật định: "
        "Thị trấn Hai: 51 tuần; Xã Bốn: 51 tuần; Xã Ba: 50 tuần; Xã Một: 48 tuần."
    ]
    assert not any("đối thoại" in w.value for w in at.warning)  # on the figures tab
    figures = open_page(fixture_db, monkeypatch, "receptions")
    assert any("Xã Bốn" in w.value and "đối thoại" in w.value for w in figures.warning)


def test_receptions_level_huyen_hides_commune_cadence(fixture_db, monkeypatch):
    """level=huyen: the commune chairmen's weekly rule does not apply to the view."""
    at = open_page(fixture_db, monkeypatch, "receptions", level="huyen", tab="cadence")
    assert not at.exception
    assert "Không áp dụng cho cấp đã chọn." in [c.value for c in at.caption]
    # Labels carry no threshold since the rules became data (the label was "... đủ 1 ngày").
    at = open_page(fixture_db, monkeypatch, "receptions", level="huyen")
    assert cards(at)[KPIS["commune_chair_compliance_rate"].label("vi")] == fmt.MISSING


def test_receptions_week_view_of_the_commune_grid(fixture_db, monkeypatch):
    """Switching the commune grid to weeks redraws it without error."""
    at = open_page(fixture_db, monkeypatch, "receptions", tab="cadence")
    at.selectbox(key="grid").set_value("week").run()
    assert not at.exception


# --------------------------------------------------------------------------- petitions


def test_petitions_funnel_and_ageing_tables(fixture_db, monkeypatch):
    """Funnel totals 18 → 17 → 15 → 13 → 9; open petitions at 31/12/2019 by deadline."""
    at = open_page(fixture_db, monkeypatch, "petitions", tab="funnel")
    funnel = table(at, "Loại đơn")
    assert funnel.iloc[-1].tolist() == ["Tổng", 18, 17, 15, 13, 9]
    at = open_page(fixture_db, monkeypatch, "petitions", tab="ageing")
    ageing = table(at, "Thời hạn giải quyết").set_index("Thời hạn giải quyết")
    assert ageing["Tổng"].to_dict() == {
        "Còn hạn (trên 7 ngày)": 0,
        "Đến hạn trong 7 ngày": 1,  # P13
        "Quá hạn 1–30 ngày": 1,  # P12
        "Quá hạn 31–90 ngày": 1,  # P14
        "Quá hạn 91–365 ngày": 0,
        "Quá hạn trên 365 ngày": 1,  # P24
        "Không có hạn luật định": 3,  # P08, P10, P21
    }
    overdue = sum(v for k, v in ageing["Tổng"].items() if k.startswith("Quá hạn"))
    assert overdue == 3
    assert (
        cards(open_page(fixture_db, monkeypatch, "petitions"))["Đơn quá hạn chưa giải quyết"] == "3"
    )


def test_petitions_case_list_follows_the_chosen_view(fixture_db, monkeypatch):
    """Open at the period end: 7 cases, P24 first; overdue: 3; in English the status too."""
    at = open_page(fixture_db, monkeypatch, "petitions", tab="cases")
    cases = table(at, "Mã đơn", 1)  # the prolonged list comes first
    assert cases["Mã đơn"].tolist()[:3] == ["P24", "P14", "P12"]
    assert cases["Số ngày quá hạn"].tolist()[:3] == [1020, 46, 30]
    assert cases["Tình trạng (cuối kỳ)"].iloc[0] == "Quá hạn, chưa giải quyết"
    assert any(c.value.startswith("7 đơn;") for c in at.caption)
    at.selectbox(key="cases").set_value("overdue").run()
    assert table(at, "Mã đơn", 1)["Mã đơn"].tolist() == ["P24", "P14", "P12"]
    assert any(c.value.startswith("3 đơn;") for c in at.caption)


def test_petitions_prolonged_cases(fixture_db, monkeypatch):
    """Up to 31/12/2019: P22, P23 resolved, P24 open; 2 of 3 as the KPI says."""
    at = open_page(fixture_db, monkeypatch, "petitions", tab="cases")
    assert any("**2/3**" in m.value for m in at.markdown)
    prolonged = table(at, "Mã đơn", 0)
    assert sorted(prolonged["Mã đơn"]) == ["P22", "P23", "P24"]


# --------------------------------------------------------------------------- procedures


def test_procedures_minimum_volume_rule_on_the_page(fixture_db, monkeypatch):
    """With the default minimum (20) no fixture procedure is ranked; at 1 the single late
    dossiers (TT05, TT09) top the list; at 2 only TT01 (1 of 2 on time) remains."""
    at = open_page(fixture_db, monkeypatch, "procedures", tab="worst")
    assert any("đủ số hồ sơ tối thiểu" in i.value for i in at.info)
    at.number_input(key="pr_min_volume").set_value(1).run()
    worst = table(at, "Mã thủ tục")
    assert worst["Mã thủ tục"].tolist()[:3] == ["TT05", "TT09", "TT01"]
    at.number_input(key="pr_min_volume").set_value(2).run()
    worst = table(at, "Mã thủ tục")
    assert worst["Mã thủ tục"].tolist() == ["TT01"]
    assert worst["Tỷ lệ đúng hạn"].tolist() == [0.5]


def test_procedures_catalogue_and_one_stop_tables(fixture_db, monkeypatch):
    """Catalogue per level; one-stop communes as of 31/12/2019 (00002 from that very day)."""
    at = open_page(fixture_db, monkeypatch, "procedures", tab="catalogue")
    catalogue = table(at, "Cấp thẩm quyền").set_index("Cấp thẩm quyền")
    assert catalogue["Số TTHC"].tolist() == [5, 3, 3]
    assert catalogue["Cắt giảm thời gian"].tolist() == [2, 1, 2]
    one_stop = table(at, "Mã xã")
    assert one_stop["Đã áp dụng đến cuối kỳ"].tolist() == ["Có", "Có", "Không", "Không"]


def test_procedures_no_dossiers_still_shows_the_catalogue(fixture_db, monkeypatch):
    """A period without dossiers says so, and the catalogue (no period) is still listed."""
    at = open_page(fixture_db, monkeypatch, "procedures", from_="2015-01-01", to="2015-12-31")
    assert any(i.value == NO_DATA for i in at.info)
    assert cards(at)["Thủ tục hành chính"] == "11"


# --------------------------------------------------------------------------- staff


def test_staff_rating_tables_against_previous_year(fixture_db, monkeypatch):
    """Hành chính 2019: 28 of 40 good or better, 2018 5 of 10 (+20 points)."""
    at = open_page(fixture_db, monkeypatch, "staff", tab="ratings")
    sectors = table(at, "Khối").set_index("Khối")
    row = sectors.loc["Hành chính"]
    assert row["Số được đánh giá"] == 40
    assert row["Tỷ lệ hoàn thành tốt trở lên"] == pytest.approx(0.7)
    assert row["Kỳ trước"] == pytest.approx(0.5)
    assert row["Thay đổi (điểm %)"] == pytest.approx(20)
    at = open_page(fixture_db, monkeypatch, "staff", tab="inspections")
    units = table(at, "Đối tượng")
    assert units.iloc[0].tolist()[:4] == ["Xã, thị trấn", "00001", "Xã Một", 2]
    inspections = int(cards(open_page(fixture_db, monkeypatch, "staff"))["Cuộc kiểm tra công vụ"])
    assert units["Cuộc kiểm tra"].sum() == inspections


def test_staff_multi_year_period_lists_each_year(fixture_db, monkeypatch):
    """2018-01-01 to 2019-12-31 spans two rating years: a per-year table appears."""
    at = open_page(
        fixture_db, monkeypatch, "staff", from_="2018-01-01", to="2019-12-31", tab="ratings"
    )
    per_year = table(at, "Năm")
    assert per_year[["Năm", "Số được đánh giá"]].values.tolist() == [
        [2018, 10],  # S6
        [2018, 20],  # S7
        [2019, 40],  # S1–S3
        [2019, 40],  # S4, S5
    ]


# --------------------------------------------------------------------------- downloads

COLS = [
    Col("commune_code", "col_commune", "commune"),
    Col("kind", "col_petition_kind", "enum", enum="petition_kind"),
    Col("received", "col_received", "count"),
    Col("rate", "col_on_time_rate", "rate"),
    Col("due", "col_due_date", "date"),
    Col("open", "col_prolonged", "bool"),
]
FRAME = pd.DataFrame(
    {
        "commune_code": ["00001", None],
        "kind": ["khieu_nai", "to_cao"],
        "received": [1234, 5],
        "rate": [0.8659, None],
        "due": [date(2019, 12, 31), None],
        "open": [True, False],
    }
)
NAMES = {"00001": "Xã Một"}


def test_file_names_state_page_table_period_and_communes() -> None:
    """page-table_period_communes[_level], ASCII; ranges and many communes stay short."""
    two = Filters.year(2019, ("01156", "01153"))
    assert file_stem("petitions", "tbl_cases_open", two, "vi") == (
        "don-thu-vu-viec-dang-giai-quyet_2019_01153-01156"
    )
    spring = Filters(date(2019, 3, 1), date(2019, 6, 30), level="xa")
    assert file_stem("procedures", "tbl_catalogue", spring, "vi") == (
        "thu-tuc-hanh-chinh-danh-muc-tthc_20190301-20190630_toan-huyen_cap-xa"
    )
    many = Filters.year(2019, tuple(f"0{n}" for n in range(1150, 1160)))
    assert file_stem("staff", "tbl_ratings_by_sector", many, "en") == (
        "staff-ratings-by-sector_2019_10-communes"
    )


def test_localised_frame_has_vietnamese_headers_and_labels() -> None:
    """A commune becomes code and name; codes become words; yes/no in the language."""
    frame, kinds = localise_frame(FRAME, COLS, "vi", NAMES)
    assert list(frame.columns) == [
        "Mã xã",
        "Xã, thị trấn",
        "Loại đơn",
        "Tiếp nhận",
        "Tỷ lệ đúng hạn",
        "Hạn giải quyết",
        "Tồn đọng kéo dài",
    ]
    assert frame.iloc[0].tolist()[:3] == ["00001", "Xã Một", "Khiếu nại"]
    assert frame["Tồn đọng kéo dài"].tolist() == ["Có", "Không"]
    assert kinds["Tỷ lệ đúng hạn"] == "rate"
    english, _ = localise_frame(FRAME, COLS, "en", NAMES)
    assert english.columns[2:4].tolist() == ["Kind", "Received"]


def test_csv_is_utf8_with_bom_and_percent_rates() -> None:
    """Excel opens it in UTF-8 (BOM); rates in percent with a % header; ISO dates."""
    frame, kinds = localise_frame(FRAME, COLS, "vi", NAMES)
    data = to_csv(frame, kinds)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert back.columns[4] == "Tỷ lệ đúng hạn (%)"
    assert back.iloc[0].tolist()[:6] == [
        "00001",
        "Xã Một",
        "Khiếu nại",
        "1234",
        "86.59",
        "2019-12-31",
    ]
    assert pd.isna(back.iloc[1]["Mã xã"])


def test_xlsx_keeps_numbers_and_dates_typed() -> None:
    """Counts, rates and dates are Excel numbers with formats; the filters sheet follows."""
    frame, kinds = localise_frame(FRAME, COLS, "vi", NAMES)
    about = [("Kỳ báo cáo", "01/01/2019 – 31/12/2019")]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, kinds, "Theo xã", about, "Bộ lọc")))
    assert book.sheetnames == ["Theo xã", "Bộ lọc"]
    sheet = book["Theo xã"]
    assert [c.value for c in sheet[1]][:4] == ["Mã xã", "Xã, thị trấn", "Loại đơn", "Tiếp nhận"]
    assert sheet["D2"].value == 1234 and sheet["D2"].number_format == "#,##0"
    assert sheet["E2"].value == pytest.approx(0.8659) and sheet["E2"].number_format == "0.00%"
    assert sheet["F2"].value == datetime(2019, 12, 31)
    assert sheet["E3"].value is None
    assert sheet.max_row == 3
    assert book["Bộ lọc"]["B1"].value == "01/01/2019 – 31/12/2019"

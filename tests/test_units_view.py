"""Model v2 in the views: levels as the data holds them, communes with their validity, the
view as recorded or under today's units, and targets and rules from the metrics layer.

Most tests run on tests/fixture_v2 (one province T01, a district H01 that ends on 30/6/2025,
communes 10001 + 10002 → 20001 and 10003 → 20002 from 01/7/2025; row ids as in its README).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from opening import open_definitions, open_share
from streamlit.testing.v1 import AppTest

from data.build import build_warehouse
from metrics import KPIS, Filters
from metrics import format as fmt
from metrics.periods import commune_units, levels_present
from views.downloads import file_stem
from views.i18n import STRINGS
from views.state import commune_labels

ROOT = Path(__file__).resolve().parents[1]


def open_app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None, **params):
    monkeypatch.setenv("DANVAN_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key.rstrip("_")] = value
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    return at


def shown(markdown: str) -> str:
    """Markdown source as it reads on screen (the escapes of literal text removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def card(at: AppTest, kpi_id: str) -> str:
    label = KPIS[kpi_id].label("vi")
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def card_lines(at: AppTest, kpi_id: str) -> list[str]:
    """The badge and caption lines of a KPI card, outside its definition popover."""

    def find(node):
        for child in getattr(node, "children", {}).values():
            if getattr(child, "key", None) == f"kpi-{kpi_id}":
                return child
            found = find(child)
            if found is not None:
                return found
        return None

    box = find(at._tree)
    assert box is not None, kpi_id
    return [
        c.value for c in box.children.values() if getattr(c, "type", "") in ("markdown", "caption")
    ]


def write_csv(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- levels


def test_levels_present_are_those_with_records_or_units(
    fixture_db: Path, fixture_v2_db: Path, tmp_path: Path
) -> None:
    """The v1 fixture holds district and commune rows; the v2 fixture a province too; a
    province named only in units_upper counts; communes alone give the commune level."""
    assert levels_present(fixture_db) == ("huyen", "xa")
    assert levels_present(fixture_v2_db) == ("tinh", "huyen", "xa")

    communes = "commune_code,name,kind,parent_code\n00001,Xã Một,xa,T01\n"
    only_units = tmp_path / "units"
    write_csv(only_units, "communes.csv", communes)
    write_csv(only_units, "units_upper.csv", "unit_code,name,level\nT01,Tỉnh Một,tinh\n")
    build_warehouse(only_units, tmp_path / "units.duckdb")
    assert levels_present(tmp_path / "units.duckdb") == ("tinh", "xa")

    bare = tmp_path / "bare"
    write_csv(bare, "communes.csv", "commune_code,name,kind\n00001,Xã Một,xa\n")
    build_warehouse(bare, tmp_path / "bare.duckdb")
    assert levels_present(tmp_path / "bare.duckdb") == ("xa",)


def test_level_filter_offers_the_levels_present_by_name(
    fixture_db: Path, fixture_v2_db: Path, monkeypatch
) -> None:
    """The level choices come from the data, highest first, named by the levels file."""
    at = open_app(fixture_v2_db, monkeypatch)
    assert at.radio(key="level_ui").options == ["Tất cả", "Tỉnh", "Huyện", "Xã"]
    at = open_app(fixture_db, monkeypatch)
    assert at.radio(key="level_ui").options == ["Tất cả", "Huyện", "Xã"]


def test_link_with_level_tinh_shows_the_province(fixture_v2_db: Path, monkeypatch) -> None:
    """level=tinh: no notice; the provincial chairman met 7 of 12 months of 2025; the
    district's monthly rule describes another level and says it does not apply."""
    at = open_app(fixture_v2_db, monkeypatch, "receptions", year="2025", level="tinh")
    assert not at.exception
    assert not [w.value for w in at.warning if "đường dẫn" in w.value]
    assert at.session_state["level"] == "tinh"
    assert at.radio(key="level_ui").value == "tinh"
    assert card(at, "province_chair_compliance_rate") == fmt.percent(7 / 12)
    assert card(at, "district_chair_compliance_rate") == fmt.MISSING
    assert "Cấp: Tỉnh" in at.caption[0].value


def test_unknown_level_is_dropped_with_the_notice(fixture_v2_db: Path, monkeypatch) -> None:
    at = open_app(fixture_v2_db, monkeypatch, level="quan")
    assert not at.exception
    assert any("level = quan" in w.value for w in at.warning)
    assert at.session_state["level"] == "all"


# --------------------------------------------------------------------------- validity


def test_commune_label_shows_when_a_unit_ended_or_began() -> None:
    """A unit that ended or began says so in the chosen language; others show their name."""
    assert fmt.unit_label("Thị trấn Việt Quang", None, date(2025, 6, 30)) == (
        "Thị trấn Việt Quang (đến 30/06/2025)"
    )
    assert fmt.unit_label("Xã Bắc Quang", date(2025, 7, 1), None) == (
        "Xã Bắc Quang (từ 01/07/2025)"
    )
    assert fmt.unit_label("Xã Bắc Quang", date(2025, 7, 1), None, "en") == (
        "Xã Bắc Quang (from 1 Jul 2025)"
    )
    assert fmt.unit_label("Xã A", None, date(2025, 6, 30), "en") == "Xã A (until 30 Jun 2025)"
    assert fmt.unit_label("Xã A", date(2020, 1, 1), date(2025, 6, 30)) == (
        "Xã A (01/01/2020 – 30/06/2025)"
    )
    assert fmt.unit_label("Xã Một") == "Xã Một"


def test_commune_labels_of_the_warehouse(fixture_v2_db: Path) -> None:
    """As recorded every commune with its validity; under today's units only today's
    communes, without dates (each stands for its whole area, history included)."""
    units = commune_units(fixture_v2_db)
    assert commune_labels(units, "recorded", "vi") == {
        "10001": "Xã An Một (đến 30/06/2025)",
        "10002": "Xã An Hai (đến 30/06/2025)",
        "10003": "Xã Bình Ba (đến 30/06/2025)",
        "20001": "Xã An Mới (từ 01/07/2025)",
        "20002": "Xã Bình Mới (từ 01/07/2025)",
    }
    assert commune_labels(units, "today", "vi") == {"20001": "Xã An Mới", "20002": "Xã Bình Mới"}
    assert {u.code: u.current_code for u in units} == {
        "10001": "20001",
        "10002": "20001",
        "10003": "20002",
        "20001": "20001",
        "20002": "20002",
    }


def test_chips_and_tables_show_validity(fixture_v2_db: Path, monkeypatch) -> None:
    """The commune picker, the chips and the commune tables name a unit with its dates."""
    at = open_app(
        fixture_v2_db, monkeypatch, "receptions", year="2025", commune="10001", tab="receptions"
    )
    picker = at.multiselect(key="commune_ui")
    assert picker.options[0] == "Xã An Một (đến 30/06/2025)"
    assert picker.options[3] == "Xã An Mới (từ 01/07/2025)"
    assert picker.value == ["10001"]
    assert "Xã An Một (đến 30/06/2025)" in shown(at.caption[0].value)
    by_commune = next(df.value for df in at.dataframe if df.value.columns[0] == "Mã xã")
    assert by_commune["Xã, thị trấn"].tolist() == ["Xã An Một (đến 30/06/2025)"]


# --------------------------------------------------------------------------- unit view


def test_units_today_from_a_link(fixture_v2_db: Path, monkeypatch) -> None:
    """units=today: the radio shows it, the picker offers today's communes only, and 20001
    holds its predecessors' 2024 receptions (A01 4 + A02 6 + A04 5 = 15 citizens)."""
    at = open_app(
        fixture_v2_db, monkeypatch, "receptions", year="2024", units="today", commune="20001"
    )
    assert not at.exception
    assert not at.warning or all("đường dẫn" not in w.value for w in at.warning)
    assert at.radio(key="units_ui").value == "today"
    assert at.multiselect(key="commune_ui").options == ["Xã An Mới", "Xã Bình Mới"]
    assert card(at, "reception_citizens") == "15"
    assert at.caption[0].value.endswith("· Theo đơn vị hiện nay")
    links = [c.value for c in open_share(at).code if c.value.startswith("http")]
    assert links == [
        "http://localhost:8501/receptions?year=2024&commune=20001&units=today&tab=figures"
    ]


def test_as_recorded_is_the_default_and_stays_out_of_the_link(
    fixture_v2_db: Path, monkeypatch
) -> None:
    at = open_app(fixture_v2_db, monkeypatch, year="2024", commune="20001")
    assert at.radio(key="units_ui").value == "recorded"
    assert card(at, "reception_citizens") == "0"  # 20001 did not exist in 2024
    assert [c.value for c in open_share(at).code if c.value.startswith("http")] == [
        "http://localhost:8501/?year=2024&commune=20001&area=receptions"
    ]


def test_invalid_units_value_gives_the_notice(fixture_v2_db: Path, monkeypatch) -> None:
    """units=xyz is named in a notice and the view falls back to as recorded."""
    at = open_app(fixture_v2_db, monkeypatch, units="xyz")
    assert not at.exception
    assert any("units = xyz" in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.session_state["units"] == "recorded"


def test_an_old_commune_under_todays_units_is_dropped_with_the_notice(
    fixture_v2_db: Path, monkeypatch
) -> None:
    at = open_app(fixture_v2_db, monkeypatch, units="today", commune=["10001", "20002"])
    assert any("commune = 10001" in w.value for w in at.warning)
    assert at.session_state["commune"] == ["20002"]


def test_switching_to_todays_units_keeps_the_chosen_area(fixture_v2_db: Path, monkeypatch) -> None:
    """Choosing today's units turns each chosen commune into the commune of today it belongs
    to (10001 and 10002 → 20001), instead of dropping the choice; no notice."""
    at = open_app(fixture_v2_db, monkeypatch, year="2024", commune=["10001", "10002"])
    at.radio(key="units_ui").set_value("today").run()
    assert not at.exception
    assert at.session_state["units"] == "today"
    assert at.session_state["commune"] == ["20001"]
    assert not at.warning
    assert card(at, "reception_citizens") == "15"


def test_unit_view_choice_is_hidden_without_successions(fixture_db: Path, monkeypatch) -> None:
    """A warehouse whose communes never merged has one view: no choice to offer."""
    at = open_app(fixture_db, monkeypatch)
    assert not [r for r in at.radio if r.key == "units_ui"]


# --------------------------------------------------------------------------- targets, rules


def test_cards_show_the_metrics_layers_verdict(fixture_v2_db: Path, monkeypatch) -> None:
    """2025: the district met 4 of 6 months (below), the province 7 of 12 (below); in the
    second half of 2025 the district's rule is in force in no month: 'does not apply'."""
    at = open_app(fixture_v2_db, monkeypatch, "receptions", year="2025")
    assert card(at, "district_chair_compliance_rate") == fmt.percent(4 / 6)
    assert card_lines(at, "district_chair_compliance_rate") == [
        ":red-badge[:material/warning: Chưa đạt]",
        "Mục tiêu ≥ 100%",
        "4 / 6",
        "Nguồn: sổ sách",
    ]
    at = open_app(fixture_v2_db, monkeypatch, "receptions", from_="2025-07-01", to="2025-12-31")
    assert card(at, "district_chair_compliance_rate") == fmt.MISSING
    assert card_lines(at, "district_chair_compliance_rate") == [
        "Không áp dụng: không có quy định nào có hiệu lực trong kỳ."
    ]
    assert card(at, "province_chair_compliance_rate") == fmt.percent(3 / 6)
    # The commune dialogue rule is yearly: a half year has a value but no target.
    assert card_lines(at, "communes_with_dialogue_rate") == [
        "Không có mục tiêu luật định cho kỳ này.",
        "2 / 2",
        "Nguồn: sổ sách",
    ]


def test_upper_grids_show_the_minimum_of_each_month(fixture_v2_db: Path, monkeypatch) -> None:
    """2025: the province grid has 12 months at 1 day, the district grid the 6 months its
    rule and its unit lasted, at 2 days (C01–C09; April only a vice-chair's row C10)."""
    at = open_app(fixture_v2_db, monkeypatch, "receptions", year="2025", tab="cadence")
    months = [df.value for df in at.dataframe if df.value.columns[0] == "Tháng"]
    province, district = months
    assert province["Tối thiểu theo luật"].tolist() == [1] * 12
    assert province["Đạt"].tolist() == [
        "Có", "Có", "Không", "Có", "Không", "Có", "Có", "Không", "Không", "Có", "Không", "Có"
    ]  # fmt: skip
    assert district["Tháng"].tolist() == [f"2025-0{m}" for m in range(1, 7)]  # shown T1/2025…
    assert district["Số ngày Chủ tịch tiếp định kỳ"].tolist() == [2, 1, 2, 0, 2, 2]
    assert district["Tối thiểu theo luật"].tolist() == [2] * 6


def test_commune_warning_names_who_missed_weeks_and_how_many(
    fixture_v2_db: Path, monkeypatch
) -> None:
    """2025 weekly cells (README): 10001 met 2 of 25, 10002 1 of 25, 10003 0 of 25, 20001
    2 of 26, 20002 1 of 26; the warning lists the weeks missed, most first."""
    at = open_app(fixture_v2_db, monkeypatch, "receptions", year="2025", tab="cadence")
    weekly = [shown(w.value) for w in at.warning if "tuần" in w.value]
    assert weekly == [
        "5/5 xã có tuần Chủ tịch xã không tiếp công dân định kỳ đủ số ngày luật định: "
        "Xã Bình Ba (đến 30/06/2025): 25 tuần; Xã Bình Mới (từ 01/07/2025): 25 tuần; "
        "Xã An Hai (đến 30/06/2025): 24 tuần; Xã An Mới (từ 01/07/2025): 24 tuần; "
        "Xã An Một (đến 30/06/2025): 23 tuần."
    ]


def test_definition_lists_every_rule_applied_over_the_period(
    fixture_v2_db: Path, monkeypatch
) -> None:
    """From 01/6/2018 to 30/6/2019 both denunciation laws were in force in turn: the petition
    cards' definitions list the 2011 law's rows and the 2018 law's. In 2025 the district
    and the provincial chairmen's monthly rules each show with their level and span."""
    at = open_app(fixture_v2_db, monkeypatch, from_="2018-06-01", to="2019-06-30", area="petitions")
    assert not at.exception
    open_definitions(at, "petitions_on_time_rate", "petitions_not_overdue_rate")
    text = "\n".join(shown(m.value) for m in at.markdown)
    assert "thời hạn 60 ngày · 01/07/2012 – 31/12/2018: Luật Tố cáo 2011, Điều 21" in text
    assert "thời hạn 30 ngày · từ 01/01/2019: Luật Tố cáo 2018, Điều 30" in text
    at = open_app(fixture_v2_db, monkeypatch, year="2025")
    open_definitions(at, "district_chair_compliance_rate", "province_chair_compliance_rate")
    text = "\n".join(shown(m.value) for m in at.markdown)
    assert (
        "Huyện · tối thiểu 2 ngày/tháng · 01/07/2014 – 30/06/2025: "
        "Luật Tiếp công dân 2013, Điều 13" in text
    )
    assert "Tỉnh · tối thiểu 1 ngày/tháng · từ 01/07/2014: Luật Tiếp công dân 2013, Điều 12" in (
        text
    )


def test_a_download_made_under_todays_units_says_so_in_its_name() -> None:
    """The same rows summed under other units are another file: its name says so."""
    today = Filters.year(2024, ("20001",), units="today")
    assert file_stem("receptions", "tbl_receptions_by_commune", today, "vi") == (
        "tiep-cong-dan-theo-xa_2024_20001_don-vi-hien-nay"
    )
    recorded = Filters.year(2024, ("20001",))
    assert file_stem("receptions", "tbl_receptions_by_commune", recorded, "vi") == (
        "tiep-cong-dan-theo-xa_2024_20001"
    )


def test_page_words_hold_no_threshold() -> None:
    """Thresholds are data: no word of the receptions page or the frame states a number
    (placeholders such as {n} are filled from the rules)."""
    words = STRINGS
    numbered = {
        key: text
        for key, pair in words.items()
        if key.startswith(("rc_", "rule_", "not_applicable", "target"))
        for text in pair
        if re.search(r"\d", re.sub(r"\{[^}]*\}", "", text))
    }
    assert numbered == {}

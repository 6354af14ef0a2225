"""The dashboard in AppTest: the frame and overview render under any URL, valid or not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import Filters, compute
from metrics import format as fmt
from tests.dashboard_app import run_app
from views.links import PAGES


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no card labelled {label!r}"
    return values[0]


def test_overview_renders_with_default_state(fixture_db: Path, monkeypatch) -> None:
    """Default view: the latest full year (2019 in the fixture), all communes, no error."""
    at = run_app(fixture_db, monkeypatch, area="procedures")
    assert not at.exception
    assert at.title[0].value == "Tổng quan"
    expected = compute(Filters.year(2019), db=fixture_db)
    assert metric(at, "Hồ sơ tiếp nhận") == fmt.value(expected["dossiers_received"].value, "count")
    assert metric(at, "Hồ sơ giải quyết đúng hạn") == fmt.percent(
        expected["dossiers_on_time_rate"].value
    )


def test_overview_follows_url_filters(fixture_db: Path, monkeypatch) -> None:
    """Year, communes and level from the URL reach every card."""
    at = run_app(fixture_db, monkeypatch, year="2019", commune=["00001", "00002"], level="xa")
    assert not at.exception
    assert not at.warning
    expected = compute(Filters.year(2019, ("00001", "00002"), "xa"), db=fixture_db)
    assert metric(at, "Cuộc tiếp xúc, đối thoại") == fmt.number(expected["dialogues"].value)
    assert at.session_state["commune"] == ["00001", "00002"]
    at = run_app(
        fixture_db,
        monkeypatch,
        year="2019",
        commune=["00001", "00002"],
        level="xa",
        area="procedures",
    )
    assert metric(at, "Hồ sơ tiếp nhận") == fmt.number(expected["dossiers_received"].value)
    assert at.session_state["commune_ui"] == ["00001", "00002"]


def test_english_labels_and_numbers(fixture_db: Path, monkeypatch) -> None:
    """lang=en switches titles, KPI labels and number format."""
    at = run_app(fixture_db, monkeypatch, lang="en", area="procedures")
    assert not at.exception
    assert at.title[0].value == "Overview"
    expected = compute(Filters.year(2019), db=fixture_db)
    assert metric(at, "Dossiers resolved on time") == fmt.percent(
        expected["dossiers_on_time_rate"].value, "en"
    )


def test_custom_range_from_url(fixture_db: Path, monkeypatch) -> None:
    """from/to in the URL select a custom period."""
    at = run_app(
        fixture_db, monkeypatch, **{"from": "2019-03-01", "to": "2019-03-31", "area": "procedures"}
    )
    assert not at.exception
    assert at.session_state["period_mode"] == "range"
    expected = compute(Filters(date(2019, 3, 1), date(2019, 3, 31)), db=fixture_db)
    assert metric(at, "Hồ sơ tiếp nhận") == fmt.number(expected["dossiers_received"].value)


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"commune": ["99999", "00001"]}, "commune = 99999"),
        ({"year": "1850"}, "year = 1850"),
        ({"year": "abc"}, "year = abc"),
        ({"level": "tinh"}, "level = tinh"),
        ({"lang": "fr"}, "lang = fr"),
        ({"from": "2019-02-30", "to": "2019-03-31"}, "from = 2019-02-30"),
    ],
)
def test_invalid_url_values_give_a_notice_not_an_error(
    fixture_db: Path, monkeypatch, params: dict, shown: str
) -> None:
    """Each invalid value is named in a visible notice; the page still renders."""
    at = run_app(fixture_db, monkeypatch, **params)
    assert not at.exception
    assert any(shown in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.title[0].value == "Tổng quan"


def test_range_with_from_after_to_is_put_in_order(fixture_db: Path, monkeypatch) -> None:
    """from after to: a notice, and the range is swapped (issue 8: corrected, in the link
    too, rather than falling back to the default year)."""
    at = run_app(
        fixture_db, monkeypatch, **{"from": "2019-06-01", "to": "2019-03-01", "area": "procedures"}
    )
    assert not at.exception
    assert any("01/06/2019" in w.value for w in at.warning)
    expected = compute(Filters(date(2019, 3, 1), date(2019, 6, 1)), db=fixture_db)
    assert metric(at, "Hồ sơ tiếp nhận") == fmt.number(expected["dossiers_received"].value)


def test_filter_without_data_says_so(fixture_db: Path, monkeypatch) -> None:
    """A commune and days with no activity get a plain 'no data' note."""
    at = run_app(
        fixture_db, monkeypatch, commune="00004", **{"from": "2019-08-10", "to": "2019-08-11"}
    )
    assert not at.exception
    assert any("Không có dữ liệu" in i.value for i in at.info)


def test_demo_note_only_on_demo(fixture_db: Path, demo_db: Path, monkeypatch) -> None:
    """The synthetic-data note shows on the demo warehouse and not on imported data."""
    at = run_app(demo_db, monkeypatch)
    # A one-line caption since issue 8 (the phone's first screen), the full note as its help.
    assert any("Dữ liệu mô phỏng" in c.value for c in at.caption)
    at = run_app(fixture_db, monkeypatch)
    assert not any("Dữ liệu mô phỏng" in c.value for c in at.caption)


def test_share_box_shows_the_full_link_of_the_view(fixture_db: Path, monkeypatch) -> None:
    """The share control holds the link of this exact view."""
    at = run_app(fixture_db, monkeypatch, year="2019", commune=["00002", "00001"], level="xa")
    assert not [c.value for c in at.code if "commune=" in c.value]  # drawn when opened
    at.session_state["share_box"] = True
    at.run()
    links = [c.value for c in at.code if "commune=" in c.value]
    assert links == [
        "http://localhost:8501/?year=2019&commune=00001&commune=00002&level=xa&area=receptions"
    ]


def test_share_box_carries_the_pages_own_choices(fixture_db: Path, monkeypatch) -> None:
    """The area of cards and the compared KPI are part of the view: the share box carries
    them; a key that is not this page's choice (the actions page's list) stays out."""
    at = run_app(
        fixture_db,
        monkeypatch,
        year="2019",
        area="procedures",
        compare_kpi="dialogues",
        list="overdue_dossiers",
    )
    at.session_state["share_box"] = True
    at.run()
    links = [c.value for c in at.code if "year=" in c.value]
    assert links == ["http://localhost:8501/?year=2019&area=procedures&compare_kpi=dialogues"]


def test_first_start_builds_the_demo_warehouse(tmp_path: Path, monkeypatch) -> None:
    """With no warehouse at the configured path, the dashboard builds the demo and renders."""
    db = tmp_path / "new" / "warehouse.duckdb"
    at = run_app(db, monkeypatch)
    assert not at.exception
    assert db.exists()
    assert any("Dữ liệu mô phỏng" in c.value for c in at.caption)  # one line since issue 8
    assert metric(at, "Buổi tiếp định kỳ của Chủ tịch") != "0"


def test_empty_warehouse_renders_every_page(tmp_path: Path, monkeypatch) -> None:
    """A warehouse with communes only: each page says there is no data, none fails."""
    from data.build import build_warehouse

    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "communes.csv").write_text("commune_code,name,kind\n00001,Xã Một,xa\n", "utf-8")
    db = tmp_path / "empty.duckdb"
    build_warehouse(csv_dir, db)
    at = run_app(db, monkeypatch)
    assert not at.exception
    assert any("Không có dữ liệu" in i.value for i in at.info)
    for script in (
        "views/receptions.py",
        "views/petitions.py",
        "views/procedures.py",
        "views/staff.py",
        "views/data_page.py",
    ):
        at.switch_page(script)
        at.run()
        assert not at.exception, (script, [e.value for e in at.exception])


def test_damaged_warehouse_gives_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    """A file that is not a warehouse: a plain error naming it, no traceback."""
    db = tmp_path / "broken.duckdb"
    db.write_text("not a database", encoding="utf-8")
    at = run_app(db, monkeypatch)
    assert not at.exception
    assert "Không đọc được kho dữ liệu" in at.error[0].value
    assert str(db) in at.error[0].value


@pytest.mark.parametrize("script", [script for script, _, _ in PAGES.values()])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"year": "2019", "commune": ["00001", "00003"], "level": "xa", "lang": "en"},
        {"from": "2019-03-01", "to": "2019-03-31", "level": "huyen"},
        {"year": "20x9", "commune": ["zzz"], "level": "?", "lang": "de", "from": "2019-13-01"},
    ],
    ids=["default", "filters", "range", "invalid"],
)
def test_every_page_renders(fixture_db: Path, monkeypatch, script: str, params: dict) -> None:
    """Smoke: every page under default, filtered, ranged and invalid URLs, no exception."""
    at = run_app(fixture_db, monkeypatch, **params)
    if params.get("year") == "20x9":  # the notice shows where the link lands
        assert any("year = 20x9" in w.value for w in at.warning)
    at.switch_page(script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]

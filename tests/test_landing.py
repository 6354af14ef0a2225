"""The landing page and the link rules: the year always in the link, a misspelled page or a
repeated key named in a notice, a reversed range put in order in the link."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from metrics import Filters
from tests.dashboard_app import run_app
from tests.opening import open_keys
from views.links import action_url, page_for_path, params


def test_default_year_is_written_into_the_link(fixture_db: Path, monkeypatch) -> None:
    """No year in the link: the default (2019, the fixture's latest full year) is written."""
    at = run_app(fixture_db, monkeypatch)
    assert not at.exception
    assert at.query_params["year"] == "2019"


def test_invalid_year_is_replaced_in_the_link(fixture_db: Path, monkeypatch) -> None:
    at = run_app(fixture_db, monkeypatch, year="1850")
    assert any("year = 1850" in w.value for w in at.warning)
    assert at.query_params["year"] == "2019"


def test_repeated_key_gives_a_notice_and_the_first_value(fixture_db: Path, monkeypatch) -> None:
    at = run_app(fixture_db, monkeypatch, year=["2018", "2019"])
    assert not at.exception
    assert any("year" in w.value and "nhiều giá trị" in w.value for w in at.warning)
    assert at.query_params["year"] == "2018"


def test_reversed_range_is_put_in_order_in_the_link(fixture_db: Path, monkeypatch) -> None:
    at = run_app(fixture_db, monkeypatch, **{"from": "2019-06-30", "to": "2019-03-01"})
    assert not at.exception
    assert any("đảo ngược" in w.value for w in at.warning)
    assert at.query_params["from"] == "2019-03-01"
    assert at.query_params["to"] == "2019-06-30"
    assert "year" not in at.query_params


@pytest.mark.parametrize(
    ("path", "page"),
    [("/", "overview"), ("", "overview"), ("/actions", "actions"), ("/petitons", None)],
)
def test_page_for_path_knows_every_page_and_only_those(path: str, page: str | None) -> None:
    """A misspelled path (`/petitons`) is no page: the entrypoint names it in a notice."""
    assert page_for_path(path) == page


def test_action_link_carries_the_whole_view() -> None:
    f = Filters.year(2025, ("N01153",), "xa")
    assert action_url("overdue_dossiers", f, "en") == (
        "./actions?year=2025&commune=N01153&level=xa&lang=en&list=overdue_dossiers"
    )
    assert params(Filters.year(2025, ("a", "b")), "vi", {"list": "no_dialogue"}) == {
        "year": "2025",
        "commune": ["a", "b"],
        "list": "no_dialogue",
    }


# Period M of tests/fixture_score/README.md, every expected value counted by hand there.
M = {"from": "2024-03-04", "to": "2024-03-31"}


def _rows(at: AppTest) -> list[str]:
    """The league rows' first lines, in the order drawn."""
    return [m.value for m in at.markdown if m.value.startswith("**#") or "chưa xếp hạng" in m.value]


def test_landing_shows_score_league_and_action_links(fixture_score_db: Path, monkeypatch) -> None:
    at = run_app(fixture_score_db, monkeypatch, **M)
    assert not at.exception, [e.value for e in at.exception]
    score = next(m for m in at.metric if m.label == "Điểm của lựa chọn")
    assert score.value == "68,9"  # pooled: 100 × 2.757143 / 4, below D's 78.3
    assert any(m.value == ":red-badge[Cần cải thiện]" for m in at.markdown)
    # The first screen holds three; the others are drawn when "all communes" is opened.
    assert [r.split("**")[1] for r in _rows(at)] == ["#4 Xã Định", "#2 Xã Bình", "#2 Xã Cường"]
    assert not any("Chưa có điểm" in c.value for c in at.caption)  # E's reason, not drawn
    at = open_keys(at, "ld_all")
    rows = _rows(at)
    # worst first; B and C share rank 2 (85.0); A drawn after, E unscored and unranked last
    assert [r.split("**")[1] for r in rows] == [
        "#4 Xã Định",
        "#2 Xã Bình",
        "#2 Xã Cường",
        "#1 Xã An",
        "— (chưa xếp hạng) Xã Ê",
    ]
    assert "**78,3**" in rows[0] and "Cần cải thiện" in rows[0]
    assert "**85,0**" in rows[1] and ":red[▼1]" in rows[1]  # B: 1 in P, 2 now
    assert "**85,0**" in rows[2] and "▲" not in rows[2] and "▼" not in rows[2]
    assert "**96,7**" in rows[3] and ":green[▲1]" in rows[3]  # A: 2 in P, 1 now
    assert "**—**" in rows[4]
    captions = [c.value for c in at.caption]
    assert any("Chưa có điểm" in c and "mới có 1" in c for c in captions)  # E
    assert any("ít dữ liệu" in c and "Hồ sơ giải quyết đúng hạn" in c for c in captions)  # E


def _names(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_action_counts_are_the_lists_and_link_to_them(fixture_score_db: Path, monkeypatch) -> None:
    at = run_app(fixture_score_db, monkeypatch, **M)
    links = [
        p.proto
        for p in at.get("page_link")
        if "list=" in p.proto.query_string and p.proto.label.startswith("**")
    ]
    counts = {dict(parse_qsl(p.query_string))["list"]: p.label.split("**")[1] for p in links}
    assert counts == {
        "overdue_petitions": "7",
        "overdue_dossiers": "4",
        "late_without_apology": "2",
        "reception_gaps": "3",
        "no_dialogue": "4",
        "prolonged_open": "2",
    }
    dossiers = next(p for p in links if "overdue_dossiers" in p.query_string)
    assert dossiers.page == "actions"
    assert dossiers.query_string == "from=2024-03-04&to=2024-03-31&list=overdue_dossiers"


def _card_lists(at: AppTest) -> list[str]:
    cards = [p.proto for p in at.get("page_link") if p.proto.label == "Xem danh sách"]
    assert all(p.page == "actions" for p in cards)
    return sorted(dict(parse_qsl(p.query_string))["list"] for p in cards)


def test_kpi_cards_with_records_behind_them_open_their_list(
    fixture_score_db: Path, monkeypatch
) -> None:
    """The overdue counts and the rates whose shortfall is a list open that list, in the same
    view; a KPI that does not apply offers no list (of the three chairs' rates, two apply
    to the fixture's March 2024, one once the level is the commune's)."""
    at = run_app(fixture_score_db, monkeypatch, **M)  # the first area: receptions
    assert _card_lists(at) == ["no_dialogue", "reception_gaps", "reception_gaps"]
    at = run_app(fixture_score_db, monkeypatch, **M, area="petitions")
    assert _card_lists(at) == ["overdue_petitions", "overdue_petitions", "prolonged_open"]
    at = run_app(fixture_score_db, monkeypatch, **M, area="procedures")
    assert _card_lists(at) == ["late_without_apology", "overdue_dossiers", "overdue_dossiers"]
    dossiers = [p.proto for p in at.get("page_link") if "overdue_dossiers" in p.query_string]
    assert {p.query_string for p in dossiers} == {
        "from=2024-03-04&to=2024-03-31&list=overdue_dossiers"
    }
    at = run_app(fixture_score_db, monkeypatch, **M, area="staff")
    assert _card_lists(at) == []
    at = run_app(fixture_score_db, monkeypatch, **M, level="xa")
    assert _card_lists(at) == ["no_dialogue", "reception_gaps"]


def test_kpi_cards_show_one_area_at_a_time_held_in_the_link(
    fixture_score_db: Path, monkeypatch
) -> None:
    """Only the open area's cards are drawn; the link carries the area even for the first
    tab; a misspelled area is named and the first area opens."""
    at = run_app(fixture_score_db, monkeypatch, **M)
    assert at.query_params["area"] == "receptions"
    labels = [m.label for m in at.metric if m.label != "Điểm của lựa chọn"]
    assert len(labels) == 13  # the receptions area's KPIs, and no other card
    assert "Số buổi tiếp công dân" in labels and "Hồ sơ tiếp nhận" not in labels
    at = run_app(fixture_score_db, monkeypatch, **M, area="procedures")
    assert at.query_params["area"] == "procedures"
    labels = [m.label for m in at.metric if m.label != "Điểm của lựa chọn"]
    assert len(labels) == 18
    assert "Hồ sơ tiếp nhận" in labels and "Số buổi tiếp công dân" not in labels
    at = run_app(fixture_score_db, monkeypatch, **M, area="khac")
    assert any("area" in w.value and "khac" in w.value for w in at.warning)
    assert at.query_params["area"] == "receptions"


def test_methodology_names_each_indicator_and_the_pooled_note(
    fixture_score_db: Path, monkeypatch
) -> None:
    at = run_app(fixture_score_db, monkeypatch, **M)
    method = next(e for e in at.expander if e.label == "Cách tính điểm")
    assert not method.markdown  # drawn when opened
    at = open_keys(at, "ld_method")
    method = next(e for e in at.expander if e.label == "Cách tính điểm")
    text = " ".join(m.value for m in method.markdown)
    for label in ("Hồ sơ giải quyết đúng hạn", "trọng số 1,0", "Điểm của cả vùng chọn"):
        assert label in text


def test_action_list_page_shows_the_lists_columns_and_ids(
    fixture_score_db: Path, monkeypatch
) -> None:
    at = run_app(fixture_score_db, monkeypatch, **M)
    at.switch_page("views/actions.py")
    at.query_params["list"] = "overdue_dossiers"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frame = at.dataframe[0].value
    assert list(frame["Mã hồ sơ"]) == ["HC06", "HC07", "HD06", "HA06"]
    assert list(frame.columns) == [
        "Mã hồ sơ",
        "Mã thủ tục",
        "Mã cơ quan",
        "Mã xã",
        "Xã, thị trấn",
        "Ngày nhận",
        "Hạn giải quyết",
        "Số ngày quá hạn",
    ]


def test_every_action_list_opens_on_the_demo(demo_db: Path, monkeypatch) -> None:
    from metrics.actions import LISTS

    at = run_app(demo_db, monkeypatch, year="2025")
    assert not at.exception, [e.value for e in at.exception]
    for name in LISTS:
        at.switch_page("views/actions.py")
        at.query_params["list"] = name
        at.run()
        assert not at.exception, (name, [e.value for e in at.exception])


def test_show_table_draws_max_rows_and_downloads_every_row(monkeypatch) -> None:
    import pandas as pd

    from views import downloads

    drawn: list[int] = []
    monkeypatch.setattr(downloads.st, "dataframe", lambda data, **_: drawn.append(len(data)))
    monkeypatch.setattr(downloads.st, "caption", lambda *_: None)
    files: list = []
    monkeypatch.setattr(downloads.st, "download_button", lambda *_, data, **__: files.append(data))
    df = pd.DataFrame({"dossier_id": [f"H{i}" for i in range(7)]})
    downloads.show_table(
        df,
        [downloads.Col("dossier_id", "col_dossier_id")],
        "vi",
        page="actions",
        table="ac_overdue_dossiers",
        filters=Filters.year(2024),
        communes={},
        key="t",
        max_rows=3,
    )
    assert drawn == [3]
    assert files[0]().decode("utf-8-sig").strip().splitlines()[1:] == [f"H{i}" for i in range(7)]


def test_action_list_page_opens_the_list_of_its_link(fixture_db: Path, monkeypatch) -> None:
    at = run_app(fixture_db, monkeypatch, year="2019")
    at.switch_page("views/actions.py")
    at.query_params["list"] = "overdue_dossiers"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="list").value == "overdue_dossiers"
    assert at.query_params["list"] == "overdue_dossiers"

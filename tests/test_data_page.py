"""The Dữ liệu page in AppTest: upload, validation report, confirmed import, coverage, log."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard.py"
PAGE = ROOT / "views" / "data_page.py"

GOOD = (
    b"reception_id,reception_date,level,commune_code,host,kind,citizens,cases\n"
    b"UP1,05/03/2019,xa,00001,chu_tich,dinh_ky,4,1\n"
    b"UP2,12/03/2019,xa,00002,chu_tich,dinh_ky,2,0\n"
)
BAD = (
    b"reception_id,reception_date,level,commune_code,host,kind,citizens,cases\n"
    b"UP3,31/02/2019,xa,00001,chu_tich,dinh_ky,4,1\n"
    b"UP4,2019-03-12,xa,99999,boss,dinh_ky,-1,0\n"
)


def open_page(
    db: Path, monkeypatch: pytest.MonkeyPatch, lang: str = "vi", tab: str | None = None
) -> AppTest:
    """The data page, reached through the dashboard as a user reaches it (on `tab`)."""
    monkeypatch.setenv("DANVAN_DB", str(db))
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.query_params["lang"] = lang
    if tab:
        at.query_params["tab"] = tab
    at.run()
    at.switch_page("views/data_page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page that has these columns."""
    for d in at.dataframe:
        value = d.value
        if set(columns) <= set(value.columns):
            return value
    raise AssertionError(f"no table with columns {columns}")


def open_tab(at: AppTest) -> str:
    """The label of the tab the page opens on."""
    index = at.get_by_key("tab").proto.tab_container.default_tab_index
    return at.tabs[index].label


def click_tab(at: AppTest, label: str) -> AppTest:
    """What the browser sends when a tab is clicked: the tabs' widget value becomes the new
    label (AppTest has no tab click of its own)."""
    states = at._tree.get_widget_states()
    clicked = states.widgets.add()
    clicked.id = at.get_by_key("tab").proto.tab_container.id
    clicked.string_value = label
    return at._run(states)


def count(db: Path, sql: str) -> int:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def db(fixture_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_db, path)
    return path


def test_page_shows_template_coverage_grid_and_empty_log(db: Path, monkeypatch) -> None:
    at = open_page(db, monkeypatch)
    assert at.title[0].value == "Dữ liệu"
    assert at.download_button(key="data_template").label == "Tải mẫu nhập liệu (.xlsx)"
    assert len(at.file_uploader) == 1
    assert at.file_uploader[0].accept_multiple_files
    at = open_page(db, monkeypatch, tab="coverage")
    cov = frame(at, "Bảng", "Số dòng", "Lần nhập gần nhất")
    # every contract table: the nine of v1, holidays, units_upper, unit_successions,
    # procedure_aliases, reported_figures, service_index
    assert len(cov) == 15
    assert cov.iloc[5]["Số dòng"] == "20"  # receptions in the fixture
    grid = frame(at, "T1/2019")
    assert list(grid.columns)[:2] == ["T1/2019", "T2/2019"]
    assert len(grid) == 4
    at = open_page(db, monkeypatch, tab="log")
    assert any("Chưa có lần nhập nào" in i.value for i in at.info)


def test_link_opens_the_log_tab_and_runs_only_it(db: Path, monkeypatch) -> None:
    """?tab=log: the log tab is open; the import and coverage tabs draw nothing and read
    nothing from the warehouse."""
    from data import coverage

    calls: list[str] = []
    for name in ("table_coverage", "completeness", "units", "import_history"):
        real = getattr(coverage, name)
        monkeypatch.setattr(
            coverage, name, lambda *a, _n=name, _f=real, **k: calls.append(_n) or _f(*a, **k)
        )
    at = open_page(db, monkeypatch, tab="log")
    assert [tab.label for tab in at.tabs] == ["Nhập dữ liệu", "Mức độ đầy đủ", "Nhật ký nhập"]
    assert open_tab(at) == "Nhật ký nhập"
    assert any("Chưa có lần nhập nào" in i.value for i in at.info)
    assert not at.file_uploader and not at.dataframe
    assert calls == ["import_history"]
    assert at.query_params["tab"] == "log"


def test_first_tab_is_written_into_the_link_and_a_click_moves_it(db: Path, monkeypatch) -> None:
    """No tab in the link: the import tab opens and the link says so; a click on the log
    tab writes tab=log and draws the log alone; the coverage tab then the same."""
    at = open_page(db, monkeypatch)
    assert open_tab(at) == "Nhập dữ liệu"
    assert at.query_params["tab"] == "import"
    click_tab(at, "Nhật ký nhập")
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["tab"] == "log"
    assert open_tab(at) == "Nhật ký nhập"
    assert any("Chưa có lần nhập nào" in i.value for i in at.info)
    assert not at.file_uploader
    click_tab(at, "Mức độ đầy đủ")
    assert at.query_params["tab"] == "coverage"
    assert len(frame(at, "T1/2019")) == 4
    at.run()  # an ordinary rerun keeps the tab
    assert open_tab(at) == "Mức độ đầy đủ" and at.query_params["tab"] == "coverage"


def test_unknown_tab_in_the_link_is_named_and_the_first_tab_opens(db: Path, monkeypatch) -> None:
    at = open_page(db, monkeypatch, tab="xyz")
    assert not at.exception
    assert any(
        w.value == "Bỏ qua giá trị không hợp lệ trong đường dẫn: tab = xyz" for w in at.warning
    )
    assert open_tab(at) == "Nhập dữ liệu"
    assert at.query_params["tab"] == "import"
    assert len(at.file_uploader) == 1


def test_tab_code_outlives_a_language_switch(db: Path, monkeypatch) -> None:
    """The link holds the code, not the label: ?tab=coverage opens "Coverage" in English,
    and switching the language keeps the coverage tab open."""
    at = open_page(db, monkeypatch, lang="en", tab="coverage")
    assert open_tab(at) == "Coverage"
    at.sidebar.radio(key="lang_ui").set_value("vi").run()
    assert not at.exception, [e.value for e in at.exception]
    assert open_tab(at) == "Mức độ đầy đủ"
    assert at.query_params["tab"] == "coverage"
    assert len(frame(at, "T1/2019")) == 4


def test_good_file_is_checked_then_imported_on_confirm(db: Path, monkeypatch) -> None:
    at = open_page(db, monkeypatch)
    at.text_input(key="data_operator").input("Văn phòng")
    at.file_uploader[0].set_value([("receptions.csv", GOOD, "text/csv")])
    at.run()
    assert not at.exception
    assert any("Không có lỗi: 2 dòng hợp lệ" in s.value for s in at.success)
    preview = frame(at, "Dòng đọc được", "Thêm mới")
    assert preview.iloc[0]["Thêm mới"] == 2
    assert count(db, "SELECT count(*) FROM receptions WHERE reception_id LIKE 'UP%'") == 0
    at.button(key="data_confirm").click().run()
    assert not at.exception
    assert any("Đã nhập (lần nhập số 1)" in s.value for s in at.success)
    assert count(db, "SELECT count(*) FROM receptions WHERE reception_id LIKE 'UP%'") == 2
    assert not at.file_uploader[0].value, "the uploader is emptied after an import"
    at.query_params["tab"] = "log"
    at.run()
    log = frame(at, "Người nhập", "Tệp")
    assert log.iloc[0]["Người nhập"] == "Văn phòng"
    assert log.iloc[0]["Tệp"] == "receptions.csv"
    assert log.iloc[0]["Thêm mới"] == 2


def test_bad_file_lists_every_fault_and_offers_no_import(db: Path, monkeypatch) -> None:
    at = open_page(db, monkeypatch)
    at.file_uploader[0].set_value([("receptions.csv", BAD, "text/csv")])
    at.run()
    assert not at.exception
    assert any("4 lỗi: chưa nhập dòng nào" in e.value for e in at.error)
    faults = frame(at, "Lý do")
    assert list(faults.columns) == ["Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Lý do"]
    got = {(r["Dòng"], r["Cột"], r["Giá trị"]) for _, r in faults.iterrows()}
    assert got == {
        (2, "B (reception_date)", "31/02/2019"),
        (3, "E (host)", "boss"),
        (3, "G (citizens)", "-1"),
        (3, "D (commune_code)", "99999"),
    }
    assert {b.key for b in at.download_button} >= {"data_faults_csv", "data_faults_xlsx"}
    assert not [b for b in at.button if b.key == "data_confirm"]
    assert count(db, "SELECT count(*) FROM import_log") == 0


def test_good_and_bad_file_together_import_nothing(db: Path, monkeypatch) -> None:
    at = open_page(db, monkeypatch)
    at.file_uploader[0].set_value(
        [
            ("communes.csv", b"commune_code,name,kind\n00009,X,xa\n", "text/csv"),
            ("receptions.csv", BAD, "text/csv"),
        ]
    )
    at.run()
    assert at.error
    assert not [b for b in at.button if b.key == "data_confirm"]
    assert count(db, "SELECT count(*) FROM communes") == 4


def test_upload_over_the_size_limit_says_so(db: Path, monkeypatch) -> None:
    monkeypatch.setattr("data.importer.MAX_FILE_BYTES", 100)
    at = open_page(db, monkeypatch)
    at.file_uploader[0].set_value([("receptions.csv", GOOD, "text/csv")])
    at.run()
    faults = frame(at, "Lý do")
    assert "vượt giới hạn" in faults.iloc[0]["Lý do"]


def test_english_page(db: Path, monkeypatch) -> None:
    at = open_page(db, monkeypatch, lang="en")
    assert at.title[0].value == "Data"
    at.file_uploader[0].set_value([("receptions.csv", BAD, "text/csv")])
    at.run()
    faults = frame(at, "Reason")
    assert "Reason" in faults.columns
    assert "not a valid date" in " ".join(faults["Reason"])


def test_personal_data_columns_are_announced_as_dropped(db: Path, monkeypatch) -> None:
    at = open_page(db, monkeypatch)
    text = GOOD.replace(b"cases\n", b"cases,H\xe1\xbb\x8d t\xc3\xaan\n", 1)
    at.file_uploader[0].set_value([("receptions.csv", text, "text/csv")])
    at.run()
    assert any("Họ tên" in w.value and "receptions" in w.value for w in at.warning)


# --------------------------------------------------------------------------- validity (v2)

UNITS = (
    b"commune_code,name,kind,parent_code,valid_from,valid_to\n"
    b"00009,X\xc3\xa3 Ch\xc3\xadn,xa,,2019-03-01,\n"  # formed on 01/03/2019
    b"00010,X\xc3\xa3 M\xc6\xb0\xe1\xbb\x9di,xa,,,2019-02-15\n"  # ended mid-February
    b"00011,X\xc3\xa3 C\xc5\xa9,xa,,,2018-12-31\n"  # ended before 2019
)
SUCCESSIONS = b"old_code,new_code,effective_date\n00010,00009,2019-03-01\n"
UNIT_RECEPTION = (
    b"reception_id,reception_date,level,commune_code,host,kind,citizens,cases\n"
    b"UV1,2019-03-05,xa,00009,chu_tich,dinh_ky,1,1\n"
)


def _load_units(db: Path) -> None:
    from data.importer import import_uploads

    result = import_uploads(
        [
            ("communes.csv", UNITS),
            ("unit_successions.csv", SUCCESSIONS),
            ("receptions.csv", UNIT_RECEPTION),
        ],
        db,
    )
    assert result.ok, [f.message("en") for f in result.faults]


def test_completeness_expects_records_only_while_a_commune_existed(db: Path) -> None:
    """January–April 2019: Xã Chín (from 01/03/2019) is not applicable in January and
    February, has its one reception in March and a gap in April; Xã Mười (to 15/02/2019)
    has gaps in January and February (it existed on some of their days) and is not
    applicable from March; Xã Cũ (to 31/12/2018) is not listed at all."""
    from datetime import date

    from data import coverage

    _load_units(db)
    grid = coverage.completeness(date(2019, 1, 1), date(2019, 4, 30), db, tables=("receptions",))
    assert list(grid.index) == ["00001", "00002", "00003", "00004", "00009", "00010"]
    months = ["2019-01", "2019-02", "2019-03", "2019-04"]
    assert list(grid.columns) == ["name", "valid_from", "valid_to", *months]
    assert grid.loc["00009", months].tolist() == [pd.NA, pd.NA, 1, 0]
    assert grid.loc["00010", months].tolist() == [0, 0, pd.NA, pd.NA]
    assert grid.loc["00009", "valid_from"] == date(2019, 3, 1)
    assert grid.loc["00010", "valid_to"] == date(2019, 2, 15)
    # Fixture communes are open: every month applies (00001's receptions: R12, R13 in
    # January, R14 in February, R15 in March).
    assert grid.loc["00001", months].tolist() == [2, 1, 1, 0]
    # A period that starts after Xã Mười ended and ends before Xã Chín began lists neither.
    grid = coverage.completeness(date(2019, 2, 16), date(2019, 2, 28), db)
    assert "00010" not in grid.index and "00009" not in grid.index


def test_units_list_validity_parent_and_successor(db: Path) -> None:
    """Every commune with its validity dates and, for a merged one, its successor."""
    from datetime import date

    from data import coverage

    _load_units(db)
    rows = {u["commune_code"]: u for u in coverage.units(db)}
    assert (rows["00009"]["valid_from"], rows["00009"]["valid_to"]) == (date(2019, 3, 1), None)
    assert (rows["00010"]["successor"], rows["00010"]["succession_date"]) == (
        "00009",
        date(2019, 3, 1),
    )
    assert rows["00001"]["successor"] is None and rows["00001"]["valid_from"] is None


def test_page_shows_validity_and_not_applicable_months(db: Path, monkeypatch) -> None:
    """The grid labels a commune with the days it existed and shows its months outside them
    as not applicable; the units table lists validity and successor."""
    _load_units(db)
    at = open_page(db, monkeypatch, tab="coverage")
    grid = frame(at, "T1/2019")
    chin = "Xã Chín (00009) · từ 01/03/2019"
    muoi = "Xã Mười (00010) · đến 15/02/2019"
    assert chin in grid.index and muoi in grid.index
    assert "Xã Cũ (00011) · đến 31/12/2018" not in grid.index
    assert pd.isna(grid.loc[chin, "T1/2019"]) and grid.loc[chin, "T3/2019"] == 1
    assert grid.loc[muoi, "T2/2019"] == 0 and pd.isna(grid.loc[muoi, "T12/2019"])
    units = frame(at, "Thời gian hiệu lực", "Sáp nhập vào")
    row = units[units["Mã"] == "00010"].iloc[0]
    assert row["Thời gian hiệu lực"] == "đến 15/02/2019"
    assert row["Sáp nhập vào"] == "00009 (01/03/2019)"
    assert units[units["Mã"] == "00001"].iloc[0]["Thời gian hiệu lực"] == "không giới hạn"
    cov = frame(at, "Bảng", "Số dòng", "Lần nhập gần nhất")
    assert cov[cov["Bảng"].str.contains("unit_successions")].iloc[0]["Số dòng"] == "1"


# --------------------------------------------------------------------------- cached coverage


def receptions_grid(at: AppTest) -> AppTest:
    """The grid counting receptions alone (the fixture's are listed by commune and date)."""
    return at.multiselect(key="data_grid_tables").set_value(["receptions"]).run()


def test_coverage_follows_an_import_without_a_restart(db: Path, monkeypatch) -> None:
    """March 2019 holds one reception of Xã Một (R15) and one of Thị trấn Hai (R17), 20
    receptions in all; importing UP1 (00001, 05/03) and UP2 (00002, 12/03) gives 2, 2 and 22
    on the next run, though the figures were cached."""
    at = receptions_grid(open_page(db, monkeypatch, tab="coverage"))
    grid = frame(at, "T3/2019")
    assert grid.loc["Xã Một (00001)", "T3/2019"] == 1
    assert grid.loc["Thị trấn Hai (00002)", "T3/2019"] == 1
    cov = frame(at, "Bảng", "Số dòng")
    assert cov[cov["Bảng"].str.contains("(receptions)", regex=False)].iloc[0]["Số dòng"] == "20"

    from data.importer import import_uploads

    assert import_uploads([("receptions.csv", GOOD)], db).ok
    at.run()
    grid = frame(at, "T3/2019")
    assert grid.loc["Xã Một (00001)", "T3/2019"] == 2
    assert grid.loc["Thị trấn Hai (00002)", "T3/2019"] == 2
    assert grid.loc["Xã Một (00001)", "T4/2019"] == 0
    cov = frame(at, "Bảng", "Số dòng")
    assert cov[cov["Bảng"].str.contains("(receptions)", regex=False)].iloc[0]["Số dòng"] == "22"


def test_coverage_is_computed_once_per_warehouse_file_and_choice(db: Path, monkeypatch) -> None:
    """Reruns reuse the grid, the table counts and the unit list; another choice of tables
    computes the grid once more, and coming back to the first choice does not."""
    from data import coverage

    calls: list[str] = []
    for name in ("table_coverage", "completeness", "units"):
        real = getattr(coverage, name)
        monkeypatch.setattr(
            coverage, name, lambda *a, _n=name, _f=real, **k: calls.append(_n) or _f(*a, **k)
        )
    at = open_page(db, monkeypatch, tab="coverage")
    assert sorted(calls) == ["completeness", "table_coverage", "units"]
    at.run()
    at.run()
    assert len(calls) == 3
    receptions_grid(at)
    assert calls[3:] == ["completeness"]
    at.multiselect(key="data_grid_tables").set_value(
        [t.name for t in coverage.COMMUNE_EVENTS]
    ).run()
    assert len(calls) == 4
    assert not at.exception


def test_cached_grid_is_kept_apart_per_access_scope(db: Path) -> None:
    """The same period and warehouse under two scopes: every commune, then Xã Một alone."""
    from datetime import date

    from metrics import Filters
    from metrics.engine import Scope, reset_scope, set_scope
    from views import cache

    f = Filters(date(2019, 1, 1), date(2019, 3, 31), scope=None)
    assert list(cache.completeness(f, ("receptions",), db).index) == [
        "00001",
        "00002",
        "00003",
        "00004",
    ]
    token = set_scope(Scope(frozenset({"00001"}), frozenset({"00001"}), False, False))
    try:
        grid = cache.completeness(f, ("receptions",), db)
        units = cache.units(db)
    finally:
        reset_scope(token)
    assert list(grid.index) == ["00001"]
    assert grid.loc["00001", ["2019-01", "2019-02", "2019-03"]].tolist() == [2, 1, 1]
    assert [u["commune_code"] for u in units] == ["00001"]


def cell_styles(table) -> dict[tuple[int, int], str]:
    """(row, column) → the CSS a styled table gives that cell."""
    out: dict[tuple[int, int], str] = {}
    for rule in table.proto.arrow_data.styler.styles.split("}"):
        if "{" not in rule:
            continue
        selectors, css = rule.split("{")
        for selector in selectors.split(","):
            row, col = selector.strip().rsplit("_row", 1)[1].split("_col")
            out[int(row), int(col)] = css.strip().rstrip(";")
    return out


def test_grid_marks_gaps_red_and_months_outside_a_commune_grey(db: Path, monkeypatch) -> None:
    """Receptions, 2019: Xã Một (row 0) reported in January–March and nothing in April
    (red); Xã Chín (from 01/03/2019) is not applicable in January (grey, shown as —) and
    reported in March (no colour)."""
    _load_units(db)
    at = receptions_grid(open_page(db, monkeypatch, tab="coverage"))
    table = next(d for d in at.dataframe if "T1/2019" in d.value.columns)
    rows = list(table.value.index)
    one, chin = rows.index("Xã Một (00001)"), rows.index("Xã Chín (00009) · từ 01/03/2019")
    styles = cell_styles(table)
    red = "background-color: #f4c7c3; color: #7f1d1d"
    grey = "background-color: #eeeeee; color: #6b6b6b"
    assert (one, 0) not in styles and (one, 2) not in styles
    assert styles[one, 3] == red
    assert styles[chin, 0] == grey and styles[chin, 1] == grey
    assert (chin, 2) not in styles and styles[chin, 3] == red
    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(
        table.proto.arrow_data.styler.display_values
    )
    assert shown.iloc[chin, 0] == "—" and shown.iloc[one, 0] == "2"

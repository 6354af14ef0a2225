"""Tables on screen: what the browser is sent to draw each column, on the hand-built fixture.

A count or date column goes raw, with a column format the grid prints exactly as
metrics.format writes it (so it sorts by number or date); a table with a rate, days, a
number or a month goes through a Styler whose display texts are metrics.format's strings.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from metrics import Filters
from views import downloads
from views.downloads import Col, grid_format

ROOT = Path(__file__).resolve().parents[1]


def open_page(db: Path, monkeypatch: pytest.MonkeyPatch, script: str, tab: str, lang: str = "vi"):
    monkeypatch.setenv("DANVAN_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["tab"] = tab
    at.run()
    at.switch_page(script).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tables(at: AppTest, first_header: str) -> list:
    return [d for d in at.dataframe if d.value.columns[0] == first_header]


def formats(table) -> dict[str, dict]:
    """Header → the column's type and format, as sent to the browser."""
    return {h: c.get("type_config", {}) for h, c in json.loads(table.proto.columns).items()}


def display(table) -> pd.DataFrame:
    """The texts a styled table shows (the raw values stay in `table.value`)."""
    return dataframe_util.convert_arrow_bytes_to_pandas_df(
        table.proto.arrow_data.styler.display_values
    )


def test_case_list_sends_raw_dates_and_days_with_exact_formats(fixture_db, monkeypatch):
    """P24 (received 10/01/2017, accepted 15/01/2017, due 16/03/2017 with 60 days): 290
    days late by the end of 2017, 1020 by 31/12/2019; sent as numbers and dates, drawn
    `%'.,d` (1.020) and DD/MM/YYYY, with no Styler."""
    at = open_page(fixture_db, monkeypatch, "views/petitions.py", "cases")
    cases = tables(at, "Mã đơn")[1]
    assert not cases.proto.arrow_data.styler.uuid
    first = cases.value.iloc[0]
    assert first["Mã đơn"] == "P24"
    assert first["Hạn giải quyết"] == date(2017, 3, 16)
    assert first["Số ngày quá hạn"] == 1020
    f = formats(cases)
    assert f["Số ngày quá hạn"] == {"type": "number", "format": "%'.,d"}
    assert f["Hạn giải quyết"] == {"type": "date", "format": "DD/MM/YYYY"}
    assert f["Mã đơn"] == {} and f["Tình trạng (cuối kỳ)"] == {}


def test_case_list_in_english_uses_english_marks(fixture_db, monkeypatch):
    at = open_page(fixture_db, monkeypatch, "views/petitions.py", "cases", lang="en")
    f = formats(tables(at, "Petition ID")[1])
    assert f["Days late"] == {"type": "number", "format": "%',,d"}
    assert f["Due"] == {"type": "date", "format": "D MMM YYYY"}


def test_rate_table_shows_the_format_strings_and_keeps_the_numbers(fixture_db, monkeypatch):
    """Hành chính 2019: 28 of 40 good or better (70,00%), 2018: 5 of 10 (50,00%), +20,0
    points; the values behind the texts stay 0.7, 0.5 and 20."""
    at = open_page(fixture_db, monkeypatch, "views/staff.py", "ratings")
    sectors = tables(at, "Khối")[0]
    assert sectors.proto.arrow_data.styler.uuid
    shown = display(sectors).set_index("Khối").loc["Hành chính"]
    assert shown["Số được đánh giá"] == "40"
    assert shown["Tỷ lệ hoàn thành tốt trở lên"] == "70,00%"
    assert shown["Kỳ trước"] == "50,00%"
    assert shown["Thay đổi (điểm %)"] == "20,0"
    raw = sectors.value.set_index("Khối").loc["Hành chính"]
    assert raw["Tỷ lệ hoàn thành tốt trở lên"] == pytest.approx(0.7)
    assert raw["Thay đổi (điểm %)"] == pytest.approx(20)


def test_a_count_with_a_fraction_is_sent_as_text() -> None:
    """The grid would cut 2.5 to 2 where metrics.format writes 2: the column goes as
    text; whole counts (missing ones too) and dates keep their grid format."""
    assert grid_format(pd.Series([1, 2.5]), "count", "vi") is None
    assert grid_format(pd.Series([1, None, 1020.0]), "count", "vi") == "%'.,d"
    assert grid_format(pd.Series([date(2019, 1, 1), None]), "date", "en") == "D MMM YYYY"
    assert grid_format(pd.Series([0.5]), "rate", "vi") is None
    assert grid_format(pd.Series(["2019-03"]), "month", "vi") is None


def test_show_table_styles_only_a_table_that_needs_texts(monkeypatch) -> None:
    """Counts and dates alone: the frame itself is drawn. With a rate: a Styler showing
    86,59% and the dash, over the raw 0.8659 and None."""
    drawn: list = []
    monkeypatch.setattr(downloads.st, "dataframe", lambda data, **kw: drawn.append(data))
    monkeypatch.setattr(downloads.st, "download_button", lambda *_, **__: None)
    df = pd.DataFrame({"n": [6122, 5], "due": [date(2019, 12, 31), None], "rate": [0.8659, None]})
    common = {
        "page": "petitions",
        "table": "tbl_cases_open",
        "filters": Filters.year(2019),
        "communes": {},
        "key": "t",
    }
    cols = [Col("n", "col_received", "count"), Col("due", "col_due_date", "date")]
    downloads.show_table(df, cols, "vi", **common)
    assert isinstance(drawn[0], pd.DataFrame)
    assert drawn[0]["Tiếp nhận"].tolist() == [6122, 5]
    downloads.show_table(df, [*cols, Col("rate", "col_on_time_rate", "rate")], "vi", **common)
    styler = drawn[1]
    assert styler.data["Tỷ lệ đúng hạn"].tolist()[0] == 0.8659
    html = styler.to_html()
    assert "86,59%" in html and "6.122" in html and "31/12/2019" in html and "—" in html

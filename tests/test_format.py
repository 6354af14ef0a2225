"""One formatting API by unit: screen strings, Plotly settings and Excel formats, vi and en;
the files written from a table keep numbers typed and text that looks like a formula inert."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from metrics import format as fmt
from metrics.format import cell_value
from views.downloads import cell_text, to_csv, to_xlsx


@pytest.mark.parametrize(
    ("x", "unit", "lang", "expected"),
    [
        (6122, "count", "vi", "6.122"),
        (6122, "count", "en", "6,122"),
        (0.8659, "rate", "vi", "86,59%"),
        (0.8659, "rate", "en", "86.59%"),
        (12.5, "days", "vi", "12,5 ngày"),
        (12.5, "days", "en", "12.5 days"),
        (1234.5, "number", "vi", "1.234,5"),
        (date(2019, 12, 31), "date", "vi", "31/12/2019"),
        (date(2019, 12, 31), "date", "en", "31 Dec 2019"),
        (None, "rate", "vi", "—"),
    ],
)
def test_unit_format_text_is_the_screen_string(x, unit, lang, expected) -> None:
    assert fmt.unit_format(unit, lang).text(x) == expected


def test_days_in_a_table_leave_the_unit_to_the_header() -> None:
    assert fmt.unit_format("days", "vi").text(12.5, with_unit=False) == "12,5"


def test_existing_helpers_agree_with_unit_format() -> None:
    """The names the pages call keep working and give the same strings."""
    assert fmt.value(6122, "count") == "6.122"
    assert fmt.value(0.8659, "rate", "en") == "86.59%"
    assert fmt.number(6122, "vi") == "6.122"
    assert fmt.percent(0.7631, "vi") == "76,31%"
    assert fmt.day(date(2019, 12, 31)) == "31/12/2019"
    assert fmt.axis_format("rate") == ".0%"
    assert fmt.hover_format("count") == ",d"


@pytest.mark.parametrize(("lang", "expected"), [("vi", ",."), ("en", ".,")])
def test_plotly_separators_are_decimal_then_thousands(lang, expected) -> None:
    assert fmt.separators(lang) == expected
    assert fmt.unit_format("count", lang).separators == expected


@pytest.mark.parametrize(
    ("unit", "tick", "hover", "xlsx", "integer"),
    [
        ("count", ",d", ",d", "#,##0", True),
        ("rate", ".0%", ".2%", "0.00%", False),
        ("days", ",.1f", ",.1f", "#,##0.0", False),
        ("number", ",.1f", ",.1f", "#,##0.0", False),
        ("date", "%d/%m/%Y", "%d/%m/%Y", "dd/mm/yyyy", False),
    ],
)
def test_plotly_and_excel_formats_per_unit(unit, tick, hover, xlsx, integer) -> None:
    f = fmt.unit_format(unit, "vi")
    assert (f.tickformat, f.hoverformat, f.xlsx, f.integer) == (tick, hover, xlsx, integer)
    assert fmt.xlsx_format(unit) == xlsx


def test_english_dates_in_excel_spell_the_month() -> None:
    assert fmt.xlsx_format("date", "en") == "d mmm yyyy"
    assert fmt.unit_format("date", "en").tickformat == "%d %b %Y"


def test_an_unknown_unit_is_written_as_a_count() -> None:
    assert fmt.unit_format("dossiers", "vi").text(6122) == "6.122"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+84", "'+84"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Xã Một", "Xã Một"),
        (-5, -5),
        (None, None),
    ],
)
def test_csv_cells_that_would_be_formulas_get_an_apostrophe(value, expected) -> None:
    assert cell_text(value) == expected


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("'=1+1", "=1+1"),
        ("'+84", "+84"),
        ("'-2+3", "-2+3"),
        ("'@SUM(A1)", "@SUM(A1)"),
        ("'\tx", "\tx"),
        ("'\rx", "\rx"),
        ("'Xã Một", "'Xã Một"),  # an apostrophe that guards nothing is the text's own
        ("''=1", "''=1"),
        ("'", "'"),
        ("=1+1", "=1+1"),
        ("Xã Một", "Xã Một"),
    ],
)
def test_a_guarded_cell_reads_back_as_the_text_it_stands_for(cell, value) -> None:
    assert cell_value(cell) == value


def _table() -> tuple[pd.DataFrame, dict[str, str]]:
    frame = pd.DataFrame(
        {"Xã": ["=HYPERLINK(1)", "Xã Một"], "Hồ sơ": [6122, 5], "Tỷ lệ": [0.8659, 0.5]}
    )
    return frame, {"Xã": "text", "Hồ sơ": "count", "Tỷ lệ": "rate"}


def test_csv_keeps_formula_text_inert_and_numbers_plain() -> None:
    frame, kinds = _table()
    text = to_csv(frame, kinds).decode("utf-8-sig").splitlines()
    assert text == ["Xã,Hồ sơ,Tỷ lệ (%)", "'=HYPERLINK(1),6122,86.59", "Xã Một,5,50.0"]


def test_xlsx_cells_use_the_unit_formats_and_text_stays_a_string() -> None:
    frame, kinds = _table()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, kinds, "Bảng", [], "Bộ lọc")))
    sheet = book.worksheets[0]
    assert sheet["A2"].value == "=HYPERLINK(1)"
    assert sheet["A2"].data_type == "s"
    assert (sheet["B2"].value, sheet["B2"].number_format) == (6122, "#,##0")
    assert (sheet["C2"].value, sheet["C2"].number_format) == (0.8659, "0.00%")


# --------------------------------------------------------------------------- whole columns


@pytest.mark.parametrize(
    ("values", "unit", "lang", "expected"),
    [
        ([6122, None, 1234567, -1234], "count", "vi", ["6.122", "—", "1.234.567", "-1.234"]),
        ([6122, 1020.0], "count", "en", ["6,122", "1,020"]),
        ([0.8659, 0.5, None, 1], "rate", "vi", ["86,59%", "50,00%", "—", "100,00%"]),
        ([0.8659], "rate", "en", ["86.59%"]),
        ([12.5, 0], "days", "vi", ["12,5 ngày", "0,0 ngày"]),
        ([12.5], "days", "en", ["12.5 days"]),
        ([1234.5, float("nan")], "number", "vi", ["1.234,5", "—"]),
        (
            [date(2019, 12, 31), None, pd.Timestamp("2020-01-05")],
            "date",
            "vi",
            ["31/12/2019", "—", "05/01/2020"],
        ),
        ([date(2019, 12, 31), date(2020, 1, 5)], "date", "en", ["31 Dec 2019", "5 Jan 2020"]),
    ],
)
def test_a_column_is_written_whole_with_the_unit_strings(values, unit, lang, expected) -> None:
    assert fmt.column(values, unit, lang).tolist() == expected


def test_a_column_of_days_in_a_table_leaves_the_unit_to_the_header() -> None:
    assert fmt.column([12.5, None], "days", "vi", with_unit=False).tolist() == ["12,5", "—"]


def test_a_column_keeps_its_index_and_reads_every_kind_of_missing() -> None:
    s = pd.Series([None, float("nan"), pd.NA, 7], index=[10, 20, 30, 40], dtype=object)
    out = fmt.column(s, "count", "vi")
    assert out.to_dict() == {10: "—", 20: "—", 30: "—", 40: "7"}
    assert fmt.column(pd.Series([1.5, None], dtype="Float64"), "number").tolist() == ["1,5", "—"]
    assert fmt.column([], "rate").tolist() == []


@pytest.mark.parametrize(
    ("x", "unit", "expected"),
    [
        # Half to even on the written decimal, as Babel rounds: 1.015 % → 1,02 % though the
        # float 0.01015 lies a little below it; 0.25 → 0,2 and 0.35 → 0,4.
        (0.01015, "rate", "1,02%"),
        (0.86585, "rate", "86,58%"),
        (0.25, "number", "0,2"),
        (0.35, "number", "0,4"),
        (2.5, "count", "2"),
        (3.5, "count", "4"),
    ],
)
def test_a_column_rounds_a_half_as_the_single_value_does(x, unit, expected) -> None:
    assert fmt.column([x], unit, "vi").tolist() == [expected]
    assert fmt.value(x, unit, "vi") == expected


@pytest.mark.parametrize(
    ("unit", "lang", "grid"),
    [
        ("count", "vi", "%'.,d"),
        ("count", "en", "%',,d"),
        ("date", "vi", "DD/MM/YYYY"),
        ("date", "en", "D MMM YYYY"),
        ("rate", "vi", None),
        ("days", "vi", None),
        ("number", "en", None),
    ],
)
def test_table_column_format_only_where_the_table_prints_it_exactly(unit, lang, grid) -> None:
    """The grid prints whole numbers with a chosen thousands mark and dates by a pattern;
    a decimal comma or a percentage it cannot print, so those columns go as text."""
    assert fmt.unit_format(unit, lang).grid == grid

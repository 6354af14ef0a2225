"""Units drive formatting: one place turns a KPI value into text, in `vi` or `en`.

Vietnamese style is `6.122`, `86,59%`, `31/12/2019`, through Babel's `vi` locale.
`unit_format(unit, lang)` is the single source: the screen string, the Plotly tick, hover
and separator settings, the grid column format and the Excel number format of a unit all
come from it. `column(values, unit, lang)` writes a whole table column at once, with the
same strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.dates import get_month_names
from babel.numbers import (
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)

LANGS = ("vi", "en")
MISSING = "—"


def locale(lang: str) -> str:
    return "en_US" if lang == "en" else "vi_VN"


@dataclass(frozen=True)
class UnitFormat:
    """How values of one unit are written in one language, on every surface.

    `text` is the screen string (Babel); `tickformat` / `hoverformat` are d3 formats for
    Plotly, read with `separators` (decimal mark then thousands mark); `xlsx` is the Excel
    number format code (Excel applies the reader's own separators to it); `grid` is the
    format of a Streamlit table column (printf for numbers, day.js for dates) when the
    table can print the value exactly as `text` does, None when it cannot (a decimal comma,
    a percentage): such a column is sent as text.
    """

    unit: str
    lang: str
    decimals: int
    tickformat: str
    hoverformat: str
    separators: str
    xlsx: str
    suffix: str = ""
    integer: bool = False  # whole values only: an axis must not draw 0.5 ticks
    grid: str | None = None

    def text(self, x: float | int | date | None, with_unit: bool = True) -> str:
        """The screen string; `with_unit=False` leaves out a word such as " ngày" for a
        table whose header already names the unit."""
        if x is None:
            return MISSING
        if self.unit == "date":
            return day(x, self.lang)  # type: ignore[arg-type]
        if self.unit == "rate":
            return percent(x, self.lang, self.decimals)  # type: ignore[arg-type]
        out = number(x, self.lang, self.decimals)  # type: ignore[arg-type]
        return out + self.suffix if with_unit else out


# unit: (decimals on screen, d3 axis format, d3 hover format, Excel format code)
_UNITS: dict[str, tuple[int, str, str, str]] = {
    "count": (0, ",d", ",d", "#,##0"),
    "rate": (2, ".0%", ".2%", "0.00%"),
    "days": (1, ",.1f", ",.1f", "#,##0.0"),
    "number": (1, ",.1f", ",.1f", "#,##0.0"),  # a plain average, one decimal
    "date": (0, "%d/%m/%Y", "%d/%m/%Y", "dd/mm/yyyy"),
}
_DATE_EN = ("%d %b %Y", "d mmm yyyy")
_SUFFIX = {"days": (" ngày", " days")}
# Table column formats. `%'.,d` is printf's "thousands separator ',' drawn as '.'": whole
# numbers only (the grid truncates a fraction), so a count column of fractions goes as text.
_GRID_DATE = {"vi": "DD/MM/YYYY", "en": "D MMM YYYY"}
UNITS = tuple(_UNITS)


def unit_format(unit: str, lang: str = "vi") -> UnitFormat:
    """The formats of a KPI unit (count, rate, days, number, date) in `lang`; an unknown
    unit is written as a count."""
    decimals, tick, hover, xlsx = _UNITS.get(unit, _UNITS["count"])
    if unit == "date" and lang == "en":
        tick = hover = _DATE_EN[0]
        xlsx = _DATE_EN[1]
    vi, en = _SUFFIX.get(unit, ("", ""))
    known = unit if unit in _UNITS else "count"
    grid = None
    if known == "count":
        grid = f"%'{get_group_symbol(locale(lang))},d"
    elif known == "date":
        grid = _GRID_DATE["en" if lang == "en" else "vi"]
    return UnitFormat(
        unit=known,
        lang=lang,
        decimals=decimals,
        tickformat=tick,
        hoverformat=hover,
        separators=separators(lang),
        xlsx=xlsx,
        suffix=en if lang == "en" else vi,
        integer=unit not in ("rate", "days", "number", "date"),
        grid=grid,
    )


def number(x: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    if x is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(x, format=pattern, locale=locale(lang))


def percent(x: float | None, lang: str = "vi", decimals: int = 2) -> str:
    if x is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(x, format=pattern, locale=locale(lang))


def value(x: float | int | None, unit: str, lang: str = "vi") -> str:
    """A KPI value printed by its unit: counts whole, rates as percent, days to one decimal."""
    return unit_format(unit, lang).text(x)


def change(diff: float, unit: str, lang: str = "vi") -> tuple[int, str]:
    """A change against the previous period: its sign as it is shown (1, -1, or 0 when
    too small to show) and its amount without sign, by unit: a rate in percentage points
    (`6,59`, the caller names the points), days with their unit (`2,0 ngày`), a count whole
    (`1.122`)."""
    if unit == "rate":
        shown, amount = round(diff * 100, 2), number(abs(diff) * 100, lang, 2)
    elif unit == "days":
        shown, amount = round(diff, 1), value(abs(diff), "days", lang)
    else:
        shown, amount = round(diff, 1), number(abs(diff), lang)
    return (shown > 0) - (shown < 0), amount


def day(d: date | None, lang: str = "vi") -> str:
    if d is None:
        return MISSING
    return _babel_date(d, "dd/MM/yyyy" if lang == "vi" else "d MMM yyyy", locale=locale(lang))


def validity(valid_from: date | None, valid_to: date | None, lang: str = "vi") -> str:
    """The days a unit existed, for a label: 'đến 30/06/2025', 'từ 01/07/2025', both as a
    span, or '' for a unit that always existed."""
    if valid_from and valid_to:
        return f"{day(valid_from, lang)} – {day(valid_to, lang)}"
    if valid_to:
        return f"{'until' if lang == 'en' else 'đến'} {day(valid_to, lang)}"
    if valid_from:
        return f"{'from' if lang == 'en' else 'từ'} {day(valid_from, lang)}"
    return ""


def unit_label(
    name: str, valid_from: date | None = None, valid_to: date | None = None, lang: str = "vi"
) -> str:
    """A unit's name with the days it existed when it began or ended:
    'Thị trấn Việt Quang (đến 30/06/2025)', 'Xã Bắc Quang (từ 01/07/2025)'."""
    span = validity(valid_from, valid_to, lang)
    return f"{name} ({span})" if span else name


def month(key: str, lang: str = "vi") -> str:
    """'2019-03' → 'T3/2019' (vi) or 'Mar 2019' (en)."""
    y, m = int(key[:4]), int(key[5:7])
    if lang == "vi":
        return f"T{m}/{y}"
    return _babel_date(date(y, m, 1), "MMM yyyy", locale=locale(lang))


@lru_cache(maxsize=8)
def _symbols(lang: str) -> tuple[dict[int, str], tuple[str, ...]]:
    """The locale's marks for `column`: a translation from Python's `1,234.5` (group,
    decimal, minus) and the abbreviated month names (1 to 12)."""
    loc = locale(lang)
    marks = str.maketrans(
        {",": get_group_symbol(loc), ".": get_decimal_symbol(loc), "-": get_minus_sign_symbol(loc)}
    )
    months = get_month_names("abbreviated", "format", loc)
    return marks, tuple(months[m] for m in range(1, 13))


def column(
    values: pd.Series | Iterable, unit: str, lang: str = "vi", with_unit: bool = True
) -> pd.Series:
    """A whole column of values as screen text, in one pass: for each value the string
    `unit_format(unit, lang).text(value, with_unit)` gives (MISSING for a missing one),
    without asking Babel for the locale's marks cell by cell. The index is kept.

    Numbers are rounded as Babel rounds them (half to even, on the value's shortest
    decimal form), so `column` and `value` never disagree on a last digit.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    f = unit_format(unit, lang)
    marks, months = _symbols(lang)
    present = s.notna().to_numpy()
    xs = s[present].tolist()
    if f.unit == "date":
        if lang == "en":
            texts = [f"{d.day} {months[d.month - 1]} {d.year:04d}" for d in xs]
        else:
            texts = [f"{d.day:02d}/{d.month:02d}/{d.year:04d}" for d in xs]
    else:
        spec = f",.{f.decimals}f"
        if f.unit == "rate":
            texts = [format(Decimal(str(x)).scaleb(2), spec).translate(marks) + "%" for x in xs]
        else:
            end = f.suffix if with_unit else ""
            texts = [format(Decimal(str(x)), spec).translate(marks) + end for x in xs]
    out = pd.Series(MISSING, index=s.index, dtype=object)
    out[present] = texts
    return out


def separators(lang: str) -> str:
    """Plotly's `separators` layout string: decimal mark then thousands mark."""
    return get_decimal_symbol(locale(lang)) + get_group_symbol(locale(lang))


def axis_format(unit: str) -> str:
    """A d3 tick format for an axis showing values of this unit."""
    return unit_format(unit).tickformat


def hover_format(unit: str) -> str:
    return unit_format(unit).hoverformat


def xlsx_format(unit: str, lang: str = "vi") -> str:
    return unit_format(unit, lang).xlsx


# A cell a spreadsheet would read as a formula (or as a command, for tab and CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(x: object) -> object:
    """A text cell for a CSV file: a leading apostrophe keeps `=1+1`, `@SUM(...)` or
    `-2+3` as text in Excel and LibreOffice. Numbers and missing values pass unchanged.
    Every CSV the product writes (table downloads, fault reports) goes through it."""
    if isinstance(x, str) and x.startswith(FORMULA_START):
        return "'" + x
    return x


def cell_value(text: str) -> str:
    """The text a cell written by `cell_text` stands for: the apostrophe before a leading
    `=`, `+`, `-`, `@`, tab or carriage return is dropped; any other text is unchanged. The
    importer reads every text cell through it, so a contract file the product wrote (or
    one Excel saved back with the apostrophe) imports the value it holds."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_START:
        return text[1:]
    return text

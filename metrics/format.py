"""Units drive formatting: one place turns a KPI value into text, in `vi` or `en`.

Vietnamese style is `6.122`, `86,59%`, `31/12/2019`, through Babel's `vi` locale.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

LANGS = ("vi", "en")
MISSING = "—"


def locale(lang: str) -> str:
    return "en_US" if lang == "en" else "vi_VN"


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
    if unit == "rate":
        return percent(x, lang)
    if unit == "days":
        if x is None:
            return MISSING
        return number(x, lang, 1) + (" ngày" if lang == "vi" else " days")
    return number(x, lang)


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


def separators(lang: str) -> str:
    """Plotly's `separators` layout string: decimal mark then thousands mark."""
    return get_decimal_symbol(locale(lang)) + get_group_symbol(locale(lang))


def axis_format(unit: str) -> str:
    """A d3 tick format for an axis showing values of this unit."""
    return {"rate": ".0%", "days": ",.1f"}.get(unit, ",d")


def hover_format(unit: str) -> str:
    return {"rate": ".2%", "days": ",.1f"}.get(unit, ",d")

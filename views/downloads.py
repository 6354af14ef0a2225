"""Tables of the domain pages: shown in the chosen language, downloadable as CSV and .xlsx.

A table is a DataFrame plus a list of `Col` specs saying, for each column, its header (an
i18n key) and its kind: a count, a rate, days, a date, a yes/no, a commune (code and name)
or a coded value shown by its label. The same spec drives the screen (numbers through
`metrics.format`), the CSV (UTF-8 with BOM, so Excel opens Vietnamese correctly) and the
Excel file (typed cells with number formats, so the figures stay numbers). Files are named
after page, table, period, communes and level, e.g. `don-thu-vu-viec_2019_01153-01156.xlsx`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import streamlit as st

from metrics import format as fmt
from metrics.engine import RECORDED, Filters
from views.i18n import level_name, t

NUMERIC = ("count", "rate", "days", "number")
MAX_CODES_IN_NAME = 4
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Col:
    """One column of a table: the DataFrame column, its header key and its kind.

    kind: text | count | rate | days | number (one decimal) | date | month ("YYYY-MM",
    shown as T3/2019 on screen, kept sortable in files) | bool | commune (the
    code becomes two columns, code and name) | enum (value shown as t(f"{enum}_{value}")).
    """

    key: str
    label: str
    kind: str = "text"
    enum: str | None = None

    def header(self, lang: str) -> str:
        return t(self.label, lang)


def _enum_label(prefix: str, value: object, lang: str) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if prefix == "level":  # levels of government are named by the levels data
        return level_name(str(value), lang)
    try:
        return t(f"{prefix}_{value}", lang)
    except KeyError:
        return str(value)


def _is_missing(x: object) -> bool:
    return x is None or (not isinstance(x, str | list) and bool(pd.isna(x)))


def _as_date(x: object) -> date | None:
    if _is_missing(x):
        return None
    if isinstance(x, pd.Timestamp | datetime):
        return x.date()
    return x if isinstance(x, date) else None


def localise_frame(
    df: pd.DataFrame, cols: list[Col], lang: str, communes: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table with headers and coded values in `lang`, and the kind of each header.

    Numbers stay numbers (formatting happens on screen and in the Excel cell formats).
    """
    out: dict[str, list] = {}
    kinds: dict[str, str] = {}
    for c in cols:
        values = df[c.key].tolist() if c.key in df else [None] * len(df)
        head = c.header(lang)
        if c.kind == "commune":
            out[t("col_commune_code", lang)] = [None if _is_missing(v) else v for v in values]
            kinds[t("col_commune_code", lang)] = "text"
            out[head] = [None if _is_missing(v) else communes.get(v, v) for v in values]
            kinds[head] = "text"
            continue
        if c.kind == "enum":
            values = [_enum_label(c.enum or c.key, v, lang) for v in values]
        elif c.kind == "bool":
            values = [None if _is_missing(v) else t("yes" if v else "no", lang) for v in values]
        elif c.kind == "date":
            values = [_as_date(v) for v in values]
        elif c.kind in NUMERIC:
            values = [None if _is_missing(v) else v for v in values]
        out[head] = values
        kinds[head] = "text" if c.kind in ("enum", "bool") else c.kind
    return pd.DataFrame(out), kinds


def _display(x: object, kind: str, lang: str) -> str:
    if _is_missing(x):
        return fmt.MISSING
    if kind == "count":
        return fmt.number(x, lang)
    if kind == "rate":
        return fmt.percent(x, lang)
    if kind in ("days", "number"):
        return fmt.number(x, lang, 1)
    if kind == "date":
        return fmt.day(x, lang)
    if kind == "month":
        return fmt.month(str(x), lang)
    return str(x)


def _slug(text: str) -> str:
    """ASCII, lower case, hyphens: 'Đơn thư' → 'don-thu'."""
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def file_stem(page: str, table: str, filters: Filters, lang: str) -> str:
    """`<page>-<table>_<period>_<communes>[_<level>][_<units>]`: what the file holds, at a
    glance."""
    if filters.is_calendar_year:
        period = str(filters.date_from.year)
    else:
        period = f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
    codes = list(filters.communes)
    if not codes:
        where = t("file_all_communes", lang)
    elif len(codes) <= MAX_CODES_IN_NAME:
        where = "-".join(codes)
    else:
        where = t("file_n_communes", lang, n=len(codes))
    parts = [f"{_slug(t(f'file_{page}', lang))}-{_slug(t(table, lang))}", period, _slug(where)]
    if filters.level:
        parts.append(_slug(t("file_level", lang, level=filters.level)))
    if filters.units != RECORDED:  # the same rows summed under other units: say so
        parts.append(_slug(t(f"file_units_{filters.units}", lang)))
    return "_".join(parts)


def to_csv(df: pd.DataFrame, kinds: dict[str, str]) -> bytes:
    """CSV in UTF-8 with a byte-order mark; rates written as percentages (header says %)."""
    out = df.copy()
    renames = {}
    for head, kind in kinds.items():
        if kind == "rate":
            out[head] = [None if _is_missing(v) else round(v * 100, 2) for v in out[head]]
            renames[head] = f"{head} (%)"
        elif kind == "date":
            out[head] = [None if v is None else v.isoformat() for v in out[head]]
    return out.rename(columns=renames).to_csv(index=False).encode("utf-8-sig")


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1"


def to_xlsx(
    df: pd.DataFrame,
    kinds: dict[str, str],
    title: str,
    about: list[tuple[str, str]] | None = None,
    about_title: str = "Info",
) -> bytes:
    """An Excel workbook: the table on the first sheet with typed, formatted cells, and the
    filters it was made under on a second sheet."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "remove_timezone": True})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#e8eef7"}
    )
    formats = {
        "count": book.add_format({"num_format": "#,##0"}),
        "rate": book.add_format({"num_format": "0.00%"}),
        "days": book.add_format({"num_format": "#,##0.0"}),
        "number": book.add_format({"num_format": "#,##0.0"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
    }
    sheet = book.add_worksheet(_sheet_name(title))
    for j, name in enumerate(df.columns):
        sheet.write_string(0, j, str(name), head)
        kind = kinds.get(name, "text")
        width = max([len(str(name))] + [len(str(v)) for v in df[name].head(200)]) + 2
        sheet.set_column(j, j, min(max(width, 10), 60), formats.get(kind))
        for i, v in enumerate(df[name].tolist(), start=1):
            if _is_missing(v):
                continue
            if kind == "date":
                sheet.write_datetime(i, j, datetime(v.year, v.month, v.day), formats["date"])
            elif kind in NUMERIC:
                sheet.write_number(i, j, float(v), formats[kind])
            else:
                sheet.write_string(i, j, str(v))
    sheet.freeze_panes(1, 0)
    if len(df.columns):
        sheet.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    info = book.add_worksheet(_sheet_name(about_title))
    for i, (k, v) in enumerate(about or []):
        info.write_string(i, 0, k, head)
        info.write_string(i, 1, v)
    info.set_column(0, 0, 22)
    info.set_column(1, 1, 80)
    book.close()
    return buf.getvalue()


def _about(title: str, filters: Filters, lang: str, communes: dict[str, str]) -> list:
    where = (
        ", ".join(f"{communes.get(c, c)} ({c})" for c in filters.communes)
        if filters.communes
        else t("communes_all", lang)
    )
    return [
        (t("file_table", lang), title),
        (
            t("period", lang),
            f"{fmt.day(filters.date_from, lang)} – {fmt.day(filters.date_to, lang)}",
        ),
        (t("communes", lang), where),
        (t("level", lang), level_name(filters.level, lang)),
        (t("units", lang), t(f"units_{filters.units}", lang)),
        (t("file_created", lang), fmt.day(date.today(), lang)),
    ]


def show_table(
    df: pd.DataFrame,
    cols: list[Col],
    lang: str,
    *,
    page: str,
    table: str,
    filters: Filters,
    communes: dict[str, str],
    key: str,
    height: int | str = "auto",
) -> None:
    """The table on screen in `lang`, followed by its CSV and Excel download buttons.

    `table` is the i18n key of the table's title; it names the file and the sheet.
    """
    frame, kinds = localise_frame(df, cols, lang, communes)
    styled = frame.style.format(
        {h: (lambda x, k=k: _display(x, k, lang)) for h, k in kinds.items()}
    )
    st.dataframe(
        styled, hide_index=True, height=height, key=f"{key}_table", placeholder=fmt.MISSING
    )
    stem = file_stem(page, table, filters, lang)
    title = t(table, lang)
    about = _about(title, filters, lang, communes)
    with st.container(horizontal=True, key=f"{key}_downloads"):
        st.download_button(
            "CSV",
            data=lambda: to_csv(frame, kinds),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",
            help=t("download_csv_help", lang),
        )
        st.download_button(
            "Excel (.xlsx)",
            data=lambda: to_xlsx(frame, kinds, title, about, t("file_sheet_filters", lang)),
            file_name=f"{stem}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}_xlsx",
            icon=":material/table_view:",
            on_click="ignore",
            help=t("download_xlsx_help", lang),
        )

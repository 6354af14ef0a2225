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
from metrics.format import cell_text
from views.i18n import level_name, t

NUMERIC = ("count", "rate", "days", "number")
MAX_CODES_IN_NAME = 4
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths on screen: about 8 px per character of the grid's font, plus padding and
# the sort icon; between a short code column and a third of a laptop screen.
CHAR_PX, CELL_PAD_PX, MIN_COL_PX, MAX_COL_PX = 8, 32, 72, 420


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


def screen_texts(frame: pd.DataFrame, kinds: dict[str, str], lang: str) -> dict[str, pd.Series]:
    """The screen text of each number, date and month column, a whole column at a time:
    numbers and dates by their unit (the header names the unit, so no " ngày" after days),
    months as T3/2019; a missing value as the dash."""
    out: dict[str, pd.Series] = {}
    for head in frame.columns:
        kind = kinds.get(head, "text")
        if kind in NUMERIC or kind == "date":
            out[head] = fmt.column(frame[head], kind, lang, with_unit=False)
        elif kind == "month":
            out[head] = frame[head].map(
                lambda m: fmt.MISSING if _is_missing(m) else fmt.month(str(m), lang)
            )
    return out


def _text(x: object) -> str:
    return fmt.MISSING if _is_missing(x) else str(x)


def grid_format(values: pd.Series, kind: str, lang: str) -> str | None:
    """The format the table draws a raw column with (`UnitFormat.grid`), so the column
    keeps its numbers and dates and sorts by them; None when the column must be shown
    by its text instead (a rate, days, a month, or a count holding a fraction)."""
    if kind not in ("count", "date"):
        return None
    if kind == "count":
        numbers = pd.to_numeric(values, errors="coerce").dropna()
        if not (numbers % 1 == 0).all():
            return None
    return fmt.unit_format(kind, lang).grid


def styled(frame: pd.DataFrame, texts: dict[str, pd.Series]):
    """The frame shown by its texts, raw values kept for sorting (a rate sorts as a
    number). A pandas Styler: it costs time for every cell, so only tables with a column
    the grid cannot format itself take it."""

    def shown(head: str):
        lookup = dict(zip(map(str, frame[head].tolist()), texts[head].tolist(), strict=True))
        return lambda x: lookup[str(x)]

    formats = {h: shown(h) if h in texts else _text for h in frame.columns}
    return frame.style.format(formats, na_rep=fmt.MISSING)


def column_widths(frame: pd.DataFrame, texts: dict[str, pd.Series]) -> dict[str, int]:
    """Pixel widths so each header and its longest shown value fit on one line (the grid
    does not wrap), capped so one long text column does not push the others off screen.
    `texts`: the screen text of the formatted columns (`screen_texts`)."""
    out = {}
    for head in frame.columns:
        top = texts[head].head(200) if head in texts else frame[head].head(200).map(_text)
        chars = max([len(str(head))] + [len(v) for v in top])
        out[head] = min(max(CHAR_PX * chars + CELL_PAD_PX, MIN_COL_PX), MAX_COL_PX)
    return out


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
    """CSV in UTF-8 with a byte-order mark; rates written as percentages (header says %),
    with the rate unit's decimals; text that a spreadsheet would evaluate is kept as text."""
    out = df.copy()
    renames = {}
    rate_decimals = fmt.unit_format("rate").decimals
    for head in out.columns:
        kind = kinds.get(head, "text")
        if kind == "rate":
            out[head] = [
                None if _is_missing(v) else round(v * 100, rate_decimals) for v in out[head]
            ]
            renames[head] = f"{head} (%)"
        elif kind == "date":
            out[head] = [None if v is None else v.isoformat() for v in out[head]]
        elif kind not in NUMERIC:
            out[head] = [cell_text(v) for v in out[head]]
    return out.rename(columns=renames).to_csv(index=False).encode("utf-8-sig")


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1"


def to_xlsx(
    df: pd.DataFrame,
    kinds: dict[str, str],
    title: str,
    about: list[tuple[str, str]] | None = None,
    about_title: str = "Info",
    lang: str = "vi",
) -> bytes:
    """An Excel workbook: the table on the first sheet with typed, formatted cells, and the
    filters it was made under on a second sheet. Text is always written as a string cell,
    so a value such as `=1+1` stays text."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "remove_timezone": True})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#e8eef7"}
    )
    formats = {
        kind: book.add_format({"num_format": fmt.xlsx_format(kind, lang)})
        for kind in (*NUMERIC, "date")
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


def _audited(name: str, make):
    """The download's bytes, made when the file is asked for, with the download written to
    the audit log under the run's account."""
    from access import audit
    from access.login import USER_KEY

    user = st.session_state.get(USER_KEY)

    def data() -> bytes:
        out = make()
        audit.record("download", user, {"file": name})
        return out

    return data


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
    max_rows: int | None = None,
) -> None:
    """The table on screen in `lang`, followed by its CSV and Excel download buttons.

    `table` is the i18n key of the table's title; it names the file and the sheet.
    `max_rows` caps the rows drawn on screen (a caption says so); the downloads always
    hold every row, localised only when a file is asked for.
    """
    capped = max_rows is not None and len(df) > max_rows
    shown, kinds = localise_frame(df.head(max_rows) if capped else df, cols, lang, communes)
    if capped:
        st.caption(
            t(
                "rows_shown",
                lang,
                shown=fmt.number(len(shown), lang),
                n=fmt.number(len(df), lang),
            )
        )

    def every_row() -> pd.DataFrame:
        return localise_frame(df, cols, lang, communes)[0] if capped else shown

    texts = screen_texts(shown, kinds, lang)
    formats = {h: grid_format(shown[h], kinds[h], lang) for h in texts}
    config = {}
    # The header is also the tooltip: a header longer than the widest column still reads.
    for head, width in column_widths(shown, texts).items():
        if not formats.get(head):
            config[head] = st.column_config.Column(width=width, help=head)
        elif kinds[head] == "date":
            config[head] = st.column_config.DateColumn(width=width, help=head, format=formats[head])
        else:
            config[head] = st.column_config.NumberColumn(
                width=width, help=head, format=formats[head]
            )
    as_text = any(not formats[h] for h in texts)
    st.dataframe(
        styled(shown, texts) if as_text else shown,
        hide_index=True,
        height=height,
        width="stretch",
        key=f"{key}_table",
        placeholder=fmt.MISSING,
        column_config=config,
    )
    stem = file_stem(page, table, filters, lang)
    title = t(table, lang)
    about = _about(title, filters, lang, communes)
    with st.container(horizontal=True, key=f"{key}_downloads"):
        st.download_button(
            "CSV",
            data=_audited(f"{stem}.csv", lambda: to_csv(every_row(), kinds)),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",
            help=t("download_csv_help", lang),
        )
        st.download_button(
            "Excel (.xlsx)",
            data=_audited(
                f"{stem}.xlsx",
                lambda: to_xlsx(
                    every_row(), kinds, title, about, t("file_sheet_filters", lang), lang=lang
                ),
            ),
            file_name=f"{stem}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}_xlsx",
            icon=":material/table_view:",
            on_click="ignore",
            help=t("download_xlsx_help", lang),
        )

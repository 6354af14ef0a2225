"""The official report forms of the annex (DOMAIN.md §11), filled from the warehouse.

Each form's layout (title, column numbers, headings, what fills each column) is a JSON file
under `reports/layouts/`; a revised form is a data change. A column names a measure of the
metrics layer (or one of the few form measures below, built from the same populations), a
sum of other columns, or is marked missing: the contract cannot fill it, so it stays blank
and says "không có trong dữ liệu". Values come from `metrics.engine.run_source`, so the
filters, the unit view and the bound parameters are the dashboard's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from metrics.details import DETAIL_MEASURES
from metrics.engine import Db, Filters, open_cursor, run_source
from metrics.model import MEASURES, POPULATIONS, RECEIVED_IN, Measure, _m, events
from metrics.periods import commune_units

LAYOUTS = Path(__file__).resolve().parent / "layouts"
FORMS = ("ii06a", "tcd01", "xld01")
NOT_IN_DATA = ("không có trong dữ liệu", "not in the data")

_NOT_REGULAR = "kind <> 'thuong_xuyen'"
_HEAD = f"host = 'chu_tich' AND {_NOT_REGULAR}"
_DELEGATE = f"host IN ('pho_chu_tich', 'uy_quyen') AND {_NOT_REGULAR}"
_PETITION_KINDS = ("khieu_nai", "to_cao", "kien_nghi_phan_anh")


def _reception_measures() -> list[Measure]:
    out = []
    for prefix, cond in (
        ("tcd_regular", "kind = 'thuong_xuyen'"),
        ("tcd_head", _HEAD),
        ("tcd_delegate", _DELEGATE),
    ):
        out += [
            events(f"{prefix}_days", "receptions", "count(*)", "reception_date", cond),
            events(f"{prefix}_citizens", "receptions", "sum(citizens)", "reception_date", cond),
            events(f"{prefix}_cases", "receptions", "sum(cases)", "reception_date", cond),
            events(f"{prefix}_groups", "receptions", "sum(large_groups)", "reception_date", cond),
        ]
    return out


def _petition_measures() -> list[Measure]:
    out = [
        _m("xld_open", "petitions", "count(*)", POPULATIONS["petitions_open"]),
        _m(
            "xld_outside",
            "petitions",
            "count(*)",
            f"{RECEIVED_IN} AND eligible AND NOT in_jurisdiction",
        ),
    ]
    for k in _PETITION_KINDS:
        out.append(
            _m(
                f"xld_eligible_{k}",
                "petitions",
                "count(*)",
                f"{RECEIVED_IN} AND eligible AND kind = '{k}'",
            )
        )
        out.append(
            _m(
                f"xld_active_{k}",
                "petitions",
                "count(*)",
                f"{RECEIVED_IN} AND active AND kind = '{k}'",
            )
        )
    for r in (1, 2):
        out.append(
            _m(
                f"xld_resolved_round{r}",
                "petitions",
                "count(*)",
                f"active AND received_date <= p.p_to AND resolved_date BETWEEN p.p_from AND p.p_to "
                f"AND round = {r}",
            )
        )
    return out


FORM_MEASURES: dict[str, Measure] = {
    m.name: m for m in (*_reception_measures(), *_petition_measures())
}


def measure(name: str) -> Measure:
    for table in (MEASURES, DETAIL_MEASURES, FORM_MEASURES):
        if name in table:
            return table[name]
    raise ValueError(f"unknown measure {name!r}")


# --------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Column:
    no: int
    group: tuple[str, str]
    heading: tuple[str, str]
    measure: str | None = None
    minus: tuple[str, ...] = ()
    at: str = "period"  # period | before (the day before the period begins)
    sum: tuple[int, ...] = ()
    missing: bool = False

    def label(self, lang: str) -> str:
        return self.heading[1 if lang == "en" else 0]

    def group_label(self, lang: str) -> str:
        return self.group[1 if lang == "en" else 0]


@dataclass(frozen=True)
class Layout:
    id: str
    code: str
    basis: str
    title: tuple[str, str]
    source: str
    columns: tuple[Column, ...]
    checks: tuple[tuple[int, tuple[int, ...]], ...] = ()
    note: tuple[str, str] = ("", "")

    def title_of(self, lang: str) -> str:
        return self.title[1 if lang == "en" else 0]

    def note_of(self, lang: str) -> str:
        return self.note[1 if lang == "en" else 0]


def load_layout(form: str, folder: Path = LAYOUTS) -> Layout:
    """A form's layout from `<folder>/<form>.json`; a fault names the file."""
    path = folder / f"{form}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        cols = tuple(
            Column(
                no=int(c["no"]),
                group=(str(c.get("group_vi", "")), str(c.get("group_en", c.get("group_vi", "")))),
                heading=(str(c["heading_vi"]), str(c.get("heading_en", c["heading_vi"]))),
                measure=c.get("measure"),
                minus=tuple(c.get("minus", ())),
                at=str(c.get("at", "period")),
                sum=tuple(int(n) for n in c.get("sum", ())),
                missing=bool(c.get("missing", False)),
            )
            for c in raw["columns"]
        )
        layout = Layout(
            id=str(raw["id"]),
            code=str(raw["code"]),
            basis=str(raw.get("basis", "")),
            title=(str(raw["title_vi"]), str(raw.get("title_en", raw["title_vi"]))),
            source=str(raw["source"]),
            columns=cols,
            checks=tuple((int(a), tuple(int(n) for n in b)) for a, b in raw.get("checks", ())),
            note=(str(raw.get("note_vi", "")), str(raw.get("note_en", raw.get("note_vi", "")))),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path.name}: bad form layout ({exc})") from exc
    for c in layout.columns:
        for name in (c.measure, *c.minus):
            if name is not None and measure(name).source != layout.source:
                raise ValueError(f"{path.name}: column ({c.no}) reads another source")
    return layout


# --------------------------------------------------------------------------- filled forms


@dataclass
class FormRow:
    unit: str  # the unit's label
    values: dict[int, int | None]  # column number -> value (None: not in the data)
    total: bool = False


@dataclass
class FilledForm:
    layout: Layout
    rows: list[FormRow] = field(default_factory=list)

    def check_failures(self) -> list[str]:
        """The reconciliation checks of the layout that fail, row by row (empty: all hold)."""
        out = []
        for row in self.rows:
            for lhs, parts in self.layout.checks:
                left = row.values.get(lhs)
                right = sum(row.values.get(n) or 0 for n in parts)
                if left != right:
                    out.append(f"{row.unit}: ({lhs}) = {left} ≠ {right}")
        return out


def _values(
    filters: Filters, names: list[str], by: str | None, db: Db
) -> dict[tuple[str, str | None], dict[str, int]]:
    """{(period, group): {measure: value}} for the period and the day before it begins."""
    before = filters.date_from - timedelta(days=1)
    periods = [
        ("period", filters.date_from, filters.date_to),
        ("before", date(before.year, 1, 1), before),
    ]
    groups: dict[tuple, list[Measure]] = {}
    for n in names:
        m = measure(n)
        groups.setdefault((m.source, m.ignores), []).append(m)
    out: dict = {}
    cur = open_cursor(db)
    try:
        for (source, ignores), ms in groups.items():
            rows = run_source(cur, source, ms, ignores, filters, periods, by)
            for key, vals in rows.items():
                out.setdefault(key, {}).update({k: int(v or 0) for k, v in vals.items()})
    finally:
        cur.close()
    return out


def _row_values(layout: Layout, vals: dict[str, dict[str, int]]) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    for c in layout.columns:
        if c.missing or c.sum:
            continue
        got = vals.get(c.at, {})
        out[c.no] = got.get(c.measure, 0) - sum(got.get(n, 0) for n in c.minus)
    for c in layout.columns:
        if c.missing:
            out[c.no] = None
        elif c.sum:
            out[c.no] = sum(out.get(n) or 0 for n in c.sum)
    return out


def _names(layout: Layout) -> list[str]:
    names: list[str] = []
    for c in layout.columns:
        for n in (c.measure, *c.minus):
            if n and n not in names:
                names.append(n)
    return names


def upper_units(filters: Filters, db: Db) -> list[tuple[str, str]]:
    """(level, names) of the district and province units above the communes valid on a day
    of the period, highest level first: the units this report speaks for."""
    cur = open_cursor(db)
    try:
        rows = cur.execute(
            "WITH RECURSIVE up(code) AS ("
            " SELECT parent_code FROM communes WHERE parent_code IS NOT NULL"
            " AND (valid_from IS NULL OR valid_from <= $to)"
            " AND (valid_to IS NULL OR valid_to >= $from)"
            " UNION SELECT u.parent_code FROM units_upper u JOIN up ON u.unit_code = up.code"
            " WHERE u.parent_code IS NOT NULL) "
            "SELECT u.level, string_agg(u.name, ' / ' ORDER BY u.unit_code) FROM units_upper u "
            "WHERE u.unit_code IN (SELECT code FROM up) "
            "AND (u.valid_from IS NULL OR u.valid_from <= $to) "
            "AND (u.valid_to IS NULL OR u.valid_to >= $from) "
            "GROUP BY u.level ORDER BY u.level = 'huyen'",
            {"from": filters.date_from, "to": filters.date_to},
        ).fetchall()
    finally:
        cur.close()
    return [(lv, names) for lv, names in rows]


def commune_values(
    layout: Layout, filters: Filters, db: Db = None
) -> dict[str, dict[int, int | None]]:
    """The form's columns for each commune of the filters (commune level) whose records
    fill any of them, by commune code: the commune rows of `fill`, in one pass."""
    commune_f = Filters(filters.date_from, filters.date_to, filters.communes, "xa", filters.units)
    by_commune = _values(commune_f, _names(layout), "commune", db)
    out: dict[str, dict[int, int | None]] = {}
    for code in sorted({g for (_, g) in by_commune if g is not None}):
        vals = {p: by_commune.get((p, code), {}) for p in ("period", "before")}
        row = _row_values(layout, vals)
        if any(v for v in row.values() if v):
            out[code] = row
    return out


def fill(
    form: str, filters: Filters, db: Db = None, lang: str = "vi", folder: Path = LAYOUTS
) -> FilledForm:
    """One form filled for the filters: a row per commune, a row per upper level the data
    holds (district, province) and the total of all levels."""
    layout = load_layout(form, folder)
    names = _names(layout)
    filled = FilledForm(layout)
    labels = {u.code: u.name for u in commune_units(db)}
    rows: list[FormRow] = []
    if filters.level in (None, "xa"):
        for code, row in commune_values(layout, filters, db).items():
            rows.append(FormRow(labels.get(code, code), row))
    level_names = {"huyen": ("Cấp huyện", "District level"), "tinh": ("Cấp tỉnh", "Province level")}
    for lv, unit_name in upper_units(filters, db):
        if filters.level not in (None, lv):
            continue
        lf = Filters(filters.date_from, filters.date_to, filters.communes, lv, filters.units)
        got = _values(lf, names, None, db)
        vals = {p: got.get((p, None), {}) for p in ("period", "before")}
        row = _row_values(layout, vals)
        label = f"{unit_name} ({level_names[lv][1 if lang == 'en' else 0].lower()})"
        rows.append(FormRow(label, row))
    got = _values(filters, names, None, db)
    vals = {p: got.get((p, None), {}) for p in ("period", "before")}
    rows.append(FormRow("Tổng cộng" if lang != "en" else "Total", _row_values(layout, vals), True))
    filled.rows = rows
    return filled


def fill_all(
    filters: Filters, db: Db = None, lang: str = "vi", folder: Path = LAYOUTS
) -> list[FilledForm]:
    return [fill(f, filters, db, lang, folder) for f in FORMS]

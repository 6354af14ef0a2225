"""KPIs from the figures of the report forms (table reported_figures), beside the registers.

A form gives totals per unit and period, not records. What totals determine is computed
(dossier counts and the on-time rate, dossiers overdue in progress at the period end,
petitions to handle and resolved and the resolution rate, the heads' reception sessions
and, from monthly forms, the monthly reception rule); what they cannot determine (the
commune chairman's weekly rule from a monthly count, average days) is said so: "không xác
định từ số liệu tổng hợp", never guessed.

Where the registers (the warehouse's own records) hold the same unit and period, the
registers' value is used and the difference is shown as a reconciliation check. Every
value says where it comes from: the registers, or the form, file and import. A unit that
files overlapping forms of one kind (monthly, quarterly and yearly) is counted once, from
the forms that do not overlap and cover the most days. The KPI cards combine these
figures with the registers in metrics.combined.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from metrics.engine import Db, Filters, active_scope, open_cursor

NOT_DETERMINED = ("không xác định từ số liệu tổng hợp", "not determined from aggregate figures")
FROM_REGISTERS = ("sổ sách", "registers")
MISMATCH = ("số liệu báo cáo lệch sổ sách", "reported figures differ from the registers")
# Why a form's figures do not give a KPI (beside the reasons of UNDETERMINED below).
NO_FIGURE = ("biểu không có số liệu này", "the form has no such figure")
MISSING_COLUMN = ("biểu thiếu cột cần thiết", "the form lacks a needed column")
NEEDS_MONTHLY = ("cần biểu của từng tháng", "needs one form per month")
END_BEFORE_TO = (
    "số đang giải quyết của biểu không phải tại ngày cuối kỳ",
    "the form's in-progress count is not at the period's end",
)
START_AFTER_FROM = (
    "số kỳ trước chuyển sang của biểu không phải tại ngày đầu kỳ",
    "the form's carried-over count is not at the period's start",
)

# How the import log names the rows a forms file gave (data.importer.import_with_profile).
PROFILE_LOG_PREFIX = "reported_figures [forms] "

# Columns that are stocks: the carried-over count at the period's start ("before" in the
# layout) and the in-progress counts at its end. The others are flows, summed over periods.
START_STOCK = {"ii06a": (6,), "xld01": (4,)}
END_STOCK = {"ii06a": (11, 12, 13), "xld01": (17,)}


@dataclass(frozen=True)
class ReportedValue:
    value: float | int | None
    numerator: int | None
    denominator: int | None
    source: str
    note: str = ""


@dataclass(frozen=True)
class KpiSpec:
    kpi_id: str
    form: str
    numerator: tuple[int, ...]
    denominator: tuple[int, ...] = ()
    label_vi: str = ""
    label_en: str = ""


SPECS: tuple[KpiSpec, ...] = (
    KpiSpec(
        "dossiers_received", "ii06a", (4, 5), (), "Hồ sơ tiếp nhận trong kỳ", "Dossiers received"
    ),
    KpiSpec("dossiers_resolved", "ii06a", (7,), (), "Hồ sơ đã giải quyết", "Dossiers resolved"),
    KpiSpec(
        "dossiers_on_time_rate",
        "ii06a",
        (8, 9),
        (7,),
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "Dossiers resolved on time",
    ),
    KpiSpec(
        "dossiers_early_rate",
        "ii06a",
        (8,),
        (7,),
        "Tỷ lệ hồ sơ giải quyết trước hạn",
        "Dossiers resolved early",
    ),
    KpiSpec("dossiers_late", "ii06a", (10,), (), "Hồ sơ giải quyết quá hạn", "Dossiers late"),
    KpiSpec(
        "dossiers_online_rate",
        "ii06a",
        (4,),
        (4, 5),
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        "Dossiers received online",
    ),
    KpiSpec(
        "dossiers_not_overdue_rate",
        "ii06a",
        (12,),
        (11,),
        "Tỷ lệ hồ sơ đang giải quyết trong hạn (cuối kỳ)",
        "Dossiers in progress within the due date",
    ),
    KpiSpec(
        "dossiers_overdue_open",
        "ii06a",
        (13,),
        (),
        "Hồ sơ đang giải quyết quá hạn (cuối kỳ)",
        "Dossiers overdue in progress",
    ),
    KpiSpec(
        "petitions_received", "xld01", (5,), (), "Đơn tiếp nhận trong kỳ", "Petitions received"
    ),
    KpiSpec("petitions_to_resolve", "xld01", (3,), (), "Đơn phải xử lý", "Petitions to handle"),
    KpiSpec("petitions_resolved", "xld01", (15, 16), (), "Đơn đã giải quyết", "Petitions resolved"),
    KpiSpec(
        "petitions_resolution_rate",
        "xld01",
        (15, 16),
        (3,),
        "Tỷ lệ giải quyết đơn",
        "Petition resolution rate",
    ),
    KpiSpec(
        "reception_citizens", "tcd01", (19,), (), "Lượt công dân được tiếp", "Citizens received"
    ),
    KpiSpec("reception_cases", "tcd01", (20,), (), "Vụ việc được tiếp", "Cases received"),
    KpiSpec(
        "chair_reception_days",
        "tcd01",
        (9,),
        (),
        "Số kỳ tiếp của thủ trưởng",
        "Heads' reception sessions",
    ),
)
UNDETERMINED = {
    "commune_chair_compliance_rate": (
        "quy định tiếp hằng tuần không kiểm tra được từ số kỳ tiếp cả tháng",
        "the weekly rule cannot be checked from a monthly count",
    ),
    "dossiers_avg_days": (
        "số ngày giải quyết bình quân cần ngày của từng hồ sơ",
        "average days need each dossier's dates",
    ),
    "petitions_on_time_rate": (
        "biểu không có số đơn giải quyết đúng hạn",
        "the form has no count resolved on time",
    ),
}


@dataclass(frozen=True)
class Figures:
    """One unit's figures of one form for one period, and where they come from."""

    unit_code: str
    level: str
    form: str
    period_from: date
    period_to: date
    values: dict[int, int]
    source_file: str
    sha256: str
    import_id: int | None


@dataclass(frozen=True)
class Reconciliation:
    unit_code: str
    unit_name: str
    form: str
    period_from: date
    period_to: date
    column_no: int
    heading: str
    reported: int
    registers: int
    source: str

    @property
    def difference(self) -> int:
        return self.reported - self.registers

    def message(self, lang: str = "vi") -> str:
        from metrics.format import day

        en = lang == "en"
        span = f"{day(self.period_from, lang)}–{day(self.period_to, lang)}"
        if en:
            return (
                f"{MISMATCH[1]}: {self.unit_name}, {self.form_code} {span}, column "
                f"({self.column_no}) {self.heading}: reported {self.reported}, registers "
                f"{self.registers} (difference {self.difference:+d}; {self.source})"
            )
        return (
            f"{MISMATCH[0]}: {self.unit_name}, {self.form_code} kỳ {span}, cột "
            f"({self.column_no}) {self.heading}: báo cáo {self.reported}, sổ sách "
            f"{self.registers} (chênh {self.difference:+d}; {self.source})"
        )

    @property
    def form_code(self) -> str:
        return _layout(self.form).code


def _layout(form: str):
    from reports.forms import load_layout

    return load_layout(form)


def _has_table(cur: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n "
            "AND database_name = current_database()",
            {"n": name},
        ).fetchone()[0]
    )


def has_figures(db: Db = None) -> bool:
    """Whether the warehouse holds any form figure (one look, however large the registers)."""
    cur = open_cursor(db)
    try:
        if not _has_table(cur, "reported_figures"):
            return False
        return bool(cur.execute("SELECT EXISTS (SELECT 1 FROM reported_figures)").fetchone()[0])
    finally:
        cur.close()


def _imports(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """sha256 of a file, or "name:" and the office file's name, -> the import that brought
    it (the latest). An office file read by a profile is logged under the name
    `reported_figures [forms] <file>.csv` with the hash of the rows made from it, not of
    the file itself: its name is how its import is found."""
    out: dict[str, int] = {}
    if not _has_table(cur, "import_log"):
        return out
    rows = cur.execute("SELECT import_id, files FROM import_log ORDER BY 1").fetchall()
    for import_id, files in rows:
        try:
            for f in json.loads(files):
                if not isinstance(f, dict):
                    continue
                if f.get("sha256"):
                    out[str(f["sha256"])] = int(import_id)
                name = str(f.get("name", ""))
                if name.startswith(PROFILE_LOG_PREFIX) and name.endswith(".csv"):
                    out["name:" + name[len(PROFILE_LOG_PREFIX) : -len(".csv")]] = int(import_id)
        except (ValueError, TypeError):
            continue
    return out


def figures(filters: Filters, db: Db = None, upper: bool = False) -> list[Figures]:
    """The form figures whose period lies within the filters' period, for the units the
    filters (and the access scope) select. `upper`: only the district's and province's,
    whatever the commune filter (for the KPIs that describe the district itself)."""
    cur = open_cursor(db)
    try:
        if not _has_table(cur, "reported_figures"):
            return []
        rows = cur.execute(
            "SELECT unit_code, level, form, period_from, period_to, column_no, value, "
            "coalesce(source_file, ''), coalesce(source_sha256, '') FROM reported_figures "
            "WHERE period_from >= $from AND period_to <= $to "
            "AND ($level IS NULL OR level = $level) "
            "ORDER BY unit_code, form, period_from, period_to, column_no",
            {"from": filters.date_from, "to": filters.date_to, "level": filters.level},
        ).fetchall()
        imports = _imports(cur)
    finally:
        cur.close()
    scope = active_scope(filters)
    out: dict[tuple, Figures] = {}
    for unit, level, form, pf, pt, no, value, file, sha in rows:
        if level == "xa":
            if upper:
                continue
            if filters.communes and unit not in filters.communes:
                continue
            if scope is not None and not scope.allows(unit):
                continue
        else:
            if (filters.communes and not upper) or (scope is not None and not scope.rows_upper):
                continue
        key = (unit, form, pf, pt)
        if key not in out:
            import_id = imports.get(sha, imports.get("name:" + file) if file else None)
            out[key] = Figures(unit, level, form, pf, pt, {}, file, sha, import_id)
        out[key].values[no] = value
    return list(out.values())


def _registers_of(figs: list[Figures], db: Db) -> list[dict[int, int] | None]:
    """`_register_values` of each figure; the communes' in one pass per form and period
    (a warehouse may hold a form for every commune and quarter)."""
    from reports.forms import commune_values

    out: list[dict[int, int] | None] = [None] * len(figs)
    groups: dict[tuple[str, date, date], list[int]] = {}
    for i, f in enumerate(figs):
        if f.level == "xa":
            groups.setdefault((f.form, f.period_from, f.period_to), []).append(i)
        else:
            out[i] = _register_values(f, db)
    for (form, pf, pt), idx in groups.items():
        codes = tuple(sorted({figs[i].unit_code for i in idx}))
        try:
            filled = commune_values(_layout(form), Filters(pf, pt, codes, "xa"), db)
        except (duckdb.Error, ValueError):
            filled = {}
        for i in idx:
            row = filled.get(figs[i].unit_code)
            if row:
                out[i] = {no: v for no, v in row.items() if v is not None}
    return out


def _register_values(f: Figures, db: Db) -> dict[int, int] | None:
    """The same form's columns filled from the registers for the unit and period; None
    when the registers hold nothing for them."""
    from reports.forms import fill

    if f.level == "xa":
        flt = Filters(f.period_from, f.period_to, (f.unit_code,), "xa")
    else:
        flt = Filters(f.period_from, f.period_to, (), f.level)
    try:
        filled = fill(f.form, flt, db)
    except (duckdb.Error, ValueError):
        return None
    total = next((r for r in filled.rows if r.total), None)
    if total is None or not any(v for v in total.values.values() if v):
        return None
    return {no: v for no, v in total.values.items() if v is not None}


def source_text(f: Figures, lang: str = "vi") -> str:
    code = _layout(f.form).code
    imp = f" lần nhập {f.import_id}" if f.import_id is not None else ""
    if lang == "en":
        imp = f" import {f.import_id}" if f.import_id is not None else ""
        return f"{code}, file {f.source_file or '?'}{imp}"
    return f"{code}, tệp {f.source_file or '?'}{imp}"


def combine(form: str, parts: list[tuple[Figures, dict[int, int]]]) -> dict[int, int]:
    """One unit's values over several periods: flows summed, stocks from the first or the
    last period, sum columns recomputed."""
    parts = sorted(parts, key=lambda p: (p[0].period_from, p[0].period_to))
    out: dict[int, int] = {}
    for i, (_, vals) in enumerate(parts):
        for no, v in vals.items():
            if no in START_STOCK.get(form, ()):
                if i == 0:
                    out[no] = v
            elif no in END_STOCK.get(form, ()):
                out[no] = v  # the last period's wins
            else:
                out[no] = out.get(no, 0) + v
    layout = _layout(form)
    for c in layout.columns:
        if c.sum and all(n in out for n in c.sum):
            out[c.no] = sum(out[n] for n in c.sum)
    return out


def _cover(figs: list[Figures]) -> list[Figures]:
    """Of one unit's forms of one kind, those that do not overlap and together cover the
    most days, the finest among equals: an office filing monthly, quarterly and yearly
    forms for the same months is counted once."""
    figs = sorted(figs, key=lambda f: (f.period_to, f.period_from))
    # best[i]: (days covered, forms kept, kept indexes) using the first i forms
    best: list[tuple[int, int, tuple[int, ...]]] = [(0, 0, ())]
    for i, f in enumerate(figs):
        j = i
        while j > 0 and figs[j - 1].period_to >= f.period_from:
            j -= 1
        days, n, kept = best[j]
        take = (days + (f.period_to - f.period_from).days + 1, n + 1, (*kept, i))
        best.append(max(best[i], take, key=lambda b: (b[0], b[1])))
    return [figs[i] for i in best[-1][2]]


@dataclass(frozen=True)
class Assessed:
    """A form's figures beside the registers: `registers` holds the same columns filled
    from the registers for its unit and period (None: they hold nothing there); `kept`,
    whether it is among the unit's non-overlapping forms that count (see `_cover`)."""

    figures: Figures
    registers: dict[int, int] | None
    kept: bool


def assessed(filters: Filters, db: Db = None, upper: bool = False) -> list[Assessed]:
    """Every form figure of the filters, with the registers' values and whether it counts."""
    figs = figures(filters, db, upper)
    groups: dict[tuple[str, str], list[Figures]] = {}
    for f in figs:
        groups.setdefault((f.form, f.unit_code), []).append(f)
    kept = {id(f) for g in groups.values() for f in _cover(g)}
    regs = _registers_of(figs, db)
    return [Assessed(f, reg, id(f) in kept) for f, reg in zip(figs, regs, strict=True)]


def form_only(filters: Filters, db: Db = None, upper: bool = False) -> list[Figures]:
    """The counted form figures of unit-periods the registers hold nothing for: the ones
    the forms alone speak for."""
    return [a.figures for a in assessed(filters, db, upper) if a.kept and a.registers is None]


def _resolved(filters: Filters, db: Db, lang: str):
    """Per form: ({unit: values}, {unit: sources}) with registers preferred."""
    by_unit: dict[tuple[str, str], list[tuple[Figures, dict[int, int]]]] = {}
    sources: dict[tuple[str, str], set[str]] = {}
    checks: list[tuple[Figures, dict[int, int]]] = []
    for a in assessed(filters, db):
        f, reg = a.figures, a.registers
        if reg is not None:
            checks.append((f, reg))
        if not a.kept:
            continue
        if reg is not None:
            vals, src = reg, FROM_REGISTERS[1 if lang == "en" else 0]
        else:
            vals, src = f.values, source_text(f, lang)
        by_unit.setdefault((f.form, f.unit_code), []).append((f, vals))
        sources.setdefault((f.form, f.unit_code), set()).add(src)
    combined = {k: combine(k[0], v) for k, v in by_unit.items()}
    return combined, sources, checks, by_unit


def reported_kpis(filters: Filters, db: Db = None, lang: str = "vi") -> dict[str, ReportedValue]:
    """Every KPI the form figures determine for the filters, and those they cannot."""
    combined, sources, _, by_unit = _resolved(filters, db, lang)
    out: dict[str, ReportedValue] = {}
    for spec in SPECS:
        keys = [k for k in combined if k[0] == spec.form]
        if not keys:
            continue
        num = den = 0
        missing = False
        for k in keys:
            vals = combined[k]
            if not all(n in vals for n in (*spec.numerator, *spec.denominator)):
                missing = True
                continue
            num += sum(vals[n] for n in spec.numerator)
            den += sum(vals[n] for n in spec.denominator)
        src = "; ".join(sorted({s for k in keys for s in sources[k]}))
        note = "một số đơn vị thiếu cột cần thiết" if missing and lang != "en" else ""
        if missing and lang == "en":
            note = "some units lack a needed column"
        if spec.denominator:
            value = num / den if den else None
            out[spec.kpi_id] = ReportedValue(value, num, den, src, note)
        else:
            out[spec.kpi_id] = ReportedValue(num, num, None, src, note)
    tcd = [k for k in combined if k[0] == "tcd01"]
    if tcd:
        _chair_monthly(filters, db, lang, tcd, combined, sources, by_unit, out)
    for kpi_id, why in UNDETERMINED.items():
        i = 1 if lang == "en" else 0
        out[kpi_id] = ReportedValue(None, None, None, "", f"{NOT_DETERMINED[i]} ({why[i]})")
    return out


def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month + 1


def is_monthly(f: Figures) -> bool:
    """Whether a form is of one calendar month (the chairmen's monthly rule needs it)."""
    return (
        f.period_from.day == 1
        and f.period_to.month == f.period_from.month
        and f.period_to.year == f.period_from.year
        and (f.period_to + timedelta(days=1)).day == 1
    )


def chair_months_met(
    parts: list[tuple[Figures, dict[int, int]]],
    level: str,
    rules: tuple,
    rule_key: str = "chair_reception_days_per_month",
) -> tuple[int, int]:
    """(months meeting the chairman's monthly rule, months under a rule in force) of
    monthly forms of one level: the heads' sessions (9) against the rule of the month."""
    met = total = 0
    for f, vals in parts:
        rule = next(
            (
                r
                for r in rules
                if r.key == rule_key and r.level in (None, level) and r.in_force(f.period_to)
            ),
            None,
        )
        if rule is None:
            continue
        total += 1
        met += vals.get(9, 0) >= rule.value
    return met, total


def _chair_monthly(filters, db, lang, keys, combined, sources, by_unit, out) -> None:
    """Heads' sessions per month, and the monthly rule of the district and province
    chairmen when every form is monthly (a longer period cannot tell which month fell short)."""
    from metrics.rules import warehouse_rules

    sessions = sum(combined[k].get(9, 0) for k in keys)
    months = _months(filters.date_from, filters.date_to)
    src = "; ".join(sorted({s for k in keys for s in sources[k]}))
    out["chair_sessions_per_month"] = ReportedValue(sessions / months, sessions, months, src)
    try:
        rules = warehouse_rules(db)
    except duckdb.Error:
        rules = ()
    for level, kpi_id in (
        ("huyen", "district_chair_compliance_rate"),
        ("tinh", "province_chair_compliance_rate"),
    ):
        parts = [p for k in keys for p in by_unit[k] if p[0].level == level]
        if not parts:
            continue
        i = 1 if lang == "en" else 0
        if not all(is_monthly(p[0]) for p in parts):
            out[kpi_id] = ReportedValue(
                None, None, None, src, f"{NOT_DETERMINED[i]} ({NEEDS_MONTHLY[i]})"
            )
            continue
        met, total = chair_months_met(parts, level, rules)
        out[kpi_id] = ReportedValue(met / total if total else None, met, total, src)


def reconciliation(filters: Filters, db: Db = None, lang: str = "vi") -> list[Reconciliation]:
    """Every column where a form's figure differs from the registers for the same unit and
    period (the registers' value is the one used)."""
    names = unit_names(db)
    _, _, checks, _ = _resolved(filters, db, lang)
    out = []
    for f, reg in checks:
        layout = _layout(f.form)
        heads = {c.no: c.label(lang) for c in layout.columns}
        for no, reported in sorted(f.values.items()):
            if no in reg and reg[no] != reported:
                out.append(
                    Reconciliation(
                        f.unit_code,
                        names.get(f.unit_code, f.unit_code),
                        f.form,
                        f.period_from,
                        f.period_to,
                        no,
                        heads.get(no, ""),
                        reported,
                        reg[no],
                        source_text(f, lang),
                    )
                )
    return out


def unit_names(db: Db = None) -> dict[str, str]:
    """Unit code -> name, for the communes and the district and province."""
    from metrics.periods import commune_units

    try:
        names = {u.code: u.name for u in commune_units(db)}
    except duckdb.Error:
        names = {}
    names.update(_upper_names(db))
    return names


def _upper_names(db: Db) -> dict[str, str]:
    cur = open_cursor(db)
    try:
        if not _has_table(cur, "units_upper"):
            return {}
        return dict(cur.execute("SELECT unit_code, name FROM units_upper").fetchall())
    finally:
        cur.close()


def service_index(filters: Filters, db: Db = None) -> list[dict]:
    """The 766 index per unit and month within the period: scores as numbers (None when
    the portal gave none), for the page beside the scorecard."""
    from data.contract import SERVICE_INDEX_SCORES

    cur = open_cursor(db)
    try:
        if not _has_table(cur, "service_index"):
            return []
        cols = [n for n, _, _ in SERVICE_INDEX_SCORES] + ["total"]
        rows = cur.execute(
            "SELECT unit_code, level, year, month, "
            + ", ".join(f"TRY_CAST(replace({c}, ',', '.') AS DOUBLE)" for c in cols)
            + ", coalesce(source_file, '') FROM service_index "
            "WHERE make_date(year, month, 1) BETWEEN date_trunc('month', $from::DATE) AND $to "
            "AND ($level IS NULL OR level = $level) ORDER BY year, month, unit_code",
            {"from": filters.date_from, "to": filters.date_to, "level": filters.level},
        ).fetchall()
    finally:
        cur.close()
    scope = active_scope(filters)
    out = []
    for r in rows:
        unit, level = r[0], r[1]
        if level == "xa":
            if filters.communes and unit not in filters.communes:
                continue
            if scope is not None and not scope.allows(unit):
                continue
        elif filters.communes or (scope is not None and not scope.rows_upper):
            continue
        rec = {"unit_code": unit, "level": level, "year": r[2], "month": r[3]}
        rec.update(dict(zip(cols, r[4 : 4 + len(cols)], strict=True)))
        rec["source_file"] = r[-1]
        out.append(rec)
    return out

"""KPI values from the registers and the report forms together, each saying where it comes from.

Some offices keep registers (a row per reception day, petition, dossier); others only file
the periodic report forms (DOMAIN.md §11). For a selection and period, a KPI counts the
registers for every unit-period that has them and the form's figures for every unit-period
that has only a form; where both exist the registers win, and nothing is counted twice.
Counts add up; rates add their numerators and denominators, never their rates. A KPI the
forms cannot give says so ("không xác định từ số liệu tổng hợp") for the units it leaves
out, and shows no figure when those are all there is.

A warehouse without form figures gets the engine's results unchanged, after one look at
the `reported_figures` table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from metrics import engine, reported
from metrics.engine import Db, Filters, Result
from metrics.model import KPIS, MEASURES, Kpi
from metrics.reported import Figures

REGISTERS, FORMS, BOTH = "registers", "forms", "both"

# KPIs whose registers' figures tell whether the selection keeps that form's registers at
# all (a numerator or denominator above 0): dossiers, petitions, receptions.
PRESENCE: dict[str, tuple[str, ...]] = {
    "ii06a": ("dossiers_received", "dossiers_resolved", "dossiers_not_overdue_rate"),
    "xld01": ("petitions_received", "petitions_resolution_rate", "prolonged_cases_resolved_rate"),
    "tcd01": ("reception_days",),
}
SPEC_BY_KPI = {s.kpi_id: s for s in reported.SPECS if s.kpi_id in KPIS}


@dataclass(frozen=True)
class FormPart:
    """One unit's form for one period, as a card names it."""

    form_code: str
    unit_code: str
    unit_name: str
    period_from: date
    period_to: date
    file: str
    import_id: int | None


@dataclass(frozen=True)
class Source:
    """Where a KPI's figure comes from. `registers`: the registers hold records for the
    selection; `forms`: the forms whose figures are in the value; `left_out`: forms of
    unit-periods without registers that the KPI cannot use, and `reason` (Vietnamese,
    English) why."""

    registers: bool = True
    forms: tuple[FormPart, ...] = ()
    left_out: tuple[FormPart, ...] = ()
    reason: tuple[str, str] | None = None

    @property
    def kind(self) -> str:
        """registers | forms | both."""
        if self.forms:
            return BOTH if self.registers else FORMS
        return REGISTERS if self.registers or not self.left_out else FORMS

    @property
    def units_left_out(self) -> int:
        return len({p.unit_code for p in self.left_out})

    def files(self) -> list[tuple[str, int | None]]:
        """(file name, import) of the forms used, else of those consulted, each once."""
        parts = self.forms or self.left_out
        return list(dict.fromkeys((p.file, p.import_id) for p in parts))

    def reason_text(self, lang: str = "vi") -> str:
        """'không xác định từ số liệu tổng hợp (why)'; '' when nothing is left out."""
        if self.reason is None or not self.left_out:
            return ""
        i = 1 if lang == "en" else 0
        return f"{reported.NOT_DETERMINED[i]} ({self.reason[i]})"

    def as_dict(self) -> dict:
        """The source as the CLI's JSON shows it."""
        out: dict = {"kind": self.kind}
        if self.forms:
            out["forms"] = [_part_dict(p) for p in self.forms]
        if self.left_out:
            out["left_out"] = [_part_dict(p) for p in self.left_out]
            out["note"] = self.reason_text()
        return out


def _part_dict(p: FormPart) -> dict:
    return {
        "form": p.form_code,
        "unit_code": p.unit_code,
        "from": p.period_from.isoformat(),
        "to": p.period_to.isoformat(),
        "file": p.file,
        "import_id": p.import_id,
    }


FROM_REGISTERS = Source()


def from_registers(result: Result) -> bool:
    """Whether the registers hold records behind a figure: the charts and lists under the
    cards read them, and a form's totals cannot fill those."""
    return result.source is None or result.source.registers


@lru_cache(maxsize=1)
def _form_of_source() -> dict[str, str]:
    """Source table -> the form that reports on its records (the layouts' `source`)."""
    from reports.forms import FORMS as FORM_IDS
    from reports.forms import load_layout

    return {load_layout(f).source: f for f in FORM_IDS}


def form_of(kpi: Kpi) -> str | None:
    """The report form speaking for the records a KPI counts (None: no form does)."""
    if kpi.cadence is not None:
        table = kpi.cadence.table
    elif kpi.custom:
        return None
    else:
        table = MEASURES[kpi.numerator].source
    return _form_of_source().get(table)


@lru_cache(maxsize=8)
def _sums(form: str) -> dict[int, tuple[int, ...]]:
    return {c.no: c.sum for c in reported._layout(form).columns if c.sum}


def compute(filters: Filters, ids: list[str] | None = None, db: Db = None) -> dict[str, Result]:
    """The requested KPIs (all by default) for the filters, registers and forms combined."""
    return compute_periods(filters, {"current": filters}, ids, db)["current"]


def compute_periods(
    filters: Filters, periods: dict[str, Filters], ids: list[str] | None = None, db: Db = None
) -> dict[str, dict[str, Result]]:
    """`engine.compute_periods`, registers and forms combined: each result carries its
    `source` (None when the warehouse holds no form figure: the engine's own results)."""
    if not reported.has_figures(db):
        return engine.compute_periods(filters, periods, ids, db)
    wanted = list(ids) if ids is not None else list(KPIS)
    extra = [k for ks in PRESENCE.values() for k in ks if k not in wanted]
    registers = engine.compute_periods(filters, periods, wanted + extra, db)
    out = {}
    for key, p in periods.items():
        flt = replace(filters, date_from=p.date_from, date_to=p.date_to)
        out[key] = _period(flt, registers[key], wanted, db)
    return out


class _Context:
    """What one period's combination reads once: names, rules, the upper units' forms."""

    def __init__(self, flt: Filters, db: Db, parts: list[Figures]) -> None:
        self.flt, self.db, self.parts = flt, db, parts
        self._names: dict[str, str] | None = None
        self._rules: tuple | None = None
        self._upper: list[Figures] | None = None

    def part(self, f: Figures) -> FormPart:
        if self._names is None:
            self._names = reported.unit_names(self.db)
        code = reported._layout(f.form).code
        name = self._names.get(f.unit_code, f.unit_code)
        return FormPart(
            code, f.unit_code, name, f.period_from, f.period_to, f.source_file, f.import_id
        )

    def parts_of(self, figs: list[Figures]) -> tuple[FormPart, ...]:
        ordered = sorted(figs, key=lambda f: (f.unit_code, f.period_from, f.form))
        return tuple(self.part(f) for f in ordered)

    @property
    def rules(self) -> tuple:
        if self._rules is None:
            from metrics.rules import warehouse_rules

            self._rules = warehouse_rules(self.db)
        return self._rules

    @property
    def upper(self) -> list[Figures]:
        """The district's and province's form-only figures, whatever the commune filter
        (the KPIs of the district itself ignore it)."""
        if self._upper is None:
            if self.flt.communes:
                self._upper = reported.form_only(self.flt, self.db, upper=True)
            else:
                self._upper = [f for f in self.parts if f.level != "xa"]
        return self._upper

    def result(self, kpi: Kpi, num: int, den: int | None, source: Source) -> Result:
        """The KPI of combined numerator and denominator, its target judged as the engine
        judges it."""
        if kpi.custom:
            values: dict = {kpi.numerator: (num, den)}
        else:
            values = {kpi.numerator: num}
            if kpi.denominator:
                values[kpi.denominator] = den
        in_force = engine.target_applies(kpi, self.flt.date_from, self.flt.date_to, self.rules)
        r = engine.kpi_result(kpi, values, self.flt.level, in_force)
        # A cadence whose cells were all the forms' is not "not applicable": it is unknown.
        return replace(r, applies=r.applies or bool(source.left_out), source=source)


def _period(flt: Filters, registers: dict[str, Result], wanted: list[str], db: Db) -> dict:
    parts = reported.form_only(flt, db)
    district = [
        k
        for k in wanted
        if KPIS[k].cadence is not None and not KPIS[k].cadence.per_commune and flt.communes
    ]
    if not parts and not district:
        return {k: registers[k] for k in wanted}
    ctx = _Context(flt, db, parts)
    present = {
        form: any(registers[k].numerator or registers[k].denominator for k in ids)
        for form, ids in PRESENCE.items()
    }
    out: dict[str, Result] = {}
    for kid in wanted:
        kpi, r = KPIS[kid], registers[kid]
        form = form_of(kpi)
        if form is None or not r.applies:
            out[kid] = r
        elif kpi.cadence is not None and kpi.cadence.per_commune:
            mine = [f for f in parts if f.form == form and f.level == kpi.cadence.level]
            out[kid] = _weekly(ctx, kpi, r, mine) if mine else r
        elif kpi.cadence is not None:
            mine = [f for f in ctx.upper if f.form == form and f.level == kpi.cadence.level]
            out[kid] = _monthly(ctx, kpi, r, mine) if mine else r
        else:
            mine = [f for f in parts if f.form == form]
            has = present[form] or bool(r.numerator) or bool(r.denominator)
            out[kid] = _records(ctx, kpi, r, mine, has) if mine else r
    return out


def _by_unit(figs: list[Figures]) -> dict[str, list[Figures]]:
    out: dict[str, list[Figures]] = {}
    for f in figs:
        out.setdefault(f.unit_code, []).append(f)
    return out


def _records(ctx: _Context, kpi: Kpi, r: Result, figs: list[Figures], has: bool) -> Result:
    """A KPI of records: the registers' numerator and denominator plus each form-only
    unit's, when its forms give them; the units whose forms do not are left out."""
    spec = SPEC_BY_KPI.get(kpi.id)
    if spec is None:
        why = reported.UNDETERMINED.get(kpi.id, reported.NO_FIGURE)
        return _left_out(ctx, kpi, r, figs, has, why)
    sums = _sums(spec.form)
    cols = {n for c in (*spec.numerator, *spec.denominator) for n in sums.get(c, (c,))}
    num = den = 0
    used: list[Figures] = []
    left: list[Figures] = []
    why = None
    for unit_figs in _by_unit(figs).values():
        vals = reported.combine(spec.form, [(f, f.values) for f in unit_figs])
        problem = None
        if not all(n in vals for n in (*spec.numerator, *spec.denominator)):
            problem = reported.MISSING_COLUMN
        elif cols & set(reported.END_STOCK.get(spec.form, ())) and (
            max(f.period_to for f in unit_figs) != ctx.flt.date_to
        ):
            problem = reported.END_BEFORE_TO
        elif cols & set(reported.START_STOCK.get(spec.form, ())) and (
            min(f.period_from for f in unit_figs) != ctx.flt.date_from
        ):
            problem = reported.START_AFTER_FROM
        if problem is not None:
            left += unit_figs
            why = problem
            continue
        used += unit_figs
        num += sum(vals[n] for n in spec.numerator)
        den += sum(vals[n] for n in spec.denominator)
    if not used:
        return _left_out(ctx, kpi, r, figs, has, why or reported.NO_FIGURE)
    source = Source(has, ctx.parts_of(used), ctx.parts_of(left), why)
    total_den = (r.denominator or 0) + den if kpi.denominator else None
    return ctx.result(kpi, (r.numerator or 0) + num, total_den, source)


def _left_out(
    ctx: _Context, kpi: Kpi, r: Result, figs: list[Figures], has: bool, why: tuple[str, str]
) -> Result:
    """The registers' figure alone, saying which form-only units it leaves out; no figure
    when the registers hold nothing for the selection."""
    source = Source(has, (), ctx.parts_of(figs), why)
    if has:
        return replace(r, source=source)
    return Result(None, None, None, kpi.unit, source=source)


def _weekly(ctx: _Context, kpi: Kpi, r: Result, figs: list[Figures]) -> Result:
    """The commune chairman's weekly rule: a monthly count cannot tell the weeks, so the
    form-only communes' weeks leave the registers' denominator (where they counted as
    missed) and the figure covers the weeks the registers can judge."""
    periods: dict[tuple[date, date], set[str]] = {}
    for f in figs:
        periods.setdefault((f.period_from, f.period_to), set()).add(f.unit_code)
    sub_num = sub_den = 0
    for (a, b), codes in periods.items():
        part = replace(ctx.flt, date_from=a, date_to=b, communes=tuple(sorted(codes)))
        got = engine.compute_by(part, "commune", [kpi.id], ctx.db)
        for code in codes:
            x = got.get(code, {}).get(kpi.id)
            if x is not None:
                sub_num += x.numerator or 0
                sub_den += x.denominator or 0
    num = (r.numerator or 0) - sub_num
    den = (r.denominator or 0) - sub_den
    why = reported.UNDETERMINED.get(kpi.id, reported.NO_FIGURE)
    source = Source(den > 0, (), ctx.parts_of(figs), why)
    if den <= 0:
        return Result(None, None, None, kpi.unit, source=source)
    return ctx.result(kpi, num, den, source)


def _monthly(ctx: _Context, kpi: Kpi, r: Result, figs: list[Figures]) -> Result:
    """The district or province chairman's monthly rule: the months a form-only unit
    reported are judged from its monthly forms (sessions against the month's rule) instead
    of the registers, where they counted as missed; a longer form cannot tell which month
    fell short, so its months leave the figure."""
    months = engine.compute_by(ctx.flt, "month", [kpi.id], ctx.db)
    covered = {
        key
        for key, a, b in ctx.flt.months()
        for f in figs
        if a <= f.period_to and b >= f.period_from
    }
    num = den = 0
    for key, vals in months.items():
        if key not in covered and kpi.id in vals:
            num += vals[kpi.id].numerator or 0
            den += vals[kpi.id].denominator or 0
    registers = den > 0
    monthly = [f for f in figs if reported.is_monthly(f) and 9 in f.values]
    others = [f for f in figs if not (reported.is_monthly(f) and 9 in f.values)]
    met, total = reported.chair_months_met(
        [(f, f.values) for f in monthly], kpi.cadence.level, ctx.rules, kpi.cadence.rule_key
    )
    why = reported.NEEDS_MONTHLY if others else None
    source = Source(registers, ctx.parts_of(monthly), ctx.parts_of(others), why)
    if not den + total:
        return Result(None, None, None, kpi.unit, source=source)
    return ctx.result(kpi, num + met, den + total, source)

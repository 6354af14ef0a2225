"""The KPI model, in reading order: sources → measures → KPIs (DOMAIN.md §6).

A *source* is a warehouse relation with the columns the filters need. A *measure* is one
named aggregate over a source, evaluated per period `p` (`p.p_from`, `p.p_to`); each
`COUNT`/`SUM` is written once here and KPIs refer to measures by name. A *KPI* is a count
(one measure) or a ratio (numerator measure / denominator measure), with labels, unit,
direction and target. All SQL text here is fixed; filter values are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data.reference import commune_level_code, level
from metrics.cadence import MONTH, WEEK, Cadence, measure_sql

# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    name: str
    sql: str  # a SELECT giving at least the columns named below
    commune: str | None  # column holding the commune, None when the commune filter never applies
    level: str | None  # column holding the level, None when the level filter never applies
    date: str | None  # the event date, for listing and ageing
    dims: dict[str, str] = field(default_factory=dict)  # breakdown name -> column
    # Rows no measure of this source can count for periods within [$min_from, $max_to];
    # skipping them early keeps large tables cheap. Must hold for every measure below.
    prefilter: str | None = None


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "receptions",
            "SELECT * FROM receptions",
            "commune_code",
            "level",
            "reception_date",
            {"commune": "commune_code", "kind": "kind", "host": "host"},
        ),
        Source(
            "dialogues",
            "SELECT * FROM dialogues",
            "commune_code",
            "level",
            "dialogue_date",
            {"commune": "commune_code"},
        ),
        Source(
            "petitions",
            "SELECT *, eligible AND in_jurisdiction AND NOT withdrawn AS active FROM petitions",
            "commune_code",
            "level",
            "received_date",
            {"commune": "commune_code", "kind": "kind", "field": "field", "outcome": "outcome"},
        ),
        Source(
            "procedures",
            "SELECT p.*, a.kind AS agency_kind FROM procedures p "
            "LEFT JOIN agencies a ON a.agency_code = p.agency_code",
            None,
            "level",
            None,
            {"agency": "agency_code", "field": "field", "procedure_level": "level"},
        ),
        Source(
            "communes",
            "SELECT * FROM communes",
            "commune_code",
            None,
            None,
            {"commune": "commune_code"},
        ),
        Source(
            "dossiers",
            "SELECT d.*, p.level, p.agency_code, p.field AS procedure_field, "
            "date_diff('day', d.received_date, d.finished_date) AS days_taken "
            "FROM dossiers d JOIN procedures p ON p.procedure_code = d.procedure_code",
            "commune_code",
            "level",
            "received_date",
            {
                "commune": "commune_code",
                "procedure": "procedure_code",
                "agency": "agency_code",
                "channel": "channel",
                "procedure_level": "level",
            },
            # Every dossier measure needs received <= to; one finished before the first
            # period began is neither received, resolved nor open in any period.
            prefilter="d.received_date <= $max_to "
            "AND (d.finished_date IS NULL OR d.finished_date >= $min_from)",
        ),
        Source(
            "inspections",
            "SELECT i.*, CASE WHEN i.target_kind = 'xa' THEN i.commune_code "
            "ELSE a.commune_code END AS unit_commune "
            "FROM inspections i LEFT JOIN agencies a ON a.agency_code = i.agency_code",
            "unit_commune",
            None,
            "inspection_date",
            {"commune": "unit_commune", "agency": "agency_code"},
        ),
        Source(
            "staff_ratings",
            "SELECT s.*, a.commune_code, a.kind AS agency_kind FROM staff_ratings s "
            "JOIN agencies a ON a.agency_code = s.agency_code",
            "commune_code",
            None,
            None,
            {"commune": "commune_code", "agency": "agency_code", "sector": "sector"},
        ),
    )
}

# --------------------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Aggregate:
    """A table that answers a source's measures from fewer rows (built by
    data.warehouse.refresh_derived with every build and import).

    `sql` reads the table with the source's own column names, `columns` are those it has.
    `joined_sql` adds the columns in `joined` (procedure attributes); it is used only when a
    filter, breakdown or measure reads one of them. `aggs` rewrites a measure's aggregate
    over rows to the same aggregate over the table; `{filter}` stands for the measure's
    `FILTER (WHERE ...)`. A query is answered from the first aggregate of its source that
    has every column it reads, and from the rows when none has."""

    table: str
    sql: str
    columns: frozenset[str]
    joined_sql: str | None = None
    joined: frozenset[str] = frozenset()
    aggs: dict[str, str] = field(default_factory=dict)


# Every column a dossier measure's condition reads, besides the commune and procedure.
_DOSSIER_EVENT_COLUMNS = (
    "channel",
    "received_date",
    "due_date",
    "finished_date",
    "apology_issued",
    "days_taken",
)
_DOSSIER_AGGS = {
    # count(*) is 0, never NULL, over no rows: so is the sum of the counts
    "count(*)": "CAST(coalesce(sum(n){filter}, 0) AS BIGINT)",
    "sum(days_taken)": "sum(days_taken){filter}",
}

AGGREGATES: dict[str, tuple[Aggregate, ...]] = {
    "dossiers": (
        # by the procedure's level: the overview, level filters, communes, months, channels
        Aggregate(
            "agg_dossiers_level",
            "SELECT d.* FROM agg_dossiers_level d",
            frozenset(("commune_code", "level", *_DOSSIER_EVENT_COLUMNS)),
            aggs=_DOSSIER_AGGS,
        ),
        # by procedure: breakdowns by procedure or agency
        Aggregate(
            "agg_dossiers",
            "SELECT d.* FROM agg_dossiers d",
            frozenset(("commune_code", "procedure_code", *_DOSSIER_EVENT_COLUMNS)),
            "SELECT d.*, p.level, p.agency_code, p.field AS procedure_field "
            "FROM agg_dossiers d JOIN procedures p ON p.procedure_code = d.procedure_code",
            frozenset(("level", "agency_code", "procedure_field")),
            _DOSSIER_AGGS,
        ),
    ),
}

# --------------------------------------------------------------------------- populations
# Each population a page, a list or a KPI counts is written once here; measures, case
# lists and action lists refer to it by name. `p.p_from` / `p.p_to` are the period bounds.


def within(col: str) -> str:
    return f"{col} BETWEEN p.p_from AND p.p_to"


CHAIR = "host = 'chu_tich' AND kind = 'dinh_ky'"
RECEIVED_IN = within("received_date")
RESOLVED_IN = within("resolved_date")
FINISHED_IN = within("finished_date")
OPEN_AT_TO = "received_date <= p.p_to AND (resolved_date IS NULL OR resolved_date > p.p_to)"
DOSSIER_OPEN_AT_TO = "received_date <= p.p_to AND (finished_date IS NULL OR finished_date > p.p_to)"
IN_RATING_YEARS = "year BETWEEN year(p.p_from) AND year(p.p_to)"
DESK = "at_one_stop AND level IN ('huyen', 'nganh_doc')"
# A commune counts in a per-commune denominator when it existed on a day of the period.
VALID_IN_PERIOD = (
    "(valid_from IS NULL OR valid_from <= p.p_to) AND (valid_to IS NULL OR valid_to >= p.p_from)"
)

POPULATIONS: dict[str, str] = {
    "petitions_open": f"active AND {OPEN_AT_TO}",
    "petitions_overdue": f"active AND {OPEN_AT_TO} AND due_date < p.p_to",
    "petitions_open_with_due": f"active AND {OPEN_AT_TO} AND due_date IS NOT NULL",
    "petitions_not_overdue": f"active AND {OPEN_AT_TO} AND due_date >= p.p_to",
    "petitions_resolved_on_time": f"{RESOLVED_IN} AND resolved_date <= due_date",
    "petitions_prolonged": "prolonged AND received_date <= p.p_to",
    "dossiers_open": DOSSIER_OPEN_AT_TO,
    "dossiers_overdue": f"{DOSSIER_OPEN_AT_TO} AND due_date < p.p_to",
    "dossiers_not_overdue": f"{DOSSIER_OPEN_AT_TO} AND due_date >= p.p_to",
    "dossiers_on_time": f"{FINISHED_IN} AND finished_date <= due_date",
    "dossiers_late": f"{FINISHED_IN} AND finished_date > due_date",
    "dossiers_late_no_apology": f"{FINISHED_IN} AND finished_date > due_date "
    "AND NOT apology_issued",
    "communes_existing": VALID_IN_PERIOD,
    # applying one-stop by the period end, or by the day the commune ended
    "communes_one_stop": f"{VALID_IN_PERIOD} "
    "AND one_stop_since <= least(p.p_to, coalesce(valid_to, p.p_to))",
}
GOOD_OR_BETTER = "excellent + good"

# --------------------------------------------------------------------------- measures

# How a measure relates to the period (DOMAIN.md §6): events dated in it, what is open at
# its end, the calendar years it touches, or nothing (the catalogue).
EVENTS, AT_END, YEARS, STATIC = "events", "at_end", "years", "static"


@dataclass(frozen=True)
class Measure:
    """An aggregate over `source` per period. `ignores` drops filters the measure ignores:
    `commune` (it describes the district itself) and `level` (it fixes its own level)."""

    name: str
    source: str
    sql: str
    ignores: tuple[str, ...] = ()
    relation: str = EVENTS


def _m(
    name: str, source: str, agg: str, where: str | None = None, relation: str = EVENTS, **kw
) -> Measure:
    sql = f"{agg} FILTER (WHERE {where})" if where else agg
    return Measure(name, source, sql, relation=relation, **kw)


def events(name: str, source: str, agg: str, date: str, where: str | None = None) -> Measure:
    """An aggregate over the rows whose `date` lies in the period."""
    cond = within(date) + (f" AND {where}" if where else "")
    return _m(name, source, agg, cond, EVENTS)


def at_end(name: str, source: str, agg: str, where: str) -> Measure:
    """An aggregate over what stands at the period end (open, overdue, applied by then)."""
    return _m(name, source, agg, where, AT_END)


def in_years(name: str, source: str, agg: str, where: str) -> Measure:
    return _m(name, source, agg, f"{IN_RATING_YEARS} AND {where}", YEARS)


def static(name: str, source: str, agg: str, where: str | None = None, **kw) -> Measure:
    return _m(name, source, agg, where, STATIC, **kw)


def population(name: str, source: str, pop: str, agg: str = "count(*)") -> Measure:
    relation = EVENTS if "p.p_from" in POPULATIONS[pop] else AT_END
    return _m(name, source, agg, POPULATIONS[pop], relation)


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        # receptions
        events("reception_rows", "receptions", "count(*)", "reception_date"),
        events("reception_citizens", "receptions", "sum(citizens)", "reception_date"),
        events("reception_cases", "receptions", "sum(cases)", "reception_date"),
        events("reception_large_groups", "receptions", "sum(large_groups)", "reception_date"),
        events("chair_rows", "receptions", "count(*)", "reception_date", CHAIR),
        events("chair_citizens", "receptions", "sum(citizens)", "reception_date", CHAIR),
        # dialogues
        events("dialogue_rows", "dialogues", "count(*)", "dialogue_date"),
        events("dialogue_attendees", "dialogues", "sum(attendees)", "dialogue_date"),
        events("dialogue_opinions", "dialogues", "sum(opinions)", "dialogue_date"),
        events("dialogue_answered", "dialogues", "sum(opinions_answered)", "dialogue_date"),
        # petitions
        events("petitions_received", "petitions", "count(*)", "received_date"),
        events("petitions_active", "petitions", "count(*)", "received_date", "active"),
        _m(
            "petitions_to_resolve",
            "petitions",
            "count(*)",
            "active AND received_date <= p.p_to "
            "AND (resolved_date IS NULL OR resolved_date >= p.p_from)",
        ),
        events(
            "petitions_resolved",
            "petitions",
            "count(*)",
            "resolved_date",
            "active AND received_date <= p.p_to",
        ),
        events(
            "petitions_due_resolved",
            "petitions",
            "count(*)",
            "resolved_date",
            "due_date IS NOT NULL",
        ),
        population("petitions_resolved_on_time", "petitions", "petitions_resolved_on_time"),
        population("petitions_overdue_open", "petitions", "petitions_overdue"),
        population("petitions_open_with_due", "petitions", "petitions_open_with_due"),
        population("petitions_not_overdue", "petitions", "petitions_not_overdue"),
        population("prolonged", "petitions", "petitions_prolonged"),
        at_end(
            "prolonged_resolved",
            "petitions",
            "count(*)",
            f"{POPULATIONS['petitions_prolonged']} AND resolved_date <= p.p_to",
        ),
        # procedures (catalogue: no period)
        static("procedures", "procedures", "count(*)"),
        static("procedures_cut", "procedures", "count(*)", "committed_days < statutory_days"),
        static("procedures_online", "procedures", "count(*)", "online_level <> 'khong'"),
        static("desk_procedures", "procedures", "count(*)", DESK, ignores=("commune", "level")),
        static(
            "desk_agencies_specialised",
            "procedures",
            "count(DISTINCT agency_code)",
            f"{DESK} AND agency_kind = 'chuyen_mon'",
            ignores=("commune", "level"),
        ),
        static(
            "desk_agencies_vertical",
            "procedures",
            "count(DISTINCT agency_code)",
            f"{DESK} AND agency_kind = 'nganh_doc'",
            ignores=("commune", "level"),
        ),
        # communes: those that existed on a day of the period, applying one-stop by its end
        # (or by the day they ended)
        population("communes", "communes", "communes_existing"),
        population("communes_one_stop", "communes", "communes_one_stop"),
        # dossiers
        events("dossiers_received", "dossiers", "count(*)", "received_date"),
        events(
            "dossiers_online", "dossiers", "count(*)", "received_date", "channel = 'truc_tuyen'"
        ),
        events("dossiers_resolved", "dossiers", "count(*)", "finished_date"),
        population("dossiers_on_time", "dossiers", "dossiers_on_time"),
        events(
            "dossiers_early", "dossiers", "count(*)", "finished_date", "finished_date < due_date"
        ),
        population("dossiers_late", "dossiers", "dossiers_late"),
        events(
            "dossiers_late_apology",
            "dossiers",
            "count(*)",
            "finished_date",
            "finished_date > due_date AND apology_issued",
        ),
        events("dossiers_days", "dossiers", "sum(days_taken)", "finished_date"),
        population("dossiers_overdue_open", "dossiers", "dossiers_overdue"),
        population("dossiers_open", "dossiers", "dossiers_open"),
        population("dossiers_not_overdue", "dossiers", "dossiers_not_overdue"),
        # inspections
        events("inspections", "inspections", "count(*)", "inspection_date"),
        events("inspections_surprise", "inspections", "count(*)", "inspection_date", "surprise"),
        events(
            "surprise_communes",
            "inspections",
            "count(DISTINCT commune_code)",
            "inspection_date",
            "surprise AND target_kind = 'xa'",
        ),
        events(
            "surprise_agencies",
            "inspections",
            "count(DISTINCT agency_code)",
            "inspection_date",
            "surprise AND target_kind = 'co_quan'",
        ),
        events("violations", "inspections", "sum(violations)", "inspection_date"),
        events("violations_fixed", "inspections", "sum(violations_fixed)", "inspection_date"),
        # staff ratings (by year)
        in_years("rated_admin", "staff_ratings", "sum(rated)", "sector = 'hanh_chinh'"),
        in_years("good_admin", "staff_ratings", f"sum({GOOD_OR_BETTER})", "sector = 'hanh_chinh'"),
        in_years("rated_service", "staff_ratings", "sum(rated)", "sector = 'su_nghiep'"),
        in_years("good_service", "staff_ratings", f"sum({GOOD_OR_BETTER})", "sector = 'su_nghiep'"),
    )
}


@dataclass(frozen=True)
class CustomMeasure:
    """A measure that needs more than one aggregate: a full query over the periods `p`,
    returning `pkey, gkey, num, den`. The engine provides, filtered by the commune filter
    in the view's units: `sel` (commune_code, valid_from, valid_to), the communes of the
    view; `rec` (commune_code, group_code, valid_from, valid_to), the communes as recorded
    with the commune of the view each belongs to; `cmap` (commune_code, view_code). `{gkey}`
    becomes the view's commune when grouping by commune, else NULL."""

    name: str
    sql: str
    by: tuple[str, ...] = ()  # breakdowns it supports besides none and month
    ignores: tuple[str, ...] = ("level",)
    cadence: Cadence | None = None
    group: str = "sel.commune_code"  # the column `{gkey}` stands for


COMMUNE_LEVEL = commune_level_code()

# The chairmen's own scheduled receptions, per level (Luật Tiếp công dân: rules table).
CADENCES: dict[str, Cadence] = {
    c.name: c
    for c in (
        Cadence("district_chair_months", "huyen", MONTH, "chair_reception_days_per_month", CHAIR),
        Cadence("province_chair_months", "tinh", MONTH, "chair_reception_days_per_month", CHAIR),
        Cadence("commune_chair_weeks", COMMUNE_LEVEL, WEEK, "chair_reception_days_per_week", CHAIR),
    )
}

# Selected communes (those existing on a day of the period) with at least one commune-level
# dialogue dated in the period.
COMMUNES_WITH_DIALOGUE_SQL = f"""
WITH held AS (
    SELECT DISTINCT p.pkey, m.view_code AS commune_code
    FROM p JOIN dialogues d ON d.dialogue_date BETWEEN p.p_from AND p.p_to
    JOIN cmap m ON m.commune_code = d.commune_code
    WHERE d.level = '{COMMUNE_LEVEL}'
)
SELECT p.pkey, {{gkey}} AS gkey,
       count(h.commune_code) AS num,
       count(*) AS den
FROM p CROSS JOIN sel
LEFT JOIN held h ON h.pkey = p.pkey AND h.commune_code = sel.commune_code
WHERE (sel.valid_from IS NULL OR sel.valid_from <= p.p_to)
  AND (sel.valid_to IS NULL OR sel.valid_to >= p.p_from)
GROUP BY ALL
"""

CUSTOM_MEASURES: dict[str, CustomMeasure] = {
    m.name: m
    for m in (
        *(
            CustomMeasure(
                c.name,
                measure_sql(c),
                by=("commune",) if c.per_commune else (),
                ignores=("level",) if c.per_commune else ("commune", "level"),
                cadence=c,
                group="group_code",
            )
            for c in CADENCES.values()
        ),
        CustomMeasure("communes_with_dialogue", COMMUNES_WITH_DIALOGUE_SQL, by=("commune",)),
    )
}


# --------------------------------------------------------------------------- KPIs

AREAS = {
    "receptions": ("Tiếp công dân & đối thoại", "Receptions & dialogues"),
    "petitions": ("Đơn thư, khiếu nại, tố cáo", "Petitions"),
    "procedures": ("Thủ tục hành chính & một cửa", "Procedures & one-stop desk"),
    "staff": ("Cán bộ & kỷ cương", "Staff & discipline"),
}


@dataclass(frozen=True)
class Target:
    """The KPI's target and the rules (keys of the `rules` table) it rests on; the rules'
    rows in force over the period give its legal basis. `when` limits it to periods where
    the rule is in force on the first day of a calendar year (the yearly dialogue rule)."""

    value: float
    rules: tuple[str, ...]
    op: str = ">="  # the KPI meets the target when value `op` target
    when: str = "always"  # always | year_rule_in_force

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value <= self.value if self.op == "<=" else value >= self.value


@dataclass(frozen=True)
class Kpi:
    id: str
    area: str
    label_vi: str
    label_en: str
    unit: str  # count | rate | days
    numerator: str  # a measure name (or custom measure name)
    denominator: str | None = None
    higher_is_better: bool = True
    target: Target | None = None
    district_only: bool = False
    levels: tuple[str, ...] | None = None  # levels it describes; None = any
    definition_vi: str = ""
    definition_en: str = ""

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_vi

    @property
    def custom(self) -> bool:
        return self.numerator in CUSTOM_MEASURES

    @property
    def cadence(self) -> Cadence | None:
        cm = CUSTOM_MEASURES.get(self.numerator)
        return cm.cadence if cm else None


PETITION_DEADLINES = (
    "complaint_days_round1",
    "complaint_days_round1_complex_or_remote",
    "complaint_days_round1_complex_and_remote",
    "complaint_days_round2",
    "complaint_days_round2_complex_or_remote",
    "complaint_days_round2_complex_and_remote",
    "denunciation_days",
    "denunciation_days_complex",
)
ONE_STOP = ("one_stop_decree",)


def _full(*rules: str, when: str = "always") -> Target:
    return Target(1.0, rules, when=when)


def _zero(*rules: str) -> Target:
    return Target(0, rules, op="<=")


def _cadence_target(name: str) -> Target:
    return _full(CADENCES[name].rule_key)


def _upper_chair_kpi(kpi_id: str, cadence_name: str) -> Kpi:
    """The monthly reception rule of an upper level's chairman (district, province)."""
    cadence = CADENCES[cadence_name]
    lv = level(cadence.level)
    vi, en = lv.name_vi.lower(), lv.name_en.lower()
    return Kpi(
        kpi_id,
        "receptions",
        f"Tháng Chủ tịch UBND {vi} tiếp công dân đủ số ngày luật định",
        f"Months the {en} chairman met the statutory reception days",
        "rate",
        cadence_name,
        cadence_name,
        target=_cadence_target(cadence_name),
        district_only=True,
        levels=(cadence.level,),
        definition_vi="Tỷ lệ tháng (giao với kỳ, trong thời gian quy định có hiệu lực) có đủ số "
        f"ngày khác nhau Chủ tịch UBND {vi} tiếp công dân định kỳ theo quy định đang có hiệu lực "
        "trong tháng đó.",
        definition_en="Share of calendar months overlapping the period (while the rule is in "
        f"force) with at least the statutory number of distinct dates of the {en} chairman's "
        "scheduled reception.",
    )


K = Kpi
KPI_LIST: tuple[Kpi, ...] = (
    # ---- receptions and dialogues
    K(
        "reception_days",
        "receptions",
        "Số buổi tiếp công dân",
        "Reception days",
        "count",
        "reception_rows",
        definition_vi="Số buổi (ngày) tiếp công dân của mọi người chủ trì và hình thức trong kỳ.",
        definition_en="Reception days of every host and kind held in the period.",
    ),
    K(
        "reception_citizens",
        "receptions",
        "Lượt công dân được tiếp",
        "Citizens received",
        "count",
        "reception_citizens",
        definition_vi="Tổng số lượt công dân tại các buổi tiếp trong kỳ.",
        definition_en="Sum of citizens at reception days in the period.",
    ),
    K(
        "reception_cases",
        "receptions",
        "Vụ việc qua tiếp công dân",
        "Cases at receptions",
        "count",
        "reception_cases",
        definition_vi="Tổng số vụ việc được trình bày tại các buổi tiếp trong kỳ.",
        definition_en="Sum of cases raised at reception days in the period.",
    ),
    K(
        "chair_reception_days",
        "receptions",
        "Buổi tiếp định kỳ của Chủ tịch",
        "Chairman's scheduled reception days",
        "count",
        "chair_rows",
        definition_vi="Số buổi tiếp định kỳ do chính Chủ tịch UBND chủ trì (host = chu_tich, "
        "kind = dinh_ky) trong kỳ.",
        definition_en="Reception days the chairman hosted in person as scheduled receptions "
        "(host = chu_tich, kind = dinh_ky) in the period.",
    ),
    K(
        "chair_reception_citizens",
        "receptions",
        "Công dân được Chủ tịch tiếp định kỳ",
        "Citizens at the chairman's scheduled receptions",
        "count",
        "chair_citizens",
        definition_vi="Tổng lượt công dân tại các buổi tiếp định kỳ của Chủ tịch trong kỳ.",
        definition_en="Citizens at the chairman's own scheduled receptions in the period.",
    ),
    _upper_chair_kpi("district_chair_compliance_rate", "district_chair_months"),
    _upper_chair_kpi("province_chair_compliance_rate", "province_chair_months"),
    K(
        "commune_chair_compliance_rate",
        "receptions",
        "Tuần Chủ tịch UBND xã tiếp công dân đủ số ngày luật định",
        "Weeks commune chairmen met the statutory reception days",
        "rate",
        "commune_chair_weeks",
        "commune_chair_weeks",
        target=_cadence_target("commune_chair_weeks"),
        levels=(COMMUNE_LEVEL,),
        definition_vi="Tỷ lệ cặp (xã được chọn × tuần ISO) có đủ số ngày Chủ tịch UBND xã tiếp "
        "công dân định kỳ theo quy định. Một tuần thuộc kỳ chứa ngày thứ Năm của tuần; chỉ tính "
        "tuần có ít nhất một ngày làm việc (tuần nghỉ Tết không tính) và trong thời gian xã tồn "
        "tại.",
        definition_en="Share of (selected commune × ISO week) pairs with at least the statutory "
        "number of scheduled receptions by the commune chairman. A week belongs to the period "
        "holding its Thursday; only weeks with a working day (not a Tết week off) and while the "
        "commune existed count.",
    ),
    K(
        "dialogues",
        "receptions",
        "Cuộc tiếp xúc, đối thoại",
        "Dialogues held",
        "count",
        "dialogue_rows",
        definition_vi="Số cuộc tiếp xúc, đối thoại trực tiếp với Nhân dân trong kỳ.",
        definition_en="Direct meetings and dialogues with citizens in the period.",
    ),
    K(
        "dialogue_attendees",
        "receptions",
        "Lượt người dự đối thoại",
        "Dialogue attendees",
        "count",
        "dialogue_attendees",
        definition_vi="Tổng lượt người tham dự các cuộc đối thoại trong kỳ.",
        definition_en="Sum of attendees at dialogues in the period.",
    ),
    K(
        "dialogue_opinions",
        "receptions",
        "Lượt ý kiến tại đối thoại",
        "Opinions raised",
        "count",
        "dialogue_opinions",
        definition_vi="Tổng lượt ý kiến nêu tại các cuộc đối thoại trong kỳ.",
        definition_en="Sum of opinions raised at dialogues in the period.",
    ),
    K(
        "dialogue_opinions_answered_rate",
        "receptions",
        "Tỷ lệ ý kiến được trả lời",
        "Opinions answered",
        "rate",
        "dialogue_answered",
        "dialogue_opinions",
        definition_vi="Số ý kiến đã trả lời / số ý kiến nêu tại đối thoại trong kỳ.",
        definition_en="Opinions answered / opinions raised at dialogues in the period.",
    ),
    K(
        "communes_with_dialogue_rate",
        "receptions",
        "Xã có tổ chức đối thoại",
        "Communes that held a dialogue",
        "rate",
        "communes_with_dialogue",
        "communes_with_dialogue",
        target=_full("commune_dialogues_per_year", when="year_rule_in_force"),
        levels=("xa",),
        definition_vi="Số xã được chọn (tồn tại trong kỳ) có tổ chức đối thoại cấp xã trong kỳ / "
        "số xã được chọn. Mục tiêu 100% cho cả năm, từ khi luật có hiệu lực.",
        definition_en="Selected communes (existing in the period) that held a commune-level "
        "dialogue in the period / selected communes. Target 100% over a full year, once the "
        "law is in force.",
    ),
    # ---- petitions
    K(
        "petitions_received",
        "petitions",
        "Đơn thư tiếp nhận",
        "Petitions received",
        "count",
        "petitions_received",
        definition_vi="Số đơn nhận trong kỳ (mọi loại, kể cả không đủ điều kiện).",
        definition_en="Petitions received in the period (all kinds and flags).",
    ),
    K(
        "petitions_in_jurisdiction",
        "petitions",
        "Đơn đủ điều kiện, thuộc thẩm quyền",
        "Eligible petitions within competence",
        "count",
        "petitions_active",
        definition_vi="Đơn nhận trong kỳ đủ điều kiện xử lý, thuộc thẩm quyền và không rút.",
        definition_en="Petitions received in the period that are eligible, within competence "
        "and not withdrawn.",
    ),
    K(
        "petitions_resolution_rate",
        "petitions",
        "Tỷ lệ giải quyết đơn thư",
        "Petition resolution rate",
        "rate",
        "petitions_resolved",
        "petitions_to_resolve",
        definition_vi="Trong các đơn thuộc thẩm quyền nhận đến cuối kỳ và chưa giải quyết trước "
        "đầu kỳ, tỷ lệ đã giải quyết đến cuối kỳ.",
        definition_en="Among active petitions received by the period end and not resolved "
        "before it began, the share resolved by the period end.",
    ),
    K(
        "petitions_on_time_rate",
        "petitions",
        "Đơn giải quyết đúng hạn",
        "Petitions resolved on time",
        "rate",
        "petitions_resolved_on_time",
        "petitions_due_resolved",
        target=_full(*PETITION_DEADLINES),
        definition_vi="Trong các đơn giải quyết trong kỳ có hạn giải quyết, tỷ lệ giải quyết "
        "không muộn hơn hạn.",
        definition_en="Among petitions resolved in the period that have a due date, the share "
        "resolved on or before it.",
    ),
    K(
        "petitions_overdue_open",
        "petitions",
        "Đơn quá hạn chưa giải quyết",
        "Overdue open petitions",
        "count",
        "petitions_overdue_open",
        higher_is_better=False,
        target=_zero(*PETITION_DEADLINES),
        definition_vi="Đơn thuộc thẩm quyền chưa giải quyết tại cuối kỳ mà đã quá hạn.",
        definition_en="Active petitions not resolved by the period end and past their due date.",
    ),
    K(
        "petitions_not_overdue_rate",
        "petitions",
        "Đơn đang giải quyết còn trong hạn",
        "Open petitions still within their deadline",
        "rate",
        "petitions_not_overdue",
        "petitions_open_with_due",
        target=_full(*PETITION_DEADLINES),
        definition_vi="Trong các đơn thuộc thẩm quyền nhận đến cuối kỳ, chưa giải quyết tại cuối "
        "kỳ và có hạn giải quyết, tỷ lệ chưa quá hạn (hạn giải quyết không sớm hơn ngày cuối kỳ).",
        definition_en="Among active petitions received by the period end, not resolved by then "
        "and with a due date, the share not yet overdue (due on or after the period end).",
    ),
    K(
        "prolonged_cases_resolved_rate",
        "petitions",
        "Vụ việc phức tạp, kéo dài đã giải quyết",
        "Long-standing complex cases resolved",
        "rate",
        "prolonged_resolved",
        "prolonged",
        definition_vi="Trong các vụ việc phức tạp, tồn đọng kéo dài nhận đến cuối kỳ, tỷ lệ đã "
        "giải quyết đến cuối kỳ (không giới hạn đầu kỳ).",
        definition_en="Among long-standing complex cases received by the period end, the share "
        "resolved by then (no start bound).",
    ),
    # ---- procedures and dossiers
    K(
        "procedures_total",
        "procedures",
        "Thủ tục hành chính",
        "Administrative procedures",
        "count",
        "procedures",
        definition_vi="Số TTHC trong danh mục (không phụ thuộc kỳ).",
        definition_en="Procedures in the catalogue (independent of the period).",
    ),
    K(
        "procedures_time_cut",
        "procedures",
        "TTHC được cắt giảm thời gian",
        "Procedures with cut processing time",
        "count",
        "procedures_cut",
        definition_vi="TTHC có thời hạn cam kết ngắn hơn thời hạn theo quy định.",
        definition_en="Procedures whose committed time is shorter than the statutory time.",
    ),
    K(
        "procedures_time_cut_rate",
        "procedures",
        "Tỷ lệ TTHC cắt giảm thời gian",
        "Share of procedures with cut time",
        "rate",
        "procedures_cut",
        "procedures",
        definition_vi="TTHC cắt giảm thời gian / tổng số TTHC.",
        definition_en="Procedures with cut time / all procedures.",
    ),
    K(
        "district_desk_procedures",
        "procedures",
        "TTHC tại Bộ phận một cửa huyện",
        "Procedures at the district desk",
        "count",
        "desk_procedures",
        district_only=True,
        levels=("huyen", "nganh_doc"),
        definition_vi="TTHC cấp huyện và ngành dọc được tiếp nhận tại Bộ phận Tiếp nhận và Trả "
        "kết quả của huyện.",
        definition_en="District and vertical-branch procedures served at the district reception "
        "and results desk.",
    ),
    K(
        "district_desk_agencies_specialised",
        "procedures",
        "Cơ quan chuyên môn tại một cửa huyện",
        "Specialised offices at the district desk",
        "count",
        "desk_agencies_specialised",
        district_only=True,
        levels=("huyen", "nganh_doc"),
        definition_vi="Số cơ quan chuyên môn có TTHC tại Bộ phận một cửa huyện.",
        definition_en="Specialised offices owning procedures at the district desk.",
    ),
    K(
        "district_desk_agencies_vertical",
        "procedures",
        "Đơn vị ngành dọc tại một cửa huyện",
        "Vertical branches at the district desk",
        "count",
        "desk_agencies_vertical",
        district_only=True,
        levels=("huyen", "nganh_doc"),
        definition_vi="Số đơn vị ngành dọc có TTHC tại Bộ phận một cửa huyện.",
        definition_en="Vertical branches owning procedures at the district desk.",
    ),
    K(
        "procedures_online_rate",
        "procedures",
        "TTHC có dịch vụ công trực tuyến",
        "Procedures offered online",
        "rate",
        "procedures_online",
        "procedures",
        definition_vi="TTHC có dịch vụ công trực tuyến một phần hoặc toàn trình / tổng số TTHC.",
        definition_en="Procedures with a partial or end-to-end online service / all procedures.",
    ),
    K(
        "communes_one_stop_rate",
        "procedures",
        "Xã thực hiện cơ chế một cửa",
        "Communes applying the one-stop mechanism",
        "rate",
        "communes_one_stop",
        "communes",
        target=_full(*ONE_STOP),
        definition_vi="Số xã được chọn áp dụng cơ chế một cửa đến cuối kỳ / số xã được chọn.",
        definition_en="Selected communes applying the one-stop mechanism by the period end / "
        "selected communes.",
    ),
    K(
        "dossiers_received",
        "procedures",
        "Hồ sơ tiếp nhận",
        "Dossiers received",
        "count",
        "dossiers_received",
        definition_vi="Hồ sơ TTHC tiếp nhận trong kỳ.",
        definition_en="Dossiers received in the period.",
    ),
    K(
        "dossiers_resolved",
        "procedures",
        "Hồ sơ đã giải quyết",
        "Dossiers resolved",
        "count",
        "dossiers_resolved",
        definition_vi="Hồ sơ trả kết quả trong kỳ.",
        definition_en="Dossiers whose result was returned in the period.",
    ),
    K(
        "dossiers_on_time_rate",
        "procedures",
        "Hồ sơ giải quyết đúng hạn",
        "Dossiers resolved on time",
        "rate",
        "dossiers_on_time",
        "dossiers_resolved",
        target=_full(*ONE_STOP),
        definition_vi="Trong hồ sơ đã giải quyết trong kỳ, tỷ lệ trả kết quả không muộn hơn ngày "
        "hẹn trả (trước hạn và đúng hạn).",
        definition_en="Among dossiers resolved in the period, the share returned on or before "
        "the promised date (early or on time).",
    ),
    K(
        "dossiers_early_rate",
        "procedures",
        "Hồ sơ giải quyết trước hạn",
        "Dossiers resolved early",
        "rate",
        "dossiers_early",
        "dossiers_resolved",
        definition_vi="Trong hồ sơ đã giải quyết trong kỳ, tỷ lệ trả trước ngày hẹn trả.",
        definition_en="Among dossiers resolved in the period, the share returned before the "
        "promised date.",
    ),
    K(
        "dossiers_late",
        "procedures",
        "Hồ sơ trễ hạn",
        "Late dossiers",
        "count",
        "dossiers_late",
        higher_is_better=False,
        target=_zero(*ONE_STOP),
        definition_vi="Hồ sơ giải quyết trong kỳ sau ngày hẹn trả.",
        definition_en="Dossiers resolved in the period after the promised date.",
    ),
    K(
        "dossiers_overdue_open",
        "procedures",
        "Hồ sơ quá hạn chưa giải quyết",
        "Overdue open dossiers",
        "count",
        "dossiers_overdue_open",
        higher_is_better=False,
        target=_zero(*ONE_STOP),
        definition_vi="Hồ sơ đã nhận, chưa trả kết quả tại cuối kỳ và đã quá ngày hẹn trả.",
        definition_en="Dossiers received, not finished by the period end and past the promised "
        "date.",
    ),
    K(
        "dossiers_not_overdue_rate",
        "procedures",
        "Hồ sơ đang giải quyết còn trong hạn",
        "Open dossiers still within the promised date",
        "rate",
        "dossiers_not_overdue",
        "dossiers_open",
        target=_full(*ONE_STOP),
        definition_vi="Trong các hồ sơ đã nhận đến cuối kỳ và chưa trả kết quả tại cuối kỳ, tỷ lệ "
        "chưa quá hạn (ngày hẹn trả không sớm hơn ngày cuối kỳ).",
        definition_en="Among dossiers received by the period end and not finished by then, the "
        "share not yet overdue (promised date on or after the period end).",
    ),
    K(
        "dossiers_online_rate",
        "procedures",
        "Hồ sơ nộp trực tuyến",
        "Dossiers filed online",
        "rate",
        "dossiers_online",
        "dossiers_received",
        definition_vi="Hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận trong kỳ.",
        definition_en="Dossiers received online / dossiers received in the period.",
    ),
    K(
        "dossiers_avg_days",
        "procedures",
        "Thời gian giải quyết bình quân",
        "Average processing time",
        "days",
        "dossiers_days",
        "dossiers_resolved",
        higher_is_better=False,
        definition_vi="Bình quân số ngày từ tiếp nhận đến trả kết quả, trên hồ sơ giải quyết "
        "trong kỳ.",
        definition_en="Mean days from reception to result over dossiers resolved in the period.",
    ),
    K(
        "late_apology_rate",
        "procedures",
        "Hồ sơ trễ hạn có phiếu xin lỗi",
        "Late dossiers with an apology slip",
        "rate",
        "dossiers_late_apology",
        "dossiers_late",
        target=_full(*ONE_STOP),
        definition_vi="Trong hồ sơ trễ hạn giải quyết trong kỳ, tỷ lệ có phiếu xin lỗi và hẹn lại.",
        definition_en="Among late dossiers resolved in the period, the share with an apology slip.",
    ),
    # ---- staff and discipline
    K(
        "staff_good_or_better_rate_admin",
        "staff",
        "CB-CC hành chính hoàn thành tốt trở lên",
        "Administrative staff rated good or better",
        "rate",
        "good_admin",
        "rated_admin",
        definition_vi="(Hoàn thành xuất sắc + hoàn thành tốt) / số được đánh giá, khối hành "
        "chính, các năm của kỳ.",
        definition_en="(Excellent + good) / rated, administrative sector, over the period's years.",
    ),
    K(
        "staff_good_or_better_rate_service",
        "staff",
        "Viên chức sự nghiệp hoàn thành tốt trở lên",
        "Public-service staff rated good or better",
        "rate",
        "good_service",
        "rated_service",
        definition_vi="(Hoàn thành xuất sắc + hoàn thành tốt) / số được đánh giá, khối sự "
        "nghiệp, các năm của kỳ.",
        definition_en="(Excellent + good) / rated, public-service sector, over the period's years.",
    ),
    K(
        "inspections",
        "staff",
        "Cuộc kiểm tra công vụ",
        "Discipline inspections",
        "count",
        "inspections",
        definition_vi="Cuộc kiểm tra công vụ trong kỳ.",
        definition_en="Official-discipline inspections in the period.",
    ),
    K(
        "surprise_inspections",
        "staff",
        "Cuộc kiểm tra đột xuất",
        "Surprise inspections",
        "count",
        "inspections_surprise",
        definition_vi="Cuộc kiểm tra công vụ đột xuất trong kỳ.",
        definition_en="Surprise inspections in the period.",
    ),
    K(
        "surprise_inspected_communes",
        "staff",
        "Xã được kiểm tra đột xuất",
        "Communes inspected by surprise",
        "count",
        "surprise_communes",
        definition_vi="Số xã khác nhau được kiểm tra đột xuất trong kỳ.",
        definition_en="Distinct communes given a surprise inspection in the period.",
    ),
    K(
        "surprise_inspected_agencies",
        "staff",
        "Cơ quan được kiểm tra đột xuất",
        "Agencies inspected by surprise",
        "count",
        "surprise_agencies",
        definition_vi="Số cơ quan, đơn vị khác nhau được kiểm tra đột xuất trong kỳ.",
        definition_en="Distinct agencies given a surprise inspection in the period.",
    ),
    K(
        "violations_fixed_rate",
        "staff",
        "Vi phạm đã khắc phục",
        "Violations fixed",
        "rate",
        "violations_fixed",
        "violations",
        definition_vi="Số vi phạm đã khắc phục / số vi phạm phát hiện qua kiểm tra trong kỳ.",
        definition_en="Violations fixed / violations found by inspections in the period.",
    ),
)

KPIS: dict[str, Kpi] = {k.id: k for k in KPI_LIST}

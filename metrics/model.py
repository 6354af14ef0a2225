"""The KPI model, in reading order: sources → measures → KPIs (DOMAIN.md §6).

A *source* is a warehouse relation with the columns the filters need. A *measure* is one
named aggregate over a source, evaluated per period `p` (`p.p_from`, `p.p_to`); each
`COUNT`/`SUM` is written once here and KPIs refer to measures by name. A *KPI* is a count
(one measure) or a ratio (numerator measure / denominator measure), with labels, unit,
direction and target. All SQL text here is fixed; filter values are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.rules import (
    BASIS,
    COMMUNE_CHAIR_DAYS_PER_WEEK,
    DISTRICT_CHAIR_DAYS_PER_MONTH,
    LegalBasis,
)

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

# --------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    """An aggregate over `source` per period. `scope` drops filters the measure ignores:
    `district` ignores the commune filter, `own_level` the level filter (the measure fixes
    its own level)."""

    name: str
    source: str
    sql: str
    ignores: tuple[str, ...] = ()


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


def _m(name: str, source: str, agg: str, where: str | None = None, **kw) -> Measure:
    sql = f"{agg} FILTER (WHERE {where})" if where else agg
    return Measure(name, source, sql, **kw)


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        # receptions
        _m("reception_rows", "receptions", "count(*)", within("reception_date")),
        _m("reception_citizens", "receptions", "sum(citizens)", within("reception_date")),
        _m("reception_cases", "receptions", "sum(cases)", within("reception_date")),
        _m("reception_large_groups", "receptions", "sum(large_groups)", within("reception_date")),
        _m("chair_rows", "receptions", "count(*)", f"{within('reception_date')} AND {CHAIR}"),
        _m(
            "chair_citizens",
            "receptions",
            "sum(citizens)",
            f"{within('reception_date')} AND {CHAIR}",
        ),
        # dialogues
        _m("dialogue_rows", "dialogues", "count(*)", within("dialogue_date")),
        _m("dialogue_attendees", "dialogues", "sum(attendees)", within("dialogue_date")),
        _m("dialogue_opinions", "dialogues", "sum(opinions)", within("dialogue_date")),
        _m("dialogue_answered", "dialogues", "sum(opinions_answered)", within("dialogue_date")),
        # petitions
        _m("petitions_received", "petitions", "count(*)", RECEIVED_IN),
        _m("petitions_active", "petitions", "count(*)", f"{RECEIVED_IN} AND active"),
        _m(
            "petitions_to_resolve",
            "petitions",
            "count(*)",
            "active AND received_date <= p.p_to "
            "AND (resolved_date IS NULL OR resolved_date >= p.p_from)",
        ),
        _m(
            "petitions_resolved",
            "petitions",
            "count(*)",
            "active AND received_date <= p.p_to AND resolved_date BETWEEN p.p_from AND p.p_to",
        ),
        _m(
            "petitions_due_resolved",
            "petitions",
            "count(*)",
            f"{RESOLVED_IN} AND due_date IS NOT NULL",
        ),
        _m(
            "petitions_resolved_on_time",
            "petitions",
            "count(*)",
            f"{RESOLVED_IN} AND resolved_date <= due_date",
        ),
        _m(
            "petitions_overdue_open",
            "petitions",
            "count(*)",
            f"active AND {OPEN_AT_TO} AND due_date < p.p_to",
        ),
        _m("prolonged", "petitions", "count(*)", "prolonged AND received_date <= p.p_to"),
        _m(
            "prolonged_resolved",
            "petitions",
            "count(*)",
            "prolonged AND received_date <= p.p_to AND resolved_date <= p.p_to",
        ),
        # procedures (catalogue: no period)
        _m("procedures", "procedures", "count(*)"),
        _m("procedures_cut", "procedures", "count(*)", "committed_days < statutory_days"),
        _m("procedures_online", "procedures", "count(*)", "online_level <> 'khong'"),
        _m("desk_procedures", "procedures", "count(*)", DESK, ignores=("commune", "level")),
        _m(
            "desk_agencies_specialised",
            "procedures",
            "count(DISTINCT agency_code)",
            f"{DESK} AND agency_kind = 'chuyen_mon'",
            ignores=("commune", "level"),
        ),
        _m(
            "desk_agencies_vertical",
            "procedures",
            "count(DISTINCT agency_code)",
            f"{DESK} AND agency_kind = 'nganh_doc'",
            ignores=("commune", "level"),
        ),
        # communes
        _m("communes", "communes", "count(*)"),
        _m("communes_one_stop", "communes", "count(*)", "one_stop_since <= p.p_to"),
        # dossiers
        _m("dossiers_received", "dossiers", "count(*)", RECEIVED_IN),
        _m("dossiers_online", "dossiers", "count(*)", f"{RECEIVED_IN} AND channel = 'truc_tuyen'"),
        _m("dossiers_resolved", "dossiers", "count(*)", FINISHED_IN),
        _m(
            "dossiers_on_time",
            "dossiers",
            "count(*)",
            f"{FINISHED_IN} AND finished_date <= due_date",
        ),
        _m("dossiers_early", "dossiers", "count(*)", f"{FINISHED_IN} AND finished_date < due_date"),
        _m("dossiers_late", "dossiers", "count(*)", f"{FINISHED_IN} AND finished_date > due_date"),
        _m(
            "dossiers_late_apology",
            "dossiers",
            "count(*)",
            f"{FINISHED_IN} AND finished_date > due_date AND apology_issued",
        ),
        _m("dossiers_days", "dossiers", "sum(days_taken)", FINISHED_IN),
        _m(
            "dossiers_overdue_open",
            "dossiers",
            "count(*)",
            f"{DOSSIER_OPEN_AT_TO} AND due_date < p.p_to",
        ),
        # inspections
        _m("inspections", "inspections", "count(*)", within("inspection_date")),
        _m(
            "inspections_surprise",
            "inspections",
            "count(*)",
            f"{within('inspection_date')} AND surprise",
        ),
        _m(
            "surprise_communes",
            "inspections",
            "count(DISTINCT commune_code)",
            f"{within('inspection_date')} AND surprise AND target_kind = 'xa'",
        ),
        _m(
            "surprise_agencies",
            "inspections",
            "count(DISTINCT agency_code)",
            f"{within('inspection_date')} AND surprise AND target_kind = 'co_quan'",
        ),
        _m("violations", "inspections", "sum(violations)", within("inspection_date")),
        _m("violations_fixed", "inspections", "sum(violations_fixed)", within("inspection_date")),
        # staff ratings (by year)
        _m(
            "rated_admin",
            "staff_ratings",
            "sum(rated)",
            f"{IN_RATING_YEARS} AND sector = 'hanh_chinh'",
        ),
        _m(
            "good_admin",
            "staff_ratings",
            "sum(excellent + good)",
            f"{IN_RATING_YEARS} AND sector = 'hanh_chinh'",
        ),
        _m(
            "rated_service",
            "staff_ratings",
            "sum(rated)",
            f"{IN_RATING_YEARS} AND sector = 'su_nghiep'",
        ),
        _m(
            "good_service",
            "staff_ratings",
            "sum(excellent + good)",
            f"{IN_RATING_YEARS} AND sector = 'su_nghiep'",
        ),
    )
}


@dataclass(frozen=True)
class CustomMeasure:
    """A measure that needs more than one aggregate: a full query over the periods `p` and
    the filtered commune list `sel` (columns `commune_code`), returning `pkey, gkey, num,
    den`. `gkey` is the commune when grouping by commune, else NULL."""

    name: str
    sql: str
    by: tuple[str, ...] = ()  # breakdowns it supports besides none and month
    ignores: tuple[str, ...] = ("level",)


# Months overlapping the period with at least N distinct dates of the district chairman's
# own scheduled reception (rows dated inside the period).
DISTRICT_CHAIR_SQL = f"""
WITH months AS (
    SELECT p.pkey, unnest(generate_series(date_trunc('month', p.p_from),
                                          date_trunc('month', p.p_to),
                                          INTERVAL 1 MONTH)) AS month
    FROM p
), held AS (
    SELECT p.pkey, date_trunc('month', r.reception_date) AS month,
           count(DISTINCT r.reception_date) AS days
    FROM p JOIN receptions r ON r.reception_date BETWEEN p.p_from AND p.p_to
    WHERE r.level = 'huyen' AND r.{CHAIR.replace(" AND kind", " AND r.kind")}
    GROUP BY ALL
)
SELECT m.pkey, CAST(NULL AS VARCHAR) AS gkey,
       count(*) FILTER (WHERE coalesce(h.days, 0) >= {DISTRICT_CHAIR_DAYS_PER_MONTH}) AS num,
       count(*) AS den
FROM months m LEFT JOIN held h ON h.pkey = m.pkey AND h.month = m.month
GROUP BY m.pkey
"""

# (selected commune × ISO week touching the period) pairs with a chairman's scheduled
# reception dated in that week and inside the period.
COMMUNE_CHAIR_SQL = f"""
WITH weeks AS (
    SELECT p.pkey, unnest(generate_series(date_trunc('week', p.p_from),
                                          date_trunc('week', p.p_to),
                                          INTERVAL 7 DAY)) AS week
    FROM p
), held AS (
    SELECT p.pkey, r.commune_code, date_trunc('week', r.reception_date) AS week,
           count(DISTINCT r.reception_date) AS days
    FROM p JOIN receptions r ON r.reception_date BETWEEN p.p_from AND p.p_to
    WHERE r.level = 'xa' AND r.host = 'chu_tich' AND r.kind = 'dinh_ky'
    GROUP BY ALL
)
SELECT w.pkey, {{gkey}} AS gkey,
       count(*) FILTER (WHERE coalesce(h.days, 0) >= {COMMUNE_CHAIR_DAYS_PER_WEEK}) AS num,
       count(*) AS den
FROM weeks w CROSS JOIN sel
LEFT JOIN held h ON h.pkey = w.pkey AND h.week = w.week AND h.commune_code = sel.commune_code
GROUP BY ALL
"""

COMMUNES_WITH_DIALOGUE_SQL = """
WITH held AS (
    SELECT DISTINCT p.pkey, d.commune_code
    FROM p JOIN dialogues d ON d.dialogue_date BETWEEN p.p_from AND p.p_to
    WHERE d.level = 'xa'
)
SELECT p.pkey, {gkey} AS gkey,
       count(h.commune_code) AS num,
       count(*) AS den
FROM p CROSS JOIN sel
LEFT JOIN held h ON h.pkey = p.pkey AND h.commune_code = sel.commune_code
GROUP BY ALL
"""

CUSTOM_MEASURES: dict[str, CustomMeasure] = {
    m.name: m
    for m in (
        CustomMeasure("district_chair_months", DISTRICT_CHAIR_SQL, ignores=("commune", "level")),
        CustomMeasure("commune_chair_weeks", COMMUNE_CHAIR_SQL, by=("commune",)),
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
    value: float
    basis: LegalBasis
    op: str = ">="  # the KPI meets the target when value `op` target


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


def _full(basis: str) -> Target:
    return Target(1.0, BASIS[basis])


def _zero(basis: str) -> Target:
    return Target(0, BASIS[basis], op="<=")


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
    K(
        "district_chair_compliance_rate",
        "receptions",
        "Tháng Chủ tịch huyện tiếp đủ 2 ngày",
        "Months the district chairman met the 2-day rule",
        "rate",
        "district_chair_months",
        "district_chair_months",
        target=_full("district_reception"),
        district_only=True,
        levels=("huyen",),
        definition_vi="Tỷ lệ tháng (giao với kỳ) có ít nhất 2 ngày khác nhau Chủ tịch UBND huyện "
        "tiếp công dân định kỳ.",
        definition_en="Share of calendar months overlapping the period with at least 2 distinct "
        "dates of the district chairman's scheduled reception.",
    ),
    K(
        "commune_chair_compliance_rate",
        "receptions",
        "Tuần Chủ tịch xã tiếp đủ 1 ngày",
        "Weeks commune chairmen met the 1-day rule",
        "rate",
        "commune_chair_weeks",
        "commune_chair_weeks",
        target=_full("commune_reception"),
        levels=("xa",),
        definition_vi="Tỷ lệ cặp (xã được chọn × tuần ISO giao với kỳ) có ít nhất 1 buổi tiếp "
        "định kỳ của Chủ tịch UBND xã trong tuần đó.",
        definition_en="Share of (selected commune × ISO week touching the period) pairs with at "
        "least one scheduled reception by the commune chairman in that week.",
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
        target=_full("dialogue"),
        levels=("xa",),
        definition_vi="Số xã được chọn có ít nhất 1 cuộc đối thoại cấp xã trong kỳ / số xã được "
        "chọn. Mục tiêu 100% cho cả năm.",
        definition_en="Selected communes with at least one commune-level dialogue in the period "
        "/ selected communes. Target 100% over a full year.",
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
        target=_full("petition_deadline"),
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
        target=_zero("petition_deadline"),
        definition_vi="Đơn thuộc thẩm quyền chưa giải quyết tại cuối kỳ mà đã quá hạn.",
        definition_en="Active petitions not resolved by the period end and past their due date.",
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
        target=_full("one_stop"),
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
        target=_full("one_stop"),
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
        target=_zero("one_stop"),
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
        target=_zero("one_stop"),
        definition_vi="Hồ sơ đã nhận, chưa trả kết quả tại cuối kỳ và đã quá ngày hẹn trả.",
        definition_en="Dossiers received, not finished by the period end and past the promised "
        "date.",
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
        target=_full("one_stop_apology"),
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

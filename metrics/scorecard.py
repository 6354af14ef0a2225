"""The leader's scorecard: one score per commune from seven KPIs (DOMAIN.md §10).

Each indicator is a KPI of the catalogue read as an attainment between 0 and 1, computed for
the commune alone (one `compute_by` pass for every commune) and for the whole selection
pooled (one `compute` pass). Weights, bands and the two minimums (records behind a counting
indicator, indicators behind a score) live in `data/reference/scorecard.csv`; nothing here
holds a threshold. Whether the yearly dialogue indicator applies is read from the rules table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from data.reference import REFERENCE_DIR
from metrics import format as fmt
from metrics.engine import TODAY, Db, Filters, Result, compute, compute_by
from metrics.model import KPIS
from metrics.periods import commune_units
from metrics.rules import applied, in_force, warehouse_rules

SCORECARD_FILE = REFERENCE_DIR / "scorecard.csv"

# The indicators in the order of DOMAIN.md §10; ties in "what pulled it down" follow it.
INDICATORS: tuple[str, ...] = (
    "commune_chair_compliance_rate",
    "communes_with_dialogue_rate",
    "petitions_on_time_rate",
    "petitions_not_overdue_rate",
    "dossiers_on_time_rate",
    "dossiers_not_overdue_rate",
    "late_apology_rate",
)
# Indicators over a handful of records say little: they need the configured minimum. The
# cadence and the dialogue indicator are kept whenever they have a value.
COUNTING: frozenset[str] = frozenset(INDICATORS[2:])
# Counted only over a whole calendar year whose first day has the yearly rule in force.
YEARLY = "communes_with_dialogue_rate"

BANDS = ("tot", "can_chu_y", "can_cai_thien")
BAND_LABELS = {
    "tot": ("Tốt", "Good"),
    "can_chu_y": ("Cần chú ý", "Needs attention"),
    "can_cai_thien": ("Cần cải thiện", "Needs improvement"),
}

# Why an indicator is left out of a commune's score.
NULL, FEW_RECORDS, NOT_WHOLE_YEAR, RULE_NOT_IN_FORCE = (
    "null",
    "few_records",
    "not_whole_year",
    "rule_not_in_force",
)
REASON_LABELS = {
    NULL: ("không có số liệu", "no data"),
    FEW_RECORDS: ("ít dữ liệu", "few records"),
    NOT_WHOLE_YEAR: ("chỉ tính cho cả năm", "whole years only"),
    RULE_NOT_IN_FORCE: ("quy định chưa có hiệu lực", "rule not yet in force"),
}


@dataclass(frozen=True)
class Config:
    """The scorecard's settings, from the configuration file."""

    weights: dict[str, float]
    bands: tuple[tuple[str, float | None], ...]  # (band, lowest rounded score), best first
    min_denominator: int
    min_indicators: int


@dataclass
class Indicator:
    """One indicator of one commune (or of the pooled selection). `kept` says whether it
    enters the score; when not, `reason` is one of null, few_records, not_whole_year,
    rule_not_in_force. `value` is shown even when left out (never as 0 for "ít dữ liệu")."""

    kpi_id: str
    value: float | None
    denominator: int | None
    kept: bool
    reason: str | None = None


@dataclass
class CommuneScore:
    """The score of a commune (commune_code None: the whole selection pooled). `score` has
    one decimal, None when fewer indicators than the minimum are kept; `rank` and
    `rank_change` (previous rank − rank, positive: moved up) are None when unscored;
    `pulled_down_by` lists up to three kept indicators with the largest weighted shortfall."""

    commune_code: str | None
    score: float | None
    band: str | None
    rank: int | None
    rank_change: int | None
    pulled_down_by: list[str] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)


@dataclass
class Scorecard:
    """The selection's pooled score and the communes ranked: highest score first, equal
    rounded scores sharing a rank (1, 2, 2, 4), ties by commune code, unscored communes last
    (by code) without a rank."""

    filters: Filters
    selection: CommuneScore
    communes: list[CommuneScore]
    indicators: tuple[str, ...] = INDICATORS


# --------------------------------------------------------------------------- configuration


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{SCORECARD_FILE.name}: {what}: not a number {text!r}") from None


@lru_cache(maxsize=4)
def config(path: Path = SCORECARD_FILE) -> Config:
    """Weights, bands and minimums from the configuration file (read once)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    weights: dict[str, float] = {}
    bands: list[tuple[str, float | None]] = []
    single: dict[str, int] = {}
    for row in rows:
        setting, key, value = row["setting"].strip(), row["key"].strip(), row["value"].strip()
        if setting == "weight":
            weights[key] = _number(value, key)
        elif setting == "band":
            bands.append((key, _number(value, key) if value else None))
        elif setting in ("min_denominator", "min_indicators"):
            single[setting] = int(_number(value, setting))
        else:
            raise ValueError(f"{path.name}: unknown setting {setting!r}")
    if set(weights) != set(INDICATORS):
        raise ValueError(f"{path.name}: weights must name exactly the indicators {INDICATORS}")
    if [b for b, _ in bands] != list(BANDS) or bands[-1][1] is not None:
        raise ValueError(f"{path.name}: bands must be {BANDS}, best first, the last open")
    return Config(
        weights={k: weights[k] for k in INDICATORS},
        bands=tuple(bands),
        min_denominator=single["min_denominator"],
        min_indicators=single["min_indicators"],
    )


# --------------------------------------------------------------------------- arithmetic


def round_score(score: float | None) -> float | None:
    """One decimal, half up, as a leader reads it (89.95 → 90.0); float noise below 1e-9
    is dropped first so 89.9499999999 from a ratio still reads 90.0."""
    if score is None:
        return None
    exact = Decimal(repr(round(score, 9)))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def band_of(score: float | None, cfg: Config | None = None) -> str | None:
    """The band of a score, judged on the score rounded to one decimal (None: no score)."""
    if score is None:
        return None
    cfg = cfg or config()
    shown = round_score(score)
    for band, lowest in cfg.bands:
        if lowest is None or shown >= lowest:
            return band
    return None  # unreachable: the last band is open


def _whole(x: float | int | None) -> int | None:
    return None if x is None else int(x)


def indicators_of(
    results: dict[str, Result], yearly_reason: str | None, cfg: Config
) -> dict[str, Indicator]:
    """The seven indicators from a commune's (or the selection's) KPI results.
    `yearly_reason` is why the yearly indicator cannot apply to the period (None: it can)."""
    out: dict[str, Indicator] = {}
    for kpi_id in INDICATORS:
        r = results.get(kpi_id)
        value = r.value if r is not None and r.applies else None
        den = _whole(r.denominator) if r is not None and r.applies else None
        reason = None
        if kpi_id == YEARLY and yearly_reason:
            reason = yearly_reason
        elif value is None:
            reason = NULL
        elif kpi_id in COUNTING and (den or 0) < cfg.min_denominator:
            reason = FEW_RECORDS
        out[kpi_id] = Indicator(kpi_id, value, den, reason is None, reason)
    return out


def score_of(indicators: dict[str, Indicator], cfg: Config) -> float | None:
    """100 × Σ wᵢ·aᵢ / Σ wᵢ over the kept indicators, one decimal; None below the minimum."""
    kept = [i for i in indicators.values() if i.kept]
    total = sum(cfg.weights[i.kpi_id] for i in kept)
    if len(kept) < cfg.min_indicators or total <= 0:
        return None
    raw = 100 * sum(cfg.weights[i.kpi_id] * i.value for i in kept) / total
    return round_score(raw)


def pulled_down(indicators: dict[str, Indicator], cfg: Config, top: int = 3) -> list[str]:
    """The kept indicators with the largest wᵢ·(1 − aᵢ), ties in §10 order, none at aᵢ = 1."""
    gaps = []
    for pos, kpi_id in enumerate(INDICATORS):
        ind = indicators[kpi_id]
        if not ind.kept or ind.value >= 1:
            continue
        shortfall = cfg.weights[kpi_id] * (1 - ind.value)
        if shortfall > 0:
            # rounded so that two equal shortfalls from different ratios tie
            gaps.append((-round(shortfall, 12), pos, kpi_id))
    return [kpi_id for _, _, kpi_id in sorted(gaps)[:top]]


def _ranks(scores: dict[str, float | None]) -> dict[str, int | None]:
    """Competition ranks (1, 2, 2, 4) of the scored communes; None for the unscored."""
    scored = [s for s in scores.values() if s is not None]
    return {
        code: None if s is None else 1 + sum(1 for o in scored if o > s)
        for code, s in scores.items()
    }


# --------------------------------------------------------------------------- the scorecard


def yearly_reason(filters: Filters, rules: tuple) -> str | None:
    """Why the yearly dialogue indicator does not apply to the period, or None when it does:
    a whole calendar year with the rule in force on its first day."""
    if not filters.is_calendar_year:
        return NOT_WHOLE_YEAR
    target = KPIS[YEARLY].target
    keys = target.rules if target else ()
    if not any(in_force(key, filters.date_from, rules) for key in keys):
        return RULE_NOT_IN_FORCE
    return None


def selected_communes(filters: Filters, db: Db = None) -> list[str]:
    """The communes the filters select: valid on a day of the period (under today's units,
    today's communes), within the commune filter."""
    chosen = set(filters.communes)
    out = []
    for u in commune_units(db):
        if chosen and u.code not in chosen:
            continue
        if filters.units == TODAY:
            if not u.today:
                continue
        elif (u.valid_from and u.valid_from > filters.date_to) or (
            u.valid_to and u.valid_to < filters.date_from
        ):
            continue
        out.append(u.code)
    return sorted(out)


def _commune_scores(filters: Filters, db: Db, rules: tuple, cfg: Config) -> dict[str, CommuneScore]:
    by_commune = compute_by(filters, "commune", list(INDICATORS), db)
    reason = yearly_reason(filters, rules)
    out = {}
    for code in selected_communes(filters, db):
        inds = indicators_of(by_commune.get(code, {}), reason, cfg)
        score = score_of(inds, cfg)
        pulled = pulled_down(inds, cfg) if score is not None else []
        out[code] = CommuneScore(code, score, band_of(score, cfg), None, None, pulled, inds)
    ranks = _ranks({c: s.score for c, s in out.items()})
    for code, s in out.items():
        s.rank = ranks[code]
    return out


def scorecard(filters: Filters, db: Db = None) -> Scorecard:
    """The scorecard of the filters: the selection pooled, every selected commune scored,
    ranked and compared with its rank over the previous period of equal length."""
    cfg = config()
    rules = warehouse_rules(db)
    now = _commune_scores(filters, db, rules, cfg)
    before = _commune_scores(filters.previous(), db, rules, cfg)
    for code, s in now.items():
        prev = before.get(code)
        if s.rank is not None and prev is not None and prev.rank is not None:
            s.rank_change = prev.rank - s.rank
    pooled = indicators_of(
        compute(filters, list(INDICATORS), db), yearly_reason(filters, rules), cfg
    )
    score = score_of(pooled, cfg)
    selection = CommuneScore(
        None,
        score,
        band_of(score, cfg),
        None,
        None,
        pulled_down(pooled, cfg) if score is not None else [],
        pooled,
    )
    ordered = sorted(
        now.values(),
        key=lambda s: (s.score is None, -(s.score or 0), s.commune_code),
    )
    return Scorecard(filters, selection, ordered, INDICATORS)


# --------------------------------------------------------------------------- methodology


def _target_text(kpi_id: str, lang: str) -> str | None:
    target = KPIS[kpi_id].target
    if target is None:
        return None
    shown = fmt.value(target.value, KPIS[kpi_id].unit, lang)
    return f"{'Target' if lang == 'en' else 'Mục tiêu'} {target.op} {shown}"


def methodology(lang: str = "vi", db: Db = None, filters: Filters | None = None) -> list[dict]:
    """How the score is made, for the page beside it. One dict per indicator (kind
    "indicator": id, label, weight, target, basis — the legal basis from the rules table,
    over the period when `filters` is given — and kept_when), then the notes (kind "note":
    id, label, text): how the score and bands work, and why the selection's score can fall
    below every commune's."""
    cfg = config()
    rules = warehouse_rules(db)
    en = lang == "en"
    mind = cfg.min_denominator
    rows: list[dict] = []
    for kpi_id in INDICATORS:
        kpi = KPIS[kpi_id]
        keys = kpi.target.rules if kpi.target else ()
        first = filters.date_from if filters else date.min
        last = filters.date_to if filters else date.max
        basis = list(dict.fromkeys(r.basis(lang) for r in applied(keys, first, last, rules)))
        if kpi_id == YEARLY:
            kept = (
                "Only for a whole calendar year whose first day has the dialogue rule in force."
                if en
                else "Chỉ tính cho cả năm dương lịch mà quy định đối thoại có hiệu lực từ ngày "
                "đầu năm."
            )
        elif kpi_id in COUNTING:
            kept = (
                f"Left out below {mind} records (shown as “few records”, never as 0)."
                if en
                else f"Không tính khi dưới {mind} hồ sơ, đơn (hiện “ít dữ liệu”, không phải 0)."
            )
        else:
            kept = "Kept whenever it has a value." if en else "Luôn tính khi có số liệu."
        rows.append(
            {
                "kind": "indicator",
                "id": kpi_id,
                "label": kpi.label(lang),
                "weight": cfg.weights[kpi_id],
                "target": _target_text(kpi_id, lang),
                "basis": "; ".join(basis) or None,
                "kept_when": kept,
            }
        )
    (top, top_lo), (mid, mid_lo), (low, _) = cfg.bands
    names = {b: BAND_LABELS[b][1 if en else 0] for b in BANDS}
    n = cfg.min_indicators
    if en:
        score_text = (
            "Score = 100 × the weighted mean of the indicators kept, one decimal; with fewer "
            f"than {n} indicators kept there is no score (—). {names[top]}: {top_lo:g} or more; "
            f"{names[mid]}: {mid_lo:g} to below {top_lo:g}; {names[low]}: below {mid_lo:g}. "
            "Communes with equal scores share a rank."
        )
        pooled_text = (
            "The score of the whole selection uses the same formula on the pooled figures of "
            "all its communes. It can be lower than every commune's score: an indicator with "
            "too few records to count in any one commune (for example overdue petitions) is "
            "counted once the communes are pooled."
        )
    else:
        score_text = (
            "Điểm = 100 × bình quân có trọng số của các chỉ tiêu được tính, làm tròn một chữ số "
            f"thập phân; dưới {n} chỉ tiêu được tính thì không có điểm (—). {names[top]}: từ "
            f"{top_lo:g}; {names[mid]}: từ {mid_lo:g} đến dưới {top_lo:g}; {names[low]}: dưới "
            f"{mid_lo:g}. Các xã bằng điểm đồng hạng."
        )
        pooled_text = (
            "Điểm của cả vùng chọn tính theo cùng công thức trên số liệu gộp của mọi xã. Điểm "
            "này có thể thấp hơn điểm của từng xã: một chỉ tiêu quá ít hồ sơ để tính ở riêng "
            "một xã (ví dụ đơn quá hạn) lại được tính khi gộp các xã."
        )
    rows.append(
        {
            "kind": "note",
            "id": "score",
            "label": "Cách tính điểm" if not en else "How the score is made",
            "text": score_text,
        }
    )
    rows.append(
        {
            "kind": "note",
            "id": "selection",
            "label": "Điểm của cả vùng chọn" if not en else "The selection's score",
            "text": pooled_text,
        }
    )
    return rows


def band_label(band: str | None, lang: str = "vi") -> str:
    """The band's name in the language, "—" for no score."""
    if band is None:
        return "—"
    return BAND_LABELS[band][1 if lang == "en" else 0]


def reason_label(reason: str | None, lang: str = "vi") -> str | None:
    """Why an indicator is left out, in words ("ít dữ liệu")."""
    return None if reason is None else REASON_LABELS[reason][1 if lang == "en" else 0]


__all__ = [
    "BANDS",
    "INDICATORS",
    "CommuneScore",
    "Config",
    "Indicator",
    "Scorecard",
    "band_label",
    "band_of",
    "config",
    "methodology",
    "reason_label",
    "round_score",
    "scorecard",
]

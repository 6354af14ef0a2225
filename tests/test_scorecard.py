"""The leader's scorecard (DOMAIN.md §10) on tests/fixture_score: every expected value is
counted by hand in tests/fixture_score/README.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from metrics import KPIS
from metrics.engine import Filters, compute
from metrics.scorecard import INDICATORS, band_of, config, methodology, scorecard

MARCH = Filters(date(2024, 3, 4), date(2024, 3, 31))


@pytest.fixture(scope="module")
def card(fixture_score_db: Path):
    return scorecard(MARCH, fixture_score_db)


def by_code(card) -> dict:
    return {c.commune_code: c for c in card.communes}


def test_new_kpis_are_declared_with_targets_and_labels() -> None:
    """The two new rate KPIs exist, aim at 100 % and carry both labels."""
    for kpi_id in ("petitions_not_overdue_rate", "dossiers_not_overdue_rate"):
        kpi = KPIS[kpi_id]
        assert kpi.unit == "rate" and kpi.target.value == 1.0
        assert kpi.label_vi and kpi.label_en and kpi.definition_vi and kpi.definition_en


def test_new_kpis_pooled_values(fixture_score_db: Path) -> None:
    """Pooled over March: 1 of 8 open petitions with a due date is not overdue; 24 of 28
    open dossiers are not overdue."""
    r = compute(
        MARCH, ["petitions_not_overdue_rate", "dossiers_not_overdue_rate"], fixture_score_db
    )
    assert (
        r["petitions_not_overdue_rate"].numerator,
        r["petitions_not_overdue_rate"].denominator,
    ) == (1, 8)
    assert (
        r["dossiers_not_overdue_rate"].numerator,
        r["dossiers_not_overdue_rate"].denominator,
    ) == (24, 28)


def test_config_holds_weights_bands_and_minimums() -> None:
    """The configuration file gives weight 1 to each indicator, bands 90 / 80, minimums 5 and 3."""
    cfg = config()
    assert list(cfg.weights) == list(INDICATORS)
    assert set(cfg.weights.values()) == {1.0}
    assert cfg.bands == (("tot", 90.0), ("can_chu_y", 80.0), ("can_cai_thien", None))
    assert (cfg.min_denominator, cfg.min_indicators) == (5, 3)


def test_scores_and_bands(card) -> None:
    """A 96.7 tot, B and C 85.0 can_chu_y, D 78.3 can_cai_thien, E unscored."""
    c = by_code(card)
    assert [(k, c[k].score, c[k].band) for k in sorted(c)] == [
        ("00001", 96.7, "tot"),
        ("00002", 85.0, "can_chu_y"),
        ("00003", 85.0, "can_chu_y"),
        ("00004", 78.3, "can_cai_thien"),
        ("00005", None, None),
    ]


def test_ties_share_a_rank_and_unscored_are_last(card) -> None:
    """Ranks 1, 2, 2, 4; the tie ordered by code; the unscored commune last without rank."""
    assert [(c.commune_code, c.rank) for c in card.communes] == [
        ("00001", 1),
        ("00002", 2),
        ("00003", 2),
        ("00004", 4),
        ("00005", None),
    ]


def test_indicator_left_out_below_five_records_kept_at_five(card) -> None:
    """E's 4 dossiers resolved are "ít dữ liệu" (value kept for display); A's 5 count."""
    e = by_code(card)["00005"].indicators["dossiers_on_time_rate"]
    assert (e.value, e.denominator, e.kept, e.reason) == (1.0, 4, False, "few_records")
    a = by_code(card)["00001"].indicators["dossiers_on_time_rate"]
    assert (a.value, a.denominator, a.kept, a.reason) == (1.0, 5, True, None)


def test_fewer_than_three_indicators_no_score(card) -> None:
    """E keeps only its reception weeks (1 indicator): no score, no band, no pull-down."""
    e = by_code(card)["00005"]
    assert [k for k, i in e.indicators.items() if i.kept] == ["commune_chair_compliance_rate"]
    assert e.indicators["dossiers_not_overdue_rate"].reason == "null"
    assert (e.score, e.band, e.rank, e.rank_change, e.pulled_down_by) == (
        None,
        None,
        None,
        None,
        [],
    )


def test_rank_change_against_previous_period(card) -> None:
    """Previous 28 days (5 Feb – 3 Mar 2024): B 100.0 first, A 85.0 second, others unscored.
    A moved up one, B down one; communes unscored before have no change."""
    assert {c.commune_code: c.rank_change for c in card.communes} == {
        "00001": 1,
        "00002": -1,
        "00003": None,
        "00004": None,
        "00005": None,
    }


def test_pulled_down_by_order_and_ties(card) -> None:
    """Largest shortfall first, ties in §10 order (D: 0.2 = 0.2, indicator 5 before 6), at
    most three, none at attainment 1."""
    c = by_code(card)
    assert c["00001"].pulled_down_by == ["dossiers_not_overdue_rate"]
    assert c["00002"].pulled_down_by == ["commune_chair_compliance_rate", "dossiers_on_time_rate"]
    assert c["00003"].pulled_down_by == ["dossiers_not_overdue_rate", "dossiers_on_time_rate"]
    assert c["00004"].pulled_down_by == [
        "commune_chair_compliance_rate",
        "dossiers_on_time_rate",
        "dossiers_not_overdue_rate",
    ]


def test_selection_score_below_every_commune(card) -> None:
    """Pooled, the open petitions (8, only 1 in time) reach the minimum and drag the
    selection to 68.9, below D's 78.3."""
    sel = card.selection
    assert sel.commune_code is None and sel.rank is None
    assert sel.score == 68.9 and sel.band == "can_cai_thien"
    ind = sel.indicators["petitions_not_overdue_rate"]
    assert (ind.value, ind.denominator, ind.kept) == (0.125, 8, True)
    assert all(
        ind.kept is False
        for c in card.communes
        for k, ind in c.indicators.items()
        if k == "petitions_not_overdue_rate"
    )
    assert all(sel.score < c.score for c in card.communes if c.score is not None)


def test_dialogue_indicator_only_for_a_whole_year_in_force(card, fixture_score_db: Path) -> None:
    """March: not a whole year. 2024: kept (A 1, B 0). 2023: the rule starts 2023-07-01."""
    a = by_code(card)["00001"].indicators["communes_with_dialogue_rate"]
    assert (a.kept, a.reason) == (False, "not_whole_year")
    y2024 = by_code(scorecard(Filters.year(2024), fixture_score_db))
    assert (
        y2024["00001"].indicators["communes_with_dialogue_rate"].value,
        y2024["00001"].indicators["communes_with_dialogue_rate"].kept,
    ) == (1.0, True)
    assert (
        y2024["00002"].indicators["communes_with_dialogue_rate"].value,
        y2024["00002"].indicators["communes_with_dialogue_rate"].kept,
    ) == (0.0, True)
    y2023 = by_code(scorecard(Filters.year(2023), fixture_score_db))
    ind = y2023["00001"].indicators["communes_with_dialogue_rate"]
    assert (ind.kept, ind.reason) == (False, "rule_not_in_force")


def test_whole_year_score_counts_the_dialogue(fixture_score_db: Path) -> None:
    """A in 2024: (7/52 + 1 + 9/10 + 0) / 4 = 50.9; without the dialogue it would be 34.5."""
    a = by_code(scorecard(Filters.year(2024), fixture_score_db))["00001"]
    assert a.score == 50.9
    assert a.pulled_down_by == [
        "dossiers_not_overdue_rate",
        "commune_chair_compliance_rate",
        "dossiers_on_time_rate",
    ]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (89.95, "tot"),
        (90.0, "tot"),
        (89.94, "can_chu_y"),
        (80.0, "can_chu_y"),
        (79.95, "can_chu_y"),
        (79.9, "can_cai_thien"),
        (0.0, "can_cai_thien"),
        (None, None),
    ],
)
def test_band_boundaries_on_the_rounded_score(score, band) -> None:
    """Bands judge the score rounded to one decimal: 89.95 reads 90.0 (tot)."""
    assert band_of(score) == band


def test_commune_filter_scores_only_those_communes(fixture_score_db: Path) -> None:
    """With two communes selected, only they are ranked (A 1, C 2)."""
    card = scorecard(Filters(MARCH.date_from, MARCH.date_to, ("00001", "00003")), fixture_score_db)
    assert [(c.commune_code, c.rank) for c in card.communes] == [("00001", 1), ("00003", 2)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_methodology_lists_indicators_and_the_pooling_note(
    lang: str, fixture_score_db: Path
) -> None:
    """Each indicator with weight, target and legal basis; a note on the pooled score."""
    rows = methodology(lang, fixture_score_db, MARCH)
    inds = [r for r in rows if r["kind"] == "indicator"]
    assert [r["id"] for r in inds] == list(INDICATORS)
    assert all(r["weight"] == 1.0 and r["target"] and r["basis"] for r in inds)
    notes = {r["id"]: r["text"] for r in rows if r["kind"] == "note"}
    assert ("pooled" if lang == "en" else "gộp") in notes["selection"]

"""The action lists (DOMAIN.md §10) on tests/fixture_score, as of 2024-03-31: every row
below is counted by hand in tests/fixture_score/README.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from metrics.actions import COLUMNS, LISTS, action_counts, action_list
from metrics.engine import Filters, compute

MARCH = Filters(date(2024, 3, 4), date(2024, 3, 31))


def ids(df, col: str) -> list:
    return list(df[col])


def test_overdue_petitions_most_overdue_first(fixture_score_db: Path) -> None:
    """Due the day before `to` is 1 day overdue (QA2); due on `to` is not listed (QA1);
    withdrawn (QA3) is not active."""
    df = action_list(MARCH, "overdue_petitions", fixture_score_db)
    assert list(df.columns) == COLUMNS["overdue_petitions"]
    assert list(zip(df["petition_id"], df["days_overdue"], strict=True)) == [
        ("QD2", 60),
        ("QB2", 40),
        ("QB1", 30),
        ("QC1", 21),
        ("QC2", 11),
        ("QD1", 6),
        ("QA2", 1),
    ]
    assert df.iloc[-1]["due_date"] == date(2024, 3, 30)


def test_overdue_dossiers(fixture_score_db: Path) -> None:
    """HA07 is due on `to` (not overdue); HA06 the day before (1 day)."""
    df = action_list(MARCH, "overdue_dossiers", fixture_score_db)
    assert list(zip(df["dossier_id"], df["days_overdue"], strict=True)) == [
        ("HC06", 16),
        ("HC07", 6),
        ("HD06", 2),
        ("HA06", 1),
    ]


def test_late_without_apology(fixture_score_db: Path) -> None:
    """Finished on the due date is on time (HA01, HB01); one day after without apology is
    listed (HB05); late with an apology is not (HC05)."""
    df = action_list(MARCH, "late_without_apology", fixture_score_db)
    assert list(zip(df["dossier_id"], df["days_late"], strict=True)) == [("HD05", 3), ("HB05", 1)]
    assert df.iloc[1]["finished_date"] == date(2024, 3, 12)


def test_reception_gaps(fixture_score_db: Path) -> None:
    """The district's March (1 day of 2) and the missed weeks of B and D (D's week had only
    a vice-chairman's reception)."""
    df = action_list(MARCH, "reception_gaps", fixture_score_db)
    rows = [tuple(r) for r in df.itertuples(index=False)]
    assert rows == [
        ("huyen", None, date(2024, 3, 1), date(2024, 3, 4), date(2024, 3, 31), 2, 1),
        ("xa", "00002", date(2024, 3, 18), date(2024, 3, 18), date(2024, 3, 24), 1, 0),
        ("xa", "00004", date(2024, 3, 25), date(2024, 3, 25), date(2024, 3, 31), 1, 0),
    ]


def test_no_dialogue(fixture_score_db: Path) -> None:
    """Only A held a commune-level dialogue; B's was the district's."""
    df = action_list(MARCH, "no_dialogue", fixture_score_db)
    assert ids(df, "commune_code") == ["00002", "00003", "00004", "00005"]


def test_prolonged_open(fixture_score_db: Path) -> None:
    """QD2 (60 days overdue, 121 open) before QC3 (no due date, 446 open); QA4 resolved."""
    df = action_list(MARCH, "prolonged_open", fixture_score_db)
    assert ids(df, "petition_id") == ["QD2", "QC3"]
    assert list(df["days_open"]) == [121, 446]
    assert df.iloc[0]["days_overdue"] == 60 and df["days_overdue"].isna().iloc[1]


@pytest.mark.parametrize(
    "filters",
    [
        MARCH,
        Filters(MARCH.date_from, MARCH.date_to, ("00004",)),
        Filters(MARCH.date_from, MARCH.date_to, level="xa"),
        Filters(MARCH.date_from, MARCH.date_to, level="huyen"),
    ],
)
def test_counts_equal_list_lengths_and_overdue_kpis(filters, fixture_score_db: Path) -> None:
    """action_counts matches every list and the overdue KPIs."""
    counts = action_counts(filters, fixture_score_db)
    assert list(counts) == list(LISTS)
    for name in LISTS:
        assert counts[name] == len(action_list(filters, name, fixture_score_db)), name
    kpis = compute(filters, ["petitions_overdue_open", "dossiers_overdue_open"], fixture_score_db)
    assert counts["overdue_petitions"] == kpis["petitions_overdue_open"].value
    assert counts["overdue_dossiers"] == kpis["dossiers_overdue_open"].value


def test_commune_filter(fixture_score_db: Path) -> None:
    """Commune D: its two overdue petitions, its overdue dossier, its missed week only."""
    f = Filters(MARCH.date_from, MARCH.date_to, ("00004",))
    assert ids(action_list(f, "overdue_petitions", fixture_score_db), "petition_id") == [
        "QD2",
        "QD1",
    ]
    assert ids(action_list(f, "overdue_dossiers", fixture_score_db), "dossier_id") == ["HD06"]
    gaps = action_list(f, "reception_gaps", fixture_score_db)
    assert list(zip(gaps["level"], gaps["commune_code"], strict=True)) == [("xa", "00004")]


def test_level_filter(fixture_score_db: Path) -> None:
    """Level huyen: the district petition and the district's month; level xa: the rest."""
    huyen = Filters(MARCH.date_from, MARCH.date_to, level="huyen")
    assert ids(action_list(huyen, "overdue_petitions", fixture_score_db), "petition_id") == ["QD1"]
    assert ids(action_list(huyen, "reception_gaps", fixture_score_db), "level") == ["huyen"]
    assert action_list(huyen, "no_dialogue", fixture_score_db).empty
    xa = Filters(MARCH.date_from, MARCH.date_to, level="xa")
    assert "QD1" not in ids(action_list(xa, "overdue_petitions", fixture_score_db), "petition_id")
    assert ids(action_list(xa, "reception_gaps", fixture_score_db), "level") == ["xa", "xa"]


def test_limit_caps_rows(fixture_score_db: Path) -> None:
    """limit keeps the most overdue rows."""
    df = action_list(MARCH, "overdue_petitions", fixture_score_db, limit=2)
    assert ids(df, "petition_id") == ["QD2", "QB2"]

"""Edges a mutation run of the suite left unpinned, each with hand-computed values.

Periods (`Filters.previous`, `Filters.months`), the case list's status on and around the
due date, targets met exactly on their bound, the latest full year of a warehouse, and the
card deltas in Vietnamese and English number style. Rows named P.. are those of
tests/fixture/README.md. No expected value here is computed with the code under test.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from metrics import KPIS, Filters, compute
from metrics import details as d
from metrics.engine import Result
from metrics.model import Target
from metrics.periods import data_span, latest_full_year

# --------------------------------------------------------------------------- previous()


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # 03-10..03-20 is 11 days; the 11 days before end on 03-09 and start on 02-27
        # (Feb 27, 28, Mar 1..9 = 2 + 9 = 11).
        ((date(2019, 3, 10), date(2019, 3, 20)), (date(2019, 2, 27), date(2019, 3, 9))),
        # a calendar year -> the calendar year before
        ((date(2019, 1, 1), date(2019, 12, 31)), (date(2018, 1, 1), date(2018, 12, 31))),
        # the leap year 2020 (366 days) -> 2019 (365 days), not 366 days back
        ((date(2020, 1, 1), date(2020, 12, 31)), (date(2019, 1, 1), date(2019, 12, 31))),
        # 2021 -> the leap year 2020, all of it
        ((date(2021, 1, 1), date(2021, 12, 31)), (date(2020, 1, 1), date(2020, 12, 31))),
        # March 2020 (31 days) -> the 31 days ending 2020-02-29: Jan 30, 31 + Feb 1..29
        ((date(2020, 3, 1), date(2020, 3, 31)), (date(2020, 1, 30), date(2020, 2, 29))),
        # February 2020 (29 days) -> the 29 days ending 2020-01-31: Jan 3..31
        ((date(2020, 2, 1), date(2020, 2, 29)), (date(2020, 1, 3), date(2020, 1, 31))),
        # 2020-01-02..2021-01-01 is 366 days but not a calendar year: the 366 days ending
        # 2020-01-01 start on 2019-01-01 (2019 has 365 days, plus 2020-01-01).
        ((date(2020, 1, 2), date(2021, 1, 1)), (date(2019, 1, 1), date(2020, 1, 1))),
        # two calendar years (2018-01-01..2019-12-31, 730 days) are not "a calendar year":
        # the 730 days ending 2017-12-31 are 2017 (365) and 365 days of 2016 (a leap
        # year: 366), so they start on 2016-01-02.
        ((date(2018, 1, 1), date(2019, 12, 31)), (date(2016, 1, 2), date(2017, 12, 31))),
        # a single day -> the day before
        ((date(2019, 1, 1), date(2019, 1, 1)), (date(2018, 12, 31), date(2018, 12, 31))),
    ],
)
def test_previous_period(period: tuple, previous: tuple) -> None:
    f = Filters(period[0], period[1], ("00002", "00001"), "xa")
    p = f.previous()
    assert (p.date_from, p.date_to) == previous
    # communes and level travel along
    assert (p.communes, p.level, p.units) == (("00001", "00002"), "xa", "recorded")


def test_previous_keeps_the_unit_view() -> None:
    p = Filters.year(2026, units="today").previous()
    assert (p.date_from, p.date_to, p.units) == (date(2025, 1, 1), date(2025, 12, 31), "today")


def test_is_calendar_year_edges() -> None:
    assert Filters.year(2019).is_calendar_year
    assert not Filters(date(2019, 1, 2), date(2019, 12, 31)).is_calendar_year
    assert not Filters(date(2019, 1, 1), date(2019, 12, 30)).is_calendar_year
    assert not Filters(date(2018, 1, 1), date(2019, 12, 31)).is_calendar_year
    assert Filters(date(2020, 1, 1), date(2020, 12, 31)).days == 366
    assert Filters(date(2019, 3, 10), date(2019, 3, 20)).days == 11


# --------------------------------------------------------------------------- months()


@pytest.mark.parametrize(
    ("period", "months"),
    [
        (
            (date(2019, 1, 15), date(2019, 3, 10)),
            [
                ("2019-01", date(2019, 1, 15), date(2019, 1, 31)),
                ("2019-02", date(2019, 2, 1), date(2019, 2, 28)),
                ("2019-03", date(2019, 3, 1), date(2019, 3, 10)),
            ],
        ),
        (
            (date(2019, 12, 20), date(2020, 2, 5)),
            [
                ("2019-12", date(2019, 12, 20), date(2019, 12, 31)),
                ("2020-01", date(2020, 1, 1), date(2020, 1, 31)),
                ("2020-02", date(2020, 2, 1), date(2020, 2, 5)),
            ],
        ),
        # a leap February, whole and clipped at both ends within one month
        (
            (date(2020, 2, 1), date(2020, 3, 1)),
            [
                ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
                ("2020-03", date(2020, 3, 1), date(2020, 3, 1)),
            ],
        ),
        (
            (date(2019, 4, 10), date(2019, 4, 20)),
            [("2019-04", date(2019, 4, 10), date(2019, 4, 20))],
        ),
        (
            (date(2020, 2, 29), date(2020, 2, 29)),
            [("2020-02", date(2020, 2, 29), date(2020, 2, 29))],
        ),
    ],
)
def test_months_are_clipped_to_the_period(period: tuple, months: list) -> None:
    assert Filters(*period).months() == months


def test_months_of_a_year_are_twelve_whole_months() -> None:
    got = Filters.year(2019).months()
    assert [k for k, _, _ in got] == [f"2019-{m:02d}" for m in range(1, 13)]
    assert got[1] == ("2019-02", date(2019, 2, 1), date(2019, 2, 28))
    assert got[-1] == ("2019-12", date(2019, 12, 1), date(2019, 12, 31))


# --------------------------------------------------------------------------- case status


def status_of(fixture_db, filters: Filters, view: str, petition_id: str) -> str:
    rows, _ = d.petition_cases(filters, view, fixture_db)
    return dict(zip(rows["petition_id"], rows["status"], strict=True))[petition_id]


def test_resolved_on_the_due_date_is_on_time_a_day_later_is_late(fixture_db) -> None:
    """P05 resolved 2019-03-31 = its due date: on time. P01 resolved 2019-04-01, one day
    after its due date 2019-03-31: late."""
    march = Filters(date(2019, 3, 1), date(2019, 3, 31))
    assert status_of(fixture_db, march, "resolved", "P05") == "resolved_on_time"
    april = Filters(date(2019, 4, 1), date(2019, 4, 30))
    assert status_of(fixture_db, april, "resolved", "P01") == "resolved_late"
    rows, _ = d.petition_cases(april, "resolved", fixture_db)
    p01 = rows[rows["petition_id"] == "P01"].iloc[0]
    assert p01["days_late"] == 1


def test_open_on_the_due_date_is_in_time_the_day_after_overdue(fixture_db) -> None:
    """P12 (due 2019-12-01): as of 12-01 it is in time (due = period end), as of 12-02
    overdue by 1 day. P13 (due 2019-12-31) as of 12-31: in time. P01 (due 03-31, resolved
    04-01) as of 03-31: open and in time."""
    at = lambda day: Filters(date(2019, 1, 1), day)  # noqa: E731
    assert status_of(fixture_db, at(date(2019, 12, 1)), "open", "P12") == "open_in_time"
    assert status_of(fixture_db, at(date(2019, 12, 2)), "open", "P12") == "open_overdue"
    rows, _ = d.petition_cases(at(date(2019, 12, 2)), "overdue", fixture_db)
    p12 = rows[rows["petition_id"] == "P12"].iloc[0]
    assert p12["days_late"] == 1
    assert "P12" not in set(
        d.petition_cases(at(date(2019, 12, 1)), "overdue", fixture_db)[0]["petition_id"]
    )
    assert status_of(fixture_db, at(date(2019, 12, 31)), "open", "P13") == "open_in_time"
    assert status_of(fixture_db, at(date(2019, 3, 31)), "open", "P01") == "open_in_time"


# --------------------------------------------------------------------------- targets


def test_at_most_target_is_met_on_exactly_zero() -> None:
    t = Target(0, ("one_stop_decree",), op="<=")
    assert t.met(0) is True
    assert t.met(1) is False
    assert t.met(None) is None


def test_at_least_target_is_met_on_exactly_its_value() -> None:
    t = Target(1.0, ("one_stop_decree",))
    assert t.met(1.0) is True
    assert t.met(0.999) is False
    assert t.met(None) is None


def test_zero_overdue_meets_the_target_in_the_kpis(fixture_db) -> None:
    """00001 in 2019 has no overdue open petition (P15 is withdrawn): 0 meets '≤ 0'; the
    whole fixture has P12, P14, P24: 3 does not. March 2019 has no late dossier."""
    y2019 = Filters.year(2019, ("00001",))
    r = compute(y2019, ["petitions_overdue_open"], fixture_db)["petitions_overdue_open"]
    assert (r.value, r.target_met) == (0, True)
    r = compute(Filters.year(2019), ["petitions_overdue_open"], fixture_db)
    assert (r["petitions_overdue_open"].value, r["petitions_overdue_open"].target_met) == (3, False)
    march = Filters(date(2019, 3, 1), date(2019, 3, 31))
    r = compute(march, ["dossiers_late", "dossiers_on_time_rate"], fixture_db)
    assert (r["dossiers_late"].value, r["dossiers_late"].target_met) == (0, True)
    # H12 on its due date, H03 early: 2 of 2 = exactly 100%, met
    assert (r["dossiers_on_time_rate"].value, r["dossiers_on_time_rate"].target_met) == (1.0, True)


# --------------------------------------------------------------------------- latest full year


def span_db(first: date, last: date) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding only the event dates `data_span` reads: the first
    event is a dossier, the last an inspection, a reception in between."""
    conn = duckdb.connect()
    conn.execute("CREATE TABLE receptions (reception_date DATE)")
    conn.execute("CREATE TABLE dialogues (dialogue_date DATE)")
    conn.execute("CREATE TABLE petitions (received_date DATE)")
    conn.execute("CREATE TABLE dossiers (received_date DATE)")
    conn.execute("CREATE TABLE inspections (inspection_date DATE)")
    conn.execute("INSERT INTO dossiers VALUES (?)", [first])
    conn.execute("INSERT INTO inspections VALUES (?)", [last])
    conn.execute("INSERT INTO receptions VALUES (?)", [date(first.year, 6, 15)])
    return conn


@pytest.mark.parametrize(
    ("first", "last", "year"),
    [
        (date(2018, 1, 1), date(2019, 12, 31), 2019),  # ends on 31/12: that year
        (date(2018, 1, 1), date(2019, 12, 30), 2018),  # ends on 30/12: the year before
        (date(2018, 1, 2), date(2019, 12, 31), 2019),  # 2018 is not whole, 2019 is
        (date(2018, 1, 2), date(2019, 12, 30), None),  # neither year is whole
        (date(2019, 1, 1), date(2019, 12, 31), 2019),  # exactly one whole year
        (date(2019, 1, 2), date(2019, 12, 31), None),  # one day short at the start
        (date(2019, 1, 1), date(2019, 12, 30), None),  # one day short at the end
        (date(2017, 1, 2), date(2020, 7, 31), 2019),  # 2018 and 2019 whole, 2019 the latest
    ],
)
def test_latest_full_year(first: date, last: date, year: int | None) -> None:
    conn = span_db(first, last)
    try:
        assert data_span(conn) == (first, last)
        assert latest_full_year(conn) == year
    finally:
        conn.close()


def test_empty_warehouse_has_no_full_year() -> None:
    conn = span_db(date(2019, 1, 1), date(2019, 12, 31))
    try:
        for table in ("receptions", "dossiers", "inspections"):
            conn.execute(f"DELETE FROM {table}")
        assert data_span(conn) is None
        assert latest_full_year(conn) is None
    finally:
        conn.close()


# --------------------------------------------------------------------------- card deltas
# views.components is Streamlit code another developer may be changing; if its import
# breaks, these tests are skipped with the reason (see the final report), not weakened.

components = pytest.importorskip("views.components", reason="views.components does not import")


def res(value, unit: str) -> Result:
    return Result(value, value, None if unit == "count" else 1, unit)


@pytest.mark.parametrize(
    ("kpi_id", "current", "previous", "lang", "text"),
    [
        # rate: 86,59% against 80,00% -> +6,59 percentage points
        ("petitions_on_time_rate", 0.8659, 0.80, "vi", "+6,59 điểm %"),
        ("petitions_on_time_rate", 0.8659, 0.80, "en", "+6.59 pp"),
        # 75% against 80%: -5,00 points
        ("petitions_on_time_rate", 0.75, 0.80, "vi", "-5,00 điểm %"),
        # a change too small to show (0,001 points) reads ±0,00, not +0,00
        ("petitions_on_time_rate", 0.50001, 0.5, "vi", "±0,00 điểm %"),
        # count: 6.122 against 5.000 -> +1.122 (Vietnamese thousands dot)
        ("dialogue_attendees", 6122, 5000, "vi", "+1.122"),
        ("dialogue_attendees", 6122, 5000, "en", "+1,122"),
        ("dialogue_attendees", 980, 1000, "vi", "-20"),
        ("dialogue_attendees", 859, 859, "vi", "±0"),
        # days: 9,0 against 7,0 -> +2,0 ngày
        ("dossiers_avg_days", 9.0, 7.0, "vi", "+2,0 ngày"),
        ("dossiers_avg_days", 7.0, 9.0, "en", "-2.0 days"),
    ],
)
def test_delta_text(kpi_id: str, current, previous, lang: str, text: str) -> None:
    kpi = KPIS[kpi_id]
    got = components.delta_text(kpi, res(current, kpi.unit), res(previous, kpi.unit), lang)
    assert got == text


def test_delta_text_without_a_previous_value() -> None:
    kpi = KPIS["petitions_on_time_rate"]
    assert components.delta_text(kpi, res(0.5, "rate"), None, "vi") is None
    assert components.delta_text(kpi, res(0.5, "rate"), res(None, "rate"), "vi") is None
    assert components.delta_text(kpi, res(None, "rate"), res(0.5, "rate"), "vi") is None

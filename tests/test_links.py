"""One module builds every link; a link carries page, period, communes, level, unit view and
language."""

from __future__ import annotations

from datetime import date

from metrics import Filters
from views.links import page_link, query, view_url


def test_year_view_link_lists_every_filter() -> None:
    """The issue's example link, in its parameter order."""
    f = Filters.year(2019, ("01156", "01153"), "xa")
    assert query(f, "en", 2019) == "year=2019&commune=01153&commune=01156&level=xa&lang=en"


def test_default_language_is_left_out_but_year_is_kept() -> None:
    """vi is the default and is omitted; the year is kept so a link outlives new data."""
    assert query(Filters.year(2019), "vi", 2019) == "year=2019"


def test_custom_range_uses_from_and_to() -> None:
    f = Filters(date(2019, 3, 1), date(2019, 6, 30))
    assert query(f, "vi", 2019) == "from=2019-03-01&to=2019-06-30"


def test_view_url_replaces_the_page_path_and_keeps_the_server() -> None:
    """From any page's URL, the link of another page on the same server."""
    f = Filters.year(2018, ("01153",))
    assert (
        view_url("https://dv.example.vn/bacquang/petitions", "overview", f, "vi", 2019)
        == "https://dv.example.vn/bacquang/?year=2018&commune=01153"
    )
    assert (
        view_url("http://localhost:8501/", "petitions", f, "en", 2019)
        == "http://localhost:8501/petitions?year=2018&commune=01153&lang=en"
    )


def test_page_link_is_relative() -> None:
    assert page_link("staff", Filters.year(2019), "vi", 2019) == "./staff?year=2019"


def test_unit_view_today_is_written_and_as_recorded_is_left_out() -> None:
    """`units=today` goes into the link after the level; the default (as recorded) does not."""
    today = Filters.year(2025, ("20001",), "xa", units="today")
    assert query(today, "vi", 2025) == "year=2025&commune=20001&level=xa&units=today"
    recorded = Filters.year(2025, ("20001",), "xa", units="recorded")
    assert query(recorded, "vi", 2025) == "year=2025&commune=20001&level=xa"
    assert (
        view_url("http://localhost:8501/", "receptions", today, "en", 2025)
        == "http://localhost:8501/receptions?year=2025&commune=20001&level=xa&units=today&lang=en"
    )
    assert page_link("staff", Filters.year(2025, units="today"), "vi", 2025) == (
        "./staff?year=2025&units=today"
    )


def test_province_level_is_carried_like_any_level() -> None:
    assert query(Filters.year(2025, level="tinh"), "vi", 2025) == "year=2025&level=tinh"

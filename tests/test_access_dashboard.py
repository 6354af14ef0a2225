"""The real dashboard behind accounts, in AppTest: no figure before login, and a commune
account that edits the link to another commune gets nothing of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from access.store import Store
from tests.dashboard_app import run_app

PASSWORD = "mat-khau-du-dai-2025"


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "accounts.db"
    store = Store(path)
    store.add_user("xa1", "don_vi", "00001", password=PASSWORD)
    monkeypatch.setenv("DANVAN_ACCOUNTS", str(path))
    return path


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="access_username").input(name)
    at.text_input(key="access_password").input(password)
    at.button[-1].click()  # the form's submit button
    at.run()
    return at


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_logged_out_visitor_gets_no_figure(fixture_db: Path, accounts: Path, monkeypatch):
    """With accounts, an opened link shows the login form and not a single figure."""
    at = run_app(fixture_db, monkeypatch, year="2019")
    assert not at.exception
    assert len(at.metric) == 0
    assert at.text_input(key="access_username") is not None


def test_commune_account_editing_the_link_to_another_commune_gets_nothing(
    fixture_db: Path, accounts: Path, monkeypatch
):
    """xa1 (đơn vị 00001) opens ?commune=00002: Thị trấn Hai's 2019 reception days (R16 and
    R17 in tests/fixture/README.md: 2) are not shown; 0 is. Its own commune shows its own
    2019 figure: R12, R13, R14, R15 = 4 (R11 is dated 2018)."""
    at = log_in(run_app(fixture_db, monkeypatch, year="2019", commune="00002"), "xa1", PASSWORD)
    assert not at.exception
    assert cards(at)["Số buổi tiếp công dân"] == "0"
    own = log_in(run_app(fixture_db, monkeypatch, year="2019", commune="00001"), "xa1", PASSWORD)
    assert cards(own)["Số buổi tiếp công dân"] == "4"


def test_wrong_password_shows_no_figure(fixture_db: Path, accounts: Path, monkeypatch):
    """A wrong password gives a message and still no figure."""
    at = log_in(run_app(fixture_db, monkeypatch, year="2019"), "xa1", "sai")
    assert not at.exception
    assert len(at.metric) == 0
    assert at.error


def add_data_officer(accounts: Path) -> None:
    Store(accounts).add_user("dl1", "can_bo_du_lieu", "00001", password=PASSWORD)


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def frame(at: AppTest, *columns: str):
    """The first table on the page that has these columns."""
    return next(v for v in frames(at) if set(columns) <= set(v.columns))


def test_data_page_lists_only_the_communes_of_the_scope(
    fixture_db: Path, accounts: Path, monkeypatch
):
    """A data officer of Xã Một (00001) opens Dữ liệu: the completeness grid has the one row
    'Xã Một' and the unit list the one code 00001 (tests/fixture/communes.csv holds four)."""
    add_data_officer(accounts)
    at = log_in(run_app(fixture_db, monkeypatch, year="2019"), "dl1", PASSWORD)
    assert not at.exception
    at.switch_page("views/data_page.py")
    at.query_params["tab"] = "coverage"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    grid = frame(at, "T1/2019")
    assert list(grid.index) == ["Xã Một (00001)"]
    units = frame(at, "Thời gian hiệu lực", "Sáp nhập vào")
    assert len(units) == 1
    assert "Xã Một" in units.to_csv()
    for value in frames(at):
        text = value.to_csv()
        for name in ("Thị trấn Hai", "Xã Ba", "Xã Bốn", "00002", "00003", "00004"):
            assert name not in text
    # Whole-warehouse row counts and the import log (every unit's files) are not shown.
    shown = [c.value for c in at.caption] + [i.value for i in at.info]
    assert any("chỉ hiện cho tài khoản xem toàn bộ đơn vị" in x for x in shown)
    assert not any("Số dòng" in v.columns for v in frames(at))


def test_sidebar_offers_a_commune_account_only_its_commune(
    fixture_db: Path, accounts: Path, monkeypatch
):
    """xa1 (đơn vị 00001): the commune picker offers 00001 alone, labelled Xã Một."""
    at = log_in(run_app(fixture_db, monkeypatch, year="2019"), "xa1", PASSWORD)
    assert not at.exception
    picker = at.sidebar.multiselect(key="commune_ui")
    assert picker.options == ["Xã Một"]
    hidden = at.multiselect(key="commune")
    assert hidden.options == ["00001"]


def test_sidebar_keeps_an_asked_commune_outside_the_scope_by_code_only(
    fixture_db: Path, accounts: Path, monkeypatch
):
    """xa1 opens ?commune=00002: the filter stays (the card reads 0), the picker names it by
    its code alone, and no other commune's name is offered."""
    at = log_in(run_app(fixture_db, monkeypatch, year="2019", commune="00002"), "xa1", PASSWORD)
    assert not at.exception
    picker = at.sidebar.multiselect(key="commune_ui")
    assert picker.options == ["Xã Một", "00002"]
    assert cards(at)["Số buổi tiếp công dân"] == "0"


def test_unrestricted_account_still_sees_every_commune(fixture_db: Path, monkeypatch):
    """Without accounts (public mode) the picker offers all four fixture communes."""
    monkeypatch.delenv("DANVAN_ACCOUNTS", raising=False)
    at = run_app(fixture_db, monkeypatch, year="2019")
    assert not at.exception
    picker = at.sidebar.multiselect(key="commune_ui")
    assert picker.options == ["Xã Một", "Thị trấn Hai", "Xã Ba", "Xã Bốn"]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    fixture_db: Path, accounts: Path, monkeypatch
):
    """Five wrong passwords in a row (the limit in access/config.py) lock xa1: the sixth try,
    with the right password, is refused with the lockout message and shows no figure."""
    at = run_app(fixture_db, monkeypatch, year="2019")
    for _ in range(5):
        at = log_in(at, "xa1", "sai-mat-khau")
        assert len(at.metric) == 0
    at = log_in(at, "xa1", PASSWORD)
    assert not at.exception
    assert len(at.metric) == 0
    assert any("khóa" in e.value or "khoá" in e.value for e in at.error), [
        e.value for e in at.error
    ]

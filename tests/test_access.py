"""Accounts, lockout, sessions, the CLI, and the access scope the engine enforces."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from access import audit, config
from access.scope import for_user
from access.store import AccessError, Store, User, hash_password, verify_password
from metrics import details
from metrics.engine import NO_ACCESS, Filters, Scope, compute, compute_by, reset_scope, set_scope

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "mat-khau-dai-12"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "accounts.db")
    s.add_user("lanhdao", "lanh_dao", "034", PASSWORD, now=T0)
    return s


@pytest.fixture
def scoped():
    """Run a block under a scope, as the gate does for a Streamlit run."""
    tokens = []

    def use(scope: Scope | None) -> None:
        tokens.append(set_scope(scope))

    yield use
    for t in reversed(tokens):
        reset_scope(t)


# --------------------------------------------------------------------------- hashing


def test_argon2_hash_verifies_and_is_salted() -> None:
    a, b = hash_password(PASSWORD), hash_password(PASSWORD)
    assert a != b and a.startswith("$argon2id$")
    assert verify_password(a, PASSWORD)
    assert not verify_password(a, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)
    assert not verify_password("not a hash", PASSWORD)


def test_short_password_refused(store: Store) -> None:
    with pytest.raises(AccessError):
        store.add_user("ngan", "lanh_dao", "034", "short")


def test_accounts_file_is_not_the_warehouse(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(config.ENV_ACCOUNTS, str(tmp_path / "a.db"))
    assert Store().path == tmp_path / "a.db"
    monkeypatch.delenv(config.ENV_ACCOUNTS)
    assert config.accounts_path().name == "accounts.db"


# --------------------------------------------------------------------------- lockout


def test_lockout_after_repeated_failures(store: Store) -> None:
    t = T0
    for i in range(config.MAX_FAILURES - 1):
        assert store.authenticate("lanhdao", "wrong", t + timedelta(minutes=i)) == (None, "bad")
    t_lock = t + timedelta(minutes=config.MAX_FAILURES - 1)
    assert store.authenticate("lanhdao", "wrong", t_lock) == (None, "locked")
    # The right password does not open a locked account ...
    assert store.authenticate("lanhdao", PASSWORD, t_lock + timedelta(minutes=1))[1] == "locked"
    # ... until the lockout has passed.
    user, reason = store.authenticate("lanhdao", PASSWORD, t_lock + config.LOCKOUT)
    assert reason == "ok" and user.role == "lanh_dao"
    events = list(audit.read(store)["event"])
    assert events.count("lockout") == 1 and "login" in events and "login_failed" in events


def test_failures_outside_the_window_do_not_lock(store: Store) -> None:
    for i in range(config.MAX_FAILURES * 2):
        t = T0 + i * (config.FAILURE_WINDOW / (config.MAX_FAILURES - 1)) * 1.01
        assert store.authenticate("lanhdao", "wrong", t)[1] == "bad"


def test_unknown_and_wrong_password_look_the_same(store: Store) -> None:
    assert store.authenticate("ai-do", PASSWORD, T0) == (None, "bad")
    assert store.authenticate("lanhdao", "wrong", T0) == (None, "bad")


def test_disabled_account_cannot_log_in(store: Store) -> None:
    store.disable("lanhdao", T0)
    assert store.authenticate("lanhdao", PASSWORD, T0) == (None, "disabled")
    assert not store.has_accounts()


# --------------------------------------------------------------------------- sessions


def test_session_idle_expiry_and_absolute_limit(store: Store) -> None:
    token = store.open_session("lanhdao", T0)
    assert store.session_user(token, T0 + timedelta(hours=7)).username == "lanhdao"
    # touched at +7h: still alive 7h later, gone once idle beyond the limit
    assert store.session_user(token, T0 + timedelta(hours=14)) is not None
    assert store.session_user(token, T0 + timedelta(hours=14) + config.SESSION_IDLE * 1.01) is None
    assert store.session_user(token, T0 + timedelta(hours=15)) is None  # removed
    t2 = store.open_session("lanhdao", T0)
    for h in range(1, 24):
        assert store.session_user(t2, T0 + timedelta(hours=h)) is not None
    assert store.session_user(t2, T0 + config.SESSION_MAX + timedelta(minutes=1)) is None
    assert "session_expired" in set(audit.read(store)["event"])


def test_disabling_ends_sessions(store: Store) -> None:
    token = store.open_session("lanhdao", T0)
    store.disable("lanhdao", T0)
    assert store.session_user(token, T0) is None
    assert store.session_user("forged", T0) is None


def test_audit_record_and_read(store: Store) -> None:
    user = store.get("lanhdao")
    audit.record("download", user, {"file": "don_thu_2019.csv"}, store)
    audit.record("import", "canbo", "3 files", store)
    log = audit.read(store, limit=2)
    assert list(log["event"]) == ["import", "download"]
    assert '"note": "3 files"' in log["detail"][0]
    assert list(audit.read(store, event="download")["username"]) == ["lanhdao"]


# --------------------------------------------------------------------------- CLI


def _cli(args: list[str], db: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, config.ENV_ACCOUNTS: str(db)}
    return subprocess.run(
        [sys.executable, "-m", "access", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_cli_add_list_set_password_disable(tmp_path: Path) -> None:
    db = tmp_path / "acc.db"
    r = _cli(
        ["add-user", "xa01153", "--role", "don_vi", "--unit", "01153", "--password-stdin"],
        db,
        PASSWORD + "\n",
    )
    assert r.returncode == 0, r.stderr
    assert PASSWORD not in r.stdout + r.stderr
    r = _cli(["list"], db)
    assert r.returncode == 0 and "xa01153\tdon_vi\t01153" in r.stdout
    r = _cli(["set-password", "xa01153", "--password-stdin"], db, "mot-mat-khau-moi\n")
    assert r.returncode == 0 and "mot-mat-khau-moi" not in r.stdout + r.stderr
    assert Store(db).authenticate("xa01153", "mot-mat-khau-moi", T0)[1] == "ok"
    assert _cli(["disable", "xa01153"], db).returncode == 0
    assert "disabled" in _cli(["list"], db).stdout


@pytest.mark.parametrize(
    "args",
    [
        ["add-user", "x", "--role", "don_vi", "--unit", "01153", "--password-stdin"],  # name
        ["add-user", "abc", "--role", "vua", "--unit", "01153", "--password-stdin"],  # role
        ["add-user", "abc", "--role", "don_vi", "--password-stdin"],  # no unit
        ["add-user", "abc", "--role", "don_vi", "--unit", "01153", "--password-stdin"],  # short
        ["set-password", "nobody", "--password-stdin"],
        ["disable", "nobody"],
        ["frobnicate"],
        [],
    ],
)
def test_cli_bad_input_exits_2_without_traceback(tmp_path: Path, args: list[str]) -> None:
    r = _cli(args, tmp_path / "acc.db", "short\n")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "short" not in r.stdout


def test_cli_duplicate_user(tmp_path: Path) -> None:
    db = tmp_path / "acc.db"
    args = ["add-user", "abc", "--role", "lanh_dao", "--unit", "034", "--password-stdin"]
    assert _cli(args, db, PASSWORD + "\n").returncode == 0
    r = _cli(args, db, PASSWORD + "\n")
    assert r.returncode == 2 and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- scope

Y2019 = Filters.year(2019)


def _user(role: str, unit: str | None) -> User:
    return User("u", role, unit)


def test_scope_by_role(demo_db: Path) -> None:
    district = for_user(_user("lanh_dao", "034"), demo_db)
    assert district.rows is not None and len(district.rows) == 23 and district.rows_upper
    assert for_user(_user("lanh_dao", "08"), demo_db) == Scope()  # the whole province
    unit = for_user(_user("don_vi", "01153"), demo_db)
    assert unit.rows == {"01153"} and not unit.rows_upper
    assert unit.totals == district.rows and unit.totals_upper
    new = for_user(_user("don_vi", "N01153"), demo_db)
    assert {"N01153", "01153", "01183", "01189"} <= new.rows  # its history comes with it
    assert for_user(_user("don_vi", "034"), demo_db) == NO_ACCESS
    assert for_user(_user("lanh_dao", "99999"), demo_db) == NO_ACCESS
    assert for_user(User("u", "lanh_dao", "034", disabled=True), demo_db) == NO_ACCESS
    assert for_user(None, demo_db) == NO_ACCESS


def test_don_vi_gets_nothing_of_another_commune(demo_db: Path, scoped) -> None:
    other = Filters.year(2019, ("01156",))
    full = compute(other, ["petitions_received", "reception_days"], demo_db)
    assert full["petitions_received"].value > 0
    scoped(for_user(_user("don_vi", "01153"), demo_db))
    got = compute(Filters.year(2019, ("01156",)), ["petitions_received", "reception_days"], demo_db)
    assert got["petitions_received"].value == 0 and got["reception_days"].value == 0
    # a list of communes is cut down to its own
    both = compute(Filters.year(2019, ("01153", "01156")), ["petitions_received"], demo_db)
    own = compute(Filters.year(2019, ("01153",)), ["petitions_received"], demo_db)
    assert both == own and own["petitions_received"].value > 0
    # per-commune breakdowns and case lists hold its commune only
    assert set(compute_by(Filters.year(2019), "commune", None, demo_db)) == {"01153"}
    for f in (Filters.year(2019), Filters.year(2019, ("01156",))):
        cases, total = details.petition_cases(f, "received", demo_db)
        assert set(cases["commune_code"]) <= {"01153"}
        assert total == len(cases)
    cases, _ = details.petition_cases(Filters.year(2019, ("01156",)), "received", demo_db)
    assert cases.empty
    assert set(details.receptions_by(Filters.year(2019), "commune", demo_db)["key"]) <= {"01153"}
    assert set(details.commune_chair_grid(Filters.year(2019), demo_db)["commune_code"]) == {"01153"}
    assert set(details.one_stop_communes(Filters.year(2019), demo_db)["commune_code"]) == {"01153"}
    assert set(details.dialogues_by_commune(Filters.year(2019), demo_db)["commune_code"]) <= {
        "01153"
    }


def test_don_vi_sees_the_parent_aggregate(demo_db: Path, scoped) -> None:
    ids = ["petitions_received", "reception_days", "district_chair_compliance_rate"]
    full = compute(Y2019, ids, demo_db)
    scoped(for_user(_user("don_vi", "01153"), demo_db))
    got = compute(Filters.year(2019), ids, demo_db)
    assert got == full  # 2019: the district is the whole warehouse
    # breakdowns by kind are totals too, and add up to the card
    funnel = details.petition_funnel(Filters.year(2019), demo_db)
    received = funnel[funnel["stage"] == "received"]["petitions"].sum()
    assert received == full["petitions_received"].value


def test_lanh_dao_of_district_sees_its_communes(demo_db: Path, scoped) -> None:
    scoped(for_user(_user("lanh_dao", "034"), demo_db))
    f2019 = Filters.year(2019)
    got = set(compute_by(f2019, "commune", ["petitions_received"], demo_db))
    assert len(got) == 23 and all(not c.startswith("N") for c in got)
    f2025 = Filters.year(2025)
    got = set(compute_by(f2025, "commune", ["petitions_received"], demo_db))
    assert got and all(not c.startswith("N") for c in got)  # not the new province's communes
    cases, _ = details.petition_cases(f2025, "received", demo_db)
    assert not any(str(c).startswith("N") for c in cases["commune_code"].dropna())


def test_no_access_scope_reads_nothing(demo_db: Path, scoped) -> None:
    scoped(NO_ACCESS)
    got = compute(Filters.year(2019), ["petitions_received", "reception_days"], demo_db)
    assert got["petitions_received"].value == 0 and got["reception_days"].value == 0
    assert compute_by(Filters.year(2019), "commune", None, demo_db) == {}
    assert details.district_chair_grid(Filters.year(2019), demo_db).empty


def test_filters_carry_the_scope_and_cannot_widen_it(demo_db: Path, scoped) -> None:
    unit = for_user(_user("don_vi", "01153"), demo_db)
    scoped(unit)
    f = Filters.year(2019)
    assert f.scope == unit and f.previous().scope == unit  # cache keys differ per scope
    # a Filters built with a wider scope still runs under the run's scope
    wide = Filters.year(2019, ("01156",)).__class__(
        f.date_from, f.date_to, ("01156",), None, "recorded", Scope()
    )
    assert compute(wide, ["petitions_received"], demo_db)["petitions_received"].value == 0

"""A killed import never breaks the warehouse; readers never see an error or a partial import.

The kill tests run a real import in a child process, stop it at a chosen step (by wrapping
the function that step calls so it pauses there) or after a chosen delay, kill it with
SIGKILL, and check that the warehouse opens and equals either the one before or, once the
rename has happened, the one after.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from data.contract import TABLES, table
from data.importer import import_files
from data.warehouse import reader

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

CHILD = r"""
import os, shutil, sys, time
import data.importer as imp

step, db, *files = sys.argv[1:]


def pause():
    print("PAUSED", flush=True)
    time.sleep(120)


def after(fn):
    def wrapped(*args, **kwargs):
        out = fn(*args, **kwargs)
        pause()
        return out
    return wrapped


def before(fn):
    def wrapped(*args, **kwargs):
        pause()
        return fn(*args, **kwargs)
    return wrapped


if step == "copied":  # the live file has just been copied
    shutil.copyfile = after(shutil.copyfile)
elif step == "merging":  # the first table has been merged into the copy
    imp.merge = after(imp.merge)
elif step == "logged":  # the import log row is written, the copy not yet closed
    imp._write_log = after(imp._write_log)
elif step == "syncing":  # the copy is closed and about to be flushed and renamed
    os.fsync = before(os.fsync)
elif step == "renamed":  # the rename has happened
    os.replace = after(os.replace)
print("STARTED", flush=True)
result = imp.import_files(files, db, operator="test")
print("DONE", result.ok, [f.message("en") for f in result.faults], flush=True)
"""


def receptions_csv(folder: Path, n: int, citizens: int, name: str = "receptions.csv") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table("receptions").column_names)
    for i in range(n):
        w.writerow(
            [f"S{i:06d}", "2019-04-01", "xa", "00002", "chu_tich", "dinh_ky", citizens, 1, 0]
        )
    path = folder / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def dialogues_csv(folder: Path, n: int, attendees: int) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["dialogue_id", "dialogue_date", "level", "commune_code", "attendees", "opinions"])
    for i in range(n):
        w.writerow([f"SD{i:05d}", "2019-04-02", "xa", "00003", attendees, 1])
    path = folder / "dialogues.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every record and the import log (without its clock time)."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        out = {
            t.name: conn.execute(f"SELECT * FROM {t.name} ORDER BY ALL").fetchall() for t in TABLES
        }
        out["import_log"] = conn.execute(
            "SELECT import_id, operator, files, summary FROM import_log ORDER BY import_id"
        ).fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture
def setup(fixture_db: Path, tmp_path: Path) -> dict:
    """A live warehouse, the files to import, and the snapshots before and after."""
    files_dir = tmp_path / "files"
    files_dir.mkdir()
    files = [communes := files_dir / "communes.csv"]
    communes.write_text("commune_code,name,kind\n00009,Xã Chín,xa\n", encoding="utf-8")
    files += [receptions_csv(files_dir, 20_000, 3), dialogues_csv(files_dir, 500, 40)]
    live = tmp_path / "live" / "warehouse.duckdb"
    live.parent.mkdir()
    shutil.copyfile(fixture_db, live)
    ref = tmp_path / "ref.duckdb"
    shutil.copyfile(fixture_db, ref)
    assert import_files(files, ref, operator="test").ok
    return {
        "live": live,
        "files": files,
        "before": snapshot(live),
        "after": snapshot(ref),
        "base": fixture_db,
    }


def start_child(step: str, live: Path, files: list[Path]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, step, str(live), *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def wait_for(proc: subprocess.Popen, marker: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"child ended before {marker}: {proc.stderr.read()}")
        if line.strip() == marker:
            return
    raise AssertionError(f"no {marker} within {timeout} s")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("copied", "before"),
        ("merging", "before"),
        ("logged", "before"),
        ("syncing", "before"),
        ("renamed", "after"),
    ],
)
def test_kill_at_each_step_leaves_the_old_or_the_new_warehouse(
    setup: dict, step: str, expected: str
) -> None:
    live = setup["live"]
    proc = start_child(step, live, setup["files"])
    wait_for(proc, "PAUSED")
    kill(proc)
    assert snapshot(live) == setup[expected]
    # The next import cleans what the killed one left and completes normally.
    result = import_files(setup["files"], live, operator="test")
    assert result.ok
    after = snapshot(live)
    assert {k: v for k, v in after.items() if k != "import_log"} == {
        k: v for k, v in setup["after"].items() if k != "import_log"
    }
    assert not [p.name for p in live.parent.iterdir() if ".tmp-" in p.name]


def test_kill_at_arbitrary_moments(setup: dict) -> None:
    """SIGKILL after a range of delays over a whole import run: old or new, never broken."""
    live = setup["live"]
    started = time.perf_counter()
    proc = start_child("none", live, setup["files"])
    out, err = proc.communicate(timeout=120)
    duration = time.perf_counter() - started
    assert "DONE True" in out, err
    assert snapshot(live) == setup["after"]
    seen = set()
    for fraction in (0.1, 0.35, 0.6, 0.8, 0.95):  # the first, early, kills before the commit
        shutil.copyfile(setup["base"], live)
        proc = start_child("none", live, setup["files"])
        wait_for(proc, "STARTED")
        time.sleep(max(0.0, duration * fraction - 0.3))
        kill(proc)
        state = snapshot(live)
        assert state in (setup["before"], setup["after"]), f"partial state at {fraction:.0%}"
        seen.add("after" if state == setup["after"] else "before")
    assert "before" in seen


def test_reader_in_a_loop_never_sees_an_error_or_a_partial_import(
    fixture_db: Path, tmp_path: Path
) -> None:
    """Imports alternate two versions of the same rows while a reader queries in a loop."""
    live = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_db, live)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    versions = [
        [receptions_csv(tmp_path / "a", 2000, 1), dialogues_csv(tmp_path / "a", 100, 10)],
        [receptions_csv(tmp_path / "b", 2000, 2), dialogues_csv(tmp_path / "b", 100, 20)],
    ]
    totals_sql = (
        "SELECT (SELECT count(*) FROM import_log), (SELECT count(*) FROM receptions), "
        "(SELECT sum(citizens) FROM receptions), (SELECT sum(attendees) FROM dialogues)"
    )
    cur = reader(live)
    _, base_rows, base_citizens, base_attendees = cur.execute(totals_sql).fetchone()
    cur.close()

    def expected(imports: int) -> tuple:
        if imports == 0:
            return (0, base_rows, base_citizens, base_attendees)
        k = 1 if imports % 2 else 2  # odd imports load version a, even ones version b
        return (imports, base_rows + 2000, base_citizens + 2000 * k, base_attendees + 1000 * k)

    errors: list[BaseException] = []
    observed: list[tuple] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                c = reader(live)
                try:
                    observed.append(tuple(c.execute(totals_sql).fetchone()))
                finally:
                    c.close()
            except BaseException as exc:
                errors.append(exc)
                return

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        for i in range(6):
            assert import_files(versions[i % 2], live).ok
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors
    assert len(observed) > 10
    for state in observed:
        assert state == expected(state[0]), state
    cur = reader(live)
    assert tuple(cur.execute(totals_sql).fetchone()) == expected(6)
    cur.close()
    assert len({s[0] for s in observed}) > 2, "the reader never saw an import land"


def test_concurrent_imports_are_serialised_and_both_land(fixture_db: Path, tmp_path: Path) -> None:
    """Two imports at once: neither starts from a copy the other is about to replace."""
    live = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_db, live)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = [receptions_csv(tmp_path / "a", 3000, 1)]
    b = [dialogues_csv(tmp_path / "b", 300, 5)]
    results = {}

    def run(name: str, files: list[Path]) -> None:
        results[name] = import_files(files, live)

    threads = [threading.Thread(target=run, args=x) for x in (("a", a), ("b", b))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert results["a"].ok and results["b"].ok
    conn = duckdb.connect(str(live), read_only=True)
    try:
        assert conn.execute(
            "SELECT count(*) FROM receptions WHERE reception_id LIKE 'S%'"
        ).fetchone() == (3000,)
        assert conn.execute(
            "SELECT count(*) FROM dialogues WHERE dialogue_id LIKE 'SD%'"
        ).fetchone() == (300,)
        assert conn.execute("SELECT count(*) FROM import_log").fetchone() == (2,)
    finally:
        conn.close()

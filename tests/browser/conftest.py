"""Browser tests: a real dashboard server on the demo warehouse, driven in Debian's Chromium.

Playwright cannot download its own browser here, so it drives the system Chromium. When it
is missing the tests fail in CI (a browser test that skips is no test) and skip elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DANVAN_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("CI"):
        return  # let them fail loudly in CI
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dashboard server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("dashboard server did not become healthy")


@contextlib.contextmanager
def serve(
    db: Path,
    log: Path,
    env_extra: dict[str, str] | None = None,
    app: Path = ROOT / "dashboard.py",
    options: Sequence[str] = (),
    port: int | None = None,
) -> Iterator[str]:
    """Run the dashboard (or another Streamlit `app`, with the further command-line
    `options`, on `port` when given) on `db` (with `env_extra` in its environment; a value
    of "" drops the variable); yield its base URL (ending in '/')."""
    port = port or _free_port()
    env = {**os.environ, "DANVAN_DB": str(db)}
    for key, value in (env_extra or {}).items():
        if value:
            env[key] = value
        else:
            env.pop(key, None)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(app),
                "--server.headless=true",
                f"--server.port={port}",
                "--server.address=127.0.0.1",
                "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none",
                *options,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def live_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard serving the scale-1 demo warehouse, shared by read-only tests."""
    with serve(demo_db, tmp_path_factory.mktemp("server") / "server.log") as url:
        yield url


@pytest.fixture
def private_server(demo_db: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A dashboard on its own copy of the demo, for tests that import data into it."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, db)
    with serve(db, tmp_path / "server.log") as url:
        yield url, db


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def score_server(fixture_score_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard serving the scorecard fixture (tests/fixture_score), hand-counted lists."""
    with serve(fixture_score_db, tmp_path_factory.mktemp("score") / "server.log") as url:
        yield url

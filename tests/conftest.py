"""Shared warehouses for the tests: the hand-built fixture and the scale-1 demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.build import build_warehouse

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURE_CSV = TESTS / "fixture"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built from tests/fixture (hand-computed expectations)."""
    db = tmp_path_factory.mktemp("fixture") / "fixture.duckdb"
    build_warehouse(FIXTURE_CSV, db)
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Bắc Quang demo at scale 1, built once per test session."""
    from data.__main__ import build_demo

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(db)
    return db


FIXTURE_V2_CSV = TESTS / "fixture_v2"


@pytest.fixture(scope="session")
def fixture_v2_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built from tests/fixture_v2 (contract v2, across the 01/7/2025 reform)."""
    db = tmp_path_factory.mktemp("fixture_v2") / "fixture_v2.duckdb"
    build_warehouse(FIXTURE_V2_CSV, db)
    return db


FIXTURE_SCORE_CSV = TESTS / "fixture_score"


@pytest.fixture(scope="session")
def fixture_score_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built from tests/fixture_score (the scorecard and action lists)."""
    db = tmp_path_factory.mktemp("fixture_score") / "fixture_score.duckdb"
    build_warehouse(FIXTURE_SCORE_CSV, db)
    return db


@pytest.fixture(autouse=True, scope="session")
def _accounts_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory):
    """Accounts and the audit log of a test run live in a temporary folder, never beside the
    checkout's warehouse."""
    import os

    path = tmp_path_factory.mktemp("accounts") / "accounts.db"
    old = os.environ.get("DANVAN_ACCOUNTS")
    os.environ["DANVAN_ACCOUNTS"] = str(path)
    yield path
    if old is None:
        os.environ.pop("DANVAN_ACCOUNTS", None)
    else:
        os.environ["DANVAN_ACCOUNTS"] = old

"""`python -m metrics scores` and `python -m metrics actions`: JSON shapes, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.actions import COLUMNS, LISTS
from metrics.scorecard import INDICATORS

ROOT = Path(__file__).resolve().parents[1]
MARCH = ("--from", "2024-03-04", "--to", "2024-03-31")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def doc(*args: str) -> dict:
    out = run(*args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_scores_json_shape(fixture_score_db: Path) -> None:
    """filters, selection {score, band}, communes ranked with their indicators."""
    d = doc("scores", "--db", str(fixture_score_db), *MARCH)
    assert d["filters"] == {"from": "2024-03-04", "to": "2024-03-31", "communes": [], "level": None}
    assert d["selection"] == {"score": 68.9, "band": "can_cai_thien"}
    first = d["communes"][0]
    assert set(first) == {
        "commune_code",
        "score",
        "band",
        "rank",
        "rank_change",
        "pulled_down_by",
        "indicators",
    }
    assert first["commune_code"] == "00001" and first["score"] == 96.7 and first["rank_change"] == 1
    assert list(first["indicators"]) == list(INDICATORS)
    assert first["indicators"]["dossiers_not_overdue_rate"] == {
        "value": 0.9,
        "denominator": 10,
        "kept": True,
    }
    assert [c["rank"] for c in d["communes"]] == [1, 2, 2, 4, None]


def test_actions_json_shape(fixture_score_db: Path) -> None:
    """filters and every list, rows with the list's columns and ISO dates."""
    d = doc("actions", "--db", str(fixture_score_db), *MARCH, "--commune", "00001")
    assert d["filters"]["communes"] == ["00001"]
    assert list(d["lists"]) == list(LISTS)
    assert d["lists"]["overdue_petitions"] == [
        {
            "petition_id": "QA2",
            "kind": "khieu_nai",
            "field": "dat_dai",
            "commune_code": "00001",
            "received_date": "2024-02-29",
            "due_date": "2024-03-30",
            "days_overdue": 1,
        }
    ]
    for name, rows in d["lists"].items():
        for row in rows:
            assert list(row) == COLUMNS[name]


def test_plain_command_unchanged(fixture_score_db: Path) -> None:
    """Without a subcommand the KPI document is printed as before."""
    d = doc("--db", str(fixture_score_db), *MARCH)
    assert set(d) == {"filters", "kpis"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("scores", "--year", "abc"), "--year"),
        (("actions", "--from", "2024-03-31", "--to", "2024-03-01"), "sau --to"),
        (("scores", "--commune", "99999", *MARCH), "99999"),
        (("actions", "--level", "quan", *MARCH), "--level"),
    ],
)
def test_bad_input_one_line_exit_2(args, message: str, fixture_score_db: Path) -> None:
    """Bad input: one line on stderr, exit 2, no traceback."""
    out = run(args[0], "--db", str(fixture_score_db), *args[1:])
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1

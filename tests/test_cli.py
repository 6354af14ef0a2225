"""`python -m metrics` and `python -m data`: outputs, the article's figures, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from metrics import KPIS

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def metrics_json(db: Path, *args: str) -> dict:
    out = run("-m", "metrics", "--db", str(db), "--format", "json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_json_has_every_kpi_with_value_numerator_denominator_unit(demo_db: Path) -> None:
    """The JSON shape of the issue, with every catalogue KPI and rates as fractions."""
    doc = metrics_json(demo_db, "--year", "2019", "--level", "huyen")
    assert doc["filters"] == {
        "from": "2019-01-01",
        "to": "2019-12-31",
        "communes": [],
        "level": "huyen",
    }
    assert set(doc["kpis"]) == set(KPIS)
    for kpi_id, entry in doc["kpis"].items():
        assert set(entry) == {"value", "numerator", "denominator", "unit", "source"}, kpi_id
        assert entry["source"] == {"kind": "registers"}, kpi_id  # the demo files no forms
        assert entry["unit"] == KPIS[kpi_id].unit
        if entry["unit"] == "rate" and entry["value"] is not None:
            assert 0 <= entry["value"] <= 1


def test_cli_prints_article_figures_for_district_and_communes(demo_db: Path) -> None:
    """--level huyen and --level xa print the DOMAIN.md §7 figures."""
    huyen = metrics_json(demo_db, "--year", "2019", "--level", "huyen")["kpis"]
    assert huyen["chair_reception_days"]["value"] == 24
    assert huyen["chair_reception_citizens"]["value"] == 55
    assert [
        huyen[k]["value"] for k in ("dialogues", "dialogue_attendees", "dialogue_opinions")
    ] == [26, 859, 244]
    assert [huyen[k]["value"] for k in ("procedures_total", "procedures_time_cut")] == [259, 90]
    assert huyen["district_desk_procedures"]["value"] == 309
    assert round(huyen["staff_good_or_better_rate_admin"]["value"], 4) == 0.8659
    assert round(huyen["staff_good_or_better_rate_service"]["value"], 4) == 0.7631
    xa = metrics_json(demo_db, "--year", "2019", "--level", "xa")["kpis"]
    assert [xa[k]["value"] for k in ("dialogues", "dialogue_attendees", "dialogue_opinions")] == [
        97,
        6122,
        887,
    ]
    assert [xa[k]["value"] for k in ("procedures_total", "procedures_time_cut")] == [145, 27]
    prolonged = metrics_json(
        demo_db, "--from", "2017-01-01", "--to", "2020-07-31", "--level", "huyen"
    )["kpis"]["prolonged_cases_resolved_rate"]
    assert (prolonged["numerator"], prolonged["denominator"]) == (7, 9)


def test_default_period_is_latest_full_year(demo_db: Path) -> None:
    """No period given: the latest full calendar year in the data. The demo runs from 2017 to
    30/11/2026 since the two-level reform (it ran to 31/7/2020 before), so that is 2025."""
    doc = metrics_json(demo_db)
    assert (doc["filters"]["from"], doc["filters"]["to"]) == ("2025-01-01", "2025-12-31")


def test_empty_denominator_is_null(fixture_db: Path) -> None:
    """A rate over nothing is null in JSON, not 0."""
    doc = metrics_json(fixture_db, "--from", "2019-08-10", "--to", "2019-08-11")
    assert doc["kpis"]["dossiers_on_time_rate"]["value"] is None
    assert doc["kpis"]["dossiers_on_time_rate"]["denominator"] == 0


def test_table_is_vietnamese_formatted(demo_db: Path) -> None:
    """The table format prints Vietnamese labels and numbers: 6.122, 86,59%."""
    out = run("-m", "metrics", "--db", str(demo_db), "--year", "2019", "--format", "table")
    assert out.returncode == 0
    assert "Kỳ 01/01/2019 – 31/12/2019" in out.stdout
    assert "86,59%" in out.stdout
    xa = run(
        "-m",
        "metrics",
        "--db",
        str(demo_db),
        "--year",
        "2019",
        "--level",
        "xa",
        "--format",
        "table",
    )
    line = next(x for x in xa.stdout.splitlines() if "Lượt người dự đối thoại" in x)
    assert line.split()[-1] == "6.122"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2019", "--commune", "99999"], "mã xã không có trong kho dữ liệu: 99999"),
        (["--from", "2019-02-30", "--to", "2019-03-01"], "ngày không hợp lệ '2019-02-30'"),
        (["--from", "2019-05-01", "--to", "2019-01-01"], "--from 2019-05-01 sau --to 2019-01-01"),
        (["--from", "2019-05-01"], "cần cả --from và --to"),
        (["--year", "2019", "--from", "2019-01-01", "--to", "2019-02-01"], "không dùng cả hai"),
    ],
)
def test_invalid_input_gives_one_line_error(
    fixture_db: Path, args: list[str], message: str
) -> None:
    """Bad input: one clear line on stderr, non-zero exit, no traceback."""
    out = run("-m", "metrics", "--db", str(fixture_db), *args)
    assert out.returncode != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    """A warehouse path that does not exist is named in the error."""
    out = run("-m", "metrics", "--db", str(tmp_path / "none.duckdb"))
    assert out.returncode != 0
    assert "không tìm thấy kho dữ liệu" in out.stderr
    assert "Traceback" not in out.stderr


def test_build_cli_reports_every_fault_and_keeps_old_warehouse(
    tmp_path: Path, fixture_db: Path
) -> None:
    """A bad folder: every fault printed with file, row, column and value; exit 1."""
    bad = tmp_path / "csv"
    bad.mkdir()
    for f in (ROOT / "tests" / "fixture").glob("*.csv"):
        (bad / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    lines = (bad / "dialogues.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("attendees")] = "nhiều"
    # Contract v2 accepts the province (`tinh`) as a level; `quan` is no level of the data.
    row[header.index("level")] = "quan"
    lines[1] = ",".join(row)
    (bad / "dialogues.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "wh.duckdb"
    target.write_bytes(fixture_db.read_bytes())
    before = target.read_bytes()
    out = run("-m", "data", "build", str(bad), "--db", str(target))
    assert out.returncode == 1
    assert (
        "dialogues.csv, dòng 2, cột attendees, giá trị 'nhiều': không phải số nguyên" in out.stderr
    )
    assert "dialogues.csv, dòng 2, cột level, giá trị 'quan'" in out.stderr
    assert target.read_bytes() == before


# --------------------------------------------------------------------------- contract v2
# tests/fixture_v2: one province T01, a district H01 ending 30/6/2025, communes 10001 + 10002
# merged into 20001 and 10003 into 20002 from 01/7/2025 (row ids as in its README).


def test_level_tinh_gives_the_provincial_figures(fixture_v2_db: Path) -> None:
    """--level tinh: the province's own rows; the provincial chairman met 7 of 12 months in
    2025 (Jan E01, Feb E02/E03, Apr E05, Jun E06, Jul E07, Oct E09, Dec E10); the district
    and commune cadences describe other levels and are null, not 0."""
    doc = metrics_json(fixture_v2_db, "--year", "2025", "--level", "tinh")
    assert doc["filters"] == {
        "from": "2025-01-01",
        "to": "2025-12-31",
        "communes": [],
        "level": "tinh",
    }
    kpis = doc["kpis"]
    province = kpis["province_chair_compliance_rate"]
    assert (province["numerator"], province["denominator"]) == (7, 12)
    assert kpis["reception_days"]["value"] == 10  # rows E01–E10
    assert kpis["district_chair_compliance_rate"]["value"] is None
    assert kpis["commune_chair_compliance_rate"]["value"] is None


def test_units_today_regroups_history_under_todays_communes(fixture_v2_db: Path) -> None:
    """--units today: in 2024 commune 20001 did not exist, yet under today's units it holds
    its predecessors' receptions: A01 (4 citizens, 10001) + A02 (6) and A04 (5) of 10002 =
    15 citizens on 3 days. As recorded it has none. The weekly cadence keeps the units as
    recorded: the 2 × 52 weeks of 10001 and 10002, met by A01 and A02 (2 / 104)."""
    today = metrics_json(fixture_v2_db, "--year", "2024", "--commune", "20001", "--units", "today")
    assert today["filters"]["units"] == "today"
    assert today["kpis"]["reception_citizens"]["value"] == 15
    assert today["kpis"]["reception_days"]["value"] == 3
    weekly = today["kpis"]["commune_chair_compliance_rate"]
    assert (weekly["numerator"], weekly["denominator"]) == (2, 104)
    recorded = metrics_json(fixture_v2_db, "--year", "2024", "--commune", "20001")
    assert "units" not in recorded["filters"]  # the default adds nothing to the document
    assert recorded["kpis"]["reception_citizens"]["value"] == 0
    assert recorded["kpis"]["commune_chair_compliance_rate"]["denominator"] == 0


def test_units_today_table_says_so(fixture_v2_db: Path) -> None:
    out = run(
        "-m",
        "metrics",
        "--db",
        str(fixture_v2_db),
        "--year",
        "2024",
        "--units",
        "today",
        "--format",
        "table",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "Kỳ 01/01/2024 – 31/12/2024 · theo đơn vị hiện nay"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--units", "today", "--commune", "10001"], "không còn là đơn vị hiện nay: 10001 → 20001"),
        (["--units", "xyz"], "argument --units: invalid choice: 'xyz'"),
        (["--level", "quan"], "argument --level: invalid choice: 'quan'"),
    ],
)
def test_invalid_unit_view_or_level_is_refused(
    fixture_v2_db: Path, args: list[str], message: str
) -> None:
    """An old commune under today's units, an unknown unit view or level: a clear refusal."""
    out = run("-m", "metrics", "--db", str(fixture_v2_db), "--year", "2025", *args)
    assert out.returncode != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr

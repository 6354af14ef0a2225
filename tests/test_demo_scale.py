"""The demo at large scales: dossiers generated and loaded one month at a time, as part files.

At scale 1 the part path is forced (`parts=True`) and must give the same warehouse as the
single `dossiers.csv` of the scale-1 demo; the expectations below are the article's figures
(DOMAIN.md §7, as in test_calibration.py), written out by hand.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from data.build import BuildError, build_warehouse
from metrics import Filters, compute

# The article's 2019 figures, and the 23/23 communes on the one-stop mechanism.
ARTICLE_2019 = [
    (Filters.year(2019, level="huyen"), "chair_reception_days", 24),
    (Filters.year(2019, level="huyen"), "chair_reception_citizens", 55),
    (Filters.year(2019, level="huyen"), "dialogues", 26),
    (Filters.year(2019, level="xa"), "dialogue_attendees", 6122),
    (Filters.year(2019, level="huyen"), "procedures_total", 259),
    (Filters.year(2019, level="huyen"), "procedures_time_cut", 90),
    (Filters.year(2019), "district_desk_procedures", 309),
    (Filters.year(2019), "communes_one_stop_rate", 1.0),
]
TABLES = (
    "units_upper",
    "communes",
    "unit_successions",
    "agencies",
    "receptions",
    "dialogues",
    "petitions",
    "procedures",
    "dossiers",
    "inspections",
    "staff_ratings",
)


@pytest.fixture(scope="module")
def parts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from data.demo import generate_csvs

    out = tmp_path_factory.mktemp("demo_parts")
    generate_csvs(out, parts=True)
    return out


@pytest.fixture(scope="module")
def parts_db(parts_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo_parts_db") / "parts.duckdb"
    build_warehouse(parts_dir, db, meta={"source": "demo"}, memory_limit="1GB")
    return db


def test_parts_are_one_file_a_month_in_date_order(parts_dir: Path) -> None:
    """2017-01 to 2026-11: 119 months, no dossiers.csv beside them."""
    names = sorted(p.name for p in parts_dir.glob("dossiers.part-*.csv"))
    assert len(names) == 10 * 12 - 1
    assert names[0] == "dossiers.part-2017-01.csv"
    assert names[-1] == "dossiers.part-2026-11.csv"
    assert not (parts_dir / "dossiers.csv").exists()


def test_parts_concatenate_to_the_single_file(parts_dir: Path, tmp_path: Path) -> None:
    """The same rows in the same order, only split: scale 1 output is unchanged."""
    from data.demo import generate_csvs

    generate_csvs(tmp_path)
    whole = (tmp_path / "dossiers.csv").read_bytes().splitlines(keepends=True)
    joined: list[bytes] = []
    for i, part in enumerate(sorted(parts_dir.glob("dossiers.part-*.csv"))):
        lines = part.read_bytes().splitlines(keepends=True)
        assert lines[0] == whole[0]  # every part has the header
        joined += lines if i == 0 else lines[1:]
    assert joined == whole


def test_parts_give_the_same_warehouse(demo_db: Path, parts_db: Path) -> None:
    with duckdb.connect(str(parts_db), read_only=True) as con:
        con.execute(f"ATTACH '{demo_db}' AS single (READ_ONLY)")
        for table in TABLES:
            n_parts, n_single = con.execute(
                f"SELECT (SELECT count(*) FROM main.{table}), (SELECT count(*) FROM single.{table})"
            ).fetchone()
            assert n_parts == n_single, table
            differ = con.execute(
                f"SELECT count(*) FROM (SELECT * FROM main.{table} EXCEPT ALL "
                f"SELECT * FROM single.{table})"
            ).fetchone()[0]
            assert differ == 0, table
    for year in (2019, 2025):
        a = compute(Filters.year(year), None, db=demo_db)
        b = compute(Filters.year(year), None, db=parts_db)
        assert {k: (v.value, v.numerator, v.denominator) for k, v in b.items()} == {
            k: (v.value, v.numerator, v.denominator) for k, v in a.items()
        }


@pytest.mark.parametrize(("filters", "kpi_id", "expected"), ARTICLE_2019)
def test_parts_warehouse_keeps_the_calibration(
    parts_db: Path, filters: Filters, kpi_id: str, expected: float
) -> None:
    assert compute(filters, [kpi_id], db=parts_db)[kpi_id].value == expected


def _copy_folder(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for path in src.glob("*.csv"):
        (dst / path.name).write_bytes(path.read_bytes())
    return dst


def _rewrite(path: Path, edit) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_part_faults_name_the_part_file_and_its_row(parts_dir: Path, tmp_path: Path) -> None:
    folder = _copy_folder(parts_dir, tmp_path / "csv")
    march = folder / "dossiers.part-2019-03.csv"
    april = folder / "dossiers.part-2019-04.csv"
    with march.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    received = header.index("received_date")
    repeated: list[str] = []

    def bad_date(rows: list[list[str]]) -> None:
        rows[4][received] = "2019-02-30"  # file row 5 (row 1 is the header)
        repeated.extend(rows[2])  # file row 3, repeated in April below

    def repeat_march(rows: list[list[str]]) -> None:
        rows.insert(7, list(repeated))  # becomes file row 8 of April

    _rewrite(march, bad_date)
    _rewrite(april, repeat_march)
    db = tmp_path / "w.duckdb"
    with pytest.raises(BuildError) as err:
        build_warehouse(folder, db)
    found = {(f.file, f.row, f.column) for f in err.value.faults}
    assert ("dossiers.part-2019-03.csv", 5, "received_date") in found
    assert ("dossiers.part-2019-04.csv", 8, "dossier_id") in found
    duplicate = next(f for f in err.value.faults if f.file == "dossiers.part-2019-04.csv")
    assert duplicate.value == repeated[0]
    assert "earlier part" in duplicate.message("en")
    assert len(err.value.faults) == 2
    assert not db.exists()  # the target is untouched


def test_part_header_faults_name_the_part(parts_dir: Path, tmp_path: Path) -> None:
    folder = _copy_folder(parts_dir, tmp_path / "csv")
    _rewrite(folder / "dossiers.part-2020-06.csv", lambda rows: rows[0].remove("received_date"))
    with pytest.raises(BuildError) as err:
        build_warehouse(folder, tmp_path / "w.duckdb")
    assert [(f.file, f.row, f.column) for f in err.value.faults] == [
        ("dossiers.part-2020-06.csv", 1, "received_date")
    ]


def test_single_file_and_parts_together_is_a_fault(parts_dir: Path, tmp_path: Path) -> None:
    folder = _copy_folder(parts_dir, tmp_path / "csv")
    (folder / "dossiers.csv").write_bytes((folder / "dossiers.part-2017-01.csv").read_bytes())
    with pytest.raises(BuildError) as err:
        build_warehouse(folder, tmp_path / "w.duckdb")
    assert [f.file for f in err.value.faults] == ["dossiers.csv"]
    assert "part files" in err.value.faults[0].message("en")

"""Contract faults put back where the data officer finds them: the office's own file.

The importer validates a profile's rows as contract CSV files it writes itself, so a fault
of the contract validation names that CSV, its row and its column, none of which the
officer has ever seen. `Converted` keeps, for one such CSV, where each of its rows came
from (an `Origin`); `to_office` rewrites the faults to name the office file and sheet, the
row as Excel numbers it and the office column, with the contract table and column after
an arrow so the fault still says what it concerns. The value and the reason are kept; a
record made from several rows (a reception day of a register) keeps its first row and its
reason says which rows it was made from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from data.contract import table as contract_table
from data.profiles.common import Origin, column_letter
from data.staging import Fault

CSV_FIRST_ROW = 2  # row 1 of a written CSV is its header


@dataclass(frozen=True)
class Converted:
    """One contract CSV written from a profile's rows, and where its rows came from."""

    name: str  # the CSV's name in the import: "dossiers [onestop] export.xlsx.csv"
    table: str
    office_file: str  # the office's file as uploaded: "export.xlsx"
    profile: str
    origins: Sequence[Origin | None]  # one per data row, in the CSV's order

    def origin(self, row: int | None) -> Origin | None:
        if row is None:
            return None
        i = row - CSV_FIRST_ROW
        return self.origins[i] if 0 <= i < len(self.origins) else None

    def contract_columns(self, column: str | None) -> list[str] | None:
        """The contract columns a fault's column names in the CSV ('L (finished_date)', a
        key's 'A (unit_code), C (period_from)', a bare letter), or None when unknown."""
        if not column:
            return None
        names = contract_table(self.table).column_names
        known = {c: c for c in names}
        for i, c in enumerate(names):
            known[f"{column_letter(i)} ({c})"] = c
            known[column_letter(i)] = c
        parts = [known.get(p.strip()) for p in column.split(", ")]
        if not parts or any(p is None for p in parts):
            return None
        return [p for p in parts if p is not None]


def office_column(table: str, origin: Origin, columns: Sequence[str]) -> str:
    """'L (Ngày kết thúc xử lý) → dossiers.finished_date'; for a computed value the contract
    column in parentheses, after the office column it was computed from if there is one:
    'G (Số người) → (receptions.citizens)', '(receptions.reception_id)'."""
    contract = f"{table}.{'/'.join(columns)}"
    office: list[str] = []
    for c in columns:
        shown = origin.columns.get(c)
        if shown and shown not in office:
            office.append(shown)
    computed = any(c in origin.derived or c not in origin.columns for c in columns)
    target = f"({contract})" if computed else contract
    return f"{', '.join(office)} → {target}" if office else target


def row_ranges(rows: Iterable[int]) -> str:
    """5, 6, 7, 9 -> '5–7, 9'."""
    out: list[str] = []
    run: list[int] = []
    for r in sorted(set(rows)):
        if run and r == run[-1] + 1:
            run.append(r)
            continue
        if run:
            out.append(_run(run))
        run = [r]
    if run:
        out.append(_run(run))
    return ", ".join(out)


def _run(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}"


def grouped_rows(origin: Origin, lang: str) -> str:
    """The rows a grouped record was made from: 'dòng 5–7, 9'; each sheet named first when
    they are not all on the record's own sheet: 'trang Tháng 7 dòng 6, 8; trang Tháng 8
    dòng 5'."""
    by_source: dict[str, list[int]] = {}
    for source, r in origin.rows:
        by_source.setdefault(source, []).append(r)

    def rows_text(rows: list[int]) -> str:
        word = ("row" if len(rows) == 1 else "rows") if lang == "en" else "dòng"
        return f"{word} {row_ranges(rows)}"

    if list(by_source) == [origin.source]:
        return rows_text(by_source[origin.source])
    sheet = "sheet" if lang == "en" else "trang"
    return "; ".join(
        f"{sheet} {source.partition('/')[2] or source} {rows_text(rows)}"
        for source, rows in by_source.items()
    )


# The duplicate-key reasons of the contract validation name a CSV row ("same as row 3") or
# another CSV of the same import and its row; both are put back in the office's terms.
_SAME_FILE = {
    "vi": re.compile(r"^trùng mã với dòng (\d+)$"),
    "en": re.compile(r"^duplicate key, same as row (\d+)$"),
}
_OTHER_FILE = {
    "vi": re.compile(r"^trùng mã với (.+), dòng (\d+)$"),
    "en": re.compile(r"^duplicate key, same as (.+), row (\d+)$"),
}


def _duplicate_reason(
    reason: str, lang: str, here: Converted, origin: Origin, by_csv: dict[str, Converted]
) -> str:
    other: Origin | None = None
    if m := _SAME_FILE[lang].match(reason):
        other = here.origin(int(m[1]))
    elif (m := _OTHER_FILE[lang].match(reason)) and m[1] in by_csv:
        other = by_csv[m[1]].origin(int(m[2]))
    if other is None:
        return reason
    # The same sheet needs no name; another sheet or file is named as a fault names it.
    where = "" if other.source == origin.source else f"{other.source}, "
    if lang == "en":
        return f"duplicate key, same as {where}row {other.row}"
    return f"trùng mã với {where}dòng {other.row}"


def locate(fault: Fault, by_csv: dict[str, Converted]) -> Fault:
    """One fault of the contract validation in the office's terms (unchanged when it does
    not concern a converted CSV)."""
    here = by_csv.get(fault.file)
    if here is None:
        return fault
    origin = here.origin(fault.row)
    if origin is None:
        if fault.row is not None:
            return fault  # a row the profile did not write: nothing honest to point at
        # A fault of the whole converted table: the office file, and the table it concerns.
        return replace(fault, file=here.office_file, column=fault.column or f"({here.table})")
    columns = here.contract_columns(fault.column)
    if columns is not None:
        column = office_column(here.table, origin, columns)
    else:
        column = f"{fault.column} ({here.table})" if fault.column else f"({here.table})"
    vi = _duplicate_reason(fault.reason_vi, "vi", here, origin, by_csv)
    en = _duplicate_reason(fault.reason_en, "en", here, origin, by_csv)
    if origin.grouped:
        n = len(origin.rows)
        vi += (
            f" (bản ghi gộp từ {n} dòng của tệp: {grouped_rows(origin, 'vi')}; dòng nêu ở đây "
            "là dòng đầu tiên)"
        )
        en += (
            f" (a record grouped from {n} rows of the file: {grouped_rows(origin, 'en')}; the "
            "row given is the first)"
        )
    return Fault(origin.source, origin.row, column, fault.value, vi, en)


def to_office(faults: Iterable[Fault], converted: Iterable[Converted]) -> list[Fault]:
    """Every fault in the office's terms, in the same order."""
    by_csv = {c.name: c for c in converted}
    return [locate(f, by_csv) for f in faults]

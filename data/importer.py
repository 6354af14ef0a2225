"""Import records from Excel workbooks and CSV files into the warehouse, all or nothing.

The live warehouse is never written in place. An import copies it beside itself, brings the
copy up to the current data contract when it was built by an earlier version, loads the
files into the copy (reading, validation and merge reuse data/staging.py), rebuilds the
derived tables, records the import in `import_log`, and only then renames the copy over the
live file. A fault anywhere, or a crash at any moment, leaves the live warehouse exactly as
it was; readers keep their open file and see the new one on their next query.

Reading is tolerant where a person's spreadsheet differs harmlessly from the contract
(Vietnamese or canonical headers, diacritics, case and spacing; title rows above the
header; dd/mm/yyyy or Excel date cells; semicolon CSVs; Windows-1258 text) and strict
everywhere else: every fault is reported with file, sheet, row, column, value and reason.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import chain, islice, pairwise
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import duckdb
import pyarrow as pa

from data.build import SHIPPED, load_csv_raw
from data.contract import (
    BOOL,
    BOOL_FALSE,
    BOOL_TRUE,
    DATE,
    INT,
    TABLES,
    TABLES_BY_NAME,
    TEXT,
    Column,
    Table,
    create_table_sql,
)
from data.reference import load_reference, reference_outdated
from data.staging import Fault, MergeCounts, lit, merge, stage, validate_references
from data.template import EXAMPLES, INSTRUCTIONS_SHEET
from data.warehouse import (
    CONTRACT_VERSION,
    connect,
    create_schema,
    now_iso,
    refresh_derived,
    replacing,
    resolve_db,
    set_meta,
    writer_lock,
)
from metrics.format import cell_value

MAX_ROWS = 1_000_000  # data rows per table in one import
MAX_FILE_BYTES = 50 * 1024 * 1024  # per uploaded file on the dashboard
HEADER_SCAN_ROWS = 10  # a header may sit below a few title rows
SAMPLE_BYTES = 4 * 1024 * 1024
CHUNK_ROWS = 50_000  # rows held as Python strings before they become Arrow data
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (32_874, 73_051)  # Excel serials of 1990-01-01 .. 2100-12-31

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
# What a damaged sheet inside a readable workbook raises while its rows are parsed.
SHEET_ERRORS = (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, ParseError)
CSV_SUFFIXES = {".csv", ".txt"}

# Words of a header that mark a column as personal data of a citizen (diacritics removed).
PERSONAL_PATTERNS = (
    "ho ten",
    "ho va ten",
    "nguoi gui",
    "noi cu tru",
    "cu tru",
    "zalo",
    "facebook",
    "ten cong dan",
    "ten nguoi",
    "nguoi dung don",
    "nguoi khieu nai",
    "nguoi to cao",
    "nguoi kien nghi",
    "nguoi nop",
    "chu ho so",
    "full name",
    "fullname",
    "citizen name",
    "applicant",
    "cccd",
    "cmnd",
    "can cuoc",
    "chung minh",
    "dinh danh",
    "ho chieu",
    "id card",
    "national id",
    "passport",
    "dien thoai",
    "sdt",
    "so dt",
    "phone",
    "mobile",
    "di dong",
    "dia chi",
    "noi o",
    "cho o",
    "thuong tru",
    "tam tru",
    "que quan",
    "address",
    "email",
    "e mail",
    "thu dien tu",
    "ngay sinh",
    "nam sinh",
    "birth",
    "dob",
)


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Notice:
    """Something the user should know that does not stop the import."""

    file: str
    message_vi: str
    message_en: str

    def message(self, lang: str = "vi") -> str:
        return f"{self.file}: {self.message_en if lang == 'en' else self.message_vi}"


@dataclass
class ImportResult:
    faults: list[Fault] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    counts: dict[str, MergeCounts] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # data rows read per table
    files: list[dict[str, str]] = field(default_factory=list)  # name, sha256
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (file, header) personal data
    dry_run: bool = False
    import_id: int | None = None
    # What bringing an older warehouse up to the current contract changed (empty: nothing).
    upgraded: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults

    def summary_lines(self, lang: str = "vi") -> list[str]:
        en = lang == "en"
        lines = []
        for name, c in self.counts.items():
            t = TABLES_BY_NAME[name]
            label = t.label_en if en else t.label_vi
            if en:
                lines.append(
                    f"{name} ({label}): {c.added} added, {c.replaced} replaced, "
                    f"{c.unchanged} unchanged"
                )
            else:
                lines.append(
                    f"{name} ({label}): thêm {c.added}, thay thế {c.replaced}, "
                    f"giữ nguyên {c.unchanged}"
                )
        return lines


class _Abort(Exception):
    """Raised inside the replacing block so the new file is discarded."""


# ------------------------------------------------------------------------------ names


def normalise(text: Any) -> str:
    """Lower-case words without diacritics: 'Mã  xã' -> 'ma xa', 'commune_code' -> 'commune code'.

    `đ` is not a letter with a mark in Unicode, so it is mapped to `d` by hand.
    """
    s = str(text).replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", s))


def _compact(text: Any) -> str:
    return normalise(text).replace(" ", "")


def header_keys(t: Table) -> dict[str, str]:
    """Every accepted spelling of each column header (compact form) -> canonical name."""
    keys: dict[str, str] = {}
    for col in t.columns:
        for text in (col.name, col.label_vi, col.label_en):
            keys.setdefault(_compact(text), col.name)
    return keys


def _header_candidates(cell: str) -> list[str]:
    # A template header may be "Mã xã *", "Mã xã\ncommune_code" or "Mã xã (commune_code)".
    parts = [cell, *cell.splitlines(), *re.split(r"[()\[\]]", cell)]
    return [k for k in (_compact(p) for p in parts) if k]


def _map_cell(cell: Any, keys: dict[str, str]) -> str | None:
    if cell is None:
        return None
    for k in _header_candidates(str(cell)):
        if k in keys:
            return keys[k]
    return None


# Headers that are personal data only as a whole ("Tên" alone is a citizen's name; "Tên xã"
# is a contract column).
PERSONAL_EXACT = frozenset({"ten", "ho", "ten nguoi", "nguoi gui don", "zalo"})


def is_personal(header: str) -> bool:
    """Whether a header names personal data of a citizen (name, ID, phone, address, e-mail)."""
    key = normalise(header)
    if key in PERSONAL_EXACT:
        return True
    words = f" {key} "
    return any(f" {p} " in words for p in PERSONAL_PATTERNS)


def table_for_name(name: str) -> Table | None:
    """The table a sheet or file stem names: canonical, Vietnamese or English table name.

    A file stem may carry a suffix ('receptions_2019', 'receptions (1)').
    """
    key = normalise(name)
    best: tuple[int, Table] | None = None
    for t in TABLES:
        for text in (t.name, t.label_vi, t.label_en):
            k = normalise(text)
            if key == k or key.startswith(k + " "):
                if best is None or len(k) > best[0]:
                    best = (len(k), t)
    return best[1] if best else None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel shows it."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


# ------------------------------------------------------------------------------ parts


@dataclass
class _Part:
    """One table's rows from one file or sheet, as they go to staging."""

    table: Table
    source: str  # "file.csv" or "book.xlsx/sheet"
    order: int
    columns: dict[str, tuple[int, str]]  # canonical -> (0-based index, header text)
    batches: list[pa.RecordBatch] = field(default_factory=list)  # _row + the mapped columns
    n_rows: int = 0

    def add(self, rows: list[int], cols: dict[str, list[str | None]]) -> None:
        """Keep a chunk of rows as Arrow data, so Python holds only one chunk of strings."""
        if not rows:
            return
        arrays = [pa.array(rows, pa.int32())] + [pa.array(v, pa.string()) for v in cols.values()]
        self.batches.append(pa.RecordBatch.from_arrays(arrays, names=["_row", *cols]))
        self.n_rows += len(rows)

    def display(self, column: str | None) -> str | None:
        """A fault's column as the user finds it: 'D (Mã xã)'."""
        if column is None:
            return None
        if "/" in column:
            return ", ".join(self.display(c) or c for c in column.split("/"))
        if column in self.columns:
            idx, text = self.columns[column]
            return f"{column_letter(idx)} ({text})"
        try:
            col = self.table.column(column)
        except KeyError:
            return column
        return f"{col.label_vi} ({col.name})"

    def position(self, column: str | None) -> int:
        if column and column.split("/")[0] in self.columns:
            return self.columns[column.split("/")[0]][0]
        return 10_000


def _fault(source: str, row: int | None, column: str | None, value: Any, vi: str, en: str) -> Fault:
    return Fault(source, row, column, None if value is None else str(value), vi, en)


def _file_fault(source: str, vi: str, en: str) -> Fault:
    """A fault of a whole file or sheet (no row, column or value to point at)."""
    return Fault(source, None, None, None, vi, en)


def _find_header(t: Table, head: Sequence[Sequence[Any]]) -> int | None:
    """Index of the first of the top rows that names the most contract columns."""
    keys = header_keys(t)
    best, best_n = None, 0
    for i, rec in enumerate(head):
        n = len({m for m in (_map_cell(c, keys) for c in rec) if m})
        if n > best_n:
            best, best_n = i, n
    return best


def _read_header(
    t: Table, header: Sequence[Any], source: str, row: int, result: ImportResult
) -> dict[str, tuple[int, str]] | None:
    """Map the header cells; report missing and repeated columns; note dropped ones."""
    keys = header_keys(t)
    columns: dict[str, tuple[int, str]] = {}
    faults: list[Fault] = []
    ignored: list[str] = []
    for idx, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        text = " ".join(str(cell).split())
        name = _map_cell(cell, keys)
        if name is None:
            if is_personal(text):
                result.dropped.append((source, text))
                result.notices.append(
                    Notice(
                        source,
                        f"cột {column_letter(idx)} ({text!r}) có vẻ là dữ liệu cá nhân: "
                        "đã bỏ, không lưu",
                        f"column {column_letter(idx)} ({text!r}) looks like personal data: "
                        "dropped, not stored",
                    )
                )
            else:
                ignored.append(f"{column_letter(idx)} ({text})")
            continue
        if name in columns:
            first = column_letter(columns[name][0])
            faults.append(
                _fault(
                    source,
                    row,
                    f"{column_letter(idx)} ({text})",
                    text,
                    f"cột bị lặp: cùng cột {name} với cột {first}",
                    f"repeated column: same column {name} as column {first}",
                )
            )
            continue
        columns[name] = (idx, text)
    for col in t.columns:
        if col.required and col.name not in columns:
            faults.append(
                _fault(
                    source,
                    row,
                    f"{col.label_vi} ({col.name})",
                    None,
                    "thiếu cột bắt buộc",
                    "required column is missing",
                )
            )
    if ignored:
        result.notices.append(
            Notice(
                source,
                "cột ngoài hợp đồng dữ liệu, bỏ qua: " + ", ".join(ignored),
                "columns outside the data contract, ignored: " + ", ".join(ignored),
            )
        )
    absent = [c.name for c in t.columns if not c.required and c.name not in columns]
    if absent and not faults:
        result.notices.append(
            Notice(
                source,
                "không có cột (để trống / giá trị mặc định): " + ", ".join(absent),
                "columns not in the file (empty / default value): " + ", ".join(absent),
            )
        )
    result.faults += faults
    return None if faults else columns


def _is_canonical_row(rec: Sequence[Any], columns: dict[str, tuple[int, str]]) -> bool:
    """Whether a row just below the header repeats the columns' canonical names."""
    # Judged on the contract columns only: a column the officer added to the template may
    # hold anything in this row. Most mapped columns must show their own canonical name,
    # and none of them anything else.
    matched = 0
    for name, (idx, _) in columns.items():
        cell = rec[idx] if idx < len(rec) else None
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        if text != name:
            return False
        matched += 1
    return matched > 0 and matched * 2 >= len(columns)


# ------------------------------------------------------------------------------ cell text


def _int_text(s: str) -> str:
    # "1.200" or "1 200" is a Vietnamese thousand-separated count, never 1.2: read it so
    # rather than let the number silently shrink a thousandfold. "1,000" is left as it is
    # and refused: in Vietnamese the comma marks decimals, so it may mean one.
    t = s.strip()
    if re.fullmatch(r"[0-9]{1,3}([. \u00a0][0-9]{3})+", t):
        return re.sub(r"[. \u00a0]", "", t)
    return s


def _cell_text(value: Any, ctype: str) -> str | None:
    """An Excel cell as contract text: dates ISO, whole numbers without '.0', yes/no words."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        value = cell_value(value)  # a cell guarded against spreadsheet formulas
        return _int_text(value) if ctype == INT else value
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        if ctype == DATE and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            # A date cell that lost its date format still holds Excel's day number.
            return (EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
        if kind is float and value.is_integer():
            return str(int(value))
        return str(value)
    if kind is datetime:
        if value.hour or value.minute or value.second:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.date().isoformat()
    if kind is date:
        return value.isoformat()
    return str(value)


def _canon(text: str | None, col: Column) -> Any:
    """A value in a form where two spellings of the same thing compare equal."""
    if text is None or not text.strip():
        return None
    s = unicodedata.normalize("NFC", text.strip())
    if col.type == BOOL:
        low = s.lower()
        return True if low in BOOL_TRUE else False if low in BOOL_FALSE else s
    if col.type == INT:
        return int(s) if s.isdigit() else s
    if col.type == DATE:
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            with contextlib.suppress(ValueError):
                return datetime.strptime(s[:10], fmt).date()
        return s
    return s.lower() if col.enum else s


def _example(t: Table) -> tuple[Any, ...]:
    example = EXAMPLES.get(t.name, {})
    return tuple(_canon(_cell_text(example.get(c.name), c.type), c) for c in t.columns)


# ------------------------------------------------------------------------------ CSV


def _detect_encoding(path: Path) -> tuple[str | None, str | None]:
    """(encoding, None) for a readable file, (None, reason) for one to refuse.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as they are. Otherwise the
    file is taken as Windows-1258 only when it reads as Vietnamese in it: tone marks are
    then combining characters that always follow a vowel. Anything else (Windows-1252 in
    particular, which cannot hold most Vietnamese letters) is refused.
    """
    with path.open("rb") as fh:
        start = fh.read(4)
        if start.startswith(codecs.BOM_UTF8):
            enc = "utf-8-sig"
        elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16", None
        else:
            enc = "utf-8"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return enc, None
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        sample = fh.read(SAMPLE_BYTES)
    try:
        text = sample.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    vowels = set("aeiouyAEIOUYâêôăơưÂÊÔĂƠƯ")
    after_vowel = after_other = 0
    for prev, ch in pairwise(text):
        if unicodedata.combining(ch):
            if prev in vowels:
                after_vowel += 1
            else:
                after_other += 1
    if text and after_vowel and not after_other:
        return "cp1258", None
    return None, (
        "tệp không phải mã UTF-8 (có thể là Windows-1252): hãy mở bằng Excel và lưu lại "
        "dạng 'CSV UTF-8 (Comma delimited)'"
    )


def _sniff_delimiter(path: Path, encoding: str, t: Table) -> str:
    """The delimiter under which the top rows name the most contract columns."""
    keys = header_keys(t)
    best, best_n = ",", -1
    with path.open(encoding=encoding, newline="") as fh:
        head = "".join(islice(fh, HEADER_SCAN_ROWS))
    for delim in (",", ";", "\t", "|"):
        try:
            rows = list(islice(csv.reader(io.StringIO(head), delimiter=delim), HEADER_SCAN_ROWS))
        except csv.Error:
            continue
        n = max((len({m for m in (_map_cell(c, keys) for c in r) if m}) for r in rows), default=0)
        if n > best_n:
            best, best_n = delim, n
    return best


def _read_csv(
    path: Path, name: str, order: int, result: ImportResult, max_rows: int
) -> list[_Part]:
    t = table_for_name(Path(name).stem)
    if t is None:
        result.faults.append(
            _file_fault(
                name,
                "tên tệp không ứng với bảng nào; đặt tên <bảng>.csv, ví dụ receptions.csv",
                "the file name names no table; name it <table>.csv, e.g. receptions.csv",
            )
        )
        return []
    encoding, refusal = _detect_encoding(path)
    if encoding is None:
        result.faults.append(
            _file_fault(
                name,
                refusal or "",
                "file is not UTF-8 encoded (perhaps Windows-1252): open it in Excel and save "
                "it as 'CSV UTF-8 (Comma delimited)'",
            )
        )
        return []
    if encoding == "cp1258":
        result.notices.append(
            Notice(name, "đã đọc theo mã Windows-1258", "read as Windows-1258 encoded")
        )
    delimiter = _sniff_delimiter(path, encoding, t)
    with path.open(encoding=encoding, newline="") as fh:
        # Strict: a quote left open to the end of the file is an error, not one huge cell.
        records = csv.reader(fh, delimiter=delimiter, strict=True)
        head: list[Sequence[Any]] = []
        try:
            for rec in records:
                head.append(rec)
                if len(head) == HEADER_SCAN_ROWS:
                    break
        except csv.Error as exc:
            result.faults.append(_csv_fault(name, len(head) + 1, exc))
            return []
        return _ingest(
            t, name, order, head, records, result, max_rows, csv_text=True, delimiter=delimiter
        )


# Control characters other than tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _swallowed_rows(rec: Sequence[str], delimiter: str, row_like: int) -> tuple[int, str] | None:
    """(index, cell) of the first cell with a line inside it that looks like a CSV row."""
    for idx, v in enumerate(rec):
        if v and "\n" in v:
            for line in v.splitlines()[1:]:
                if line.count(delimiter) >= row_like:
                    return idx, v
    return None


def _csv_fault(source: str, row: int, exc: csv.Error) -> Fault:
    if "unexpected end of data" in str(exc):
        return _fault(
            source,
            row,
            None,
            None,
            'dấu ngoặc kép (") mở ở dòng này không được đóng đến hết tệp; các dòng sau bị '
            "gộp vào một ô: hãy đóng hoặc xoá dấu ngoặc kép",
            'a quote (") opened on this row is never closed before the end of the file; the '
            "rows after it run into one cell: close or remove the quote",
        )
    return _fault(
        source,
        row,
        None,
        None,
        f"không đọc được dòng CSV (ô quá lớn hoặc sai dấu ngoặc kép): {exc}",
        f"unreadable CSV row (cell too large or bad quoting): {exc}",
    )


# ------------------------------------------------------------------------------ Excel checks

MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024  # all parts of one workbook, unpacked
MIN_ROW_BYTES = 20  # the smallest XML a row with one cell takes (<row r=".."><c ..>)
_XML_SCAN_CHUNK = 1 << 20
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


def _ref_row(ref: str) -> int:
    m = _CELL_REF.fullmatch(ref.strip().replace("$", ""))
    return int(m.group(2)) if m else 0


@dataclass
class _SheetInfo:
    """What a sheet's XML says that openpyxl's values do not: formulas, merged cells,
    hidden rows and columns, read before the rows are."""

    title: str
    state: str = "visible"
    formulas: list[tuple[str, bool]] = field(default_factory=list)  # (cell, has a value)
    merged: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[str] = field(default_factory=list)

    def check(self, source: str, header_row: int, result: ImportResult) -> bool:
        """Report what lies below the header row; False when the sheet is at fault."""
        ok = True
        for ref, has_value in self.formulas:
            row = _ref_row(ref)
            if row <= header_row:
                continue
            if not has_value:
                ok = False
                result.faults.append(
                    _fault(
                        source,
                        row,
                        ref,
                        None,
                        "ô chứa công thức: hãy dán giá trị (Dán đặc biệt > Giá trị)",
                        "the cell holds a formula: paste its value instead (Paste special > "
                        "Values)",
                    )
                )
        cached = [ref for ref, has in self.formulas if has and _ref_row(ref) > header_row]
        if cached:
            result.notices.append(
                Notice(
                    source,
                    f"{len(cached)} ô chứa công thức, đã nhập giá trị Excel lưu kèm "
                    f"(ví dụ {cached[0]}); nên dán giá trị thay cho công thức",
                    f"{len(cached)} cell(s) hold formulas; the value Excel saved with them is "
                    f"imported (e.g. {cached[0]}); better paste values instead",
                )
            )
        for ref in self.merged:
            last = ref.split(":")[-1]
            if _ref_row(last) > header_row:
                ok = False
                first_row = _ref_row(ref.split(":")[0])
                result.faults.append(
                    _fault(
                        source,
                        max(first_row, header_row + 1),
                        ref,
                        None,
                        f"vùng ô gộp {ref} nằm trong phần dữ liệu: chỉ ô đầu giữ giá trị, các "
                        "ô còn lại bị coi là trống; hãy bỏ gộp và điền từng ô",
                        f"merged range {ref} lies in the data: only its first cell holds a "
                        "value, the others read as empty; unmerge it and fill every cell",
                    )
                )
        if self.state != "visible":
            result.notices.append(
                Notice(
                    source,
                    "trang tính đang ẩn; các dòng của nó vẫn được nhập",
                    "the sheet is hidden; its rows are imported all the same",
                )
            )
        rows = [r for r in self.hidden_rows if r > header_row]
        if rows:
            shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
            result.notices.append(
                Notice(
                    source,
                    f"{len(rows)} dòng đang ẩn ({shown}) vẫn được nhập",
                    f"{len(rows)} hidden row(s) ({shown}) are imported all the same",
                )
            )
        if self.hidden_cols:
            cols = ", ".join(self.hidden_cols)
            result.notices.append(
                Notice(
                    source,
                    f"cột đang ẩn ({cols}) vẫn được đọc",
                    f"hidden column(s) ({cols}) are read all the same",
                )
            )
        return ok


def _zip_xml(zf: zipfile.ZipFile, name: str) -> Any:
    from xml.etree.ElementTree import fromstring

    return fromstring(zf.read(name))


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(title, state, part name) of each worksheet, from the workbook and its relations."""
    book = _zip_xml(zf, "xl/workbook.xml")
    rels = _zip_xml(zf, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    out = []
    for sh in book.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sh.get(f"{_REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out.append((sh.get("name", ""), sh.get("state", "visible"), part))
    return out


def _declared_rows(zf: zipfile.ZipFile, part: str) -> int:
    """Rows the sheet's <dimension> declares (0 when it declares none)."""
    with zf.open(part) as fh:
        head = fh.read(4096).decode("utf-8", "replace")
    m = re.search(r'<(?:\w+:)?dimension[^>]*\sref="([^"]+)"', head)
    return _ref_row(m.group(1).split(":")[-1]) if m else 0


_HIDDEN = rb'hidden="(?:1|true)"'
_MARKERS = re.compile(
    rb"<(?:\w+:)?(?:f[ >/]|mergeCell[ >]|row [^>]*" + _HIDDEN + rb"|col [^>]*" + _HIDDEN + rb")"
)


def _scan_sheet(zf: zipfile.ZipFile, part: str, info: _SheetInfo) -> None:
    """Fill `info` from the sheet XML; a fast byte scan first, a parse only when needed."""
    found = False
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(_XML_SCAN_CHUNK):
            if _MARKERS.search(tail + chunk):
                found = True
                break
            tail = chunk[-200:]
    if not found:
        return
    from xml.etree.ElementTree import iterparse

    cell_ref, has_formula, has_value = "", False, False
    with zf.open(part) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "c":
                    cell_ref, has_formula, has_value = el.get("r", ""), False, False
                elif tag == "row" and el.get("hidden") in ("1", "true"):
                    info.hidden_rows.append(int(el.get("r", "0") or 0))
                continue
            if tag == "f":
                has_formula = True
            elif tag == "v":
                has_value = bool((el.text or "").strip()) or has_value
            elif tag == "c":
                if has_formula:
                    info.formulas.append((cell_ref, has_value))
                el.clear()
            elif tag == "row":
                el.clear()
            elif tag == "mergeCell":
                info.merged.append(el.get("ref", ""))
            elif tag == "col" and el.get("hidden") in ("1", "true"):
                lo, hi = int(el.get("min", "1")), int(el.get("max", "1"))
                cols = [column_letter(i - 1) for i in range(lo, min(hi, lo + 9) + 1)]
                info.hidden_cols.append("–".join([cols[0], cols[-1]]) if len(cols) > 1 else cols[0])


def _inspect_xlsx(
    path: Path, name: str, result: ImportResult, max_rows: int
) -> dict[str, _SheetInfo] | None:
    """Bound a workbook's size before reading it, and find what its values hide.

    The uncompressed sizes in the zip directory and each sheet's declared dimension are
    checked first, so a workbook that would unpack to gigabytes or a million rows is refused
    in a moment rather than read for minutes. None when the workbook is refused.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return {}  # openpyxl reports the damaged file in its own words
    with zf:
        total = sum(i.file_size for i in zf.infolist())
        if total > MAX_XLSX_UNCOMPRESSED:
            result.faults.append(
                _file_fault(
                    name,
                    f"tệp Excel giải nén ra {total / 1048576:.0f} MB, vượt giới hạn "
                    f"{MAX_XLSX_UNCOMPRESSED // 1048576} MB; hãy chia nhỏ tệp",
                    f"the workbook unpacks to {total / 1048576:.0f} MB, over the "
                    f"{MAX_XLSX_UNCOMPRESSED // 1048576} MB limit; split it",
                )
            )
            return None
        try:
            sheets = _sheet_parts(zf)
        except (KeyError, ParseError, ValueError):
            return {}
        infos: dict[str, _SheetInfo] = {}
        ok = True
        for title, state, part in sheets:
            if table_for_name(title) is None:
                continue
            try:
                size = zf.getinfo(part).file_size
                declared = _declared_rows(zf, part)
            except (KeyError, OSError, zipfile.BadZipFile):
                continue
            limit = max_rows + HEADER_SCAN_ROWS
            # A wrong dimension on a small sheet is common and harmless (the rows are
            # counted as they are read); a large sheet that declares too many rows is real.
            if declared > limit and size > MIN_ROW_BYTES * limit:
                ok = False
                result.faults.append(
                    _file_fault(
                        f"{name}/{title}",
                        f"trang tính {title} khai báo {declared:,} dòng / {size / 1048576:.1f} "
                        f"MB khi giải nén, giới hạn {max_rows:,} dòng dữ liệu; hãy chia nhỏ tệp",
                        f"sheet {title} declares {declared:,} rows / {size / 1048576:.1f} MB "
                        f"uncompressed, limit {max_rows:,} data rows; split the file",
                    )
                )
                continue
            info = _SheetInfo(title, state)
            try:
                _scan_sheet(zf, part, info)
            except (ParseError, OSError, zipfile.BadZipFile, ValueError):
                continue  # openpyxl reports the damaged sheet
            infos[title] = info
    return infos if ok else None


# ------------------------------------------------------------------------------ Excel


def _read_xlsx(
    path: Path, name: str, order: int, result: ImportResult, max_rows: int
) -> list[_Part]:
    from openpyxl import load_workbook

    infos = _inspect_xlsx(path, name, result, max_rows)
    if infos is None:
        return []
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file: openpyxl raises many kinds
        result.faults.append(
            _file_fault(
                name,
                f"không đọc được tệp Excel (.xlsx): {type(exc).__name__}",
                f"cannot read the Excel (.xlsx) file: {type(exc).__name__}",
            )
        )
        return []
    parts: list[_Part] = []
    try:
        for ws in wb.worksheets:
            t = table_for_name(ws.title)
            if t is None:
                if normalise(ws.title) != normalise(INSTRUCTIONS_SHEET):
                    result.notices.append(
                        Notice(
                            f"{name}/{ws.title}",
                            "trang tính không ứng với bảng nào, bỏ qua",
                            "sheet names no table, skipped",
                        )
                    )
                continue
            ws.reset_dimensions()  # other tools often write a wrong sheet size
            rows = ws.iter_rows(values_only=True)
            source = f"{name}/{ws.title}"
            try:
                head = list(islice(rows, HEADER_SCAN_ROWS))
                parts += _ingest(
                    t,
                    source,
                    order + len(parts),
                    head,
                    rows,
                    result,
                    max_rows,
                    csv_text=False,
                    sheet=infos.get(ws.title),
                )
            except SHEET_ERRORS as exc:
                result.faults.append(
                    _file_fault(
                        source,
                        f"không đọc được trang tính: {type(exc).__name__}",
                        f"cannot read the sheet: {type(exc).__name__}",
                    )
                )
    finally:
        wb.close()
    return parts


# ------------------------------------------------------------------------------ ingest


def _ingest(
    t: Table,
    source: str,
    order: int,
    head: list[Sequence[Any]],
    rest: Iterator[Sequence[Any]],
    result: ImportResult,
    max_rows: int,
    csv_text: bool,
    delimiter: str = ",",
    sheet: _SheetInfo | None = None,
) -> list[_Part]:
    """Turn a sheet's rows into a part: find the header, keep contract cells only."""
    if not any(any(c is not None and str(c).strip() for c in r) for r in head):
        return []  # an empty sheet: nothing to import from it
    hi = _find_header(t, head)
    if hi is None:
        result.faults.append(
            _file_fault(
                source,
                f"không tìm thấy dòng tiêu đề trong {HEADER_SCAN_ROWS} dòng đầu; "
                "cần tên cột như " + ", ".join(c.name for c in t.columns[:3]),
                f"no header row in the first {HEADER_SCAN_ROWS} rows; expected column names "
                "such as " + ", ".join(c.name for c in t.columns[:3]),
            )
        )
        return []
    columns = _read_header(t, head[hi], source, hi + 1, result)
    if columns is None:
        return []
    if sheet is not None and not sheet.check(source, hi + 1, result):
        return []
    part = _Part(t, source, order, columns)
    # A cell holding a whole row's worth of delimiters after a line break is rows swallowed
    # by a quote that was never closed.
    row_like = max(1, len(head[hi]) - 2)
    names = list(columns)
    idxs = [columns[n][0] for n in names]
    types = [t.column(n).type for n in names]
    width = max(idxs) + 1
    header_width = len(head[hi])
    body: Iterator[Sequence[Any]] = chain(head[hi + 1 :], rest)
    rowno = hi + 1
    example = _example(t)
    example_at = {n: i for i, n in enumerate(t.column_names)}
    # Only a sheet in the template's layout (canonical names under the header) carries our
    # example row; in a hand-made sheet or a CSV the same values are a record like any other.
    first_data = False
    cols: list[list[str | None]] = [[] for _ in names]
    rows: list[int] = []

    def flush() -> None:
        if csv_text:
            for k, ct in enumerate(types):
                if any(v and v[0] == "'" for v in cols[k]):  # guarded against formulas
                    cols[k] = [cell_value(v) if v else v for v in cols[k]]
                if ct == INT:
                    cols[k] = [v if v is None or v.isdigit() else _int_text(v) for v in cols[k]]
        part.add(rows, dict(zip(names, cols, strict=True)))
        rows.clear()
        for k in range(len(cols)):
            cols[k] = []

    try:
        for rec in body:
            rowno += 1
            n = len(rec)
            if n < width:
                rec = list(rec) + [None] * (width - n)
            if csv_text:
                vals = [rec[i] for i in idxs]
                if not any(v and v.strip() for v in vals):
                    continue
                swallowed = _swallowed_rows(rec, delimiter, row_like)
                if swallowed is not None:
                    idx, v = swallowed
                    result.faults.append(
                        _fault(
                            source,
                            rowno,
                            column_letter(idx),
                            v.split("\n", 1)[0] + " …",
                            'ô chứa cả các dòng sau nó: một dấu ngoặc kép (") mở mà không '
                            "đóng; hãy đóng hoặc xoá dấu ngoặc kép trong ô này",
                            'the cell holds the rows after it: a quote (") is opened and '
                            "never closed; close or remove the quote in this cell",
                        )
                    )
                    return []
                if n > header_width and any(v.strip() for v in rec[header_width:]):
                    result.faults.append(
                        _fault(
                            source,
                            rowno,
                            column_letter(header_width),
                            rec[header_width],
                            "dòng có nhiều ô hơn dòng tiêu đề (dấu phẩy trong giá trị chưa "
                            "đặt trong ngoặc kép?)",
                            "row has more cells than the header (an unquoted comma in a value?)",
                        )
                    )
            else:
                vals = [_cell_text(rec[i], ct) for i, ct in zip(idxs, types, strict=True)]
                if not any(v is not None and v.strip() for v in vals):
                    continue
            bad_char = next(
                (k for k, v in enumerate(vals) if v is not None and _CONTROL.search(v)), None
            )
            if bad_char is not None:
                result.faults.append(
                    _fault(
                        source,
                        rowno,
                        f"{column_letter(idxs[bad_char])} ({names[bad_char]})",
                        vals[bad_char],
                        "ô chứa ký tự điều khiển (ví dụ NUL); hãy xoá ký tự đó",
                        "the cell holds a control character (a NUL, for example); remove it",
                    )
                )
                continue
            if rowno == hi + 2 and _is_canonical_row(rec, columns):
                first_data = True
                continue
            if first_data:
                first_data = False
                full: list[Any] = [None] * len(t.columns)
                for name_, v in zip(names, vals, strict=True):
                    full[example_at[name_]] = _canon(v, t.column(name_))
                if tuple(full) == example:
                    result.notices.append(
                        Notice(
                            source,
                            f"dòng {rowno} là dòng ví dụ của mẫu, bỏ qua",
                            f"row {rowno} is the template's example row, skipped",
                        )
                    )
                    continue
            if part.n_rows + len(rows) >= max_rows:
                result.faults.append(
                    _fault(
                        source,
                        rowno,
                        None,
                        None,
                        f"quá {max_rows:,} dòng dữ liệu trong một bảng; hãy chia nhỏ tệp".replace(
                            ",", "."
                        ),
                        f"more than {max_rows:,} data rows in one table; split the file",
                    )
                )
                return []
            rows.append(rowno)
            for col_list, v in zip(cols, vals, strict=True):
                col_list.append(v)
            if len(rows) >= CHUNK_ROWS:
                flush()
    except csv.Error as exc:
        result.faults.append(_csv_fault(source, rowno + 1, exc))
        return []
    flush()
    return [part] if part.n_rows else []


# ------------------------------------------------------------------------------ SQL


def _tidy_sql(col: Column, src: str) -> str:
    """SQL that evens out harmless differences in a raw cell before validation.

    Unicode is put in composed form (macOS and some exports decompose Vietnamese letters);
    an enumeration written in Vietnamese ('Khiếu nại') becomes its code ('khieu_nai');
    d/m/yyyy with '.', '-' or '/' becomes ISO. A value that does not fit is left as it was,
    so the fault shows what the user typed.
    """
    v = f"nullif(trim(nfc_normalize({src})), '')"
    if col.enum:
        allowed = ", ".join(lit(x) for x in col.enum)
        code = (
            "trim(regexp_replace(lower(strip_accents(replace(replace("
            f"{v}, 'đ', 'd'), 'Đ', 'D'))), '[^a-z0-9]+', '_', 'g'), '_')"
        )
        return (
            f"CASE WHEN lower({v}) IN ({allowed}) THEN lower({v}) "
            f"WHEN {code} IN ({allowed}) THEN {code} ELSE {v} END"
        )
    if col.type == DATE:
        dmy = f"regexp_replace({v}, '[.-]', '/', 'g')"
        return (
            f"CASE WHEN regexp_full_match({v}, '[0-9]{{1,2}}[./-][0-9]{{1,2}}[./-][0-9]{{4}}') "
            f"THEN coalesce(strftime(try_strptime({dmy}, '%d/%m/%Y'), '%Y-%m-%d'), {v}) "
            f"ELSE {v} END"
        )
    return v


def _load_part(conn: duckdb.DuckDBPyConnection, part: _Part, raw: str) -> None:
    """Put a part into the raw VARCHAR table staging expects; values travel as Arrow data."""
    conn.register("_incoming", pa.Table.from_batches(part.batches))
    select = ", ".join(
        f"{_tidy_sql(c, c.name)} AS {c.name}"
        if c.name in part.columns
        else f"CAST(NULL AS VARCHAR) AS {c.name}"
        for c in part.table.columns
    )
    try:
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {raw} AS SELECT _row, {select} FROM _incoming")
    finally:
        conn.unregister("_incoming")
    part.batches = []  # the rows now live in DuckDB


def _cross_file_duplicates(conn: duckdb.DuckDBPyConnection, part: _Part, typed: str) -> list[Fault]:
    """Keys already given by an earlier file or sheet of the same import."""
    t = part.table
    seen = f"_seen_{t.name}"
    pk = ", ".join(t.primary_key)
    exists = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [seen]
    ).fetchone()[0]
    faults = []
    if exists:
        join = " AND ".join(f"s.{c} = t.{c}" for c in t.primary_key)
        key_text = " || '/' || ".join(f"CAST(t.{c} AS VARCHAR)" for c in t.primary_key)
        for row, key, other, other_row in conn.execute(
            f"SELECT t._row, {key_text}, s._source, s._row FROM {typed} t JOIN {seen} s ON {join} "
            "ORDER BY t._row"
        ).fetchall():
            faults.append(
                Fault(
                    part.source,
                    row,
                    "/".join(t.primary_key),
                    key,
                    f"trùng mã với {other}, dòng {other_row}",
                    f"duplicate key, same as {other}, row {other_row}",
                )
            )
    else:
        conn.execute(
            f"CREATE TEMP TABLE {seen} AS SELECT {pk}, _row, CAST(NULL AS VARCHAR) AS _source "
            f"FROM {typed} LIMIT 0"
        )
    conn.execute(
        f"INSERT INTO {seen} SELECT {pk}, _row, $source FROM {typed}", {"source": part.source}
    )
    return faults


# ------------------------------------------------------------------------------ import


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _read_sources(
    paths: Sequence[Path],
    names: Sequence[str],
    result: ImportResult,
    max_rows: int,
    max_file_bytes: int | None,
) -> list[_Part]:
    parts: list[_Part] = []
    for path, name in zip(paths, names, strict=True):
        if not path.is_file():
            result.faults.append(_file_fault(name, "không tìm thấy tệp", "file not found"))
            continue
        size = path.stat().st_size
        if max_file_bytes is not None and size > max_file_bytes:
            mb = max_file_bytes // (1024 * 1024)
            result.faults.append(
                _file_fault(
                    name,
                    f"tệp lớn {size / 1048576:.1f} MB, vượt giới hạn {mb} MB; hãy chia nhỏ tệp",
                    f"file is {size / 1048576:.1f} MB, over the {mb} MB limit; split it",
                )
            )
            continue
        result.files.append({"name": name, "sha256": _sha256(path)})
        suffix = path.suffix.lower() or Path(name).suffix.lower()
        if suffix in EXCEL_SUFFIXES:
            parts += _read_xlsx(path, name, len(parts) * 100, result, max_rows)
        elif suffix in CSV_SUFFIXES:
            parts += _read_csv(path, name, len(parts) * 100, result, max_rows)
        elif suffix == ".xls":
            result.faults.append(
                _file_fault(
                    name,
                    "định dạng .xls cũ không được hỗ trợ: hãy lưu lại dạng .xlsx",
                    "the old .xls format is not supported: save it as .xlsx",
                )
            )
        else:
            result.faults.append(
                _file_fault(
                    name,
                    "chỉ nhận tệp .xlsx hoặc .csv",
                    "only .xlsx or .csv files are accepted",
                )
            )
    return parts


def _import_order(part: _Part) -> tuple[int, int]:
    """Contract order (every reference points to an earlier table), then file order.

    A workbook whose sheets come in any order (receptions before communes, successions
    before the units they link) is validated as if each table came after those it names, so
    a record is checked against the units, their validity and the procedures of the same
    import.
    """
    return (TABLES.index(part.table), part.order)


SUCCESSION_CODES = ("old_code", "new_code")


def _is_repeat(f: Fault, t: Table, pending: dict[str, set[str]], pending_rows: set[int]) -> bool:
    """Whether a reference fault only repeats a fault of the row it points to."""
    targets = {r.columns[0]: r.target for r in t.references}
    if f.column in targets and f.value in pending.get(targets[f.column], ()):
        return True
    return t.name == "unit_successions" and f.row in pending_rows and f.column in SUCCESSION_CODES


def _one_fault_per_unknown_unit(
    conn: duckdb.DuckDBPyConnection, t: Table, refs: list[Fault]
) -> list[Fault]:
    """A succession naming an unknown unit is one fault, not also "not the same kind".

    Whether both codes are communes cannot be judged while one of them is unknown; fixing the
    unknown code is the one thing to do, so only that is reported.
    """
    if t.name != "unit_successions":
        return refs
    codes = sorted({f.value for f in refs if f.column in SUCCESSION_CODES and f.value})
    if not codes:
        return refs
    known = {
        r[0]
        for r in conn.execute(
            "SELECT commune_code FROM communes WHERE list_contains($codes, commune_code) "
            "UNION SELECT unit_code FROM units_upper WHERE list_contains($codes, unit_code)",
            {"codes": codes},
        ).fetchall()
    }
    unknown_rows = {f.row for f in refs if f.column in SUCCESSION_CODES and f.value not in known}
    out: list[Fault] = []
    seen: set[tuple[int | None, str | None, str | None]] = set()
    for f in refs:
        if f.column in SUCCESSION_CODES and f.row in unknown_rows:
            if f.value in known or (f.row, f.column, f.value) in seen:
                continue
            seen.add((f.row, f.column, f.value))
        out.append(f)
    return out


def _pending_successions(
    conn: duckdb.DuckDBPyConnection, t: Table, typed: str, pending: dict[str, set[str]]
) -> set[int]:
    """Rows of a succession file naming a unit whose own row is at fault in this import."""
    if t.name != "unit_successions":
        return set()
    units = sorted(pending.get("communes", set()) | pending.get("units_upper", set()))
    if not units:
        return set()
    return {
        r[0]
        for r in conn.execute(
            f"SELECT _row FROM {typed} WHERE list_contains($units, old_code) "
            "OR list_contains($units, new_code)",
            {"units": units},
        ).fetchall()
    }


def _remember_touched(
    conn: duckdb.DuckDBPyConnection, part: _Part, part_no: int, typed: str, bad: set[int]
) -> None:
    """Before the merge: keep the keys of rows that change what other records are judged by.

    Only a row already in the warehouse whose validity dates (a commune) or level (a
    procedure) this import changes can put existing records outside them; a new unit has no
    records yet, an unchanged one strands none.
    """
    t = part.table
    watched = KNOCK_ON.get(t.name)
    if not watched or len(t.primary_key) != 1:
        return
    key = t.primary_key[0]
    touched = f"_touched_{t.name}"
    changed = " OR ".join(f"w.{c} IS DISTINCT FROM s.{c}" for c in watched)
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {touched} "
        "(code VARCHAR PRIMARY KEY, _part INTEGER, _row INTEGER)"
    )
    conn.execute(
        f"INSERT OR REPLACE INTO {touched} SELECT s.{key}, $part, s._row FROM {typed} s "
        f"JOIN {t.name} w ON w.{key} = s.{key} "
        f"WHERE NOT list_contains($bad, s._row) AND ({changed})",
        {"part": part_no, "bad": sorted(bad)},
    )


# Tables whose rows decide whether other records are valid on their date, and the columns
# that decide it: a commune's validity dates, a procedure's level (DOMAIN.md §8). Changing
# them can put records already in the warehouse outside their unit's or level's dates.
KNOCK_ON: dict[str, tuple[str, ...]] = {
    "communes": ("valid_from", "valid_to"),
    "procedures": ("level",),
}


def _temp_exists(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        conn.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [name]
        ).fetchone()[0]
    )


def _knock_on_faults(
    conn: duckdb.DuckDBPyConnection, parts: list[_Part]
) -> list[tuple[_Part, Fault]]:
    """Records already in the warehouse that a changed commune or procedure makes invalid.

    Each is reported against the row of the import that changed the unit (one fault per
    unit, table and bound, with a count and the earliest such record), since that row is
    what to fix. Records the import itself brings are checked directly and left out here.
    """
    faults: list[tuple[_Part, Fault]] = []
    for t in TABLES:
        if not t.event_date:
            continue
        day = f"e.{t.event_date}"
        seen = f"_seen_{t.name}"
        not_in_import = ""
        if _temp_exists(conn, seen):
            match = " AND ".join(f"s.{c} = e.{c}" for c in t.primary_key)
            not_in_import = f"AND NOT EXISTS (SELECT 1 FROM {seen} s WHERE {match})"
        key = " || '/' || ".join(f"CAST(e.{c} AS VARCHAR)" for c in t.primary_key)
        if "commune_code" in t.column_names and _temp_exists(conn, "_touched_communes"):
            rows = conn.execute(
                "SELECT k._part, k._row, CASE WHEN c.valid_to IS NOT NULL AND "
                f"{day} > c.valid_to THEN 'valid_to' ELSE 'valid_from' END AS side, "
                "CASE WHEN side = 'valid_to' THEN c.valid_to ELSE c.valid_from END, "
                f"count(*), arg_min({key}, {day}), min({day}) "
                f"FROM {t.name} e JOIN _touched_communes k ON k.code = e.commune_code "
                "JOIN communes c ON c.commune_code = e.commune_code "
                f"WHERE NOT ({_valid_on('c', day)}) {not_in_import} "
                "GROUP BY ALL ORDER BY 1, 2, 3"
            ).fetchall()
            for part_no, row, side, bound, n, first_key, first_day in rows:
                part = parts[part_no]
                fault = _knock_on(part, row, side, bound.isoformat(), t, n, first_key, first_day)
                faults.append((part, fault))
        ref = t.level_from
        if ref is not None and _temp_exists(conn, f"_touched_{ref.target}"):
            (col,), (target_col,) = ref.columns, ref.target_columns
            rows = conn.execute(
                f"SELECT k._part, k._row, x.level, count(*), arg_min({key}, {day}), "
                f"min({day}) FROM {t.name} e "
                f"JOIN _touched_{ref.target} k ON k.code = e.{col} "
                f"JOIN {ref.target} x ON x.{target_col} = e.{col} "
                "JOIN levels l ON l.level = x.level "
                f"WHERE NOT ({_valid_on('l', day)}) {not_in_import} "
                "GROUP BY ALL ORDER BY 1, 2"
            ).fetchall()
            for part_no, row, level, n, first_key, first_day in rows:
                part = parts[part_no]
                fault = _knock_on(part, row, "level", level, t, n, first_key, first_day)
                faults.append((part, fault))
    return faults


def _valid_on(alias: str, day: str) -> str:
    return (
        f"({day} IS NULL OR (({alias}.valid_from IS NULL OR {day} >= {alias}.valid_from) "
        f"AND ({alias}.valid_to IS NULL OR {day} <= {alias}.valid_to)))"
    )


def _knock_on(
    part: _Part,
    row: int,
    column: str,
    value: str,
    t: Table,
    n: int,
    first_key: str,
    first_day: date,
) -> Fault:
    shown = first_day.strftime("%d/%m/%Y")
    if column == "level":
        vi = f"ngoài thời gian tồn tại của cấp {value}"
        en = f"outside the days level {value} existed"
    else:
        vi, en = "ngoài thời gian hiệu lực của đơn vị", "outside the unit's validity dates"
    return _fault(
        part.source,
        row,
        part.display(column),
        value,
        f"{n} bản ghi đã có trong kho (bảng {t.name}) sẽ có ngày {vi}, ví dụ {first_key} "
        f"ngày {shown}; hãy sửa dòng này hoặc nhập kèm các bản ghi đã sửa",
        f"{n} record(s) already in the warehouse (table {t.name}) would be dated {en}, "
        f"e.g. {first_key} dated {shown}; fix this row, or import the corrected records with it",
    )


def _stage_all(conn: duckdb.DuckDBPyConnection, parts: list[_Part], result: ImportResult) -> None:
    """Validate and merge every part, in contract order so references resolve."""
    # Keys of rows that are in the files but at fault: a reference to one of them is not a
    # second fault (fixing the first fixes it).
    pending: dict[str, set[str]] = {}
    by_source: dict[str, list[Fault]] = {}
    ordered = sorted(parts, key=_import_order)
    for n, part in enumerate(ordered):
        t = part.table
        raw = f"_raw_{n}"
        _load_part(conn, part, raw)
        typed, faults = stage(conn, t, raw, part.source)
        refs = validate_references(conn, t, typed, part.source)
        pending_rows = _pending_successions(conn, t, typed, pending)
        refs = [f for f in refs if not _is_repeat(f, t, pending, pending_rows)]
        faults += _one_fault_per_unknown_unit(conn, t, refs)
        faults += _cross_file_duplicates(conn, part, typed)
        bad = {f.row for f in faults if f.row is not None}
        if bad and len(t.primary_key) == 1:
            key = t.primary_key[0]
            pending.setdefault(t.name, set()).update(
                r[0]
                for r in conn.execute(
                    f"SELECT CAST({key} AS VARCHAR) FROM {typed} "
                    f"WHERE {key} IS NOT NULL AND list_contains($rows, _row)",
                    {"rows": sorted(bad)},
                ).fetchall()
            )
        _remember_touched(conn, part, n, typed, bad)
        counts = merge(conn, t, typed, skip_rows=bad)
        total = result.counts.setdefault(t.name, MergeCounts())
        total.added += counts.added
        total.replaced += counts.replaced
        total.unchanged += counts.unchanged
        result.rows[t.name] = result.rows.get(t.name, 0) + part.n_rows
        conn.execute(f"DROP TABLE {raw}")
        conn.execute(f"DROP TABLE {typed}")
        shown = [
            replace(f, column=part.display(f.column))
            for f in sorted(faults, key=lambda f: (f.row or 0, part.position(f.column)))
        ]
        by_source.setdefault(part.source, []).extend(shown)
    for part, fault in _knock_on_faults(conn, ordered):
        # After the part's own faults of the same row (the sort is stable).
        by_source[part.source] = sorted(
            [*by_source.get(part.source, []), fault], key=lambda f: f.row or 0
        )
    for faults in by_source.values():
        result.faults += faults


def _write_log(conn: duckdb.DuckDBPyConnection, result: ImportResult, operator: str | None) -> int:
    import_id = conn.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
    summary = {
        name: {"added": c.added, "replaced": c.replaced, "unchanged": c.unchanged}
        for name, c in result.counts.items()
    }
    conn.execute(
        "INSERT INTO import_log VALUES (?, ?, ?, ?, ?)",
        [
            import_id,
            datetime.now(UTC).replace(tzinfo=None, microsecond=0),
            operator,
            json.dumps(result.files, ensure_ascii=False),
            json.dumps(summary, ensure_ascii=False),
        ],
    )
    set_meta(conn, last_import_at=now_iso())
    return import_id


# ------------------------------------------------------------------------------ schema

# Tables contract v2 added. A warehouse built before has none of them; one lacking any other
# contract table is damaged, and an import refuses it rather than fill the gap with nothing.
# The tables every warehouse since the first contract holds; any other contract table is
# newer and is created when an older warehouse lacks it.
V1_TABLES = frozenset(
    {
        "communes",
        "agencies",
        "receptions",
        "dialogues",
        "petitions",
        "procedures",
        "dossiers",
        "inspections",
        "staff_ratings",
    }
)
REFERENCE_TABLES = ("levels", "rules")
BOOKKEEPING_TABLES = ("meta", "import_log")
BOOKKEEPING_COLUMNS = {
    "meta": ("key", "value"),
    "import_log": ("import_id", "imported_at", "operator", "files", "summary"),
}
FOREIGN_VI = (
    "kho dữ liệu không theo hợp đồng dữ liệu; hãy tạo lại bằng python -m data build "
    "<thư mục CSV> --db <kho>"
)
FOREIGN_EN = (
    "the warehouse does not follow the data contract; build it again with "
    "python -m data build <CSV folder> --db <warehouse>"
)


@dataclass(frozen=True)
class _Shape:
    """What the schema of one table says: columns in order, CHECK texts, primary key."""

    columns: tuple[tuple[str, str, bool], ...]  # (name, DuckDB type, nullable)
    checks: frozenset[str]
    primary_key: tuple[str, ...]

    @property
    def types(self) -> dict[str, str]:
        return {name: kind for name, kind, _ in self.columns}


def _shape(conn: duckdb.DuckDBPyConnection, name: str) -> _Shape:
    where = (
        "database_name = current_database() AND schema_name = current_schema() "
        "AND table_name = $name"
    )
    columns = conn.execute(
        f"SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE {where} "
        "ORDER BY column_index",
        {"name": name},
    ).fetchall()
    constraints = conn.execute(
        "SELECT constraint_type, constraint_text, constraint_column_names "
        f"FROM duckdb_constraints() WHERE {where}",
        {"name": name},
    ).fetchall()
    checks = frozenset(text for kind, text, _ in constraints if kind == "CHECK")
    pk = next((tuple(cols) for kind, _, cols in constraints if kind == "PRIMARY KEY"), ())
    return _Shape(tuple((c, k, bool(n)) for c, k, n in columns), checks, pk)


@cache
def _contract_shapes() -> dict[str, _Shape]:
    """Each contract table as the current DDL creates it, read back from DuckDB itself."""
    scratch = connect(":memory:")
    try:
        for t in TABLES:
            scratch.execute(create_table_sql(t))
        return {t.name: _shape(scratch, t.name) for t in TABLES}
    finally:
        scratch.close()


def _default_sql(col: Column) -> str:
    """The value a row written before `col` existed takes: the contract default, or NULL."""
    if col.default_expr:
        return col.default_expr
    if col.default is None:
        return f"CAST(NULL AS {col.sql_type})"
    if col.type == BOOL:
        return "true" if col.default in BOOL_TRUE else "false"
    if col.type == INT:
        return str(int(col.default))
    if col.type == TEXT:
        return lit(col.default)
    return f"CAST({lit(col.default)} AS {col.sql_type})"


class _Unupgradable(Exception):
    """The warehouse cannot be brought to the current contract without losing something."""


def _upgrade_table(conn: duckdb.DuckDBPyConnection, t: Table, now: _Shape) -> str | None:
    """Give an existing table the current contract's columns and checks, rows unchanged.

    New columns without checks are added in place (ALTER TABLE ... ADD COLUMN, filled with
    the contract default). DuckDB can neither drop nor add a CHECK on an existing table, so
    when a check changed (a level column that now accepts `tinh`, a kind that now accepts
    `dac_khu`, a new column with a range) the table is recreated from the current DDL and its
    rows copied across, every existing value kept as it was. Returns what changed.
    """
    want = _contract_shapes()[t.name]
    if now == want:
        return None
    have, need = now.types, want.types
    unknown = [c for c in have if c not in need]
    if unknown:
        raise _Unupgradable(
            f"bảng {t.name} có cột ngoài hợp đồng dữ liệu: {', '.join(unknown)}",
            f"table {t.name} has columns outside the data contract: {', '.join(unknown)}",
        )
    retyped = [f"{c} ({have[c]} ≠ {need[c]})" for c in have if have[c] != need[c]]
    if retyped:
        raise _Unupgradable(
            f"bảng {t.name} có cột sai kiểu: {', '.join(retyped)}",
            f"table {t.name} has columns of another type: {', '.join(retyped)}",
        )
    added = [c for c in t.columns if c.name not in have]
    kept = [c for c in want.columns if c[0] in have]
    # In place only when the new columns come last: ADD COLUMN appends.
    in_place = (
        list(now.columns) == kept == list(want.columns[: len(kept)])
        and now.checks == want.checks
        and now.primary_key == want.primary_key
    )
    if in_place:
        for col in added:
            not_null = " NOT NULL" if col.required or col.default is not None else ""
            default = "" if col.default is None else f" DEFAULT {_default_sql(col)}"
            conn.execute(
                f"ALTER TABLE {t.name} ADD COLUMN {col.name} {col.sql_type}{default}{not_null}"
            )
    else:
        new = f"_upgrade_{t.name}"
        conn.execute(
            create_table_sql(t).replace(f"CREATE TABLE {t.name} (", f"CREATE TABLE {new} (", 1)
        )
        select = ", ".join(
            c.name if c.name in have else f"{_default_sql(c)} AS {c.name}" for c in t.columns
        )
        try:
            conn.execute(
                f"INSERT INTO {new} ({', '.join(t.column_names)}) SELECT {select} FROM {t.name}"
            )
        except duckdb.ConstraintException as exc:
            raise _Unupgradable(
                f"bảng {t.name} có dòng không hợp lệ theo hợp đồng hiện hành: {_first_line(exc)}",
                f"table {t.name} has rows the current contract refuses: {_first_line(exc)}",
            ) from None
        conn.execute(f"DROP TABLE {t.name}")
        conn.execute(f"ALTER TABLE {new} RENAME TO {t.name}")
    if _shape(conn, t.name) != want:
        raise _Unupgradable(
            f"không đưa được bảng {t.name} về cấu trúc hiện hành",
            f"table {t.name} could not be given the current structure",
        )
    if added:
        return f"{t.name}: + {', '.join(c.name for c in added)}"
    return f"{t.name}: ~ CHECK"


def _load_shipped(conn: duckdb.DuckDBPyConnection, t: Table) -> int:
    """Load the reference rows the repository ships for `t` (the holidays), as a build does."""
    path = SHIPPED.get(t.name)
    if path is None or not Path(path).exists():
        return 0
    raw = f"_shipped_{t.name}"
    faults = load_csv_raw(conn, t, Path(path), raw)
    if not faults:
        typed, faults = stage(conn, t, raw, Path(path).name)
        faults += validate_references(conn, t, typed, Path(path).name)
        if not faults:
            merge(conn, t, typed)
        conn.execute(f"DROP TABLE {typed}")
        conn.execute(f"DROP TABLE {raw}")
    if faults:
        raise _Unupgradable(
            f"tệp tham chiếu có sẵn {Path(path).name} bị lỗi: {faults[0].message()}",
            f"the shipped reference file {Path(path).name} is at fault: {faults[0].message('en')}",
        )
    return conn.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0]


def upgrade_schema(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Bring a warehouse built by an earlier version up to the current data contract.

    Adds the tables contract v2 introduced (the holidays with the shipped ones), the
    reference tables `levels` and `rules`, new columns and changed checks, and rebuilds the
    derived tables. No existing value changes. Returns what was done (empty: nothing).
    Raises `_Abort` with a one-line reason when the file is not such a warehouse or cannot
    be upgraded without losing data.
    """
    present = {
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
            "AND database_name = current_database() AND schema_name = current_schema()"
        ).fetchall()
    }
    missing = [
        name
        for name in (*(t.name for t in TABLES if t.name in V1_TABLES), *BOOKKEEPING_TABLES)
        if name not in present
    ]
    if missing:
        raise _Abort(
            f"kho dữ liệu thiếu bảng: {', '.join(missing)}; {FOREIGN_VI}",
            "the warehouse lacks tables: " + ", ".join(missing),
        )
    for name, want in BOOKKEEPING_COLUMNS.items():
        have = tuple(c for c, _, _ in _shape(conn, name).columns)
        if have != want:
            raise _Abort(
                f"{FOREIGN_VI} (bảng {name} có cột {', '.join(have)})",
                f"{FOREIGN_EN} (table {name} has columns {', '.join(have)})",
            )
    done: list[str] = []
    try:
        if any(name not in present for name in REFERENCE_TABLES):
            load_reference(conn)
            done.append("+ " + ", ".join(REFERENCE_TABLES))
        elif reference_outdated(conn):
            # The repository's rules or levels changed since the warehouse was built.
            load_reference(conn)
            done.append("~ " + ", ".join(REFERENCE_TABLES))
        for t in TABLES:
            if t.name not in present:
                conn.execute(create_table_sql(t))
                shipped = _load_shipped(conn, t)
                done.append(f"+ {t.name}" + (f" ({shipped})" if shipped else ""))
                continue
            change = _upgrade_table(conn, t, _shape(conn, t.name))
            if change:
                done.append(change)
        if done or "commune_current" not in present:
            refresh_derived(conn)
        if done:
            set_meta(conn, contract_version=CONTRACT_VERSION, upgraded_at=now_iso())
    except _Unupgradable as exc:
        vi, en = exc.args
        raise _Abort(
            f"không nâng cấp được kho dữ liệu lên hợp đồng dữ liệu v{CONTRACT_VERSION}: {vi}",
            f"cannot upgrade the warehouse to data contract v{CONTRACT_VERSION}: {en}",
        ) from None
    except duckdb.Error as exc:
        raise _Abort(
            "không nâng cấp được kho dữ liệu lên hợp đồng dữ liệu "
            f"v{CONTRACT_VERSION}: {_first_line(exc)}",
            f"cannot upgrade the warehouse to data contract v{CONTRACT_VERSION}: "
            f"{_first_line(exc)}",
        ) from None
    return done


def _upgrade_notice(name: str, done: list[str]) -> Notice:
    what = "; ".join(done)
    return Notice(
        name,
        f"kho dữ liệu được tạo theo hợp đồng dữ liệu cũ, được nâng cấp lên v{CONTRACT_VERSION} "
        f"cùng lần nhập này ({what}); các dòng đã có giữ nguyên",
        f"the warehouse was built under an earlier data contract and is upgraded to "
        f"v{CONTRACT_VERSION} with this import ({what}); existing rows are kept as they are",
    )


def _prepare(live: Path, work: Path, result: ImportResult) -> duckdb.DuckDBPyConnection:
    """Open `work` as a copy of the live warehouse (upgraded if need be), or a new one."""
    if live.exists():
        shutil.copyfile(live, work)
        wal = live.with_name(live.name + ".wal")
        if wal.exists():  # never left by our writers, but a copy without it would lose rows
            shutil.copyfile(wal, work.with_name(work.name + ".wal"))
        conn = connect(work)
        try:
            done = upgrade_schema(conn)
        except BaseException:
            conn.close()
            raise
        if done:
            result.upgraded = done
            result.notices.append(_upgrade_notice(live.name, done))
        return conn
    conn = connect(work)
    try:
        create_schema(conn)
        for t in TABLES:
            _load_shipped(conn, t)
        refresh_derived(conn)
        set_meta(conn, built_at=now_iso(), source="import", contract_version=CONTRACT_VERSION)
    except _Unupgradable as exc:
        conn.close()
        raise _Abort(*exc.args) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _clean_leftovers(db: Path) -> None:
    """Remove temporary files of imports that were killed (their process is gone)."""
    if os.name != "posix":
        return
    for p in db.parent.glob(f"{db.name}.tmp-*"):
        m = re.match(re.escape(db.name) + r"\.tmp-(\d+)-", p.name)
        if not m:
            continue
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        except OSError:
            pass


def _run(
    conn: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    names: Sequence[str],
    result: ImportResult,
    max_rows: int,
    max_file_bytes: int | None,
) -> None:
    parts = _read_sources(paths, names, result, max_rows, max_file_bytes)
    if parts:
        _stage_all(conn, parts, result)
        if not result.faults:
            # commune_current follows communes and unit_successions; rebuilt on every import
            # so that it can never lag behind the rows it is derived from.
            refresh_derived(conn)
    elif not result.faults:
        result.faults.append(
            _fault(
                ", ".join(names) or "-",
                None,
                None,
                None,
                "không có dòng dữ liệu nào để nhập (dòng ví dụ của mẫu không được nhập; "
                "trang tính và tệp phải mang tên bảng)",
                "no data rows to import (the template's example rows are never imported; "
                "sheets and files must be named after tables)",
            )
        )


def import_files(
    paths: Sequence[str | os.PathLike[str]],
    db: str | os.PathLike[str] | None = None,
    *,
    dry_run: bool = False,
    operator: str | None = None,
    names: Sequence[str] | None = None,
    max_rows: int = MAX_ROWS,
    max_file_bytes: int | None = None,
) -> ImportResult:
    """Validate `paths` and, when nothing is at fault and not `dry_run`, load them into `db`.

    `names` are the file names shown in reports and the import log (default: the paths'
    names), for uploads saved under temporary paths. All or nothing: with any fault the
    warehouse is not touched. Never raises for a fault in the input; every fault is in
    `result.faults`.
    """
    live = resolve_db(db)
    files = [Path(p) for p in paths]
    shown = list(names) if names is not None else [p.name for p in files]
    result = ImportResult(dry_run=dry_run)

    def failed(exc: _Abort) -> ImportResult:
        vi, en = exc.args if len(exc.args) == 2 else (str(exc), str(exc))
        result.faults.append(_file_fault(live.name, vi, en))
        return result

    if dry_run:
        with tempfile.TemporaryDirectory(prefix="danvan-check-") as tmp:
            try:
                conn = _prepare(live, Path(tmp) / "check.duckdb", result)
            except _Abort as exc:
                return failed(exc)
            except duckdb.Error as exc:
                return failed(_Abort(_unreadable_vi(exc), _unreadable_en(exc)))
            try:
                _run(conn, files, shown, result, max_rows, max_file_bytes)
            finally:
                conn.close()
        return result

    try:
        with _working_copy(live, result) as conn:
            _run(conn, files, shown, result, max_rows, max_file_bytes)
            if result.faults:
                raise _Abort()
            result.import_id = _write_log(conn, result, operator)
            conn.execute("CHECKPOINT")
    except TimeoutError:
        return failed(
            _Abort(
                "một lần nhập khác đang chạy trên kho dữ liệu này; hãy thử lại sau",
                "another import is running on this warehouse; try again later",
            )
        )
    except _Abort as exc:
        if exc.args:
            return failed(exc)
        result.import_id = None
    except duckdb.Error as exc:
        return failed(_Abort(f"lỗi khi ghi kho dữ liệu: {_first_line(exc)}", f"write error: {exc}"))
    if result.faults:
        result.import_id = None
    return result


@contextlib.contextmanager
def _working_copy(live: Path, result: ImportResult) -> Iterator[duckdb.DuckDBPyConnection]:
    """Under the writer lock, a copy of the live warehouse brought up to the current
    contract; it replaces the live file only when the block ends without an exception."""
    with writer_lock(live):
        _clean_leftovers(live)
        with replacing(live) as work:
            try:
                conn = _prepare(live, work, result)
            except duckdb.Error as exc:
                raise _Abort(_unreadable_vi(exc), _unreadable_en(exc)) from None
            try:
                yield conn
            finally:
                conn.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _unreadable_vi(exc: BaseException) -> str:
    return f"không mở được kho dữ liệu: {_first_line(exc)}"


def _unreadable_en(exc: BaseException) -> str:
    return f"cannot open the warehouse: {_first_line(exc)}"


# ------------------------------------------------------------------------------ reports

FAULT_COLUMNS = {
    "vi": ("Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Lý do"),
    "en": ("File", "Sheet", "Row", "Column", "Value", "Reason"),
}


def fault_rows(faults: Iterable[Fault], lang: str = "vi") -> list[dict[str, Any]]:
    """Faults as table rows (file and sheet apart), for display and download."""
    heads = FAULT_COLUMNS["en" if lang == "en" else "vi"]
    rows = []
    for f in faults:
        file, _, sheet = f.file.partition("/")
        rows.append(
            dict(zip(heads, (file, sheet, f.row, f.column, f.value, f.reason(lang)), strict=True))
        )
    return rows


def faults_csv(faults: Iterable[Fault], lang: str = "vi") -> bytes:
    """The fault report as CSV with a BOM, so Excel opens the Vietnamese text correctly.

    A value, header or name from the file that starts like a formula (`=HYPERLINK(...)`,
    `-2+3`) gets a leading apostrophe, so it stays text when the report is opened."""
    from metrics.format import cell_text

    buf = io.StringIO()
    heads = FAULT_COLUMNS["en" if lang == "en" else "vi"]
    w = csv.DictWriter(buf, fieldnames=heads)
    w.writeheader()
    for row in fault_rows(faults, lang):
        w.writerow({k: cell_text(v) for k, v in row.items()})
    return buf.getvalue().encode("utf-8-sig")


def faults_xlsx(faults: Iterable[Fault], lang: str = "vi") -> bytes:
    """The fault report as an Excel workbook."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Lỗi" if lang != "en" else "Faults")
    bold = wb.add_format({"bold": True})
    heads = FAULT_COLUMNS["en" if lang == "en" else "vi"]
    for c, h in enumerate(heads):
        ws.write_string(0, c, h, bold)
    for r, row in enumerate(fault_rows(faults, lang), start=1):
        for c, h in enumerate(heads):
            v = row[h]
            if v is None:
                continue
            if isinstance(v, int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
    ws.set_column(0, 1, 22)
    ws.set_column(3, 4, 24)
    ws.set_column(5, 5, 60)
    ws.autofilter(0, 0, 0, len(heads) - 1)
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def import_uploads(
    uploads: Sequence[tuple[str, bytes]],
    db: str | os.PathLike[str] | None = None,
    **options: Any,
) -> ImportResult:
    """`import_files` for in-memory uploads (name, content), e.g. from the dashboard."""
    with tempfile.TemporaryDirectory(prefix="danvan-upload-") as tmp:
        paths, names = [], []
        for i, (name, content) in enumerate(uploads):
            # Each upload gets its own folder: two uploads may share a name.
            folder = Path(tmp) / str(i)
            folder.mkdir()
            safe = Path(name).name or "upload"
            path = folder / safe
            path.write_bytes(content)
            paths.append(path)
            names.append(safe)
        return import_files(paths, db, names=names, **options)


def upgrade_warehouse(db: str | os.PathLike[str] | None = None) -> ImportResult:
    """Bring a warehouse built under an earlier contract up to the current one, alone.

    The same atomic step an import takes (copy, upgrade, rename), without records. Nothing
    is written when the warehouse is already current; `result.upgraded` says what changed
    and a fault says why it could not be done (the file is then untouched).
    """
    live = resolve_db(db)
    result = ImportResult()

    def failed(vi: str, en: str) -> ImportResult:
        result.faults.append(_file_fault(live.name, vi, en))
        return result

    if not live.exists():
        return failed("không tìm thấy kho dữ liệu", "warehouse not found")
    try:
        with _working_copy(live, result) as conn:
            if not result.upgraded:
                raise _Abort()  # already current: keep the live file as it is
            conn.execute("CHECKPOINT")
    except TimeoutError:
        return failed(
            "một lần nhập khác đang chạy trên kho dữ liệu này; hãy thử lại sau",
            "another import is running on this warehouse; try again later",
        )
    except _Abort as exc:
        if exc.args:
            return failed(*exc.args)
    return result


def import_with_profile(
    paths: Sequence[str | os.PathLike[str]],
    profile: str,
    db: str | os.PathLike[str] | None = None,
    *,
    dry_run: bool = False,
    operator: str | None = None,
    names: Sequence[str] | None = None,
) -> ImportResult:
    """Import office files read by a profile (`data.profiles`: the one-stop export, the
    reception register, the report forms, the 766 index; `auto` recognises each file).

    Each file is turned into contract rows by its profile; its own faults (file, sheet, row,
    column) stop the import before anything else. The rows then go through the same
    validation and all-or-nothing merge as the template, under the names
    `<table> [<profile>] <file>.csv`, so the import log records the profile and the file.
    A fault of that validation is put back where the officer finds it: the office's file
    and sheet, the row as Excel numbers it and the office's column, then the contract
    table and column it concerns.
    """
    from data import profiles

    live = resolve_db(db)
    files = [Path(p) for p in paths]
    shown = list(names) if names is not None else [p.name for p in files]
    result = ImportResult(dry_run=dry_run)
    read: list[tuple[str, str, profiles.ProfileResult]] = []
    for path, name in zip(files, shown, strict=True):
        chosen = profiles.detect_profile(path) if profile == "auto" else profile
        if chosen is None:
            result.faults.append(
                _file_fault(
                    name,
                    "không nhận ra loại tệp; hãy chọn loại tệp",
                    "file kind not recognised; choose the kind of file",
                )
            )
            continue
        res = profiles.read(chosen, path, live if live.exists() else None, display=name)
        result.faults += res.faults
        result.dropped += list(res.dropped)
        result.notices += [Notice(name, n, n) for n in res.notices]
        read.append((name, chosen, res))
    if result.faults:
        return result
    with tempfile.TemporaryDirectory(prefix="danvan-profile-") as tmp:
        csvs: list[Path] = []
        csv_names: list[str] = []
        converted: list[profiles.Converted] = []
        for i, (name, chosen, res) in enumerate(read):
            folder = Path(tmp) / str(i)
            for path in profiles.write_csvs(res, folder):
                csv_name = f"{path.stem} [{chosen}] {name}.csv"
                if csv_name in csv_names:  # two uploads of one name: each fault finds its own
                    csv_name = f"{path.stem} [{chosen}] {name} ({i + 1}).csv"
                csvs.append(path)
                csv_names.append(csv_name)
                converted.append(
                    profiles.Converted(csv_name, path.stem, name, chosen, res.origins(path.stem))
                )
        if not csvs:
            result.faults.append(
                _file_fault(", ".join(shown), "tệp không có dòng dữ liệu nào", "no data rows")
            )
            return result
        merged = import_files(csvs, live, dry_run=dry_run, operator=operator, names=csv_names)
    merged.faults = profiles.to_office(merged.faults, converted)
    merged.notices = result.notices + merged.notices
    merged.dropped = result.dropped + merged.dropped
    return merged

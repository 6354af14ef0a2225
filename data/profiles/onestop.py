"""One-stop export: the dossier list a one-stop desk's software exports (one row per dossier).

Headers are matched without regard to case, spacing or diacritics; personal columns (Chủ hồ
sơ, Người nộp, Địa chỉ, SĐT, CCCD ...) and the officer's name are dropped and reported.
Procedures are matched to the catalogue by code, by name, or by an alias the officer has
mapped once (table procedure_aliases). Names still unknown make ONE fault that lists every
name to map, so an office maps them all at once rather than one import at a time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from data.importer import normalise
from data.profiles.common import (
    Db,
    Origin,
    ProfileResult,
    Sheet,
    blank,
    fault,
    find_header,
    headers_of,
    is_total_row,
    open_office_file,
    parse_count,
    parse_date,
    personal_columns,
    text,
    where,
)

NAME = "onestop"
STATUS_MAP_FILE = Path(__file__).resolve().parent / "status_map.json"


HEADERS: dict[str, tuple[str, ...]] = {
    "unit": headers_of(
        "Đơn vị tiếp nhận", "Đơn vị", "Cơ quan tiếp nhận", "Nơi tiếp nhận", "Đơn vị xử lý"
    ),
    "commune_code": headers_of("Mã xã", "Mã đơn vị", "Mã đơn vị tiếp nhận"),
    "procedure_name": headers_of(
        "Tên thủ tục hành chính", "Tên thủ tục", "Thủ tục hành chính", "Thủ tục", "Tên TTHC"
    ),
    "procedure_code": headers_of("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính"),
    "dossier_id": headers_of("Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận"),
    "status": headers_of("Trạng thái", "Tình trạng", "Trạng thái hồ sơ", "Tình trạng xử lý"),
    "submitted": headers_of("Ngày nộp hồ sơ", "Ngày nộp"),
    "received": headers_of("Ngày nhận", "Ngày tiếp nhận", "Ngày nhận hồ sơ"),
    "due": headers_of("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn xử lý", "Hạn giải quyết"),
    "finished": headers_of(
        "Ngày kết thúc xử lý",
        "Ngày kết thúc",
        "Ngày trả kết quả",
        "Ngày hoàn thành",
        "Ngày có kết quả",
    ),
    "channel": headers_of(
        "Kênh", "Kênh tiếp nhận", "Hình thức nộp", "Hình thức tiếp nhận", "Kênh nộp"
    ),
    "redated": headers_of("Số lần hẹn lại", "Số lần gia hạn"),
    "apology": headers_of("Phiếu xin lỗi", "Có phiếu xin lỗi", "Đã xin lỗi"),
}
IGNORED = headers_of("STT", "TT", "Số thứ tự", "Ghi chú", "Lĩnh vực")
# Names of people who are not citizens but still persons: read never, reported as dropped.
PERSON_EXTRA = headers_of("Người tiếp nhận", "Cán bộ tiếp nhận", "Người xử lý", "Cán bộ xử lý")

CHANNELS = {
    "1": "truc_tiep",
    "2": "truc_tuyen",
    "3": "buu_chinh",
    **{k: "truc_tiep" for k in headers_of("trực tiếp", "tại quầy", "nộp trực tiếp", "truc_tiep")},
    **{
        k: "truc_tuyen"
        for k in headers_of(
            "trực tuyến", "dịch vụ công trực tuyến", "qua mạng", "online", "truc_tuyen"
        )
    },
    **{
        k: "buu_chinh"
        for k in headers_of("bưu chính", "bưu chính công ích", "qua bưu điện", "buu_chinh")
    },
}


def status_map(path: Path = STATUS_MAP_FILE) -> dict[str, str]:
    """Normalised status -> finished | open | excluded, from the JSON status map."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for kind in ("finished", "open", "excluded"):
        for s in raw.get(kind, ()):
            out[normalise(s)] = kind
    return out


def _date_text(d: Any) -> str:
    return d.isoformat() if d else ""


def read_onestop(
    path: str | Path,
    conn_or_db: Db = None,
    *,
    display: str | None = None,
    aliases: list[dict[str, Any]] | None = None,
    statuses: dict[str, str] | None = None,
) -> ProfileResult:
    """Dossier rows (table `dossiers`) from a one-stop desk's export.

    `aliases` are procedure_aliases rows given with the export (mapped in the same upload).
    """
    path = Path(path)
    result, cat, sheets = open_office_file(NAME, path, conn_or_db, display)
    if aliases:
        cat.add_aliases(aliases)
    smap = statuses if statuses is not None else status_map()
    unknown: dict[str, list[tuple[str, int]]] = {}  # procedure name -> [(source, row)]
    excluded = 0
    if sheets is None:
        return result
    found_any = False
    for sheet in sheets:
        head = find_header(sheet.rows, HEADERS, need=4)
        if head is None or "dossier_id" not in head[1]:
            if any(not blank(r) for r in sheet.rows):
                result.notices.append(
                    f"{sheet.source}: không thấy dòng tiêu đề danh sách hồ sơ, trang bị bỏ qua"
                )
            continue
        found_any = True
        excluded += _read_sheet(sheet, head, cat, smap, result, unknown)
    if not found_any:
        result.faults.append(
            fault(
                display or path.name,
                None,
                None,
                None,
                "không thấy danh sách hồ sơ (cần các cột Mã hồ sơ, Tên thủ tục, Ngày nhận, "
                "Ngày hẹn trả)",
                "no dossier list found (columns Mã hồ sơ, Tên thủ tục, Ngày nhận, Ngày hẹn trả "
                "are needed)",
            )
        )
    if unknown:
        names = sorted(unknown)
        result.to_map = names
        first_src = unknown[names[0]][0][0]
        listed = "; ".join(f"{n} ({len(unknown[n])} hồ sơ)" for n in names)
        result.faults.append(
            fault(
                first_src,
                None,
                "Tên thủ tục hành chính",
                listed,
                f"{len(names)} tên thủ tục chưa có trong danh mục thủ tục: hãy khai mỗi tên "
                "một lần trong bảng procedure_aliases (tên trong tệp → mã thủ tục) rồi nhập lại",
                f"{len(names)} procedure names are not in the catalogue: map each once in the "
                "procedure_aliases table (name in the file → procedure code), then import again",
            )
        )
    if excluded:
        result.notices.append(
            f"{display or path.name}: {excluded} hồ sơ đã rút, bị từ chối hoặc hủy không được "
            "tính là hồ sơ giải quyết và không được nhập"
        )
    return result


def _read_sheet(
    sheet: Sheet,
    head: tuple[int, dict[str, int]],
    cat: Any,
    smap: dict[str, str],
    result: ProfileResult,
    unknown: dict[str, list[tuple[str, int]]],
) -> int:
    hi, cols = head
    header = sheet.rows[hi]
    headers = {c: text(header[c]) for c in range(len(header))}
    used = set(cols.values())
    for _, h in personal_columns(header, used, PERSON_EXTRA):
        result.dropped.append((sheet.source, h))
    src = sheet.source
    for need in ("received", "due"):
        if need not in cols and not (need == "received" and "submitted" in cols):
            label = {"received": "Ngày nhận", "due": "Ngày hẹn trả"}[need]
            result.faults.append(
                fault(src, hi + 1, label, None, "thiếu cột bắt buộc", "required column is missing")
            )
    if "procedure_name" not in cols and "procedure_code" not in cols:
        result.faults.append(
            fault(
                src,
                hi + 1,
                "Tên thủ tục hành chính",
                None,
                "thiếu cột bắt buộc",
                "required column is missing",
            )
        )
    if any(f.row == hi + 1 and f.file == src for f in result.faults):
        return 0
    received_col = cols.get("received", cols.get("submitted"))
    excluded = 0
    out = result.rows("dossiers")

    def get(rec: list[Any], fld: str) -> Any:
        c = cols.get(fld)
        return rec[c] if c is not None and c < len(rec) else None

    def bad(r: int, fld: str, value: Any, vi: str, en: str) -> None:
        c = cols[fld]
        result.faults.append(fault(src, r, where(c, headers.get(c, "")), value, vi, en))

    def shown(fld: str) -> str:
        return where(cols[fld], headers.get(cols[fld], ""))

    # The office column of each contract column; the procedure and the commune come from
    # whichever of two columns gave them, so a sheet has at most four such maps.
    base = {
        contract: shown(fld)
        for contract, fld in (
            ("dossier_id", "dossier_id"),
            ("received_date", "received" if "received" in cols else "submitted"),
            ("due_date", "due"),
            ("finished_date", "finished"),
            ("channel", "channel"),
            ("redated_count", "redated"),
            ("apology_issued", "apology"),
        )
        if fld in cols
    }
    maps: dict[tuple[str, str], dict[str, str]] = {}

    def origin(r: int, proc_fld: str, unit_fld: str) -> Origin:
        key = (proc_fld, unit_fld)
        if key not in maps:
            extra = {"procedure_code": shown(proc_fld)}
            if unit_fld:
                extra["commune_code"] = shown(unit_fld)
            maps[key] = {**base, **extra}
        return Origin(src, r, maps[key], rows=((src, r),))

    for i in range(hi + 1, len(sheet.rows)):
        rec = sheet.rows[i]
        r = i + 1
        if blank(rec) or is_total_row(rec):
            continue
        # The column-numbers row some exports put under the header: (1), (2), ...
        if all(text(v).strip("()").isdigit() or text(v) == "" for v in rec):
            continue
        row: dict[str, Any] = {"_row": r, "_source": src}
        dossier_id = text(get(rec, "dossier_id"))
        if not dossier_id:
            bad(r, "dossier_id", None, "thiếu mã hồ sơ", "dossier code is missing")
            continue
        row["dossier_id"] = dossier_id
        # status
        status_kind = None
        if "status" in cols:
            raw_status = text(get(rec, "status"))
            status_kind = smap.get(normalise(raw_status))
            if status_kind is None:
                bad(
                    r,
                    "status",
                    raw_status,
                    "trạng thái chưa có trong bảng trạng thái (đã xong / đang xử lý / loại "
                    "trừ): hãy bổ sung vào data/profiles/status_map.json",
                    "status not in the status map (finished / open / excluded)",
                )
                continue
            if status_kind == "excluded":
                excluded += 1
                continue
        # procedure
        pname = text(get(rec, "procedure_name"))
        pcode_in = text(get(rec, "procedure_code"))
        code = cat.procedure(pcode_in, pname)
        if code is None:
            if pname:
                unknown.setdefault(pname, []).append((src, r))
            else:
                bad(
                    r,
                    "procedure_code" if "procedure_code" in cols else "procedure_name",
                    pcode_in or None,
                    "mã thủ tục không có trong danh mục thủ tục",
                    "procedure code not in the catalogue",
                )
            continue
        row["procedure_code"] = code
        by_code = bool(pcode_in) and normalise(pcode_in) == normalise(code)
        proc_fld = "procedure_code" if by_code or "procedure_name" not in cols else "procedure_name"
        # dates
        received = parse_date(rec[received_col] if received_col < len(rec) else None)
        fld_received = "received" if "received" in cols else "submitted"
        if received is None:
            bad(
                r,
                fld_received,
                text(get(rec, fld_received)) or None,
                "không phải ngày hợp lệ (dd/mm/yyyy, ngày Excel hoặc yyyyMMddHHmmss)",
                "not a valid date (dd/mm/yyyy, an Excel date or yyyyMMddHHmmss)",
            )
            continue
        due = parse_date(get(rec, "due"))
        if due is None:
            bad(
                r,
                "due",
                text(get(rec, "due")) or None,
                "không phải ngày hợp lệ (dd/mm/yyyy, ngày Excel hoặc yyyyMMddHHmmss)",
                "not a valid date (dd/mm/yyyy, an Excel date or yyyyMMddHHmmss)",
            )
            continue
        finished = None
        if "finished" in cols and text(get(rec, "finished")):
            finished = parse_date(get(rec, "finished"))
            if finished is None:
                bad(
                    r,
                    "finished",
                    text(get(rec, "finished")),
                    "không phải ngày hợp lệ (dd/mm/yyyy, ngày Excel hoặc yyyyMMddHHmmss)",
                    "not a valid date (dd/mm/yyyy, an Excel date or yyyyMMddHHmmss)",
                )
                continue
        if status_kind == "finished" and finished is None:
            bad(
                r,
                "status",
                text(get(rec, "status")),
                "hồ sơ đã xong nhưng không có ngày kết thúc xử lý",
                "finished dossier without an end date",
            )
            continue
        if status_kind == "open" and finished is not None:
            bad(
                r,
                "status",
                text(get(rec, "status")),
                "hồ sơ đang xử lý nhưng có ngày kết thúc xử lý",
                "open dossier with an end date",
            )
            continue
        row["received_date"] = _date_text(received)
        row["due_date"] = _date_text(due)
        row["finished_date"] = _date_text(finished)
        # channel
        if "channel" in cols:
            raw_channel = text(get(rec, "channel"))
            channel = CHANNELS.get(normalise(raw_channel))
            if channel is None:
                bad(
                    r,
                    "channel",
                    raw_channel or None,
                    "kênh không hợp lệ (1 trực tiếp, 2 trực tuyến, 3 bưu chính)",
                    "unknown channel (1 in person, 2 online, 3 by post)",
                )
                continue
        else:
            channel = "truc_tiep"
        row["channel"] = channel
        # commune: a code column wins; else the receiving unit's name
        unit_label = text(get(rec, "commune_code")) or text(get(rec, "unit"))
        unit_fld = "commune_code" if text(get(rec, "commune_code")) else "unit"
        if unit_fld not in cols:
            unit_fld = ""
        commune = ""
        if unit_label:
            unit = cat.unit(unit_label, received)
            if unit is None:
                fld = "commune_code" if text(get(rec, "commune_code")) else "unit"
                bad(
                    r,
                    fld,
                    unit_label,
                    "đơn vị tiếp nhận không có trong danh mục xã, huyện, tỉnh",
                    "receiving unit not among the communes, districts, provinces",
                )
                continue
            commune = unit.code if unit.level == "xa" else ""
        row["commune_code"] = commune
        if "redated" in cols:
            n = parse_count(get(rec, "redated"))
            row["redated_count"] = "" if n is None else str(n)
            if n is None and text(get(rec, "redated")):
                row["redated_count"] = text(get(rec, "redated"))  # the importer names it
        if "apology" in cols:
            row["apology_issued"] = text(get(rec, "apology"))
        row["_origin"] = origin(r, proc_fld, unit_fld)
        out.append(row)
    if "channel" not in cols:
        result.notices.append(
            f"{src}: không có cột Kênh; mọi hồ sơ được ghi là nộp trực tiếp (truc_tiep)"
        )
    return excluded

"""Dữ liệu: data officers load their registers, read every fault, and see what is covered.

Uploads are checked first (a dry run on a copy of the warehouse); nothing is written until
the officer confirms, and then only if every row is valid. The page holds no SQL: imports go
through data/importer.py, coverage and the log through data/coverage.py.
"""

import re
from datetime import datetime

import pandas as pd
import streamlit as st

from data import coverage
from data.contract import TABLES_BY_NAME
from data.importer import MAX_FILE_BYTES, MAX_ROWS, fault_rows, faults_csv, faults_xlsx
from data.importer import import_uploads as run_import
from data.template import template_bytes
from data.warehouse import identity, read_meta
from metrics import format as fmt
from views.state import current

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Dữ liệu", "Data"),
    "intro": (
        "Nhập sổ sách từ Excel hoặc CSV theo mẫu, xem lỗi chi tiết trước khi nhập, và theo dõi "
        "mức độ đầy đủ của dữ liệu.",
        "Load registers from Excel or CSV in the template format, see every fault before "
        "anything is written, and check how complete the data is.",
    ),
    "tab_import": ("Nhập dữ liệu", "Import"),
    "tab_coverage": ("Mức độ đầy đủ", "Coverage"),
    "tab_log": ("Nhật ký nhập", "Import log"),
    "template": ("Tải mẫu nhập liệu (.xlsx)", "Download the import template (.xlsx)"),
    "template_help": (
        "Mỗi trang tính là một bảng; có danh sách chọn, định dạng ngày và hướng dẫn.",
        "One sheet per table, with drop-down lists, date cells and instructions.",
    ),
    "limits": (
        "Nhận tệp .xlsx (trang tính mang tên bảng) và <bảng>.csv (UTF-8). Giới hạn: {mb} MB "
        "mỗi tệp, {rows} dòng mỗi bảng. Cột dữ liệu cá nhân (họ tên, CCCD, điện thoại, địa "
        "chỉ, email) bị bỏ, không lưu.",
        "Accepts .xlsx workbooks (sheets named after tables) and <table>.csv files (UTF-8). "
        "Limits: {mb} MB per file, {rows} rows per table. Personal-data columns (names, ID "
        "numbers, phones, addresses, e-mail) are dropped, never stored.",
    ),
    "upload": ("Chọn tệp để nhập", "Choose files to import"),
    "operator": ("Người nhập", "Imported by"),
    "operator_help": ("Ghi vào nhật ký nhập.", "Recorded in the import log."),
    "checking": ("Đang kiểm tra tệp…", "Checking the files…"),
    "faults": (
        "{n} lỗi: chưa nhập dòng nào. Sửa tệp rồi tải lên lại.",
        "{n} faults: nothing was imported. Fix the files and upload them again.",
    ),
    "download_csv": ("Tải danh sách lỗi (.csv)", "Download the faults (.csv)"),
    "download_xlsx": ("Tải danh sách lỗi (.xlsx)", "Download the faults (.xlsx)"),
    "valid": (
        "Không có lỗi: {rows} dòng hợp lệ. Xem trước thay đổi rồi bấm xác nhận.",
        "No faults: {rows} valid rows. Review the changes, then confirm.",
    ),
    "confirm": ("Xác nhận nhập vào kho dữ liệu", "Confirm the import"),
    "importing": ("Đang nhập…", "Importing…"),
    "imported": (
        "Đã nhập (lần nhập số {id}). Các trang hiển thị dữ liệu mới ngay.",
        "Imported (import no. {id}). Every page now shows the new data.",
    ),
    "import_failed": (
        "Không nhập được; kho dữ liệu giữ nguyên.",
        "The import failed; the warehouse is unchanged.",
    ),
    "notices": ("Lưu ý", "Notes"),
    "upgrade": (
        "Kho dữ liệu được tạo theo hợp đồng dữ liệu cũ; khi nhập, kho được nâng cấp lên hợp "
        "đồng v2 (bảng tỉnh/huyện, sắp xếp đơn vị, ngày nghỉ lễ; ngày hiệu lực của xã; lần "
        "giải quyết đơn thư). Các dòng đã có giữ nguyên. Thay đổi: {what}",
        "The warehouse was built under an earlier data contract; the import upgrades it to "
        "contract v2 (provinces/districts, unit successions, holidays; commune validity "
        "dates; petition round). Existing rows are kept as they are. Changes: {what}",
    ),
    "dropped": (
        "Cột dữ liệu cá nhân bị bỏ, không lưu: {cols}",
        "Personal-data columns dropped, never stored: {cols}",
    ),
    "col_table": ("Bảng", "Table"),
    "col_rows_read": ("Dòng đọc được", "Rows read"),
    "col_added": ("Thêm mới", "Added"),
    "col_replaced": ("Thay thế", "Replaced"),
    "col_unchanged": ("Giữ nguyên", "Unchanged"),
    "col_rows": ("Số dòng", "Rows"),
    "col_first": ("Từ ngày", "From"),
    "col_last": ("Đến ngày", "To"),
    "col_last_import": ("Lần nhập gần nhất", "Last import"),
    "coverage_tables": ("Theo bảng", "Per table"),
    "not_present": (
        "Chưa có trong kho (kho tạo theo hợp đồng dữ liệu cũ): {tables}. Lần nhập tới sẽ tự "
        "thêm các bảng này.",
        "Not in the warehouse yet (built under an earlier data contract): {tables}. The next "
        "import adds them.",
    ),
    "built_at": ("Kho dữ liệu tạo lúc {when}.", "Warehouse built at {when}."),
    "grid_title": ("Xã × tháng: số bản ghi đã báo cáo", "Commune × month: records reported"),
    "grid_help": (
        "Ô đỏ: tháng xã không có bản ghi nào trong các bảng đã chọn ({period}). Ô xám (—): "
        "tháng đơn vị chưa thành lập hoặc đã kết thúc (ngoài thời gian hiệu lực), không tính "
        "là thiếu. Bản ghi tính theo đơn vị như khi ghi nhận.",
        "Red cells: months in which the commune has no record in the chosen tables ({period}). "
        "Grey cells (—): months before the unit began or after it ended (outside its validity "
        "dates), not gaps. Records count under the unit as recorded.",
    ),
    "grid_tables": ("Bảng tính vào", "Tables counted"),
    "grid_empty": ("Chưa có xã nào trong kho dữ liệu.", "No commune in the warehouse yet."),
    "commune": ("Xã, thị trấn", "Commune"),
    "units_title": ("Đơn vị hành chính cấp xã", "Communes and their validity"),
    "units_help": (
        "Thời gian hiệu lực của từng xã: bản ghi của xã phải có ngày trong khoảng này.",
        "When each commune existed: its records must be dated within these days.",
    ),
    "col_code": ("Mã", "Code"),
    "col_name": ("Tên", "Name"),
    "col_kind": ("Loại", "Kind"),
    "col_parent": ("Đơn vị cấp trên", "Unit above"),
    "col_validity": ("Thời gian hiệu lực", "Valid"),
    "col_successor": ("Sáp nhập vào", "Merged into"),
    "always": ("không giới hạn", "open"),
    "log_empty": ("Chưa có lần nhập nào.", "No import yet."),
    "log_id": ("Số", "No."),
    "log_when": ("Thời gian", "When"),
    "log_who": ("Người nhập", "By"),
    "log_files": ("Tệp", "Files"),
    "log_detail": ("Chi tiết theo bảng", "Per table"),
}


def tr(key: str, **kwargs: object) -> str:
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


def table_label(name: str) -> str:
    t = TABLES_BY_NAME.get(name)
    if t is None:
        return name
    return f"{t.label_en if lang == 'en' else t.label_vi} ({name})"


def plain(text: str) -> str:
    """Text from an uploaded file shown as is, never read as Markdown (links, emphasis)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def when(ts: datetime | None) -> str:
    if ts is None or pd.isna(ts):
        return fmt.MISSING
    return f"{fmt.day(ts.date(), lang)} {ts:%H:%M}"


def commune_label(code: str, name: str, valid_from, valid_to) -> str:
    """'Xã Một (00001)', with the days it existed when it began or ended."""
    span = fmt.validity(
        None if pd.isna(valid_from) else valid_from,
        None if pd.isna(valid_to) else valid_to,
        lang,
    )
    return f"{name} ({code})" + (f" · {span}" if span else "")


def grid_cell(v: object) -> str:
    """Red for a month the commune existed and reported nothing; grey when not applicable."""
    if v is pd.NA or v is None:
        return "background-color: #eeeeee; color: #6b6b6b"
    return "background-color: #f4c7c3; color: #7f1d1d" if v == 0 else ""


@st.cache_data(show_spinner=False)
def cached_template() -> bytes:
    return template_bytes()


state = current()
lang, db = state.lang, state.db
st.title(tr("title"))
st.caption(tr("intro"))

tab_import, tab_coverage, tab_log = st.tabs([tr("tab_import"), tr("tab_coverage"), tr("tab_log")])

# --------------------------------------------------------------------------- import
with tab_import:
    st.download_button(
        tr("template"),
        data=cached_template(),
        file_name="mau_nhap_lieu_danvan.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=tr("template_help"),
        icon=":material/download:",
        key="data_template",
    )
    st.caption(tr("limits", mb=MAX_FILE_BYTES // (1024 * 1024), rows=fmt.number(MAX_ROWS, lang)))
    operator = st.text_input(tr("operator"), key="data_operator", help=tr("operator_help"))
    # A new key after each import empties the uploader, so a file is not imported twice.
    upload_round = st.session_state.setdefault("data_upload_round", 0)
    uploads = st.file_uploader(
        tr("upload"),
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=f"data_upload_{upload_round}",
    )

    done = st.session_state.pop("data_imported", None)
    if done is not None:
        st.success(tr("imported", id=done), icon=":material/check_circle:")

    if uploads:
        files = [(u.name, u.getvalue()) for u in uploads]
        # A check is valid for these exact uploads against this exact warehouse file.
        check_key = (
            tuple((u.file_id, u.name, u.size) for u in uploads),
            identity(db) if db.exists() else None,
        )
        check = st.session_state.get("data_check")
        if check is None or check[0] != check_key:
            with st.spinner(tr("checking")):
                result = run_import(files, db, dry_run=True, max_file_bytes=MAX_FILE_BYTES)
            st.session_state["data_check"] = (check_key, result)
        else:
            result = check[1]

        if result.dropped:
            st.warning(
                tr("dropped", cols=plain(", ".join(f"{h} ({f})" for f, h in result.dropped))),
                icon=":material/shield_person:",
            )
        if result.upgraded:
            st.info(
                tr("upgrade", what=plain("; ".join(result.upgraded))),
                icon=":material/upgrade:",
            )
        if result.notices:
            with st.expander(f"{tr('notices')} ({len(result.notices)})"):
                for notice in result.notices:
                    st.markdown(f"- {plain(notice.message(lang))}")

        if result.faults:
            st.error(tr("faults", n=fmt.number(len(result.faults), lang)), icon=":material/error:")
            st.dataframe(
                pd.DataFrame(fault_rows(result.faults, lang)),
                hide_index=True,
                width="stretch",
                key="data_faults",
            )
            c1, c2 = st.columns(2)
            c1.download_button(
                tr("download_csv"),
                data=faults_csv(result.faults, lang),
                file_name="loi_nhap_lieu.csv",
                mime="text/csv",
                key="data_faults_csv",
            )
            c2.download_button(
                tr("download_xlsx"),
                data=faults_xlsx(result.faults, lang),
                file_name="loi_nhap_lieu.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key="data_faults_xlsx",
            )
        else:
            total = sum(result.rows.values())
            st.success(tr("valid", rows=fmt.number(total, lang)), icon=":material/task_alt:")
            preview = pd.DataFrame(
                [
                    {
                        tr("col_table"): table_label(name),
                        tr("col_rows_read"): result.rows.get(name, 0),
                        tr("col_added"): c.added,
                        tr("col_replaced"): c.replaced,
                        tr("col_unchanged"): c.unchanged,
                    }
                    for name, c in result.counts.items()
                ]
            )
            st.dataframe(preview, hide_index=True, width="stretch", key="data_preview")
            if st.button(tr("confirm"), type="primary", key="data_confirm"):
                with st.spinner(tr("importing")):
                    final = run_import(
                        files,
                        db,
                        operator=operator.strip() or None,
                        max_file_bytes=MAX_FILE_BYTES,
                    )
                if final.ok:
                    st.session_state["data_imported"] = final.import_id
                    st.session_state.pop("data_check", None)
                    st.session_state["data_upload_round"] = upload_round + 1
                    st.rerun()
                st.error(tr("import_failed"), icon=":material/error:")
                st.dataframe(pd.DataFrame(fault_rows(final.faults, lang)), hide_index=True)

# --------------------------------------------------------------------------- coverage
with tab_coverage:
    st.subheader(tr("coverage_tables"))
    rows = coverage.table_coverage(db)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_table"): table_label(r["table"]),
                    tr("col_rows"): fmt.number(r["rows"], lang),
                    tr("col_first"): fmt.day(r["first"], lang),
                    tr("col_last"): fmt.day(r["last"], lang),
                    tr("col_last_import"): when(r["last_import"]),
                }
                for r in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        key="data_coverage",
    )
    absent = [table_label(r["table"]) for r in rows if not r["present"]]
    if absent:
        st.caption(tr("not_present", tables=", ".join(absent)))
    built = read_meta(db).get("built_at")
    if built:
        st.caption(tr("built_at", when=built.replace("T", " ")[:16]))

    st.subheader(tr("grid_title"))
    f = state.filters
    period = f"{fmt.day(f.date_from, lang)} – {fmt.day(f.date_to, lang)}"
    chosen = st.multiselect(
        tr("grid_tables"),
        [t.name for t in coverage.COMMUNE_EVENTS],
        default=[t.name for t in coverage.COMMUNE_EVENTS],
        format_func=table_label,
        key="data_grid_tables",
    )
    grid = coverage.completeness(f.date_from, f.date_to, db, f.communes, tuple(chosen))
    if grid.empty:
        st.info(tr("grid_empty"))
    else:
        st.caption(tr("grid_help", period=period))
        months = [c for c in grid.columns if c not in coverage.GRID_INFO]
        shown = grid[months].copy()
        shown.columns = [fmt.month(m, lang) for m in months]
        shown.index = [
            commune_label(code, r["name"], r["valid_from"], r["valid_to"])
            for code, r in grid.iterrows()
        ]
        shown.index.name = tr("commune")
        styled = shown.style.map(grid_cell).format(na_rep=fmt.MISSING)
        st.dataframe(styled, width="stretch", key="data_grid")

    st.subheader(tr("units_title"))
    st.caption(tr("units_help"))
    unit_rows = coverage.units(db)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("col_code"): u["commune_code"],
                    tr("col_name"): u["name"],
                    tr("col_kind"): u["kind"],
                    tr("col_parent"): (
                        f"{u['parent_name']} ({u['parent_code']})"
                        if u["parent_name"]
                        else u["parent_code"] or fmt.MISSING
                    ),
                    tr("col_validity"): fmt.validity(u["valid_from"], u["valid_to"], lang)
                    or tr("always"),
                    tr("col_successor"): (
                        f"{u['successor']} ({fmt.day(u['succession_date'], lang)})"
                        if u["successor"]
                        else fmt.MISSING
                    ),
                }
                for u in unit_rows
            ]
        ),
        hide_index=True,
        width="stretch",
        key="data_units",
    )

# --------------------------------------------------------------------------- log
with tab_log:
    history = coverage.import_history(db)
    if not history:
        st.info(tr("log_empty"))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("log_id"): h["import_id"],
                        tr("log_when"): when(h["imported_at"]),
                        tr("log_who"): h["operator"] or fmt.MISSING,
                        tr("log_files"): ", ".join(h["files"]),
                        tr("col_added"): h["added"],
                        tr("col_replaced"): h["replaced"],
                        tr("col_unchanged"): h["unchanged"],
                        tr("log_detail"): "; ".join(
                            f"{name}: +{c['added']} ~{c['replaced']} ={c['unchanged']}"
                            for name, c in h["tables"].items()
                        ),
                    }
                    for h in history
                ]
            ),
            hide_index=True,
            width="stretch",
            key="data_log",
        )

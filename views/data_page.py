"""Dữ liệu: data officers load their registers, read every fault, and see what is covered.

Uploads are checked first (a dry run on a copy of the warehouse); nothing is written until
the officer confirms, and then only if every row is valid. The page holds no SQL: imports go
through data/importer.py, coverage and the log through data/coverage.py.
"""

import io
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from access import audit
from access.login import USER_KEY
from data import coverage
from data.contract import TABLES_BY_NAME
from data.importer import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    fault_rows,
    faults_csv,
    faults_xlsx,
    import_with_profile,
)
from data.importer import import_uploads as run_import
from data.profiles import PROFILES, alias_rows, detect_profile, write_contract_rows
from data.profiles import read as read_profile
from data.template import template_bytes
from data.warehouse import identity, read_meta
from metrics import format as fmt
from metrics.engine import current_scope
from views import cache
from views.downloads import XLSX_MIME
from views.i18n import t
from views.state import current, url_tabs
from views.text import literal

# The uploader's limit is the importer's, in whole MB (the uploader takes no fraction; the
# importer still refuses a file above its exact byte limit, with a message).
MAX_MB = max(1, -(-MAX_FILE_BYTES // (1024 * 1024)))
UPLOADER_CSS = (
    "<style>.st-key-data_upload_box [data-testid='stFileUploaderDropzoneInstructions']"
    "{display: none;}</style>"
)


def tr(key: str, **kwargs: object) -> str:
    """This page's words, from the one catalogue (views/i18n.py, keys `dp_…`)."""
    return t(f"dp_{key}", lang, **kwargs)


def table_label(name: str) -> str:
    t = TABLES_BY_NAME.get(name)
    if t is None:
        return name
    return f"{t.label_en if lang == 'en' else t.label_vi} ({name})"


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


NOT_APPLICABLE_CSS = "background-color: #eeeeee; color: #6b6b6b"
GAP_CSS = "background-color: #f4c7c3; color: #7f1d1d"


def grid_styles(grid: pd.DataFrame) -> pd.DataFrame:
    """Red for a month the commune existed and reported nothing; grey when not applicable.
    The whole grid at once (a Styler function called cell by cell costs time per cell)."""
    missing = grid.isna()
    gap = grid.eq(0).fillna(False).astype(bool) & ~missing
    styles = pd.DataFrame("", index=grid.index, columns=grid.columns)
    return styles.mask(missing, NOT_APPLICABLE_CSS).mask(gap, GAP_CSS)


@st.cache_data(show_spinner=False)
def cached_template() -> bytes:
    return template_bytes()


def _csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    """Contract rows as a CSV download, written as `python -m data profile` writes them."""
    buf = io.StringIO()
    write_contract_rows(buf, rows, columns)
    return buf.getvalue().encode("utf-8-sig")


def show_faults(faults: list, key: str) -> None:
    """The fault table with its CSV and Excel downloads (each fault where the user finds it)."""
    st.dataframe(pd.DataFrame(fault_rows(faults, lang)), hide_index=True, width="stretch", key=key)
    c1, c2 = st.columns(2)
    c1.download_button(
        tr("download_csv"),
        data=faults_csv(faults, lang),
        file_name="loi_nhap_lieu.csv",
        mime="text/csv",
        key=f"{key}_csv",
    )
    c2.download_button(
        tr("download_xlsx"),
        data=faults_xlsx(faults, lang),
        file_name="loi_nhap_lieu.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
    )


def import_office_files(uploads: list, chosen: str, **options: object):
    """`import_with_profile` on the uploads, saved under temporary names."""
    with tempfile.TemporaryDirectory(prefix="danvan-profile-") as tmp:
        paths = []
        for i, up in enumerate(uploads):
            path = Path(tmp) / f"{i}{Path(up.name).suffix.lower()}"
            path.write_bytes(up.getvalue())
            paths.append(path)
        return import_with_profile(paths, chosen, db, names=[u.name for u in uploads], **options)


def profile_preview(uploads: list, chosen: str, operator: str | None) -> None:
    """What each uploaded office file would give under its profile, and its faults.

    Nothing is written: the file is read into template rows and shown, with its faults,
    the personal columns dropped and the names to map. Files read without a fault are then
    checked against the contract on a copy of the warehouse, as template uploads are; the
    import is offered only when that check finds nothing.
    """
    clean = True
    for i, up in enumerate(uploads):
        suffix = Path(up.name).suffix.lower()
        with tempfile.TemporaryDirectory(prefix="danvan-profile-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(up.getvalue())
            name = detect_profile(path) if chosen == "auto" else chosen
            if name is None:
                st.warning(tr("profile_unknown", file=literal(up.name)), icon=":material/help:")
                continue
            result = read_profile(name, path, db, display=up.name)
        st.markdown(
            f"**{tr('profile_read', file=literal(up.name), profile=PROFILES[name].label(lang))}**"
        )
        if result.dropped:
            st.warning(
                tr("dropped", cols=literal(", ".join(f"{h} ({f})" for f, h in result.dropped))),
                icon=":material/shield_person:",
            )
        if result.notices:
            with st.expander(f"{tr('notices')} ({len(result.notices)})"):
                for notice in result.notices:
                    st.markdown(f"- {literal(notice)}")
        clean = clean and not result.faults
        if result.faults:
            st.error(tr("faults", n=fmt.number(len(result.faults), lang)), icon=":material/error:")
            show_faults(result.faults, f"data_profile_faults_{i}")
        if result.to_map:
            st.download_button(
                tr("profile_aliases"),
                data=_csv_bytes(alias_rows(result), ["alias", "procedure_code"]),
                file_name="procedure_aliases.csv",
                mime="text/csv",
                key=f"data_profile_aliases_{i}",
            )
        for table_name, rows in result.tables.items():
            columns = TABLES_BY_NAME[table_name].column_names
            st.caption(
                tr("profile_rows", table=table_label(table_name), n=fmt.number(len(rows), lang))
            )
            st.dataframe(
                pd.DataFrame(result.contract_rows(table_name), columns=columns).head(200),
                hide_index=True,
                width="stretch",
                key=f"data_profile_rows_{i}_{table_name}",
            )
            if rows and not result.faults:
                st.download_button(
                    tr("profile_csv", table=table_name),
                    data=_csv_bytes(rows, columns),
                    file_name=f"{table_name}.csv",
                    mime="text/csv",
                    key=f"data_profile_csv_{i}_{table_name}",
                )
    if not clean:
        st.info(tr("profile_pending"), icon=":material/info:")
        return
    # A check is valid for these exact uploads, this kind of file and this warehouse file.
    check_key = (
        tuple((u.file_id, u.name, u.size) for u in uploads),
        chosen,
        identity(db) if db.exists() else None,
    )
    check = st.session_state.get("data_profile_check")
    if check is None or check[0] != check_key:
        with st.spinner(tr("checking")):
            checked = import_office_files(uploads, chosen, dry_run=True)
        st.session_state["data_profile_check"] = (check_key, checked)
    else:
        checked = check[1]
    if checked.faults:
        st.error(tr("faults", n=fmt.number(len(checked.faults), lang)), icon=":material/error:")
        show_faults(checked.faults, "data_profile_check")
        return
    if st.button(tr("profile_import"), type="primary", key="data_profile_import"):
        with st.spinner(tr("importing")):
            done = import_office_files(uploads, chosen, operator=operator)
        if done.ok:
            audit.record("import", st.session_state.get(USER_KEY), {"import_id": done.import_id})
            st.session_state.pop("data_profile_check", None)
            st.success(tr("profile_imported", n=done.import_id), icon=":material/task_alt:")
        else:
            st.error(tr("import_failed"), icon=":material/error:")
            show_faults(done.faults, "data_profile_failed")


# --------------------------------------------------------------------------- import
def import_tab() -> None:
    st.download_button(
        tr("template"),
        data=cached_template(),
        file_name="mau_nhap_lieu_danvan.xlsx",
        mime=XLSX_MIME,
        help=tr("template_help"),
        icon=":material/download:",
        key="data_template",
    )
    st.caption(tr("limits", mb=fmt.number(MAX_MB, lang), rows=fmt.number(MAX_ROWS, lang)))
    user = st.session_state.get(USER_KEY)
    if user is not None and not user.anonymous:
        # With accounts, the operator is the account: not a field anyone can type into.
        operator = user.username
        st.caption(f"{tr('operator')}: {literal(operator)}")
    else:
        operator = st.text_input(tr("operator"), key="data_operator", help=tr("operator_help"))
    # A new key after each import empties the uploader, so a file is not imported twice.
    upload_round = st.session_state.setdefault("data_upload_round", 0)
    with st.container(key="data_upload_box"):
        # The uploader's own line ("…MB per file • XLSX, CSV") is English: it gives way to
        # the Vietnamese one below. Its limit is the page's (`max_upload_size`), whatever
        # server.maxUploadSize says.
        st.html(UPLOADER_CSS)
        uploads = st.file_uploader(
            tr("upload"),
            type=["xlsx", "csv"],
            accept_multiple_files=True,
            key=f"data_upload_{upload_round}",
            help=tr("upload_help"),
            max_upload_size=MAX_MB,
        )
        st.caption(tr("upload_limit", mb=fmt.number(MAX_MB, lang)))

    profile_options = ["", "auto", *PROFILES]
    profile_name = st.selectbox(
        tr("profile"),
        profile_options,
        format_func=lambda p: (
            tr("profile_template")
            if p == ""
            else tr("profile_auto")
            if p == "auto"
            else PROFILES[p].label(lang)
        ),
        key="data_profile",
        help=tr("profile_help"),
    )

    done = st.session_state.pop("data_imported", None)
    if done is not None:
        st.success(tr("imported", id=done), icon=":material/check_circle:")

    if uploads and profile_name:
        profile_preview(uploads, profile_name, operator.strip() or None)
    elif uploads:
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
                tr("dropped", cols=literal(", ".join(f"{h} ({f})" for f, h in result.dropped))),
                icon=":material/shield_person:",
            )
        if result.upgraded:
            st.info(
                tr("upgrade", what=literal("; ".join(result.upgraded))),
                icon=":material/upgrade:",
            )
        if result.notices:
            with st.expander(f"{tr('notices')} ({len(result.notices)})"):
                for notice in result.notices:
                    st.markdown(f"- {literal(notice.message(lang))}")

        if result.faults:
            st.error(tr("faults", n=fmt.number(len(result.faults), lang)), icon=":material/error:")
            show_faults(result.faults, "data_faults")
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
                    audit.record(
                        "import",
                        user,
                        {"import_id": final.import_id, "files": [name for name, _ in files]},
                    )
                    st.session_state["data_imported"] = final.import_id
                    st.session_state.pop("data_check", None)
                    st.session_state["data_upload_round"] = upload_round + 1
                    st.rerun()
                st.error(tr("import_failed"), icon=":material/error:")
                st.dataframe(pd.DataFrame(fault_rows(final.faults, lang)), hide_index=True)


# --------------------------------------------------------------------------- coverage
def coverage_tab() -> None:
    from metrics.model import KPIS
    from metrics.reported import reconciliation, reported_kpis

    reported = reported_kpis(state.filters, db, lang)
    if any(v.source for v in reported.values()):
        st.subheader(t("dp_reported", lang))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("col_table"): KPIS[k].label(lang) if k in KPIS else k,
                        "": fmt.value(v.value, KPIS[k].unit, lang) if k in KPIS else v.note,
                        t("ld_source", lang): v.source or v.note,
                    }
                    for k, v in reported.items()
                ]
            ),
            hide_index=True,
            width="stretch",
            key="data_reported",
        )
        st.subheader(t("dp_reconcile", lang))
        gaps = reconciliation(state.filters, db, lang)
        if gaps:
            for gap in gaps:
                st.warning(literal(gap.message(lang)), icon=":material/compare_arrows:")
        else:
            st.caption(t("dp_reconcile_none", lang))
    st.subheader(tr("coverage_tables"))
    # Whole-warehouse counts and the import log name every unit's work: an account limited
    # to some units sees its own communes' grid below, not these.
    whole = current_scope() is None
    rows = cache.table_coverage(db) if whole else []
    if not whole:
        st.caption(tr("scoped_totals"))
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
    grid = cache.completeness(f, tuple(chosen), db)
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
        styled = shown.style.apply(grid_styles, axis=None).format(na_rep=fmt.MISSING)
        st.dataframe(styled, width="stretch", key="data_grid")

    st.subheader(tr("units_title"))
    st.caption(tr("units_help"))
    unit_rows = cache.units(db)
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
def log_tab() -> None:
    history = coverage.import_history(db) if current_scope() is None else []
    if current_scope() is not None:
        st.info(tr("scoped_totals"))
    elif not history:
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


# The tabs, by the code the link holds (`?tab=log`); only the open one is drawn.
TABS = {"import": import_tab, "coverage": coverage_tab, "log": log_tab}

state = current()
lang, db = state.lang, state.db
st.title(tr("title"))
st.caption(tr("intro"))
tab, pane = url_tabs(list(TABS), [tr(f"tab_{code}") for code in TABS], "tab")
with pane:
    TABS[tab]()

"""The one catalogue of user-interface words, Vietnamese and English, and its `t()`.

KPI labels live with the KPIs. Keys by prefix: `page_` page titles, `rc_` receptions page,
`pt_` petitions, `pr_` procedures, `st_` staff, `ld_` landing page, `ac_` action lists,
`col_` table headers, `tbl_` table titles (they also name downloaded files), `file_` file
names; coded values (`petition_kind_khieu_nai`, `channel_truc_tuyen`, ...) are labelled
`<enum>_<code>`.
"""

from __future__ import annotations

_FRAME: dict[str, tuple[str, str]] = {
    "app_title": ("Dân vận Dashboard", "Dân vận Dashboard"),
    "app_subtitle": (
        "Công tác dân vận chính quyền: tiếp dân, đối thoại, đơn thư, một cửa, kỷ cương",
        "How the administration listens to and serves citizens",
    ),
    "page_overview": ("Tổng quan", "Overview"),
    "page_receptions": ("Tiếp công dân & đối thoại", "Receptions & dialogues"),
    "page_petitions": ("Đơn thư, khiếu nại, tố cáo", "Petitions"),
    "page_procedures": ("Thủ tục hành chính & một cửa", "Procedures & one-stop desk"),
    "page_staff": ("Cán bộ & kỷ cương", "Staff & discipline"),
    "page_data": ("Dữ liệu", "Data"),
    "page_actions": ("Việc cần làm", "Action lists"),
    "page_report": ("Báo cáo", "Report"),
    "page_admin": ("Quản trị", "Administration"),
    "ld_766": (
        "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)",
        "Citizen and business service index (Decision 766/QD-TTg)",
    ),
    "ld_766_total": ("Tổng điểm", "Total"),
    "ld_source": ("Nguồn (tệp đã nhập)", "Source (imported file)"),
    "dp_reported": ("Số liệu từ biểu báo cáo", "Figures from report forms"),
    "dp_reconcile": (
        "Đối chiếu số liệu báo cáo với sổ sách",
        "Report forms against the registers",
    ),
    "dp_reconcile_none": (
        "Không có chênh lệch giữa biểu báo cáo và sổ sách trong kỳ.",
        "No difference between report forms and registers in the period.",
    ),
    "admin_users": ("Tài khoản", "Accounts"),
    "admin_audit": ("Nhật ký truy cập và thao tác", "Audit log"),
    "admin_local": (
        "Chưa có tài khoản nào: bảng điều khiển chỉ mở trên máy này (127.0.0.1). Tạo tài khoản "
        "bằng python -m access add-user.",
        "No accounts yet: the dashboard is open on this machine only (127.0.0.1). Create "
        "accounts with python -m access add-user.",
    ),
    "band_tot": ("Tốt", "Good"),
    "band_can_chu_y": ("Cần chú ý", "Needs attention"),
    "band_can_cai_thien": ("Cần cải thiện", "Needs improvement"),
    "ld_score": ("Điểm của lựa chọn", "Score of the selection"),
    "ld_no_score": (
        "Chưa có điểm: cần ít nhất {n} chỉ tiêu có đủ dữ liệu, mới có {kept}.",
        "No score: at least {n} indicators with enough records are needed, {kept} have them.",
    ),
    "ld_unranked": ("chưa xếp hạng", "unranked"),
    "ld_pulled": ("Kéo điểm xuống", "Pulled down by"),
    "ld_rank_up": ("lên {n} hạng so với kỳ trước", "up {n} since the previous period"),
    "ld_rank_down": ("xuống {n} hạng so với kỳ trước", "down {n} since the previous period"),
    "ld_weight": ("trọng số {w}", "weight {w}"),
    "ld_no_records": (
        "Không có bản ghi nào trong kỳ để tính chỉ tiêu này.",
        "No records in the period to compute this KPI.",
    ),
    "ld_pooled": (
        "Điểm của cả lựa chọn tính trên số liệu gộp của các xã, nên có thể thấp hơn điểm của "
        "từng xã: một chỉ tiêu quá ít hồ sơ để tính ở từng xã (như đơn quá hạn) vẫn được tính "
        "khi gộp lại.",
        "The selection's score is computed on the communes' pooled figures, so it can be "
        "lower than every commune's own score: an indicator with too few records to count in "
        "any one commune (such as overdue petitions) is counted once pooled.",
    ),
    "ld_league": ("Các xã, thấp điểm nhất trước", "Communes, lowest score first"),
    "ld_all_communes": ("Tất cả {n} xã", "All {n} communes"),
    "ld_few_data": ("ít dữ liệu", "few records"),
    "ld_actions": ("Việc cần làm", "To act on"),
    "ld_methodology": ("Cách tính điểm", "How the score is computed"),
    "ld_kpis": ("Các chỉ tiêu theo lĩnh vực", "KPIs by area"),
    "ld_scorecard_missing": (
        "Bảng điểm chưa sẵn sàng trong phiên bản này.",
        "The scorecard is not available in this version.",
    ),
    "ac_choose": ("Danh sách", "List"),
    "ac_overdue_petitions": ("Đơn quá hạn", "Overdue petitions"),
    "ac_overdue_dossiers": ("Hồ sơ quá hạn", "Overdue dossiers"),
    "ac_late_without_apology": ("Trễ hạn chưa xin lỗi", "Late without apology"),
    "ac_reception_gaps": ("Thiếu buổi tiếp dân", "Reception gaps"),
    "ac_no_dialogue": ("Xã chưa đối thoại", "Communes without dialogue"),
    "ac_prolonged_open": ("Vụ việc kéo dài", "Prolonged cases"),
    "ac_no_personal_data": (
        "Danh sách chỉ có mã hồ sơ, không có thông tin cá nhân.",
        "The list holds record IDs only, no personal data.",
    ),
    "ac_empty": ("Không có việc nào trong danh sách này.", "Nothing on this list."),
    "ac_count": ("{n} bản ghi", "{n} records"),
    "rows_shown": (
        "Hiện {shown} trên {n} bản ghi đầu tiên; tệp tải về có đủ {n} bản ghi.",
        "Showing the first {shown} of {n} records; the downloads hold all {n}.",
    ),
    "file_actions": ("viec-can-lam", "action-list"),
    "col_dossier_id": ("Mã hồ sơ", "Dossier ID"),
    "col_finished_date": ("Ngày trả kết quả", "Finished"),
    "col_gap_level": ("Cấp", "Level"),
    "col_cell_start": ("Tuần, tháng", "Week, month"),
    "col_lo": ("Từ ngày", "From"),
    "col_hi": ("Đến ngày", "To"),
    "col_required": ("Số buổi tối thiểu", "Sessions required"),
    "col_days": ("Số buổi đã tiếp", "Sessions held"),
    "col_valid_from": ("Thành lập từ", "Valid from"),
    "col_valid_to": ("Đến ngày", "Valid to"),
    "filters": ("Bộ lọc", "Filters"),
    "period": ("Kỳ báo cáo", "Period"),
    "period_year": ("Theo năm", "Year"),
    "period_range": ("Khoảng ngày", "Date range"),
    "year": ("Năm", "Year"),
    "from": ("Từ ngày", "From"),
    "to": ("Đến ngày", "To"),
    "communes": ("Xã, thị trấn", "Communes"),
    "communes_all": ("Tất cả xã, thị trấn", "All communes"),
    "level": ("Cấp", "Level"),
    "level_all": ("Tất cả", "All"),
    "units": ("Số liệu theo đơn vị hành chính", "Figures by administrative unit"),
    "units_recorded": ("Theo đơn vị khi ghi nhận", "As recorded"),
    "units_today": ("Theo đơn vị hiện nay", "Under today's units"),
    "units_help": (
        "Khi ghi nhận: mỗi số liệu thuộc đơn vị tồn tại vào ngày đó. Hiện nay: số liệu của "
        "các đơn vị cũ được cộng vào đơn vị hiện nay đã kế thừa, để so sánh qua các năm. Lịch "
        "tiếp công dân luôn xét theo đơn vị khi ghi nhận.",
        "As recorded: each figure belongs to the unit that existed that day. Today's units: "
        "the old units' figures are added to the unit of today that succeeded them, for "
        "year-on-year comparison. Reception cadences are always judged on the units as "
        "recorded.",
    ),
    "lang": ("Ngôn ngữ", "Language"),
    "share": ("Chia sẻ đúng khung nhìn này", "Share this exact view"),
    "share_help": (
        "Sao chép đường dẫn: người nhận thấy đúng trang, kỳ, xã, cấp và cách tính theo đơn vị này.",
        "Copy the link: whoever opens it sees this page, period, communes, level and unit view.",
    ),
    "demo_note": (
        "Dữ liệu mô phỏng: kho dữ liệu mẫu Bắc Quang (huyện của tỉnh Hà Giang đến 30/6/2025, "
        "nay là các xã của tỉnh Tuyên Quang) được tạo tự động để minh họa; số liệu năm 2019 "
        "khớp bài viết ngày 03/8/2020, các số liệu khác là giả lập.",
        "Synthetic data: the Bắc Quang demo warehouse (a district of Hà Giang until 30 June "
        "2025, now communes of Tuyên Quang) is generated for illustration; its 2019 figures "
        "match the article of 3 Aug 2020, everything else is simulated.",
    ),
    "demo_note_short": (
        "Dữ liệu mô phỏng (kho dữ liệu mẫu Bắc Quang).",
        "Synthetic data (Bắc Quang demo).",
    ),
    "building_demo": (
        "Chưa có kho dữ liệu: đang tạo kho dữ liệu mẫu Bắc Quang…",
        "No warehouse yet: building the Bắc Quang demo warehouse…",
    ),
    "built_demo": ("Đã tạo kho dữ liệu mẫu.", "Demo warehouse built."),
    "upgrading_warehouse": (
        "Kho dữ liệu được tạo bởi phiên bản trước: đang nâng cấp (dữ liệu giữ nguyên)…",
        "The warehouse was made by an earlier version: upgrading it (records are kept)…",
    ),
    "warehouse_unreadable": (
        "Không đọc được kho dữ liệu {path}: {error}. Hãy nâng cấp (python -m data upgrade), "
        "khôi phục tệp, hoặc với kho dữ liệu mẫu thì tạo lại (python -m data demo).",
        "Cannot read the warehouse {path}: {error}. Upgrade it (python -m data upgrade), "
        "restore the file, or for the demo rebuild it (python -m data demo).",
    ),
    "invalid_param": (
        "Bỏ qua giá trị không hợp lệ trong đường dẫn: {param} = {value}",
        "Ignored an invalid value in the link: {param} = {value}",
    ),
    "invalid_range": (
        "Khoảng ngày trong đường dẫn không hợp lệ ({value}); dùng năm mặc định.",
        "The date range in the link is invalid ({value}); using the default year.",
    ),
    "repeated_param": (
        "Đường dẫn có nhiều giá trị cho {param}; dùng giá trị đầu tiên.",
        "The link gives {param} more than once; the first value is used.",
    ),
    "reversed_range": (
        "Khoảng ngày trong đường dẫn bị đảo ngược ({value}); đã đổi lại cho đúng thứ tự.",
        "The date range in the link was reversed ({value}); it has been put in order.",
    ),
    "unknown_page": (
        "Không có trang {path}; đang hiển thị trang chính.",
        "There is no page {path}; showing the main page.",
    ),
    "no_data_period": (
        "Không có dữ liệu cho bộ lọc này.",
        "There are no data for these filters.",
    ),
    "target": ("Mục tiêu", "Target"),
    "meets": ("Đạt", "Meets"),
    "below": ("Chưa đạt", "Below"),
    "no_target": ("Không có mục tiêu luật định", "No statutory target"),
    "vs_previous": ("so với kỳ trước", "vs previous period"),
    # Where a card's figure comes from (metrics.combined.Source).
    "src_registers": ("Nguồn: sổ sách", "Source: registers"),
    "src_forms": ("Nguồn: biểu báo cáo ({files})", "Source: report forms ({files})"),
    "src_both": (
        "Nguồn: sổ sách và biểu báo cáo ({files})",
        "Source: registers and report forms ({files})",
    ),
    "src_file": ("tệp {name}", "file {name}"),
    "src_file_import": ("tệp {name}, lần nhập {n}", "file {name}, import {n}"),
    "src_files": ("{n} tệp", "{n} files"),
    "src_left_out": (
        "chỉ tính các đơn vị có sổ sách; {n} đơn vị chỉ có biểu báo cáo không được tính",
        "covers only the units with registers; {n} units with only report forms left out",
    ),
    "src_some_left_out": (
        "{n} đơn vị chỉ có biểu báo cáo không được tính",
        "{n} units with only report forms left out",
    ),
    "src_forms_used": ("Biểu báo cáo đã dùng", "Report forms used"),
    "src_forms_left_out": ("Biểu báo cáo không dùng được", "Report forms that cannot be used"),
    "src_import": ("lần nhập {n}", "import {n}"),
    "definition": ("Định nghĩa", "Definition"),
    "open_list": ("Xem danh sách", "See the list"),
    "sources_note": (
        ":material/source: Thẻ chỉ số: sổ sách và biểu báo cáo (nguồn ghi trên từng thẻ). "
        "Biểu đồ, bảng chi tiết và danh sách: chỉ từ sổ sách.",
        ":material/source: KPI cards: registers and report forms (each card names its source). "
        "Charts, detail tables and lists: registers only.",
    ),
    "sources_help": (
        "Biểu báo cáo cho số tổng hợp theo đơn vị và kỳ, không có từng bản ghi: biểu đồ theo "
        "tháng, bảng theo thủ tục và danh sách việc cần làm cần bản ghi nên chỉ tính từ sổ "
        "sách. Đối chiếu hai nguồn ở trang Dữ liệu.",
        "Report forms give totals per unit and period, not records: monthly charts, tables by "
        "procedure and the action lists need records, so they come from the registers only. "
        "The two sources are reconciled on the Dữ liệu page.",
    ),
    "formula": ("Công thức", "Formula"),
    "legal_basis": ("Căn cứ", "Basis"),
    "formula_note": (
        "p.p_from, p.p_to: ngày đầu và ngày cuối của kỳ báo cáo. Công thức chạy trên kho dữ "
        "liệu sau khi áp dụng bộ lọc xã và cấp.",
        "p.p_from, p.p_to: first and last day of the period. The formula runs on the warehouse "
        "after the commune and level filters.",
    ),
    "district_only": (
        "Chỉ tiêu của cấp huyện: không phụ thuộc bộ lọc xã.",
        "District-level KPI: the commune filter does not apply.",
    ),
    "not_applicable": (
        "Không áp dụng cho cấp đã chọn.",
        "Does not apply to the chosen level.",
    ),
    "not_applicable_period": (
        "Không áp dụng: không có quy định nào có hiệu lực trong kỳ.",
        "Does not apply: no rule is in force in the period.",
    ),
    "target_not_in_force": (
        "Không có mục tiêu luật định cho kỳ này.",
        "No statutory target for this period.",
    ),
    "rules_applied": ("Quy định áp dụng trong kỳ", "Rules applied in the period"),
    "rule_chair_reception_days_per_month": (
        "tối thiểu {value} ngày/tháng",
        "at least {value} day(s) a month",
    ),
    "rule_chair_reception_days_per_week": (
        "tối thiểu {value} ngày/tuần",
        "at least {value} day(s) a week",
    ),
    "rule_commune_dialogues_per_year": (
        "tối thiểu {value} hội nghị đối thoại/năm",
        "at least {value} dialogue conference(s) a year",
    ),
    "rule_deadline_days": ("thời hạn {value} ngày", "{value}-day deadline"),
    "rule_one_stop_decree": ("", ""),
    "no_rule_in_period": (
        "Không có quy định nào có hiệu lực trong kỳ.",
        "No rule is in force in the period.",
    ),
    "trend_title": ("Diễn biến theo tháng", "Monthly trend"),
    "month": ("Tháng", "Month"),
    "dossiers_chart": (
        "Hồ sơ tiếp nhận và tỷ lệ giải quyết đúng hạn",
        "Dossiers received and on-time rate",
    ),
    "dialogues_chart": ("Cuộc đối thoại và buổi tiếp công dân", "Dialogues and reception days"),
    "compare_title": ("So sánh các xã", "Commune comparison"),
    "compare_kpi": ("Chỉ tiêu so sánh", "KPI to compare"),
    "district_value": ("Toàn bộ lựa chọn", "All selected"),
    "commune": ("Xã, thị trấn", "Commune"),
    "value": ("Giá trị", "Value"),
    "pp": ("điểm %", "pp"),
}


_COMMON: dict[str, tuple[str, str]] = {
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "click_commune": (
        "Bấm vào một xã trên biểu đồ để xem riêng xã đó (bộ lọc và đường dẫn đổi theo).",
        "Click a commune in the chart to narrow the page to it (the filter and link follow).",
    ),
    "download_csv_help": (
        "Tải bảng này dạng CSV (UTF-8), đúng theo bộ lọc đang chọn.",
        "Download this table as CSV (UTF-8), exactly as filtered.",
    ),
    "download_xlsx_help": (
        "Tải bảng này dạng Excel, đúng theo bộ lọc đang chọn.",
        "Download this table as an Excel workbook, exactly as filtered.",
    ),
    "file_receptions": ("tiep-cong-dan", "receptions"),
    "file_petitions": ("don-thu", "petitions"),
    "file_procedures": ("thu-tuc-hanh-chinh", "procedures"),
    "file_staff": ("can-bo-ky-cuong", "staff"),
    "file_all_communes": ("toan-huyen", "all-communes"),
    "file_n_communes": ("{n}-xa", "{n}-communes"),
    "file_level": ("cap-{level}", "level-{level}"),
    "file_units_today": ("don-vi-hien-nay", "todays-units"),
    "file_sheet_filters": ("Bộ lọc", "Filters"),
    "file_table": ("Bảng", "Table"),
    "file_created": ("Ngày tạo", "Created"),
    "unit_petitions": ("đơn", "petitions"),
    "unit_open_petitions": ("Đơn chưa giải quyết", "Open petitions"),
    "unit_open_dossiers": ("Hồ sơ chưa trả kết quả", "Open dossiers"),
    "unit_dossiers": ("hồ sơ", "dossiers"),
    "unit_days": ("Ngày", "Days"),
}

_COLUMNS: dict[str, tuple[str, str]] = {
    "col_commune": ("Xã, thị trấn", "Commune"),
    "col_commune_code": ("Mã xã", "Commune code"),
    "col_month": ("Tháng", "Month"),
    "col_year": ("Năm", "Year"),
    "col_total": ("Tổng", "Total"),
    "col_share": ("Tỷ trọng", "Share"),
    "col_channel": ("Kênh tiếp nhận", "Channel"),
    "col_level": ("Cấp xử lý", "Level"),
    # receptions and dialogues
    "col_reception_days": ("Buổi tiếp", "Reception days"),
    "col_citizens": ("Lượt công dân", "Citizens"),
    "col_cases": ("Vụ việc", "Cases"),
    "col_large_groups": ("Đoàn đông người", "Large groups"),
    "col_reception_kind": ("Hình thức tiếp", "Kind of reception"),
    "col_reception_host": ("Người chủ trì", "Host"),
    "col_chair_days": ("Số ngày Chủ tịch tiếp định kỳ", "Chairman's scheduled reception days"),
    "col_minimum": ("Tối thiểu theo luật", "Legal minimum"),
    "col_meets": ("Đạt", "Met"),
    "col_weeks": ("Số tuần", "Weeks"),
    "col_weeks_met": ("Tuần đạt", "Weeks met"),
    "col_weeks_missed": ("Tuần chưa đạt", "Weeks missed"),
    "col_weeks_met_rate": ("Tỷ lệ tuần đạt", "Share of weeks met"),
    "col_dialogues": ("Cuộc đối thoại", "Dialogues"),
    "col_attendees": ("Lượt người dự", "Attendees"),
    "col_opinions": ("Lượt ý kiến", "Opinions"),
    "col_answered": ("Ý kiến đã trả lời", "Opinions answered"),
    "col_answered_rate": ("Tỷ lệ ý kiến được trả lời", "Share of opinions answered"),
    "col_attendees_per_dialogue": ("Người dự bình quân/cuộc", "Attendees per dialogue"),
    "col_opinions_per_dialogue": ("Ý kiến bình quân/cuộc", "Opinions per dialogue"),
    "col_held_commune_dialogue": (
        "Đã tổ chức đối thoại cấp xã",
        "Held a commune dialogue",
    ),
    # petitions
    "col_petition_id": ("Mã đơn", "Petition ID"),
    "col_petition_kind": ("Loại đơn", "Kind"),
    "col_field": ("Lĩnh vực", "Field"),
    "col_received": ("Tiếp nhận", "Received"),
    "col_active": ("Đủ điều kiện, thuộc thẩm quyền", "Eligible, within competence"),
    "col_resolved": ("Đã giải quyết", "Resolved"),
    "col_resolution_rate": ("Tỷ lệ giải quyết", "Resolution rate"),
    "col_on_time": ("Giải quyết đúng hạn", "Resolved on time"),
    "col_with_due_resolved": ("Giải quyết trong kỳ có hạn", "Resolved with a deadline"),
    "col_on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "col_overdue_open": ("Quá hạn chưa giải quyết", "Overdue, open"),
    "col_deadline_bucket": ("Thời hạn giải quyết", "Deadline"),
    "col_received_date": ("Ngày nhận", "Received"),
    "col_value": ("Giá trị", "Value"),
    "col_id": ("Mã", "ID"),
    "col_days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "col_accepted_date": ("Ngày thụ lý", "Accepted"),
    "col_due_date": ("Hạn giải quyết", "Due"),
    "col_resolved_date": ("Ngày giải quyết", "Resolved"),
    "col_complex": ("Phức tạp", "Complex"),
    "col_prolonged": ("Tồn đọng kéo dài", "Prolonged"),
    "col_status": ("Tình trạng (cuối kỳ)", "Status (at period end)"),
    "col_days_open": ("Số ngày từ khi nhận", "Days since received"),
    "col_days_late": ("Số ngày quá hạn", "Days late"),
    # dossiers and procedures
    "col_late": ("Trễ hạn", "Late"),
    "col_late_without_apology": ("Trễ hạn không có phiếu xin lỗi", "Late without apology slip"),
    "col_apology_rate": ("Tỷ lệ có phiếu xin lỗi", "Share with apology slip"),
    "col_avg_days": ("Số ngày giải quyết bình quân", "Average days taken"),
    "col_avg_committed": ("Thời hạn cam kết bình quân", "Average committed days"),
    "col_avg_statutory": ("Thời hạn luật định bình quân", "Average statutory days"),
    "col_early_share": ("Tỷ lệ trước hạn", "Early share"),
    "col_on_due_date_share": ("Tỷ lệ đúng ngày hẹn", "On-the-date share"),
    "col_late_share": ("Tỷ lệ trễ hạn", "Late share"),
    "col_procedure_code": ("Mã thủ tục", "Procedure code"),
    "col_procedure_name": ("Tên thủ tục", "Procedure"),
    "col_procedure_level": ("Cấp thẩm quyền", "Level"),
    "col_committed_days": ("Thời hạn cam kết (ngày)", "Committed days"),
    "col_statutory_days": ("Thời hạn luật định (ngày)", "Statutory days"),
    "col_agency_code": ("Mã cơ quan", "Agency code"),
    "col_agency_name": ("Cơ quan, đơn vị", "Agency"),
    "col_agency_kind": ("Loại cơ quan", "Kind of agency"),
    "col_procedures": ("Số TTHC", "Procedures"),
    "col_procedures_cut": ("Cắt giảm thời gian", "Time cut"),
    "col_at_one_stop": ("Tại Bộ phận một cửa", "At the one-stop desk"),
    "col_one_stop_since": ("Áp dụng một cửa từ ngày", "One-stop since"),
    "col_one_stop_applies": ("Đã áp dụng đến cuối kỳ", "Applied by period end"),
    # staff and inspections
    "col_sector": ("Khối", "Sector"),
    "col_rated": ("Số được đánh giá", "Rated"),
    "col_good_or_better_rate": ("Tỷ lệ hoàn thành tốt trở lên", "Good or better"),
    "col_previous_rate": ("Kỳ trước", "Previous period"),
    "col_change_pp": ("Thay đổi (điểm %)", "Change (pp)"),
    "col_inspections": ("Cuộc kiểm tra", "Inspections"),
    "col_planned": ("Theo kế hoạch", "Planned"),
    "col_surprise": ("Đột xuất", "Surprise"),
    "col_violations": ("Vi phạm phát hiện", "Violations found"),
    "col_violations_fixed": ("Vi phạm đã khắc phục", "Violations fixed"),
    "col_fixed_rate": ("Tỷ lệ khắc phục", "Share fixed"),
    "col_unit_kind": ("Đối tượng", "Unit type"),
    "col_unit_code": ("Mã đơn vị", "Unit code"),
    "col_unit_name": ("Đơn vị được kiểm tra", "Unit inspected"),
}

_TABLES: dict[str, tuple[str, str]] = {
    # Short titles: they head the Excel sheet and, slugged, name the file after the page.
    "tbl_receptions_by_kind": ("Theo hình thức", "By kind"),
    "tbl_receptions_by_host": ("Theo người chủ trì", "By host"),
    "tbl_receptions_by_commune": ("Theo xã", "By commune"),
    "tbl_tinh_cadence": ("Lịch tiếp Chủ tịch tỉnh", "Provincial chair cadence"),
    "tbl_huyen_cadence": ("Lịch tiếp Chủ tịch huyện", "District chair cadence"),
    "tbl_commune_cadence": ("Lịch tiếp Chủ tịch xã", "Commune chair cadence"),
    "tbl_dialogues_by_commune": ("Đối thoại theo xã", "Dialogues by commune"),
    "tbl_funnel": ("Các bước xử lý", "Funnel"),
    "tbl_ageing": ("Thời hạn giải quyết", "Deadline ageing"),
    "tbl_petitions_by_commune": ("Theo xã", "By commune"),
    "tbl_petitions_by_field": ("Theo lĩnh vực", "By field"),
    "tbl_outcomes": ("Kết quả giải quyết", "Outcomes"),
    "tbl_prolonged": ("Vụ việc kéo dài", "Prolonged cases"),
    "tbl_cases_open": ("Vụ việc đang giải quyết", "Cases open"),
    "tbl_cases_overdue": ("Vụ việc quá hạn", "Cases overdue"),
    "tbl_cases_received": ("Vụ việc tiếp nhận", "Cases received"),
    "tbl_cases_resolved": ("Vụ việc đã giải quyết", "Cases resolved"),
    "tbl_cases_prolonged": ("Vụ việc kéo dài", "Cases prolonged"),
    "tbl_dossiers_by_month": ("Hồ sơ theo tháng", "Dossiers by month"),
    "tbl_worst_procedures": ("Thủ tục đúng hạn thấp", "Worst procedures"),
    "tbl_worst_agencies": ("Cơ quan đúng hạn thấp", "Worst agencies"),
    "tbl_no_apology": ("Trễ hạn không xin lỗi", "Late without apology"),
    "tbl_processing_times": ("Thời gian giải quyết", "Processing times"),
    "tbl_catalogue": ("Danh mục TTHC", "Catalogue"),
    "tbl_one_stop": ("Xã một cửa", "One-stop communes"),
    "tbl_ratings_by_sector": ("Xếp loại theo khối", "Ratings by sector"),
    "tbl_ratings_by_year": ("Xếp loại theo năm", "Ratings by year"),
    "tbl_ratings_by_agency": ("Xếp loại theo cơ quan", "Ratings by agency"),
    "tbl_inspections_by_month": ("Kiểm tra theo tháng", "Inspections by month"),
    "tbl_inspections_by_unit": ("Kiểm tra theo đơn vị", "Inspections by unit"),
}

_CODES: dict[str, tuple[str, str]] = {
    "reception_kind_dinh_ky": ("Định kỳ", "Scheduled"),
    "reception_kind_dot_xuat": ("Đột xuất", "Ad hoc"),
    "reception_kind_thuong_xuyen": ("Thường xuyên (Ban tiếp công dân)", "Regular desk"),
    "reception_host_chu_tich": ("Chủ tịch", "Chairman"),
    "reception_host_pho_chu_tich": ("Phó Chủ tịch", "Vice-chairman"),
    "reception_host_uy_quyen": ("Người được ủy quyền", "Delegate"),
    "reception_host_ban_tiep_cong_dan": ("Ban Tiếp công dân", "Reception office"),
    "petition_kind_khieu_nai": ("Khiếu nại", "Complaints"),
    "petition_kind_to_cao": ("Tố cáo", "Denunciations"),
    "petition_kind_kien_nghi_phan_anh": ("Kiến nghị, phản ánh", "Requests & feedback"),
    "petition_kind_total": ("Tổng", "Total"),
    "petition_field_dat_dai": ("Đất đai", "Land"),
    "petition_field_chinh_sach": ("Chế độ, chính sách", "Social policy"),
    "petition_field_moi_truong": ("Môi trường", "Environment"),
    "petition_field_tu_phap": ("Tư pháp", "Justice"),
    "petition_field_khac": ("Khác", "Other"),
    "outcome_dung": ("Đúng", "Justified"),
    "outcome_dung_mot_phan": ("Đúng một phần", "Partly justified"),
    "outcome_sai": ("Sai", "Unjustified"),
    "stage_received": ("Tiếp nhận", "Received"),
    "stage_eligible": ("Đủ điều kiện xử lý", "Eligible"),
    "stage_in_jurisdiction": ("Thuộc thẩm quyền", "Within competence"),
    "stage_accepted": ("Đã thụ lý", "Accepted"),
    "stage_resolved": ("Đã giải quyết", "Resolved"),
    "bucket_within": ("Còn hạn (trên {n} ngày)", "Within deadline (over {n} days left)"),
    "bucket_due_soon": ("Đến hạn trong {n} ngày", "Due within {n} days"),
    "bucket_late_range": ("Quá hạn {low}–{high} ngày", "Overdue {low}–{high} days"),
    "bucket_late_over": ("Quá hạn trên {n} ngày", "Overdue over {n} days"),
    "bucket_no_deadline": ("Không có hạn luật định", "No legal deadline"),
    "case_status_not_eligible": ("Không đủ điều kiện xử lý", "Not eligible"),
    "case_status_not_in_jurisdiction": ("Không thuộc thẩm quyền", "Not within competence"),
    "case_status_withdrawn": ("Đã rút đơn", "Withdrawn"),
    "case_status_resolved": ("Đã giải quyết", "Resolved"),
    "case_status_resolved_on_time": ("Đã giải quyết đúng hạn", "Resolved on time"),
    "case_status_resolved_late": ("Đã giải quyết quá hạn", "Resolved late"),
    "case_status_open_no_deadline": ("Đang giải quyết (không có hạn)", "Open, no deadline"),
    "case_status_open_overdue": ("Quá hạn, chưa giải quyết", "Open, overdue"),
    "case_status_open_in_time": ("Đang giải quyết, còn hạn", "Open, within deadline"),
    "case_view_open": ("Đơn đang giải quyết tại cuối kỳ", "Open at the period end"),
    "case_view_overdue": ("Đơn quá hạn chưa giải quyết", "Overdue and open"),
    "case_view_received": ("Đơn tiếp nhận trong kỳ", "Received in the period"),
    "case_view_resolved": ("Đơn giải quyết trong kỳ", "Resolved in the period"),
    "case_view_prolonged": ("Vụ việc phức tạp, tồn đọng kéo dài", "Prolonged complex cases"),
    "channel_truc_tiep": ("Trực tiếp", "In person"),
    "channel_truc_tuyen": ("Trực tuyến", "Online"),
    "channel_buu_chinh": ("Bưu chính công ích", "Public postal"),
    "share_early": ("Trước hạn", "Early"),
    "share_on_due_date": ("Đúng ngày hẹn", "On the promised date"),
    "share_late": ("Trễ hạn", "Late"),
    "online_khong": ("Chưa có DVC trực tuyến", "No online service"),
    "online_mot_phan": ("DVC trực tuyến một phần", "Online, partial"),
    "online_toan_trinh": ("DVC trực tuyến toàn trình", "Online, end-to-end"),
    "procedure_level_tinh": ("Cấp tỉnh", "Province"),
    "procedure_level_huyen": ("Cấp huyện", "District"),
    "procedure_level_xa": ("Cấp xã", "Commune"),
    "procedure_level_nganh_doc": ("Ngành dọc (tại một cửa huyện)", "Vertical branch"),
    "sector_hanh_chinh": ("Hành chính", "Administrative"),
    "sector_su_nghiep": ("Sự nghiệp", "Public service"),
    "rating_excellent": ("Hoàn thành xuất sắc", "Excellent"),
    "rating_good": ("Hoàn thành tốt", "Good"),
    "rating_completed": ("Hoàn thành", "Completed"),
    "rating_not_completed": ("Không hoàn thành", "Not completed"),
    "agency_kind_chuyen_mon": ("Cơ quan chuyên môn", "Specialised office"),
    "agency_kind_nganh_doc": ("Đơn vị ngành dọc", "Vertical branch"),
    "agency_kind_su_nghiep": ("Đơn vị sự nghiệp", "Public service unit"),
    "agency_kind_ubnd_xa": ("UBND xã, thị trấn", "Commune committee"),
    "unit_kind_xa": ("Xã, thị trấn", "Commune"),
    "unit_kind_co_quan": ("Cơ quan, đơn vị", "Agency"),
}

_RECEPTIONS: dict[str, tuple[str, str]] = {
    "tab_figures": ("Chỉ số", "Figures"),
    "tab_receptions": ("Tiếp công dân", "Receptions"),
    "tab_cadence": ("Lịch tiếp định kỳ", "Cadence"),
    "tab_dialogues": ("Đối thoại", "Dialogues"),
    "tab_funnel": ("Xử lý đơn", "Handling"),
    "tab_ageing": ("Thời hạn", "Deadlines"),
    "tab_communes": ("Theo xã", "By commune"),
    "tab_cases": ("Vụ việc", "Cases"),
    "tab_months": ("Theo tháng", "By month"),
    "tab_worst": ("Thủ tục, cơ quan", "Procedures, agencies"),
    "tab_catalogue": ("Danh mục", "Catalogue"),
    "tab_ratings": ("Đánh giá", "Ratings"),
    "tab_inspections": ("Kiểm tra", "Inspections"),
    "rc_receptions": ("Tiếp công dân", "Citizen receptions"),
    "rc_days_by_month_kind": (
        "Buổi tiếp công dân theo tháng và hình thức",
        "Reception days by month and kind",
    ),
    "rc_citizens_by_month": (
        "Lượt công dân và vụ việc theo tháng",
        "Citizens and cases by month",
    ),
    "rc_by_kind_host": ("Theo hình thức và người chủ trì", "By kind and host"),
    "rc_by_commune": ("So sánh các xã", "Communes compared"),
    "rc_district_rows_note": (
        "Bảng theo xã chỉ gồm buổi tiếp gắn với một xã; buổi tiếp của huyện không ghi xã "
        "không có trong bảng này.",
        "The commune table holds only reception days tied to a commune; district days "
        "without a commune are not in it.",
    ),
    "rc_cadence": ("Lịch tiếp công dân theo luật", "Legal reception cadence"),
    "rc_tinh_grid": (
        "Chủ tịch UBND tỉnh: số ngày tiếp công dân định kỳ mỗi tháng",
        "Provincial chairman: scheduled reception days each month",
    ),
    "rc_tinh_grid_title": (
        "Số ngày Chủ tịch tỉnh tiếp công dân định kỳ / tối thiểu theo luật, theo tháng",
        "Days the provincial chairman held scheduled receptions / legal minimum, by month",
    ),
    "rc_tinh_chair": ("Chủ tịch tỉnh", "Provincial chairman"),
    "rc_huyen_grid": (
        "Chủ tịch UBND huyện: số ngày tiếp công dân định kỳ mỗi tháng",
        "District chairman: scheduled reception days each month",
    ),
    "rc_huyen_grid_title": (
        "Số ngày Chủ tịch huyện tiếp công dân định kỳ / tối thiểu theo luật, theo tháng",
        "Days the district chairman held scheduled receptions / legal minimum, by month",
    ),
    "rc_huyen_chair": ("Chủ tịch huyện", "District chairman"),
    "rc_upper_cell": (
        "{month}: {days} ngày tiếp (tối thiểu {n}) · {status}",
        "{month}: {days} reception days (minimum {n}) · {status}",
    ),
    "rc_months_below": (
        "{n}/{total} tháng chưa đủ số ngày tiếp tối thiểu: {months}.",
        "{n} of {total} months below the minimum: {months}.",
    ),
    "rc_all_months_meet": (
        "Tất cả các tháng đều đủ số ngày tiếp tối thiểu.",
        "Every month meets the minimum.",
    ),
    "rc_commune_grid": (
        "Chủ tịch UBND xã: số ngày tiếp công dân định kỳ mỗi tuần",
        "Commune chairmen: scheduled reception days each week",
    ),
    "rc_commune_grid_title": (
        "Chủ tịch xã tiếp công dân định kỳ: xã × thời gian",
        "Commune chairmen's scheduled receptions: commune × time",
    ),
    "rc_grid_view": ("Xem theo", "Show by"),
    "rc_grid_month": ("Tháng (số tuần đạt/số tuần)", "Month (weeks met / weeks)"),
    "rc_grid_week": ("Tuần (số ngày tiếp)", "Week (reception days)"),
    "rc_commune_month_cell": (
        "{commune} · {month}: {met}/{weeks} tuần có Chủ tịch tiếp định kỳ",
        "{commune} · {month}: {met} of {weeks} weeks with the chairman's reception",
    ),
    "rc_commune_week_cell": (
        "{commune} · tuần từ {week}: {days} ngày tiếp (tối thiểu {n}) · {status}",
        "{commune} · week of {week}: {days} reception days (minimum {n}) · {status}",
    ),
    "rc_communes_below": (
        "{n}/{total} xã có tuần Chủ tịch xã không tiếp công dân định kỳ đủ số ngày luật định: "
        "{communes}.",
        "{n} of {total} communes have weeks below the chairman's statutory reception days: "
        "{communes}.",
    ),
    "rc_commune_missed": ("{commune}: {weeks} tuần", "{commune}: {weeks} weeks"),
    "rc_dialogues": ("Tiếp xúc, đối thoại", "Dialogues"),
    "rc_no_dialogue": (
        "{n} xã chưa tổ chức đối thoại cấp xã trong kỳ: {communes}.",
        "{n} communes held no commune dialogue in the period: {communes}.",
    ),
    "rc_per_dialogue_title": (
        "Người dự và ý kiến bình quân mỗi cuộc đối thoại, theo xã",
        "Attendees and opinions per dialogue, by commune",
    ),
    "rc_per_dialogue_axis": ("Bình quân mỗi cuộc", "Per dialogue"),
    "rc_dialogues_n": ("({n} cuộc)", "({n} dialogues)"),
}

_PETITIONS: dict[str, tuple[str, str]] = {
    "pt_funnel": ("Các bước xử lý đơn", "From receipt to resolution"),
    "pt_funnel_title": (
        "Đơn tiếp nhận trong kỳ qua từng bước xử lý, theo loại đơn",
        "Petitions received in the period at each stage, by kind",
    ),
    "pt_funnel_note": (
        "Trên các đơn tiếp nhận trong kỳ. “Thuộc thẩm quyền” không tính đơn đã rút; "
        "thụ lý và giải quyết tính đến cuối kỳ.",
        "Over petitions received in the period. “Within competence” leaves out withdrawn "
        "ones; accepted and resolved count up to the period end.",
    ),
    "pt_ageing": (
        "Đơn chưa giải quyết theo thời hạn, đến {date}",
        "Open petitions by deadline, as of {date}",
    ),
    "pt_ageing_title": (
        "Đơn đang giải quyết theo thời hạn luật định, đến {date}",
        "Open petitions by legal deadline, as of {date}",
    ),
    "pt_ageing_note": (
        "{n} đơn đã quá hạn giải quyết. Hạn tính theo luật từ ngày thụ lý.",
        "{n} petitions are past their deadline. Deadlines run from acceptance, by law.",
    ),
    "pt_no_open": (
        "Không có đơn nào đang giải quyết tại cuối kỳ.",
        "No petition is open at the period end.",
    ),
    "pt_rates": ("Tỷ lệ giải quyết theo xã và lĩnh vực", "Resolution by commune and field"),
    "pt_by_field": ("Theo lĩnh vực", "By field"),
    "pt_outcomes": ("Kết quả giải quyết", "Outcomes"),
    "pt_outcomes_title": (
        "Kết quả giải quyết khiếu nại, tố cáo trong kỳ",
        "Outcomes of complaints and denunciations resolved in the period",
    ),
    "pt_outcomes_note": (
        "Đơn giải quyết trong kỳ có ghi kết quả; kiến nghị, phản ánh không có kết luận đúng/sai.",
        "Petitions resolved in the period with a recorded outcome; requests and feedback "
        "have no justified/unjustified finding.",
    ),
    "pt_prolonged": ("Vụ việc phức tạp, tồn đọng kéo dài", "Prolonged complex cases"),
    "pt_prolonged_line": (
        "Đã giải quyết **{resolved}/{total}** vụ việc ({rate}) tính đến {date}.",
        "**{resolved} of {total}** cases resolved ({rate}) as of {date}.",
    ),
    "pt_no_prolonged": (
        "Không có vụ việc phức tạp, tồn đọng kéo dài nào.",
        "There are no prolonged complex cases.",
    ),
    "pt_cases": ("Danh sách vụ việc", "Case list"),
    "pt_case_view": ("Danh sách", "List"),
    "pt_cases_count": (
        "{n} đơn; tình trạng và số ngày tính đến {date}, đơn quá hạn lâu nhất lên đầu.",
        "{n} petitions; status and days as of {date}, longest overdue first.",
    ),
    "pt_cases_capped": (
        "Chỉ hiển thị và tải về {n} đơn đầu tiên.",
        "Only the first {n} are shown and downloaded.",
    ),
    "pt_no_personal_data": (
        "Kho dữ liệu không lưu thông tin cá nhân của người gửi đơn.",
        "The warehouse holds no personal data of petitioners.",
    ),
    "pt_no_cases": ("Không có đơn nào trong danh sách này.", "No petition in this list."),
}

_PROCEDURES: dict[str, tuple[str, str]] = {
    "pr_dossiers": ("Hồ sơ thủ tục hành chính", "Dossiers"),
    "pr_month_title": (
        "Hồ sơ tiếp nhận, đã giải quyết và tỷ lệ đúng hạn theo tháng",
        "Dossiers received, resolved and on-time rate by month",
    ),
    "pr_shares_title": (
        "Hồ sơ giải quyết trước hạn, đúng ngày hẹn, trễ hạn theo tháng",
        "Dossiers resolved early, on the date, late, by month",
    ),
    "pr_open": ("Hồ sơ chưa trả kết quả, đến {date}", "Open dossiers as of {date}"),
    "pr_ageing_title": (
        "Hồ sơ chưa trả kết quả theo ngày hẹn trả, đến {date}",
        "Open dossiers by promised date, as of {date}",
    ),
    "pr_no_open": (
        "Không có hồ sơ nào chưa trả kết quả tại cuối kỳ.",
        "No dossier is open at the period end.",
    ),
    "pr_channels": ("Kênh tiếp nhận", "Channels"),
    "pr_channels_title": (
        "Hồ sơ tiếp nhận trong kỳ theo kênh",
        "Dossiers received in the period by channel",
    ),
    "pr_by_commune": ("So sánh các xã", "Communes compared"),
    "pr_worst": ("Thủ tục và cơ quan có tỷ lệ đúng hạn thấp", "Lowest on-time rates"),
    "pr_min_volume": ("Số hồ sơ giải quyết tối thiểu để xếp hạng", "Minimum dossiers to rank"),
    "pr_min_volume_help": (
        "Chỉ xếp hạng thủ tục, cơ quan có ít nhất chừng này hồ sơ giải quyết trong kỳ, để một "
        "hồ sơ trễ của thủ tục hiếm gặp không đứng đầu danh sách.",
        "Only procedures and agencies with at least this many dossiers resolved in the period "
        "are ranked, so one late dossier of a rare procedure does not top the list.",
    ),
    "pr_worst_procedures": (
        "Thủ tục có tỷ lệ đúng hạn thấp nhất (từ {n} hồ sơ)",
        "Procedures with the lowest on-time rate ({n}+ dossiers)",
    ),
    "pr_worst_agencies": (
        "Cơ quan có tỷ lệ đúng hạn thấp nhất (từ {n} hồ sơ)",
        "Agencies with the lowest on-time rate ({n}+ dossiers)",
    ),
    "pr_none_with_volume": (
        "Không có thủ tục hay cơ quan nào đủ số hồ sơ tối thiểu.",
        "No procedure or agency has the minimum number of dossiers.",
    ),
    "pr_no_agency": (
        "Không ghi cơ quan (chủ yếu TTHC cấp xã)",
        "No agency recorded (mostly commune procedures)",
    ),
    "pr_no_apology": (
        "Hồ sơ trễ hạn không có phiếu xin lỗi, theo cơ quan",
        "Late dossiers without an apology slip, by agency",
    ),
    "pr_all_apologised": (
        "Mọi hồ sơ trễ hạn trong kỳ đều có phiếu xin lỗi.",
        "Every late dossier in the period had an apology slip.",
    ),
    "pr_times": ("Thời gian giải quyết so với thời hạn", "Processing time against deadlines"),
    "pr_times_title": (
        "Số ngày giải quyết bình quân so với thời hạn cam kết và luật định",
        "Average days taken against committed and statutory times",
    ),
    "pr_times_note": (
        "Bình quân trên hồ sơ giải quyết trong kỳ; thời hạn của mỗi thủ tục được tính theo số "
        "hồ sơ của thủ tục đó. Số ngày là ngày lịch từ tiếp nhận đến trả kết quả.",
        "Averages over dossiers resolved in the period, each procedure's times weighted by "
        "its dossiers. Days are calendar days from reception to result.",
    ),
    "pr_catalogue": ("Danh mục thủ tục và cơ chế một cửa", "Catalogue and one-stop desk"),
    "pr_catalogue_note": (
        "Danh mục không phụ thuộc kỳ báo cáo và bộ lọc xã; bộ lọc cấp vẫn áp dụng.",
        "The catalogue does not depend on the period or the commune filter; the level filter "
        "applies.",
    ),
    "pr_one_stop": ("Xã áp dụng cơ chế một cửa", "Communes applying the one-stop mechanism"),
}

_STAFF: dict[str, tuple[str, str]] = {
    "st_ratings": ("Đánh giá, xếp loại CB-CCVC", "Staff ratings"),
    "st_rating_years": ("Năm đánh giá trong kỳ: {years}", "Rating years in the period: {years}"),
    "st_sector_title": (
        "Cơ cấu xếp loại theo khối",
        "Rating mix by sector",
    ),
    "st_by_agency": ("Theo cơ quan, đơn vị", "By agency"),
    "st_agency_title": (
        "Tỷ lệ hoàn thành tốt trở lên theo cơ quan, so với kỳ trước",
        "Share rated good or better by agency, against the previous period",
    ),
    "st_by_commune": ("Theo xã", "By commune"),
    "st_by_commune_note": (
        "Theo xã của cơ quan được đánh giá (UBND xã và đơn vị đóng trên địa bàn xã).",
        "By the commune of the rated agency (commune committees and units based there).",
    ),
    "st_inspections": ("Kiểm tra công vụ", "Discipline inspections"),
    "st_month_title": (
        "Cuộc kiểm tra theo kế hoạch và đột xuất, theo tháng",
        "Planned and surprise inspections by month",
    ),
    "st_violations_title": (
        "Vi phạm phát hiện và đã khắc phục, theo tháng kiểm tra",
        "Violations found and fixed, by month of inspection",
    ),
    "st_by_unit": ("Theo đơn vị được kiểm tra", "By unit inspected"),
    "st_commune_units_title": (
        "Cuộc kiểm tra tại các xã",
        "Inspections of communes",
    ),
}

_PAGE_WORDS: dict[str, tuple[str, str]] = {
    **_COMMON,
    **_COLUMNS,
    **_TABLES,
    **_CODES,
    **_RECEPTIONS,
    **_PETITIONS,
    **_PROCEDURES,
    **_STAFF,
}

_DATA_PAGE: dict[str, tuple[str, str]] = {
    "dp_scoped_totals": (
        "Số dòng của cả kho và nhật ký nhập chỉ hiện cho tài khoản xem toàn bộ đơn vị.",
        "Whole-warehouse counts and the import log show only to accounts that see every unit.",
    ),
    "dp_title": ("Dữ liệu", "Data"),
    "dp_intro": (
        "Nhập sổ sách từ Excel hoặc CSV theo mẫu, xem lỗi chi tiết trước khi nhập, và theo dõi "
        "mức độ đầy đủ của dữ liệu.",
        "Load registers from Excel or CSV in the template format, see every fault before "
        "anything is written, and check how complete the data is.",
    ),
    "dp_tab_import": ("Nhập dữ liệu", "Import"),
    "dp_tab_coverage": ("Mức độ đầy đủ", "Coverage"),
    "dp_tab_log": ("Nhật ký nhập", "Import log"),
    "dp_template": ("Tải mẫu nhập liệu (.xlsx)", "Download the import template (.xlsx)"),
    "dp_template_help": (
        "Mỗi trang tính là một bảng; có danh sách chọn, định dạng ngày và hướng dẫn.",
        "One sheet per table, with drop-down lists, date cells and instructions.",
    ),
    "dp_limits": (
        "Nhận tệp .xlsx (trang tính mang tên bảng) và <bảng>.csv (UTF-8). Giới hạn: {mb} MB "
        "mỗi tệp, {rows} dòng mỗi bảng. Cột dữ liệu cá nhân (họ tên, CCCD, điện thoại, địa "
        "chỉ, email) bị bỏ, không lưu.",
        "Accepts .xlsx workbooks (sheets named after tables) and <table>.csv files (UTF-8). "
        "Limits: {mb} MB per file, {rows} rows per table. Personal-data columns (names, ID "
        "numbers, phones, addresses, e-mail) are dropped, never stored.",
    ),
    "dp_upload": ("Chọn tệp để nhập (.xlsx, .csv)", "Choose files to import (.xlsx, .csv)"),
    "dp_upload_help": (
        "Kéo thả tệp vào ô bên dưới, hoặc bấm nút **Upload** (Tải lên) để chọn tệp trên máy. "
        "Có thể chọn nhiều tệp cùng lúc.",
        "Drag files onto the box below, or press **Upload** to pick them. Several files can "
        "be chosen at once.",
    ),
    "dp_upload_limit": (
        "Kéo thả tệp vào ô trên hoặc bấm **Upload** (Tải lên) · tệp .xlsx, .csv · tối đa "
        "{mb} MB mỗi tệp.",
        "Drag files onto the box above or press **Upload** · .xlsx or .csv files · up to "
        "{mb} MB per file.",
    ),
    "dp_operator": ("Người nhập", "Imported by"),
    "dp_operator_help": ("Ghi vào nhật ký nhập.", "Recorded in the import log."),
    "dp_checking": ("Đang kiểm tra tệp…", "Checking the files…"),
    "dp_faults": (
        "{n} lỗi: chưa nhập dòng nào. Sửa tệp rồi tải lên lại.",
        "{n} faults: nothing was imported. Fix the files and upload them again.",
    ),
    "dp_download_csv": ("Tải danh sách lỗi (.csv)", "Download the faults (.csv)"),
    "dp_download_xlsx": ("Tải danh sách lỗi (.xlsx)", "Download the faults (.xlsx)"),
    "dp_valid": (
        "Không có lỗi: {rows} dòng hợp lệ. Xem trước thay đổi rồi bấm xác nhận.",
        "No faults: {rows} valid rows. Review the changes, then confirm.",
    ),
    "dp_confirm": ("Xác nhận nhập vào kho dữ liệu", "Confirm the import"),
    "dp_importing": ("Đang nhập…", "Importing…"),
    "dp_imported": (
        "Đã nhập (lần nhập số {id}). Các trang hiển thị dữ liệu mới ngay.",
        "Imported (import no. {id}). Every page now shows the new data.",
    ),
    "dp_import_failed": (
        "Không nhập được; kho dữ liệu giữ nguyên.",
        "The import failed; the warehouse is unchanged.",
    ),
    "dp_notices": ("Lưu ý", "Notes"),
    "dp_upgrade": (
        "Kho dữ liệu được tạo theo hợp đồng dữ liệu cũ; khi nhập, kho được nâng cấp lên hợp "
        "đồng v2 (bảng tỉnh/huyện, sắp xếp đơn vị, ngày nghỉ lễ; ngày hiệu lực của xã; lần "
        "giải quyết đơn thư). Các dòng đã có giữ nguyên. Thay đổi: {what}",
        "The warehouse was built under an earlier data contract; the import upgrades it to "
        "contract v2 (provinces/districts, unit successions, holidays; commune validity "
        "dates; petition round). Existing rows are kept as they are. Changes: {what}",
    ),
    "dp_dropped": (
        "Cột dữ liệu cá nhân bị bỏ, không lưu: {cols}",
        "Personal-data columns dropped, never stored: {cols}",
    ),
    "dp_col_table": ("Bảng", "Table"),
    "dp_col_rows_read": ("Dòng đọc được", "Rows read"),
    "dp_col_added": ("Thêm mới", "Added"),
    "dp_col_replaced": ("Thay thế", "Replaced"),
    "dp_col_unchanged": ("Giữ nguyên", "Unchanged"),
    "dp_col_rows": ("Số dòng", "Rows"),
    "dp_col_first": ("Từ ngày", "From"),
    "dp_col_last": ("Đến ngày", "To"),
    "dp_col_last_import": ("Lần nhập gần nhất", "Last import"),
    "dp_coverage_tables": ("Theo bảng", "Per table"),
    "dp_not_present": (
        "Chưa có trong kho (kho tạo theo hợp đồng dữ liệu cũ): {tables}. Lần nhập tới sẽ tự "
        "thêm các bảng này.",
        "Not in the warehouse yet (built under an earlier data contract): {tables}. The next "
        "import adds them.",
    ),
    "dp_built_at": ("Kho dữ liệu tạo lúc {when}.", "Warehouse built at {when}."),
    "dp_grid_title": ("Xã × tháng: số bản ghi đã báo cáo", "Commune × month: records reported"),
    "dp_grid_help": (
        "Ô đỏ: tháng xã không có bản ghi nào trong các bảng đã chọn ({period}). Ô xám (—): "
        "tháng đơn vị chưa thành lập hoặc đã kết thúc (ngoài thời gian hiệu lực), không tính "
        "là thiếu. Bản ghi tính theo đơn vị như khi ghi nhận.",
        "Red cells: months in which the commune has no record in the chosen tables ({period}). "
        "Grey cells (—): months before the unit began or after it ended (outside its validity "
        "dates), not gaps. Records count under the unit as recorded.",
    ),
    "dp_grid_tables": ("Bảng tính vào", "Tables counted"),
    "dp_grid_empty": ("Chưa có xã nào trong kho dữ liệu.", "No commune in the warehouse yet."),
    "dp_commune": ("Xã, thị trấn", "Commune"),
    "dp_units_title": ("Đơn vị hành chính cấp xã", "Communes and their validity"),
    "dp_units_help": (
        "Thời gian hiệu lực của từng xã: bản ghi của xã phải có ngày trong khoảng này.",
        "When each commune existed: its records must be dated within these days.",
    ),
    "dp_col_code": ("Mã", "Code"),
    "dp_col_name": ("Tên", "Name"),
    "dp_col_kind": ("Loại", "Kind"),
    "dp_col_parent": ("Đơn vị cấp trên", "Unit above"),
    "dp_col_validity": ("Thời gian hiệu lực", "Valid"),
    "dp_col_successor": ("Sáp nhập vào", "Merged into"),
    "dp_always": ("không giới hạn", "open"),
    "dp_log_empty": ("Chưa có lần nhập nào.", "No import yet."),
    "dp_log_id": ("Số", "No."),
    "dp_log_when": ("Thời gian", "When"),
    "dp_log_who": ("Người nhập", "By"),
    "dp_log_files": ("Tệp", "Files"),
    "dp_log_detail": ("Chi tiết theo bảng", "Per table"),
    "dp_profile": ("Loại tệp", "Kind of file"),
    "dp_profile_template": (
        "Mẫu nhập liệu (trang tính mang tên bảng)",
        "Import template (sheets named after tables)",
    ),
    "dp_profile_auto": ("Tự nhận biết tệp của cơ quan", "Recognise the office's file"),
    "dp_profile_help": (
        "Tệp của cơ quan (danh sách hồ sơ một cửa, sổ tiếp công dân, biểu báo cáo, chỉ số "
        "766) được đọc theo bố cục của chính nó và chuyển thành các dòng theo mẫu.",
        "An office's own file (one-stop export, reception register, report form, 766 index) "
        "is read in its own layout and turned into template rows.",
    ),
    "dp_profile_unknown": (
        "{file}: không nhận ra loại tệp; hãy chọn loại tệp ở trên.",
        "{file}: the kind of file was not recognised; choose it above.",
    ),
    "dp_profile_read": ("{file}: đọc theo «{profile}»", "{file}: read as «{profile}»"),
    "dp_profile_rows": ("{table}: {n} dòng", "{table}: {n} rows"),
    "dp_profile_import": ("Nhập các tệp này", "Import these files"),
    "dp_profile_imported": (
        "Đã nhập (lần nhập số {n}).",
        "Imported (import no. {n}).",
    ),
    "dp_profile_pending": (
        "Sửa các lỗi trên rồi tải tệp lên lại; không có gì được nhập khi còn lỗi.",
        "Fix the faults above and upload the files again; nothing is imported while any remains.",
    ),
    "dp_profile_csv": ("Tải {table}.csv", "Download {table}.csv"),
    "dp_profile_aliases": (
        "Tải danh sách tên thủ tục cần khai (procedure_aliases.csv)",
        "Download the procedure names to map (procedure_aliases.csv)",
    ),
}


STRINGS: dict[str, tuple[str, str]] = {**_FRAME, **_PAGE_WORDS, **_DATA_PAGE}


def level_name(code: str | None, lang: str = "vi") -> str:
    """A level of government by its name in the levels data; `all` (or None) is every level."""
    from data.reference import level

    if code in (None, "all"):
        return t("level_all", lang)
    try:
        return level(code).name(lang)
    except KeyError:
        return code


def has_text(key: str) -> bool:
    return key in STRINGS


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The word for `key` in `lang` (Vietnamese unless English), filled with `kwargs`."""
    vi, en = STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


def pick(vi: str, en: str, lang: str) -> str:
    """One of a pair held in data (area names, data labels): English only when asked."""
    return en if lang == "en" else vi

"""User-interface words in Vietnamese and English. KPI labels live with the KPIs."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
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
    "no_data_period": (
        "Không có dữ liệu cho bộ lọc này.",
        "There are no data for these filters.",
    ),
    "target": ("Mục tiêu", "Target"),
    "meets": ("Đạt", "Meets"),
    "below": ("Chưa đạt", "Below"),
    "no_target": ("Không có mục tiêu luật định", "No statutory target"),
    "vs_previous": ("so với kỳ trước", "vs previous period"),
    "definition": ("Định nghĩa", "Definition"),
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


def level_name(code: str | None, lang: str = "vi") -> str:
    """A level of government by its name in the levels data; `all` (or None) is every level."""
    from data.reference import level

    if code in (None, "all"):
        return t("level_all", lang)
    try:
        return level(code).name(lang)
    except KeyError:
        return code


def _all() -> dict[str, tuple[str, str]]:
    # Page-specific words live beside the frame's, in their own module, to keep each short.
    from views.i18n_pages import PAGE_STRINGS

    return {**STRINGS, **PAGE_STRINGS}


def has_text(key: str) -> bool:
    return key in STRINGS or key in _all()


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    vi, en = STRINGS[key] if key in STRINGS else _all()[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text

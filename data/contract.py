"""Data contract v2: every importable table, declared once (a superset of v1).

The warehouse schema, the CSV build, the Excel template, the importer and the demo
generator all read these declarations, so a column is named, typed and constrained in
exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data.reference import commune_level_code, level_codes, upper_level_codes

# Column types of the contract. Each maps to one DuckDB type.
TEXT = "text"
INT = "int"
DATE = "date"
BOOL = "bool"

SQL_TYPES = {TEXT: "VARCHAR", INT: "INTEGER", DATE: "DATE", BOOL: "BOOLEAN"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label_vi: str
    label_en: str
    required: bool = False
    enum: tuple[str, ...] = ()
    default: str | None = None  # contract spelling, e.g. "false", "0", "khac"
    default_expr: str | None = None  # SQL over other columns when the default is derived
    min_value: int | None = None
    max_value: int | None = None
    max_chars: int = 500

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Reference:
    """`columns` of this table must match `target_columns` of `target` (when not null)."""

    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A row-level rule beyond a single column. `sql` is true for a valid row.

    The expression is fixed text over the table's own columns; it never contains user
    values. `columns` names the column a fault is reported against.
    """

    sql: str
    column: str
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class Table:
    name: str
    label_vi: str
    label_en: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    rules: tuple[Rule, ...] = field(default=())
    # The record's own date: the unit it names and its level must be valid on that day.
    event_date: str | None = None
    # Where the record's level comes from when it has no `level` column of its own.
    level_from: Reference | None = None
    optional: bool = True  # a folder may leave the file out

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


# Levels of government come from data/reference/levels.csv (one definition for all).
LEVELS: tuple[str, ...] = level_codes()
UPPER_LEVELS: tuple[str, ...] = upper_level_codes()
COMMUNE_LEVEL: str = commune_level_code()
PROCEDURE_LEVELS: tuple[str, ...] = (*LEVELS, "nganh_doc")
BOOL_TRUE = ("true", "1", "có", "co", "yes", "x")
BOOL_FALSE = ("false", "0", "không", "khong", "no", "")


def _commune_ref() -> Reference:
    return Reference(("commune_code",), "communes", ("commune_code",))


def _validity_rule() -> Rule:
    return Rule(
        "valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to",
        "valid_to",
        "ngày hết hiệu lực trước ngày bắt đầu",
        "valid_to before valid_from",
    )


def _validity_columns() -> tuple[Column, Column]:
    return (
        Column("valid_from", DATE, "Có hiệu lực từ ngày", "Valid from"),
        Column("valid_to", DATE, "Có hiệu lực đến ngày", "Valid to"),
    )


def _required_when(column: str, condition: str, vi: str, en: str) -> Rule:
    return Rule(
        sql=f"NOT ({condition}) OR {column} IS NOT NULL",
        column=column,
        message_vi=f"bắt buộc khi {vi}",
        message_en=f"required when {en}",
    )


HOLIDAYS = Table(
    name="holidays",
    label_vi="Ngày nghỉ lễ, Tết",
    label_en="Public holidays",
    columns=(
        Column("holiday_date", DATE, "Ngày nghỉ", "Holiday date", required=True),
        Column("name", TEXT, "Tên ngày lễ", "Name", required=True),
        Column("source", TEXT, "Văn bản công bố", "Announced by"),
    ),
    primary_key=("holiday_date",),
)

UNITS_UPPER = Table(
    name="units_upper",
    label_vi="Tỉnh, huyện",
    label_en="Provinces and districts",
    columns=(
        Column("unit_code", TEXT, "Mã đơn vị", "Unit code", required=True, max_chars=10),
        Column("name", TEXT, "Tên đơn vị", "Name", required=True),
        Column("level", TEXT, "Cấp", "Level", required=True, enum=UPPER_LEVELS),
        Column("parent_code", TEXT, "Mã đơn vị cấp trên", "Parent code", max_chars=10),
        *_validity_columns(),
    ),
    primary_key=("unit_code",),
    rules=(_validity_rule(),),
)


def _commune_required() -> Rule:
    return _required_when(
        "commune_code",
        f"level = '{COMMUNE_LEVEL}'",
        f"cấp là {COMMUNE_LEVEL}",
        f"level is {COMMUNE_LEVEL}",
    )


COMMUNES = Table(
    name="communes",
    label_vi="Xã, phường, thị trấn, đặc khu",
    label_en="Communes",
    columns=(
        Column("commune_code", TEXT, "Mã xã", "Commune code", required=True, max_chars=10),
        Column("name", TEXT, "Tên đơn vị", "Name", required=True),
        Column(
            "kind",
            TEXT,
            "Loại",
            "Kind",
            required=True,
            enum=("xa", "thi_tran", "phuong", "dac_khu"),
        ),
        Column("remote", BOOL, "Vùng sâu, vùng xa", "Remote area", default="false"),
        Column("population", INT, "Dân số", "Population", min_value=0),
        Column("one_stop_since", DATE, "Áp dụng một cửa từ ngày", "One-stop since"),
        Column("parent_code", TEXT, "Mã đơn vị cấp trên", "Parent code", max_chars=10),
        *_validity_columns(),
    ),
    primary_key=("commune_code",),
    references=(Reference(("parent_code",), "units_upper", ("unit_code",)),),
    rules=(_validity_rule(),),
    optional=False,
)

UNIT_SUCCESSIONS = Table(
    name="unit_successions",
    label_vi="Sắp xếp đơn vị hành chính",
    label_en="Unit successions",
    columns=(
        Column("old_code", TEXT, "Mã đơn vị cũ", "Old unit code", required=True, max_chars=10),
        Column("new_code", TEXT, "Mã đơn vị mới", "New unit code", required=True, max_chars=10),
        Column("effective_date", DATE, "Ngày có hiệu lực", "Effective date", required=True),
    ),
    primary_key=("old_code", "new_code"),
    rules=(
        Rule(
            "old_code <> new_code",
            "new_code",
            "đơn vị mới trùng đơn vị cũ",
            "new unit is the old unit",
        ),
    ),
)

AGENCIES = Table(
    name="agencies",
    label_vi="Cơ quan, đơn vị",
    label_en="Agencies",
    columns=(
        Column("agency_code", TEXT, "Mã cơ quan", "Agency code", required=True, max_chars=20),
        Column("name", TEXT, "Tên cơ quan", "Name", required=True),
        Column(
            "kind",
            TEXT,
            "Loại cơ quan",
            "Kind",
            required=True,
            enum=("chuyen_mon", "nganh_doc", "su_nghiep", "ubnd_xa"),
        ),
        Column("commune_code", TEXT, "Mã xã", "Commune code", max_chars=10),
    ),
    primary_key=("agency_code",),
    references=(_commune_ref(),),
    rules=(
        _required_when("commune_code", "kind = 'ubnd_xa'", "loại là ubnd_xa", "kind is ubnd_xa"),
    ),
)

RECEPTIONS = Table(
    name="receptions",
    label_vi="Tiếp công dân",
    label_en="Citizen receptions",
    columns=(
        Column("reception_id", TEXT, "Mã buổi tiếp", "Reception ID", required=True, max_chars=40),
        Column("reception_date", DATE, "Ngày tiếp", "Reception date", required=True),
        Column("level", TEXT, "Cấp", "Level", required=True, enum=LEVELS),
        Column("commune_code", TEXT, "Mã xã", "Commune code", max_chars=10),
        Column(
            "host",
            TEXT,
            "Người chủ trì",
            "Host",
            required=True,
            enum=("chu_tich", "pho_chu_tich", "uy_quyen", "ban_tiep_cong_dan"),
        ),
        Column(
            "kind",
            TEXT,
            "Hình thức",
            "Kind",
            required=True,
            enum=("dinh_ky", "dot_xuat", "thuong_xuyen"),
        ),
        Column("citizens", INT, "Số lượt công dân", "Citizens", required=True, min_value=0),
        Column("cases", INT, "Số vụ việc", "Cases", required=True, min_value=0),
        Column(
            "large_groups",
            INT,
            "Số đoàn đông người",
            "Large groups",
            default="0",
            min_value=0,
        ),
    ),
    primary_key=("reception_id",),
    references=(_commune_ref(),),
    rules=(_commune_required(),),
    event_date="reception_date",
)

DIALOGUES = Table(
    name="dialogues",
    label_vi="Tiếp xúc, đối thoại",
    label_en="Dialogues",
    columns=(
        Column(
            "dialogue_id", TEXT, "Mã cuộc đối thoại", "Dialogue ID", required=True, max_chars=40
        ),
        Column("dialogue_date", DATE, "Ngày đối thoại", "Dialogue date", required=True),
        Column("level", TEXT, "Cấp", "Level", required=True, enum=LEVELS),
        Column("commune_code", TEXT, "Mã xã", "Commune code", max_chars=10),
        Column("attendees", INT, "Số lượt người tham dự", "Attendees", required=True, min_value=0),
        Column("opinions", INT, "Số lượt ý kiến", "Opinions", required=True, min_value=0),
        Column(
            "opinions_answered",
            INT,
            "Số ý kiến đã trả lời",
            "Opinions answered",
            default="0",
            min_value=0,
        ),
        Column("topic", TEXT, "Chủ đề", "Topic"),
    ),
    primary_key=("dialogue_id",),
    references=(_commune_ref(),),
    event_date="dialogue_date",
    rules=(
        _commune_required(),
        Rule(
            "opinions_answered <= opinions",
            "opinions_answered",
            "số ý kiến đã trả lời lớn hơn số ý kiến",
            "opinions answered exceeds opinions",
        ),
    ),
)

PETITIONS = Table(
    name="petitions",
    label_vi="Đơn thư",
    label_en="Petitions",
    columns=(
        Column("petition_id", TEXT, "Mã đơn", "Petition ID", required=True, max_chars=40),
        Column("received_date", DATE, "Ngày nhận", "Received date", required=True),
        Column("level", TEXT, "Cấp xử lý", "Level", required=True, enum=LEVELS),
        Column("commune_code", TEXT, "Mã xã", "Commune code", max_chars=10),
        Column(
            "kind",
            TEXT,
            "Loại đơn",
            "Kind",
            required=True,
            enum=("khieu_nai", "to_cao", "kien_nghi_phan_anh"),
        ),
        Column(
            "field",
            TEXT,
            "Lĩnh vực",
            "Field",
            enum=("dat_dai", "chinh_sach", "moi_truong", "tu_phap", "khac"),
            default="khac",
        ),
        Column("eligible", BOOL, "Đủ điều kiện xử lý", "Eligible", default="true"),
        Column("in_jurisdiction", BOOL, "Thuộc thẩm quyền", "In jurisdiction", default="true"),
        Column("complex", BOOL, "Phức tạp", "Complex", default="false"),
        Column("prolonged", BOOL, "Tồn đọng kéo dài", "Prolonged", default="false"),
        Column("accepted_date", DATE, "Ngày thụ lý", "Accepted date"),
        Column("due_date", DATE, "Hạn giải quyết", "Due date"),
        Column("resolved_date", DATE, "Ngày giải quyết", "Resolved date"),
        Column(
            "outcome",
            TEXT,
            "Kết quả",
            "Outcome",
            enum=("dung", "dung_mot_phan", "sai"),
        ),
        Column("withdrawn", BOOL, "Rút đơn", "Withdrawn", default="false"),
        Column(
            "round",
            INT,
            "Lần giải quyết (1: lần đầu, 2: lần hai)",
            "Round (1 first, 2 second)",
            default="1",
            min_value=1,
            max_value=2,
        ),
    ),
    primary_key=("petition_id",),
    references=(_commune_ref(),),
    event_date="received_date",
    rules=(
        Rule(
            "accepted_date IS NULL OR accepted_date >= received_date",
            "accepted_date",
            "ngày thụ lý trước ngày nhận",
            "accepted before received",
        ),
        Rule(
            "resolved_date IS NULL OR resolved_date >= coalesce(accepted_date, received_date)",
            "resolved_date",
            "ngày giải quyết trước ngày nhận hoặc ngày thụ lý",
            "resolved before received or accepted",
        ),
    ),
)

PROCEDURES = Table(
    name="procedures",
    label_vi="Thủ tục hành chính",
    label_en="Procedures",
    columns=(
        Column("procedure_code", TEXT, "Mã thủ tục", "Procedure code", required=True, max_chars=40),
        Column("name", TEXT, "Tên thủ tục", "Name", required=True),
        Column("level", TEXT, "Cấp", "Level", required=True, enum=PROCEDURE_LEVELS),
        Column("agency_code", TEXT, "Mã cơ quan", "Agency code", max_chars=20),
        Column("field", TEXT, "Lĩnh vực", "Field"),
        Column(
            "statutory_days",
            INT,
            "Thời hạn theo quy định (ngày)",
            "Statutory days",
            required=True,
            min_value=1,
        ),
        Column(
            "committed_days",
            INT,
            "Thời hạn cam kết (ngày)",
            "Committed days",
            min_value=1,
            default_expr="statutory_days",
        ),
        Column("at_one_stop", BOOL, "Tại Bộ phận một cửa", "At one-stop desk", default="true"),
        Column(
            "online_level",
            TEXT,
            "Mức dịch vụ công trực tuyến",
            "Online level",
            enum=("khong", "mot_phan", "toan_trinh"),
            default="khong",
        ),
    ),
    primary_key=("procedure_code",),
    references=(Reference(("agency_code",), "agencies", ("agency_code",)),),
    rules=(
        Rule(
            "committed_days IS NULL OR committed_days <= statutory_days",
            "committed_days",
            "thời hạn cam kết dài hơn thời hạn quy định",
            "committed days exceed statutory days",
        ),
    ),
)

DOSSIERS = Table(
    name="dossiers",
    label_vi="Hồ sơ TTHC",
    label_en="Dossiers",
    columns=(
        Column("dossier_id", TEXT, "Mã hồ sơ", "Dossier ID", required=True, max_chars=60),
        Column("procedure_code", TEXT, "Mã thủ tục", "Procedure code", required=True, max_chars=40),
        Column("commune_code", TEXT, "Mã xã", "Commune code", max_chars=10),
        Column(
            "channel",
            TEXT,
            "Kênh tiếp nhận",
            "Channel",
            required=True,
            enum=("truc_tiep", "truc_tuyen", "buu_chinh"),
        ),
        Column("received_date", DATE, "Ngày tiếp nhận", "Received date", required=True),
        Column("due_date", DATE, "Ngày hẹn trả", "Due date", required=True),
        Column("finished_date", DATE, "Ngày trả kết quả", "Finished date"),
        Column("apology_issued", BOOL, "Có phiếu xin lỗi", "Apology issued", default="false"),
        Column("redated_count", INT, "Số lần hẹn lại", "Times re-dated", default="0", min_value=0),
    ),
    primary_key=("dossier_id",),
    references=(
        Reference(("procedure_code",), "procedures", ("procedure_code",)),
        _commune_ref(),
    ),
    event_date="received_date",
    level_from=Reference(("procedure_code",), "procedures", ("procedure_code",)),
    rules=(
        Rule(
            "due_date >= received_date",
            "due_date",
            "ngày hẹn trả trước ngày tiếp nhận",
            "due before received",
        ),
        Rule(
            "finished_date IS NULL OR finished_date >= received_date",
            "finished_date",
            "ngày trả kết quả trước ngày tiếp nhận",
            "finished before received",
        ),
    ),
)

INSPECTIONS = Table(
    name="inspections",
    label_vi="Kiểm tra công vụ",
    label_en="Inspections",
    columns=(
        Column(
            "inspection_id", TEXT, "Mã cuộc kiểm tra", "Inspection ID", required=True, max_chars=40
        ),
        Column("inspection_date", DATE, "Ngày kiểm tra", "Inspection date", required=True),
        Column(
            "target_kind", TEXT, "Đối tượng", "Target kind", required=True, enum=("xa", "co_quan")
        ),
        Column("commune_code", TEXT, "Mã xã", "Commune code", max_chars=10),
        Column("agency_code", TEXT, "Mã cơ quan", "Agency code", max_chars=20),
        Column("surprise", BOOL, "Đột xuất", "Surprise", default="false"),
        Column("violations", INT, "Số vi phạm", "Violations", default="0", min_value=0),
        Column(
            "violations_fixed",
            INT,
            "Số vi phạm đã khắc phục",
            "Violations fixed",
            default="0",
            min_value=0,
        ),
    ),
    primary_key=("inspection_id",),
    references=(
        _commune_ref(),
        Reference(("agency_code",), "agencies", ("agency_code",)),
    ),
    event_date="inspection_date",
    rules=(
        _required_when(
            "commune_code", "target_kind = 'xa'", "đối tượng là xa", "target kind is xa"
        ),
        _required_when(
            "agency_code",
            "target_kind = 'co_quan'",
            "đối tượng là co_quan",
            "target kind is co_quan",
        ),
        Rule(
            "violations_fixed <= violations",
            "violations_fixed",
            "số vi phạm đã khắc phục lớn hơn số vi phạm",
            "violations fixed exceeds violations",
        ),
    ),
)

STAFF_RATINGS = Table(
    name="staff_ratings",
    label_vi="Xếp loại CB-CCVC",
    label_en="Staff ratings",
    columns=(
        Column("year", INT, "Năm", "Year", required=True, min_value=1990),
        Column("agency_code", TEXT, "Mã cơ quan", "Agency code", required=True, max_chars=20),
        Column("sector", TEXT, "Khối", "Sector", required=True, enum=("hanh_chinh", "su_nghiep")),
        Column("rated", INT, "Số được đánh giá", "Rated", required=True, min_value=0),
        Column("excellent", INT, "Hoàn thành xuất sắc", "Excellent", required=True, min_value=0),
        Column("good", INT, "Hoàn thành tốt", "Good", required=True, min_value=0),
        Column("completed", INT, "Hoàn thành", "Completed", required=True, min_value=0),
        Column(
            "not_completed", INT, "Không hoàn thành", "Not completed", required=True, min_value=0
        ),
    ),
    primary_key=("year", "agency_code", "sector"),
    references=(Reference(("agency_code",), "agencies", ("agency_code",)),),
    rules=(
        Rule(
            "excellent + good + completed + not_completed = rated",
            "rated",
            "tổng các mức xếp loại khác số được đánh giá",
            "rating counts do not sum to rated",
        ),
    ),
)

# ------------------------------------------------------------------ office files (profiles)
# Tables filled by reading an office's own files (data/profiles): the names its one-stop
# export uses for a procedure, the figures of the periodic report forms, the 766 index.

PROCEDURE_ALIASES = Table(
    name="procedure_aliases",
    label_vi="Tên thủ tục trong tệp xuất một cửa",
    label_en="Procedure names in one-stop exports",
    columns=(
        Column("alias", TEXT, "Tên thủ tục trong tệp", "Name in the file", required=True),
        Column("procedure_code", TEXT, "Mã thủ tục", "Procedure code", required=True, max_chars=40),
    ),
    primary_key=("alias",),
    references=(Reference(("procedure_code",), "procedures", ("procedure_code",)),),
)

REPORTED_FORMS = ("ii06a", "tcd01", "xld01")

REPORTED_FIGURES = Table(
    name="reported_figures",
    label_vi="Số liệu biểu báo cáo",
    label_en="Reported form figures",
    columns=(
        Column("unit_code", TEXT, "Mã đơn vị", "Unit code", required=True, max_chars=10),
        Column("level", TEXT, "Cấp", "Level", required=True, enum=LEVELS),
        Column("period_from", DATE, "Kỳ báo cáo từ ngày", "Period from", required=True),
        Column("period_to", DATE, "Kỳ báo cáo đến ngày", "Period to", required=True),
        Column("form", TEXT, "Biểu", "Form", required=True, enum=REPORTED_FORMS),
        Column("column_no", INT, "Cột số", "Column number", required=True, min_value=1),
        Column("value", INT, "Số liệu", "Value", required=True, min_value=0),
        Column("source_file", TEXT, "Tệp nguồn", "Source file"),
        Column("source_sha256", TEXT, "Mã băm tệp nguồn", "Source file SHA-256", max_chars=64),
    ),
    primary_key=("unit_code", "period_from", "period_to", "form", "column_no"),
    rules=(
        Rule(
            "period_from <= period_to",
            "period_to",
            "kỳ báo cáo kết thúc trước khi bắt đầu",
            "period ends before it begins",
        ),
    ),
)

# A score as a person types it: 0 to 100, with up to two decimals ("85,32" or "85.32").
_SCORE_SQL = "TRY_CAST(replace({c}, ',', '.') AS DOUBLE)"


def _score(name: str, vi: str, en: str, required: bool = False) -> Column:
    return Column(name, TEXT, vi, en, required=required, max_chars=10)


def _score_rule(name: str) -> Rule:
    value = _SCORE_SQL.format(c=name)
    return Rule(
        f"{name} IS NULL OR (regexp_full_match({name}, '[0-9]{{1,3}}([.,][0-9]{{1,2}})?') "
        f"AND {value} BETWEEN 0 AND 100)",
        name,
        "điểm không hợp lệ (số từ 0 đến 100, tối đa hai chữ số thập phân)",
        "not a valid score (0 to 100, up to two decimals)",
    )


SERVICE_INDEX_SCORES = (
    ("publicity", "Công khai, minh bạch", "Publicity, transparency"),
    ("progress", "Tiến độ giải quyết", "Timeliness"),
    ("quality", "Chất lượng giải quyết", "Quality of resolution"),
    ("digitisation", "Số hóa hồ sơ", "Digitisation"),
    ("online", "Cung cấp dịch vụ trực tuyến", "Online services"),
    ("satisfaction", "Mức độ hài lòng", "Satisfaction"),
)

SERVICE_INDEX = Table(
    name="service_index",
    label_vi="Bộ chỉ số phục vụ (QĐ 766)",
    label_en="Service index (Decision 766)",
    columns=(
        Column("unit_code", TEXT, "Mã đơn vị", "Unit code", required=True, max_chars=10),
        Column("level", TEXT, "Cấp", "Level", required=True, enum=LEVELS),
        Column("year", INT, "Năm", "Year", required=True, min_value=2020, max_value=2100),
        Column("month", INT, "Tháng", "Month", required=True, min_value=1, max_value=12),
        *(_score(n, vi, en) for n, vi, en in SERVICE_INDEX_SCORES),
        _score("total", "Tổng điểm", "Total score", required=True),
        Column("source_file", TEXT, "Tệp nguồn", "Source file"),
        Column("source_sha256", TEXT, "Mã băm tệp nguồn", "Source file SHA-256", max_chars=64),
    ),
    primary_key=("unit_code", "year", "month"),
    rules=tuple(_score_rule(n) for n, _, _ in (*SERVICE_INDEX_SCORES, ("total", "", ""))),
)


# Ordered so that every reference points to an earlier table.
TABLES: tuple[Table, ...] = (
    HOLIDAYS,
    UNITS_UPPER,
    COMMUNES,
    UNIT_SUCCESSIONS,
    AGENCIES,
    RECEPTIONS,
    DIALOGUES,
    PETITIONS,
    PROCEDURES,
    DOSSIERS,
    INSPECTIONS,
    STAFF_RATINGS,
    PROCEDURE_ALIASES,
    REPORTED_FIGURES,
    SERVICE_INDEX,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return TABLES_BY_NAME[name]


def create_table_sql(t: Table) -> str:
    """DDL for one warehouse table: types, NOT NULL, CHECKs; text is fixed, not user input."""
    lines = []
    for col in t.columns:
        parts = [col.name, col.sql_type]
        if col.required or col.default is not None or col.default_expr:
            parts.append("NOT NULL")
        checks = []
        if col.enum:
            allowed = ", ".join(f"'{v}'" for v in col.enum)
            checks.append(f"{col.name} IN ({allowed})")
        if col.min_value is not None:
            checks.append(f"{col.name} >= {col.min_value}")
        if col.max_value is not None:
            checks.append(f"{col.name} <= {col.max_value}")
        if checks:
            parts.append(f"CHECK ({' AND '.join(checks)})")
        lines.append("    " + " ".join(parts))
    for rule in t.rules:
        lines.append(f"    CHECK ({rule.sql})")
    lines.append(f"    PRIMARY KEY ({', '.join(t.primary_key)})")
    return f"CREATE TABLE {t.name} (\n" + ",\n".join(lines) + "\n)"

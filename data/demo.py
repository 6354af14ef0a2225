"""Deterministic demo warehouse for Bắc Quang (Hà Giang, then Tuyên Quang), 2017-01-01 to
2026-11-30, across the July 2025 reorganisation of local government.

Everything here is synthetic. Volumes, seasonality and the spread between communes are invented
to look like a real area, but the 2019 figures the district published (article "Dấu ấn dân vận
chính quyền ở Bắc Quang", 03/8/2020) come out exactly at scale 1, so every screen can be checked
against a public source.

Until 30/6/2025 the records belong to Bắc Quang district (code 034, province Hà Giang) and its 23
commune-level units; from 01/7/2025 district-level government no longer exists: Hà Giang has
merged into Tuyên Quang, the 23 units have become 8 communes of Tuyên Quang, and what the district
did is done by the province (`tinh` records) or the new communes. The legal minimums and
deadlines come from the rules file and the days off from the holidays file of the repository
(`data.reference`), never from numbers written here.

`scale` multiplies the event tables (petitions, dossiers) for load tests; the calibration is only
guaranteed at scale 1. From scale 10 on the dossiers are written as one part file a month
(`dossiers.part-YYYY-MM.csv`), which the build reads as one table. Run as a module to write the
CSVs: `python -m data.demo OUT_DIR [--seed N] [--scale K] [--parts | --no-parts]`.
"""

from __future__ import annotations

import argparse
import pathlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data.contract import BOOL, DATE, INT, TABLES, TEXT, Table
from data.reference import commune_level_code, holidays, level, rule_in_force

# ---------------------------------------------------------------------------------------------
# Period and calendar
# ---------------------------------------------------------------------------------------------

START = np.datetime64("2017-01-01", "D")
END = np.datetime64("2026-11-30", "D")
ARTICLE_DATE = np.datetime64("2020-07-31", "D")  # the article appeared on 03/8/2020
YEARS = tuple(range(2017, 2027))
RATING_YEARS = tuple(range(2017, 2026))  # ratings are annual: 2026's did not exist yet at END
CALIBRATION_YEAR = 2019

DISTRICT_LEVEL = "huyen"  # until the end of district-level government
PROVINCE_LEVEL = "tinh"  # takes over what the district did
COMMUNE_LEVEL = commune_level_code()
# District-level government ended on this day (levels file); the provinces merged and the new
# communes started the day after.
DISTRICT_LAST_DAY = np.datetime64(level(DISTRICT_LEVEL).valid_to, "D")
REFORM = DISTRICT_LAST_DAY + 1

# Official days off (Tết and the other public holidays) as shipped with the repository.
HOLIDAYS = np.array(sorted(holidays()), dtype="datetime64[D]")
# First day of the lunar new year, for the seasonality around the Tết break.
TET = np.array(
    [
        "2017-01-28",
        "2018-02-16",
        "2019-02-05",
        "2020-01-25",
        "2021-02-12",
        "2022-02-01",
        "2023-01-22",
        "2024-02-10",
        "2025-01-29",
        "2026-02-17",
    ],
    dtype="datetime64[D]",
)
# Nationwide social distancing (Chỉ thị 16/CT-TTg): receptions and meetings were suspended and
# the one-stop desks ran at a fraction of their usual volume.
DISTANCING = (np.datetime64("2020-04-01"), np.datetime64("2020-04-22"))
# The first fortnight of the new communes: desks moving, new seals and software, slow intake;
# and the first quarter, when more dossiers ran late while staff learnt the new procedures.
REFORM_SLOW_START = (REFORM, REFORM + 13)
REFORM_TEETHING = (REFORM, np.datetime64("2025-09-30"))

# ---------------------------------------------------------------------------------------------
# Units: provinces, the district, its 23 communes and the 8 communes that replaced them
# ---------------------------------------------------------------------------------------------

# (code, name, level, parent, valid_from, valid_to)
UNITS_UPPER: tuple[tuple[str, str, str, str | None, Any, Any], ...] = (
    ("02", "Tỉnh Hà Giang", PROVINCE_LEVEL, None, None, DISTRICT_LAST_DAY),
    ("08", "Tỉnh Tuyên Quang", PROVINCE_LEVEL, None, None, None),
    ("034", "Huyện Bắc Quang", DISTRICT_LEVEL, "02", None, DISTRICT_LAST_DAY),
)
DISTRICT_CODE = "034"
PROVINCE_BEFORE = "02"
PROVINCE_AFTER = "08"

# (GSO code, name, remote, one-stop desk since). Remote flags and start dates are illustrative.
COMMUNES: tuple[tuple[str, str, bool, str], ...] = (
    ("01153", "Thị trấn Việt Quang", False, "2015-07-01"),
    ("01156", "Thị trấn Vĩnh Tuy", False, "2015-07-01"),
    ("01159", "Xã Tân Lập", True, "2016-07-01"),
    ("01162", "Xã Tân Thành", True, "2016-10-03"),
    ("01165", "Xã Đồng Tiến", True, "2017-01-03"),
    ("01168", "Xã Đồng Tâm", True, "2016-10-03"),
    ("01171", "Xã Tân Quang", False, "2015-10-01"),
    ("01174", "Xã Thượng Bình", True, "2017-07-03"),
    ("01177", "Xã Hữu Sản", True, "2017-01-03"),
    ("01180", "Xã Kim Ngọc", False, "2016-01-04"),
    ("01183", "Xã Việt Vinh", False, "2015-10-01"),
    ("01186", "Xã Bằng Hành", False, "2016-04-01"),
    ("01189", "Xã Quang Minh", False, "2015-10-01"),
    ("01192", "Xã Liên Hiệp", True, "2016-07-01"),
    ("01195", "Xã Vô Điếm", False, "2016-01-04"),
    ("01198", "Xã Việt Hồng", False, "2016-04-01"),
    ("01201", "Xã Hùng An", False, "2015-10-01"),
    ("01204", "Xã Đức Xuân", True, "2018-01-02"),
    ("01207", "Xã Tiên Kiều", False, "2016-01-04"),
    ("01210", "Xã Vĩnh Hảo", False, "2016-04-01"),
    ("01213", "Xã Vĩnh Phúc", False, "2016-07-01"),
    ("01216", "Xã Đồng Yên", False, "2017-04-03"),
    ("01219", "Xã Đông Thành", False, "2016-10-03"),
)
COMMUNE_CODES = np.array([c[0] for c in COMMUNES])
N_COMMUNES = len(COMMUNES)
IS_TOWN = np.array([name.startswith("Thị trấn") for _, name, _, _ in COMMUNES])
IS_REMOTE = np.array([c[2] for c in COMMUNES])

# The 8 communes of Tuyên Quang formed on 01/7/2025 (Nghị quyết 1684/NQ-UBTVQH15) and their
# predecessors (data/reference/reform_units.md). SYNTHETIC CODES: each official new code
# (Quyết định 19/2025/QĐ-TTg) reuses one predecessor's code, e.g. Xã Bắc Quang is 01153 like
# Thị trấn Việt Quang before it, but the communes table holds one row per code, so it cannot
# hold both units under one code. The demo writes the official code prefixed with "N".
NEW_COMMUNES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("N01153", "Xã Bắc Quang", ("01153", "01189", "01183")),
    ("N01171", "Xã Tân Quang", ("01162", "01159", "01171")),
    ("N01165", "Xã Đồng Tâm", ("01165", "01174", "01168")),
    ("N01192", "Xã Liên Hiệp", ("01177", "01204", "01192")),
    ("N01180", "Xã Bằng Hành", ("01180", "01195", "01186")),
    ("N01201", "Xã Hùng An", ("01198", "01207", "01201")),
    ("N01156", "Xã Vĩnh Tuy", ("01156", "01210", "01219")),
    ("N01216", "Xã Đồng Yên", ("01213", "01216")),
)
NEW_CODES = np.array([c[0] for c in NEW_COMMUNES])
N_NEW = len(NEW_COMMUNES)
_OLD_INDEX = {code: i for i, code in enumerate(COMMUNE_CODES.tolist())}
# SUCCESSOR[i]: index (into NEW_COMMUNES) of the commune old unit i became part of.
SUCCESSOR = np.empty(N_COMMUNES, dtype=np.int64)
for _j, (_, _, _olds) in enumerate(NEW_COMMUNES):
    SUCCESSOR[[_OLD_INDEX[c] for c in _olds]] = _j
NEW_REMOTE = np.array([IS_REMOTE[SUCCESSOR == j].any() for j in range(N_NEW)])
NEW_SIZE = np.bincount(SUCCESSOR, minlength=N_NEW)  # predecessors per new commune

# Every commune on record, old then new: indices 0..22 are the old units, 23..30 the new ones.
ALL_CODES = np.concatenate([COMMUNE_CODES, NEW_CODES])
ALL_REMOTE = np.concatenate([IS_REMOTE, NEW_REMOTE])
OLD_UNITS = np.arange(N_COMMUNES)
NEW_UNITS = N_COMMUNES + np.arange(N_NEW)
# Citizens coming to a commune's receptions, relative to an old unit: a merged commune serves
# the people of two or three old ones, though many now go straight to its service centre.
UNIT_WEIGHT = np.concatenate([np.ones(N_COMMUNES), 1 + 0.45 * (NEW_SIZE - 1)])


def recorded_commune(old_unit: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Index into ALL_CODES of the commune a resident of old unit `old_unit` is recorded under
    on `day`: the old unit until the reform, its successor afterwards."""
    return np.where(day >= REFORM, N_COMMUNES + SUCCESSOR[old_unit], old_unit)


@dataclass(frozen=True)
class Office:
    """A district-level agency; desk fields are empty for agencies without procedures."""

    code: str
    name: str
    kind: str
    staff: int = 0  # officials rated by the district each year; 0 = rated elsewhere
    field: str = ""
    procedures: int = 0  # catalogue rows it serves at the district one-stop desk
    desk_share: float = 0.0  # relative share of the district desk's dossiers
    days: tuple[int, ...] = ()  # statutory processing times typical of its field


# fmt: off
OFFICES: tuple[Office, ...] = (
    Office("CM01", "Phòng Tư pháp", "chuyen_mon", 4, "Hộ tịch, chứng thực", 40, 0.07,
           (1, 2, 3, 5, 10, 15)),
    Office("CM02", "Phòng Tài nguyên và Môi trường", "chuyen_mon", 8, "Đất đai, môi trường", 30,
           0.06, (10, 15, 20, 30, 45)),
    Office("CM03", "Phòng Lao động - Thương binh và Xã hội", "chuyen_mon", 7,
           "Người có công, bảo trợ xã hội, trẻ em", 45, 0.08, (5, 7, 10, 15, 20, 30)),
    Office("CM04", "Phòng Tài chính - Kế hoạch", "chuyen_mon", 9,
           "Đăng ký kinh doanh, tài chính, đầu tư", 35, 0.06, (3, 5, 10, 15, 20, 30)),
    Office("CM05", "Phòng Kinh tế và Hạ tầng", "chuyen_mon", 8,
           "Xây dựng, công thương, giao thông", 30, 0.05, (7, 10, 15, 20, 30)),
    Office("CM06", "Phòng Nông nghiệp và Phát triển nông thôn", "chuyen_mon", 9,
           "Nông nghiệp, lâm nghiệp", 22, 0.02, (5, 10, 15, 20, 30)),
    Office("CM07", "Phòng Giáo dục và Đào tạo", "chuyen_mon", 10, "Giáo dục và đào tạo", 25,
           0.03, (5, 10, 15, 20)),
    Office("CM08", "Phòng Văn hóa và Thông tin", "chuyen_mon", 5, "Văn hóa, thông tin", 12,
           0.01, (5, 7, 10, 15)),
    Office("CM09", "Phòng Y tế", "chuyen_mon", 3, "Y tế, an toàn thực phẩm", 6, 0.01,
           (10, 15, 20)),
    Office("CM10", "Phòng Nội vụ", "chuyen_mon", 6, "Nội vụ, thi đua khen thưởng, tôn giáo", 9,
           0.01, (10, 15, 20, 30)),
    Office("CM11", "Phòng Dân tộc", "chuyen_mon", 4, "Công tác dân tộc", 5, 0.01, (10, 15, 30)),
    Office("ND01", "Chi nhánh Văn phòng đăng ký đất đai huyện Bắc Quang", "nganh_doc", 14,
           "Đất đai", 22, 0.36, (3, 5, 10, 15, 20, 30)),
    Office("ND02", "Bảo hiểm xã hội huyện Bắc Quang", "nganh_doc", 16,
           "Bảo hiểm xã hội, bảo hiểm y tế", 14, 0.12, (1, 3, 5, 7, 10)),
    Office("ND03", "Chi cục Thuế khu vực Bắc Quang - Quang Bình", "nganh_doc", 32, "Thuế", 8,
           0.10, (1, 3, 5, 10)),
    # Police officers are rated under their own ministry's rules, not as CB-CCVC of the district.
    Office("ND04", "Công an huyện Bắc Quang", "nganh_doc", 0, "Cư trú, đăng ký xe", 6, 0.08,
           (2, 3, 7, 15)),
    Office("SN01", "Trung tâm Y tế huyện Bắc Quang", "su_nghiep", 190),
    Office("SN02", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện Bắc Quang",
           "su_nghiep", 24),
    Office("SN03", "Trung tâm Văn hóa, Truyền thông và Thể thao huyện Bắc Quang", "su_nghiep", 17),
    Office("SN04", "Trung tâm Dịch vụ nông nghiệp huyện Bắc Quang", "su_nghiep", 14),
    Office("SN05", "Ban Quản lý dự án đầu tư xây dựng huyện Bắc Quang", "su_nghiep", 10),
    Office("SN06", "Khối các trường mầm non huyện Bắc Quang", "su_nghiep", 420),
    Office("SN07", "Khối các trường tiểu học huyện Bắc Quang", "su_nghiep", 610),
    Office("SN08", "Khối các trường trung học cơ sở huyện Bắc Quang", "su_nghiep", 470),
)
# fmt: on
COMMUNE_STAFF = (19, 23)  # cán bộ, công chức of one commune People's Committee


def commune_agency_code(commune_code: str) -> str:
    return f"UBX{commune_code}"


# Most frequent first: the order drives the popularity of each procedure at the desk.
DISTRICT_PROCEDURE_NAMES: dict[str, tuple[str, ...]] = {
    "CM01": (
        "Cấp bản sao từ sổ gốc",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan nước ngoài cấp",
        "Chứng thực chữ ký người dịch",
        "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "Đăng ký khai tử có yếu tố nước ngoài",
        "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài",
        "Đăng ký giám hộ có yếu tố nước ngoài",
        "Đăng ký lại khai sinh có yếu tố nước ngoài",
        "Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết ở nước ngoài",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực văn bản thỏa thuận phân chia di sản là động sản",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "Sửa lỗi sai sót trong hợp đồng, giao dịch",
        "Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ",
    ),
    "CM02": (
        "Chuyển mục đích sử dụng đất phải được phép đối với hộ gia đình, cá nhân",
        "Giao đất, cho thuê đất cho hộ gia đình, cá nhân",
        "Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch UBND huyện",
        "Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế",
        "Thu hồi đất do chấm dứt việc sử dụng đất, tự nguyện trả lại đất",
        "Xác nhận đăng ký kế hoạch bảo vệ môi trường",
        "Đăng ký đề án bảo vệ môi trường đơn giản",
        "Thẩm định, phê duyệt phương án cải tạo, phục hồi môi trường",
        "Đăng ký khai thác, sử dụng nước dưới đất",
        "Cung cấp dữ liệu đất đai",
    ),
    "CM03": (
        "Hưởng trợ cấp xã hội hàng tháng đối với đối tượng bảo trợ xã hội",
        "Điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Giải quyết chế độ mai táng phí đối với cựu chiến binh",
        "Cấp giấy xác nhận thân nhân của người có công",
        "Di chuyển hồ sơ người có công với cách mạng",
        "Giải quyết trợ cấp một lần đối với thân nhân người hoạt động kháng chiến",
        "Tiếp nhận đối tượng bảo trợ xã hội vào cơ sở trợ giúp xã hội cấp huyện",
        "Quyết định quản lý cai nghiện ma túy tự nguyện tại gia đình",
        "Hỗ trợ học văn hóa, học nghề, trợ cấp khó khăn ban đầu cho nạn nhân bị mua bán",
        "Áp dụng biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em",
        "Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại",
        "Chấm dứt việc chăm sóc thay thế cho trẻ em",
        "Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập",
    ),
    "CM04": (
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Tạm ngừng hoạt động hộ kinh doanh",
        "Chấm dứt hoạt động hộ kinh doanh",
        "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
        "Đăng ký thành lập hợp tác xã",
        "Đăng ký thay đổi nội dung đăng ký hợp tác xã",
        "Giải thể tự nguyện hợp tác xã",
        "Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
        "Thẩm tra, phê duyệt quyết toán dự án hoàn thành sử dụng vốn nhà nước",
        "Cấp mã số đơn vị có quan hệ với ngân sách",
        "Thẩm định báo cáo kinh tế - kỹ thuật đầu tư xây dựng",
    ),
    "CM05": (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình",
        "Điều chỉnh giấy phép xây dựng",
        "Gia hạn giấy phép xây dựng",
        "Cấp lại giấy phép xây dựng",
        "Cấp giấy phép di dời công trình",
        "Cấp giấy phép bán lẻ sản phẩm thuốc lá",
        "Cấp giấy phép bán lẻ sản phẩm rượu",
        "Cấp giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
        "Cấp phép thi công công trình trên đường huyện đang khai thác",
        "Chấp thuận đấu nối đường nhánh vào đường huyện",
        "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
    ),
    "CM06": (
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản",
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh",
        "Xác nhận bảng kê lâm sản",
        "Phê duyệt thiết kế, dự toán công trình lâm sinh",
        "Phê duyệt phương án trồng rừng thay thế",
        "Công nhận làng nghề",
        "Hỗ trợ dự án liên kết sản xuất và tiêu thụ sản phẩm nông nghiệp",
        "Phê duyệt kế hoạch khuyến nông địa phương",
    ),
    "CM07": (
        "Chuyển trường đối với học sinh trung học cơ sở",
        "Chuyển trường đối với học sinh tiểu học",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú",
        "Miễn, giảm học phí, hỗ trợ chi phí học tập",
        "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo",
        "Cho phép trường mầm non, tiểu học, trung học cơ sở hoạt động giáo dục",
        "Thành lập trường mầm non, tiểu học, trung học cơ sở công lập",
        "Sáp nhập, chia, tách trường mầm non, tiểu học, trung học cơ sở",
        "Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ",
    ),
    "CM08": (
        "Đăng ký tổ chức lễ hội",
        "Thông báo tổ chức lễ hội",
        "Cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "Cấp giấy chứng nhận điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        "Công nhận cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa",
        "Công nhận xã đạt chuẩn văn hóa nông thôn mới",
        "Xét tặng Giấy khen Khu dân cư văn hóa",
        "Đăng ký hoạt động thư viện tư nhân",
    ),
    "CM09": (
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm kinh doanh dịch vụ ăn uống",
        "Đăng ký bản cam kết bảo đảm an toàn thực phẩm",
        "Xác nhận kiến thức về an toàn thực phẩm",
        "Cấp lại giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    ),
    "CM10": (
        "Tặng Giấy khen của Chủ tịch UBND huyện",
        "Tặng danh hiệu Lao động tiên tiến",
        "Xét tặng danh hiệu Chiến sĩ thi đua cơ sở",
        "Thẩm định thành lập thôn mới, tổ dân phố mới",
        "Công nhận ban vận động thành lập hội",
        "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo",
        "Thông báo thay đổi địa điểm sinh hoạt tôn giáo tập trung",
    ),
    "CM11": (
        "Công nhận người có uy tín trong đồng bào dân tộc thiểu số",
        "Đưa ra khỏi danh sách người có uy tín",
        "Hỗ trợ đất sản xuất, nước sinh hoạt cho hộ đồng bào dân tộc thiểu số nghèo",
        "Hỗ trợ vay vốn phát triển sản xuất cho hộ đồng bào dân tộc thiểu số nghèo",
    ),
    "ND01": (
        "Đăng ký biến động quyền sử dụng đất do chuyển nhượng, tặng cho, thừa kế",
        "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "Tách thửa hoặc hợp thửa đất",
        "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất",
        "Đính chính Giấy chứng nhận đã cấp",
        "Đăng ký biến động do thay đổi thông tin người sử dụng đất",
        "Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
        "Đăng ký thay đổi nội dung thế chấp",
        "Cung cấp thông tin, dữ liệu đất đai",
        "Xác nhận tiếp tục sử dụng đất nông nghiệp khi hết hạn sử dụng đất",
        "Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề",
    ),
    "ND02": (
        "Cấp lại, đổi thẻ bảo hiểm y tế",
        "Cấp thẻ bảo hiểm y tế đối với người chỉ tham gia bảo hiểm y tế",
        "Giải quyết hưởng chế độ ốm đau, thai sản",
        "Giải quyết hưởng bảo hiểm xã hội một lần",
        "Đăng ký tham gia bảo hiểm xã hội tự nguyện",
        "Cấp lại sổ bảo hiểm xã hội",
        "Giải quyết hưởng chế độ tử tuất",
        "Giải quyết hưởng lương hưu",
        "Thanh toán trực tiếp chi phí khám bệnh, chữa bệnh bảo hiểm y tế",
        "Đăng ký, điều chỉnh đóng bảo hiểm xã hội, bảo hiểm y tế bắt buộc",
    ),
    "ND03": (
        "Khai lệ phí trước bạ nhà, đất",
        "Khai thuế thu nhập cá nhân đối với chuyển nhượng bất động sản",
        "Đăng ký thuế lần đầu đối với hộ kinh doanh, cá nhân kinh doanh",
        "Khai thuế đối với hộ kinh doanh nộp thuế khoán",
        "Miễn, giảm tiền sử dụng đất",
        "Cấp hóa đơn lẻ",
        "Xác nhận hoàn thành nghĩa vụ thuế",
        "Hoàn thuế thu nhập cá nhân",
    ),
    "ND04": (
        "Đăng ký thường trú",
        "Đăng ký tạm trú",
        "Cấp, đổi, cấp lại chứng minh nhân dân",
        "Đăng ký, cấp biển số xe mô tô, xe gắn máy",
        "Tách sổ hộ khẩu",
        "Xóa đăng ký thường trú",
    ),
}

# Commune procedures: (name, field, statutory days). Most frequent first.
COMMUNE_PROCEDURES: tuple[tuple[str, str, int], ...] = (
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", 1),
    ("Đăng ký khai sinh", "Hộ tịch", 1),
    ("Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", 1),
    ("Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất", "Chứng thực", 2),
    ("Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3),
    ("Đăng ký kết hôn", "Hộ tịch", 5),
    ("Đăng ký khai tử", "Hộ tịch", 1),
    ("Cấp bản sao trích lục hộ tịch", "Hộ tịch", 1),
    ("Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", 3),
    ("Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Hộ tịch", 3),
    ("Xác nhận hộ gia đình làm nông, lâm nghiệp có mức sống trung bình", "Bảo trợ xã hội", 7),
    ("Tiếp nhận hồ sơ hưởng trợ cấp xã hội hàng tháng", "Bảo trợ xã hội", 20),
    ("Đăng ký nhận cha, mẹ, con", "Hộ tịch", 3),
    ("Đăng ký lại khai sinh", "Hộ tịch", 5),
    ("Hòa giải tranh chấp đất đai", "Đất đai", 45),
    ("Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "Bảo trợ xã hội", 15),
    ("Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm", "Bảo trợ xã hội", 15),
    ("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Bảo trợ xã hội", 5),
    ("Chứng thực hợp đồng, giao dịch liên quan đến nhà ở", "Chứng thực", 2),
    ("Chứng thực văn bản thỏa thuận phân chia di sản", "Chứng thực", 2),
    ("Chứng thực văn bản khai nhận di sản", "Chứng thực", 2),
    ("Chứng thực văn bản từ chối nhận di sản", "Chứng thực", 2),
    ("Chứng thực di chúc", "Chứng thực", 2),
    ("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "Chứng thực", 2),
    ("Đăng ký lại kết hôn", "Hộ tịch", 5),
    ("Đăng ký lại khai tử", "Hộ tịch", 5),
    ("Đăng ký giám hộ", "Hộ tịch", 3),
    ("Đăng ký chấm dứt giám hộ", "Hộ tịch", 2),
    ("Đăng ký khai sinh lưu động", "Hộ tịch", 5),
    ("Đăng ký kết hôn lưu động", "Hộ tịch", 5),
    ("Đăng ký khai tử lưu động", "Hộ tịch", 5),
    ("Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Người có công", 10),
    ("Xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ", "Người có công", 5),
    ("Thực hiện chế độ ưu đãi trong giáo dục đào tạo đối với người có công", "Người có công", 10),
    ("Xét tặng danh hiệu Gia đình văn hóa hằng năm", "Văn hóa", 15),
    ("Xét tặng danh hiệu Thôn, tổ dân phố văn hóa", "Văn hóa", 30),
    ("Đăng ký hoạt động tín ngưỡng", "Tôn giáo, tín ngưỡng", 15),
    ("Thông báo danh mục hoạt động tôn giáo ở một xã", "Tôn giáo, tín ngưỡng", 20),
    ("Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động", "Giáo dục", 20),
    ("Thành lập tổ hợp tác", "Kinh tế hợp tác", 5),
    ("Thông báo thay đổi tổ hợp tác", "Kinh tế hợp tác", 5),
    ("Đăng ký khai thác nước dưới đất", "Tài nguyên nước", 10),
    ("Xác nhận bảng kê lâm sản", "Lâm nghiệp", 2),
    ("Tặng Giấy khen của Chủ tịch UBND cấp xã", "Thi đua, khen thưởng", 20),
    ("Đăng ký cai nghiện ma túy tự nguyện", "Phòng, chống tệ nạn xã hội", 5),
    ("Công nhận hòa giải viên", "Hòa giải ở cơ sở", 5),
    ("Công nhận tuyên truyền viên pháp luật", "Phổ biến pháp luật", 5),
    ("Giải quyết yêu cầu bồi thường nhà nước tại UBND cấp xã", "Bồi thường nhà nước", 30),
)
COMMUNE_PROCEDURES_OFF_DESK = 5  # handled by the commune outside its one-stop desk

DIALOGUE_TOPICS = (
    "Bồi thường, hỗ trợ giải phóng mặt bằng các dự án trên địa bàn",
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "Xây dựng nông thôn mới",
    "Chính sách hỗ trợ hộ nghèo, người có công",
    "Khai thác cát, sỏi và bảo vệ môi trường",
    "Cải cách hành chính, cơ chế một cửa",
    "An ninh trật tự, phòng, chống tệ nạn xã hội",
    "Phát triển vùng cam sành, chè",
    "Đường giao thông nông thôn, công trình thủy lợi",
    "Sáp nhập thôn, tổ dân phố",
)
COVID_TOPIC = "Phòng, chống dịch COVID-19"

# The provincial departments of Tuyên Quang that took over the district offices' procedures on
# 01/7/2025 (code, name, district offices whose procedures it now owns). Rated by the province.
PROVINCE_OFFICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("TQ-STP", "Sở Tư pháp tỉnh Tuyên Quang", ("CM01",)),
    ("TQ-SNNMT", "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang", ("CM02", "CM06")),
    ("TQ-SYT", "Sở Y tế tỉnh Tuyên Quang", ("CM03", "CM09")),
    ("TQ-STC", "Sở Tài chính tỉnh Tuyên Quang", ("CM04",)),
    ("TQ-SXD", "Sở Xây dựng tỉnh Tuyên Quang", ("CM05",)),
    ("TQ-SGDDT", "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang", ("CM07",)),
    ("TQ-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Tuyên Quang", ("CM08",)),
    ("TQ-SNV", "Sở Nội vụ tỉnh Tuyên Quang", ("CM10",)),
    ("TQ-SDTTG", "Sở Dân tộc và Tôn giáo tỉnh Tuyên Quang", ("CM11",)),
)
PROVINCE_OFFICE_OF = {old: code for code, _, olds in PROVINCE_OFFICES for old in olds}
# Wording of a district procedure once the province serves it.
PROVINCIAL_WORDING = (
    ("Giấy khen của Chủ tịch UBND huyện", "Bằng khen của Chủ tịch UBND tỉnh"),
    ("Chủ tịch UBND huyện", "Chủ tịch UBND tỉnh"),
    ("cơ sở trợ giúp xã hội cấp huyện", "cơ sở trợ giúp xã hội công lập"),
    ("đường huyện", "đường địa phương"),
)

# Units that carried on after 30/6/2025 (renamed, under the province or the new communes) and so
# were still rated for 2025: the vertical branches, the health centre, the vocational and
# continuing education centre and the schools. The district's specialised offices, its culture
# and agricultural service centres and its project board ended with the district.
CARRIED_ON = ("ND01", "ND02", "ND03", "SN01", "SN02", "SN06", "SN07", "SN08")
# A new commune's People's Committee: most of its predecessors' officials, plus some former
# district officials posted to it.
NEW_COMMUNE_STAFF_KEPT = (0.80, 0.92)
NEW_COMMUNE_STAFF_FROM_DISTRICT = (6, 13)

# ---------------------------------------------------------------------------------------------
# Calibration targets: the article's figures, exact at scale 1
# ---------------------------------------------------------------------------------------------

DISTRICT_CHAIR_CITIZENS_2019 = 55
DISTRICT_DIALOGUES_2019 = (26, 859, 244)  # dialogues, attendees, opinions
COMMUNE_DIALOGUES_2019 = (97, 6122, 887)
PROLONGED_DISTRICT = 9
PROLONGED_DISTRICT_RESOLVED = 7  # by the article date
DISTRICT_PROCEDURES_CUT = 90  # of 259, cut to about 1/5 of the statutory time
COMMUNE_PROCEDURES_TOTAL = 145
COMMUNE_PROCEDURES_CUT = 27  # each by 1 to 20 days
COMMUNE_MAX_CUT_DAYS = 20
GOOD_OR_BETTER_PCT_2019 = {"hanh_chinh": 86.59, "su_nghiep": 76.31}
SURPRISE_INSPECTIONS_2019 = (3, 4)  # distinct communes, distinct agencies

# ---------------------------------------------------------------------------------------------
# Schedules, volumes and behaviour outside the calibration (illustrative)
# ---------------------------------------------------------------------------------------------

# The chairmen's fixed reception days of the month, a schedule of their own; each month uses
# as many of them, in this order, as the rule in force requires.
DISTRICT_CHAIR_DAYS_OF_MONTH = (10, 25)
PROVINCE_CHAIR_DAYS_OF_MONTH = {PROVINCE_BEFORE: (15, 27), PROVINCE_AFTER: (20, 8)}
# Months when the district chairman delegated the last of his scheduled days.
DISTRICT_CHAIR_DELEGATED = frozenset({(2017, 5), (2018, 9), (2021, 8), (2023, 2), (2024, 7)})
# Months when the provincial chairman sent a deputy in his place (in July 2025, the merged
# province's first month, he was installing the new communes).
PROVINCE_CHAIR_DEPUTISED = frozenset({(2018, 8), (2021, 10), (2023, 3), (2025, 7)})
RECEPTIONS_SUSPENDED = frozenset({(2020, 4)})  # social distancing
# Days a year citizens of the area came to the provincial citizen reception office: rarely
# while the district had its own, often once it was gone.
PROVINCE_DESK_DAY_SHARE = {False: 0.04, True: 0.22}

# District dialogues in the district's part of each year (2019 is calibrated).
DISTRICT_DIALOGUES = {
    2017: 19,
    2018: 23,
    2020: 14,
    2021: 18,
    2022: 21,
    2023: 24,
    2024: 25,
    2025: 12,
}
# Provincial dialogues held in the new communes, in the province's part of each year.
PROVINCE_DIALOGUES = {2025: 2, 2026: 3}
COMMUNE_DIALOGUE_RATE = {  # per old commune area and full year (2019 is calibrated)
    2017: 3.4,
    2018: 3.9,
    2020: 2.7,
    2021: 3.0,
    2022: 3.4,
    2023: 3.8,
    2024: 4.0,
    2025: 3.8,
    2026: 3.6,
}
MERGED_DIALOGUE_FACTOR = 0.6  # a merged commune holds fewer, larger conferences
# Communes that held no dialogue in a year: before the Law on Grassroots Democracy required
# one, and two old communes busy with the merger in the first half of 2025.
COMMUNES_WITHOUT_DIALOGUE = {2017: 2, 2018: 1, 2020: 2, 2021: 1, 2025: 2}
DIALOGUE_SIZE = {  # attendees and opinions per dialogue (uniform ranges)
    "huyen": ((28, 38), (7, 11)),
    "tinh": ((90, 140), (12, 18)),
    "xa_old": ((55, 70), (7, 10)),
    "xa_new": ((80, 110), (10, 14)),
}
MERGER_TOPIC = "Sắp xếp đơn vị hành chính, tổ chức chính quyền địa phương hai cấp"

# Petitions per full year: those the district settled (the province from 01/7/2025) and the
# communes'. After the reform some matters the district settled fall to the communes.
PETITIONS_PER_YEAR = {
    "upper": {
        2017: 150,
        2018: 140,
        2019: 128,
        2020: 118,
        2021: 116,
        2022: 110,
        2023: 106,
        2024: 102,
        2025: 98,
        2026: 92,
    },
    "xa": {
        2017: 190,
        2018: 176,
        2019: 161,
        2020: 152,
        2021: 150,
        2022: 146,
        2023: 142,
        2024: 140,
        2025: 140,
        2026: 136,
    },
}
REFORM_PETITION_SHIFT = {"upper": 0.8, "xa": 1.25}
PETITION_KINDS = ("khieu_nai", "to_cao", "kien_nghi_phan_anh")
PETITION_KIND_P = {"upper": (0.34, 0.12, 0.54), "xa": (0.18, 0.05, 0.77)}
# Second-round complaints (against a commune chairman's first decision) go to the level above.
ROUND_TWO_SHARE = 0.12
PETITION_FIELDS = ("dat_dai", "chinh_sach", "moi_truong", "tu_phap", "khac")
PETITION_FIELD_P = (0.56, 0.15, 0.10, 0.06, 0.13)
# Requests and reflections have no statutory deadline; the offices answer them within their
# own service standard, written on the record for some of them.
REQUEST_SERVICE_DAYS = 15
PETITIONS_LATE = {
    2017: 0.14,
    2018: 0.12,
    2019: 0.10,
    2020: 0.09,
    2021: 0.08,
    2022: 0.08,
    2023: 0.07,
    2024: 0.07,
    2025: 0.08,
    2026: 0.07,
}
REFORM_LATE_FACTOR = 1.7  # during REFORM_TEETHING
PETITIONS_LONG_LATE = 0.04  # settled months after the deadline
PETITIONS_NEVER = 0.004  # still open at END however old
OUTCOMES = ("dung", "dung_mot_phan", "sai")
OUTCOME_P = (0.17, 0.27, 0.56)
# Later long-standing cases: (level, received within, settled within or None = open at END).
LATER_PROLONGED = (
    (DISTRICT_LEVEL, ("2021-03-01", "2021-12-31"), ("2023-06-01", "2024-06-30")),
    (DISTRICT_LEVEL, ("2022-01-01", "2022-12-31"), ("2024-01-01", "2025-05-31")),
    (PROVINCE_LEVEL, ("2025-08-01", "2025-10-31"), ("2026-04-01", "2026-09-30")),
    (PROVINCE_LEVEL, ("2025-09-01", "2025-11-28"), None),
)
# The two district cases still open at the article date were settled later.
PROLONGED_SETTLED_LATER = (("2021-01-01", "2021-12-31"), ("2023-01-01", "2023-12-31"))

DOSSIERS_PER_YEAR = {"xa": 21_000, "upper": 10_500}
DOSSIER_TREND = {
    2017: 0.90,
    2018: 0.95,
    2019: 1.00,
    2020: 1.03,
    2021: 1.05,
    2022: 1.08,
    2023: 1.10,
    2024: 1.12,
    2025: 1.14,
    2026: 1.16,
}
REFORM_DOSSIER_SHIFT = {"xa": 1.08, "upper": 0.95}
DOSSIER_MONTH_FACTOR = np.array([1.0, 0.9, 1.0, 0.95, 1.0, 1.0, 1.05, 1.05, 1.0, 1.0, 1.1, 1.3])
ONLINE_SHARE = {  # share of dossiers filed online, reached in the middle of each year
    2017: 0.02,
    2018: 0.05,
    2019: 0.10,
    2020: 0.17,
    2021: 0.22,
    2022: 0.27,
    2023: 0.31,
    2024: 0.35,
    2025: 0.40,
    2026: 0.45,
}
POSTAL_SHARE = 0.015
LATE_TREND = {
    2017: 1.4,
    2018: 1.15,
    2019: 1.0,
    2020: 0.85,
    2021: 0.8,
    2022: 0.75,
    2023: 0.7,
    2024: 0.68,
    2025: 0.7,
    2026: 0.62,
}
STUCK_SHARE_LAST_YEAR = 0.002  # dossiers waiting on the applicant, never returned

# ((planned communes, planned agencies), (surprise communes, surprise agencies)) for the part
# of each year before (False) and after (True) the reform; 2019 is calibrated.
INSPECTIONS: dict[tuple[int, bool], tuple[tuple[int, int], tuple[int, int]]] = {
    (2017, False): ((6, 5), (2, 3)),
    (2018, False): ((7, 6), (3, 3)),
    (2019, False): ((8, 6), SURPRISE_INSPECTIONS_2019),
    (2020, False): ((6, 4), (2, 2)),
    (2021, False): ((7, 5), (2, 3)),
    (2022, False): ((8, 6), (3, 3)),
    (2023, False): ((8, 6), (3, 2)),
    (2024, False): ((7, 5), (3, 3)),
    (2025, False): ((3, 3), (1, 1)),
    (2025, True): ((3, 2), (2, 1)),
    (2026, True): ((5, 3), (2, 2)),
}
GOOD_OR_BETTER_OTHER_YEARS = {
    2017: {"hanh_chinh": 0.82, "su_nghiep": 0.71},
    2018: {"hanh_chinh": 0.84, "su_nghiep": 0.74},
    2020: {"hanh_chinh": 0.87, "su_nghiep": 0.77},
    2021: {"hanh_chinh": 0.88, "su_nghiep": 0.79},
    2022: {"hanh_chinh": 0.885, "su_nghiep": 0.80},
    2023: {"hanh_chinh": 0.89, "su_nghiep": 0.81},
    2024: {"hanh_chinh": 0.90, "su_nghiep": 0.82},
    # The first year under the new units, rated against the stricter 2025 criteria.
    2025: {"hanh_chinh": 0.86, "su_nghiep": 0.81},
}

# One random stream per table, so that tuning one table never reshuffles another.
_STREAMS = (
    "communes",
    "agencies",
    "receptions",
    "dialogues",
    "petitions",
    "procedures",
    "dossiers",
    "inspections",
    "staff_ratings",
)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _rng(seed: int, table_name: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64([seed, _STREAMS.index(table_name)]))


def _year_span(year: int) -> tuple[np.datetime64, np.datetime64]:
    first = max(np.datetime64(f"{year}-01-01", "D"), START)
    last = min(np.datetime64(f"{year}-12-31", "D"), END)
    return first, last


def _working_days_between(
    first: np.datetime64, last: np.datetime64, meetings: bool = False
) -> np.ndarray:
    """Working days from `first` to `last`; `meetings` also drops the distancing weeks."""
    days = np.arange(first, last + 1)
    keep = np.is_busday(days, holidays=HOLIDAYS)
    if meetings:
        keep &= (days < DISTANCING[0]) | (days > DISTANCING[1])
    return days[keep]


def _working_days(year: int, meetings: bool = False) -> np.ndarray:
    """Working days of `year` inside the demo period."""
    return _working_days_between(*_year_span(year), meetings=meetings)


@dataclass(frozen=True)
class Part:
    """The part of a year (inside the demo period) before or after the reform."""

    year: int
    first: np.datetime64
    last: np.datetime64
    reformed: bool

    @property
    def upper_level(self) -> str:
        return PROVINCE_LEVEL if self.reformed else DISTRICT_LEVEL

    @property
    def units(self) -> np.ndarray:
        """Indices into ALL_CODES of the communes that existed in this part."""
        return NEW_UNITS if self.reformed else OLD_UNITS

    def working_days(self, meetings: bool = False) -> np.ndarray:
        return _working_days_between(self.first, self.last, meetings)

    @property
    def share_of_year(self) -> float:
        """Its working days as a share of the whole calendar year's."""
        full = np.busday_count(
            np.datetime64(f"{self.year}-01-01"),
            np.datetime64(f"{self.year + 1}-01-01"),
            holidays=HOLIDAYS,
        )
        return self.working_days().size / int(full)


def _parts(year: int) -> list[Part]:
    first, last = _year_span(year)
    out = []
    if first <= DISTRICT_LAST_DAY:
        out.append(Part(year, first, min(last, DISTRICT_LAST_DAY), False))
    if last >= REFORM:
        out.append(Part(year, max(first, REFORM), last, True))
    return out


def _next_working_day(day: np.datetime64) -> np.datetime64:
    return np.busday_offset(day, 0, roll="forward", holidays=HOLIDAYS)


def _pydate(day: np.datetime64) -> date:
    return day.astype("datetime64[D]").item()


def _required(key: str, day: np.datetime64, level_code: str) -> int:
    """The number the rule `key` in force on `day` for `level_code` requires; 0 if none is."""
    rule = rule_in_force(key, _pydate(day), level_code)
    return rule.value if rule is not None else 0


def _scheduled_days(
    year: int, month: int, days_of_month: tuple[int, ...], required: int
) -> list[np.datetime64]:
    """The first `required` days of a monthly schedule, each moved to the next working day (or
    the previous one at the end of the month)."""
    if required > len(days_of_month):
        raise ValueError(f"the schedule {days_of_month} has fewer days than the rule's {required}")
    month_start = np.datetime64(f"{year}-{month:02d}-01", "D")
    month_end = (month_start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    out = []
    for dom in days_of_month[:required]:
        planned = np.datetime64(f"{year}-{month:02d}-{dom:02d}", "D")
        day = _next_working_day(planned)
        if day > month_end:
            day = np.busday_offset(planned, 0, roll="backward", holidays=HOLIDAYS)
        out.append(day)
    return out


def _months() -> Iterator[tuple[int, int, np.datetime64]]:
    """(year, month, first day) of every month of the demo period."""
    for month in np.arange(START.astype("datetime64[M]"), END.astype("datetime64[M]") + 1):
        first = month.astype("datetime64[D]")
        yield int(str(month)[:4]), int(str(month)[5:7]), first


def _split(rng: np.random.Generator, total: int, parts: int, minimum: int = 0) -> np.ndarray:
    """Unevenly spread integers, each >= minimum, summing exactly to total."""
    rest = total - parts * minimum
    if rest < 0:
        raise ValueError(f"cannot split {total} into {parts} parts of at least {minimum}")
    weights = rng.gamma(2.0, 1.0, parts)
    return minimum + rng.multinomial(rest, weights / weights.sum())


def _commune_activity(rng: np.random.Generator) -> np.ndarray:
    """Relative activity of each old commune (the two towns are busiest); sums to 1."""
    w = rng.lognormal(0.0, 0.35, N_COMMUNES) * np.where(IS_TOWN, 2.2, 1.0)
    return w / w.sum()


def _new_activity(activity: np.ndarray) -> np.ndarray:
    """A new commune's activity: the sum of its predecessors'."""
    return np.bincount(SUCCESSOR, weights=activity, minlength=N_NEW)


def _pick_day(rng: np.random.Generator, first: str, last: str) -> np.datetime64:
    return rng.choice(_working_days_between(np.datetime64(first), np.datetime64(last)))


def _sequence_ids(prefix: str, dates: np.ndarray, width: int) -> list[str]:
    """IDs numbered from 1 within each year; `dates` must already be sorted."""
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    ids: list[str] = []
    counter: dict[int, int] = {}
    for year in years.tolist():
        counter[year] = counter.get(year, 0) + 1
        ids.append(f"{prefix}-{year}-{counter[year]:0{width}d}")
    return ids


def _year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(int) + 1970


def _dates(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=missing)


def _optional_dates(values: list[np.datetime64 | None]) -> list[date | None]:
    return [None if v is None else _pydate(v) for v in values]


_ARROW_TYPES = {TEXT: pa.string(), INT: pa.int32(), DATE: pa.date32(), BOOL: pa.bool_()}


def _schema(spec: Table) -> pa.Schema:
    return pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in spec.columns])


def _arrow(spec: Table, columns: Mapping[str, Any]) -> pa.Table:
    """Columns in contract order and contract types; fails loudly on a missing or extra one."""
    if set(columns) != set(spec.column_names):
        raise ValueError(f"{spec.name}: columns {sorted(columns)} != {spec.column_names}")
    schema = _schema(spec)
    arrays = []
    for fld in schema:
        value = columns[fld.name]
        if isinstance(value, pa.Array):
            arrays.append(value.cast(fld.type))
        elif isinstance(value, np.ndarray) and value.dtype.kind != "O":
            arrays.append(pa.array(value, type=fld.type))
        else:
            arrays.append(pa.array(list(value), type=fld.type))
    return pa.Table.from_arrays(arrays, schema=schema)


# ---------------------------------------------------------------------------------------------
# Units and agencies
# ---------------------------------------------------------------------------------------------


def units_upper_table(spec: Table) -> pa.Table:
    return _arrow(
        spec,
        {
            "unit_code": [u[0] for u in UNITS_UPPER],
            "name": [u[1] for u in UNITS_UPPER],
            "level": [u[2] for u in UNITS_UPPER],
            "parent_code": [u[3] for u in UNITS_UPPER],
            "valid_from": _optional_dates([u[4] for u in UNITS_UPPER]),
            "valid_to": _optional_dates([u[5] for u in UNITS_UPPER]),
        },
    )


def communes_table(spec: Table) -> pa.Table:
    n = N_COMMUNES + N_NEW
    return _arrow(
        spec,
        {
            "commune_code": ALL_CODES,
            "name": [c[1] for c in COMMUNES] + [c[1] for c in NEW_COMMUNES],
            "kind": ["thi_tran" if town else "xa" for town in IS_TOWN] + ["xa"] * N_NEW,
            "remote": ALL_REMOTE,
            # No source publishes per-commune population: left empty rather than invented.
            "population": [None] * n,
            "one_stop_since": _optional_dates(
                [np.datetime64(c[3]) for c in COMMUNES] + [REFORM] * N_NEW
            ),
            "parent_code": [DISTRICT_CODE] * N_COMMUNES + [PROVINCE_AFTER] * N_NEW,
            "valid_from": _optional_dates([None] * N_COMMUNES + [REFORM] * N_NEW),
            "valid_to": _optional_dates([DISTRICT_LAST_DAY] * N_COMMUNES + [None] * N_NEW),
        },
    )


def unit_successions_table(spec: Table) -> pa.Table:
    return _arrow(
        spec,
        {
            "old_code": COMMUNE_CODES,
            "new_code": NEW_CODES[SUCCESSOR],
            "effective_date": _optional_dates([REFORM] * N_COMMUNES),
        },
    )


def agencies_table(spec: Table) -> pa.Table:
    codes = [o.code for o in OFFICES] + [p[0] for p in PROVINCE_OFFICES]
    names = [o.name for o in OFFICES] + [p[1] for p in PROVINCE_OFFICES]
    kinds = [o.kind for o in OFFICES] + ["chuyen_mon"] * len(PROVINCE_OFFICES)
    communes: list[str | None] = [None] * len(codes)
    all_names = [c[1] for c in COMMUNES] + [c[1] for c in NEW_COMMUNES]
    for code, name in zip(ALL_CODES.tolist(), all_names, strict=True):
        codes.append(commune_agency_code(code))
        names.append("UBND " + name[0].lower() + name[1:])
        kinds.append("ubnd_xa")
        communes.append(code)
    return _arrow(
        spec, {"agency_code": codes, "name": names, "kind": kinds, "commune_code": communes}
    )


# ---------------------------------------------------------------------------------------------
# Receptions and dialogues
# ---------------------------------------------------------------------------------------------

Reception = tuple[np.datetime64, str, str | None, str, str, float]  # ..., citizens weight
_LEVEL_ORDER = {PROVINCE_LEVEL: 0, DISTRICT_LEVEL: 1, COMMUNE_LEVEL: 2}


def _chairmen_receptions(rows: list[Reception]) -> None:
    """The district and provincial chairmen's scheduled days, as many a month as the rule in
    force for their level requires."""
    key = "chair_reception_days_per_month"
    for year, month, first in _months():
        if (year, month) in RECEPTIONS_SUSPENDED:
            continue
        if first <= DISTRICT_LAST_DAY:
            days = _scheduled_days(
                year, month, DISTRICT_CHAIR_DAYS_OF_MONTH, _required(key, first, DISTRICT_LEVEL)
            )
            for k, day in enumerate(days):
                delegated = (year, month) in DISTRICT_CHAIR_DELEGATED and k == len(days) - 1
                host = "uy_quyen" if delegated and k > 0 else "chu_tich"
                rows.append((day, DISTRICT_LEVEL, None, host, "dinh_ky", 1.0))
        province = PROVINCE_BEFORE if first <= DISTRICT_LAST_DAY else PROVINCE_AFTER
        days = _scheduled_days(
            year,
            month,
            PROVINCE_CHAIR_DAYS_OF_MONTH[province],
            _required(key, first, PROVINCE_LEVEL),
        )
        host = "pho_chu_tich" if (year, month) in PROVINCE_CHAIR_DEPUTISED else "chu_tich"
        for day in days:
            if day <= END:
                rows.append((day, PROVINCE_LEVEL, None, host, "dinh_ky", 1.0))


def _commune_chair_weeks(rng: np.random.Generator, rows: list[Reception]) -> None:
    """Each commune chairman's weekly day while the commune existed. Most keep it; a few weak
    communes often skip, sometimes sending a deputy instead."""
    n = N_COMMUNES + N_NEW
    weekday = rng.integers(0, 5, n)
    miss_rate = rng.uniform(0.0, 0.04, n)
    weak = np.concatenate(
        [rng.choice(np.flatnonzero(~IS_TOWN), 3, replace=False), rng.choice(NEW_UNITS, 1)]
    )
    miss_rate[weak] = rng.uniform(0.15, 0.30, weak.size)
    valid_from = np.where(np.arange(n) < N_COMMUNES, START, REFORM)
    valid_to = np.where(np.arange(n) < N_COMMUNES, DISTRICT_LAST_DAY, END)
    weight = UNIT_WEIGHT
    first_monday = np.busday_offset(START, 0, roll="backward", weekmask="Mon")
    mondays = np.arange(first_monday, END + 1, 7)
    all_days = np.arange(START, END + 1)
    usable = np.is_busday(all_days, holidays=HOLIDAYS) & (
        (all_days < DISTANCING[0]) | (all_days > DISTANCING[1])
    )
    usable_set = set(all_days[usable].tolist())
    for c, code in enumerate(ALL_CODES.tolist()):
        lo, hi = valid_from[c], valid_to[c]
        # The fixed weekday or, after a holiday, another day of the same week (later first).
        order = [*range(weekday[c], 5), *range(weekday[c] - 1, -1, -1)]
        for monday in mondays:
            # The week is the unit's when its Thursday is (the week's own rule).
            if not lo <= monday + 3 <= hi:
                continue
            candidates = [monday + j for j in order]
            day = next((d for d in candidates if lo <= d <= hi and d.item() in usable_set), None)
            if day is None:
                continue
            if rng.random() < miss_rate[c]:
                if rng.random() < 0.4:
                    host = "pho_chu_tich" if rng.random() < 0.6 else "uy_quyen"
                    rows.append((day, COMMUNE_LEVEL, code, host, "dinh_ky", weight[c]))
                continue
            rows.append((day, COMMUNE_LEVEL, code, "chu_tich", "dinh_ky", weight[c]))


def receptions_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    # (date, level, commune, host, kind, weight); the counts are drawn once all rows are known.
    rows: list[Reception] = []
    _chairmen_receptions(rows)

    # The upper level's citizen reception office (Ban tiếp công dân) on most working days, a
    # deputy chairman's scheduled day some months, the chairman's ad-hoc receptions a few times
    # a year; the provincial office saw citizens of the area now and then, often after 2025.
    for year in YEARS:
        for part in _parts(year):
            days = part.working_days(meetings=True)
            upper = part.upper_level
            if not part.reformed:
                for day in days[rng.random(days.size) < 0.45]:
                    rows.append((day, upper, None, "ban_tiep_cong_dan", "thuong_xuyen", 1.0))
            share = PROVINCE_DESK_DAY_SHARE[part.reformed]
            for day in days[rng.random(days.size) < share]:
                rows.append((day, PROVINCE_LEVEL, None, "ban_tiep_cong_dan", "thuong_xuyen", 0.7))
            for day in days[rng.random(days.size) < 0.025]:
                rows.append((day, upper, None, "pho_chu_tich", "dinh_ky", 1.0))
            n_adhoc = max(1, round(rng.integers(1, 4) * part.share_of_year))
            for day in rng.choice(days, n_adhoc, replace=False):
                rows.append((day, upper, None, "chu_tich", "dot_xuat", 1.0))

    _commune_chair_weeks(rng, rows)
    for year in YEARS:
        for part in _parts(year):
            days = part.working_days(meetings=True)
            # A commune official, authorised by the chairman, keeps the regular desk; a merged
            # commune's desk is open more often.
            desk_share = 0.15 if part.reformed else 0.07
            for unit in part.units:
                code = str(ALL_CODES[unit])
                weight = UNIT_WEIGHT[unit]
                for day in days[rng.random(days.size) < desk_share]:
                    rows.append((day, COMMUNE_LEVEL, code, "uy_quyen", "thuong_xuyen", weight))
                n_adhoc = round(rng.integers(0, 3) * part.share_of_year)
                for day in rng.choice(days, n_adhoc, replace=False):
                    rows.append((day, COMMUNE_LEVEL, code, "chu_tich", "dot_xuat", weight))

    rows.sort(key=lambda r: (r[0], _LEVEL_ORDER[r[1]], r[2] or "", r[3], r[4]))
    dates = np.array([r[0] for r in rows], dtype="datetime64[D]")
    level_ = np.array([r[1] for r in rows])
    host = np.array([r[3] for r in rows])
    kind = np.array([r[4] for r in rows])
    weight = np.array([r[5] for r in rows])

    desk = host == "ban_tiep_cong_dan"
    expected = (
        np.select(
            [
                desk & (level_ == DISTRICT_LEVEL),
                desk,
                level_ == DISTRICT_LEVEL,
                level_ == PROVINCE_LEVEL,
                kind == "thuong_xuyen",
            ],
            [1.9, 1.3, 2.2, 1.6, 1.3],
            0.9,
        )
        * weight
    )
    # A regular desk day is only logged when someone came.
    citizens = rng.poisson(expected) + (kind == "thuong_xuyen")
    calibrated = (
        (_year_of(dates) == CALIBRATION_YEAR)
        & (level_ == DISTRICT_LEVEL)
        & (host == "chu_tich")
        & (kind == "dinh_ky")
    )
    citizens[calibrated] = _split(rng, DISTRICT_CHAIR_CITIZENS_2019, int(calibrated.sum()))
    # Several citizens often come about one matter, and a crowd (đoàn đông người) is one case.
    cases = np.where(citizens > 0, 1 + rng.binomial(np.maximum(citizens - 1, 0), 0.55), 0)
    large_groups = ((citizens >= 5) & (rng.random(citizens.size) < 0.35)).astype(int)

    return _arrow(
        spec,
        {
            "reception_id": _sequence_ids("TD", dates, 5),
            "reception_date": dates,
            "level": level_,
            "commune_code": [r[2] for r in rows],
            "host": host,
            "kind": kind,
            "citizens": citizens,
            "cases": cases,
            "large_groups": large_groups,
        },
    )


def _dialogue_topics(year: int) -> tuple[str, ...]:
    extra: tuple[str, ...] = ()
    if year == 2020:
        extra = (COVID_TOPIC,) * 3
    elif year == 2021:
        extra = (COVID_TOPIC,) * 2
    elif year == 2025:
        extra = (MERGER_TOPIC,) * 3
    elif year == 2026:
        extra = (MERGER_TOPIC,)
    return DIALOGUE_TOPICS + extra


def _commune_dialogue_counts(
    rng: np.random.Generator, part: Part, activity: np.ndarray
) -> np.ndarray:
    """Dialogues per commune of the part (in the order of part.units)."""
    year = part.year
    if year == CALIBRATION_YEAR:
        n = COMMUNE_DIALOGUES_2019[0]
        return 1 + rng.multinomial(n - N_COMMUNES, activity)
    rate = COMMUNE_DIALOGUE_RATE[year] * N_COMMUNES * part.share_of_year
    if part.reformed:
        expected = rate * _new_activity(activity) * MERGED_DIALOGUE_FACTOR
    else:
        expected = rate * activity
    # Every commune holds one, but for the chosen few that skipped a year.
    per_commune = np.maximum(rng.poisson(expected), 1)
    if not part.reformed:
        skipped = rng.choice(N_COMMUNES, COMMUNES_WITHOUT_DIALOGUE.get(year, 0), replace=False)
        per_commune[skipped] = 0
    return per_commune


def dialogues_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    rows: list[tuple[np.datetime64, str, str | None, int, int, str]] = []

    def add(
        part: Part,
        level_code: str,
        venues: list[str | None],
        size: str,
        totals: tuple[int, int] | None = None,
    ) -> None:
        n = len(venues)
        if n == 0:
            return
        days = rng.choice(part.working_days(meetings=True), n)
        (a_lo, a_hi), (o_lo, o_hi) = DIALOGUE_SIZE[size]
        if totals is None:
            totals = (int(n * rng.uniform(a_lo, a_hi)), int(n * rng.uniform(o_lo, o_hi)))
        small = level_code == COMMUNE_LEVEL
        attendees = _split(rng, totals[0], n, minimum=15 if small else 12)
        opinions = _split(rng, totals[1], n, minimum=2 if small else 3)
        topics = _dialogue_topics(part.year)
        for day, code, a, o in zip(days, venues, attendees, opinions, strict=True):
            rows.append((day, level_code, code, int(a), int(o), str(rng.choice(topics))))

    activity = _commune_activity(rng)
    for year in YEARS:
        for part in _parts(year):
            codes = ALL_CODES[part.units]
            if part.reformed:
                # Provincial dialogues, held in one of the new communes.
                n = PROVINCE_DIALOGUES.get(year, 0)
                venues = list(rng.choice(codes, n, p=_new_activity(activity)))
                add(part, PROVINCE_LEVEL, venues, "tinh")
            else:
                # District dialogues, often held in a commune.
                totals = None
                if year == CALIBRATION_YEAR:
                    n, attendees, opinions = DISTRICT_DIALOGUES_2019
                    totals = (attendees, opinions)
                else:
                    n = DISTRICT_DIALOGUES[year]
                where = rng.choice(codes, n, p=activity)
                held_in_commune = rng.random(n) < 0.6
                venues = [
                    str(c) if h else None for c, h in zip(where, held_in_commune, strict=True)
                ]
                add(part, DISTRICT_LEVEL, venues, "huyen", totals)

            per_commune = _commune_dialogue_counts(rng, part, activity)
            totals = COMMUNE_DIALOGUES_2019[1:] if year == CALIBRATION_YEAR else None
            size = "xa_new" if part.reformed else "xa_old"
            add(part, COMMUNE_LEVEL, list(np.repeat(codes, per_commune)), size, totals)

    rows.sort(key=lambda r: (r[0], _LEVEL_ORDER[r[1]], r[2] or ""))
    dates = np.array([r[0] for r in rows], dtype="datetime64[D]")
    opinions = np.array([r[4] for r in rows])
    return _arrow(
        spec,
        {
            "dialogue_id": _sequence_ids("DT", dates, 4),
            "dialogue_date": dates,
            "level": [r[1] for r in rows],
            "commune_code": [None if r[2] is None else str(r[2]) for r in rows],
            "attendees": [r[3] for r in rows],
            "opinions": opinions,
            "opinions_answered": opinions - rng.binomial(opinions, 0.08),
            "topic": [r[5] for r in rows],
        },
    )


# ---------------------------------------------------------------------------------------------
# Petitions
# ---------------------------------------------------------------------------------------------


def _deadline_key(kind: str, round_: int, complex_: bool, remote: bool) -> str | None:
    """The rules-file key of a petition's statutory deadline; None for requests."""
    if kind == "khieu_nai":
        suffix = ""
        if complex_ and remote:
            suffix = "_complex_and_remote"
        elif complex_ or remote:
            suffix = "_complex_or_remote"
        return f"complaint_days_round{round_}{suffix}"
    if kind == "to_cao":
        return "denunciation_days" + ("_complex" if complex_ else "")
    return None


def _deadline_days(
    kind: np.ndarray,
    round_: np.ndarray,
    complex_: np.ndarray,
    remote: np.ndarray,
    accepted: np.ndarray,
    level_code: np.ndarray,
) -> np.ndarray:
    """Days from acceptance to the statutory deadline in force on the acceptance date
    (rules file); 0 where the law sets none."""
    out = np.zeros(kind.size, dtype=np.int64)
    cache: dict[tuple[str, date, str], int] = {}
    rows = zip(
        kind.tolist(),
        round_.tolist(),
        complex_.tolist(),
        remote.tolist(),
        accepted.astype("datetime64[D]").tolist(),
        level_code.tolist(),
        strict=True,
    )
    for i, (k, r, c, rem, day, lv) in enumerate(rows):
        key = _deadline_key(k, r, c, rem)
        if key is None:
            continue
        if (key, day, lv) not in cache:
            rule = rule_in_force(key, day, lv)
            if rule is None:
                raise ValueError(f"no rule {key} in force on {day} for level {lv}")
            cache[key, day, lv] = rule.value
        out[i] = cache[key, day, lv]
    return out


def _prolonged_petitions(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The article's long-standing district cases, 7 of 9 settled by the article date and the
    other two later, plus a few later ones (the last two handled by the province).

    The article's nine are kept to the district level so the rate reads 7/9 with or without a
    level filter.
    """
    n = PROLONGED_DISTRICT
    early = np.concatenate([_working_days(2017), _working_days(2018)])
    received = np.sort(rng.choice(early[early < np.datetime64("2018-07-01")], n, replace=False))
    accepted = received + rng.integers(3, 11, n)
    by_article = np.zeros(n, dtype=bool)
    by_article[rng.choice(n, PROLONGED_DISTRICT_RESOLVED, replace=False)] = True
    resolved = np.minimum(
        accepted + rng.integers(150, 1100, n), ARTICLE_DATE - rng.integers(3, 60, n)
    )
    later = [_pick_day(rng, *span) for span in PROLONGED_SETTLED_LATER]
    resolved[~by_article] = np.array(later, dtype="datetime64[D]")
    levels = [DISTRICT_LEVEL] * n
    settled = np.ones(n, dtype=bool)

    for level_code, got, done in LATER_PROLONGED:
        day = _pick_day(rng, *got)
        received = np.append(received, day)
        accepted = np.append(accepted, day + rng.integers(3, 11))
        resolved = np.append(resolved, _pick_day(rng, *done) if done else day)
        settled = np.append(settled, done is not None)
        levels.append(level_code)
    total = received.size
    kind = np.array(["khieu_nai"] * (total - 3) + ["to_cao"] * 3)
    rng.shuffle(kind)
    # Long-standing complaints are often in their second round.
    round_ = np.where((kind == "khieu_nai") & (rng.random(total) < 0.4), 2, 1)
    old_unit = rng.integers(0, N_COMMUNES, total)
    return {
        "received": received,
        "level": np.array(levels),
        "commune": recorded_commune(old_unit, received),
        "has_commune": np.ones(total, dtype=bool),
        "kind": kind,
        "field": rng.choice(PETITION_FIELDS[:3], total, p=(0.8, 0.1, 0.1)),
        "eligible": np.ones(total, dtype=bool),
        "in_jurisdiction": np.ones(total, dtype=bool),
        "complex": np.ones(total, dtype=bool),
        "prolonged": np.ones(total, dtype=bool),
        "withdrawn": np.zeros(total, dtype=bool),
        "accepted": accepted,
        "has_accepted": np.ones(total, dtype=bool),
        "due": accepted,
        "has_due": np.zeros(total, dtype=bool),  # left to the law, like most records
        "resolved": resolved,
        "has_resolved": settled,
        "outcome": rng.choice(OUTCOMES, total, p=OUTCOME_P),
        "has_outcome": settled,
        "round": round_,
    }


def petitions_table(spec: Table, rng: np.random.Generator, scale: int) -> pa.Table:
    activity = _commune_activity(rng)
    level_parts, received_parts, group_parts = [], [], []
    for year in YEARS:
        for part in _parts(year):
            days = part.working_days()
            for group, per_year in PETITIONS_PER_YEAR.items():
                shift = REFORM_PETITION_SHIFT[group] if part.reformed else 1.0
                n = round(per_year[year] * part.share_of_year * shift) * scale
                level_code = COMMUNE_LEVEL if group == "xa" else part.upper_level
                level_parts.append(np.full(n, level_code))
                group_parts.append(np.full(n, group == "xa"))
                received_parts.append(rng.choice(days, n))
    level_ = np.concatenate(level_parts)
    is_xa = np.concatenate(group_parts)
    received = np.concatenate(received_parts)
    n = level_.size

    commune = recorded_commune(rng.choice(N_COMMUNES, n, p=activity), received)
    has_commune = is_xa | (rng.random(n) < 0.9)
    kind = np.where(
        is_xa,
        rng.choice(PETITION_KINDS, n, p=PETITION_KIND_P["xa"]),
        rng.choice(PETITION_KINDS, n, p=PETITION_KIND_P["upper"]),
    )
    round_ = np.where((kind == "khieu_nai") & ~is_xa & (rng.random(n) < ROUND_TWO_SHARE), 2, 1)
    field = rng.choice(PETITION_FIELDS, n, p=PETITION_FIELD_P)
    eligible = rng.random(n) < 0.93
    in_jurisdiction = rng.random(n) < np.where(is_xa, 0.80, 0.86)  # others are forwarded
    withdrawn = eligible & in_jurisdiction & (rng.random(n) < 0.03)
    complex_ = (kind != "kien_nghi_phan_anh") & (rng.random(n) < 0.15)
    remote = ALL_REMOTE[commune] & has_commune

    # Most are accepted within a few days, some later; none after the end of the data.
    delay = np.where(rng.random(n) < 0.92, rng.integers(0, 11, n), rng.integers(11, 25, n))
    accepted = received + delay
    # A unit that ended on 30/6/2025 accepted what it received in its last days before then.
    ended = received <= DISTRICT_LAST_DAY
    accepted = np.where(ended, np.minimum(accepted, DISTRICT_LAST_DAY), accepted)
    has_accepted = eligible & in_jurisdiction & (accepted <= END)
    legal = _deadline_days(kind, round_, complex_, remote, accepted, level_)
    # An explicit deadline for some complaints and denunciations (the legal one, written down)
    # and for some requests (the office's own service standard); the rest are left empty.
    explicit = np.where(legal > 0, rng.random(n) < 0.35, rng.random(n) < 0.30) & has_accepted
    due_days = np.where(legal > 0, legal, REQUEST_SERVICE_DAYS)
    due = accepted + due_days

    # Timing against the deadline: mostly on time, some late (fewer each year, more while the
    # new units settled in), a few long overdue or never settled.
    year = _year_of(received)
    late_share = np.select([year == y for y in YEARS], [PETITIONS_LATE[y] for y in YEARS])
    teething = (received >= REFORM_TEETHING[0]) & (received <= REFORM_TEETHING[1])
    late_share = np.where(teething, late_share * REFORM_LATE_FACTOR, late_share)
    u = rng.random(n)
    on_time = np.ceil(due_days * rng.uniform(0.25, 1.0, n)).astype(int)
    late = due_days + rng.integers(1, 46, n)
    long_late = due_days + rng.integers(60, 400, n)
    never = u < PETITIONS_NEVER
    taken = np.select(
        [
            u < PETITIONS_NEVER + PETITIONS_LONG_LATE,
            u < PETITIONS_NEVER + PETITIONS_LONG_LATE + late_share,
        ],
        [long_late, late],
        on_time,
    )
    resolved = accepted + taken
    # The units that ended on 30/6/2025 closed their files: what was still open was settled in
    # their last weeks, late or not.
    closing = ended & has_accepted & ~withdrawn & (never | (resolved > DISTRICT_LAST_DAY))
    last_weeks = np.maximum(accepted, DISTRICT_LAST_DAY - rng.integers(0, 20, n))
    resolved = np.where(closing, last_weeks, resolved)
    never &= ~closing
    has_resolved = has_accepted & ~withdrawn & ~never & (resolved <= END)
    has_outcome = has_resolved & (kind != "kien_nghi_phan_anh")

    generated = {
        "received": received,
        "level": level_,
        "commune": commune,
        "has_commune": has_commune,
        "kind": kind,
        "field": field,
        "eligible": eligible,
        "in_jurisdiction": in_jurisdiction,
        "complex": complex_,
        "prolonged": np.zeros(n, dtype=bool),
        "withdrawn": withdrawn,
        "accepted": accepted,
        "has_accepted": has_accepted,
        "due": due,
        "has_due": explicit,
        "resolved": resolved,
        "has_resolved": has_resolved,
        "outcome": rng.choice(OUTCOMES, n, p=OUTCOME_P),
        "has_outcome": has_outcome,
        "round": round_,
    }
    prolonged = _prolonged_petitions(rng)
    col = {k: np.concatenate([generated[k], prolonged[k]]) for k in generated}
    order = np.lexsort((col["level"], col["received"]))
    col = {k: v[order] for k, v in col.items()}

    codes = ALL_CODES[col["commune"]]
    return _arrow(
        spec,
        {
            "petition_id": _sequence_ids("DON", col["received"], 5),
            "received_date": col["received"],
            "level": col["level"],
            "commune_code": pa.array(codes, mask=~col["has_commune"]),
            "kind": col["kind"],
            "field": col["field"],
            "eligible": col["eligible"],
            "in_jurisdiction": col["in_jurisdiction"],
            "complex": col["complex"],
            "prolonged": col["prolonged"],
            "accepted_date": _dates(col["accepted"], ~col["has_accepted"]),
            "due_date": _dates(col["due"], ~col["has_due"]),
            "resolved_date": _dates(col["resolved"], ~col["has_resolved"]),
            "outcome": pa.array(col["outcome"], mask=~col["has_outcome"]),
            "withdrawn": col["withdrawn"],
            "round": col["round"],
        },
    )


# ---------------------------------------------------------------------------------------------
# Procedures and dossiers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The procedure catalogue plus what the dossier generator needs to know about it."""

    table: pa.Table
    codes: np.ndarray
    level: np.ndarray
    committed: np.ndarray  # effective committed days (statutory when not cut)
    online: np.ndarray  # bool: can be filed online
    at_desk: np.ndarray
    popularity: np.ndarray  # relative dossier volume within its desk
    successor: np.ndarray  # row serving the same demand from 01/7/2025 (itself if unchanged)


def _names(base: tuple[str, ...], n: int) -> list[str]:
    """`n` names from `base`; real catalogues list several variants of a busy procedure."""
    out = []
    for i in range(n):
        variant = i // len(base)
        name = base[i % len(base)]
        out.append(name if variant == 0 else f"{name} (trường hợp {variant + 1})")
    return out


def _provincial_name(name: str) -> str:
    for old, new in PROVINCIAL_WORDING:
        name = name.replace(old, new)
    return name


def _online_levels(rng: np.random.Generator, rank_share: np.ndarray, push: bool) -> np.ndarray:
    """Online service level of each procedure: the busiest (the first 30% of each office's
    list) were put online first; the province pushed end-to-end service further."""
    top = rank_share < 0.3
    if push:
        p_top, p_rest = (0.05, 0.40, 0.55), (0.35, 0.40, 0.25)
    else:
        p_top, p_rest = (0.15, 0.50, 0.35), (0.60, 0.30, 0.10)
    levels_ = ("khong", "mot_phan", "toan_trinh")
    return np.where(
        top,
        rng.choice(levels_, rank_share.size, p=p_top),
        rng.choice(levels_, rank_share.size, p=p_rest),
    )


def procedures_catalogue(spec: Table, rng: np.random.Generator) -> Catalogue:
    codes: list[str] = []
    names: list[str] = []
    levels: list[str] = []
    agencies: list[str | None] = []
    fields: list[str] = []
    statutory_parts: list[np.ndarray] = []
    popularity_parts: list[np.ndarray] = []
    rank_parts: list[np.ndarray] = []
    commune_days: list[int] = []

    counters = {DISTRICT_LEVEL: 0, "nganh_doc": 0}
    for office in OFFICES:
        if not office.procedures:
            continue
        level_code = DISTRICT_LEVEL if office.kind == "chuyen_mon" else "nganh_doc"
        for name in _names(DISTRICT_PROCEDURE_NAMES[office.code], office.procedures):
            counters[level_code] += 1
            prefix = "H" if level_code == DISTRICT_LEVEL else "N"
            codes.append(f"{prefix}-{counters[level_code]:03d}")
            names.append(name)
            levels.append(level_code)
            agencies.append(office.code)
            fields.append(office.field)
        statutory_parts.append(rng.choice(office.days, office.procedures))
        rank = np.arange(office.procedures)
        weight = rng.lognormal(0.0, 0.5, office.procedures) / (1 + rank) ** 1.2
        popularity_parts.append(office.desk_share * weight / weight.sum())
        rank_parts.append(rank / office.procedures)

    base_names = tuple(p[0] for p in COMMUNE_PROCEDURES)
    for i, name in enumerate(_names(base_names, COMMUNE_PROCEDURES_TOTAL)):
        _, field, days = COMMUNE_PROCEDURES[i % len(COMMUNE_PROCEDURES)]
        codes.append(f"X-{i + 1:03d}")
        names.append(name)
        levels.append(COMMUNE_LEVEL)
        agencies.append(None)  # every commune People's Committee handles all of them
        fields.append(field)
        commune_days.append(days)
    statutory_parts.append(np.array(commune_days))
    rank = np.arange(COMMUNE_PROCEDURES_TOTAL)
    weight = rng.lognormal(0.0, 0.5, COMMUNE_PROCEDURES_TOTAL) / (1 + rank) ** 1.2
    popularity_parts.append(weight / weight.sum())
    rank_parts.append(rank / COMMUNE_PROCEDURES_TOTAL)

    level_ = np.array(levels)
    statutory = np.concatenate(statutory_parts)
    popularity = np.concatenate(popularity_parts)
    rank_share = np.concatenate(rank_parts)
    n = level_.size
    committed = statutory.copy()
    cut = np.zeros(n, dtype=bool)

    # District: 90 procedures cut to about a fifth of the statutory time.
    district = np.flatnonzero((level_ == DISTRICT_LEVEL) & (statutory >= 2))
    chosen = rng.choice(district, DISTRICT_PROCEDURES_CUT, replace=False)
    committed[chosen] = np.maximum(1, np.round(statutory[chosen] / 5)).astype(int)
    cut[chosen] = True

    # Communes: 27 procedures cut by 1 to 20 days, the range the article reports.
    commune = np.flatnonzero(level_ == COMMUNE_LEVEL)
    long_ones = commune[statutory[commune] > COMMUNE_MAX_CUT_DAYS]
    longest = rng.choice(long_ones)
    others = rng.choice(
        np.setdiff1d(commune[statutory[commune] >= 2], [longest]),
        COMMUNE_PROCEDURES_CUT - 1,
        replace=False,
    )
    by_days = rng.integers(1, np.minimum(COMMUNE_MAX_CUT_DAYS, statutory[others] - 1) + 1)
    by_days[0] = 1
    committed[others] = statutory[others] - by_days
    committed[longest] = statutory[longest] - COMMUNE_MAX_CUT_DAYS
    cut[others] = cut[longest] = True

    at_desk = np.ones(n, dtype=bool)
    at_desk[rng.choice(commune, COMMUNE_PROCEDURES_OFF_DESK, replace=False)] = False
    online_level = _online_levels(rng, rank_share, push=False)

    # From 01/7/2025 each district procedure is served by a provincial department (at the
    # provincial public service centre and its points in the communes), keeping its times.
    # The vertical branches' and the communes' procedures carry on as they were.
    former = np.flatnonzero(level_ == DISTRICT_LEVEL)
    successor = np.arange(n + former.size)
    successor[former] = n + np.arange(former.size)
    codes += [f"T-{k + 1:03d}" for k in range(former.size)]
    names += [_provincial_name(names[i]) for i in former]
    agencies += [PROVINCE_OFFICE_OF[str(agencies[i])] for i in former]
    fields += [fields[i] for i in former]
    level_ = np.concatenate([level_, np.full(former.size, PROVINCE_LEVEL)])
    statutory = np.concatenate([statutory, statutory[former]])
    committed = np.concatenate([committed, committed[former]])
    cut = np.concatenate([cut, cut[former]])
    at_desk = np.concatenate([at_desk, np.ones(former.size, dtype=bool)])
    popularity = np.concatenate([popularity, popularity[former]])
    online_level = np.concatenate(
        [online_level, _online_levels(rng, rank_share[former], push=True)]
    )

    # Uncut rows often leave the committed time empty: the contract defaults it to statutory.
    committed_missing = ~cut & (rng.random(level_.size) < 0.3)
    table = _arrow(
        spec,
        {
            "procedure_code": codes,
            "name": names,
            "level": level_,
            "agency_code": agencies,
            "field": fields,
            "statutory_days": statutory,
            "committed_days": pa.array(committed, mask=committed_missing),
            "at_one_stop": at_desk,
            "online_level": online_level,
        },
    )
    return Catalogue(
        table=table,
        codes=np.array(codes),
        level=level_,
        committed=committed,
        online=online_level != "khong",
        at_desk=at_desk,
        popularity=popularity,
        successor=successor,
    )


def _dossier_season(days: np.ndarray) -> np.ndarray:
    """Relative daily volume: Tết rush and slow restart, end-of-year peak, distancing, and the
    slow first fortnight of the new communes."""
    month = days.astype("datetime64[M]").astype(int) % 12
    factor = DOSSIER_MONTH_FACTOR[month].copy()
    for tet in TET:
        factor[(days >= tet - 21) & (days < tet - 2)] *= 1.3
        factor[(days > tet + 4) & (days <= tet + 18)] *= 0.6
    factor[(days >= DISTANCING[0]) & (days <= DISTANCING[1])] *= 0.45
    factor[(days >= REFORM_SLOW_START[0]) & (days <= REFORM_SLOW_START[1])] *= 0.7
    return factor


def _online_target(days: np.ndarray) -> np.ndarray:
    """Share of dossiers filed online on each day, rising smoothly between the yearly marks."""
    years = np.array(sorted(ONLINE_SHARE))
    mid = np.array([np.datetime64(f"{y}-07-01") for y in years]).astype(int)
    return np.interp(days.astype(int), mid, [ONLINE_SHARE[y] for y in years])


def dossier_batches(
    spec: Table, rng: np.random.Generator, catalogue: Catalogue, scale: int
) -> Iterator[pa.RecordBatch]:
    """Record batches in date order, one a month, so memory stays flat at large scales.

    Desks 0..22 are the old communes' desks and 23..30 the new communes' (the same indices as
    ALL_CODES); desk 31 stands for the upper level: the district desk until 30/6/2025, then the
    provincial centre and the vertical branches serving the same demand.
    """
    schema = _schema(spec)
    activity = _commune_activity(rng)
    upper_desk = N_COMMUNES + N_NEW
    n_desks = upper_desk + 1
    per_year = np.concatenate(
        [
            DOSSIERS_PER_YEAR["xa"] * activity,
            DOSSIERS_PER_YEAR["xa"] * _new_activity(activity) * REFORM_DOSSIER_SHIFT["xa"],
            [DOSSIERS_PER_YEAR["upper"]],
        ]
    )
    per_day = per_year / len(_working_days(CALIBRATION_YEAR))
    late_rate = np.concatenate(
        [
            rng.lognormal(np.log(0.025), 0.5, N_COMMUNES),
            rng.lognormal(np.log(0.022), 0.4, N_NEW),
            [0.03],
        ]
    )
    late_rate[rng.choice(N_COMMUNES, 3, replace=False)] *= 2.5
    late_rate[rng.choice(NEW_UNITS)] *= 2.0
    time_used = rng.uniform(0.35, 0.75, n_desks)  # typical share of the promised time used
    apology_rate = np.concatenate(
        [rng.uniform(0.55, 0.98, N_COMMUNES), rng.uniform(0.75, 0.98, N_NEW), [0.9]]
    )

    commune_pool = np.flatnonzero((catalogue.level == COMMUNE_LEVEL) & catalogue.at_desk)
    upper_pool = np.flatnonzero(np.isin(catalogue.level, (DISTRICT_LEVEL, "nganh_doc")))
    pools = []
    for pool in (commune_pool, upper_pool):
        p = catalogue.popularity[pool] / catalogue.popularity[pool].sum()
        pools.append((pool, p))

    def online_capacity(pool: np.ndarray, p: np.ndarray) -> float:
        return float(p[catalogue.online[pool]].sum())

    capacity_commune = online_capacity(*pools[0])
    capacity_before = online_capacity(*pools[1])
    capacity_after = online_capacity(catalogue.successor[pools[1][0]], pools[1][1])
    all_codes = pa.array(ALL_CODES)
    is_old_desk = np.arange(n_desks) < N_COMMUNES
    is_new_desk = (np.arange(n_desks) >= N_COMMUNES) & (np.arange(n_desks) < upper_desk)

    for year in YEARS:
        days = _working_days(year)
        after = days >= REFORM
        open_ = np.where(after[:, None], ~is_old_desk, ~is_new_desk)
        desk_rate = np.where(
            after[:, None] & (np.arange(n_desks) == upper_desk), REFORM_DOSSIER_SHIFT["upper"], 1.0
        )
        rate = (_dossier_season(days) * DOSSIER_TREND[year])[:, None] * per_day * desk_rate
        counts = rng.poisson(rate * open_ * scale)  # days x desks, so rows come out in date order
        # One batch a month keeps memory flat at large scales; IDs run on through the year.
        month_of = days.astype("datetime64[M]")
        first_id = 1
        for month in np.unique(month_of):
            in_month = month_of == month
            m_days, m_counts = days[in_month], counts[in_month]
            day_idx = np.repeat(np.repeat(np.arange(m_days.size), n_desks), m_counts.ravel())
            desk = np.repeat(np.tile(np.arange(n_desks), m_days.size), m_counts.ravel())
            received = m_days[day_idx]
            n = received.size
            at_upper = desk == upper_desk
            reformed = received >= REFORM

            procedure = np.empty(n, dtype=np.int64)
            procedure[~at_upper] = rng.choice(commune_pool, int((~at_upper).sum()), p=pools[0][1])
            procedure[at_upper] = rng.choice(upper_pool, int(at_upper.sum()), p=pools[1][1])
            # The district's procedures are the province's from the reform on.
            procedure = np.where(reformed, catalogue.successor[procedure], procedure)
            capacity = np.where(
                at_upper, np.where(reformed, capacity_after, capacity_before), capacity_commune
            )
            p_online = np.minimum(0.95, _online_target(received) / capacity)
            distancing = (received >= DISTANCING[0]) & (received <= DISTANCING[1])
            p_online = np.where(distancing, np.minimum(0.95, p_online * 1.8), p_online)
            u = rng.random(n)
            channel = np.where(
                catalogue.online[procedure] & (u < p_online),
                1,
                np.where(u > 1 - POSTAL_SHARE, 2, 0),
            )
            # Commune desks record their own commune; the upper desk the applicant's, unknown for
            # some businesses and applicants from outside the area.
            applicant = recorded_commune(rng.choice(N_COMMUNES, n, p=activity), received)
            commune = np.where(at_upper, applicant, desk)
            commune_missing = at_upper & (rng.random(n) < 0.05)

            committed = catalogue.committed[procedure]
            due = np.busday_offset(received, committed, roll="forward", holidays=HOLIDAYS)
            teething = (received >= REFORM_TEETHING[0]) & (received <= REFORM_TEETHING[1])
            late_p = (
                late_rate[desk] * LATE_TREND[year] * np.where(teething, REFORM_LATE_FACTOR, 1.0)
            )
            is_late = rng.random(n) < late_p
            used = np.where(
                is_late, committed + rng.geometric(0.2, n), rng.binomial(committed, time_used[desk])
            )
            finished = np.busday_offset(received, used, roll="forward", holidays=HOLIDAYS)
            stuck = (year == YEARS[-1]) & (rng.random(n) < STUCK_SHARE_LAST_YEAR)
            unfinished = stuck | (finished > END)
            apology = is_late & (rng.random(n) < apology_rate[desk])
            redated = (apology & (rng.random(n) < 0.9)).astype(np.int32)

            seq = pc.cast(pa.array(np.arange(first_id, first_id + n)), pa.string())
            first_id += n
            ids = pc.binary_join_element_wise(f"HS-{year}-", pc.utf8_lpad(seq, 7, "0"), "")
            yield pa.RecordBatch.from_arrays(
                [
                    ids,
                    pa.DictionaryArray.from_arrays(
                        pa.array(procedure, pa.int32()), pa.array(catalogue.codes)
                    ).cast(pa.string()),
                    pa.DictionaryArray.from_arrays(
                        pa.array(commune, pa.int32(), mask=commune_missing), all_codes
                    ).cast(pa.string()),
                    pa.DictionaryArray.from_arrays(
                        pa.array(channel, pa.int32()),
                        pa.array(("truc_tiep", "truc_tuyen", "buu_chinh")),
                    ).cast(pa.string()),
                    _dates(received),
                    _dates(due),
                    _dates(finished, unfinished),
                    pa.array(apology),
                    pa.array(redated, pa.int32()),
                ],
                schema=schema,
            )


# ---------------------------------------------------------------------------------------------
# Inspections and staff ratings
# ---------------------------------------------------------------------------------------------


def inspections_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    targets_before = np.array([o.code for o in OFFICES if o.kind in ("chuyen_mon", "su_nghiep")])
    targets_after = np.array([c for c in targets_before if c in CARRIED_ON])
    rows: list[tuple[np.datetime64, str, str | None, str | None, bool]] = []
    for year in YEARS:
        # Distinct targets within a year: nobody is inspected twice in the same way.
        done: dict[tuple[str, bool], set[str]] = {}
        for part in _parts(year):
            days = part.working_days(meetings=True)
            planned, surprise = INSPECTIONS[year, part.reformed]
            communes = ALL_CODES[part.units]
            agencies = targets_after if part.reformed else targets_before
            for n_communes, n_agencies, is_surprise in ((*planned, False), (*surprise, True)):
                for kind, pool, k in (
                    ("xa", communes, n_communes),
                    ("co_quan", agencies, n_agencies),
                ):
                    seen = done.setdefault((kind, is_surprise), set())
                    free = np.array([c for c in pool.tolist() if c not in seen])
                    for code in rng.choice(free, k, replace=False).tolist():
                        seen.add(code)
                        commune, agency = (code, None) if kind == "xa" else (None, code)
                        rows.append((rng.choice(days), kind, commune, agency, is_surprise))
    rows.sort(key=lambda r: (r[0], r[1], r[2] or "", r[3] or ""))
    dates = np.array([r[0] for r in rows], dtype="datetime64[D]")
    surprise = np.array([r[4] for r in rows])
    violations = rng.poisson(np.where(surprise, 1.6, 1.0))
    # Recent findings have had less time to be put right.
    recent = dates > END - 60
    unfixed = rng.binomial(violations, np.where(recent, 0.6, 0.15))
    return _arrow(
        spec,
        {
            "inspection_id": _sequence_ids("KT", dates, 3),
            "inspection_date": dates,
            "target_kind": [r[1] for r in rows],
            "commune_code": [r[2] for r in rows],
            "agency_code": [r[3] for r in rows],
            "surprise": surprise,
            "violations": violations,
            "violations_fixed": violations - unfixed,
        },
    )


def _calibrate_total(rated: np.ndarray, pct: float) -> int:
    """Nudge the largest unit's headcount until some count of good-or-better officials gives
    exactly `pct` to 2 decimals (with a margin, so no rounding mode can tip it); return it."""
    biggest = int(np.argmax(rated))
    for step in range(1, 400):
        delta = (step // 2) * (1 if step % 2 else -1)
        total = int(rated.sum()) + delta
        good = round(pct / 100 * total)
        if abs(good / total * 100 - pct) < 0.004:
            rated[biggest] += delta
            return good
    raise ValueError(f"no headcount near {rated.sum()} gives {pct}%")


def _split_ratings(
    rng: np.random.Generator, rated: np.ndarray, good_total: int, rate: float
) -> np.ndarray:
    """Per-unit counts (excellent, good, completed, not completed) with the given good total."""
    n = rated.size
    share = np.clip(rng.normal(rate, 0.06, n), 0.45, 1.0)
    good_or_better = np.minimum(np.floor(share * rated).astype(int), rated)
    for i in rng.permutation(np.repeat(np.arange(n), 50)):
        gap = good_total - good_or_better.sum()
        if gap == 0:
            break
        if gap > 0 and good_or_better[i] < rated[i]:
            good_or_better[i] += 1
        elif gap < 0 and good_or_better[i] > 0:
            good_or_better[i] -= 1
    if good_or_better.sum() != good_total:
        raise ValueError("rating split did not converge")
    excellent = np.minimum(good_or_better, np.round(rated * rng.uniform(0.08, 0.2, n)).astype(int))
    rest = rated - good_or_better
    not_completed = rng.binomial(rest, 0.04)
    good = good_or_better - excellent
    return np.column_stack([excellent, good, rest - not_completed, not_completed])


def _rated_units(
    year: int, commune_staff: np.ndarray, new_staff: np.ndarray
) -> list[tuple[str, int, bool]]:
    """(agency, usual headcount, public service?) of the units rated for `year`: the district's
    and the old communes' until 2024; for 2025, the units that existed at the year's end."""
    reformed = np.datetime64(f"{year}-12-31") >= REFORM
    offices = [o for o in OFFICES if o.staff and (not reformed or o.code in CARRIED_ON)]
    units = [(o.code, o.staff, o.kind == "su_nghiep") for o in offices]
    codes, staff = (NEW_CODES, new_staff) if reformed else (COMMUNE_CODES, commune_staff)
    units += [(commune_agency_code(c), int(s), False) for c, s in zip(codes, staff, strict=True)]
    return units


def staff_ratings_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    commune_staff = rng.integers(COMMUNE_STAFF[0], COMMUNE_STAFF[1] + 1, N_COMMUNES)
    kept = rng.uniform(*NEW_COMMUNE_STAFF_KEPT, N_NEW)
    from_district = rng.integers(
        NEW_COMMUNE_STAFF_FROM_DISTRICT[0], NEW_COMMUNE_STAFF_FROM_DISTRICT[1] + 1, N_NEW
    )
    new_staff = (
        np.round(np.bincount(SUCCESSOR, weights=commune_staff, minlength=N_NEW) * kept).astype(int)
        + from_district
    )

    rows: list[tuple[Any, ...]] = []
    for year in RATING_YEARS:
        units = _rated_units(year, commune_staff, new_staff)
        codes = [u[0] for u in units]
        base = np.array([u[1] for u in units])
        sectors = np.where([u[2] for u in units], "su_nghiep", "hanh_chinh")
        rated = np.maximum(1, np.round(base * rng.uniform(0.94, 1.06, base.size))).astype(int)
        for sector in ("hanh_chinh", "su_nghiep"):
            idx = np.flatnonzero(sectors == sector)
            sector_rated = rated[idx]
            if year == CALIBRATION_YEAR:
                pct = GOOD_OR_BETTER_PCT_2019[sector]
                good_total = _calibrate_total(sector_rated, pct)
                rate = pct / 100
            else:
                rate = GOOD_OR_BETTER_OTHER_YEARS[year][sector] + rng.normal(0, 0.01)
                good_total = round(rate * sector_rated.sum())
            counts = _split_ratings(rng, sector_rated, good_total, rate)
            for k, i in enumerate(idx):
                rows.append((year, codes[i], sector, int(sector_rated[k]), *counts[k].tolist()))
    names = ("year", "agency_code", "sector", "rated")
    names += ("excellent", "good", "completed", "not_completed")
    return _arrow(spec, {name: [r[j] for r in rows] for j, name in enumerate(names)})


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _write(con: duckdb.DuckDBPyConnection, source: Any, spec: Table, path: pathlib.Path) -> int:
    """DuckDB's CSV writer quotes only where needed and writes nulls as empty fields."""
    con.register("demo_source", source)
    try:
        columns = ", ".join(spec.column_names)
        target = str(path).replace("'", "''")
        sql = f"COPY (SELECT {columns} FROM demo_source) TO '{target}' (FORMAT csv, HEADER)"
        (rows,) = con.execute(sql).fetchone()
        return int(rows)
    finally:
        con.unregister("demo_source")


# From this scale on the dossiers are written as one part file a month by default: a building
# machine then never holds a whole year, let alone the whole table, in memory.
PARTS_FROM_SCALE = 10
PART_PATTERN = "{table}.part-{month}.csv"


def dossier_part_name(month: date) -> str:
    """File name of the dossiers received in `month` when the table is written in parts."""
    return PART_PATTERN.format(table="dossiers", month=f"{month:%Y-%m}")


def generate_csvs(
    out_dir: pathlib.Path, seed: int = 2019, scale: int = 1, parts: bool | None = None
) -> dict[str, int]:
    """Write the contract-format CSV files (<table>.csv, header = canonical column names in the
    order of data/contract.py, UTF-8, ISO dates YYYY-MM-DD, booleans true/false, empty string
    for null) into out_dir; return rows per table. The holidays are not written: every build
    loads the ones shipped with the repository, which the demo uses too.

    With `parts` (the default from scale PARTS_FROM_SCALE on) the dossiers go to one file a
    month, `dossiers.part-YYYY-MM.csv`, each with the header, instead of `dossiers.csv`; the
    rows are the same and in the same order, only split. The generator draws one month at a
    time either way, so memory stays flat in the scale."""
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    if parts is None:
        parts = scale >= PARTS_FROM_SCALE
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Leftovers of an earlier run in the other layout would make the folder ambiguous.
    for stale in [out_dir / "dossiers.csv", *out_dir.glob("dossiers.part-*.csv")]:
        stale.unlink(missing_ok=True)
    specs = {t.name: t for t in TABLES}

    catalogue = procedures_catalogue(specs["procedures"], _rng(seed, "procedures"))
    tables: dict[str, pa.Table] = {
        "units_upper": units_upper_table(specs["units_upper"]),
        "communes": communes_table(specs["communes"]),
        "unit_successions": unit_successions_table(specs["unit_successions"]),
        "agencies": agencies_table(specs["agencies"]),
        "receptions": receptions_table(specs["receptions"], _rng(seed, "receptions")),
        "dialogues": dialogues_table(specs["dialogues"], _rng(seed, "dialogues")),
        "petitions": petitions_table(specs["petitions"], _rng(seed, "petitions"), scale),
        "procedures": catalogue.table,
        "inspections": inspections_table(specs["inspections"], _rng(seed, "inspections")),
        "staff_ratings": staff_ratings_table(specs["staff_ratings"], _rng(seed, "staff_ratings")),
    }

    counts: dict[str, int] = {}
    con = duckdb.connect()
    try:
        # Output order must follow input order for the files to be byte-identical on re-run.
        con.execute("SET preserve_insertion_order = true")
        for spec in TABLES:
            if spec.name == "dossiers":
                batches = dossier_batches(spec, _rng(seed, "dossiers"), catalogue, scale)
                if parts:
                    counts[spec.name] = _write_dossier_parts(con, batches, spec, out_dir)
                    continue
                source: Any = pa.RecordBatchReader.from_batches(_schema(spec), batches)
            elif spec.name in tables:
                source = tables[spec.name]
            else:
                continue
            counts[spec.name] = _write(con, source, spec, out_dir / f"{spec.name}.csv")
    finally:
        con.close()
    return counts


def _write_dossier_parts(
    con: duckdb.DuckDBPyConnection,
    batches: Iterator[pa.RecordBatch],
    spec: Table,
    out_dir: pathlib.Path,
) -> int:
    """One part file per monthly batch; only that month is in memory while it is written."""
    rows = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        month = batch.column(spec.column_names.index("received_date"))[0].as_py()
        path = out_dir / dossier_part_name(month)
        if path.exists():  # the batches are monthly: a second one for a month is a bug
            raise ValueError(f"two batches for {month:%Y-%m}")
        rows += _write(con, pa.Table.from_batches([batch]), spec, path)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the Bắc Quang demo data as contract CSVs.")
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--scale", type=int, default=1, help="multiplies petitions and dossiers")
    parser.add_argument(
        "--parts",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"dossiers as one file a month (default from scale {PARTS_FROM_SCALE} on)",
    )
    args = parser.parse_args(argv)
    for name, rows in generate_csvs(args.out_dir, args.seed, args.scale, args.parts).items():
        print(f"{name}: {rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

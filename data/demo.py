"""Deterministic demo warehouse for Bắc Quang district (Hà Giang), 2017-01-01 to 2020-07-31.

Everything here is synthetic. Volumes, seasonality and the spread between communes are invented
to look like a real district, but the 2019 figures the district published (article "Dấu ấn dân
vận chính quyền ở Bắc Quang", 03/8/2020) come out exactly at scale 1, so every screen can be
checked against a public source. `scale` multiplies the event tables (petitions, dossiers) for
load tests; the calibration is only guaranteed at scale 1.

Run as a module to write the CSVs: `python -m data.demo OUT_DIR [--seed N] [--scale K]`.
"""

from __future__ import annotations

import argparse
import pathlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data.contract import BOOL, DATE, INT, TABLES, TEXT, Table

# ---------------------------------------------------------------------------------------------
# Period and calendar
# ---------------------------------------------------------------------------------------------

START = np.datetime64("2017-01-01", "D")
END = np.datetime64("2020-07-31", "D")  # the article appeared on 03/8/2020
YEARS = (2017, 2018, 2019, 2020)
RATING_YEARS = (2017, 2018, 2019)  # ratings are annual: 2020's did not exist yet at END
CALIBRATION_YEAR = 2019


def _days(*spans: tuple[str, str]) -> list[np.datetime64]:
    out: list[np.datetime64] = []
    for first, last in spans:
        out.extend(np.arange(np.datetime64(first), np.datetime64(last) + 1))
    return out


# Official public holidays (weekdays only matter), including the Tết break of each year.
HOLIDAYS = np.array(
    _days(
        ("2017-01-02", "2017-01-02"),
        ("2017-01-26", "2017-02-01"),
        ("2017-04-06", "2017-04-06"),
        ("2017-05-01", "2017-05-02"),
        ("2017-09-04", "2017-09-04"),
        ("2018-01-01", "2018-01-01"),
        ("2018-02-14", "2018-02-20"),
        ("2018-04-25", "2018-04-25"),
        ("2018-04-30", "2018-05-01"),
        ("2018-09-03", "2018-09-03"),
        ("2019-01-01", "2019-01-01"),
        ("2019-02-04", "2019-02-08"),
        ("2019-04-15", "2019-04-15"),
        ("2019-04-29", "2019-05-01"),
        ("2019-09-02", "2019-09-02"),
        ("2020-01-01", "2020-01-01"),
        ("2020-01-23", "2020-01-29"),
        ("2020-04-02", "2020-04-02"),
        ("2020-04-30", "2020-05-01"),
    ),
    dtype="datetime64[D]",
)
TET = np.array(["2017-01-28", "2018-02-16", "2019-02-05", "2020-01-25"], dtype="datetime64[D]")
# Nationwide social distancing (Chỉ thị 16/CT-TTg): receptions and meetings were suspended and
# the one-stop desks ran at a fraction of their usual volume.
DISTANCING = (np.datetime64("2020-04-01"), np.datetime64("2020-04-22"))

# ---------------------------------------------------------------------------------------------
# Communes and agencies
# ---------------------------------------------------------------------------------------------

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

# ---------------------------------------------------------------------------------------------
# Calibration targets: the article's figures, exact at scale 1
# ---------------------------------------------------------------------------------------------

DISTRICT_CHAIR_DAYS_OF_MONTH = (10, 25)  # the chairman's fixed reception days, 2 a month
DISTRICT_CHAIR_CITIZENS_2019 = 55
DISTRICT_DIALOGUES_2019 = (26, 859, 244)  # dialogues, attendees, opinions
COMMUNE_DIALOGUES_2019 = (97, 6122, 887)
PROLONGED_DISTRICT = 9
PROLONGED_DISTRICT_RESOLVED = 7
DISTRICT_PROCEDURES_CUT = 90  # of 259, cut to about 1/5 of the statutory time
COMMUNE_PROCEDURES_TOTAL = 145
COMMUNE_PROCEDURES_CUT = 27  # each by 1 to 20 days
COMMUNE_MAX_CUT_DAYS = 20
GOOD_OR_BETTER_PCT_2019 = {"hanh_chinh": 86.59, "su_nghiep": 76.31}
SURPRISE_INSPECTIONS_2019 = (3, 4)  # distinct communes, distinct agencies

# ---------------------------------------------------------------------------------------------
# Volumes and behaviour outside the calibration (illustrative)
# ---------------------------------------------------------------------------------------------

DISTRICT_DIALOGUES = {2017: 19, 2018: 23, 2020: 9}
COMMUNE_DIALOGUE_RATE = {2017: 3.4, 2018: 3.9, 2020: 1.6}  # per commune and year
COMMUNES_WITHOUT_DIALOGUE = {2017: 2, 2018: 1}  # the law did not yet require one a year
PETITIONS_PER_YEAR = {
    "huyen": {2017: 150, 2018: 140, 2019: 128, 2020: 66},
    "xa": {2017: 190, 2018: 176, 2019: 161, 2020: 83},
}
PETITION_KINDS = ("khieu_nai", "to_cao", "kien_nghi_phan_anh")
PETITION_KIND_P = {"huyen": (0.34, 0.12, 0.54), "xa": (0.18, 0.05, 0.77)}
PETITION_FIELDS = ("dat_dai", "chinh_sach", "moi_truong", "tu_phap", "khac")
PETITION_FIELD_P = (0.56, 0.15, 0.10, 0.06, 0.13)
PETITIONS_LATE = {2017: 0.14, 2018: 0.12, 2019: 0.10, 2020: 0.08}
PETITIONS_STUCK = 0.05  # still open at END however old
OUTCOMES = ("dung", "dung_mot_phan", "sai")
OUTCOME_P = (0.17, 0.27, 0.56)

DOSSIERS_PER_YEAR = {"xa": 21_000, "district": 10_500}
DOSSIER_TREND = {2017: 0.90, 2018: 0.95, 2019: 1.00, 2020: 1.03}
DOSSIER_MONTH_FACTOR = np.array([1.0, 0.9, 1.0, 0.95, 1.0, 1.0, 1.05, 1.05, 1.0, 1.0, 1.1, 1.3])
ONLINE_SHARE = {2017: 0.02, 2018: 0.05, 2019: 0.10, 2020: 0.17}
POSTAL_SHARE = 0.015
LATE_TREND = {2017: 1.4, 2018: 1.15, 2019: 1.0, 2020: 0.85}
STUCK_SHARE_2020 = 0.002  # dossiers waiting on the applicant, never returned

PLANNED_INSPECTIONS = {2017: (6, 5), 2018: (7, 6), 2019: (8, 6), 2020: (4, 3)}
SURPRISE_INSPECTIONS = {2017: (2, 3), 2018: (3, 3), 2019: SURPRISE_INSPECTIONS_2019, 2020: (1, 2)}
GOOD_OR_BETTER_OTHER_YEARS = {
    2017: {"hanh_chinh": 0.82, "su_nghiep": 0.71},
    2018: {"hanh_chinh": 0.84, "su_nghiep": 0.74},
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


def _working_days(year: int, meetings: bool = False) -> np.ndarray:
    """Working days of `year` inside the demo period; `meetings` also drops the distancing weeks."""
    first, last = _year_span(year)
    days = np.arange(first, last + 1)
    keep = np.is_busday(days, holidays=HOLIDAYS)
    if meetings:
        keep &= (days < DISTANCING[0]) | (days > DISTANCING[1])
    return days[keep]


def _next_working_day(day: np.datetime64) -> np.datetime64:
    return np.busday_offset(day, 0, roll="forward", holidays=HOLIDAYS)


def _split(rng: np.random.Generator, total: int, parts: int, minimum: int = 0) -> np.ndarray:
    """Unevenly spread integers, each >= minimum, summing exactly to total."""
    rest = total - parts * minimum
    if rest < 0:
        raise ValueError(f"cannot split {total} into {parts} parts of at least {minimum}")
    weights = rng.gamma(2.0, 1.0, parts)
    return minimum + rng.multinomial(rest, weights / weights.sum())


def _commune_activity(rng: np.random.Generator) -> np.ndarray:
    """Relative activity of each commune (the two towns are busiest); sums to 1."""
    w = rng.lognormal(0.0, 0.35, N_COMMUNES) * np.where(IS_TOWN, 2.2, 1.0)
    return w / w.sum()


def _sequence_ids(prefix: str, dates: np.ndarray, width: int) -> list[str]:
    """IDs numbered from 1 within each year; `dates` must already be sorted."""
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    ids: list[str] = []
    counter: dict[int, int] = {}
    for year in years.tolist():
        counter[year] = counter.get(year, 0) + 1
        ids.append(f"{prefix}-{year}-{counter[year]:0{width}d}")
    return ids


def _dates(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=missing)


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
# Tables
# ---------------------------------------------------------------------------------------------


def communes_table(spec: Table) -> pa.Table:
    return _arrow(
        spec,
        {
            "commune_code": [c[0] for c in COMMUNES],
            "name": [c[1] for c in COMMUNES],
            "kind": ["thi_tran" if town else "xa" for town in IS_TOWN],
            "remote": [c[2] for c in COMMUNES],
            # No source publishes per-commune population: left empty rather than invented.
            "population": [None] * N_COMMUNES,
            "one_stop_since": np.array([c[3] for c in COMMUNES], dtype="datetime64[D]"),
        },
    )


def agencies_table(spec: Table) -> pa.Table:
    codes = [o.code for o in OFFICES] + [commune_agency_code(c[0]) for c in COMMUNES]
    names = [o.name for o in OFFICES] + [
        "UBND " + name[0].lower() + name[1:] for _, name, _, _ in COMMUNES
    ]
    kinds = [o.kind for o in OFFICES] + ["ubnd_xa"] * N_COMMUNES
    communes = [None] * len(OFFICES) + [c[0] for c in COMMUNES]
    return _arrow(
        spec, {"agency_code": codes, "name": names, "kind": kinds, "commune_code": communes}
    )


def receptions_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    # (date, level, commune, host, kind); the counts are drawn once all rows are known.
    rows: list[tuple[np.datetime64, str, str | None, str, str]] = []

    # District chairman: two fixed days a month. In 2017 and 2018 one month each had only one,
    # the second being delegated; in April 2020 receptions were suspended.
    for year in YEARS:
        short_month = int(rng.integers(1, 13)) if year in (2017, 2018) else 0
        last_month = 7 if year == 2020 else 12
        for month in range(1, last_month + 1):
            if year == 2020 and month == 4:
                continue
            for k, dom in enumerate(DISTRICT_CHAIR_DAYS_OF_MONTH):
                day = _next_working_day(np.datetime64(f"{year}-{month:02d}-{dom:02d}"))
                host = "uy_quyen" if (month == short_month and k == 1) else "chu_tich"
                rows.append((day, "huyen", None, host, "dinh_ky"))

    # District: the citizen reception desk (Ban tiếp công dân) most working days, a deputy
    # chairman's scheduled day some months, the chairman's ad-hoc receptions a few times a year.
    for year in YEARS:
        days = _working_days(year, meetings=True)
        for day in days[rng.random(days.size) < 0.45]:
            rows.append((day, "huyen", None, "ban_tiep_cong_dan", "thuong_xuyen"))
        for day in days[rng.random(days.size) < 0.025]:
            rows.append((day, "huyen", None, "pho_chu_tich", "dinh_ky"))
        for day in rng.choice(days, int(rng.integers(1, 4)), replace=False):
            rows.append((day, "huyen", None, "chu_tich", "dot_xuat"))

    # Communes: the chairman's weekly day. Most communes keep it; a few weak ones often skip,
    # sometimes sending a deputy instead.
    weekday = rng.integers(0, 5, N_COMMUNES)
    miss_rate = rng.uniform(0.0, 0.04, N_COMMUNES)
    weak = rng.choice(np.flatnonzero(~IS_TOWN), 3, replace=False)
    miss_rate[weak] = rng.uniform(0.15, 0.30, weak.size)
    first_monday = np.busday_offset(START, 0, roll="backward", weekmask="Mon")
    mondays = np.arange(first_monday, END + 1, 7)
    all_days = np.arange(START, END + 1)
    usable = np.is_busday(all_days, holidays=HOLIDAYS) & (
        (all_days < DISTANCING[0]) | (all_days > DISTANCING[1])
    )
    usable_set = set(all_days[usable].tolist())
    for c, code in enumerate(COMMUNE_CODES):
        for monday in mondays:
            # The fixed weekday or, after a holiday, another day of the same week (later first).
            order = [*range(weekday[c], 5), *range(weekday[c] - 1, -1, -1)]
            candidates = [monday + j for j in order]
            day = next((d for d in candidates if d.item() in usable_set), None)
            if day is None:
                continue
            if rng.random() < miss_rate[c]:
                if rng.random() < 0.4:
                    host = "pho_chu_tich" if rng.random() < 0.6 else "uy_quyen"
                    rows.append((day, "xa", code, host, "dinh_ky"))
                continue
            rows.append((day, "xa", code, "chu_tich", "dinh_ky"))
    for year in YEARS:
        days = _working_days(year, meetings=True)
        for code in COMMUNE_CODES:
            # A commune official, authorised by the chairman, keeps the regular desk.
            for day in days[rng.random(days.size) < 0.07]:
                rows.append((day, "xa", code, "uy_quyen", "thuong_xuyen"))
            for day in rng.choice(days, int(rng.integers(0, 3)), replace=False):
                rows.append((day, "xa", code, "chu_tich", "dot_xuat"))

    rows.sort(key=lambda r: (r[0], r[1] != "huyen", r[2] or "", r[3], r[4]))
    dates = np.array([r[0] for r in rows], dtype="datetime64[D]")
    level = np.array([r[1] for r in rows])
    host = np.array([r[3] for r in rows])
    kind = np.array([r[4] for r in rows])

    expected = np.select(
        [host == "ban_tiep_cong_dan", level == "huyen", kind == "thuong_xuyen"],
        [1.9, 2.2, 1.3],
        0.9,
    )
    # A regular desk day is only logged when someone came.
    citizens = rng.poisson(expected) + (kind == "thuong_xuyen")
    calibrated = (
        (dates.astype("datetime64[Y]").astype(int) + 1970 == CALIBRATION_YEAR)
        & (level == "huyen")
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
            "level": level,
            "commune_code": [r[2] for r in rows],
            "host": host,
            "kind": kind,
            "citizens": citizens,
            "cases": cases,
            "large_groups": large_groups,
        },
    )


def dialogues_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    rows: list[tuple[np.datetime64, str, str | None, int, int, str]] = []

    def add(year: int, level: str, communes: list[str | None], totals: tuple[int, int]) -> None:
        days = rng.choice(_working_days(year, meetings=True), len(communes))
        attendees = _split(rng, totals[0], len(communes), minimum=15 if level == "xa" else 12)
        opinions = _split(rng, totals[1], len(communes), minimum=2 if level == "xa" else 3)
        topics = DIALOGUE_TOPICS + ((COVID_TOPIC,) * 3 if year == 2020 else ())
        for day, code, a, o in zip(days, communes, attendees, opinions, strict=True):
            rows.append((day, level, code, int(a), int(o), str(rng.choice(topics))))

    activity = _commune_activity(rng)
    for year in YEARS:
        # District dialogues, often held in a commune.
        if year == CALIBRATION_YEAR:
            n, attendees, opinions = DISTRICT_DIALOGUES_2019
        else:
            n = DISTRICT_DIALOGUES[year]
            attendees, opinions = int(n * rng.uniform(28, 38)), int(n * rng.uniform(7, 11))
        where = rng.choice(COMMUNE_CODES, n, p=activity)
        held_in_commune = rng.random(n) < 0.6
        venues = [c if h else None for c, h in zip(where, held_in_commune, strict=True)]
        add(year, "huyen", venues, (attendees, opinions))

        # Commune dialogues: every commune in 2019; a few held none in 2017 and 2018.
        if year == CALIBRATION_YEAR:
            n, attendees, opinions = COMMUNE_DIALOGUES_2019
            per_commune = 1 + rng.multinomial(n - N_COMMUNES, activity)
        else:
            expected = COMMUNE_DIALOGUE_RATE[year] * N_COMMUNES * activity
            per_commune = rng.poisson(expected)
            if year < CALIBRATION_YEAR:
                per_commune = np.maximum(per_commune, 1)  # only the chosen few skipped a year
            skipped = rng.choice(N_COMMUNES, COMMUNES_WITHOUT_DIALOGUE.get(year, 0), replace=False)
            per_commune[skipped] = 0
            n = int(per_commune.sum())
            attendees, opinions = int(n * rng.uniform(55, 70)), int(n * rng.uniform(7, 10))
        add(year, "xa", list(np.repeat(COMMUNE_CODES, per_commune)), (attendees, opinions))

    rows.sort(key=lambda r: (r[0], r[1] != "huyen", r[2] or ""))
    dates = np.array([r[0] for r in rows], dtype="datetime64[D]")
    opinions = np.array([r[4] for r in rows])
    return _arrow(
        spec,
        {
            "dialogue_id": _sequence_ids("DT", dates, 4),
            "dialogue_date": dates,
            "level": [r[1] for r in rows],
            "commune_code": [r[2] for r in rows],
            "attendees": [r[3] for r in rows],
            "opinions": opinions,
            "opinions_answered": opinions - rng.binomial(opinions, 0.08),
            "topic": [r[5] for r in rows],
        },
    )


def _legal_days(kind: np.ndarray, complex_: np.ndarray, remote: np.ndarray) -> np.ndarray:
    """Days from acceptance (Luật Khiếu nại 2011 Điều 28, Luật Tố cáo 2018 Điều 30); 0 = none."""
    complaint = np.where(complex_ & remote, 60, np.where(complex_ | remote, 45, 30))
    denunciation = np.where(complex_, 60, 30)
    return np.select([kind == "khieu_nai", kind == "to_cao"], [complaint, denunciation], 0)


def _prolonged_petitions(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The article's long-standing district cases, 7 of 9 settled by END.

    Kept to the district level so the rate reads 7/9 with or without a level filter.
    """
    n = PROLONGED_DISTRICT
    early = np.concatenate([_working_days(2017), _working_days(2018)])
    received = np.sort(rng.choice(early[early < np.datetime64("2018-07-01")], n, replace=False))
    accepted = received + rng.integers(3, 11, n)
    level = np.full(n, "huyen")
    settled = np.zeros(n, dtype=bool)
    settled[rng.choice(n, PROLONGED_DISTRICT_RESOLVED, replace=False)] = True
    resolved = np.minimum(accepted + rng.integers(150, 1100, n), END - rng.integers(3, 60, n))
    kind = np.array(["khieu_nai"] * (n - 2) + ["to_cao"] * 2)
    rng.shuffle(kind)
    field = rng.choice(PETITION_FIELDS[:3], n, p=(0.8, 0.1, 0.1))
    return {
        "received": received,
        "level": level,
        "commune": rng.integers(0, N_COMMUNES, n),
        "has_commune": np.ones(n, dtype=bool),
        "kind": kind,
        "field": field,
        "eligible": np.ones(n, dtype=bool),
        "in_jurisdiction": np.ones(n, dtype=bool),
        "complex": np.ones(n, dtype=bool),
        "prolonged": np.ones(n, dtype=bool),
        "withdrawn": np.zeros(n, dtype=bool),
        "accepted": accepted,
        "has_accepted": np.ones(n, dtype=bool),
        "due": accepted,
        "has_due": np.zeros(n, dtype=bool),  # left to the law, like most records
        "resolved": resolved,
        "has_resolved": settled,
        "outcome": rng.choice(OUTCOMES, n, p=OUTCOME_P),
        "has_outcome": settled,
    }


def petitions_table(spec: Table, rng: np.random.Generator, scale: int) -> pa.Table:
    activity = _commune_activity(rng)
    level_parts, received_parts = [], []
    for year in YEARS:
        days = _working_days(year)
        for level, per_year in PETITIONS_PER_YEAR.items():
            n = per_year[year] * scale
            level_parts.append(np.full(n, level))
            received_parts.append(rng.choice(days, n))
    level = np.concatenate(level_parts)
    received = np.concatenate(received_parts)
    n = level.size
    is_xa = level == "xa"

    commune = rng.choice(N_COMMUNES, n, p=activity)
    has_commune = is_xa | (rng.random(n) < 0.9)
    kind = np.where(
        is_xa,
        rng.choice(PETITION_KINDS, n, p=PETITION_KIND_P["xa"]),
        rng.choice(PETITION_KINDS, n, p=PETITION_KIND_P["huyen"]),
    )
    field = rng.choice(PETITION_FIELDS, n, p=PETITION_FIELD_P)
    eligible = rng.random(n) < 0.93
    in_jurisdiction = rng.random(n) < np.where(is_xa, 0.80, 0.86)  # others are forwarded
    withdrawn = eligible & in_jurisdiction & (rng.random(n) < 0.03)
    complex_ = (kind != "kien_nghi_phan_anh") & (rng.random(n) < 0.15)
    remote = IS_REMOTE[commune] & has_commune

    has_accepted = eligible & in_jurisdiction
    # Most are accepted within the 10 days of the law, some later.
    delay = np.where(rng.random(n) < 0.92, rng.integers(0, 11, n), rng.integers(11, 25, n))
    accepted = received + delay
    legal = _legal_days(kind, complex_, remote)
    # An explicit deadline for some complaints and denunciations (the legal one, written down)
    # and for some requests (the 15 days the district sets itself); the rest are left empty.
    explicit = np.where(legal > 0, rng.random(n) < 0.35, rng.random(n) < 0.30) & has_accepted
    due_days = np.where(legal > 0, legal, 15)
    due = accepted + due_days

    # Timing against the deadline: mostly on time, some late (fewer each year), a few stuck.
    year = received.astype("datetime64[Y]").astype(int) + 1970
    late_share = np.select([year == y for y in YEARS], [PETITIONS_LATE[y] for y in YEARS])
    u = rng.random(n)
    on_time = np.ceil(due_days * rng.uniform(0.25, 1.0, n)).astype(int)
    late = due_days + rng.integers(1, 46, n)
    resolved = accepted + np.where(u < 1 - PETITIONS_STUCK - late_share, on_time, late)
    has_resolved = has_accepted & ~withdrawn & (u < 1 - PETITIONS_STUCK) & (resolved <= END)
    has_outcome = has_resolved & (kind != "kien_nghi_phan_anh")

    generated = {
        "received": received,
        "level": level,
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
    }
    prolonged = _prolonged_petitions(rng)
    col = {k: np.concatenate([generated[k], prolonged[k]]) for k in generated}
    order = np.lexsort((col["level"], col["received"]))
    col = {k: v[order] for k, v in col.items()}

    codes = COMMUNE_CODES[col["commune"]]
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
        },
    )


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


def _names(base: tuple[str, ...], n: int) -> list[str]:
    """`n` names from `base`; real catalogues list several variants of a busy procedure."""
    out = []
    for i in range(n):
        variant = i // len(base)
        name = base[i % len(base)]
        out.append(name if variant == 0 else f"{name} (trường hợp {variant + 1})")
    return out


def procedures_catalogue(spec: Table, rng: np.random.Generator) -> Catalogue:
    codes: list[str] = []
    names: list[str] = []
    levels: list[str] = []
    agencies: list[str | None] = []
    fields: list[str] = []
    statutory_parts: list[np.ndarray] = []
    popularity_parts: list[np.ndarray] = []
    commune_days: list[int] = []

    counters = {"huyen": 0, "nganh_doc": 0}
    for office in OFFICES:
        if not office.procedures:
            continue
        level = "huyen" if office.kind == "chuyen_mon" else "nganh_doc"
        for name in _names(DISTRICT_PROCEDURE_NAMES[office.code], office.procedures):
            counters[level] += 1
            codes.append(f"{'H' if level == 'huyen' else 'N'}-{counters[level]:03d}")
            names.append(name)
            levels.append(level)
            agencies.append(office.code)
            fields.append(office.field)
        statutory_parts.append(rng.choice(office.days, office.procedures))
        rank = np.arange(office.procedures)
        weight = rng.lognormal(0.0, 0.5, office.procedures) / (1 + rank) ** 1.2
        popularity_parts.append(office.desk_share * weight / weight.sum())

    base_names = tuple(p[0] for p in COMMUNE_PROCEDURES)
    for i, name in enumerate(_names(base_names, COMMUNE_PROCEDURES_TOTAL)):
        _, field, days = COMMUNE_PROCEDURES[i % len(COMMUNE_PROCEDURES)]
        codes.append(f"X-{i + 1:03d}")
        names.append(name)
        levels.append("xa")
        agencies.append(None)  # every commune People's Committee handles all of them
        fields.append(field)
        commune_days.append(days)
    statutory_parts.append(np.array(commune_days))
    rank = np.arange(COMMUNE_PROCEDURES_TOTAL)
    weight = rng.lognormal(0.0, 0.5, COMMUNE_PROCEDURES_TOTAL) / (1 + rank) ** 1.2
    popularity_parts.append(weight / weight.sum())

    level = np.array(levels)
    statutory = np.concatenate(statutory_parts)
    popularity = np.concatenate(popularity_parts)
    n = level.size
    committed = statutory.copy()
    cut = np.zeros(n, dtype=bool)

    # District: 90 procedures cut to about a fifth of the statutory time.
    district = np.flatnonzero((level == "huyen") & (statutory >= 2))
    chosen = rng.choice(district, DISTRICT_PROCEDURES_CUT, replace=False)
    committed[chosen] = np.maximum(1, np.round(statutory[chosen] / 5)).astype(int)
    cut[chosen] = True

    # Communes: 27 procedures cut by 1 to 20 days, the range the article reports.
    commune = np.flatnonzero(level == "xa")
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
    online_level = rng.choice(("khong", "mot_phan", "toan_trinh"), n, p=(0.56, 0.34, 0.10))
    # Uncut rows often leave the committed time empty: the contract defaults it to statutory.
    committed_missing = ~cut & (rng.random(n) < 0.3)

    table = _arrow(
        spec,
        {
            "procedure_code": codes,
            "name": names,
            "level": level,
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
        level=level,
        committed=committed,
        online=online_level != "khong",
        at_desk=at_desk,
        popularity=popularity,
    )


def _dossier_season(days: np.ndarray) -> np.ndarray:
    """Relative daily volume: Tết rush and slow restart, end-of-year peak, distancing."""
    month = days.astype("datetime64[M]").astype(int) % 12
    factor = DOSSIER_MONTH_FACTOR[month].copy()
    for tet in TET:
        factor[(days >= tet - 21) & (days < tet - 2)] *= 1.3
        factor[(days > tet + 4) & (days <= tet + 18)] *= 0.6
    factor[(days >= DISTANCING[0]) & (days <= DISTANCING[1])] *= 0.45
    return factor


def dossier_batches(
    spec: Table, rng: np.random.Generator, catalogue: Catalogue, scale: int
) -> Iterator[pa.RecordBatch]:
    """One record batch per year, so memory stays flat at large scales."""
    schema = _schema(spec)
    activity = _commune_activity(rng)
    # Desks 0..22 are the commune desks, desk 23 the district one.
    n_desks = N_COMMUNES + 1
    district_desk = N_COMMUNES
    per_year = np.append(DOSSIERS_PER_YEAR["xa"] * activity, DOSSIERS_PER_YEAR["district"])
    per_day = per_year / len(_working_days(CALIBRATION_YEAR))
    late_rate = np.append(rng.lognormal(np.log(0.025), 0.5, N_COMMUNES), 0.03)
    weak = rng.choice(N_COMMUNES, 3, replace=False)
    late_rate[weak] *= 2.5
    time_used = rng.uniform(0.35, 0.75, n_desks)  # typical share of the promised time used
    apology_rate = np.append(rng.uniform(0.55, 0.98, N_COMMUNES), 0.9)

    commune_pool = np.flatnonzero((catalogue.level == "xa") & catalogue.at_desk)
    district_pool = np.flatnonzero(catalogue.level != "xa")
    pools = []
    for pool in (commune_pool, district_pool):
        p = catalogue.popularity[pool] / catalogue.popularity[pool].sum()
        online_share = float(p[catalogue.online[pool]].sum())
        pools.append((pool, p, online_share))
    commune_codes = pa.array(COMMUNE_CODES)

    for year in YEARS:
        days = _working_days(year)
        rate = np.outer(_dossier_season(days) * DOSSIER_TREND[year], per_day) * scale
        counts = rng.poisson(rate)  # days x desks, so rows come out in date order
        day_idx = np.repeat(np.repeat(np.arange(days.size), n_desks), counts.ravel())
        desk = np.repeat(np.tile(np.arange(n_desks), days.size), counts.ravel())
        received = days[day_idx]
        n = received.size
        at_district = desk == district_desk

        procedure = np.empty(n, dtype=np.int64)
        p_online = np.empty(n)
        for mask, (pool, p, online_share) in zip((~at_district, at_district), pools, strict=True):
            procedure[mask] = rng.choice(pool, int(mask.sum()), p=p)
            p_online[mask] = min(0.95, ONLINE_SHARE[year] / online_share)
        distancing = (received >= DISTANCING[0]) & (received <= DISTANCING[1])
        p_online = np.where(distancing, np.minimum(0.95, p_online * 1.8), p_online)
        u = rng.random(n)
        channel = np.where(
            catalogue.online[procedure] & (u < p_online),
            1,
            np.where(u > 1 - POSTAL_SHARE, 2, 0),
        )
        # Commune desks record their own commune; the district desk the applicant's, unknown
        # for some businesses and applicants from outside the district.
        commune = np.where(at_district, rng.choice(N_COMMUNES, n, p=activity), desk)
        commune_missing = at_district & (rng.random(n) < 0.05)

        committed = catalogue.committed[procedure]
        due = np.busday_offset(received, committed, roll="forward", holidays=HOLIDAYS)
        is_late = rng.random(n) < late_rate[desk] * LATE_TREND[year]
        used = np.where(
            is_late, committed + rng.geometric(0.2, n), rng.binomial(committed, time_used[desk])
        )
        finished = np.busday_offset(received, used, roll="forward", holidays=HOLIDAYS)
        stuck = (year == 2020) & (rng.random(n) < STUCK_SHARE_2020)
        unfinished = stuck | (finished > END)
        apology = is_late & (rng.random(n) < apology_rate[desk])
        redated = (apology & (rng.random(n) < 0.9)).astype(np.int32)

        seq = pc.cast(pa.array(np.arange(1, n + 1)), pa.string())
        ids = pc.binary_join_element_wise(f"HS-{year}-", pc.utf8_lpad(seq, 7, "0"), "")
        yield pa.RecordBatch.from_arrays(
            [
                ids,
                pa.DictionaryArray.from_arrays(
                    pa.array(procedure, pa.int32()), pa.array(catalogue.codes)
                ).cast(pa.string()),
                pa.DictionaryArray.from_arrays(
                    pa.array(commune, pa.int32(), mask=commune_missing), commune_codes
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


def inspections_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    targets = np.array([o.code for o in OFFICES if o.kind in ("chuyen_mon", "su_nghiep")])
    rows: list[tuple[np.datetime64, str, str | None, str | None, bool]] = []
    for year in YEARS:
        days = _working_days(year, meetings=True)
        planned = PLANNED_INSPECTIONS[year]
        surprise = SURPRISE_INSPECTIONS[year]
        for n_communes, n_agencies, is_surprise in ((*planned, False), (*surprise, True)):
            # Distinct targets within a year: nobody is inspected twice in the same way.
            for code in rng.choice(COMMUNE_CODES, n_communes, replace=False):
                rows.append((rng.choice(days), "xa", str(code), None, is_surprise))
            for code in rng.choice(targets, n_agencies, replace=False):
                rows.append((rng.choice(days), "co_quan", None, str(code), is_surprise))
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


def staff_ratings_table(spec: Table, rng: np.random.Generator) -> pa.Table:
    units = [(o.code, o.staff, o.kind == "su_nghiep") for o in OFFICES if o.staff]
    commune_staff = rng.integers(COMMUNE_STAFF[0], COMMUNE_STAFF[1] + 1, N_COMMUNES)
    units += [
        (commune_agency_code(c), int(s), False)
        for c, s in zip(COMMUNE_CODES, commune_staff, strict=True)
    ]
    codes = [u[0] for u in units]
    base = np.array([u[1] for u in units])
    sectors = np.where([u[2] for u in units], "su_nghiep", "hanh_chinh")

    rows: list[tuple[Any, ...]] = []
    for year in RATING_YEARS:
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


def generate_csvs(out_dir: pathlib.Path, seed: int = 2019, scale: int = 1) -> dict[str, int]:
    """Write the nine contract-format CSV files (<table>.csv, header = canonical column names in
    the order of data/contract.py, UTF-8, ISO dates YYYY-MM-DD, booleans true/false, empty
    string for null) into out_dir; return rows per table."""
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = {t.name: t for t in TABLES}

    catalogue = procedures_catalogue(specs["procedures"], _rng(seed, "procedures"))
    tables: dict[str, pa.Table] = {
        "communes": communes_table(specs["communes"]),
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
                source = pa.RecordBatchReader.from_batches(_schema(spec), batches)
            else:
                source = tables[spec.name]
            counts[spec.name] = _write(con, source, spec, out_dir / f"{spec.name}.csv")
    finally:
        con.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the Bắc Quang demo data as contract CSVs.")
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--scale", type=int, default=1, help="multiplies petitions and dossiers")
    args = parser.parse_args(argv)
    for name, rows in generate_csvs(args.out_dir, args.seed, args.scale).items():
        print(f"{name}: {rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

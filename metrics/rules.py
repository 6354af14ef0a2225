"""Legal thresholds, in one place.

Every number the law sets lives here with its basis, in force from 2014 to mid-2025. A later
version can key these by effective date without touching the KPI definitions that read them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LegalBasis:
    vi: str
    en: str


# Luật Tiếp công dân 2013.
DISTRICT_CHAIR_DAYS_PER_MONTH = 2
COMMUNE_CHAIR_DAYS_PER_WEEK = 1

# Deadlines in days from acceptance (Luật Khiếu nại 2011 Điều 28; Luật Tố cáo 2018 Điều 30).
PETITION_DEADLINE_DAYS = {
    "complaint": 30,
    "complaint_complex": 45,  # also the deadline in remote areas
    "complaint_complex_remote": 60,
    "denunciation": 30,
    "denunciation_complex": 60,
}

# Luật Thực hiện dân chủ ở cơ sở 2022: at least one dialogue conference a year per commune.
COMMUNE_DIALOGUES_PER_YEAR = 1

BASIS = {
    "district_reception": LegalBasis(
        "Luật Tiếp công dân 2013, Điều 13: Chủ tịch UBND huyện tiếp công dân ít nhất 2 ngày/tháng",
        "Law on Citizen Reception 2013, Art. 13: the district chairman receives citizens "
        "at least 2 days a month",
    ),
    "commune_reception": LegalBasis(
        "Luật Tiếp công dân 2013, Điều 15: Chủ tịch UBND xã tiếp công dân ít nhất 1 ngày/tuần",
        "Law on Citizen Reception 2013, Art. 15: a commune chairman receives citizens "
        "at least 1 day a week",
    ),
    "dialogue": LegalBasis(
        "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32: mỗi xã tổ chức ít nhất 1 hội nghị "
        "đối thoại với Nhân dân mỗi năm (từ 01/7/2023)",
        "Law on Grassroots Democracy 2022, Art. 32: each commune holds at least one dialogue "
        "conference with its people a year (from 1 July 2023)",
    ),
    "petition_deadline": LegalBasis(
        "Luật Khiếu nại 2011, Điều 28 (30 ngày; 45 ngày nếu phức tạp hoặc vùng sâu vùng xa; "
        "60 ngày nếu cả hai); Luật Tố cáo 2018, Điều 30 (30 ngày; 60 ngày nếu phức tạp)",
        "Law on Complaints 2011, Art. 28 (30 days; 45 if complex or remote; 60 if both); "
        "Law on Denunciations 2018, Art. 30 (30 days; 60 if complex)",
    ),
    "one_stop": LegalBasis(
        "Nghị định 61/2018/NĐ-CP về cơ chế một cửa, một cửa liên thông",
        "Decree 61/2018/ND-CP on the one-stop mechanism",
    ),
    "one_stop_apology": LegalBasis(
        "Nghị định 61/2018/NĐ-CP: hồ sơ trễ hạn phải có phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "Decree 61/2018/ND-CP: a late dossier requires an apology slip with a new return date",
    ),
    "policy": LegalBasis(
        "Mục tiêu của UBND huyện (không phải ngưỡng luật định)",
        "District target (not a statutory threshold)",
    ),
}

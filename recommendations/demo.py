"""Demo voter recommendations for the demo province (Ninh Bình): the 2026–2031 term of
HĐND tỉnh, its mid-year session (results published) and its year-end session (voter
meetings just held, items carried over), every step made through the services.

`seed(directory)` is idempotent: it does nothing when the term already exists. Dates
are counted back from today, so the demo always has items on track, due soon, late and
long overdue. Each step is recorded on the day it happened (casework.timekeeping.as_of,
as a register entered late would be): its events, clocks and dates are that day's, and
nobody is told — history is not news.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agencies.demo import DemoDirectory
from agencies.models import Agency, Membership, Role
from agencies.workdays import WorkCalendar
from casework.timekeeping import as_of

from . import services
from .models import (
    CouncilSession,
    Forwarding,
    Recommendation,
    ResultCategory,
    Term,
    VoterMeeting,
)

R = ResultCategory

# Meetings: (key, session, days from the session's opening (negative: before) or from
# its closing for "after", commune, place, deputies, voters present).
MEETINGS: list[tuple[str, int, int, str, str, str, int]] = [
    (
        "m1",
        2,
        -24,
        "Xã Gia Viễn",
        "Nhà văn hóa thôn Đông Chưng",
        "Đại biểu Phạm Quang Ngọc, đại biểu Bùi Thị Hương",
        145,
    ),
    (
        "m2",
        2,
        -22,
        "Phường Hoa Lư",
        "Hội trường UBND phường Hoa Lư",
        "Đại biểu Trần Đức Thắng, đại biểu Nguyễn Thị Thu Hà",
        210,
    ),
    (
        "m3",
        2,
        -20,
        "Xã Kim Sơn",
        "Nhà văn hóa xóm 5",
        "Đại biểu Vũ Văn Hải, đại biểu Đinh Thị Lan Anh",
        132,
    ),
    (
        "m4",
        2,
        -18,
        "Xã Cúc Phương",
        "Nhà văn hóa bản Đồi",
        "Đại biểu Phạm Quang Ngọc, đại biểu Lê Văn Tuấn",
        98,
    ),
    (
        "m5",
        2,
        -16,
        "Phường Phủ Lý",
        "Hội trường tổ dân phố số 3",
        "Đại biểu Trần Đức Thắng, đại biểu Hoàng Thị Minh",
        176,
    ),
    (
        "m6",
        2,
        -14,
        "Xã Hải Hậu",
        "Nhà văn hóa xóm Đông Biên",
        "Đại biểu Đỗ Văn Chiến, đại biểu Nguyễn Thị Thu Hà",
        120,
    ),
    (
        "m7",
        2,
        12,
        "Xã Yên Khánh",
        "Hội trường UBND xã Yên Khánh",
        "Đại biểu Vũ Văn Hải, đại biểu Bùi Thị Hương",
        115,
    ),
    (
        "n1",
        3,
        -48,
        "Xã Gia Viễn",
        "Nhà văn hóa thôn Đông Chưng",
        "Đại biểu Phạm Quang Ngọc, đại biểu Bùi Thị Hương",
        160,
    ),
    (
        "n2",
        3,
        -45,
        "Phường Nam Định",
        "Hội trường UBND phường Nam Định",
        "Đại biểu Đỗ Văn Chiến, đại biểu Hoàng Thị Minh",
        230,
    ),
    (
        "n3",
        3,
        -42,
        "Xã Nho Quan",
        "Nhà văn hóa thôn Tân Thành",
        "Đại biểu Lê Văn Tuấn, đại biểu Đinh Thị Lan Anh",
        104,
    ),
    (
        "n4",
        3,
        -39,
        "Xã Kim Sơn",
        "Nhà văn hóa xóm 5",
        "Đại biểu Vũ Văn Hải, đại biểu Đinh Thị Lan Anh",
        140,
    ),
    (
        "n5",
        3,
        -36,
        "Phường Tam Điệp",
        "Hội trường phường Tam Điệp",
        "Đại biểu Trần Đức Thắng, đại biểu Lê Văn Tuấn",
        188,
    ),
]

# What happens to an item after it is forwarded.
RESOLVED, LATE_RESOLVED = "resolved", "resolved_late"
IN_PROGRESS, PLANNED = "in_progress", "planned"
EXPLAINED, NOT_RESOLVED = "explained", "not_resolved"
AWAITING = "awaiting"  # answered, the council has not assessed it yet
UNANSWERED = "unanswered"  # no answer: overdue
SENT_BACK = "sent_back"  # answered late and thin; the council sends it back today
PENDING = "pending"  # forwarded recently, the answer is not yet due
CONSOLIDATED, COLLECTED = "consolidated", "collected"  # not forwarded yet

PLANS = {
    RESOLVED: (R.RESOLVED, False),
    LATE_RESOLVED: (R.RESOLVED, True),
    IN_PROGRESS: (R.IN_PROGRESS, False),
    PLANNED: (R.PLANNED, False),
    EXPLAINED: (R.EXPLAINED, False),
    NOT_RESOLVED: (R.NOT_RESOLVED, True),
    AWAITING: (R.IN_PROGRESS, False),
    SENT_BACK: (R.EXPLAINED, True),
}


@dataclass(frozen=True)
class Item:
    key: str
    meeting: str
    field: str
    commune: str | None
    locality: str
    voters: int
    content: str
    agencies: tuple[str, ...] = ()
    plan: str = ""
    answer: str = ""
    same_as: str = ""  # a duplicate of another item: merged into it


ITEMS: list[Item] = [
    # --- mid-year session (kỳ họp thứ hai) ----------------------------------------------
    Item(
        "a1",
        "m1",
        "transport",
        "Xã Gia Viễn",
        "Tuyến ĐT.477 đoạn qua thôn Đông Chưng",
        38,
        "Cử tri đề nghị sửa chữa, nâng cấp tuyến đường ĐT.477 đoạn qua xã Gia Viễn đã xuống "
        "cấp nghiêm trọng, nhiều ổ gà, gây mất an toàn giao thông, nhất là vào mùa mưa.",
        ("so_xd",),
        RESOLVED,
        "Sở Xây dựng đã bố trí vốn bảo trì đường bộ năm 2026 và hoàn thành sửa chữa, thảm "
        "lại mặt đường đoạn Km12–Km15 tuyến ĐT.477 trong tháng 8/2026.",
    ),
    Item(
        "a1b",
        "m4",
        "transport",
        "Xã Cúc Phương",
        "",
        12,
        "Đường ĐT.477 xuống cấp, đề nghị tỉnh sớm sửa chữa.",
        same_as="a1",
    ),
    Item(
        "a2",
        "m1",
        "environment",
        "Xã Gia Viễn",
        "Xứ đồng Đông Chưng",
        25,
        "Cử tri đề nghị nạo vét kênh tiêu úng xứ đồng Đông Chưng, kênh bị bồi lắng làm ngập "
        "úng gần 40 ha lúa mỗi khi mưa lớn.",
        ("so_nnmt",),
        IN_PROGRESS,
        "Sở Nông nghiệp và Môi trường đã giao Công ty TNHH MTV Khai thác công trình thủy lợi "
        "nạo vét 1,8 km kênh tiêu; đã thi công được 60 % khối lượng, dự kiến hoàn thành trước "
        "mùa mưa bão năm 2026.",
    ),
    Item(
        "a3",
        "m1",
        "land",
        "Xã Gia Viễn",
        "Thôn Đông Chưng",
        17,
        "Cử tri phản ánh nhiều hộ gia đình thôn Đông Chưng nộp hồ sơ cấp giấy chứng nhận "
        "quyền sử dụng đất từ năm 2024 đến nay chưa được giải quyết.",
        ("ubnd_gia_vien",),
        RESOLVED,
        "UBND xã Gia Viễn đã rà soát 23 hồ sơ tồn đọng, cấp giấy chứng nhận cho 19 hộ; 4 hồ sơ "
        "còn lại đã hướng dẫn bổ sung giấy tờ về nguồn gốc đất.",
    ),
    Item(
        "a4",
        "m2",
        "education",
        "Phường Hoa Lư",
        "Trường Tiểu học Ninh Khánh",
        31,
        "Cử tri đề nghị đầu tư xây dựng thêm phòng học cho Trường Tiểu học Ninh Khánh, hiện "
        "nhiều lớp có trên 45 học sinh.",
        ("so_gddt",),
        PLANNED,
        "Sở Giáo dục và Đào tạo đã đưa dự án xây dựng 8 phòng học vào kế hoạch đầu tư công "
        "trung hạn; dự kiến khởi công quý I/2027 và đưa vào sử dụng năm học 2027–2028.",
    ),
    Item(
        "a5",
        "m2",
        "health",
        "Phường Hoa Lư",
        "",
        44,
        "Cử tri phản ánh tình trạng thiếu thuốc bảo hiểm y tế tại Trung tâm Y tế, người bệnh "
        "phải tự mua thuốc bên ngoài; đề nghị có giải pháp bảo đảm quyền lợi người có thẻ BHYT.",
        ("so_yt",),
        EXPLAINED,
        "Sở Y tế giải trình: việc thiếu một số thuốc do gói thầu tập trung cấp tỉnh chậm; Sở đã "
        "chỉ đạo các đơn vị mua sắm bổ sung theo Nghị định 07/2023/NĐ-CP, đến nay đã cung ứng "
        "đủ 98 % danh mục.",
    ),
    Item(
        "a5b",
        "m5",
        "health",
        "Phường Phủ Lý",
        "",
        20,
        "Người có thẻ bảo hiểm y tế phải tự mua thuốc do bệnh viện thiếu thuốc.",
        same_as="a5",
    ),
    Item(
        "a6",
        "m2",
        "construction",
        "Phường Hoa Lư",
        "Khu dân cư phố Tây Sơn",
        15,
        "Cử tri đề nghị xử lý công trình xây dựng không phép lấn chiếm hành lang thoát nước "
        "tại khu dân cư phố Tây Sơn.",
        ("ubnd_hoa_lu",),
        RESOLVED,
        "UBND phường Hoa Lư đã lập biên bản, yêu cầu chủ công trình tự tháo dỡ phần lấn chiếm; "
        "ngày 12/8/2026 đã hoàn thành tháo dỡ, khơi thông rãnh thoát nước.",
    ),
    Item(
        "a7",
        "m3",
        "environment",
        "Xã Kim Sơn",
        "Xóm 5 và xóm 6",
        29,
        "Cử tri đề nghị đầu tư hệ thống cấp nước sạch cho xóm 5, xóm 6 xã Kim Sơn, hiện người "
        "dân vẫn dùng nước giếng khoan nhiễm mặn.",
        ("so_nnmt", "ubnd_kim_son"),
        PLANNED,
        "Dự án mở rộng mạng lưới cấp nước sạch nông thôn xã Kim Sơn đã được phê duyệt chủ "
        "trương; dự kiến hoàn thành đấu nối cho 420 hộ trong năm 2027.",
    ),
    Item(
        "a8",
        "m3",
        "land",
        "Xã Kim Sơn",
        "Khu vực bãi bồi ven biển",
        22,
        "Cử tri đề nghị làm rõ phương án giao đất, cho thuê đất nuôi trồng thủy sản tại bãi "
        "bồi ven biển sau khi hết thời hạn giao đất.",
        ("so_nnmt",),
        EXPLAINED,
        "Theo Luật Đất đai 2024, diện tích hết thời hạn được tiếp tục cho thuê nếu người sử "
        "dụng có nhu cầu và chấp hành đúng pháp luật; Sở đã hướng dẫn UBND xã Kim Sơn lập hồ "
        "sơ gia hạn cho các hộ.",
    ),
    Item(
        "a9",
        "m3",
        "social_policy",
        "Xã Kim Sơn",
        "",
        18,
        "Cử tri đề nghị đẩy nhanh chi trả trợ cấp xã hội hằng tháng qua tài khoản, nhiều người "
        "cao tuổi nhận chậm 2–3 tháng.",
        ("ubnd",),
        RESOLVED,
        "UBND tỉnh đã chỉ đạo chi trả qua tài khoản và bưu điện đúng ngày 10 hằng tháng; từ "
        "tháng 8/2026 không còn trường hợp chậm chi trả.",
    ),
    Item(
        "a10",
        "m4",
        "transport",
        "Xã Cúc Phương",
        "Bản Đồi – bản Sấm",
        33,
        "Cử tri đề nghị cứng hóa tuyến đường từ bản Đồi đi bản Sấm, mùa mưa học sinh đi học "
        "rất khó khăn.",
        ("so_xd",),
        NOT_RESOLVED,
        "Tuyến đường chưa có trong danh mục đầu tư giai đoạn 2026–2030.",
    ),
    Item(
        "a11",
        "m4",
        "health",
        "Xã Cúc Phương",
        "Trạm Y tế xã Cúc Phương",
        26,
        "Cử tri đề nghị bố trí bác sĩ thường trực tại Trạm Y tế xã Cúc Phương.",
        ("so_yt",),
        IN_PROGRESS,
        "Sở Y tế đã tăng cường luân phiên 01 bác sĩ của Trung tâm Y tế khu vực về làm việc 3 "
        "ngày/tuần và đang tuyển dụng 01 bác sĩ biên chế.",
    ),
    Item(
        "a12",
        "m4",
        "environment",
        "Xã Cúc Phương",
        "Thôn Nga 3",
        14,
        "Cử tri phản ánh tình trạng khai thác đá gây bụi, ồn ảnh hưởng đời sống nhân dân thôn "
        "Nga 3.",
        ("so_nnmt",),
        LATE_RESOLVED,
        "Sở đã kiểm tra, xử phạt doanh nghiệp 85 triệu đồng, buộc lắp hệ thống phun sương "
        "dập bụi và không nổ mìn ngoài khung giờ quy định; quan trắc lại đạt quy chuẩn.",
    ),
    Item(
        "a13",
        "m5",
        "land",
        "Phường Phủ Lý",
        "Dự án khu đô thị Bắc Châu Giang",
        41,
        "Cử tri đề nghị giải quyết dứt điểm việc bồi thường, hỗ trợ tái định cư cho các hộ "
        "dân bị thu hồi đất dự án khu đô thị Bắc Châu Giang.",
        ("so_tc", "ubnd_phu_ly"),
        IN_PROGRESS,
        "Đã chi trả bồi thường cho 112/130 hộ; 18 hộ còn lại đang xác minh nguồn gốc đất, dự "
        "kiến chi trả trong quý IV/2026.",
    ),
    Item(
        "a14",
        "m5",
        "education",
        "Phường Phủ Lý",
        "",
        19,
        "Cử tri đề nghị công khai các khoản thu đầu năm học, tránh lạm thu tại các trường.",
        ("so_gddt",),
        RESOLVED,
        "Sở đã ban hành văn bản hướng dẫn thu, chi đầu năm học 2026–2027 và kiểm tra 45 "
        "trường; các trường đã niêm yết công khai các khoản thu.",
    ),
    Item(
        "a15",
        "m5",
        "construction",
        "Phường Phủ Lý",
        "Chung cư Lam Hạ",
        24,
        "Cử tri đề nghị kiểm tra chất lượng chung cư Lam Hạ bị thấm dột, bong tróc.",
        ("so_xd",),
        AWAITING,
        "Sở đã kiểm tra, yêu cầu chủ đầu tư sửa chữa chống thấm trong thời gian bảo hành; "
        "đang thi công.",
    ),
    Item(
        "a16",
        "m6",
        "environment",
        "Xã Hải Hậu",
        "Đê biển đoạn xóm Đông Biên",
        52,
        "Cử tri đề nghị gia cố đoạn đê biển xóm Đông Biên bị sạt lở trước mùa mưa bão.",
        ("so_nnmt",),
        RESOLVED,
        "Đã xử lý khẩn cấp 350 m đê bằng kè đá hộc và ống buy, hoàn thành ngày 20/8/2026.",
    ),
    Item(
        "a16b",
        "m7",
        "environment",
        "Xã Yên Khánh",
        "",
        9,
        "Đề nghị gia cố đê biển Hải Hậu trước bão.",
        same_as="a16",
    ),
    Item(
        "a17",
        "m6",
        "social_policy",
        "Xã Hải Hậu",
        "",
        21,
        "Cử tri đề nghị hỗ trợ ngư dân bị thiệt hại tàu thuyền do bão số 3 năm 2025.",
        ("ubnd",),
        UNANSWERED,
    ),
    Item(
        "a18",
        "m6",
        "transport",
        "Xã Hải Hậu",
        "Cầu Đông Biên",
        27,
        "Cử tri đề nghị xây dựng lại cầu Đông Biên đã hết niên hạn sử dụng, hạn chế tải trọng.",
        ("so_xd",),
        PLANNED,
        "Cầu Đông Biên đã được bố trí vốn chuẩn bị đầu tư năm 2027, dự kiến khởi công năm 2028.",
    ),
    Item(
        "a19",
        "m7",
        "personnel",
        "Xã Yên Khánh",
        "",
        11,
        "Cử tri đề nghị sắp xếp, bố trí công việc cho cán bộ không chuyên trách dôi dư sau "
        "sáp nhập xã.",
        ("ubnd",),
        EXPLAINED,
        "Việc bố trí thực hiện theo Nghị định 154/2025/NĐ-CP; người không được bố trí được "
        "hưởng chính sách nghỉ việc theo quy định.",
    ),
    Item(
        "a20",
        "m7",
        "justice",
        "Xã Yên Khánh",
        "",
        8,
        "Cử tri đề nghị tăng cường trợ giúp pháp lý miễn phí cho người dân vùng nông thôn.",
        ("ubnd",),
        RESOLVED,
        "Trung tâm Trợ giúp pháp lý đã tổ chức 12 đợt trợ giúp lưu động tại các xã trong "
        "tháng 8–9/2026.",
    ),
    Item(
        "a21",
        "m2",
        "other",
        "Phường Hoa Lư",
        "",
        16,
        "Cử tri đề nghị lắp đặt camera giám sát an ninh tại các tuyến phố trung tâm.",
        ("ubnd_hoa_lu",),
        SENT_BACK,
        "Phường sẽ nghiên cứu.",
    ),
    Item(
        "a22",
        "m1",
        "education",
        "Xã Gia Viễn",
        "Trường Mầm non Gia Viễn",
        13,
        "Cử tri đề nghị sửa chữa nhà vệ sinh và bếp ăn Trường Mầm non Gia Viễn.",
        ("ubnd_gia_vien",),
        UNANSWERED,
    ),
    Item(
        "a23",
        "m3",
        "health",
        "Xã Kim Sơn",
        "",
        15,
        "Cử tri đề nghị tổ chức khám sàng lọc bệnh không lây nhiễm cho người cao tuổi.",
        ("so_yt",),
        LATE_RESOLVED,
        "Đã tổ chức khám sàng lọc tăng huyết áp, đái tháo đường cho 1.250 người cao tuổi xã "
        "Kim Sơn trong tháng 9/2026.",
    ),
    Item(
        "a24",
        "m5",
        "transport",
        "Phường Phủ Lý",
        "Nút giao Lê Hoàn – Trần Hưng Đạo",
        23,
        "Cử tri đề nghị lắp đặt đèn tín hiệu giao thông tại nút giao Lê Hoàn – Trần Hưng Đạo, "
        "nơi thường xuyên xảy ra va chạm.",
        ("so_xd",),
        RESOLVED,
        "Sở Xây dựng đã lắp đặt và đưa vào vận hành cụm đèn tín hiệu tại nút giao từ ngày "
        "28/8/2026.",
    ),
    Item(
        "a25",
        "m6",
        "land",
        "Xã Hải Hậu",
        "Xóm Đông Biên",
        10,
        "Cử tri đề nghị giải quyết dứt điểm tranh chấp ranh giới đất giữa các hộ xóm Đông Biên "
        "kéo dài nhiều năm.",
        ("so_nnmt",),
        EXPLAINED,
        "Tranh chấp đất đai giữa các hộ thuộc thẩm quyền hòa giải của UBND xã và giải quyết của "
        "Tòa án theo Điều 236 Luật Đất đai 2024; Sở đã hướng dẫn UBND xã tổ chức hòa giải.",
    ),
    Item(
        "a26",
        "m2",
        "environment",
        "Phường Hoa Lư",
        "Bãi rác tạm tổ dân phố 9",
        37,
        "Cử tri phản ánh bãi rác tạm tổ dân phố 9 gây ô nhiễm mùi, đề nghị sớm di dời.",
        ("ubnd_hoa_lu",),
        RESOLVED,
        "UBND phường đã đóng bãi rác tạm, thu gom rác hằng ngày về Nhà máy xử lý rác thải của "
        "tỉnh từ tháng 8/2026.",
    ),
    Item(
        "a27",
        "m3",
        "education",
        "Xã Kim Sơn",
        "Trường THCS Kim Sơn",
        12,
        "Cử tri đề nghị hỗ trợ kinh phí sửa chữa các phòng học bị tốc mái sau bão.",
        ("so_gddt",),
        RESOLVED,
        "Tỉnh đã cấp 650 triệu đồng từ nguồn dự phòng ngân sách; việc sửa chữa hoàn thành "
        "trước ngày khai giảng năm học mới.",
    ),
    Item(
        "a28",
        "m1",
        "health",
        "Xã Gia Viễn",
        "",
        16,
        "Cử tri đề nghị cấp thẻ bảo hiểm y tế kịp thời cho người thuộc hộ cận nghèo.",
        ("so_yt",),
        LATE_RESOLVED,
        "Đã cấp 1.146 thẻ BHYT cho người thuộc hộ cận nghèo năm 2026; thẻ được cấp trong vòng "
        "5 ngày làm việc kể từ khi có quyết định công nhận.",
    ),
    Item(
        "a29",
        "m4",
        "social_policy",
        "Xã Cúc Phương",
        "",
        20,
        "Cử tri đề nghị hỗ trợ đồng bào dân tộc Mường xã Cúc Phương phát triển sinh kế, du "
        "lịch cộng đồng.",
        ("ubnd",),
        IN_PROGRESS,
        "Dự án hỗ trợ phát triển du lịch cộng đồng bản Đồi thuộc Chương trình mục tiêu quốc "
        "gia đang triển khai, đã hỗ trợ 35 hộ làm homestay.",
    ),
    Item(
        "a30",
        "m5",
        "other",
        "Phường Phủ Lý",
        "",
        18,
        "Cử tri đề nghị giảm thời gian chờ tại Trung tâm Phục vụ hành chính công tỉnh.",
        ("ubnd",),
        RESOLVED,
        "Trung tâm đã bổ sung 6 quầy, triển khai đặt lịch hẹn trực tuyến; thời gian chờ bình "
        "quân giảm còn 12 phút.",
    ),
    Item(
        "a31",
        "m6",
        "transport",
        "Xã Hải Hậu",
        "Cửa Hà Lạn",
        26,
        "Cử tri đề nghị nạo vét luồng lạch cửa Hà Lạn để tàu thuyền ra vào an toàn.",
        ("so_nnmt",),
        IN_PROGRESS,
        "Sở đang lập hồ sơ nạo vét kết hợp tận thu sản phẩm; dự kiến thi công trong mùa khô "
        "2026–2027.",
    ),
    Item(
        "a32",
        "m7",
        "land",
        "Xã Yên Khánh",
        "",
        13,
        "Cử tri đề nghị đẩy nhanh cấp đổi giấy chứng nhận quyền sử dụng đất sau dồn điền đổi thửa.",
        ("so_nnmt",),
        RESOLVED,
        "Đã cấp đổi 2.310/2.450 giấy chứng nhận; các trường hợp còn lại đang bổ sung hồ sơ.",
    ),
    Item(
        "a33",
        "m3",
        "environment",
        "Xã Kim Sơn",
        "Làng nghề chế biến hải sản",
        19,
        "Cử tri đề nghị xử lý nước thải của làng nghề chế biến hải sản gây ô nhiễm kênh tưới.",
        ("so_nnmt", "ubnd_kim_son"),
        EXPLAINED,
        "Làng nghề đã có trong danh mục đầu tư hệ thống xử lý nước thải tập trung; trong thời "
        "gian chờ đầu tư, UBND xã đã yêu cầu các cơ sở xử lý sơ bộ trước khi xả thải.",
    ),
    # --- year-end session (kỳ họp thứ ba) ------------------------------------------------
    Item(
        "b1",
        "n1",
        "environment",
        "Xã Gia Viễn",
        "Xứ đồng Đông Chưng",
        19,
        "Kênh tiêu xứ đồng Đông Chưng vẫn chưa nạo vét xong, vụ mùa vừa qua tiếp tục ngập úng.",
        same_as="a2",
    ),
    Item(
        "b2",
        "n1",
        "transport",
        "Xã Gia Viễn",
        "Đường trục thôn Đông Chưng",
        22,
        "Cử tri đề nghị lắp đặt hệ thống đèn chiếu sáng tuyến đường trục thôn Đông Chưng.",
        ("ubnd_gia_vien",),
        PENDING,
    ),
    Item(
        "b3",
        "n2",
        "land",
        "Phường Nam Định",
        "Tổ dân phố 7",
        35,
        "Cử tri đề nghị giải quyết việc cấp giấy chứng nhận quyền sử dụng đất cho các hộ "
        "mua nhà thuộc sở hữu nhà nước từ trước năm 1994.",
        ("so_nnmt",),
        PENDING,
    ),
    Item(
        "b4",
        "n2",
        "construction",
        "Phường Nam Định",
        "Khu tập thể Văn Miếu",
        28,
        "Cử tri đề nghị có kế hoạch cải tạo, xây dựng lại khu tập thể Văn Miếu đã xuống cấp, "
        "nguy hiểm.",
        ("so_xd",),
        PENDING,
    ),
    Item(
        "b5",
        "n3",
        "education",
        "Xã Nho Quan",
        "",
        17,
        "Cử tri đề nghị bố trí đủ giáo viên tiếng Anh, tin học cho các trường tiểu học.",
        ("so_gddt",),
        PENDING,
    ),
    Item(
        "b6",
        "n3",
        "transport",
        "Xã Nho Quan",
        "Bản Đồi – bản Sấm",
        21,
        "Đường bản Đồi đi bản Sấm chưa được cứng hóa, đề nghị tỉnh quan tâm.",
        same_as="a10",
    ),
    Item(
        "b7",
        "n4",
        "environment",
        "Xã Kim Sơn",
        "Xóm 5",
        30,
        "Cử tri đề nghị xử lý tình trạng rác thải sinh hoạt tồn đọng ven kênh xóm 5.",
        ("ubnd_kim_son",),
        PENDING,
    ),
    Item(
        "b8",
        "n4",
        "social_policy",
        "Xã Kim Sơn",
        "",
        12,
        "Cử tri đề nghị hỗ trợ sửa chữa nhà ở cho hộ nghèo, hộ có hoàn cảnh khó khăn.",
        ("ubnd",),
        PENDING,
    ),
    Item(
        "b9",
        "n5",
        "health",
        "Phường Tam Điệp",
        "",
        26,
        "Cử tri đề nghị nâng cấp khoa cấp cứu Trung tâm Y tế Tam Điệp.",
        ("so_yt",),
        PENDING,
    ),
    Item(
        "b10",
        "n5",
        "land",
        "Phường Tam Điệp",
        "Khu dân cư Nam Sơn",
        14,
        "Cử tri đề nghị công khai quy hoạch sử dụng đất khu dân cư Nam Sơn.",
        ("so_nnmt",),
        CONSOLIDATED,
    ),
    Item(
        "b11",
        "n5",
        "transport",
        "Phường Tam Điệp",
        "",
        9,
        "Cử tri đề nghị bố trí thêm tuyến xe buýt từ Tam Điệp đi trung tâm tỉnh.",
        plan=CONSOLIDATED,
    ),
    Item(
        "b12",
        "n2",
        "other",
        "Phường Nam Định",
        "",
        11,
        "Cử tri đề nghị đẩy mạnh dịch vụ công trực tuyến, giảm giấy tờ khi làm thủ tục.",
        plan=COLLECTED,
    ),
    Item(
        "b13",
        "n4",
        "education",
        "Xã Kim Sơn",
        "",
        7,
        "Cử tri đề nghị miễn, giảm học phí cho học sinh vùng bãi ngang ven biển.",
        plan=COLLECTED,
    ),
    Item(
        "b14",
        "n1",
        "land",
        "Xã Gia Viễn",
        "Thôn Tập Ninh",
        15,
        "Cử tri đề nghị giải quyết các hồ sơ cấp giấy chứng nhận quyền sử dụng đất còn tồn "
        "đọng tại thôn Tập Ninh.",
        ("ubnd_gia_vien",),
        PENDING,
    ),
    Item(
        "b15",
        "n3",
        "environment",
        "Xã Nho Quan",
        "Hồ Đồng Chương",
        18,
        "Cử tri đề nghị gia cố đập tràn hồ Đồng Chương trước mùa mưa lũ.",
        ("so_nnmt",),
        PENDING,
    ),
]

# The sign after the number on each agency's letters (e.g. "412/SXD-QLCL").
DOCUMENT_SIGNS = {
    "ubnd": "UBND-VP",
    "so_nnmt": "SNNMT-TL",
    "so_xd": "SXD-QLCL",
    "so_yt": "SYT-NVY",
    "so_gddt": "SGDĐT-KHTC",
    "so_tc": "STC-QLG",
    "ubnd_gia_vien": "UBND",
    "ubnd_hoa_lu": "UBND",
    "ubnd_kim_son": "UBND",
    "ubnd_phu_ly": "UBND",
}

SIGNERS = {  # agencies with no demo lead: an answer is still signed by a lead
    "ubnd": "Lãnh đạo UBND tỉnh",
    "so_yt": "Lãnh đạo Sở Y tế",
    "so_gddt": "Lãnh đạo Sở Giáo dục và Đào tạo",
    "so_tc": "Lãnh đạo Sở Tài chính",
    "ubnd_hoa_lu": "Lãnh đạo UBND phường Hoa Lư",
    "ubnd_kim_son": "Lãnh đạo UBND xã Kim Sơn",
    "ubnd_phu_ly": "Lãnh đạo UBND phường Phủ Lý",
}


def _working(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _signer(directory: DemoDirectory, key: str) -> Any:
    agency = directory.agencies[key]
    lead = (
        get_user_model()
        .objects.filter(memberships__agency=agency, memberships__role=Role.LEAD)
        .first()
    )
    if lead is None:
        lead, _created = get_user_model().objects.get_or_create(
            username=f"kn.{key}", defaults={"first_name": SIGNERS.get(key, agency.name)}
        )
        lead.set_unusable_password()
        lead.save(update_fields=["password"])
        Membership.objects.get_or_create(user=lead, agency=agency, role=Role.LEAD)
    return lead


def _forwarding(item: Recommendation, agency: Agency) -> Forwarding:
    return Forwarding.objects.select_related(
        "recommendation__session", "current_answer", "agency"
    ).get(recommendation=item, agency=agency)


@transaction.atomic
def seed(directory: DemoDirectory) -> None:
    """The demo term, sessions, meetings and recommendations. Idempotent."""
    council = directory.agencies["hdnd"]
    if Term.objects.filter(council=council, start_year=2026).exists():
        return
    staff = directory.users["hdnd"]
    today = timezone.localdate()
    calendar = WorkCalendar.load(today - timedelta(days=400), today + timedelta(days=60))
    communes = {u.name: u for u in directory.communes}

    term = services.term_create(
        actor=staff, council=council, start_year=2026, end_year=2031, elected_on=date(2026, 3, 15)
    )
    mid_opens = today - timedelta(days=130)
    end_opens = today + timedelta(days=16)
    sessions: dict[int, CouncilSession] = {}
    for number, opens in ((2, mid_opens), (3, end_opens)):
        with as_of(min(opens - timedelta(days=45), today)):
            sessions[number] = services.session_create(
                actor=staff,
                term=term,
                number=number,
                kind=CouncilSession.Kind.REGULAR,
                opens_on=opens,
                closes_on=opens + timedelta(days=2),
            )

    meetings: dict[str, VoterMeeting] = {}
    for key, number, offset, commune, place, deputies, voters in MEETINGS:
        session = sessions[number]
        after = offset > 0
        held_on = (session.closes_on if after else session.opens_on) + timedelta(days=offset)
        with as_of(held_on):
            meetings[key] = services.meeting_record(
                actor=staff,
                session=session,
                timing=VoterMeeting.Timing.AFTER if after else VoterMeeting.Timing.BEFORE,
                held_on=held_on,
                place=place,
                commune=communes[commune],
                deputies=deputies,
                voters_count=voters,
            )

    # Collect what was raised, then consolidate: duplicates merge into the first item.
    items: dict[str, Recommendation] = {}
    for spec in ITEMS:
        meeting = meetings[spec.meeting]
        with as_of(meeting.held_on):
            items[spec.key] = services.recommendation_collect(
                actor=staff,
                meeting=meeting,
                content=spec.content,
                field=spec.field,
                commune=communes.get(spec.commune or ""),
                locality=spec.locality,
                voters_count=spec.voters,
            )
    for spec in ITEMS:
        if spec.same_as or spec.plan == COLLECTED:
            continue
        keeper = items[spec.key]
        duplicates = [
            items[d.key]
            for d in ITEMS
            if d.same_as == spec.key and items[d.key].session_id == keeper.session_id
        ]
        if keeper.session.number == 2:
            consolidated_on = mid_opens - timedelta(days=8)
        else:
            consolidated_on = keeper.first_raised_on + timedelta(days=2)
        with as_of(consolidated_on):
            services.recommendation_consolidate(actor=staff, keeper=keeper, duplicates=duplicates)

    # Forward the mid-year items after the session; answers come in over the next weeks.
    # The year-end items go out a few days after their meeting: some answers are due soon.
    mid_dispatch = _working(sessions[2].closes_on + timedelta(days=8), calendar)
    for index, spec in enumerate(ITEMS):
        if not spec.agencies or spec.plan in (CONSOLIDATED, COLLECTED):
            continue
        item = items[spec.key]
        soonest = _working(item.first_raised_on + timedelta(days=4), calendar)
        if item.session.number == 2:
            dispatched_on = max(mid_dispatch, soonest)
            dispatch = "212/HĐND-VP" if dispatched_on == mid_dispatch else "248/HĐND-VP"
        else:
            dispatched_on, dispatch = soonest, f"{480 + soonest.day}/HĐND-VP"
        with as_of(dispatched_on):
            services.recommendation_forward(
                actor=staff,
                recommendation=item,
                agencies=[directory.agencies[k] for k in spec.agencies],
                dispatch_number=dispatch,
                dispatched_on=dispatched_on,
            )
        if spec.plan not in PLANS:
            continue
        category, late = PLANS[spec.plan]
        for position, agency_key in enumerate(spec.agencies):
            forwarding = _forwarding(item, directory.agencies[agency_key])
            offset = 35 + index % 12 if late else 9 + (index * 3) % 18
            if spec.plan == SENT_BACK:
                offset = 110  # a late, thin answer that the council sends back today
            answered_on = min(dispatched_on + timedelta(days=offset + position), today)
            with as_of(answered_on):
                services.forwarding_answer(
                    actor=_signer(directory, agency_key),
                    forwarding=forwarding,
                    text=spec.answer,
                    category=category,
                    reason=spec.answer if category == R.NOT_RESOLVED else "",
                    planned_by=date(today.year + 1, 12, 31) if category == R.PLANNED else None,
                    document_number=f"{300 + index * 7 + position}/{DOCUMENT_SIGNS[agency_key]}",
                    answered_on=answered_on,
                )
            if spec.plan == SENT_BACK:
                services.forwarding_send_back(
                    actor=staff,
                    forwarding=_forwarding(item, directory.agencies[agency_key]),
                    reason="Câu trả lời chưa nêu rõ giải pháp, kinh phí và thời gian thực hiện; "
                    "đề nghị trả lời cụ thể.",
                )
            elif spec.plan != AWAITING:
                assessed_on = min(answered_on + timedelta(days=5), today)
                with as_of(assessed_on):
                    services.forwarding_accept(
                        actor=staff,
                        forwarding=_forwarding(item, directory.agencies[agency_key]),
                        assessed_on=assessed_on,
                    )

    with as_of(min(mid_opens + timedelta(days=75), today)):
        services.session_publish(actor=staff, session=sessions[2])

    # The year-end session: unresolved mid-year items carry over, matters raised again
    # merge into the old items, and one item in progress is asked for an update.
    services.session_carry_over(actor=staff, session=sessions[3])
    for spec in ITEMS:
        if spec.same_as and items[spec.key].session_id != items[spec.same_as].session_id:
            services.recommendation_consolidate(
                actor=staff, keeper=items[spec.same_as], duplicates=[items[spec.key]]
            )
    canal = items["a2"]
    services.forwarding_send_back(
        actor=staff,
        forwarding=_forwarding(canal, directory.agencies["so_nnmt"]),
        reason="Cử tri tiếp tục kiến nghị tại kỳ họp thứ ba; đề nghị báo cáo tiến độ nạo vét "
        "và thời gian hoàn thành.",
        due_on=_working(end_opens - timedelta(days=5), calendar),
    )

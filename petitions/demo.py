"""Demo petitions for the Ninh Bình demo province: every kind, every status, every phase.

The history is recorded through the real services, on the dates it would have
happened (`casework.timekeeping.as_of`), so timelines, clocks and figures are all genuine.
Idempotent: nothing is created when demo petitions already exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.utils import timezone

from agencies.demo import DemoDirectory
from agencies.workdays import add_days
from casework import timekeeping

from . import services
from .identity import Identity
from .models import CITIZEN, OUTCOMES_BY_KIND, Channel, Kind, Petition


class Subject(NamedTuple):
    """What a demo petition is about, by the names petition_submit takes them."""

    kind: str
    field: str
    subject: str
    content: str


# (kind, field, subject, content) — what people in a province really write about.
_SUBJECT_ROWS: list[tuple[str, str, str, str]] = [
    (
        Kind.COMPLAINT,
        "land",
        "Khiếu nại quyết định thu hồi đất nông nghiệp",
        "Gia đình tôi bị thu hồi 1.200 m² đất lúa để làm đường vành đai nhưng giá bồi thường thấp hơn giá thị trường và chưa được hỗ trợ chuyển đổi nghề.",
    ),
    (
        Kind.COMPLAINT,
        "land",
        "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất cho hộ liền kề",
        "UBND xã cấp giấy chứng nhận cho hộ ông Đinh Văn Hùng lấn sang 35 m² đất của gia đình tôi đã sử dụng ổn định từ năm 1992.",
    ),
    (
        Kind.COMPLAINT,
        "social_policy",
        "Khiếu nại việc cắt trợ cấp người có công",
        "Mẹ tôi là thân nhân liệt sĩ nhưng từ tháng 6 không còn được nhận trợ cấp hằng tháng mà không có thông báo.",
    ),
    (
        Kind.COMPLAINT,
        "construction",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng",
        "Tôi bị xử phạt 40 triệu đồng vì xây nhà không phép, trong khi hồ sơ xin phép đã nộp từ tháng 3 và quá hạn chưa được trả lời.",
    ),
    (
        Kind.COMPLAINT,
        "education",
        "Khiếu nại kết quả xét tuyển viên chức giáo dục",
        "Điểm phỏng vấn của tôi không được công khai; tôi đề nghị phúc khảo kết quả xét tuyển giáo viên tiểu học năm 2026.",
    ),
    (
        Kind.DENUNCIATION,
        "land",
        "Tố cáo cán bộ địa chính xã nhận tiền để hợp thức hóa đất lấn chiếm",
        "Cán bộ địa chính xã đã nhận tiền của một số hộ để lập hồ sơ hợp thức hóa đất lấn chiếm hành lang đê.",
    ),
    (
        Kind.DENUNCIATION,
        "environment",
        "Tố cáo cơ sở sản xuất xả thải chưa qua xử lý ra sông Hoàng Long",
        "Cơ sở chế biến đá xả nước thải trực tiếp ra sông vào ban đêm; cán bộ môi trường xã biết nhưng không xử lý.",
    ),
    (
        Kind.DENUNCIATION,
        "personnel",
        "Tố cáo sai phạm trong bổ nhiệm cán bộ",
        "Việc bổ nhiệm phó trưởng phòng không đúng quy trình, người được bổ nhiệm chưa đủ tiêu chuẩn theo quy định.",
    ),
    (
        Kind.DENUNCIATION,
        "construction",
        "Tố cáo nhà thầu thi công kè sông không đúng thiết kế",
        "Kè sông đoạn qua thôn Đông mới thi công 6 tháng đã sạt, nghi ngờ nhà thầu bớt xén vật liệu.",
    ),
    (
        Kind.RECOMMENDATION,
        "transport",
        "Kiến nghị lắp đèn tín hiệu tại ngã tư quốc lộ 1A",
        "Ngã tư gần chợ thường xuyên xảy ra va chạm; đề nghị lắp đèn tín hiệu giao thông và vạch kẻ đường.",
    ),
    (
        Kind.RECOMMENDATION,
        "health",
        "Kiến nghị bố trí bác sĩ tại trạm y tế xã",
        "Trạm y tế xã hiện không có bác sĩ thường trực, người dân phải đi xa để khám bệnh bảo hiểm y tế.",
    ),
    (
        Kind.RECOMMENDATION,
        "education",
        "Kiến nghị xây thêm phòng học cho trường mầm non",
        "Trường mầm non thôn Bắc có 3 phòng học cho 120 cháu, đề nghị bố trí vốn xây thêm phòng học.",
    ),
    (
        Kind.RECOMMENDATION,
        "social_policy",
        "Kiến nghị đơn giản hóa thủ tục xác nhận hộ cận nghèo",
        "Thủ tục xác nhận hộ cận nghèo yêu cầu nhiều giấy tờ trùng lặp; đề nghị liên thông dữ liệu dân cư.",
    ),
    (
        Kind.REFLECTION,
        "environment",
        "Phản ánh rác thải tồn đọng tại bãi tập kết thôn Đông",
        "Rác thải sinh hoạt tồn đọng hơn hai tuần, bốc mùi hôi ảnh hưởng đến các hộ dân xung quanh.",
    ),
    (
        Kind.REFLECTION,
        "transport",
        "Phản ánh đường liên xã xuống cấp nghiêm trọng",
        "Tuyến đường liên xã dài 3 km có nhiều ổ gà, mùa mưa ngập sâu, học sinh đi lại nguy hiểm.",
    ),
    (
        Kind.REFLECTION,
        "environment",
        "Phản ánh tiếng ồn và bụi từ xưởng gỗ ban đêm",
        "Xưởng xẻ gỗ hoạt động đến 23 giờ gây tiếng ồn và bụi, ảnh hưởng sinh hoạt của khu dân cư.",
    ),
    (
        Kind.REFLECTION,
        "other",
        "Phản ánh chậm trả kết quả thủ tục đăng ký hộ kinh doanh",
        "Hồ sơ đăng ký hộ kinh doanh nộp tại bộ phận một cửa đã quá hạn 7 ngày chưa có kết quả.",
    ),
]
SUBJECTS = [Subject(*row) for row in _SUBJECT_ROWS]

NAMES = [
    "Nguyễn Văn Hải",
    "Trần Thị Mai",
    "Phạm Văn Đức",
    "Lê Thị Hương",
    "Hoàng Văn Long",
    "Vũ Thị Thu",
    "Đinh Văn Tùng",
    "Bùi Thị Ngọc",
    "Đỗ Văn Thắng",
    "Ngô Thị Lan",
    "Dương Văn Khánh",
    "Tạ Thị Hạnh",
]
VILLAGES = ["thôn Đông", "thôn Bắc", "xóm 3", "thôn Trung", "tổ dân phố 5", "thôn Nam"]


@dataclass
class Story:
    """How far a demo petition went, and when (days before today)."""

    received_days_ago: int
    steps: tuple[tuple[str, int], ...] = ()  # (move, days before today)


# Every status and every phase of the running clocks, for each agency with users.
STORIES: list[Story] = [
    Story(1),  # received, on track
    Story(11),  # received, due soon (handling: 10 WD)
    Story(19),  # received, overdue
    Story(30),  # received, long overdue
    Story(9, (("accept", 7),)),  # accepted, on track
    Story(32, (("accept", 28),)),  # accepted, due soon
    Story(45, (("accept", 34),)),  # accepted, overdue
    Story(70, (("accept", 60),)),  # accepted, long overdue
    Story(40, (("accept", 30), ("suspend", 12))),  # suspended
    Story(60, (("accept", 50), ("suspend", 40), ("resume", 28))),  # resumed after a pause
    Story(25, (("transfer", 20),)),
    Story(15, (("guide", 10),)),
    Story(18, (("not_accept", 12),)),
    Story(14, (("file", 9),)),
    Story(55, (("accept", 48), ("resolve", 20))),  # resolved (decision not yet effective)
    Story(110, (("accept", 100), ("resolve", 75), ("close", 40))),  # closed
    Story(20, (("withdraw", 6),)),
    Story(90, (("accept", 80), ("resolve", 45), ("appeal", 30))),  # second round opened
    Story(50, (("accept", 44), ("terminate", 10))),
]


def _identity(rng: random.Random, commune: str) -> Identity:
    name = rng.choice(NAMES)
    slug = name.split()[-1].lower()
    return Identity(
        name=name,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}",
        email=f"{slug}{rng.randint(10, 99)}@example.vn" if rng.random() < 0.6 else "",
        address=f"{rng.choice(VILLAGES)}, {commune}, tỉnh Ninh Bình",
        id_number=f"0370{rng.randint(10_000_000, 99_999_999)}",
    )


def _play(
    petition: Petition, story: Story, today: date, users: dict[str, Any], transfer_to: Any
) -> None:
    lead, handler = users["lead"], users["handler"]
    for move, days_ago in story.steps:
        with timekeeping.as_of(today - timedelta(days=days_ago)):
            petition = Petition.objects.get(pk=petition.pk)
            if move == "accept":
                services.petition_accept(petition=petition, actor=lead)
            elif move == "transfer":
                services.petition_transfer(petition=petition, actor=handler, to_agency=transfer_to)
            elif move == "guide":
                services.petition_guide(
                    petition=petition,
                    actor=handler,
                    guided_to="Vụ việc thuộc thẩm quyền của Tòa án nhân dân khu vực; "
                    "đề nghị công dân gửi đơn khởi kiện theo thủ tục tố tụng dân sự.",
                )
            elif move == "not_accept":
                services.petition_not_accept(petition=petition, actor=lead, reason="time_limit")
            elif move == "file":
                services.petition_file(
                    petition=petition, actor=handler, note="Đơn trùng nội dung đã được giải quyết."
                )
            elif move == "suspend":
                services.petition_suspend(
                    petition=petition,
                    actor=lead,
                    reason="Chờ kết quả giám định của cơ quan chuyên môn.",
                    decision_number=f"{petition.pk}/QĐ-TĐC",
                )
            elif move == "resume":
                services.petition_resume(petition=petition, actor=lead)
            elif move == "resolve":
                services.petition_resolve(
                    petition=petition,
                    actor=lead,
                    outcome=OUTCOMES_BY_KIND[petition.kind][0],
                    decision_number=f"{petition.pk}/QĐ-GQ",
                    result_summary="Đã xác minh, làm rõ nội dung và trả lời công dân bằng văn bản.",
                )
            elif move == "close":
                services.petition_close(petition=petition, actor=lead)
            elif move == "appeal":
                services.petition_appeal(
                    petition=petition,
                    actor=CITIZEN,
                    content="Tôi không đồng ý với quyết định giải quyết lần đầu vì chưa xem xét "
                    "đầy đủ giấy tờ gốc về nguồn gốc đất.",
                )
            elif move == "withdraw":
                services.petition_withdraw(
                    petition=petition, actor=CITIZEN, reason="Các bên đã tự hòa giải."
                )
            elif move == "terminate":
                services.petition_terminate(
                    petition=petition, actor=lead, reason="Người khiếu nại đã rút toàn bộ yêu cầu."
                )


def seed(directory: DemoDirectory) -> list[tuple[str, str]]:
    """Create the demo petitions; returns a few (reference, tracking code) to try."""
    if Petition.objects.exists():
        return []
    rng = random.Random(37)  # the province code: the same demo every time
    today = timezone.localdate()
    teams = [
        ("so_nnmt", "lanhdao", "xuly", "so_xd"),
        ("ubnd_gia_vien", "lanhdao.xa", "xuly.xa", "so_nnmt"),
        ("so_xd", "lanhdao.xd", "xuly.xd", "ubnd_gia_vien"),
    ]
    communes = {c.name: c for c in directory.communes}
    local = [
        communes[n]
        for n in ("Xã Gia Viễn", "Phường Hoa Lư", "Xã Kim Sơn", "Xã Cúc Phương", "Phường Phủ Lý")
        if n in communes
    ]
    tracked: list[tuple[str, str]] = []
    index = 0
    for agency_key, lead_name, handler_name, transfer_key in teams:
        agency = directory.agencies[agency_key]
        users = {"lead": directory.users[lead_name], "handler": directory.users[handler_name]}
        for story in STORIES:
            about = SUBJECTS[index % len(SUBJECTS)]
            index += 1
            commune = local[index % len(local)] if local else None
            received = today - timedelta(days=story.received_days_ago)
            if any(move == "appeal" for move, _ in story.steps):
                about = SUBJECTS[index % 5]  # only complaints appeal
            with timekeeping.as_of(received):
                submitted = services.petition_submit(
                    actor=CITIZEN if index % 3 else users["handler"],
                    **about._asdict(),
                    handling_agency=agency,
                    commune=commune,
                    identity=_identity(rng, commune.name if commune else "Ninh Bình"),
                    channel=Channel.ONLINE if index % 3 else Channel.IN_PERSON,
                    co_signers_count=12 if index % 7 == 0 else 0,
                    is_remote_area=commune is not None and commune.name == "Xã Cúc Phương",
                )
            if story.steps:
                _play(submitted.petition, story, today, users, directory.agencies[transfer_key])
            if len(tracked) < 3 and not story.steps:
                tracked.append((submitted.petition.reference, submitted.tracking_code))
    # A denunciation extended once as complex, and a second-round complaint.
    _extended_denunciation(directory, today)
    return tracked


def _extended_denunciation(directory: DemoDirectory, today: date) -> None:
    agency = directory.agencies["so_nnmt"]
    lead = directory.users["lanhdao"]
    received = today - timedelta(days=40)
    with timekeeping.as_of(received):
        petition = services.petition_submit(
            actor=CITIZEN,
            kind=Kind.DENUNCIATION,
            subject="Tố cáo việc khai thác cát trái phép trên sông Đáy",
            content="Nhiều tàu hút cát hoạt động ban đêm tại khu vực bến đò, gây sạt lở bờ sông; "
            "có dấu hiệu bao che của cán bộ quản lý.",
            field="environment",
            handling_agency=agency,
            identity=Identity(name="Phạm Thị Nga", address="thôn Trung, xã Gia Viễn"),
        ).petition
    with timekeeping.as_of(received + timedelta(days=5)):
        services.petition_accept(petition=Petition.objects.get(pk=petition.pk), actor=lead)
    extended_on = add_days(received, 30, working=False).due
    if extended_on < today:
        with timekeeping.as_of(extended_on):
            services.petition_extend(
                petition=Petition.objects.get(pk=petition.pk),
                actor=lead,
                reason="Vụ việc phức tạp, liên quan nhiều cơ quan.",
                decision_number="112/QĐ-SNNMT",
            )

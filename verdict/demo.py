"""Demo opinions for the Ninh Bình demo province: answers on most resolved cases, a few
reopened ones (one resolved again and confirmed), and voters' votes on published
answers. Recorded through the real services on the days they would have happened
(`casework.timekeeping.as_of`), after the petitions' and recommendations' demos.
Idempotent: nothing is created when demo answers already exist.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from agencies.demo import DemoDirectory
from casework import timekeeping
from casework.actors import CITIZEN
from petitions import services as petition_services
from petitions.identity import Identity
from petitions.models import Kind, Outcome, Petition, Status
from recommendations.models import CouncilSession, Forwarding

from . import services
from .models import CitizenAnswer

# (kind, field, subject, content): reflections and recommendations a commune hears.
_CASES = [
    (
        Kind.REFLECTION,
        "transport",
        "Phản ánh ổ gà trên tuyến đường liên xã",
        "Đoạn đường từ cầu Gia Viễn đến chợ xã có nhiều ổ gà sâu, trời mưa đọng nước gây nguy hiểm cho học sinh đi xe đạp.",
    ),
    (
        Kind.REFLECTION,
        "environment",
        "Phản ánh rác thải đổ trộm ven kênh",
        "Tại khu vực cuối thôn có người đổ trộm rác thải sinh hoạt và phế thải xây dựng xuống kênh tưới tiêu.",
    ),
    (
        Kind.RECOMMENDATION,
        "education",
        "Kiến nghị lắp đèn chiếu sáng trước cổng trường tiểu học",
        "Buổi chiều tối khu vực cổng trường rất tối, đề nghị lắp thêm đèn chiếu sáng và biển báo giảm tốc độ.",
    ),
    (
        Kind.REFLECTION,
        "construction",
        "Phản ánh công trình xây dựng lấn chiếm vỉa hè",
        "Một hộ kinh doanh xây mái che kiên cố lấn ra toàn bộ vỉa hè, người đi bộ phải xuống lòng đường.",
    ),
    (
        Kind.RECOMMENDATION,
        "health",
        "Kiến nghị bố trí lịch tiêm chủng vào cuối tuần",
        "Nhiều phụ huynh đi làm xa, đề nghị trạm y tế xã bố trí thêm buổi tiêm chủng vào sáng thứ Bảy.",
    ),
    (
        Kind.REFLECTION,
        "environment",
        "Phản ánh mùi hôi từ trại chăn nuôi",
        "Trại lợn gần khu dân cư xả nước thải chưa qua xử lý, mùi hôi ảnh hưởng đến sinh hoạt của các hộ xung quanh.",
    ),
]
# (days ago resolved, settled, score, comment); None: left unanswered.
_ANSWERS: list[tuple[int, bool, int, str] | None] = [
    (24, True, 5, "Đường đã được vá, cảm ơn cán bộ xã."),
    (20, True, 4, ""),
    (16, False, 2, "Mới khắc phục tạm, vài hôm lại như cũ."),
    (12, True, 4, "Giải quyết nhanh, thái độ tốt."),
    None,
    (5, False, 1, "Chưa thấy ai xuống kiểm tra thực tế."),
]
_TEAMS = (("so_nnmt", "lanhdao"), ("ubnd_gia_vien", "lanhdao.xa"), ("so_xd", "lanhdao.xd"))


def _resolve(petition: Petition, lead: Any, summary: str) -> None:
    petition_services.petition_resolve(
        petition=Petition.objects.get(pk=petition.pk),
        actor=lead,
        outcome=Outcome.ADOPTED,
        decision_number=f"{petition.pk}/TB-UBND",
        result_summary=summary,
    )


def _case(
    directory: DemoDirectory, agency_key: str, lead_name: str, index: int, today: date
) -> None:
    kind, field, subject, content = _CASES[index % len(_CASES)]
    plan = _ANSWERS[index % len(_ANSWERS)]
    resolved_ago = plan[0] if plan else 8
    received = today - timedelta(days=resolved_ago + 25)
    agency, lead = directory.agencies[agency_key], directory.users[lead_name]
    with timekeeping.as_of(received):
        petition = petition_services.petition_submit(
            actor=CITIZEN,
            kind=kind,
            subject=subject,
            content=content,
            field=field,
            handling_agency=agency,
            identity=Identity(name="Người dân (dữ liệu mẫu)", email=f"dan{index}@example.vn"),
        ).petition
    with timekeeping.as_of(received + timedelta(days=3)):
        petition_services.petition_accept(petition=Petition.objects.get(pk=petition.pk), actor=lead)
    with timekeeping.as_of(today - timedelta(days=resolved_ago)):
        _resolve(petition, lead, "Đã kiểm tra thực tế và chỉ đạo khắc phục.")
    if plan is None:
        return
    _days, settled, score, comment = plan
    answered_on = today - timedelta(days=max(resolved_ago - 2, 0))
    with timekeeping.as_of(answered_on):
        services.answer_give(
            petition=Petition.objects.get(pk=petition.pk),
            settled=settled,
            score=score,
            comment=comment,
        )
    if settled:
        return
    # Not settled: the citizen reopens it (one agency's case is then resolved again
    # and confirmed).
    with timekeeping.as_of(answered_on):
        services.petition_reopen_by_citizen(
            petition=Petition.objects.get(pk=petition.pk),
            reason="Sự việc vẫn tiếp diễn, đề nghị cơ quan kiểm tra lại tại hiện trường.",
        )
    if agency_key == "ubnd_gia_vien" and answered_on + timedelta(days=4) < today:
        with timekeeping.as_of(answered_on + timedelta(days=3)):
            _resolve(petition, lead, "Đã kiểm tra lại hiện trường và xử lý dứt điểm.")
        with timekeeping.as_of(answered_on + timedelta(days=4)):
            services.answer_give(
                petition=Petition.objects.get(pk=petition.pk), settled=True, score=4
            )


def _answer_existing(rng: random.Random, today: date) -> None:
    """Opinions on most of the petitions' demo cases that are resolved now."""
    for petition in Petition.objects.filter(status=Status.RESOLVED, citizen_answer__isnull=True):
        if petition.resolved_on is None or rng.random() < 0.25:
            continue
        day = min(petition.resolved_on + timedelta(days=rng.randint(1, 6)), today)
        with timekeeping.as_of(day):
            services.answer_give(
                petition=petition,
                settled=rng.random() < 0.7,
                score=rng.choice((2, 3, 4, 4, 5)),
            )


def _votes(rng: random.Random) -> None:
    """Voters' verdicts on the accepted answers of published sessions."""
    published = Forwarding.objects.filter(
        accepted_answer__isnull=False,
        recommendation__session__status=CouncilSession.Status.PUBLISHED,
    ).select_related("accepted_answer")
    for forwarding in published:
        accepted = forwarding.accepted_answer
        if accepted is None:
            continue
        for voter in range(rng.randint(3, 12)):
            services.voter_vote(
                answer=accepted,
                browser_id=f"demo-browser-{voter}",
                settled=rng.random() < 0.6,
            )


def seed(directory: DemoDirectory) -> None:
    if CitizenAnswer.objects.exists():
        return
    rng = random.Random(37)
    today = timezone.localdate()
    _answer_existing(rng, today)
    index = 0
    for agency_key, lead_name in _TEAMS:
        if agency_key not in directory.agencies:
            continue
        for _ in range(len(_ANSWERS)):
            _case(directory, agency_key, lead_name, index, today)
            index += 1
    _votes(rng)

"""The demo province's reception register: a year of visits at the provincial desk and a
commune's, with delegations, returning citizens, visits that opened petitions, answers
on time and late; and first-round complaints with their verification and dialogue.

Called by `seed_demo` after petitions (the dialogues play on its accepted complaints);
idempotent (nothing is added once the province has a visit). Every change is recorded
on its own day (`timekeeping.as_of`), so nobody is told of history.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies.demo import DEMO_PASSWORD, DemoDirectory
from agencies.models import Membership, Role
from agencies.workdays import WorkCalendar
from casework import timekeeping
from petitions import services as petitions
from petitions.models import Kind, Petition, Status

from . import services
from .identity import Representative, Visitor, unseal
from .models import Visit

# (username, full name, e-mail, agency key): the desks' officers. The schedules app's
# demo makes the same accounts; whichever runs first creates them.
OFFICERS = [
    ("tiepdan", "Ngô Thị Thu Hà", "ha.ntt@ninhbinh.gov.vn", "ubnd"),
    ("tiepdan.xa", "Lại Văn Khánh", "khanh.lv@giavien.ninhbinh.gov.vn", "ubnd_gia_vien"),
]
PLACES = {
    "ubnd": "Trụ sở Tiếp công dân tỉnh Ninh Bình, số 2 đường Lê Hồng Phong",
    "ubnd_gia_vien": "Phòng tiếp công dân, trụ sở UBND xã Gia Viễn",
}
LEADERS = {"ubnd": "Phạm Quang Ngọc", "ubnd_gia_vien": "Đinh Công Sơn"}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Hữu", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai"]
VILLAGES = ["thôn Đông", "thôn Đoài", "xóm 3", "thôn Trung", "tổ dân phố 5", "thôn Thượng"]
# (field, classification, subject, content)
MATTERS = [
    (
        "land",
        "complaint",
        "Khiếu nại mức bồi thường khi thu hồi đất",
        "Không đồng ý với đơn giá bồi thường đất nông nghiệp khi thu hồi làm đường vành đai.",
    ),
    (
        "land",
        "complaint",
        "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất",
        "Đề nghị xem xét lại việc cấp giấy chứng nhận cho hộ liền kề chồng lấn ranh giới.",
    ),
    (
        "land",
        "recommendation",
        "Kiến nghị giải quyết tranh chấp lối đi chung",
        "Đề nghị chính quyền xác định lại lối đi chung giữa các hộ trong ngõ.",
    ),
    (
        "environment",
        "recommendation",
        "Phản ánh cơ sở chăn nuôi gây ô nhiễm",
        "Cơ sở chăn nuôi lợn xả thải ra kênh tưới tiêu, gây mùi hôi cho khu dân cư.",
    ),
    (
        "construction",
        "recommendation",
        "Phản ánh công trình lấn chiếm hành lang đường",
        "Công trình xây dựng lấn chiếm hành lang an toàn đường thôn, cản trở đi lại.",
    ),
    (
        "social_policy",
        "complaint",
        "Khiếu nại việc cắt trợ cấp hộ nghèo",
        "Gia đình bị đưa ra khỏi danh sách hộ nghèo nhưng không được thông báo lý do.",
    ),
    (
        "health",
        "recommendation",
        "Kiến nghị về thuốc bảo hiểm y tế",
        "Trạm y tế xã thường xuyên thiếu thuốc trong danh mục bảo hiểm y tế.",
    ),
    (
        "personnel",
        "denunciation",
        "Tố cáo cán bộ địa chính nhận tiền",
        "Cán bộ địa chính xã yêu cầu nộp tiền ngoài quy định khi làm thủ tục đất đai.",
    ),
    (
        "land",
        "several",
        "Khiếu nại và kiến nghị về dự án khu dân cư",
        "Khiếu nại quyết định thu hồi đất và kiến nghị bố trí tái định cư tại chỗ.",
    ),
    (
        "justice",
        "not_eligible",
        "Đề nghị xem xét lại bản án dân sự",
        "Không đồng ý với bản án sơ thẩm của Tòa án nhân dân khu vực về tranh chấp thừa kế.",
    ),
]
KIND_OF_CLASS = {
    "complaint": Kind.COMPLAINT,
    "denunciation": Kind.DENUNCIATION,
    "recommendation": Kind.RECOMMENDATION,
    "several": Kind.COMPLAINT,
}
VISITS_PER_DESK = {"ubnd": 150, "ubnd_gia_vien": 130}
# (agency key, lead, handler): the teams whose complaints go through a dialogue.
TEAMS = [
    ("so_nnmt", "lanhdao", "xuly"),
    ("ubnd_gia_vien", "lanhdao.xa", "xuly.xa"),
    ("so_xd", "lanhdao.xd", "xuly.xd"),
]


def _officers(directory: DemoDirectory) -> dict[str, Any]:
    users = get_user_model().objects
    officers = {}
    for username, name, email, key in OFFICERS:
        user = users.filter(username=username).first()
        if user is None:
            user = users.create_user(
                username=username, email=email, password=DEMO_PASSWORD, first_name=name
            )
        Membership.objects.get_or_create(
            user=user, agency=directory.agencies[key], role=Role.RECEPTION_OFFICER
        )
        officers[key] = user
    return officers


def _person(rng: random.Random, commune: str) -> Visitor:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return Visitor(
        name=name,
        id_number=f"0370{rng.randint(10_000_000, 99_999_999)}",
        phone=f"09{rng.randint(10_000_000, 99_999_999)}",
        email=f"congdan{rng.randint(100, 999)}@example.vn" if rng.random() < 0.3 else "",
        address=f"{rng.choice(VILLAGES)}, {commune}, tỉnh Ninh Bình",
    )


def _working_days(start: date, end: date) -> list[date]:
    calendar = WorkCalendar.load(start, end)
    day, days = start, []
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def seed(directory: DemoDirectory) -> int:
    """Create the demo register and dialogues; returns the visits created."""
    if Visit.objects.filter(agency__province=directory.province).exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    officers = _officers(directory)
    days = _working_days(today - timedelta(days=365), today)
    communes = [
        c for c in directory.communes if c.name in ("Xã Gia Viễn", "Phường Hoa Lư", "Xã Kim Sơn")
    ]
    created = 0
    for key, count in VISITS_PER_DESK.items():
        agency = directory.agencies[key]
        officer = officers[key]
        earlier: list[Visit] = []
        for visited_on in sorted(rng.choice(days) for _ in range(count)):
            commune = rng.choice(communes) if communes else None
            returning = earlier and rng.random() < 0.18
            with timekeeping.as_of(visited_on):
                if returning:
                    visit = _return_visit(rng, officer, agency, key, visited_on, earlier)
                else:
                    visit = _new_visit(rng, officer, agency, key, visited_on, commune)
                    earlier.append(visit)
            _play(rng, visit, officer, today, directory, key)
            created += 1
    _dialogues(directory, today)
    return created


def _details(
    rng: random.Random, agency: Any, key: str, visited_on: date, commune: Any, matter: tuple
) -> services.VisitDetails:
    field, classification, subject, content = matter
    visitor = _person(rng, commune.name if commune else "Ninh Bình")
    delegation = rng.random() < 0.1
    leader = rng.random() < 0.15
    people = 1
    if delegation:
        people = rng.randint(6, 40)
        visitor.representatives = [
            Representative(visitor.name, visitor.id_number),
            *(
                Representative(_person(rng, "").name, f"0370{rng.randint(10_000_000, 99_999_999)}")
                for _ in range(rng.randint(1, 4))
            ),
        ]
    return services.VisitDetails(
        agency=agency,
        visited_on=visited_on,
        place=PLACES[key],
        receiver_kind="leader" if leader else "official",
        receiver_name=LEADERS[key] if leader else "Cán bộ tiếp công dân",
        leader_in_person=leader,
        visitor=visitor,
        field=field,
        classification=classification,
        subject=subject,
        content=content,
        is_delegation=delegation,
        people_count=people,
        commune=commune,
    )


def _new_visit(
    rng: random.Random, officer: Any, agency: Any, key: str, visited_on: date, commune: Any
) -> Visit:
    details = _details(rng, agency, key, visited_on, commune, rng.choice(MATTERS))
    return services.visit_register(actor=officer, details=details)


def _return_visit(
    rng: random.Random, officer: Any, agency: Any, key: str, visited_on: date, earlier: list[Visit]
) -> Visit:
    """The same citizen (same ID), the same matter, some days or weeks later."""
    first = Visit.objects.get(pk=rng.choice(earlier).pk)
    details = services.VisitDetails(
        agency=agency,
        visited_on=visited_on,
        place=PLACES[key],
        receiver_kind="official",
        receiver_name="Cán bộ tiếp công dân",
        visitor=unseal(first.identity),
        field=first.field,
        classification=first.classification,
        subject="Hỏi tiến độ giải quyết: " + first.subject[:150],
        content=first.content,
        is_delegation=first.is_delegation,
        people_count=first.people_count,
        commune=first.commune,
    )
    visit = services.visit_register(actor=officer, details=details)
    services.visit_same_matter(visit=visit, actor=officer, earlier=first)
    services.visit_explain(
        visit=Visit.objects.get(pk=visit.pk),
        actor=officer,
        note="Đã thông tin tiến độ giải quyết và hướng dẫn công dân chờ kết quả.",
    )
    return visit


def _play(
    rng: random.Random, visit: Visit, officer: Any, today: date, directory: DemoDirectory, key: str
) -> None:
    """The outcome at the desk, on the day of the visit, and the answer days later."""
    if visit.matter_id is not None:
        return
    roll = rng.random()
    with timekeeping.as_of(visit.visited_on):
        visit = Visit.objects.get(pk=visit.pk)
        if visit.classification == "not_eligible" or roll < 0.3:
            services.visit_guide(
                visit=visit,
                actor=officer,
                guided_to="Tòa án nhân dân khu vực"
                if visit.classification == "not_eligible"
                else "UBND xã nơi có đất",
            )
            return
        if roll < 0.38:
            services.visit_refuse(visit=visit, actor=officer, reason="settled")
            return
        if roll < 0.72:
            services.visit_explain(
                visit=visit, actor=officer, note="Đã giải thích chính sách, pháp luật liên quan."
            )
            return
        kind = KIND_OF_CLASS.get(visit.classification, Kind.RECOMMENDATION)
        if roll < 0.88:
            services.visit_take_petition(
                visit=visit,
                actor=officer,
                kind=kind,
                documents="Đơn của công dân\nBản sao giấy tờ liên quan",
            )
        else:
            services.visit_take_minutes(visit=visit, actor=officer, kind=kind)
    visit = Visit.objects.get(pk=visit.pk)
    due = visit.answer_due_on
    if due is None:
        return
    # Most answers on time, some late, a few still owed.
    late = rng.random() < 0.15
    answered_on = (
        due + timedelta(days=rng.randint(1, 6)) if late else due - timedelta(days=rng.randint(0, 8))
    )
    answered_on = max(answered_on, visit.visited_on)
    if answered_on > today or rng.random() < 0.08:
        return
    with timekeeping.as_of(answered_on):
        services.visit_answer(
            visit=Visit.objects.get(pk=visit.pk),
            actor=officer,
            answer_form="written",
            answer_text="Đã thông báo việc thụ lý đơn và thời hạn giải quyết.",
        )
    # The commune's own petitions go on to acceptance by its chairman.
    if key == "ubnd_gia_vien" and visit.petition_id:
        petition = Petition.objects.get(pk=visit.petition_id)
        if petition.status == Status.RECEIVED:
            with timekeeping.as_of(answered_on):
                petitions.petition_accept(petition=petition, actor=directory.users["lanhdao.xa"])


def _dialogues(directory: DemoDirectory, today: date) -> None:
    """Verification and dialogue on accepted first-round complaints of the demo teams:
    held and resolved, the complainant stayed away, scheduled, still verifying."""
    tz = timezone.get_current_timezone()
    played = 0
    for agency_key, lead_name, handler_name in TEAMS:
        lead, handler = directory.users[lead_name], directory.users[handler_name]
        complaints = Petition.objects.filter(
            handling_agency=directory.agencies[agency_key],
            kind=Kind.COMPLAINT,
            round=1,
            status=Status.ACCEPTED,
            accepted_on__isnull=False,
        ).order_by("accepted_on")[:2]
        for petition in complaints:
            _dialogue(petition, played % 4, lead, handler, today, tz)
            played += 1


def _dialogue(
    petition: Petition, index: int, lead: Any, handler: Any, today: date, tz: Any
) -> None:
    """One complaint's verification and dialogue, told by `index` how far it got."""
    start = max(petition.accepted_on or today, today - timedelta(days=20))
    with timekeeping.as_of(start):
        petitions.verification_assign(
            petition=Petition.objects.get(pk=petition.pk),
            actor=lead,
            verifier=handler,
            due_on=start + timedelta(days=10),
            scope="Xác minh hồ sơ địa chính, đối chiếu bản đồ và làm việc với các hộ liền kề.",
        )
    if index == 3:
        return  # still verifying
    reported = min(start + timedelta(days=4), today)
    with timekeeping.as_of(reported):
        petitions.verification_report(
            petition=Petition.objects.get(pk=petition.pk),
            actor=handler,
            report="Diện tích thực tế bị thu hồi lớn hơn diện tích ghi trong quyết định; "
            "đơn giá áp dụng đúng bảng giá đất của tỉnh.",
            differs=True,
        )
    meeting = min(reported + timedelta(days=3), today) if index < 2 else today + timedelta(days=5)
    with timekeeping.as_of(min(reported, today)):
        petitions.dialogue_schedule(
            petition=Petition.objects.get(pk=petition.pk),
            actor=lead,
            starts_at=datetime.combine(meeting, time(14, 0), tzinfo=tz),
            place="Phòng họp Sở Nông nghiệp và Môi trường",
            participants="Người khiếu nại; lãnh đạo Sở; tổ xác minh; UBND xã Gia Viễn",
        )
    if index == 2:
        return  # scheduled, not yet held
    with timekeeping.as_of(meeting):
        if index == 0:
            petitions.dialogue_record(
                petition=Petition.objects.get(pk=petition.pk),
                actor=lead,
                attendance="attended",
                complainant_said="Đề nghị đo đạc lại diện tích và bồi thường phần chênh lệch.",
                respondent_said="Tổ xác minh thừa nhận sai sót về diện tích; đơn giá đúng quy định.",
                agreed="Đo đạc lại trong 10 ngày và bồi thường bổ sung phần diện tích chênh lệch.",
            )
            petitions.petition_resolve(
                petition=Petition.objects.get(pk=petition.pk),
                actor=lead,
                outcome="partly_correct",
                decision_number=f"{petition.pk}/QĐ-GQKN",
                result_summary="Khiếu nại đúng một phần: bồi thường bổ sung diện tích chênh lệch.",
            )
        else:
            petitions.dialogue_record(
                petition=Petition.objects.get(pk=petition.pk),
                actor=lead,
                attendance="absent",
            )

"""Demo mediation for the Ninh Bình demo province: villages and residential groups in
every demo commune, a team in each, and a year of cases in every state, successful
about seven times in ten (the provinces' "tỷ lệ hòa giải thành đạt trên 70 %").

The history is recorded through the real services on the days it would have happened
(`casework.timekeeping.as_of`). Idempotent: nothing is created when teams exist.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from agencies.demo import DEMO_PASSWORD, DemoDirectory
from agencies.models import Agency, Locality
from casework import timekeeping

from . import services
from .models import Ground, Kind, MediationCase, MemberRole, Team, TeamMember
from .parties import PartyData

# The demo communes (their People's Committees in agencies.demo) and two places each.
PLACES: dict[str, list[tuple[str, str]]] = {
    "ubnd_gia_vien": [("Thôn Đông", Locality.Kind.VILLAGE), ("Thôn Tây", Locality.Kind.VILLAGE)],
    "ubnd_kim_son": [("Xóm Bắc", Locality.Kind.HAMLET), ("Thôn Nam", Locality.Kind.VILLAGE)],
    "ubnd_cuc_phuong": [
        ("Bản Sấm", Locality.Kind.HIGHLAND_VILLAGE),
        ("Thôn Mạc", Locality.Kind.VILLAGE),
    ],
    "ubnd_hoa_lu": [
        ("Tổ dân phố 3", Locality.Kind.RESIDENTIAL_GROUP),
        ("Tổ dân phố 7", Locality.Kind.RESIDENTIAL_GROUP),
    ],
    "ubnd_phu_ly": [
        ("Tổ dân phố 1", Locality.Kind.RESIDENTIAL_GROUP),
        ("Tổ dân phố 5", Locality.Kind.RESIDENTIAL_GROUP),
    ],
}
# (username, full name, e-mail, role) of the two demo logins, in Thôn Đông, Gia Viễn.
LOGINS = [
    ("totruong", "Lê Văn Thọ", "tho.lv@giavien.ninhbinh.gov.vn", MemberRole.LEADER),
    ("hoagiai", "Nguyễn Thị Mai", "mai.nt@giavien.ninhbinh.gov.vn", MemberRole.MEDIATOR),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đinh", "Bùi", "Đỗ", "Ngô"]
GIVEN = [
    "Văn Hùng",
    "Thị Lan",
    "Văn Bình",
    "Thị Hoa",
    "Minh Tuấn",
    "Thị Hằng",
    "Văn Tâm",
    "Quang Huy",
]
# (field, subject, what it is about)
DISPUTES: list[tuple[str, str, str]] = [
    (
        "land",
        "Tranh chấp ranh giới đất ở giữa hai hộ liền kề",
        "Hai hộ tranh chấp 12 m² đất ở phần giáp ranh phía sau nhà, nơi hộ bên cạnh xây tường rào mới.",
    ),
    (
        "land",
        "Tranh chấp lối đi chung vào khu vườn",
        "Một hộ rào lối đi chung đã sử dụng hơn 20 năm, hộ phía trong không có đường ra ngõ xóm.",
    ),
    (
        "environment",
        "Nước thải chăn nuôi chảy sang nhà bên cạnh",
        "Chuồng lợn của một hộ xả nước thải ra rãnh chung, gây mùi hôi và tràn sang sân nhà hàng xóm.",
    ),
    (
        "construction",
        "Xây nhà làm nứt tường nhà liền kề",
        "Khi đào móng nhà mới, hộ xây dựng làm nứt tường và thấm dột nhà bên cạnh.",
    ),
    (
        "social_policy",
        "Mâu thuẫn gia đình về việc chăm sóc cha mẹ già",
        "Các anh em trong gia đình không thống nhất việc luân phiên chăm sóc và chi phí thuốc men cho mẹ già.",
    ),
    (
        "justice",
        "Tranh chấp khoản vay giữa hai gia đình",
        "Một hộ vay 30 triệu đồng để mua giống, hẹn trả sau vụ mùa nhưng đã quá hạn một năm.",
    ),
    (
        "other",
        "Mâu thuẫn do tiếng ồn karaoke ban đêm",
        "Một hộ hát karaoke đến khuya nhiều ngày trong tuần, hàng xóm nhiều lần nhắc nhưng không chấm dứt.",
    ),
    (
        "other",
        "Vật nuôi phá hoại hoa màu của hộ bên cạnh",
        "Đàn vịt của một hộ nhiều lần xuống ruộng lúa mới cấy của hộ bên cạnh.",
    ),
]
CASES_PER_TEAM = 12


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"


def _party(rng: random.Random, place: str, commune: str) -> PartyData:
    return PartyData(
        name=_person(rng),
        phone=f"09{rng.randrange(10_000_000, 99_999_999)}",
        address=f"{place}, {commune}",
    )


def _account(username: str, full_name: str, email: str) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(
            username=username, email=email, password=DEMO_PASSWORD, first_name=full_name
        )
    return user


def _leader_account(team: Team, full_name: str) -> Any:
    """The other teams' leaders act in the history but have no demo login."""
    user_model = get_user_model()
    username = f"totruong.{team.pk}"
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(username=username, first_name=full_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _team(
    agency: Agency, name: str, kind: str, rng: random.Random, start: date, logins: bool
) -> tuple[Team, list[TeamMember], Any]:
    locality, _created = Locality.objects.get_or_create(
        commune=agency.unit, name=name, defaults={"kind": kind}
    )
    team = Team.objects.create(locality=locality, name=f"Tổ hòa giải {name}", established_on=start)
    members = []
    if logins:
        for username, full_name, email, role in LOGINS:
            user = _account(username, full_name, email)
            members.append(
                TeamMember.objects.create(
                    team=team, user=user, full_name=full_name, role=role, term_start=start
                )
            )
        leader = members[0].user
    else:
        full_name = _person(rng)
        leader = _leader_account(team, full_name)
        members.append(
            TeamMember.objects.create(
                team=team,
                user=leader,
                full_name=full_name,
                role=MemberRole.LEADER,
                term_start=start,
            )
        )
    for _ in range(2):
        members.append(
            TeamMember.objects.create(
                team=team, full_name=_person(rng), role=MemberRole.MEDIATOR, term_start=start
            )
        )
    return team, members, leader


def _story(
    rng: random.Random,
    case: MediationCase,
    leader: Any,
    mediators: list[TeamMember],
    opened: date,
    today: date,
) -> None:
    """Take one case as far as its age allows: open cases are recent, the rest concluded
    (successful about 70 % of the time), followed up, referred or mediated again."""
    age = (today - opened).days
    roll = rng.random()
    if age < 4 and roll < 0.5:
        return  # still waiting for a mediator
    assigned_on = opened + timedelta(days=rng.randint(0, 1))
    with timekeeping.as_of(assigned_on):
        services.case_assign(
            case=case, actor=leader, mediator=rng.choice(mediators), chosen_by_parties=roll > 0.7
        )
    if age < 6 and roll < 0.8:
        return  # assigned, first session still to come
    if roll > 0.96:
        with timekeeping.as_of(assigned_on + timedelta(days=1)):
            services.case_refuse(case=case, actor=leader, reason="Một bên không đồng ý hòa giải.")
        return
    first = assigned_on + timedelta(days=rng.choice([1, 2, 2, 3, 3, 4]))
    with timekeeping.as_of(first):
        services.case_record_session(
            case=case,
            actor=leader,
            held_on=first,
            place="Nhà văn hóa thôn",
            is_public=False,
            notes="Nghe các bên trình bày, phân tích quy định pháp luật liên quan.",
        )
    if age < 14 and roll < 0.9:
        return  # being mediated
    ends = first + timedelta(days=rng.randint(3, 10))
    with timekeeping.as_of(ends):
        if roll > 0.92:
            services.case_end(
                case=case,
                actor=leader,
                party=case.parties.first(),
                reason="Bên yêu cầu tự thỏa thuận với nhau.",
            )
            return
        if rng.random() < 0.72:
            _succeed(rng, case, leader, written=rng.random() < 0.6)
        else:
            services.case_fail(case=case, actor=leader, note="Các bên giữ nguyên quan điểm.")
    _follow(rng, case, leader, ends, today)


def _succeed(rng: random.Random, case: MediationCase, leader: Any, *, written: bool) -> None:
    parties = list(case.parties.all())
    obligations = [
        services.ObligationData(
            party=parties[0],
            what="Tháo dỡ phần công trình lấn sang và trả lại hiện trạng.",
            due_on=timekeeping.today() + timedelta(days=30),
        ),
        services.ObligationData(
            party=parties[1],
            what="Không yêu cầu bồi thường thêm; cùng ký biên bản xác định mốc giới.",
            due_on=timekeeping.today() + timedelta(days=30),
        ),
    ]
    services.case_succeed(
        case=case,
        actor=leader,
        written=written,
        texts={
            "basis": "Theo yêu cầu của các bên (Điều 16 Luật Hòa giải ở cơ sở).",
            "course": "Hai buổi hòa giải tại nhà văn hóa, có trưởng thôn tham dự.",
            "agreement": "Các bên thống nhất phương án giải quyết như dưới đây.",
            "rights_and_obligations": "Mỗi bên thực hiện phần việc của mình đúng hạn.",
            "performance_method": "Thực hiện trong 30 ngày; tổ hòa giải theo dõi, đôn đốc.",
        },
        obligations=obligations,
        signed=written,
    )


def _follow(rng: random.Random, case: MediationCase, leader: Any, ends: date, today: date) -> None:
    later = ends + timedelta(days=rng.randint(20, 40))
    if later >= today:
        return
    roll = rng.random()
    with timekeeping.as_of(later):
        if case.outcome == "successful":
            if roll < 0.85:
                services.case_performed(case=case, actor=leader)
                if roll < 0.08 and case.settlements.exists():
                    services.case_recognise(
                        case=case,
                        actor=leader,
                        court_decision="12/2026/QĐST-DS",
                        recognised_on=timekeeping.today(),
                    )
            else:
                services.case_not_performed(case=case, actor=leader, note="Một bên chưa thực hiện.")
        elif roll < 0.15:
            # The commune's People's Committee takes it as a petition, linked.
            services.case_refer(case=case, actor=leader, petition_agency=case.agency)
        elif roll < 0.6:
            services.case_refer(
                case=case, actor=leader, referred_to="Ủy ban nhân dân xã (bộ phận tiếp công dân)"
            )
        elif roll < 0.75 and case.field == "land":
            services.case_refer(case=case, actor=leader, open_land=True)
        elif roll < 0.85:
            services.case_resume(case=case, actor=leader, note="Các bên đề nghị hòa giải tiếp.")


def seed(directory: DemoDirectory) -> list[tuple[str, str, str]]:
    """Localities, teams and a year of mediation; returns the demo logins it adds."""
    described = [
        (username, DEMO_PASSWORD, f"{name}: {MemberRole(role).label} — Tổ hòa giải Thôn Đông")
        for username, name, _email, role in LOGINS
    ]
    if Team.objects.exists():
        return described
    rng = random.Random(3735)
    today = timekeeping.today()
    start = today - timedelta(days=400)
    for key, places in PLACES.items():
        agency = directory.agencies[key]
        for index, (name, kind) in enumerate(places):
            logins = key == "ubnd_gia_vien" and index == 0
            team, members, leader = _team(agency, name, kind, rng, start, logins)
            mediators = [m for m in members if m.role == MemberRole.MEDIATOR]
            for _ in range(CASES_PER_TEAM):
                opened = today - timedelta(days=rng.randint(0, 360))
                field, subject, summary = rng.choice(DISPUTES)
                with timekeeping.as_of(opened):
                    case = services.open_case(
                        actor=leader,
                        kind=Kind.GRASSROOTS,
                        ground=rng.choice(Ground.values),
                        field=field,
                        subject=subject,
                        summary=summary,
                        parties=[
                            _party(rng, name, agency.unit.name),
                            _party(rng, name, agency.unit.name),
                        ],
                        team=team,
                    )
                _story(rng, case, leader, mediators, opened, today)
    return described

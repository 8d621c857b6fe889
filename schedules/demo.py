"""The demo province's reception schedule: its receiving leaders, six months of held
days (across the 01/07/2026 change for the commune chairman), a published schedule for
this month and next, and bookings in every state.

History is recorded through the real services on the dates it happened
(`casework.timekeeping.as_of`), so timelines and the compliance figure are genuine.
Idempotent: nothing is created when the province already has reception days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from agencies.demo import AGENCIES, DEMO_PASSWORD, DemoDirectory
from agencies.models import Membership, Role
from agencies.workdays import WorkCalendar
from casework import timekeeping
from casework.actors import CITIZEN

from . import services
from .identity import Visitor
from .models import DayKind, Leader, LeaderKind, Mode, ReceptionDay

PROVINCIAL_OFFICE = "Trụ sở Tiếp công dân tỉnh Ninh Bình, số 2 đường Lê Hồng Phong"
COMMUNE_OFFICE = "Phòng tiếp công dân, trụ sở UBND xã Gia Viễn"
# (username, full name, e-mail, agency key): the reception officers (cán bộ tiếp công dân).
OFFICERS = [
    ("tiepdan", "Ngô Thị Thu Hà", "ha.ntt@ninhbinh.gov.vn", "ubnd"),
    ("tiepdan.xa", "Lại Văn Khánh", "khanh.lv@giavien.ninhbinh.gov.vn", "ubnd_gia_vien"),
]
# (agency key, name, title, kind, username of their account or None)
LEADERS = [
    (
        "ubnd",
        "Phạm Quang Ngọc",
        "Chủ tịch UBND tỉnh Ninh Bình",
        LeaderKind.PROVINCIAL_CHAIRMAN,
        None,
    ),
    (
        "so_nnmt",
        "Trần Văn Minh",
        "Giám đốc Sở Nông nghiệp và Môi trường",
        LeaderKind.AGENCY_HEAD,
        "lanhdao",
    ),
    ("so_xd", "Vũ Thị Lan", "Giám đốc Sở Xây dựng", LeaderKind.AGENCY_HEAD, "lanhdao.xd"),
    (
        "ubnd_gia_vien",
        "Đinh Công Sơn",
        "Chủ tịch UBND xã Gia Viễn",
        LeaderKind.COMMUNE_CHAIRMAN,
        "lanhdao.xa",
    ),
]
VISITORS = [
    ("Nguyễn Văn Hùng", "037080001234", "0912000111", "hung.nv@example.vn", "land"),
    ("Trần Thị Mai", "037185004321", "0913000222", "", "social_policy"),
    ("Lê Văn Tâm", "037079005678", "0914000333", "tam.lv@example.vn", "construction"),
    ("Phạm Thị Hoa", "037190008765", "0915000444", "", "environment"),
    ("Đỗ Minh Tuấn", "037088002468", "0916000555", "tuan.dm@example.vn", "land"),
    ("Bùi Thị Lan", "037192001357", "0917000666", "", "health"),
]
MATTERS = {
    "land": "Đề nghị xem xét lại giá bồi thường khi thu hồi đất làm đường vành đai.",
    "social_policy": "Hỏi về việc chưa được nhận trợ cấp người có công từ tháng 6.",
    "construction": "Phản ánh công trình xây dựng lấn chiếm hành lang đường thôn.",
    "environment": "Phản ánh cơ sở chăn nuôi xả thải ra kênh tưới tiêu.",
    "health": "Kiến nghị về việc thiếu thuốc bảo hiểm y tế tại trạm y tế xã.",
}


@dataclass
class DemoSchedule:
    officers: dict[str, Any]  # by agency key
    leaders: dict[str, Leader]  # by agency key
    by_agency: dict[int, Any]  # the officers by agency id


def _officers(directory: DemoDirectory) -> dict[str, Any]:
    users = get_user_model().objects
    found: dict[str, Any] = {}
    for username, full_name, email, agency_key in OFFICERS:
        user = users.filter(username=username).first()
        if user is None:
            user = users.create_user(
                username=username, email=email, password=DEMO_PASSWORD, first_name=full_name
            )
        Membership.objects.get_or_create(
            user=user, agency=directory.agencies[agency_key], role=Role.RECEPTION_OFFICER
        )
        found[agency_key] = user
    return found


def _leaders(directory: DemoDirectory, serves_from: date) -> dict[str, Leader]:
    leaders: dict[str, Leader] = {}
    for agency_key, name, title, kind, username in LEADERS:
        leader, _created = Leader.objects.get_or_create(
            agency=directory.agencies[agency_key],
            name=name,
            defaults={
                "title": title,
                "kind": kind,
                "user": directory.users.get(username) if username else None,
                "serves_from": serves_from,
            },
        )
        leaders[agency_key] = leader
    return leaders


def _weekday_on_or_after(day: date, weekday: int, cal: WorkCalendar) -> date:
    while day.weekday() != weekday or not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def _month_plan(month: date, cal: WorkCalendar) -> list[tuple[str, date, str]]:
    """(leader key, date, where) of the regular days of a month."""
    plan = [
        ("ubnd", _weekday_on_or_after(month.replace(day=15), 3, cal), "province"),
        ("so_nnmt", _weekday_on_or_after(month.replace(day=8), 1, cal), "province"),
        ("so_xd", _weekday_on_or_after(month.replace(day=20), 2, cal), "province"),
    ]
    # The commune chairman: every week before 01/07/2026, twice a month from then.
    if month < date(2026, 7, 1):
        day = _weekday_on_or_after(month, 4, cal)
        while day.month == month.month:
            plan.append(("ubnd_gia_vien", day, "commune"))
            day = _weekday_on_or_after(day + timedelta(days=1), 4, cal)
    else:
        for start in (month.replace(day=8), month.replace(day=22)):
            plan.append(("ubnd_gia_vien", _weekday_on_or_after(start, 4, cal), "commune"))
    return plan


def _plan(
    schedule: DemoSchedule, directory: DemoDirectory, key: str, day: date, where: str
) -> ReceptionDay:
    host = "ubnd" if where == "province" else "ubnd_gia_vien"
    online = day >= date(2026, 7, 1) and key != "ubnd_gia_vien"
    return services.day_plan(
        actor=schedule.officers[host],
        agency=directory.agencies[host],
        plan=services.DayPlan(
            leader=schedule.leaders[key],
            kind=DayKind.REGULAR,
            date=day,
            starts_at=time(7, 30) if where == "province" else time(13, 30),
            ends_at=time(11, 30) if where == "province" else time(17, 0),
            place=PROVINCIAL_OFFICE if where == "province" else COMMUNE_OFFICE,
            capacity=10 if where == "province" else 6,
            offers_online=online,
        ),
    )


def _officer(schedule: DemoSchedule, day: ReceptionDay) -> Any:
    """The reception officer of the day's agency."""
    return schedule.by_agency[day.agency_id]


def _visitor(index: int) -> tuple[Visitor, str]:
    name, id_number, phone, email, field = VISITORS[index % len(VISITORS)]
    return Visitor(name=name, id_number=id_number, phone=phone, email=email), field


def _book(day: ReceptionDay, index: int, *, mode: str = Mode.IN_PERSON) -> services.Booked:
    visitor, field = _visitor(index)
    return services.booking_create(
        day=day, visitor=visitor, field=field, matter=MATTERS[field], mode=mode
    )


def _past_day(schedule: DemoSchedule, key: str, day: ReceptionDay, n: int) -> None:
    """A day that has passed: held (in person, or by a deputy), or not held."""
    officer = _officer(schedule, day)
    with timekeeping.as_of(day.date - timedelta(days=12)):
        services.day_publish(day=day, actor=officer)
        leader_user = day.leader.user
        if leader_user is not None:
            services.day_confirm(day=day, actor=leader_user)
        booked = [_book(day, n + i) for i in range(2)]
        for item in booked:
            services.booking_confirm(booking=item.booking, actor=officer)
    if n % 7 == 3:
        with timekeeping.as_of(day.date - timedelta(days=2)):
            services.day_delegate(
                day=day,
                actor=officer,
                delegate_name="Hoàng Văn Thắng",
                delegate_title="Phó Chủ tịch" if key != "so_xd" else "Phó Giám đốc",
                note="Lãnh đạo đi công tác theo lịch của Tỉnh ủy.",
            )
    with timekeeping.as_of(day.date):
        if n % 11 == 5:
            services.day_miss(
                day=day, actor=officer, note="Lãnh đạo họp đột xuất, không bố trí được người thay."
            )
            return
        services.day_hold(day=day, actor=officer)
        services.booking_attend(booking=booked[0].booking, actor=officer)
        services.booking_absent(booking=booked[1].booking, actor=officer)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, what the login is for) of the reception officers."""
    short = {key: short_name for key, _name, short_name, *_rest in AGENCIES}
    return [
        (username, DEMO_PASSWORD, f"{name}: {Role.RECEPTION_OFFICER.label} — {short[key]}")
        for username, name, _email, key in OFFICERS
    ]


def seed(directory: DemoDirectory) -> list[tuple[str, str]]:
    """The demo schedule; returns (booking code, secret code) of a few bookings to follow."""
    if ReceptionDay.objects.filter(agency__province=directory.province).exists():
        return []
    today = timekeeping.today()
    this_month = today.replace(day=1)
    first = this_month
    for _step in range(6):
        first = (first - timedelta(days=1)).replace(day=1)
    officers = _officers(directory)
    schedule = DemoSchedule(
        officers=officers,
        # In office since the first month of the demo's history.
        leaders=_leaders(directory, first),
        by_agency={directory.agencies[key].pk: user for key, user in officers.items()},
    )
    last = (this_month + timedelta(days=62)).replace(day=1) - timedelta(days=1)
    cal = WorkCalendar.load(first, last + timedelta(days=40))
    month = first
    n = 0
    upcoming: list[ReceptionDay] = []
    while month <= last:
        for key, day, where in _month_plan(month, cal):
            n += 1
            with timekeeping.as_of(min(day, today) - timedelta(days=20)):
                planned = _plan(schedule, directory, key, day, where)
            if day < today:
                _past_day(schedule, key, planned, n)
            else:
                upcoming.append(planned)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    # Recorded as of today: the demo's bookings tell nobody (no e-mail to the examples).
    with timekeeping.as_of(today):
        return _upcoming(schedule, directory, upcoming, today)


def _upcoming(
    schedule: DemoSchedule, directory: DemoDirectory, days: list[ReceptionDay], today: date
) -> list[tuple[str, str]]:
    """This month's and next month's days to come: published, with bookings in every
    open state; one ad-hoc reception; the last one still a plan."""
    tracked: list[tuple[str, str]] = []
    published = days[:-1]
    for day in published:
        services.day_publish(day=day, actor=_officer(schedule, day))
    # The last day stays a plan: the office's next step.
    provincial = [d for d in published if d.agency_id == directory.agencies["ubnd"].pk]
    if len(provincial) >= 2:
        first, second = provincial[0], provincial[1]
        officer = _officer(schedule, first)
        leader_user = first.leader.user
        if leader_user is not None:
            services.day_confirm(day=first, actor=leader_user, note="Tôi sẽ trực tiếp tiếp.")
        requested = _book(first, 0)
        confirmed = _book(first, 1, mode=Mode.ONLINE if first.offers_online else Mode.IN_PERSON)
        services.booking_confirm(booking=confirmed.booking, actor=officer)
        proposed = _book(first, 2)
        services.booking_propose(
            booking=proposed.booking,
            actor=officer,
            proposed_day=second,
            note="Nội dung thuộc lĩnh vực Sở Xây dựng; đề nghị ông/bà đến vào ngày này.",
        )
        cancelled = _book(first, 3)
        services.booking_cancel(
            booking=cancelled.booking, actor=CITIZEN, reason="Tôi bận việc gia đình."
        )
        for item in (requested, confirmed, proposed):
            tracked.append((item.booking.reference, item.code))
        # An ad-hoc reception for a mass case (đoàn đông người).
        adhoc_on = second.date
        adhoc = services.day_plan(
            actor=officer,
            agency=directory.agencies["ubnd"],
            plan=services.DayPlan(
                leader=schedule.leaders["ubnd"],
                kind=DayKind.AD_HOC,
                date=adhoc_on,
                starts_at=time(14, 0),
                ends_at=time(16, 30),
                place=PROVINCIAL_OFFICE,
                capacity=0,
                reason="Đoàn đông người xã Kim Sơn về bồi thường giải phóng mặt bằng đê biển.",
            ),
        )
        services.day_publish(day=adhoc, actor=officer)
    return tracked

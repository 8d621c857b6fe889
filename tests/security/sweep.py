"""The world the sweeps run in, and the URLconf they are generated from (issue 16, item 8).

`build_world()` makes the demo province (`seed_demo`: every role, every kind of case, in
every status) plus personal data that is unmistakable, so that a sweep can look for it in
every body, export and e-mail: in two agencies, a denunciation whose denouncer nobody may
name; two mediations whose parties' contacts only the mediator, the team leader and (land
mediation) the commune's officials may read; and, at two reception offices, a booking
whose citizen only that office may name. Each is a `Secret` with whom it is for.
`url_patterns()` lists every route of the URLconf by name; each must be in the sweep's
table (a new URL that is not fails the sweep).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from agencies.models import Agency
from agencies.scope import Action, can
from casework.actors import CITIZEN
from casework.uploads import check_files
from mediation import services as mediation_services
from mediation.models import Ground, MediationCase, TeamMember
from mediation.models import Kind as MediationKind
from mediation.parties import PartyData
from mediation.scope import mediation_scope
from petitions import services
from petitions.identity import Identity
from petitions.models import Kind, Petition
from schedules import selectors as schedule_selectors
from schedules import services as schedule_services
from schedules.identity import Visitor
from schedules.models import Booking

# The demo's logins (agencies/demo.py) and the anonymous visitor.
ROLES = [
    "anonymous",
    "xuly",  # handler, Sở NN&MT
    "lanhdao",  # lead, Sở NN&MT
    "xuly.xa",  # handler, UBND xã Gia Viễn
    "lanhdao.xa",  # lead, UBND xã Gia Viễn
    "hdnd",  # council staff, HĐND tỉnh and its Standing Committee
    "giamsat",  # monitor of the province
    "quantri",  # administrator of reference data
    "tiepdan",  # reception officer, UBND tỉnh (the provincial reception office)
    "tiepdan.xa",  # reception officer, UBND xã Gia Viễn
    "totruong",  # leader of Tổ hòa giải Thôn Đông, Gia Viễn
    "hoagiai",  # mediator of that team
]

# Two denouncers nobody may name: one writes to Sở NN&MT, one to UBND xã Gia Viễn.
SECRETS = {
    "so_nnmt": Identity(
        name="Trịnh Bảo Mật",
        phone="0999111222",
        email="bao.mat.tocao@example.vn",
        address="Số 77 ngõ Kín, phường Hoa Lư",
    ),
    "ubnd_gia_vien": Identity(
        name="Lương Ẩn Danh",
        phone="0999333444",
        email="an.danh.tocao@example.vn",
        address="Xóm Giấu Tên, xã Gia Viễn",
    ),
}
SECRET_FILES = {"so_nnmt": "chung-cu-bao-mat.pdf", "ubnd_gia_vien": "chung-cu-an-danh.pdf"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Two mediations whose parties' contacts (phone, address, ID number) are for the case's
# mediator, the team leader and, for land mediation, the commune's officials; the
# parties' names for whoever sees the case (mediation.scope).
PARTIES = {
    "grassroots": [
        PartyData("Hà Hòa Giải Một", "0988111001", "Số 5 xóm Kín Đáo, Thôn Đông", "038111222001"),
        PartyData("Đào Hòa Giải Hai", "0988111002", "Số 9 xóm Kín Đáo, Thôn Đông", "038111222002"),
    ],
    "land": [
        PartyData(
            "Khúc Tranh Đất Ba", "0988111003", "Thửa 12 đồng Kín Bờ, Gia Viễn", "038111222003"
        ),
        PartyData(
            "Mạc Tranh Đất Bốn", "0988111004", "Thửa 13 đồng Kín Bờ, Gia Viễn", "038111222004"
        ),
    ],
}
# Two booking citizens, for the reception office of the day's agency only.
VISITORS = {
    "ubnd": Visitor(
        name="Quách Đặt Lịch",
        id_number="038222333001",
        phone="0977222001",
        email="dat.lich.tinh@example.vn",
        address="Số 1 ngõ Hẹn Trước, phường Hoa Lư",
    ),
    "ubnd_gia_vien": Visitor(
        name="Tạ Hẹn Tiếp",
        id_number="038222333002",
        phone="0977222002",
        email="hen.tiep.xa@example.vn",
        address="Xóm Chờ Tiếp, xã Gia Viễn",
    ),
}


@dataclass(frozen=True)
class Secret:
    """Strings that name a person, and who may read them (`may_see(user)`; None is the
    anonymous visitor). `own` is the person's own e-mail address: what the portal sends
    them may carry their words."""

    label: str
    values: tuple[str, ...]
    may_see: Callable[[Any], bool]
    own: str = ""


def _revealed(petition_pk: int) -> Callable[[Any], bool]:
    """A denouncer: only for a lead who revealed them (the reason in the audit log)."""

    def may_see(user: Any) -> bool:
        from petitions.models import IdentityReveal

        return (
            user is not None
            and IdentityReveal.objects.filter(user=user, petition_id=petition_pk).exists()
        )

    return may_see


def _contacts_of(case: MediationCase) -> Callable[[Any], bool]:
    return lambda user: user is not None and mediation_scope(user).may_see_contacts(case)


def _sees_case(case: MediationCase) -> Callable[[Any], bool]:
    return lambda user: user is not None and mediation_scope(user).sees(case)


def _reception_office_of(booking: Booking) -> Callable[[Any], bool]:
    return lambda user: user is not None and can(user, booking.day.agency_id, Action.RECEPTION)


@dataclass
class World:
    agencies: dict[str, Agency]
    secret_denunciations: dict[str, Petition]
    users: dict[str, Any] = field(default_factory=dict)
    secret_mediations: dict[str, MediationCase] = field(default_factory=dict)
    secret_bookings: dict[str, Booking] = field(default_factory=dict)

    @property
    def secrets(self) -> dict[int, list[str]]:
        """The strings that would name each secret denouncer, by their petition."""
        return {
            petition.pk: [
                SECRETS[key].name,
                SECRETS[key].phone,
                SECRETS[key].email,
                SECRETS[key].address,
                SECRET_FILES[key],
            ]
            for key, petition in self.secret_denunciations.items()
        }

    @property
    def all_secrets(self) -> list[Secret]:
        """Every person's strings, with whom they are for."""
        found = [
            Secret(
                f"denouncer of {petition.reference}",
                tuple(self.secrets[petition.pk]),
                _revealed(petition.pk),
                own=SECRETS[key].email,
            )
            for key, petition in self.secret_denunciations.items()
        ]
        for key, case in self.secret_mediations.items():
            parties = PARTIES[key]
            found.append(
                Secret(
                    f"contacts of the parties to {case.reference}",
                    tuple(v for p in parties for v in (p.phone, p.address, p.id_number)),
                    _contacts_of(case),
                )
            )
            found.append(
                Secret(
                    f"parties to {case.reference}",
                    tuple(p.name for p in parties),
                    _sees_case(case),
                )
            )
        for key, booking in self.secret_bookings.items():
            visitor = VISITORS[key]
            found.append(
                Secret(
                    f"citizen of booking {booking.reference}",
                    (
                        visitor.name,
                        visitor.id_number,
                        visitor.phone,
                        visitor.email,
                        visitor.address,
                    ),
                    _reception_office_of(booking),
                    own=visitor.email,
                )
            )
        return found

    def secrets_for(self, user: Any) -> list[str]:
        """What `user` may not read: every secret, but those they are allowed (a lead
        who revealed a denouncer; a case's mediator; a booking's reception office)."""
        return [v for secret in self.all_secrets if not secret.may_see(user) for v in secret.values]


def build_world() -> World:
    call_command("load_units", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command("seed_open311_demo", verbosity=0, stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    keys = {
        "so_nnmt": "Sở Nông nghiệp và Môi trường tỉnh Ninh Bình",
        "ubnd_gia_vien": "Ủy ban nhân dân xã Gia Viễn",
    }
    agencies = {key: Agency.objects.get(name=name) for key, name in keys.items()}
    denunciations = {}
    for key, agency in agencies.items():
        upload = SimpleUploadedFile(SECRET_FILES[key], PDF, content_type="application/pdf")
        denunciations[key] = services.petition_submit(
            actor=CITIZEN,
            kind=Kind.DENUNCIATION,
            handling_agency=agency,
            identity=SECRETS[key],
            subject="Tố cáo cán bộ địa chính nhận tiền",
            content="Tôi tố cáo cán bộ địa chính nhận tiền để xác nhận hồ sơ đất.",
            field="land",
            files=check_files([upload]),
        ).petition
    users = {u.username: u for u in get_user_model().objects.all()}
    return World(
        agencies=agencies,
        secret_denunciations=denunciations,
        users=users,
        secret_mediations=_secret_mediations(users),
        secret_bookings=_secret_bookings(),
    )


def _secret_mediations(users: dict[str, Any]) -> dict[str, MediationCase]:
    """A grassroots mediation of Tổ hòa giải Thôn Đông assigned to its mediator
    (`hoagiai`), and a land mediation of the commune of Gia Viễn."""
    member = TeamMember.objects.select_related("team__commune").get(user=users["hoagiai"])
    team = member.team
    grassroots = mediation_services.open_case(
        actor=users["totruong"],
        kind=MediationKind.GRASSROOTS,
        ground=Ground.PARTY_REQUEST,
        field="land",
        subject="Tranh chấp lối đi chung giữa hai nhà",
        summary="Hai hộ tranh chấp lối đi chung sau khi một hộ xây tường rào.",
        parties=PARTIES["grassroots"],
        team=team,
    )
    mediation_services.case_assign(case=grassroots, actor=users["totruong"], mediator=member)
    land = mediation_services.open_case(
        actor=users["xuly.xa"],
        kind=MediationKind.LAND,
        ground=Ground.PARTY_REQUEST,
        field="land",
        subject="Tranh chấp ranh giới thửa đất",
        summary="Hai hộ tranh chấp ranh giới giữa thửa 12 và thửa 13.",
        parties=PARTIES["land"],
        commune=team.commune,
    )
    return {
        "grassroots": MediationCase.objects.get(pk=grassroots.pk),
        "land": MediationCase.objects.get(pk=land.pk),
    }


def _secret_bookings() -> dict[str, Booking]:
    """A booking on a day open to bookings at the provincial reception office and at
    UBND xã Gia Viễn."""
    names = {
        "ubnd": "Ủy ban nhân dân tỉnh Ninh Bình",
        "ubnd_gia_vien": "Ủy ban nhân dân xã Gia Viễn",
    }
    bookings = {}
    for key, name in names.items():
        agency = Agency.objects.get(name=name)
        day = schedule_selectors.open_days(agency.pk).first()
        assert day is not None, f"the demo has no day open to bookings at {name}"
        booked = schedule_services.booking_create(
            day=day,
            visitor=VISITORS[key],
            field="land",
            matter="Hỏi về việc cấp giấy chứng nhận quyền sử dụng đất.",
        )
        bookings[key] = Booking.objects.select_related("day__agency").get(pk=booked.booking.pk)
    return bookings


def url_patterns() -> Iterator[tuple[str, URLPattern]]:
    """(namespaced name, pattern) of every named route, the admin's excepted (Django's
    own pages, closed to every role but the administrator: tests/security/test_admin_role)."""

    def walk(resolver: URLResolver, namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, inner)
            elif entry.name:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry

    yield from walk(get_resolver(), "")


def body_text(response: Any) -> str:
    """What a response says, an Excel workbook's cells and a streamed body included."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw[:2] == b"PK":  # xlsx: the shared strings and the sheets
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as book:
                return "".join(
                    book.read(name).decode("utf-8", "replace")
                    for name in book.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    return raw.decode("utf-8", "replace")

"""factory_boy factories for every model the tests build."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from agencies.models import AdministrativeUnit, Agency, CalendarDay, Membership, Role
from casework.actors import CITIZEN, Actor
from petitions.identity import Identity
from petitions.services import Submitted, petition_submit


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("level", "code")

    level = AdministrativeUnit.Level.PROVINCE
    kind = AdministrativeUnit.Kind.PROVINCE
    code = factory.Sequence(lambda n: f"{90 + n % 10:02d}{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    level = AdministrativeUnit.Level.COMMUNE
    kind = AdministrativeUnit.Kind.COMMUNE
    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    parent = factory.SubFactory(ProvinceFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"Sở {n}")
    kind = Agency.Kind.DEPARTMENT
    unit = factory.SubFactory(ProvinceFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = factory.Sequence(lambda n: f"Cán Bộ {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    password = factory.django.Password("mat-khau-thu-nghiem")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.HANDLER


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    kind = CalendarDay.Kind.DAY_OFF
    name = "Nghỉ bù theo quyết định của tỉnh"


def member(role: str, agency: Agency | None = None, **user_fields: object) -> object:
    """A user holding `role` in `agency` (a new agency when none is given)."""
    membership = MembershipFactory(
        role=role, agency=agency or AgencyFactory(), user=UserFactory(**user_fields)
    )
    return membership.user


# --- petitions ------------------------------------------------------------------------
# Petitions are made through the real service so every one has its events and clocks.


def submit_petition(
    *,
    agency: Agency | None = None,
    kind: str = "complaint",
    actor: Actor = CITIZEN,
    name: str = "Nguyễn Văn An",
    email: str = "an.nv@example.vn",
    **overrides: object,
) -> Submitted:
    fields: dict[str, object] = {
        "subject": "Khiếu nại quyết định thu hồi đất nông nghiệp",
        "content": "Gia đình tôi không đồng ý với quyết định thu hồi đất số 123/QĐ-UBND.",
        "field": "land",
    }
    fields.update(overrides)
    return petition_submit(
        actor=actor,
        kind=kind,
        handling_agency=agency or AgencyFactory(),
        identity=Identity(
            name=name, email=email, address="Thôn Đông, xã Gia Viễn", phone="0912345678"
        ),
        **fields,
    )

import pytest

from agencies.models import Role
from agencies.scope import Action, acting_agency_ids, can, forget_scope, visible_agency_ids
from tests.factories import AgencyFactory, MembershipFactory, ProvinceFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def agency_a(province):
    return AgencyFactory(unit=province)


@pytest.fixture
def agency_b(province):
    return AgencyFactory(unit=province)


def test_a_handler_sees_and_handles_only_their_own_agency(agency_a, agency_b):
    user = member(Role.HANDLER, agency_a)
    assert visible_agency_ids(user) == {agency_a.pk}
    assert can(user, agency_a.pk, Action.HANDLE)
    assert not can(user, agency_a.pk, Action.LEAD)
    assert not can(user, agency_b.pk, Action.VIEW)


def test_a_lead_may_accept_and_reveal_in_their_agency_only(agency_a, agency_b):
    user = member(Role.LEAD, agency_a)
    assert can(user, agency_a.pk, Action.LEAD)
    assert can(user, agency_a.pk, Action.REVEAL)
    assert not can(user, agency_b.pk, Action.LEAD)


def test_a_monitor_sees_every_agency_of_their_province_but_acts_on_none(
    agency_a, agency_b, province
):
    inspectorate = AgencyFactory(unit=province)
    elsewhere = AgencyFactory()
    user = member(Role.MONITOR, inspectorate)
    assert visible_agency_ids(user) == {agency_a.pk, agency_b.pk, inspectorate.pk}
    assert elsewhere.pk not in visible_agency_ids(user)
    assert acting_agency_ids(user, Action.HANDLE) == frozenset()
    assert not can(user, agency_a.pk, Action.REVEAL)


def test_council_staff_work_on_the_council_only(agency_a):
    council = AgencyFactory(unit=agency_a.unit)
    user = member(Role.COUNCIL_STAFF, council)
    assert acting_agency_ids(user, Action.COUNCIL) == {council.pk}
    assert not can(user, agency_a.pk, Action.VIEW)


def test_roles_in_several_agencies_add_up(agency_a, agency_b):
    user = member(Role.HANDLER, agency_a)
    MembershipFactory(user=user, agency=agency_b, role=Role.LEAD)
    forget_scope(user)
    assert acting_agency_ids(user, Action.HANDLE) == {agency_a.pk, agency_b.pk}
    assert acting_agency_ids(user, Action.LEAD) == {agency_b.pk}


def test_an_inactive_agency_gives_no_rights(agency_a):
    user = member(Role.LEAD, agency_a)
    agency_a.is_active = False
    agency_a.save()
    assert visible_agency_ids(user) == frozenset()


def test_anonymous_and_inactive_users_see_nothing(agency_a):
    from django.contrib.auth.models import AnonymousUser

    assert visible_agency_ids(AnonymousUser()) == frozenset()
    user = member(Role.LEAD, agency_a, is_active=False)
    assert visible_agency_ids(user) == frozenset()


def test_the_scope_is_computed_once_per_request(agency_a, django_assert_num_queries):
    user = member(Role.HANDLER, agency_a)
    forget_scope(user)
    # 1. the user's memberships with their agencies' provinces
    with django_assert_num_queries(1):
        visible_agency_ids(user)
        can(user, agency_a.pk, Action.HANDLE)
        acting_agency_ids(user, Action.LEAD)

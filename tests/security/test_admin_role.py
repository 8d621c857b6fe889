"""The administrator manages reference data: no case is readable in Django admin, the
demo has no superuser, and a citizen's notice keys tie nothing across petitions."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.demo import AGENCIES, DEMO_PROVINCE_CODE, seed_directory
from notifications.models import Notice
from notifications.services import notify
from tests.factories import CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

# Case data: what citizens wrote, what officials noted, who was told what.
CASE_APPS = {"petitions"}
CASE_MODELS = {
    "recommendations.votermeeting",
    "recommendations.recommendation",
    "recommendations.recommendationsource",
    "recommendations.forwarding",
    "recommendations.answer",
    "recommendations.carryover",
    "recommendations.recommendationevent",
}


def test_no_case_model_is_registered_in_django_admin():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert not {m for m in registered if m.split(".")[0] in CASE_APPS}
    assert not registered & CASE_MODELS
    assert "agencies.agency" in registered


def test_a_superuser_finds_no_petition_page_in_the_admin(admin_client):
    assert admin_client.get("/admin/petitions/petition/").status_code == 404
    assert admin_client.get("/admin/petitions/attachment/").status_code == 404


@pytest.fixture
def demo_admin():
    province = ProvinceFactory(code=DEMO_PROVINCE_CODE, name="Tỉnh Ninh Bình")
    for name in sorted({a[4] for a in AGENCIES if a[4]}):
        CommuneFactory(parent=province, name=name)
    seed_directory()
    return get_user_model().objects.get(username="quantri")


def test_the_demo_has_no_superuser_and_its_admin_edits_reference_data(client, demo_admin):
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert demo_admin.is_staff
    client.force_login(demo_admin)
    assert client.get(reverse("admin:agencies_agency_changelist")).status_code == 200
    assert client.get(reverse("admin:agencies_calendarday_add")).status_code == 200
    # The outbox holds what citizens were told about their cases: not the admin's.
    assert client.get(reverse("admin:notifications_notice_changelist")).status_code == 403


def test_the_demo_admin_cannot_make_anyone_a_superuser(client, demo_admin):
    client.force_login(demo_admin)
    other = get_user_model().objects.get(username="xuly")
    page = reverse("admin:auth_user_change", args=[other.pk])
    body = client.get(page).content.decode()
    assert 'name="is_superuser"' not in body
    assert 'name="user_permissions"' not in body
    assert 'name="groups"' not in body


def _citizen_part(notice: Notice) -> str:
    return notice.key.split(":")[-2]


def test_a_citizens_notices_on_two_petitions_share_no_part_of_their_keys():
    first = notify(
        key="petition:1:received:citizen",
        kind="petition.received",
        template="petitions/citizen_received",
        context={"reference": "TC-2026-000001"},
        email="dan@example.org",
        channels=("email",),
    )[0]
    second = notify(
        key="petition:2:received:citizen",
        kind="petition.received",
        template="petitions/citizen_received",
        context={"reference": "KN-2026-000002"},
        email=" Dan@Example.org ",
        channels=("email",),
    )[0]
    assert _citizen_part(first) != _citizen_part(second)
    # The same call again is the same notice: the key still makes a retry harmless.
    again = notify(
        key="petition:1:received:citizen",
        kind="petition.received",
        template="petitions/citizen_received",
        context={"reference": "TC-2026-000001"},
        email="dan@example.org",
        channels=("email",),
    )
    assert again == []
    assert Notice.objects.count() == 2

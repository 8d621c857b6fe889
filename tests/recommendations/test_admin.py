from datetime import date

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import (
    Answer,
    CarryOver,
    CouncilSession,
    Forwarding,
    Recommendation,
    RecommendationEvent,
    RecommendationSource,
    Term,
    VoterMeeting,
)

from .factories import settled

pytestmark = pytest.mark.django_db

# Reference data only: the case models are not in the admin at all (issue 16).
MODELS = [Term, CouncilSession]
CASE_MODELS = [
    VoterMeeting,
    Recommendation,
    RecommendationSource,
    Forwarding,
    Answer,
    CarryOver,
    RecommendationEvent,
]


@pytest.fixture
def everything(staff, lead, department, meeting, next_session):
    item = settled(
        meeting, staff, department, lead, category="in_progress", dispatched_on=date(2026, 7, 27)
    )
    services.session_carry_over(actor=staff, session=next_session)
    return item


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_working_admin_list_and_page(admin_client, everything, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    obj = model.objects.first()
    page = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert admin_client.get(page).status_code == 200


@pytest.mark.parametrize("model", CASE_MODELS, ids=lambda m: m.__name__)
def test_no_case_model_has_an_admin_page(admin_client, everything, model):
    obj = model.objects.first()
    assert admin_client.get(f"/admin/recommendations/{model._meta.model_name}/").status_code == 404
    page = f"/admin/recommendations/{model._meta.model_name}/{obj.pk}/change/"
    assert admin_client.get(page).status_code == 404


def test_the_admin_cannot_change_a_status_behind_the_services(admin_client, everything):
    page = f"/admin/recommendations/recommendation/{everything.pk}/change/"
    response = admin_client.post(page, {"status": "merged"})
    assert response.status_code == 404
    everything.refresh_from_db()
    assert everything.status == Recommendation.Status.FORWARDED

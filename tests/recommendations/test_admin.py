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

MODELS = [
    Term,
    CouncilSession,
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


def test_the_admin_cannot_change_a_status_behind_the_services(admin_client, everything):
    page = reverse("admin:recommendations_recommendation_change", args=[everything.pk])
    response = admin_client.post(page, {"status": "merged"})
    assert response.status_code == 403
    everything.refresh_from_db()
    assert everything.status == Recommendation.Status.FORWARDED

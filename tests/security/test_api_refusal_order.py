"""Whoever may not make a move is told so (403) before anything about its input (400)
or the case's state (409): a refusal says nothing about another agency's case (found by
the permission sweep, issue 16 item 8)."""

from __future__ import annotations

import pytest

from tests.factories import submit_petition
from tests.petitions.conftest import *  # noqa: F403  (agency, monitor, other_lead)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("move", ["accept", "resolve", "close", "assign", "note"])
def test_a_monitor_asking_a_move_gets_403_whatever_the_input(client, agency, monitor, move):
    petition = submit_petition(agency=agency).petition
    client.force_login(monitor)
    response = client.post(f"/api/v1/petitions/{petition.pk}/{move}/", {}, format="json")
    assert response.status_code == 403


def test_a_lead_of_the_agency_still_gets_the_input_errors(client, agency, lead):
    petition = submit_petition(agency=agency).petition
    client.force_login(lead)
    response = client.post(f"/api/v1/petitions/{petition.pk}/resolve/", {})
    assert response.status_code in {400, 409}

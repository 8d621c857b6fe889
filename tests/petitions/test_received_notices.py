"""A new petition tells its citizen and every official of the agency in a number of
queries that does not grow with the officials (a citizens' surge: `make bench`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Role
from notifications.models import Notice
from tests.factories import AgencyFactory, member, submit_petition

pytestmark = pytest.mark.django_db


def _submission_queries(agency) -> int:
    with CaptureQueriesContext(connection) as captured:
        submit_petition(agency=agency)
    return len(captured)


def test_the_notices_of_a_new_petition_cost_the_same_for_two_officials_or_six():
    few, many = AgencyFactory(), AgencyFactory()
    for agency, officials in ((few, 2), (many, 6)):
        for i in range(officials):
            member(Role.HANDLER if i % 2 else Role.LEAD, agency)
    submit_petition(agency=few)  # the first submission of a year starts its sequence
    submit_petition(agency=many)
    assert _submission_queries(few) == _submission_queries(many)
    petition = submit_petition(agency=many).petition
    staff = Notice.objects.filter(key__startswith=f"petition:{petition.pk}:received:user:")
    assert staff.count() == 6
    assert staff.filter(channel="in_app", url=petition.get_absolute_url()).count() == 6
    citizen = Notice.objects.get(key__startswith=f"petition:{petition.pk}:received:citizen")
    assert citizen.channel == "email" and citizen.email  # sealed at rest

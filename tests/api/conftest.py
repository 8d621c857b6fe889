"""Fixtures for the API tests: the agencies and officials of tests/petitions, an API client."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from agencies.models import Role
from tests.factories import member
from tests.petitions.conftest import (  # noqa: F401  (fixtures shared with the page tests)
    agency,
    handler,
    lead,
    monitor,
    other_agency,
    other_handler,
    other_lead,
    parent_agency,
    province,
)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def council_staff(request):
    # Council staff of the case's agency: they read its cases and act on none of them.
    return member(Role.COUNCIL_STAFF, request.getfixturevalue("agency"), username="hdnd")

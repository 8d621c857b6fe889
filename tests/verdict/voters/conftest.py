"""The recommendations tests' council, agencies and people (fixtures re-exported)."""

from tests.recommendations.conftest import (  # noqa: F401
    _fresh_cache,
    _today,
    commune,
    council,
    department,
    lead,
    meeting,
    monitor,
    other_department,
    other_lead,
    province,
    session,
    staff,
    term,
)

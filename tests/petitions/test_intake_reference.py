"""The reference number of a submission (petitions.services.intake._next_reference):
one statement per number, counting on from the register's row, never reused."""

from __future__ import annotations

import pytest
from django.db import transaction

from petitions.models import PetitionSequence
from petitions.services.intake import _next_reference
from tests.factories import submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db


def test_the_number_counts_on_from_the_register_and_a_new_year_starts_at_one(agency):
    PetitionSequence.objects.create(prefix="KN", year=2026, last=41)
    with at(2026, 12, 31):
        december = submit_petition(agency=agency).petition
    with at(2027, 1, 4):
        january = submit_petition(agency=agency).petition
    assert (december.reference, january.reference) == ("KN-2026-000042", "KN-2027-000001")
    assert PetitionSequence.objects.get(prefix="KN", year=2026).last == 42
    assert PetitionSequence.objects.get(prefix="KN", year=2027).last == 1


def test_a_number_is_issued_with_one_query(django_assert_num_queries):
    PetitionSequence.objects.create(prefix="TC", year=2026, last=7)
    # The upsert: creates the year's row or bumps it, and reads the number back.
    with transaction.atomic(), django_assert_num_queries(1):
        assert _next_reference("denunciation", 2026) == "TC-2026-000008"
    with transaction.atomic(), django_assert_num_queries(1):
        assert _next_reference("denunciation", 2030) == "TC-2030-000001"


class _Abandoned(Exception):
    pass


def test_a_submission_that_rolls_back_gives_its_number_back(agency):
    with at(2026, 3, 9):
        first = submit_petition(agency=agency).petition
        with pytest.raises(_Abandoned), transaction.atomic():
            submit_petition(agency=agency)
            raise _Abandoned
        second = submit_petition(agency=agency).petition
    # No gap and no number given twice: the register counts only what was committed.
    assert (first.reference, second.reference) == ("KN-2026-000001", "KN-2026-000002")

"""Two citizens booking the last place at the same moment, on PostgreSQL: the day's row
lock serves them one after the other, and exactly one gets the place."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from schedules.models import Booking, BookingStatus
from tests.conftest import skip_or_fail
from tests.schedules.conftest import book, published_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_bookings_for_the_last_place_give_it_to_one(officer, agency, leader):
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (DATABASE_URL=postgres://…)")
    day = published_day(officer, agency, leader, capacity=2)
    book(day, 1)  # one place left
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def citizen(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            book(day, n)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=citizen, args=(n,)) for n in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "full"]
    assert Booking.objects.filter(day=day, status=BookingStatus.REQUESTED).count() == 2

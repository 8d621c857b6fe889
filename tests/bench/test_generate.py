"""The bench generator at a tiny size: the rows it writes are cases the services could
have produced (dates in order, statuses matching their dates, open cases on a clock).

COPY on PostgreSQL, bulk_create elsewhere: the same rows either way. No timing here;
speed is what `make bench` measures.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agencies.models import Agency, Role
from bench.dataset import Options
from bench.directory import BenchDirectory
from bench.generate import load_petitions
from petitions.models import (
    OPEN_STATUSES,
    Clock,
    Petition,
    PetitionEvent,
    PetitionSequence,
    Status,
)
from petitions.reminders import step_for
from petitions.selectors import StatsFilter, figures
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member

pytestmark = pytest.mark.django_db

BENCH_DAY = date(2026, 11, 20)
HANDLED_ELSEWHERE = {Status.TRANSFERRED, Status.GUIDED, Status.NOT_ACCEPTED, Status.FILED}
RESOLVED = {Status.RESOLVED, Status.CLOSED, Status.APPEALED}


@pytest.fixture
def directory() -> BenchDirectory:
    province = ProvinceFactory()
    communes = [CommuneFactory(parent=province) for _ in range(3)]
    department = AgencyFactory(unit=province)
    committee = AgencyFactory(unit=communes[0], kind=Agency.Kind.PEOPLES_COMMITTEE)
    agencies = [department, committee]
    handlers = {a.pk: [member(Role.HANDLER, a).pk] for a in agencies}
    leads = {a.pk: [member(Role.LEAD, a).pk] for a in agencies}
    return BenchDirectory(
        province=province,
        communes=communes,
        agencies=agencies,
        weights=[3.0, 1.0],
        handlers=handlers,
        leads=leads,
        big_agency_id=department.pk,
    )


def _generate(directory: BenchDirectory, **options: object) -> object:
    settings = Options(petitions=200, bench_day=BENCH_DAY, seed=7, **options)  # type: ignore[arg-type]
    return load_petitions(directory, settings, fast=False)


def test_every_generated_petition_has_its_dates_in_order(directory):
    generator = _generate(directory)

    assert Petition.objects.count() == 200
    for p in Petition.objects.all():
        assert BENCH_DAY - timedelta(days=730) <= p.received_on <= BENCH_DAY
        assert p.handling_due_on > p.received_on
        for later in (p.handled_on, p.accepted_on, p.resolved_on, p.ended_on, p.suspended_on):
            assert later is None or p.received_on <= later <= BENCH_DAY
        if p.accepted_on:
            assert p.accepted_on == p.handled_on
            assert p.resolution_due_on > p.accepted_on
        if p.resolved_on:
            assert p.resolved_on > p.accepted_on
            assert p.ended_on == p.resolved_on
        if p.closes_on:
            assert p.closes_on > p.resolved_on
    assert generator.counters.petitions == 200


def test_statuses_match_the_dates_the_services_would_have_written(directory):
    _generate(directory)

    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {Status.RECEIVED, Status.CLOSED} <= statuses
    for p in Petition.objects.all():
        if p.status == Status.RECEIVED:
            assert p.handled_on is None and p.ended_on is None
        elif p.status in (Status.ACCEPTED, Status.SUSPENDED):
            assert p.accepted_on and p.resolved_on is None and p.ended_on is None
        elif p.status in HANDLED_ELSEWHERE:
            assert p.handled_on == p.ended_on and p.accepted_on is None
        elif p.status in RESOLVED:
            assert p.resolved_on and p.outcome and p.decision_number
        else:  # withdrawn, terminated
            assert p.ended_on and p.resolved_on is None
        if p.status == Status.CLOSED:
            assert p.closes_on < BENCH_DAY


def test_open_petitions_run_a_clock_and_closed_ones_none(directory):
    _generate(directory)

    for p in Petition.objects.all():
        if p.status == Status.RECEIVED:
            assert (p.clock, p.clock_due_on) == (Clock.HANDLING, p.handling_due_on)
        elif p.status == Status.ACCEPTED:
            assert (p.clock, p.clock_due_on) == (Clock.RESOLUTION, p.resolution_due_on)
        else:
            assert p.clock == "" and p.clock_due_on is None and p.next_reminder_on is None
        if p.clock:
            assert p.clock_due_soon_on <= p.clock_due_on < p.clock_long_overdue_on
            assert p.clock_rule["due"] == p.clock_due_on.isoformat()
        # A reminder date that has come is one remind_one() has a step for.
        if p.next_reminder_on is not None and p.next_reminder_on <= BENCH_DAY:
            assert step_for(p, BENCH_DAY) is not None


def test_events_tell_the_same_story_and_references_continue(directory):
    _generate(directory)

    assert not Petition.objects.exclude(events__action="submit").exists()
    for p in Petition.objects.exclude(status=Status.RECEIVED).prefetch_related("events")[:50]:
        last = list(p.events.all())[-1]
        assert last.to_status == p.status
        assert last.created_at.date() <= BENCH_DAY
    assert PetitionEvent.objects.count() >= 200
    # New submissions continue the numbering instead of colliding with the bench's.
    for sequence in PetitionSequence.objects.all():
        prefix = f"{sequence.prefix}-{sequence.year}-"
        assert Petition.objects.filter(reference=f"{prefix}{sequence.last:06d}").exists()
        assert not Petition.objects.filter(reference=f"{prefix}{sequence.last + 1:06d}").exists()


def test_the_sweep_dataset_keeps_every_petition_open(directory):
    _generate(directory, open_fraction=1.0, due_fraction=0.2)

    assert not Petition.objects.exclude(status__in=OPEN_STATUSES).exists()
    due = Petition.objects.filter(next_reminder_on__lte=BENCH_DAY)
    assert due.exists()


def test_the_figures_run_over_the_generated_rows(directory):
    _generate(directory)
    ids = frozenset(a.pk for a in directory.agencies)

    result = figures(StatsFilter(start=date(2026, 1, 1), end=BENCH_DAY, agency_ids=ids))

    received = Petition.objects.filter(received_on__range=(date(2026, 1, 1), BENCH_DAY)).count()
    assert result["received"] == received > 0
    assert result["resolved"] <= result["in_competence"]

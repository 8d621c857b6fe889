"""The facts of ended petitions (petitions/facts.py) and the figures read from them
(petitions/figures.py) give exactly the live counts of petitions.selectors.

On PostgreSQL, where the trigger keeps the facts: random petitions with random dates,
statuses and dimensions, changed after they ended, reopened and deleted, against the
live count for random periods (whole months, partial months, a single day, across
years) and every narrowing; compaction and a rebuild change no figure. On SQLite the
figures are counted live, and the same comparison holds trivially.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.scope import visible_agency_ids
from petitions import facts
from petitions import figures as petition_figures
from petitions.models import Channel, Kind, Petition
from petitions.selectors import (
    StatsFilter,
    figure_aggregates,
    median_days_to_resolve,
    stats_queryset,
)
from tests.factories import CommuneFactory, submit_petition

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="facts: PostgreSQL"),
]

FIELDS = ["land", "environment", "construction", "health"]
FIRST = date(2024, 10, 1)


def _live(f: StatsFilter) -> dict[str, int]:
    return stats_queryset(f).aggregate(**figure_aggregates(f.start, f.end))


def _live_by(f: StatsFilter, column: str) -> dict[object, dict[str, int]]:
    rows = stats_queryset(f).values(column).annotate(**figure_aggregates(f.start, f.end))
    result = {}
    for row in rows.order_by():
        key = row.pop(column)
        if any(row.values()):
            result[key] = row
    return result


def _nonzero(rows: dict[object, dict[str, int]]) -> dict[object, dict[str, int]]:
    return {key: row for key, row in rows.items() if any(row.values())}


def _randomise(petition: Petition, rng: random.Random, agencies, communes) -> None:
    """Give a petition a random but consistent life through a plain UPDATE."""
    received = FIRST + timedelta(days=rng.randrange(700))
    handling_due = received + timedelta(days=rng.randint(5, 15))
    values: dict[str, object] = {
        "received_on": received,
        "handling_due_on": handling_due,
        "handling_agency_id": rng.choice(agencies).pk,
        "commune_id": rng.choice([*(c.pk for c in communes), None]),
        "field": rng.choice(FIELDS),
        "kind": rng.choice([Kind.COMPLAINT, Kind.DENUNCIATION, Kind.RECOMMENDATION]),
        "channel": rng.choice([Channel.ONLINE, Channel.POST, Channel.IN_PERSON]),
        "handled_on": None,
        "accepted_on": None,
        "resolution_due_on": None,
        "resolved_on": None,
        "suspended_on": None,
        "ended_on": None,
        "status": "received",
    }
    life = rng.random()
    day = received
    if life > 0.15:
        day = received + timedelta(days=rng.randint(0, 25))
        values["handled_on"] = day
        if life > 0.35:
            values["accepted_on"] = day
            values["resolution_due_on"] = day + timedelta(days=rng.randint(20, 60))
            values["status"] = "accepted"
            if life > 0.5:
                resolved = day + timedelta(days=rng.randint(1, 120))
                values["resolved_on"] = resolved
                values["status"] = "resolved"
                values["ended_on"] = resolved + timedelta(days=rng.choice([0, 0, 3, 40]))
            elif life > 0.45:
                values["suspended_on"] = day + timedelta(days=rng.randint(1, 30))
                values["status"] = "suspended"
        elif life > 0.25:
            values["status"] = "guided"
            values["ended_on"] = day
    Petition.objects.filter(pk=petition.pk).update(**values)


@pytest.fixture
def random_cases(agency, other_agency, province):
    rng = random.Random(1515)
    communes = [CommuneFactory(parent=province) for _ in range(3)]
    agencies = [agency, other_agency]
    petitions = [submit_petition(agency=agency).petition for _ in range(90)]
    for petition in petitions:
        _randomise(petition, rng, agencies, communes)
    return {"rng": rng, "petitions": petitions, "agencies": agencies, "communes": communes}


def _periods(rng: random.Random) -> list[tuple[date, date]]:
    periods = [
        (date(2025, 1, 1), date(2025, 12, 31)),  # a year of whole months
        (date(2025, 3, 1), date(2025, 3, 31)),  # one month
        (date(2025, 3, 15), date(2025, 3, 15)),  # one day
        (date(2025, 2, 10), date(2026, 1, 20)),  # partial edges, across a year
        (date(2024, 1, 1), date(2027, 1, 1)),  # everything
        (date(2026, 4, 2), date(2026, 5, 30)),  # no whole month
    ]
    for _ in range(4):
        start = FIRST + timedelta(days=rng.randrange(760))
        periods.append((start, start + timedelta(days=rng.randrange(400))))
    return periods


def _filters(monitor, case_data, start: date, end: date) -> list[StatsFilter]:
    ids = visible_agency_ids(monitor)
    agency, other = case_data["agencies"]
    commune = case_data["communes"][0]
    base = {"start": start, "end": end, "agency_ids": ids}
    return [
        StatsFilter(**base),
        StatsFilter(**base, agency=agency.pk),
        StatsFilter(**base, province=agency.province_id),
        StatsFilter(**base, field="land"),
        StatsFilter(**base, commune=commune.pk),
        StatsFilter(**base, kind=Kind.DENUNCIATION, agency=other.pk),
        StatsFilter(**base, channel=Channel.POST, field="land"),  # two dimensions: live
        StatsFilter(start=start, end=end, agency_ids=frozenset({agency.pk})),
    ]


def _assert_same(monitor, case_data) -> None:
    for start, end in _periods(case_data["rng"]):
        for f in _filters(monitor, case_data, start, end):
            _assert_same_figures(f)
            # and a page's shared pass over the open cases gives the very same
            alone = petition_figures.trend_counts(f)
            with petition_figures.one_pass(f):
                _assert_same_figures(f)
                assert petition_figures.trend_counts(f) == alone, f


def _assert_same_figures(f: StatsFilter) -> None:
    live = _live(f)
    assert petition_figures.counts(f) == live, (f, live)
    for group, column in (
        ("agency", "handling_agency"),
        ("commune", "commune"),
        ("field", "field"),
        ("kind", "kind"),
        ("channel", "channel"),
    ):
        assert _nonzero(petition_figures.counts_by(f, group)) == _live_by(f, column), (
            f,
            group,
        )
    trend = petition_figures.trend_counts(f)
    for measure in petition_figures.TREND_MEASURES:
        assert sum(trend[measure].values()) == live[measure], (f, measure)
    if petition_figures.serves_median(f):
        assert petition_figures.median_days(f) == median_days_to_resolve(f), f


def test_the_facts_give_the_live_figures_for_every_period_and_narrowing(random_cases, monitor):
    _assert_same(monitor, random_cases)


def test_a_pages_figures_read_the_open_cases_once(random_cases, monitor):
    f = _filters(monitor, random_cases, date(2025, 2, 10), date(2026, 1, 20))[0]

    def figures() -> None:
        petition_figures.counts(f)
        petition_figures.counts_by(f, "agency")
        petition_figures.trend_counts(f)
        petition_figures.median_days(f)

    with CaptureQueriesContext(connection) as alone:
        figures()
    with CaptureQueriesContext(connection) as shared, petition_figures.one_pass(f):
        entered = len(shared)
        figures()
    assert entered == 1 and "GROUPING SETS" in shared[0]["sql"]
    # the three scans of the open cases are gone; the median's edges stay one query
    assert len(shared) - entered == len(alone) - 3


def test_changes_after_the_end_reopening_and_deleting_keep_them_equal(random_cases, monitor):
    rng = random_cases["rng"]
    ended = list(Petition.objects.filter(ended_on__isnull=False).order_by("pk"))
    # an ended case moves to another agency and commune, and its dates change
    first = ended[0]
    Petition.objects.filter(pk=first.pk).update(
        handling_agency_id=random_cases["agencies"][1].pk,
        commune_id=random_cases["communes"][2].pk,
        resolved_on=first.received_on + timedelta(days=200),
        ended_on=first.received_on + timedelta(days=200),
    )
    # one is reopened (open again), one deleted, one ended anew
    Petition.objects.filter(pk=ended[1].pk).update(ended_on=None, status="accepted")
    Petition.objects.filter(pk=ended[2].pk).delete()
    still_open = Petition.objects.filter(ended_on__isnull=True).exclude(pk=ended[1].pk).first()
    Petition.objects.filter(pk=still_open.pk).update(
        status="withdrawn", ended_on=still_open.received_on + timedelta(days=5)
    )
    # an update that changes nothing the figures read adds no delta row
    rows = facts.FigureFact.objects.count()
    Petition.objects.filter(pk=ended[3].pk).update(subject="Một tiêu đề khác")
    assert facts.FigureFact.objects.count() == rows
    for petition in random_cases["petitions"][:10]:
        if Petition.objects.filter(pk=petition.pk).exists():
            _randomise(petition, rng, random_cases["agencies"], random_cases["communes"])
    _assert_same(monitor, random_cases)


def _table() -> dict[tuple, tuple]:
    totals: dict[tuple, list[int]] = {}
    for row in facts.FigureFact.objects.values_list(
        "dimension", "month", "agency_id", "value", *facts.COUNT_COLUMNS
    ):
        key, counts = row[:4], row[4:]
        current = totals.setdefault(key, [0] * len(counts))
        for i, value in enumerate(counts):
            current[i] += value
    return {key: tuple(v) for key, v in totals.items() if any(v)}


def test_compaction_and_a_rebuild_change_no_sum(random_cases, monitor):
    Petition.objects.filter(pk=random_cases["petitions"][0].pk).delete()
    before = _table()
    assert facts.FigureFact.objects.count() > len(before)  # deltas not yet folded
    facts.compact()
    assert _table() == before
    keys = facts.FigureFact.objects.values_list("dimension", "month", "agency_id", "value")
    assert len(set(keys)) == keys.count()  # one row per key
    facts.rebuild()
    assert _table() == before
    _assert_same(monitor, random_cases)


def test_open_cases_quiet_before_a_period_are_read_from_their_fact_rows(random_cases, monitor):
    start, end = date(2026, 6, 1), date(2026, 12, 31)
    f = _filters(monitor, random_cases, start, end)[0]
    s = petition_figures.split(start, end)
    assert s.quiet_before == date(2026, 1, 1)
    quiet = facts.FigureFact.objects.filter(dimension__startswith=facts.OPEN)
    # one row per year of a case's last date (and agency, dimension, value)
    assert {row.month for row in quiet} <= {date(y, 1, 1) for y in range(2020, 2030)}
    before = quiet.filter(dimension=facts.OPEN, month__lt=s.quiet_before)
    assert sum(row.pending_at_start + row.overdue_at_end for row in before) > 0
    # the live part counts only the open cases not yet quiet in the period's year
    live = petition_figures._open_rows(f, s).count()
    assert live < Petition.objects.filter(ended_on__isnull=True).count()
    assert petition_figures.counts(f) == _live(f)

"""The reminder sweep's batches (casework.reminders.Sweep.remind_batch): many cases per
transaction, all or nothing, each step's notices once however many sweeps run."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Role
from agencies.selectors import members_with_roles
from casework import reminders as core
from notifications.models import Notice
from petitions import reminders
from petitions.models import Petition
from tests.conftest import skip_or_fail
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    ProvinceFactory,
    member,
    submit_petition,
)
from tests.petitions.conftest import at

# Received Mon 02/03/2026: handling due Mon 16/03, due soon from Wed 11/03, long overdue
# after Mon 23/03 (tests/petitions/test_reminders.py).
DUE_SOON_DAY = date(2026, 3, 11)
LONG_OVERDUE_DAY = date(2026, 3, 24)


@pytest.fixture
def agency():
    province = ProvinceFactory()
    return AgencyFactory(unit=province, name="Sở Nông nghiệp và Môi trường")


@pytest.fixture
def staff(agency):
    """A handler and a lead of the agency, and a monitor of its province."""
    monitors = AgencyFactory(unit=agency.unit, name="Thanh tra tỉnh")
    return (
        member(Role.HANDLER, agency, username="xuly", email="xuly@example.gov.vn"),
        member(Role.LEAD, agency, username="lanhdao", email="lanhdao@example.gov.vn"),
        member(Role.MONITOR, monitors, username="giamsat", email="giamsat@example.gov.vn"),
    )


def _submit(agency, cases: int) -> list[int]:
    with at(2026, 3, 2):
        return [submit_petition(agency=agency).petition.pk for _ in range(cases)]


def _reminder_keys() -> Counter[str]:
    return Counter(
        Notice.objects.filter(kind__startswith="reminder.").values_list("key", flat=True)
    )


def _due(today: date) -> int:
    return Petition.objects.filter(next_reminder_on__lte=today).count()


@pytest.mark.django_db
def test_a_batch_claims_up_to_its_size_and_leaves_the_rest_due(agency, staff):
    _submit(agency, 5)
    assert reminders.remind_batch(today=DUE_SOON_DAY, size=3) == 3
    assert _due(DUE_SOON_DAY) == 2
    handler = staff[0]
    # Three steps of three cases to the handler, on both channels.
    assert Notice.objects.filter(user=handler, kind="reminder.due_soon").count() == 6
    assert reminders.remind_batch(today=DUE_SOON_DAY, size=3) == 2
    assert reminders.remind_batch(today=DUE_SOON_DAY, size=3) == 0


@pytest.mark.django_db
def test_a_batch_that_dies_after_writing_its_notices_leaves_nothing_claimed_or_written(
    agency, staff, monkeypatch
):
    pks = _submit(agency, 4)
    Notice.objects.all().delete()  # the "new petition" notices of the submissions

    def die(self, cases):
        raise RuntimeError("worker killed")

    # notified() runs in the batch's transaction after its notices are written.
    monkeypatch.setattr(core.Sweep, "notified", die)
    with pytest.raises(RuntimeError):
        reminders.remind_due(today=DUE_SOON_DAY)
    assert not Notice.objects.exists()
    assert set(Petition.objects.filter(pk__in=pks).values_list("next_reminder_on", flat=True)) == {
        DUE_SOON_DAY
    }
    mail.outbox.clear()
    # The next run does the whole batch, once.
    monkeypatch.undo()
    assert reminders.remind_due(today=DUE_SOON_DAY) == 4
    assert set(_reminder_keys().values()) == {1}


@pytest.mark.django_db
def test_the_queries_of_a_batch_do_not_grow_with_its_cases(agency, staff):
    def batch_cost(cases: int) -> int:
        _submit(agency, cases)
        with CaptureQueriesContext(connection) as ctx:
            assert reminders.remind_batch(today=LONG_OVERDUE_DAY, size=cases) == cases
        Petition.objects.update(status="closed", next_reminder_on=None)
        return len(ctx.captured_queries)

    # The test's transaction makes the batch's a savepoint: SAVEPOINT;
    # 1. SELECT … FOR UPDATE SKIP LOCKED the batch (with agency and assignee);
    # 2. one UPDATE of every claimed next_reminder_on (SQLite: one guarded UPDATE per
    #    case instead);
    # 3. the batch's agencies' handlers and leads (prime_members); 4. the province's
    # monitors (once per batch); 5. SELECT the notice keys already written; 6. the
    # recipients' languages; SAVEPOINT, 7. one INSERT of every notice (SQLite: of 47
    # rows at most, its bound on parameters), RELEASE; RELEASE.
    one, seven = batch_cost(1), batch_cost(7)
    per_case = 1 if connection.vendor == "sqlite" else 0
    assert seven - one == 6 * per_case
    assert one == 11


@pytest.mark.django_db
def test_a_batch_queues_its_e_mails_after_commit_in_one_message_and_each_is_sent_once(
    agency, staff, django_capture_on_commit_callbacks
):
    _submit(agency, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        assert reminders.remind_batch(today=LONG_OVERDUE_DAY) == 3
    assert len(callbacks) == 1  # one broker message (deliver_notices) for the batch
    assert mail.outbox == []  # nothing leaves before the commit
    callbacks[0]()
    emails = Notice.objects.filter(kind="reminder.long_overdue", channel="email")
    assert emails.count() == 9  # three cases, each to the handler, the lead, the monitor
    assert set(emails.values_list("status", flat=True)) == {Notice.Status.SENT}
    assert len(mail.outbox) == 9
    # The message delivered again (a worker killed before acking it) sends nothing more.
    callbacks[0]()
    assert len(mail.outbox) == 9


@pytest.mark.django_db
def test_a_membership_change_counts_from_the_next_batch(agency, staff):
    _submit(agency, 2)
    reminders.remind_batch(today=DUE_SOON_DAY, size=1)
    newcomer = member(Role.HANDLER, agency, username="moi")
    reminders.remind_batch(today=DUE_SOON_DAY, size=1)
    assert Notice.objects.filter(user=newcomer, channel="in_app").count() == 1


@pytest.mark.django_db
def test_outside_a_batch_the_directory_is_read_every_time(agency, staff, django_assert_num_queries):
    with django_assert_num_queries(2):
        core.members(agency.pk, [Role.HANDLER])
        core.members(agency.pk, [Role.HANDLER])
    with core.batch_memo(), django_assert_num_queries(1):
        first = core.members(agency.pk, [Role.HANDLER])
        assert core.members(agency.pk, [Role.HANDLER]) is first


@pytest.mark.django_db
def test_a_batchs_directory_is_read_in_one_query_with_the_selectors_answers(
    agency, staff, django_assert_num_queries
):
    other = AgencyFactory(unit=agency.unit, name="Sở Xây dựng")
    both = member(Role.HANDLER, other, username="ca.hai")
    MembershipFactory(user=both, agency=other, role=Role.LEAD)
    member(Role.LEAD, other, username="nghi", is_active=False)
    member(Role.HANDLER, other, username="tiep", email="t@example.vn")
    empty = AgencyFactory(unit=agency.unit, name="Sở Y tế")
    role_sets = [[Role.HANDLER], [Role.LEAD], [Role.HANDLER, Role.LEAD]]
    ids = [agency.pk, other.pk, empty.pk]
    with core.batch_memo(), django_assert_num_queries(1):
        core.prime_members(ids, role_sets)
        primed = {(a, tuple(r)): core.members(a, r) for a in ids for r in role_sets}
    assert primed == {
        (a, tuple(r)): tuple(members_with_roles(a, list(r))) for a in ids for r in role_sets
    }
    assert primed[(other.pk, (Role.HANDLER, Role.LEAD))][0] == both  # once, by id


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        # SQLite serialises writers: the batches' row locks are PostgreSQL's to prove.
        skip_or_fail("concurrent sweeps need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_every_step_once(agency, staff):
    _postgresql_only()
    _submit(agency, 30)
    barrier = threading.Barrier(2)
    handled: list[int] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            handled.append(reminders.SWEEP.remind_due(today=LONG_OVERDUE_DAY, batch_size=4))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(handled) == 30
    keys = _reminder_keys()
    assert len(keys) == 30 * 3 * 2  # each case: handler, lead, monitor; both channels
    assert set(keys.values()) == {1}
    assert _due(LONG_OVERDUE_DAY) == 0


@pytest.mark.django_db(transaction=True)
def test_a_second_sweep_skips_the_batch_another_holds_and_takes_the_rest(
    agency, staff, monkeypatch
):
    _postgresql_only()
    pks = _submit(agency, 6)
    holding, release = threading.Event(), threading.Event()
    first_batch: list[int] = []
    original = core.Sweep.notified

    def notified(self, cases):
        # The first sweep's batch stops here, its rows locked and its notices written
        # but not committed, until the second sweep is done.
        if threading.current_thread().name == "first":
            first_batch.extend(case.pk for case in cases)
            holding.set()
            release.wait(timeout=30)
        original(self, cases)

    monkeypatch.setattr(core.Sweep, "notified", notified)

    def first() -> None:
        try:
            reminders.remind_batch(today=LONG_OVERDUE_DAY, size=3)
        finally:
            connection.close()

    thread = threading.Thread(target=first, name="first")
    thread.start()
    try:
        assert holding.wait(timeout=30)
        # Not blocked by the held rows: the second sweep claims the other three.
        assert reminders.remind_due(today=LONG_OVERDUE_DAY) == 3
    finally:
        release.set()
        thread.join()
    assert sorted(first_batch) == pks[:3]
    keys = _reminder_keys()
    assert len(keys) == 6 * 3 * 2 and set(keys.values()) == {1}
    assert reminders.remind_due(today=LONG_OVERDUE_DAY) == 0

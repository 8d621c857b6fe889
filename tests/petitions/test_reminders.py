from datetime import date, timedelta

import pytest
from django.urls import reverse

from agencies.models import Role
from notifications.models import Notice
from petitions import reminders, services
from petitions.models import Petition
from tests.factories import AgencyFactory, member, submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db


def _sweep_every_day(first: date, last: date) -> None:
    day = first
    while day <= last:
        reminders.remind_due(today=day)
        day += timedelta(days=1)


def _kinds(user) -> list[str]:
    return list(
        Notice.objects.filter(user=user, channel="in_app", kind__startswith="reminder.")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_a_case_passing_every_phase_gets_exactly_one_notice_per_phase(
    agency, handler, lead, monitor
):
    # Received Mon 02/03/2026: handling due Mon 16/03 (10 WD), due soon from Wed 11/03,
    # long overdue after Mon 23/03.
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency).petition
    assert petition.next_reminder_on == date(2026, 3, 11)
    # Every day for five weeks, twice a day (two beats): still one notice per phase.
    for _ in range(2):
        _sweep_every_day(date(2026, 3, 2), date(2026, 4, 6))
    assert _kinds(handler) == [
        "reminder.due_soon",
        "reminder.due_today",
        "reminder.overdue",
        "reminder.long_overdue",
    ]
    assert _kinds(lead) == ["reminder.overdue", "reminder.long_overdue"]
    assert _kinds(monitor) == ["reminder.long_overdue"]
    # each in-app notice has its e-mail twin, once
    assert Notice.objects.filter(user=handler, channel="email").count() == 4
    assert Petition.objects.get(pk=petition.pk).next_reminder_on is None


def test_nothing_is_said_before_the_due_soon_date(agency, handler):
    with at(2026, 3, 2):
        submit_petition(agency=agency)
    assert reminders.remind_due(today=date(2026, 3, 10)) == 0
    assert not Notice.objects.filter(kind__startswith="reminder.").exists()


def test_the_assigned_handler_alone_is_reminded_when_there_is_one(agency, handler, lead):
    colleague = member(Role.HANDLER, agency, username="dongnghiep")
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency).petition
        services.petition_assign(petition=petition, actor=lead, handler=colleague)
    reminders.remind_due(today=date(2026, 3, 12))
    assert _kinds(colleague) == ["reminder.due_soon"]
    assert _kinds(handler) == []


def test_an_extension_starts_the_reminders_of_the_new_due_date(agency, handler, lead):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="denunciation").petition
        services.petition_accept(petition=petition, actor=lead)
    # resolution due Wed 01/04 (30 CD); due soon from Fri 27/03
    reminders.remind_due(today=date(2026, 3, 28))
    with at(2026, 3, 28):
        services.petition_extend(
            petition=Petition.objects.get(pk=petition.pk),
            actor=lead,
            reason="r",
            decision_number="1",
        )
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.next_reminder_on == petition.clock_due_soon_on > date(2026, 4, 1)
    reminders.remind_due(today=petition.clock_due_soon_on)
    due_soons = Notice.objects.filter(user=handler, channel="in_app", kind="reminder.due_soon")
    assert due_soons.count() == 2  # one per due date


def test_closed_and_suspended_cases_are_not_reminded(agency, handler, lead):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency).petition
        services.petition_file(petition=petition, actor=handler, note="Đơn trùng")
    assert reminders.remind_due(today=date(2026, 4, 30)) == 0


def test_a_reminder_names_no_denouncer(agency, handler, monitor):
    with at(2026, 3, 2):
        submit_petition(agency=agency, kind="denunciation", name="Lê Văn Tố", email="to@example.vn")
    _sweep_every_day(date(2026, 3, 2), date(2026, 4, 6))
    for notice in Notice.objects.filter(kind__startswith="reminder."):
        assert "Lê Văn Tố" not in notice.body_text + notice.body_html + notice.subject
        assert "to@example.vn" not in notice.body_text + notice.email


def test_reminders_are_in_the_recipients_language(agency, handler):
    from notifications.models import NotificationPreference

    NotificationPreference.objects.update_or_create(user=handler, defaults={"language": "en"})
    with at(2026, 3, 2):
        submit_petition(agency=agency)
    reminders.remind_due(today=date(2026, 3, 11))
    notice = Notice.objects.get(user=handler, channel="in_app", kind="reminder.due_soon")
    assert notice.subject.startswith("Due soon: KN-2026-")
    other = member(Role.HANDLER, AgencyFactory(), username="vi_user")
    assert other  # Vietnamese by default is covered by the phase test's recipients


def test_the_sweep_costs_no_more_queries_for_more_cases_due_together(agency, handler):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sweep_cost(cases: int, day: date) -> int:
        with at(day.year, day.month, day.day - 9):
            for _ in range(cases):
                submit_petition(agency=agency)
        with CaptureQueriesContext(connection) as ctx:
            assert reminders.remind_due(today=day) == cases
        return len(ctx.captured_queries)

    # One case, then five more cases due soon on another day: they go in one batch
    # (casework.reminders.Sweep.remind_batch), whose queries are the same for one case
    # or five — on SQLite, plus the guarded UPDATE that claims each case. The sweep
    # never loads every open case: a batch is BATCH_SIZE due rows at most.
    one = sweep_cost(1, date(2026, 3, 11))
    first = Petition.objects.get()
    services.petition_file(petition=first, actor=handler, note="Đã xử lý xong")
    five = sweep_cost(5, date(2026, 3, 25))
    per_case = 1 if connection.vendor == "sqlite" else 0
    assert five == one + 4 * per_case


def test_in_app_links_are_relative_and_e_mails_name_the_site_url(agency, handler, client, settings):
    settings.SITE_URL = "http://portal.example:9000"
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency).petition
    new = Notice.objects.get(user=handler, channel="in_app", kind="petition.new")
    assert new.url == petition.get_absolute_url()
    reminders.remind_due(today=date(2026, 3, 11))
    in_app = Notice.objects.get(user=handler, channel="in_app", kind="reminder.due_soon")
    assert in_app.url == petition.get_absolute_url()
    email = Notice.objects.get(user=handler, channel="email", kind="reminder.due_soon")
    assert "http://portal.example:9000" + petition.get_absolute_url() in email.body_text
    # The bell follows the link on the host in use, whatever SITE_URL says.
    client.force_login(handler)
    response = client.get(
        reverse("notifications:open", args=[in_app.pk]), HTTP_HOST="localhost:8123"
    )
    assert response.status_code == 302
    assert response.url == petition.get_absolute_url()

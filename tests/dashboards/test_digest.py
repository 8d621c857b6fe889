from datetime import date

import pytest

from dashboards import digest
from notifications.models import Notice
from tests.factories import submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db


def test_each_lead_gets_one_digest_a_week_listing_overdue_and_due_soon_cases(
    agency, lead, handler, other_lead
):
    with at(2026, 3, 2):
        submit_petition(agency=agency, subject="Đơn đã quá hạn xử lý")
    with at(2026, 3, 12):
        submit_petition(agency=agency, subject="Đơn sắp đến hạn")
    monday = date(2026, 3, 23)  # first: due 16/03 (overdue); second: due 26/03 (due soon)
    assert digest.send_weekly_digests(today=monday) == 2  # the lead: in-app + e-mail
    assert digest.send_weekly_digests(today=date(2026, 3, 24)) == 0  # same week: nothing new
    notice = Notice.objects.get(user=lead, channel="email")
    assert "Đơn đã quá hạn xử lý" in notice.body_text
    assert "Đơn sắp đến hạn" in notice.body_text
    assert "Nguyễn Văn An" not in notice.body_text  # never the petitioner
    assert not Notice.objects.filter(user=other_lead).exists()  # nothing due in their agency
    assert not Notice.objects.filter(user=handler, kind="digest.weekly").exists()


def test_next_week_brings_a_new_digest(agency, lead):
    with at(2026, 3, 2):
        submit_petition(agency=agency)
    digest.send_weekly_digests(today=date(2026, 3, 23))
    digest.send_weekly_digests(today=date(2026, 3, 30))
    assert Notice.objects.filter(user=lead, kind="digest.weekly", channel="in_app").count() == 2

"""The bell reads in its reader's language (issue 14, defect 7): an in-app notice keeps
what it was rendered from, and its title is rendered again in the language of the page,
labels included; e-mails keep the language they were sent in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notice
from tests.factories import submit_petition
from tests.petitions.conftest import *  # noqa: F403  (agency, handler)

pytestmark = pytest.mark.django_db


def test_a_new_petitions_notice_reads_in_the_language_of_the_page(client, agency, handler):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        reference = submit_petition(agency=agency, kind="reflection").petition.reference
    notice = Notice.objects.get(user=handler, channel=Notice.Channel.IN_APP)
    assert notice.template and notice.context["kind"] == {"msg": ["Reflection"]}
    client.force_login(handler)
    vietnamese = client.get(reverse("notifications:list")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:list")).content.decode()
    assert reference in vietnamese and reference in english
    assert notice.subject in vietnamese  # written in the handler's notice language
    assert notice.subject not in english
    assert "Reflection" in english or "reflection" in english


def test_a_notice_without_its_template_reads_as_it_was_written(handler):
    notice = Notice(user=handler, subject="Đơn mới", template="")
    assert notice.reader_subject == "Đơn mới"
    notice.template = "petitions/renamed_since"
    assert notice.reader_subject == "Đơn mới"

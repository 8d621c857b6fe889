"""The core's shared page, form, field, admin and reminder helpers."""

from __future__ import annotations

from types import SimpleNamespace

import django_filters
import pytest
from django import forms
from django.core.cache import cache
from django.db import models
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from rest_framework import serializers as rest_serializers

from agencies.models import AdministrativeUnit
from casework.drf.filters import WordsFilter
from casework.drf.serializers import more_fields, person_name
from casework.fields import commune_field, optional_link
from casework.forms import BootstrapMixin, text_box
from casework.pages import agency_choices, staff_scope
from casework.reminders import Sweep, notify_people, send_reminder
from casework.throttle import allow_hourly
from notifications.models import Notice
from petitions.models import Petition
from tests.factories import AgencyFactory, MembershipFactory, UserFactory


def test_a_text_box_is_a_text_field_in_a_box_of_so_many_lines():
    field = text_box("Note", rows=3, required=False, max_length=10)
    assert isinstance(field.widget, forms.Textarea)
    assert field.widget.attrs["rows"] == 3
    assert field.label == "Note" and not field.required and field.max_length == 10


def test_a_text_box_takes_bootstraps_class_like_any_field():
    class NoteForm(BootstrapMixin, forms.Form):
        note = text_box("Note", rows=2)

    assert "form-control" in NoteForm().fields["note"].widget.attrs["class"]


def test_an_optional_link_may_be_empty_and_protects_its_target():
    link = optional_link(AdministrativeUnit, "unit", related_name="cases")
    assert link.null and link.blank
    assert link.remote_field.on_delete is models.PROTECT
    assert link.remote_field.related_name == "cases"
    commune = commune_field()
    assert commune.remote_field.related_name == "+"
    assert str(commune.verbose_name) == str(Petition._meta.get_field("commune").verbose_name)


@pytest.mark.django_db
def test_a_staff_page_is_a_404_for_someone_with_no_agency_to_read():
    request = RequestFactory().get("/")
    request.user = UserFactory()
    with pytest.raises(Http404):
        staff_scope(request)


@pytest.mark.django_db
def test_the_agency_filter_is_offered_only_to_a_reader_of_several_agencies():
    membership = MembershipFactory()
    request = RequestFactory().get("/")
    request.user = membership.user
    scope = staff_scope(request)
    assert agency_choices(scope) == []
    second = MembershipFactory(user=membership.user, agency=AgencyFactory())
    # A fresh user: the scope is worked out once per user object.
    request.user = type(membership.user).objects.get(pk=membership.user.pk)
    scope = staff_scope(request)
    assert {a.pk for a in agency_choices(scope)} == {second.agency_id, membership.agency_id}


def test_the_fields_tag_shows_the_named_fields_in_that_order():
    class Form(forms.Form):
        first = forms.CharField(label="First")
        second = forms.CharField(label="Second")
        third = forms.CharField(label="Third")

    html = Template('{% load casework %}{% fields form "third" "first" %}').render(
        Context({"form": Form()})
    )
    assert html.index("Third") < html.index("First")
    assert "Second" not in html


@pytest.mark.django_db
def test_a_reminder_goes_to_each_person_once_per_step_with_its_stage(settings):
    settings.SITE_URL = "https://portal.example"
    people = [UserFactory(email="a@example.vn"), UserFactory(email="b@example.vn")]
    case = SimpleNamespace(get_absolute_url=lambda: "/case/7/")
    sent = send_reminder(
        case,
        "due_soon",
        {"due_on": "01/01"},
        key="case:7:due_soon",
        template="petitions/reminder",
        to=people,
    )
    assert sent == Notice.objects.count() > 0
    notice = Notice.objects.first()
    assert notice is not None
    assert notice.kind == "reminder.due_soon"
    # In-app links are site-relative: they work on whatever host and port serve the portal.
    assert notice.url == "/case/7/"
    # The same step again writes nothing (the outbox's unique key).
    again = send_reminder(
        case,
        "due_soon",
        {"due_on": "01/01"},
        key="case:7:due_soon",
        template="petitions/reminder",
        to=people,
    )
    assert again == 0


def test_a_reminders_template_reads_its_stage(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr("casework.reminders.notify", lambda **kw: calls.append(kw) or [1])
    case = SimpleNamespace(get_absolute_url=lambda: "/case/7/")
    send_reminder(case, "overdue", {"due_on": 1}, key="k", template="t", to=["someone"])
    assert calls[0]["context"] == {"due_on": 1, "stage": "overdue"}
    assert calls[0]["user"] == "someone"


def test_a_sweep_sends_a_steps_notice_as_its_machine_declares_it(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr("casework.reminders.notify", lambda **kw: calls.append(kw) or [1])
    sweep = Sweep(
        model=Petition,
        prefix="clock",
        running=models.Q(),
        template="t",
        key="case:{case.pk}:{stage}",
        context=lambda case: {"due_on": case.pk},
        recipients=lambda case, stage: ["lead", stage],
    )
    case = SimpleNamespace(pk=7, get_absolute_url=lambda: "/case/7/")
    assert sweep.notify(case, "overdue") == 2
    assert [c["user"] for c in calls] == ["lead", "overdue"]
    assert calls[0]["key"] == "case:7:overdue" and calls[0]["template"] == "t"
    assert calls[0]["context"] == {"due_on": 7, "stage": "overdue"}


def test_an_official_is_named_by_full_name_else_username_and_no_one_is_null():
    assert person_name(None) is None
    assert (
        person_name(SimpleNamespace(get_full_name=lambda: "Lê Văn A", username="a")) == "Lê Văn A"
    )
    assert person_name(SimpleNamespace(get_full_name=lambda: "", username="a")) == "a"


def test_more_fields_shows_the_parents_fields_then_the_new_ones_all_read_only():
    class Row(rest_serializers.ModelSerializer):
        class Meta:
            model = AdministrativeUnit
            fields = ["id", "code"]
            read_only_fields = fields

    class Detail(Row):
        Meta = more_fields(Row, "name")

    assert Detail.Meta.model is AdministrativeUnit
    assert Detail.Meta.fields == Detail.Meta.read_only_fields == ["id", "code", "name"]
    assert Row.Meta.fields == ["id", "code"]
    assert all(field.read_only for field in Detail().fields.values())


def test_a_words_filter_takes_at_most_a_hundred_characters_as_the_pages_do():
    class Words(django_filters.FilterSet):
        q = WordsFilter(method="filter_q")

        def filter_q(self, queryset, name, value):
            return queryset

    queryset = AdministrativeUnit.objects.none()
    assert Words({"q": "x" * 100}, queryset=queryset).is_valid()
    assert not Words({"q": "x" * 101}, queryset=queryset).is_valid()
    assert WordsFilter(max_length=20).extra["max_length"] == 20


def test_an_hourly_allowance_counts_each_name_apart_and_runs_out_at_its_limit():
    cache.clear()
    assert [allow_hourly("test:a", 2) for _ in range(3)] == [True, True, False]
    assert allow_hourly("test:b", 2)


def test_a_case_notice_goes_to_each_person_with_a_link_to_the_case(monkeypatch, settings):
    settings.SITE_URL = "https://portal.example"
    calls: list[dict] = []
    monkeypatch.setattr("casework.reminders.notify", lambda **kw: calls.append(kw) or [1, 2])
    case = SimpleNamespace(get_absolute_url=lambda: "/case/7/")
    sent = notify_people(case, ["a", "b"], key="k", kind="x.y", template="t", context={"n": 1})
    assert sent == 4
    assert [c["user"] for c in calls] == ["a", "b"]
    assert {c["url"] for c in calls} == {"/case/7/"}
    assert calls[0]["kind"] == "x.y" and calls[0]["context"] == {"n": 1}

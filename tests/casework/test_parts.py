"""The core's small parts: rates, search keys, query parameters, past dates, forms."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from agencies.models import Agency
from casework import timekeeping
from casework.forms import BootstrapMixin, add_service_errors
from casework.pages import choice_param, int_param, query_without_page
from casework.rates import mean, percent
from casework.reminders import unique_people
from casework.search import name_search, narrowed, search_filter, search_key


def test_nine_of_sixteen_rounds_half_up_as_official_reports_do():
    # 56.25 %: Python's round() gives 56.2 (half to even on a binary float).
    assert percent(9, 16) == 56.3
    assert percent(1, 8) == 12.5
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(0, 5) == 0.0


def test_a_rate_of_nothing_is_none_not_zero():
    assert percent(0, 0) is None
    assert percent(3, None) is None


def test_a_mean_rounds_half_up_and_needs_a_count():
    assert mean(9, 4) == 2.3  # 2.25
    assert mean(0, 0) is None


def test_search_keys_match_with_or_without_diacritics():
    assert search_key("Thu hồi ĐẤT Gia Viễn") == "thu hoi dat gia vien"
    assert search_key("") == ""
    where = search_filter("Gia Viễn", prefix="recommendation__")
    assert where.children == [
        ("recommendation__search_text__contains", "gia"),
        ("recommendation__search_text__contains", "vien"),
    ]


def test_a_search_reads_at_most_eight_words():
    assert len(search_filter(" ".join(f"w{n}" for n in range(20))).children) == 8


def test_name_search_turns_plain_letters_into_vietnamese_classes():
    (lookup, pattern), *_ = name_search("Vien", "name").children
    assert lookup == "name__iregex"
    assert pattern.startswith("v[") and "ễ" in pattern


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        ("", None),
        (None, None),
        ("abc", None),
        ("0", None),
        ("-3", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),  # past a bigint: would overflow the driver
        ("99999999999999999999999", None),
    ],
)
def test_an_id_parameter_is_a_positive_bigint_or_nothing(raw, expected):
    assert int_param(raw) == expected


def test_a_choice_parameter_outside_its_choices_is_no_filter():
    params = QueryDict("status=open&kind=<script>&page=3")
    assert choice_param(params, "status", ["open", "closed"]) == "open"
    assert choice_param(params, "kind", ["a"]) == ""
    assert query_without_page(params) == "status=open&kind=%3Cscript%3E"


def test_changes_recorded_as_of_a_past_day_read_that_day_and_tell_nobody():
    day = date(2026, 3, 2)
    assert timekeeping.telling()
    with timekeeping.as_of(day):
        assert timekeeping.today() == day
        assert timezone.localtime(timekeeping.now()).date() == day
        assert not timekeeping.telling()
        told = []
        timekeeping.tell(lambda: told.append(1))
        assert told == []
    assert timekeeping.today() == timezone.localdate()
    assert timekeeping.telling()


def test_past_events_of_one_day_keep_their_order():
    with timekeeping.as_of(date(2026, 3, 2)):
        first = timekeeping.now()
        second = timekeeping.now()
    assert first <= second


class _Form(BootstrapMixin, forms.Form):
    name = forms.CharField()
    agree = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A")])


def test_an_invalid_field_is_marked_for_screen_readers_and_the_eye():
    form = _Form(data={"kind": "zzz"})
    assert not form.is_valid()
    html = str(form["name"])
    assert 'aria-invalid="true"' in html
    assert "is-invalid" in html
    assert "form-select" in str(form["kind"])
    assert "form-check-input" in str(form["agree"])


def test_a_service_error_lands_beside_its_field_or_at_the_top():
    form = _Form(data={"name": "x", "kind": "a"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "taken", "other": "elsewhere"}))
    assert form.errors["name"] == ["taken"]
    assert "is-invalid" in str(form["name"]) and 'aria-invalid="true"' in str(form["name"])
    assert form.non_field_errors() == ["elsewhere"]
    add_service_errors(form, ValidationError("plain"))
    assert "plain" in form.non_field_errors()


def test_each_person_is_told_once_in_the_order_first_named():
    class P:
        def __init__(self, pk):
            self.pk = pk

    a, b = P(1), P(2)
    assert unique_people([a, b, P(1)]) == [a, b]


@pytest.mark.django_db
def test_a_blank_narrowing_narrows_nothing_and_a_given_one_filters():
    qs = Agency.objects.all()
    assert narrowed(qs, kind="", unit_id=None) is qs
    where = narrowed(qs, kind="ubnd", unit_id=None).query.where
    assert "kind" in str(where) and "unit_id" not in str(where)

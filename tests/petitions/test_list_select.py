"""The public form's lists are written in Python (petitions.forms.ListSelect) for
speed; they must be exactly what Django's own select templates write, escaping
included, or the page, its accessibility checks and its styles would drift."""

from __future__ import annotations

import pytest
from django import forms

from petitions.forms import ListSelect, SubmitForm

CHOICES = [
    ("", "---------"),
    ("1", "Ủy ban nhân dân xã Gia Vân"),
    ("2", 'Sở "Xây dựng" <tỉnh> & Ninh Bình'),
    ("3", "Thanh tra tỉnh"),
]
GROUPED = [
    ("Sở", [("1", "Sở Y tế"), ("2", "Sở Tài chính")]),
    ("UBND", [("3", "UBND xã A & B")]),
]


@pytest.mark.parametrize("value", ["", "2", None])
def test_a_list_select_writes_what_django_select_writes(value):
    attrs = {"id": "id_agency", "class": "form-select is-invalid", "aria-invalid": "true"}
    extra = {"required": True, "disabled": False, "aria-describedby": 'id_agency_helptext"x'}
    ours = ListSelect(attrs=attrs, choices=CHOICES).render("agency", value, extra)
    django = forms.Select(attrs=attrs, choices=CHOICES).render("agency", value, extra)
    assert ours == django


def test_a_list_select_writes_option_groups_as_django_does():
    ours = ListSelect(choices=GROUPED).render("agency", "3")
    django = forms.Select(choices=GROUPED).render("agency", "3")
    assert ours == django


@pytest.mark.django_db
def test_the_public_form_renders_its_lists_as_django_would(monkeypatch):
    form = SubmitForm(data={"handling_agency": "x", "field": "land"})
    form.is_valid()  # bound with errors: the lists carry is-invalid and aria-invalid
    fast = [str(form[name]) for name in ("handling_agency", "commune", "field")]
    monkeypatch.setattr(ListSelect, "render", forms.Select.render)
    slow = [str(form[name]) for name in ("handling_agency", "commune", "field")]
    assert fast == slow
    assert 'aria-invalid="true"' in fast[0]


@pytest.mark.django_db
def test_the_agency_list_is_read_with_one_plain_select(django_assert_num_queries, agency):
    form = SubmitForm()
    # One SELECT of the active agencies; no server-side cursor (DECLARE, then FETCH).
    with django_assert_num_queries(1) as captured:
        html = str(form["handling_agency"])
    assert not captured.captured_queries[0]["sql"].startswith("DECLARE")
    assert f'<option value="{agency.pk}">' in html

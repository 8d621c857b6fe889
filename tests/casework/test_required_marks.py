from django import forms
from django.template.loader import render_to_string
from django.test import Client

from casework.forms import BootstrapMixin
from recommendations.forms import AnswerForm

STAR = '<span class="text-danger" aria-hidden="true">*</span>'


class _Form(BootstrapMixin, forms.Form):
    name = forms.CharField(label="Name")
    agree = forms.BooleanField(label="Agree")
    note = forms.CharField(label="Note", required=False)


def _render(bound_field: forms.BoundField) -> str:
    return render_to_string("includes/field.html", {"field": bound_field})


def test_required_fields_are_marked_with_an_asterisk_and_aria_required() -> None:
    form = _Form()
    name = _render(form["name"])
    assert STAR in name
    assert 'aria-required="true"' in name
    agree = _render(form["agree"])
    assert STAR in agree
    assert 'aria-required="true"' in agree
    note = _render(form["note"])
    assert STAR not in note
    assert "aria-required" not in note


def test_answer_document_number_required_on_sending_is_marked() -> None:
    html = _render(AnswerForm()["document_number"])
    assert STAR in html
    assert 'aria-required="true"' in html


def test_login_form_marks_its_required_fields(db: None) -> None:
    html = Client().get("/login/").content.decode()
    assert html.count(STAR) >= 2

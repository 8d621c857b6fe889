"""Issue 14, item 8: a 20,000-character limit must not cut a paste silently — the box
has a live counter instead of `maxlength`, and the server refuses more, saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from petitions.forms import RecordForm, SubmitForm
from petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_the_content_box_has_a_counter_and_no_maxlength_that_cuts_a_paste(client, agency):
    body = client.get(reverse("petitions:submit")).content.decode()
    start = body.rindex("<textarea", 0, body.index('name="content"'))
    box = body[start : body.index(">", start)]
    assert 'data-maxchars="20000"' in box
    assert "maxlength" not in box
    assert "js/counter.js" in body


def test_the_counter_script_is_static_and_announces_politely():
    script = Path(finders.find("js/counter.js")).read_text(encoding="utf-8")
    assert 'setAttribute("aria-live", "polite")' in script
    assert "aria-describedby" in script


@pytest.mark.parametrize("form_class", [SubmitForm, RecordForm])
def test_more_than_the_limit_is_refused_with_how_long_it_is(form_class, agency):
    form = form_class(
        {"content": "đ" * 20001, "subject": "x", "kind": "complaint", "field": "land"},
        **({"agencies": None} if form_class is RecordForm else {}),
    )
    form.is_valid()
    message = " ".join(form.errors["content"])
    assert "20001" in message and "20000" in message


def test_a_citizen_who_pastes_too_much_keeps_the_text_and_nothing_is_saved(client, agency):
    text = "Nội dung đơn rất dài. " * 1000  # 22,000 characters
    response = client.post(
        reverse("petitions:submit"),
        {
            "kind": "complaint",
            "field": "land",
            "handling_agency": agency.pk,
            "subject": "Khiếu nại",
            "content": text,
            "name": "Trần Thị Bình",
            "address": "Xóm 3",
            "truthful": "on",
        },
    )
    assert response.status_code == 400
    assert Petition.objects.count() == 0
    assert text.strip() in response.content.decode()  # the whole paste, shown again

"""What the system writes on a timeline is kept as data and read in the reader's language
(issue 14, defect 7): the same event reads in Vietnamese to one reader and in English to
another; only what a person typed stays as typed."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from casework.events import render_said, said
from petitions.models import Outcome, PetitionEvent
from tests.factories import submit_petition

pytestmark = pytest.mark.django_db


def test_a_sentence_is_stored_as_its_msgid_and_values():
    sentence = said(
        gettext_noop("Accepted for resolution; the resolution is due by %(due)s."),
        due=date(2026, 12, 15),
    )
    assert sentence.msgid == "Accepted for resolution; the resolution is due by %(due)s."
    assert sentence.args == {"due": {"date": "2026-12-15"}}


def test_the_same_event_reads_in_each_readers_language():
    petition = submit_petition().petition
    event = PetitionEvent.objects.create(
        petition=petition,
        action="accept",
        agency=petition.handling_agency,
        **_fields(
            said(
                gettext_noop("Accepted for resolution; the resolution is due by %(due)s."),
                due=date(2026, 12, 15),
            )
        ),
    )
    event.refresh_from_db()
    with translation.override("vi"):
        vietnamese = event.said_text
    with translation.override("en"):
        english = event.said_text
    assert english == "Accepted for resolution; the resolution is due by 15/12/2026."
    assert "15/12/2026" in vietnamese and "Accepted" not in vietnamese


def test_a_choice_label_is_translated_when_read_not_when_written():
    sentence = said(
        gettext_noop("Resolved: %(outcome)s. Decision %(number)s. %(summary)s"),
        outcome=Outcome.CORRECT.label,
        number="12/QĐ-UBND",
        summary="",
    )
    with translation.override("en"):
        assert render_said(sentence.msgid, sentence.args).startswith(
            f"Resolved: {Outcome.CORRECT.label}."
        )
    with translation.override("vi"):
        text = render_said(sentence.msgid, sentence.args)
    with translation.override("vi"):
        assert str(Outcome.CORRECT.label) in text
    assert not text.startswith("Resolved")


def test_a_broken_translation_falls_back_to_the_source_sentence():
    assert render_said("%(missing)s and %(due)s", {"due": "x"}) == "%(missing)s and %(due)s"


def _fields(sentence):
    return {"said_msgid": sentence.msgid, "said_args": sentence.args}

"""The forms of a first-round complaint's verification and dialogue (services.dialogue),
their fields named as the services' inputs (moves.SERVICES)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.forms import BootstrapMixin, model_choice, text_box

from .services.dialogue import ABSENT, ATTENDED, POSTPONED

TEXT_MAX = 5000


class OfficialField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class VerifyForm(BootstrapMixin, forms.Form):
    verifier = OfficialField(label=_("Verifier"), queryset=User.objects.none())
    due_on = forms.DateField(
        label=_("Report due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    scope = text_box(_("What to verify"), rows=3, required=False, max_length=TEXT_MAX)

    def __init__(self, *args: Any, verifiers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "verifier").queryset = verifiers


class VerifyReportForm(BootstrapMixin, forms.Form):
    report = text_box(_("Verification report"), rows=5, max_length=TEXT_MAX)
    differs = forms.TypedChoiceField(
        label=_("Compared with the complainant's request, the verified facts"),
        choices=[
            ("1", _("differ: a dialogue is required")),
            ("0", _("agree with the request")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class DialogueForm(BootstrapMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    participants = text_box(
        _("Participants"),
        rows=3,
        max_length=TEXT_MAX,
        help_text=_("The complainant, the respondent, the verifier, others concerned."),
    )
    note = text_box(_("Note"), rows=2, required=False, max_length=TEXT_MAX)


class DialogueMinutesForm(BootstrapMixin, forms.Form):
    attendance = forms.ChoiceField(
        label=_("The complainant"),
        choices=[
            (ATTENDED, _("attended")),
            (POSTPONED, _("did not attend, with a valid reason")),
            (ABSENT, _("did not attend, without a valid reason")),
        ],
        widget=forms.RadioSelect,
    )
    complainant_said = text_box(
        _("What the complainant said"), rows=3, required=False, max_length=TEXT_MAX
    )
    respondent_said = text_box(
        _("What the respondent and the verifier said"), rows=3, required=False, max_length=TEXT_MAX
    )
    agreed = text_box(_("What was agreed"), rows=3, required=False, max_length=TEXT_MAX)
    absence_reason = text_box(
        _("Reason given for not attending"), rows=2, required=False, max_length=TEXT_MAX
    )


DIALOGUE_FORMS: dict[str, type[forms.Form]] = {
    "verify": VerifyForm,
    "verify_report": VerifyReportForm,
    "dialogue": DialogueForm,
    "dialogue_minutes": DialogueMinutesForm,
}

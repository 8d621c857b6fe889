"""Forms for council staff and agency officials. Messages appear beside each field
(casework.forms), a service's own refusals too (casework.pages.run_form)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit, Agency
from agencies.workdays import next_working_day
from casework.forms import (
    BootstrapMixin,
    IdsChoiceField,
    VietnameseOrderChoiceField,
    model_choice,
)
from casework.uploads import check_files

from .models import CouncilSession, Field, Recommendation, ResultCategory, Term, VoterMeeting

# What an answer document may be: the petitions' attachment rules (casework.uploads).
DOCUMENT_TYPES = ["pdf", "docx", "jpg", "jpeg", "png"]


def check_document(document: Any) -> None:
    """An answer document's type is read from its content, not its name, and it is at
    most 10 MB (casework.uploads.check_files); raises ValidationError otherwise.
    Used by the answer form and the API alike."""
    if document is not None:
        check_files([document])


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TermChoiceField(forms.ModelChoiceField):
    """A term named with its council: staff of several councils see whose term it is."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.council} — {obj}"


class SessionForm(BootstrapMixin, forms.Form):
    term = TermChoiceField(label=_("Term"), queryset=Term.objects.none())
    number = forms.IntegerField(label=_("Session number"), min_value=1, max_value=200)
    kind = forms.ChoiceField(label=_("Kind of session"), choices=CouncilSession.Kind.choices)
    opens_on = forms.DateField(label=_("Opens on"), widget=_date_widget())
    closes_on = forms.DateField(label=_("Closes on"), widget=_date_widget())

    def __init__(self, *args: Any, terms: QuerySet[Term], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice(self, "term")
        field.queryset = terms
        if len(terms) == 1:
            field.initial = terms[0].pk


class MeetingForm(BootstrapMixin, forms.Form):
    timing = forms.ChoiceField(label=_("When"), choices=VoterMeeting.Timing.choices)
    held_on = forms.DateField(label=_("Date of the meeting"), widget=_date_widget())
    commune = VietnameseOrderChoiceField(
        label=_("Commune"), queryset=AdministrativeUnit.objects.none()
    )
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("E.g. the village cultural house.")
    )
    deputies = forms.CharField(
        label=_("Deputies present"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names of the People's Council deputies who met the voters."),
    )
    voters_count = forms.IntegerField(label=_("Voters present"), min_value=1, max_value=100_000)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, communes: QuerySet[AdministrativeUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "commune").queryset = communes


class CollectForm(BootstrapMixin, forms.Form):
    content = forms.CharField(
        label=_("What the voters raised"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    commune = VietnameseOrderChoiceField(
        label=_("Commune concerned"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("The whole province"),
    )
    locality = forms.CharField(
        label=_("Locality"),
        max_length=200,
        required=False,
        help_text=_("Village, hamlet or street, if it concerns one place."),
    )
    voters_count = forms.IntegerField(label=_("Voters raising it"), min_value=1, initial=1)

    def __init__(self, *args: Any, communes: QuerySet[AdministrativeUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "commune").queryset = communes


class ConsolidateForm(forms.Form):
    """The consolidation screen: tick the duplicates, choose the one to keep."""

    items = IdsChoiceField(label=_("Items"), queryset=Recommendation.objects.none(), required=False)
    keeper = forms.ModelChoiceField(
        label=_("Item to keep"),
        queryset=Recommendation.objects.none(),
        error_messages={"required": _("Choose the item to keep.")},
    )
    content = forms.CharField(
        label=_("Consolidated wording (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Recommendation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "items").queryset = candidates
        model_choice(self, "keeper").queryset = candidates

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keeper = data.get("keeper")
        if keeper is not None:
            data["duplicates"] = [i for i in data.get("items") or [] if i.pk != keeper.pk]
            forwarded = [
                i for i in data["duplicates"] if i.status == Recommendation.Status.FORWARDED
            ]
            if forwarded:
                # Its agencies already work on it: the others join it, never the reverse.
                self.add_error(
                    "items",
                    _("#%(pk)s has been forwarded: keep it and merge the others into it.")
                    % {"pk": forwarded[0].pk},
                )
        return data


class AgencyChoiceMixin(forms.Form):
    agencies = IdsChoiceField(
        label=_("Agencies to answer"),
        queryset=Agency.objects.none(),
        help_text=_("Hold Ctrl (or Cmd) to choose several agencies."),
        error_messages={"required": _("Choose at least one agency.")},
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    dispatch_number = forms.CharField(
        label=_("Dispatch number"), max_length=60, help_text=_("E.g. 125/HĐND-VP")
    )
    dispatched_on = forms.DateField(label=_("Dispatch date"), widget=_date_widget())

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "agencies").queryset = agencies
        self.fields["dispatched_on"].initial = timezone.localdate()


class ForwardForm(BootstrapMixin, AgencyChoiceMixin):
    pass


class BulkForwardForm(BootstrapMixin, AgencyChoiceMixin):
    recommendations = IdsChoiceField(
        label=_("Recommendations"),
        queryset=Recommendation.objects.none(),
        error_messages={"required": _("Tick at least one recommendation.")},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Recommendation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "recommendations").queryset = candidates


class AnswerForm(BootstrapMixin, forms.Form):
    # Optional in a saved draft; the service asks for it when the answer is sent.
    shown_required = ("document_number",)

    text = forms.CharField(
        label=_("Answer"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *ResultCategory.choices])
    reason = forms.CharField(
        label=_("Why it is not resolved"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the result is “not resolved”."),
    )
    planned_by = forms.DateField(
        label=_("To be resolved by"),
        required=False,
        widget=_date_widget(),
        help_text=_("Required when the result is “planned with a deadline”."),
    )
    document_number = forms.CharField(
        label=_("Answer document number"), max_length=60, required=False
    )
    answered_on = forms.DateField(label=_("Date of the answer"), widget=_date_widget())
    document = forms.FileField(
        label=_("Answer document"),
        required=False,
        validators=[check_document],
        help_text=_("PDF, DOCX, JPEG or PNG; at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{t}" for t in DOCUMENT_TYPES)}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = timezone.localdate()


class AcceptForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Assessment note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendBackForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("What the agency must add or do"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(
        label=_("New deadline (optional)"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave empty to give the agency a full new answer period from today."),
    )
    # Offered once the date typed falls on a day off (the service refuses it otherwise).
    allow_day_off = forms.BooleanField(
        label=_("Keep this date although it is a day off"), required=False
    )
    # The working day offered instead, set by clean() when the date is a day off.
    next_working_day: date | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The offer's button sends the working day that follows the day off.
        offered = self.data.get("use_working_day")
        if offered:
            try:
                cleaned["due_on"] = date.fromisoformat(str(offered))
            except ValueError:
                self.add_error("due_on", _("Enter a valid date."))
            cleaned["allow_day_off"] = False
        due_on = cleaned.get("due_on")
        if due_on and not cleaned.get("allow_day_off"):
            worked = next_working_day(due_on)
            self.next_working_day = worked if worked != due_on else None
        return cleaned


class PublishForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)

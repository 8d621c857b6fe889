"""The desk's forms: the visit (phone-first: one column, the usual fields first) and one
form per move, its fields named as the move's service reads them (moves.SERVICES)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit, Agency, Field
from casework import timekeeping
from casework.forms import (
    BootstrapMixin,
    MultipleFileField,
    VietnameseOrderChoiceField,
    model_choice,
    text_box,
)
from petitions.models import Kind

from .identity import Representative, Visitor
from .models import (
    MAX_REPRESENTATIVES,
    AnswerForm,
    Classification,
    ReceiverKind,
    RefusalReason,
    Visit,
)
from .services import KIND_OF, VisitDetails

TEXT_MAX = 5000
ID_PATTERN = r"^[0-9]{9}$|^[0-9]{12}$"
ID_INVALID = _("A citizen ID number has 9 or 12 digits.")
PHONE_PATTERN = r"^\+?[0-9 .-]{8,15}$"
PHONE_INVALID = _("Enter a phone number of 8 to 15 digits.")


class VisitForm(BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Receiving agency"), queryset=Agency.objects.none())
    visited_on = forms.DateField(
        label=_("Date of the visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    receiver_kind = forms.ChoiceField(
        label=_("Received by"), choices=ReceiverKind.choices, widget=forms.RadioSelect
    )
    receiver_name = forms.CharField(label=_("Name of the receiving official"), max_length=200)
    leader_in_person = forms.BooleanField(label=_("The head received in person"), required=False)
    name = forms.CharField(
        label=_("Full name of the citizen (or first representative)"), max_length=200
    )
    id_number = forms.RegexField(
        label=_("Citizen ID number"),
        regex=ID_PATTERN,
        required=False,
        error_messages={"invalid": ID_INVALID},
        help_text=_("Lets the register recognise a returning citizen."),
    )
    phone = forms.RegexField(
        label=_("Phone"),
        regex=PHONE_PATTERN,
        required=False,
        error_messages={"invalid": PHONE_INVALID},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    is_delegation = forms.BooleanField(label=_("Delegation (đoàn đông người)"), required=False)
    people_count = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=100_000, initial=1
    )
    representatives = text_box(
        _("Other representatives"),
        rows=3,
        required=False,
        max_length=2000,
        help_text=_("One a line: full name, then the ID number after a comma. At most five."),
    )
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    commune = VietnameseOrderChoiceField(
        label=_("Commune concerned"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = text_box(_("Content"), rows=5, max_length=TEXT_MAX)
    booking_code = forms.CharField(label=_("Booking code, if any"), max_length=20, required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "agency").queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        provinces = agencies.values("province_id")
        model_choice(self, "commune").queryset = AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, parent_id__in=provinces
        )
        self.fields["visited_on"].initial = timekeeping.today()
        self.fields["receiver_kind"].initial = ReceiverKind.OFFICIAL

    def clean_representatives(self) -> list[Representative]:
        people = []
        for line in (self.cleaned_data.get("representatives") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, number = line.partition(",")
            number = number.strip()
            if number and not number.isdigit():
                raise ValidationError(ID_INVALID)
            people.append(Representative(name=name.strip()[:200], id_number=number[:12]))
        # The first representative is the citizen named above.
        if len(people) > MAX_REPRESENTATIVES - 1:
            raise ValidationError(_("A delegation names at most five representatives."))
        return people

    def details(self) -> VisitDetails:
        data = self.cleaned_data
        first = Representative(name=data["name"], id_number=data["id_number"])
        representatives = [first, *data["representatives"]] if data["is_delegation"] else []
        return VisitDetails(
            agency=data["agency"],
            visited_on=data["visited_on"],
            place=data["place"],
            receiver_kind=data["receiver_kind"],
            receiver_name=data["receiver_name"],
            leader_in_person=data["leader_in_person"],
            visitor=Visitor(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                email=data["email"],
                address=data["address"],
                representatives=representatives,
            ),
            field=data["field"],
            classification=data["classification"],
            subject=data["subject"],
            content=data["content"],
            is_delegation=data["is_delegation"],
            people_count=data["people_count"],
            commune=data["commune"],
            booking_code=data["booking_code"],
        )


class TakeForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of petition"), choices=Kind.choices)
    documents = text_box(
        _("Documents received"),
        rows=3,
        required=False,
        max_length=TEXT_MAX,
        help_text=_("One a line; they are listed on the receipt."),
    )
    note = text_box(_("Note"), rows=2, required=False, max_length=TEXT_MAX)

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = KIND_OF.get(visit.classification, Kind.COMPLAINT)


class TakePetitionForm(TakeForm):
    files = MultipleFileField(label=_("Scanned petition and documents"), required=False)  # type: ignore[assignment]


class GuideForm(BootstrapMixin, forms.Form):
    guided_to = forms.CharField(label=_("Competent body"), max_length=300)
    note = text_box(_("Note"), rows=2, required=False, max_length=TEXT_MAX)


class ExplainForm(BootstrapMixin, forms.Form):
    note = text_box(_("What was explained"), rows=3, max_length=TEXT_MAX)


class RefuseForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Legal reason"), choices=RefusalReason.choices)
    note = text_box(_("Note"), rows=2, required=False, max_length=TEXT_MAX)


class AnswerVisitForm(BootstrapMixin, forms.Form):
    answer_form = forms.ChoiceField(
        label=_("How the answer was given"), choices=AnswerForm.choices, widget=forms.RadioSelect
    )
    answer_text = text_box(
        _("Answer"),
        rows=3,
        max_length=TEXT_MAX,
        help_text=_(
            "Accepted for resolution, needs more time to verify, not accepted (with the "
            "reason), or transferred (to whom)."
        ),
    )


class EarlierVisitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} — {obj.visited_on:%d/%m/%Y} — {obj.subject}"


class SameMatterForm(BootstrapMixin, forms.Form):
    earlier = EarlierVisitField(label=_("Earlier visit"), queryset=Visit.objects.none())

    def __init__(self, *args: Any, earlier: list[Visit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice(self, "earlier")
        field.queryset = Visit.objects.filter(pk__in=[v.pk for v in earlier])


class NoteForm(BootstrapMixin, forms.Form):
    note = text_box(_("Internal note"), rows=3, max_length=TEXT_MAX)


class RevealForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Why you need to see the identity"), max_length=300)


MOVE_FORMS: dict[str, type[forms.Form]] = {
    "take_petition": TakePetitionForm,
    "take_minutes": TakeForm,
    "guide": GuideForm,
    "explain": ExplainForm,
    "refuse": RefuseForm,
    "answer": AnswerVisitForm,
    "same_matter": SameMatterForm,
    "note": NoteForm,
}

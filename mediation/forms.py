"""The pages' forms: opening a case, and one form per move whose cleaned data carries
the keys its service reads (moves.SERVICES)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit, Agency, Field, Role
from casework.forms import BootstrapMixin, model_choice, text_box
from petitions.models import Kind as PetitionKind

from .models import Ground, Kind, MediationCase, Party, Team, TeamMember
from .parties import ID_NUMBER_PATTERN, PHONE_PATTERN, PartyData
from .services import REFERRAL_KINDS, SETTLEMENT_FIELDS, ObligationData

PARTY_SLOTS = 4


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.commune.name}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class OpenCaseForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of mediation"), choices=Kind.choices)
    team = TeamChoiceField(
        label=_("Mediation team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Grassroots mediation: the team of the village or residential group."),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        help_text=_("Land-dispute mediation: the commune whose People's Committee mediates."),
    )
    ground = forms.ChoiceField(label=_("Ground to start"), choices=Ground.choices)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    summary = text_box(_("What the dispute is about"), rows=4)
    requested_on = date_field(_("Requested on"))

    def __init__(
        self, *args: Any, teams: QuerySet[Team], communes: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "team").queryset = teams
        model_choice(self, "commune").queryset = communes
        phone = RegexValidator(PHONE_PATTERN, _("Enter a phone number of 8 to 15 digits."))
        id_number = RegexValidator(ID_NUMBER_PATTERN, _("A citizen ID number has 9 or 12 digits."))
        for i in range(1, PARTY_SLOTS + 1):
            required = i <= 2
            self.fields[f"party{i}_name"] = forms.CharField(
                label=_("Party %(n)d: full name") % {"n": i}, max_length=150, required=required
            )
            self.fields[f"party{i}_phone"] = forms.CharField(
                label=_("Party %(n)d: phone") % {"n": i},
                max_length=20,
                required=False,
                validators=[phone],
            )
            self.fields[f"party{i}_address"] = forms.CharField(
                label=_("Party %(n)d: address") % {"n": i}, max_length=300, required=False
            )
            self.fields[f"party{i}_id_number"] = forms.CharField(
                label=_("Party %(n)d: citizen ID number") % {"n": i},
                max_length=12,
                required=False,
                validators=[id_number],
            )
        # Added after BootstrapMixin's own __init__: give these their classes here.
        for name, field in self.fields.items():
            if name.startswith("party") and "class" not in field.widget.attrs:
                field.widget.attrs["class"] = "form-control"
                if field.required:
                    field.widget.attrs["aria-required"] = "true"

    def parties(self) -> list[PartyData]:
        data = self.cleaned_data
        return [
            PartyData(
                name=data.get(f"party{i}_name", ""),
                phone=data.get(f"party{i}_phone", ""),
                address=data.get(f"party{i}_address", ""),
                id_number=data.get(f"party{i}_id_number", ""),
            )
            for i in range(1, PARTY_SLOTS + 1)
            if data.get(f"party{i}_name")
        ]

    def party_fields(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"party{i}_{part}"] for part in ("name", "phone", "address", "id_number")]
            for i in range(1, PARTY_SLOTS + 1)
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("party")]


class AssignForm(BootstrapMixin, forms.Form):
    mediator = MemberChoiceField(label=_("Mediator"), queryset=TeamMember.objects.none())
    officer = OfficerChoiceField(
        label=_("Official conducting it"), queryset=get_user_model().objects.none()
    )
    chosen_by_parties = forms.BooleanField(
        label=_("The parties chose this mediator"), required=False
    )
    note = text_box(_("Note"), rows=2, required=False)

    def __init__(self, *args: Any, case: MediationCase, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case.kind == Kind.LAND:
            del self.fields["mediator"]
            model_choice(self, "officer").queryset = (
                get_user_model()
                .objects.filter(
                    is_active=True,
                    memberships__agency_id=case.agency_id,
                    memberships__role__in=[Role.LEAD, Role.HANDLER],
                )
                .distinct()
                .order_by("first_name")
            )
        else:
            del self.fields["officer"]
            model_choice(self, "mediator").queryset = members


class ReplaceForm(BootstrapMixin, forms.Form):
    mediator = MemberChoiceField(label=_("New mediator"), queryset=TeamMember.objects.none())
    reason = text_box(_("Why (e.g. a conflict of interest)"), rows=2)

    def __init__(self, *args: Any, case: MediationCase, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "mediator").queryset = members.exclude(pk=case.mediator_id)


class SessionForm(BootstrapMixin, forms.Form):
    held_on = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200)
    is_public = forms.BooleanField(label=_("Held in public"), required=False)
    notes = text_box(_("What happened"), rows=3, required=False)

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class NoteForm(BootstrapMixin, forms.Form):
    note = text_box(_("Note"), rows=2, required=False)

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class RequiredNoteForm(NoteForm):
    note = text_box(_("Note"), rows=3)


class SucceedForm(BootstrapMixin, forms.Form):
    note = text_box(_("What the parties agreed"), rows=2, required=False)
    written = forms.BooleanField(label=_("A written settlement was made"), required=False)
    basis = text_box(_("Grounds for mediating"), rows=2, required=False)
    course = text_box(_("Course of the mediation"), rows=2, required=False)
    agreement = text_box(_("Agreement reached and solution"), rows=2, required=False)
    rights_and_obligations = text_box(
        _("Rights and obligations of the parties"), rows=2, required=False
    )
    performance_method = text_box(
        _("Method and time limit for performing it"), rows=2, required=False
    )
    signed = forms.BooleanField(
        label=_("Signed or fingerprinted by the parties and the mediator"), required=False
    )

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parties = list(case.parties.all())
        for party in self._parties:
            self.fields[f"what_{party.pk}"] = text_box(
                _("%(name)s must") % {"name": party.name}, rows=2, required=False
            )
            self.fields[f"what_{party.pk}"].widget.attrs["class"] = "form-control"
            self.fields[f"due_{party.pk}"] = date_field(_("by"), required=False)
            self.fields[f"due_{party.pk}"].widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["texts"] = {name: data.get(name, "") for name in SETTLEMENT_FIELDS}
        data["obligations"] = [
            ObligationData(
                party=party,
                what=data.get(f"what_{party.pk}", ""),
                due_on=data.get(f"due_{party.pk}"),
            )
            for party in self._parties
        ]
        return data


class EndForm(BootstrapMixin, forms.Form):
    party = forms.ModelChoiceField(
        label=_("The party who asked to end it"), queryset=Party.objects.none()
    )
    reason = text_box(_("Reason"), rows=2, required=False)

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "party").queryset = case.parties.all()


class RefuseForm(BootstrapMixin, forms.Form):
    reason = text_box(_("Who refused, and why"), rows=2)

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ReferForm(BootstrapMixin, forms.Form):
    referred_to = forms.CharField(
        label=_("Competent authority"),
        max_length=300,
        required=False,
        help_text=_("Where the parties were guided, when no case is opened here."),
    )
    petition_agency = forms.ModelChoiceField(
        label=_("Open a petition at"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("The petition is linked to this mediation; its handlers take it on."),
    )
    petition_kind = forms.ChoiceField(
        label=_("Kind of petition"),
        choices=[(k.value, k.label) for k in REFERRAL_KINDS],
        initial=PetitionKind.RECOMMENDATION,
        required=False,
    )
    open_land = forms.BooleanField(
        label=_("Open the commune's land-dispute mediation"), required=False
    )
    note = text_box(_("Note"), rows=2, required=False)

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "petition_agency").queryset = Agency.objects.filter(
            province_id=case.agency.province_id, is_active=True
        ).order_by("name")
        if case.kind == Kind.LAND or case.field != Field.LAND:
            del self.fields["open_land"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["petition_kind"] = data.get("petition_kind") or PetitionKind.RECOMMENDATION
        return data


class RecogniseForm(BootstrapMixin, forms.Form):
    court_decision = forms.CharField(label=_("Court decision number"), max_length=120)
    recognised_on = date_field(_("Date of the decision"))

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


STAFF_FORMS: dict[str, type[forms.Form]] = {
    "assign": AssignForm,
    "replace": ReplaceForm,
    "session": SessionForm,
    "succeed": SucceedForm,
    "fail": NoteForm,
    "end": EndForm,
    "refuse": RefuseForm,
    "resume": NoteForm,
    "refer": ReferForm,
    "performed": NoteForm,
    "not_performed": RequiredNoteForm,
    "recognise": RecogniseForm,
    "note": RequiredNoteForm,
}
# The forms whose choices list the team's serving members.
NEEDS_MEMBERS = frozenset({"assign", "replace"})


class PeriodForm(forms.Form):
    """A period for the register and the figures (blank: this year to date)."""

    start = date_field(_("From"), required=False)
    end = date_field(_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def period(self, today: date) -> tuple[date, date]:
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)

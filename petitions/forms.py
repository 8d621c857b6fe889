"""Forms for citizens and officials. Validation messages appear beside each field, and
an invalid field is marked for screen readers too (casework.forms.BootstrapMixin).

A staff action's form names its fields as the API's input for the same move does, so
that both hand `moves.run` the same data."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit, Agency
from casework.forms import (
    BootstrapMixin,
    MultipleFileField,
    VietnameseOrderChoiceField,
    counted_text_box,
    model_choice,
    text_box,
)
from casework.uploads import MAX_FILES

from .identity import (
    CODE_LENGTH,
    ID_NUMBER_INVALID,
    ID_NUMBER_PATTERN,
    PHONE_INVALID,
    PHONE_PATTERN,
)
from .models import OUTCOMES_BY_KIND, Channel, Field, Kind, NotAcceptedReason, Outcome
from .presentation import KIND_EXPLANATIONS

# Free text a person types: long enough for a real letter, bounded for the database.
TEXT_MAX = 5000


def _communes() -> Any:
    # Communes of the provinces this portal serves: those that have agencies.
    provinces = Agency.objects.filter(is_active=True).values("province_id")
    return AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.COMMUNE, parent_id__in=provinces
    ).order_by("name")


def _optional_pattern(label: Any, regex: str, invalid: Any) -> forms.RegexField:
    """A petitioner's detail that may be left out, and must follow its rule when given
    (petitions.identity: the same rule as the API's input)."""
    return forms.RegexField(
        label=label, regex=regex, required=False, error_messages={"invalid": invalid}
    )


def _attrs_html(attrs: dict[str, Any]) -> SafeString:
    """Attributes as django/forms/widgets/attrs.html writes them (False left out,
    True as a bare name), each escaped."""
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class ListSelect(forms.Select):
    """A select written in Python: the same HTML as Django's templates write
    (select.html, select_option.html), a hundred times faster for a long list.

    The public form lists every agency and every commune of the province; rendered
    option by option through the template engine (two templates each), they were
    most of the form page's time — about 100 ms of a page a citizen opens before
    every submission."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], _attrs_html(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    # The option template's own line end included.
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attrs_html(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices of a model choice field from one plain SELECT: Django's iterator
    reads them through `QuerySet.iterator()`, which on PostgreSQL opens a server-side
    cursor (DECLARE … WITH HOLD, then fetches) — several round trips for a list of
    sixty agencies that fits in one."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class AgencyChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class AttachmentsMixin(forms.Form):
    # A field, not the form's `files` (the metaclass takes declared fields off the class).
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPEG, PNG or DOCX; at most %(n)d files of 10 MB each.")
        % {"n": MAX_FILES},
    )


class PetitionFormBase(BootstrapMixin, AttachmentsMixin):
    kind = forms.ChoiceField(label=_("Kind of petition"), choices=Kind.choices)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices, widget=ListSelect)
    handling_agency = AgencyChoiceField(
        label=_("Agency you are writing to"),
        queryset=Agency.objects.none(),
        help_text=_("If you are not sure, choose the People's Committee of your commune."),
        widget=ListSelect,
    )
    commune = VietnameseOrderChoiceField(
        label=_("Commune concerned"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=ListSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = counted_text_box(
        _("Content"),
        rows=8,
        min_length=20,
        max_length=20000,
        help_text=_("What happened, when and where, who is involved, and what you ask for."),
    )
    name = forms.CharField(label=_("Full name"), max_length=120)
    phone = _optional_pattern(_("Phone number"), PHONE_PATTERN, PHONE_INVALID)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("We will tell you by e-mail when your case moves."),
    )
    address = forms.CharField(label=_("Address"), max_length=300)
    id_number = _optional_pattern(_("Citizen ID number"), ID_NUMBER_PATTERN, ID_NUMBER_INVALID)
    co_signers = text_box(
        _("Other signatories"),
        rows=3,
        required=False,
        help_text=_("For a petition signed by several people: one name per line."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "handling_agency").queryset = self.agency_queryset()
        model_choice(self, "commune").queryset = _communes()

    def agency_queryset(self) -> Any:
        return Agency.objects.filter(is_active=True).order_by("name")

    def co_signer_list(self) -> list[str]:
        # One name a line; a village's collective letter may carry hundreds, not more.
        return [
            line.strip()
            for line in self.cleaned_data.get("co_signers", "").splitlines()
            if line.strip()
        ][:500]


class SubmitForm(PetitionFormBase):
    """The citizen's online form."""

    truthful = forms.BooleanField(
        label=_("I declare that the content of this petition is true."),
        error_messages={"required": _("Please confirm that the content is true.")},
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radio buttons with an explanation each: citizens rarely know the legal words.
        self.fields["kind"].widget = forms.RadioSelect(attrs={"class": "form-check-input"})
        cast(forms.ChoiceField, self.fields["kind"]).choices = Kind.choices
        self.kind_help = KIND_EXPLANATIONS

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Your submission could not be accepted."))
        return ""


class RecordForm(PetitionFormBase):
    """A handler records a petition received in person or by post."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.IN_PERSON, Channel.IN_PERSON.label),
            (Channel.POST, Channel.POST.label),
            (Channel.FORWARDED, Channel.FORWARDED.label),
        ],
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    is_remote_area = forms.BooleanField(label=_("Remote or disadvantaged area"), required=False)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        self._agencies = agencies
        super().__init__(*args, **kwargs)
        # A letter by post may be anonymous: it is still recorded (and usually filed).
        self.fields["address"].required = False
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Leave empty for an anonymous letter.")
        # Hints for the official recording it, not the citizen's "you".
        self.fields["handling_agency"].help_text = _(
            "The agency that received the petition, or the one competent to resolve it."
        )
        self.fields["content"].help_text = _(
            "What the petitioner reports: what happened, when and where, who is involved, "
            "and what they ask for."
        )
        self.fields["email"].help_text = _(
            "If given, the petitioner is told by e-mail when the case moves."
        )
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def agency_queryset(self) -> Any:
        return self._agencies

    def clean_received_on(self) -> Any:
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date received cannot be in the future."))
        return value


class TrackForm(BootstrapMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "KN-2026-000123", "autocapitalize": "characters"}
        ),
    )
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=CODE_LENGTH + 4,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class AddInformationForm(BootstrapMixin, AttachmentsMixin):
    text = text_box(_("Information to add"), rows=4, required=False, max_length=TEXT_MAX)


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = text_box(_("Reason (optional)"), rows=2, required=False, max_length=2000)
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn petition is no longer handled."),
        error_messages={"required": _("Please confirm that you want to withdraw.")},
    )


class AppealForm(BootstrapMixin, AttachmentsMixin):
    content = counted_text_box(
        _("Why do you disagree with the decision?"), rows=5, min_length=20, max_length=20000
    )


# --- staff action forms --------------------------------------------------------------


def _public_note(*, required: bool = False) -> forms.CharField:
    """Text that goes on the case's public timeline, where the citizen reads it."""
    return text_box(
        _("Note shown to the citizen"),
        rows=2,
        help_text=_("Goes on the public timeline of the case."),
        required=required,
        max_length=TEXT_MAX,
    )


class NoteForm(BootstrapMixin, forms.Form):
    note = _public_note()


class RequiredNoteForm(NoteForm):
    note = _public_note(required=True)


class PublicReasonForm(BootstrapMixin, forms.Form):
    """An optional reason for the public timeline (a withdrawal a lead records)."""

    reason = _public_note()


class InternalNoteForm(BootstrapMixin, forms.Form):
    note = text_box(
        _("Internal note"),
        rows=2,
        help_text=_("Seen only by officials; never shown to the citizen."),
        max_length=TEXT_MAX,
    )


class AcceptForm(NoteForm):
    is_complex = forms.BooleanField(label=_("Complex case (longer legal period)"), required=False)


class TransferForm(NoteForm):
    to_agency = forms.ModelChoiceField(label=_("Competent agency"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, petition: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Agency.objects.filter(is_active=True).order_by("name")
        if petition is not None:
            # The service refuses the case's own agency; the list does not offer it.
            qs = qs.exclude(pk=petition.handling_agency_id)
        model_choice(self, "to_agency").queryset = qs


class GuideForm(BootstrapMixin, forms.Form):
    guided_to = text_box(_("Where the citizen should submit, and how"), rows=2, max_length=300)


class NotAcceptForm(NoteForm):
    reason = forms.ChoiceField(label=_("Legal reason"), choices=NotAcceptedReason.choices)


class DecisionForm(BootstrapMixin, forms.Form):
    reason = text_box(_("Reason"), rows=2, max_length=2000)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)


class ExtendForm(DecisionForm):
    especially_complex = forms.BooleanField(
        label=_("Especially complex (denunciations: allows a second extension)"), required=False
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = text_box(_("Reason"), rows=2, max_length=2000)


class ResolveForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *Outcome.choices], required=True
    )
    decision_number = forms.CharField(label=_("Decision or conclusion number"), max_length=60)
    decision_date = forms.DateField(
        label=_("Decision date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    result_summary = text_box(_("Result, as the citizen will read it"), rows=3, max_length=TEXT_MAX)

    def __init__(self, *args: Any, petition: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if petition is not None:
            # Only the outcomes the law names for this kind ("untrue" is a denunciation's).
            allowed = OUTCOMES_BY_KIND[Kind(petition.kind)]
            cast(forms.ChoiceField, self.fields["outcome"]).choices = [
                ("", "---------"),
                *((o.value, o.label) for o in allowed),
            ]


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class AssignForm(BootstrapMixin, forms.Form):
    handler = HandlerChoiceField(label=_("Handler"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, handlers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "handler").queryset = handlers


class RevealForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Why you need to see the identity (recorded)"), max_length=300)


class StaffAppealForm(AppealForm):
    to_agency = forms.ModelChoiceField(
        label=_("Agency resolving the second round"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Empty: the parent agency."),
    )

"""The schedule's forms: the citizen's booking and its lookup, and the reception office's
day and move forms. Fields are named as the services' keyword arguments, so the pages
and the API hand them the same data (moves.run)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Field
from casework.forms import BootstrapMixin, model_choice, text_box

from .identity import ID_NUMBER_INVALID, ID_NUMBER_PATTERN, PHONE_INVALID, PHONE_PATTERN
from .models import DayKind, Leader, Mode, ReceptionDay


def day_label(day: ReceptionDay) -> str:
    """A day as a choice reads it: date, hours, who, places left."""
    left = max(day.capacity - getattr(day, "taken", 0), 0)
    return _("%(date)s, %(start)s–%(end)s — %(who)s (%(left)d places left)") % {
        "date": date_format(day.date, "l d/m/Y"),
        "start": day.starts_at.strftime("%H:%M"),
        "end": day.ends_at.strftime("%H:%M"),
        "who": day.receiver_name,
        "left": left,
    }


class DayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return day_label(obj)


class BookingForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    id_number = forms.CharField(
        label=_("Citizen ID number"),
        max_length=12,
        validators=[RegexValidator(ID_NUMBER_PATTERN, ID_NUMBER_INVALID)],
        help_text=_("The law asks people who come to the reception office to identify themselves."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        validators=[RegexValidator(PHONE_PATTERN, PHONE_INVALID)],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "Optional: you are told by e-mail when the office confirms or proposes another day."
        ),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    matter = text_box(
        _("What do you come about?"),
        rows=4,
        max_length=1000,
        help_text=_("A few lines are enough; bring your documents on the day."),
    )
    mode = forms.ChoiceField(
        label=_("How do you want to be received?"),
        choices=Mode.choices,
        initial=Mode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, day: ReceptionDay, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not day.offers_online:
            del self.fields["mode"]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Your booking could not be accepted."))
        return ""


class LookupForm(BootstrapMixin, forms.Form):
    reference = forms.CharField(
        label=_("Booking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "DK-2026-000123", "autocapitalize": "characters"}
        ),
    )
    code = forms.CharField(
        label=_("Secret code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class MoveBookingForm(BootstrapMixin, forms.Form):
    to_day = DayChoiceField(label=_("Another day"), queryset=ReceptionDay.objects.none())

    def __init__(self, *args: Any, days: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "to_day").queryset = days


class EmptyForm(BootstrapMixin, forms.Form):
    pass


class NoteForm(BootstrapMixin, forms.Form):
    note = text_box(_("Note"), rows=2, required=False, max_length=2000)


class MessageForm(BootstrapMixin, forms.Form):
    """A booking's move: what the office writes is shown to the citizen."""

    note = text_box(_("Message to the citizen (optional)"), rows=2, required=False, max_length=2000)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = text_box(_("Reason (shown to the citizen)"), rows=2, max_length=300)


class CitizenCancelForm(BootstrapMixin, forms.Form):
    reason = text_box(_("Why do you cancel? (optional)"), rows=2, required=False, max_length=300)


class DelegateForm(BootstrapMixin, forms.Form):
    delegate_name = forms.CharField(label=_("Deputy who receives instead"), max_length=150)
    delegate_title = forms.CharField(label=_("Deputy's title"), max_length=200)
    note = text_box(_("Why (internal)"), rows=2, required=False, max_length=2000)


class ProposeForm(BootstrapMixin, forms.Form):
    proposed_day = DayChoiceField(label=_("Day to propose"), queryset=ReceptionDay.objects.none())
    note = text_box(_("Message to the citizen"), rows=2, required=False, max_length=2000)

    def __init__(self, *args: Any, days: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "proposed_day").queryset = days


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.title}"


class DayForm(BootstrapMixin, forms.Form):
    """The reception office plans or changes a day."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    leader = LeaderChoiceField(label=_("Leader"), queryset=Leader.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of reception"), choices=DayKind.choices, initial=DayKind.REGULAR
    )
    reason = forms.CharField(
        label=_("Reason for an ad-hoc reception"),
        max_length=300,
        required=False,
        help_text=_("A serious, complex or mass case (Law on Citizen Reception, art. 18(3))."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=300)
    capacity = forms.IntegerField(
        label=_("Places for online booking"),
        min_value=0,
        max_value=500,
        initial=10,
        help_text=_("0: no online booking."),
    )
    offers_online = forms.BooleanField(label=_("Online reception offered"), required=False)

    def __init__(self, *args: Any, agencies: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "agency").queryset = agencies
        model_choice(self, "leader").queryset = leaders

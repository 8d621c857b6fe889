from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import BootstrapMixin


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off"}
        ),
    )


class EnrolForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=40,
        help_text=_("The 6 digits the app shows now for this portal."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ResetForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: phone lost on 02/12/2026, identity checked in person."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

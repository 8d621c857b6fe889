"""The citizen's opinion, the reopening request and a voter's verdict."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import BootstrapMixin

from .models import Score
from .services import COMMENT_MAX_LENGTH

SETTLED_CHOICES = (
    ("yes", _("Yes, the matter is settled for me")),
    ("no", _("No, the matter is not settled for me")),
)


class AnswerForm(BootstrapMixin, forms.Form):
    settled = forms.ChoiceField(
        label=_("Is the matter settled for you?"),
        choices=SETTLED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the matter is settled for you.")},
    )
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how your case was handled?"),
        choices=[(value, f"{value} — {label}") for value, label in Score.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are, from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_("Read by the agency and the provincial monitors only, never published."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, denunciation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if denunciation:
            # Nothing typed by a denouncer is kept with the answer: it could name them.
            del self.fields["comment"]

    def clean_settled(self) -> bool:
        return self.cleaned_data["settled"] == "yes"


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is still not settled?"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the matter is not settled for you.")},
    )


class VoteForm(forms.Form):
    settled = forms.ChoiceField(choices=(("yes", "yes"), ("no", "no")))

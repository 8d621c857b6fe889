"""What every case machine's forms share: Bootstrap classes and accessible errors on
each widget, service errors placed beside their fields, and several files in one
input checked by content (casework.uploads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .uploads import CheckedFile, check_files


class BootstrapMixin(forms.BaseForm):
    """Give every widget Bootstrap's classes, and mark invalid ones for screen readers
    (`aria-invalid`) as well as for the eye (`is-invalid`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names, or at
    the top when it names none the form has."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django docs: 'Uploading multiple files'), each
    checked by its content, size and count."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return check_files(files)

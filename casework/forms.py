"""What every case machine's forms share: Bootstrap classes and accessible errors on
each widget, service errors placed beside their fields, and several files in one
input checked by content (casework.uploads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from agencies.names import vietnamese_sort_key

from .drf.fields import MAX_ID
from .uploads import CheckedFile, check_files


class BootstrapMixin(forms.BaseForm):
    """Give every widget Bootstrap's classes, and mark invalid ones for screen readers
    (`aria-invalid`) as well as for the eye (`is-invalid`). Required fields, and those
    named in `shown_required` (optional for a draft, required by the service when the
    case moves on), carry `aria-required`, which the field template marks with an
    asterisk."""

    shown_required: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if field.required or name in self.shown_required:
                widget.attrs["aria-required"] = "true"
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid(self)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several rows ticked by id. Each id must be a whole number a bigint column holds
    before any query: Django hands `pk__in` a larger one as is, and SQLite's driver
    fails on it (a server error, not "not one of the choices")."""

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else [value]:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # not in the stubs


class VietnameseOrderIterator(ModelChoiceIterator):
    """The choices of a model choice field in Vietnamese order of their labels
    (agencies.names): one query, sorted in Python (a province's few hundred communes)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = [(self.field.label_from_instance(obj), obj) for obj in self.queryset]
        rows.sort(key=lambda row: vietnamese_sort_key(str(row[0])))
        for _label, obj in rows:
            yield self.choice(obj)


class VietnameseOrderChoiceField(forms.ModelChoiceField):
    """A model choice field listing its choices in Vietnamese order."""

    iterator = VietnameseOrderIterator


def mark_invalid(form: forms.BaseForm) -> None:
    """Mark each field with an error, once, for the eye and for screen readers."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            css = widget.attrs.get("class", "")
            if "is-invalid" not in css.split():
                widget.attrs["class"] = f"{css} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A model choice field of `form`, to narrow its queryset for this instance (the
    form's `fields` are typed as plain fields)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names, or at
    the top when it names none the form has."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    # An error found by the service after the form's own checks marks its field too.
    mark_invalid(form)


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


def text_box(label: Any, *, rows: int, **kwargs: Any) -> forms.CharField:
    """A text typed in a box of `rows` lines (a note, a reason, the content)."""
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


# The long texts' counter (static/js/counter.js) and the server's refusal beyond it.
COUNTER_TEXT = _("%(n)s of %(max)s characters")
COUNTER_OVER = _("%(over)s characters too many: shorten the text or attach the rest as a document.")
TOO_LONG = _(
    "This text has %(show_value)d characters; at most %(limit_value)d are accepted. "
    "Shorten it, or attach the rest as a document."
)


class CountedTextField(forms.CharField):
    """A long text with a live counter instead of the browser's `maxlength`, which cuts
    a paste off silently: the person sees how far over the limit they are, and the
    server refuses more with a message that says by how much (nothing is lost)."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs["error_messages"] = {"max_length": TOO_LONG, **kwargs.get("error_messages", {})}
        super().__init__(max_length=max_length, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.update(
            {
                "data-maxchars": str(self.max_length),
                "data-counter-text": COUNTER_TEXT,
                "data-counter-over": COUNTER_OVER,
            }
        )
        return attrs


def counted_text_box(label: Any, *, rows: int, max_length: int, **kwargs: Any) -> CountedTextField:
    """A long text (a petition's content) in a box of `rows` lines, with its counter."""
    return CountedTextField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=max_length, **kwargs
    )

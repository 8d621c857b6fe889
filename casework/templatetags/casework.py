"""Template tags every case machine's pages share."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.inclusion_tag("includes/fields.html")
def fields(form: forms.BaseForm, *names: str) -> dict[str, Any]:
    """The named fields of `form` in that order, each as includes/field.html shows one."""
    return {"fields": [form[name] for name in names]}

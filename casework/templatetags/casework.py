"""Template tags every case machine's pages share."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms, template

register = template.Library()


@register.inclusion_tag("includes/fields.html")
def fields(form: forms.BaseForm, *names: str) -> dict[str, Any]:
    """The named fields of `form` in that order, each as includes/field.html shows one."""
    return {"fields": [form[name] for name in names]}


@register.filter
def days_until(start: date | None, end: date | None) -> int:
    """Calendar days from `start` to `end` (how long a due date is past): 0 if either
    is missing or `end` is not later."""
    if not start or not end or end <= start:
        return 0
    return (end - start).days

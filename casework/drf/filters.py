"""Filters every API shares: ids that cannot overflow a column, and words to search for."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .fields import MAX_ID


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row id: a positive integer that fits the column, otherwise 400 — never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class WordsFilter(django_filters.CharFilter):
    """Words to search for (casework.search), at most 100 characters as on the pages: a
    longer query narrows nothing more."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)

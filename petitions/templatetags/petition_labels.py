"""`{{ labels|label_of:key }}`: one label of a mapping (MOVE_LABELS, STATUS_BADGES).

A page used to find it with `{% for key, label in labels.items %}{% if key == … %}`,
which walks every label for every row: 50 steps of a timeline against 30 moves were
1,500 comparisons of the template engine, a third of the case page's time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def label_of(labels: Mapping[Any, Any] | None, key: Any) -> Any:
    """The value of `key` in `labels`, or "" (what the loop printed for no match)."""
    if not labels:
        return ""
    return labels.get(key, "")

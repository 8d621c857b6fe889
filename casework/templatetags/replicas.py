"""`{% data_as_of as as_of %}`: when the figures of this page were current
(casework.replicas.data_as_of); templates/includes/_data_as_of.html shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from casework import replicas

register = template.Library()


@register.simple_tag(takes_context=True)
def data_as_of(context: Any) -> datetime | None:
    # A page whose figures come from a cache passes the time they were computed.
    given = context.get("data_as_of")
    if isinstance(given, datetime):
        return given
    return replicas.data_as_of()

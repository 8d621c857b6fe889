"""The bell's count, computed only where the bell is drawn."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context: template.Context) -> int:
    """Unread in-app notices of the logged-in user: one COUNT, none for anonymous users."""
    user: Any = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user=user)

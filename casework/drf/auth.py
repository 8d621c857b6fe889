"""Token authentication for other systems, with tokens that expire.

A token is a password that travels in every request of another system; one that is
never renewed outlives the people and contracts behind it. A token older than
API_TOKEN_DAYS (settings; 0 keeps them forever) is refused with 401 and a message that
says so; `python manage.py drf_create_token -r <user>` (or the admin) issues a new one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`, refused once the token is API_TOKEN_DAYS old."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        days = settings.API_TOKEN_DAYS
        if days and token.created < timezone.now() - timedelta(days=days):
            raise exceptions.AuthenticationFailed(
                _("This token has expired (tokens last %(days)d days); ask for a new one.")
                % {"days": days}
            )
        return user, token

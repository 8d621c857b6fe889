"""Domain errors shared by the case apps, and the one DRF handler that maps them.

Services raise these; pages show their message, the API answers 409 / 400 / 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(Exception):
    """The move cannot happen in the case's current state (HTTP 409)."""

    default_message = _("This action is not possible in the case's current state.")

    def __init__(self, message: Any = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class TransitionNotAllowed(Conflict):
    default_message = _("This action is not allowed in the case's current state.")


class ConcurrentChange(Conflict):
    default_message = _(
        "Someone else changed this case a moment ago. Reload the page to see the "
        "current state, then try again if it still applies."
    )


class NotPermitted(DjangoPermissionDenied):
    """The actor's role does not allow the move (HTTP 403)."""

    def __init__(self, message: Any = None) -> None:
        self.message = message or _("Your role does not allow this action.")
        super().__init__(str(self.message))


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotPermitted):
        return Response({"detail": str(exc.message)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data: Any = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = drf_exceptions.ValidationError(data)
    return exception_handler(exc, context)
